/*
 * libFuzzer harness: Contact parameters -> feature-set encoding -> rendered
 * parameters -> the same encoding; arbitrary bytes as stored encodings
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

/* An encoding of a 4 KB input stays far below this (at most 64 tags of 128
 * items of 37 bytes) and so does its rendering (a number renders in at
 * most 360 bytes). */
#define ENC_BIG (512 * 1024)
#define TEXT_BIG (4 * 1024 * 1024)

static const cp_limits_t ceilings = {
		.values_per_header = CP_MAX_PREDICATES,
		.params_per_value = CP_MAX_PARAMS,
		.tokens_per_list = CP_MAX_TOKENS,
		.value_len = CP_MAX_VALUE_LEN,
		.predicates = CP_MAX_PREDICATES,
		.work = CP_MAX_WORK,
};

static char enc[ENC_BIG], enc2[ENC_BIG], text[TEXT_BIG];

/* The encoding of in must validate, render, and come back unchanged from
 * the rendered text; a buffer of CP_FSET_MAX bytes gives the same result
 * or CP_ERR_SPACE. */
static void roundtrip(const char *in, size_t n, const cp_limits_t *lim)
{
	char small[CP_FSET_MAX];
	size_t len = 0, len2 = 0;
	cp_diag_t d = {NULL, 0};
	char *tight;
	int rc, rc2, r;

	rc = cp_fset_encode(in, n, lim, enc, sizeof(enc), &len, &d);
	rc2 = cp_fset_encode(in, n, lim, small, sizeof(small), &len2, NULL);
	if(rc < 0) {
		FZ_CHECK(rc == CP_ERR_SYNTAX || rc == CP_ERR_LIMIT);
		FZ_CHECK(d.reason != NULL && d.offset <= n);
		FZ_CHECK(rc2 == rc);
		return;
	}
	FZ_CHECK(enc[len] == '\0' && strlen(enc) == len);
	FZ_CHECK((rc == 0) == (len == 0));
	FZ_CHECK(cp_fset_validate(enc, len) == CP_OK);
	if(len < sizeof(small))
		FZ_CHECK(rc2 == rc && len2 == len && memcmp(small, enc, len) == 0);
	else
		FZ_CHECK(rc2 == CP_ERR_SPACE);

	r = cp_fset_render(enc, len, NULL, 0, text, sizeof(text));
	FZ_CHECK(r >= 0 && text[r] == '\0');
	/* no room for the terminator; ASan sees a write past the buffer */
	tight = malloc((size_t)r + 1);
	FZ_CHECK(tight != NULL);
	FZ_CHECK(cp_fset_render(enc, len, NULL, 0, tight, (size_t)r) == CP_ERR_SPACE);
	free(tight);

	rc2 = cp_fset_encode(text, (size_t)r, lim, enc2, sizeof(enc2), &len2, &d);
	FZ_CHECK(rc2 == rc);
	FZ_CHECK(len2 == len && memcmp(enc2, enc, len) == 0);
}

/* Junk read back from a database is refused by validate and render alike;
 * what they accept renders into Contact parameters the parser takes. */
static void stored(const char *in, size_t n)
{
	int v = cp_fset_validate(in, n);
	int r = cp_fset_render(in, n, NULL, 0, text, sizeof(text));
	char *copy;

	FZ_CHECK(v == CP_OK || v == CP_ERR_SYNTAX);
	if(v != CP_OK) {
		FZ_CHECK(r == CP_ERR_SYNTAX);
		return;
	}
	FZ_CHECK(r >= 0);
	copy = fz_dup((const uint8_t *)text, (size_t)r);
	roundtrip(copy, (size_t)r, &ceilings);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cp_limits_t zero;
	const char *in = (const char *)data;
	size_t len;

	roundtrip(in, size, NULL);
	roundtrip(in, size, &fz_small_limits);
	stored(in, size);
	FZ_CHECK(cp_fset_encode(in, size, &zero, enc, sizeof(enc), &len, NULL)
			 == CP_ERR_LIMIT);
	return 0;
}
