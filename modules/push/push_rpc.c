/*
 * push module - RPC commands: what a device registered, where a push would
 * go and why, the engine's limits
 */

#include <string.h>

#include "core/dprint.h"
#include "core/qvalue.h"
#include "core/rpc_lookup.h"
#include "core/ver.h"

#include "lib/cpref.h"
#include "push_bindings.h"
#include "push_lookup.h"
#include "push_pap.h"
#include "push_hold.h"
#include "push_rpc.h"
#include "push_version.h"

str push_rpc_table = str_init("location");

/* The usrloc table and the AOR an RPC names ("alice", or a SIP URI). */
static int rpc_aor(rpc_t *rpc, void *ctx, str *arg, char *buf, int size,
		str *aor, udomain_t **d)
{
	char table[128];
	sip_uri_t puri;

	if(push_rpc_table.len >= (int)sizeof(table)) {
		rpc->fault(ctx, 500, "Table name too long");
		return -1;
	}
	memcpy(table, push_rpc_table.s, push_rpc_table.len);
	table[push_rpc_table.len] = '\0';
	if(push_ul.get_udomain(table, d) < 0) {
		rpc->fault(ctx, 500, "Table not found");
		return -1;
	}
	if(memchr(arg->s, ':', arg->len) != NULL) {
		if(push_uri_aor(arg, buf, size, aor, &puri) < 0) {
			rpc->fault(ctx, 400, "Invalid AOR URI");
			return -1;
		}
		return 0;
	}
	if(arg->len > size) {
		rpc->fault(ctx, 400, "AOR too long");
		return -1;
	}
	memcpy(buf, arg->s, arg->len);
	aor->s = buf;
	aor->len = arg->len;
	push_aor_case(aor);
	return 0;
}

/* "0.5" for q 500; "1" for unspecified */
static double q_value(qvalue_t q)
{
	return q == Q_UNSPECIFIED ? 1.0 : q / 1000.0;
}

/* Add the binding's contact, q, expires-less identity and tags to st. */
static int add_binding(rpc_t *rpc, void *st, push_binding_t *b)
{
	char tags[CP_FSET_MAX * 4 + 3 * CP_MAX_VALUE_LEN];

	if(b->tags_unknown)
		strcpy(tags, "unknown");
	else if(b->fset.len == 0)
		tags[0] = '\0';
	else if(cp_fset_render(b->fset.s, b->fset.len, b->instance.s,
					b->instance.len, tags, sizeof(tags))
			< 0)
		strcpy(tags, "[invalid stored feature set]");
	return rpc->struct_add(st, "SfSSs", "contact", &b->c, "q",
			q_value(b->q), "instance", &b->instance, "ruid", &b->ruid,
			"tags", tags);
}

static const char *push_rpc_caps_doc[] = {
		"The bindings of an AOR with their registered feature tags.", 0};

static void push_rpc_caps(rpc_t *rpc, void *ctx)
{
	char aor_buf[MAX_URI_SIZE];
	push_bindings_t set;
	udomain_t *d;
	str arg, aor;
	void *th, *st;
	int i;

	if(rpc->scan(ctx, "S", &arg) != 1) {
		rpc->fault(ctx, 400, "AOR expected");
		return;
	}
	if(rpc_aor(rpc, ctx, &arg, aor_buf, sizeof(aor_buf), &aor, &d) < 0)
		return;
	if(push_bindings_read(d, &aor, NULL, &set) < 0) {
		rpc->fault(ctx, 500, "Cannot read the bindings");
		return;
	}
	if(set.n == 0) {
		rpc->fault(ctx, 404, "AOR not found");
		goto done;
	}
	if(rpc->add(ctx, "{", &th) < 0)
		goto done;
	rpc->struct_add(th, "Sd", "aor", &aor, "bindings", set.n);
	for(i = 0; i < set.n; i++) {
		if(rpc->struct_add(th, "{", "binding", &st) < 0
				|| add_binding(rpc, st, &set.b[i]) < 0
				|| rpc->struct_add(st, "d", "expires",
						   (int)(set.b[i].expires == 0
										 ? 0
										 : set.b[i].expires - time(NULL)))
						   < 0)
			break;
	}
done:
	push_bindings_free(&set);
}

/* An optional header argument: "" or "-" stands for none. */
static int present(str *s)
{
	return s->len > 0 && !(s->len == 1 && s->s[0] == '-');
}

static const char *outcome_name(int outcome)
{
	switch(outcome) {
		case CP_OUT_MATCHED:
			return "matched";
		case CP_OUT_REVERTED:
			return "reverted to all (implicit preferences matched none)";
		case CP_OUT_NONE:
			return "none eligible (480)";
		case CP_OUT_BUDGET:
			return "over match_budget (503)";
		default:
			return "no bindings (404)";
	}
}

static const char *push_rpc_match_doc[] = {
		"Dry run of push_lookup() on the current bindings of an AOR: "
		"push.match <aor> <accept-contact> [<reject-contact> "
		"[<request-disposition> [<method>]]]; '-' for an absent header.",
		0};

