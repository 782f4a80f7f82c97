/*
 * Reference views of a SIP message's framing (frame_model.h)
 */

#include <string.h>

#include "frame_model.h"

size_t frame_model_eoh(const char *m, size_t len)
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

int frame_model_canonical(const char *m, size_t len, size_t eoh)
{
	size_t start = 0, end;

	if(eoh == 0 || eoh > len || len - eoh < 2
			|| memcmp(m + eoh, "\r\n", 2) != 0)
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
		/* a folded line, or an empty one before eoh */
		if(start > 0
				&& (end == start || m[start] == ' ' || m[start] == '\t'))
			return 0;
		start = end + 2;
	}
	return 1;
}
