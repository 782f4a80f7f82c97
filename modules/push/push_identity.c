/*
 * push module - asserted identity of push requests (RFC 3325, RFC 5876)
 *
 * The trust domain (RFC 3325 Spec(T)) is the trusted_net networks plus any
 * request the script marks with trusted_flag. Identity headers are read
 * and removed through push_hdr.h, so each function sees what an earlier one
 * did to the same request: push_apply_privacy() removes a PAI that
 * push_assert_identity() inserted, and push_verify_identity() judges the
 * PAI as push_assert_identity() left it.
 */

#include <string.h>

#include "core/dprint.h"
#include "core/flags.h"
#include "core/ip_addr.h"
#include "core/mem/mem.h"
#include "core/strutils.h"
#include "core/trim.h"

#include "lib/pid.h"
#include "push_pap.h"
#include "push_framing.h"
#include "push_hdr.h"
#include "push_identity.h"
#include "push_lookup.h"
#include "push_stats.h"

#define PAI_NAME "P-Asserted-Identity: "

int push_trusted_flag = -1;
str push_default_privacy = str_init("none");

/* Whether a request without a Privacy header asks for "id". */
static int privacy_id_by_default;

typedef struct trusted_net
{
	struct net net;
	struct trusted_net *next;
} trusted_net_t;

static trusted_net_t *trusted_nets;

/* 0 when an address made of digits and dots (before any '/') is not four
 * parts of 0 to 255: Kamailio's parser reads 127.0.1.258 as 127.0.1.2. */
static int ipv4_parts_ok(str *s)
{
	int i, parts = 1, digits = 0, value = 0;

	for(i = 0; i < s->len && s->s[i] != '/'; i++) {
		char c = s->s[i];
		if(c == '.') {
			if(digits == 0)
				return 0;
			parts++;
			digits = value = 0;
		} else if(c >= '0' && c <= '9') {
			value = value * 10 + (c - '0');
			if(++digits > 3 || value > 255)
				return 0;
		} else {
			return 1; /* not dotted decimal: IPv6, mk_net_str() decides */
		}
	}
	return parts == 4 && digits > 0;
}

