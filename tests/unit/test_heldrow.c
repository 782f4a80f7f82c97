/*
 * The text checks of held pushes (heldrow.h): which stored header lines
 * may go into a request, and the application a listing shows. Inputs are
 * copied to exact-length heap buffers so ASan flags any read past the end.
 */

#include <stdlib.h>
#include <string.h>

#include "heldrow.h"
#include "util.h"

static int headers_ok(const char *h, size_t max)
{
	size_t n;
	char *c = dup_exact(h, &n);
	int rc = held_headers_ok(c, n, max);

	free(c);
	return rc;
}

static void test_headers_good(void **state)
{
	(void)state;
	assert_true(headers_ok("", 100));
	assert_true(headers_ok("A: b\r\n", 100));
	assert_true(headers_ok("Accept-Contact: *;+g.oma.pusheventapp=\"mms.ua\""
						   "\r\nContent-Type: text/plain\r\n",
			100));
	/* a folded line is a line of its own that does not start the body */
	assert_true(headers_ok("A: b\r\n c\r\n", 100));
	assert_true(headers_ok("A: b\r\n", 6));
}

static void test_headers_bad(void **state)
{
	static const char *const bad[] = {
			"A: b",			 /* no line end */
			"A: b\n",		 /* bare LF */
			"A: b\r",		 /* CR at the end */
			"A: b\rc: d\r\n", /* bare CR */
			"\r\n",			 /* an empty line: the body would start */
			"A: b\r\n\r\n",	 /* ... after a header */
			"A: b\r\n\r\nMESSAGE sip:x SIP/2.0\r\n",
			"A: b\n\r\n",
	};
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(headers_ok(bad[i], 100))
			fail_msg("case %zu accepted", i);
	}
	assert_false(headers_ok("A: b\r\n", 5));
	/* a NUL inside */
	assert_false(held_headers_ok("A: \0b\r\n", 7, 100));
}

static int tag_value(const char *h, const char *tag, size_t max, char *out)
{
	size_t n, off, vlen;
	char *c = dup_exact(h, &n);
	int rc = held_tag_value(c, n, tag, strlen(tag), max, &off, &vlen);

	if(rc == 0) {
		memcpy(out, c + off, vlen);
		out[vlen] = '\0';
	}
	free(c);
	return rc;
}

static void test_tag_value(void **state)
{
	static const char *tag = "+g.oma.pusheventapp";
	char v[64];

	(void)state;
	assert_int_equal(tag_value("Accept-Contact: *;+g.oma.pusheventapp="
							   "\"mms.ua\";require\r\n",
							 tag, 32, v),
			0);
	assert_string_equal(v, "mms.ua");
	/* unquoted, another case, the end of the text */
	assert_int_equal(tag_value("a: *;+G.OMA.PUSHEVENTAPP=ulp", tag, 32, v), 0);
	assert_string_equal(v, "ulp");
	/* bounded */
	assert_int_equal(tag_value("a: *;+g.oma.pusheventapp=\"abcdef\"", tag, 3, v),
			0);
	assert_string_equal(v, "abc");
	/* the first line that has it; the value stops at the line end */
	assert_int_equal(tag_value("X: y\r\na: *;+g.oma.pusheventapp=a\r\nb: "
							   "+g.oma.pusheventapp=b\r\n",
							 tag, 32, v),
			0);
	assert_string_equal(v, "a");
	/* empty value */
	assert_int_equal(tag_value("a: +g.oma.pusheventapp=;x", tag, 32, v), 0);
	assert_string_equal(v, "");
	/* absent, or the tag without '=' or at the very end */
	assert_int_equal(tag_value("a: *;+g.oma.other=\"x\"", tag, 32, v), -1);
	assert_int_equal(tag_value("a: *;+g.oma.pusheventapp;x", tag, 32, v), -1);
	assert_int_equal(tag_value("a: +g.oma.pusheventapp", tag, 32, v), -1);
	assert_int_equal(tag_value("", tag, 32, v), -1);
	assert_int_equal(tag_value("a=b", "", 32, v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_headers_good),
			cmocka_unit_test(test_headers_bad),
			cmocka_unit_test(test_tag_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
