/*
 * push module - parser of RFC 3840 feature parameters (Contact and
 * Accept-Contact / Reject-Contact values) into the compact encoding
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cpref.h"
#include "cp_lex.h"
#include "cp_internal.h"

/* A feature parameter found by the first pass over a parameter list. */
struct ptag
{
	const char *name; /* RFC 2533 name, or the raw text after '+' */
	size_t nlen;
	int raw;		 /* name still needs lower-casing and '!'/'\'' mapping */
	int base;		 /* base tag named: bare ("video") or spelled with its
					  * RFC 2533 name ("+sip.video"); else -1 */
	int plus_base;	 /* "+<base>" spelling: that base tag's index, else -1 */
	const char *val; /* value text without the quotes; NULL: no value */
	size_t vlen;
	int quoted;
	size_t off;	 /* offset of the parameter name, for diagnostics */
	size_t voff; /* offset of val */
};

enum pname
{
	PN_OTHER,
	PN_FEATURE,
	PN_REQUIRE,
	PN_EXPLICIT,
};

int cp_fail(cp_diag_t *diag, int rc, const char *reason, size_t offset)
{
	if(diag) {
		diag->reason = reason;
		diag->offset = offset;
	}
	return rc;
}

void cp_put(struct cp_sink *o, const char *s, size_t n)
{
	if(o->buf && o->len + n <= o->size)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_hex(struct cp_sink *o, unsigned long long v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	char b[16];
	int i;

	for(i = digits - 1; i >= 0; i--) {
		b[i] = hex[v & 15];
		v >>= 4;
	}
	cp_put(o, b, (size_t)digits);
}

static void put_double(struct cp_sink *o, double d)
{
	unsigned long long bits;

	memcpy(&bits, &d, sizeof(bits));
	put_hex(o, bits, 16);
}

/* Why byte c cannot stand where something else was expected. */
static const char *bad_char(unsigned char c, const char *otherwise)
{
	if(c < 0x20 || c == 0x7f)
		return "control character";
	if(c >= 0x80)
		return "non-ASCII character";
	return otherwise;
}

static int ieq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if(alen != blen)
		return 0;
	for(i = 0; i < alen; i++) {
		if(cp_lower((unsigned char)a[i]) != cp_lower((unsigned char)b[i]))
			return 0;
	}
	return 1;
}

size_t cp_skip_lws(const char *s, size_t len, size_t pos)
{
	while(pos < len) {
		if(s[pos] == ' ' || s[pos] == '\t') {
			pos++;
		} else if(s[pos] == '\r' && len - pos > 2 && s[pos + 1] == '\n'
				  && (s[pos + 2] == ' ' || s[pos + 2] == '\t')) {
			pos += 3;
		} else if(s[pos] == '\n' && len - pos > 1
				  && (s[pos + 1] == ' ' || s[pos + 1] == '\t')) {
			pos += 2;
		} else {
			break;
		}
	}
	return pos;
}

/* Spaces around list elements are not in the RFC 3840 ABNF; stacks emit
 * "INVITE, BYE" anyway and the meaning is unambiguous. */
static size_t skip_sp(const char *s, size_t len, size_t pos)
{
	while(pos < len && (s[pos] == ' ' || s[pos] == '\t'))
		pos++;
	return pos;
}

/* RFC 3840: ftag-name = ALPHA *( ALPHA / DIGIT / "!" / "'" / "." / "-" /
 * "%" ) */
static int ftag_name_ok(const char *s, size_t len)
{
	size_t i;

	if(len == 0)
		return 0;
	for(i = 0; i < len; i++) {
		unsigned char c = cp_lower((unsigned char)s[i]);
		if(c >= 'a' && c <= 'z')
			continue;
		if(i > 0
				&& ((c >= '0' && c <= '9') || c == '!' || c == '\'' || c == '.'
						|| c == '-' || c == '%'))
			continue;
		return 0;
	}
	return 1;
}

/* Byte i of the RFC 2533 name of t. */
static unsigned char ptag_char(const struct ptag *t, size_t i)
{
	unsigned char c = (unsigned char)t->name[i];

	if(!t->raw)
		return c;
	c = cp_lower(c);
	return c == '!' ? ':' : (c == '\'' ? '/' : c);
}