static void push_rpc_match(rpc_t *rpc, void *ctx)
{
	char aor_buf[MAX_URI_SIZE];
	str arg, ac, rc, rd, method;
	push_bindings_t set;
	cp_prefs_t *prefs;
	cp_diag_t diag;
	udomain_t *d;
	str aor;
	void *th, *st;
	int i, n;

	n = rpc->scan(ctx, "SS*SSS", &arg, &ac, &rc, &rd, &method);
	if(n < 2) {
		rpc->fault(ctx, 400, "AOR and Accept-Contact expected");
		return;
	}
	if(rpc_aor(rpc, ctx, &arg, aor_buf, sizeof(aor_buf), &aor, &d) < 0)
		return;
	/* the optional arguments that were not given are undefined */
	if(n < 3)
		rc.len = 0;
	if(n < 4)
		rd.len = 0;
	if(n < 5)
		method = (str)str_init("MESSAGE");

	prefs = push_prefs_scratch();
	cp_prefs_init(prefs, &push_limits, push_strict_explicit);
	cp_prefs_set_qa_fork_classes(prefs, push_qa_fork_classes);
	if((present(&ac) && cp_prefs_add_accept(prefs, ac.s, ac.len, &diag) < 0)
			|| (present(&rc)
					&& cp_prefs_add_reject(prefs, rc.s, rc.len, &diag) < 0)
			|| (present(&rd)
					&& cp_prefs_add_disposition(prefs, rd.s, rd.len, &diag) < 0)
			|| cp_prefs_set_request(prefs, method.s, method.len, NULL, 0,
					   &diag)
					   < 0) {
		rpc->fault(ctx, 400, (char *)diag.reason);
		return;
	}

	if(push_bindings_read(d, &aor, prefs, &set) < 0) {
		rpc->fault(ctx, 500, "Cannot read the bindings");
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0)
		goto done;
	rpc->struct_add(th, "Ssdd", "aor", &aor, "outcome",
			outcome_name(set.outcome), "targets", (int)set.n_used, "classes",
			set.n_used ? set.results[set.order[set.n_used - 1]].fork_class + 1
					   : 0);
	for(i = 0; i < set.nt; i++) {
		cp_result_t *r = &set.results[i];
		if(rpc->struct_add(th, "{", "binding", &st) < 0
				|| add_binding(rpc, st, &set.b[set.target_of[i]]) < 0
				|| rpc->struct_add(st, "sfdd", "verdict",
						   cp_verdict_name(r->verdict), "qa", r->qa,
						   "position", r->position, "fork_class",
						   r->fork_class)
						   < 0)
			goto done;
	}
	/* the bindings unknown_tags "exclude" kept from the evaluation */
	for(i = 0; i < set.n && !push_unknown_immune; i++) {
		if(!set.b[i].tags_unknown || set.b[i].superseded)
			continue;
		if(rpc->struct_add(th, "{", "binding", &st) < 0
				|| add_binding(rpc, st, &set.b[i]) < 0
				|| rpc->struct_add(st, "sfdd", "verdict", "unknown-tags", "qa",
						   0.0, "position", -1, "fork_class", -1)
						   < 0)
			break;
	}
done:
	push_bindings_free(&set);
}

static const char *push_rpc_limits_doc[] = {
		"The caller-preference engine's parsing limits and work budget.", 0};

static void push_rpc_limits(rpc_t *rpc, void *ctx)
{
	const cp_limits_t *l = &push_limits;
	void *th;

	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(th, "dddddddd", "values_per_header",
			(int)l->values_per_header, "params_per_value",
			(int)l->params_per_value, "tokens_per_list", (int)l->tokens_per_list,
			"value_len", (int)l->value_len, "predicates", (int)l->predicates,
			"targets", CP_MAX_TARGETS, "feature_set_bytes", CP_FSET_MAX,
			"match_budget", (int)l->work);
}

static const char *push_rpc_version_doc[] = {
		"The module's version and that of the Kamailio it runs in", 0};

static void push_rpc_version(rpc_t *rpc, void *ctx)
{
	void *th;

	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(th, "ss", "module", PUSH_MODULE_VERSION, "kamailio",
			ver_version);
}

/* clang-format off */
static rpc_export_t push_rpc_cmds[] = {
	{"push.version", push_rpc_version, push_rpc_version_doc, 0},
	{"push.caps", push_rpc_caps, push_rpc_caps_doc, RET_ARRAY},
	{"push.match", push_rpc_match, push_rpc_match_doc, 0},
	{"push.limits", push_rpc_limits, push_rpc_limits_doc, 0},
	{"push.held", push_hold_rpc_list, push_hold_rpc_list_doc, RET_ARRAY},
	{"push.held_drop", push_hold_rpc_drop, push_hold_rpc_drop_doc, 0},
	{"push.pap_status", push_pap_rpc_status, push_pap_rpc_status_doc,
		RET_ARRAY},
	{0, 0, 0, 0}
};
/* clang-format on */

int push_rpc_init(void)
{
	if(rpc_register_array(push_rpc_cmds) != 0) {
		LM_ERR("cannot register the RPC commands\n");
		return -1;
	}
	return 0;
}
