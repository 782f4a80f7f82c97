/*
 * Helpers shared by the libFuzzer harnesses of the caller-preference engine
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

const cp_limits_t fz_small_limits = {
		.values_per_header = 2,
		.params_per_value = 3,
		.tokens_per_list = 3,
		.value_len = 16,
		.predicates = 4,
		/* small enough that evaluations run out of it */
		.work = 300,
};

void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
	abort();
}

char *fz_dup(const uint8_t *s, size_t n)
{
	/* malloc(0) may return NULL; keep one byte nobody may read */
	char *d = malloc(n ? n : 1);

	FZ_CHECK(d != NULL);
	if(n > 0)
		memcpy(d, s, n);
	return d;
}

/* Length of the record header at s ("k:", "c500:"), 0 if there is none. */
static size_t header_len(const uint8_t *s, size_t n, char *kind, int *num)
{
	size_t i = 1;
	int v = -1;

	if(n < 2 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for(; i < n && i <= 4 && s[i] >= '0' && s[i] <= '9'; i++)
		v = (v < 0 ? 0 : v * 10) + (s[i] - '0');
	if(i >= n || s[i] != ':')
		return 0;
	*kind = (char)s[0];
	*num = v;
	return i + 1;
}

int fz_rec_next(const uint8_t **data, size_t *size, struct fz_rec *r)
{
	const uint8_t *s = *data;
	size_t n = *size, h, i;
	char k;
	int num;

	if(n == 0)
		return 0;
	h = header_len(s, n, &r->kind, &r->num);
	if(h == 0) {
		r->kind = 'a';
		r->num = -1;
	}
	for(i = h; i < n; i++) {
		if(s[i] == '\n' && header_len(s + i + 1, n - i - 1, &k, &num) > 0)
			break;
	}
	r->body = s + h;
	r->len = i - h;
	/* skip the separating '\n' */
	*data = s + (i < n ? i + 1 : n);
	*size = i < n ? n - i - 1 : 0;
	return 1;
}

void fz_opts_scan(const uint8_t *data, size_t size, struct fz_opts *o)
{
	struct fz_rec r;

	memset(o, 0, sizeof(*o));
	while(fz_rec_next(&data, &size, &r)) {
		if(r.kind != 'o')
			continue;
		o->strict |= memchr(r.body, 's', r.len) != NULL;
		o->small |= memchr(r.body, 'l', r.len) != NULL;
		o->qa_classes |= memchr(r.body, 'f', r.len) != NULL;
	}
}

cp_prefs_t *fz_prefs_new(const struct fz_opts *o)
{
	cp_prefs_t *p = malloc(cp_prefs_size());

	FZ_CHECK(p != NULL);
	cp_prefs_init(p, o->small ? &fz_small_limits : NULL, o->strict);
	cp_prefs_set_qa_fork_classes(p, o->qa_classes);
	return p;
}

/* A failed parse names its reason and points into the input. */
static void check_rc(int rc, const cp_diag_t *d, size_t len)
{
	FZ_CHECK(rc == CP_OK || rc == CP_ERR_SYNTAX || rc == CP_ERR_LIMIT);
	if(rc != CP_OK) {
		FZ_CHECK(d->reason != NULL && d->reason[0] != '\0');
		FZ_CHECK(d->offset <= len);
	}
}

static int add_values(cp_prefs_t *p, char kind, const char *s, size_t n)
{
	unsigned int na = cp_prefs_accept_count(p);
	unsigned int nj = cp_prefs_reject_count(p);
	cp_diag_t d = {NULL, 0};
	int rc;

	rc = kind == 'a' ? cp_prefs_add_accept(p, s, n, &d)
					 : cp_prefs_add_reject(p, s, n, &d);
	check_rc(rc, &d, n);
	/* a failing call adds none of its values */
	if(rc != CP_OK) {
		FZ_CHECK(cp_prefs_accept_count(p) == na);
		FZ_CHECK(cp_prefs_reject_count(p) == nj);
	} else if(kind == 'a') {
		FZ_CHECK(cp_prefs_accept_count(p) > na);
		FZ_CHECK(cp_prefs_reject_count(p) == nj);
	} else {
		FZ_CHECK(cp_prefs_accept_count(p) == na);
		FZ_CHECK(cp_prefs_reject_count(p) > nj);
	}
	FZ_CHECK(cp_prefs_accept_count(p) + cp_prefs_reject_count(p)
			 <= CP_MAX_PREDICATES);
	return rc;
}

static void add_disposition(cp_prefs_t *p, const char *s, size_t n)
{
	unsigned int before = cp_prefs_disposition(p), after;
	cp_diag_t d = {NULL, 0};
	int rc;

	rc = cp_prefs_add_disposition(p, s, n, &d);
	check_rc(rc, &d, n);
	after = cp_prefs_disposition(p);
	if(rc != CP_OK) {
		FZ_CHECK(after == before);
		return;
	}
	FZ_CHECK((after & before) == before);
	/* at most one directive of each type: the 12 bits of enum
	 * cp_disposition pair up as (even bit, next odd bit) */
	FZ_CHECK((after & 0xfffU) == after);
	FZ_CHECK((after & 0x555U & (after >> 1)) == 0);
}

static void set_request(cp_prefs_t *p, const uint8_t *s, size_t n)
{
	const uint8_t *sp = memchr(s, ' ', n);
	size_t mlen = sp ? (size_t)(sp - s) : n, elen = sp ? n - mlen - 1 : 0;
	char *m = fz_dup(s, mlen), *e = elen ? fz_dup(sp + 1, elen) : NULL;
	cp_diag_t d = {NULL, 0};

	check_rc(cp_prefs_set_request(p, m, mlen, e, elen, &d), &d, n);
	free(m);
	free(e);
}

/* Once "*;<params>" is an Accept-Contact value, the feature set of the
 * same params as a Contact is found among the Accept-Contact values
 * (unless it has a +sip.instance string: a Contact's encoding keeps no
 * value for it). */
static void has_accept(cp_prefs_t *p, const uint8_t *s, size_t n)
{
	char enc[CP_FSET_MAX];
	/* "*;;x" would be an empty parameter */
	size_t elen = 0, semi = n > 0 && s[0] == ';' ? 0 : 1, vlen = 1 + semi + n;
	char *raw = fz_dup(s, n), *val = malloc(vlen);
	int ntags, rc;

	FZ_CHECK(val != NULL);
	/* stored junk read back: a plain yes or no */
	rc = cp_prefs_has_accept(p, raw, n, 0, 0);
	FZ_CHECK(rc == 0 || rc == 1);
	ntags = cp_fset_encode(raw, n, NULL, enc, sizeof(enc), &elen, NULL);
	memcpy(val, "*;", 1 + semi);
	memcpy(val + 1 + semi, s, n);
	if(add_values(p, 'a', val, vlen) == CP_OK && ntags > 0
			&& !strstr(enc, "0csip.instancei000"))
		FZ_CHECK(cp_prefs_has_accept(p, enc, elen, 0, 0) == 1);
	free(raw);
	free(val);
}

int fz_pref_record(cp_prefs_t *p, const struct fz_rec *r)
{
	char *s;

	switch(r->kind) {
		case 'a':
		case 'j':
		case 'd':
			s = fz_dup(r->body, r->len);
			if(r->kind == 'd')
				add_disposition(p, s, r->len);
			else
				add_values(p, r->kind, s, r->len);
			free(s);
			return 1;
		case 'm':
			set_request(p, r->body, r->len);
			return 1;
		case 'h':
			has_accept(p, r->body, r->len);
			return 1;
	}
	return 0;
}