/* Index of the base tag whose RFC 2533 name is s[0..len) in any letter
 * case ("+SIP.Video"), -1 if none. */
static int base_by_tag_ci(const char *s, size_t len)
{
	char low[16]; /* longer than any base tag name */
	size_t i;

	if(len > sizeof(low))
		return -1;
	for(i = 0; i < len; i++)
		low[i] = (char)cp_lower((unsigned char)s[i]);
	return cp_base_by_tag(low, len);
}

/* Same order as cp_name_cmp() on the decoded names. */
static int ptag_cmp(const struct ptag *a, const struct ptag *b)
{
	size_t i, n = a->nlen < b->nlen ? a->nlen : b->nlen;

	for(i = 0; i < n; i++) {
		unsigned char ca = ptag_char(a, i), cb = ptag_char(b, i);
		if(ca != cb)
			return ca < cb ? -1 : 1;
	}
	return a->nlen < b->nlen ? -1 : (a->nlen > b->nlen);
}

static int name_classify(const char *s, size_t len, enum cp_pmode mode,
		struct ptag *t, cp_diag_t *d)
{
	if(s[0] == '+') {
		if(!ftag_name_ok(s + 1, len - 1))
			return cp_fail(
					d, CP_ERR_SYNTAX, "invalid feature tag name", t->off);
		if(len - 1 > CP_NAME_MAX)
			return cp_fail(
					d, CP_ERR_LIMIT, "feature tag name too long", t->off);
		t->name = s + 1;
		t->nlen = len - 1;
		t->raw = 1;
		t->plus_base = cp_base_by_param(s + 1, len - 1);
		/* "+sip.video" is the tag of "video", so it too makes "+video"
		 * skipped; "+language" is "language" itself */
		if(t->plus_base < 0)
			t->base = base_by_tag_ci(s + 1, len - 1);
		return PN_FEATURE;
	}
	t->base = cp_base_by_param(s, len);
	if(t->base >= 0) {
		t->name = cp_base_tags[t->base].tag;
		t->nlen = strlen(t->name);
		return PN_FEATURE;
	}
	if(mode == CP_PM_ACCEPT && ieq(s, len, "require", 7))
		return PN_REQUIRE;
	if(mode == CP_PM_ACCEPT && ieq(s, len, "explicit", 8))
		return PN_EXPLICIT;
	return PN_OTHER;
}

/* Value after '=': a quoted string (quoted-pairs kept for the value parser)
 * or a run of printable characters up to ';', ',' or LWS. */
static int value_scan(const char *s, size_t len, size_t *pos,
		const cp_limits_t *lim, struct ptag *t, cp_diag_t *d)
{
	size_t p = *pos, i;

	if(p < len && s[p] == '"') {
		for(i = p + 1; i < len && s[i] != '"'; i++) {
			unsigned char c = (unsigned char)s[i];
			if(c == '\\' && i + 1 < len)
				c = (unsigned char)s[++i];
			if((c < 0x20 && c != '\t') || c == 0x7f)
				return cp_fail(d, CP_ERR_SYNTAX, "control character", i);
		}
		if(i >= len)
			return cp_fail(d, CP_ERR_SYNTAX, "unterminated quoted value", p);
		t->val = s + p + 1;
		t->vlen = i - p - 1;
		t->quoted = 1;
		*pos = i + 1;
	} else {
		for(i = p; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if(c <= 0x20 || c >= 0x7f || c == ';' || c == ',')
				break;
		}
		if(i == p)
			return cp_fail(d, CP_ERR_SYNTAX,
					p < len ? bad_char(
							(unsigned char)s[p], "missing value after '='")
							: "missing value after '='",
					p);
		t->val = s + p;
		t->vlen = i - p;
		*pos = i;
	}
	t->voff = (size_t)(t->val - s);
	if(t->vlen > lim->value_len)
		return cp_fail(d, CP_ERR_LIMIT, "parameter value too long", t->voff);
	return CP_OK;
}

/* One parameter at *pos (after ';' and LWS). Returns its enum pname or a
 * negative cp_rc. */
