/*
 * Bad input (spec-notes section 7): every malformed caller preference or
 * feature set gives a defined error and reason; all inputs are copied to
 * exact-length heap buffers so ASan flags any read past the end.
 */

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Parse text as kind: 'a' Accept-Contact, 'j' Reject-Contact,
 * 'd' Request-Disposition, 'c' Contact parameters. */
static int parse(
		char kind, const char *text, const cp_limits_t *lim, cp_diag_t *d)
{
	cp_prefs_t *p = prefs_buf();
	char out[CP_FSET_MAX];
	size_t n, on;
	char *c;
	int rc;

	memset(d, 0, sizeof(*d));
	if(kind != 'c') {
		cp_prefs_init(p, lim, 0);
		return add_hdr(p, kind, text, d);
	}
	c = dup_exact(text, &n);
	rc = cp_fset_encode(c, n, lim, out, sizeof(out), &on, d);
	free(c);
	return rc;
}

static void check_err(char kind, const char *text, int rc, const char *reason)
{
	cp_diag_t d;
	int got = parse(kind, text, NULL, &d);

	if(got != rc)
		fail_msg("%c '%s': rc %d, expected %d (%s)", kind, text, got, rc,
				d.reason ? d.reason : "-");
	if(reason) {
		assert_non_null(d.reason);
		if(strcmp(d.reason, reason) != 0)
			fail_msg("%c '%s': reason '%s', expected '%s'", kind, text,
					d.reason, reason);
		assert_true(d.offset <= strlen(text));
	}
}

/* A feature parameter error applies to Accept, Reject and Contact alike. */
static void check_param(const char *param, int rc, const char *reason)
{
	size_t n = strlen(param);
	char *hdr = malloc(n + 3);

	assert_non_null(hdr);
	memcpy(hdr, "*;", 2);
	memcpy(hdr + 2, param, n + 1);
	check_err('a', hdr, rc, reason);
	check_err('j', hdr, rc, reason);
	free(hdr);
	check_err('c', param, rc, reason);
}

#define SYN CP_ERR_SYNTAX

static void bad01_value_without_star(void **state)
{
	(void)state;
	check_err('a', "<sip:x@y>;audio", SYN,
			"Accept-Contact value does not start with '*'");
	check_err('a', "audio;video", SYN,
			"Accept-Contact value does not start with '*'");
	check_err('j', "sip:x@y;audio", SYN,
			"Reject-Contact value does not start with '*'");
	check_err('a', "*;audio, <sip:x@y>", SYN,
			"Accept-Contact value does not start with '*'");
	check_err('a', "", SYN, "Accept-Contact value does not start with '*'");
	check_err('a', "*;audio,", SYN,
			"Accept-Contact value does not start with '*'");
	check_err('a', "*;audio,,*", SYN,
			"Accept-Contact value does not start with '*'");
	check_err('a', "*audio", SYN, "expected ';' before parameter");
	check_err('a', "*;audio video", SYN, "expected ';' before parameter");
}

static void bad02_unterminated_quote(void **state)
{
	cp_diag_t d;

	(void)state;
	check_param(PT "=\"mms.ua", SYN, "unterminated quoted value");
	check_param(PT "=\"mms.ua\\\"", SYN, "unterminated quoted value");
	check_param(PT "=\"mms.ua\\", SYN, "unterminated quoted value");
	check_param("foo=\"x", SYN, "unterminated quoted value");
	assert_int_equal(parse('a', "*;" PT "=\"mms.ua", NULL, &d), SYN);
	assert_int_equal(d.offset, strlen("*;" PT "="));
}

static char *repeat(const char *head, const char *unit, size_t count)
{
	size_t hl = strlen(head), ul = strlen(unit), i;
	/* room for a closing quote appended by the caller */
	char *s = malloc(hl + ul * count + 2);

	assert_non_null(s);
	memcpy(s, head, hl);
	for(i = 0; i < count; i++)
		memcpy(s + hl + i * ul, unit, ul);
	s[hl + ul * count] = '\0';
	return s;
}

