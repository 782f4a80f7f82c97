/*
 * push module - P-Asserted-Identity / P-Preferred-Identity values
 * (RFC 3325 section 9.1, RFC 5876 section 4.5), plain C
 *
 * A PAI set is normalised by keeping the first sip-or-sips URI and the first
 * tel URI; further values of a kind, other schemes and malformed values are
 * dropped and must never be forwarded. Nothing here allocates; all input is
 * (pointer, length) and nothing reads past it.
 */

#ifndef PUSH_PID_H
#define PUSH_PID_H

#include <stddef.h>

enum pid_scheme
{
	PID_OTHER = 0, /* a URI of another scheme (mailto:, http:, ...) */
	PID_SIP = 1,   /* sip: or sips: */
	PID_TEL = 2,   /* tel: */
};

/* One identity value, pointing into the parsed header body. */
typedef struct pid_value
{
	const char *text; /* the whole value, trimmed: [display] <uri> or uri */
	size_t text_len;
	const char *uri; /* the URI alone, without angle brackets */
	size_t uri_len;
	enum pid_scheme scheme;
} pid_value_t;

/* What the identity headers of one request carry, normalised. */
typedef struct pid_set
{
	pid_value_t sip; /* valid when has_sip */
	pid_value_t tel; /* valid when has_tel */
	int has_sip;
	int has_tel;
	unsigned int values;	/* values seen (parsed or skipped) */
	unsigned int dropped;	/* values not kept: extra, other scheme, bad */
	unsigned int malformed; /* of those, values that were not well formed */
	int truncated;			/* more than max_values values: rest skipped */
} pid_set_t;

/* Values parsed per request before the rest is skipped (and dropped). */
#define PID_MAX_VALUES 32

void pid_set_init(pid_set_t *set);

/*
 * Add the body of one identity header (one or more comma-separated values,
 * each a name-addr "[display-name] <URI>" or an addr-spec "URI", LWS
 * allowed). Each value is classified and kept or dropped as above; parsing
 * stops after PID_MAX_VALUES values in the whole set (truncated is set and
 * the rest counts as one dropped value). A value is malformed when it is
 * empty, has an unterminated quote or '<', text after '>' other than LWS or
 * ';' header parameters, an addr-spec containing LWS, a URI without
 * "scheme:" followed by at least one character, a URI character that is
 * not visible ASCII or is '<', '>' or '"', or a control character outside
 * LWS. Returns the number of values of this body.
 */
unsigned int pid_set_add(pid_set_t *set, const char *body, size_t len);

/* 1 when nothing was dropped and the set holds one sip/sips value and at
 * most one tel value: what RFC 3325 9.1 allows, less a lone tel value. */
int pid_set_well_formed(const pid_set_t *set);

/*
 * 1 when s[0..len) is a single identity a proxy may assert: a sip:, sips:
 * or tel: URI, optionally in angle brackets, no LWS, no ',' and nothing
 * else; *uri/uri_len then point at the URI without brackets. 0 otherwise.
 */
int pid_parse_identity(const char *s, size_t len, const char **uri,
		size_t *uri_len);

#endif /* PUSH_PID_H */
