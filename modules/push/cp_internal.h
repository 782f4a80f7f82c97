/*
 * push module - private declarations of the caller-preference engine
 *
 * Compact encoding of a feature set (version '1'), printable ASCII only:
 *
 *   enc   = "1" *tag              ; tags sorted by name (bytewise), unique
 *   tag   = HH name kind 1*item   ; HH: name length, 2 lower-case hex digits
 *   name  = decoded RFC 2533 tag name, lower case ("sip.audio",
 *           "g.oma.pusheventapp", "language"; '!' -> ':', '\'' -> '/')
 *   kind  = "f" / "n" / "a"       ; token list whose allowed set is finite /
 *                                 ; everything but one token / everything
 *         / "F" / "N" / "A"       ; the same when every element is TRUE/FALSE
 *         / "s"                   ; string value
 *         / "#"                   ; numeric list
 *   item  = sign HHH bytes        ; token/boolean/string: HHH = byte count
 *         / sign 16HEX 16HEX      ; numeric: IEEE-754 bits of lo and hi
 *   sign  = "+" / "!"             ; "!" = negated element
 *
 * Tokens are stored lower case ("true"/"false" for booleans); string bytes
 * outside 0x20..0x7e and '%' itself are written as %XX (upper-case hex), so
 * equal strings have equal encodings. A numeric element is the closed
 * interval [lo, hi]: "#=x" is [x, x], "#>=x" is [x, +inf], "#<=x" is
 * [-inf, x], "#a:b" is [min, max]. A caller-preference predicate is stored
 * as the same tag sequence without the version byte.
 */

#ifndef PUSH_CP_INTERNAL_H
#define PUSH_CP_INTERNAL_H

#include <stddef.h>
#include "cpref.h"

#define CP_ENC_VERSION '1'
#define CP_NAME_MAX 255	   /* two hex digits of name length */
#define CP_ITEM_MAX 4095   /* three hex digits of item length */
#define CP_NUM_ITEM_LEN 33 /* sign + 2 x 16 hex digits */

/* Bytes of encoded predicates one cp_prefs_t can hold. Real requests use a
 * few hundred; more is CP_ERR_LIMIT. */
#define CP_PREFS_ARENA 16384

#define CP_K_NUM '#'
#define CP_K_STR 's'

/* Bits of the boolean domain {TRUE, FALSE}. */
#define CP_BOOL_TRUE 1
#define CP_BOOL_FALSE 2

/* One tag of an encoding, pointing into it. */
struct cp_tag
{
	const char *name;
	size_t nlen;
	char kind;
	const char *items; /* first item */
	size_t ilen;	   /* bytes of all items */
};

/* One element of a tag value, pointing into the encoding. */
struct cp_item
{
	int neg;
	const char *s; /* token / string bytes (not for numerics) */
	size_t len;
	double lo, hi; /* numerics only */
};

struct cp_pred
{
	unsigned int off; /* encoding in arena[] */
	unsigned int len;
	unsigned int ntags;
	unsigned char require;
	unsigned char explicit;
	unsigned char reject;
};

struct cp_prefs
{
	cp_limits_t lim;
	int strict_explicit;
	unsigned int disp;
	unsigned int n_accept;
	unsigned int n_reject;
	unsigned int npred;
	int has_implicit;
	struct cp_pred implicit;
	struct cp_pred pred[CP_MAX_PREDICATES];
	size_t arena_len;
	char arena[CP_PREFS_ARENA]; /* last member: init does not clear it */
};

/* ---- parser (cp_parse.c) ---- */

/* Fill diag (when given) and return rc. */
int cp_fail(cp_diag_t *diag, int rc, const char *reason, size_t offset);

enum cp_pmode
{
	CP_PM_CONTACT, /* Contact header parameters */
	CP_PM_ACCEPT,  /* parameters of one Accept-Contact value, after '*' */
	CP_PM_REJECT,  /* parameters of one Reject-Contact value, after '*' */
};

/* Output buffer that keeps counting when full (buf NULL: count only). */
struct cp_sink
{
	char *buf;
	size_t size;
	size_t len;
};

void cp_put(struct cp_sink *o, const char *s, size_t n);

/* What one parameter list carried. */
struct cp_pinfo
{
	unsigned int ntags;
	int require;
	int explicit;
};

/* Skip LWS (SP, HTAB, CRLF or LF followed by SP/HTAB) from pos. */
size_t cp_skip_lws(const char *s, size_t len, size_t pos);

/* Parse parameters from *pos until the end (Contact) or a top-level ','
 * (Accept/Reject, *pos is left on it) and append the tags, sorted, to out.
 * Returns CP_OK or a negative cp_rc with diag set; out overflow is left to
 * the caller (out->len > out->size). */
int cp_params_encode(const char *s, size_t len, size_t *pos, enum cp_pmode mode,
		const cp_limits_t *lim, struct cp_sink *out, struct cp_pinfo *info,
		cp_diag_t *diag);

/* Lower-case ASCII without locale. */
static inline unsigned char cp_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* ---- reader (cp_enc.c) ---- */

/* Read the tag at *pos of a tag sequence of len bytes, checking structure
 * only. Returns 1 and advances *pos, 0 at the end, -1 when malformed. */
int cp_tag_read(const char *e, size_t len, size_t *pos, struct cp_tag *t);

/* Next element of t from *pos (start at 0). Returns 1, or 0 at the end.
 * t must come from a validated sequence. */
int cp_item_next(const struct cp_tag *t, size_t *pos, struct cp_item *it);

/* Allowed-set class of a token list (see kind above) from its elements;
 * tokens compare case-insensitively. */
char cp_list_kind(const struct cp_item *it, size_t n);

/* Bytewise order of tag names, shorter first on a common prefix. Inline:
 * evaluation compares names of every target, and they differ early. */
static inline int cp_name_cmp(
		const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;

	for(i = 0; i < n; i++) {
		if(a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
	}
	return alen < blen ? -1 : (alen > blen);
}

/* Validate a full encoding (version byte included) and list its tags in
 * tags[0..*n). Returns 0 or CP_ERR_SYNTAX. */
int cp_fset_index(const char *enc, size_t len, struct cp_tag *tags, size_t max,
		size_t *n);

#endif /* PUSH_CP_INTERNAL_H */
