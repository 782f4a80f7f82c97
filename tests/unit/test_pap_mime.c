/*
 * PAP request bodies split into their MIME entities (pap_split()) and
 * base64 (pap_base64_decode()): pap-notes TV-1, TV-2, TV-3 and the
 * transport cases of TV-5. The Content-Type and the body are copied to
 * exact-length heap buffers so ASan flags any read past the end; the
 * entities point into them, so they are freed after each test.
 */

#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "pap.h"
#include "util.h"

#define CRLF "\r\n"

#define TV1_CTYPE \
	"multipart/related; boundary=\"pap-b1\"; type=\"application/xml\""
#define TV1_B64 \
	"jIKYVDEAjZKKgI4CEACIBIECDhCDaHR0cDovL21tc2MuZXhhbXBsZS5uZXQvbS8xAA=="
#define TV1_CONTROL                                                     \
	"<?xml version=\"1.0\"?>" CRLF "<pap><push-message push-id=\"m1\">" \
	"<address address-value=\"WAPPUSH=+15551230001/TYPE=PLMN\"/>"       \
	"</push-message></pap>"
/* TV-1's body (its control entity shortened: pap_split does not read it) */
#define TV1_BODY                                                               \
	"--pap-b1" CRLF "Content-Type: application/xml" CRLF CRLF TV1_CONTROL CRLF \
	"--pap-b1" CRLF "Content-Type: application/vnd.wap.mms-message" CRLF       \
	"X-Wap-Application-Id: x-wap-application:mms.ua" CRLF                      \
	"Content-Transfer-Encoding: base64" CRLF CRLF TV1_B64 CRLF                 \
	"--pap-b1--" CRLF

static const unsigned char tv1_content[49] = {0x8c, 0x82, 0x98, 0x54, 0x31,
		0x00, 0x8d, 0x92, 0x8a, 0x80, 0x8e, 0x02, 0x10, 0x00, 0x88, 0x04, 0x81,
		0x02, 0x0e, 0x10, 0x83, 'h', 't', 't', 'p', ':', '/', '/', 'm', 'm',
		's', 'c', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'n', 'e', 't',
		'/', 'm', '/', '1', 0x00};

static char *ctype_copy, *body_copy;

static int free_copies(void **state)
{
	(void)state;
	free(ctype_copy);
	free(body_copy);
	ctype_copy = body_copy = NULL;
	return 0;
}

/* pap_split() of exact-length copies; the previous copies are freed. On
 * failure, the error must be a bad request pointing into the input. */
static int split(const char *ctype, const char *body, pap_submission_t *sub,
		pap_error_t *err)
{
	size_t cn, bn;
	int rc;

	free_copies(NULL);
	ctype_copy = dup_exact(ctype, &cn);
	body_copy = dup_exact(body, &bn);
	rc = pap_split(ctype_copy, cn, body_copy, bn, sub, err);
	if(rc != 0) {
		assert_int_equal(rc, PAP_BAD_REQUEST);
		assert_int_equal(err->code, PAP_BAD_REQUEST);
		assert_true(err->desc[0] != '\0');
		assert_true(err->fragment_len <= 128);
		if(err->fragment_len > 0)
			assert_true((err->fragment >= body_copy
								&& err->fragment + err->fragment_len
										   <= body_copy + bn)
						|| (err->fragment >= ctype_copy
								&& err->fragment + err->fragment_len
										   <= ctype_copy + cn));
		assert_null(sub->control.body);
		assert_null(sub->content.body);
	}
	return rc;
}

static void expect_text(const char *s, size_t n, const char *expect)
{
	if(n != strlen(expect) || memcmp(s, expect, n) != 0)
		fail_msg("'%.*s', expected '%s'", (int)n, s, expect);
}

static void test_tv1(void **state)
{
	pap_submission_t sub;
	pap_error_t err;
	unsigned char out[64];
	long n;

	(void)state;
	assert_int_equal(split(TV1_CTYPE, TV1_BODY, &sub, &err), 0);
	expect_text(sub.control.type, sub.control.type_len, "application/xml");
	expect_text(sub.control.body, sub.control.body_len, TV1_CONTROL);
	assert_null(sub.control.app_id);
	assert_int_equal(sub.control.base64, 0);
	expect_text(sub.content.type, sub.content.type_len,
			"application/vnd.wap.mms-message");
	expect_text(sub.content.app_id, sub.content.app_id_len,
			"x-wap-application:mms.ua");
	assert_int_equal(sub.content.base64, 1);
	expect_text(sub.content.body, sub.content.body_len, TV1_B64);
	assert_int_equal(sub.has_capabilities, 0);
	/* the entities point into the body */
	assert_true(sub.control.body > body_copy
				&& sub.content.type > sub.control.body);

	n = pap_base64_decode(
			sub.content.body, sub.content.body_len, out, sizeof(out));
	assert_int_equal(n, sizeof(tv1_content));
	assert_memory_equal(out, tv1_content, sizeof(tv1_content));
}

