/*
 * push module - finding a feature set among a request's Accept-Contact
 * values (no Kamailio headers)
 */

#include <string.h>

#include "cpref.h"
#include "cp_internal.h"

/* 1 when the tag sequence seq has a tag equal to t (name, kind and
 * elements, byte for byte in the canonical encoding). */
static int seq_has_tag(const char *seq, size_t len, const struct cp_tag *t)
{
	struct cp_tag o;
	size_t pos = 0;

	while(cp_tag_read(seq, len, &pos, &o) == 1) {
		if(o.nlen == t->nlen && memcmp(o.name, t->name, t->nlen) == 0)
			return o.kind == t->kind && o.ilen == t->ilen
				   && memcmp(o.items, t->items, t->ilen) == 0;
	}
	return 0;
}

int cp_prefs_has_accept(const cp_prefs_t *p, const char *enc, size_t enc_len,
		int need_require, int need_explicit)
{
	unsigned int i;

	if(enc_len < 2 || cp_fset_validate(enc, enc_len) != CP_OK)
		return 0;
	for(i = 0; i < p->npred; i++) {
		const struct cp_pred *pr = &p->pred[i];
		const char *seq = p->arena + pr->off;
		struct cp_tag t;
		size_t pos = 1; /* after the version byte */
		int all = 1;

		if(pr->reject || (need_require && !pr->require)
				|| (need_explicit && !pr->explicit))
			continue;
		while(all && cp_tag_read(enc, enc_len, &pos, &t) == 1)
			all = seq_has_tag(seq, pr->len, &t);
		if(all)
			return 1;
	}
	return 0;
}
