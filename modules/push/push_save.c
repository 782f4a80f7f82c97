/*
 * push module - REGISTER: save bindings with their feature sets
 *
 * usrloc does not keep Contact header parameters. Before handing the
 * REGISTER to registrar, every Contact's feature parameters are parsed and
 * added, keyed per Contact, to the attributes usrloc stores with each
 * binding (push_attrs.h). This runs on every REGISTER, refreshes included:
 * usrloc replaces a binding's attributes with those of the REGISTER that
 * updates it, so a refresh with other tags, or none, takes effect.
 */

#include <stdio.h>

#include "core/dprint.h"
#include "core/parser/contact/parse_contact.h"
#include "core/trim.h"
#include "core/ut.h"

#include "cpref.h"
#include "push_attrs.h"
#include "push_lookup.h"
#include "push_save.h"
#include "push_stats.h"

/* registrar's REG_SAVE_NORPL_FL: the script sends the reply itself */
#define PUSH_SAVE_NORPL_FL (1 << 1)

registrar_api_t push_regapi;
sl_api_t push_slb;

/* The text after a Contact's URI: its header parameters. */
static void contact_params(contact_t *c, str *params)
{
	char *end = c->name.s + c->len;
	char *p = c->uri.s + c->uri.len;

	if(p < end && *p == '>')
		p++;
	params->s = p;
	params->len = (int)(end - p);
	trim(params);
}

static int reject(sip_msg_t *msg, int flags, contact_t *c, cp_diag_t *diag)
{
	char reason[128];
	str rs;

	LM_ERR("REGISTER Contact <%.*s>: malformed feature parameter: %s\n",
			c->uri.len, c->uri.s, diag->reason);
	if(flags & PUSH_SAVE_NORPL_FL)
		return -1;
	rs.len = snprintf(reason, sizeof(reason), "Bad Contact feature parameter: %s",
			diag->reason);
	if(rs.len < 0 || rs.len >= (int)sizeof(reason))
		rs.len = sizeof(reason) - 1;
	rs.s = reason;
	if(push_slb.freply(msg, 400, &rs) < 0)
		LM_ERR("cannot send the 400 reply\n");
	return -1;
}

/* 1 when the Contact asks to remove its binding (expires 0). */
static int removes_binding(sip_msg_t *msg, contact_t *c)
{
	str e = c->expires ? c->expires->body
					   : (msg->expires ? msg->expires->body : (str){0, 0});
	unsigned int v;

	trim(&e);
	return e.len > 0 && str2int(&e, &v) == 0 && v == 0;
}

/* Check every Contact first, then store: a REGISTER with one bad Contact
 * stores nothing. */
static int add_feature_sets(sip_msg_t *msg, int flags, int *tagged)
{
	char enc[CP_FSET_MAX];
	size_t enc_len;
	cp_diag_t diag;
	hdr_field_t *hf;
	contact_t *c;
	str params, fset;
	int pass, rc;

	for(pass = 0; pass < 2; pass++) {
		for(hf = msg->contact; hf; hf = next_sibling_hdr(hf)) {
			if(hf->parsed == NULL)
				continue;
			for(c = ((contact_body_t *)hf->parsed)->contacts; c; c = c->next) {
				contact_params(c, &params);
				rc = cp_fset_encode(params.s, params.len, &push_limits,
						enc, sizeof(enc), &enc_len, &diag);
				if(rc < 0)
					return reject(msg, flags, c, &diag);
				if(pass == 0 || rc == 0)
					continue;
				fset.s = enc;
				fset.len = (int)enc_len;
				rc = push_attr_add(&c->uri,
						c->instance ? &c->instance->body : NULL, &fset);
				if(rc < 0)
					return -1;
				if(rc > 0)
					LM_WARN("Contact <%.*s> repeats another Contact of this"
							" REGISTER; its feature tags are not stored\n",
							c->uri.len, c->uri.s);
				else if(!removes_binding(msg, c))
					(*tagged)++;
			}
		}
	}
	return 0;
}

int push_save(sip_msg_t *msg, str *table, int flags)
{
	int tagged = 0;
	int ret;

	if(parse_contact_headers(msg) < 0) {
		/* registrar answers a Contact it cannot parse */
		return push_regapi.save(msg, table, flags);
	}
	if(add_feature_sets(msg, flags, &tagged) < 0)
		return -1;
	ret = push_regapi.save(msg, table, flags);
	if(ret > 0 && tagged > 0)
		update_stat(push_st_registrations_tagged, tagged);
	return ret;
}
