/*
 * push module - route a request to the registered contacts that match its
 * caller preferences (RFC 3841)
 *
 * The AOR's bindings are copied out of usrloc under its lock; the engine
 * (cpref.h) filters and orders them with the request's Accept-Contact,
 * Reject-Contact and Request-Disposition, those added earlier in this
 * request included; the result becomes the destination set the way
 * registrar's lookup() builds it, with q values rewritten so that tm forks
 * the engine's classes in order.
 */

#include <stdio.h>
#include <string.h>

#include "core/dprint.h"
#include "core/dset.h"
#include "core/flags.h"
#include "core/forward.h"
#include "core/mem/mem.h"
#include "core/parser/parse_rr.h"
#include "core/parser/parse_uri.h"
#include "core/qvalue.h"
#include "core/resolve.h"
#include "core/trim.h"
#include "core/ut.h"

#include "cpref.h"
#include "push_attrs.h"
#include "push_hdr.h"
#include "push_lookup.h"
#include "push_stats.h"

usrloc_api_t push_ul;
int push_strict_explicit = 0;
int *push_reg_case_sensitive;
int *push_reg_path_check_local;

cp_prefs_t *push_prefs;

/* Why the last push_lookup() of this process refused the request. */
static char reason_buf[160];
str push_reason = {reason_buf, 0};

/* A binding copied out of usrloc. */
typedef struct binding
{
	str c;
	str received;
	str path;
	str instance;
	str ruid;
	str ua;
	str fset;
	qvalue_t q;
	unsigned int cflags;
	unsigned int reg_id;
	int tcpconn_id;
	time_t last_modified;
	struct socket_info *sock;
	sr_xavp_t *attrs; /* shm clone of its usrloc attributes */
} binding_t;

/* Everything one lookup needs, in one pkg block. */
typedef struct lookup_set
{
	int n;
	binding_t *b;
	cp_target_t *targets;
	cp_result_t *results;
	size_t *order;
	int *target_of; /* binding index of each target */
	char *strings;
} lookup_set_t;

