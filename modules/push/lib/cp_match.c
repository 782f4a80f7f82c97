/*
 * push module - RFC 3841 section 7.2.4 matching of caller preferences
 * against registered contacts, with RFC 2533 value semantics
 */

#include <math.h>
#include <string.h>

#include "cpref.h"
#include "cp_internal.h"

/* Qa values closer than this rank equal (sorting and fork classes). */
#define CP_QA_EPS 1e-9

/* ---- RFC 2533: do two allowed value sets of one tag intersect? ---- */

/* An interval with its ends open or closed; infinite ends are open. */
struct ival
{
	double lo, hi;
	int lo_open, hi_open;
};

/* The real numbers a numeric element admits: [lo, hi], or its complement
 * (-inf, lo) U (hi, +inf) when negated. Returns the interval count. */
static int item_ivals(const struct cp_item *it, struct ival *iv)
{
	int n = 0;

	if(!it->neg) {
		iv[0].lo = it->lo;
		iv[0].hi = it->hi;
		iv[0].lo_open = it->lo == -INFINITY;
		iv[0].hi_open = it->hi == INFINITY;
		return 1;
	}
	if(it->lo > -INFINITY) {
		iv[n].lo = -INFINITY;
		iv[n].hi = it->lo;
		iv[n].lo_open = iv[n].hi_open = 1;
		n++;
	}
	if(it->hi < INFINITY) {
		iv[n].lo = it->hi;
		iv[n].hi = INFINITY;
		iv[n].lo_open = iv[n].hi_open = 1;
		n++;
	}
	return n;
}

static int ivals_meet(const struct ival *a, const struct ival *b)
{
	double lo, hi;
	int lo_open, hi_open;

	if(a->lo != b->lo) {
		lo = a->lo > b->lo ? a->lo : b->lo;
		lo_open = a->lo > b->lo ? a->lo_open : b->lo_open;
	} else {
		lo = a->lo;
		lo_open = a->lo_open || b->lo_open;
	}
	if(a->hi != b->hi) {
		hi = a->hi < b->hi ? a->hi : b->hi;
		hi_open = a->hi < b->hi ? a->hi_open : b->hi_open;
	} else {
		hi = a->hi;
		hi_open = a->hi_open || b->hi_open;
	}
	return lo < hi || (lo == hi && !lo_open && !hi_open);
}

/* Most elements of a numeric value: its items fit CP_ITEM_MAX bytes. */
#define NUM_ITEMS_MAX (CP_ITEM_MAX / CP_NUM_ITEM_LEN + 1)

/* Inclusive bounds (RFC 2533), unions of intervals. Each side's elements
 * are decoded once (decoding is most of the cost), then every pair of
 * intervals is compared. */
static int numeric_meet(const struct cp_tag *a, const struct cp_tag *b)
{
	struct ival ib[2 * NUM_ITEMS_MAX], ix[2];
	struct cp_item x;
	size_t pos = 0;
	int nb = 0, nx, i, j;

	while(nb <= 2 * NUM_ITEMS_MAX - 2 && cp_item_next(b, &pos, &x))
		nb += item_ivals(&x, ib + nb);
	pos = 0;
	while(cp_item_next(a, &pos, &x)) {
		nx = item_ivals(&x, ix);
		for(i = 0; i < nx; i++) {
			for(j = 0; j < nb; j++) {
				if(ivals_meet(&ix[i], &ib[j]))
					return 1;
			}
		}
	}
	return 0;
}

