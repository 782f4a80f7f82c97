/*
 * push module - the Push Sender Agent's PAP front end
 *
 * A Push Initiator POSTs a PAP document to event_route[xhttp:request];
 * push_pap_request() authenticates it, reads the document (lib/pap.h) and
 * answers at once: a push-message is accepted (1001) when every address
 * and the application are acceptable, and each address then gets its own
 * MESSAGE (push_pap_send.c), whose outcome the push's record keeps
 * (push_pap_store.c) for status-query and the result notification.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <stdlib.h>
#include <string.h>

#include "core/data_lump_rpl.h"
#include "core/dprint.h"
#include "core/mem/pkg.h"
#include "core/parser/parse_uri.h"
#include "core/timer.h"
#include "core/trim.h"
#include "modules/xhttp/api.h"

#include "lib/pap.h"
#include "push_hold.h"
#include "push_pap.h"
#include "push_random.h"
#include "push_pap_conf.h"
#include "push_pap_send.h"
#include "push_pap_store.h"
#include "push_stamp.h"
#include "push_stats.h"

str pap_domain = STR_NULL;
int pap_max_body = 65536;

#define PAP_MAX_BODY_LIMIT (16 * 1024 * 1024)
#define PAP_MAX_URI (PAP_MAX_ADDRESS + 128)
#define PAP_MAX_CTYPE 256
#define PAP_EXPIRE_INTERVAL 10 /* seconds between two expiry runs */

static xhttp_api_t xhttp;

int push_pap_init(void)
{
	if(!pap_enabled())
		return 0;
	if(pap_domain.len <= 0) {
		LM_ERR("PAP: set pap_domain, the domain of the users pushes are"
			   " addressed to\n");
		return -1;
	}
	if(pap_max_body < 1024 || pap_max_body > PAP_MAX_BODY_LIMIT) {
		LM_ERR("PAP: pap_max_body must be 1024 to %d bytes\n",
				PAP_MAX_BODY_LIMIT);
		return -1;
	}
	if(pap_push_id_ttl < 1 || pap_max_pushes < 1) {
		LM_ERR("PAP: pap_push_id_ttl and pap_max_pushes must be positive\n");
		return -1;
	}
	if(xhttp_load_api(&xhttp) < 0) {
		LM_ERR("PAP: load xhttp.so before push.so\n");
		return -1;
	}
	if(pap_store_init() < 0 || pap_send_init() < 0)
		return -1;
	if(register_timer(pap_store_expire, NULL, PAP_EXPIRE_INTERVAL) < 0) {
		LM_ERR("PAP: cannot register the expiry timer\n");
		return -1;
	}
	return 0;
}

/* ---- answers ------------------------------------------------------------ */

/* Send doc (malloc'd, freed here) as the 202 answer. */
static int answer(sip_msg_t *msg, char *doc, size_t len)
{
	static str accepted = str_init("Accepted");
	static str failed = str_init("Internal Server Error");
	static str xml = str_init("application/xml");
	str body;

	if(doc == NULL) {
		LM_ERR("PAP: no memory for the answer\n");
		xhttp.reply(msg, 500, &failed, NULL, NULL);
		return 1;
	}
	body.s = doc;
	body.len = (int)len;
	if(xhttp.reply(msg, 202, &accepted, &xml, &body) < 0)
		LM_ERR("PAP: cannot send the answer\n");
	free(doc);
	return 1;
}

static int bad_message(sip_msg_t *msg, enum pap_version v, pap_error_t *err)
{
	char shown[sizeof(err->desc)];
	size_t len;
	char *doc;

	LM_NOTICE("PAP: bad message from %s: %d %s\n",
			ip_addr2a(&msg->rcv.src_ip), err->code,
			pap_printable(err->desc, shown, sizeof(shown)));
	update_stat(push_st_pap_rejected, 1);
	doc = pap_write_badmessage_response(
			v, err->code, err->desc, err->fragment, err->fragment_len, &len);
	return answer(msg, doc, len);
}

