/*
 * push module - OMA "Push using SIP" for Kamailio
 *
 * Module exports, parameters and initialisation. The RFC 3840/3841 engine
 * (cpref.h) is plain C; the files named push_*.c bind it to Kamailio.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <string.h>

#include "core/dprint.h"
#include "core/kemi.h"
#include "core/mod_fix.h"
#include "core/pvar.h"
#include "core/sr_module.h"
#include "core/ut.h"
#include "modules/usrloc/ul_callback.h"

#include "push_attrs.h"
#include "push_cluster.h"
#include "push_delivery.h"
#include "push_framing.h"
#include "push_identity.h"
#include "push_lookup.h"
#include "push_pap.h"
#include "push_pap_conf.h"
#include "push_pap_send.h"
#include "push_pap_store.h"
#include "push_hold.h"
#include "push_rpc.h"
#include "push_save.h"
#include "push_stamp.h"
#include "push_stats.h"
#include "push_sweep.h"
#include "push_version.h"

MODULE_VERSION

str push_feature_tag = str_init("+g.oma.pusheventapp");
int push_stamp_require = 1;
int push_stamp_explicit = 1;
static str push_unknown_tags = str_init("exclude");

/* A usrloc table named in the script, resolved once at startup. */
typedef struct push_table
{
	str name; /* NUL-terminated */
	udomain_t *d;
} push_table_t;

