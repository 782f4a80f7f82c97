/*
 * push module - caller preferences of one request (RFC 3841 sections 9, 10):
 * Accept-Contact / Reject-Contact values, Request-Disposition, implicit
 * preferences
 */

#include <stddef.h>
#include <string.h>

#include "cpref.h"
#include "cp_lex.h"
#include "cp_internal.h"

size_t cp_prefs_size(void)
{
	return sizeof(struct cp_prefs);
}

void cp_prefs_init(cp_prefs_t *p, const cp_limits_t *lim, int strict_explicit)
{
	/* the arena is large and only read up to arena_len */
	memset(p, 0, offsetof(struct cp_prefs, arena));
	p->lim = cp_limits_check(lim) == 0 ? *lim : cp_limits_default;
	p->strict_explicit = strict_explicit;
}

void cp_prefs_set_qa_fork_classes(cp_prefs_t *p, int on)
{
	p->qa_fork_classes = on != 0;
}

/* Encode the parameters at *pos into the arena as predicate pr. */
static int pred_encode(cp_prefs_t *p, const char *s, size_t len, size_t *pos,
		enum cp_pmode mode, struct cp_pred *pr, cp_diag_t *diag)
{
	struct cp_sink o = {
			p->arena + p->arena_len, CP_PREFS_ARENA - p->arena_len, 0};
	struct cp_pinfo info;
	size_t tpos = 0;
	unsigned int i;
	int rc;

	rc = cp_params_encode(s, len, pos, mode, &p->lim, &o, &info, diag);
	if(rc < 0)
		return rc;
	if(o.len > o.size)
		return cp_fail(
				diag, CP_ERR_LIMIT, "caller preferences too large", *pos);
	pr->off = (unsigned int)p->arena_len;
	pr->len = (unsigned int)o.len;
	pr->tag0 = p->nptag;
	pr->ntags = info.ntags;
	/* list the tags once, so evaluation does not read them per target */
	for(i = 0; i < info.ntags; i++) {
		struct cp_ptag *pt;
		struct cp_tag t;
		/* cannot fail: the arena holds at most CP_PREFS_TAGS tags, and
		 * our own encoding reads back */
		if(p->nptag + i >= CP_PREFS_TAGS
				|| cp_tag_read(o.buf, o.len, &tpos, &t) != 1)
			return cp_fail(diag, CP_ERR_LIMIT,
					"caller preferences too large", *pos);
		pt = &p->ptag[p->nptag + i];
		pt->name = (unsigned short)(t.name - p->arena);
		pt->nlen = (unsigned char)t.nlen;
		pt->kind = t.kind;
		pt->items = (unsigned short)(t.items - p->arena);
		pt->ilen = (unsigned short)t.ilen;
	}
	p->nptag += info.ntags;
	pr->require = (unsigned char)info.require;
	pr->explicit = (unsigned char)info.explicit;
	pr->reject = mode == CP_PM_REJECT;
	p->arena_len += o.len;
	return CP_OK;
}

/* ac-value / rc-value = "*" *(SEMI params), separated by commas. A failed
 * call leaves p as it was. */
static int values_add(cp_prefs_t *p, const char *body, size_t len,
		enum cp_pmode mode, cp_diag_t *diag)
{
	size_t arena_len = p->arena_len, pos = 0;
	unsigned int npred = p->npred, nptag = p->nptag, nvals = 0;
	int rc;

	for(;;) {
		pos = cp_skip_lws(body, len, pos);
		if(pos >= len || body[pos] != '*') {
			rc = cp_fail(diag, CP_ERR_SYNTAX,
					mode == CP_PM_ACCEPT
							? "Accept-Contact value does not start with '*'"
							: "Reject-Contact value does not start with '*'",
					pos);
			goto undo;
		}
		if(++nvals > p->lim.values_per_header) {
			rc = cp_fail(
					diag, CP_ERR_LIMIT, "too many values in one header", pos);
			goto undo;
		}
		if(p->npred >= p->lim.predicates) {
			rc = cp_fail(diag, CP_ERR_LIMIT,
					"too many Accept-Contact and Reject-Contact values", pos);
			goto undo;
		}
		pos++;
		rc = pred_encode(p, body, len, &pos, mode, &p->pred[p->npred], diag);
		if(rc < 0)
			goto undo;
		p->npred++;
		/* cp_params_encode() stops at the end or on a ',' */
		if(pos >= len)
			break;
		pos++;
	}
	if(mode == CP_PM_ACCEPT)
		p->n_accept += nvals;
	else
		p->n_reject += nvals;
	return CP_OK;

undo:
	p->arena_len = arena_len;
	p->npred = npred;
	p->nptag = nptag;
	return rc;
}

int cp_prefs_add_accept(
		cp_prefs_t *p, const char *body, size_t len, cp_diag_t *diag)
{
	return values_add(p, body, len, CP_PM_ACCEPT, diag);
}

int cp_prefs_add_reject(
		cp_prefs_t *p, const char *body, size_t len, cp_diag_t *diag)
{
	return values_add(p, body, len, CP_PM_REJECT, diag);
}

