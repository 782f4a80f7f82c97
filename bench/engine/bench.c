/*
 * Benchmark of the caller-preference engine: nanoseconds per contact of
 * cp_evaluate() on pre-encoded contacts, against sofia-sip's
 * sip_contact_score() on pre-parsed headers, and the heap allocations our
 * engine makes while evaluating (there must be none).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_util.h>

#include "cpref.h"
#include "vectors.h"

#define MIN_NS 500000000.0 /* one timed repetition */
#define REPS 5

/* glibc's allocator behind the counting malloc below. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static unsigned long n_allocs;

/* Defined in the executable, these take the place of libc's for every
 * caller, libc and sofia-sip included, so no allocation goes unseen. */
void *malloc(size_t size)
{
	n_allocs++;
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	n_allocs++;
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	n_allocs++;
	return __libc_realloc(p, size);
}

/* Our side: prefs parsed and contacts encoded once, as the module does. */
struct ours
{
	cp_prefs_t *prefs;
	cp_target_t t[BENCH_MAX_CONTACTS];
	char fset[BENCH_MAX_CONTACTS][CP_FSET_MAX];
	cp_result_t res[BENCH_MAX_CONTACTS];
	size_t order[BENCH_MAX_CONTACTS];
	size_t n;
};

struct sofia
{
	su_home_t *home;
	sip_contact_t *m[BENCH_MAX_CONTACTS];
	sip_accept_contact_t *ac;
	sip_reject_contact_t *rc;
	size_t n;
};

