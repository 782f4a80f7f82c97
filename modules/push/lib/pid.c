/*
 * push module - P-Asserted-Identity / P-Preferred-Identity values
 * (RFC 3325 section 9.1, RFC 5876 section 4.5), plain C
 *
 * A header body is split at the commas outside quoted strings and angle
 * brackets first, then each value is parsed within its bounds, so a
 * malformed value never hides the values after it.
 */

#include <string.h>
#include <strings.h>

#include "cp_lex.h"
#include "pid.h"

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 5234 CTL; HTAB only ever counts as LWS. */
static int is_ctl(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static int is_scheme_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-'
		   || c == '.';
}

/* Visible ASCII, except what would let a URI run into its surroundings
 * once the value is forwarded: none of these occurs in a sip, sips or tel
 * URI (RFC 3261 25.1, RFC 3966 3). */
static int is_uri_char(char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"';
}

/* RFC 3261 25.1: gen-value = token / host / quoted-string; host adds ':',
 * '[' and ']' (IPv6reference) to the token characters. */
static int is_gen_value_char(char c)
{
	return cp_token_char[(unsigned char)c] || c == ':' || c == '[' || c == ']';
}

/* After any LWS at p: SP, HTAB and line folds ([CR] LF followed by SP or
 * HTAB). A line break that is not a fold is left for the caller to reject. */
static const char *skip_lws(const char *p, const char *end)
{
	for(;;) {
		if(p < end && is_wsp(*p))
			p++;
		else if(end - p >= 3 && p[0] == '\r' && p[1] == '\n' && is_wsp(p[2]))
			p += 3;
		else if(end - p >= 2 && p[0] == '\n' && is_wsp(p[1]))
			p += 2;
		else
			return p;
	}
}

static const char *skip_token(const char *p, const char *end)
{
	while(p < end && cp_token_char[(unsigned char)*p])
		p++;
	return p;
}

/* After the quoted-string starting with the '"' at p, NULL when it is not
 * terminated or holds a control character (other than in LWS), which could
 * not be forwarded as it is. */
static const char *skip_quoted(const char *p, const char *end)
{
	const char *q;

	p++;
	while(p < end) {
		if(*p == '"')
			return p + 1;
		if(*p == '\\') {
			if(end - p < 2 || (is_ctl(p[1]) && p[1] != '\t'))
				return NULL;
			p += 2;
		} else if((q = skip_lws(p, end)) != p) {
			p = q;
		} else if(is_ctl(*p)) {
			return NULL;
		} else {
			p++;
		}
	}
	return NULL;
}

/* After the header parameter whose name starts at or after p (just past
 * its ';'): name [ "=" gen-value ]; NULL when it is not one. */
static const char *skip_param(const char *p, const char *end)
{
	const char *name, *name_end, *eq, *val, *val_end;

	name = skip_lws(p, end);
	name_end = skip_token(name, end);
	if(name_end == name)
		return NULL;
	eq = skip_lws(name_end, end);
	if(eq == end || *eq != '=')
		return name_end;
	val = skip_lws(eq + 1, end);
	if(val < end && *val == '"')
		return skip_quoted(val, end);
	for(val_end = val; val_end < end && is_gen_value_char(*val_end); val_end++)
		;
	return val_end == val ? NULL : val_end;
}

/* The end of the value starting at p: the first ',' outside a quoted
 * string and outside angle brackets, or end. */
static const char *value_end(const char *p, const char *end)
{
	int quoted = 0, angle = 0;

	for(; p < end; p++) {
		if(quoted) {
			if(*p == '\\' && end - p > 1)
				p++;
			else if(*p == '"')
				quoted = 0;
		} else if(angle) {
			if(*p == '>')
				angle = 0;
		} else if(*p == '"') {
			quoted = 1;
		} else if(*p == '<') {
			angle = 1;
		} else if(*p == ',') {
			return p;
		}
	}
	return end;
}

/* The scheme of uri[0..len), -1 when it is not "scheme:" followed by at
 * least one character, or has a character no URI may have. */
static int uri_scheme(const char *uri, size_t len)
{
	size_t i, colon;

	for(i = 0; i < len; i++) {
		if(!is_uri_char(uri[i]))
			return -1;
	}
	if(len == 0 || !is_alpha(uri[0]))
		return -1;
	for(colon = 1; colon < len && is_scheme_char(uri[colon]); colon++)
		;
	if(colon + 1 >= len || uri[colon] != ':')
		return -1;
	/* RFC 5876 4.5 treats sip and sips as one kind */
	if((colon == 3 && strncasecmp(uri, "sip", 3) == 0)
			|| (colon == 4 && strncasecmp(uri, "sips", 4) == 0))
		return PID_SIP;
	if(colon == 3 && strncasecmp(uri, "tel", 3) == 0)
		return PID_TEL;
	return PID_OTHER;
}

