/*
 * push module - a PAP request body split into its MIME entities
 * (multipart/related, RFC 2046 section 5.1 and RFC 2387), plain C, no
 * Kamailio headers
 *
 * Liberal where Push Initiators are known to stray: bare LF line ends, an
 * unquoted boundary or type parameter, header names in any letter case,
 * and a missing blank line before a body (the first line that is no
 * header starts it). Strict where the values go on: the content entity's
 * Content-Type and X-Wap-Application-Id end up in a SIP request, so they
 * must be well-formed and hold no control character.
 */

#include <string.h>

#include "cp_lex.h"
#include "pap_internal.h"

/* RFC 2046 5.1.1: a boundary is 1 to 70 characters */
#define BOUNDARY_MAX 70
/* control, content and capabilities */
#define MAX_ENTITIES 3

/* The body of the request and where its errors go. */
struct splitter
{
	const char *body;
	size_t len;
	pap_error_t *err;
};

#define body_fail(sp, at, ...)                                  \
	pap_fail((sp)->err, PAP_BAD_REQUEST, (sp)->body, (sp)->len, \
			(size_t)((at) - (sp)->body), __VA_ARGS__)

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_wsp(const char *p, const char *end)
{
	while(p < end && is_wsp(*p))
		p++;
	return p;
}

static const char *skip_token(const char *p, const char *end)
{
	while(p < end && cp_token_char[(unsigned char)*p])
		p++;
	return p;
}

/* A parameter value without quotes should be a token (RFC 2045), but Push
 * Initiators also write type=application/xml and boundaries with '=' or
 * ':' unquoted: any visible character that cannot end it is taken. */
static int is_bare_value_char(char c)
{
	return c > 0x20 && c < 0x7f && c != ';' && c != '"';
}

/* A parameter of a media type: name=value, the value without its quotes. */
struct param
{
	const char *name, *value;
	size_t name_len, value_len;
};

/*
 * The media type s[0..n), "type/subtype *(; name=value)": 0 with the
 * length of its type/subtype in *type_len and *params just after it, -1
 * when there is no type/subtype.
 */
static int media_type(
		const char *s, size_t n, size_t *type_len, const char **params)
{
	const char *end = s + n, *p;

	p = skip_token(s, end);
	if(p == s || p == end || *p != '/')
		return -1;
	p = skip_token(p + 1, end);
	if(p[-1] == '/')
		return -1;
	*type_len = (size_t)(p - s);
	*params = p;
	return 0;
}

/* The next parameter from *p: 1 with *out filled, 0 at the end, -1 when
 * malformed. */
static int next_param(const char **p, const char *end, struct param *out)
{
	const char *q = skip_wsp(*p, end);

	if(q == end)
		return 0;
	if(*q != ';')
		return -1;
	q = skip_wsp(q + 1, end);
	out->name = q;
	q = skip_token(q, end);
	out->name_len = (size_t)(q - out->name);
	q = skip_wsp(q, end);
	if(out->name_len == 0 || q == end || *q != '=')
		return -1;
	q = skip_wsp(q + 1, end);
	if(q < end && *q == '"') {
		out->value = ++q;
		while(q < end && *q != '"') {
			/* a quoted-pair: the value is kept as it is written */
			if(*q == '\\' && end - q > 1)
				q++;
			q++;
		}
		if(q == end)
			return -1;
		out->value_len = (size_t)(q - out->value);
		q++;
	} else {
		out->value = q;
		while(q < end && is_bare_value_char(*q))
			q++;
		out->value_len = (size_t)(q - out->value);
		if(out->value_len == 0)
			return -1;
	}
	*p = q;
	return 1;
}

/* A Content-Type naming an XML document, the only kind of control
 * entity. */
static int is_xml_type(const char *s, size_t n)
{
	return pap_ieq(s, n, "application/xml") || pap_ieq(s, n, "text/xml");
}

/* RFC 2046 5.1.1 bcharsnospace, and the space inside. */
static int is_bchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9')
		   || (c != '\0' && strchr("'()+_,-./:=? ", c));
}

/* One header line's value, NULL when the header is absent. */
struct hval
{
	const char *s;
	size_t len;
};

/* The headers of an entity that matter here. */
struct headers
{
	struct hval type, app_id, encoding;
};

