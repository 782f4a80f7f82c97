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

static int hex_digit(unsigned char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
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
		int h = hex_digit((unsigned char)s[i]);
		if(h < 0)
			return -1;
		x = x << 4 | (unsigned long long)h;
	}
	*v = x;
	return 0;
}

/* Numeric items are validated by cp_fset_index() before use. */
static double hex_double(const char *s)
{
	unsigned long long bits = 0;
	double d;

	hex_read(s, 16, &bits);
	memcpy(&d, &bits, sizeof(d));
	return d;
}

static int kind_ok(char k)
{
	return k == CP_K_NUM || k == CP_K_STR || k == 'f' || k == 'n' || k == 'a'
		   || k == 'F' || k == 'N' || k == 'A';
}

int cp_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if(c != 0)
		return c;
	return alen < blen ? -1 : (alen > blen);
}

int cp_tag_read(const char *e, size_t len, size_t *pos, struct cp_tag *t)
{
	unsigned long long nlen, ilen;
	size_t p = *pos, st;

	if(p >= len)
		return 0;
	if(len - p < 3 || hex_read(e + p, 2, &nlen) < 0 || nlen == 0
			|| len - p - 2 < nlen + 1)
		return -1;
	t->name = e + p + 2;
	t->nlen = (size_t)nlen;
	p += 2 + (size_t)nlen;
	t->kind = e[p++];
	if(!kind_ok(t->kind))
		return -1;
	for(st = p; p < len && (e[p] == '+' || e[p] == '!'); p += (size_t)ilen) {
		if(t->kind == CP_K_NUM) {
			ilen = CP_NUM_ITEM_LEN;
		} else {
			if(len - p < 4 || hex_read(e + p + 1, 3, &ilen) < 0)
				return -1;
			ilen += 4;
		}
		if(len - p < ilen)
			return -1;
	}
	if(p == st)
		return -1;
	t->items = e + st;
	t->ilen = p - st;
	*pos = p;
	return 1;
}

int cp_item_next(const struct cp_tag *t, size_t *pos, struct cp_item *it)
{
	const char *s = t->items + *pos;
	unsigned long long n = 0;

	if(*pos >= t->ilen)
		return 0;
	it->neg = s[0] == '!';
	if(t->kind == CP_K_NUM) {
		it->s = NULL;
		it->len = 0;
		it->lo = hex_double(s + 1);
		it->hi = hex_double(s + 17);
		*pos += CP_NUM_ITEM_LEN;
		return 1;
	}
	hex_read(s + 1, 3, &n);
	it->s = s + 4;
	it->len = (size_t)n;
	*pos += 4 + (size_t)n;
	return 1;
}

static int item_ieq(const struct cp_item *a, const struct cp_item *b)
{
	size_t i;

	if(a->len != b->len)
		return 0;
	for(i = 0; i < a->len; i++) {
		if(cp_lower((unsigned char)a->s[i]) != cp_lower((unsigned char)b->s[i]))
			return 0;
	}
	return 1;
}

static int is_bool_word(const struct cp_item *it)
{
	static const struct cp_item t = {0, "true", 4, 0, 0};
	static const struct cp_item f = {0, "false", 5, 0, 0};

	return item_ieq(it, &t) || item_ieq(it, &f);
}

/* Spec-notes 4.1 allowed_set(): no negation -> the listed tokens; two
 * different negated tokens -> everything; one negated token n -> everything
 * but n, unless n is also listed positively. */
char cp_list_kind(const struct cp_item *it, size_t n)
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

/* Decoded tag name: lower-case letter, then [a-z0-9:/.%-]. */
static int name_ok(const struct cp_tag *t)
{
	size_t i;

	if(t->name[0] < 'a' || t->name[0] > 'z')
		return 0;
	for(i = 1; i < t->nlen; i++) {
		char c = t->name[i];
		if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':'
				   || c == '/' || c == '.' || c == '-' || c == '%'))
			return 0;
	}
	return 1;
}

static int numeric_items_ok(const struct cp_tag *t)
{
	unsigned long long bits;
	size_t pos, n = 0;
	struct cp_item it;

	for(pos = 0; pos < t->ilen; pos += CP_NUM_ITEM_LEN) {
		if(hex_read(t->items + pos + 1, 16, &bits) < 0
				|| hex_read(t->items + pos + 17, 16, &bits) < 0)
			return 0;
	}
	for(pos = 0; cp_item_next(t, &pos, &it); n++) {
		/* NaN fails lo <= hi; an infinity only as the open side of a
		 * relation */
		if(!(it.lo <= it.hi) || it.lo == INFINITY || it.hi == -INFINITY
				|| (it.lo == -INFINITY && it.hi == INFINITY)
				|| n == CP_MAX_TOKENS)
			return 0;
	}
	return 1;
}

static int string_item_ok(const struct cp_tag *t)
{
	struct cp_item it;
	size_t pos = 0, i;

	cp_item_next(t, &pos, &it);
	if(it.neg || pos != t->ilen)
		return 0;
	for(i = 0; i < it.len; i++) {
		unsigned char c = (unsigned char)it.s[i];
		if(c < 0x20 || c >= 0x7f)
			return 0;
		if(c == '%'
				&& (it.len - i < 3 || uhex((unsigned char)it.s[i + 1]) < 0
						|| uhex((unsigned char)it.s[i + 2]) < 0))
			return 0;
	}
	return 1;
}

static int token_items_ok(const struct cp_tag *t)
{
	struct cp_item it[CP_MAX_TOKENS];
	size_t pos = 0, n = 0, i;

	while(pos < t->ilen) {
		if(n == CP_MAX_TOKENS)
			return 0;
		cp_item_next(t, &pos, &it[n]);
		if(it[n].len == 0)
			return 0;
		for(i = 0; i < it[n].len; i++) {
			unsigned char c = (unsigned char)it[n].s[i];
			if(!cp_token_char[c] || c == '!' || (c >= 'A' && c <= 'Z'))
				return 0;
		}
		n++;
	}
	return cp_list_kind(it, n) == t->kind;
}

int cp_fset_index(
		const char *enc, size_t len, struct cp_tag *tags, size_t max, size_t *n)
{
	struct cp_tag t;
	size_t pos = 0;
	int rc, ok;

	*n = 0;
	if(len == 0)
		return 0;
	if(!enc || enc[0] != CP_ENC_VERSION)
		return CP_ERR_SYNTAX;
	while((rc = cp_tag_read(enc + 1, len - 1, &pos, &t)) == 1) {
		if(*n == max || !name_ok(&t)
				|| (*n > 0
						&& cp_name_cmp(tags[*n - 1].name, tags[*n - 1].nlen,
								   t.name, t.nlen)
								   >= 0))
			return CP_ERR_SYNTAX;
		if(t.kind == CP_K_NUM)
			ok = numeric_items_ok(&t);
		else if(t.kind == CP_K_STR)
			ok = string_item_ok(&t);
		else
			ok = token_items_ok(&t);
		if(!ok)
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

int cp_fset_render(const char *enc, size_t enc_len, char *out, size_t out_size)
{
	struct cp_tag tags[CP_MAX_PARAMS];
	struct cp_sink o = {out, out_size, 0};
	size_t n, i;

	if(cp_fset_index(enc, enc_len, tags, CP_MAX_PARAMS, &n) < 0)
		return CP_ERR_SYNTAX;
	for(i = 0; i < n; i++)
		tag_render(&o, &tags[i]);
	if(o.len >= out_size)
		return CP_ERR_SPACE;
	out[o.len] = '\0';
	return (int)o.len;
}