static void bad03_huge_headers(void **state)
{
	cp_limits_t lim = cp_limits_default;
	cp_prefs_t *p = prefs_buf();
	cp_diag_t d;
	char *s;
	int i;

	(void)state;
	/* 64 KB of values in one header */
	s = repeat("*;audio", ",*;audio", 8000);
	check_err('a', s, CP_ERR_LIMIT, "too many values in one header");
	free(s);
	/* 10 000 parameters in one value / one Contact */
	s = repeat("*", ";+x", 10000);
	check_err('a', s, CP_ERR_LIMIT, "too many parameters");
	check_err('c', s + 1, CP_ERR_LIMIT, "too many parameters");
	free(s);
	/* thousands of tokens in one list */
	s = repeat("+x=\"a", ",a", 2000);
	strcat(s, "\"");
	check_param(s, CP_ERR_LIMIT, "parameter value too long");
	free(s);
	s = repeat("+x=\"a", ",a", 100);
	strcat(s, "\"");
	check_param(s, CP_ERR_LIMIT, "too many values in list");
	free(s);
	/* a 300-byte value, also in a generic parameter */
	s = repeat("+x=\"", "a", 300);
	strcat(s, "\"");
	check_param(s, CP_ERR_LIMIT, "parameter value too long");
	free(s);
	s = repeat("pub-gruu=", "a", 300);
	check_param(s, CP_ERR_LIMIT, "parameter value too long");
	free(s);
	/* more predicates than allowed across headers */
	cp_prefs_init(p, NULL, 0);
	for(i = 0; i < 2; i++)
		assert_int_equal(
				add_hdr(p, 'a', "*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*", &d), CP_OK);
	assert_int_equal(add_hdr(p, 'j', "*", &d), CP_ERR_LIMIT);
	assert_string_equal(
			d.reason, "too many Accept-Contact and Reject-Contact values");
	assert_int_equal(cp_prefs_reject_count(p), 0);
	/* the limits are parameters: raised, the same input passes */
	lim.params_per_value = CP_MAX_PARAMS;
	s = repeat("*;audio", ";+x", 1);
	assert_int_equal(parse('a', s, &lim, &d), CP_OK);
	free(s);
	lim.value_len = 1000;
	lim.tokens_per_list = 128;
	s = repeat("+x=\"a", ",a", 99);
	strcat(s, "\"");
	assert_true(parse('c', s, &lim, &d) == 1);
	free(s);
	/* with every limit at its ceiling the predicate storage is bounded */
	lim.params_per_value = CP_MAX_PARAMS;
	lim.value_len = CP_MAX_VALUE_LEN;
	lim.predicates = lim.values_per_header = CP_MAX_PREDICATES;
	cp_prefs_init(p, &lim, 0);
	/* 128 numbers are 4224 bytes of items, over the three hex digits of a
	 * tag's item byte count */
	s = repeat("*;+x=\"#=1", ",#=1", 127);
	strcat(s, "\"");
	assert_int_equal(add_hdr(p, 'a', s, &d), CP_ERR_LIMIT);
	assert_string_equal(d.reason, "parameter value too long");
	free(s);
	/* 124 are 4092 */
	s = repeat("*;+x=\"#=1", ",#=1", 123);
	strcat(s, "\"");
	for(i = 0; i < 8; i++) {
		if(add_hdr(p, 'a', s, &d) != CP_OK)
			break;
	}
	assert_true(i < 8);
	assert_string_equal(d.reason, "caller preferences too large");
	free(s);
}

static void bad04_duplicates(void **state)
{
	static const struct tc dup_flags = {
			.c = {{"audio", -1}, {"video", -1}},
			.accept = {"*;audio;require;require;explicit;explicit"},
			.verdicts = "ke",
			.order = {{1, 1.0}},
	};
	(void)state;
	check_param("audio;audio=\"FALSE\"", SYN, "duplicate feature tag");
	check_param("Audio;AUDIO", SYN, "duplicate feature tag");
	check_param("+sip.audio;audio", SYN, "duplicate feature tag");
	check_param("+x;+X=\"a\"", SYN, "duplicate feature tag");
	check_param("+a!b;+a:b", SYN, "expected ';' before parameter");
	check_param("+a!b;+A!B", SYN, "duplicate feature tag");
	tc_run(&dup_flags);
	check_err('a', "*;audio;require=1", SYN,
			"require and explicit take no value");
	check_err(
			'a', "*;explicit=\"x\"", SYN, "require and explicit take no value");
}

static void bad05_numeric_errors(void **state)
{
	cp_limits_t lim = cp_limits_default;
	cp_diag_t d;
	char *s;

	(void)state;
	check_param("+x=\"#4\"", SYN, "numeric value without relation");
	check_param("+x=\"#=abc\"", SYN, "invalid number");
	check_param("+x=\"#1:\"", SYN, "invalid number");
	check_param("+x=\"#--5\"", SYN, "invalid number");
	check_param("+x=\"#=\"", SYN, "invalid number");
	check_param("+x=\"#\"", SYN, "invalid number");
	check_param("+x=\"#>=.5\"", SYN, "invalid number");
	check_param("+x=\"#1e999\"", SYN, "numeric value without relation");
	check_param("+x=\"#=1e9\"", SYN, "invalid character in value");
	check_param("+x=\"#=1x\"", SYN, "invalid character in value");
	check_param("+x=\"#=1:2\"", SYN, "invalid character in value");
	/* finite doubles only: 400 digits overflow */
	lim.value_len = CP_MAX_VALUE_LEN;
	s = repeat("+x=\"#=1", "0", 400);
	strcat(s, "\"");
	assert_int_equal(parse('c', s, &lim, &d), SYN);
	assert_string_equal(d.reason, "number out of range");
	free(s);
}

