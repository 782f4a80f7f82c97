/*
 * libFuzzer harness of the cluster's feature-set messages (syncmsg.h): any
 * body is read without going past its end (ASan), every record read lies
 * inside the body and keeps the limits, and writing the records read back
 * yields a body that reads as the same records (what one node writes,
 * another reads unchanged).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "syncmsg.h"

#define MAX_RECS 64

static int inside(const char *p, size_t n, const char *b, size_t len)
{
	return n <= len && p >= b && p + n <= b + len;
}

static int same(const syncmsg_rec_t *a, const syncmsg_rec_t *b)
{
	return a->last_modified == b->last_modified && a->cseq == b->cseq
		   && a->expires == b->expires && a->ruid_len == b->ruid_len
		   && memcmp(a->ruid, b->ruid, a->ruid_len) == 0
		   && a->aor_len == b->aor_len
		   && memcmp(a->aor, b->aor, a->aor_len) == 0
		   && a->table_len == b->table_len
		   && memcmp(a->table, b->table, a->table_len) == 0
		   && a->callid_len == b->callid_len
		   && memcmp(a->callid, b->callid, a->callid_len) == 0
		   && a->fset_len == b->fset_len
		   && memcmp(a->fset, b->fset, a->fset_len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static syncmsg_rec_t recs[MAX_RECS];
	static char out[MAX_RECS * SYNCMSG_REC_MAX + 64];
	char *body = fz_dup(data, size);
	syncmsg_rec_t r;
	size_t off = 0, out_len, prev;
	int kind, rc, n = 0, i;

	kind = syncmsg_kind(body, size, &off);
	if(kind != SYNCMSG_SETS) {
		free(body);
		return 0;
	}
	for(;;) {
		prev = off;
		rc = syncmsg_next(body, size, &off, &r);
		if(rc <= 0) {
			FZ_CHECK(off == prev);
			break;
		}
		FZ_CHECK(off > prev && off <= size);
		FZ_CHECK(inside(r.ruid, r.ruid_len, body, size));
		FZ_CHECK(inside(r.aor, r.aor_len, body, size));
		FZ_CHECK(inside(r.table, r.table_len, body, size));
		FZ_CHECK(inside(r.callid, r.callid_len, body, size));
		FZ_CHECK(inside(r.fset, r.fset_len, body, size));
		FZ_CHECK(r.ruid_len > 0 && r.ruid_len <= SYNCMSG_RUID_MAX);
		FZ_CHECK(r.aor_len > 0 && r.aor_len <= SYNCMSG_AOR_MAX);
		FZ_CHECK(r.table_len > 0 && r.table_len <= SYNCMSG_TABLE_MAX);
		FZ_CHECK(r.callid_len > 0 && r.callid_len <= SYNCMSG_CALLID_MAX);
		FZ_CHECK(r.fset_len > 0 && r.fset_len <= SYNCMSG_FSET_MAX);
		if(n < MAX_RECS)
			recs[n++] = r;
	}

	out_len = (size_t)syncmsg_begin(out, sizeof(out), SYNCMSG_SETS);
	for(i = 0; i < n; i++)
		FZ_CHECK(syncmsg_put(out, sizeof(out), &out_len, &recs[i]) == 0);
	off = 0;
	FZ_CHECK(syncmsg_kind(out, out_len, &off) == SYNCMSG_SETS);
	for(i = 0; i < n; i++) {
		FZ_CHECK(syncmsg_next(out, out_len, &off, &r) == 1);
		FZ_CHECK(same(&r, &recs[i]));
	}
	FZ_CHECK(syncmsg_next(out, out_len, &off, &r) == 0);
	free(body);
	return 0;
}
