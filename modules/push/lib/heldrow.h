/*
 * push module - the text of a held push, as kept in the hold table
 *
 * A held push is stored as header lines and read back from a database
 * anyone with access may have edited: these checks decide whether such
 * text may go into a request, and what a listing shows of it. Plain C,
 * no Kamailio include.
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#ifndef PUSH_LIB_HELDROW_H
#define PUSH_LIB_HELDROW_H

#include <stddef.h>

/*
 * 1 when h (len bytes, at most max) is a run of header lines that can be
 * put into a request as they are: each ends with CRLF, none is empty (an
 * empty line would start the body), no bare CR or LF, no NUL. An empty
 * text is a valid run of none.
 */
int held_headers_ok(const char *h, size_t len, size_t max);

/*
 * The value of the feature tag tag (tag_len bytes) in the header lines h:
 * the text after "<tag>=" in the first line that carries it, without
 * quotes, up to a quote, ';', ',' or the line end, at most max bytes.
 * *off and *vlen locate it in h; 0 found, -1 not.
 */
int held_tag_value(const char *h, size_t len, const char *tag, size_t tag_len,
		size_t max, size_t *off, size_t *vlen);

#endif /* PUSH_LIB_HELDROW_H */
