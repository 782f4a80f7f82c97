/*
 * Helpers of the caller-preference engine's unit tests
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "cp_internal.h"

cp_prefs_t *prefs_buf(void)
{
	static union
	{
		char bytes[64 * 1024];
		long double align;
	} store;

	assert_true(cp_prefs_size() <= sizeof(store.bytes));
	return (cp_prefs_t *)store.bytes;
}

char *dup_exact(const char *s, size_t *len)
{
	size_t n = strlen(s);
	/* malloc(0) may return NULL; keep one byte nobody may read */
	char *d = malloc(n ? n : 1);

	assert_non_null(d);
	memcpy(d, s, n);
	*len = n;
	return d;
}

int enc(const char *s, char *out, size_t *out_len, cp_diag_t *d)
{
	size_t n;
	char *c = dup_exact(s, &n);
	int rc = cp_fset_encode(c, n, NULL, out, CP_FSET_MAX, out_len, d);

	free(c);
	return rc;
}

int add_hdr(cp_prefs_t *p, char kind, const char *body, cp_diag_t *d)
{
	size_t n;
	char *c = dup_exact(body, &n);
	int rc;

	if(kind == 'a')
		rc = cp_prefs_add_accept(p, c, n, d);
	else if(kind == 'j')
		rc = cp_prefs_add_reject(p, c, n, d);
	else
		rc = cp_prefs_add_disposition(p, c, n, d);
	free(c);
	return rc;
}

char verdict_letter(enum cp_verdict v)
{
	return "kiqers"[v];
}

static void hdrs_add(cp_prefs_t *p, char kind, const char *const *h)
{
	cp_diag_t d = {0};
	int i;

	for(i = 0; i < TC_MAX && h[i]; i++) {
		if(add_hdr(p, kind, h[i], &d) != CP_OK)
			fail_msg("header '%s': %s at %zu", h[i], d.reason, d.offset);
	}
}

void tc_run(const struct tc *c)
{
	static char fs[TC_MAX][CP_FSET_MAX];
	cp_target_t t[TC_MAX];
	cp_result_t res[TC_MAX];
	size_t order[TC_MAX], n = 0, used, k, nexp = 0;
	const char *method = c->method ? c->method : "MESSAGE";
	cp_prefs_t *p = prefs_buf();
	cp_diag_t d = {0};
	char got[TC_MAX + 1];
	int rc;

	for(n = 0; n < TC_MAX && c->c[n].params; n++) {
		if(enc(c->c[n].params, fs[n], &t[n].fset_len, &d) < 0)
			fail_msg("contact '%s': %s", c->c[n].params, d.reason);
		t[n].fset = fs[n];
		t[n].q = c->c[n].q;
		t[n].instance = c->instances[n];
		t[n].instance_len = t[n].instance ? strlen(t[n].instance) : 0;
	}
	cp_prefs_init(p, NULL, c->strict);
	cp_prefs_set_qa_fork_classes(p, c->qa_classes);
	hdrs_add(p, 'a', c->accept);
	hdrs_add(p, 'j', c->reject);
	if(c->disp && add_hdr(p, 'd', c->disp, &d) != CP_OK)
		fail_msg("disposition: %s", d.reason);
	rc = cp_prefs_set_request(p, method, strlen(method), c->event,
			c->event ? strlen(c->event) : 0, &d);
	assert_int_equal(rc, CP_OK);

	rc = cp_evaluate(p, t, n, res, order, &used);
	assert_int_equal(rc, c->outcome ? c->outcome : CP_OUT_MATCHED);
	for(k = 0; k < n; k++)
		got[k] = verdict_letter(res[k].verdict);
	got[n] = '\0';
	assert_string_equal(got, c->verdicts);

	while(nexp < TC_MAX && c->order[nexp].nr)
		nexp++;
	assert_int_equal(used, nexp);
	for(k = 0; k < nexp; k++) {
		size_t i = (size_t)c->order[k].nr - 1;
		assert_int_equal(order[k], i);
		assert_int_equal(res[i].position, (int)k);
		if(fabs(res[i].qa - c->order[k].qa) > QA_TOL)
			fail_msg("contact %d: Qa %f, expected %f", c->order[k].nr,
					res[i].qa, c->order[k].qa);
		if(c->classes)
			assert_int_equal(res[i].fork_class, c->classes[k]);
	}
	for(k = 0; k < n; k++) {
		assert_true(res[k].qa >= 0.0 && res[k].qa <= 1.0);
		if(res[k].position < 0)
			assert_int_equal(res[k].fork_class, -1);
	}
}

size_t intact(const char *e, size_t n, char *out, size_t size)
{
	size_t len = cp_model_intact(e, n, out, size);

	assert_true(len > 0);
	return len;
}
