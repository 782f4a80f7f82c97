/*
 * Test vectors of the caller-preference engine benchmark: the same
 * contacts and caller preferences are fed to our engine and to sofia-sip
 */

#ifndef PUSH_BENCH_VECTORS_H
#define PUSH_BENCH_VECTORS_H

#include <stddef.h>

#define BENCH_MAX_CONTACTS 50
#define BENCH_MAX_HDRS 4

struct bench_contact
{
	const char *params; /* Contact header parameters, ";" first */
	int q;				/* 0..1000 */
};

struct bench_case
{
	const char *name;
	const char *method;
	const char *accept[BENCH_MAX_HDRS]; /* header bodies, NULL ends */
	const char *reject[BENCH_MAX_HDRS];
	const struct bench_contact *c;
	size_t n;
};

/* The cases, built on first call. */
const struct bench_case *bench_cases(size_t *n);

#endif /* PUSH_BENCH_VECTORS_H */
