/*
 * push module - PAP pushes as SIP MESSAGEs, and their result notifications
 *
 * A MESSAGE goes through tm to the proxy itself by default, so the
 * operator's routing (push_lookup()) picks the devices as for any push;
 * its final response, in whatever process tm reports it, is written into
 * the push's record. The result notification is an HTTP POST, which
 * blocks: it is handed to Kamailio's async workers, never made by a SIP
 * worker or tm's timer. A failed attempt does not sleep in its worker
 * (one unanswering initiator would hold every worker): the retry waits in
 * a shared queue that a one-second timer hands back to the workers.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "core/async_task.h"
#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"
#include "core/socket_info.h"
#include "core/timer.h"
#include "modules/http_client/curl_api.h"
#include "modules/tm/tm_load.h"

#include "push_hold.h"
#include "push_pap_conf.h"
#include "push_pap_send.h"
#include "push_stats.h"

str pap_next_hop = STR_NULL;
str pap_sender_name = str_init("Kamailio push");
int pap_notify_retries = 2;
int pap_notify_retry_interval = 5;

#define PAP_MAX_RETRIES 10
#define PAP_MAX_RETRY_INTERVAL 60

static struct tm_binds tmb;
static httpc_api_t httpc;
static int can_notify;
static char next_hop_buf[128];

/* What a MESSAGE's tm callback needs (shm, freed by the callback). */
typedef struct pap_sent
{
	pap_push_t *p;
	int i;
	char hold_token[PUSH_HOLD_TOKEN_SIZE]; /* "": no held copy */
} pap_sent_t;

/* A result notification for an async worker: the task, then the URL and
 * the document, NUL-terminated (one shm block of size bytes, freed by the
 * worker after the attempt: a retry is a copy). */
typedef struct pap_notice
{
	async_task_t task;
	struct pap_notice *next; /* in the retry queue */
	size_t size;
	int attempt; /* 0 for the first */
	time_t due;	 /* of the retry */
	char push_id[PAP_MAX_ID + 1]; /* for the log: printable */
	/* the URL, then the document, follow */
} pap_notice_t;

/* Notifications waiting for their next attempt, in the order they are
 * due (one retry interval for all: appending keeps the order). */
typedef struct pap_retry_queue
{
	gen_lock_t lock;
	pap_notice_t *head;
	pap_notice_t *tail;
} pap_retry_queue_t;

static pap_retry_queue_t *retry_queue;

static void notify_retry_timer(unsigned int ticks, void *param);

/* Without pap_next_hop: the first listening socket, UDP preferred. */
static int default_next_hop(void)
{
	struct socket_info *si = get_first_socket();
	int n;

	if(si == NULL) {
		LM_ERR("PAP: no listening socket to send the pushes to: set"
			   " pap_next_hop\n");
		return -1;
	}
	n = snprintf(next_hop_buf, sizeof(next_hop_buf), "sip:%s%.*s%s:%d%s",
			si->address.af == AF_INET6 ? "[" : "", si->address_str.len,
			si->address_str.s, si->address.af == AF_INET6 ? "]" : "",
			si->port_no, si->proto == PROTO_TCP ? ";transport=tcp" : "");
	if(n < 0 || n >= (int)sizeof(next_hop_buf))
		return -1;
	pap_next_hop.s = next_hop_buf;
	pap_next_hop.len = n;
	return 0;
}

int pap_send_init(void)
{
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("PAP: cannot bind tm: load tm.so before push.so\n");
		return -1;
	}
	if(pap_next_hop.len <= 0 && default_next_hop() < 0)
		return -1;
	if(pap_notify_retries < 0 || pap_notify_retries > PAP_MAX_RETRIES
			|| pap_notify_retry_interval < 1
			|| pap_notify_retry_interval > PAP_MAX_RETRY_INTERVAL) {
		LM_ERR("PAP: pap_notify_retries must be 0..%d and"
			   " pap_notify_retry_interval 1..%d seconds\n",
				PAP_MAX_RETRIES, PAP_MAX_RETRY_INTERVAL);
		return -1;
	}
	if(find_module_by_name("http_client") == NULL) {
		LM_NOTICE("PAP: http_client is not loaded: pushes asking for a"
				  " result notification are refused (3001)\n");
		return 0;
	}
	if(httpc_load_api(&httpc) < 0)
		return -1;
	if(async_task_workers_get() <= 0) {
		LM_ERR("PAP: result notifications are posted by async workers:"
			   " set the core parameter async_workers\n");
		return -1;
	}
	retry_queue = shm_malloc(sizeof(*retry_queue));
	if(retry_queue == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(retry_queue, 0, sizeof(*retry_queue));
	lock_init(&retry_queue->lock);
	if(register_timer(notify_retry_timer, NULL, 1) < 0) {
		LM_ERR("PAP: cannot register the notification retry timer\n");
		return -1;
	}
	can_notify = 1;
	LM_INFO("PAP: pushes go to %.*s\n", pap_next_hop.len, pap_next_hop.s);
	return 0;
}

