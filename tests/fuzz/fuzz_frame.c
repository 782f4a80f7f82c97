/*
 * libFuzzer harness of sipframe_canonical(): never reads past the message
 * (ASan), and agrees with the reference of frame_model.h, written the other
 * way round: split the header section on CRLF and look at each line.
 *
 * Input: two bytes choosing the end of headers (offset into the rest, or
 * past it), then the message. With the first byte 0xff the end of headers
 * is where Kamailio's parser puts it (first line starting with CR or LF).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame_model.h"
#include "fuzz_util.h"
#include "sipframe.h"

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
	eoh = data[0] == 0xff ? frame_model_eoh(m, len)
						  : ((size_t)data[0] << 8 | data[1]) % (len + 3);
	rc = sipframe_canonical(m, len, eoh, &d);
	FZ_CHECK(rc == 0 || rc == 1);
	FZ_CHECK(rc == frame_model_canonical(m, len, eoh));
	if(rc == 0)
		FZ_CHECK(d.reason != NULL && d.offset <= len);
	free(m);
	return 0;
}
