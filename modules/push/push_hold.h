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
extern int push_hold_interval;
extern int push_hold_rows;

/* Check the parameters, probe the table through db_url, bind tm; the hold
 * store is off (push_hold() returns -2) when there is no db_url or no
 * table (mod_init). 0 or -1. */
int push_hold_init(void);

/* Start the expiry timer process (child_init of PROC_MAIN). */
int push_hold_start(void);

/*
 * Hold the request msg as it would be forwarded now, for expires seconds
 * (below 0: hold_expires), capped by hold_max_expires and by the request's
 * Expires header. PUSH_HOLD_OK, PUSH_HOLD_FULL or PUSH_HOLD_ERROR.
 */
int push_hold(sip_msg_t *msg, int expires);

/* Whether binding b is one the running REGISTER stored. */
typedef int (*push_hold_new_f)(push_binding_t *b, void *arg);

/*
 * After a REGISTER for aor stored bindings (is_new tells which): each held
 * push of aor whose caller preferences select one of them, among the
 * user's bindings as they are now, is sent to that binding, oldest first.
 */
void push_hold_registered(udomain_t *d, str *aor, push_hold_new_f is_new,
		void *arg);

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