static int param_read(const char *s, size_t len, size_t *pos,
		enum cp_pmode mode, const cp_limits_t *lim, struct ptag *t,
		cp_diag_t *d)
{
	size_t p = *pos;
	int kind, rc;

	while(p < len && cp_token_char[(unsigned char)s[p]])
		p++;
	memset(t, 0, sizeof(*t));
	t->base = -1;
	t->plus_base = -1;
	t->off = *pos;
	if(p == *pos)
		return cp_fail(d, CP_ERR_SYNTAX,
				p < len ? bad_char((unsigned char)s[p], "empty parameter name")
						: "empty parameter name",
				p);
	kind = name_classify(s + *pos, p - *pos, mode, t, d);
	if(kind < 0)
		return kind;
	p = cp_skip_lws(s, len, p);
	if(p < len && s[p] == '=') {
		p = cp_skip_lws(s, len, p + 1);
		rc = value_scan(s, len, &p, lim, t, d);
		if(rc < 0)
			return rc;
		if(kind == PN_REQUIRE || kind == PN_EXPLICIT)
			return cp_fail(d, CP_ERR_SYNTAX,
					"require and explicit take no value", t->off);
	}
	*pos = p;
	return kind;
}

/* "#>=x", "#<=x", "#=x" or "#a:b" at v[*i] (on the '#'). */
static int number_read(const char *v, size_t n, size_t *i, size_t voff,
		double *out, cp_diag_t *d)
{
	char buf[CP_MAX_VALUE_LEN + 1];
	size_t p = *i, digits;
	double x;

	if(p < n && (v[p] == '+' || v[p] == '-'))
		p++;
	for(digits = p; p < n && v[p] >= '0' && v[p] <= '9'; p++)
		;
	if(p == digits)
		return cp_fail(d, CP_ERR_SYNTAX, "invalid number", voff + *i);
	if(p < n && v[p] == '.') {
		for(p++; p < n && v[p] >= '0' && v[p] <= '9'; p++)
			;
	}
	/* p - *i <= value_len <= CP_MAX_VALUE_LEN */
	memcpy(buf, v + *i, p - *i);
	buf[p - *i] = '\0';
	x = strtod(buf, NULL);
	if(!isfinite(x))
		return cp_fail(d, CP_ERR_SYNTAX, "number out of range", voff + *i);
	/* one encoding for zero */
	*out = x == 0 ? 0.0 : x;
	*i = p;
	return CP_OK;
}

static int numeric_read(const char *v, size_t n, size_t *i, size_t voff,
		struct cp_item *e, cp_diag_t *d)
{
	size_t p = *i + 1;
	int rc;

	if(n - p >= 2 && v[p] == '>' && v[p + 1] == '=') {
		p += 2;
		rc = number_read(v, n, &p, voff, &e->lo, d);
		e->hi = INFINITY;
	} else if(n - p >= 2 && v[p] == '<' && v[p + 1] == '=') {
		p += 2;
		rc = number_read(v, n, &p, voff, &e->hi, d);
		e->lo = -INFINITY;
	} else if(p < n && v[p] == '=') {
		p++;
		rc = number_read(v, n, &p, voff, &e->lo, d);
		e->hi = e->lo;
	} else {
		rc = number_read(v, n, &p, voff, &e->lo, d);
		if(rc < 0)
			return rc;
		if(p >= n || v[p] != ':')
			return cp_fail(d, CP_ERR_SYNTAX, "numeric value without relation",
					voff + *i);
		p++;
		rc = number_read(v, n, &p, voff, &e->hi, d);
		/* RFC 4596 6.2: a reversed range means the same interval */
		if(rc == CP_OK && e->lo > e->hi) {
			double x = e->lo;
			e->lo = e->hi;
			e->hi = x;
		}
	}
	*i = p;
	return rc;
}

/* Split a tag-value-list into el[]; *numeric tells the list's type. */
static int list_read(const struct ptag *t, const cp_limits_t *lim,
		struct cp_item *el, size_t *nel, int *numeric, cp_diag_t *d)
{
	const char *v = t->val;
	size_t n = t->vlen, i = 0, st;
	int type = 0, etype;

