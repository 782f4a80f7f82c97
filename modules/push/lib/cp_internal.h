/*
 * push module - private declarations of the caller-preference engine
 *
 * The engine's files call only files listed above them, so that a change
 * to one can break only those below it:
 *
 *   cp_lex.c     token characters, base tags (cp_lex.h)
 *   cp_limits.c  default limits and their check
 *   cp_parse.c   feature parameters -> encoding; diagnostics, output sink
 *   cp_enc.c     reading, validating and rendering an encoding (the
 *                inline readers below use its cp_hex1)
 *   cp_prefs.c   Accept-Contact, Reject-Contact, Request-Disposition
 *   cp_find.c    a feature set among the Accept-Contact values
 *   cp_match.c   evaluation of targets
 *
 * Compact encoding of a feature set (version '2'), printable ASCII only:
 *
 *   enc   = "2" *tag              ; tags sorted by name (bytewise), unique
 *   tag   = HH name kind HHH 1*item
 *                                 ; HH: name length, HHH: bytes of all the
 *                                 ; items, lower-case hex digits
 *   name  = decoded RFC 2533 tag name, lower case ("sip.audio",
 *           "g.oma.pusheventapp", "language"; '!' -> ':', '\'' -> '/')
 *   kind  = "f" / "n" / "a"       ; token list whose allowed set is finite /
 *                                 ; everything but one token / everything
 *         / "F" / "N" / "A"       ; the same when every element is TRUE/FALSE
 *         / "s"                   ; string value
 *         / "#"                   ; numeric list
 *         / "i"                   ; +sip.instance with a string value: no
 *                                 ; items (HHH = 000); the value is the
 *                                 ; binding's instance, which registrar
 *                                 ; keeps already (cp_target_t.instance)
 *   item  = sign HHH bytes        ; token/boolean/string: HHH = byte count
 *         / sign 16HEX 16HEX      ; numeric: IEEE-754 bits of lo and hi
 *   sign  = "+" / "!"             ; "!" = negated element
 *
 * ";+g.oma.pusheventapp=\"mms.ua\"" is "212g.oma.pusheventappf00a+006mms.ua".
 * The items' byte count lets a reader step over a tag in O(1): evaluation
 * reads only the tags a predicate names (cp_match.c) and checks only their
 * values. Version '1' had no such count; it reads as junk.
 *
 * Tokens are stored lower case ("true"/"false" for booleans); string bytes
 * outside 0x20..0x7e and '%' itself are written as %XX (upper-case hex), so
 * equal strings have equal encodings. A numeric element is the closed
 * interval [lo, hi]: "#=x" is [x, x], "#>=x" is [x, +inf], "#<=x" is
 * [-inf, x], "#a:b" is [min, max]. A value whose items exceed 4095 bytes
 * (125 or more numbers) is CP_ERR_LIMIT. A caller-preference predicate is
 * stored as the same tag sequence without the version byte.
 */

#ifndef PUSH_CP_INTERNAL_H
#define PUSH_CP_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include "cpref.h"

#define CP_ENC_VERSION '2'
#define CP_NAME_MAX 255	   /* two hex digits of name length */
#define CP_ITEM_MAX 4095   /* three hex digits of item / items length */
#define CP_NUM_ITEM_LEN 33 /* sign + 2 x 16 hex digits */

/* Bytes of encoded predicates one cp_prefs_t can hold. Real requests use a
 * few hundred; more is CP_ERR_LIMIT. */
#define CP_PREFS_ARENA 16384

#define CP_K_NUM '#'
#define CP_K_STR 's'
#define CP_K_INSTANCE 'i'
/* Room for the items of an instance value (cp_instance_tag()): kind, HHH,
 * sign, HHH and every byte escaped. */
#define CP_INSTANCE_BUF (8 + 3 * CP_MAX_VALUE_LEN)

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

/* One tag of a predicate, read once when the predicate is added: offsets
 * into the arena, so that a cp_prefs_t may be copied. */
struct cp_ptag
{
	unsigned short name;  /* arena offset of the name */
	unsigned short items; /* arena offset of the first item */
	unsigned short ilen;  /* bytes of all items */
	unsigned char nlen;
	char kind;
};

/* Most tags the arena can hold: the shortest tag, "01xf005+001a", has 12
 * bytes. */
#define CP_PREFS_TAGS (CP_PREFS_ARENA / 12)

struct cp_pred
{
	unsigned int off; /* encoding in arena[] */
	unsigned int len;
	unsigned int tag0; /* its tags: ptag[tag0 .. tag0 + ntags) */
	unsigned int ntags;
	unsigned char require;
	unsigned char explicit;
	unsigned char reject;
};