static int item_eq(const struct cp_item *a, const struct cp_item *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* The token a list of class 'n' does not admit: its negated element. */
static void excluded(const struct cp_tag *t, struct cp_item *n)
{
	size_t pos = 0;

	/* a validated class 'n' list has one; no garbage otherwise */
	n->s = NULL;
	n->len = 0;
	while(cp_item_next(t, &pos, n) && !n->neg)
		;
}

/* f admits a finite set (class 'f', no negation); o is any token list. */
static int finite_meets(const struct cp_tag *f, const struct cp_tag *o)
{
	char k = (char)cp_lower((unsigned char)o->kind);
	struct cp_item x, y, n;
	size_t pf = 0, po;

	if(k == 'a')
		return 1;
	if(k == 'n')
		excluded(o, &n);
	while(cp_item_next(f, &pf, &x)) {
		if(k == 'n') {
			if(!item_eq(&x, &n))
				return 1;
			continue;
		}
		for(po = 0; cp_item_next(o, &po, &y);) {
			if(item_eq(&x, &y))
				return 1;
		}
	}
	return 0;
}

/* Tokens over an infinite domain: two co-finite sets always meet. */
static int token_meet(const struct cp_tag *a, const struct cp_tag *b)
{
	if(cp_lower((unsigned char)a->kind) == 'f')
		return finite_meets(a, b);
	if(cp_lower((unsigned char)b->kind) == 'f')
		return finite_meets(b, a);
	return 1;
}

/* Allowed set of an all-boolean list within the domain {TRUE, FALSE}. */
static int bool_mask(const struct cp_tag *t)
{
	struct cp_item it;
	size_t pos = 0;
	int m = 0;

	if(t->kind == 'A')
		return CP_BOOL_TRUE | CP_BOOL_FALSE;
	if(t->kind == 'N') {
		excluded(t, &it);
		return it.len == 4 ? CP_BOOL_FALSE : CP_BOOL_TRUE;
	}
	while(cp_item_next(t, &pos, &it))
		m |= it.len == 4 ? CP_BOOL_TRUE : CP_BOOL_FALSE;
	return m;
}

static int is_bool_kind(char k)
{
	return k == 'F' || k == 'N' || k == 'A';
}

/* Spec-notes 4.1 values_intersect(): numbers and strings never meet another
 * type; booleans on both sides use the two-value domain; otherwise
 * booleans are tokens. */
static int values_meet(const struct cp_tag *a, const struct cp_tag *b)
{
	if(a->kind == CP_K_NUM || a->kind == CP_K_STR || b->kind == CP_K_NUM
			|| b->kind == CP_K_STR) {
		if(a->kind != b->kind)
			return 0;
		if(a->kind == CP_K_STR)
			return a->ilen == b->ilen
				   && memcmp(a->items, b->items, a->ilen) == 0;
		return numeric_meet(a, b);
	}
	if(is_bool_kind(a->kind) && is_bool_kind(b->kind))
		return (bool_mask(a) & bool_mask(b)) != 0;
	return token_meet(a, b);
}

/* ---- RFC 3841 7.2.4 ---- */

/* A contact's stored encoding, read only as far as the predicates need:
 * tags are listed as they are first looked for, and a tag's value is
 * checked only when a predicate names it. */
struct contact
{
	const char *e; /* tag sequence after the version byte */
	size_t len;
	size_t pos;		/* where the next unlisted tag starts */
	unsigned int n; /* tags listed in t[] */
	int end;		/* no tag after t[n - 1] can be read */
	struct cp_tag t[CP_MAX_PARAMS];
	signed char ok[CP_MAX_PARAMS]; /* value: 0 unchecked, 1 good, -1 bad */
	const cp_target_t *target;
	char ibuf[CP_INSTANCE_BUF]; /* the items of its +sip.instance */
};

static void contact_open(struct contact *c, const cp_target_t *t)
{
	c->n = 0;
	c->pos = 0;
	/* no bytes, or a wrong version byte: nothing can be read */
	c->end = !t->fset || t->fset[0] != CP_ENC_VERSION;
	c->e = c->end ? "" : t->fset + 1;
	c->len = c->end ? 0 : t->fset_len - 1;
	c->target = t;
}

/* List the next tag; 0 when there is none (the end, a structural break, or
 * more tags than a valid encoding holds). A +sip.instance tag gets the
 * target's instance as its value; without one it counts as damaged. */
static int contact_more(struct contact *c)
{
	struct cp_tag *t = &c->t[c->n];

	if(c->end || c->n == CP_MAX_PARAMS
			|| cp_tag_read(c->e, c->len, &c->pos, t) != 1) {
		c->end = 1;
		return 0;
	}
	c->ok[c->n++] = t->kind == CP_K_INSTANCE
							&& cp_instance_tag(c->target->instance,
									   c->target->instance_len, c->ibuf,
									   sizeof(c->ibuf), t)
									   < 0
					? -1
					: 0;
	return 1;
}

/* Is listed tag j intact? Checked once per contact. */
static int contact_tag_ok(struct contact *c, unsigned int j)
{
	if(c->ok[j] == 0)
		c->ok[j] = cp_tag_check(&c->t[j]) == 0 ? 1 : -1;
	return c->ok[j] > 0;
}

/* The budget of one evaluation: work is charged before it is done. */
struct eval
{
	const cp_prefs_t *p;
	unsigned long left;
};

/* Take units from the budget; -1 (and nothing left) when they exceed it. */
static int charge(struct eval *ev, unsigned long units)
{
	if(units > ev->left) {
		ev->left = 0;
		return -1;
	}
	ev->left -= units;
	return 0;
}

/* Elements of a tag value, or a bound on them for token lists (an element
 * takes at least 5 bytes: sign, HHH and one byte); strings compare as one. */
static unsigned long item_count(const struct cp_tag *t)
{
	size_t n;

	if(t->kind == CP_K_STR || t->kind == CP_K_INSTANCE)
		return 1;
	n = t->kind == CP_K_NUM ? t->ilen / CP_NUM_ITEM_LEN : t->ilen / 5;
	return n > 0 ? (unsigned long)n : 1;
}

/* Does predicate pr match the contact (tags on one side only never cause a
 * mismatch)? *common counts the predicate's tags the contact has; it is
 * complete only when the result is 1. -1 when the budget ran out.
 *
 * One merge walk over both sorted tag lists. A contact tag is found only
 * when every tag before it sorts strictly before it, so in a broken
 * encoding a tag out of order, a duplicate, a tag at or after a structural
 * break and a tag whose value is damaged all count as absent. */
static int pred_match(struct eval *ev, const struct cp_pred *pr,
		struct contact *c, unsigned int *common)
{
	const cp_prefs_t *p = ev->p;
	const struct cp_ptag *x = p->ptag + pr->tag0, *xe = x + pr->ntags;
	struct cp_tag pt;
	unsigned int j = 0;
	int cmp;

	*common = 0;
	/* the walk steps over at most CP_MAX_PARAMS contact tags */
	if(charge(ev, 1 + pr->ntags) < 0)
		return -1;
	for(; x < xe; x++) {
		pt.name = p->arena + x->name;
		pt.nlen = x->nlen;
		for(;;) {
			if(j == c->n && !contact_more(c))
				return 1; /* the remaining predicate tags are absent */
			cmp = cp_name_cmp(c->t[j].name, c->t[j].nlen, pt.name, pt.nlen);
			if(cmp >= 0)
				break;
			j++;
		}
		if(cmp > 0)
			continue;
		if(contact_tag_ok(c, j)) {
			(*common)++;
			pt.kind = x->kind;
			pt.items = p->arena + x->items;
			pt.ilen = x->ilen;
			if(charge(ev, item_count(&pt) * item_count(&c->t[j])) < 0)
				return -1;
			if(!values_meet(&pt, &c->t[j]))
				return 0;
		}
		j++;
	}
	return 1;
}

/* The Accept predicates in force, one per call from *i = 0: the explicit
 * ones, or the implicit one. */
static const struct cp_pred *accept_next(
		const cp_prefs_t *p, int implicit, unsigned int *i)
{
	if(implicit)
		return (*i)++ == 0 && p->has_implicit ? &p->implicit : NULL;
	while(*i < p->npred) {
		const struct cp_pred *pr = &p->pred[(*i)++];
		if(!pr->reject)
			return pr;
	}
	return NULL;
}

/* A contact without feature tags is immune (RFC 3841 7.2.3); the local
 * strict_explicit policy withdraws that for require+explicit predicates. */
static void immune_judge(const cp_prefs_t *p, int implicit, cp_result_t *r)
{
	const struct cp_pred *pr;
	unsigned int i = 0;

	while(p->strict_explicit && (pr = accept_next(p, implicit, &i))) {
		if(pr->require && pr->explicit && pr->ntags > 0) {
			r->verdict = CP_DROP_EXPLICIT;
			return;
		}
	}
	r->verdict = CP_IMMUNE;
	r->qa = 1.0;
}

/* Judge one target into r; -1 when the budget ran out. */
static int target_judge(
		struct eval *ev, int implicit, const cp_target_t *t, cp_result_t *r)
{
	const cp_prefs_t *p = ev->p;
	struct contact c;
	const struct cp_pred *pr;
	unsigned int i, common, nscores = 0;
	double sum = 0.0;
	int m;

	r->verdict = CP_KEPT;
	r->qa = 0.0;
	r->position = -1;
	r->fork_class = -1;
	if(charge(ev, 1) < 0)
		return -1;
	/* no feature tags: the empty encoding, or the version byte alone; any
	 * other bytes, junk included, are not "no feature params" */
	if(t->fset_len == 0
			|| (t->fset_len == 1 && t->fset && t->fset[0] == CP_ENC_VERSION)) {
		immune_judge(p, implicit, r);
		return 0;
	}
	contact_open(&c, t);
	for(i = 0; i < p->npred; i++) {
		pr = &p->pred[i];
		if(!pr->reject)
			continue;
		/* a Reject value applies only when every tag it names is present */
		if((m = pred_match(ev, pr, &c, &common)) < 0)
			return -1;
		if(m && common == pr->ntags) {
			r->verdict = CP_REJECTED;
			return 0;
		}
	}
	i = 0;
	while((pr = accept_next(p, implicit, &i))) {
		double s;
		if((m = pred_match(ev, pr, &c, &common)) < 0)
			return -1;
		if(!m) {
			if(pr->require) {
				r->verdict = CP_DROP_REQUIRE;
				return 0;
			}
			/* leaves this contact's matching set */
			continue;
		}
		/* N = 0 (no feature tag in the value) scores 1: neutral */
		s = pr->ntags == 0 ? 1.0 : (double)common / pr->ntags;
		if(common < pr->ntags && pr->explicit) {
			if(pr->require) {
				r->verdict = CP_DROP_EXPLICIT;
				return 0;
			}
			s = 0.0;
		}
		sum += s;
		nscores++;
	}
	/* an empty matching set ranks last among equal q */
	r->qa = nscores > 0 ? sum / nscores : 0.0;
	return 0;
}

static int q_of(const cp_target_t *t)
{
	return (t->q < 0 || t->q > 1000) ? 1000 : t->q;
}

/* > 0 when a ranks before b by (q, Qa), 0 when they rank equal. */
static int rank_cmp(
		const cp_target_t *t, const cp_result_t *r, size_t a, size_t b)
{
	int qa = q_of(&t[a]), qb = q_of(&t[b]);

	if(qa != qb)
		return qa > qb ? 1 : -1;
	if(fabs(r[a].qa - r[b].qa) > CP_QA_EPS)
		return r[a].qa > r[b].qa ? 1 : -1;
	return 0;
}

/* 1 when a goes after b in the final order: ranks lower, or equal and
 * later in the input (a total order, so the sort below is stable). */
static int goes_after(
		const cp_target_t *t, const cp_result_t *r, size_t a, size_t b)
{
	int c = rank_cmp(t, r, a, b);

	return c < 0 || (c == 0 && a > b);
}

static void sift_down(const cp_target_t *t, const cp_result_t *r,
		size_t *order, size_t root, size_t n)
{
	size_t child, x;

	while((child = 2 * root + 1) < n) {
		if(child + 1 < n && goes_after(t, r, order[child + 1], order[child]))
			child++;
		if(!goes_after(t, r, order[child], order[root]))
			return;
		x = order[root];
		order[root] = order[child];
		order[child] = x;
		root = child;
	}
}

/* Heap sort of the indexes, best first: O(n log n) for up to
 * CP_MAX_TARGETS targets, without memory of its own. */
static void order_sort(
		const cp_target_t *t, const cp_result_t *r, size_t *order, size_t n)
{
	size_t i, x;

	for(i = n / 2; i > 0; i--)
		sift_down(t, r, order, i - 1, n);
	for(i = n; i > 1; i--) {
		x = order[0];
		order[0] = order[i - 1];
		order[i - 1] = x;
		sift_down(t, r, order, 0, i - 1);
	}
}

int cp_evaluate(const cp_prefs_t *p, const cp_target_t *t, size_t n,
		cp_result_t *res, size_t *order, size_t *n_used)
{
	int implicit = p->n_accept == 0 && p->n_reject == 0;
	int outcome = CP_OUT_MATCHED, cls = 0;
	size_t m = n > CP_MAX_TARGETS ? CP_MAX_TARGETS : n, i, k, nk = 0;
	struct eval ev = {p, p->lim.work};

	*n_used = 0;
	for(i = 0; i < n; i++) {
		res[i].verdict = CP_SKIPPED;
		res[i].qa = 0.0;
		res[i].position = -1;
		res[i].fork_class = -1;
	}
	if(m == 0)
		return CP_OUT_EMPTY;
	for(i = 0; i < m; i++) {
		if(target_judge(&ev, implicit, &t[i], &res[i]) < 0) {
			for(; i < m; i++)
				res[i].verdict = CP_SKIPPED;
			return CP_OUT_BUDGET;
		}
		if(res[i].verdict == CP_KEPT || res[i].verdict == CP_IMMUNE)
			order[nk++] = i;
	}
	if(nk == 0) {
		if(!implicit)
			return CP_OUT_NONE;
		/* RFC 3841 7.2.4: implicit preferences must not empty the set */
		for(nk = 0; nk < m; nk++)
			order[nk] = nk;
		outcome = CP_OUT_REVERTED;
	}
	order_sort(t, res, order, nk);
	if(p->disp & CP_DISP_NO_FORK)
		nk = 1;
	for(k = 0; k < nk; k++) {
		i = order[k];
		if(p->disp & CP_DISP_SEQUENTIAL)
			cls = (int)k;
		else if(k > 0 && !(p->disp & CP_DISP_PARALLEL)
				&& (p->qa_fork_classes
								? rank_cmp(t, res, order[k - 1], i) != 0
								: q_of(&t[order[k - 1]]) != q_of(&t[i])))
			cls++;
		res[i].position = (int)k;
		res[i].fork_class = cls;
	}
	*n_used = nk;
	return outcome;
}

const char *cp_verdict_name(enum cp_verdict v)
{
	switch(v) {
		case CP_KEPT:
			return "kept";
		case CP_IMMUNE:
			return "immune";
		case CP_DROP_REQUIRE:
			return "dropped-by-require";
		case CP_DROP_EXPLICIT:
			return "dropped-by-explicit";
		case CP_REJECTED:
			return "rejected";
		case CP_SKIPPED:
			return "skipped";
	}
	return "unknown";
}
