/*
 * push module - the bindings' feature sets across a DMQ cluster
 * (push_cluster.h tells why and when)
 */

#include "core/dprint.h"
#include "core/sr_module.h"

#include "push_cluster.h"

#ifndef PUSH_CLUSTER_CARRIER

int push_cluster_init(void)
{
	if(module_loaded("dmq_usrloc"))
		LM_INFO("dmq_usrloc copies the bindings' attributes: the feature"
				" sets travel with them\n");
	return 0;
}

#else

#include <string.h>

#include "core/hashes.h"
#include "core/ip_addr.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_content.h"
#include "core/timer.h"
#include "core/ut.h"
#include "modules/dmq/bind_dmq.h"
#include "modules/usrloc/ul_callback.h"

#include "lib/cpref.h"
#include "push_attrs.h"
#include "push_bindings.h"
#include "push_stats.h"
#include "lib/syncmsg.h"

/* Table size: a power of 2; enough slots that one slot's entries make a
 * small part of a sync answer. */
#define N_SLOTS 16384
#define N_LOCKS 1024
/* Payload of one DMQ message, in bytes; larger batches are split. */
#define MSG_MAX 16000
/* Expired entries checked for per timer run, and the run's period. */
#define SLOTS_PER_RUN 512
#define TIMER_INTERVAL 5
/* An entry outlives its binding's expiry by this much, so that a
 * binding refreshed a little late on another node keeps its set. */
#define EXPIRY_GRACE 30

typedef struct fs_entry
{
	struct fs_entry *next;
	long long last_modified;
	unsigned int cseq;
	long long expires;
	str ruid, aor, table, callid, fset; /* in the same block */
} fs_entry_t;

static fs_entry_t **slots;
static gen_lock_set_t *locks;
static dmq_api_t dmqb;
static dmq_peer_t *peer;
static str content_type = str_init("text/plain");
static dmq_resp_cback_t no_cback = {0, 0};

/* Records push_save() stored in this process, announced after save(). */
static struct
{
	char *buf;
	size_t len, size;
} out;

static unsigned int slot_of(str *ruid)
{
	return get_hash1_raw(ruid->s, ruid->len) & (N_SLOTS - 1);
}

#define LOCK(i) lock_set_get(locks, (i) % N_LOCKS)
#define UNLOCK(i) lock_set_release(locks, (i) % N_LOCKS)

static fs_entry_t **find(unsigned int i, str *ruid)
{
	fs_entry_t **e;

	for(e = &slots[i]; *e; e = &(*e)->next) {
		if((*e)->ruid.len == ruid->len
				&& memcmp((*e)->ruid.s, ruid->s, ruid->len) == 0)
			return e;
	}
	return e;
}

static char *copy_str(char *p, str *dst, const char *s, size_t n)
{
	memcpy(p, s, n);
	dst->s = p;
	dst->len = (int)n;
	return p + n;
}

/* Keep record r unless the table has a version of its binding stored
 * later. Versions stored within one second keep the one that came last:
 * a copy gets only the set of its own version (apply()), so a wrong pick
 * leaves the copy without a set, never with another version's. 1 kept,
 * 0 older than the table's, -1 no memory. */
