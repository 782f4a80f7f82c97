/*
 * push module - route a request to the registered contacts that match its
 * caller preferences (RFC 3841)
 *
 * The engine (cpref.h) filters and orders the AOR's bindings with the
 * request's Accept-Contact, Reject-Contact and Request-Disposition, those
 * added earlier in this request included, while usrloc's lock is held, on
 * the feature sets where usrloc keeps them; only the targets it keeps are
 * copied out. They become the destination set the way registrar's
 * lookup() builds it, with q values rewritten so that tm forks the
 * engine's classes in order.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/dprint.h"
#include "core/dset.h"
#include "core/flags.h"
#include "core/forward.h"
#include "core/globals.h"
#include "core/mem/mem.h"
#include "core/parser/parse_rr.h"
#include "core/parser/parse_uri.h"
#include "core/qvalue.h"
#include "core/resolve.h"
#include "core/trim.h"
#include "core/ut.h"

#include "lib/cpref.h"
#include "push_bindings.h"
#include "push_delivery.h"
#include "push_hdr.h"
#include "push_lookup.h"
#include "push_stats.h"

int push_strict_explicit = 0;
int push_match_budget = (int)CP_WORK_DEFAULT;
int push_qa_fork_classes = 0;
int *push_reg_path_check_local;

cp_prefs_t *push_prefs;
cp_limits_t push_limits;

/* push_reason's text. */
static char reason_buf[160];
str push_reason = {reason_buf, 0};

