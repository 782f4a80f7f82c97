/*
 * libFuzzer harness of the identity parser (pid.h): header bodies split at
 * NUL bytes into up to four identity headers of one request, and the whole
 * input as one identity the proxy would assert. Checks that nothing reads
 * past a body (ASan) and the invariants of what is kept: a kept value lies
 * inside its body, has the scheme it is kept for, and a URI of visible
 * characters only, so it can be forwarded as it is.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_util.h"
#include "pid.h"

#define MAX_BODIES 4

struct body
{
	char *s;
	size_t len;
};

static int inside(const char *p, size_t n, const struct body *b, int nb)
{
	int i;

	for(i = 0; i < nb; i++) {
		if(p >= b[i].s && n <= b[i].len && p + n <= b[i].s + b[i].len)
			return 1;
	}
	return 0;
}

static void check_uri(const char *uri, size_t len)
{
	size_t i;

	FZ_CHECK(len > 0);
	for(i = 0; i < len; i++)
		FZ_CHECK(uri[i] > 0x20 && uri[i] < 0x7f && uri[i] != '<'
				 && uri[i] != '>' && uri[i] != '"');
}

static void check_kept(
		const pid_value_t *v, enum pid_scheme scheme, const struct body *b,
		int nb)
{
	FZ_CHECK(v->scheme == scheme);
	FZ_CHECK(inside(v->text, v->text_len, b, nb));
	FZ_CHECK(inside(v->uri, v->uri_len, b, nb));
	FZ_CHECK(v->uri >= v->text && v->uri + v->uri_len <= v->text + v->text_len);
	check_uri(v->uri, v->uri_len);
	if(scheme == PID_TEL)
		FZ_CHECK(v->uri_len >= 4 && strncasecmp(v->uri, "tel:", 4) == 0);
	else
		FZ_CHECK((v->uri_len >= 4 && strncasecmp(v->uri, "sip:", 4) == 0)
				 || (v->uri_len >= 5 && strncasecmp(v->uri, "sips:", 5) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct body b[MAX_BODIES];
	const uint8_t *p = data, *end = data + size, *nul;
	pid_set_t set;
	unsigned int n, total = 0;
	const char *uri;
	size_t uri_len;
	char *whole;
	int nb = 0, i;

	pid_set_init(&set);
	while(nb < MAX_BODIES && p <= end) {
		nul = memchr(p, 0, end - p);
		if(nul == NULL || nb == MAX_BODIES - 1)
			nul = end;
		b[nb].len = (size_t)(nul - p);
		b[nb].s = fz_dup(p, b[nb].len);
		n = pid_set_add(&set, b[nb].s, b[nb].len);
		total += n;
		nb++;
		p = nul + 1;
	}
	FZ_CHECK(set.values == total || set.truncated);
	FZ_CHECK(set.dropped <= set.values);
	FZ_CHECK(set.malformed <= set.dropped);
	FZ_CHECK(set.values - set.dropped == (unsigned)(set.has_sip + set.has_tel));
	if(set.has_sip)
		check_kept(&set.sip, PID_SIP, b, nb);
	if(set.has_tel)
		check_kept(&set.tel, PID_TEL, b, nb);
	if(pid_set_well_formed(&set))
		FZ_CHECK(set.has_sip && set.dropped == 0);
	for(i = 0; i < nb; i++)
		free(b[i].s);

	whole = fz_dup(data, size);
	if(pid_parse_identity(whole, size, &uri, &uri_len)) {
		FZ_CHECK(uri >= whole && uri + uri_len <= whole + size);
		check_uri(uri, uri_len);
		FZ_CHECK(memchr(uri, ',', uri_len) == NULL);
	}
	free(whole);
	return 0;
}
