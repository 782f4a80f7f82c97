/*
 * The values of PAP requests (pap.h): address values to SIP URIs
 * (pap-notes section 4), push application ids and their feature tags
 * (section 5.1), timestamps, HTTP Basic credentials and the comparison of
 * secrets. Inputs are copied to exact-length heap buffers so ASan flags
 * any read past the end.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pap.h"
#include "util.h"

#define DOMAIN "ims.example.net"

static int address(
		const char *addr, const char *domain, char *out, size_t outsz)
{
	size_t n;
	char *c = dup_exact(addr, &n);
	int rc = pap_address_uri(c, n, domain, out, outsz);

	free(c);
	return rc;
}

static void test_address_good(void **state)
{
	static const struct
	{
		const char *addr, *uri;
	} good[] = {
			/* TV-1 */
			{"WAPPUSH=+15551230001/TYPE=PLMN@ppg.example.net",
					"sip:+15551230001@" DOMAIN},
			/* TV-2 */
			{"WAPPUSH=sip%3Aalice%40ims.example.net/TYPE=USER@ppg.example.net",
					"sip:alice@ims.example.net"},
			{"WAPPUSH=alice/TYPE=USER", "sip:alice@" DOMAIN},
			/* TV-3, TV-5: no ppg part; keywords in lower case */
			{"WAPPUSH=+15551230002/TYPE=PLMN", "sip:+15551230002@" DOMAIN},
			{"wappush=+15551230003/type=plmn@ppg", "sip:+15551230003@" DOMAIN},
			{"WapPush=bob/Type=User@x", "sip:bob@" DOMAIN},
			{"WAPPUSH=sips%3Abob%40example.org%3Bfoo%3Dbar/TYPE=USER",
					"sips:bob@example.org;foo=bar"},
			{"WAPPUSH=tel%3A%2B15551230004/TYPE=USER", "tel:+15551230004"},
			{"WAPPUSH=SIP%3Acarol%40example.org/TYPE=USER",
					"SIP:carol@example.org"},
			/* the user characters of RFC 3261 */
			{"WAPPUSH=a-_.!~*'()&=+$,;?/z/TYPE=USER",
					"sip:a-_.!~*'()&=+$,;?/z@" DOMAIN},
			/* an escaped '+' */
			{"WAPPUSH=%2B15551230005/TYPE=PLMN", "sip:+15551230005@" DOMAIN},
			/* one to fifteen digits */
			{"WAPPUSH=+1/TYPE=PLMN", "sip:+1@" DOMAIN},
			{"WAPPUSH=+123456789012345/TYPE=PLMN",
					"sip:+123456789012345@" DOMAIN},
	};
	char out[256];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(out, 'x', sizeof(out));
		if(address(good[i].addr, DOMAIN, out, sizeof(out)) != 0)
			fail_msg("'%s' refused", good[i].addr);
		assert_string_equal(out, good[i].uri);
	}
}

