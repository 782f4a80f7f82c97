/*
 * push module - store and forward: pushes held until a matching device
 * registers
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#ifndef PUSH_HOLD_H
#define PUSH_HOLD_H

#include "core/parser/msg_parser.h"
#include "core/pvar.h"
#include "core/rpc.h"
#include "core/str.h"
#include "modules/usrloc/usrloc.h"

#include "push_bindings.h"

#define PUSH_HOLD_OK 1
#define PUSH_HOLD_FULL -1  /* the user's store holds hold_max_per_aor */
#define PUSH_HOLD_ERROR -2 /* not held (logged) */

/* Module parameters (push_mod.c). */
extern str push_hold_table;
extern int push_hold_expires;
extern int push_hold_max_expires;
extern int push_hold_max_per_aor;
extern int push_hold_max_rows;
extern int push_hold_interval;
extern int push_hold_rows;
extern int push_hold_retry_interval;

/* Check the parameters, probe the table through db_url, bind tm; the hold
 * store is off (push_hold() returns -2) when there is no db_url or no
 * table (mod_init). 0 or -1. */
int push_hold_init(void);

/* 1 when pushes can be held (the table answered at startup). */
int push_hold_enabled(void);

/* Start the expiry timer process (child_init of PROC_MAIN). */
int push_hold_start(void);

/*
 * Hold the request msg as it would be forwarded now, for expires seconds
 * (below 0: hold_expires), capped by hold_max_expires and by the request's
 * Expires header. PUSH_HOLD_OK, PUSH_HOLD_FULL or PUSH_HOLD_ERROR.
 */
int push_hold(sip_msg_t *msg, int expires);

/* What a held PAP push needs to report its outcome (strings need not be
 * NUL-terminated). */
typedef struct push_hold_pap
{
	str initiator; /* its name */
	str push_id;
	str address; /* the address-value the initiator wrote */
	str notify;	 /* empty: no result notification */
	int version; /* enum pap_version */
	time_t received;
} push_hold_pap_t;

/* The claim token of a row (push_hold_message()). */
#define PUSH_HOLD_TOKEN_SIZE 64

/*
 * Hold a MESSAGE the PAP front end built for the AOR of uri: sent from
 * from with the header lines hdrs and body, due at not_before (0: now),
 * expiring at expires. With token, the row is claimed by a token written
 * there (PUSH_HOLD_TOKEN_SIZE) while its first sending is under way, and
 * push_hold_settle() decides its fate. PUSH_HOLD_OK, PUSH_HOLD_FULL or
 * PUSH_HOLD_ERROR.
 */
int push_hold_message(str *uri, str *callid, str *from, str *hdrs, str *body,
		time_t not_before, time_t expires, push_hold_pap_t *pap, char *token);

/* After the first sending of a row claimed with token: keep it held (no
 * device now) or drop it (delivered, or failed for good). */
void push_hold_settle(str *token, int keep);

/* Drop the rows held for a PAP push of initiator, not being sent; the
 * number dropped, -1 on error. */
int push_hold_pap_cancel(str *initiator, str *push_id);

/* Whether binding b is one the running REGISTER stored. */
typedef int (*push_hold_new_f)(push_binding_t *b, void *arg);

/*
 * After a REGISTER for aor stored bindings (is_new tells which): each held
 * push of aor whose caller preferences select one of them, among the
 * user's bindings as they are now, is sent to that binding, oldest first.
 */
void push_hold_registered(udomain_t *d, str *aor, push_hold_new_f is_new,
		void *arg);

/* The usrloc table a deliver-after time looks bindings up in: the first
 * one the script names (fixups of push_save() and push_lookup()). */
void push_hold_domain(udomain_t *d);

/* $push(held_aor), $push(held_callid), $push(held_app), $push(held_age):
 * the push being expired in event_route[push:expired]. 0 or -1 (unknown
 * name). */
int push_hold_pv_name(str *name, int *id);
int push_hold_pv_get(sip_msg_t *msg, pv_param_t *param, pv_value_t *res,
		int id);

/* RPC push.held [aor] and push.held_drop <aor> [call-id]. */
extern const char *push_hold_rpc_list_doc[];
extern const char *push_hold_rpc_drop_doc[];
void push_hold_rpc_list(rpc_t *rpc, void *ctx);
void push_hold_rpc_drop(rpc_t *rpc, void *ctx);

#endif /* PUSH_HOLD_H */