static int upsert(syncmsg_rec_t *r)
{
	str ruid = {(char *)r->ruid, (int)r->ruid_len};
	unsigned int i = slot_of(&ruid);
	fs_entry_t **pe, *e, *old;
	char *p;

	e = shm_malloc(sizeof(*e) + r->ruid_len + r->aor_len + r->table_len
				   + r->callid_len + r->fset_len);
	if(e == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	e->last_modified = r->last_modified;
	e->cseq = r->cseq;
	e->expires = r->expires;
	p = (char *)(e + 1);
	p = copy_str(p, &e->ruid, r->ruid, r->ruid_len);
	p = copy_str(p, &e->aor, r->aor, r->aor_len);
	p = copy_str(p, &e->table, r->table, r->table_len);
	p = copy_str(p, &e->callid, r->callid, r->callid_len);
	copy_str(p, &e->fset, r->fset, r->fset_len);
	LOCK(i);
	pe = find(i, &ruid);
	old = *pe;
	if(old && e->last_modified < old->last_modified) {
		UNLOCK(i);
		shm_free(e);
		return 0;
	}
	e->next = old ? old->next : NULL;
	*pe = e;
	UNLOCK(i);
	if(old)
		shm_free(old);
	return 1;
}

static void forget(str *ruid)
{
	unsigned int i = slot_of(ruid);
	fs_entry_t **pe, *e;

	LOCK(i);
	pe = find(i, ruid);
	e = *pe;
	if(e)
		*pe = e->next;
	UNLOCK(i);
	if(e)
		shm_free(e);
}

/* The version of binding c is that of entry e. */
static int same_version(fs_entry_t *e, ucontact_t *c)
{
	return e->last_modified == (long long)c->last_modified
		   && e->cseq == (unsigned int)c->cseq && e->callid.len == c->callid.len
		   && memcmp(e->callid.s, c->callid.s, c->callid.len) == 0;
}

/* Give binding c (record locked) the table's set of its version. 1 given,
 * 0 none known. */
static int apply(ucontact_t *c)
{
	char fset_buf[SYNCMSG_FSET_MAX];
	str fset = {fset_buf, 0};
	unsigned int i = slot_of(&c->ruid);
	fs_entry_t *e;

	LOCK(i);
	e = *find(i, &c->ruid);
	if(e && same_version(e, c)) {
		memcpy(fset_buf, e->fset.s, e->fset.len);
		fset.len = e->fset.len;
	}
	UNLOCK(i);
	if(fset.len == 0)
		return 0;
	if(push_attr_replace(c, &fset) < 0) {
		LM_ERR("cannot attach the feature set of binding <%.*s>\n", c->c.len,
				c->c.s);
		return 0;
	}
	return 1;
}

static void rec_of(ucontact_t *c, str *fset, syncmsg_rec_t *r)
{
	r->last_modified = (long long)c->last_modified;
	r->cseq = (unsigned int)c->cseq;
	r->expires = (long long)c->expires;
	r->ruid = c->ruid.s;
	r->ruid_len = (size_t)c->ruid.len;
	r->aor = c->aor->s;
	r->aor_len = (size_t)c->aor->len;
	r->table = c->domain->s;
	r->table_len = (size_t)c->domain->len;
	r->callid = c->callid.s;
	r->callid_len = (size_t)c->callid.len;
	r->fset = fset->s;
	r->fset_len = (size_t)fset->len;
}

void push_cluster_stored(ucontact_t *c, str *fset)
{
	syncmsg_rec_t r;
	char *nb;

	if(peer == NULL)
		return;
	rec_of(c, fset, &r);
	if(upsert(&r) < 0)
		return;
	if(out.size - out.len < SYNCMSG_REC_MAX) {
		nb = pkg_realloc(out.buf, out.size + MSG_MAX + SYNCMSG_REC_MAX);
		if(nb == NULL) {
			PKG_MEM_ERROR;
			return;
		}
		out.buf = nb;
		out.size += MSG_MAX + SYNCMSG_REC_MAX;
	}
	if(syncmsg_put(out.buf, out.size, &out.len, &r) < 0)
		LM_ERR("binding <%.*s>: its feature set cannot be announced\n",
				c->c.len, c->c.s);
}

void push_cluster_apply(ucontact_t *c)
{
	if(peer != NULL)
		apply(c);
}

/* Send records (whole lines, len bytes) to node, or to every other node
 * when node is NULL, in messages of at most MSG_MAX bytes of records. */
static void send_records(const char *recs, size_t len, dmq_node_t *node)
{
	char msg[MSG_MAX + SYNCMSG_REC_MAX + 64];
	str body = {msg, 0};
	size_t head, n;
	int rc;

	head = (size_t)syncmsg_begin(msg, sizeof(msg), SYNCMSG_SETS);
	while(len > 0) {
		/* whole lines up to MSG_MAX, at least one */
		n = 0;
		while(n < len) {
			const char *nl = memchr(recs + n, '\n', len - n);
			size_t next = (size_t)(nl - recs) + 1;
			if(n > 0 && next > MSG_MAX)
				break;
			n = next;
		}
		memcpy(msg + head, recs, n);
		body.len = (int)(head + n);
		rc = node ? dmqb.send_message(peer, &body, node, &no_cback, 1,
					 &content_type)
				  : dmqb.bcast_message(peer, &body, NULL, &no_cback, 1,
						  &content_type);
		if(rc < 0)
			LM_ERR("cannot send the feature sets to the cluster\n");
		recs += n;
		len -= n;
	}
}

void push_cluster_flush(void)
{
	if(out.len > 0)
		send_records(out.buf, out.len, NULL);
	out.len = 0;
}

static void entry_rec(fs_entry_t *e, syncmsg_rec_t *r)
{
	r->last_modified = e->last_modified;
	r->cseq = e->cseq;
	r->expires = e->expires;
	r->ruid = e->ruid.s;
	r->ruid_len = (size_t)e->ruid.len;
	r->aor = e->aor.s;
	r->aor_len = (size_t)e->aor.len;
	r->table = e->table.s;
	r->table_len = (size_t)e->table.len;
	r->callid = e->callid.s;
	r->callid_len = (size_t)e->callid.len;
	r->fset = e->fset.s;
	r->fset_len = (size_t)e->fset.len;
}

/* A node asked for every set: send it the table, read slot by slot, in
 * messages of MSG_MAX bytes or so. */
static void send_table(dmq_node_t *node)
{
	char *buf = NULL, *nb;
	size_t len, size = 0;
	syncmsg_rec_t r;
	fs_entry_t *e;
	unsigned int i;
	int sent = 0;

	len = 0;
	for(i = 0; i < N_SLOTS; i++) {
		LOCK(i);
		for(e = slots[i]; e; e = e->next) {
			if(size - len < SYNCMSG_REC_MAX) {
				nb = pkg_realloc(buf, size + MSG_MAX + SYNCMSG_REC_MAX);
				if(nb == NULL) {
					PKG_MEM_ERROR;
					break;
				}
				buf = nb;
				size += MSG_MAX + SYNCMSG_REC_MAX;
			}
			entry_rec(e, &r);
			if(syncmsg_put(buf, size, &len, &r) == 0)
				sent++;
		}
		UNLOCK(i);
		if(len >= MSG_MAX) {
			send_records(buf, len, node);
			len = 0;
		}
	}
	if(len > 0)
		send_records(buf, len, node);
	if(buf)
		pkg_free(buf);
	LM_INFO("sent %d feature sets to node %.*s\n", sent, node->orig_uri.len,
			node->orig_uri.s);
}

/* Record r announced by another node: keep it, and give it to the
 * binding's copy if that exists already. */
static void receive(syncmsg_rec_t *r)
{
	char table[SYNCMSG_TABLE_MAX + 1];
	str aor = {(char *)r->aor, (int)r->aor_len};
	str ruid = {(char *)r->ruid, (int)r->ruid_len};
	udomain_t *d;
	urecord_t *rec;
	ucontact_t *c;

	if(cp_fset_validate(r->fset, r->fset_len) < 0) {
		LM_ERR("malformed feature set for ruid %.*s from the cluster:"
			   " ignored\n",
				ruid.len, ruid.s);
		return;
	}
	if(upsert(r) <= 0)
		return;
	memcpy(table, r->table, r->table_len);
	table[r->table_len] = '\0';
	if(push_ul.get_udomain(table, &d) < 0)
		return;
	/* locks the record's slot when found */
	if(push_ul.get_urecord_by_ruid(d, push_ul.get_aorhash(&aor), &ruid, &rec,
			   &c)
			!= 0)
		return;
	apply(c);
	push_ul.release_urecord(rec);
	push_ul.unlock_udomain(d, &aor);
}

static void answer(peer_reponse_t *resp, int code)
{
	static str ok = str_init("OK");
	static str bad = str_init("Bad Request");

	resp->resp_code = code;
	resp->reason = code == 200 ? ok : bad;
}

static int on_message(sip_msg_t *msg, peer_reponse_t *resp, dmq_node_t *node)
{
	syncmsg_rec_t r;
	size_t off = 0;
	str body;
	int kind, rc, n = 0;

	answer(resp, 400);
	body.s = get_body(msg);
	if(body.s == NULL || msg->content_length == NULL) {
		LM_ERR("DMQ message without a body\n");
		return 0;
	}
	body.len = get_content_length(msg);
	if(body.len < 0 || body.s + body.len > msg->buf + msg->len) {
		LM_ERR("DMQ message with a bad Content-Length\n");
		return 0;
	}
	kind = syncmsg_kind(body.s, (size_t)body.len, &off);
	if(kind == SYNCMSG_SYNC) {
		/* dmq passes no node for a sender it does not list */
		if(node == NULL) {
			LM_ERR("request for the feature sets from %s, not a node of the"
				   " cluster\n",
					ip_addr2a(&msg->rcv.src_ip));
			return 0;
		}
		answer(resp, 200);
		send_table(node);
		return 0;
	}
	if(kind != SYNCMSG_SETS) {
		LM_ERR("unknown DMQ message for the push peer\n");
		return 0;
	}
	while((rc = syncmsg_next(body.s, (size_t)body.len, &off, &r)) > 0) {
		receive(&r);
		n++;
	}
	if(rc < 0) {
		LM_ERR("malformed feature set record after %d from %s\n", n,
				ip_addr2a(&msg->rcv.src_ip));
		return 0;
	}
	answer(resp, 200);
	return 0;
}

/* dmq knows the other nodes: ask them for their sets. */
static int request_sync(void)
{
	char msg[64];
	str body = {msg, 0};

	body.len = syncmsg_begin(msg, sizeof(msg), SYNCMSG_SYNC);
	if(dmqb.bcast_message(peer, &body, NULL, &no_cback, 1, &content_type)
			< 0)
		LM_ERR("cannot ask the cluster for its feature sets\n");
	return 0;
}

static void on_gone(ucontact_t *c, int type, void *param)
{
	forget(&c->ruid);
}

/* Entries whose binding expired long ago without any copy here to take
 * them away (a slice of the table per run). */
static void expire_timer(unsigned int ticks, void *param)
{
	static unsigned int next;
	long long now = (long long)time(NULL);
	fs_entry_t **pe, *e, *gone;
	unsigned int i, k;

	for(k = 0; k < SLOTS_PER_RUN; k++) {
		i = next;
		next = (next + 1) & (N_SLOTS - 1);
		gone = NULL;
		LOCK(i);
		for(pe = &slots[i]; (e = *pe) != NULL;) {
			if(e->expires != 0 && e->expires + EXPIRY_GRACE < now) {
				*pe = e->next;
				e->next = gone;
				gone = e;
			} else {
				pe = &e->next;
			}
		}
		UNLOCK(i);
		while(gone) {
			e = gone;
			gone = e->next;
			shm_free(e);
		}
	}
}

int push_cluster_init(void)
{
	dmq_peer_t p;

	if(!module_loaded("dmq_usrloc"))
		return 0;
	if(dmq_load_api(&dmqb) < 0) {
		LM_ERR("cannot bind dmq: load dmq.so before push.so\n");
		return -1;
	}
	slots = shm_malloc(N_SLOTS * sizeof(*slots));
	locks = lock_set_alloc(N_LOCKS);
	if(slots == NULL || locks == NULL || lock_set_init(locks) == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(slots, 0, N_SLOTS * sizeof(*slots));
	memset(&p, 0, sizeof(p));
	p.peer_id.s = "push";
	p.peer_id.len = 4;
	p.description.s = "push feature sets";
	p.description.len = 17;
	p.callback = on_message;
	p.init_callback = request_sync;
	peer = dmqb.register_dmq_peer(&p);
	if(peer == NULL) {
		LM_ERR("cannot register the push DMQ peer\n");
		return -1;
	}
	if(push_ul.register_ulcb(UL_CONTACT_DELETE | UL_CONTACT_EXPIRE, on_gone,
			   NULL)
			< 0
			|| register_timer(expire_timer, NULL, TIMER_INTERVAL) < 0) {
		LM_ERR("cannot register the cluster callbacks\n");
		return -1;
	}
	LM_INFO("dmq_usrloc of this Kamailio copies no attributes: the feature"
			" sets travel over the push DMQ peer\n");
	return 0;
}

#endif /* PUSH_CLUSTER_CARRIER */
