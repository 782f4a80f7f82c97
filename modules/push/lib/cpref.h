/*
 * push module - RFC 3840 feature sets and RFC 3841 caller preferences
 *
 * This engine is plain C (libc only, no Kamailio header) so that it can be
 * unit-tested and fuzzed on its own. The Kamailio glue feeds it raw header
 * text and stored feature sets and turns its results into a destination set.
 *
 * Memory: nothing here calls malloc. Parsed caller preferences live in a
 * caller-owned cp_prefs_t (the glue keeps one per process), a feature set is
 * stored in its compact encoding (a short printable string that fits one
 * usrloc attribute value) and is evaluated from that encoding directly.
 *
 * All input is (pointer, length); nothing reads past the given length and no
 * input needs to be NUL-terminated.
 */

#ifndef PUSH_CPREF_H
#define PUSH_CPREF_H

#include <stddef.h>

/* Return codes shared by every parser of this engine. */
enum cp_rc
{
	CP_OK = 0,
	CP_ERR_SYNTAX = -1, /* malformed input, diag names the problem */
	CP_ERR_LIMIT = -2,	/* input exceeds a configured limit */
	CP_ERR_SPACE = -3,	/* caller's output buffer is too small */
};

/* Why a parse failed, precise enough for a "400 <reason>" reply. */
typedef struct cp_diag
{
	const char *reason; /* static text, e.g. "unterminated quoted value" */
	size_t offset;		/* byte offset of the problem in the input */
} cp_diag_t;

/* Parsing limits; operator tunable, checked on every input. */
typedef struct cp_limits
{
	unsigned int values_per_header; /* Accept/Reject-Contact values, one header */
	unsigned int params_per_value;	/* parameters in one value or one Contact */
	unsigned int tokens_per_list;	/* elements of one tag-value-list */
	unsigned int value_len;			/* bytes of one parameter value */
	unsigned int predicates;		/* Accept + Reject values in one request */
	/* work units one cp_evaluate() may spend (see there) */
	unsigned long work;
} cp_limits_t;

/* The defaults: 16 values, 32 params, 64 tokens, 256 bytes, 32 predicates,
 * CP_WORK_DEFAULT work units. No limit may be raised above the CP_MAX_*
 * compile-time ceilings. */
extern const cp_limits_t cp_limits_default;
#define CP_MAX_PREDICATES 64
#define CP_MAX_PARAMS 64
#define CP_MAX_TOKENS 128
#define CP_MAX_VALUE_LEN 1024
/* A push to a user with 20 devices of 6 feature tags each costs about 300
 * units; the default covers that several hundred times over and still
 * ends an evaluation within about a millisecond. */
#define CP_WORK_DEFAULT 200000UL
#define CP_MAX_WORK 100000000UL

/* Returns 0 if every field of lim is in [1, ceiling], -1 otherwise
 * (values_per_header and predicates: CP_MAX_PREDICATES, work:
 * CP_MAX_WORK). */
int cp_limits_check(const cp_limits_t *lim);

/* ---- Lexical helpers ---------------------------------------------------- */

/* 1 when s[0..len) is a non-empty comma-separated list of RFC 3261 tokens
 * without '!' (an RFC 3840 tag-value-list of plain tokens, e.g.
 * "mms.ua,ulp.ua"), 0 otherwise. */
int cp_is_token_list(const char *s, size_t len);

/* ---- Feature sets (RFC 3840 section 9) ---------------------------------- */

/* Longest encoding cp_fset_encode() produces for a typical push contact is
 * far below this; the glue stores encodings up to this size. */
#define CP_FSET_MAX 512

/*
 * Parse the header parameters of one Contact value (the text after the URI
 * or name-addr: ";expires=600;+g.oma.pusheventapp=\"mms.ua\";audio", a
 * leading ';' and surrounding LWS optional) and write the compact encoding
 * of its feature set to out. Non-feature parameters (q, expires, reg-id,
 * pub-gruu, any generic one) are ignored; "+video" is skipped when "video"
 * is present. A Contact without feature parameters encodes as the empty
 * string (the contact is immune). The value of +sip.instance, when it is a
 * string, is not kept, only the tag: registrar keeps the instance with the
 * binding, and evaluation takes it from there (cp_target_t.instance).
 *
 * lim NULL means cp_limits_default; limits failing cp_limits_check() are
 * CP_ERR_LIMIT. out is NUL-terminated (the terminator is not counted in
 * *out_len but needs room in out_size).
 *
 * Returns the number of feature tags (>= 0) and sets *out_len, or a
 * negative cp_rc with diag filled.
 */
int cp_fset_encode(const char *params, size_t len, const cp_limits_t *lim,
		char *out, size_t out_size, size_t *out_len, cp_diag_t *diag);

