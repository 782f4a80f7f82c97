/*
 * push module - the messages proxies of a cluster exchange to share the
 * bindings' feature sets (plain C, no Kamailio headers)
 *
 * A message is a first line naming its kind, then, for SYNCMSG_SETS, one
 * line per binding:
 *
 *   push-fsets/1 sets\n
 *   <last_modified> <cseq> <expires> <n>:<ruid> <n>:<aor> <n>:<table>
 *       <n>:<callid> <n>:<fset>\n    (one line)
 *
 * where each <n>:<bytes> gives the length of the bytes that follow (the
 * AoR may hold any byte), and the numbers are decimal. SYNCMSG_SYNC
 * ("push-fsets/1 sync\n", nothing after) asks the other nodes for every
 * feature set they hold. Everything read is bounded by the limits below,
 * whatever the message claims.
 */

#ifndef PUSH_SYNCMSG_H
#define PUSH_SYNCMSG_H

#include <stddef.h>

#define SYNCMSG_SYNC 1
#define SYNCMSG_SETS 2

#define SYNCMSG_RUID_MAX 128
#define SYNCMSG_AOR_MAX 1024
#define SYNCMSG_TABLE_MAX 64
#define SYNCMSG_CALLID_MAX 255
#define SYNCMSG_FSET_MAX 512
/* decimal digits of last_modified and expires (seconds since the epoch) */
#define SYNCMSG_TIME_DIGITS 12
/* the longest record line */
#define SYNCMSG_REC_MAX                                                 \
	(3 * (SYNCMSG_TIME_DIGITS + 1) + SYNCMSG_RUID_MAX + SYNCMSG_AOR_MAX \
			+ SYNCMSG_TABLE_MAX + SYNCMSG_CALLID_MAX + SYNCMSG_FSET_MAX    \
			+ 5 * 6)

/* One binding's feature set. last_modified, cseq and callid are those of
 * the REGISTER that stored this version of the binding. */
typedef struct syncmsg_rec
{
	long long last_modified;
	unsigned int cseq;
	long long expires; /* absolute; 0: never */
	const char *ruid;
	size_t ruid_len;
	const char *aor;
	size_t aor_len;
	const char *table;
	size_t table_len;
	const char *callid;
	size_t callid_len;
	const char *fset;
	size_t fset_len;
} syncmsg_rec_t;

/* Write the first line of a message of kind into buf. Its length, or -1
 * when size is too small. */
int syncmsg_begin(char *buf, size_t size, int kind);

/* Append record r to the message in buf (*len bytes so far). 0, or -1
 * when it does not fit in size or breaks a limit (nothing written). */
int syncmsg_put(char *buf, size_t size, size_t *len, const syncmsg_rec_t *r);

/* The kind of the message body, *off set after its first line; -1 when
 * it is not one of these messages. */
int syncmsg_kind(const char *body, size_t len, size_t *off);

/* The record at *off (pointers into body), *off moved past it: 1; 0 at the
 * end of the body; -1 when the record is malformed (the rest of the body
 * is not read). */
int syncmsg_next(const char *body, size_t len, size_t *off, syncmsg_rec_t *r);

#endif /* PUSH_SYNCMSG_H */
