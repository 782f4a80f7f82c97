/*
 * RFC 3841 matching: spec-notes section 5, CP-T01..CP-T38, each asserting
 * outcome, verdicts, order and Qa
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* RFC 4596 3.3 contacts (uri-user / uri-domain are not feature params) */
#define Y_DIALOG                                                             \
	"methods=\"INVITE,BYE,OPTIONS,ACK,CANCEL,SUBSCRIBE\";events=\"dialog\";" \
	"audio;schemes=\"sip\";mobility=\"fixed\";class=\"personal\""
#define Y_NOEVENTS                                         \
	"methods=\"INVITE,BYE,OPTIONS,ACK,CANCEL,SUBSCRIBE\";" \
	"audio;schemes=\"sip\";mobility=\"fixed\";class=\"personal\""
#define Y_PRES                                                        \
	"methods=\"SUBSCRIBE\";events=\"presence\";schemes=\"sip,pres\";" \
	"mobility=\"fixed\";class=\"business\""

/* RFC 3841 7.2.5 */
#define T01_CONTACTS                                                         \
	{                                                                        \
		{"audio;video;methods=\"INVITE,BYE\"", 200},                         \
				{"audio=\"FALSE\";methods=\"INVITE\";actor=\"msg-taker\"",   \
						200},                                                \
				{"audio;actor=\"msg-taker\";methods=\"INVITE\";video", 300}, \
				{"audio;methods=\"INVITE,OPTIONS\"", 200}, {"", 500},        \
	}
#define T01_ACCEPT                                           \
	{                                                        \
		"*;audio;require", "*;video;explicit",               \
				"*;methods=\"BYE\";class=\"business\";q=1.0" \
	}

static void cp_t01_rfc3841_example(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = T01_CONTACTS,
			.reject = {"*;actor=\"msg-taker\";video"},
			.accept = T01_ACCEPT,
			.verdicts = "kqrki",
			.order = {{5, 1.0}, {1, 2.5 / 3}, {4, 0.5}},
	};
	(void)state;
	tc_run(&c);
}

/* Clearwater's live test sends the same headers on a MESSAGE. */
static void cp_t01_rfc3841_example_message(void **state)
{
	static const struct tc c = {
			.c = T01_CONTACTS,
			.reject = {"*;actor=\"msg-taker\";video"},
			.accept = T01_ACCEPT,
			.verdicts = "kqrki",
			.order = {{5, 1.0}, {1, 2.5 / 3}, {4, 0.5}},
	};
	(void)state;
	tc_run(&c);
}

