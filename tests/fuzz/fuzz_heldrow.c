/*
 * libFuzzer harness of the held-push text checks (heldrow.h), the text a
 * hold table gives back, edited by anyone: checks that nothing reads past
 * the text (ASan), that text held_headers_ok() accepts ends a line, has
 * no NUL, no bare CR or LF and no empty line, and that a feature tag
 * value lies inside the text, within its bound, free of quotes and
 * separators.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "heldrow.h"

#define TAG "+g.oma.pusheventapp"
#define MAX_VALUE 16

static void check_accepted(const char *h, size_t len)
{
	size_t i;

	FZ_CHECK(len == 0 || (len >= 2 && h[len - 2] == '\r' && h[len - 1] == '\n'));
	for(i = 0; i < len; i++) {
		FZ_CHECK(h[i] != '\0');
		if(h[i] == '\r')
			FZ_CHECK(i + 1 < len && h[i + 1] == '\n');
		if(h[i] == '\n')
			FZ_CHECK(i > 0 && h[i - 1] == '\r');
		if(h[i] == '\r' && i + 3 < len)
			FZ_CHECK(!(h[i + 2] == '\r' && h[i + 3] == '\n'));
	}
	FZ_CHECK(len < 2 || !(h[0] == '\r' && h[1] == '\n'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = fz_dup(data, size);
	size_t off, vlen, i;

	if(held_headers_ok(h, size, size))
		check_accepted(h, size);
	FZ_CHECK(held_headers_ok(h, size, size ? size - 1 : 0) == 0 || size == 0);
	if(held_tag_value(h, size, TAG, sizeof(TAG) - 1, MAX_VALUE, &off, &vlen)
			== 0) {
		FZ_CHECK(off <= size && vlen <= size - off && vlen <= MAX_VALUE);
		for(i = off; i < off + vlen; i++)
			FZ_CHECK(h[i] != '"' && h[i] != ';' && h[i] != ','
					 && h[i] != '\r' && h[i] != '\n');
	}
	free(h);
	return 0;
}