static void test_address_bad(void **state)
{
	static const char *const bad[] = {
			"",
			"WAPPUSH=",
			"WAPPUSH=+15551230001",
			"WAPPUSH=+15551230001/TYPE=",
			"WAPPUSH=/TYPE=PLMN",
			"WAPPUSH=/TYPE=USER",
			"WAPPUSH=+15551230001/TYPE=IPv4",
			"WAPPUSH=213.243.140.102/TYPE=IPv4@ppg.carrier.com",
			"WAPPUSH=+15551230001/TYPE=PLMNX",
			"WAPPUSH=+15551230001/TYPE=PLMN x",
			"WAP=+15551230001/TYPE=PLMN",
			"sip:alice@example.org",
			/* PLMN: '+' and 1 to 15 digits */
			"WAPPUSH=15551230001/TYPE=PLMN",
			"WAPPUSH=+/TYPE=PLMN",
			"WAPPUSH=+1234567890123456/TYPE=PLMN",
			"WAPPUSH=+1555-123/TYPE=PLMN",
			"WAPPUSH=+1555 123/TYPE=PLMN",
			/* TV-2 variant: an address with '@' but no scheme */
			"WAPPUSH=alice%40ims.example.net/TYPE=USER",
			"WAPPUSH=alice@ims.example.net/TYPE=USER",
			/* characters a URI cannot carry, escaped or not */
			"WAPPUSH=sip%3Aa%3Cb%40x/TYPE=USER",
			"WAPPUSH=sip:a\"b@x/TYPE=USER",
			"WAPPUSH=sip%3Aa%20b%40x/TYPE=USER",
			"WAPPUSH=sip%3Aa%0D%0AX%3Ay%40x/TYPE=USER",
			"WAPPUSH=sip%3Aa%00b/TYPE=USER",
			"WAPPUSH=al\xc3\xa9/TYPE=USER",
			"WAPPUSH=a%/TYPE=USER",
			"WAPPUSH=a%4/TYPE=USER",
			"WAPPUSH=a%zz/TYPE=USER",
			/* a user with a character outside RFC 3261's user */
			"WAPPUSH=a:b/TYPE=USER",
			"WAPPUSH=a%25b/TYPE=USER",
			"WAPPUSH=a%5Bb/TYPE=USER",
			/* another scheme, or nothing after the scheme */
			"WAPPUSH=http%3A%2F%2Fx/TYPE=USER",
			"WAPPUSH=sip%3A/TYPE=USER",
			"WAPPUSH=tel%3A/TYPE=USER",
	};
	char out[256];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(address(bad[i], DOMAIN, out, sizeof(out)) != PAP_ADDRESS_ERROR)
			fail_msg("'%s' accepted", bad[i]);
	}
}

static void test_address_domain_and_room(void **state)
{
	const char *plmn = "WAPPUSH=+15551230001/TYPE=PLMN";
	char out[64], big[PAP_MAX_ADDRESS + 64];
	size_t need = strlen("sip:+15551230001@" DOMAIN) + 1;

	(void)state;
	/* a domain is needed for a PLMN number or a user name, not for a URI */
	assert_int_equal(address(plmn, NULL, out, sizeof(out)), PAP_ADDRESS_ERROR);
	assert_int_equal(address(plmn, "", out, sizeof(out)), PAP_ADDRESS_ERROR);
	assert_int_equal(address(plmn, "a b", out, sizeof(out)), PAP_ADDRESS_ERROR);
	assert_int_equal(address(plmn, "a@b", out, sizeof(out)), PAP_ADDRESS_ERROR);
	assert_int_equal(address("WAPPUSH=bob/TYPE=USER", NULL, out, sizeof(out)),
			PAP_ADDRESS_ERROR);
	assert_int_equal(
			address("WAPPUSH=sip%3Abob%40x/TYPE=USER", NULL, out, sizeof(out)),
			0);
	assert_string_equal(out, "sip:bob@x");

	/* the result and its NUL must fit */
	assert_int_equal(address(plmn, DOMAIN, out, need), 0);
	assert_string_equal(out, "sip:+15551230001@" DOMAIN);
	assert_int_equal(address(plmn, DOMAIN, out, need - 1), PAP_ADDRESS_ERROR);
	assert_int_equal(address("WAPPUSH=sip%3Abob%40x/TYPE=USER", NULL, out, 9),
			PAP_ADDRESS_ERROR);
	assert_int_equal(address(plmn, DOMAIN, out, 0), PAP_ADDRESS_ERROR);

	/* a value longer than an address-value may be */
	memcpy(big, "WAPPUSH=", 8);
	memset(big + 8, 'a', PAP_MAX_ADDRESS + 1);
	strcpy(big + 8 + PAP_MAX_ADDRESS + 1, "/TYPE=USER");
	assert_int_equal(address(big, DOMAIN, out, sizeof(out)), PAP_ADDRESS_ERROR);
	assert_int_equal(pap_address_uri(NULL, 0, DOMAIN, out, sizeof(out)),
			PAP_ADDRESS_ERROR);
}