	*nel = 0;
	for(;;) {
		struct cp_item *e = &el[*nel];
		i = skip_sp(v, n, i);
		if(*nel == lim->tokens_per_list)
			return cp_fail(
					d, CP_ERR_LIMIT, "too many values in list", t->voff + i);
		memset(e, 0, sizeof(*e));
		if(i < n && v[i] == '!') {
			e->neg = 1;
			i++;
		}
		if(i >= n || v[i] == ',')
			return cp_fail(
					d, CP_ERR_SYNTAX, "empty value in list", t->voff + i);
		if(v[i] == '<')
			return cp_fail(d, CP_ERR_SYNTAX,
					e->neg ? "negated string value" : "string value in a list",
					t->voff + i);
		if(v[i] == '#') {
			int rc = numeric_read(v, n, &i, t->voff, e, d);
			if(rc < 0)
				return rc;
			etype = 2;
		} else {
			for(st = i;
					i < n && cp_token_char[(unsigned char)v[i]] && v[i] != '!';
					i++)
				;
			if(i == st)
				return cp_fail(d, CP_ERR_SYNTAX,
						bad_char((unsigned char)v[i],
								"invalid character in value"),
						t->voff + i);
			e->s = v + st;
			e->len = i - st;
			etype = 1;
		}
		if(type != 0 && type != etype)
			return cp_fail(
					d, CP_ERR_SYNTAX, "mixed value types in list", t->voff + i);
		type = etype;
		(*nel)++;
		i = skip_sp(v, n, i);
		if(i >= n)
			break;
		if(v[i] != ',')
			return cp_fail(d, CP_ERR_SYNTAX,
					bad_char((unsigned char)v[i], "invalid character in value"),
					t->voff + i);
		i++;
	}
	*numeric = type == 2;
	return CP_OK;
}

static int item_ieq(const struct cp_item *a, const struct cp_item *b)
{
	return ieq(a->s, a->len, b->s, b->len);
}

static int is_bool_word(const struct cp_item *it)
{
	return ieq(it->s, it->len, "true", 4) || ieq(it->s, it->len, "false", 5);
}

/* Allowed-set class of a token list (kind in cp_internal.h) from its
 * elements; tokens compare case-insensitively. Spec-notes 4.1
 * allowed_set(): no negation -> the listed tokens; two different negated
 * tokens -> everything; one negated token n -> everything but n, unless n
 * is also listed positively. */
static char list_kind(const struct cp_item *it, size_t n)
{
	const struct cp_item *excl = NULL;
	size_t i;
	int all_bool = 1;
	char k = 'f';

	for(i = 0; i < n; i++) {
		all_bool &= is_bool_word(&it[i]);
		if(!it[i].neg)
			continue;
		if(!excl) {
			excl = &it[i];
			k = 'n';
		} else if(!item_ieq(excl, &it[i])) {
			k = 'a';
		}
	}
	for(i = 0; k == 'n' && i < n; i++) {
		if(!it[i].neg && item_ieq(excl, &it[i]))
			k = 'a';
	}
	return all_bool ? (char)(k - 32) : k;
}

static void put_str_byte(struct cp_sink *o, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[3];

	if(c >= 0x20 && c < 0x7f && c != '%') {
		cp_put(o, (const char *)&c, 1);
		return;
	}
	b[0] = '%';
	b[1] = hex[c >> 4];
	b[2] = hex[c & 15];
	cp_put(o, b, 3);
}

/* Check the string value "<...>" v (n bytes, at voff for diagnostics)
 * and write its escaped bytes to o. */
static int string_put(
		const char *v, size_t n, size_t voff, struct cp_sink *o, cp_diag_t *d)
{
	size_t i;

	for(i = 1; i < n && v[i] != '>'; i++) {
		unsigned char c = (unsigned char)v[i];
		if(c == '<')
			return cp_fail(d, CP_ERR_SYNTAX, "'<' inside string value", voff + i);
		/* value_scan() saw that a quoted-pair is complete */
		if(c == '\\' && i + 1 < n)
			c = (unsigned char)v[++i];
		put_str_byte(o, c);
	}
	if(i >= n)
		return cp_fail(d, CP_ERR_SYNTAX, "unterminated string value", voff);
	if(i + 1 < n)
		return cp_fail(d, CP_ERR_SYNTAX,
				v[i + 1] == ',' ? "string value in a list"
								: "junk after string value",
				voff + i + 1);
	return CP_OK;
}

