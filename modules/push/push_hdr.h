/*
 * push module - reading and changing headers of a request
 *
 * Kamailio applies header changes (lumps) only when a message is sent, so
 * within one request "the headers" are the received ones minus those a
 * DEL lump removes, plus those an ADD lump inserts. These helpers present
 * that view, so every function of this module sees what a previous call,
 * of this module or of another one, changed earlier in the same request.
 */

#ifndef PUSH_HDR_H
#define PUSH_HDR_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

/* Called for each header body with its type; a negative return stops the
 * walk and is returned by the walker. */
typedef int (*push_hdr_cb_f)(enum _hdr_types_t htype, str *body, void *arg);

/*
 * Call cb for the body of each header the request will carry whose type is
 * in types (HDR_T2F() bits): received ones not removed by a lump, in
 * order, then those added by lumps (recognised by name, full or compact
 * form). One walk serves several types. Returns 0, the callback's negative
 * value, or -1 on a parse error.
 */
int push_hdr_walk(
		sip_msg_t *msg, hdr_flags_t types, push_hdr_cb_f cb, void *arg);

/* 1 when a lump of msg deletes the received header hf. */
int push_hdr_removed(sip_msg_t *msg, hdr_field_t *hf);

/* Remove the received header hf (no-op when already removed). 0 or -1. */
int push_hdr_remove(sip_msg_t *msg, hdr_field_t *hf);

/* Remove every header of htype the request would carry: received ones
 * and those added earlier in this request. Returns how many, or -1. */
int push_hdr_remove_all(sip_msg_t *msg, enum _hdr_types_t htype);

/* Append the complete header line text (name, body and CRLF) after the last
 * header, in pkg memory the core frees. 0 or -1. */
int push_hdr_append(sip_msg_t *msg, str *text, enum _hdr_types_t htype);

#endif /* PUSH_HDR_H */
