/*
 * Canonical framing of a header section (sipframe.h): the header/body
 * boundary differentials of the hardening issue, each with the end of
 * headers where Kamailio's parser puts it. Every message is copied to an
 * exact-length heap buffer so ASan flags any read past the end.
 */

#include <stdlib.h>
#include <string.h>

#include "frame_model.h"
#include "sipframe.h"
#include "util.h"

#define HEAD                                     \
	"MESSAGE sip:alice@push.example.net SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n" \
	"CSeq: 1 MESSAGE\r\n"
#define PAI "P-Asserted-Identity: <sip:evil@push.example.net>\r\n"
#define TAIL "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\npush"

/* sipframe_canonical() of m (NUL-terminated), ended where Kamailio ends
 * it; the reason of a refusal in *why. */
static int check(const char *m, const char **why)
{
	size_t len = strlen(m);
	char *c = malloc(len ? len : 1);
	sipframe_diag_t d = {NULL, 0};
	int rc;

	assert_non_null(c);
	memcpy(c, m, len);
	rc = sipframe_canonical(c, len, frame_model_eoh(c, len), &d);
	assert_int_equal(rc, frame_model_canonical(c, len, frame_model_eoh(c, len)));
	free(c);
	if(rc == 0) {
		assert_non_null(d.reason);
		assert_true(d.offset <= len);
	}
	if(why)
		*why = d.reason;
	return rc;
}

static void canonical_accepted(void **state)
{
	(void)state;
	assert_int_equal(check(HEAD PAI TAIL, NULL), 1);
	/* LWS inside a line is not folding */
	assert_int_equal(check(HEAD "X-Info: a \t b\r\n" TAIL, NULL), 1);
	/* a body may hold anything */
	assert_int_equal(check(HEAD TAIL "\n\r\r\n \n", NULL), 1);
}

/* The finding 1: the PAI line is body to Kamailio, a header to a
 * device that splits on CRLF. */
static void boundary_differentials_refused(void **state)
{
	static const char *variants[] = {
			HEAD "X-Info: a\n\r\n" PAI TAIL,
			HEAD "X-Info: a\r\n\r" PAI TAIL,
			HEAD "X-Info: a\r\n\n" PAI TAIL,
			HEAD "X-Info: a\n\n" PAI TAIL,
	};
	const char *why;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		assert_int_equal(check(variants[i], &why), 0);
		assert_non_null(why);
	}
}

static void bare_cr_lf_and_folding_refused(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(check(HEAD "X-Info: a\rP-Asserted-Identity: <sip:e@x>\r\n" TAIL, &why), 0);
	assert_string_equal(why, "bare CR in the headers");
	assert_int_equal(check(HEAD "X-Info: a\r\n P-Asserted-Identity: <sip:e@x>\r\n" TAIL, &why), 0);
	assert_string_equal(why, "folded header line");
	assert_int_equal(check(HEAD "X-Info: a\r\n\tb\r\n" TAIL, &why), 0);
	assert_string_equal(why, "folded header line");
	assert_int_equal(check("MESSAGE sip:a@b SIP/2.0\nVia: x\r\n" TAIL, &why), 0);
	assert_string_equal(why, "bare LF in the headers");
	assert_int_equal(check(HEAD "X-Info: a\n" TAIL, &why), 0);
	assert_string_equal(why, "bare LF in the headers");
}

static void nul_and_truncation_refused(void **state)
{
	static const char nul[] = HEAD "X-Info: a\0b\r\n" TAIL;
	sipframe_diag_t d;
	char *c = malloc(sizeof(nul) - 1);
	size_t len = sizeof(nul) - 1;

	(void)state;
	assert_non_null(c);
	memcpy(c, nul, len);
	assert_int_equal(sipframe_canonical(c, len, frame_model_eoh(c, len), &d), 0);
	assert_string_equal(d.reason, "NUL byte in the headers");
	/* the end of headers lies past the message, or at its last byte */
	assert_int_equal(sipframe_canonical(c, len, len + 1, &d), 0);
	assert_int_equal(sipframe_canonical(c, len, len - 1, &d), 0);
	assert_int_equal(sipframe_canonical(c, 0, 0, &d), 0);
	free(c);
	/* no empty line at all */
	assert_int_equal(check(HEAD, NULL), 0);
	/* the empty line right after the start line only */
	assert_int_equal(check("MESSAGE sip:a@b SIP/2.0\r\n\r\n", NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(canonical_accepted),
			cmocka_unit_test(boundary_differentials_refused),
			cmocka_unit_test(bare_cr_lf_and_folding_refused),
			cmocka_unit_test(nul_and_truncation_refused),
	};

	return cmocka_run_group_tests_name("framing", tests, NULL, NULL);
}