static void test_tv2_unquoted(void **state)
{
	static const char body[] =
			"--slp42" CRLF
			"Content-Type: application/xml; charset=UTF-8" CRLF CRLF
			"<pap/>" CRLF "--slp42" CRLF
			"Content-Type: application/vnd.omaloc-supl-init" CRLF
			"X-Wap-Application-Id: x-oma-application:ulp.ua" CRLF
			"Content-Transfer-Encoding: base64" CRLF CRLF
			"AABAAAWgscLT5PU=" CRLF "--slp42--" CRLF;
	static const unsigned char placeholder[11] = {
			0x00, 0x00, 0x40, 0x00, 0x05, 0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5};
	pap_submission_t sub;
	pap_error_t err;
	unsigned char out[16];

	(void)state;
	assert_int_equal(split("multipart/related; boundary=slp42; "
						   "type=application/xml",
							 body, &sub, &err),
			0);
	expect_text(sub.control.type, sub.control.type_len,
			"application/xml; charset=UTF-8");
	expect_text(sub.control.body, sub.control.body_len, "<pap/>");
	expect_text(sub.content.app_id, sub.content.app_id_len,
			"x-oma-application:ulp.ua");
	assert_int_equal(pap_base64_decode(sub.content.body, sub.content.body_len,
							 out, sizeof(out)),
			11);
	assert_memory_equal(out, placeholder, 11);
}

/* TV-3: no X-Wap-Application-Id (wml.ua is the caller's default), a
 * binary-safe text body, and a control entity of the wrong type. */
static void test_tv3(void **state)
{
	static const char si[] =
			"<?xml version=\"1.0\"?>" CRLF
			"<si><indication href=\"http://portal.example.net/n/1\">"
			"You have mail</indication></si>";
	static const char body[] =
			"--asdlfkjiurwgasf" CRLF "Content-Type: application/xml" CRLF CRLF
			"<pap/>" CRLF "--asdlfkjiurwgasf" CRLF
			"Content-Type: text/vnd.wap.si" CRLF CRLF
			"<?xml version=\"1.0\"?>" CRLF "<si><indication "
			"href=\"http://portal.example.net/n/1\">"
			"You have mail</indication></si>" CRLF "--asdlfkjiurwgasf--" CRLF;
	static const char ctype[] = "multipart/related; boundary=asdlfkjiurwgasf; "
								"type=\"application/xml\"";
	pap_submission_t sub;
	pap_error_t err;
	char *plain;
	const char *p;

	(void)state;
	assert_int_equal(split(ctype, body, &sub, &err), 0);
	assert_null(sub.content.app_id);
	assert_int_equal(sub.content.base64, 0);
	expect_text(sub.content.body, sub.content.body_len, si);

	plain = strdup(body);
	assert_non_null(plain);
	p = strstr(plain, "application/xml");
	memcpy(plain + (p - plain), "text/plain     ", 15);
	assert_int_equal(split(ctype, plain, &sub, &err), PAP_BAD_REQUEST);
	assert_non_null(strstr(err.desc, "control entity"));
	assert_true(err.fragment_len > 0);
	free(plain);
}

