/*
 * push module - who may submit PAP pushes, and to which applications
 *
 * The trusted-push policy: each Push Initiator authenticates with HTTP
 * Basic credentials, optionally only from one network, and may push to
 * the applications listed for it, under the identity configured for it.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <string.h>

#include "core/dprint.h"
#include "core/mem/pkg.h"
#include "core/parser/parse_uri.h"

#include "lib/cpref.h"
#include "lib/pap.h"
#include "push_pap_conf.h"

#define PAP_MAX_CREDENTIAL 128
#define PAP_MAX_APP_ID 128

/* pap_app: an application id (canonical, pap_app_canon()) and its tag */
typedef struct pap_app
{
	char id[PAP_MAX_APP_ID];
	char tag[PAP_MAX_APP_ID];
	struct pap_app *next;
} pap_app_t;

static pap_initiator_t *initiators;
static int n_initiators;
static pap_app_t *apps;

int pap_enabled(void)
{
	return initiators != NULL;
}

/* The next "key=value" of a ';'-separated text at *p. */
static int next_pair(char **p, str *key, str *value)
{
	char *s = *p, *end, *eq;

	while(*s == ';' || *s == ' ')
		s++;
	if(*s == '\0')
		return 0;
	end = strchr(s, ';');
	if(end == NULL)
		end = s + strlen(s);
	eq = memchr(s, '=', end - s);
	if(eq == NULL)
		return -1;
	key->s = s;
	key->len = eq - s;
	value->s = eq + 1;
	value->len = end - eq - 1;
	*p = end;
	return 1;
}

static int is_key(str *key, const char *name)
{
	return key->len == (int)strlen(name)
		   && strncasecmp(key->s, name, key->len) == 0;
}

static int parse_apps(pap_initiator_t *ini, str *v)
{
	char *s = v->s, *end = v->s + v->len, *comma;

	while(s < end) {
		comma = memchr(s, ',', end - s);
		if(comma == NULL)
			comma = end;
		if(ini->n_apps == PAP_MAX_APPS || comma == s
				|| !cp_is_token_list(s, comma - s))
			return -1;
		ini->apps[ini->n_apps].s = s;
		ini->apps[ini->n_apps].len = comma - s;
		ini->n_apps++;
		s = comma + 1;
	}
	return ini->n_apps > 0 ? 0 : -1;
}

static int valid_identity(str *id)
{
	sip_uri_t uri;

	return id->len > 0 && parse_uri(id->s, id->len, &uri) == 0
		   && (uri.type == SIP_URI_T || uri.type == SIPS_URI_T
				   || uri.type == TEL_URI_T)
		   && memchr(id->s, '>', id->len) == NULL;
}

