/*
 * push module - reader, validator and renderer of the compact feature-set
 * encoding (format in cp_internal.h)
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpref.h"
#include "cp_lex.h"
#include "cp_internal.h"

/* Precision that makes "%.*f" of any finite double read back exactly: a
 * subnormal needs its 17 significant digits behind 323 zeros. */
#define NUM_PREC_MAX 345
/* "%.*f" is at most sign, 309 integer digits (then precision <= 17) or
 * "0." and NUM_PREC_MAX digits, plus NUL. */
#define NUM_TEXT_MAX (NUM_PREC_MAX + 8)

/* Value + 1 of a lower-case hex digit, 0 for any other byte: the reader
 * runs on every evaluation, so a lookup beats range tests. */
/* clang-format off */
const unsigned char cp_hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};
/* clang-format on */

/* Classes of the bytes of an encoding. */
#define EC_STR 1   /* string byte: printable ASCII */
#define EC_NAME 2  /* tag name byte after the first: [a-z0-9:/.%-] */
#define EC_TOKEN 4 /* token byte: RFC 3261 token, lower case, no '!' */
#define EC_ALL (EC_STR | EC_NAME | EC_TOKEN)

static const unsigned char enc_class[256] = {
		[' ' ... '$'] = EC_STR,
		['%'] = EC_ALL,
		['&'] = EC_STR,
		['\''] = EC_STR | EC_TOKEN,
		['(' ... ')'] = EC_STR,
		['*' ... '+'] = EC_STR | EC_TOKEN,
		[','] = EC_STR,
		['-' ... '.'] = EC_ALL,
		['/'] = EC_STR | EC_NAME,
		['0' ... '9'] = EC_ALL,
		[':'] = EC_STR | EC_NAME,
		[';' ... '^'] = EC_STR,
		['_' ... '`'] = EC_STR | EC_TOKEN,
		['a' ... 'z'] = EC_ALL,
		['{' ... '}'] = EC_STR,
		['~'] = EC_STR | EC_TOKEN,
};

/* AND of the classes of s[0..n): the classes every byte has. */
static inline unsigned int class_of(const char *s, size_t n)
{
	unsigned int m = EC_ALL;
	size_t i;

#pragma GCC unroll 4
	for(i = 0; i < n; i++)
		m &= enc_class[(unsigned char)s[i]];
	return m;
}

