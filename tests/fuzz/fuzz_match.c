/*
 * libFuzzer harness: RFC 3841 evaluation of fuzzed caller preferences
 * against fuzzed contacts, checking the invariants of cp_evaluate()
 *
 * Records (fuzz_util.h) besides the caller-preference ones: "c[q]:" a
 * Contact's parameters, encoded (when they do not encode, the raw bytes are
 * stored as junk) and "e[q]:" raw bytes stored as an encoding.
 *
 * A stored encoding is judged tag by tag (cpref.h, cp_evaluate): each
 * target must get the verdict and Qa of its intact part, a valid encoding
 * built here by a model of that rule.
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "cp_internal.h"
#include "cp_model.h"

#define MAX_CONTACTS 64
/* evaluated again one by one: a verdict does not depend on other targets */
#define MAX_ALONE 8
#define QA_EPS 1e-9

/* fset: exact-length heap copies, so ASan flags a read past one */
struct targets
{
	cp_target_t t[MAX_CONTACTS];
	size_t n;
};

static void contact_add(struct targets *ts, const struct fz_rec *r)
{
	char enc[CP_FSET_MAX];
	cp_target_t *t = &ts->t[ts->n];
	size_t len;
	char *raw = fz_dup(r->body, r->len);

	t->fset = raw;
	t->fset_len = r->len;
	if(r->kind == 'c'
			&& cp_fset_encode(raw, r->len, NULL, enc, sizeof(enc), &len, NULL)
					   >= 0) {
		free(raw);
		t->fset = fz_dup((const uint8_t *)enc, len);
		t->fset_len = len;
	}
	t->q = r->num;
	/* every contact of a case names one device */
	t->instance = "<urn:uuid:fuzz>";
	t->instance_len = 15;
	ts->n++;
}

/* Only an empty encoding, or the version byte alone, is immune; any other
 * target gets what its intact part gets. */
static void check_tagwise(
		const cp_prefs_t *p, const cp_target_t *t, const cp_result_t *r)
{
	cp_target_t fixed = *t;
	cp_result_t one;
	size_t o, used, size;
	char *buf;

	if(t->fset_len == 0
			|| (t->fset_len == 1 && t->fset[0] == CP_ENC_VERSION)) {
		FZ_CHECK(r->verdict == CP_IMMUNE || r->verdict == CP_DROP_EXPLICIT);
		return;
	}
	FZ_CHECK(r->verdict != CP_IMMUNE);
	size = t->fset_len + 32;
	buf = malloc(size);
	FZ_CHECK(buf != NULL);
	fixed.fset_len = cp_model_intact(t->fset, t->fset_len, buf, size);
	FZ_CHECK(fixed.fset_len > 0);
	fixed.fset = buf;
	cp_evaluate(p, &fixed, 1, &one, &o, &used);
	FZ_CHECK(one.verdict == r->verdict && one.qa == r->qa);
	free(buf);
}

static int q_of(const cp_target_t *t)
{
	return (t->q < 0 || t->q > 1000) ? 1000 : t->q;
}

/* > 0 when a ranks before b, 0 when they rank equal. */
static int rank(
		const cp_target_t *t, const cp_result_t *res, size_t a, size_t b)
{
	if(q_of(&t[a]) != q_of(&t[b]))
		return q_of(&t[a]) > q_of(&t[b]) ? 1 : -1;
	if(fabs(res[a].qa - res[b].qa) > QA_EPS)
		return res[a].qa > res[b].qa ? 1 : -1;
	return 0;
}

static int is_kept(const cp_result_t *r)
{
	return r->verdict == CP_KEPT || r->verdict == CP_IMMUNE;
}

static void check_target(const cp_target_t *t, const cp_result_t *r, size_t i,
		size_t m, const size_t *order, size_t used, int out)
{
	FZ_CHECK(r->verdict >= CP_KEPT && r->verdict <= CP_SKIPPED);
	FZ_CHECK(cp_verdict_name(r->verdict) != NULL);
	/* out of budget: the targets not judged yet are skipped too */
	FZ_CHECK(i < m || r->verdict == CP_SKIPPED);
	FZ_CHECK(i >= m || out == CP_OUT_BUDGET || r->verdict != CP_SKIPPED);
	FZ_CHECK(r->qa >= 0.0 && r->qa <= 1.0);
	if(!is_kept(r))
		FZ_CHECK(r->qa == 0.0);
	if(r->verdict == CP_IMMUNE)
		FZ_CHECK(r->qa == 1.0
				 && (t->fset_len == 0
						 || (t->fset_len == 1
								 && t->fset[0] == CP_ENC_VERSION)));
	if(r->position < 0) {
		FZ_CHECK(r->position == -1 && r->fork_class == -1);
		return;
	}
	FZ_CHECK((size_t)r->position < used && order[r->position] == i);
	FZ_CHECK(r->fork_class >= 0 && r->fork_class <= r->position);
}