/* TV-5 and what else Push Initiators send. */
static void test_tolerated(void **state)
{
	static const struct
	{
		const char *ctype, *body, *control, *content;
	} cases[] = {
			/* bare LF line ends */
			{"multipart/related; boundary=b; type=application/xml",
					"--b\nContent-Type: application/xml\n\n<pap/>\n--b\n"
					"Content-Type: text/plain\n\nhello\n--b--\n",
					"<pap/>", "hello"},
			/* preamble and epilogue; transport padding after a delimiter */
			{"multipart/related;boundary=b",
					"This is a preamble\r\n--b \t\r\nContent-Type: "
					"application/xml\r\n\r\n<pap/>\r\n--b\r\nContent-Type: "
					"text/plain\r\n\r\nhello\r\n--b--  \r\nepilogue\r\n--b\r\n",
					"<pap/>", "hello"},
			/* header names and parameter names in any letter case; spaces */
			{"  Multipart/Related ; BOUNDARY = \"b b\" ; Type = \"text/xml\"  ",
					"--b b\r\ncontent-type:application/XML\r\n\r\n<pap/>\r\n"
					"--b b\r\nCONTENT-TYPE:   text/plain  \r\n"
					"x-wap-application-id: 4\r\n\r\nhello\r\n--b b--",
					"<pap/>", "hello"},
			/* a line that starts like a delimiter but is not one */
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain\r\n\r\n--bx\r\n--b-\r\n"
					"x--b\r\n--b--",
					"<pap/>", "--bx\r\n--b-\r\nx--b"},
			/* no blank line before a body: the first line that is no header */
			{"multipart/related; boundary=b",
					"--b\nContent-Type: application/xml\n<?xml "
					"version=\"1.0\"?>"
					"\n<pap/>\n--b\nContent-Type: text/plain\n--b--\n",
					"<?xml version=\"1.0\"?>\n<pap/>", ""},
			/* empty bodies; other headers are skipped */
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\nContent-ID: <c>"
					"\r\n\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
					"Content-Transfer-Encoding: 8BIT\r\nX-Other: a\tb\r\n\r\n"
					"\r\n--b--",
					"", ""},
			/* a boundary with characters of no token, unquoted */
			{"multipart/related; boundary=----=_Part_0:1",
					"------=_Part_0:1\r\nContent-Type: application/xml\r\n\r\n"
					"<pap/>\r\n------=_Part_0:1--",
					"<pap/>", NULL},
			/* an unknown parameter */
			{"multipart/related; start=\"<a;b>\"; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: "
					"text/plain;a=\"x;y\"\r\n\r\nhi\r\n--b--",
					"<pap/>", "hi"},
	};
	pap_submission_t sub;
	pap_error_t err;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if(split(cases[i].ctype, cases[i].body, &sub, &err) != 0)
			fail_msg("case %zu refused: %s", i, err.desc);
		expect_text(sub.control.body, sub.control.body_len, cases[i].control);
		if(cases[i].content == NULL)
			assert_null(sub.content.body);
		else
			expect_text(
					sub.content.body, sub.content.body_len, cases[i].content);
	}
	/* the application id of case 2, read from the content entity */
	assert_int_equal(split(cases[2].ctype, cases[2].body, &sub, &err), 0);
	expect_text(sub.content.app_id, sub.content.app_id_len, "4");
	expect_text(sub.content.type, sub.content.type_len, "text/plain");
}

static void test_entities(void **state)
{
	static const char ctl_only[] =
			"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n--b--";
	static const char three[] =
			"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
			"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
			"--b\r\nContent-Type: application/xml\r\n\r\n<rdf/>\r\n--b--";
	static const char four[] =
			"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
			"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
			"--b\r\nContent-Type: application/xml\r\n\r\n<rdf/>\r\n"
			"--b\r\nContent-Type: text/plain\r\n\r\nmore\r\n--b--";
	static const char app_in_control[] =
			"--b\r\nContent-Type: application/xml\r\n"
			"X-Wap-Application-Id: 4\r\n\r\n<pap/>\r\n"
			"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--";
	pap_submission_t sub;
	pap_error_t err;

	(void)state;
	/* the control entity alone */
	assert_int_equal(
			split("multipart/related; boundary=b", ctl_only, &sub, &err), 0);
	expect_text(sub.control.body, sub.control.body_len, "<pap/>");
	assert_null(sub.content.body);
	assert_int_equal(sub.has_capabilities, 0);

	assert_int_equal(
			split("multipart/related; boundary=b", three, &sub, &err), 0);
	expect_text(sub.content.body, sub.content.body_len, "hi");
	assert_int_equal(sub.has_capabilities, 1);

	assert_int_equal(split("multipart/related; boundary=b", four, &sub, &err),
			PAP_BAD_REQUEST);
	assert_non_null(strstr(err.desc, "more than 3"));

	/* X-Wap-Application-Id counts in the content entity only */
	assert_int_equal(
			split("multipart/related; boundary=b", app_in_control, &sub, &err),
			0);
	assert_null(sub.control.app_id);
	assert_null(sub.content.app_id);
}

