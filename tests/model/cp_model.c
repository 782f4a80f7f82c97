/*
 * Reference model shared by the engine's unit tests and fuzz harnesses
 */

#include <stdlib.h>
#include <string.h>

#include "cp_internal.h"
#include "cp_model.h"

size_t cp_model_intact(const char *e, size_t n, char *out, size_t size)
{
	static const char filler[] = "09zz.fillerf005+001a";
	const char *max = NULL;
	size_t maxlen = 0, pos = 0, len = 1, i;
	char *one;
	struct cp_tag t;

	/* the part is never longer than e, or than the filler */
	if(n == 0 || size < n || size < sizeof(filler)
			|| (one = malloc(n + 1)) == NULL)
		return 0;
	out[0] = one[0] = CP_ENC_VERSION;
	for(i = 0; e[0] == CP_ENC_VERSION && i < CP_MAX_PARAMS
			&& cp_tag_read(e + 1, n - 1, &pos, &t) == 1;
			i++) {
		const char *raw = t.name - 2;
		size_t rlen = (size_t)(t.items + t.ilen - raw);
		if(t.name < e + 3 || t.items + t.ilen > e + n) {
			free(one);
			return 0;
		}
		if(max && cp_name_cmp(max, maxlen, t.name, t.nlen) >= 0)
			continue;
		max = t.name;
		maxlen = t.nlen;
		/* this tag alone: are its name and value intact? */
		memcpy(one + 1, raw, rlen);
		if(cp_fset_validate(one, rlen + 1) != CP_OK)
			continue;
		memcpy(out + len, raw, rlen);
		len += rlen;
	}
	free(one);
	if(len == 1) {
		memcpy(out + 1, filler, sizeof(filler) - 1);
		len += sizeof(filler) - 1;
	}
	return cp_fset_validate(out, len) == CP_OK ? len : 0;
}