/* RFC 3841 section 9.1: the directives, grouped in pairs of one type. */
static const struct
{
	const char *name;
	unsigned int bit;
	unsigned int type; /* both bits of the directive's type */
} cp_directives[] = {
		{"proxy", CP_DISP_PROXY, CP_DISP_PROXY | CP_DISP_REDIRECT},
		{"redirect", CP_DISP_REDIRECT, CP_DISP_PROXY | CP_DISP_REDIRECT},
		{"cancel", CP_DISP_CANCEL, CP_DISP_CANCEL | CP_DISP_NO_CANCEL},
		{"no-cancel", CP_DISP_NO_CANCEL, CP_DISP_CANCEL | CP_DISP_NO_CANCEL},
		{"fork", CP_DISP_FORK, CP_DISP_FORK | CP_DISP_NO_FORK},
		{"no-fork", CP_DISP_NO_FORK, CP_DISP_FORK | CP_DISP_NO_FORK},
		{"recurse", CP_DISP_RECURSE, CP_DISP_RECURSE | CP_DISP_NO_RECURSE},
		{"no-recurse", CP_DISP_NO_RECURSE,
				CP_DISP_RECURSE | CP_DISP_NO_RECURSE},
		{"parallel", CP_DISP_PARALLEL, CP_DISP_PARALLEL | CP_DISP_SEQUENTIAL},
		{"sequential", CP_DISP_SEQUENTIAL,
				CP_DISP_PARALLEL | CP_DISP_SEQUENTIAL},
		{"queue", CP_DISP_QUEUE, CP_DISP_QUEUE | CP_DISP_NO_QUEUE},
		{"no-queue", CP_DISP_NO_QUEUE, CP_DISP_QUEUE | CP_DISP_NO_QUEUE},
};

static int directive_find(const char *s, size_t len)
{
	size_t d, i;

	for(d = 0; d < sizeof(cp_directives) / sizeof(cp_directives[0]); d++) {
		const char *n = cp_directives[d].name;
		for(i = 0; i < len && n[i] != '\0'; i++) {
			if(cp_lower((unsigned char)s[i]) != (unsigned char)n[i])
				break;
		}
		if(i == len && n[i] == '\0')
			return (int)d;
	}
	return -1;
}

int cp_prefs_add_disposition(
		cp_prefs_t *p, const char *body, size_t len, cp_diag_t *diag)
{
	unsigned int disp = p->disp;
	size_t pos = 0, st;
	int d;

	for(;;) {
		pos = cp_skip_lws(body, len, pos);
		for(st = pos; pos < len && cp_token_char[(unsigned char)body[pos]];
				pos++)
			;
		if(pos == st)
			return cp_fail(diag, CP_ERR_SYNTAX,
					"empty Request-Disposition directive", pos);
		d = directive_find(body + st, pos - st);
		if(d < 0)
			return cp_fail(diag, CP_ERR_SYNTAX,
					"unknown Request-Disposition directive", st);
		if(disp & cp_directives[d].type)
			return cp_fail(diag, CP_ERR_SYNTAX,
					"two Request-Disposition directives of one type", st);
		disp |= cp_directives[d].bit;
		pos = cp_skip_lws(body, len, pos);
		if(pos >= len)
			break;
		if(body[pos] != ',')
			return cp_fail(diag, CP_ERR_SYNTAX,
					"invalid character in Request-Disposition", pos);
		pos++;
	}
	p->disp = disp;
	return CP_OK;
}

/* A single token without '!' or ',', as a method or event package is. */
static int single_token(const char *s, size_t len)
{
	return cp_is_token_list(s, len) && !memchr(s, ',', len);
}

int cp_prefs_set_request(cp_prefs_t *p, const char *method, size_t mlen,
		const char *event, size_t elen, cp_diag_t *diag)
{
	/* methods="<method>";events="<event>" */
	char text[2 * CP_MAX_VALUE_LEN + 32];
	size_t n = 0, pos = 0;
	int rc;

	if(!single_token(method, mlen))
		return cp_fail(diag, CP_ERR_SYNTAX, "invalid request method", 0);
	if(elen > 0 && !single_token(event, elen))
		return cp_fail(diag, CP_ERR_SYNTAX, "invalid event package", 0);
	if(mlen > p->lim.value_len || elen > p->lim.value_len)
		return cp_fail(diag, CP_ERR_LIMIT, "parameter value too long", 0);
	memcpy(text, "methods=\"", 9);
	n = 9;
	memcpy(text + n, method, mlen);
	n += mlen;
	text[n++] = '"';
	if(elen > 0) {
		memcpy(text + n, ";events=\"", 9);
		n += 9;
		memcpy(text + n, event, elen);
		n += elen;
		text[n++] = '"';
	}
	rc = pred_encode(p, text, n, &pos, CP_PM_CONTACT, &p->implicit, diag);
	if(rc < 0)
		return rc;
	/* RFC 3841 7.2.2: implicit preferences require, never explicit */
	p->implicit.require = 1;
	p->has_implicit = 1;
	return CP_OK;
}

unsigned int cp_prefs_disposition(const cp_prefs_t *p)
{
	return p->disp;
}

unsigned int cp_prefs_accept_count(const cp_prefs_t *p)
{
	return p->n_accept;
}

unsigned int cp_prefs_reject_count(const cp_prefs_t *p)
{
	return p->n_reject;
}