static void test_single_entity(void **state)
{
	static const char *const good[] = {
			"application/xml",
			"text/xml",
			"Application/XML; charset=\"utf-8\"",
			" text/xml ;charset=utf-8 ",
	};
	pap_submission_t sub;
	pap_error_t err;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if(split(good[i], "<pap/>", &sub, &err) != 0)
			fail_msg("'%s' refused", good[i]);
		expect_text(sub.control.body, sub.control.body_len, "<pap/>");
		assert_non_null(sub.control.type);
		assert_null(sub.content.body);
		assert_int_equal(sub.has_capabilities, 0);
	}
	assert_int_equal(split("application/xml", "", &sub, &err), 0);
	assert_int_equal(sub.control.body_len, 0);
}

static void test_bad(void **state)
{
	static const char good_body[] =
			"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
			"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--";
	static const struct
	{
		const char *ctype, *body, *desc;
	} bad[] = {
			/* the request's Content-Type */
			{"", good_body, "Content-Type"},
			{"text/plain", "<pap/>", "neither"},
			{"application", "<pap/>", "malformed"},
			{"application/", "<pap/>", "malformed"},
			{"/xml", "<pap/>", "malformed"},
			{"application/xml junk", "<pap/>", "parameter"},
			{"application/xml;", "<pap/>", "parameter"},
			{"application/xml; a", "<pap/>", "parameter"},
			{"application/xml; a=", "<pap/>", "parameter"},
			{"application/xml; a=\"x", "<pap/>", "parameter"},
			{"application/xml\r\nX: y", "<pap/>", "malformed"},
			{"multipart/related", good_body, "boundary"},
			{"multipart/related; boundary=\"\"", good_body, "boundary"},
			{"multipart/related; boundary=\"b \"", good_body, "boundary"},
			{"multipart/related; boundary=\"b\\\"c\"", good_body, "boundary"},
			{"multipart/related; boundary=\"a<b\"", good_body, "boundary"},
			{"multipart/related; boundary="
			 "a2345678901234567890123456789012345678901234567890123456789012345"
			 "67"
			 "8901",
					good_body, "boundary"},
			{"multipart/related; boundary=b; type=text/plain", good_body,
					"type"},
			{"multipart/mixed; boundary=b", good_body, "neither"},
			/* the delimiters */
			{"multipart/related; boundary=c", good_body, "boundary line"},
			{"multipart/related; boundary=b", "", "empty"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n",
					"closing"},
			{"multipart/related; boundary=b", "--b--\r\n", "without an entity"},
			{"multipart/related; boundary=b", "--b", "boundary line"},
			/* the entities' headers */
			{"multipart/related; boundary=b", "--b\r\n\r\n<pap/>\r\n--b--",
					"without Content-Type"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nX-Wap-Application-Id: 4\r\n\r\nhi\r\n--b--",
					"without Content-Type"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
					"--b\r\n\r\n<rdf/>\r\n--b--",
					"without Content-Type"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: text/xml2\r\n\r\n<pap/>\r\n--b--",
					"control entity"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\nContent-Type: "
					"application/xml\r\n\r\n<pap/>\r\n--b--",
					"twice"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain\r\nX-Wap-Application-Id: 4"
					"\r\nX-WAP-APPLICATION-ID: 5\r\n\r\nhi\r\n--b--",
					"twice"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type:\r\n application/xml\r\n\r\n<pap/>\r\n"
					"--b--",
					"folded"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain\r\n"
					"Content-Transfer-Encoding: quoted-printable\r\n\r\nhi\r\n"
					"--b--",
					"Transfer-Encoding"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain\r\nX-Wap-Application-Id: "
					"a\rb\r\n\r\nhi\r\n--b--",
					"control character"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain\x01\r\n\r\nhi\r\n--b--",
					"control character"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text\r\n\r\nhi\r\n--b--",
					"malformed Content-Type"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: text/plain; x\r\n\r\nhi\r\n--b--",
					"parameter"},
			{"multipart/related; boundary=b",
					"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
					"--b\r\nContent-Type: "
					"text/plain<script>\r\n\r\nhi\r\n--b--",
					"parameter"},
	};
	pap_submission_t sub;
	pap_error_t err;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(split(bad[i].ctype, bad[i].body, &sub, &err) != PAP_BAD_REQUEST)
			fail_msg("case %zu accepted", i);
		if(strstr(err.desc, bad[i].desc) == NULL)
			fail_msg("case %zu: '%s' does not say '%s'", i, err.desc,
					bad[i].desc);
	}
	/* a NULL body is an empty one */
	assert_int_equal(
			pap_split("multipart/related; boundary=b", 29, NULL, 0, &sub, &err),
			PAP_BAD_REQUEST);
}