/* The encoding to store for a Contact without feature tags (for which
 * cp_fset_encode() writes nothing), so that "registered no feature tags"
 * can be told from "nothing stored": the version byte alone, which
 * evaluation treats as the empty encoding (immune) and rendering as no
 * parameters. */
#define CP_FSET_NONE "2"

/*
 * Render an encoding back as RFC 3840 Contact parameters
 * (";+g.oma.pusheventapp=\"mms.ua\";audio"), NUL-terminated; a
 * +sip.instance gets the value instance (as in cp_target_t), "<>" when it
 * is NULL. Re-encoding the rendered text yields the same encoding.
 * Returns the length written, CP_ERR_SPACE, or CP_ERR_SYNTAX when enc is not
 * a valid encoding (e.g. junk read back from a database).
 */
int cp_fset_render(const char *enc, size_t enc_len, const char *instance,
		size_t instance_len, char *out, size_t out_size);

/* Returns 0 when enc is a valid encoding, CP_ERR_SYNTAX otherwise: every
 * tag is checked, unlike cp_evaluate() (for diagnostics and RPC). */
int cp_fset_validate(const char *enc, size_t enc_len);

/* ---- Caller preferences (RFC 3841 sections 7.2, 9, 10) ------------------ */

/* Request-Disposition directives; at most one per type. */
enum cp_disposition
{
	CP_DISP_NONE = 0,
	CP_DISP_PARALLEL = 1 << 0,
	CP_DISP_SEQUENTIAL = 1 << 1,
	CP_DISP_NO_FORK = 1 << 2,
	CP_DISP_FORK = 1 << 3,
	CP_DISP_PROXY = 1 << 4,
	CP_DISP_REDIRECT = 1 << 5,
	CP_DISP_CANCEL = 1 << 6,
	CP_DISP_NO_CANCEL = 1 << 7,
	CP_DISP_RECURSE = 1 << 8,
	CP_DISP_NO_RECURSE = 1 << 9,
	CP_DISP_QUEUE = 1 << 10,
	CP_DISP_NO_QUEUE = 1 << 11,
};

/* Parsed preferences of one request. Opaque in use; its size is fixed so it
 * can live on the stack or in a per-process static. */
typedef struct cp_prefs cp_prefs_t;
size_t cp_prefs_size(void);

/* Start an empty preference set. strict_explicit=1 withdraws immunity from
 * contacts without feature tags for predicates that carry both require and
 * explicit (local policy, beyond RFC 3841). lim NULL or failing
 * cp_limits_check() means cp_limits_default. */
void cp_prefs_init(cp_prefs_t *p, const cp_limits_t *lim, int strict_explicit);

/* Fork classes (cp_evaluate()) by q and Qa instead of by q alone: every
 * distinct Qa inside a q value becomes a serial step of its own, so a
 * binding that matches less waits for the better ones to fail (beyond
 * RFC 3841). Off after cp_prefs_init(). */
void cp_prefs_set_qa_fork_classes(cp_prefs_t *p, int on);

/* Add the body of one Accept-Contact / Reject-Contact header (one or more
 * comma-separated values, LWS and folding allowed). Each call appends its
 * values; a failing call adds none of them. Returns CP_OK or a negative
 * cp_rc. */
int cp_prefs_add_accept(cp_prefs_t *p, const char *body, size_t len,
		cp_diag_t *diag);
int cp_prefs_add_reject(cp_prefs_t *p, const char *body, size_t len,
		cp_diag_t *diag);

/* Add the body of one Request-Disposition header. Two directives of one
 * type, or an unknown directive, are CP_ERR_SYNTAX. */
int cp_prefs_add_disposition(cp_prefs_t *p, const char *body, size_t len,
		cp_diag_t *diag);

/* The request's method and, for a request that creates a subscription, its
 * Event package (elen 0 otherwise). Used only for implicit preferences,
 * i.e. when no Accept-Contact and no Reject-Contact value was added; without
 * this call there is no implicit predicate. Both must be single tokens
 * without '!' (else CP_ERR_SYNTAX); they compare case-insensitively. */
int cp_prefs_set_request(cp_prefs_t *p, const char *method, size_t mlen,
		const char *event, size_t elen, cp_diag_t *diag);

/* 1 when an Accept-Contact value added to p carries every feature tag of
 * the encoded set enc (from cp_fset_encode) with an equal value, and
 * carries require when need_require and explicit when need_explicit: a
 * value at least as strict as one made of enc with those flags. 0 when
 * none does (a +sip.instance of enc, whose value is not in enc, is never
 * equal). push_stamp uses it to avoid stamping twice. */
int cp_prefs_has_accept(const cp_prefs_t *p, const char *enc, size_t enc_len,
		int need_require, int need_explicit);