/* Write kind and item of the string value v to o. */
static int string_value_put(
		const char *v, size_t n, size_t voff, struct cp_sink *o, cp_diag_t *d)
{
	struct cp_sink count = {NULL, 0, 0};
	int rc = string_put(v, n, voff, &count, d);

	if(rc < 0)
		return rc;
	if(count.len + 4 > CP_ITEM_MAX)
		return cp_fail(d, CP_ERR_LIMIT, "parameter value too long", voff);
	cp_put(o, "s", 1);
	put_hex(o, count.len + 4, 3);
	cp_put(o, "+", 1);
	put_hex(o, count.len, 3);
	return string_put(v, n, voff, o, d);
}

int cp_instance_tag(const char *inst, size_t inst_len, char *buf, size_t size,
		struct cp_tag *t)
{
	struct cp_sink o = {buf, size, 0};

	/* a quoted-pair at the end would make string_put() read past it */
	if(!inst || inst_len < 2 || inst[0] != '<' || inst[inst_len - 1] != '>'
			|| string_value_put(inst, inst_len, 0, &o, NULL) < 0
			|| o.len > size)
		return -1;
	t->kind = CP_K_STR;
	t->items = buf + 4;
	t->ilen = o.len - 4;
	return 0;
}

/* The +sip.instance of a Contact, given as a string: stored as a reference
 * to the binding's instance (CP_K_INSTANCE). */
static int is_instance(const struct ptag *t)
{
	static const char name[] = "sip.instance";
	size_t i;

	if(t->nlen != sizeof(name) - 1 || !t->val || t->vlen == 0
			|| t->val[0] != '<')
		return 0;
	for(i = 0; i < t->nlen; i++) {
		if(ptag_char(t, i) != (unsigned char)name[i])
			return 0;
	}
	return 1;
}

/* Check the value of t and write kind and items to o. */
static int value_put(const struct ptag *t, const cp_limits_t *lim,
		struct cp_sink *o, cp_diag_t *d)
{
	struct cp_item el[CP_MAX_TOKENS];
	size_t nel, i, j, total = 0;
	int numeric = 0, rc;
	char kind;

	if(!t->val) {
		cp_put(o, "F008+004true", 12);
		return CP_OK;
	}
	if(t->vlen == 0)
		return cp_fail(d, CP_ERR_SYNTAX, "empty value", t->voff);
	if(!t->quoted) {
		/* lenient: RFC 3840 wants quotes, many stacks send a bare token */
		for(i = 0; i < t->vlen; i++) {
			if(!cp_token_char[(unsigned char)t->val[i]])
				return cp_fail(d, CP_ERR_SYNTAX, "invalid unquoted value",
						t->voff + i);
		}
	}
	if(t->val[0] == '<')
		return string_value_put(t->val, t->vlen, t->voff, o, d);
	rc = list_read(t, lim, el, &nel, &numeric, d);
	if(rc < 0)
		return rc;
	for(i = 0; i < nel; i++)
		total += numeric ? CP_NUM_ITEM_LEN : 4 + el[i].len;
	if(total > CP_ITEM_MAX)
		return cp_fail(d, CP_ERR_LIMIT, "parameter value too long", t->voff);
	kind = numeric ? CP_K_NUM : list_kind(el, nel);
	cp_put(o, &kind, 1);
	put_hex(o, total, 3);
	for(i = 0; i < nel; i++) {
		cp_put(o, el[i].neg ? "!" : "+", 1);
		if(numeric) {
			put_double(o, el[i].lo);
			put_double(o, el[i].hi);
			continue;
		}
		put_hex(o, el[i].len, 3);
		for(j = 0; j < el[i].len; j++) {
			char c = (char)cp_lower((unsigned char)el[i].s[j]);
			cp_put(o, &c, 1);
		}
	}
	return CP_OK;
}

static void name_put(const struct ptag *t, struct cp_sink *o)
{
	size_t i;

	put_hex(o, t->nlen, 2);
	for(i = 0; i < t->nlen; i++) {
		char c = (char)ptag_char(t, i);
		cp_put(o, &c, 1);
	}
}