/* A header value may hold no control character other than HTAB. */
static int is_clean(const char *s, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++) {
		if(((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return 0;
	}
	return 1;
}

/*
 * The header lines of the entity s[0..end): into *h, and *body where the
 * body begins (after the blank line, or at the first line that is no
 * header). 0, or PAP_BAD_REQUEST.
 */
static int read_headers(struct splitter *sp, const char *s, const char *end,
		struct headers *h, const char **body)
{
	const char *p = s, *nl, *line_end, *colon, *v;
	struct hval *slot;
	size_t vn;

	memset(h, 0, sizeof(*h));
	while(p < end) {
		nl = memchr(p, '\n', end - p);
		line_end = nl != NULL ? nl : end;
		if(line_end > p && line_end[-1] == '\r')
			line_end--;
		if(line_end == p) {
			p = nl != NULL ? nl + 1 : end;
			break;
		}
		if(is_wsp(*p))
			return body_fail(sp, p, "folded MIME header line (not supported)");
		colon = skip_token(p, line_end);
		if(colon == p || colon == line_end || *colon != ':')
			break; /* no header: the body, without its blank line */
		v = colon + 1;
		vn = (size_t)(line_end - v);
		pap_trim(&v, &vn);
		if(!is_clean(v, vn))
			return body_fail(sp, p, "control character in a MIME header");
		if(pap_ieq(p, colon - p, "Content-Type"))
			slot = &h->type;
		else if(pap_ieq(p, colon - p, "X-Wap-Application-Id"))
			slot = &h->app_id;
		else if(pap_ieq(p, colon - p, "Content-Transfer-Encoding"))
			slot = &h->encoding;
		else
			slot = NULL;
		if(slot != NULL) {
			if(slot->s != NULL)
				return body_fail(sp, p, "MIME header given twice");
			slot->s = v;
			slot->len = vn;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	*body = p;
	return 0;
}

/* The entity s[0..end) into *e: its headers checked, the body bounded. */
static int read_entity(struct splitter *sp, const char *s, const char *end,
		int is_control, int is_content, pap_entity_t *e)
{
	struct headers h;
	const char *body = end, *params;
	size_t type_len;
	struct param prm;
	int rc;

	if(read_headers(sp, s, end, &h, &body) != 0)
		return PAP_BAD_REQUEST;
	if(h.type.s == NULL)
		return body_fail(sp, s, "MIME entity without Content-Type");
	if(media_type(h.type.s, h.type.len, &type_len, &params) != 0)
		return body_fail(sp, h.type.s, "malformed Content-Type");
	while((rc = next_param(&params, h.type.s + h.type.len, &prm)) > 0)
		;
	if(rc < 0)
		return body_fail(sp, h.type.s, "malformed Content-Type parameter");
	if(is_control && !is_xml_type(h.type.s, type_len))
		return body_fail(
				sp, h.type.s, "the control entity is not application/xml");
	if(h.encoding.s != NULL && !pap_ieq(h.encoding.s, h.encoding.len, "base64")
			&& !pap_ieq(h.encoding.s, h.encoding.len, "binary")
			&& !pap_ieq(h.encoding.s, h.encoding.len, "7bit")
			&& !pap_ieq(h.encoding.s, h.encoding.len, "8bit"))
		return body_fail(
				sp, h.encoding.s, "Content-Transfer-Encoding not supported");
	e->type = h.type.s;
	e->type_len = h.type.len;
	/* the application id of the push is the content entity's own */
	if(is_content && h.app_id.s != NULL) {
		e->app_id = h.app_id.s;
		e->app_id_len = h.app_id.len;
	}
	e->base64 = h.encoding.s != NULL
				&& pap_ieq(h.encoding.s, h.encoding.len, "base64");
	e->body = body;
	e->body_len = (size_t)(end - body);
	return 0;
}

/*
 * The next delimiter line "--boundary" from p: at a line start, followed
 * by "--" (the close delimiter) or by transport padding and a line end.
 * Returns its start (*after: where the next entity begins, *close: 1 for
 * the close delimiter), NULL when there is none.
 */
static const char *next_delimiter(const char *p, const char *end,
		const char *start, const char *delim, size_t dlen, const char **after,
		int *close)
{
	const char *hit, *q;

	while((hit = pap_find(p, end - p, delim, dlen)) != NULL) {
		p = hit + 1;
		if(hit != start && hit[-1] != '\n')
			continue;
		q = hit + dlen;
		if(end - q >= 2 && q[0] == '-' && q[1] == '-') {
			*close = 1;
			*after = end;
			return hit;
		}
		q = skip_wsp(q, end);
		if(end - q >= 2 && q[0] == '\r' && q[1] == '\n')
			q += 2;
		else if(q < end && q[0] == '\n')
			q++;
		else
			continue;
		*close = 0;
		*after = q;
		return hit;
	}
	return NULL;
}

static int split_multipart(struct splitter *sp, const char *boundary,
		size_t blen, pap_submission_t *sub)
{
	char delim[2 + BOUNDARY_MAX];
	const char *end, *at, *after, *next, *next_after, *part_end;
	pap_entity_t capabilities, *e;
	size_t dlen = 2 + blen;
	int close, next_close, n = 0;

	if(sp->len == 0)
		return pap_fail(
				sp->err, PAP_BAD_REQUEST, NULL, 0, 0, "empty multipart body");
	end = sp->body + sp->len;
	delim[0] = '-';
	delim[1] = '-';
	memcpy(delim + 2, boundary, blen);
	at = next_delimiter(sp->body, end, sp->body, delim, dlen, &after, &close);
	if(at == NULL)
		return body_fail(sp, sp->body, "no multipart boundary line");
	while(!close) {
		if(n == MAX_ENTITIES)
			return body_fail(
					sp, at, "more than %d MIME entities", MAX_ENTITIES);
		next = next_delimiter(
				after, end, sp->body, delim, dlen, &next_after, &next_close);
		if(next == NULL)
			return body_fail(
					sp, after, "MIME entity without a closing boundary");
		/* the line end before a delimiter belongs to the delimiter */
		part_end = next;
		if(part_end > after && part_end[-1] == '\n')
			part_end--;
		if(part_end > after && part_end[-1] == '\r')
			part_end--;
		e = n == 0 ? &sub->control : n == 1 ? &sub->content : &capabilities;
		if(read_entity(sp, after, part_end, n == 0, n == 1, e) != 0)
			return PAP_BAD_REQUEST;
		n++;
		at = next;
		after = next_after;
		close = next_close;
	}
	if(n == 0)
		return body_fail(sp, at, "multipart body without an entity");
	sub->has_capabilities = n == MAX_ENTITIES;
	return 0;
}

int pap_split(const char *ctype, size_t ctype_len, const char *body, size_t len,
		pap_submission_t *sub, pap_error_t *err)
{
	struct splitter sp = {body, body != NULL ? len : 0, err};
	const char *s = ctype, *params;
	const char *boundary = NULL, *type = NULL;
	size_t n = ctype_len, type_len, blen = 0, rtype_len = 0, i;
	struct param prm;
	int rc;

	memset(sub, 0, sizeof(*sub));
	memset(err, 0, sizeof(*err));
	pap_trim(&s, &n);
	if(!is_clean(s, n) || media_type(s, n, &type_len, &params) != 0)
		return pap_fail(err, PAP_BAD_REQUEST, ctype, ctype_len, 0,
				"malformed Content-Type");
	while((rc = next_param(&params, s + n, &prm)) > 0) {
		if(pap_ieq(prm.name, prm.name_len, "boundary") && boundary == NULL) {
			boundary = prm.value;
			blen = prm.value_len;
		} else if(pap_ieq(prm.name, prm.name_len, "type") && type == NULL) {
			type = prm.value;
			rtype_len = prm.value_len;
		}
	}
	if(rc < 0)
		return pap_fail(err, PAP_BAD_REQUEST, ctype, ctype_len,
				(size_t)(params - ctype), "malformed Content-Type parameter");
	if(is_xml_type(s, type_len)) {
		sub->control.type = s;
		sub->control.type_len = n;
		sub->control.body = body;
		sub->control.body_len = sp.len;
		return 0;
	}
	if(!pap_ieq(s, type_len, "multipart/related"))
		return pap_fail(err, PAP_BAD_REQUEST, ctype, ctype_len, 0,
				"Content-Type neither multipart/related nor application/xml");
	/* RFC 2387: type is the root's, here the control entity's */
	if(type != NULL && !is_xml_type(type, rtype_len))
		return pap_fail(err, PAP_BAD_REQUEST, ctype, ctype_len,
				(size_t)(type - ctype),
				"multipart/related of another type than application/xml");
	if(boundary == NULL || blen == 0 || blen > BOUNDARY_MAX
			|| boundary[blen - 1] == ' ')
		return pap_fail(err, PAP_BAD_REQUEST, ctype, ctype_len, 0,
				"multipart/related without a valid boundary");
	for(i = 0; i < blen; i++) {
		if(!is_bchar(boundary[i]))
			return pap_fail(err, PAP_BAD_REQUEST, ctype, ctype_len,
					(size_t)(boundary - ctype),
					"multipart/related without a valid boundary");
	}
	rc = split_multipart(&sp, boundary, blen, sub);
	if(rc != 0)
		memset(sub, 0, sizeof(*sub));
	return rc;
}