static void bad06_string_errors(void **state)
{
	(void)state;
	check_param("+x=\"<abc\"", SYN, "unterminated string value");
	check_param("+x=\"<a>b>\"", SYN, "junk after string value");
	check_param("+x=\"!<abc>\"", SYN, "negated string value");
	check_param("+x=\"<a>,<b>\"", SYN, "string value in a list");
	check_param("+x=\"<a<b>\"", SYN, "'<' inside string value");
	check_param("+x=\"a,<b>\"", SYN, "string value in a list");
	check_param("+x=\"<a\\>\"", SYN, "unterminated string value");
}

static void bad07_unquoted(void **state)
{
	static const struct tc c = {
			.c = {{PT "=mms.ua", -1}, {PT "=ulp.ua", -1}},
			.accept = {"*;" PT "=MMS.UA;require"},
			.verdicts = "kq",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
	check_param("+x=a<b", SYN, "invalid unquoted value");
	check_param("+x=#=1", SYN, "invalid unquoted value");
	check_param("+x=", SYN, "missing value after '='");
	check_param("+x= ;audio", SYN, "missing value after '='");
	check_err('a', "*;+x=,*", SYN, "missing value after '='");
}

static void bad08_empty_lists(void **state)
{
	(void)state;
	check_param("+x=\"\"", SYN, "empty value");
	check_param("+x=\",\"", SYN, "empty value in list");
	check_param("+x=\"a,,b\"", SYN, "empty value in list");
	check_param("+x=\"a,b,\"", SYN, "empty value in list");
	check_param("+x=\"!\"", SYN, "empty value in list");
	check_param("+x=\" \"", SYN, "empty value in list");
}

static void bad09_mixed_types(void **state)
{
	(void)state;
	check_param("+x=\"foo,#=1\"", SYN, "mixed value types in list");
	check_param("+x=\"#=1,TRUE\"", SYN, "mixed value types in list");
	check_param("+x=\"<a>,b\"", SYN, "string value in a list");
	check_param("+x=\"a b\"", SYN, "invalid character in value");
	check_param("+x=\"!!a\"", SYN, "invalid character in value");
}

static void bad10_names(void **state)
{
	(void)state;
	check_param("+=1", SYN, "invalid feature tag name");
	check_param("++x", SYN, "invalid feature tag name");
	check_param("+1abc", SYN, "invalid feature tag name");
	check_param("+", SYN, "invalid feature tag name");
	check_param("+a*b", SYN, "invalid feature tag name");
	check_param("+a b", SYN, "expected ';' before parameter");
	check_param("+a\x01", SYN, "control character");
	check_param("+a\x7f", SYN, "control character");
	check_param("+\xc3\xa9t\xc3\xa9", SYN, "invalid feature tag name");
	check_param("a\xc3\xa9", SYN, "non-ASCII character");
	check_param("+x=\"a\x01\"", SYN, "control character");
	check_param("+x=\"a\r\n b\"", SYN, "control character");
	check_param("=1", SYN, "empty parameter name");
	check_param(";", SYN, "empty parameter name");
	check_err('c', "audio;", SYN, "empty parameter name");
	check_err('c', "audio,video", SYN, "expected ';' before parameter");
}

/* NUL cannot be written in a C string literal test: build it. */
static void bad10_nul(void **state)
{
	static const char hdr[] = "*;+x\0y;audio";
	cp_prefs_t *p = prefs_buf();
	char out[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;
	char *c = malloc(sizeof(hdr) - 1);

	(void)state;
	memcpy(c, hdr, sizeof(hdr) - 1);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(cp_prefs_add_accept(p, c, sizeof(hdr) - 1, &d), SYN);
	assert_string_equal(d.reason, "control character");
	assert_int_equal(d.offset, 4);
	assert_int_equal(cp_fset_encode(c + 2, sizeof(hdr) - 3, NULL, out,
							 sizeof(out), &n, &d),
			SYN);
	memcpy(c, "*;+x=\"\0\"", 8);
	assert_int_equal(cp_prefs_add_accept(p, c, 8, &d), SYN);
	assert_string_equal(d.reason, "control character");
	free(c);
}

static void bad11_reversed_range(void **state)
{
	static const struct tc c = {
			.c = {{"+x=\"#5:2\"", -1}, {"+x=\"#2:5\"", -1},
					{"+x=\"#6:9\"", -1}},
			.accept = {"*;+x=\"#5:2\";require"},
			.verdicts = "kkq",
			.order = {{1, 1.0}, {2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void bad12_disposition(void **state)
{
	(void)state;
	check_err('d', "proxy, redirect", SYN,
			"two Request-Disposition directives of one type");
	check_err('d', "proxy, proxy", SYN,
			"two Request-Disposition directives of one type");
	check_err('d', "no-fork,fork", SYN,
			"two Request-Disposition directives of one type");
	check_err('d', "foo", SYN, "unknown Request-Disposition directive");
	check_err('d', "proxyx", SYN, "unknown Request-Disposition directive");
	check_err('d', "prox", SYN, "unknown Request-Disposition directive");
	check_err('d', "proxy, ", SYN, "empty Request-Disposition directive");
	check_err(
			'd', "proxy\x01", SYN, "invalid character in Request-Disposition");
}

/* Malformed REGISTER Contact parameters never reach the store. */
static void bad13_register_contact(void **state)
{
	(void)state;
	check_err('c', ";+g.oma.pusheventapp=\"mms.ua;expires=600", SYN,
			"unterminated quoted value");
	check_err('c', ";expires=600;audio=\"#1\"", SYN,
			"numeric value without relation");
	check_err('c', ";+sip.instance=\"<urn:uuid:aa\"", SYN,
			"unterminated string value");
}

static void bad14_repeated_param(void **state)
{
	cp_diag_t d;

	(void)state;
	check_err('c',
			";+g.oma.pusheventapp=\"mms.ua\";+g.oma.pusheventapp=\"ulp.ua\"",
			SYN, "duplicate feature tag");
	assert_int_equal(parse('c', ";+a;+b;+A", NULL, &d), SYN);
	assert_int_equal(d.offset, 7);
	/* repeated generic parameters are not ours to police */
	check_err('c', ";expires=1;expires=2;audio", 1, NULL);
}

static void bad16_folding(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"mms.ua\"", -1}, {"audio", -1}},
			.accept = {"*\r\n ;+g.oma.pusheventapp = \"mms.ua\"\r\n\t;require "
					   "; explicit"},
			.verdicts = "ke",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
	check_err('c', "\r\n audio\n\t; video =\r\n \"TRUE\"", 2, NULL);
	/* a line break not followed by whitespace ends the header */
	check_err('a', "*\r\n;audio", SYN, "control character");
	check_err('a', "*;audio\r", SYN, "control character");
}

static void bad17_escaped_quote(void **state)
{
	static const struct tc c = {
			.c = {{"description=\"<a\\\"b>\"", -1},
					{"description=\"<ab>\"", -1}},
			.accept = {"*;description=\"<a\\\"b>\";require"},
			.verdicts = "kq",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

/* Every prefix of valid input is handled without reading past it. */
static void truncated_input(void **state)
{
	static const char *inputs[] = {
			"*;+g.oma.pusheventapp=\"mms.ua,ulp.ua\";require;explicit, "
			"*;description=\"<a\\\"b>\";+x=\"#-1.5:2,!#>=7\"\r\n ;audio",
			";+sip.instance=\"<urn:uuid:aa>\";methods=\"MESSAGE\";q=0.5",
	};
	cp_prefs_t *p = prefs_buf();
	char out[CP_FSET_MAX];
	cp_diag_t d;
	size_t i, k, n;

	(void)state;
	for(i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		for(k = 0; k <= strlen(inputs[i]); k++) {
			char *c = malloc(k ? k : 1);
			int rc;
			memcpy(c, inputs[i], k);
			cp_prefs_init(p, NULL, 0);
			rc = cp_prefs_add_accept(p, c, k, &d);
			assert_true(rc == CP_OK || rc == SYN);
			rc = cp_fset_encode(c, k, NULL, out, sizeof(out), &n, &d);
			assert_true(rc >= 0 || rc == SYN);
			assert_int_equal(cp_fset_validate(c, k) <= 0, 1);
			free(c);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(bad01_value_without_star),
			cmocka_unit_test(bad02_unterminated_quote),
			cmocka_unit_test(bad03_huge_headers),
			cmocka_unit_test(bad04_duplicates),
			cmocka_unit_test(bad05_numeric_errors),
			cmocka_unit_test(bad06_string_errors),
			cmocka_unit_test(bad07_unquoted),
			cmocka_unit_test(bad08_empty_lists),
			cmocka_unit_test(bad09_mixed_types),
			cmocka_unit_test(bad10_names),
			cmocka_unit_test(bad10_nul),
			cmocka_unit_test(bad11_reversed_range),
			cmocka_unit_test(bad12_disposition),
			cmocka_unit_test(bad13_register_contact),
			cmocka_unit_test(bad14_repeated_param),
			cmocka_unit_test(bad16_folding),
			cmocka_unit_test(bad17_escaped_quote),
			cmocka_unit_test(truncated_input),
	};

	return cmocka_run_group_tests_name("bad", tests, NULL, NULL);
}