/* Sort by name (few tags: insertion sort) and refuse duplicates. */
static int tags_sort(struct ptag *tags, unsigned int n, cp_diag_t *d)
{
	unsigned int i, j;

	for(i = 1; i < n; i++) {
		struct ptag x = tags[i];
		for(j = i; j > 0 && ptag_cmp(&x, &tags[j - 1]) < 0; j--)
			tags[j] = tags[j - 1];
		tags[j] = x;
	}
	for(i = 1; i < n; i++) {
		if(ptag_cmp(&tags[i - 1], &tags[i]) == 0)
			return cp_fail(d, CP_ERR_SYNTAX, "duplicate feature tag",
					tags[i - 1].off > tags[i].off ? tags[i - 1].off
												  : tags[i].off);
	}
	return CP_OK;
}

int cp_params_encode(const char *s, size_t len, size_t *pos, enum cp_pmode mode,
		const cp_limits_t *lim, struct cp_sink *out, struct cp_pinfo *info,
		cp_diag_t *diag)
{
	struct ptag tags[CP_MAX_PARAMS];
	struct cp_sink count = {NULL, 0, 0};
	unsigned int nparams = 0, ntags = 0, i, kept;
	unsigned long base_seen = 0;
	size_t p = *pos;
	int rc;

	memset(info, 0, sizeof(*info));
	for(;;) {
		p = cp_skip_lws(s, len, p);
		if(p >= len || (s[p] == ',' && mode != CP_PM_CONTACT))
			break;
		if(s[p] == ';')
			p = cp_skip_lws(s, len, p + 1);
		else if(mode != CP_PM_CONTACT || nparams > 0)
			return cp_fail(diag, CP_ERR_SYNTAX,
					bad_char((unsigned char)s[p],
							"expected ';' before parameter"),
					p);
		if(++nparams > lim->params_per_value)
			return cp_fail(diag, CP_ERR_LIMIT, "too many parameters", p);
		rc = param_read(s, len, &p, mode, lim, &tags[ntags], diag);
		if(rc == PN_REQUIRE)
			info->require = 1;
		else if(rc == PN_EXPLICIT)
			info->explicit = 1;
		if(rc != PN_FEATURE) {
			if(rc < 0)
				return rc;
			continue;
		}
		/* check the value now, so errors come in input order */
		rc = value_put(&tags[ntags], lim, &count, diag);
		if(rc < 0)
			return rc;
		if(tags[ntags].base >= 0)
			base_seen |= 1UL << tags[ntags].base;
		ntags++;
	}
	*pos = p;
	/* RFC 3841 7.2.3: "+video" is skipped when "video" is present; we apply
	 * the rule to every base tag */
	for(i = 0, kept = 0; i < ntags; i++) {
		if(mode == CP_PM_CONTACT && tags[i].plus_base >= 0
				&& (base_seen & (1UL << tags[i].plus_base)))
			continue;
		tags[kept++] = tags[i];
	}
	ntags = kept;
	rc = tags_sort(tags, ntags, diag);
	if(rc < 0)
		return rc;
	/* the values were checked above, writing them cannot fail */
	for(i = 0; i < ntags; i++) {
		name_put(&tags[i], out);
		if(mode == CP_PM_CONTACT && is_instance(&tags[i]))
			cp_put(out, "i000", 4);
		else
			value_put(&tags[i], lim, out, diag);
	}
	info->ntags = ntags;
	return CP_OK;
}

int cp_fset_encode(const char *params, size_t len, const cp_limits_t *lim,
		char *out, size_t out_size, size_t *out_len, cp_diag_t *diag)
{
	static const char version = CP_ENC_VERSION;
	struct cp_sink o = {out, out_size, 0};
	struct cp_pinfo info;
	size_t pos = 0;
	int rc;

	if(!lim)
		lim = &cp_limits_default;
	else if(cp_limits_check(lim) < 0)
		return cp_fail(diag, CP_ERR_LIMIT, "invalid limits", 0);
	cp_put(&o, &version, 1);
	rc = cp_params_encode(
			params, len, &pos, CP_PM_CONTACT, lim, &o, &info, diag);
	if(rc < 0)
		return rc;
	if(info.ntags == 0)
		o.len = 0;
	if(o.len >= out_size)
		return cp_fail(
				diag, CP_ERR_SPACE, "encoding does not fit the buffer", len);
	out[o.len] = '\0';
	*out_len = o.len;
	return (int)info.ntags;
}
