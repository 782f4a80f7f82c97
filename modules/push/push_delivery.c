/*
 * push module - delivery outcome of routed pushes
 *
 * A push routed by push_lookup() is followed by a tm callback that counts
 * the final response sent back to the Push Sender Agent (RFC 3428: 200
 * means delivered to a device) and runs event_route[push:delivery], or the
 * KEMI callback named by the event_callback parameter, on it.
 */

#include "core/dprint.h"
#include "core/kemi.h"
#include "core/msg_translator.h"
#include "core/receive.h"
#include "core/route.h"
#include "core/ut.h"
#include "modules/tm/tm_load.h"

#include "push_delivery.h"
#include "push_stats.h"

str push_event_callback = STR_NULL;

static struct tm_binds tmb;
static int tm_loaded;
static int event_rt_idx = -1;
static str event_name = str_init("push:delivery");

int push_delivery_init(void)
{
	if(load_tm_api(&tmb) < 0) {
		LM_INFO("tm not loaded: no delivery statistics or event route\n");
		return 0;
	}
	tm_loaded = 1;
	if(push_event_callback.len > 0 && sr_kemi_eng_get() == NULL)
		LM_WARN("event_callback '%.*s' is for KEMI scripts; this one is"
				" native: use event_route[push:delivery]\n",
				push_event_callback.len, push_event_callback.s);
	event_rt_idx = push_event_route(event_name.s);
	return 0;
}

int push_event_route(const char *name)
{
	int idx;

	if(push_event_callback.len > 0)
		return -1;
	idx = route_lookup(&event_rt, (char *)name);
	return idx >= 0 && event_rt.rlist[idx] != NULL ? idx : -1;
}

void push_event_run(int rt_idx, str *name, sip_msg_t *msg, int event_type)
{
	sr_kemi_eng_t *keng = NULL;
	run_act_ctx_t ctx, *bctx;
	int backup_rt;

	if(push_event_callback.len > 0) {
		keng = sr_kemi_eng_get();
		if(keng == NULL)
			return;
	} else if(rt_idx < 0) {
		return;
	}
	backup_rt = get_route_type();
	set_route_type(event_type);
	init_run_actions_ctx(&ctx);
	if(keng == NULL) {
		run_top_route(event_rt.rlist[rt_idx], msg, &ctx);
	} else {
		bctx = sr_kemi_act_ctx_get();
		sr_kemi_act_ctx_set(&ctx);
		sr_kemi_route(keng, msg, EVENT_ROUTE, &push_event_callback, name);
		sr_kemi_act_ctx_set(bctx);
	}
	set_route_type(backup_rt);
}

/* Run the delivery event on the reply as it was sent upstream, as an
 * onreply route, so $rs and $T_reply_code give its status. */
static void run_event(struct tmcb_params *ps)
{
	sip_msg_t rpl;

	if(push_event_callback.len == 0 && event_rt_idx < 0)
		return;
	if(ps->send_buf.s == NULL || ps->send_buf.len <= 0
			|| build_sip_msg_from_buf(&rpl, ps->send_buf.s, ps->send_buf.len,
					   inc_msg_no())
					   != 0) {
		LM_ERR("cannot rebuild the final reply for the delivery event\n");
		return;
	}
	push_event_run(event_rt_idx, &event_name, &rpl, CORE_ONREPLY_ROUTE);
	free_sip_msg(&rpl);
}

static void delivery_cb(struct cell *t, int type, struct tmcb_params *ps)
{
	if(ps->code < 200)
		return;
	if(ps->code < 300)
		update_stat(push_st_delivered, 1);
	else if(ps->code == 408)
		update_stat(push_st_timeout, 1);
	else
		update_stat(push_st_failed, 1);
	run_event(ps);
}

int push_delivery_watch(sip_msg_t *msg)
{
	if(!tm_loaded || !is_route_type(REQUEST_ROUTE))
		return 0;
	if(tmb.register_tmcb(msg, 0, TMCB_RESPONSE_SENT, delivery_cb, 0, 0) <= 0) {
		LM_ERR("cannot watch the delivery of the push\n");
		return -1;
	}
	return 0;
}
