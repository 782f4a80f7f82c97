/*
 * push module - delivery outcome of routed pushes
 */

#ifndef PUSH_DELIVERY_H
#define PUSH_DELIVERY_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

/* KEMI function run on each outcome (module parameter event_callback);
 * empty: event_route[push:delivery] of the native script, if any. */
extern str push_event_callback;

/* The index of the native script's event_route[name], -1 when it has none
 * or the script is KEMI (event_callback set). */
int push_event_route(const char *name);

/* Run an event of the module on msg, as route type event_type (not named
 * route_type: the core macros set a global of that name): the native script's
 * event route rt_idx, or the KEMI event_callback with the event's name. */
void push_event_run(int rt_idx, str *name, sip_msg_t *msg, int event_type);

/* Bind tm when it is loaded and find the event route. 0 or -1. */
int push_delivery_init(void);

/* Count, and report through the delivery event, the final response that
 * msg's transaction will send back. Only in REQUEST_ROUTE, once per
 * request. 0 or -1. */
int push_delivery_watch(sip_msg_t *msg);

#endif /* PUSH_DELIVERY_H */