/* One network of trusted_net. */
static int add_trusted_net(str *s)
{
	trusted_net_t *t;

	if(!ipv4_parts_ok(s)) {
		LM_ERR("trusted_net '%.*s' is not an IPv4 address\n", s->len, s->s);
		return -1;
	}

	t = pkg_malloc(sizeof(*t));
	if(t == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	if(mk_net_str(&t->net, s) < 0) {
		LM_ERR("trusted_net '%.*s' is not an IPv4/IPv6 address or CIDR"
			   " network\n",
				s->len, s->s);
		pkg_free(t);
		return -1;
	}
	t->next = trusted_nets;
	trusted_nets = t;
	return 0;
}

/* trusted_net: one network, or several separated by commas (so that one
 * configuration define can hold a list). */
int push_trusted_net_param(modparam_t type, void *val)
{
	char *p = (char *)val, *end = p + strlen(p), *comma;
	str s;
	int n = 0;

	while(p <= end) {
		comma = memchr(p, ',', end - p);
		s.s = p;
		s.len = (int)((comma ? comma : end) - p);
		trim(&s);
		if(s.len == 0 || add_trusted_net(&s) < 0) {
			LM_ERR("trusted_net '%s': an empty or invalid network\n",
					(char *)val);
			return -1;
		}
		n++;
		if(comma == NULL)
			break;
		p = comma + 1;
	}
	return n > 0 ? 0 : -1;
}

int push_identity_init(void)
{
	if(push_default_privacy.len == 4
			&& strncasecmp(push_default_privacy.s, "none", 4) == 0) {
		privacy_id_by_default = 0;
	} else if(push_default_privacy.len == 2
			  && strncasecmp(push_default_privacy.s, "id", 2) == 0) {
		privacy_id_by_default = 1;
	} else {
		LM_ERR("default_privacy must be 'none' or 'id', not '%.*s'\n",
				push_default_privacy.len, push_default_privacy.s);
		return -1;
	}
	if(push_trusted_flag != -1 && !flag_in_range(push_trusted_flag)) {
		LM_ERR("trusted_flag %d is not a message flag index\n",
				push_trusted_flag);
		return -1;
	}
	return 0;
}

int push_trusted(sip_msg_t *msg)
{
	trusted_net_t *t;

	if(push_trusted_flag != -1 && isflagset(msg, push_trusted_flag) == 1)
		return 1;
	/* the Push Sender Agent in this proxy: its PAP pushes' MESSAGEs */
	if(push_pap_own_request(msg))
		return 1;
	for(t = trusted_nets; t; t = t->next) {
		if(matchnet(&msg->rcv.src_ip, &t->net) == 1)
			return 1;
	}
	return 0;
}

/* The identity headers of a request, as it would carry them now. */
typedef struct identities
{
	pid_set_t pai;
	pid_set_t ppi;
	int ppi_headers;
} identities_t;

static int add_identity(enum _hdr_types_t htype, str *body, void *arg)
{
	identities_t *id = arg;

	if(htype == HDR_PAI_T) {
		pid_set_add(&id->pai, body->s, body->len);
	} else {
		id->ppi_headers++;
		pid_set_add(&id->ppi, body->s, body->len);
	}
	return 0;
}

/* Read the identity headers of the given types (HDR_T2F() bits) in one
 * walk. */
static int read_identities(sip_msg_t *msg, hdr_flags_t types, identities_t *id)
{
	pid_set_init(&id->pai);
	pid_set_init(&id->ppi);
	id->ppi_headers = 0;
	return push_hdr_walk(msg, types, add_identity, id);
}

int push_identities_parse(str *text, push_identities_t *ids)
{
	const char *p = text->s, *end = text->s + text->len, *comma, *uri;
	size_t uri_len;
	str item;

	ids->n = 0;
	while(p < end) {
		comma = memchr(p, ',', end - p);
		item.s = (char *)p;
		item.len = (comma ? comma : end) - p;
		trim(&item);
		if(ids->n == PUSH_MAX_IDENTITIES
				|| !pid_parse_identity(item.s, item.len, &uri, &uri_len)) {
			LM_ERR("push_assert_identity: '%.*s' is not a sip, sips or tel"
				   " URI (at most %d)\n",
					item.len, item.s, PUSH_MAX_IDENTITIES);
			return -1;
		}
		ids->uri[ids->n].s = (char *)uri;
		ids->uri[ids->n].len = (int)uri_len;
		ids->n++;
		p = comma ? comma + 1 : end;
	}
	if(ids->n == 0) {
		LM_ERR("push_assert_identity: no identity given\n");
		return -1;
	}
	return 0;
}

/* Append "P-Asserted-Identity: <a>[, <b>]", put together by hand: this
 * runs for every push, and formatting costs more than the copies. */
static int insert_pai(sip_msg_t *msg, const char *a, size_t alen,
		const char *b, size_t blen)
{
	char buf[2048];
	str text;
	char *p = buf;

	if(sizeof(PAI_NAME) - 1 + alen + (blen ? 2 + blen : 0) + 2 >= sizeof(buf)) {
		LM_ERR("asserted identity too long\n");
		return -1;
	}
	memcpy(p, PAI_NAME, sizeof(PAI_NAME) - 1);
	p += sizeof(PAI_NAME) - 1;
	memcpy(p, a, alen);
	p += alen;
	if(blen) {
		*p++ = ',';
		*p++ = ' ';
		memcpy(p, b, blen);
		p += blen;
	}
	*p++ = '\r';
	*p++ = '\n';
	text.s = buf;
	text.len = p - buf;
	return push_hdr_append(msg, &text, HDR_PAI_T);
}

/* The text to forward for a kept value: as received, or only "<uri>" when
 * that does not fit (an oversized display name). */
static int value_text(const pid_value_t *v, char *buf, size_t size)
{
	if(v->text_len <= size) {
		memcpy(buf, v->text, v->text_len);
		return (int)v->text_len;
	}
	if(v->uri_len + 2 > size)
		return -1;
	buf[0] = '<';
	memcpy(buf + 1, v->uri, v->uri_len);
	buf[v->uri_len + 1] = '>';
	return (int)v->uri_len + 2;
}

/* Longest URI of a kept or asserted identity; a longer one is dropped. */
#define IDENTITY_URI_MAX 1000

/* Drop a kept value whose URI is too long to forward (fail closed: it
 * could not be re-emitted, so it must not pass as received either). */
static void drop_overlong(pid_set_t *set)
{
	if(set->has_sip && set->sip.uri_len > IDENTITY_URI_MAX) {
		set->has_sip = 0;
		set->dropped++;
	}
	if(set->has_tel && set->tel.uri_len > IDENTITY_URI_MAX) {
		set->has_tel = 0;
		set->dropped++;
	}
}

/* The set of the request, normalised: one header with the first sip/sips
 * and the first tel value. Only rewritten when something must go. */
static int keep_received(sip_msg_t *msg, pid_set_t *set)
{
	char a[IDENTITY_URI_MAX + 2], b[IDENTITY_URI_MAX + 2];
	int alen, blen = 0;

	if(set->dropped == 0)
		return 0;
	LM_NOTICE("dropping %u of the %u P-Asserted-Identity values\n",
			set->dropped, set->values);
	/* the values point into headers about to be removed: copy them */
	alen = value_text(set->has_sip ? &set->sip : &set->tel, a, sizeof(a));
	if(set->has_sip && set->has_tel)
		blen = value_text(&set->tel, b, sizeof(b));
	if(alen < 0 || blen < 0) {
		LM_ERR("asserted identity too long\n");
		return -1;
	}
	if(push_hdr_remove_all(msg, HDR_PAI_T) < 0)
		return -1;
	return insert_pai(msg, a, alen, b, blen);
}

/* The identity to assert: the preferred one when it is among ids. */
static int choose_identity(
		pid_set_t *ppi, const push_identities_t *ids, str *chosen)
{
	const pid_value_t *pref[2] = {ppi->has_sip ? &ppi->sip : NULL,
			ppi->has_tel ? &ppi->tel : NULL};
	str uri;
	int i, k;

	for(k = 0; k < 2; k++) {
		if(pref[k] == NULL)
			continue;
		uri.s = (char *)pref[k]->uri;
		uri.len = (int)pref[k]->uri_len;
		for(i = 0; i < ids->n; i++) {
			if(cmp_uri_str(&uri, (str *)&ids->uri[i]) == 0) {
				*chosen = ids->uri[i];
				return 1;
			}
		}
	}
	*chosen = ids->uri[0];
	return 0;
}

/* Remove the PPI headers read into id (RFC 3325: a proxy that asserts an
 * identity removes them). 0 or -1. */
static int remove_ppi(sip_msg_t *msg, identities_t *id)
{
	int removed;

	if(id->ppi_headers == 0)
		return 0;
	removed = push_hdr_remove_all(msg, HDR_PPI_T);
	if(removed < 0)
		return -1;
	if(removed > 0)
		update_stat(push_st_ppi_removed, removed);
	return 0;
}

/* Fail closed: an error leaves no identity the proxy could not check.
 * Returns -1, the error code of the identity functions. */
static int remove_identities(sip_msg_t *msg)
{
	push_hdr_remove_all(msg, HDR_PAI_T);
	push_hdr_remove_all(msg, HDR_PPI_T);
	return -1;
}

/* From outside the trust domain nothing is believed: every PAI and PPI
 * goes. -2, or -1 when they could not be removed. */
static int strip_untrusted(sip_msg_t *msg)
{
	int pai, ppi;

	pai = push_hdr_remove_all(msg, HDR_PAI_T);
	ppi = push_hdr_remove_all(msg, HDR_PPI_T);
	if(pai < 0 || ppi < 0)
		return -1;
	if(pai > 0)
		update_stat(push_st_pai_removed_untrusted, pai);
	if(ppi > 0)
		update_stat(push_st_ppi_removed, ppi);
	return -2;
}

int push_assert_identities(sip_msg_t *msg, const push_identities_t *ids)
{
	str chosen;
	char idbuf[IDENTITY_URI_MAX + 2];
	identities_t id;
	int rc, no_insert;

	push_reason.len = 0;
	if(!push_trusted(msg)) {
		rc = strip_untrusted(msg);
		/* a header a device may read where the proxy read none */
		if(rc == -2 && !push_framing_ok(msg))
			return -3;
		return rc;
	}

	if(read_identities(msg, HDR_T2F(HDR_PAI_T) | HDR_T2F(HDR_PPI_T), &id) < 0)
		return remove_identities(msg);
	drop_overlong(&id.pai);
	if(id.pai.has_sip || id.pai.has_tel) {
		if(keep_received(msg, &id.pai) < 0 || remove_ppi(msg, &id) < 0)
			return remove_identities(msg);
		update_stat(push_st_pai_kept, 1);
		return 2;
	}

	/* nothing usable was asserted: pick the identity before the PPI that
	 * may name it goes */
	drop_overlong(&id.ppi);
	choose_identity(&id.ppi, ids, &chosen);
	if(chosen.len > IDENTITY_URI_MAX)
		return remove_identities(msg);
	idbuf[0] = '<';
	memcpy(idbuf + 1, chosen.s, chosen.len);
	idbuf[chosen.len + 1] = '>';
	if((id.pai.values > 0 && push_hdr_remove_all(msg, HDR_PAI_T) < 0)
			|| remove_ppi(msg, &id) < 0)
		return remove_identities(msg);
	/* ACK and CANCEL cannot be challenged and carry no new identity
	 * (RFC 5876 section 4) */
	no_insert = msg->first_line.u.request.method_value
				& (METHOD_ACK | METHOD_CANCEL);
	if(no_insert)
		return 2;
	if(insert_pai(msg, idbuf, chosen.len + 2, NULL, 0) < 0)
		return remove_identities(msg);
	update_stat(push_st_pai_inserted, 1);
	return 1;
}

int push_assert_identity(sip_msg_t *msg, str *identities)
{
	push_identities_t ids;

	if(push_identities_parse(identities, &ids) < 0)
		return remove_identities(msg);
	return push_assert_identities(msg, &ids);
}

typedef struct privacy
{
	int seen;
	int id;
} privacy_t;

/* priv-value *(";" priv-value); ',' accepted too (several values). */
static int read_privacy(enum _hdr_types_t htype, str *body, void *arg)
{
	privacy_t *pv = arg;
	char *p = body->s, *end = body->s + body->len, *q;
	str v;

	pv->seen = 1;
	while(p < end) {
		for(q = p; q < end && *q != ';' && *q != ','; q++)
			;
		v.s = p;
		v.len = q - p;
		trim(&v);
		if(v.len == 2 && strncasecmp(v.s, "id", 2) == 0)
			pv->id = 1;
		p = q + 1;
	}
	return 0;
}

int push_apply_privacy(sip_msg_t *msg)
{
	privacy_t pv = {0, 0};
	int removed;

	/* privacy that cannot be read is privacy asked for */
	if(push_hdr_walk(msg, HDR_T2F(HDR_PRIVACY_T), read_privacy, &pv) < 0) {
		push_hdr_remove_all(msg, HDR_PAI_T);
		return -1;
	}
	if(!(pv.seen ? pv.id : privacy_id_by_default))
		return 2;
	removed = push_hdr_remove_all(msg, HDR_PAI_T);
	if(removed < 0)
		return -1;
	if(removed == 0)
		return 2;
	update_stat(push_st_pai_removed_privacy, removed);
	return 1;
}

int push_verify_identity(sip_msg_t *msg)
{
	identities_t id;
	int rc;

	if(!push_trusted(msg))
		rc = -3;
	else if(read_identities(msg, HDR_T2F(HDR_PAI_T), &id) < 0)
		rc = -2;
	else if(id.pai.values == 0)
		rc = -1;
	else if(id.pai.malformed > 0)
		rc = -2;
	else if(!id.pai.has_sip && !id.pai.has_tel)
		rc = -1; /* only other schemes: no usable identity (ID-T13) */
	else if(!pid_set_well_formed(&id.pai))
		rc = -2;
	else
		return 1;
	update_stat(push_st_verify_failed, 1);
	return rc;
}