/* The fragment of an error points at the line that is wrong. */
static void test_fragment(void **state)
{
	static const char body[] =
			"--b\r\nContent-Type: application/xml\r\n\r\n<pap/>\r\n"
			"--b\r\nContent-Type: text/plain\r\n"
			"Content-Transfer-Encoding: uuencode\r\n\r\nhi\r\n--b--";
	pap_submission_t sub;
	pap_error_t err;

	(void)state;
	assert_int_equal(split("multipart/related; boundary=b", body, &sub, &err),
			PAP_BAD_REQUEST);
	assert_non_null(err.fragment);
	assert_true(err.fragment_len > 8);
	assert_non_null(memmem(err.fragment, err.fragment_len, "uuencode", 8));
}

static long b64(const char *in, unsigned char *out, size_t outsz)
{
	size_t n;
	char *c = dup_exact(in, &n);
	long rc = pap_base64_decode(c, n, out, outsz);

	free(c);
	return rc;
}

static void test_base64(void **state)
{
	static const struct
	{
		const char *in, *out;
	} good[] = {
			{"", ""},
			{"QQ==", "A"},
			{"QUI=", "AB"},
			{"QUJD", "ABC"},
			{"QUJDRA==", "ABCD"},
			/* whitespace and line ends anywhere, also after the padding */
			{" Q U\r\nJ\tD\nR A = =\r\n ", "ABCD"},
			{"QUJD\r\nREVG\r\n", "ABCDEF"},
			/* every character of the alphabet */
			{"+/+/", "\xfb\xff\xbf"},
			{"AAAA", "\0\0\0"},
	};
	static const char *const bad[] = {
			"Q",
			"QQ",
			"QQ=",
			"QUJ",
			"Q===",
			"====",
			"=QQQ",
			"Q=QQ",
			"QQ=Q",
			"QQ==QQ==",
			"QQ== QUJD",
			"QUJD=",
			"QU*D",
			"QU-D",
			"QU_D",
			"QUJ\x80",
			"QU\0D",
	};
	unsigned char out[64];
	size_t i, n;
	long got;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = i == sizeof(good) / sizeof(good[0]) - 1 ? 3 : strlen(good[i].out);
		got = b64(good[i].in, out, sizeof(out));
		if(got != (long)n)
			fail_msg("'%s': %ld bytes, expected %zu", good[i].in, got, n);
		assert_memory_equal(out, good[i].out, n);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(b64(bad[i], out, sizeof(out)) != -1)
			fail_msg("'%s' accepted", bad[i]);
	}
	/* a NUL inside is not whitespace */
	assert_int_equal(pap_base64_decode("QU\0D", 4, out, sizeof(out)), -1);
	/* the room: exactly, and one byte short */
	assert_int_equal(b64("QUJDRA==", out, 4), 4);
	assert_int_equal(b64("QUJDRA==", out, 3), -1);
	assert_int_equal(b64("QUJD", out, 2), -1);
	assert_int_equal(pap_base64_decode(NULL, 0, out, 0), 0);
	/* TV-1's content with line breaks, in the room pap.h promises */
	n = strlen(TV1_B64) * 3 / 4 + 3;
	assert_int_equal(b64("jIKYVDEAjZKKgI4CEACIBIECDhCD\r\naHR0cDovL21tc2MuZXh"
						 "hbXBsZS5uZXQvbS8xAA==\r\n",
							 out, n),
			49);
	assert_memory_equal(out, tv1_content, 49);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test_teardown(test_tv1, free_copies),
			cmocka_unit_test_teardown(test_tv2_unquoted, free_copies),
			cmocka_unit_test_teardown(test_tv3, free_copies),
			cmocka_unit_test_teardown(test_tolerated, free_copies),
			cmocka_unit_test_teardown(test_entities, free_copies),
			cmocka_unit_test_teardown(test_single_entity, free_copies),
			cmocka_unit_test_teardown(test_bad, free_copies),
			cmocka_unit_test_teardown(test_fragment, free_copies),
			cmocka_unit_test(test_base64),
	};
	return cmocka_run_group_tests_name("pap mime", tests, NULL, NULL);
}
