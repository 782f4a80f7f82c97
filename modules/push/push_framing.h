/*
 * push module - refusing requests whose header framing parsers may read
 * differently (sipframe.h)
 */

#ifndef PUSH_FRAMING_H
#define PUSH_FRAMING_H

#include "core/parser/msg_parser.h"

/*
 * 1 when the header section of msg is canonical (sipframe.h); 0 when it is
 * not or cannot be parsed: then logged, counted (framing_refused) and
 * $push(reason) says why ("Bad framing: ..."), for a 400 reply.
 */
int push_framing_ok(sip_msg_t *msg);

/* Script function push_check_framing(): 1 canonical, -1 refused. */
int push_check_framing(sip_msg_t *msg);

#endif /* PUSH_FRAMING_H */
