/*
 * Helpers shared by the libFuzzer harnesses of the caller-preference engine
 */

#ifndef PUSH_FUZZ_UTIL_H
#define PUSH_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "cpref.h"

/* Tight limits, so that every CP_ERR_LIMIT path is reachable with short
 * inputs. */
extern const cp_limits_t fz_small_limits;

/* abort() with a message when cond is false: libFuzzer keeps the input. */
#define FZ_CHECK(cond)                          \
	do {                                        \
		if(!(cond))                             \
			fz_fail(__FILE__, __LINE__, #cond); \
	} while(0)

void fz_fail(const char *file, int line, const char *what);

/* Heap copy of n bytes without terminator, so ASan flags a read past the
 * end of one piece of the input; free() it. */
char *fz_dup(const uint8_t *s, size_t n);

/*
 * The input of the prefs and match harnesses is a list of records
 *   kind [number] ':' body
 * separated by a '\n' that is followed by the next record's header, so a
 * body may hold CRLF folding. kind is a lower-case letter; the number (at
 * most 4 digits, -1 when absent) is a contact's q. Input that does not
 * start with a header is an Accept-Contact body.
 */
struct fz_rec
{
	char kind;
	int num;
	const uint8_t *body;
	size_t len;
};

/* Next record from *data; returns 0 at the end. */
int fz_rec_next(const uint8_t **data, size_t *size, struct fz_rec *r);

/* Options of a record list: the bodies of all 'o' records, where 's' asks
 * for strict_explicit, 'l' for fz_small_limits and 'f' for fork classes by
 * q and Qa. */
struct fz_opts
{
	int strict;
	int small;
	int qa_classes;
};

void fz_opts_scan(const uint8_t *data, size_t size, struct fz_opts *o);

/* A prefs buffer of exactly cp_prefs_size() bytes, initialised per o. */
cp_prefs_t *fz_prefs_new(const struct fz_opts *o);

/*
 * Apply a record of kind 'a' (Accept-Contact), 'j' (Reject-Contact),
 * 'd' (Request-Disposition), 'm' (method, a space, the Event package) or
 * 'h' (cp_prefs_has_accept() of a Contact encoding) to p and check the
 * API contract of that call. Other kinds are ignored; returns 1 when the
 * record was one of these.
 */
int fz_pref_record(cp_prefs_t *p, const struct fz_rec *r);

#endif /* PUSH_FUZZ_UTIL_H */
