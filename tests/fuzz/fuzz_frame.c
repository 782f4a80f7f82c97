/*
 * libFuzzer harness of sipframe_canonical(): never reads past the message
 * (ASan), and agrees with a reference written the other way round: split
 * the header section on CRLF and look at each line.
 *
 * Input: two bytes choosing the end of headers (offset into the rest, or
 * past it), then the message. With the first byte 0xff the end of headers
 * is where Kamailio's parser puts it (first line starting with CR or LF).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "sipframe.h"

static size_t kamailio_eoh(const char *m, size_t len)
{
	const char *lf = memchr(m, '\n', len);

	while(lf && (size_t)(lf + 1 - m) < len) {
		size_t line = (size_t)(lf + 1 - m);
		if(m[line] == '\r' || m[line] == '\n')
			return line;
		lf = memchr(m + line, '\n', len - line);
	}
	return len;
}

/* Canonical: m[0..eoh) is one or more lines each ending in CRLF, with no
 * CR, LF or NUL inside a line, no line but the first starting with SP or
 * HTAB, and CRLF follows at eoh. */
static int reference(const char *m, size_t len, size_t eoh)
{
	size_t start = 0, end;

	if(eoh > len || len - eoh < 2 || memcmp(m + eoh, "\r\n", 2) != 0
			|| eoh == 0)
		return 0;
	while(start < eoh) {
		for(end = start; end + 1 < eoh; end++) {
			if(m[end] == '\r' && m[end + 1] == '\n')
				break;
		}
		if(end + 1 >= eoh)
			return 0; /* a last line without CRLF */
		if(memchr(m + start, '\r', end - start)
				|| memchr(m + start, '\n', end - start)
				|| memchr(m + start, '\0', end - start))
			return 0;
		if(start > 0 && end > start && (m[start] == ' ' || m[start] == '\t'))
			return 0;
		/* an empty line inside: only where eoh says the headers end */
		if(start > 0 && end == start)
			return 0;
		start = end + 2;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sipframe_diag_t d = {NULL, 0};
	size_t len, eoh;
	char *m;
	int rc;

	if(size < 2)
		return 0;
	len = size - 2;
	m = fz_dup(data + 2, len);
	eoh = data[0] == 0xff ? kamailio_eoh(m, len)
						  : ((size_t)data[0] << 8 | data[1]) % (len + 3);
	rc = sipframe_canonical(m, len, eoh, &d);
	FZ_CHECK(rc == 0 || rc == 1);
	FZ_CHECK(rc == reference(m, len, eoh));
	if(rc == 0)
		FZ_CHECK(d.reason != NULL && d.offset <= len);
	free(m);
	return 0;
}