/* v->uri/uri_len and v->scheme from uri[0..len); -1 when malformed. */
static int set_uri(pid_value_t *v, const char *uri, size_t len)
{
	int scheme = uri_scheme(uri, len);

	if(scheme < 0)
		return -1;
	v->uri = uri;
	v->uri_len = len;
	v->scheme = (enum pid_scheme)scheme;
	return 0;
}

/* "<" URI ">" *( ";" param ) from laquot up to end; v->text already
 * points at the start of the value. */
static int parse_name_addr(const char *laquot, const char *end, pid_value_t *v)
{
	const char *uri = laquot + 1, *raquot, *p;

	raquot = memchr(uri, '>', end - uri);
	if(raquot == NULL)
		return -1;
	p = raquot + 1;
	v->text_len = p - v->text;
	for(;;) {
		p = skip_lws(p, end);
		if(p == end)
			break;
		if(*p != ';' || (p = skip_param(p + 1, end)) == NULL)
			return -1;
		v->text_len = p - v->text;
	}
	return set_uri(v, uri, raquot - uri);
}

/* A URI from v->text up to end, where only LWS may follow it. RFC 3325
 * gives these headers no parameters, so a ';' belongs to the URI. */
static int parse_addr_spec(const char *end, pid_value_t *v)
{
	const char *q;

	for(q = v->text; q < end && skip_lws(q, end) == q; q++)
		;
	if(skip_lws(q, end) != end)
		return -1;
	v->text_len = q - v->text;
	return set_uri(v, v->text, v->text_len);
}

/* One value, [p, end) without its separator; -1 when malformed. */
static int parse_value(const char *p, const char *end, pid_value_t *v)
{
	const char *laquot, *next;

	p = skip_lws(p, end);
	v->text = p;
	if(p < end && *p == '"') {
		laquot = skip_quoted(p, end);
		if(laquot == NULL)
			return -1;
		laquot = skip_lws(laquot, end);
		if(laquot == end || *laquot != '<')
			return -1;
		return parse_name_addr(laquot, end, v);
	}
	/* display-name = *(token LWS); without a '<' after it, the value
	 * was an addr-spec all along */
	laquot = p;
	while((next = skip_lws(skip_token(laquot, end), end)) != laquot)
		laquot = next;
	if(laquot < end && *laquot == '<')
		return parse_name_addr(laquot, end, v);
	return parse_addr_spec(end, v);
}

static void add_value(pid_set_t *set, const char *p, const char *end)
{
	pid_value_t v;

	set->values++;
	if(parse_value(p, end, &v) < 0) {
		set->malformed++;
		set->dropped++;
	} else if(v.scheme == PID_SIP && !set->has_sip) {
		set->sip = v;
		set->has_sip = 1;
	} else if(v.scheme == PID_TEL && !set->has_tel) {
		set->tel = v;
		set->has_tel = 1;
	} else {
		set->dropped++;
	}
}

void pid_set_init(pid_set_t *set)
{
	memset(set, 0, sizeof(*set));
}

unsigned int pid_set_add(pid_set_t *set, const char *body, size_t len)
{
	const char *p, *end, *vend;
	unsigned int n = 0;

	if(set->truncated)
		return 0;
	if(body == NULL) {
		body = "";
		len = 0;
	}
	p = body;
	end = body + len;
	/* an empty body is one empty value, so a header without any value is
	 * never mistaken for an absent one */
	for(;;) {
		if(set->values == PID_MAX_VALUES) {
			/* the skipped rest is one value, so values and dropped still
			 * account for everything that was not kept */
			set->truncated = 1;
			set->values++;
			set->dropped++;
			return n + 1;
		}
		vend = value_end(p, end);
		add_value(set, p, vend);
		n++;
		if(vend == end)
			return n;
		p = vend + 1;
	}
}

int pid_set_well_formed(const pid_set_t *set)
{
	return set->has_sip && set->dropped == 0;
}

int pid_parse_identity(
		const char *s, size_t len, const char **uri, size_t *uri_len)
{
	int scheme;

	if(s == NULL)
		return 0;
	if(len > 0 && (s[0] == '<' || s[len - 1] == '>')) {
		if(len < 2 || s[0] != '<' || s[len - 1] != '>')
			return 0;
		s++;
		len -= 2;
	}
	/* a ',' would split the identity once it is inserted */
	if(memchr(s, ',', len) != NULL)
		return 0;
	scheme = uri_scheme(s, len);
	if(scheme != PID_SIP && scheme != PID_TEL)
		return 0;
	*uri = s;
	*uri_len = len;
	return 1;
}
