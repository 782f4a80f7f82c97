/*
 * Reference views of a SIP message's framing for the tests of sipframe.h:
 * where Kamailio's parser ends the header section, and the canonical form
 * checked line by line (the module checks it byte by byte).
 */

#ifndef PUSH_FRAME_MODEL_H
#define PUSH_FRAME_MODEL_H

#include <stddef.h>

/* Where Kamailio ends the headers of m[0..len): the first line after the
 * start line that begins with CR or LF (a header line ends at LF); len
 * when there is none. */
size_t frame_model_eoh(const char *m, size_t len);

/* 1 when m[0..eoh) is one or more lines each ending in CRLF, with no CR,
 * LF or NUL inside a line, no line but the first starting with SP or HTAB
 * or empty, and CRLF follows at eoh; 0 otherwise. */
int frame_model_canonical(const char *m, size_t len, size_t eoh);

#endif /* PUSH_FRAME_MODEL_H */