/* Directive bits seen so far (enum cp_disposition). */
unsigned int cp_prefs_disposition(const cp_prefs_t *p);

/* Number of Accept-Contact and Reject-Contact values added so far. */
unsigned int cp_prefs_accept_count(const cp_prefs_t *p);
unsigned int cp_prefs_reject_count(const cp_prefs_t *p);

/* One registered contact as the matcher sees it. */
typedef struct cp_target
{
	const char *fset; /* compact encoding from cp_fset_encode() */
	size_t fset_len;  /* 0 = no feature tags (immune) */
	int q;			  /* 0..1000, -1 = unspecified (treated as 1000) */
	/* the value of its +sip.instance parameter, which the encoding does
	 * not keep ("<urn:uuid:...>", as registrar stores it); NULL: none, and
	 * a stored +sip.instance then matches no value */
	const char *instance;
	size_t instance_len;
} cp_target_t;

enum cp_verdict
{
	CP_KEPT = 0,		  /* matched, ranked by q then Qa */
	CP_IMMUNE = 1,		  /* no feature tags: kept with Qa 1 */
	CP_DROP_REQUIRE = 2,  /* failed a predicate carrying require */
	CP_DROP_EXPLICIT = 3, /* require+explicit predicate, tag missing */
	CP_REJECTED = 4,	  /* matched a Reject-Contact value */
	CP_SKIPPED = 5,		  /* beyond CP_MAX_TARGETS: not evaluated, not used */
};

typedef struct cp_result
{
	enum cp_verdict verdict;
	double qa;		/* caller preference score in [0, 1] */
	int position;	/* 0-based place in the final order; -1 if not used */
	int fork_class; /* serial step: 0 first, equal classes fork in parallel;
					 * -1 if not used */
} cp_result_t;

/* Outcome of cp_evaluate(). */
enum cp_outcome
{
	CP_OUT_MATCHED = 1,	  /* explicit or implicit preferences kept >= 1 */
	CP_OUT_REVERTED = 2,  /* implicit preferences emptied the set, so the
						   * whole set is used in q order (RFC 3841 7.2.4) */
	CP_OUT_NONE = 3,	  /* explicit preferences emptied the set: 480 */
	CP_OUT_EMPTY = 4,	  /* no targets given */
	CP_OUT_BUDGET = 5,	  /* evaluating would exceed the work budget */
};

/*
 * Run RFC 3841 section 7.2.4 over n targets (in location order) and apply
 * Request-Disposition. res[i] gets the verdict, Qa, position and fork class
 * of target i; order[0..*n_used-1] lists the targets to use, best first
 * (q desc, Qa desc, input order). Fork classes: by default one class per
 * distinct q value in that order, forked together (the q value classes a
 * proxy forks in parallel; Qa only orders the targets inside one), or one
 * per distinct (q, Qa) pair with cp_prefs_set_qa_fork_classes(); "parallel" puts every
 * used target in class 0, "sequential" gives each its own class, "no-fork"
 * uses only the first target.
 *
 * A target is immune only when its encoding is empty (or the version byte
 * alone); any other bytes, junk included, are judged tag by tag, reading
 * only the tags the predicates name (spec-notes BAD-13). A tag counts when
 * its value is intact and every tag before it in the encoding sorts
 * strictly before it; otherwise, and for every tag from a structural break
 * on (a header or byte count that does not fit), it is treated as absent:
 * never a mismatch for an Accept value, not among the tags a Reject value
 * needs, and missing for explicit. So a contact with one damaged tag and
 * one good tag matches a predicate naming the good one, and an encoding of
 * another version advertises no tag. Reading never goes past fset_len.
 *
 * Only the first CP_MAX_TARGETS targets are evaluated; later ones get
 * CP_SKIPPED and are never used.
 *
 * Work is bounded by the limits' work budget, counted in units before it is
 * done: one per target, one plus the predicate's tag count per predicate
 * tried on a target, and for each pair of values compared the product of
 * their element counts. An evaluation that would exceed the budget stops
 * there and returns CP_OUT_BUDGET with *n_used 0 (the targets not judged
 * get CP_SKIPPED): a request of many disjoint numeric ranges against many
 * bindings costs at most the budget, never the product of its sizes. On CP_OUT_REVERTED the targets keep the
 * verdicts the implicit preferences gave them (Qa 0) but all are used.
 * res and order must have room for n entries.
 *
 * Never allocates. Returns an enum cp_outcome.
 */
#define CP_MAX_TARGETS 1024
int cp_evaluate(const cp_prefs_t *p, const cp_target_t *t, size_t n,
		cp_result_t *res, size_t *order, size_t *n_used);

/* Short names for logs and RPC output. */
const char *cp_verdict_name(enum cp_verdict v);

#endif /* PUSH_CPREF_H */