static int canon(const char *id, char *out, size_t outsz)
{
	size_t n;
	char *c;
	int rc;

	if(id == NULL)
		return pap_app_canon(NULL, 0, out, outsz);
	c = dup_exact(id, &n);
	rc = pap_app_canon(c, n, out, outsz);
	free(c);
	return rc;
}

static void test_app_canon(void **state)
{
	static const struct
	{
		const char *id, *canon, *tag;
	} good[] = {
			{NULL, "x-wap-application:wml.ua", "wml.ua"},
			{"x-wap-application:mms.ua", "x-wap-application:mms.ua", "mms.ua"},
			{"X-WAP-Application:MMS.UA", "x-wap-application:mms.ua", "mms.ua"},
			{"4", "x-wap-application:mms.ua", "mms.ua"},
			{"0x04", "x-wap-application:mms.ua", "mms.ua"},
			{"0X4", "x-wap-application:mms.ua", "mms.ua"},
			{"004", "x-wap-application:mms.ua", "mms.ua"},
			{" 4 ", "x-wap-application:mms.ua", "mms.ua"},
			{"x-oma-application:ulp.ua", "x-oma-application:ulp.ua", "ulp.ua"},
			/* TV-2 variant: 16 is 0x10 */
			{"16", "x-oma-application:ulp.ua", "ulp.ua"},
			{"0x10", "x-oma-application:ulp.ua", "ulp.ua"},
			{"0x0a", "x-wap-application:wv.ua", "wv.ua"},
			{"0x16", "x-oma-application:evvm.ua", "evvm.ua"},
			/* registered, but no tag: the wildcard, and a value with ':' */
			{"0", "x-wap-application:*", NULL},
			{"0x15", "x-oma-application:cpm:ua", NULL},
			/* the short form stays short, and is still registered */
			{"mms.ua", "mms.ua", "mms.ua"},
			{"ULP.UA", "ulp.ua", "ulp.ua"},
			/* not registered: canonical, but no tag */
			{"x-wap-microsoft:localcontent.ua",
					"x-wap-microsoft:localcontent.ua", NULL},
			{"x-oma-application:mms.ua", "x-oma-application:mms.ua", NULL},
			{"sms.ua", "sms.ua", NULL},
			{"0x", "0x", NULL},
			{"12ab", "12ab", NULL},
	};
	static const char *const bad[] = {
			"",
			"  ",
			"\t",
			"11",
			"0x0b",
			"0x17",
			"0x8000",
			"65536",
			"99999999999999999999999",
			"0x100000000000000004",
			"mms ua",
			"mms\x01ua",
			"mms.ua\x7f",
	};
	char out[64];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if(canon(good[i].id, out, sizeof(out)) != 0)
			fail_msg("'%s' refused", good[i].id ? good[i].id : "(null)");
		assert_string_equal(out, good[i].canon);
		if(good[i].tag == NULL)
			assert_null(pap_app_registered_tag(out));
		else
			assert_string_equal(pap_app_registered_tag(out), good[i].tag);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(canon(bad[i], out, sizeof(out)) != -1)
			fail_msg("'%s' accepted as '%s'", bad[i], out);
	}
	/* a NUL inside would let "mms.ua\0junk" pass for mms.ua */
	assert_int_equal(pap_app_canon("mms.ua\0junk", 11, out, sizeof(out)), -1);
	/* over-long: the id and its NUL must fit */
	assert_int_equal(canon("mms.ua", out, 7), 0);
	assert_int_equal(canon("mms.ua", out, 6), -1);
	assert_int_equal(canon("4", out, 24), -1);
	assert_int_equal(canon("4", out, 25), 0);
	assert_int_equal(canon(NULL, out, 24), -1);
	assert_null(pap_app_registered_tag(NULL));
	assert_null(pap_app_registered_tag(""));
	assert_null(pap_app_registered_tag("x-wap-application:"));
}

/* Every registered number gives a URN whose tag is the part after the
 * NID, where there is one. */