int pap_send_can_notify(void)
{
	return can_notify;
}

static char *notice_url(pap_notice_t *nt)
{
	return (char *)(nt + 1);
}

static char *notice_doc(pap_notice_t *nt)
{
	char *url = notice_url(nt);

	return url + strlen(url) + 1;
}

/* Queue a copy of nt (the worker frees nt) for its next attempt. */
static void notify_later(pap_notice_t *nt)
{
	pap_notice_t *again = shm_malloc(nt->size);

	if(again == NULL) {
		SHM_MEM_ERROR;
		LM_ERR("PAP: push-id '%s': its result notification is given up\n",
				nt->push_id);
		update_stat(push_st_pap_notifications_failed, 1);
		return;
	}
	memcpy(again, nt, nt->size);
	again->task.param = again;
	again->next = NULL;
	again->attempt++;
	again->due = time(NULL) + pap_notify_retry_interval;
	lock_get(&retry_queue->lock);
	if(retry_queue->tail)
		retry_queue->tail->next = again;
	else
		retry_queue->head = again;
	retry_queue->tail = again;
	lock_release(&retry_queue->lock);
}

/* Hand the notifications that are due back to the async workers. */
static void notify_retry_timer(unsigned int ticks, void *param)
{
	time_t now = time(NULL);
	pap_notice_t *due = NULL, *nt;

	lock_get(&retry_queue->lock);
	if(retry_queue->head && retry_queue->head->due <= now) {
		due = retry_queue->head;
		nt = due;
		while(nt->next && nt->next->due <= now)
			nt = nt->next;
		retry_queue->head = nt->next;
		if(retry_queue->head == NULL)
			retry_queue->tail = NULL;
		nt->next = NULL;
	}
	lock_release(&retry_queue->lock);
	while(due) {
		nt = due;
		due = nt->next;
		if(async_task_push(&nt->task) < 0) {
			LM_ERR("PAP: push-id '%s': cannot queue its result notification"
				   " again\n",
					nt->push_id);
			shm_free(nt);
			update_stat(push_st_pap_notifications_failed, 1);
		}
	}
}

/* One attempt to post a notification; the answer's code is logged when it
 * is not 1000. Runs in an async worker. */
static void notify_exec(void *param)
{
	pap_notice_t *nt = param;
	char *url = notice_url(nt);
	char *doc = notice_doc(nt);
	pap_control_t ctl;
	pap_error_t err;
	str resp = STR_NULL;
	int rc;

	rc = httpc.http_client_query_c(
			NULL, url, &resp, doc, "application/xml", NULL);
	if(rc >= 200 && rc < 300) {
		if(pap_parse_control(resp.s ? resp.s : "", resp.s ? resp.len : 0,
				   &ctl, &err)
				!= 0) {
			LM_NOTICE("PAP: push-id '%s': the answer of %s to its result"
					  " notification is not PAP (%s)\n",
					nt->push_id, url, err.desc);
		} else {
			if(ctl.op != PAP_RESULTNOTIFICATION_RESPONSE
					|| ctl.code != PAP_OK)
				LM_NOTICE("PAP: push-id '%s': %s answered its result"
						  " notification with code %d\n",
						nt->push_id, url, ctl.code);
			pap_control_free(&ctl);
		}
		if(resp.s)
			pkg_free(resp.s);
		return;
	}
	if(resp.s)
		pkg_free(resp.s);
	LM_NOTICE("PAP: push-id '%s': result notification to %s failed"
			  " (%d), attempt %d of %d\n",
			nt->push_id, url, rc, nt->attempt + 1, pap_notify_retries + 1);
	if(nt->attempt < pap_notify_retries) {
		notify_later(nt);
		return;
	}
	LM_ERR("PAP: push-id '%s': result notification to %s not delivered\n",
			nt->push_id, url);
	update_stat(push_st_pap_notifications_failed, 1);
}

void pap_send_notification(enum pap_version version, const char *push_id,
		const char *address, str *notify_to, time_t received,
		const pap_qos_t *qos, enum pap_state state, int code)
{
	char shown[PAP_MAX_ID + 1];
	pap_notice_t *nt;
	size_t len, size;
	char *doc;

	doc = pap_write_resultnotification(version, push_id, NULL,
			pap_sender_name.s, address, state, code, received, time(NULL),
			qos, &len);
	if(doc == NULL) {
		LM_ERR("PAP: push-id '%s': no memory for its result notification\n",
				pap_printable(push_id, shown, sizeof(shown)));
		update_stat(push_st_pap_notifications_failed, 1);
		return;
	}
	size = sizeof(*nt) + notify_to->len + 1 + len + 1;
	nt = shm_malloc(size);
	if(nt == NULL) {
		SHM_MEM_ERROR;
		free(doc);
		update_stat(push_st_pap_notifications_failed, 1);
		return;
	}
	memset(nt, 0, sizeof(*nt));
	nt->task.exec = notify_exec;
	nt->task.param = nt;
	nt->size = size;
	memcpy(notice_url(nt), notify_to->s, notify_to->len);
	notice_url(nt)[notify_to->len] = '\0';
	memcpy(notice_doc(nt), doc, len + 1);
	free(doc);
	pap_printable(push_id, nt->push_id, sizeof(nt->push_id));
	if(async_task_push(&nt->task) < 0) {
		LM_ERR("PAP: push-id '%s': cannot queue its result notification\n",
				nt->push_id);
		shm_free(nt);
		update_stat(push_st_pap_notifications_failed, 1);
	}
}