static int push_response(sip_msg_t *msg, pap_initiator_t *ini,
		pap_control_t *ctl, int code, const char *why)
{
	char shown[PAP_MAX_ID + 1];
	size_t len;
	char *doc;

	if(code != PAP_ACCEPTED) {
		update_stat(push_st_pap_rejected, 1);
		LM_NOTICE("PAP: push-id '%s' of '%s' refused: %d, %s\n",
				pap_printable(ctl->push_id, shown, sizeof(shown)),
				ini->name.s, code, why);
	}
	doc = pap_write_push_response(ctl->version, ctl->push_id, NULL,
			pap_sender_name.s, time(NULL), code, &len);
	return answer(msg, doc, len);
}

static int unauthorized(sip_msg_t *msg)
{
	static char challenge[] = "WWW-Authenticate: Basic realm=\"pap\"\r\n";
	static str reason = str_init("Unauthorized");

	update_stat(push_st_pap_rejected, 1);
	if(add_lump_rpl(msg, challenge, sizeof(challenge) - 1, LUMP_RPL_HDR)
			== 0) {
		LM_ERR("PAP: cannot add the challenge\n");
		return 1;
	}
	xhttp.reply(msg, 401, &reason, NULL, NULL);
	return 1;
}

/* ---- push-message ------------------------------------------------------- */

