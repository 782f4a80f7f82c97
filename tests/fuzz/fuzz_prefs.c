/*
 * libFuzzer harness: Accept-Contact, Reject-Contact, Request-Disposition
 * and request method/event parsing into one cp_prefs_t (input format in
 * fuzz_util.h)
 */

#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_opts o;
	struct fz_rec r;
	cp_prefs_t *p;

	fz_opts_scan(data, size, &o);
	p = fz_prefs_new(&o);
	while(fz_rec_next(&data, &size, &r))
		fz_pref_record(p, &r);
	free(p);
	return 0;
}
