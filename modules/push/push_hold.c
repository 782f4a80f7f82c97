/*
 * push module - store and forward: pushes held until a matching device
 * registers
 *
 * A held push is one row of the hold table (db_url): the request as it
 * would have been forwarded (its header lines after the script's changes,
 * without the hop-by-hop and transaction headers), its body and expiry.
 * Every process that touches the table opens its own connection when it
 * first needs it.
 *
 * A row is sent by whoever claims it first: the claim writes a token of
 * its own into claimed_by, on the condition that no unexpired claim is
 * there, and reads it back. Each statement is atomic in the database, so
 * of several proxies on one database (or several processes of one) exactly
 * one reads back its token; that works alike on SQLite, PostgreSQL and
 * MySQL, without the affected-rows count SQLite's module lacks. A claim
 * lasts hold_claim (longer than any MESSAGE transaction), so a proxy that
 * dies while sending does not keep the push away for ever.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/dset.h"
#include "core/fmsg.h"
#include "core/globals.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/msg_translator.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/pt.h"
#include "push_random.h"
#include "core/receive.h"
#include "core/route.h"
#include "core/timer_proc.h"
#include "core/trim.h"
#include "core/ut.h"
#include "lib/srdb1/db.h"
#include "modules/tm/tm_load.h"

#include "lib/heldrow.h"

#include "push_delivery.h"
#include "push_hold.h"
#include "push_lookup.h"
#include "push_pap.h"
#include "push_stamp.h"
#include "push_stats.h"
#include "push_sweep.h"

str push_hold_table = str_init("push_hold");
int push_hold_expires = 86400;
int push_hold_max_expires = 604800;
int push_hold_max_per_aor = 100;
int push_hold_max_rows = 100000;
int push_hold_interval = 10;
int push_hold_rows = 100;
int push_hold_retry_interval = 60;

/* Kamailio 6.1 gave build_req_buf_from_sip_req() a build options
 * argument; none are needed here. */
#if defined(VERSIONVAL) && VERSIONVAL >= 6001000
#define PUSH_MSGBUILD_ARG , NULL
#else
#define PUSH_MSGBUILD_ARG
#endif

/* Seconds a claim keeps a row for its claimant: beyond tm's longest
 * non-INVITE transaction (fr_timer, at most a few minutes). */
#define HOLD_CLAIM 300
/* What one held push may be: the header lines and the body. */
#define HOLD_MAX_HEADERS 8192
#define HOLD_MAX_BODY 65536
#define HOLD_MAX_URI 1024
#define HOLD_MAX_APP 128
#define HOLD_TOKEN_MAX PUSH_HOLD_TOKEN_SIZE
#define HOLD_SQL_MAX 512

static db_func_t dbf;
static db1_con_t *dbh; /* this process's connection, opened when needed */
static int hold_on;	   /* the table answered at startup */
/* shm: 0 when the table was empty at the timer's last look and this proxy
 * held nothing since; a REGISTER then costs no query. A push another proxy
 * holds meanwhile, or one this proxy holds between the timer's look and its
 * setting the flag (no lock: a race, not a loss), is found by the timer,
 * which sends held pushes that a registered device matches, within
 * hold_interval. */
static int *held_any;
static struct tm_binds tmb;
static int expired_rt_idx = -1;
static str expired_name = str_init("push:expired");

/* the push event_route[push:expired] is about (timer process) */
static struct
{
	str aor;
	str callid;
	str app;
	int age;
} expiring;

enum hold_pv
{
	HOLD_PV_AOR = 1,
	HOLD_PV_CALLID,
	HOLD_PV_APP,
	HOLD_PV_AGE
};

/* clang-format off */
static str col_id = str_init("id");
static str col_aor = str_init("aor");
static str col_callid = str_init("callid");
static str col_app = str_init("app");
static str col_from = str_init("from_uri");
static str col_to = str_init("to_uri");
static str col_headers = str_init("headers");
static str col_body = str_init("body");
static str col_held_at = str_init("held_at");
static str col_not_before = str_init("not_before");
static str col_expires = str_init("expires");
static str col_claimed_by = str_init("claimed_by");
static str col_claimed_until = str_init("claimed_until");
static str col_pap_initiator = str_init("pap_initiator");
static str col_pap_push_id = str_init("pap_push_id");
static str col_pap_address = str_init("pap_address");
static str col_pap_notify = str_init("pap_notify");
static str col_pap_version = str_init("pap_version");
static str col_pap_received = str_init("pap_received");
/* clang-format on */

/* ---- database ----------------------------------------------------------- */

static int db_ready(void)
{
	if(dbh == NULL) {
		dbh = dbf.init(&push_db_url);
		if(dbh == NULL) {
			/* not the URL: it may carry a password */
			LM_ERR("hold: cannot connect to the database of db_url\n");
			return -1;
		}
	}
	if(dbf.use_table(dbh, &push_hold_table) < 0) {
		LM_ERR("hold: cannot use table %.*s\n", push_hold_table.len,
				push_hold_table.s);
		return -1;
	}
	return 0;
}

static void set_str(db_val_t *v, str *s)
{
	VAL_TYPE(v) = DB1_STR;
	VAL_NULL(v) = 0;
	VAL_STR(v) = *s;
}

static void set_ll(db_val_t *v, long long n)
{
	VAL_TYPE(v) = DB1_BIGINT;
	VAL_NULL(v) = 0;
	VAL_BIGINT(v) = n;
}

