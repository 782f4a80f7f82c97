/*
 * push module - stamping the push application's Accept-Contact value
 */

#ifndef PUSH_STAMP_H
#define PUSH_STAMP_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

/* Module parameters (push_mod.c). */
extern str push_feature_tag;
extern int push_stamp_require;
extern int push_stamp_explicit;

/* Check the feature_tag parameter once, at startup. 0 or -1. */
int push_stamp_init(void);

/*
 * The header line "Accept-Contact: *;<feature_tag>="<app_id>"[;require]
 * [;explicit]\r\n" in *hdr, valid until the next call in this process.
 * 0, or -1 (logged) when app_id is not an RFC 3840 token list.
 */
int push_stamp_header(str *app_id, str *hdr);

/*
 * Append "Accept-Contact: *;<feature_tag>="<app_id>"[;require][;explicit]"
 * unless the request already carries (received, or added earlier in this
 * request) an Accept-Contact value with that feature tag and value that is
 * at least as strict: with require when stamp_require is set and explicit
 * when stamp_explicit is set. Returns 1 added, 2 already present, -1
 * invalid app_id, -2 internal error.
 */
int push_stamp(sip_msg_t *msg, str *app_id);

#endif /* PUSH_STAMP_H */
