/*
 * push module - REGISTER: save bindings with their feature sets
 *
 * usrloc does not keep Contact header parameters. Every Contact's feature
 * parameters are parsed and checked before registrar sees the REGISTER;
 * then, while registrar's save() stores the bindings one by one in the
 * order of the Contacts, the request's contact xavp carries the feature
 * set of the Contact stored next (push_attrs.h): a usrloc callback, run
 * after each binding is stored, moves it on. A Contact without feature tags
 * gets the encoding of none (CP_FSET_NONE), so every binding push_save()
 * stored has a feature set and one without is known to be of another
 * writer. This runs on every REGISTER, refreshes included: usrloc replaces
 * a binding's attributes with those of the REGISTER that updates it when
 * the request carries the xavp (from 5.8 on only then), so a refresh with
 * other tags, or none, takes effect on every version.
 */

#include <stdio.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/parser/contact/parse_contact.h"
#include "core/parser/parse_to.h"
#include "core/trim.h"
#include "core/ut.h"

#include "lib/cpref.h"
#include "push_attrs.h"
#include "push_cluster.h"
#include "push_hold.h"
#include "push_lookup.h"
#include "push_save.h"
#include "push_stats.h"

/* registrar's REG_SAVE_NORPL_FL: the script sends the reply itself */
#define PUSH_SAVE_NORPL_FL (1 << 1)

registrar_api_t push_regapi;
sl_api_t push_slb;

/* One Contact of the REGISTER being saved, in message order. */
typedef struct saved_contact
{
	str uri;	  /* into the request */
	str instance; /* into the request; empty: none */
	str fset;	  /* its encoding, CP_FSET_NONE for no feature tags */
	int stored;	  /* registrar stores a binding for it (expires not 0) */
} saved_contact_t;

/* The Contacts of the REGISTER whose save() is running in this process,
 * and the one whose feature set the request's xavp carries. */
static struct
{
	saved_contact_t *c; /* NULL: no push_save() running */
	int n;
	int armed; /* index in c, n: none */
} saving;

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

/* Refuse the REGISTER for Contact c, whose feature parameters the engine
 * refused with rc: malformed, or too large to store. */