struct cp_prefs
{
	cp_limits_t lim;
	int strict_explicit;
	int qa_fork_classes; /* cp_prefs_set_qa_fork_classes() */
	unsigned int disp;
	unsigned int n_accept;
	unsigned int n_reject;
	unsigned int npred;
	int has_implicit;
	struct cp_pred implicit;
	struct cp_pred pred[CP_MAX_PREDICATES];
	size_t arena_len;
	unsigned int nptag;
	/* init clears nothing from here on: both are read only up to
	 * arena_len / nptag */
	char arena[CP_PREFS_ARENA];
	struct cp_ptag ptag[CP_PREFS_TAGS];
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

/* Value + 1 of a lower-case hex digit, 0 for any other byte. */
extern const unsigned char cp_hex1[256];

static inline int cp_is_sign(const char *s, const char *end)
{
	return s < end && (*s == '+' || *s == '!');
}

/* Byte count of the token or string item at s (sign HHH bytes), -1 when
 * its header is malformed or it runs past end. */
static inline long cp_item_len(const char *s, const char *end)
{
	unsigned int h0, h1, h2;
	long n;

	if(end - s < 4)
		return -1;
	h0 = cp_hex1[(unsigned char)s[1]];
	h1 = cp_hex1[(unsigned char)s[2]];
	h2 = cp_hex1[(unsigned char)s[3]];
	if(!h0 || !h1 || !h2)
		return -1;
	n = (long)((h0 - 1) << 8 | (h1 - 1) << 4 | (h2 - 1));
	return end - s - 4 < n ? -1 : n;
}

/* Read the tag at *pos of a tag sequence of len bytes, checking its
 * structure only (name and items within bounds; not the bytes of the name,
 * the kind or the items, see cp_tag_check()): O(1) per tag. Returns 1 and
 * advances *pos, 0 at the end, -1 when malformed. */
static inline int cp_tag_read(
		const char *e, size_t len, size_t *pos, struct cp_tag *t)
{
	size_t p = *pos, rest = len - p, nlen, ilen;
	const unsigned char *s = (const unsigned char *)e + p;
	unsigned int h0, h1, i0, i1, i2;

	if(p >= len)
		return 0;
	if(rest < 7) /* HH, a name byte, kind, HHH */
		return -1;
	h0 = cp_hex1[s[0]];
	h1 = cp_hex1[s[1]];
	nlen = (size_t)((h0 - 1) << 4 | (h1 - 1));
	if(!h0 || !h1 || nlen == 0 || rest - 6 < nlen)
		return -1;
	s += 2 + nlen;
	i0 = cp_hex1[s[1]];
	i1 = cp_hex1[s[2]];
	i2 = cp_hex1[s[3]];
	ilen = (size_t)((i0 - 1) << 8 | (i1 - 1) << 4 | (i2 - 1));
	if(!i0 || !i1 || !i2 || (ilen == 0) != (s[0] == CP_K_INSTANCE)
			|| rest - 6 - nlen < ilen)
		return -1;
	t->name = e + p + 2;
	t->nlen = nlen;
	t->kind = (char)s[0];
	t->items = (const char *)s + 4;
	t->ilen = ilen;
	*pos = p + 6 + nlen + ilen;
	return 1;
}

/* Check the value of a tag from cp_tag_read() (kind, items, escapes,
 * numeric bounds; not the name). Returns 0, or -1 when it is damaged. */
int cp_tag_check(const struct cp_tag *t);

/* Turn t, a CP_K_INSTANCE tag, into the string tag of the instance value
 * inst ("<urn:...>", as in the Contact parameter), its items written to
 * buf. 0, or -1 when there is no instance or it is not a string value
 * that fits. */
int cp_instance_tag(const char *inst, size_t inst_len, char *buf, size_t size,
		struct cp_tag *t);

/* Trusted three-digit length of an item already checked. */
static inline size_t cp_hex3(const char *s)
{
	return (size_t)((cp_hex1[(unsigned char)s[0]] - 1) << 8
					| (cp_hex1[(unsigned char)s[1]] - 1) << 4
					| (cp_hex1[(unsigned char)s[2]] - 1));
}

/* IEEE-754 double of 16 trusted hex digits. */
double cp_hex_double(const char *s);

/* Next element of t from *pos (start at 0). Returns 1, or 0 at the end.
 * t must have passed cp_tag_check() or come from a validated sequence. */
static inline int cp_item_next(
		const struct cp_tag *t, size_t *pos, struct cp_item *it)
{
	const char *s = t->items + *pos;

	if(*pos >= t->ilen)
		return 0;
	it->neg = s[0] == '!';
	if(t->kind == CP_K_NUM) {
		it->s = NULL;
		it->len = 0;
		it->lo = cp_hex_double(s + 1);
		it->hi = cp_hex_double(s + 17);
		*pos += CP_NUM_ITEM_LEN;
		return 1;
	}
	it->s = s + 4;
	it->len = cp_hex3(s + 1);
	it->lo = it->hi = 0.0; /* defined, though unused for tokens */
	*pos += 4 + it->len;
	return 1;
}

/* Bytewise order of tag names, shorter first on a common prefix. Inline:
 * evaluation compares names of every tag it passes. Eight bytes at a time,
 * read big-endian so that integer order is byte order. */
static inline int cp_name_cmp(
		const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, n = alen < blen ? alen : blen;

	for(; n - i >= 8; i += 8) {
		unsigned long long x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if(x != y) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			x = __builtin_bswap64(x);
			y = __builtin_bswap64(y);
#endif
			return x < y ? -1 : 1;
		}
	}
	for(; i < n; i++) {
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