static void die(const char *what, const char *text)
{
	fprintf(stderr, "bench: %s: %s\n", what, text);
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void ours_prepare(struct ours *o, const struct bench_case *c)
{
	cp_diag_t d = {NULL, 0};
	size_t i;

	o->prefs = malloc(cp_prefs_size());
	if(!o->prefs)
		die("malloc", "prefs");
	cp_prefs_init(o->prefs, NULL, 0);
	for(i = 0; i < BENCH_MAX_HDRS && c->accept[i]; i++) {
		if(cp_prefs_add_accept(
				   o->prefs, c->accept[i], strlen(c->accept[i]), &d))
			die(d.reason, c->accept[i]);
	}
	for(i = 0; i < BENCH_MAX_HDRS && c->reject[i]; i++) {
		if(cp_prefs_add_reject(
				   o->prefs, c->reject[i], strlen(c->reject[i]), &d))
			die(d.reason, c->reject[i]);
	}
	if(cp_prefs_set_request(
			   o->prefs, c->method, strlen(c->method), NULL, 0, &d))
		die(d.reason, c->method);
	for(i = 0; i < c->n; i++) {
		const char *s = c->c[i].params;
		if(cp_fset_encode(s, strlen(s), NULL, o->fset[i], CP_FSET_MAX,
				   &o->t[i].fset_len, &d)
				< 0)
			die(d.reason, s);
		o->t[i].fset = o->fset[i];
		o->t[i].q = c->c[i].q;
		o->t[i].instance = NULL;
		o->t[i].instance_len = 0;
	}
	o->n = c->n;
}

/* "a, b, c" of the NULL-ended list h, or NULL when it is empty. */
static char *hdr_join(su_home_t *home, const char *const *h)
{
	char *s = NULL;
	size_t i;

	for(i = 0; i < BENCH_MAX_HDRS && h[i]; i++)
		s = s ? su_sprintf(home, "%s, %s", s, h[i]) : su_strdup(home, h[i]);
	return s;
}

static void sofia_prepare(struct sofia *s, const struct bench_case *c)
{
	char *ac, *rc;
	size_t i;

	s->home = su_home_new(sizeof(*s->home));
	if(!s->home)
		die("su_home_new", c->name);
	ac = hdr_join(s->home, c->accept);
	rc = hdr_join(s->home, c->reject);
	s->ac = ac ? sip_accept_contact_make(s->home, ac) : NULL;
	s->rc = rc ? sip_reject_contact_make(s->home, rc) : NULL;
	if((ac && !s->ac) || (rc && !s->rc))
		die("sofia cannot parse the caller preferences of", c->name);
	for(i = 0; i < c->n; i++) {
		char *m = su_sprintf(s->home, "<sip:u%zu@192.0.2.%zu:5060>%s;q=%d.%03d",
				i, i + 1, c->c[i].params, c->c[i].q / 1000, c->c[i].q % 1000);
		s->m[i] = sip_contact_make(s->home, m);
		if(!s->m[i])
			die("sofia cannot parse", m);
	}
	s->n = c->n;
}

/* Kept contacts, to show both sides do the same work. */
static size_t ours_kept(struct ours *o)
{
	size_t used;

	cp_evaluate(o->prefs, o->t, o->n, o->res, o->order, &used);
	return used;
}

static size_t sofia_kept(const struct sofia *s)
{
	size_t i, k = 0;

	for(i = 0; i < s->n; i++)
		k += sip_contact_score(s->m[i], s->ac, s->rc) > 0;
	return k;
}

/* Not inlined: callgrind counts them by name (see callgrind.sh). */
__attribute__((noinline)) static double ours_run(
		void *arg, unsigned long iters)
{
	struct ours *o = arg;
	size_t used;
	double t0 = now_ns();

	while(iters--)
		cp_evaluate(o->prefs, o->t, o->n, o->res, o->order, &used);
	return now_ns() - t0;
}

static volatile long sofia_sink;

__attribute__((noinline)) static double sofia_run(
		void *arg, unsigned long iters)
{
	const struct sofia *s = arg;
	double t0 = now_ns();
	long sum = 0;
	size_t i;

	while(iters--) {
		for(i = 0; i < s->n; i++)
			sum += sip_contact_score(s->m[i], s->ac, s->rc);
	}
	sofia_sink = sum;
	return now_ns() - t0;
}

/* Best nanoseconds per call of run over REPS repetitions of at least
 * MIN_NS each; *iters gets the iterations of one repetition. */
static double best_ns(
		double (*run)(void *, unsigned long), void *arg, unsigned long *iters)
{
	unsigned long n = 1;
	double t, best = 0;
	int r;

	while((t = run(arg, n)) < MIN_NS / 10)
		n *= 2;
	n = (unsigned long)(n * (MIN_NS / t)) + 1;
	for(r = 0; r < REPS; r++) {
		t = run(arg, n) / n;
		if(r == 0 || t < best)
			best = t;
	}
	*iters = n;
	return best;
}

/* "bench CASE ours|sofia ITERS": only that side of case CASE (0-based),
 * ITERS evaluations, untimed; callgrind.sh counts its instructions. */
static int one_side(const struct bench_case *cases, size_t ncases,
		char **argv)
{
	static struct ours o;
	struct sofia s;
	size_t i = (size_t)strtoul(argv[1], NULL, 10);
	unsigned long iters = strtoul(argv[3], NULL, 10);

	if(i >= ncases || iters == 0)
		die("no such case or no iterations", argv[1]);
	ours_prepare(&o, &cases[i]);
	sofia_prepare(&s, &cases[i]);
	if(strcmp(argv[2], "ours") == 0)
		ours_run(&o, iters);
	else if(strcmp(argv[2], "sofia") == 0)
		sofia_run(&s, iters);
	else
		die("side is ours or sofia", argv[2]);
	printf("%s\t%zu\n", cases[i].name, cases[i].n);
	free(o.prefs);
	su_home_unref(s.home);
	return 0;
}

int main(int argc, char **argv)
{
	static struct ours o;
	struct sofia s;
	const struct bench_case *cases;
	size_t ncases, i;
	unsigned long iters, allocs;
	double ours_ns, sofia_ns;

	cases = bench_cases(&ncases);
	if(argc == 4)
		return one_side(cases, ncases, argv);
	if(argc != 1)
		die("usage", "bench [CASE ours|sofia ITERS]");
	printf("%-18s %8s %8s %12s %11s %13s\n", "case", "ours", "sofia",
			"ours/sofia", "mallocs", "kept ours/sf");
	printf("%-18s %8s %8s %12s %11s %13s\n", "", "ns/ct", "ns/ct", "",
			"per eval", "");
	for(i = 0; i < ncases; i++) {
		const struct bench_case *c = &cases[i];

		ours_prepare(&o, c);
		sofia_prepare(&s, c);
		ours_ns = best_ns(ours_run, &o, &iters) / c->n;
		allocs = n_allocs;
		ours_run(&o, iters);
		allocs = n_allocs - allocs;
		sofia_ns = best_ns(sofia_run, &s, &iters) / c->n;
		printf("%-18s %8.1f %8.1f %12.2f %11g %8zu/%zu\n", c->name, ours_ns,
				sofia_ns, ours_ns / sofia_ns, (double)allocs / iters,
				ours_kept(&o), sofia_kept(&s));
		free(o.prefs);
		su_home_unref(s.home);
	}
	printf("ns/ct: best of %d runs of >= %.1f s; kept: contacts each side "
		   "keeps (score > 0 for sofia)\n",
			REPS, MIN_NS / 1e9);
	return 0;
}
