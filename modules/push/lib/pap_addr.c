/*
 * push module - PAP address values and push application ids (plain C, no
 * Kamailio headers)
 *
 * An address value (PPG Service, WAP-249) is WAPPUSH=<client>/TYPE=<type>
 * [@<ppg>]; only the USER and PLMN types name something a SIP proxy can
 * reach. Application ids come from the OMNA Push Application ID registry.
 */

#include <string.h>

#include "pap_internal.h"

/* E.164: at most 15 digits */
#define E164_MAX_DIGITS 15

/* Visible ASCII, except what would let a URI run into its surroundings
 * (RFC 3261 25.1: none of these occurs in a sip, sips or tel URI). */
static int is_uri_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"';
}

/* RFC 3261 25.1: user = 1*( unreserved / escaped / user-unreserved ), the
 * value being percent-decoded already (so no '%'). */
static int is_user_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9')
		   || (c != '\0' && strchr("-_.!~*'()&=+$,;?/", c) != NULL);
}

static int hex_value(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into out (n bytes at least); its length, or -1
 * for a malformed escape or a byte a URI cannot carry. */
static long decode_value(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	int hi, lo;
	unsigned char c;

	for(i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if(c == '%') {
			if(n - i < 3 || (hi = hex_value(s[i + 1])) < 0
					|| (lo = hex_value(s[i + 2])) < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if(!is_uri_char(c))
			return -1;
		out[o++] = (char)c;
	}
	return (long)o;
}

/* scheme, user and, unless domain is NULL, "@" domain into out,
 * NUL-terminated: 0, or PAP_ADDRESS_ERROR when they do not fit. */
static int compose(char *out, size_t outsz, const char *scheme,
		const char *user, size_t user_len, const char *domain)
{
	size_t ls = strlen(scheme), ld = domain != NULL ? strlen(domain) : 0;
	size_t need = ls + user_len + (domain != NULL ? 1 + ld : 0) + 1;

	if(outsz < need)
		return PAP_ADDRESS_ERROR;
	memcpy(out, scheme, ls);
	memcpy(out + ls, user, user_len);
	if(domain != NULL) {
		out[ls + user_len] = '@';
		memcpy(out + ls + user_len + 1, domain, ld);
	}
	out[need - 1] = '\0';
	return 0;
}

static int is_domain(const char *domain)
{
	size_t i;

	if(domain == NULL || domain[0] == '\0')
		return 0;
	for(i = 0; domain[i] != '\0'; i++) {
		if(!is_uri_char((unsigned char)domain[i]) || domain[i] == '@')
			return 0;
	}
	return 1;
}

/* +<digits>, 1 to 15 digits. */
static int is_e164(const char *s, size_t n)
{
	size_t i;

	if(n < 2 || n > 1 + E164_MAX_DIGITS || s[0] != '+')
		return 0;
	for(i = 1; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

static int is_user(const char *s, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++) {
		if(!is_user_char((unsigned char)s[i]))
			return 0;
	}
	return n > 0;
}

/* A sip:, sips: or tel: URI with something after the scheme. */
static int is_sip_or_tel(const char *s, size_t n)
{
	return (pap_iprefix(s, n, "sip:") && n > 4)
		   || (pap_iprefix(s, n, "sips:") && n > 5)
		   || (pap_iprefix(s, n, "tel:") && n > 4);
}

int pap_address_uri(const char *addr, size_t len, const char *domain, char *out,
		size_t outsz)
{
	static const char wappush[] = "WAPPUSH=", type_kw[] = "/TYPE=";
	char value[PAP_MAX_ADDRESS];
	const char *v, *type, *type_end, *end;
	long vlen;

	if(len < sizeof(wappush) - 1 || !pap_iprefix(addr, len, wappush))
		return PAP_ADDRESS_ERROR;
	end = addr + len;
	v = addr + sizeof(wappush) - 1;
	/* the first "/TYPE=" in any letter case: a USER value escapes its '/' */
	for(type = v; type < end; type++) {
		if(pap_iprefix(type, end - type, type_kw))
			break;
	}
	if(type == end || (size_t)(type - v) > sizeof(value))
		return PAP_ADDRESS_ERROR;
	vlen = decode_value(v, type - v, value);
	if(vlen <= 0)
		return PAP_ADDRESS_ERROR;
	type += sizeof(type_kw) - 1;
	type_end = memchr(type, '@', end - type);
	if(type_end == NULL)
		type_end = end;

	if(pap_ieq(type, type_end - type, "PLMN")) {
		if(!is_e164(value, vlen) || !is_domain(domain))
			return PAP_ADDRESS_ERROR;
		return compose(out, outsz, "sip:", value, vlen, domain);
	}
	if(!pap_ieq(type, type_end - type, "USER"))
		return PAP_ADDRESS_ERROR;
	/* a URI is taken as it is, a user name gets the domain */
	if(is_sip_or_tel(value, vlen))
		return compose(out, outsz, "", value, vlen, NULL);
	if(!is_user(value, vlen) || !is_domain(domain))
		return PAP_ADDRESS_ERROR;
	return compose(out, outsz, "sip:", value, vlen, domain);
}

/* The OMNA Push Application ID registry, well-known values (numbers as
 * mirrored in Kannel's wsp_strings.def). tag: the +g.oma.pusheventapp
 * value, the URN without its NID; NULL when that is no RFC 3840 token
 * (cpm:ua) or names no application (the "any" wildcard). */
static const struct omna_app
{
	unsigned int number;
	const char *urn;
	const char *tag;
} omna[] = {
		{0x00, "x-wap-application:*", NULL},
		{0x01, "x-wap-application:push.sia", "push.sia"},
		{0x02, "x-wap-application:wml.ua", "wml.ua"},
		{0x03, "x-wap-application:wta.ua", "wta.ua"},
		{0x04, "x-wap-application:mms.ua", "mms.ua"},
		{0x05, "x-wap-application:push.syncml", "push.syncml"},
		{0x06, "x-wap-application:loc.ua", "loc.ua"},
		{0x07, "x-wap-application:syncml.dm", "syncml.dm"},
		{0x08, "x-wap-application:drm.ua", "drm.ua"},
		{0x09, "x-wap-application:emn.ua", "emn.ua"},
		{0x0a, "x-wap-application:wv.ua", "wv.ua"},
		{0x10, "x-oma-application:ulp.ua", "ulp.ua"},
		{0x11, "x-oma-application:dlota.ua", "dlota.ua"},
		{0x12, "x-oma-application:java-ams", "java-ams"},
		{0x13, "x-oma-application:bcast.ua", "bcast.ua"},
		{0x14, "x-oma-application:dpe.ua", "dpe.ua"},
		{0x15, "x-oma-application:cpm:ua", NULL},
		{0x16, "x-oma-application:evvm.ua", "evvm.ua"},
};

#define N_OMNA (sizeof(omna) / sizeof(omna[0]))

/* The default application of a push without X-Wap-Application-Id. */
#define DEFAULT_APP "x-wap-application:wml.ua"

/* Numbers above this are no well-known value (OMNA: 0x0000-0x7fff). */
#define OMNA_NUMBER_MAX 0xffff

/* 1 when s[0..n) is the number (decimal, or hex after 0x) of a
 * registered application, its URN in *urn; 0 when s is not a number, -1
 * when it is the number of no registered application. */
static int app_number(const char *s, size_t n, const char **urn)
{
	unsigned long v = 0;
	size_t i = 0;
	int base = 10, d;

	if(n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for(; i < n; i++) {
		d = hex_value(s[i]);
		if(d < 0 || d >= base)
			return 0;
		if(v <= OMNA_NUMBER_MAX)
			v = v * base + d;
	}
	for(i = 0; i < N_OMNA; i++) {
		if(omna[i].number == v) {
			*urn = omna[i].urn;
			return 1;
		}
	}
	return -1;
}

int pap_app_canon(const char *id, size_t len, char *out, size_t outsz)
{
	const char *s = id, *urn;
	size_t n = len, i;
	int rc;

	if(id == NULL) {
		s = DEFAULT_APP;
		n = sizeof(DEFAULT_APP) - 1;
	}
	pap_trim(&s, &n);
	if(n == 0)
		return -1;
	rc = app_number(s, n, &urn);
	if(rc < 0)
		return -1;
	if(rc > 0) {
		s = urn;
		n = strlen(urn);
	}
	if(n >= outsz)
		return -1;
	for(i = 0; i < n; i++) {
		if((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return -1;
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	}
	out[n] = '\0';
	return 0;
}

const char *pap_app_registered_tag(const char *canon)
{
	size_t i, n;

	if(canon == NULL)
		return NULL;
	n = strlen(canon);
	for(i = 0; i < N_OMNA; i++) {
		if(omna[i].tag != NULL
				&& (pap_ieq(canon, n, omna[i].urn)
						|| pap_ieq(canon, n, omna[i].tag)))
			return omna[i].tag;
	}
	return NULL;
}