/* One header with all three values means the same as three headers. */
static void cp_t01_one_header(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = T01_CONTACTS,
			.reject = {"*;actor=\"msg-taker\";video"},
			.accept = {"*;audio;require, *;video;explicit ,\r\n "
					   "*;methods=\"BYE\";class=\"business\";q=1.0"},
			.verdicts = "kqrki",
			.order = {{5, 1.0}, {1, 2.5 / 3}, {4, 0.5}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t02_subscribe_presence_implicit(void **state)
{
	static const struct tc c = {
			.method = "SUBSCRIBE",
			.event = "presence",
			.c = {{Y_DIALOG ";uri-user=\"<Y1>\";uri-domain=\"example.com\"",
						  -1},
					{Y_DIALOG ";uri-user=\"<Y2>\";uri-domain=\"example.com\"",
							-1},
					{Y_PRES ";uri-user=\"<Yp>\";uri-domain=\"example.com\"",
							-1}},
			.verdicts = "qqk",
			.order = {{3, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t03_invite_implicit(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{Y_DIALOG, -1}, {Y_DIALOG, -1}, {Y_PRES, -1}},
			.verdicts = "kkq",
			.order = {{1, 1.0}, {2, 1.0}},
	};
	static const struct tc dialog = {
			.method = "SUBSCRIBE",
			.event = "dialog",
			.c = {{Y_DIALOG, -1}, {Y_DIALOG, -1}, {Y_PRES, -1}},
			.verdicts = "kkq",
			.order = {{1, 1.0}, {2, 1.0}},
	};
	(void)state;
	tc_run(&c);
	tc_run(&dialog);
}

static void cp_t04_partial_implicit(void **state)
{
	static const struct tc c = {
			.method = "SUBSCRIBE",
			.event = "presence",
			.c = {{Y_NOEVENTS, -1}, {Y_NOEVENTS, -1}, {Y_PRES, -1}},
			.verdicts = "kkk",
			.order = {{3, 1.0}, {1, 0.5}, {2, 0.5}},
	};
	(void)state;
	tc_run(&c);
}

#define Y5_1 "audio;methods=\"INVITE,BYE,OPTIONS,ACK,CANCEL\""
#define Y5_2 Y5_1 ";video"

static void cp_t05_q_dominates(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{Y5_1, 1000}, {Y5_2, 600}},
			.accept = {"*;methods=\"INVITE\";video"},
			.verdicts = "kk",
			.order = {{1, 0.5}, {2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t06_require_explicit(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{Y5_1, 1000}, {Y5_2, 600}},
			.accept = {"*;video;require;explicit"},
			.verdicts = "ek",
			.order = {{2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t07_maximal_overlap(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"audio;methods=\"INVITE\"", 1000},
					{"audio;+sip.message;methods=\"INVITE\"", 1000}},
			.accept = {"*;audio;video;+sip.message"},
			.verdicts = "kk",
			.order = {{2, 2.0 / 3}, {1, 1.0 / 3}},
	};
	(void)state;
	tc_run(&c);
}

#define T08_CONTACTS                                                    \
	{                                                                   \
		{"language=\"en\"", 1000}, {"language=\"es\"", 1000},           \
				{"language=\"en\"", 200}, {"language=\"es,en\"", 1000}, \
	}

static void cp_t08_separate_vs_combined(void **state)
{
	static const struct tc a = {
			.c = T08_CONTACTS,
			.accept = {"*;language=\"en\";require"},
			.verdicts = "kqkk",
			.order = {{1, 1.0}, {4, 1.0}, {3, 1.0}},
	};
	static const struct tc b = {
			.c = T08_CONTACTS,
			.accept = {"*;language=\"en\";require",
					"*;language=\"es\";require"},
			.verdicts = "qqqk",
			.order = {{4, 1.0}},
	};
	static const struct tc c = {
			.c = T08_CONTACTS,
			.accept = {"*;language=\"en,es\";require"},
			.verdicts = "kkkk",
			.order = {{1, 1.0}, {2, 1.0}, {4, 1.0}, {3, 1.0}},
	};
	(void)state;
	tc_run(&a);
	tc_run(&b);
	tc_run(&c);
}

#define T09_CONTACTS                                                   \
	{                                                                  \
		{"", 100}, {"+attendant", 1000}, {"+attendant;automata", 500}, \
				{"mobility=\"mobile\"", 100},                          \
	}

static void cp_t09_two_reject_values_vs_one(void **state)
{
	static const struct tc a = {
			.c = T09_CONTACTS,
			.reject = {"*;+attendant", "*;automata"},
			.verdicts = "irrk",
			.order = {{1, 1.0}, {4, 0.0}},
	};
	static const struct tc b = {
			.c = T09_CONTACTS,
			.reject = {"*;+attendant;automata"},
			.verdicts = "ikrk",
			.order = {{2, 0.0}, {1, 1.0}, {4, 0.0}},
	};
	(void)state;
	tc_run(&a);
	tc_run(&b);
}

static void cp_t10_immune_survives(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"", 1000}, {"automata", 500}},
			.accept = {"*;mobility=\"mobile\";require;explicit"},
			.verdicts = "ie",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t11_unconstrained_tag(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"", 1000}, {"automata", 500}},
			.accept = {"*;class=\"personal\""},
			.verdicts = "ik",
			.order = {{1, 1.0}, {2, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t12_implicit_revert(void **state)
{
	static const struct tc c = {
			.c = {{"methods=\"INVITE,BYE\"", 500}, {"methods=\"INVITE\"", 900}},
			.outcome = CP_OUT_REVERTED,
			.verdicts = "qq",
			.order = {{2, 0.0}, {1, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t13_implicit_partial(void **state)
{
	static const struct tc c = {
			.c = {{"methods=\"INVITE,BYE\"", 500},
					{"methods=\"INVITE,MESSAGE\"", 900}, {"audio", 900}},
			.verdicts = "qkk",
			.order = {{2, 1.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t14_explicit_empties_480(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"sms.ua\"", -1}},
			.accept = {"*;" PT "=\"mms.ua\";require"},
			.outcome = CP_OUT_NONE,
			.verdicts = "q",
	};
	(void)state;
	tc_run(&c);
}

#define PUSH3                                                  \
	{                                                          \
		{PT "=\"mms.ua\"", 1000}, {"", 1000}, {"audio", 1000}, \
	}

static void cp_t15_push_no_flags(void **state)
{
	static const struct tc c = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t16_push_require_explicit(void **state)
{
	static const struct tc c = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\";require;explicit"},
			.verdicts = "kie",
			.order = {{1, 1.0}, {2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t17_push_require_or_explicit(void **state)
{
	static const struct tc req = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\";require"},
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
	};
	static const struct tc exp = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\";explicit"},
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&req);
	tc_run(&exp);
}

static void cp_t18_app_mismatch(void **state)
{
	static const struct tc req = {
			.c = {{PT "=\"sms.ua\"", 1000}, {"", 500}},
			.accept = {"*;" PT "=\"mms.ua\";require"},
			.verdicts = "qi",
			.order = {{2, 1.0}},
	};
	static const struct tc noreq = {
			.c = {{PT "=\"sms.ua\"", 1000}, {PT "=\"mms.ua\"", 1000}},
			.accept = {"*;" PT "=\"mms.ua\""},
			.verdicts = "kk",
			.order = {{2, 1.0}, {1, 0.0}},
	};
	(void)state;
	tc_run(&req);
	tc_run(&noreq);
}

static void cp_t19_multi_valued_contact(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"mms.ua,sms.ua\"", -1}},
			.accept = {"*;" PT "=\"sms.ua\";require;explicit"},
			.verdicts = "k",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t20_case_insensitive(void **state)
{
	static const struct tc c = {
			.c = {{"+G.OMA.PushEventApp=\"MMS.UA\"", -1}},
			.accept = {"*;+g.oma.pusheventapp=\"mms.ua\";REQUIRE;Explicit"},
			.verdicts = "k",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t21_negated_accept(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"ulp.ua\"", -1}, {PT "=\"mms.ua\"", -1},
					{PT "=\"ulp.ua,mms.ua\"", -1}},
			.accept = {"*;" PT "=\"!ulp.ua\";require"},
			.verdicts = "qkk",
			.order = {{2, 1.0}, {3, 1.0}},
	};
	static const struct tc clearwater = {
			.c = {{"+sip.test=\"hello,goodbye\"", -1}},
			.accept = {"*;+sip.test=\"!hello\";explicit;require"},
			.verdicts = "k",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
	tc_run(&clearwater);
}

static void cp_t22_averaging_surprise(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"audio;video=\"FALSE\"", 1000}, {"audio;+y", 1000}},
			.accept = {"*;audio", "*;video;+y"},
			.verdicts = "kk",
			.order = {{1, 1.0}, {2, 0.75}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t23_negated_contact_value(void **state)
{
	static const struct tc c = {
			.method = "SUBSCRIBE",
			.event = "presence",
			.c = {{"events=\"!presence,message-summary\";methods=\"SUBSCRIBE\"",
						  -1},
					{"events=\"presence\";methods=\"SUBSCRIBE\"", -1}},
			.verdicts = "qk",
			.order = {{2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t24_numeric_ranges(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"priority=\"#>=30\"", -1}, {"priority=\"#10:20\"", -1},
					{"audio", -1}},
			.accept = {"*;priority=\"#=40\";require"},
			.verdicts = "kqk",
			.order = {{1, 1.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t25_inclusive_bounds(void **state)
{
	static const struct tc c = {
			.c = {{"+x=\"#>=5\"", -1}, {"+x=\"#=5.5\"", -1},
					{"+x=\"#-4:+5.125\"", -1}},
			.accept = {"*;+x=\"#<=5\";require"},
			.verdicts = "kqk",
			.order = {{1, 1.0}, {3, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t26_strings_vs_tokens(void **state)
{
	static const struct tc c = {
			.c = {{"description=\"<PC>\"", -1}, {"description=\"<pc>\"", -1},
					{"description=\"pc\"", -1}},
			.accept = {"*;description=\"<pc>\";require"},
			.verdicts = "qkq",
			.order = {{2, 1.0}},
	};
	static const struct tc push = {
			.c = {{PT "=\"<MMS.UA>\"", -1}},
			.accept = {"*;" PT "=\"<mms.ua>\";require"},
			.outcome = CP_OUT_NONE,
			.verdicts = "q",
	};
	(void)state;
	tc_run(&c);
	tc_run(&push);
}

static void cp_t27_empty_reject(void **state)
{
	static const struct tc c = {
			.c = {{"audio", -1}, {"", -1}},
			.reject = {"*"},
			.verdicts = "ri",
			.order = {{2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t28_accept_q_ignored(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"audio", 1000}, {"video", 1000}},
			.accept = {"*;video;q=0.1", "*;audio;q=1.0"},
			.verdicts = "kk",
			.order = {{1, 0.5}, {2, 0.5}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t29_boolean_true(void **state)
{
	static const struct tc req = {
			.c = {{"video", -1}, {"video=\"FALSE\"", -1},
					{"video=\"TRUE\";audio", -1}},
			.accept = {"*;video=\"TRUE\";require"},
			.verdicts = "kqk",
			.order = {{1, 1.0}, {3, 1.0}},
	};
	static const struct tc noreq = {
			.c = {{"video", -1}, {"video=\"FALSE\"", -1}},
			.accept = {"*;video"},
			.verdicts = "kk",
			.order = {{1, 1.0}, {2, 0.0}},
	};
	(void)state;
	tc_run(&req);
	tc_run(&noreq);
}

static void cp_t30_reject_needs_all_tags(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"actor=\"msg-taker\"", -1},
					{"actor=\"msg-taker\";video", -1},
					{"actor=\"msg-taker\";video=\"FALSE\"", -1}},
			.reject = {"*;actor=\"msg-taker\";video"},
			.verdicts = "krk",
			.order = {{1, 0.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t31_negated_reject(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"mms.ua\"", -1}, {PT "=\"sms.ua\"", -1},
					{"audio", -1}},
			.reject = {"*;" PT "=\"!mms.ua\""},
			.verdicts = "krk",
			.order = {{1, 0.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t32_instance_not_immune(void **state)
{
	static const struct tc c = {
			.c = {{"+sip.instance=\"<urn:uuid:aa>\";reg-id=1", -1},
					{"reg-id=1;expires=600", -1}},
			.accept = {"*;" PT "=\"mms.ua\";require;explicit"},
			.verdicts = "ei",
			.order = {{2, 1.0}},
	};
	static const struct tc noflags = {
			.c = {{"+sip.instance=\"<urn:uuid:aa>\";reg-id=1", -1},
					{PT "=\"mms.ua\";+sip.instance=\"<urn:uuid:bb>\"", -1}},
			.accept = {"*;" PT "=\"mms.ua\""},
			.verdicts = "kk",
			.order = {{2, 1.0}, {1, 0.0}},
	};
	(void)state;
	tc_run(&c);
	tc_run(&noflags);
}

/* The encoding keeps only the +sip.instance tag; its value is the one the
 * target brings (registrar's copy), and without one the tag counts as
 * damaged, so absent. */
static void instance_value_from_target(void **state)
{
	static const struct tc c = {
			.c = {{"+sip.instance=\"<urn:uuid:aa>\"", -1},
					{"+sip.instance=\"<urn:uuid:bb>\"", -1},
					{"+sip.instance=\"<urn:uuid:aa>\"", -1},
					{"+sip.instance=\"<urn:uuid:aa>\"", -1}},
			.instances = {"<urn:uuid:aa>", "<urn:uuid:bb>", NULL, "urn:uuid:aa"},
			.accept = {"*;+sip.instance=\"<urn:uuid:aa>\";require;explicit"},
			.verdicts = "kqee",
			.order = {{1, 1.0}},
	};
	static const struct tc escaped = {
			.c = {{"+sip.instance=\"<a%b>\"", -1},
					{"+sip.instance=\"<a%25b>\"", -1}},
			.instances = {"<a%b>", "<a%25b>"},
			.accept = {"*;+sip.instance=\"<a%b>\";require"},
			.verdicts = "kq",
			.order = {{1, 1.0}},
	};
	static const char params[] = ";+sip.instance=\"<urn:uuid:aa>\";audio";
	char e[CP_FSET_MAX], text[CP_FSET_MAX];
	cp_diag_t d;
	size_t n;

	(void)state;
	tc_run(&c);
	tc_run(&escaped);
	assert_int_equal(cp_fset_encode(params, strlen(params), NULL, e,
							 sizeof(e), &n, &d),
			2);
	assert_string_equal(e, "209sip.audioF008+004true0csip.instancei000");
	assert_true(cp_fset_render(e, n, "<urn:uuid:aa>", 13, text, sizeof(text)) > 0);
	assert_string_equal(text, ";audio;+sip.instance=\"<urn:uuid:aa>\"");
	assert_true(cp_fset_render(e, n, NULL, 0, text, sizeof(text)) > 0);
	assert_string_equal(text, ";audio;+sip.instance=\"<>\"");
	/* a token value is kept like any other */
	assert_int_equal(
			cp_fset_encode("+sip.instance=abc", 17, NULL, e, sizeof(e), &n, &d), 1);
	assert_string_equal(e, "20csip.instancef007+003abc");
}

static void cp_t33_explicit_partial(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"mms.ua\"", -1}, {PT "=\"mms.ua\";+g.3gpp.smsip", -1}},
			.accept = {"*;" PT "=\"mms.ua\";+g.3gpp.smsip;explicit"},
			.verdicts = "kk",
			.order = {{2, 1.0}, {1, 0.0}},
	};
	static const struct tc req = {
			.c = {{PT "=\"mms.ua\"", -1}, {PT "=\"mms.ua\";+g.3gpp.smsip", -1}},
			.accept = {"*;" PT "=\"mms.ua\";+g.3gpp.smsip;explicit;require"},
			.verdicts = "ek",
			.order = {{2, 1.0}},
	};
	(void)state;
	tc_run(&c);
	tc_run(&req);
}

static void cp_t34_plus_base_skipped(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"video;+video=\"FALSE\"", -1},
					{"+video=\"FALSE\";video", -1}},
			.accept = {"*;video;require"},
			.verdicts = "kk",
			.order = {{1, 1.0}, {2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t35_featureless_accept(void **state)
{
	static const struct tc c = {
			.method = "INVITE",
			.c = {{"audio", 1000}, {"video", 500}},
			.accept = {"*;require;explicit"},
			.verdicts = "kk",
			.order = {{1, 1.0}, {2, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

static void cp_t36_implicit_push_contact(void **state)
{
	static const struct tc c = {
			.c = {{PT "=\"mms.ua\";methods=\"MESSAGE,OPTIONS\"", -1},
					{"methods=\"INVITE\"", -1}},
			.verdicts = "kq",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&c);
}

/* CP-T37 on the CP-T15 result; fork classes as cpref.h documents them:
 * the three bindings share one q value, so by default they are one class,
 * forked together, the one that matches less (Qa 0) last in it. */
static void cp_t37_request_disposition(void **state)
{
	static const int c001[] = {0, 0, 1}, c012[] = {0, 1, 2}, c000[] = {0, 0, 0},
					 c0[] = {0};
	static const struct tc dflt = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
			.classes = c000,
	};
	/* qa_fork_classes: each Qa of a q value a serial step */
	static const struct tc by_qa = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.qa_classes = 1,
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
			.classes = c001,
	};
	static const struct tc nofork = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.disp = "no-fork",
			.verdicts = "kik",
			.order = {{1, 1.0}},
			.classes = c0,
	};
	static const struct tc seq = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.disp = "sequential",
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
			.classes = c012,
	};
	static const struct tc par = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.disp = "parallel",
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
			.classes = c000,
	};
	/* redirect is the glue's job: the order stays, it writes the q-values */
	static const struct tc redir = {
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\""},
			.disp = "redirect",
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
			.classes = c000,
	};
	(void)state;
	tc_run(&dflt);
	tc_run(&by_qa);
	tc_run(&nofork);
	tc_run(&seq);
	tc_run(&par);
	tc_run(&redir);
}

static void cp_t38_divergences(void **state)
{
	static const struct tc a = {
			.c = {{"+t=\"!goodbye\"", -1}},
			.accept = {"*;+t=\"!hello\";require"},
			.verdicts = "k",
			.order = {{1, 1.0}},
	};
	static const struct tc b = {
			.c = {{"+x=\"!#>=3\"", -1}},
			.accept = {"*;+x=\"!#<=5\";require"},
			.outcome = CP_OUT_NONE,
			.verdicts = "q",
	};
	static const struct tc c = {
			.c = {{"+x=\"#=5\"", -1}},
			.accept = {"*;+x=\"!foo\";require"},
			.outcome = CP_OUT_NONE,
			.verdicts = "q",
	};
	static const struct tc d = {
			.c = {{"+b=\"!TRUE\"", -1}},
			.accept = {"*;+b=\"!FALSE\";require"},
			.outcome = CP_OUT_NONE,
			.verdicts = "q",
	};
	static const struct tc e = {
			.c = {{"+x=\"#5:2\"", -1}},
			.accept = {"*;+x=\"#=3\";require"},
			.verdicts = "k",
			.order = {{1, 1.0}},
	};
	(void)state;
	tc_run(&a);
	tc_run(&b);
	tc_run(&c);
	tc_run(&d);
	tc_run(&e);
}

/* ---- engine behaviour beyond the CP-T list ---- */

static void strict_explicit_policy(void **state)
{
	static const struct tc strict = {
			.strict = 1,
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\";require;explicit"},
			.verdicts = "kee",
			.order = {{1, 1.0}},
	};
	/* only require+explicit predicates withdraw immunity */
	static const struct tc req_only = {
			.strict = 1,
			.c = PUSH3,
			.accept = {"*;" PT "=\"mms.ua\";require"},
			.verdicts = "kik",
			.order = {{1, 1.0}, {2, 1.0}, {3, 0.0}},
	};
	(void)state;
	tc_run(&strict);
	tc_run(&req_only);
}

static void no_method_no_implicit_predicate(void **state)
{
	cp_prefs_t *p = prefs_buf();
	char fs[CP_FSET_MAX];
	cp_target_t t = {.fset = fs, .fset_len = 0, .q = 700};
	cp_result_t r;
	size_t order, used;
	cp_diag_t d;

	(void)state;
	assert_int_equal(enc("methods=\"INVITE\"", fs, &t.fset_len, &d), 1);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(cp_evaluate(p, &t, 1, &r, &order, &used), CP_OUT_MATCHED);
	assert_int_equal(r.verdict, CP_KEPT);
	assert_int_equal(used, 1);
	assert_int_equal(cp_evaluate(p, &t, 0, &r, &order, &used), CP_OUT_EMPTY);
	assert_int_equal(used, 0);
}

/* A stored encoding that is junk advertises nothing but is not immune. */
static void invalid_encoding_advertises_nothing(void **state)
{
	static const char *junk[] = {"x", "2zz", "212g.oma.pusheventappf",
			"206audiof008+004true",
			"2"
			"05audioq005+001x",
			/* version '1', before item byte counts */
			"112g.oma.pusheventappf+006mms.ua", "1"};
	cp_prefs_t *p = prefs_buf();
	cp_target_t t[2] = {{0}};
	cp_result_t r[2];
	size_t order[2], used, i, n;
	cp_diag_t d;

	(void)state;
	for(i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		char *e = dup_exact(junk[i], &n);
		t[0].fset = e;
		t[0].fset_len = n;
		t[0].q = -1;
		t[1].fset = NULL;
		t[1].fset_len = 0;
		t[1].q = -1;
		cp_prefs_init(p, NULL, 0);
		assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\"", &d), CP_OK);
		assert_int_equal(cp_evaluate(p, t, 2, r, order, &used), CP_OUT_MATCHED);
		assert_int_equal(r[0].verdict, CP_KEPT);
		assert_true(r[0].qa == 0.0);
		assert_int_equal(r[1].verdict, CP_IMMUNE);
		cp_prefs_init(p, NULL, 0);
		assert_int_equal(
				add_hdr(p, 'a', "*;" PT "=\"mms.ua\";require;explicit", &d),
				CP_OK);
		cp_evaluate(p, t, 2, r, order, &used);
		assert_int_equal(r[0].verdict, CP_DROP_EXPLICIT);
		/* a Reject value naming a tag never applies to it... */
		cp_prefs_init(p, NULL, 0);
		assert_int_equal(add_hdr(p, 'j', "*;audio", &d), CP_OK);
		cp_evaluate(p, t, 2, r, order, &used);
		assert_int_equal(r[0].verdict, CP_KEPT);
		/* ...but one naming no tag does */
		cp_prefs_init(p, NULL, 0);
		assert_int_equal(add_hdr(p, 'j', "*", &d), CP_OK);
		cp_evaluate(p, t, 2, r, order, &used);
		assert_int_equal(r[0].verdict, CP_REJECTED);
		free(e);
	}
}

/* Judge a single stored encoding (exact-length copy) against one header. */
static enum cp_verdict judge1(const char *fset, size_t n, char kind,
		const char *hdr, int strict, double *qa)
{
	cp_prefs_t *p = prefs_buf();
	char *e = malloc(n ? n : 1);
	cp_target_t t = {.fset = e, .fset_len = n, .q = -1};
	cp_result_t r;
	size_t order, used;
	cp_diag_t d;

	assert_non_null(e);
	memcpy(e, fset, n);
	cp_prefs_init(p, NULL, strict);
	assert_int_equal(add_hdr(p, kind, hdr, &d), CP_OK);
	cp_evaluate(p, &t, 1, &r, &order, &used);
	free(e);
	if(qa)
		*qa = r.qa;
	return r.verdict;
}

#define J(fs, kind, hdr) judge1(fs, strlen(fs), kind, hdr, 0, NULL)

/* spec-notes BAD-13: a damaged tag counts as absent, the others as they
 * are. */
static void damaged_tag_is_absent(void **state)
{
	/* the push tag before a tag sorting before it */
	static const char *unsorted = "2"
								  "09sip.audioF008+004TRUE"
								  "12g.oma.pusheventappf00a+006mms.ua";
	/* sip.audio damaged (tokens are stored lower case), push tag good */
	static const char *fs = "2"
							"12g.oma.pusheventappf00a+006mms.ua"
							"09sip.audioF008+004TRUE";
	static const char *ok = "2"
							"12g.oma.pusheventappf00a+006mms.ua"
							"09sip.audioF008+004true";
	double qa;

	(void)state;
	assert_int_equal(cp_fset_validate(ok, strlen(ok)), CP_OK);
	assert_int_equal(cp_fset_validate(fs, strlen(fs)), CP_ERR_SYNTAX);
	/* the good tag matches */
	assert_int_equal(judge1(fs, strlen(fs), 'a',
							 "*;" PT "=\"mms.ua\";require;explicit", 0, &qa),
			CP_KEPT);
	assert_true(qa == 1.0);
	assert_int_equal(J(fs, 'a', "*;" PT "=\"sms.ua\";require"),
			CP_DROP_REQUIRE);
	assert_int_equal(J(fs, 'j', "*;" PT "=\"mms.ua\""), CP_REJECTED);
	/* the damaged one is absent: never a mismatch, never common */
	assert_int_equal(J(fs, 'a', "*;audio=\"FALSE\";require"), CP_KEPT);
	assert_int_equal(J(ok, 'a', "*;audio=\"FALSE\";require"), CP_DROP_REQUIRE);
	assert_int_equal(J(fs, 'a', "*;audio;require;explicit"), CP_DROP_EXPLICIT);
	assert_int_equal(J(ok, 'a', "*;audio;require;explicit"), CP_KEPT);
	assert_int_equal(judge1(fs, strlen(fs), 'a',
							 "*;audio;" PT "=\"mms.ua\";require", 0, &qa),
			CP_KEPT);
	assert_true(fabs(qa - 0.5) < QA_TOL);
	assert_int_equal(J(fs, 'j', "*;audio"), CP_KEPT);
	assert_int_equal(J(ok, 'j', "*;audio"), CP_REJECTED);
	assert_int_equal(J(fs, 'j', "*;audio;" PT "=\"mms.ua\""), CP_KEPT);
	/* out of order: a tag counts only when every tag before it sorts
	 * strictly before it */
	assert_int_equal(J(unsorted, 'a', "*;" PT "=\"mms.ua\";require;explicit"),
			CP_DROP_EXPLICIT);
	assert_int_equal(J("2"
					   "09sip.audioF008+004true"
					   "12g.oma.pusheventappf00a+006mms.ua",
							 'a', "*;audio;require;explicit"),
			CP_KEPT);
	/* a duplicate: the first one counts */
	assert_int_equal(J("2"
					   "12g.oma.pusheventappf00a+006sms.ua"
					   "12g.oma.pusheventappf00a+006mms.ua",
							 'a', "*;" PT "=\"mms.ua\";require"),
			CP_DROP_REQUIRE);
	assert_int_equal(J("2"
					   "12g.oma.pusheventappf00a+006sms.ua"
					   "12g.oma.pusheventappf00a+006mms.ua",
							 'a', "*;" PT "=\"sms.ua\";require;explicit"),
			CP_KEPT);
	/* an item byte count that is wrong but within bounds damages only its
	 * tag: the next one is read where the count says */
	assert_int_equal(J("2"
					   "05audiof009+003abc"
					   "12g.oma.pusheventappf00a+006mms.ua",
							 'a', "*;" PT "=\"mms.ua\";require;explicit"),
			CP_DROP_EXPLICIT);
	assert_int_equal(J("2"
					   "05audiof007+003abc"
					   "01bf005+001a"
					   "12g.oma.pusheventappf00a+006mms.ua",
							 'a', "*;" PT "=\"mms.ua\";require;explicit"),
			CP_KEPT);
	assert_int_equal(J("2"
					   "05audiof007+003ABC"
					   "12g.oma.pusheventappf00a+006mms.ua",
							 'a', "*;" PT "=\"mms.ua\";require;explicit"),
			CP_KEPT);
	/* a structural break hides the tags from there on, not those before */
	assert_int_equal(J("2"
					   "05audiof007+003abc"
					   "12g.oma.pusheventappfzzz+006mms.ua",
							 'a', "*;" PT "=\"mms.ua\";require;explicit"),
			CP_DROP_EXPLICIT);
	assert_int_equal(J("2"
					   "05audiof007+003abc"
					   "12g.oma.pusheventappfzzz+006mms.ua",
							 'a', "*;+audio=\"abc\";require;explicit"),
			CP_KEPT);
}

/* Truncations and single-byte damage of a push contact: never immune,
 * never a read past the stored bytes (ASan), and a tag before the damage
 * still counts. */
static void damage_never_immune(void **state)
{
	static const char *params = ";+g.3gpp.smsip;+sip.instance=\"<urn:uuid:"
								"aa>\";" PT "=\"mms.ua,ulp.ua\";methods="
								"\"MESSAGE,OPTIONS\";audio";
	static const char *const hdrs[] = {"*;" PT "=\"mms.ua\";require;explicit",
			"*;+g.3gpp.smsip;require;explicit", "*;methods=\"MESSAGE\"",
			"*;audio;video;require", "*"};
	static const unsigned char subst[] = {'0', '9', 'f', 'g', 'F', '+', '!',
			'#', 's', 'z', '%', 0x00, 0x7f, 0xff};
	char fs[CP_FSET_MAX], bad[CP_FSET_MAX], fixed[CP_FSET_MAX + 32];
	size_t n, len, i, k, h;
	cp_diag_t d;

	(void)state;
	assert_int_equal(enc(params, fs, &n, &d), 5);
	/* "g.3gpp.smsip" is the first tag */
	assert_memory_equal(fs, "20cg.3gpp.smsipF008+004true", 27);
	for(h = 0; h < sizeof(hdrs) / sizeof(hdrs[0]); h++) {
		for(len = 2; len < n; len++) { /* "2" alone: no tags */
			double qa, qf;
			enum cp_verdict v = judge1(fs, len, 'a', hdrs[h], 1, &qa);
			size_t fl = intact(fs, len, fixed, sizeof(fixed));
			assert_int_not_equal(v, CP_IMMUNE);
			assert_int_equal(v, judge1(fixed, fl, 'a', hdrs[h], 1, &qf));
			assert_true(qa == qf);
			/* the complete first tag still counts */
			if(h == 1 && len >= 27)
				assert_int_equal(v, CP_KEPT);
		}
		for(i = 0; i < n; i++) {
			for(k = 0; k < sizeof(subst); k++) {
				double qa, qf;
				enum cp_verdict v;
				size_t fl;
				memcpy(bad, fs, n);
				bad[i] = (char)subst[k];
				v = judge1(bad, n, 'a', hdrs[h], 0, &qa);
				fl = intact(bad, n, fixed, sizeof(fixed));
				assert_int_not_equal(v, CP_IMMUNE);
				assert_int_equal(v, judge1(fixed, fl, 'a', hdrs[h], 0, &qf));
				assert_true(qa == qf);
			}
		}
	}
}

/* Only CP_MAX_TARGETS targets are evaluated, the rest are skipped. */
static void targets_beyond_ceiling_skipped(void **state)
{
	size_t n = CP_MAX_TARGETS + 3, i, used;
	cp_target_t *t = calloc(n, sizeof(*t));
	cp_result_t *r = calloc(n, sizeof(*r));
	size_t *order = calloc(n, sizeof(*order));
	cp_prefs_t *p = prefs_buf();

	(void)state;
	for(i = 0; i < n; i++)
		t[i].q = (int)(i % 1001);
	cp_prefs_init(p, NULL, 0);
	assert_int_equal(cp_evaluate(p, t, n, r, order, &used), CP_OUT_MATCHED);
	assert_int_equal(used, CP_MAX_TARGETS);
	for(i = 0; i < n; i++)
		assert_int_equal(
				r[i].verdict, i < CP_MAX_TARGETS ? CP_IMMUNE : CP_SKIPPED);
	for(i = 1; i < used; i++)
		assert_true(t[order[i - 1]].q >= t[order[i]].q);
	assert_int_equal(r[CP_MAX_TARGETS].position, -1);
	assert_string_equal(cp_verdict_name(r[n - 1].verdict), "skipped");
	free(t);
	free(r);
	free(order);
}

/* "#a:b" ranges a, a + step, ... as one tag-value-list, count of them. */
static void ranges(char *out, size_t size, int first, int step, int count)
{
	size_t len = 0;
	int i;

	for(i = 0; i < count; i++) {
		int n = snprintf(out + len, size - len, "%s#%d:%d", i ? "," : "",
				first + i * step, first + i * step + 1);
		assert_true(n > 0 && (size_t)n < size - len);
		len += (size_t)n;
	}
}

/* Issue finding 3: 1000 bindings with 15 numeric ranges each against 16
 * Accept-Contact values of 28 disjoint ranges cost 150-200 ms per push.
 * The work budget ends such an evaluation early; with the ceiling as
 * budget the same evaluation completes (and matches nothing). */
static void budget_ends_amplification(void **state)
{
	size_t n = 1000, i, used;
	cp_target_t *t = calloc(n, sizeof(*t));
	cp_result_t *r = calloc(n, sizeof(*r));
	size_t *order = calloc(n, sizeof(*order));
	cp_prefs_t *p = prefs_buf();
	cp_limits_t lim = cp_limits_default;
	char list[256], param[300], fs[CP_FSET_MAX], hdr[300];
	size_t fs_len;
	cp_diag_t d;

	(void)state;
	ranges(list, sizeof(list), 1, 4, 15);
	snprintf(param, sizeof(param), "+u.x=\"%s\"", list);
	assert_int_equal(enc(param, fs, &fs_len, &d), 1);
	for(i = 0; i < n; i++) {
		t[i].fset = fs;
		t[i].fset_len = fs_len;
		t[i].q = -1;
	}
	ranges(list, sizeof(list), 100, 2, 28);
	snprintf(hdr, sizeof(hdr), "*;+u.x=\"%s\"", list);
	cp_prefs_init(p, NULL, 0);
	for(i = 0; i < 16; i++)
		assert_int_equal(add_hdr(p, 'a', hdr, &d), CP_OK);
	assert_int_equal(cp_evaluate(p, t, n, r, order, &used), CP_OUT_BUDGET);
	assert_int_equal(used, 0);
	assert_int_equal(r[n - 1].verdict, CP_SKIPPED);
	assert_int_equal(r[n - 1].position, -1);

	lim.work = CP_MAX_WORK;
	cp_prefs_init(p, &lim, 0);
	for(i = 0; i < 16; i++)
		assert_int_equal(add_hdr(p, 'a', hdr, &d), CP_OK);
	assert_int_equal(cp_evaluate(p, t, n, r, order, &used), CP_OUT_MATCHED);
	assert_int_equal(used, n);
	assert_int_equal(r[0].verdict, CP_KEPT);
	assert_true(r[0].qa == 0.0);
	free(t);
	free(r);
	free(order);
}

/* Work is charged per target: a budget that fits one target exactly fits
 * three targets at three times the budget and not one unit less; a request
 * out of budget uses no target. Invalid budgets fall back to the default. */
static void budget_per_target(void **state)
{
	cp_target_t t[3] = {{0}};
	cp_result_t r[3];
	size_t order[3], used, i;
	cp_prefs_t *p = prefs_buf();
	cp_limits_t lim = cp_limits_default;
	char fs[CP_FSET_MAX];
	size_t fs_len;
	unsigned long one = 0;
	cp_diag_t d;

	(void)state;
	assert_int_equal(enc(PT "=\"mms.ua\"", fs, &fs_len, &d), 1);
	for(i = 0; i < 3; i++) {
		t[i].fset = fs;
		t[i].fset_len = fs_len;
		t[i].q = -1;
	}
	for(lim.work = 1; lim.work < 100 && one == 0; lim.work++) {
		cp_prefs_init(p, &lim, 0);
		assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\"", &d), CP_OK);
		if(cp_evaluate(p, t, 1, r, order, &used) == CP_OUT_MATCHED)
			one = lim.work;
		else
			assert_int_equal(used, 0);
	}
	assert_true(one > 1);
	lim.work = 3 * one - 1;
	cp_prefs_init(p, &lim, 0);
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\"", &d), CP_OK);
	assert_int_equal(cp_evaluate(p, t, 3, r, order, &used), CP_OUT_BUDGET);
	assert_int_equal(used, 0);
	assert_int_equal(r[2].verdict, CP_SKIPPED);
	assert_int_equal(r[2].position, -1);
	lim.work = 3 * one;
	cp_prefs_init(p, &lim, 0);
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\"", &d), CP_OK);
	assert_int_equal(cp_evaluate(p, t, 3, r, order, &used), CP_OUT_MATCHED);
	assert_int_equal(used, 3);

	lim.work = 0;
	assert_int_equal(cp_limits_check(&lim), -1);
	lim.work = CP_MAX_WORK + 1;
	assert_int_equal(cp_limits_check(&lim), -1);
	cp_prefs_init(p, &lim, 0);
	assert_int_equal(add_hdr(p, 'a', "*;" PT "=\"mms.ua\"", &d), CP_OK);
	assert_int_equal(cp_evaluate(p, t, 3, r, order, &used), CP_OUT_MATCHED);
}

/* q -1 ranks as 1000; equal (q, Qa) keeps location order. */
static void q_default_and_stable_order(void **state)
{
	static const int cls[] = {0, 0, 0, 1};
	static const struct tc c = {
			.c = {{"audio", 999}, {"", -1}, {"", 1000}, {"audio", -1}},
			.accept = {"*;audio"},
			.verdicts = "kiik",
			.order = {{2, 1.0}, {3, 1.0}, {4, 1.0}, {1, 1.0}},
			.classes = cls,
	};
	/* contact 4 (q unset, Qa 1) ties with the immune ones: same class */
	(void)state;
	tc_run(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(cp_t01_rfc3841_example),
			cmocka_unit_test(cp_t01_rfc3841_example_message),
			cmocka_unit_test(cp_t01_one_header),
			cmocka_unit_test(cp_t02_subscribe_presence_implicit),
			cmocka_unit_test(cp_t03_invite_implicit),
			cmocka_unit_test(cp_t04_partial_implicit),
			cmocka_unit_test(cp_t05_q_dominates),
			cmocka_unit_test(cp_t06_require_explicit),
			cmocka_unit_test(cp_t07_maximal_overlap),
			cmocka_unit_test(cp_t08_separate_vs_combined),
			cmocka_unit_test(cp_t09_two_reject_values_vs_one),
			cmocka_unit_test(cp_t10_immune_survives),
			cmocka_unit_test(cp_t11_unconstrained_tag),
			cmocka_unit_test(cp_t12_implicit_revert),
			cmocka_unit_test(cp_t13_implicit_partial),
			cmocka_unit_test(cp_t14_explicit_empties_480),
			cmocka_unit_test(cp_t15_push_no_flags),
			cmocka_unit_test(cp_t16_push_require_explicit),
			cmocka_unit_test(cp_t17_push_require_or_explicit),
			cmocka_unit_test(cp_t18_app_mismatch),
			cmocka_unit_test(cp_t19_multi_valued_contact),
			cmocka_unit_test(cp_t20_case_insensitive),
			cmocka_unit_test(cp_t21_negated_accept),
			cmocka_unit_test(cp_t22_averaging_surprise),
			cmocka_unit_test(cp_t23_negated_contact_value),
			cmocka_unit_test(cp_t24_numeric_ranges),
			cmocka_unit_test(cp_t25_inclusive_bounds),
			cmocka_unit_test(cp_t26_strings_vs_tokens),
			cmocka_unit_test(cp_t27_empty_reject),
			cmocka_unit_test(cp_t28_accept_q_ignored),
			cmocka_unit_test(cp_t29_boolean_true),
			cmocka_unit_test(cp_t30_reject_needs_all_tags),
			cmocka_unit_test(cp_t31_negated_reject),
			cmocka_unit_test(cp_t32_instance_not_immune),
			cmocka_unit_test(instance_value_from_target),
			cmocka_unit_test(cp_t33_explicit_partial),
			cmocka_unit_test(cp_t34_plus_base_skipped),
			cmocka_unit_test(cp_t35_featureless_accept),
			cmocka_unit_test(cp_t36_implicit_push_contact),
			cmocka_unit_test(cp_t37_request_disposition),
			cmocka_unit_test(cp_t38_divergences),
			cmocka_unit_test(strict_explicit_policy),
			cmocka_unit_test(no_method_no_implicit_predicate),
			cmocka_unit_test(invalid_encoding_advertises_nothing),
			cmocka_unit_test(damaged_tag_is_absent),
			cmocka_unit_test(damage_never_immune),
			cmocka_unit_test(targets_beyond_ceiling_skipped),
			cmocka_unit_test(q_default_and_stable_order),
			cmocka_unit_test(budget_ends_amplification),
			cmocka_unit_test(budget_per_target),
	};

	return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