static int reject(
		sip_msg_t *msg, int flags, contact_t *c, int rc, cp_diag_t *diag)
{
	const char *what = rc == CP_ERR_SPACE ? "Contact feature parameters too"
											" large to store"
										  : "Bad Contact feature parameter";
	char reason[128];
	str rs;

	LM_ERR("REGISTER Contact <%.*s>: %s: %s\n", c->uri.len, c->uri.s, what,
			diag->reason);
	if(flags & PUSH_SAVE_NORPL_FL)
		return -1;
	rs.len = snprintf(reason, sizeof(reason), "%s: %s", what, diag->reason);
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

/* The Contacts of the request, counted. */
static int count_contacts(sip_msg_t *msg)
{
	hdr_field_t *hf;
	contact_t *c;
	int n = 0;

	for(hf = msg->contact; hf; hf = next_sibling_hdr(hf)) {
		if(hf->parsed == NULL)
			continue;
		for(c = ((contact_body_t *)hf->parsed)->contacts; c; c = c->next)
			n++;
	}
	return n;
}

/* Encode every Contact's feature set into saving (one block with room for
 * the largest encoding of each) before registrar sees any: a REGISTER with
 * one bad Contact stores nothing. Returns the number of Contacts with
 * feature tags that keep their binding, or -1 (a 400 was sent unless flags
 * say otherwise). */
static int encode_contacts(sip_msg_t *msg, int flags)
{
	char *arena;
	size_t enc_len;
	cp_diag_t diag;
	hdr_field_t *hf;
	contact_t *c;
	str params;
	int rc, n, tagged = 0;
	saved_contact_t *sc;

	n = count_contacts(msg);
	saving.c = pkg_malloc(n * (sizeof(saved_contact_t) + CP_FSET_MAX) + 1);
	if(saving.c == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	arena = (char *)(saving.c + n);
	saving.n = 0;
	for(hf = msg->contact; hf; hf = next_sibling_hdr(hf)) {
		if(hf->parsed == NULL)
			continue;
		for(c = ((contact_body_t *)hf->parsed)->contacts; c && saving.n < n;
				c = c->next) {
			contact_params(c, &params);
			rc = cp_fset_encode(params.s, params.len, &push_limits, arena,
					CP_FSET_MAX, &enc_len, &diag);
			if(rc < 0)
				return reject(msg, flags, c, rc, &diag);
			if(rc == 0) {
				/* stored too: a refresh without tags drops the old */
				memcpy(arena, CP_FSET_NONE, sizeof(CP_FSET_NONE) - 1);
				enc_len = sizeof(CP_FSET_NONE) - 1;
			}
			sc = &saving.c[saving.n++];
			sc->uri = c->uri;
			sc->instance.s = c->instance ? c->instance->body.s : NULL;
			sc->instance.len = c->instance ? c->instance->body.len : 0;
			sc->fset.s = arena;
			sc->fset.len = (int)enc_len;
			arena += enc_len;
			sc->stored = !removes_binding(msg, c);
			if(sc->stored && rc > 0)
				tagged++;
		}
	}
	return tagged;
}

/* Let the request's xavp carry the feature set of the first Contact from
 * index k on that registrar stores (none after the last). 0 or -1. */
static int arm_from(int k)
{
	static str none = {NULL, 0};
	saved_contact_t *sc;

	while(k < saving.n && !saving.c[k].stored)
		k++;
	saving.armed = k;
	if(k == saving.n)
		return push_attr_arm(&none, &none, &none);
	sc = &saving.c[k];
	return push_attr_arm(&sc->uri, &sc->instance, &sc->fset);
}

static int is_contact(saved_contact_t *sc, ucontact_t *c)
{
	return sc->uri.len == c->c.len && sc->instance.len == c->instance.len
		   && memcmp(sc->uri.s, c->c.s, c->c.len) == 0
		   && (c->instance.len == 0
				   || memcmp(sc->instance.s, c->instance.s, c->instance.len)
							  == 0);
}

/* The Contact of the running save() that binding c was stored for: looked
 * for from the armed one on, since registrar stores them in order (O(1)
 * when it stores the one expected), then from the start. -1 if none. */
static int saved_index(ucontact_t *c)
{
	int k;

	for(k = saving.armed; k < saving.n; k++) {
		if(is_contact(&saving.c[k], c))
			return k;
	}
	for(k = 0; k < saving.armed && k < saving.n; k++) {
		if(is_contact(&saving.c[k], c))
			return k;
	}
	return -1;
}

void push_save_stored(ucontact_t *c, int type, void *param)
{
	str fset;
	int k;

	push_attr_keep_own(c);
	if(saving.c == NULL || (k = saved_index(c)) < 0) {
		/* not from push_save(): a copy of another node's binding */
		push_cluster_apply(c);
		return;
	}
	if(!push_attr_find(c->xavp, &c->c, &c->instance, &fset)) {
		/* registrar stored a Contact other than the one expected: the
		 * binding gets its tags now, in memory (and in the database from
		 * db_mode 1 or 2; with db_mode 3 at its next refresh) */
		LM_NOTICE("binding <%.*s>: feature tags attached after storing\n",
				c->c.len, c->c.s);
		if(push_attr_attach(c, &saving.c[k].fset) < 0)
			LM_ERR("cannot attach the feature tags of <%.*s>\n", c->c.len,
					c->c.s);
	}
	push_cluster_stored(c, &saving.c[k].fset);
	if(arm_from(k + 1) < 0)
		LM_ERR("cannot set the feature tags of the next Contact\n");
}

/* push_hold_registered(): whether binding b is one this save() stored. */
static int saved_now(push_binding_t *b, void *arg)
{
	int k;

	for(k = 0; k < saving.n; k++) {
		saved_contact_t *sc = &saving.c[k];
		if(sc->stored && sc->uri.len == b->c.len
				&& memcmp(sc->uri.s, b->c.s, b->c.len) == 0
				&& sc->instance.len == b->instance.len
				&& (b->instance.len == 0
						|| memcmp(sc->instance.s, b->instance.s,
								   b->instance.len)
								   == 0))
			return 1;
	}
	return 0;
}

/* The held pushes of the REGISTER's AOR that its new bindings match. */
static void deliver_held(sip_msg_t *msg, udomain_t *d)
{
	char aor_buf[MAX_URI_SIZE];
	sip_uri_t puri;
	str aor;

	if(parse_to_header(msg) < 0 || get_to(msg) == NULL
			|| push_uri_aor(&get_to(msg)->uri, aor_buf, sizeof(aor_buf), &aor,
					   &puri)
					   < 0)
		return;
	push_hold_registered(d, &aor, saved_now, NULL);
}

int push_save(sip_msg_t *msg, str *table, udomain_t *d, int flags)
{
	int tagged, ret;

	if(parse_contact_headers(msg) < 0) {
		/* registrar answers a Contact it cannot parse */
		return push_regapi.save(msg, table, flags);
	}
	tagged = encode_contacts(msg, flags);
	if(tagged < 0 || arm_from(0) < 0) {
		ret = -1;
		goto done;
	}
	ret = push_regapi.save(msg, table, flags);
	push_cluster_flush();
	if(ret > 0 && tagged > 0)
		update_stat(push_st_registrations_tagged, tagged);
	if(ret > 0)
		deliver_held(msg, d);
done:
	if(saving.c)
		pkg_free(saving.c);
	saving.c = NULL;
	saving.n = 0;
	return ret;
}
