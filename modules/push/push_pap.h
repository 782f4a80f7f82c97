/*
 * push module - the Push Sender Agent's PAP front end (OMA Push Access
 * Protocol over HTTP, through xhttp)
 */

#ifndef PUSH_PAP_H
#define PUSH_PAP_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "core/str.h"

/* Module parameters (push_mod.c). */
extern str pap_domain;
extern int pap_max_body;

/* Bind xhttp, tm and http_client and create the shared state when an
 * initiator is configured (mod_init). 0 or -1. */
int push_pap_init(void);

/*
 * Take an HTTP request of event_route[xhttp:request] as a PAP request and
 * answer it: 1 answered (401 for credentials, else 202 with a PAP
 * document), -1 not a PAP request (not a POST of multipart/related or
 * application/xml: the script answers it) or no initiator configured.
 */
int push_pap_request(sip_msg_t *msg);

/* 1 when msg is a MESSAGE this proxy sent for a PAP push, arriving for
 * the first time (its Call-ID, unguessable, is consumed); 0 otherwise. */
int push_pap_own_request(sip_msg_t *msg);

struct push_hold_pap;

/* A held address of a PAP push has its outcome: sip_code 2xx delivered,
 * 0 expired. Its record (when still kept) and its initiator's result
 * notification say so. */
void push_pap_held_outcome(struct push_hold_pap *held, int sip_code);

/* RPC push.pap_status <push-id> */
extern const char *push_pap_rpc_status_doc[];
void push_pap_rpc_status(rpc_t *rpc, void *ctx);

#endif /* PUSH_PAP_H */