/* Upper-case hex digit of a %XX string escape. */
static int uhex(unsigned char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex_read(const char *s, size_t n, unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	for(i = 0; i < n; i++) {
		unsigned int h = cp_hex1[(unsigned char)s[i]];
		if(h == 0)
			return -1;
		x = x << 4 | (h - 1);
	}
	*v = x;
	return 0;
}

/* Numeric items are checked by cp_tag_check() before use. */
double cp_hex_double(const char *s)
{
	unsigned long long bits = 0;
	double d;

	hex_read(s, 16, &bits);
	memcpy(&d, &bits, sizeof(d));
	return d;
}

static inline int is_sign(const char *s, const char *end)
{
	return cp_is_sign(s, end);
}

static inline long item_len(const char *s, const char *end)
{
	return cp_item_len(s, end);
}

/* Decoded tag name: lower-case letter, then [a-z0-9:/.%-]. */
static int name_ok(const struct cp_tag *t)
{
	return t->name[0] >= 'a' && t->name[0] <= 'z'
		   && (class_of(t->name + 1, t->nlen - 1) & EC_NAME);
}

/* Checking the value of one tag: evaluation checks only the tags a
 * predicate names, the validator every tag. Each check gets the exact span
 * of the tag's items from cp_tag_read() and succeeds only when the items
 * fill it. */

static int numeric_check(const char *s, const char *end)
{
	unsigned long long lo, hi;
	double dlo, dhi;
	size_t n = 0;

	for(; s < end; s += CP_NUM_ITEM_LEN) {
		if(n++ == CP_MAX_TOKENS || end - s < CP_NUM_ITEM_LEN
				|| !is_sign(s, end) || hex_read(s + 1, 16, &lo) < 0
				|| hex_read(s + 17, 16, &hi) < 0)
			return -1;
		memcpy(&dlo, &lo, sizeof(dlo));
		memcpy(&dhi, &hi, sizeof(dhi));
		/* NaN fails lo <= hi; an infinity only as the open side of a
		 * relation */
		if(!(dlo <= dhi) || dlo == INFINITY || dhi == -INFINITY
				|| (dlo == -INFINITY && dhi == INFINITY))
			return -1;
	}
	return 0;
}

/* One positive item of printable bytes with %XX escapes. */
static int string_check(const char *s, const char *end)
{
	const char *v, *pct;
	long n;

	if(!is_sign(s, end) || *s != '+' || (n = item_len(s, end)) < 0)
		return -1;
	v = s + 4;
	s = v + n;
	if(s != end || !(class_of(v, (size_t)n) & EC_STR))
		return -1;
	for(pct = v; (pct = memchr(pct, '%', (size_t)(s - pct))); pct++) {
		if(s - pct < 3 || uhex((unsigned char)pct[1]) < 0
				|| uhex((unsigned char)pct[2]) < 0)
			return -1;
	}
	return 0;
}

static int is_bool_token(const char *s, long n)
{
	return (n == 4 && memcmp(s, "true", 4) == 0)
		   || (n == 5 && memcmp(s, "false", 5) == 0);
}

/* Non-empty tokens, and the kind the parser gives them (list_kind() in
 * cp_parse.c); a list with a single negated token needs a second pass.
 * Stored tokens are lower case, so they compare bytewise. */
static int tokens_check(const char *s, const char *end, char kind)
{
	const char *items = s, *excl = NULL;
	unsigned int m = EC_TOKEN;
	long n, xlen = 0;
	size_t count = 0;
	int all_bool = 1;
	char k = 'f';

	for(; s < end; s += 4 + n) {
		if(count++ == CP_MAX_TOKENS || !is_sign(s, end)
				|| (n = item_len(s, end)) <= 0)
			return -1;
		m &= class_of(s + 4, (size_t)n);
		all_bool &= is_bool_token(s + 4, n);
		if(*s == '+')
			continue;
		if(!excl) {
			excl = s + 4;
			xlen = n;
			k = 'n';
		} else if(n != xlen || memcmp(s + 4, excl, (size_t)n) != 0) {
			k = 'a';
		}
	}
	if(!(m & EC_TOKEN))
		return -1;
	for(; k == 'n' && items < s; items += 4 + n) {
		n = item_len(items, end);
		if(*items == '+' && n == xlen
				&& memcmp(items + 4, excl, (size_t)n) == 0)
			k = 'a';
	}
	return (all_bool ? (char)(k - 32) : k) == kind ? 0 : -1;
}

int cp_tag_check(const struct cp_tag *t)
{
	const char *end = t->items + t->ilen;

	if(t->kind == CP_K_INSTANCE)
		return t->ilen == 0 ? 0 : -1;
	if(t->ilen == 0)
		return -1;
	if(t->kind == CP_K_NUM)
		return numeric_check(t->items, end);
	if(t->kind == CP_K_STR)
		return string_check(t->items, end);
	return tokens_check(t->items, end, t->kind);
}

int cp_fset_index(
		const char *enc, size_t len, struct cp_tag *tags, size_t max, size_t *n)
{
	struct cp_tag t;
	size_t pos = 0;
	int rc;

	*n = 0;
	if(len == 0)
		return 0;
	if(!enc || enc[0] != CP_ENC_VERSION)
		return CP_ERR_SYNTAX;
	while((rc = cp_tag_read(enc + 1, len - 1, &pos, &t)) == 1) {
		if(*n == max || !name_ok(&t) || cp_tag_check(&t) < 0
				|| (*n > 0
						&& cp_name_cmp(tags[*n - 1].name, tags[*n - 1].nlen,
								   t.name, t.nlen)
								   >= 0))
			return CP_ERR_SYNTAX;
		tags[(*n)++] = t;
	}
	return rc < 0 ? CP_ERR_SYNTAX : 0;
}

int cp_fset_validate(const char *enc, size_t enc_len)
{
	struct cp_tag tags[CP_MAX_PARAMS];
	size_t n;

	return cp_fset_index(enc, enc_len, tags, CP_MAX_PARAMS, &n);
}

/* Shortest fixed-point text that reads back as x (RFC 3840 numbers have no
 * exponent). */
static void number_put(struct cp_sink *o, double x)
{
	char buf[NUM_TEXT_MAX];
	int prec, n = 0;

	for(prec = 0; prec <= NUM_PREC_MAX; prec++) {
		n = snprintf(buf, sizeof(buf), "%.*f", prec, x);
		if(strtod(buf, NULL) == x)
			break;
	}
	cp_put(o, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void numeric_put(struct cp_sink *o, const struct cp_item *it)
{
	if(it->lo == -INFINITY) {
		cp_put(o, "#<=", 3);
		number_put(o, it->hi);
	} else if(it->hi == INFINITY) {
		cp_put(o, "#>=", 3);
		number_put(o, it->lo);
	} else if(it->lo == it->hi) {
		cp_put(o, "#=", 2);
		number_put(o, it->lo);
	} else {
		cp_put(o, "#", 1);
		number_put(o, it->lo);
		cp_put(o, ":", 1);
		number_put(o, it->hi);
	}
}

/* Undo the %XX escapes and write a quoted-string body. */
static void string_put(struct cp_sink *o, const struct cp_item *it)
{
	size_t i;

	for(i = 0; i < it->len; i++) {
		char c = it->s[i];
		if(c == '%') {
			c = (char)(uhex((unsigned char)it->s[i + 1]) << 4
					   | uhex((unsigned char)it->s[i + 2]));
			i += 2;
		}
		if(c == '"' || c == '\\' || c == '<' || c == '>')
			cp_put(o, "\\", 1);
		cp_put(o, &c, 1);
	}
}

static void tag_render(struct cp_sink *o, const struct cp_tag *t)
{
	struct cp_item it;
	size_t pos = 0, i;
	int b = cp_base_by_tag(t->name, t->nlen);

	cp_put(o, ";", 1);
	if(b >= 0) {
		cp_put(o, cp_base_tags[b].param, strlen(cp_base_tags[b].param));
	} else {
		cp_put(o, "+", 1);
		for(i = 0; i < t->nlen; i++) {
			char c = t->name[i];
			c = c == ':' ? '!' : (c == '/' ? '\'' : c);
			cp_put(o, &c, 1);
		}
	}
	/* a bare parameter means TRUE */
	if(t->kind == 'F' && t->ilen == 8 && memcmp(t->items, "+004true", 8) == 0)
		return;
	/* an instance that was not given */
	if(t->kind == CP_K_INSTANCE) {
		cp_put(o, "=\"<>\"", 5);
		return;
	}
	cp_put(o, "=\"", 2);
	for(i = 0; cp_item_next(t, &pos, &it); i++) {
		if(i > 0)
			cp_put(o, ",", 1);
		if(it.neg)
			cp_put(o, "!", 1);
		if(t->kind == CP_K_NUM) {
			numeric_put(o, &it);
		} else if(t->kind == CP_K_STR) {
			cp_put(o, "<", 1);
			string_put(o, &it);
			cp_put(o, ">", 1);
		} else {
			cp_put(o, it.s, it.len);
		}
	}
	cp_put(o, "\"", 1);
}

int cp_fset_render(const char *enc, size_t enc_len, const char *instance,
		size_t instance_len, char *out, size_t out_size)
{
	struct cp_tag tags[CP_MAX_PARAMS];
	struct cp_sink o = {out, out_size, 0};
	char ibuf[CP_INSTANCE_BUF];
	size_t n, i;

	if(cp_fset_index(enc, enc_len, tags, CP_MAX_PARAMS, &n) < 0)
		return CP_ERR_SYNTAX;
	for(i = 0; i < n; i++) {
		if(tags[i].kind == CP_K_INSTANCE)
			cp_instance_tag(instance, instance_len, ibuf, sizeof(ibuf), &tags[i]);
		tag_render(&o, &tags[i]);
	}
	if(o.len >= out_size)
		return CP_ERR_SPACE;
	out[o.len] = '\0';
	return (int)o.len;
}
