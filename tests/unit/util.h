/*
 * Helpers of the caller-preference engine's unit tests
 */

#ifndef PUSH_TEST_UTIL_H
#define PUSH_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpref.h"
#include "cp_model.h"

#define PT "+g.oma.pusheventapp"
#define QA_TOL 1e-6
#define TC_MAX 10

/* A registered contact: its header parameters and q (0..1000, -1 unset). */
struct tc_contact
{
	const char *params;
	int q;
};

/* One target of the expected order: 1-based contact number and its Qa. */
struct tc_expect
{
	int nr;
	double qa;
};

/* One matching case. Contacts are numbered from 1; the arrays end at the
 * first NULL / 0 entry. */
struct tc
{
	const char *method; /* NULL: MESSAGE */
	const char *event;	/* NULL: no Event package */
	const char *accept[TC_MAX];
	const char *reject[TC_MAX];
	const char *disp;
	int strict;
	int qa_classes; /* cp_prefs_set_qa_fork_classes() */
	struct tc_contact c[TC_MAX];
	/* each contact's instance, as registrar keeps it; NULL: none */
	const char *instances[TC_MAX];
	int outcome; /* 0: CP_OUT_MATCHED */
	/* verdict per contact: k kept, i immune, q dropped by require,
	 * e dropped by explicit, r rejected */
	const char *verdicts;
	struct tc_expect order[TC_MAX];
	const int *classes; /* fork class per order position, optional */
};

/* Run a case and assert outcome, verdicts, order, Qa and positions. */
void tc_run(const struct tc *c);

/* Static storage for one cp_prefs_t (no leak when an assertion fails). */
cp_prefs_t *prefs_buf(void);

/* Heap copy of s without terminator, so ASan catches any over-read. */
char *dup_exact(const char *s, size_t *len);

/* cp_fset_encode() of s (exact-length copy) into out[CP_FSET_MAX]. */
int enc(const char *s, char *out, size_t *out_len, cp_diag_t *d);

/* Add one header body (exact-length copy); kind 'a', 'j' or 'd'. */
int add_hdr(cp_prefs_t *p, char kind, const char *body, cp_diag_t *d);


/* Letter of a verdict as used in struct tc. */
char verdict_letter(enum cp_verdict v);

/* cp_model_intact(), failing the test when the model fails. */
size_t intact(const char *e, size_t n, char *out, size_t size);

#endif
