/*
 * push module - byte-level helpers of the PAP files: letter case, UTF-8
 * and the error reports (plain C, no Kamailio headers)
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pap_internal.h"

/* Bytes of context before the error position in a fragment; the rest of
 * PAP_FRAGMENT_MAX follows it. */
#define FRAGMENT_BEFORE 48

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

int pap_fail(pap_error_t *err, int code, const char *buf, size_t len,
		size_t off, const char *fmt, ...)
{
	va_list ap;
	size_t start, end, i;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->desc, sizeof(err->desc), fmt, ap);
	va_end(ap);
	for(i = 0; err->desc[i] != '\0'; i++) {
		if((unsigned char)err->desc[i] < 0x20
				|| (unsigned char)err->desc[i] > 0x7e)
			err->desc[i] = '?';
	}

	if(buf == NULL || len == 0) {
		err->fragment = NULL;
		err->fragment_len = 0;
		return code;
	}
	if(off > len)
		off = len;
	start = off > FRAGMENT_BEFORE ? off - FRAGMENT_BEFORE : 0;
	end = len - start > PAP_FRAGMENT_MAX ? start + PAP_FRAGMENT_MAX : len;
	/* whole UTF-8 characters only: the fragment is written into an XML
	 * answer */
	while(start < end && is_continuation(buf[start]))
		start++;
	if(end < len) {
		while(end > start && is_continuation(buf[end]))
			end--;
	}
	while(start < end && is_space(buf[start]))
		start++;
	while(end > start && is_space(buf[end - 1]))
		end--;
	err->fragment = buf + start;
	err->fragment_len = end - start;
	return code;
}

size_t pap_utf8_char(const char *s, size_t n, unsigned int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int c, min;
	size_t len, i;

	if(n == 0)
		return 0;
	if(u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if(u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2;
		c = u[0] & 0x1f;
		min = 0x80;
	} else if(u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3;
		c = u[0] & 0x0f;
		min = 0x800;
	} else if(u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if(n < len)
		return 0;
	for(i = 1; i < len; i++) {
		if((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if(c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int pap_iprefix(const char *s, size_t n, const char *lit)
{
	size_t i;

	for(i = 0; lit[i] != '\0'; i++) {
		if(i >= n || lower(s[i]) != lower(lit[i]))
			return 0;
	}
	return 1;
}

int pap_ieq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && pap_iprefix(s, n, lit);
}

const char *pap_find(const char *s, size_t n, const char *lit, size_t litlen)
{
	const char *p = s, *end = s + n, *hit;

	while((size_t)(end - p) >= litlen) {
		hit = memchr(p, lit[0], end - p - litlen + 1);
		if(hit == NULL)
			return NULL;
		if(memcmp(hit, lit, litlen) == 0)
			return hit;
		p = hit + 1;
	}
	return NULL;
}

void pap_trim(const char **s, size_t *n)
{
	while(*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while(*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}
