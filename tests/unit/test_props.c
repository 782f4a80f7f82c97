/*
 * Property tests over random feature sets and predicates (fixed seeds,
 * bounded iterations)
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "cp_internal.h"

#define ITER 1500
#define MAXT 6

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s;
}

/* xorshift64* */
static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned int)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

struct text
{
	char s[1024];
	size_t n;
};

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(t->s) - t->n);
	t->n += (size_t)n;
}

static const char *const names[] = {"audio", "video", "+video", "language",
		"+x", "+y.z", PT, "methods", "priority", "description", "+b"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* Random RFC 3840 value for a tag, "" for a bare parameter. */
static void gen_value(struct text *t)
{
	static const char *tok[] = {"a", "B", "mms.ua", "ulp.ua", "TRUE"};
	static const char *str[] = {"<A>", "<a>", "<x y>", "<a\\\"b>"};
	unsigned int type = rnd(5), k, i;

	if(type == 0)
		return;
	add(t, "=\"");
	if(type == 4) {
		add(t, "%s\"", str[rnd(4)]);
		return;
	}
	k = 1 + rnd(3);
	for(i = 0; i < k; i++) {
		int a = (int)rnd(7) - 3, b = (int)rnd(7) - 3;
		if(i > 0)
			add(t, ",");
		if(rnd(3) == 0)
			add(t, "!");
		if(type == 1) {
			add(t, rnd(2) ? "TRUE" : "false");
		} else if(type == 2) {
			add(t, "%s", tok[rnd(5)]);
		} else {
			static const char *form[] = {"#=%d", "#<=%d", "#>=%d", "#=%d.5"};
			unsigned int f = rnd(5);
			if(f < 4)
				add(t, form[f], a);
			else
				add(t, "#%d:%d", a, b);
		}
	}
	add(t, "\"");
}

/* Random Contact parameters with 0..4 distinct feature tags (a fifth of
 * the contacts are immune), plus generic parameters. */
static void gen_params(struct text *t, int with_plus_video)
{
	unsigned int used = 0, k = rnd(5), i;

	t->n = 0;
	t->s[0] = '\0';
	if(rnd(3) == 0)
		add(t, ";q=0.%u", rnd(10));
	for(i = 0; i < k; i++) {
		unsigned int j = rnd(NNAMES);
		if((used & (1u << j)) || (!with_plus_video && j == 2))
			continue;
		used |= 1u << j;
		add(t, ";%s", names[j]);
		gen_value(t);
	}
	if(rnd(3) == 0)
		add(t, ";expires=600");
}

/* Tag names of an encoding. */
static size_t tag_names(
		const char *e, size_t n, struct cp_tag *tags, size_t max)
{
	size_t nt;

	assert_int_equal(cp_fset_index(e, n, tags, max, &nt), 0);
	return nt;
}

static void parse_render_parse_identity(void **state)
{
	char e1[CP_FSET_MAX], e2[CP_FSET_MAX], r[2 * CP_FSET_MAX];
	struct text t;
	cp_diag_t d;
	size_t n1, n2;
	int i, rc1, rc2, len;

	(void)state;
	rng_seed(0x5eed0001);
	for(i = 0; i < ITER; i++) {
		gen_params(&t, 1);
		rc1 = enc(t.s, e1, &n1, &d);
		if(rc1 < 0)
			fail_msg("'%s': %s", t.s, d.reason);
		assert_int_equal(cp_fset_validate(e1, n1), 0);
		len = cp_fset_render(e1, n1, NULL, 0, r, sizeof(r));
		assert_true(len >= 0);
		rc2 = enc(r, e2, &n2, &d);
		assert_int_equal(rc1, rc2);
		assert_int_equal(n1, n2);
		assert_memory_equal(e1, e2, n1);
		for(len = 0; (size_t)len < n1; len++)
			assert_true(e1[len] >= 0x20 && e1[len] < 0x7f);
	}
}

struct scene
{
	char fs[MAXT][CP_FSET_MAX];
	cp_target_t t[MAXT];
	cp_result_t res[MAXT];
	size_t order[MAXT], n, used;
	int outcome;
};

static void gen_targets(struct scene *s)
{
	struct text t;
	cp_diag_t d;
	size_t i;

	s->n = 1 + rnd(MAXT);
	for(i = 0; i < s->n; i++) {
		gen_params(&t, 1);
		assert_true(enc(t.s, s->fs[i], &s->t[i].fset_len, &d) >= 0);
		s->t[i].fset = s->fs[i];
		s->t[i].q = rnd(4) == 0 ? -1 : (int)rnd(4) * 250;
		s->t[i].instance = NULL;
		s->t[i].instance_len = 0;
	}
}

/* Random Accept/Reject value; returns its header text in t. */
static void gen_pred(struct text *t, int accept)
{
	struct text p;

	gen_params(&p, 0);
	t->n = 0;
	add(t, "*%s", p.s);
	if(accept && rnd(2))
		add(t, ";require");
	if(accept && rnd(2))
		add(t, ";explicit");
}

/* Add na random Accept-Contact and nr Reject-Contact values to p. */
static void add_preds(cp_prefs_t *p, unsigned int na, unsigned int nr)
{
	struct text h;
	cp_diag_t d;
	unsigned int k;

	for(k = 0; k < na; k++) {
		gen_pred(&h, 1);
		assert_int_equal(add_hdr(p, 'a', h.s, &d), CP_OK);
	}
	for(k = 0; k < nr; k++) {
		gen_pred(&h, 0);
		assert_int_equal(add_hdr(p, 'j', h.s, &d), CP_OK);
	}
}

static int q_of(int q)
{
	return q < 0 ? 1000 : q;
}

static void evaluation_invariants(void **state)
{
	static const char *methods[] = {"MESSAGE", "INVITE", "SUBSCRIBE"};
	cp_prefs_t *p = prefs_buf();
	struct scene s;
	cp_diag_t d;
	unsigned int na, nr, k;
	size_t i;
	int it;

	(void)state;
	rng_seed(0x5eed0002);
	for(it = 0; it < ITER; it++) {
		const char *m = methods[rnd(3)];
		gen_targets(&s);
		cp_prefs_init(p, NULL, 0);
		na = rnd(4);
		nr = rnd(3);
		add_preds(p, na, nr);
		assert_int_equal(cp_prefs_set_request(p, m, strlen(m), "presence",
								 strcmp(m, "SUBSCRIBE") ? 0 : 8, &d),
				CP_OK);
		s.outcome = cp_evaluate(p, s.t, s.n, s.res, s.order, &s.used);

		if(s.outcome == CP_OUT_NONE)
			assert_true(na + nr > 0 && s.used == 0);
		if(s.outcome == CP_OUT_REVERTED)
			assert_true(na + nr == 0 && s.used == s.n);
		for(i = 0; i < s.n; i++) {
			const cp_result_t *r = &s.res[i];
			int kept = r->verdict == CP_KEPT || r->verdict == CP_IMMUNE;
			/* immune contacts are always kept, with Qa 1 */
			if(s.t[i].fset_len == 0)
				assert_true(r->verdict == CP_IMMUNE && r->qa == 1.0);
			assert_true(r->qa >= 0.0 && r->qa <= 1.0);
			if(s.outcome == CP_OUT_MATCHED)
				assert_int_equal(kept, r->position >= 0);
		}
		for(k = 0; k < s.used; k++) {
			size_t a = s.order[k];
			assert_int_equal(s.res[a].position, (int)k);
			if(k == 0)
				continue;
			/* q first, then Qa, then location order */
			size_t b = s.order[k - 1];
			assert_true(q_of(s.t[b].q) >= q_of(s.t[a].q));
			if(q_of(s.t[b].q) == q_of(s.t[a].q)) {
				assert_true(s.res[b].qa >= s.res[a].qa - 1e-9);
				if(fabs(s.res[b].qa - s.res[a].qa) <= 1e-9)
					assert_true(b < a);
			}
			assert_true(s.res[a].fork_class >= s.res[b].fork_class);
		}
	}
}

/* A Reject value never drops a contact lacking one of its tags (nor an
 * immune one), and drops nothing for any other reason. */
static void reject_needs_every_tag(void **state)
{
	struct cp_tag rt[CP_MAX_PARAMS], ct[CP_MAX_PARAMS];
	char re[CP_FSET_MAX];
	cp_prefs_t *p = prefs_buf();
	struct scene s;
	struct text h;
	cp_diag_t d;
	size_t i, j, k, nrt, nct, rn;
	int it;

	(void)state;
	rng_seed(0x5eed0003);
	for(it = 0; it < ITER; it++) {
		gen_targets(&s);
		gen_pred(&h, 0);
		cp_prefs_init(p, NULL, 0);
		assert_int_equal(add_hdr(p, 'j', h.s, &d), CP_OK);
		/* the value's tag names: encode its parameters as a Contact */
		assert_true(enc(h.s + 1, re, &rn, &d) >= 0);
		nrt = tag_names(re, rn, rt, CP_MAX_PARAMS);
		cp_evaluate(p, s.t, s.n, s.res, s.order, &s.used);
		for(i = 0; i < s.n; i++) {
			int all = 1;
			nct = tag_names(s.t[i].fset, s.t[i].fset_len, ct, CP_MAX_PARAMS);
			for(j = 0; j < nrt; j++) {
				int found = 0;
				for(k = 0; k < nct; k++)
					found |= rt[j].nlen == ct[k].nlen
							 && !memcmp(rt[j].name, ct[k].name, ct[k].nlen);
				all &= found;
			}
			if(!all || nct == 0)
				assert_int_not_equal(s.res[i].verdict, CP_REJECTED);
			/* a Reject value is not an Accept value: nothing else drops */
			assert_true(s.res[i].verdict == CP_REJECTED
						|| s.res[i].verdict == CP_KEPT
						|| s.res[i].verdict == CP_IMMUNE);
		}
	}
}

/* Value intersection is symmetric and every value meets itself. */
static void value_match_symmetric(void **state)
{
	cp_prefs_t *p = prefs_buf();
	struct text a, b, c, h;
	char fs[CP_FSET_MAX];
	cp_target_t t = {.fset = fs, .fset_len = 0, .q = -1};
	cp_result_t r;
	size_t order, used;
	cp_diag_t d;
	int it, ab, ba, aa;

	(void)state;
	rng_seed(0x5eed0004);
	for(it = 0; it < ITER; it++) {
		a.n = b.n = 0;
		gen_value(&a);
		gen_value(&b);
#define MEETS(x, y, out)                                    \
	do {                                                    \
		c.n = h.n = 0;                                      \
		add(&c, "+t%s", (x).n ? (x).s : "");                \
		add(&h, "*;+t%s;require", (y).n ? (y).s : "");      \
		assert_int_equal(enc(c.s, fs, &t.fset_len, &d), 1); \
		cp_prefs_init(p, NULL, 0);                          \
		assert_int_equal(add_hdr(p, 'a', h.s, &d), CP_OK);  \
		cp_evaluate(p, &t, 1, &r, &order, &used);           \
		out = r.verdict == CP_KEPT;                         \
	} while(0)
		MEETS(a, b, ab);
		MEETS(b, a, ba);
		MEETS(a, a, aa);
#undef MEETS
		if(ab != ba)
			fail_msg("'%s' vs '%s': %d / %d", a.n ? a.s : "(bare)",
					b.n ? b.s : "(bare)", ab, ba);
		assert_true(aa);
	}
}

/* Random damage to valid input: every call returns a defined code. */
static void fuzz_parsers(void **state)
{
	static const char alphabet[] = "*;,=\"\\<>!#:+-.0aZ \t\r\n\x01\x80";
	cp_prefs_t *p = prefs_buf();
	char out[CP_FSET_MAX], r[2 * CP_FSET_MAX];
	struct text t;
	cp_diag_t d;
	size_t n, k, i;
	int it, rc;

	(void)state;
	rng_seed(0x5eed0005);
	for(it = 0; it < 3 * ITER; it++) {
		char *c;
		gen_pred(&t, 1);
		for(k = rnd(4) + 1; k > 0 && t.n > 0; k--) {
			i = rnd((unsigned int)t.n);
			t.s[i] = alphabet[rnd(sizeof(alphabet))]; /* may be NUL */
		}
		n = rnd((unsigned int)t.n + 1);
		c = malloc(n ? n : 1);
		memcpy(c, t.s, n);
		d.reason = NULL;
		cp_prefs_init(p, NULL, 0);
		rc = cp_prefs_add_accept(p, c, n, &d);
		assert_true(rc == CP_OK
					|| ((rc == CP_ERR_SYNTAX || rc == CP_ERR_LIMIT) && d.reason
							&& d.offset <= n));
		rc = cp_prefs_add_reject(p, c, n, &d);
		assert_true(rc == CP_OK || rc == CP_ERR_SYNTAX || rc == CP_ERR_LIMIT);
		rc = cp_prefs_add_disposition(p, c, n, &d);
		assert_true(rc == CP_OK || rc == CP_ERR_SYNTAX);
		rc = cp_fset_encode(c, n, NULL, out, sizeof(out), &k, &d);
		assert_true(rc >= 0 || rc == CP_ERR_SYNTAX || rc == CP_ERR_LIMIT);
		if(rc >= 0)
			assert_int_equal(cp_fset_validate(out, k), 0);
		assert_true(cp_fset_validate(c, n) <= 0);
		rc = cp_fset_render(c, n, NULL, 0, r, sizeof(r));
		assert_true(rc >= 0 || rc == CP_ERR_SYNTAX || rc == CP_ERR_SPACE);
		free(c);
	}
}

/* Damaged stored encodings: junk is never immune, never crashes, and is
 * judged tag by tag: exactly like its intact part (cp_model_intact()). */
static void fuzz_stored_encodings(void **state)
{
	static const char alphabet[] = "0123456789abcdefF!+#sNnAa:x\x01";
	cp_prefs_t *p = prefs_buf();
	struct scene s, fixed;
	size_t i, k;
	unsigned int na, nr;
	int it, strict;

	(void)state;
	rng_seed(0x5eed0006);
	for(it = 0; it < 2 * ITER; it++) {
		gen_targets(&s);
		for(i = 0; i < s.n; i++) {
			for(k = rnd(3); k > 0 && s.t[i].fset_len > 0; k--)
				s.fs[i][rnd((unsigned int)s.t[i].fset_len)] =
						alphabet[rnd(sizeof(alphabet) - 1)];
			if(rnd(4) == 0 && s.t[i].fset_len > 0)
				s.t[i].fset_len = rnd((unsigned int)s.t[i].fset_len);
		}
		strict = (int)rnd(2);
		cp_prefs_init(p, NULL, strict);
		na = 1 + rnd(2);
		nr = rnd(2);
		add_preds(p, na, nr);
		cp_evaluate(p, s.t, s.n, s.res, s.order, &s.used);
		fixed = s;
		for(i = 0; i < s.n; i++) {
			int immune = s.t[i].fset_len == 0
						 || (s.t[i].fset_len == 1
								 && s.fs[i][0] == CP_ENC_VERSION);
			if(!immune)
				assert_int_not_equal(s.res[i].verdict, CP_IMMUNE);
			else if(s.res[i].verdict != CP_IMMUNE)
				/* the strict_explicit policy */
				assert_true(strict && s.res[i].verdict == CP_DROP_EXPLICIT);
			assert_true(s.res[i].qa >= 0.0 && s.res[i].qa <= 1.0);
			if(!immune) {
				fixed.t[i].fset_len = intact(s.fs[i], s.t[i].fset_len,
						fixed.fs[i], sizeof(fixed.fs[i]));
			}
			fixed.t[i].fset = fixed.fs[i];
		}
		cp_evaluate(p, fixed.t, fixed.n, fixed.res, fixed.order, &fixed.used);
		for(i = 0; i < s.n; i++) {
			if(s.res[i].verdict != fixed.res[i].verdict
					|| s.res[i].qa != fixed.res[i].qa)
				fail_msg("'%.*s': %s %f, intact part '%.*s': %s %f",
						(int)s.t[i].fset_len, s.fs[i],
						cp_verdict_name(s.res[i].verdict), s.res[i].qa,
						(int)fixed.t[i].fset_len, fixed.fs[i],
						cp_verdict_name(fixed.res[i].verdict),
						fixed.res[i].qa);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(parse_render_parse_identity),
			cmocka_unit_test(evaluation_invariants),
			cmocka_unit_test(reject_needs_every_tag),
			cmocka_unit_test(value_match_symmetric),
			cmocka_unit_test(fuzz_parsers),
			cmocka_unit_test(fuzz_stored_encodings),
	};

	return cmocka_run_group_tests_name("props", tests, NULL, NULL);
}
