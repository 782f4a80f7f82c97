/*
 * push module - stamping the push application's Accept-Contact value
 *
 * RFC 3841 section 7 forbids changing or removing received caller
 * preference values, so the stamp is always a new header. The stamp is a
 * floor: it is skipped only when a value already there names the same
 * application and is at least as strict (require and explicit, as far as
 * the stamp has them), so repeated calls (a failure route re-running the
 * push logic) do not pile up headers, while a sender's own weaker value,
 * trusted or not, never widens the set of devices a push reaches.
 */

#include <stdio.h>
#include <string.h>

#include "core/dprint.h"

#include "lib/cpref.h"
#include "push_hdr.h"
#include "push_lookup.h"
#include "push_stamp.h"

#define ACCEPT_CONTACT_NAME "Accept-Contact: "

/* Longest stamped header; app ids beyond it are refused. */
#define STAMP_MAX 512

int push_stamp_init(void)
{
	char enc[CP_FSET_MAX];
	size_t enc_len;
	cp_diag_t diag;
	char probe[STAMP_MAX];
	int n;

	n = snprintf(probe, sizeof(probe), ";%.*s=\"x\"", push_feature_tag.len,
			push_feature_tag.s);
	if(n < 0 || n >= (int)sizeof(probe)
			|| cp_fset_encode(probe, n, &cp_limits_default, enc, sizeof(enc),
					   &enc_len, &diag)
					   != 1) {
		LM_ERR("feature_tag '%.*s' is not an RFC 3840 feature tag (a base"
			   " tag or '+' followed by a tag name)\n",
				push_feature_tag.len, push_feature_tag.s);
		return -1;
	}
	return 0;
}

/* Collect the request's Accept-Contact values into *prefs, which is taken
 * at the first one (most requests carry none). A malformed received header
 * cannot carry the stamp: it is skipped here, and push_lookup() answers it
 * with 400 later. */
static int add_accept(enum _hdr_types_t htype, str *body, void *arg)
{
	cp_prefs_t **prefs = arg;
	cp_diag_t diag;

	if(*prefs == NULL) {
		*prefs = push_prefs_scratch();
		cp_prefs_init(*prefs, &push_limits, 0);
	}
	cp_prefs_add_accept(*prefs, body->s, body->len, &diag);
	return 0;
}

/* The last stamp built by this process, with what it was built from:
 * scripts stamp one app id or a few, so the header text and its encoding
 * are reused rather than rebuilt for every request. */
static struct
{
	char app[STAMP_MAX];
	int app_len; /* 0: nothing kept */
	str tag;
	int require, expl;
	char hdr[STAMP_MAX];
	int n;
	char enc[CP_FSET_MAX];
	size_t enc_len;
} last;

static int last_is(str *app_id)
{
	return last.app_len > 0 && app_id->len == last.app_len
		   && memcmp(app_id->s, last.app, app_id->len) == 0
		   && last.tag.s == push_feature_tag.s
		   && last.tag.len == push_feature_tag.len
		   && last.require == push_stamp_require
		   && last.expl == push_stamp_explicit;
}

int push_stamp_header(str *app_id, str *hdr)
{
	cp_diag_t diag;
	int value_start, n;

	if(last_is(app_id))
		goto built;
	last.app_len = 0;
	if(app_id->len <= 0 || !cp_is_token_list(app_id->s, app_id->len)) {
		LM_ERR("push_stamp: invalid app id '%.*s': not an RFC 3840 token"
			   " list (e.g. mms.ua or mms.ua,ulp.ua)\n",
				app_id->len, app_id->s);
		return -1;
	}
	value_start = sizeof(ACCEPT_CONTACT_NAME) - 1;
	n = snprintf(last.hdr, STAMP_MAX, ACCEPT_CONTACT_NAME "*;%.*s=\"%.*s\"%s%s\r\n",
			push_feature_tag.len, push_feature_tag.s, app_id->len, app_id->s,
			push_stamp_require ? ";require" : "",
			push_stamp_explicit ? ";explicit" : "");
	if(n < 0 || n >= STAMP_MAX) {
		LM_ERR("push_stamp: invalid app id '%.*s': longer than %d bytes\n",
				app_id->len, app_id->s, STAMP_MAX - 64);
		return -1;
	}

	/* the stamp's feature set, without the leading "*" */
	if(cp_fset_encode(last.hdr + value_start + 1, n - value_start - 3,
			   &push_limits, last.enc, CP_FSET_MAX, &last.enc_len, &diag)
			< 1) {
		LM_ERR("push_stamp: cannot encode app id '%.*s': %s\n", app_id->len,
				app_id->s, diag.reason);
		return -1;
	}
	last.n = n;
	memcpy(last.app, app_id->s, app_id->len);
	last.app_len = app_id->len;
	last.tag = push_feature_tag;
	last.require = push_stamp_require;
	last.expl = push_stamp_explicit;

built:
	hdr->s = last.hdr;
	hdr->len = last.n;
	return 0;
}

int push_stamp(sip_msg_t *msg, str *app_id)
{
	cp_prefs_t *prefs = NULL;
	str text;

	if(push_stamp_header(app_id, &text) < 0)
		return -1;
	if(push_hdr_walk(msg, HDR_T2F(HDR_ACCEPTCONTACT_T), add_accept, &prefs)
			< 0) {
		LM_ERR("push_stamp: cannot read the request's headers\n");
		return -2;
	}
	if(prefs
			&& cp_prefs_has_accept(prefs, last.enc, last.enc_len, last.require,
					last.expl)) {
		LM_DBG("Accept-Contact for '%.*s' already present\n", app_id->len,
				app_id->s);
		return 2;
	}

	if(push_hdr_append(msg, &text, HDR_ACCEPTCONTACT_T) < 0)
		return -2;
	return 1;
}