static void test_app_registry(void **state)
{
	char id[8], out[64];
	const char *tag, *colon;
	unsigned int n, registered = 0;

	(void)state;
	for(n = 0; n <= 0x20; n++) {
		snprintf(id, sizeof(id), "%u", n);
		if(canon(id, out, sizeof(out)) != 0)
			continue;
		registered++;
		assert_true(strncmp(out, "x-wap-application:", 18) == 0
					|| strncmp(out, "x-oma-application:", 18) == 0);
		assert_true((n <= 0x0a) == (strncmp(out, "x-wap", 5) == 0));
		tag = pap_app_registered_tag(out);
		colon = out + 18;
		if(tag != NULL) {
			assert_string_equal(tag, colon);
			assert_string_equal(pap_app_registered_tag(tag), tag);
		} else {
			assert_true(strcmp(colon, "*") == 0 || strchr(colon, ':'));
		}
	}
	/* 0x00-0x0a and 0x10-0x16 */
	assert_int_equal(registered, 18);
}

static int tparse(const char *s, time_t *t)
{
	size_t n;
	char *c = dup_exact(s, &n);
	int rc = pap_time_parse(c, n, t);

	free(c);
	return rc;
}

static void test_time(void **state)
{
	static const struct
	{
		const char *s;
		long long t;
	} good[] = {
			{"1970-01-01T00:00:00Z", 0},
			{"2030-01-01T12:00:00Z", 1893499200LL},
			{"2030-01-01T00:05:00Z", 1893456300LL},
			{"2004-01-20T22:35:00z", 1074638100LL},
			{"2000-02-29T23:59:59Z", 951868799LL},
			{"2038-01-19T03:14:08Z", 2147483648LL},
			{"9999-12-31T23:59:59Z", 253402300799LL},
	};
	static const char *const bad[] = {
			"",
			"2030-01-01T12:00:00",
			"2030-01-01T12:00:00+00:00",
			"2030-01-01 12:00:00Z",
			"2030-01-01t12:00:00Z",
			"2030-1-01T12:00:00Z",
			"2030-01-01T12:00:00.5Z",
			" 2030-01-01T12:00:00Z",
			"2030-01-01T12:00:00Z ",
			"2030-13-01T12:00:00Z",
			"2030-00-01T12:00:00Z",
			"2030-01-00T12:00:00Z",
			"2030-01-32T12:00:00Z",
			"2030-02-29T12:00:00Z",
			"1900-02-29T12:00:00Z",
			"2030-04-31T12:00:00Z",
			"2030-01-01T24:00:00Z",
			"2030-01-01T12:60:00Z",
			"2030-01-01T12:00:60Z",
			"1969-12-31T23:59:59Z",
			"+030-01-01T12:00:00Z",
			"2030-01-01T1a:00:00Z",
			"2030/01/01T12:00:00Z",
	};
	char out[21];
	time_t t;
	size_t i;
	long long s;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if(tparse(good[i].s, &t) != 0)
			fail_msg("'%s' refused", good[i].s);
		assert_int_equal((long long)t, good[i].t);
		pap_time_format(t, out);
		/* written back with an upper-case Z */
		assert_int_equal(strncmp(out, good[i].s, 19), 0);
		assert_int_equal(out[19], 'Z');
		assert_int_equal(out[20], '\0');
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(tparse(bad[i], &t) != -1)
			fail_msg("'%s' accepted", bad[i]);
	}
	assert_int_equal(pap_time_parse(NULL, 0, &t), -1);

	/* format then parse is the identity, leap days and year ends too */
	for(s = 0; s < 253402300799LL; s += 86400LL * 97 + 3607) {
		pap_time_format((time_t)s, out);
		assert_int_equal(pap_time_parse(out, 20, &t), 0);
		assert_int_equal((long long)t, s);
	}
	/* outside what the format carries: the nearest */
	pap_time_format((time_t)-1, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	pap_time_format((time_t)253402300800LL, out);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
}

