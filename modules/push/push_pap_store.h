/*
 * push module - the PAP pushes the proxy knows, in shared memory
 *
 * One record per (initiator, push-id), kept pap_push_id_ttl seconds: the
 * duplicate check, status-query and cancel-message read it, the SIP side
 * writes each address's outcome into it. Every SIP worker, the tm timer
 * and the RPC see the same records.
 */

#ifndef PUSH_PAP_STORE_H
#define PUSH_PAP_STORE_H

#include <time.h>

#include "core/str.h"

#include "lib/pap.h"

/* "pap.<slot>.<pid>.<counter>.<128 random bits>", in hex */
#define PAP_CALLID_SIZE 64

/* One address of a push. address and uri never change after the record
 * is added; the rest is read and written under the record's lock. */
typedef struct pap_target
{
	str address; /* the address-value the initiator wrote */
	str uri;	 /* the AOR it names */
	enum pap_state state;
	int code;
	time_t event_time; /* of the state; 0 while pending */
	char callid[PAP_CALLID_SIZE]; /* of its MESSAGE; "" before it is sent */
	int awaited; /* its MESSAGE has not yet reached this proxy */
} pap_target_t;

/* A push. Only refs and the targets' outcomes change after it is added;
 * a record is freed when it has expired and nothing refers to it. */
typedef struct pap_push
{
	struct pap_push *next;
	unsigned int slot;
	int initiator; /* index in the pap_initiator list */
	str push_id;
	enum pap_version version;
	time_t received;
	time_t expires;
	str notify_to; /* len 0: no result notification */
	pap_qos_t qos;
	int refs; /* MESSAGEs in flight and notifications being built */
	int n;
	pap_target_t *t;
	char *room; /* where the next string goes (pap_store_str()) */
} pap_push_t;

/* Module parameters (push_mod.c). */
extern int pap_push_id_ttl;
extern int pap_max_pushes;

/* Create the table (mod_init). 0 or -1. */
int pap_store_init(void);

/*
 * A new record for a push of n targets, in shared memory, not yet in the
 * table: the caller fills the targets' address and uri (pap_store_str())
 * and adds it. NULL when out of memory. size is the room the strings need.
 */
pap_push_t *pap_store_new(int initiator, const char *push_id,
		enum pap_version version, const char *notify_to,
		const pap_qos_t *qos, int n, size_t size);

/* Copy s into the string room of p (as sized for pap_store_new()). */
void pap_store_str(pap_push_t *p, str *dst, const char *s, size_t len);

/*
 * Add p to the table, with one reference per target (each to be given
 * back by pap_store_done()), unless the initiator already has a record
 * with its push-id: 0 added; PAP_DUPLICATE_PUSH_ID or
 * PAP_SERVICE_UNAVAILABLE (pap_max_pushes reached), p freed.
 */
int pap_store_add(pap_push_t *p);

/* The Call-ID of target i's MESSAGE, recorded as awaited. 0, or -1 when
 * no unguessable one can be made. */
int pap_store_sending(pap_push_t *p, int i, str *callid);

/* Record the outcome of target i (under the record's lock). */
void pap_store_outcome(pap_push_t *p, int i, enum pap_state state, int code);

/* Give back a reference taken by pap_store_add(). */
void pap_store_done(pap_push_t *p);

/* 1 when callid is that of a MESSAGE this proxy sent for a push and which
 * has not arrived before; the first arrival consumes it. */
int pap_store_own_callid(str *callid);

/* Call f on the record of (initiator, push_id), under its lock; initiator
 * -1 matches any (RPC). Returns the number of records seen. */
int pap_store_find(int initiator, const char *push_id, size_t len,
		void (*f)(pap_push_t *p, void *arg), void *arg);

/* Free expired records, a bounded part of the table per call (timer). */
void pap_store_expire(unsigned int ticks, void *param);

#endif /* PUSH_PAP_STORE_H */
