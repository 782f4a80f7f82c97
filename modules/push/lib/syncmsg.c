/*
 * push module - the messages proxies of a cluster exchange to share the
 * bindings' feature sets (plain C, no Kamailio headers)
 */

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "syncmsg.h"

static const char magic_sync[] = "push-fsets/1 sync\n";
static const char magic_sets[] = "push-fsets/1 sets\n";

int syncmsg_begin(char *buf, size_t size, int kind)
{
	const char *m = kind == SYNCMSG_SYNC ? magic_sync : magic_sets;
	size_t n = strlen(m);

	if(n > size)
		return -1;
	memcpy(buf, m, n);
	return (int)n;
}

/* The length-prefixed fields of a record, in message order. */
#define N_FIELDS 5

typedef struct field
{
	const char **s;
	size_t *len;
	size_t max;
} field_t;

static void fields_of(syncmsg_rec_t *r, field_t *f)
{
	f[0] = (field_t){&r->ruid, &r->ruid_len, SYNCMSG_RUID_MAX};
	f[1] = (field_t){&r->aor, &r->aor_len, SYNCMSG_AOR_MAX};
	f[2] = (field_t){&r->table, &r->table_len, SYNCMSG_TABLE_MAX};
	f[3] = (field_t){&r->callid, &r->callid_len, SYNCMSG_CALLID_MAX};
	f[4] = (field_t){&r->fset, &r->fset_len, SYNCMSG_FSET_MAX};
}

/* decimal digits of last_modified and expires: SYNCMSG_TIME_DIGITS */
#define TIME_LIMIT 1000000000000LL

int syncmsg_put(char *buf, size_t size, size_t *len, const syncmsg_rec_t *r)
{
	char line[SYNCMSG_REC_MAX];
	char *p = line;
	syncmsg_rec_t rec = *r;
	field_t f[N_FIELDS];
	size_t n;
	int i;

	if(r->last_modified < 0 || r->last_modified >= TIME_LIMIT
			|| r->expires < 0 || r->expires >= TIME_LIMIT)
		return -1;
	fields_of(&rec, f);
	for(i = 0; i < N_FIELDS; i++) {
		if(*f[i].len == 0 || *f[i].len > f[i].max)
			return -1;
	}
	p += sprintf(p, "%lld %u %lld", r->last_modified, r->cseq, r->expires);
	for(i = 0; i < N_FIELDS; i++) {
		p += sprintf(p, " %zu:", *f[i].len);
		memcpy(p, *f[i].s, *f[i].len);
		p += *f[i].len;
	}
	*p++ = '\n';
	n = (size_t)(p - line);
	if(*len > size || n > size - *len)
		return -1;
	memcpy(buf + *len, line, n);
	*len += n;
	return 0;
}

int syncmsg_kind(const char *body, size_t len, size_t *off)
{
	size_t n = sizeof(magic_sync) - 1;

	if(len >= n && memcmp(body, magic_sync, n) == 0) {
		*off = n;
		return SYNCMSG_SYNC;
	}
	n = sizeof(magic_sets) - 1;
	if(len >= n && memcmp(body, magic_sets, n) == 0) {
		*off = n;
		return SYNCMSG_SETS;
	}
	return -1;
}

/* An unsigned decimal of at most digits digits at body[*off], then sep. */
static int get_num(const char *body, size_t len, size_t *off, int digits,
		char sep, unsigned long long *v)
{
	size_t p = *off;
	int d = 0;

	*v = 0;
	while(p < len && body[p] >= '0' && body[p] <= '9') {
		if(++d > digits)
			return -1;
		*v = *v * 10 + (unsigned long long)(body[p] - '0');
		p++;
	}
	if(d == 0 || p >= len || body[p] != sep)
		return -1;
	*off = p + 1;
	return 0;
}

/* "<n>:<bytes>" then sep, 0 < n <= max */
static int get_field(const char *body, size_t len, size_t *off, size_t max,
		char sep, const char **s, size_t *n)
{
	unsigned long long v;

	if(get_num(body, len, off, 4, ':', &v) < 0 || v == 0 || v > max)
		return -1;
	if(len - *off <= v || body[*off + v] != sep)
		return -1;
	*s = body + *off;
	*n = (size_t)v;
	*off += v + 1;
	return 0;
}

int syncmsg_next(const char *body, size_t len, size_t *off, syncmsg_rec_t *r)
{
	unsigned long long lm, cseq, exp;
	size_t p = *off;
	field_t f[N_FIELDS];
	int i;

	if(p >= len)
		return 0;
	if(get_num(body, len, &p, SYNCMSG_TIME_DIGITS, ' ', &lm) < 0
			|| get_num(body, len, &p, 10, ' ', &cseq) < 0 || cseq > UINT_MAX
			|| get_num(body, len, &p, SYNCMSG_TIME_DIGITS, ' ', &exp) < 0)
		return -1;
	fields_of(r, f);
	for(i = 0; i < N_FIELDS; i++) {
		if(get_field(body, len, &p, f[i].max, i == N_FIELDS - 1 ? '\n' : ' ',
				   f[i].s, f[i].len)
				< 0)
			return -1;
	}
	r->last_modified = (long long)lm;
	r->cseq = (unsigned int)cseq;
	r->expires = (long long)exp;
	*off = p;
	return 1;
}
