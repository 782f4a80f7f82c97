/*
 * push module - asserted identity of push requests (RFC 3325, RFC 5876)
 */

#ifndef PUSH_IDENTITY_H
#define PUSH_IDENTITY_H

#include "core/parser/msg_parser.h"
#include "core/sr_module.h"
#include "core/str.h"

/* Module parameters (push_mod.c). */
extern int push_trusted_flag;
extern str push_default_privacy;

/* modparam("push", "trusted_net", "CIDR"): add a network of the trust
 * domain (repeatable). */
int push_trusted_net_param(modparam_t type, void *val);

/* Check the parameters once, at startup. 0 or -1. */
int push_identity_init(void);

/* 1 when msg comes from inside the trust domain: its source is in a
 * trusted_net, the script set trusted_flag, or it is a MESSAGE this proxy
 * sent for a PAP push. */
int push_trusted(sip_msg_t *msg);

/* The identities the proxy may assert, the first being the default. */
#define PUSH_MAX_IDENTITIES 8
typedef struct push_identities
{
	str uri[PUSH_MAX_IDENTITIES]; /* point into the parsed text */
	int n;
} push_identities_t;

/* Split comma-separated sip, sips or tel URIs ("<sip:a@b>, tel:+1") into
 * ids. 0, or -1 (logged) when one is not such a URI or there are none or
 * too many. */
int push_identities_parse(str *text, push_identities_t *ids);

/*
 * Police the identity of a request with the identities of
 * push_identities_parse(). Returns 1 identity inserted, 2 received
 * identity kept, -2 untrusted (identity removed), -3 untrusted and its
 * header framing is not canonical (push_framing.h; identity removed, to be
 * refused with 400 $push(reason)), -1 error (every PAI and PPI removed as
 * far as possible: refuse the request). A received value over-long to
 * forward is dropped like a malformed one.
 */
int push_assert_identities(sip_msg_t *msg, const push_identities_t *ids);

/* The same with the identities as text; -1 also for invalid text. */
int push_assert_identity(sip_msg_t *msg, str *identities);

/* Before relaying outside the trust domain: remove every PAI when privacy
 * "id" is requested (or is the default). 1 removed, 2 nothing removed,
 * -1 error (the Privacy header could not be read: every PAI removed as far
 * as possible). */
int push_apply_privacy(sip_msg_t *msg);

/* Receiver-side check: 1 trusted with a well-formed PAI set, -1 no PAI,
 * -2 malformed PAI, -3 untrusted source. */
int push_verify_identity(sip_msg_t *msg);

#endif /* PUSH_IDENTITY_H */