static void notify(pap_push_t *p, int i, enum pap_state state, int code)
{
	pap_send_notification(p->version, p->push_id.s, p->t[i].address.s,
			&p->notify_to, p->received, p->qos.present ? &p->qos : NULL, state,
			code);
}

/* The outcome of target i: recorded, counted and notified, then the
 * target's reference on p given back. */
void pap_send_finish(pap_push_t *p, int i, int sip_code)
{
	char shown[PAP_MAX_ID + 1];
	enum pap_state state;
	int code = pap_outcome_of_sip(sip_code, &state);

	pap_store_outcome(p, i, state, code);
	if(state == PAP_STATE_DELIVERED)
		update_stat(push_st_pap_delivered, 1);
	else
		update_stat(push_st_pap_undeliverable, 1);
	LM_INFO("PAP: push-id '%s' to %.*s: SIP %d, %s (%d)\n",
			pap_printable(p->push_id.s, shown, sizeof(shown)), p->t[i].uri.len,
			p->t[i].uri.s, sip_code, pap_state_name(state), code);
	if(p->notify_to.len > 0)
		notify(p, i, state, code);
	pap_store_done(p);
}

static void reply_cb(struct cell *t, int type, struct tmcb_params *ps)
{
	pap_sent_t *sent;

	if(ps->param == NULL || *ps->param == NULL)
		return;
	sent = *ps->param;
	*ps->param = NULL;
	if(sent->hold_token[0]) {
		str token = {sent->hold_token, (int)strlen(sent->hold_token)};
		if(ps->code == 404 || ps->code == 480) {
			/* no device now: the held copy waits for one, pending */
			char shown[PAP_MAX_ID + 1];
			LM_INFO("PAP: push-id '%s' to %.*s: SIP %d, held until its"
					" deliver-before time\n",
					pap_printable(sent->p->push_id.s, shown, sizeof(shown)),
					sent->p->t[sent->i].uri.len, sent->p->t[sent->i].uri.s,
					ps->code);
			push_hold_settle(&token, 1);
			pap_store_done(sent->p);
			shm_free(sent);
			return;
		}
		push_hold_settle(&token, 0);
	}
	pap_send_finish(sent->p, sent->i, ps->code);
	shm_free(sent);
}

/* A held copy claimed for a sending that did not happen goes too. */
static void drop_held(const char *hold_token)
{
	str token;

	if(hold_token == NULL)
		return;
	token.s = (char *)hold_token;
	token.len = (int)strlen(hold_token);
	push_hold_settle(&token, 0);
}

void pap_send(pap_push_t *p, int i, str *from, str *hdrs, str *body,
		const char *hold_token)
{
	static str method = str_init("MESSAGE");
	char shown[PAP_MAX_ID + 1];
	uac_req_t uac_r;
	pap_sent_t *sent;
	str callid;

	sent = shm_malloc(sizeof(*sent));
	if(sent == NULL) {
		SHM_MEM_ERROR;
		drop_held(hold_token);
		pap_send_finish(p, i, 500);
		return;
	}
	sent->p = p;
	sent->i = i;
	sent->hold_token[0] = '\0';
	if(hold_token)
		snprintf(sent->hold_token, sizeof(sent->hold_token), "%s", hold_token);
	if(pap_store_sending(p, i, &callid) < 0) {
		shm_free(sent);
		drop_held(hold_token);
		pap_send_finish(p, i, 500);
		return;
	}
	set_uac_req(&uac_r, &method, hdrs, body, NULL, TMCB_LOCAL_COMPLETED,
			reply_cb, sent);
	uac_r.callid = &callid;
	if(tmb.t_request(&uac_r, &p->t[i].uri, &p->t[i].uri, from, &pap_next_hop)
			< 0) {
		LM_ERR("PAP: push-id '%s': tm cannot send the MESSAGE to %.*s\n",
				pap_printable(p->push_id.s, shown, sizeof(shown)),
				p->t[i].uri.len, p->t[i].uri.s);
		shm_free(sent);
		drop_held(hold_token);
		pap_send_finish(p, i, 500);
	}
}
