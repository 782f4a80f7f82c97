/*
 * Caller-preference headers: Accept-Contact / Reject-Contact values,
 * Request-Disposition, implicit preferences, limits
 */

#include <string.h>

#include "util.h"

static void limits(void **state)
{
	cp_limits_t lim = cp_limits_default;

	(void)state;
	assert_int_equal(lim.values_per_header, 16);
	assert_int_equal(lim.params_per_value, 32);
	assert_int_equal(lim.tokens_per_list, 64);
	assert_int_equal(lim.value_len, 256);
	assert_int_equal(lim.predicates, 32);
	assert_int_equal(cp_limits_check(&lim), 0);
	assert_int_equal(cp_limits_check(NULL), -1);
	lim.value_len = CP_MAX_VALUE_LEN;
	lim.tokens_per_list = CP_MAX_TOKENS;
	lim.params_per_value = CP_MAX_PARAMS;
	lim.predicates = lim.values_per_header = CP_MAX_PREDICATES;
	assert_int_equal(cp_limits_check(&lim), 0);
	lim.value_len++;
	assert_int_equal(cp_limits_check(&lim), -1);
	lim = cp_limits_default;
	lim.predicates = 0;
	assert_int_equal(cp_limits_check(&lim), -1);
	assert_true(cp_prefs_size() > 0);
}

static void value_counts(void **state)
{
	cp_prefs_t *p = prefs_buf();
	cp_diag_t d;

	(void)state;
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(cp_prefs_accept_count(p), 0);
	assert_int_equal(add_hdr(p, 'a', "*;audio, *;video;require", &d), CP_OK);
	assert_int_equal(add_hdr(p, 'a', "*", &d), CP_OK);
	assert_int_equal(add_hdr(p, 'j', " *;+x=\"a,b\" ,\t*;y ", &d), CP_OK);
	assert_int_equal(cp_prefs_accept_count(p), 3);
	assert_int_equal(cp_prefs_reject_count(p), 2);
	/* a failing header adds none of its values */
	assert_int_equal(add_hdr(p, 'a', "*;audio, *;x=\"", &d), CP_ERR_SYNTAX);
	assert_int_equal(cp_prefs_accept_count(p), 3);
	/* init starts over */
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(cp_prefs_accept_count(p), 0);
	assert_int_equal(cp_prefs_reject_count(p), 0);
	assert_int_equal(cp_prefs_disposition(p), CP_DISP_NONE);
}

/* A header that fails to parse leaves the set as it was. */
static void failed_header_changes_nothing(void **state)
{
	cp_prefs_t *p = prefs_buf();
	char fs[2][CP_FSET_MAX];
	cp_target_t t[2] = {{.fset = fs[0], .q = -1}, {.fset = fs[1], .q = -1}};
	cp_result_t r[2];
	size_t order[2], used;
	cp_diag_t d;

	(void)state;
	assert_int_equal(enc(PT "=\"mms.ua\"", fs[0], &t[0].fset_len, &d), 1);
	assert_int_equal(enc("audio", fs[1], &t[1].fset_len, &d), 1);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(
			add_hdr(p, 'a', "*;" PT "=\"mms.ua\";require;explicit", &d), CP_OK);
	assert_int_equal(
			add_hdr(p, 'a', "*;audio;require;explicit, *;video=\"#1\"", &d),
			CP_ERR_SYNTAX);
	assert_int_equal(
			add_hdr(p, 'j', "*;" PT "=\"mms.ua\", *;x=\"", &d), CP_ERR_SYNTAX);
	assert_int_equal(cp_prefs_accept_count(p), 1);
	assert_int_equal(cp_prefs_reject_count(p), 0);
	assert_int_equal(cp_evaluate(p, t, 2, r, order, &used), CP_OUT_MATCHED);
	assert_int_equal(r[0].verdict, CP_KEPT);
	assert_int_equal(r[1].verdict, CP_DROP_EXPLICIT);
	assert_int_equal(used, 1);
}

static void require_explicit_flags(void **state)
{
	/* duplicate flags are harmless, names case-insensitive */
	static const struct tc dup = {
			.c = {{PT "=\"mms.ua\"", -1}, {"audio", -1}},
			.accept = {"*;require;" PT "=\"mms.ua\";Require;EXPLICIT;explicit"},
			.verdicts = "ke",
			.order = {{1, 1.0}},
	};
	/* flags belong to their own value only */
	static const struct tc per_value = {
			.c = {{PT "=\"mms.ua\"", -1}, {"audio", -1}},
			.accept = {"*;" PT "=\"mms.ua\", *;audio;require;explicit"},
			.verdicts = "ek",
			.order = {{2, 0.5}},
	};
	/* on Reject-Contact they are ordinary generic parameters */
	static const struct tc reject = {
			.c = {{"audio", -1}, {"video", -1}},
			.reject = {"*;audio;require;explicit"},
			.verdicts = "rk",
			.order = {{2, 0.0}},
	};
	(void)state;
	tc_run(&dup);
	tc_run(&per_value);
	tc_run(&reject);
}

