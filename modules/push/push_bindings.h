/*
 * push module - the bindings of an AOR, copied out of usrloc
 */

#ifndef PUSH_BINDINGS_H
#define PUSH_BINDINGS_H

#include "core/parser/parse_uri.h"
#include "core/str.h"
#include "modules/usrloc/usrloc.h"

#include "lib/cpref.h"

extern usrloc_api_t push_ul;
/* Module parameter unknown_tags: 1 for "immune", 0 for "exclude". */
extern int push_unknown_immune;
/* registrar's parameter of the same name, when registrar is loaded */
extern int *push_reg_case_sensitive;

/* A binding copied out of usrloc. */
typedef struct push_binding
{
	str c;
	str received;
	str path;
	str instance;
	str ruid;
	str ua;
	str fset; /* push_bindings_read() only */
	int tags_unknown; /* no feature set stored (push_bindings_read() only) */
	int superseded;	  /* a newer flow of its instance is the target */
	qvalue_t q;
	unsigned int cflags;
	unsigned int reg_id;
	int tcpconn_id;
	time_t expires; /* 0: permanent */
	struct socket_info *sock;
	sr_xavp_t *attrs; /* its branch's attributes (push_attr_clone_others()) */
	int fork_class;	  /* push_bindings_select() only */
} push_binding_t;

/* Bytes of a read that fit in the set itself: a few bindings, the common
 * case, need no allocation. */
#define PUSH_BINDINGS_LOCAL 4096

/* The bindings of an AOR and the engine's view of them, in one block (mem):
 * local, or pkg memory that push_bindings_free() releases. */
typedef struct push_bindings
{
	void *mem;
	int n; /* bindings copied into b */
	push_binding_t *b;
	int nt;				/* engine targets, one per device */
	cp_target_t *targets;
	cp_result_t *results;
	size_t *order;
	int *target_of; /* push_bindings_read(): index in b of each target */
	int outcome;	/* enum cp_outcome, CP_OUT_EMPTY when not evaluated */
	size_t n_used;	/* targets used, in set->order */
	size_t dropped; /* push_bindings_select(): used targets beyond max */
	int unknown;	/* bindings without a stored feature set */
	/* last: left uninitialised */
	union
	{
		char bytes[PUSH_BINDINGS_LOCAL];
		/* aligned for any of the arrays carved out of it */
		double d;
		long long ll;
		void *p;
	} local;
} push_bindings_t;

/* Shared state; call once at startup. 0 or -1. */
int push_bindings_init(void);

/* The AOR of a URI as registrar's save() stores it (user, plus "@domain"
 * when usrloc uses domains); buf holds it. 0 or -1. */
int push_uri_aor(str *uri, char *buf, int size, str *aor, sip_uri_t *puri);

/* The same, of a URI parsed already (the request's, parsed once per
 * message by the core). */
int push_parsed_aor(sip_uri_t *puri, char *buf, int size, str *aor);

/* Letter case of an AOR given as text ("user[@domain]"), as registrar
 * stores it. */
void push_aor_case(str *aor);

/*
 * A binding without a stored feature set (saved by registrar's save(),
 * restored from before the module, replicated without attributes) has
 * unknown tags: with unknown_tags "exclude" it is no target, with "immune"
 * it is one without feature tags. set->unknown counts such bindings.
 */

/* Copy every valid binding of aor into set->b, in location order, and
 * when prefs is given evaluate them (set->results, set->order, indexed by
 * target; set->target_of maps a target to its binding). For inspection:
 * the bindings carry no attributes. Returns set->n, or -1. */
int push_bindings_read(
		udomain_t *d, str *aor, const cp_prefs_t *prefs, push_bindings_t *set);

/* The routing read: evaluate the valid bindings of aor (only those of
 * instance gr when given) with prefs while usrloc's lock is held, and copy
 * out only the targets used, in their final order, each with its fork
 * class and its branch attributes: the first max of them (set->dropped
 * counts the others). set->outcome is the engine's outcome (CP_OUT_EMPTY
 * without bindings). 0, or -1 on error. */
int push_bindings_select(udomain_t *d, str *aor, str *gr,
		const cp_prefs_t *prefs, int max, push_bindings_t *set);

void push_bindings_free(push_bindings_t *set);

#endif /* PUSH_BINDINGS_H */
