/*
 * Feature sets (RFC 3840 section 9): Contact parameters -> compact encoding
 * -> rendering, and validation of stored encodings
 */

#include <stdio.h>
#include <string.h>

#include "util.h"

/* Encoding of s, asserting success. */
static const char *enc_ok(const char *s, char *out)
{
	cp_diag_t d = {0};
	size_t n;

	if(enc(s, out, &n, &d) < 0)
		fail_msg("'%s': %s at %zu", s, d.reason, d.offset);
	assert_int_equal(strlen(out), n);
	return out;
}

static void assert_enc(const char *params, const char *expect)
{
	char out[CP_FSET_MAX];

	assert_string_equal(enc_ok(params, out), expect);
}

static void assert_same_enc(const char *a, const char *b)
{
	char ea[CP_FSET_MAX], eb[CP_FSET_MAX];

	assert_string_equal(enc_ok(a, ea), enc_ok(b, eb));
}

static void push_contact_example(void **state)
{
	static const char *p = ";+sip.instance=\"<urn:uuid:aa>\";"
						   "+g.oma.pusheventapp=\"mms.ua,ulp.ua\";"
						   "methods=\"MESSAGE,OPTIONS\"";
	char out[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;

	(void)state;
	/* the storage layout example of the manual */
	assert_int_equal(enc(";" PT "=\"mms.ua\"", out, &n, &d), 1);
	assert_string_equal(out, "212g.oma.pusheventappf00a+006mms.ua");
	assert_int_equal(n, 35);
	assert_int_equal(enc(p, out, &n, &d), 3);
	assert_string_equal(out, "2"
							 "12g.oma.pusheventappf014+006mms.ua+006ulp.ua"
							 "0csip.instancei000"
							 "0bsip.methodsf016+007message+007options");
	assert_int_equal(n, 102);
}

/* spec-notes 3.2: a full push REGISTER Contact fits one usrloc value. */
static void typical_contact_fits(void **state)
{
	static const char *p =
			";expires=600000\r\n  ;+sip.instance=\"<urn:gsma:imei:35123456-"
			"789012-0>\";+g.3gpp.smsip\r\n  ;+g.oma.pusheventapp=\"mms.ua,"
			"ulp.ua\";methods=\"INVITE,ACK,BYE,CANCEL,MESSAGE,OPTIONS\"";
	char out[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;

	(void)state;
	assert_int_equal(enc(p, out, &n, &d), 4);
	assert_true(n <= 256);
}

static void base_tags(void **state)
{
	static const char *base[] = {"audio", "automata", "class", "duplex", "data",
			"control", "mobility", "description", "events", "priority",
			"methods", "schemes", "application", "video", "isfocus", "actor",
			"text", "extensions"};
	char params[64], expect[64];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		snprintf(params, sizeof(params), ";%s", base[i]);
		snprintf(expect, sizeof(expect), "2%02zxsip.%sF008+004true",
				strlen(base[i]) + 4, base[i]);
		assert_enc(params, expect);
		/* names are case-insensitive; "+sip.<base>" is the same tag */
		snprintf(params, sizeof(params), ";+SIP.%s", base[i]);
		assert_enc(params, expect);
	}
	assert_enc("language=\"en\"", "208languagef006+002en");
	assert_enc("TYPE=\"x\"", "204typef005+001x");
	assert_enc("+Language=\"EN\"", "208languagef006+002en");
}

static void plus_names_decoded(void **state)
{
	(void)state;
	assert_enc("+Foo!Bar'Baz.1-%x", "210foo:bar/baz.1-%xF008+004true");
	assert_enc("+x", "201xF008+004true");
}

static void non_feature_params_ignored(void **state)
{
	char out[CP_FSET_MAX];
	cp_diag_t d;
	size_t n = 99;

	(void)state;
	assert_int_equal(enc(";q=0.5;expires=600;reg-id=1;pub-gruu=\"sip:a@b;"
						 "gr=urn:uuid:1,x\";foo;bar=baz;require;explicit;"
						 "uri-user=\"<Y1>\";host=[2001:db8::1]",
							 out, &n, &d),
			0);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	assert_int_equal(enc("", out, &n, &d), 0);
	assert_int_equal(n, 0);
	assert_same_enc(";q=1;audio;expires=3", "audio");
}

static void lws_and_leading_semicolon(void **state)
{
	(void)state;
	assert_same_enc("  audio ;\r\n\tvideo = \"FALSE\" ;\n +x\t=\t\"a\" ",
			";audio;video=\"FALSE\";+x=\"a\"");
}

static void plus_base_skipped(void **state)
{
	(void)state;
	assert_same_enc("video;+video=\"FALSE\"", "video");
	assert_same_enc("+VIDEO=\"FALSE\";video", "video");
	assert_same_enc("language=\"en\";+language=\"de\"", "language=\"en\"");
	/* alone, "+video" is the tag "video", not "sip.video" */
	assert_enc("+video", "205videoF008+004true");
	/* "+sip.video" is "video" spelled as its tag name (found by fuzzing:
	 * both were kept, and the rendering ";video;+video" re-encoded
	 * without "+video") */
	assert_same_enc("+SIP.Video;+video=\"FALSE\"", "video");
	assert_same_enc("+sip.isfocus;+isfocus", "isfocus");
	assert_enc("+sip.video", "209sip.videoF008+004true");
}

static void booleans(void **state)
{
	(void)state;
	assert_same_enc("audio=\"TRUE\"", "audio");
	assert_same_enc("audio=\"tRuE\"", "audio");
	assert_enc("audio=\"FaLsE\"", "209sip.audioF009+005false");
	assert_enc("audio=\"!TRUE\"", "209sip.audioN008!004true");
	assert_enc("audio=\"TRUE,FALSE\"", "209sip.audioF011+004true+005false");
	assert_enc("audio=\"TRUE,!TRUE\"", "209sip.audioA010+004true!004true");
	/* a mixed list is a token list */
	assert_enc("+b=\"TRUE,foo\"", "201bf00f+004true+003foo");
}

static void token_lists(void **state)
{
	(void)state;
	assert_enc("+x=\"B,a\"", "201xf00a+001b+001a");
	assert_enc("+x=\"B,!a\"", "201xn00a+001b!001a");
	assert_enc("+x=\"!a,!A\"", "201xn00a!001a!001a");
	assert_enc("+x=\"!a,!b\"", "201xa00a!001a!001b");
	assert_enc("+x=\"a,!A\"", "201xa00a+001a!001a");
	assert_same_enc("+x=\"a , b\"", "+x=\"a,b\"");
	assert_enc("+x=\"%*_+`'~.-\"", "201xf00d+009%*_+`'~.-");
}

static void numerics(void **state)
{
	(void)state;
	assert_enc("+x=\"#=0\"", "201x#021+0000000000000000"
							 "0000000000000000");
	assert_same_enc("+x=\"#=-0\"", "+x=\"#=0\"");
	assert_same_enc("+x=\"#=-0.000\"", "+x=\"#=+0.\"");
	assert_same_enc("+x=\"#=5.\"", "+x=\"#=+5\"");
	assert_same_enc("+x=\"#=5\"", "+x=\"#5:5\"");
	assert_same_enc("+x=\"#5:2\"", "+x=\"#2:5\"");
	assert_same_enc("+x=\"#-2.5:-7\"", "+x=\"#-7:-2.5\"");
	assert_enc("+x=\"#>=5\"", "201x#021+40140000000000007ff0000000000000");
	assert_enc("+x=\"!#<=-1\"", "201x#021!fff0000000000000bff0000000000000");
	assert_enc("+x=\"#=1,!#=2\"", "201x#042+3ff00000000000003ff0000000000000"
								  "!40000000000000004000000000000000");
}

static void strings(void **state)
{
	(void)state;
	assert_enc("description=\"<PC>\"", "20fsip.descriptions006+002PC");
	assert_enc("description=\"<a\\\"b\\\\c\\>>\"",
			"20fsip.descriptions00a+006a\"b\\c>");
	assert_enc("description=\"<B\xc3\xbc 100%\tx>\"",
			"20fsip.descriptions016+012B%C3%BC 100%25%09x");
	assert_enc("description=\"<>\"", "20fsip.descriptions004+000");
}

static void unquoted_lenient(void **state)
{
	(void)state;
	assert_same_enc(PT "=mms.ua", PT "=\"mms.ua\"");
	assert_same_enc("audio=TRUE", "audio");
	assert_same_enc("audio = FALSE ;video", "audio=\"FALSE\";video");
	assert_same_enc("+x=!a", "+x=\"!a\"");
}

static void render_roundtrip(void **state)
{
	static const char *samples[] = {
			";+sip.instance=\"<urn:uuid:aa>\";+g.oma.pusheventapp=\"mms.ua,"
			"ulp.ua\";methods=\"MESSAGE,OPTIONS\"",
			"audio;video=\"FALSE\";+x=\"#-4:+5.125\";"
			"priority=\"!#>=30,#=0.1\";description=\"<a\\\"b c%>\";+Video;"
			"+foo!bar'x=\"TRUE,!false\"",
			"+x=\"#=0.1,#<=-1,!#>=-0.5\"",
			"+n=\"#=123456789012345678901234567890.5,#=0.000000000001\"",
			"description=\"<B\xc3\xbc \\<tab\t>\"",
			"language;type=\"!a,!b\"",
			"+b=\"TRUE,foo\";+c=\"!FALSE\";+d=\"!x,x\"",
			"+SIP.Video;+video=\"FALSE\";+sip.isfocus;+isfocus",
	};
	char e1[CP_FSET_MAX], e2[CP_FSET_MAX], text[2 * CP_FSET_MAX];
	cp_diag_t d;
	size_t i, n1, n2;
	int rc;

	(void)state;
	for(i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		assert_true(enc(samples[i], e1, &n1, &d) > 0);
		rc = cp_fset_render(e1, n1, NULL, 0, text, sizeof(text));
		assert_true(rc > 0);
		assert_int_equal(strlen(text), (size_t)rc);
		assert_true(enc(text, e2, &n2, &d) >= 0);
		assert_string_equal(e1, e2);
	}
	rc = enc("audio;+x=\"#=0.1\";description=\"<a\\\"b>\";language=\"!en\"", e1,
			&n1, &d);
	assert_int_equal(rc, 4);
	rc = cp_fset_render(e1, n1, NULL, 0, text, sizeof(text));
	assert_int_equal(rc, (int)strlen(text));
	/* sorted by RFC 2533 name: language, sip.audio, sip.description, x */
	assert_string_equal(text, ";language=\"!en\";audio;"
							  "description=\"<a\\\"b>\";+x=\"#=0.1\"");
}

static void render_errors(void **state)
{
	char e[CP_FSET_MAX], text[64];
	cp_diag_t d;
	size_t n;
	int len;

	(void)state;
	assert_int_equal(cp_fset_render("", 0, NULL, 0, text, sizeof(text)), 0);
	assert_string_equal(text, "");
	assert_int_equal(
			cp_fset_render("junk", 4, NULL, 0, text, sizeof(text)), CP_ERR_SYNTAX);
	enc("audio;video", e, &n, &d);
	len = cp_fset_render(e, n, NULL, 0, text, sizeof(text));
	assert_int_equal(len, (int)strlen(";audio;video"));
	assert_int_equal(cp_fset_render(e, n, NULL, 0, text, (size_t)len), CP_ERR_SPACE);
	assert_int_equal(cp_fset_render(e, n, NULL, 0, text, (size_t)len + 1), len);
}

static void encode_space(void **state)
{
	char out[32];
	cp_diag_t d;
	size_t n;

	(void)state;
	/* "209sip.audioF008+004true" is 24 bytes plus NUL */
	assert_int_equal(cp_fset_encode("audio", 5, NULL, out, 25, &n, &d), 1);
	assert_int_equal(n, 24);
	assert_int_equal(
			cp_fset_encode("audio", 5, NULL, out, 24, &n, &d), CP_ERR_SPACE);
	assert_int_equal(cp_fset_encode("q=1", 3, NULL, out, 1, &n, &d), 0);
	assert_int_equal(
			cp_fset_encode("q=1", 3, NULL, NULL, 0, &n, &d), CP_ERR_SPACE);
}

static void validate(void **state)
{
	static const char *bad[] = {
			"x",
			"2",
			"205audioF008+004true",
			"1",
			"105audioF+004true", /* version '1' (no item byte counts) */
			"2zzaudioF008+004true",
			"205audioF008+004true"
			"\x01",
			"205audioX008+004true",
			"205audioF",
			"205audioF000",
			"205audioF008+005true",
			"205audioF009+004true",
			"205audioF007+004true",
			"205audioF008+004TRUE",
			"205audiof008+004true",		/* all-boolean list must say 'F' */
			"201xf00a+001a!001b",		/* class is 'n' */
			"201xf004+000",				/* empty token */
			"201xf005+001A",			/* tokens are lower case */
			"201xf005+001!",			/* '!' is not a token character */
			"201xf005x001a",			/* no sign */
			"201xf005+00ga",			/* bad item length */
			"205Audiof005+001a",		/* names are lower case */
			"2021xf005+001a",			/* names start with a letter */
			"201yf005+001a01xf005+001a", /* unsorted */
			"201xf005+001a01xf005+001a", /* duplicate */
			"201xs005!001a",			/* negated string */
			"201xs00a+001a+001b",		/* string list */
			"201xs007+003%4",			/* broken escape */
			"201xs007+003%4g",			/* broken escape */
			"201x#011+4014000000000000",
			"201x#021+4014000000000000", /* runs past the end */
			"201x#021+40140000000000003ff0000000000000", /* lo > hi */
			"201x#021+fff00000000000007ff0000000000000", /* everything */
			"201x#021+7ff80000000000007ff8000000000000", /* NaN */
			"201x#021+4014000000000000zff0000000000000",
	};
	size_t i;

	(void)state;
	assert_int_equal(cp_fset_validate("", 0), 0);
	assert_int_equal(cp_fset_validate("201xf005+001a", 13), 0);
	assert_int_equal(cp_fset_validate("201xs007+003%25", 15), 0);
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(i == 1) /* version byte alone: no tags, valid and immune */
			assert_int_equal(cp_fset_validate(bad[i], 1), 0);
		else if(i == 2) /* a valid one, the model of the next ones */
			assert_int_equal(cp_fset_validate(bad[i], strlen(bad[i])), 0);
		else if(cp_fset_validate(bad[i], strlen(bad[i])) != CP_ERR_SYNTAX)
			fail_msg("'%s' passed validation", bad[i]);
	}
	/* a truncated encoding is invalid at every length */
	for(i = 2; i < strlen("201xf005+001a01yf005+001b"); i++) {
		if(i != 13) /* "201xf005+001a" is complete */
			assert_int_equal(cp_fset_validate("201xf005+001a01yf005+001b", i),
					CP_ERR_SYNTAX);
	}
}

