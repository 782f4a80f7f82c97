/*
 * push module - the bindings of an AOR, copied out of usrloc
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/dprint.h"
#include "core/hashes.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/ut.h"

#include "push_attrs.h"
#include "push_bindings.h"

usrloc_api_t push_ul;
int *push_reg_case_sensitive;
int push_unknown_immune = 0;

/* registrar lowercases the domain, and the user unless case_sensitive */
static void aor_case(str *aor, int user_len)
{
	str tail;

	if(push_reg_case_sensitive && *push_reg_case_sensitive && user_len) {
		tail.s = aor->s + user_len;
		tail.len = aor->len - user_len;
		strlower(&tail);
	} else {
		strlower(aor);
	}
}

int push_parsed_aor(sip_uri_t *puri, char *buf, int size, str *aor)
{
	str user;

	if(puri->user.len + puri->host.len + 1 > size) {
		LM_ERR("AOR of user [%.*s] at [%.*s] too long\n", puri->user.len,
				puri->user.s, puri->host.len, puri->host.s);
		return -1;
	}
	user.s = buf;
	user.len = 0;
	if(puri->user.len > 0
			&& memchr(puri->user.s, '%', puri->user.len) == NULL) {
		/* nothing escaped (nearly every user): what un_escape() would
		 * copy, without its loop over the characters */
		memcpy(buf, puri->user.s, puri->user.len);
		user.len = puri->user.len;
	} else if(un_escape(&puri->user, &user) < 0) {
		LM_ERR("cannot unescape the user [%.*s]\n", puri->user.len,
				puri->user.s);
		return -1;
	}
	aor->s = buf;
	aor->len = user.len;
	if(push_ul.use_domain) {
		if(user.len)
			buf[aor->len++] = '@';
		memcpy(buf + aor->len, puri->host.s, puri->host.len);
		aor->len += puri->host.len;
	}
	aor_case(aor, user.len);
	return 0;
}

int push_uri_aor(str *uri, char *buf, int size, str *aor, sip_uri_t *puri)
{
	if(parse_uri(uri->s, uri->len, puri) < 0) {
		LM_ERR("cannot parse the URI [%.*s]\n", uri->len, uri->s);
		return -1;
	}
	return push_parsed_aor(puri, buf, size, aor);
}

void push_aor_case(str *aor)
{
	char *at = memchr(aor->s, '@', aor->len);

	aor_case(aor, at ? (int)(at - aor->s) : aor->len);
}

static void str_copy(str *dst, str *src, char **p)
{
	dst->s = *p;
	dst->len = src->len;
	if(src->len > 0)
		memcpy(*p, src->s, src->len);
	*p += src->len;
}

/* A valid binding found in usrloc, with its stored feature set (empty
 * when it has none); valid only while the record is locked. */
typedef struct located
{
	ucontact_t *c;
	str fset;
	int known;		/* a feature set is stored (fset, maybe of none) */
	int superseded; /* another binding of its instance is newer */
} located_t;

/* Bytes the copy of a binding's strings takes, its feature set aside. */
static int binding_size(ucontact_t *c)
{
	return c->c.len + c->received.len + c->path.len + c->instance.len
		   + c->ruid.len + c->user_agent.len;
}

/* 1 when c is a valid binding (of instance gr, when given). */
static int usable(ucontact_t *c, time_t now, str *gr)
{
	if(!VALID_CONTACT(c, now))
		return 0;
	/* a public GRUU names the instance without its angle brackets */
	return gr == NULL
		   || (c->instance.len == gr->len + 2
				   && memcmp(c->instance.s + 1, gr->s, gr->len) == 0);
}

/* l gets c and its stored feature set (empty when it has none). */
static void locate(ucontact_t *c, located_t *l)
{
	l->c = c;
	l->known = push_attr_find(c->xavp, &c->c, &c->instance, &l->fset);
	if(!l->known)
		l->fset.len = 0;
}

/* The arrays of a read of n bindings (with bytes of strings), in one
 * block: the set's own when they fit, else pkg memory. 0 or -1. */