/* A header value from outside: printable, no line end, bounded. */
static int header_safe(const char *s, size_t len)
{
	size_t i;

	if(len == 0 || len > PAP_MAX_CTYPE)
		return 0;
	for(i = 0; i < len; i++) {
		if((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return 0;
		if((unsigned char)s[i] == 0x7f)
			return 0;
	}
	return 1;
}

/* The header lines of every MESSAGE of a push (pkg, NUL-terminated). */
static char *message_headers(pap_initiator_t *ini, const char *tag,
		pap_entity_t *content, pap_qos_t *qos, str *hdrs)
{
	str app = {(char *)tag, (int)strlen(tag)}, stamp;
	const char *priority = "";
	char *buf;
	int size, n;

	if(push_stamp_header(&app, &stamp) < 0)
		return NULL;
	if(qos->priority == PAP_PRIORITY_HIGH)
		priority = "Priority: urgent\r\n";
	else if(qos->priority == PAP_PRIORITY_LOW)
		priority = "Priority: non-urgent\r\n";
	size = ini->identity.len + stamp.len + (int)content->type_len + 128;
	buf = pkg_malloc(size);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		return NULL;
	}
	n = snprintf(buf, size,
			"P-Asserted-Identity: <%.*s>\r\n%.*sContent-Type: %.*s\r\n%s",
			ini->identity.len, ini->identity.s, stamp.len, stamp.s,
			(int)content->type_len, content->type, priority);
	if(n < 0 || n >= size) {
		pkg_free(buf);
		return NULL;
	}
	hdrs->s = buf;
	hdrs->len = n;
	return buf;
}

/* The content entity's body, decoded (pkg). */
static char *content_body(pap_entity_t *content, str *body)
{
	char *buf = pkg_malloc(content->body_len + 4);
	long n;

	if(buf == NULL) {
		PKG_MEM_ERROR;
		return NULL;
	}
	if(content->base64) {
		n = pap_base64_decode(content->body, content->body_len,
				(unsigned char *)buf, content->body_len + 4);
		if(n < 0) {
			pkg_free(buf);
			return NULL;
		}
	} else {
		memcpy(buf, content->body, content->body_len);
		n = (long)content->body_len;
	}
	body->s = buf;
	body->len = (int)n;
	return buf;
}

/* The AORs of the push's addresses, into p's targets once p exists:
 * first only checked and measured (p NULL). 0 or the failing index + 1. */
static int resolve_addresses(
		pap_control_t *ctl, pap_push_t *p, size_t *size, char *uri)
{
	sip_uri_t parsed;
	size_t i, len;

	for(i = 0; i < ctl->n_addresses; i++) {
		len = strlen(ctl->addresses[i]);
		if(pap_address_uri(ctl->addresses[i], len, pap_domain.s, uri,
				   PAP_MAX_URI)
						!= 0
				|| parse_uri(uri, strlen(uri), &parsed) != 0)
			return (int)i + 1;
		if(p == NULL) {
			*size += len + strlen(uri) + 2;
		} else {
			pap_store_str(p, &p->t[i].address, ctl->addresses[i], len);
			pap_store_str(p, &p->t[i].uri, uri, strlen(uri));
		}
	}
	return 0;
}

/* Hold target i of p, accepted with ctl: until its deliver-after time
 * (deferred), else claimed while it is first sent (the token, for
 * pap_send()). 0 held, -1 not. */
static int hold_target(pap_push_t *p, int i, pap_initiator_t *ini,
		pap_control_t *ctl, str *hdrs, str *body, int deferred, char *token)
{
	char callid_buf[64], rnd[33];
	push_hold_pap_t held;
	time_t now = time(NULL), expires;
	str callid;

	/* its own Call-ID: a held copy goes straight to a device, and the
	 * one-shot Call-IDs of pap_send() are for the proxy to trust */
	if(push_random_hex(rnd, 16) < 0)
		return -1;
	callid.len = snprintf(callid_buf, sizeof(callid_buf), "pap-held.%s", rnd);
	callid.s = callid_buf;
	expires = ctl->deliver_before
					  ? ctl->deliver_before
					  : (deferred ? ctl->deliver_after : now) + push_hold_expires;
	if(expires > now + push_hold_max_expires)
		expires = now + push_hold_max_expires;
	held.initiator = ini->name;
	held.push_id = p->push_id;
	held.address = p->t[i].address;
	held.notify = p->notify_to;
	held.version = p->version;
	held.received = p->received;
	return push_hold_message(&p->t[i].uri, &callid, &ini->identity, hdrs, body,
				   deferred ? ctl->deliver_after : 0, expires, &held,
				   deferred ? NULL : token)
						   == PUSH_HOLD_OK
				   ? 0
				   : -1;
}

/* Send or hold each target of the accepted push p. */
static void dispatch(pap_push_t *p, pap_initiator_t *ini, pap_control_t *ctl,
		str *hdrs, str *body)
{
	char token[PUSH_HOLD_TOKEN_SIZE];
	int deferred = ctl->deliver_after > time(NULL);
	int i;

	for(i = 0; i < p->n; i++) {
		if(deferred) {
			if(hold_target(p, i, ini, ctl, hdrs, body, 1, NULL) == 0)
				pap_store_done(p); /* pending, until its time */
			else
				pap_send_finish(p, i, 500);
		} else if(ctl->deliver_before && push_hold_enabled()
				  && hold_target(p, i, ini, ctl, hdrs, body, 0, token) == 0) {
			pap_send(p, i, &ini->identity, hdrs, body, token);
		} else {
			pap_send(p, i, &ini->identity, hdrs, body, NULL);
		}
	}
}

static int push_message(sip_msg_t *msg, pap_initiator_t *ini,
		pap_submission_t *sub, pap_control_t *ctl)
{
	char uri[PAP_MAX_URI], shown[PAP_MAX_ADDRESS + 1];
	char *hbuf = NULL, *bbuf = NULL;
	const char *tag;
	pap_push_t *p;
	size_t size = 0;
	str hdrs, body;
	int code, i;

	code = pap_check_push(ctl, time(NULL), push_hold_enabled());
	if(code != 0)
		return push_response(msg, ini, ctl, code, pap_code_desc(code));
	if(ctl->deliver_after > time(NULL) + push_hold_max_expires)
		return push_response(msg, ini, ctl, PAP_NOT_IMPLEMENTED,
				"deliver-after beyond hold_max_expires");
	if(sub->content.body == NULL)
		return push_response(
				msg, ini, ctl, PAP_BAD_REQUEST, "no content entity");
	if(ctl->n_addresses == 0)
		return push_response(msg, ini, ctl, PAP_BAD_REQUEST, "no address");
	if(ctl->notify_to && !pap_send_can_notify())
		return push_response(msg, ini, ctl, PAP_NOT_IMPLEMENTED,
				"result notifications need http_client");
	tag = pap_app_tag(sub->content.app_id, sub->content.app_id_len);
	if(tag == NULL)
		return push_response(msg, ini, ctl, PAP_FORBIDDEN,
				"unknown push application id (pap_app)");
	if(!pap_app_allowed(ini, tag))
		return push_response(msg, ini, ctl, PAP_FORBIDDEN,
				tag); /* the application it may not push to */
	if(!header_safe(sub->content.type, sub->content.type_len))
		return push_response(
				msg, ini, ctl, PAP_BAD_REQUEST, "invalid content type");
	i = resolve_addresses(ctl, NULL, &size, uri);
	if(i > 0) {
		pap_printable(ctl->addresses[i - 1], shown, sizeof(shown));
		return push_response(msg, ini, ctl, PAP_ADDRESS_ERROR, shown);
	}
	if(content_body(&sub->content, &body) == NULL) {
		return push_response(
				msg, ini, ctl, PAP_BAD_REQUEST, "content is not base64");
	}
	bbuf = body.s;
	hbuf = message_headers(ini, tag, &sub->content, &ctl->qos, &hdrs);
	p = hbuf ? pap_store_new(ini->index, ctl->push_id, ctl->version,
					   ctl->notify_to, &ctl->qos, (int)ctl->n_addresses, size)
			 : NULL;
	if(p == NULL) {
		code = PAP_INTERNAL_ERROR;
		goto refused;
	}
	resolve_addresses(ctl, p, &size, uri);
	code = pap_store_add(p);
	if(code != 0)
		goto refused;

	/* answered before any MESSAGE leaves, so that no result notification
	 * can reach the initiator before its push-response */
	update_stat(push_st_pap_accepted, 1);
	push_response(msg, ini, ctl, PAP_ACCEPTED, NULL);
	dispatch(p, ini, ctl, &hdrs, &body);
	pkg_free(hbuf);
	pkg_free(bbuf);
	return 1;

refused:
	if(hbuf)
		pkg_free(hbuf);
	pkg_free(bbuf);
	return push_response(msg, ini, ctl, code, pap_code_desc(code));
}

/* ---- statusquery-message and cancel-message ----------------------------- */

/* What a status or cancel answer needs of a record, copied under its lock
 * (pkg), since the record may go once the lock is released. */
typedef struct pap_snapshot
{
	int found;
	int n;
	enum pap_state state[PAP_MAX_ADDRESSES];
	int code[PAP_MAX_ADDRESSES];
	time_t event_time[PAP_MAX_ADDRESSES];
	char *address[PAP_MAX_ADDRESSES];
} pap_snapshot_t;

static void take_snapshot(pap_push_t *p, void *arg)
{
	pap_snapshot_t *s = arg;
	int i;

	s->found = 1;
	for(i = 0; i < p->n && i < PAP_MAX_ADDRESSES; i++) {
		s->address[i] = pkg_malloc(p->t[i].address.len + 1);
		if(s->address[i] == NULL)
			break;
		memcpy(s->address[i], p->t[i].address.s, p->t[i].address.len + 1);
		s->state[i] = p->t[i].state;
		s->code[i] = p->t[i].code;
		s->event_time[i] = p->t[i].event_time;
	}
	s->n = i;
}

static void free_snapshot(pap_snapshot_t *s)
{
	int i;

	for(i = 0; i < s->n; i++)
		pkg_free(s->address[i]);
}

/* The target of address a in s, or -1. */
static int snapshot_index(pap_snapshot_t *s, const char *a)
{
	int i;

	for(i = 0; i < s->n; i++) {
		if(strcmp(s->address[i], a) == 0)
			return i;
	}
	return -1;
}

static int statusquery(
		sip_msg_t *msg, pap_initiator_t *ini, pap_control_t *ctl)
{
	pap_snapshot_t *s;
	pap_result_t res[PAP_MAX_ADDRESSES];
	const char *const *one;
	size_t n = 0, len, i;
	int k;
	char *doc;

	s = pkg_malloc(sizeof(*s));
	if(s == NULL) {
		PKG_MEM_ERROR;
		return answer(msg, NULL, 0);
	}
	memset(s, 0, sizeof(*s));
	pap_store_find(ini->index, ctl->push_id, strlen(ctl->push_id),
			take_snapshot, s);
	memset(res, 0, sizeof(res));
	if(!s->found) {
		res[0].state = PAP_STATE_UNKNOWN;
		res[0].code = PAP_PUSH_ID_NOT_FOUND;
		n = 1;
	} else if(ctl->n_addresses == 0) {
		/* every address, one result each */
		for(k = 0; k < s->n; k++, n++) {
			res[n].state = s->state[k];
			res[n].code = s->state[k] == PAP_STATE_PENDING ? PAP_ACCEPTED
														   : s->code[k];
			res[n].event_time = s->event_time[k];
			res[n].addresses = (const char *const *)&s->address[k];
			res[n].n_addresses = 1;
		}
	} else {
		for(i = 0; i < ctl->n_addresses; i++, n++) {
			one = (const char *const *)&ctl->addresses[i];
			k = snapshot_index(s, ctl->addresses[i]);
			res[n].addresses = one;
			res[n].n_addresses = 1;
			if(k < 0) {
				res[n].state = PAP_STATE_UNKNOWN;
				res[n].code = PAP_ADDRESS_ERROR;
				continue;
			}
			res[n].state = s->state[k];
			res[n].code = s->state[k] == PAP_STATE_PENDING ? PAP_ACCEPTED
														   : s->code[k];
			res[n].event_time = s->event_time[k];
		}
	}
	doc = pap_write_statusquery_response(
			ctl->version, ctl->push_id, res, n, &len);
	free_snapshot(s);
	pkg_free(s);
	return answer(msg, doc, len);
}

/* The pending addresses of a cancelled push: cancelled, and told so. */
static void mark_cancelled(pap_push_t *p, void *arg)
{
	int i;

	for(i = 0; i < p->n; i++) {
		if(p->t[i].state != PAP_STATE_PENDING)
			continue;
		p->t[i].state = PAP_STATE_CANCELLED;
		p->t[i].code = PAP_OK;
		p->t[i].event_time = time(NULL);
		if(p->notify_to.len > 0 && pap_send_can_notify())
			pap_send_notification(p->version, p->push_id.s,
					p->t[i].address.s, &p->notify_to, p->received,
					p->qos.present ? &p->qos : NULL, PAP_STATE_CANCELLED,
					PAP_OK);
	}
}

/* A MESSAGE cannot be withdrawn (RFC 3428 has no CANCEL for it): a push
 * already sent cannot be cancelled (2008); one still held can (1000). */
static int cancel(sip_msg_t *msg, pap_initiator_t *ini, pap_control_t *ctl)
{
	pap_snapshot_t *s;
	pap_result_t res;
	str push_id;
	size_t len;
	char *doc;
	int held;

	s = pkg_malloc(sizeof(*s));
	if(s == NULL) {
		PKG_MEM_ERROR;
		return answer(msg, NULL, 0);
	}
	memset(s, 0, sizeof(*s));
	pap_store_find(ini->index, ctl->push_id, strlen(ctl->push_id),
			take_snapshot, s);
	push_id.s = ctl->push_id;
	push_id.len = strlen(ctl->push_id);
	held = push_hold_pap_cancel(&ini->name, &push_id);
	if(held > 0)
		pap_store_find(ini->index, ctl->push_id, push_id.len, mark_cancelled,
				NULL);
	memset(&res, 0, sizeof(res));
	if(held > 0)
		res.code = PAP_OK;
	else
		res.code = s->found ? PAP_CANCEL_NOT_POSSIBLE : PAP_PUSH_ID_NOT_FOUND;
	res.addresses = (const char *const *)ctl->addresses;
	res.n_addresses = ctl->n_addresses;
	doc = pap_write_cancel_response(ctl->version, ctl->push_id, &res, 1, &len);
	free_snapshot(s);
	pkg_free(s);
	return answer(msg, doc, len);
}

/* ---- the request -------------------------------------------------------- */

static int is_type(str *ctype, const char *type)
{
	size_t n = strlen(type);

	return ctype->len >= (int)n && strncasecmp(ctype->s, type, n) == 0
		   && (ctype->len == (int)n || ctype->s[n] == ';'
				   || ctype->s[n] == ' ' || ctype->s[n] == '\t');
}

int push_pap_request(sip_msg_t *msg)
{
	pap_initiator_t *ini;
	pap_submission_t sub;
	pap_control_t ctl;
	pap_error_t err;
	str ctype;
	char *body, *doc;
	size_t len;
	int rc;

	if(!pap_enabled()) {
		LM_ERR("push_pap_request: no pap_initiator is configured\n");
		return -1;
	}
	if(msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method.len != 4
			|| strncmp(msg->first_line.u.request.method.s, "POST", 4) != 0
			|| parse_headers(msg, HDR_CONTENTTYPE_F, 0) < 0
			|| msg->content_type == NULL)
		return -1;
	ctype = msg->content_type->body;
	trim(&ctype);
	if(!is_type(&ctype, "multipart/related")
			&& !is_type(&ctype, "application/xml")
			&& !is_type(&ctype, "text/xml"))
		return -1;

	ini = pap_authenticate(msg);
	if(ini == NULL)
		return unauthorized(msg);
	body = get_body(msg);
	len = body ? (size_t)(msg->buf + msg->len - body) : 0;
	if(len > (size_t)pap_max_body) {
		memset(&err, 0, sizeof(err));
		err.code = PAP_BAD_REQUEST;
		snprintf(err.desc, sizeof(err.desc),
				"request body larger than %d bytes", pap_max_body);
		return bad_message(msg, pap_sniff_version(body, len), &err);
	}
	if(pap_split(ctype.s, ctype.len, body, len, &sub, &err) != 0)
		return bad_message(msg, pap_sniff_version(body, len), &err);
	if(pap_parse_control(sub.control.body, sub.control.body_len, &ctl, &err)
			!= 0)
		return bad_message(msg,
				pap_sniff_version(sub.control.body, sub.control.body_len),
				&err);

	switch(ctl.op) {
		case PAP_PUSH_MESSAGE:
			rc = push_message(msg, ini, &sub, &ctl);
			break;
		case PAP_STATUSQUERY_MESSAGE:
			rc = statusquery(msg, ini, &ctl);
			break;
		case PAP_CANCEL_MESSAGE:
			rc = cancel(msg, ini, &ctl);
			break;
		case PAP_CCQ_MESSAGE:
			update_stat(push_st_pap_rejected, 1);
			doc = pap_write_ccq_response(
					ctl.version, ctl.push_id, PAP_NOT_IMPLEMENTED, &len);
			rc = answer(msg, doc, len);
			break;
		default:
			memset(&err, 0, sizeof(err));
			err.code = PAP_BAD_REQUEST;
			strcpy(err.desc, "not a request to a Push Proxy Gateway");
			rc = bad_message(msg, ctl.version, &err);
			break;
	}
	pap_control_free(&ctl);
	return rc;
}

int push_pap_own_request(sip_msg_t *msg)
{
	static unsigned int own_id;
	static int own_known;

	if(!pap_enabled() || msg->first_line.type != SIP_REQUEST)
		return 0;
	/* asked again for the same request (identity, stamp, privacy) */
	if(own_known && msg->id == own_id)
		return 1;
	if(parse_headers(msg, HDR_CALLID_F, 0) < 0 || msg->callid == NULL)
		return 0;
	if(!pap_store_own_callid(&msg->callid->body))
		return 0;
	own_id = msg->id;
	own_known = 1;
	return 1;
}

/* ---- held pushes -------------------------------------------------------- */

typedef struct held_outcome
{
	const char *address;
	enum pap_state state;
	int code;
} held_outcome_t;

static void set_held_outcome(pap_push_t *p, void *arg)
{
	held_outcome_t *o = arg;
	int i;

	for(i = 0; i < p->n; i++) {
		if(strcmp(p->t[i].address.s, o->address) == 0
				&& p->t[i].state == PAP_STATE_PENDING) {
			p->t[i].state = o->state;
			p->t[i].code = o->code;
			p->t[i].event_time = time(NULL);
		}
	}
}

/* s as a NUL-terminated copy in buf; -1 when it does not fit. */
static int terminated(str *s, char *buf, int size)
{
	if(s->len >= size)
		return -1;
	memcpy(buf, s->s, s->len);
	buf[s->len] = '\0';
	return 0;
}

void push_pap_held_outcome(push_hold_pap_t *held, int sip_code)
{
	char push_id[PAP_MAX_ID + 1], address[PAP_MAX_ADDRESS + 1];
	char name[PAP_MAX_ID + 1], shown_id[PAP_MAX_ID + 1];
	char shown_address[PAP_MAX_ADDRESS + 1];
	pap_initiator_t *ini;
	held_outcome_t o;
	int i;

	if(terminated(&held->push_id, push_id, sizeof(push_id)) < 0
			|| terminated(&held->address, address, sizeof(address)) < 0
			|| terminated(&held->initiator, name, sizeof(name)) < 0) {
		LM_ERR("PAP: a held push with an oversized push-id, address or"
			   " initiator\n");
		return;
	}
	o.address = address;
	if(sip_code >= 200 && sip_code < 300) {
		o.state = PAP_STATE_DELIVERED;
		o.code = PAP_OK;
		update_stat(push_st_pap_delivered, 1);
	} else {
		o.state = PAP_STATE_EXPIRED;
		o.code = PAP_SERVICE_FAILURE;
		update_stat(push_st_pap_undeliverable, 1);
	}
	LM_INFO("PAP: push-id '%s' to %s (held): %s (%d)\n",
			pap_printable(push_id, shown_id, sizeof(shown_id)),
			pap_printable(address, shown_address, sizeof(shown_address)),
			pap_state_name(o.state), o.code);
	for(i = 0; (ini = pap_initiator_at(i)) != NULL; i++) {
		if(strcmp(ini->name.s, name) == 0) {
			pap_store_find(ini->index, push_id, strlen(push_id),
					set_held_outcome, &o);
			break;
		}
	}
	if(held->notify.len > 0 && pap_send_can_notify())
		pap_send_notification(held->version, push_id, address, &held->notify,
				held->received, NULL, o.state, o.code);
}

/* ---- RPC ---------------------------------------------------------------- */

const char *push_pap_rpc_status_doc[] = {
		"The PAP pushes of a push-id: initiator, times and the state of each"
		" address.",
		0};

typedef struct rpc_walk
{
	rpc_t *rpc;
	void *ctx;
} rpc_walk_t;

static void rpc_add_push(pap_push_t *p, void *arg)
{
	rpc_walk_t *w = arg;
	pap_initiator_t *ini = pap_initiator_at(p->initiator);
	void *st, *arr, *tst;
	int i;

	if(w->rpc->add(w->ctx, "{", &st) < 0)
		return;
	w->rpc->struct_add(st, "sSddS", "initiator", ini ? ini->name.s : "",
			"push_id", &p->push_id, "received", (int)p->received, "expires",
			(int)p->expires, "notify_to", &p->notify_to);
	if(w->rpc->struct_add(st, "[", "addresses", &arr) < 0)
		return;
	for(i = 0; i < p->n; i++) {
		if(w->rpc->array_add(arr, "{", &tst) < 0)
			return;
		w->rpc->struct_add(tst, "SSsdd", "address", &p->t[i].address, "uri",
				&p->t[i].uri, "state", pap_state_name(p->t[i].state), "code",
				p->t[i].code, "event_time", (int)p->t[i].event_time);
	}
}

void push_pap_rpc_status(rpc_t *rpc, void *ctx)
{
	rpc_walk_t w = {rpc, ctx};
	str id;

	if(!pap_enabled()) {
		rpc->fault(ctx, 500, "PAP is not configured");
		return;
	}
	if(rpc->scan(ctx, "S", &id) < 1) {
		rpc->fault(ctx, 400, "push-id expected");
		return;
	}
	if(pap_store_find(-1, id.s, id.len, rpc_add_push, &w) == 0)
		rpc->fault(ctx, 404, "Unknown push-id");
}