static void limits_argument(void **state)
{
	cp_limits_t lim = cp_limits_default;
	char out[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;

	(void)state;
	lim.tokens_per_list = 0;
	assert_int_equal(cp_fset_encode("audio", 5, &lim, out, sizeof(out), &n, &d),
			CP_ERR_LIMIT);
	lim = cp_limits_default;
	lim.tokens_per_list = 1;
	assert_int_equal(
			cp_fset_encode("+x=\"a,b\"", 9, &lim, out, sizeof(out), &n, &d),
			CP_ERR_LIMIT);
	assert_string_equal(d.reason, "too many values in list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(push_contact_example),
			cmocka_unit_test(typical_contact_fits),
			cmocka_unit_test(base_tags),
			cmocka_unit_test(plus_names_decoded),
			cmocka_unit_test(non_feature_params_ignored),
			cmocka_unit_test(lws_and_leading_semicolon),
			cmocka_unit_test(plus_base_skipped),
			cmocka_unit_test(booleans),
			cmocka_unit_test(token_lists),
			cmocka_unit_test(numerics),
			cmocka_unit_test(strings),
			cmocka_unit_test(unquoted_lenient),
			cmocka_unit_test(render_roundtrip),
			cmocka_unit_test(render_errors),
			cmocka_unit_test(encode_space),
			cmocka_unit_test(validate),
			cmocka_unit_test(limits_argument),
	};

	return cmocka_run_group_tests_name("fset", tests, NULL, NULL);
}
