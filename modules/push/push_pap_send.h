/*
 * push module - PAP pushes as SIP MESSAGEs, and their result notifications
 */

#ifndef PUSH_PAP_SEND_H
#define PUSH_PAP_SEND_H

#include "core/str.h"

#include "push_pap_store.h"

/* Module parameters (push_mod.c). */
extern str pap_next_hop;
extern str pap_sender_name;
extern int pap_notify_retries;
extern int pap_notify_retry_interval;

/* Bind tm and, when loaded, http_client; check the async workers; choose
 * the next hop (mod_init). 0 or -1. */
int pap_send_init(void);

/* 1 when result notifications can be posted (http_client is loaded). */
int pap_send_can_notify(void);

/*
 * Send target i of p as a MESSAGE from the identity from, with the header
 * lines hdrs (CRLF-terminated) and body, through tm towards pap_next_hop.
 * With hold_token (a held copy claimed for this sending, deliver-before):
 * when no device takes it now (404, 480), the copy stays held and the
 * target pending; otherwise the copy is dropped.
 * Its final response becomes the target's outcome, posted to the
 * initiator when p asks for result notifications; the reference the
 * target holds on p is given back then, or here when tm refuses the
 * request (outcome undeliverable, 4000).
 */
void pap_send(pap_push_t *p, int i, str *from, str *hdrs, str *body,
		const char *hold_token);

/* Target i of p is done without a MESSAGE of its own: the outcome of a
 * SIP final response code sip_code (500: not sent), as pap_send() would
 * record it. */
void pap_send_finish(pap_push_t *p, int i, int sip_code);

/* Post a result notification for address of a push to notify_to (async
 * workers, retried). */
void pap_send_notification(enum pap_version version, const char *push_id,
		const char *address, str *notify_to, time_t received,
		const pap_qos_t *qos, enum pap_state state, int code);

#endif /* PUSH_PAP_SEND_H */
