/*
 * push module - the PAP pushes the proxy knows, in shared memory
 *
 * A hash table of PAP_SLOTS chains, one lock per chain, keyed by
 * (initiator, push-id). A MESSAGE's Call-ID names the chain of its push,
 * so the proxy finds its own requests again without a second index.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_ops.h"
#include "core/dprint.h"
#include "core/hashes.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"
#include "core/pt.h"
#include "push_random.h"

#include "push_pap_conf.h"
#include "push_pap_store.h"

#define PAP_SLOTS 1024 /* a power of two */
/* Chains the expiry timer walks per run: the whole table in 16 runs. */
#define PAP_EXPIRE_SLOTS (PAP_SLOTS / 16)
#define CALLID_PREFIX "pap."

int pap_push_id_ttl = 86400;
int pap_max_pushes = 10000;

typedef struct pap_table
{
	gen_lock_set_t *locks;
	atomic_t count;
	unsigned int expire_cursor; /* timer process only */
	pap_push_t *slot[PAP_SLOTS];
} pap_table_t;

static pap_table_t *table;

int pap_store_init(void)
{
	table = shm_malloc(sizeof(*table));
	if(table == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(table, 0, sizeof(*table));
	table->locks = lock_set_alloc(PAP_SLOTS);
	if(table->locks == NULL || lock_set_init(table->locks) == NULL) {
		LM_ERR("cannot create the PAP table's locks\n");
		return -1;
	}
	atomic_set(&table->count, 0);
	return 0;
}

static unsigned int slot_of(int initiator, const char *push_id, size_t len)
{
	str id = {(char *)push_id, (int)len};

	return (core_hash(&id, NULL, 0) + (unsigned int)initiator * 2654435761u)
		   & (PAP_SLOTS - 1);
}

pap_push_t *pap_store_new(int initiator, const char *push_id,
		enum pap_version version, const char *notify_to,
		const pap_qos_t *qos, int n, size_t size)
{
	size_t id_len = strlen(push_id);
	size_t notify_len = notify_to ? strlen(notify_to) : 0;
	pap_push_t *p;

	size += sizeof(*p) + n * sizeof(pap_target_t) + id_len + notify_len + 2;
	p = shm_malloc(size);
	if(p == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(p, 0, sizeof(*p) + n * sizeof(pap_target_t));
	p->initiator = initiator;
	p->version = version;
	p->received = time(NULL);
	p->expires = p->received + pap_push_id_ttl;
	p->qos = *qos;
	p->n = n;
	p->t = (pap_target_t *)(p + 1);
	p->room = (char *)(p->t + n);
	p->slot = slot_of(initiator, push_id, id_len);
	pap_store_str(p, &p->push_id, push_id, id_len);
	pap_store_str(p, &p->notify_to, notify_to, notify_len);
	return p;
}

void pap_store_str(pap_push_t *p, str *dst, const char *s, size_t len)
{
	dst->s = p->room;
	dst->len = (int)len;
	if(len > 0)
		memcpy(p->room, s, len);
	p->room[len] = '\0';
	p->room += len + 1;
}

int pap_store_add(pap_push_t *p)
{
	char shown[PAP_MAX_ID + 1];
	pap_push_t *q;
	unsigned int slot = p->slot;

	if(atomic_add(&table->count, 1) > pap_max_pushes) {
		atomic_dec(&table->count);
		LM_WARN("PAP: %d pushes known already (pap_max_pushes): push-id"
				" '%s' refused\n",
				pap_max_pushes,
				pap_printable(p->push_id.s, shown, sizeof(shown)));
		shm_free(p);
		return PAP_SERVICE_UNAVAILABLE;
	}
	lock_set_get(table->locks, slot);
	for(q = table->slot[slot]; q; q = q->next) {
		if(q->initiator == p->initiator && q->push_id.len == p->push_id.len
				&& memcmp(q->push_id.s, p->push_id.s, p->push_id.len) == 0)
			break;
	}
	if(q) {
		lock_set_release(table->locks, slot);
		atomic_dec(&table->count);
		shm_free(p);
		return PAP_DUPLICATE_PUSH_ID;
	}
	p->refs = p->n;
	p->next = table->slot[slot];
	table->slot[slot] = p;
	lock_set_release(table->locks, slot);
	return 0;
}

/* Unguessable, and naming the slot of its push. */
int pap_store_sending(pap_push_t *p, int i, str *callid)
{
	static unsigned int counter;
	pap_target_t *t = &p->t[i];
	char buf[PAP_CALLID_SIZE], rnd[33];
	int n;

	if(push_random_hex(rnd, 16) < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), CALLID_PREFIX "%x.%x.%x.%s", p->slot,
			(unsigned int)my_pid(), ++counter, rnd);
	if(n <= 0 || n >= (int)sizeof(buf))
		return -1;
	lock_set_get(table->locks, p->slot);
	memcpy(t->callid, buf, n + 1);
	t->awaited = 1;
	lock_set_release(table->locks, p->slot);
	callid->s = t->callid;
	callid->len = n;
	return 0;
}

void pap_store_outcome(pap_push_t *p, int i, enum pap_state state, int code)
{
	lock_set_get(table->locks, p->slot);
	p->t[i].state = state;
	p->t[i].code = code;
	p->t[i].event_time = time(NULL);
	p->t[i].awaited = 0;
	lock_set_release(table->locks, p->slot);
}

void pap_store_done(pap_push_t *p)
{
	lock_set_get(table->locks, p->slot);
	p->refs--;
	lock_set_release(table->locks, p->slot);
}

int pap_store_own_callid(str *callid)
{
	unsigned long slot;
	char *end;
	pap_push_t *p;
	int i, own = 0;

	if(callid->len <= (int)sizeof(CALLID_PREFIX) - 1
			|| callid->len >= PAP_CALLID_SIZE
			|| memcmp(callid->s, CALLID_PREFIX, sizeof(CALLID_PREFIX) - 1)
					   != 0)
		return 0;
	slot = strtoul(callid->s + sizeof(CALLID_PREFIX) - 1, &end, 16);
	if(end >= callid->s + callid->len || *end != '.' || slot >= PAP_SLOTS)
		return 0;
	lock_set_get(table->locks, slot);
	for(p = table->slot[slot]; p && !own; p = p->next) {
		for(i = 0; i < p->n; i++) {
			if(p->t[i].awaited && strlen(p->t[i].callid) == (size_t)callid->len
					&& memcmp(p->t[i].callid, callid->s, callid->len) == 0) {
				p->t[i].awaited = 0;
				own = 1;
				break;
			}
		}
	}
	lock_set_release(table->locks, slot);
	return own;
}

int pap_store_find(int initiator, const char *push_id, size_t len,
		void (*f)(pap_push_t *p, void *arg), void *arg)
{
	unsigned int slot, first, last;
	pap_push_t *p;
	int seen = 0;

	/* any initiator: every slot (an RPC, not a request path) */
	first = initiator < 0 ? 0 : slot_of(initiator, push_id, len);
	last = initiator < 0 ? PAP_SLOTS - 1 : first;
	for(slot = first; slot <= last; slot++) {
		lock_set_get(table->locks, slot);
		for(p = table->slot[slot]; p; p = p->next) {
			if((initiator < 0 || p->initiator == initiator)
					&& p->push_id.len == (int)len
					&& memcmp(p->push_id.s, push_id, len) == 0) {
				f(p, arg);
				seen++;
			}
		}
		lock_set_release(table->locks, slot);
	}
	return seen;
}

void pap_store_expire(unsigned int ticks, void *param)
{
	time_t now = time(NULL);
	pap_push_t **pp, *p;
	unsigned int k, slot;

	for(k = 0; k < PAP_EXPIRE_SLOTS; k++) {
		slot = table->expire_cursor++ & (PAP_SLOTS - 1);
		lock_set_get(table->locks, slot);
		pp = &table->slot[slot];
		while((p = *pp) != NULL) {
			if(p->expires <= now && p->refs <= 0) {
				*pp = p->next;
				atomic_dec(&table->count);
				shm_free(p);
			} else {
				pp = &p->next;
			}
		}
		lock_set_release(table->locks, slot);
	}
}