/* Accept/Reject headers turn implicit preferences off. */
static void implicit_only_without_headers(void **state)
{
	static const struct tc with_reject = {
			.c = {{"methods=\"INVITE\"", 1000}, {"audio", 500}},
			.reject = {"*;video"},
			.verdicts = "kk",
			.order = {{1, 0.0}, {2, 0.0}},
	};
	static const struct tc implicit = {
			.c = {{"methods=\"INVITE\"", 1000}, {"audio", 500}},
			.verdicts = "qk",
			.order = {{2, 0.0}},
	};
	(void)state;
	tc_run(&with_reject);
	tc_run(&implicit);
}

static void request_method_and_event(void **state)
{
	static const char *bad_methods[] = {
			"", "IN VITE", "A,B", "!X", "A\"", "M\xc3\xa9"};
	cp_prefs_t *p = prefs_buf();
	cp_diag_t d;
	char longm[CP_MAX_VALUE_LEN + 2];
	size_t i;

	(void)state;
	cp_prefs_init(p, NULL, 0);
	for(i = 0; i < sizeof(bad_methods) / sizeof(bad_methods[0]); i++)
		assert_int_equal(cp_prefs_set_request(p, bad_methods[i],
								 strlen(bad_methods[i]), NULL, 0, &d),
				CP_ERR_SYNTAX);
	assert_string_equal(d.reason, "invalid request method");
	assert_int_equal(cp_prefs_set_request(p, "SUBSCRIBE", 9, "a b", 3, &d),
			CP_ERR_SYNTAX);
	assert_string_equal(d.reason, "invalid event package");
	memset(longm, 'M', sizeof(longm));
	assert_int_equal(
			cp_prefs_set_request(p, longm, 257, NULL, 0, &d), CP_ERR_LIMIT);
	assert_int_equal(
			cp_prefs_set_request(p, "SUBSCRIBE", 9, "presence.winfo", 14, &d),
			CP_OK);
}

/* Tokens compare case-insensitively, so "message" matches MESSAGE. */
static void implicit_case_insensitive(void **state)
{
	static const struct tc c = {
			.method = "message",
			.c = {{"methods=\"MESSAGE\"", -1}, {"methods=\"INVITE\"", -1}},
			.verdicts = "kq",
			.order = {{1, 1.0}},
	};
	static const struct tc ev = {
			.method = "SUBSCRIBE",
			.event = "Presence",
			.c = {{"methods=\"SUBSCRIBE\";events=\"presence\"", -1},
					{"methods=\"SUBSCRIBE\";events=\"dialog\"", -1}},
			.verdicts = "kq",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
	tc_run(&ev);
}

static void disposition(void **state)
{
	static const struct
	{
		const char *name;
		unsigned int bit;
	} dir[] = {
			{"proxy", CP_DISP_PROXY},
			{"redirect", CP_DISP_REDIRECT},
			{"cancel", CP_DISP_CANCEL},
			{"no-cancel", CP_DISP_NO_CANCEL},
			{"fork", CP_DISP_FORK},
			{"no-fork", CP_DISP_NO_FORK},
			{"recurse", CP_DISP_RECURSE},
			{"no-recurse", CP_DISP_NO_RECURSE},
			{"parallel", CP_DISP_PARALLEL},
			{"sequential", CP_DISP_SEQUENTIAL},
			{"queue", CP_DISP_QUEUE},
			{"no-queue", CP_DISP_NO_QUEUE},
	};
	cp_prefs_t *p = prefs_buf();
	cp_diag_t d;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(dir) / sizeof(dir[0]); i++) {
		cp_prefs_init(p, NULL, 0);
		assert_int_equal(add_hdr(p, 'd', dir[i].name, &d), CP_OK);
		assert_int_equal(cp_prefs_disposition(p), dir[i].bit);
	}
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(add_hdr(p, 'd', " Proxy ,\r\n SEQUENTIAL", &d), CP_OK);
	assert_int_equal(add_hdr(p, 'd', "no-cancel,no-queue", &d), CP_OK);
	assert_int_equal(cp_prefs_disposition(p), CP_DISP_PROXY | CP_DISP_SEQUENTIAL
													  | CP_DISP_NO_CANCEL
													  | CP_DISP_NO_QUEUE);
	/* the type of a directive seen in an earlier header counts too */
	assert_int_equal(add_hdr(p, 'd', "fork, parallel", &d), CP_ERR_SYNTAX);
	assert_string_equal(
			d.reason, "two Request-Disposition directives of one type");
	assert_int_equal(d.offset, 6);
	/* and the failed header added nothing */
	assert_int_equal(cp_prefs_disposition(p), CP_DISP_PROXY | CP_DISP_SEQUENTIAL
													  | CP_DISP_NO_CANCEL
													  | CP_DISP_NO_QUEUE);
	assert_int_equal(add_hdr(p, 'd', "", &d), CP_ERR_SYNTAX);
	assert_string_equal(d.reason, "empty Request-Disposition directive");
	assert_int_equal(add_hdr(p, 'd', "fork,", &d), CP_ERR_SYNTAX);
	assert_int_equal(add_hdr(p, 'd', "fork;x", &d), CP_ERR_SYNTAX);
	assert_string_equal(d.reason, "invalid character in Request-Disposition");
}