/* Fork classes by q and Qa ('f' option) rather than by q alone. */
static int qa_classes;

/* Order and fork classes of the used targets. */
static void check_order(const cp_target_t *t, const cp_result_t *res,
		const size_t *order, size_t used, unsigned int disp)
{
	size_t k, a, b;
	int c;

	if(used > 0)
		FZ_CHECK(res[order[0]].fork_class == 0);
	for(k = 1; k < used; k++) {
		a = order[k - 1];
		b = order[k];
		c = rank(t, res, a, b);
		FZ_CHECK(c >= 0);
		/* equal rank keeps location order */
		FZ_CHECK(c != 0 || a < b);
		if(disp & CP_DISP_SEQUENTIAL)
			FZ_CHECK(res[b].fork_class == (int)k);
		else if(disp & CP_DISP_PARALLEL)
			FZ_CHECK(res[b].fork_class == 0);
		else if(qa_classes)
			FZ_CHECK(res[b].fork_class == res[a].fork_class + (c != 0 ? 1 : 0));
		else
			FZ_CHECK(res[b].fork_class
					 == res[a].fork_class
								+ (q_of(&t[a]) != q_of(&t[b]) ? 1 : 0));
	}
}

static void check_result(const cp_prefs_t *p, const cp_target_t *t, size_t n,
		const cp_result_t *res, const size_t *order, size_t used, int out)
{
	int implicit =
			cp_prefs_accept_count(p) == 0 && cp_prefs_reject_count(p) == 0;
	unsigned int disp = cp_prefs_disposition(p);
	size_t m = n < CP_MAX_TARGETS ? n : CP_MAX_TARGETS, i, k, nk = 0;
	size_t all;

	FZ_CHECK(out >= CP_OUT_MATCHED && out <= CP_OUT_BUDGET);
	FZ_CHECK((out == CP_OUT_EMPTY) == (n == 0));
	FZ_CHECK(used <= m);
	for(i = 0; i < n; i++) {
		check_target(&t[i], &res[i], i, m, order, used, out);
		nk += is_kept(&res[i]);
	}
	for(k = 0; k < used; k++) {
		FZ_CHECK(order[k] < m && res[order[k]].position == (int)k);
		FZ_CHECK(out != CP_OUT_MATCHED || is_kept(&res[order[k]]));
	}
	switch(out) {
		case CP_OUT_MATCHED:
			all = nk;
			FZ_CHECK(nk > 0);
			break;
		case CP_OUT_REVERTED:
			all = m;
			FZ_CHECK(implicit && nk == 0);
			break;
		case CP_OUT_NONE:
			all = 0;
			FZ_CHECK(!implicit && nk == 0);
			break;
		default:
			all = 0;
	}
	FZ_CHECK(used == ((disp & CP_DISP_NO_FORK) && all > 0 ? 1 : all));
	check_order(t, res, order, used, disp);
}

static void evaluate(const cp_prefs_t *p, const cp_target_t *t, size_t n)
{
	cp_result_t *res = malloc((n ? n : 1) * sizeof(*res));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	cp_result_t one;
	size_t used, i, o;
	int out;

	FZ_CHECK(res != NULL && order != NULL);
	out = cp_evaluate(p, t, n, res, order, &used);
	check_result(p, t, n, res, order, used, out);
	for(i = 0; i < n && i < MAX_ALONE; i++) {
		/* alone, a target costs no more than among others */
		if(cp_evaluate(p, &t[i], 1, &one, &o, &used) == CP_OUT_BUDGET) {
			FZ_CHECK(out == CP_OUT_BUDGET && used == 0);
			continue;
		}
		if(res[i].verdict == CP_SKIPPED)
			continue;
		FZ_CHECK(one.verdict == res[i].verdict && one.qa == res[i].qa);
		check_tagwise(p, &t[i], &res[i]);
	}
	free(res);
	free(order);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct targets ts;
	struct fz_opts o;
	struct fz_rec r;
	cp_prefs_t *p;
	size_t i;

	fz_opts_scan(data, size, &o);
	qa_classes = o.qa_classes;
	p = fz_prefs_new(&o);
	ts.n = 0;
	while(fz_rec_next(&data, &size, &r)) {
		if(fz_pref_record(p, &r))
			continue;
		if((r.kind == 'c' || r.kind == 'e') && ts.n < MAX_CONTACTS)
			contact_add(&ts, &r);
	}
	evaluate(p, ts.t, ts.n);
	for(i = 0; i < ts.n; i++)
		free((char *)ts.t[i].fset);
	free(p);
	return 0;
}
