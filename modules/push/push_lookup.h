/*
 * push module - route a request to the registered contacts that match its
 * caller preferences (RFC 3841)
 */

#ifndef PUSH_LOOKUP_H
#define PUSH_LOOKUP_H

#include "core/parser/msg_parser.h"
#include "core/str.h"
#include "modules/usrloc/usrloc.h"

#include "push_bindings.h"

/* push_lookup() return codes, a contract with operators' scripts */
#define PUSH_LOOKUP_OK 1
#define PUSH_LOOKUP_NO_CONTACTS -1 /* no registered contact: 404 */
#define PUSH_LOOKUP_NO_MATCH -2	   /* none eligible for the caller: 480 */
#define PUSH_LOOKUP_MALFORMED -3   /* bad caller-preference header: 400 */
#define PUSH_LOOKUP_ERROR -4
#define PUSH_LOOKUP_OVER_BUDGET -5 /* matching would cost too much: 503 */

#include "lib/cpref.h"

/* Caller preferences of one request at a time; one per process. */
extern cp_prefs_t *push_prefs;
extern int push_strict_explicit;
/* Module parameter match_budget: work units of one evaluation. */
extern int push_match_budget;
extern int push_qa_fork_classes;
/* The engine's limits, with match_budget (set by push_lookup_init()). */
extern cp_limits_t push_limits;
/* registrar's parameter of the same name, when registrar is loaded */
extern int *push_reg_path_check_local;

/* $push(reason): the reason phrase for the reply to a request that the
 * last push_lookup(), push_assert_identity() or push_check_framing() of
 * this process refused, e.g. "Bad Accept-Contact: unterminated quoted
 * value"; each of them empties it first. */
extern str push_reason;

/* Set push_reason, printf-style (cut at its buffer's size). */
void push_set_reason(const char *fmt, ...);

/* push_prefs for other uses than push_lookup(), which then no longer
 * takes it for the preferences of its last request. */
cp_prefs_t *push_prefs_scratch(void);

/* Per-process state; call before forking. 0 or -1. */
int push_lookup_init(void);

/* Set the destination set of msg to the bindings of its Request-URI's AOR
 * in d that match its caller preferences. Returns a PUSH_LOOKUP_ code. */
int push_lookup(sip_msg_t *msg, udomain_t *d);

/* The request's caller preferences into push_prefs; -1 malformed
 * (push_reason says why), -2 internal error. */
int push_read_prefs(sip_msg_t *msg);

/* The first hop of binding b's Path into dst, and the Path to send
 * (skipping this proxy when registrar's path_check_local asks for it).
 * 0 ok (dst empty: no Path), -1 error. */
int push_path_first_hop(push_binding_t *b, str *path, str *dst);

#endif /* PUSH_LOOKUP_H */