static int basic(
		const char *value, char *user, size_t usize, char *pass, size_t psize)
{
	size_t n;
	char *c = dup_exact(value, &n);
	int rc = pap_basic_credentials(c, n, user, usize, pass, psize);

	free(c);
	return rc;
}

static void test_basic(void **state)
{
	static const struct
	{
		const char *value, *user, *pass;
	} good[] = {
			/* TV-1: mmsc:s3cr3t */
			{"Basic bW1zYzpzM2NyM3Q=", "mmsc", "s3cr3t"},
			{"basic bW1zYzpzM2NyM3Q=", "mmsc", "s3cr3t"},
			{"  BASIC\t bW1zYzpzM2NyM3Q=  ", "mmsc", "s3cr3t"},
			/* a:b:c: the password keeps its colons */
			{"Basic YTpiOmM=", "a", "b:c"},
			/* ":" and "u:" */
			{"Basic Og==", "", ""},
			{"Basic dTo=", "u", ""},
			/* UTF-8: "j\xc3\xb6rg:p" */
			{"Basic asO2cmc6cA==", "j\xc3\xb6rg", "p"},
	};
	static const char *const bad[] = {
			"",
			"Basic",
			"Basic ",
			"Bearer bW1zYzpzM2NyM3Q=",
			"BasicbW1zYzpzM2NyM3Q=",
			"Basicx bW1zYzpzM2NyM3Q=",
			/* not base64, or incomplete */
			"Basic bW1zYzpzM2NyM3Q",
			"Basic bW1z*zpzM2NyM3Q=",
			/* "mmsc" (no colon) */
			"Basic bW1zYw==",
			/* "a\0:b", "a:b\0", "a\n:b", "a:\x7f" */
			"Basic YQA6Yg==",
			"Basic YTpiAA==",
			"Basic YQo6Yg==",
			"Basic YTp/",
	};
	char user[16], pass[16];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if(basic(good[i].value, user, sizeof(user), pass, sizeof(pass)) != 0)
			fail_msg("'%s' refused", good[i].value);
		assert_string_equal(user, good[i].user);
		assert_string_equal(pass, good[i].pass);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(basic(bad[i], user, sizeof(user), pass, sizeof(pass)) != -1)
			fail_msg("'%s' accepted", bad[i]);
	}
	/* the room for each, NUL included */
	assert_int_equal(basic(good[0].value, user, 5, pass, 7), 0);
	assert_int_equal(basic(good[0].value, user, 4, pass, 7), -1);
	assert_int_equal(basic(good[0].value, user, 5, pass, 6), -1);
	assert_int_equal(basic(good[0].value, user, 0, pass, 7), -1);
	assert_int_equal(pap_basic_credentials(NULL, 0, user, 5, pass, 7), -1);
}

static void test_secret_equal(void **state)
{
	(void)state;
	assert_int_equal(pap_secret_equal("s3cr3t", 6, "s3cr3t", 6), 1);
	assert_int_equal(pap_secret_equal("s3cr3t", 6, "s3cr3T", 6), 0);
	assert_int_equal(pap_secret_equal("s3cr3t", 6, "s3cr3", 5), 0);
	assert_int_equal(pap_secret_equal("s3cr3", 5, "s3cr3t", 6), 0);
	assert_int_equal(pap_secret_equal("", 0, "", 0), 1);
	assert_int_equal(pap_secret_equal(NULL, 0, NULL, 0), 1);
	assert_int_equal(pap_secret_equal("", 0, "x", 1), 0);
	/* the lengths count, not a NUL */
	assert_int_equal(pap_secret_equal("ab\0c", 4, "ab\0d", 4), 0);
	assert_int_equal(pap_secret_equal("ab\0c", 4, "ab", 2), 0);
	assert_int_equal(pap_secret_equal("ab\0", 3, "ab", 2), 0);
}