static int carve(push_bindings_t *set, int n, int bytes, located_t **found,
		char **strings)
{
	size_t size = n * (sizeof(located_t) + sizeof(push_binding_t)
							  + sizeof(cp_target_t) + sizeof(cp_result_t)
							  + sizeof(size_t) + sizeof(int))
				  + bytes;

	if(size <= sizeof(set->local)) {
		set->mem = set->local.bytes;
	} else if((set->mem = pkg_malloc(size)) == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	/* largest alignment first */
	*found = (located_t *)set->mem;
	set->b = (push_binding_t *)(*found + n);
	set->targets = (cp_target_t *)(set->b + n);
	set->results = (cp_result_t *)(set->targets + n);
	set->order = (size_t *)(set->results + n);
	set->target_of = (int *)(set->order + n);
	*strings = (char *)(set->target_of + n);
	return 0;
}

/* Copy a located binding into b; its strings go to *p, its feature set
 * too when with_fset. */
static void copy_binding(push_binding_t *b, located_t *l, int with_fset, char **p)
{
	ucontact_t *c = l->c;

	str_copy(&b->c, &c->c, p);
	str_copy(&b->received, &c->received, p);
	str_copy(&b->path, &c->path, p);
	str_copy(&b->instance, &c->instance, p);
	str_copy(&b->ruid, &c->ruid, p);
	str_copy(&b->ua, &c->user_agent, p);
	if(with_fset)
		str_copy(&b->fset, &l->fset, p);
	else
		b->fset.len = 0;
	b->tags_unknown = !l->known;
	b->superseded = l->superseded;
	b->q = c->q;
	b->cflags = c->cflags;
	b->reg_id = c->reg_id;
	b->tcpconn_id = c->tcpconn_id;
	b->expires = c->expires;
	b->sock = c->sock;
	b->attrs = NULL;
	b->fork_class = 0;
}

/* The bindings being sorted by instance_order() (one sort at a time in a
 * process, and qsort() takes no context). */
static const located_t *sorting;

/* By +sip.instance, then the most recently refreshed first, then location
 * order. */
static int instance_order(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const ucontact_t *x = sorting[i].c, *y = sorting[j].c;
	int cmp;

	if(x->instance.len != y->instance.len)
		return x->instance.len < y->instance.len ? -1 : 1;
	cmp = memcmp(x->instance.s, y->instance.s, x->instance.len);
	if(cmp != 0)
		return cmp;
	if(x->last_modified != y->last_modified)
		return x->last_modified > y->last_modified ? -1 : 1;
	return i < j ? -1 : (i > j);
}

/* Mark the bindings superseded by a more recently refreshed one with the
 * same +sip.instance (RFC 5626 flows of one device): sorted by instance,
 * O(n log n) whatever the bindings. scratch has room for n indexes. */
static void mark_superseded(located_t *found, int n, size_t *scratch)
{
	size_t k = 0, a, b;
	int i;

	for(i = 0; i < n; i++) {
		found[i].superseded = 0;
		if(found[i].c->instance.len > 0)
			scratch[k++] = (size_t)i;
	}
	/* one device or none: nothing to compare (the usual case) */
	if(k < 2)
		return;
	sorting = found;
	qsort(scratch, k, sizeof(size_t), instance_order);
	for(a = 1; a < k; a++) {
		ucontact_t *x = found[scratch[a - 1]].c;
		ucontact_t *y = found[(b = scratch[a])].c;
		if(x->instance.len == y->instance.len
				&& memcmp(x->instance.s, y->instance.s, x->instance.len) == 0)
			found[b].superseded = 1;
	}
}

/* When each binding with unknown tags was last warned about, shared by
 * all processes: a slot per hash of the binding (two bindings sharing a
 * slot may be warned about more often). */
#define WARN_SLOTS 256
#define WARN_INTERVAL 3600

typedef struct warn_table
{
	gen_lock_t lock;
	struct
	{
		unsigned int h;
		time_t at;
	} slot[WARN_SLOTS];
} warn_table_t;

static warn_table_t *warned;

int push_bindings_init(void)
{
	warned = shm_malloc(sizeof(*warned));
	if(warned == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(warned, 0, sizeof(*warned));
	if(lock_init(&warned->lock) == NULL) {
		LM_ERR("cannot initialise a lock\n");
		shm_free(warned);
		warned = NULL;
		return -1;
	}
	return 0;
}

/* Warn about a binding with unknown tags, at most once an hour. */
static void warn_unknown(ucontact_t *c)
{
	unsigned int h = core_hash(&c->ruid, &c->c, 0);
	time_t now = time(NULL);
	int slot = h % WARN_SLOTS, due;

	lock_get(&warned->lock);
	due = warned->slot[slot].h != h
		  || warned->slot[slot].at + WARN_INTERVAL <= now;
	if(due) {
		warned->slot[slot].h = h;
		warned->slot[slot].at = now;
	}
	lock_release(&warned->lock);
	if(due)
		LM_WARN("binding <%.*s> (ruid %.*s) of %.*s has no stored feature"
				" tags (not saved by push_save()): %s until it registers"
				" again\n",
				c->c.len, c->c.s, c->ruid.len, c->ruid.s, c->aor->len,
				c->aor->s,
				push_unknown_immune ? "treated as having none"
									: "it gets no push");
}

/* One engine target per device (the bindings mark_superseded() left,
 * those with unknown tags with unknown_tags "immune" only), in location
 * order. Fills set->targets, set->target_of (index in found) and
 * set->unknown; uses set->order as scratch. */
static void targets_of(
		push_bindings_t *set, located_t *found, int n, int routing)
{
	int i;

	mark_superseded(found, n, set->order);
	set->nt = 0;
	set->unknown = 0;
	for(i = 0; i < n; i++) {
		ucontact_t *c = found[i].c;
		if(found[i].superseded)
			continue;
		if(!found[i].known) {
			set->unknown++;
			if(routing)
				warn_unknown(c);
			if(!push_unknown_immune)
				continue;
		}
		set->targets[set->nt].fset = found[i].fset.s;
		set->targets[set->nt].fset_len = found[i].fset.len;
		set->targets[set->nt].q = c->q;
		set->targets[set->nt].instance = c->instance.len ? c->instance.s : NULL;
		set->targets[set->nt].instance_len = c->instance.len;
		set->target_of[set->nt] = i;
		set->nt++;
	}
}

/* Fill set from the record of aor, under its lock: the valid bindings,
 * their targets, the evaluation with prefs (when given), then the copies:
 * every binding (routing == 0) or only the first max targets used, in
 * order, with their branch attributes (routing == 1). 0 or -1. */
static int read_record(udomain_t *d, str *aor, str *gr,
		const cp_prefs_t *prefs, int routing, int max, push_bindings_t *set)
{
	urecord_t *r;
	ucontact_t *c;
	located_t l, *found;
	time_t now = time(NULL);
	int n = 0, bytes = 0, i, rc = 0;
	size_t k;
	char *p;

	memset(set, 0, offsetof(push_bindings_t, local));
	set->outcome = CP_OUT_EMPTY;
	push_ul.lock_udomain(d, aor);
	if(push_ul.get_urecord(d, aor, &r) != 0) {
		push_ul.unlock_udomain(d, aor);
		return 0;
	}
	for(c = r->contacts; c; c = c->next) {
		if(!usable(c, now, gr))
			continue;
		bytes += binding_size(c);
		if(!routing) {
			locate(c, &l);
			bytes += l.fset.len;
		}
		n++;
	}
	if(n == 0)
		goto done;
	if(carve(set, n, bytes, &found, &p) < 0) {
		rc = -1;
		goto done;
	}
	i = 0;
	for(c = r->contacts; c && i < n; c = c->next) {
		if(usable(c, now, gr))
			locate(c, &found[i++]);
	}
	n = i;
	targets_of(set, found, n, routing);
	if(prefs)
		set->outcome = cp_evaluate(prefs, set->targets, set->nt, set->results,
				set->order, &set->n_used);
	/* bindings there are, but none whose tags are known: none eligible */
	if(set->outcome == CP_OUT_EMPTY && set->unknown > 0)
		set->outcome = CP_OUT_NONE;
	if(!routing) {
		for(i = 0; i < n; i++)
			copy_binding(&set->b[i], &found[i], 1, &p);
		/* the targets outlive the lock: point them at the copies */
		for(i = 0; i < set->nt; i++) {
			push_binding_t *b = &set->b[set->target_of[i]];
			set->targets[i].fset = b->fset.s;
			set->targets[i].instance = b->instance.len ? b->instance.s : NULL;
		}
		set->n = n;
		goto done;
	}
	if(set->outcome != CP_OUT_MATCHED && set->outcome != CP_OUT_REVERTED)
		goto done;
	if(set->n_used > (size_t)max) {
		set->dropped = set->n_used - max;
		set->n_used = max;
	}
	for(k = 0; k < set->n_used; k++) {
		size_t t = set->order[k];
		push_binding_t *b = &set->b[k];
		copy_binding(b, &found[set->target_of[t]], 0, &p);
		b->fork_class = set->results[t].fork_class;
		b->attrs = push_attr_clone_others(found[set->target_of[t]].c->xavp);
	}
	set->n = (int)set->n_used;

done:
	push_ul.release_urecord(r);
	push_ul.unlock_udomain(d, aor);
	return rc;
}

int push_bindings_read(
		udomain_t *d, str *aor, const cp_prefs_t *prefs, push_bindings_t *set)
{
	return read_record(d, aor, NULL, prefs, 0, 0, set) < 0 ? -1 : set->n;
}

int push_bindings_select(udomain_t *d, str *aor, str *gr,
		const cp_prefs_t *prefs, int max, push_bindings_t *set)
{
	return read_record(d, aor, gr, prefs, 1, max > 0 ? max : 1, set);
}

void push_bindings_free(push_bindings_t *set)
{
	int i;

	for(i = 0; i < set->n; i++) {
		if(set->b[i].attrs)
			xavp_destroy_list(&set->b[i].attrs);
	}
	set->n = 0;
	if(set->mem && set->mem != set->local.bytes)
		pkg_free(set->mem);
	set->mem = NULL;
}