int push_lookup_init(void)
{
	push_prefs = pkg_malloc(cp_prefs_size());
	if(push_prefs == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	return 0;
}

static void set_reason(const char *fmt, const char *hdr, const char *what)
{
	int n = snprintf(reason_buf, sizeof(reason_buf), fmt, hdr, what);

	if(n < 0)
		n = 0;
	push_reason.len = n < (int)sizeof(reason_buf) ? n : (int)sizeof(reason_buf) - 1;
}

/* The AOR of the Request-URI, as registrar's save() stored it. */
static int request_aor(sip_msg_t *msg, char *buf, int size, str *aor,
		sip_uri_t *puri)
{
	str uri, user, tail;

	uri = msg->new_uri.s ? msg->new_uri : msg->first_line.u.request.uri;
	if(parse_uri(uri.s, uri.len, puri) < 0) {
		LM_ERR("cannot parse the Request-URI [%.*s]\n", uri.len, uri.s);
		return -1;
	}
	if(puri->user.len + puri->host.len + 1 > size) {
		LM_ERR("AOR of [%.*s] too long\n", uri.len, uri.s);
		return -1;
	}
	user.s = buf;
	user.len = 0;
	if(un_escape(&puri->user, &user) < 0) {
		LM_ERR("cannot unescape the user of [%.*s]\n", uri.len, uri.s);
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
	/* registrar lowercases the domain, and the user unless case_sensitive */
	if(push_reg_case_sensitive && *push_reg_case_sensitive && user.len) {
		tail.s = aor->s + user.len;
		tail.len = aor->len - user.len;
		strlower(&tail);
	} else {
		strlower(aor);
	}
	return 0;
}

static void str_copy(str *dst, str *src, char **p)
{
	dst->s = *p;
	dst->len = src->len;
	if(src->len > 0)
		memcpy(*p, src->s, src->len);
	*p += src->len;
}

/* Bytes the copy of a valid binding takes. */
static int binding_size(ucontact_t *c, str *fset)
{
	return c->c.len + c->received.len + c->path.len + c->instance.len
		   + c->ruid.len + c->user_agent.len + fset->len;
}

/* Copy the valid bindings of aor (only those of instance gr when given),
 * holding usrloc's lock only for in-memory work. */
static int read_bindings(udomain_t *d, str *aor, str *gr, lookup_set_t *set)
{
	urecord_t *r;
	ucontact_t *c;
	time_t now = time(NULL);
	str fset;
	int n = 0, bytes = 0, i;
	size_t size;
	char *p;

	memset(set, 0, sizeof(*set));
	push_ul.lock_udomain(d, aor);
	if(push_ul.get_urecord(d, aor, &r) != 0) {
		push_ul.unlock_udomain(d, aor);
		return 0;
	}
	for(c = r->contacts; c; c = c->next) {
		if(!VALID_CONTACT(c, now))
			continue;
		if(gr && (c->instance.len != gr->len + 2
						 || memcmp(c->instance.s + 1, gr->s, gr->len) != 0))
			continue;
		if(!push_attr_find(c->xavp, &c->c, &c->instance, &fset))
			fset.len = 0;
		bytes += binding_size(c, &fset);
		n++;
	}
	if(n == 0)
		goto done;

	size = n * (sizeof(binding_t) + sizeof(cp_target_t) + sizeof(cp_result_t)
					   + sizeof(size_t) + sizeof(int))
		   + bytes;
	set->b = pkg_malloc(size);
	if(set->b == NULL) {
		PKG_MEM_ERROR;
		n = -1;
		goto done;
	}
	memset(set->b, 0, size);
	set->targets = (cp_target_t *)(set->b + n);
	set->results = (cp_result_t *)(set->targets + n);
	set->order = (size_t *)(set->results + n);
	set->target_of = (int *)(set->order + n);
	set->strings = (char *)(set->target_of + n);

	p = set->strings;
	i = 0;
	for(c = r->contacts; c && i < n; c = c->next) {
		binding_t *b = &set->b[i];
		if(!VALID_CONTACT(c, now))
			continue;
		if(gr && (c->instance.len != gr->len + 2
						 || memcmp(c->instance.s + 1, gr->s, gr->len) != 0))
			continue;
		if(!push_attr_find(c->xavp, &c->c, &c->instance, &fset))
			fset.len = 0;
		str_copy(&b->c, &c->c, &p);
		str_copy(&b->received, &c->received, &p);
		str_copy(&b->path, &c->path, &p);
		str_copy(&b->instance, &c->instance, &p);
		str_copy(&b->ruid, &c->ruid, &p);
		str_copy(&b->ua, &c->user_agent, &p);
		str_copy(&b->fset, &fset, &p);
		b->q = c->q;
		b->cflags = c->cflags;
		b->reg_id = c->reg_id;
		b->tcpconn_id = c->tcpconn_id;
		b->last_modified = c->last_modified;
		b->sock = c->sock;
		if(c->xavp)
			b->attrs = xavp_clone_level_nodata(c->xavp);
		i++;
	}
	n = i;

done:
	push_ul.release_urecord(r);
	push_ul.unlock_udomain(d, aor);
	set->n = n;
	return n;
}

static void free_set(lookup_set_t *set)
{
	int i;

	if(set->b == NULL)
		return;
	for(i = 0; i < set->n; i++) {
		if(set->b[i].attrs)
			xavp_destroy_list(&set->b[i].attrs);
	}
	pkg_free(set->b);
	set->b = NULL;
}

/* One target per +sip.instance: the most recently refreshed binding of a
 * device speaks for it (RFC 5626 flows of one device are one target). */
static int build_targets(lookup_set_t *set)
{
	int i, j, nt = 0;

	for(i = 0; i < set->n; i++) {
		binding_t *b = &set->b[i];
		int superseded = 0;
		for(j = 0; j < set->n && b->instance.len > 0; j++) {
			binding_t *o = &set->b[j];
			if(j == i || o->instance.len != b->instance.len
					|| memcmp(o->instance.s, b->instance.s, b->instance.len) != 0)
				continue;
			if(o->last_modified > b->last_modified
					|| (o->last_modified == b->last_modified && j < i)) {
				superseded = 1;
				break;
			}
		}
		if(superseded)
			continue;
		set->targets[nt].fset = b->fset.s;
		set->targets[nt].fset_len = b->fset.len;
		set->targets[nt].q = b->q;
		set->target_of[nt] = i;
		nt++;
	}
	return nt;
}

typedef struct pref_walk
{
	int (*add)(cp_prefs_t *, const char *, size_t, cp_diag_t *);
	const char *name;
} pref_walk_t;

static int add_pref_header(str *body, void *arg)
{
	pref_walk_t *w = arg;
	cp_diag_t diag;

	if(w->add(push_prefs, body->s, body->len, &diag) < 0) {
		set_reason("Bad %s: %s", w->name, diag.reason);
		LM_NOTICE("malformed %s [%.*s]: %s\n", w->name, body->len, body->s,
				diag.reason);
		return -2;
	}
	return 0;
}

/* The request's caller preferences; -1 malformed (push_reason says why),
 * -2 internal error. */
static int read_prefs(sip_msg_t *msg)
{
	static const struct
	{
		enum _hdr_types_t type;
		pref_walk_t walk;
	} headers[] = {
			{HDR_ACCEPTCONTACT_T, {cp_prefs_add_accept, "Accept-Contact"}},
			{HDR_REJECTCONTACT_T, {cp_prefs_add_reject, "Reject-Contact"}},
			{HDR_REQUESTDISPOSITION_T,
					{cp_prefs_add_disposition, "Request-Disposition"}},
	};
	cp_diag_t diag;
	str method, event = {0, 0};
	unsigned int i;
	int rc;

	cp_prefs_init(push_prefs, &cp_limits_default, push_strict_explicit);
	for(i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		rc = push_hdr_walk(msg, headers[i].type, add_pref_header,
				(void *)&headers[i].walk);
		if(rc == -2)
			return -1;
		if(rc < 0)
			return -2;
	}
	method = msg->first_line.u.request.method;
	if(msg->first_line.u.request.method_value == METHOD_SUBSCRIBE
			&& msg->event) {
		/* the package, without its parameters */
		event = msg->event->body;
		for(i = 0; i < (unsigned int)event.len && event.s[i] != ';'; i++)
			;
		event.len = i;
		trim(&event);
	}
	if(cp_prefs_set_request(push_prefs, method.s, method.len, event.s, event.len,
			   &diag)
			< 0) {
		set_reason("Bad %s: %s", "Event", diag.reason);
		return -1;
	}
	return 0;
}

/* The first hop of a binding's Path, skipping this proxy when
 * registrar's path_check_local asks for it. 0 ok (dst empty: no Path). */
static int path_first_hop(binding_t *b, str *path, str *dst)
{
	sip_uri_t puri;

	dst->s = NULL;
	dst->len = 0;
	*path = b->path;
	if(path->len == 0)
		return 0;
	if(get_path_dst_uri(path, dst) < 0) {
		LM_ERR("cannot get the first hop of Path [%.*s]\n", path->len,
				path->s);
		return -1;
	}
	if(push_reg_path_check_local == NULL || *push_reg_path_check_local == 0)
		return 0;
	if(parse_uri(dst->s, dst->len, &puri) < 0) {
		LM_ERR("cannot parse the Path URI [%.*s]\n", dst->len, dst->s);
		return -1;
	}
	if(check_self(&puri.host, 0, 0)) {
		if(path->len > dst->len + 3) {
			path->s += dst->len + 3;
			path->len -= dst->len + 3;
			return get_path_dst_uri(path, dst) < 0 ? -1 : 0;
		}
		dst->s = NULL;
		dst->len = 0;
	}
	return 0;
}

/* The Request-URI target, as registrar's lookup() sets it. */
static int set_ruri_target(sip_msg_t *msg, binding_t *b, qvalue_t q)
{
	str path, dst;
	flag_t bflags = 0;

	if(rewrite_uri(msg, &b->c) < 0) {
		LM_ERR("cannot rewrite the Request-URI\n");
		return -1;
	}
	reset_dst_uri(msg);
	if(path_first_hop(b, &path, &dst) < 0)
		return -1;
	if(dst.len > 0) {
		if(set_path_vector(msg, &path) < 0 || set_dst_uri(msg, &dst) < 0)
			return -1;
	} else if(b->received.len > 0 && set_dst_uri(msg, &b->received) < 0) {
		return -1;
	}
	if(b->instance.len > 0 && set_instance(msg, &b->instance) < 0)
		return -1;
	msg->reg_id = b->reg_id;
	msg->otcpid = b->tcpconn_id;
	if(b->ruid.len > 0 && set_ruid(msg, &b->ruid) < 0)
		return -1;
	if(b->ua.len > 0 && set_ua(msg, &b->ua) < 0)
		return -1;
	set_ruri_q(q);
	getbflagsval(0, &bflags);
	setbflagsval(0, bflags | b->cflags);
	if(b->sock)
		set_force_socket(msg, b->sock);
	return 0;
}

static int push_branch(sip_msg_t *msg, binding_t *b, qvalue_t q)
{
	str path, dst;
	branch_t *br;

	if(path_first_hop(b, &path, &dst) < 0)
		return -1;
	br = ksr_push_branch(msg, &b->c, dst.len ? &dst : &b->received,
			dst.len ? &path : NULL, q, b->cflags, b->sock,
			b->instance.len ? &b->instance : NULL,
			b->instance.len ? b->reg_id : 0, &b->ruid, &b->ua);
	if(br == NULL) {
		LM_ERR("cannot append a branch for <%.*s>\n", b->c.len, b->c.s);
		return -1;
	}
	br->otcpid = b->tcpconn_id;
	return 0;
}

/* The engine's fork classes as q values: tm's t_load_contacts() forks
 * equal q in parallel and tries lower q later. */
static qvalue_t class_q(int fork_class)
{
	return fork_class >= MAX_Q ? MIN_Q : MAX_Q - fork_class;
}

static int build_dset(sip_msg_t *msg, lookup_set_t *set, size_t n_used)
{
	size_t k;
	int branches = 0;

	for(k = 0; k < n_used; k++) {
		int t = (int)set->order[k];
		binding_t *b = &set->b[set->target_of[t]];
		qvalue_t q = class_q(set->results[t].fork_class);
		int idx;

		if(k == 0) {
			if(set_ruri_target(msg, b, q) < 0)
				return -1;
			idx = 0;
		} else {
			if(push_branch(msg, b, q) < 0)
				continue;
			idx = nr_branches;
		}
		branches++;
		/* per-branch attributes, indexed like registrar's lookup() */
		if(b->attrs) {
			if(xavp_insert(b->attrs, idx, NULL) < 0) {
				LM_ERR("cannot attach the attributes of <%.*s>\n", b->c.len,
						b->c.s);
				return -1;
			}
			b->attrs = NULL;
		}
	}
	update_stat(push_st_branches, branches);
	return 0;
}

int push_lookup(sip_msg_t *msg, udomain_t *d)
{
	char aor_buf[MAX_URI_SIZE];
	sip_uri_t puri;
	lookup_set_t set;
	str aor, gr, *grp = NULL;
	size_t n_used = 0;
	int nt, outcome, rc;

	push_reason.len = 0;
	if(request_aor(msg, aor_buf, sizeof(aor_buf), &aor, &puri) < 0)
		return PUSH_LOOKUP_ERROR;
	if(puri.gr.s != NULL && puri.gr_val.len > 0) {
		/* public GRUU (RFC 5627): only that device */
		gr = puri.gr_val;
		grp = &gr;
	}

	rc = read_prefs(msg);
	if(rc == -1) {
		update_stat(push_st_malformed, 1);
		return PUSH_LOOKUP_MALFORMED;
	}
	if(rc < 0)
		return PUSH_LOOKUP_ERROR;

	if(read_bindings(d, &aor, grp, &set) < 0)
		return PUSH_LOOKUP_ERROR;
	if(set.n == 0) {
		update_stat(push_st_no_contacts, 1);
		return PUSH_LOOKUP_NO_CONTACTS;
	}

	nt = build_targets(&set);
	outcome = cp_evaluate(push_prefs, set.targets, nt, set.results, set.order,
			&n_used);
	switch(outcome) {
		case CP_OUT_MATCHED:
		case CP_OUT_REVERTED:
			rc = build_dset(msg, &set, n_used) < 0 ? PUSH_LOOKUP_ERROR
												  : PUSH_LOOKUP_OK;
			if(rc == PUSH_LOOKUP_OK)
				update_stat(push_st_routed, 1);
			break;
		case CP_OUT_NONE:
			update_stat(push_st_no_match, 1);
			rc = PUSH_LOOKUP_NO_MATCH;
			break;
		default:
			update_stat(push_st_no_contacts, 1);
			rc = PUSH_LOOKUP_NO_CONTACTS;
			break;
	}
	free_set(&set);
	return rc;
}