int push_lookup_init(void)
{
	push_limits = cp_limits_default;
	push_limits.work = (unsigned long)push_match_budget;
	if(push_match_budget < 1 || cp_limits_check(&push_limits) < 0) {
		LM_ERR("match_budget must be between 1 and %lu, not %d\n",
				CP_MAX_WORK, push_match_budget);
		return -1;
	}
	push_prefs = pkg_malloc(cp_prefs_size());
	if(push_prefs == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	return 0;
}

void push_set_reason(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(reason_buf, sizeof(reason_buf), fmt, ap);
	va_end(ap);

	if(n < 0)
		n = 0;
	push_reason.len = n < (int)sizeof(reason_buf) ? n : (int)sizeof(reason_buf) - 1;
}

/* The caller-preference headers push_lookup() reads. */
#define PREF_HEADERS                                         \
	(HDR_T2F(HDR_ACCEPTCONTACT_T) | HDR_T2F(HDR_REJECTCONTACT_T) \
			| HDR_T2F(HDR_REQUESTDISPOSITION_T))

/* Add one caller-preference header to push_prefs; -2 when malformed
 * (push_reason says why). */
static int add_pref_header(enum _hdr_types_t htype, str *body, void *arg)
{
	int (*add)(cp_prefs_t *, const char *, size_t, cp_diag_t *);
	const char *name;
	cp_diag_t diag;

	switch(htype) {
		case HDR_ACCEPTCONTACT_T:
			add = cp_prefs_add_accept;
			name = "Accept-Contact";
			break;
		case HDR_REJECTCONTACT_T:
			add = cp_prefs_add_reject;
			name = "Reject-Contact";
			break;
		default:
			add = cp_prefs_add_disposition;
			name = "Request-Disposition";
			break;
	}
	if(add(push_prefs, body->s, body->len, &diag) < 0) {
		push_set_reason("Bad %s: %s", name, diag.reason);
		LM_NOTICE("malformed %s [%.*s]: %s\n", name, body->len, body->s,
				diag.reason);
		return -2;
	}
	return 0;
}

/*
 * What the caller preferences of a request are read from, as one text:
 * the method, the event package, then each caller-preference header as its
 * type, its length and its body. Pushes of one application carry the same
 * headers request after request, so when the text equals the one push_prefs
 * was read from, push_prefs is used again as it is. Requests whose text
 * does not fit are read without this shortcut.
 */
#define PREFS_KEY_MAX 4096

typedef struct prefs_key
{
	char text[PREFS_KEY_MAX];
	int len;
	int overflow;
} prefs_key_t;

/* two keys: the one push_prefs was read from, and the one being built */
static prefs_key_t prefs_keys[2];
static prefs_key_t *prefs_read_from; /* NULL: push_prefs is scratch */

cp_prefs_t *push_prefs_scratch(void)
{
	prefs_read_from = NULL;
	return push_prefs;
}

static void key_put(prefs_key_t *k, int type, str *s)
{
	if(k->overflow
			|| k->len + 2 * sizeof(int) + s->len > sizeof(k->text)) {
		k->overflow = 1;
		return;
	}
	memcpy(k->text + k->len, &type, sizeof(int));
	memcpy(k->text + k->len + sizeof(int), &s->len, sizeof(int));
	k->len += 2 * sizeof(int);
	memcpy(k->text + k->len, s->s, s->len);
	k->len += s->len;
}

static int key_put_header(enum _hdr_types_t htype, str *body, void *arg)
{
	key_put(arg, htype, body);
	return 0;
}

/* Parse the headers kept in k after its first `from` bytes. */
static int key_parse(prefs_key_t *k, int from)
{
	int pos = from, type, rc;
	str body;

	while(pos < k->len) {
		memcpy(&type, k->text + pos, sizeof(int));
		memcpy(&body.len, k->text + pos + sizeof(int), sizeof(int));
		body.s = k->text + pos + 2 * sizeof(int);
		pos += 2 * sizeof(int) + body.len;
		if((rc = add_pref_header(type, &body, NULL)) < 0)
			return rc;
	}
	return 0;
}

static int same_key(prefs_key_t *a, prefs_key_t *b)
{
	return a && b && !a->overflow && !b->overflow && a->len == b->len
		   && memcmp(a->text, b->text, a->len) == 0;
}

int push_read_prefs(sip_msg_t *msg)
{
	prefs_key_t *k =
			prefs_read_from == &prefs_keys[0] ? &prefs_keys[1] : &prefs_keys[0];
	cp_diag_t diag;
	str method, event = {"", 0};
	int i, start, rc;

	method = msg->first_line.u.request.method;
	if(msg->first_line.u.request.method_value == METHOD_SUBSCRIBE
			&& msg->event) {
		/* the package, without its parameters */
		event = msg->event->body;
		for(i = 0; i < event.len && event.s[i] != ';'; i++)
			;
		event.len = i;
		trim(&event);
	}
	k->len = 0;
	k->overflow = 0;
	key_put(k, 0, &method);
	key_put(k, 0, &event);
	start = k->len;
	if(push_hdr_walk(msg, PREF_HEADERS, key_put_header, k) < 0)
		return -2;
	if(same_key(k, prefs_read_from))
		return 0;

	prefs_read_from = NULL;
	cp_prefs_init(push_prefs, &push_limits, push_strict_explicit);
	cp_prefs_set_qa_fork_classes(push_prefs, push_qa_fork_classes);
	if(k->overflow)
		rc = push_hdr_walk(msg, PREF_HEADERS, add_pref_header, NULL);
	else
		rc = key_parse(k, start);
	if(rc == -2)
		return -1;
	if(rc < 0)
		return -2;
	if(cp_prefs_set_request(push_prefs, method.s, method.len, event.s, event.len,
			   &diag)
			< 0) {
		push_set_reason("Bad %s: %s", "Event", diag.reason);
		return -1;
	}
	prefs_read_from = k;
	return 0;
}

int push_path_first_hop(push_binding_t *b, str *path, str *dst)
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
static int set_ruri_target(sip_msg_t *msg, push_binding_t *b, qvalue_t q)
{
	str path, dst;
	flag_t bflags = 0;

	if(rewrite_uri(msg, &b->c) < 0) {
		LM_ERR("cannot rewrite the Request-URI\n");
		return -1;
	}
	reset_dst_uri(msg);
	if(push_path_first_hop(b, &path, &dst) < 0)
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

static int push_branch(sip_msg_t *msg, push_binding_t *b, qvalue_t q)
{
	str path, dst;
	branch_t *br;

	if(push_path_first_hop(b, &path, &dst) < 0)
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

/* The selected bindings, in order, as the Request-URI and branches. */
static int build_dset(sip_msg_t *msg, push_bindings_t *set)
{
	int k, branches = 0;

	for(k = 0; k < set->n; k++) {
		push_binding_t *b = &set->b[k];
		qvalue_t q = class_q(b->fork_class);
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
	push_bindings_t set;
	str aor, gr, *grp = NULL;
	int rc;

	push_reason.len = 0;
	if(parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cannot parse the Request-URI\n");
		return PUSH_LOOKUP_ERROR;
	}
	if(push_parsed_aor(&msg->parsed_uri, aor_buf, sizeof(aor_buf), &aor) < 0)
		return PUSH_LOOKUP_ERROR;
	if(msg->parsed_uri.gr.s != NULL && msg->parsed_uri.gr_val.len > 0) {
		/* public GRUU (RFC 5627): only that device */
		gr = msg->parsed_uri.gr_val;
		grp = &gr;
	}

	rc = push_read_prefs(msg);
	if(rc == -1) {
		update_stat(push_st_malformed, 1);
		return PUSH_LOOKUP_MALFORMED;
	}
	if(rc < 0)
		return PUSH_LOOKUP_ERROR;

	/* the Request-URI and the branches tm forks (max_branches) */
	if(push_bindings_select(d, &aor, grp, push_prefs,
			   (int)sr_dst_max_branches - nr_branches, &set)
			< 0)
		return PUSH_LOOKUP_ERROR;
	if(set.unknown > 0)
		update_stat(push_st_tags_unknown, set.unknown);
	switch(set.outcome) {
		case CP_OUT_MATCHED:
		case CP_OUT_REVERTED:
			if(set.dropped > 0) {
				LM_NOTICE("push to %.*s: %d of %d matching bindings dropped,"
						  " beyond the %d branches a request forks to"
						  " (max_branches)\n",
						aor.len, aor.s, (int)set.dropped,
						(int)(set.dropped + set.n_used), (int)set.n_used);
				update_stat(push_st_branches_dropped, set.dropped);
			}
			rc = build_dset(msg, &set) < 0 ? PUSH_LOOKUP_ERROR : PUSH_LOOKUP_OK;
			if(rc == PUSH_LOOKUP_OK) {
				update_stat(push_st_routed, 1);
				push_delivery_watch(msg);
			}
			break;
		case CP_OUT_BUDGET:
			LM_WARN("push to %.*s: matching its caller preferences against"
					" the bindings exceeds match_budget (%d): refused\n",
					aor.len, aor.s, push_match_budget);
			push_set_reason("Caller preferences too costly");
			update_stat(push_st_budget_exceeded, 1);
			rc = PUSH_LOOKUP_OVER_BUDGET;
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
	push_bindings_free(&set);
	return rc;
}
