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

static int rec_ok(const syncmsg_rec_t *r)
{
	return r->ruid_len > 0 && r->ruid_len <= SYNCMSG_RUID_MAX
		   && r->aor_len > 0 && r->aor_len <= SYNCMSG_AOR_MAX
		   && r->table_len > 0 && r->table_len <= SYNCMSG_TABLE_MAX
		   && r->callid_len > 0 && r->callid_len <= SYNCMSG_CALLID_MAX
		   && r->fset_len > 0 && r->fset_len <= SYNCMSG_FSET_MAX
		   && r->last_modified >= 0 && r->expires >= 0
		   && r->last_modified < 1000000000000LL
		   && r->expires < 1000000000000LL;
}

/* "<n>:<bytes>" at p (room for it checked by the caller) */
static char *put_field(char *p, char sep, const char *s, size_t n)
{
	p += sprintf(p, "%c%zu:", sep, n);
	memcpy(p, s, n);
	return p + n;
}

int syncmsg_put(char *buf, size_t size, size_t *len, const syncmsg_rec_t *r)
{
	char line[SYNCMSG_REC_MAX];
	char *p = line;
	size_t n;

	if(!rec_ok(r))
		return -1;
	p += sprintf(p, "%lld %u %lld", r->last_modified, r->cseq, r->expires);
	p = put_field(p, ' ', r->ruid, r->ruid_len);
	p = put_field(p, ' ', r->aor, r->aor_len);
	p = put_field(p, ' ', r->table, r->table_len);
	p = put_field(p, ' ', r->callid, r->callid_len);
	p = put_field(p, ' ', r->fset, r->fset_len);
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

	if(p >= len)
		return 0;
	if(get_num(body, len, &p, SYNCMSG_TIME_DIGITS, ' ', &lm) < 0
			|| get_num(body, len, &p, 10, ' ', &cseq) < 0 || cseq > UINT_MAX
			|| get_num(body, len, &p, SYNCMSG_TIME_DIGITS, ' ', &exp) < 0
			|| get_field(body, len, &p, SYNCMSG_RUID_MAX, ' ', &r->ruid,
					   &r->ruid_len)
					   < 0
			|| get_field(body, len, &p, SYNCMSG_AOR_MAX, ' ', &r->aor,
					   &r->aor_len)
					   < 0
			|| get_field(body, len, &p, SYNCMSG_TABLE_MAX, ' ', &r->table,
					   &r->table_len)
					   < 0
			|| get_field(body, len, &p, SYNCMSG_CALLID_MAX, ' ', &r->callid,
					   &r->callid_len)
					   < 0
			|| get_field(body, len, &p, SYNCMSG_FSET_MAX, '\n', &r->fset,
					   &r->fset_len)
					   < 0)
		return -1;
	r->last_modified = (long long)lm;
	r->cseq = (unsigned int)cseq;
	r->expires = (long long)exp;
	*off = p;
	return 1;
}