int pap_initiator_param(modparam_t type, void *val)
{
	pap_initiator_t *ini, **tail;
	char *text, *p;
	str key, v;
	int rc;

	text = pkg_malloc(strlen((char *)val) + 1);
	ini = pkg_malloc(sizeof(*ini));
	if(text == NULL || ini == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	strcpy(text, (char *)val);
	memset(ini, 0, sizeof(*ini));
	p = text;
	while((rc = next_pair(&p, &key, &v)) > 0) {
		if(*p == ';')
			*p++ = '\0'; /* values are NUL-terminated */
		if(is_key(&key, "name")) {
			ini->name = v;
		} else if(is_key(&key, "password")) {
			ini->password = v;
		} else if(is_key(&key, "identity")) {
			ini->identity = v;
		} else if(is_key(&key, "apps")) {
			if(parse_apps(ini, &v) < 0) {
				LM_ERR("pap_initiator: apps must be 1 to %d feature tag"
					   " values (tokens) separated by commas\n",
						PAP_MAX_APPS);
				return -1;
			}
		} else if(is_key(&key, "net")) {
			if(mk_net_str(&ini->net, &v) < 0) {
				LM_ERR("pap_initiator: net '%.*s' is not an address or"
					   " CIDR network\n",
						v.len, v.s);
				return -1;
			}
			ini->has_net = 1;
		} else {
			LM_ERR("pap_initiator: unknown key '%.*s'\n", key.len, key.s);
			return -1;
		}
	}
	if(rc < 0 || ini->name.len <= 0 || ini->name.len > PAP_MAX_CREDENTIAL
			|| memchr(ini->name.s, ':', ini->name.len) != NULL
			|| ini->password.len <= 0
			|| ini->password.len > PAP_MAX_CREDENTIAL
			|| !valid_identity(&ini->identity) || ini->n_apps == 0) {
		LM_ERR("pap_initiator '%s' must be name=<user, no colon>;password="
			   "<secret>;identity=<sip, sips or tel URI>;apps=<tag>[,<tag>]"
			   "[;net=<CIDR>] (name and password up to %d characters)\n",
				ini->name.len > 0 ? ini->name.s : "",
				PAP_MAX_CREDENTIAL);
		return -1;
	}
	for(tail = &initiators; *tail; tail = &(*tail)->next) {
		if((*tail)->name.len == ini->name.len
				&& memcmp((*tail)->name.s, ini->name.s, ini->name.len) == 0) {
			LM_ERR("pap_initiator '%s' is configured twice\n", ini->name.s);
			return -1;
		}
	}
	ini->index = n_initiators++;
	*tail = ini;
	return 0;
}

int pap_app_param(modparam_t type, void *val)
{
	char *text = (char *)val, *eq = strrchr(text, '=');
	pap_app_t *a;

	a = pkg_malloc(sizeof(*a));
	if(a == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	if(eq == NULL || eq == text
			|| pap_app_canon(text, eq - text, a->id, sizeof(a->id)) < 0
			|| strlen(eq + 1) >= sizeof(a->tag)
			|| !cp_is_token_list(eq + 1, strlen(eq + 1))
			|| strchr(eq + 1, ',') != NULL) {
		LM_ERR("pap_app '%s' must be <application id>=<tag value>, e.g."
			   " x-wap-application:mms.ua=mms.ua\n",
				text);
		pkg_free(a);
		return -1;
	}
	strcpy(a->tag, eq + 1);
	a->next = apps;
	apps = a;
	return 0;
}

const char *pap_printable(const char *s, char *buf, size_t size)
{
	size_t i;

	for(i = 0; s[i] && i + 1 < size; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
						 ? '?'
						 : s[i];
	buf[i] = '\0';
	return buf;
}

pap_initiator_t *pap_authenticate(sip_msg_t *msg)
{
	char user[PAP_MAX_CREDENTIAL + 1], password[PAP_MAX_CREDENTIAL + 1];
	char shown[PAP_MAX_CREDENTIAL + 1];
	pap_initiator_t *ini, *named = NULL;
	str *secret;
	int ok;

	if(parse_headers(msg, HDR_AUTHORIZATION_F, 0) < 0
			|| msg->authorization == NULL
			|| pap_basic_credentials(msg->authorization->body.s,
					   msg->authorization->body.len, user, sizeof(user),
					   password, sizeof(password))
					   < 0) {
		LM_NOTICE("PAP: request from %s without Basic credentials\n",
				ip_addr2a(&msg->rcv.src_ip));
		return NULL;
	}
	for(ini = initiators; ini; ini = ini->next) {
		if(strlen(user) == (size_t)ini->name.len
				&& memcmp(user, ini->name.s, ini->name.len) == 0)
			named = ini;
	}
	/* an unknown name costs the same comparison as a known one */
	secret = named ? &named->password : &initiators->password;
	ok = pap_secret_equal(password, strlen(password), secret->s, secret->len);
	memset(password, 0, sizeof(password));
	if(named == NULL || !ok) {
		LM_NOTICE("PAP: request from %s: wrong credentials for '%s'\n",
				ip_addr2a(&msg->rcv.src_ip),
				pap_printable(user, shown, sizeof(shown)));
		return NULL;
	}
	if(named->has_net && !matchnet(&msg->rcv.src_ip, &named->net)) {
		LM_NOTICE("PAP: initiator '%s' may not submit from %s\n",
				named->name.s, ip_addr2a(&msg->rcv.src_ip));
		return NULL;
	}
	return named;
}

pap_initiator_t *pap_initiator_at(int index)
{
	pap_initiator_t *ini;

	for(ini = initiators; ini && ini->index != index; ini = ini->next)
		;
	return ini;
}

const char *pap_app_tag(const char *app_id, size_t len)
{
	char canon[PAP_MAX_APP_ID];
	pap_app_t *a;

	if(pap_app_canon(app_id, len, canon, sizeof(canon)) < 0)
		return NULL;
	for(a = apps; a; a = a->next) {
		if(strcmp(a->id, canon) == 0)
			return a->tag;
	}
	return pap_app_registered_tag(canon);
}

int pap_app_allowed(const pap_initiator_t *ini, const char *tag)
{
	size_t len = strlen(tag);
	int i;

	for(i = 0; i < ini->n_apps; i++) {
		if(ini->apps[i].len == (int)len
				&& strncasecmp(ini->apps[i].s, tag, len) == 0)
			return 1;
	}
	return 0;
}