static void verdict_names(void **state)
{
	(void)state;
	assert_string_equal(cp_verdict_name(CP_KEPT), "kept");
	assert_string_equal(cp_verdict_name(CP_IMMUNE), "immune");
	assert_string_equal(cp_verdict_name(CP_DROP_REQUIRE), "dropped-by-require");
	assert_string_equal(
			cp_verdict_name(CP_DROP_EXPLICIT), "dropped-by-explicit");
	assert_string_equal(cp_verdict_name(CP_REJECTED), "rejected");
	assert_string_equal(cp_verdict_name(CP_SKIPPED), "skipped");
	assert_string_equal(cp_verdict_name((enum cp_verdict)42), "unknown");
}

/* cp_prefs_init() with limits out of range falls back to the defaults. */
static void init_with_bad_limits(void **state)
{
	cp_limits_t lim = cp_limits_default;
	cp_prefs_t *p = prefs_buf();
	cp_diag_t d;

	(void)state;
	lim.values_per_header = 1;
	cp_prefs_init(p, &lim, 0);
	assert_int_equal(add_hdr(p, 'a', "*;audio,*;video", &d), CP_ERR_LIMIT);
	lim.values_per_header = 0;
	cp_prefs_init(p, &lim, 0);
	assert_int_equal(add_hdr(p, 'a', "*;audio,*;video", &d), CP_OK);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(add_hdr(p, 'a', "*;audio,*;video", &d), CP_OK);
}

/* cp_prefs_has_accept() (cp_find.c) compares canonical encodings. */
static void has_accept(void **state)
{
	cp_prefs_t *p = prefs_buf();
	char e[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;

	(void)state;
	assert_int_equal(enc(PT "=\"mms.ua\"", e, &n, &d), 1);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 0, 0), 0);
	assert_int_equal(add_hdr(p, 'j', "*;" PT "=\"mms.ua\"", &d), CP_OK);
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"sms.ua\"", &d), CP_OK);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 0, 0), 0);
	assert_int_equal(
			add_hdr(p, 'a', "*;audio;+G.OMA.PushEventApp=MMS.UA;require", &d),
			CP_OK);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 0, 0), 1);
	assert_int_equal(cp_prefs_has_accept(p, "", 0, 0, 0), 0);
	assert_int_equal(cp_prefs_has_accept(p, "junk", 4, 0, 0), 0);
}

/* The stamp is a floor: a present value counts only when it is at least as
 * strict as the stamp (issue finding: a sender's own value without require
 * or explicit let a push reach devices of other applications). */
static void has_accept_strictness(void **state)
{
	cp_prefs_t *p = prefs_buf();
	char e[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;

	(void)state;
	assert_int_equal(enc(PT "=\"mms.ua\"", e, &n, &d), 1);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\"", &d), CP_OK);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 0, 0), 1);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 1, 0), 0);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 0, 1), 0);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 1, 1), 0);
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\";require", &d), CP_OK);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 1, 0), 1);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 1, 1), 0);
	/* the flags of one value, not of several together */
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\";explicit", &d), CP_OK);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 1, 1), 0);
	/* a stricter value (one more tag) counts */
	assert_int_equal(
			add_hdr(p, 'a', "*;audio;" PT "=\"mms.ua\";explicit;require", &d),
			CP_OK);
	assert_int_equal(cp_prefs_has_accept(p, e, n, 1, 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(limits),
			cmocka_unit_test(value_counts),
			cmocka_unit_test(failed_header_changes_nothing),
			cmocka_unit_test(require_explicit_flags),
			cmocka_unit_test(implicit_only_without_headers),
			cmocka_unit_test(request_method_and_event),
			cmocka_unit_test(implicit_case_insensitive),
			cmocka_unit_test(disposition),
			cmocka_unit_test(verdict_names),
			cmocka_unit_test(init_with_bad_limits),
			cmocka_unit_test(has_accept),
			cmocka_unit_test(has_accept_strictness),
	};

	return cmocka_run_group_tests_name("prefs", tests, NULL, NULL);
}
