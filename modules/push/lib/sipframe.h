/*
 * push module - canonical framing of a SIP message's header section, plain C
 *
 * Parsers disagree on where a header line or the header section ends when
 * a message uses a bare LF, a bare CR or folded lines: Kamailio ends the
 * header section at the first line that starts with CR or LF, a device may
 * split on CRLF only. A header hidden from the proxy that way reaches the
 * device unchecked (a forged P-Asserted-Identity, for one). A message in
 * canonical form leaves no room for that: every line of the header section
 * ends in CRLF, no other CR or LF occurs, no line is folded, no byte is
 * NUL, and the empty line that ends it is CRLF. Nothing here allocates or
 * reads past the given length.
 */

#ifndef PUSH_SIPFRAME_H
#define PUSH_SIPFRAME_H

#include <stddef.h>

typedef struct sipframe_diag
{
	const char *reason; /* static text, e.g. "bare LF in header section" */
	size_t offset;		/* byte offset of the problem in the message */
} sipframe_diag_t;

/*
 * Check the header section of the message buf[0..len) (start line
 * included) that the proxy's parser ended at offset eoh, the start of the
 * empty line. Returns 1 when it is canonical as above, 0 otherwise with
 * diag (when given) saying why and where. eoh > len is never canonical.
 */
int sipframe_canonical(
		const char *buf, size_t len, size_t eoh, sipframe_diag_t *diag);

#endif /* PUSH_SIPFRAME_H */