/* A stored integer: -1 when NULL or not a number (a row edited by hand). */
static int val_ll(db_val_t *v, long long *n)
{
	char buf[32];
	char *end;
	str s;

	if(VAL_NULL(v))
		return -1;
	switch(VAL_TYPE(v)) {
		case DB1_INT:
			*n = VAL_INT(v);
			return 0;
		case DB1_BIGINT:
			*n = VAL_BIGINT(v);
			return 0;
		case DB1_STRING:
			s.s = (char *)VAL_STRING(v);
			s.len = s.s ? strlen(s.s) : 0;
			break;
		case DB1_STR:
			s = VAL_STR(v);
			break;
		default:
			return -1;
	}
	if(s.s == NULL || s.len <= 0 || s.len >= (int)sizeof(buf))
		return -1;
	memcpy(buf, s.s, s.len);
	buf[s.len] = '\0';
	*n = strtoll(buf, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Stored text or bytes; NULL is empty. -1 for another type. */
static int val_text(db_val_t *v, str *s)
{
	s->s = "";
	s->len = 0;
	if(VAL_NULL(v))
		return 0;
	switch(VAL_TYPE(v)) {
		case DB1_STRING:
			if(VAL_STRING(v)) {
				s->s = (char *)VAL_STRING(v);
				s->len = strlen(s->s);
			}
			return 0;
		case DB1_STR:
			if(VAL_STR(v).s)
				*s = VAL_STR(v);
			return 0;
		case DB1_BLOB:
			if(VAL_BLOB(v).s)
				*s = VAL_BLOB(v);
			return 0;
		default:
			return -1;
	}
}

/* The number of rows held for aor, -1 on error. */
static int count_held(str *aor)
{
	db_key_t keys[1] = {&col_aor};
	db_key_t cols[1] = {&col_id};
	db_val_t vals[1];
	db1_res_t *res = NULL;
	int n;

	set_str(&vals[0], aor);
	if(dbf.query(dbh, keys, 0, vals, cols, 1, 1, 0, &res) < 0 || res == NULL) {
		LM_ERR("hold: cannot count the pushes held for %.*s\n", aor->len,
				aor->s);
		return -1;
	}
	n = RES_ROW_N(res);
	dbf.free_result(dbh, res);
	return n;
}

/* The number of rows of the whole table, -1 on error. */
static int count_all(void)
{
	char sql_buf[HOLD_SQL_MAX];
	str sql = {sql_buf, 0};
	db1_res_t *res = NULL;
	long long n = -1;

	sql.len = snprintf(sql_buf, sizeof(sql_buf), "SELECT COUNT(*) FROM %.*s",
			push_hold_table.len, push_hold_table.s);
	if(dbf.raw_query(dbh, &sql, &res) < 0 || res == NULL) {
		LM_ERR("hold: cannot count the held pushes\n");
		return -1;
	}
	if(RES_ROW_N(res) != 1 || ROW_N(RES_ROWS(res)) < 1
			|| val_ll(ROW_VALUES(RES_ROWS(res)), &n) < 0)
		n = -1;
	dbf.free_result(dbh, res);
	return (int)n;
}

/* Room for push callid held for aor: PUSH_HOLD_OK, PUSH_HOLD_FULL (logged)
 * when the user has hold_max_per_aor or the table hold_max_rows (anybody
 * may address a push to any user name), PUSH_HOLD_ERROR. */
static int store_room(str *aor, str *callid)
{
	int n;

	if(db_ready() < 0 || (n = count_held(aor)) < 0)
		return PUSH_HOLD_ERROR;
	if(n >= push_hold_max_per_aor) {
		LM_NOTICE("hold: %d pushes held for %.*s already (hold_max_per_aor):"
				  " push %.*s not held\n",
				n, aor->len, aor->s, callid->len, callid->s);
		return PUSH_HOLD_FULL;
	}
	if((n = count_all()) < 0)
		return PUSH_HOLD_ERROR;
	if(n >= push_hold_max_rows) {
		LM_NOTICE("hold: %d pushes held in all already (hold_max_rows):"
				  " push %.*s for %.*s not held\n",
				n, callid->len, callid->s, aor->len, aor->s);
		return PUSH_HOLD_FULL;
	}
	return PUSH_HOLD_OK;
}

/* Claim row id for this process: a token of its own written where no
 * unexpired claim is, then read back (see the top of the file). 1 claimed,
 * 0 someone else's, -1 error. */
static int claim(long long id, char *token, int size)
{
	static unsigned int counter;
	db_key_t keys[2] = {&col_id, &col_claimed_until};
	db_op_t ops[2] = {OP_EQ, OP_LT};
	db_key_t ukeys[2] = {&col_claimed_by, &col_claimed_until};
	db_key_t cols[1] = {&col_claimed_by};
	db_val_t vals[2], uvals[2];
	db1_res_t *res = NULL;
	time_t now = time(NULL);
	char rnd[17];
	str tok, got;
	int mine;

	if(push_random_hex(rnd, 8) < 0)
		return -1;
	tok.len = snprintf(token, size, "%d.%d.%u.%s", server_id, my_pid(),
			++counter, rnd);
	if(tok.len <= 0 || tok.len >= size)
		return -1;
	tok.s = token;
	set_ll(&vals[0], id);
	set_ll(&vals[1], (long long)now);
	set_str(&uvals[0], &tok);
	set_ll(&uvals[1], (long long)now + HOLD_CLAIM);
	if(db_ready() < 0 || dbf.update(dbh, keys, ops, vals, ukeys, uvals, 2, 2) < 0)
		return -1;
	if(dbf.query(dbh, keys, 0, vals, cols, 1, 1, 0, &res) < 0 || res == NULL)
		return -1;
	mine = RES_ROW_N(res) == 1
		   && val_text(ROW_VALUES(RES_ROWS(res)), &got) == 0
		   && got.len == tok.len && memcmp(got.s, tok.s, tok.len) == 0;
	dbf.free_result(dbh, res);
	return mine;
}

/* Delete row id (with the claim token, when given). A delivered push
 * whose row stayed would be sent again once its claim runs out, so a
 * failure (SQLite answers "database is locked" at once while another
 * process writes) is tried again a few times, HOLD_DROP_TRIES at most,
 * HOLD_DROP_PAUSE_US apart. */
#define HOLD_DROP_TRIES 5
#define HOLD_DROP_PAUSE_US 20000

static int drop_row(long long id, str *token)
{
	db_key_t keys[2] = {&col_id, &col_claimed_by};
	db_val_t vals[2];
	int tries;

	set_ll(&vals[0], id);
	if(token)
		set_str(&vals[1], token);
	for(tries = 0; tries < HOLD_DROP_TRIES; tries++) {
		if(tries > 0)
			usleep(HOLD_DROP_PAUSE_US);
		if(db_ready() == 0
				&& dbf.delete(dbh, keys, 0, vals, token ? 2 : 1) == 0)
			return 0;
	}
	LM_ERR("hold: cannot delete held push %lld: it may be sent again after"
		   " its claim (%d s)\n",
			id, HOLD_CLAIM);
	return -1;
}

/* Give a claimed row back: it stays held (a due deliver-after time has
 * been acted on), for a registration or the timer to take from retry_at
 * on. */
static void release(str *token, time_t retry_at)
{
	static str none = str_init("");
	db_key_t keys[1] = {&col_claimed_by};
	db_key_t ukeys[3] = {&col_claimed_by, &col_claimed_until, &col_not_before};
	db_val_t vals[1], uvals[3];

	set_str(&vals[0], token);
	set_str(&uvals[0], &none);
	set_ll(&uvals[1], (long long)retry_at);
	set_ll(&uvals[2], 0);
	if(db_ready() < 0 || dbf.update(dbh, keys, 0, vals, ukeys, uvals, 1, 3) < 0)
		LM_ERR("hold: cannot release held push %.*s (held again after %d s)\n",
				token->len, token->s, HOLD_CLAIM);
}

/* ---- holding ------------------------------------------------------------ */

/* Headers that belong to the hop or to the transaction, not to the push:
 * a held push is a new transaction of the proxy's. */
static int kept_header(hdr_field_t *hf)
{
	switch(hf->type) {
		case HDR_VIA_T:
		case HDR_ROUTE_T:
		case HDR_RECORDROUTE_T:
		case HDR_MAXFORWARDS_T:
		case HDR_CONTENTLENGTH_T:
		case HDR_CSEQ_T:
		case HDR_CALLID_T:
		case HDR_FROM_T:
		case HDR_TO_T:
		case HDR_CONTACT_T:
		case HDR_PATH_T:
		case HDR_AUTHORIZATION_T:
		case HDR_PROXYAUTH_T:
		case HDR_EXPIRES_T:
		case HDR_ERROR_T:
			return 0;
		default:
			return 1;
	}
}

/* The value of feature_tag in header text t, for listings ("" if none). */
static void app_of(str *t, str *app)
{
	size_t off, len;

	app->s = "";
	app->len = 0;
	if(held_tag_value(t->s, t->len, push_feature_tag.s, push_feature_tag.len,
			   HOLD_MAX_APP, &off, &len)
			== 0) {
		app->s = t->s + off;
		app->len = (int)len;
	}
}

/* The parts of the forwarded request fwd a row keeps: header lines into
 * hdrs (pkg, the caller frees), From and To URIs, the application and the
 * body point into fwd. */
typedef struct held_parts
{
	str hdrs;
	str from;
	str to;
	str app;
	str body;
} held_parts_t;

static int held_parts(sip_msg_t *fwd, held_parts_t *hp)
{
	hdr_field_t *hf;
	char *body;
	int len = 0;

	memset(hp, 0, sizeof(*hp));
	hp->app.s = ""; /* no Accept-Contact: an empty value, not NULL */
	if(parse_headers(fwd, HDR_EOH_F, 0) < 0 || parse_from_header(fwd) < 0
			|| fwd->to == NULL || get_to(fwd) == NULL) {
		LM_ERR("hold: cannot parse the request as forwarded\n");
		return -1;
	}
	hp->from = get_from(fwd)->uri;
	hp->to = get_to(fwd)->uri;
	if(hp->from.len > HOLD_MAX_URI || hp->to.len > HOLD_MAX_URI) {
		LM_ERR("hold: From or To URI too long\n");
		return -1;
	}
	for(hf = fwd->headers; hf; hf = hf->next) {
		if(kept_header(hf))
			len += hf->len;
	}
	if(len > HOLD_MAX_HEADERS) {
		LM_ERR("hold: %d bytes of header lines, more than %d\n", len,
				HOLD_MAX_HEADERS);
		return -1;
	}
	hp->hdrs.s = pkg_malloc(len + 1);
	if(hp->hdrs.s == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	for(hf = fwd->headers; hf; hf = hf->next) {
		if(!kept_header(hf))
			continue;
		memcpy(hp->hdrs.s + hp->hdrs.len, hf->name.s, hf->len);
		hp->hdrs.len += hf->len;
		if(hf->type == HDR_ACCEPTCONTACT_T && hp->app.len == 0)
			app_of(&hf->body, &hp->app);
	}
	body = get_body(fwd);
	if(body) {
		hp->body.s = body;
		hp->body.len = (int)(fwd->buf + fwd->len - body);
	}
	if(hp->body.len > HOLD_MAX_BODY) {
		LM_ERR("hold: a body of %d bytes, more than %d\n", hp->body.len,
				HOLD_MAX_BODY);
		pkg_free(hp->hdrs.s);
		hp->hdrs.s = NULL;
		return -1;
	}
	return 0;
}

/* Seconds to hold msg: the argument or hold_expires, capped by
 * hold_max_expires and the request's Expires header. */
static int hold_seconds(sip_msg_t *msg, int expires)
{
	unsigned int v;
	str e;

	if(expires < 0)
		expires = push_hold_expires;
	if(expires > push_hold_max_expires)
		expires = push_hold_max_expires;
	if(parse_headers(msg, HDR_EXPIRES_F, 0) == 0 && msg->expires) {
		e = msg->expires->body;
		trim(&e);
		if(str2int(&e, &v) == 0 && (int)v >= 0 && (int)v < expires)
			expires = (int)v;
	}
	return expires;
}

/* One row; pap NULL for a push that is not PAP's, token NULL for an
 * unclaimed row. */
static int insert_row(str *aor, str *callid, held_parts_t *hp,
		time_t not_before, time_t expires, push_hold_pap_t *pap, str *token)
{
	static str none = str_init("");
	db_key_t keys[18] = {&col_aor, &col_callid, &col_app, &col_from, &col_to,
			&col_headers, &col_body, &col_held_at, &col_not_before,
			&col_expires, &col_claimed_by, &col_claimed_until,
			&col_pap_initiator, &col_pap_push_id, &col_pap_address,
			&col_pap_notify, &col_pap_version, &col_pap_received};
	db_val_t vals[18];
	time_t now = time(NULL);

	set_str(&vals[0], aor);
	set_str(&vals[1], callid);
	set_str(&vals[2], &hp->app);
	set_str(&vals[3], &hp->from);
	set_str(&vals[4], &hp->to);
	set_str(&vals[5], &hp->hdrs);
	VAL_TYPE(&vals[6]) = DB1_BLOB;
	VAL_NULL(&vals[6]) = 0;
	VAL_BLOB(&vals[6]) = hp->body;
	set_ll(&vals[7], (long long)now);
	set_ll(&vals[8], (long long)not_before);
	set_ll(&vals[9], (long long)expires);
	set_str(&vals[10], token ? token : &none);
	set_ll(&vals[11], token ? (long long)now + HOLD_CLAIM : 0);
	set_str(&vals[12], pap ? &pap->initiator : &none);
	set_str(&vals[13], pap ? &pap->push_id : &none);
	set_str(&vals[14], pap ? &pap->address : &none);
	set_str(&vals[15], pap ? &pap->notify : &none);
	set_ll(&vals[16], pap ? pap->version : 0);
	set_ll(&vals[17], pap ? (long long)pap->received : 0);
	if(db_ready() < 0 || dbf.insert(dbh, keys, vals, 18) < 0) {
		LM_ERR("hold: cannot store the push for %.*s\n", aor->len, aor->s);
		return -1;
	}
	*held_any = 1;
	return 0;
}

int push_hold(sip_msg_t *msg, int expires)
{
	char aor_buf[MAX_URI_SIZE];
	struct dest_info dst;
	sip_msg_t fwd;
	held_parts_t hp;
	unsigned int len;
	char *buf;
	str aor, callid;
	int rc = PUSH_HOLD_ERROR;

	if(!hold_on) {
		LM_ERR("hold: no hold store (db_url and the %.*s table)\n",
				push_hold_table.len, push_hold_table.s);
		return PUSH_HOLD_ERROR;
	}
	if(msg->first_line.type != SIP_REQUEST || parse_sip_msg_uri(msg) < 0
			|| parse_headers(msg, HDR_CALLID_F, 0) < 0 || msg->callid == NULL) {
		LM_ERR("hold: not a request with a Request-URI and a Call-ID\n");
		return PUSH_HOLD_ERROR;
	}
	if(push_pap_own_request(msg)) {
		/* the PAP front end holds its pushes itself, those with a
		 * deliver-before time; it reports the others undeliverable */
		LM_INFO("hold: a push of the PAP front end is not held here\n");
		return PUSH_HOLD_ERROR;
	}
	if(push_parsed_aor(&msg->parsed_uri, aor_buf, sizeof(aor_buf), &aor) < 0)
		return PUSH_HOLD_ERROR;
	callid = msg->callid->body;
	trim(&callid);
	expires = hold_seconds(msg, expires);
	if(expires <= 0) {
		LM_NOTICE("hold: push %.*s for %.*s expires now: not held\n",
				callid.len, callid.s, aor.len, aor.s);
		return PUSH_HOLD_ERROR;
	}
	if((rc = store_room(&aor, &callid)) != PUSH_HOLD_OK)
		return rc;
	rc = PUSH_HOLD_ERROR; /* until it is stored */

	/* the request as it would leave now: the script's changes applied */
	init_dest_info(&dst);
	dst.proto = PROTO_UDP;
	buf = build_req_buf_from_sip_req(msg, &len, &dst,
			BUILD_NO_LOCAL_VIA | BUILD_NO_VIA1_UPDATE PUSH_MSGBUILD_ARG);
	if(buf == NULL) {
		LM_ERR("hold: cannot build the request as forwarded\n");
		return PUSH_HOLD_ERROR;
	}
	if(build_sip_msg_from_buf(&fwd, buf, (int)len, inc_msg_no()) < 0) {
		LM_ERR("hold: cannot parse the request as forwarded\n");
		pkg_free(buf);
		return PUSH_HOLD_ERROR;
	}
	if(held_parts(&fwd, &hp) == 0) {
		if(insert_row(&aor, &callid, &hp, 0, time(NULL) + expires, NULL, NULL)
				== 0) {
			update_stat(push_st_held, 1);
			LM_INFO("hold: push %.*s for %.*s held for %d s\n", callid.len,
					callid.s, aor.len, aor.s, expires);
			rc = PUSH_HOLD_OK;
		}
		pkg_free(hp.hdrs.s);
	}
	free_sip_msg(&fwd);
	pkg_free(buf);
	return rc;
}

int push_hold_message(str *uri, str *callid, str *from, str *hdrs, str *body,
		time_t not_before, time_t expires, push_hold_pap_t *pap, char *token)
{
	char aor_buf[MAX_URI_SIZE], rnd[17];
	held_parts_t hp;
	sip_uri_t puri;
	str aor, tok, *claimed = NULL;
	int n;

	if(!hold_on) {
		LM_ERR("hold: no hold store (db_url and the %.*s table)\n",
				push_hold_table.len, push_hold_table.s);
		return PUSH_HOLD_ERROR;
	}
	if(push_uri_aor(uri, aor_buf, sizeof(aor_buf), &aor, &puri) < 0
			|| hdrs->len > HOLD_MAX_HEADERS || body->len > HOLD_MAX_BODY)
		return PUSH_HOLD_ERROR;
	if((n = store_room(&aor, callid)) != PUSH_HOLD_OK)
		return n;
	memset(&hp, 0, sizeof(hp));
	hp.hdrs = *hdrs;
	hp.from = *from;
	hp.to = *uri;
	hp.body = *body;
	app_of(hdrs, &hp.app);
	if(token) {
		if(push_random_hex(rnd, 8) < 0)
			return PUSH_HOLD_ERROR;
		tok.len = snprintf(token, PUSH_HOLD_TOKEN_SIZE, "%d.%d.pap.%s",
				server_id, my_pid(), rnd);
		if(tok.len <= 0 || tok.len >= PUSH_HOLD_TOKEN_SIZE)
			return PUSH_HOLD_ERROR;
		tok.s = token;
		claimed = &tok;
	}
	if(insert_row(&aor, callid, &hp, not_before, expires, pap, claimed) < 0)
		return PUSH_HOLD_ERROR;
	update_stat(push_st_held, 1);
	return PUSH_HOLD_OK;
}

void push_hold_settle(str *token, int keep)
{
	db_key_t keys[1] = {&col_claimed_by};
	db_val_t vals[1];

	if(keep) {
		release(token, 0);
		return;
	}
	set_str(&vals[0], token);
	if(db_ready() < 0 || dbf.delete(dbh, keys, 0, vals, 1) < 0)
		LM_ERR("hold: cannot delete the held copy %.*s of a PAP push\n",
				token->len, token->s);
}

/* The number of rows of a PAP push, -1 on error. */
static int count_pap(db_key_t *keys, db_val_t *vals)
{
	db_key_t cols[1] = {&col_id};
	db1_res_t *res = NULL;
	int n;

	if(dbf.query(dbh, keys, 0, vals, cols, 2, 1, 0, &res) < 0 || res == NULL)
		return -1;
	n = RES_ROW_N(res);
	dbf.free_result(dbh, res);
	return n;
}

int push_hold_pap_cancel(str *initiator, str *push_id)
{
	db_key_t keys[3] = {&col_pap_initiator, &col_pap_push_id,
			&col_claimed_until};
	db_op_t ops[3] = {OP_EQ, OP_EQ, OP_LT};
	db_val_t vals[3];
	int before, after;

	if(!hold_on)
		return 0;
	set_str(&vals[0], initiator);
	set_str(&vals[1], push_id);
	set_ll(&vals[2], (long long)time(NULL));
	if(db_ready() < 0 || (before = count_pap(keys, vals)) < 0
			|| dbf.delete(dbh, keys, ops, vals, 3) < 0
			|| (after = count_pap(keys, vals)) < 0) {
		LM_ERR("hold: cannot cancel the held PAP push\n");
		return -1;
	}
	if(before > after)
		update_stat(push_st_held_dropped, before - after);
	return before - after;
}

/* ---- delivery ----------------------------------------------------------- */

/* A row read back: points into the query result. */
typedef struct held_row
{
	long long id;
	str aor;
	str callid;
	str app;
	str from;
	str to;
	str hdrs;
	str body;
	long long held_at;
	long long not_before;
	long long expires;
	long long claimed_until;
	push_hold_pap_t pap; /* pap.push_id empty: not a PAP push */
} held_row_t;

/* The columns a row is read with, in read_row()'s order. */
#define ROW_COLS 18
static db_key_t row_cols[ROW_COLS] = {&col_id, &col_aor, &col_callid,
		&col_app, &col_from, &col_to, &col_headers, &col_body, &col_held_at,
		&col_not_before, &col_expires, &col_claimed_until, &col_pap_initiator,
		&col_pap_push_id, &col_pap_address, &col_pap_notify, &col_pap_version,
		&col_pap_received};

/* Row r into h; -1 when a column is missing, of the wrong type or out of
 * bounds (a row edited by hand). */
static int read_row(db_row_t *r, held_row_t *h)
{
	db_val_t *v = ROW_VALUES(r);
	long long version, received;

	if(ROW_N(r) < ROW_COLS || val_ll(&v[0], &h->id) < 0
			|| val_text(&v[1], &h->aor) < 0 || val_text(&v[2], &h->callid) < 0
			|| val_text(&v[3], &h->app) < 0 || val_text(&v[4], &h->from) < 0
			|| val_text(&v[5], &h->to) < 0 || val_text(&v[6], &h->hdrs) < 0
			|| val_text(&v[7], &h->body) < 0 || val_ll(&v[8], &h->held_at) < 0
			|| val_ll(&v[9], &h->not_before) < 0
			|| val_ll(&v[10], &h->expires) < 0
			|| val_ll(&v[11], &h->claimed_until) < 0
			|| val_text(&v[12], &h->pap.initiator) < 0
			|| val_text(&v[13], &h->pap.push_id) < 0
			|| val_text(&v[14], &h->pap.address) < 0
			|| val_text(&v[15], &h->pap.notify) < 0
			|| val_ll(&v[16], &version) < 0
			|| val_ll(&v[17], &received) < 0)
		return -1;
	h->pap.version = (int)version;
	h->pap.received = (time_t)received;
	if(h->aor.len <= 0 || h->aor.len > HOLD_MAX_URI || h->callid.len <= 0
			|| h->callid.len > HOLD_MAX_URI || h->from.len <= 0
			|| h->from.len > HOLD_MAX_URI || h->to.len <= 0
			|| h->to.len > HOLD_MAX_URI || h->app.len > HOLD_MAX_APP
			|| !held_headers_ok(h->hdrs.s, h->hdrs.len, HOLD_MAX_HEADERS)
			|| h->body.len > HOLD_MAX_BODY
			|| h->pap.initiator.len > HOLD_MAX_URI
			|| h->pap.push_id.len > HOLD_MAX_URI
			|| h->pap.address.len > HOLD_MAX_URI
			|| h->pap.notify.len > HOLD_MAX_URI)
		return -1;
	return 0;
}

/* The caller preferences of held push h into push_prefs, read from its
 * header lines as from a request. *buf (pkg) and *m are the caller's to
 * free (free_sip_msg, pkg_free) when 0 is returned. */
static int row_prefs(held_row_t *h, sip_msg_t *m, char **buf)
{
	static const char head[] = "MESSAGE sip:hold.invalid SIP/2.0\r\n"
							   "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKhold\r\n"
							   "From: <sip:hold.invalid>;tag=h\r\n"
							   "To: <sip:hold.invalid>\r\n"
							   "Call-ID: hold\r\nCSeq: 1 MESSAGE\r\n";
	static const char tail[] = "Content-Length: 0\r\n\r\n";
	int len = sizeof(head) - 1 + h->hdrs.len + sizeof(tail) - 1;

	*buf = pkg_malloc(len + 1);
	if(*buf == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(*buf, head, sizeof(head) - 1);
	memcpy(*buf + sizeof(head) - 1, h->hdrs.s, h->hdrs.len);
	memcpy(*buf + sizeof(head) - 1 + h->hdrs.len, tail, sizeof(tail));
	if(build_sip_msg_from_buf(m, *buf, len, inc_msg_no()) < 0) {
		pkg_free(*buf);
		return -1;
	}
	if(push_read_prefs(m) < 0) {
		free_sip_msg(m);
		pkg_free(*buf);
		return -1;
	}
	return 0;
}

/* What the MESSAGE's tm callback needs: one shm block, the strings of the
 * token and of the PAP push after the struct. */
typedef struct held_sent
{
	long long id;
	str token;
	push_hold_pap_t pap;
} held_sent_t;

static void copy_into(str *dst, str *src, char **room)
{
	dst->s = *room;
	dst->len = src->len;
	memcpy(*room, src->s, src->len);
	*room += src->len;
}

static held_sent_t *new_sent(held_row_t *h, str *token)
{
	held_sent_t *sent;
	char *room;
	int size = sizeof(*sent) + token->len;

	if(h->pap.push_id.len > 0)
		size += h->pap.initiator.len + h->pap.push_id.len
				+ h->pap.address.len + h->pap.notify.len;
	sent = shm_malloc(size);
	if(sent == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(sent, 0, sizeof(*sent));
	room = (char *)(sent + 1);
	sent->id = h->id;
	copy_into(&sent->token, token, &room);
	if(h->pap.push_id.len > 0) {
		copy_into(&sent->pap.initiator, &h->pap.initiator, &room);
		copy_into(&sent->pap.push_id, &h->pap.push_id, &room);
		copy_into(&sent->pap.address, &h->pap.address, &room);
		copy_into(&sent->pap.notify, &h->pap.notify, &room);
		sent->pap.version = h->pap.version;
		sent->pap.received = h->pap.received;
	}
	return sent;
}

static void sent_cb(struct cell *t, int type, struct tmcb_params *ps)
{
	held_sent_t *sent;

	if(ps->param == NULL || *ps->param == NULL)
		return;
	sent = *ps->param;
	*ps->param = NULL;
	if(ps->code >= 200 && ps->code < 300) {
		if(drop_row(sent->id, &sent->token) == 0) {
			update_stat(push_st_held_delivered, 1);
			LM_INFO("hold: held push %lld delivered (%d)\n", sent->id,
					ps->code);
			if(sent->pap.push_id.len > 0)
				push_pap_held_outcome(&sent->pap, ps->code);
		}
	} else {
		LM_INFO("hold: held push %lld answered %d: held on, tried again in"
				" %d s at the earliest\n",
				sent->id, ps->code, push_hold_retry_interval);
		release(&sent->token, time(NULL) + push_hold_retry_interval);
	}
	shm_free(sent);
}

/* Send held push h, claimed with token, to binding b. */
static void send_held(held_row_t *h, str *token, push_binding_t *b)
{
	static str method = str_init("MESSAGE");
	char hbuf[HOLD_MAX_HEADERS + MAX_URI_SIZE + 16];
	str hdrs = {hbuf, 0}, path, dst, *next_hop = NULL;
	held_sent_t *sent;
	uac_req_t uac_r;

	if(push_path_first_hop(b, &path, &dst) < 0)
		goto failed;
	if(dst.len > 0) {
		if(path.len > MAX_URI_SIZE)
			goto failed;
		hdrs.len = snprintf(hbuf, sizeof(hbuf), "Route: %.*s\r\n", path.len,
				path.s);
		next_hop = &dst;
	} else if(b->received.len > 0) {
		next_hop = &b->received;
	}
	memcpy(hbuf + hdrs.len, h->hdrs.s, h->hdrs.len);
	hdrs.len += h->hdrs.len;
	sent = new_sent(h, token);
	if(sent == NULL)
		goto failed;
	set_uac_req(&uac_r, &method, &hdrs, &h->body, NULL, TMCB_LOCAL_COMPLETED,
			sent_cb, sent);
	uac_r.callid = &h->callid;
	if(b->sock)
		uac_r.ssock = &b->sock->sock_str;
	if(tmb.t_request(&uac_r, &b->c, &h->to, &h->from, next_hop) < 0) {
		shm_free(sent);
		goto failed;
	}
	LM_INFO("hold: held push %lld (%.*s) sent to <%.*s>\n", h->id,
			h->callid.len, h->callid.s, b->c.len, b->c.s);
	return;
failed:
	LM_ERR("hold: cannot send held push %lld to <%.*s>: held on\n", h->id,
			b->c.len, b->c.s);
	release(token, time(NULL) + push_hold_retry_interval);
}

/* Held push h: to the first binding accepted by is_new (any, when is_new is
 * NULL) among those its caller preferences select now, if any. */
static void deliver_row(udomain_t *d, held_row_t *h, push_hold_new_f is_new,
		void *arg)
{
	char token_buf[HOLD_TOKEN_MAX];
	push_bindings_t set;
	str token;
	sip_msg_t m;
	char *buf;
	int k, rc;

	if(row_prefs(h, &m, &buf) < 0) {
		LM_ERR("hold: held push %lld: its caller preferences cannot be read:"
			   " skipped\n",
				h->id);
		return;
	}
	rc = push_bindings_select(
			d, &h->aor, NULL, push_prefs, (int)sr_dst_max_branches, &set);
	free_sip_msg(&m);
	pkg_free(buf);
	if(rc < 0)
		return;
	for(k = 0; is_new && k < set.n; k++) {
		if(is_new(&set.b[k], arg))
			break;
	}
	if(k < set.n
			&& (set.outcome == CP_OUT_MATCHED
					|| set.outcome == CP_OUT_REVERTED)) {
		rc = claim(h->id, token_buf, sizeof(token_buf));
		if(rc > 0) {
			token.s = token_buf;
			token.len = strlen(token_buf);
			send_held(h, &token, &set.b[k]);
		} else if(rc < 0) {
			LM_NOTICE("hold: held push %lld for %.*s cannot be claimed now"
					  " (database): the timer tries again\n",
					h->id, h->aor.len, h->aor.s);
		}
	} else if(is_new == NULL && h->not_before > 0) {
		/* its deliver-after time has come and nothing matches: held on
		 * for a registration or a later run of the timer */
		rc = claim(h->id, token_buf, sizeof(token_buf));
		if(rc > 0) {
			token.s = token_buf;
			token.len = strlen(token_buf);
			release(&token, 0);
		}
	}
	push_bindings_free(&set);
}

void push_hold_registered(
		udomain_t *d, str *aor, push_hold_new_f is_new, void *arg)
{
	db_key_t keys[1] = {&col_aor};
	db_val_t vals[1];
	db1_res_t *res = NULL;
	time_t now = time(NULL);
	held_row_t h;
	int i, n;

	if(!hold_on || *held_any == 0 || db_ready() < 0)
		return;
	set_str(&vals[0], aor);
	if(dbf.query(dbh, keys, 0, vals, row_cols, 1, ROW_COLS, &col_id, &res)
					< 0
			|| res == NULL) {
		LM_ERR("hold: cannot read the pushes held for %.*s\n", aor->len,
				aor->s);
		return;
	}
	n = RES_ROW_N(res);
	if(n > push_hold_max_per_aor) {
		LM_WARN("hold: %d pushes held for %.*s, more than hold_max_per_aor:"
				" the oldest %d are looked at\n",
				n, aor->len, aor->s, push_hold_max_per_aor);
		n = push_hold_max_per_aor;
	}
	for(i = 0; i < n; i++) {
		if(read_row(&RES_ROWS(res)[i], &h) < 0) {
			LM_ERR("hold: a malformed row held for %.*s: skipped\n", aor->len,
					aor->s);
			continue;
		}
		if(h.expires <= now || h.not_before > now || h.claimed_until >= now)
			continue;
		deliver_row(d, &h, is_new, arg);
	}
	dbf.free_result(dbh, res);
}

/* ---- the timer: due and expired pushes ---------------------------------- */

/* An expired row: claimed, announced, deleted. */
static void expire_row(held_row_t *h, time_t now)
{
	char token_buf[HOLD_TOKEN_MAX];
	str token;

	if(claim(h->id, token_buf, sizeof(token_buf)) <= 0)
		return;
	expiring.aor = h->aor;
	expiring.callid = h->callid;
	expiring.app = h->app;
	expiring.age = (int)(now - h->held_at);
	LM_INFO("hold: push %.*s for %.*s expired after %d s\n", h->callid.len,
			h->callid.s, h->aor.len, h->aor.s, expiring.age);
	push_event_run(
			expired_rt_idx, &expired_name, faked_msg_next(), EVENT_ROUTE);
	memset(&expiring, 0, sizeof(expiring));
	token.s = token_buf;
	token.len = strlen(token_buf);
	if(drop_row(h->id, &token) == 0) {
		update_stat(push_st_held_expired, 1);
		if(h->pap.push_id.len > 0)
			push_pap_held_outcome(&h->pap, 0);
	}
}

/* The usrloc table deliveries at a deliver-after time look the bindings
 * up in: the first one push_save() or push_lookup() named. */
static udomain_t *due_domain;

void push_hold_domain(udomain_t *d)
{
	if(due_domain == NULL)
		due_domain = d;
}

/* The timer takes the held rows in id order, at most hold_rows a run, from
 * after the last id of the run before, so rows it cannot act on
 * (malformed, or claimed by another proxy) never hold up the others. It
 * expires those whose time is up and sends the others to a device their
 * caller preferences select now, if any: a deliver-after time that has
 * come, and a registration whose delivery failed (the database busy at
 * that moment, another proxy's registration) or a device that answered an
 * error hold_retry_interval ago. */
static long long timer_cursor;

static void hold_timer(unsigned int ticks, void *param)
{
	char sql_buf[HOLD_SQL_MAX];
	str sql = {sql_buf, 0};
	db1_res_t *res = NULL;
	time_t now = time(NULL);
	long long id, last = 0;
	held_row_t h;
	int i;

	if(db_ready() < 0)
		return;
	/* most runs find nothing held: one cheap look, and REGISTERs skip the
	 * table until something is held again */
	sql.len = snprintf(sql_buf, sizeof(sql_buf), "SELECT id FROM %.*s LIMIT 1",
			push_hold_table.len, push_hold_table.s);
	if(dbf.raw_query(dbh, &sql, &res) < 0 || res == NULL) {
		LM_ERR("hold: cannot look into the hold table\n");
		return;
	}
	i = RES_ROW_N(res);
	dbf.free_result(dbh, res);
	res = NULL;
	*held_any = i > 0;
	if(i == 0) {
		timer_cursor = 0;
		return;
	}
	/* numbers only and a checked table name: no value to escape */
	sql.len = snprintf(sql_buf, sizeof(sql_buf),
			"SELECT id, aor, callid, app, from_uri, to_uri, headers, body,"
			" held_at, not_before, expires, claimed_until, pap_initiator,"
			" pap_push_id, pap_address, pap_notify, pap_version, pap_received"
			" FROM %.*s WHERE id > %lld AND claimed_until < %lld AND"
			" (expires <= %lld OR not_before <= %lld) ORDER BY id LIMIT %d",
			push_hold_table.len, push_hold_table.s, timer_cursor,
			(long long)now, (long long)now, (long long)now, push_hold_rows);
	if(sql.len <= 0 || sql.len >= (int)sizeof(sql_buf)
			|| dbf.raw_query(dbh, &sql, &res) < 0 || res == NULL) {
		LM_ERR("hold: cannot look for due and expired pushes\n");
		return;
	}
	for(i = 0; i < RES_ROW_N(res); i++) {
		if(ROW_N(&RES_ROWS(res)[i]) > 0
				&& val_ll(ROW_VALUES(&RES_ROWS(res)[i]), &id) == 0 && id > last)
			last = id;
		if(read_row(&RES_ROWS(res)[i], &h) < 0) {
			LM_ERR("hold: a malformed row: skipped\n");
			continue;
		}
		if(h.expires <= now)
			expire_row(&h, now);
		else if(due_domain)
			deliver_row(due_domain, &h, NULL, NULL);
	}
	/* a full batch: the next run goes on after it; else from the start */
	timer_cursor = RES_ROW_N(res) >= push_hold_rows ? last : 0;
	dbf.free_result(dbh, res);
}

/* ---- startup ------------------------------------------------------------ */

/* Whether the table answers a query with the columns this file uses. */
static int probe_table(void)
{
	db1_res_t *res = NULL;
	db_key_t keys[1] = {&col_id};
	db_val_t vals[1];
	int ok;

	if(db_ready() < 0)
		return 0;
	set_ll(&vals[0], -1);
	ok = dbf.query(dbh, keys, 0, vals, row_cols, 1, ROW_COLS, 0, &res) == 0;
	if(res)
		dbf.free_result(dbh, res);
	dbf.close(dbh);
	dbh = NULL;
	return ok;
}

int push_hold_init(void)
{
	if(push_hold_expires < 1 || push_hold_max_expires < 1
			|| push_hold_max_per_aor < 1 || push_hold_max_rows < 1
			|| push_hold_interval < 1
			|| push_hold_rows < 1 || push_hold_rows > 10000
			|| push_hold_retry_interval < 1) {
		LM_ERR("hold: hold_expires, hold_max_expires, hold_max_per_aor,"
			   " hold_max_rows, hold_interval and hold_retry_interval must be"
			   " positive,"
			   " hold_rows 1 to 10000\n");
		return -1;
	}
	if(push_db_url.len <= 0 || push_hold_table.len <= 0)
		return 0;
	if(!push_sql_name_ok(&push_hold_table, 64)) {
		LM_ERR("hold: hold_table '%.*s': at most 64 letters, digits or '_'\n",
				push_hold_table.len, push_hold_table.s);
		return -1;
	}
	if(db_bind_mod(&push_db_url, &dbf) < 0) {
		LM_ERR("hold: cannot bind the database module of db_url\n");
		return -1;
	}
	if(!DB_CAPABILITY(dbf, DB_CAP_QUERY | DB_CAP_INSERT | DB_CAP_UPDATE
								   | DB_CAP_DELETE | DB_CAP_RAW_QUERY)) {
		LM_ERR("hold: the database module of db_url cannot hold pushes\n");
		return -1;
	}
	if(!probe_table()) {
		LM_NOTICE("hold: no table %.*s with the expected columns in db_url:"
				  " push_hold() is off (scripts/location-db.sh creates it)\n",
				push_hold_table.len, push_hold_table.s);
		return 0;
	}
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("hold: push_hold() sends through tm: load tm.so before"
			   " push.so\n");
		return -1;
	}
	if(faked_msg_init() < 0)
		return -1;
	expired_rt_idx = push_event_route(expired_name.s);
	register_basic_timers(1);
	held_any = shm_malloc(sizeof(*held_any));
	if(held_any == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	*held_any = 1; /* until the timer has looked */
	hold_on = 1;
	return 0;
}

int push_hold_enabled(void)
{
	return hold_on;
}

int push_hold_start(void)
{
	static char location[] = "location";
	udomain_t *d;

	if(!hold_on)
		return 0;
	/* a KEMI script names its tables at runtime only: registrar's default
	 * one, when usrloc has it (preload) */
	if(due_domain == NULL && push_ul.get_udomain(location, &d) == 0)
		push_hold_domain(d);
	if(due_domain == NULL)
		LM_NOTICE("hold: no usrloc table known to the timer: a push whose"
				  " deliver-after time comes waits for a registration\n");
	return fork_basic_timer(PROC_TIMER, "push hold expiry", 1, hold_timer,
				   NULL, push_hold_interval)
						   < 0
				   ? -1
				   : 0;
}

/* ---- $push(held_*) ------------------------------------------------------ */

int push_hold_pv_name(str *name, int *id)
{
	static const struct
	{
		const char *name;
		int id;
	} names[] = {{"held_aor", HOLD_PV_AOR}, {"held_callid", HOLD_PV_CALLID},
			{"held_app", HOLD_PV_APP}, {"held_age", HOLD_PV_AGE}};
	unsigned int i;

	for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if(name->len == (int)strlen(names[i].name)
				&& strncmp(name->s, names[i].name, name->len) == 0) {
			*id = names[i].id;
			return 0;
		}
	}
	return -1;
}

int push_hold_pv_get(
		sip_msg_t *msg, pv_param_t *param, pv_value_t *res, int id)
{
	if(expiring.callid.len <= 0)
		return pv_get_null(msg, param, res);
	switch(id) {
		case HOLD_PV_AOR:
			return pv_get_strval(msg, param, res, &expiring.aor);
		case HOLD_PV_CALLID:
			return pv_get_strval(msg, param, res, &expiring.callid);
		case HOLD_PV_APP:
			return pv_get_strval(msg, param, res, &expiring.app);
		case HOLD_PV_AGE:
			return pv_get_sintval(msg, param, res, expiring.age);
		default:
			return pv_get_null(msg, param, res);
	}
}

/* ---- RPC ---------------------------------------------------------------- */

/* Rows listed at most by push.held. */
#define HOLD_RPC_MAX 1000

const char *push_hold_rpc_list_doc[] = {
		"List held pushes (all, or those of one AOR): AOR, Call-ID,"
		" application, age and seconds left",
		0};

void push_hold_rpc_list(rpc_t *rpc, void *ctx)
{
	db_key_t keys[1] = {&col_aor};
	db_key_t cols[5] = {
			&col_aor, &col_callid, &col_app, &col_held_at, &col_expires};
	db_val_t vals[1];
	db1_res_t *res = NULL;
	time_t now = time(NULL);
	str aor = STR_NULL, a, c, app;
	long long held_at, expires;
	db_val_t *v;
	void *th;
	int i, n;

	if(!hold_on) {
		rpc->fault(ctx, 500, "No hold store");
		return;
	}
	if(rpc->scan(ctx, "*S", &aor) < 1)
		aor.len = 0;
	if(aor.len > 0)
		set_str(&vals[0], &aor);
	if(db_ready() < 0
			|| dbf.query(dbh, aor.len > 0 ? keys : 0, 0,
					   aor.len > 0 ? vals : 0, cols, aor.len > 0 ? 1 : 0, 5,
					   &col_id, &res)
					   < 0
			|| res == NULL) {
		rpc->fault(ctx, 500, "Cannot read the hold table");
		return;
	}
	n = RES_ROW_N(res) < HOLD_RPC_MAX ? RES_ROW_N(res) : HOLD_RPC_MAX;
	for(i = 0; i < n; i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		if(ROW_N(&RES_ROWS(res)[i]) < 5 || val_text(&v[0], &a) < 0
				|| val_text(&v[1], &c) < 0 || val_text(&v[2], &app) < 0
				|| val_ll(&v[3], &held_at) < 0 || val_ll(&v[4], &expires) < 0)
			continue;
		if(rpc->add(ctx, "{", &th) < 0
				|| rpc->struct_add(th, "SSSdd", "aor", &a, "callid", &c,
						   "app", &app, "age", (int)(now - held_at),
						   "expires", (int)(expires - now))
						   < 0)
			break;
	}
	dbf.free_result(dbh, res);
}

const char *push_hold_rpc_drop_doc[] = {
		"Drop the pushes held for an AOR (all, or the one with a Call-ID)", 0};

void push_hold_rpc_drop(rpc_t *rpc, void *ctx)
{
	db_key_t keys[2] = {&col_aor, &col_callid};
	db_val_t vals[2];
	str aor, callid = STR_NULL;
	int n, nk, before, after;

	if(!hold_on) {
		rpc->fault(ctx, 500, "No hold store");
		return;
	}
	n = rpc->scan(ctx, "S*S", &aor, &callid);
	if(n < 1 || aor.len <= 0) {
		rpc->fault(ctx, 400, "AOR expected");
		return;
	}
	set_str(&vals[0], &aor);
	nk = 1;
	/* the scan's count, not callid: a transport may leave a placeholder
	 * in an optional argument that was not given */
	if(n >= 2 && callid.len > 0) {
		set_str(&vals[1], &callid);
		nk = 2;
	}
	if(db_ready() < 0 || (before = count_held(&aor)) < 0
			|| dbf.delete(dbh, keys, 0, vals, nk) < 0
			|| (after = count_held(&aor)) < 0) {
		rpc->fault(ctx, 500, "Cannot drop from the hold table");
		return;
	}
	if(before > after)
		update_stat(push_st_held_dropped, before - after);
	LM_INFO("hold: %d pushes held for %.*s dropped by RPC\n", before - after,
			aor.len, aor.s);
	rpc->add(ctx, "d", before - after);
}
