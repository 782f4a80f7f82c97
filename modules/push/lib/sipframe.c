/*
 * push module - canonical framing of a SIP message's header section, plain C
 */

#include "sipframe.h"

static int refuse(sipframe_diag_t *diag, const char *reason, size_t offset)
{
	if(diag) {
		diag->reason = reason;
		diag->offset = offset;
	}
	return 0;
}

int sipframe_canonical(
		const char *buf, size_t len, size_t eoh, sipframe_diag_t *diag)
{
	size_t i;

	if(eoh > len || len - eoh < 2 || buf[eoh] != '\r' || buf[eoh + 1] != '\n')
		return refuse(diag, "empty line after the headers is not CRLF",
				eoh > len ? len : eoh);
	if(eoh < 2 || buf[eoh - 2] != '\r' || buf[eoh - 1] != '\n')
		return refuse(diag, "last header line does not end in CRLF", eoh);
	/* one pass; every CR must start a CRLF, every LF end one */
	for(i = 0; i < eoh; i++) {
		switch(buf[i]) {
			case '\0':
				return refuse(diag, "NUL byte in the headers", i);
			case '\r':
				if(buf[i + 1] != '\n')
					return refuse(diag, "bare CR in the headers", i);
				i++;
				/* i + 1 <= eoh: the CRLF before eoh ends the last line */
				if(i + 1 == eoh)
					break;
				if(buf[i + 1] == ' ' || buf[i + 1] == '\t')
					return refuse(diag, "folded header line", i + 1);
				/* the headers end earlier than eoh says */
				if(buf[i + 1] == '\r' && buf[i + 2] == '\n')
					return refuse(diag, "empty line inside the headers", i + 1);
				break;
			case '\n':
				return refuse(diag, "bare LF in the headers", i);
		}
	}
	return 1;
}
