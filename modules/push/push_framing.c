/*
 * push module - refusing requests whose header framing parsers may read
 * differently (sipframe.h)
 */

#include "core/dprint.h"
#include "core/ip_addr.h"

#include "push_framing.h"
#include "push_lookup.h"
#include "push_stats.h"
#include "lib/sipframe.h"

int push_framing_ok(sip_msg_t *msg)
{
	sipframe_diag_t diag;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || msg->eoh == NULL) {
		diag.reason = "headers cannot be parsed";
		diag.offset = 0;
	} else if(sipframe_canonical(
					  msg->buf, msg->len, msg->eoh - msg->buf, &diag)) {
		return 1;
	}
	push_set_reason("Bad framing: %s", diag.reason);
	LM_NOTICE("request from %s:%d refused: %s at byte %lu\n",
			ip_addr2a(&msg->rcv.src_ip), msg->rcv.src_port, diag.reason,
			(unsigned long)diag.offset);
	update_stat(push_st_framing_refused, 1);
	return 0;
}

int push_check_framing(sip_msg_t *msg)
{
	push_reason.len = 0;
	return push_framing_ok(msg) ? 1 : -1;
}
