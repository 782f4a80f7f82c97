/*
 * push module - base64 (RFC 4648 section 4), HTTP Basic credentials
 * (RFC 7617) and the comparison of secrets, for the PAP front end (plain
 * C, no Kamailio headers)
 */

#include <string.h>

#include "pap_internal.h"

/* The value of each base64 character plus one; 0 for the others. */
/* clang-format off */
static const unsigned char b64_value[256] = {
		['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
		['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
		['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
		['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
		['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
		['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
		['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
		['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
		['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
		['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
		['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
		['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
		['+'] = 63, ['/'] = 64,
};
/* clang-format on */

/* Base64 text read one quantum (four characters, three bytes) at a time;
 * whitespace anywhere is skipped. */
struct b64_reader
{
	const char *p, *end;
	int done; /* a padded quantum was read: only whitespace may follow */
};

static int is_b64_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The bytes of the next quantum into out: 1 to 3, 0 at the end of the
 * text, -1 when it is not base64 (a foreign character, '=' other than at
 * the end of the last quantum, or an incomplete quantum).
 */
static int b64_next(struct b64_reader *r, unsigned char out[3])
{
	unsigned int v[4], bits;
	int k = 0, pad = 0;

	while(k < 4) {
		if(r->p == r->end)
			return k == 0 ? 0 : -1;
		if(is_b64_space(*r->p)) {
			r->p++;
			continue;
		}
		if(r->done)
			return -1;
		if(*r->p == '=') {
			/* "xx==" or "xxx=" */
			if(k < 2)
				return -1;
			pad++;
			v[k++] = 0;
		} else {
			if(pad > 0 || b64_value[(unsigned char)*r->p] == 0)
				return -1;
			v[k++] = b64_value[(unsigned char)*r->p] - 1u;
		}
		r->p++;
	}
	bits = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
	out[0] = (unsigned char)(bits >> 16);
	out[1] = (unsigned char)(bits >> 8);
	out[2] = (unsigned char)bits;
	r->done = pad > 0;
	return 3 - pad;
}

long pap_base64_decode(
		const char *in, size_t len, unsigned char *out, size_t outsz)
{
	struct b64_reader r;
	unsigned char q[3];
	size_t n = 0;
	int got;

	if(len == 0)
		return 0;
	r.p = in;
	r.end = in + len;
	r.done = 0;
	while((got = b64_next(&r, q)) > 0) {
		if(outsz - n < (size_t)got)
			return -1;
		memcpy(out + n, q, got);
		n += got;
	}
	return got < 0 ? -1 : (long)n;
}

/* Append c to buf[0..*n) of size bytes, leaving room for the NUL. */
static int append(char *buf, size_t size, size_t *n, char c)
{
	if(*n + 1 >= size)
		return -1;
	buf[(*n)++] = c;
	return 0;
}

int pap_basic_credentials(const char *value, size_t len, char *user,
		size_t usize, char *password, size_t psize)
{
	struct b64_reader r;
	const char *s = value;
	size_t n = len, un = 0, pn = 0, i;
	unsigned char q[3];
	int got, in_user = 1;

	if(usize == 0 || psize == 0)
		return -1;
	pap_trim(&s, &n);
	if(n < 6 || !pap_iprefix(s, n, "basic") || (s[5] != ' ' && s[5] != '\t'))
		return -1;
	r.p = s + 6;
	r.end = s + n;
	r.done = 0;
	while((got = b64_next(&r, q)) > 0) {
		for(i = 0; i < (size_t)got; i++) {
			if(q[i] < 0x20 || q[i] == 0x7f)
				return -1;
			if(in_user && q[i] == ':')
				in_user = 0;
			else if(append(in_user ? user : password, in_user ? usize : psize,
							in_user ? &un : &pn, (char)q[i])
					!= 0)
				return -1;
		}
	}
	if(got < 0 || in_user)
		return -1;
	user[un] = '\0';
	password[pn] = '\0';
	return 0;
}

int pap_secret_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen > blen ? alen : blen, i;
	/* volatile: no early exit once a difference is known */
	volatile unsigned char diff = alen != blen;

	for(i = 0; i < n; i++)
		diff |= (unsigned char)((i < alen ? a[i] : 0) ^ (i < blen ? b[i] : 0));
	return diff == 0;
}
