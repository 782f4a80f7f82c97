/*
 * push module - RPC commands
 */

#ifndef PUSH_RPC_H
#define PUSH_RPC_H

#include "core/str.h"

/* The usrloc table the RPC commands read (module parameter rpc_table). */
extern str push_rpc_table;

/* Register push.caps, push.match and push.limits. 0 or -1. */
int push_rpc_init(void);

#endif /* PUSH_RPC_H */