/* The documented SIP final response -> PAP outcome table. */
static void test_outcome_of_sip(void **state)
{
	static const struct
	{
		int sip;
		enum pap_state state;
		int code;
	} rows[] = {
			{200, PAP_STATE_DELIVERED, PAP_OK},
			{202, PAP_STATE_DELIVERED, PAP_OK},
			{299, PAP_STATE_DELIVERED, PAP_OK},
			{404, PAP_STATE_UNDELIVERABLE, PAP_ADDRESS_NOT_FOUND},
			{410, PAP_STATE_UNDELIVERABLE, PAP_ADDRESS_NOT_FOUND},
			{480, PAP_STATE_UNDELIVERABLE, PAP_ADDRESS_NOT_FOUND},
			{604, PAP_STATE_UNDELIVERABLE, PAP_ADDRESS_NOT_FOUND},
			{403, PAP_STATE_ABORTED, PAP_DEVICE_ABORTED},
			{603, PAP_STATE_ABORTED, PAP_DEVICE_ABORTED},
			{408, PAP_STATE_TIMEOUT, PAP_SERVICE_FAILURE},
			{415, PAP_STATE_UNDELIVERABLE, PAP_TRANSFORMATION_FAILURE},
			{488, PAP_STATE_UNDELIVERABLE, PAP_TRANSFORMATION_FAILURE},
			{503, PAP_STATE_UNDELIVERABLE, PAP_SERVICE_UNAVAILABLE},
			{500, PAP_STATE_UNDELIVERABLE, PAP_SERVICE_FAILURE},
			{400, PAP_STATE_UNDELIVERABLE, PAP_SERVICE_FAILURE},
			{302, PAP_STATE_UNDELIVERABLE, PAP_SERVICE_FAILURE},
	};
	enum pap_state st;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(pap_outcome_of_sip(rows[i].sip, &st), rows[i].code);
		assert_int_equal(st, rows[i].state);
	}
}

/* The version of a document that may not parse, from its DOCTYPE. */
static void test_sniff_version(void **state)
{
	static const char v10[] = "<?xml version=\"1.0\"?><!DOCTYPE pap PUBLIC"
							  " \"-//WAPFORUM//DTD PAP//EN\" \"x\"><pap><push";
	static const char v20[] = "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0//EN\""
							  " \"http://www.wapforum.org/DTD/pap_2.0.dtd\" [<?wap";
	static const char v20typo[] = "<!DOCTYPE pap PUBLIC \"-//WAPFORUM/DTD PAP 2.0//EN\">";
	static const char v21[] = "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.1//EN\">";
	/* an id after the DOCTYPE's end is not the DOCTYPE's */
	static const char late[] = "<!DOCTYPE pap><pap a=\"-//WAPFORUM//DTD PAP 2.0//EN\"/>";

	(void)state;
	assert_int_equal(pap_sniff_version(v10, sizeof(v10) - 1), PAP_V1_0);
	assert_int_equal(pap_sniff_version(v20, sizeof(v20) - 1), PAP_V2_0);
	assert_int_equal(pap_sniff_version(v20typo, sizeof(v20typo) - 1), PAP_V2_0);
	assert_int_equal(pap_sniff_version(v21, sizeof(v21) - 1), PAP_V2_1);
	assert_int_equal(pap_sniff_version(late, sizeof(late) - 1), PAP_V2_1);
	assert_int_equal(pap_sniff_version("<pap/>", 6), PAP_V2_1);
	assert_int_equal(pap_sniff_version(NULL, 0), PAP_V2_1);
	/* cut in the middle of the public id */
	assert_int_equal(pap_sniff_version(v20, 30), PAP_V2_1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_address_good),
			cmocka_unit_test(test_address_bad),
			cmocka_unit_test(test_address_domain_and_room),
			cmocka_unit_test(test_app_canon),
			cmocka_unit_test(test_app_registry),
			cmocka_unit_test(test_time),
			cmocka_unit_test(test_basic),
			cmocka_unit_test(test_secret_equal),
			cmocka_unit_test(test_outcome_of_sip),
			cmocka_unit_test(test_sniff_version),
	};
	return cmocka_run_group_tests_name("pap values", tests, NULL, NULL);
}
