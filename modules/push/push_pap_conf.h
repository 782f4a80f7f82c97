/*
 * push module - who may submit PAP pushes, and to which applications
 */

#ifndef PUSH_PAP_CONF_H
#define PUSH_PAP_CONF_H

#include "core/ip_addr.h"
#include "core/parser/msg_parser.h"
#include "core/sr_module.h"
#include "core/str.h"

#define PAP_MAX_APPS 16

/* A Push Initiator (pap_initiator), in pkg memory of every process. */
typedef struct pap_initiator
{
	int index;
	str name;
	str password;
	str identity; /* the From and P-Asserted-Identity of its pushes */
	str apps[PAP_MAX_APPS]; /* the feature tag values it may push to */
	int n_apps;
	int has_net;
	struct net net; /* the only source it may submit from */
	struct pap_initiator *next;
} pap_initiator_t;

/* modparam("push", "pap_initiator", "name=..;password=..;identity=..;
 * apps=..[;net=..]"), repeatable. */
int pap_initiator_param(modparam_t type, void *val);

/* modparam("push", "pap_app", "<application id>=<tag value>"),
 * repeatable. */
int pap_app_param(modparam_t type, void *val);

/* 1 when at least one initiator is configured. */
int pap_enabled(void);

/*
 * The initiator the request's HTTP Basic credentials name, when the
 * password is right and the source is inside its net; NULL otherwise
 * (logged). Secrets are compared in constant time, also for unknown names.
 */
pap_initiator_t *pap_authenticate(sip_msg_t *msg);

/* The initiator of an index (for the RPC), or NULL. */
pap_initiator_t *pap_initiator_at(int index);

/* The feature tag value of a push application id (X-Wap-Application-Id,
 * NULL when absent): a pap_app entry, else the OMNA registry's. NULL when
 * neither knows it. */
const char *pap_app_tag(const char *app_id, size_t len);

/* 1 when ini may push to the application of tag. */
int pap_app_allowed(const pap_initiator_t *ini, const char *tag);

/* s (from outside) made safe to log: at most size - 1 characters, those
 * outside printable ASCII replaced by '?'. Returns buf. */
const char *pap_printable(const char *s, char *buf, size_t size);

#endif /* PUSH_PAP_CONF_H */