static int mod_init(void);
static int child_init(int rank);
static int w_push_stamp(sip_msg_t *msg, char *app_id, char *unused);
static int w_push_save(sip_msg_t *msg, char *table, char *flags);
static int w_push_lookup(sip_msg_t *msg, char *table, char *unused);
static int w_push_assert_identity(sip_msg_t *msg, char *ids, char *unused);
static int w_push_apply_privacy(sip_msg_t *msg, char *p1, char *p2);
static int w_push_verify_identity(sip_msg_t *msg, char *p1, char *p2);
static int w_push_check_framing(sip_msg_t *msg, char *p1, char *p2);
static int w_push_pap_request(sip_msg_t *msg, char *p1, char *p2);
static int w_push_hold(sip_msg_t *msg, char *expires, char *p2);
static int fixup_push_save(void **param, int param_no);
static int fixup_push_lookup(void **param, int param_no);
static int fixup_push_assert_identity(void **param, int param_no);
static int fixup_free_push_assert_identity(void **param, int param_no);
static int pv_get_push(sip_msg_t *msg, pv_param_t *param, pv_value_t *res);
static int pv_parse_push_name(pv_spec_t *sp, str *in);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"push_stamp", (cmd_function)w_push_stamp, 1, fixup_spve_null,
		fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE},
	{"push_save", (cmd_function)w_push_save, 1, fixup_push_save, 0,
		REQUEST_ROUTE},
	{"push_save", (cmd_function)w_push_save, 2, fixup_push_save, 0,
		REQUEST_ROUTE},
	{"push_lookup", (cmd_function)w_push_lookup, 1, fixup_push_lookup, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{"push_assert_identity", (cmd_function)w_push_assert_identity, 1,
		fixup_push_assert_identity, fixup_free_push_assert_identity,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{"push_apply_privacy", (cmd_function)w_push_apply_privacy, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE},
	{"push_verify_identity", (cmd_function)w_push_verify_identity, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{"push_check_framing", (cmd_function)w_push_check_framing, 0, 0, 0,
		REQUEST_ROUTE},
	{"push_pap_request", (cmd_function)w_push_pap_request, 0, 0, 0,
		EVENT_ROUTE},
	{"push_hold", (cmd_function)w_push_hold, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{"push_hold", (cmd_function)w_push_hold, 1, fixup_igp_null,
		fixup_free_igp_null, REQUEST_ROUTE | FAILURE_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"feature_tag", PARAM_STR, &push_feature_tag},
	{"stamp_require", PARAM_INT, &push_stamp_require},
	{"stamp_explicit", PARAM_INT, &push_stamp_explicit},
	{"contact_xavp", PARAM_STR, &push_contact_xavp},
	{"strict_explicit", PARAM_INT, &push_strict_explicit},
	{"match_budget", PARAM_INT, &push_match_budget},
	{"qa_fork_classes", PARAM_INT, &push_qa_fork_classes},
	{"unknown_tags", PARAM_STR, &push_unknown_tags},
	{"trusted_net", PARAM_STRING | PARAM_USE_FUNC,
		(void *)push_trusted_net_param},
	{"trusted_flag", PARAM_INT, &push_trusted_flag},
	{"default_privacy", PARAM_STR, &push_default_privacy},
	{"rpc_table", PARAM_STR, &push_rpc_table},
	{"event_callback", PARAM_STR, &push_event_callback},
	{"db_url", PARAM_STR, &push_db_url},
	{"attrs_sweep_interval", PARAM_INT, &push_sweep_interval},
	{"attrs_sweep_rows", PARAM_INT, &push_sweep_rows},
	{"pap_initiator", PARAM_STRING | PARAM_USE_FUNC,
		(void *)pap_initiator_param},
	{"pap_app", PARAM_STRING | PARAM_USE_FUNC, (void *)pap_app_param},
	{"pap_domain", PARAM_STR, &pap_domain},
	{"pap_next_hop", PARAM_STR, &pap_next_hop},
	{"pap_sender_name", PARAM_STR, &pap_sender_name},
	{"pap_max_body", PARAM_INT, &pap_max_body},
	{"pap_push_id_ttl", PARAM_INT, &pap_push_id_ttl},
	{"pap_max_pushes", PARAM_INT, &pap_max_pushes},
	{"pap_notify_retries", PARAM_INT, &pap_notify_retries},
	{"pap_notify_retry_interval", PARAM_INT, &pap_notify_retry_interval},
	{"hold_table", PARAM_STR, &push_hold_table},
	{"hold_expires", PARAM_INT, &push_hold_expires},
	{"hold_max_expires", PARAM_INT, &push_hold_max_expires},
	{"hold_max_per_aor", PARAM_INT, &push_hold_max_per_aor},
	{"hold_max_rows", PARAM_INT, &push_hold_max_rows},
	{"hold_interval", PARAM_INT, &push_hold_interval},
	{"hold_rows", PARAM_INT, &push_hold_rows},
	{"hold_retry_interval", PARAM_INT, &push_hold_retry_interval},
	{0, 0, 0}
};

static pv_export_t mod_pvs[] = {
	{{"push", sizeof("push") - 1}, PVT_OTHER, pv_get_push, 0,
		pv_parse_push_name, 0, 0, 0},
	{{0, 0}, 0, 0, 0, 0, 0, 0, 0}
};

struct module_exports exports = {
	"push",          /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* cfg functions */
	params,          /* parameters */
	0,               /* RPC methods */
	mod_pvs,         /* pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module init function */
	child_init,      /* per-child init function */
	0                /* destroy function */
};
/* clang-format on */

/* The value of another module's string parameter, or NULL. */
static str *module_str_param(char *module, char *name)
{
	modparam_t type;

	return find_param_export(find_module_by_name(module), name, PARAM_STR, &type);
}

static int *module_int_param(char *module, char *name)
{
	modparam_t type;

	return find_param_export(find_module_by_name(module), name, PARAM_INT, &type);
}

/* The feature sets are stored as usrloc attributes, which only works when
 * usrloc stores the xavp this module fills. */
static int check_contact_xavp(void)
{
	str *ul_xavp = module_str_param("usrloc", "xavp_contact");
	str *tm_xavp;

	if(ul_xavp == NULL || ul_xavp->len != push_contact_xavp.len
			|| strncmp(ul_xavp->s, push_contact_xavp.s, ul_xavp->len) != 0) {
		LM_ERR("usrloc's xavp_contact is '%.*s' but push's contact_xavp is"
			   " '%.*s': set modparam(\"usrloc\", \"xavp_contact\", \"%.*s\")\n",
				ul_xavp ? ul_xavp->len : 0, ul_xavp ? ul_xavp->s : "",
				push_contact_xavp.len, push_contact_xavp.s,
				push_contact_xavp.len, push_contact_xavp.s);
		return -1;
	}
	tm_xavp = module_str_param("tm", "xavp_contact");
	if(tm_xavp == NULL || tm_xavp->len != push_contact_xavp.len
			|| strncmp(tm_xavp->s, push_contact_xavp.s, tm_xavp->len) != 0)
		LM_WARN("tm's xavp_contact is not '%.*s': t_next_contacts() will not"
				" carry the bindings' attributes to serial branches\n",
				push_contact_xavp.len, push_contact_xavp.s);
	return 0;
}

/* unknown_tags: what a binding without a stored feature set is. */
static int unknown_tags_init(void)
{
	if(push_unknown_tags.len == 7
			&& strncasecmp(push_unknown_tags.s, "exclude", 7) == 0) {
		push_unknown_immune = 0;
	} else if(push_unknown_tags.len == 6
			  && strncasecmp(push_unknown_tags.s, "immune", 6) == 0) {
		push_unknown_immune = 1;
	} else {
		LM_ERR("unknown_tags must be 'exclude' or 'immune', not '%.*s'\n",
				push_unknown_tags.len, push_unknown_tags.s);
		return -1;
	}
	return 0;
}

static int mod_init(void)
{
	bind_usrloc_t bind_usrloc;

	LM_INFO("push module %s\n", PUSH_MODULE_VERSION);
	if(push_stamp_init() < 0 || push_identity_init() < 0
			|| unknown_tags_init() < 0)
		return -1;
	bind_usrloc = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind_usrloc == NULL || bind_usrloc(&push_ul) < 0) {
		LM_ERR("cannot bind usrloc: load usrloc.so before push.so\n");
		return -1;
	}
	if(registrar_load_api(&push_regapi) < 0) {
		LM_ERR("cannot bind registrar: load registrar.so before push.so\n");
		return -1;
	}
	if(sl_load_api(&push_slb) < 0) {
		LM_ERR("cannot bind sl: load sl.so before push.so\n");
		return -1;
	}
	if(check_contact_xavp() < 0)
		return -1;
	if(push_ul.register_ulcb(UL_CONTACT_INSERT | UL_CONTACT_UPDATE,
			   push_save_stored, NULL)
			< 0) {
		LM_ERR("cannot register the usrloc callback\n");
		return -1;
	}
	if(push_cluster_init() < 0)
		return -1;
	push_reg_case_sensitive = module_int_param("registrar", "case_sensitive");
	push_reg_path_check_local =
			module_int_param("registrar", "path_check_local");
	if(push_bindings_init() < 0 || push_lookup_init() < 0 || push_rpc_init() < 0
			|| push_delivery_init() < 0)
		return -1;
	if(register_module_stats(exports.name, push_stats) != 0) {
		LM_ERR("cannot register the statistics\n");
		return -1;
	}
	if(push_sweep_init() < 0 || push_sweep_add_table(&push_rpc_table) < 0
			|| push_hold_init() < 0)
		return -1;
	return push_pap_init();
}

static int child_init(int rank)
{
	if(rank == PROC_MAIN)
		return push_sweep_start() < 0 || push_hold_start() < 0 ? -1 : 0;
	return 0;
}

/* ---- usrloc tables ------------------------------------------------------ */

static int fixup_push_table(void **param)
{
	push_table_t *t;
	char *name = (char *)*param;

	t = pkg_malloc(sizeof(*t));
	if(t == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	t->name.s = name;
	t->name.len = strlen(name);
	if(push_ul.register_udomain(name, &t->d) < 0
			|| push_sweep_add_table(&t->name) < 0) {
		LM_ERR("cannot register usrloc table '%s'\n", name);
		pkg_free(t);
		return -1;
	}
	push_hold_domain(t->d);
	*param = t;
	return 0;
}

/* The flags are registrar's save() flags, a number in decimal or 0x hex,
 * fixed in the script as registrar wants them. */
static int fixup_push_save(void **param, int param_no)
{
	unsigned int flags;
	str s;

	if(param_no == 1)
		return fixup_push_table(param);
	s.s = (char *)*param;
	s.len = strlen(s.s);
	if(strno2int(&s, &flags) < 0) {
		LM_ERR("push_save: flags '%s' are not a number\n", s.s);
		return -1;
	}
	*param = (void *)(unsigned long)flags;
	return 0;
}

static int fixup_push_lookup(void **param, int param_no)
{
	return fixup_push_table(param);
}

/* The identities of push_assert_identity(): parsed once here when they
 * are a constant (an error stops the startup), else at every call. */
typedef struct assert_param
{
	gparam_t *text;
	push_identities_t *ids; /* NULL: the text has variables */
} assert_param_t;

static int fixup_push_assert_identity(void **param, int param_no)
{
	assert_param_t *ap;

	if(fixup_spve_null(param, 1) < 0)
		return -1;
	ap = pkg_malloc(sizeof(*ap) + sizeof(push_identities_t));
	if(ap == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	ap->text = *param;
	ap->ids = NULL;
	if(ap->text->type == GPARAM_TYPE_STR) {
		ap->ids = (push_identities_t *)(ap + 1);
		if(push_identities_parse(&ap->text->v.str, ap->ids) < 0) {
			pkg_free(ap);
			return -1;
		}
	}
	*param = ap;
	return 0;
}

static int fixup_free_push_assert_identity(void **param, int param_no)
{
	assert_param_t *ap = *param;

	*param = ap->text;
	pkg_free(ap);
	return fixup_free_spve_null(param, 1);
}

/* A table named at runtime (KEMI): it must be registered already, by a
 * script function or usrloc's preload parameter. */
static int runtime_table(str *name, push_table_t *t)
{
	static char buf[128];

	if(name == NULL || name->len <= 0 || name->len >= (int)sizeof(buf)) {
		LM_ERR("invalid usrloc table name\n");
		return -1;
	}
	memcpy(buf, name->s, name->len);
	buf[name->len] = '\0';
	t->name.s = buf;
	t->name.len = name->len;
	if(push_ul.get_udomain(buf, &t->d) < 0) {
		LM_ERR("usrloc table '%s' not found (add it to usrloc's preload)\n",
				buf);
		return -1;
	}
	push_hold_domain(t->d);
	return 0;
}

/* ---- functions ---------------------------------------------------------- */

/* Call f with the string value of the script parameter param. */
static int with_svalue(sip_msg_t *msg, char *param,
		int (*f)(sip_msg_t *, str *), const char *what)
{
	str s;

	if(fixup_get_svalue(msg, (gparam_t *)param, &s) < 0) {
		LM_ERR("cannot evaluate %s\n", what);
		return -1;
	}
	return f(msg, &s);
}

static int w_push_stamp(sip_msg_t *msg, char *app_id, char *unused)
{
	return with_svalue(msg, app_id, push_stamp, "the push_stamp() app id");
}

static int ki_push_save(sip_msg_t *msg, str *table, int flags)
{
	push_table_t t;

	if(runtime_table(table, &t) < 0)
		return -1;
	return push_save(msg, &t.name, t.d, flags);
}

static int w_push_save(sip_msg_t *msg, char *table, char *flags)
{
	push_table_t *t = (push_table_t *)table;

	return push_save(msg, &t->name, t->d, (int)(unsigned long)flags);
}

static int ki_push_lookup(sip_msg_t *msg, str *table)
{
	push_table_t t;

	if(runtime_table(table, &t) < 0)
		return PUSH_LOOKUP_ERROR;
	return push_lookup(msg, t.d);
}

static int w_push_lookup(sip_msg_t *msg, char *table, char *unused)
{
	return push_lookup(msg, ((push_table_t *)table)->d);
}

static int w_push_assert_identity(sip_msg_t *msg, char *ids, char *unused)
{
	assert_param_t *ap = (assert_param_t *)ids;

	if(ap->ids)
		return push_assert_identities(msg, ap->ids);
	return with_svalue(msg, (char *)ap->text, push_assert_identity,
			"the push_assert_identity() identities");
}

static int w_push_apply_privacy(sip_msg_t *msg, char *p1, char *p2)
{
	return push_apply_privacy(msg);
}

static int w_push_verify_identity(sip_msg_t *msg, char *p1, char *p2)
{
	return push_verify_identity(msg);
}

static int w_push_check_framing(sip_msg_t *msg, char *p1, char *p2)
{
	return push_check_framing(msg);
}

static int w_push_pap_request(sip_msg_t *msg, char *p1, char *p2)
{
	return push_pap_request(msg);
}

static int w_push_hold(sip_msg_t *msg, char *expires, char *p2)
{
	int e = -1;

	if(expires && fixup_get_ivalue(msg, (gparam_t *)expires, &e) < 0) {
		LM_ERR("push_hold(): the expires argument is not a number\n");
		return PUSH_HOLD_ERROR;
	}
	if(expires && e < 0) {
		LM_ERR("push_hold(): expires %d is negative\n", e);
		return PUSH_HOLD_ERROR;
	}
	return push_hold(msg, e);
}

static int ki_push_hold(sip_msg_t *msg)
{
	return push_hold(msg, -1);
}

static int ki_push_hold_expires(sip_msg_t *msg, int expires)
{
	if(expires < 0) {
		LM_ERR("KSR.push.hold_expires(): expires %d is negative\n", expires);
		return PUSH_HOLD_ERROR;
	}
	return push_hold(msg, expires);
}

/* ---- $push(name) -------------------------------------------------------- */

#define PV_PUSH_REASON 1
#define PV_PUSH_HELD 100 /* + the hold's own ids */

static int pv_parse_push_name(pv_spec_t *sp, str *in)
{
	int id;

	sp->pvp.pvn.type = PV_NAME_INTSTR;
	sp->pvp.pvn.u.isname.type = 0;
	if(in->len == 6 && strncmp(in->s, "reason", 6) == 0) {
		sp->pvp.pvn.u.isname.name.n = PV_PUSH_REASON;
		return 0;
	}
	if(push_hold_pv_name(in, &id) == 0) {
		sp->pvp.pvn.u.isname.name.n = PV_PUSH_HELD + id;
		return 0;
	}
	LM_ERR("unknown $push(%.*s)\n", in->len, in->s);
	return -1;
}

static int pv_get_push(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	int id = param->pvn.u.isname.name.n;

	if(id > PV_PUSH_HELD)
		return push_hold_pv_get(msg, param, res, id - PV_PUSH_HELD);
	if(id == PV_PUSH_REASON && push_reason.len > 0)
		return pv_get_strval(msg, param, res, &push_reason);
	return pv_get_null(msg, param, res);
}

/* ---- KEMI --------------------------------------------------------------- */

/* clang-format off */
static sr_kemi_t push_kemi_exports[] = {
	{ str_init("push"), str_init("stamp"),
		SR_KEMIP_INT, push_stamp,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("save"),
		SR_KEMIP_INT, ki_push_save,
		{ SR_KEMIP_STR, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("lookup"),
		SR_KEMIP_INT, ki_push_lookup,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("assert_identity"),
		SR_KEMIP_INT, push_assert_identity,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("apply_privacy"),
		SR_KEMIP_INT, push_apply_privacy,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("verify_identity"),
		SR_KEMIP_INT, push_verify_identity,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("check_framing"),
		SR_KEMIP_INT, push_check_framing,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("pap_request"),
		SR_KEMIP_INT, push_pap_request,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("hold"),
		SR_KEMIP_INT, ki_push_hold,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("push"), str_init("hold_expires"),
		SR_KEMIP_INT, ki_push_hold_expires,
		{ SR_KEMIP_INT, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(push_kemi_exports);
	return 0;
}
