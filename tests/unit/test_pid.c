/*
 * P-Asserted-Identity / P-Preferred-Identity values (pid.h): spec-notes
 * ID-T01..T16 and BAD-18. Every body is copied to an exact-length heap
 * buffer so ASan flags any read past the end.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "pid.h"

#define MAX_BODIES 4

/* Kept values point into the bodies: they are freed after each test. */
static char *bodies[MAX_BODIES];
static int nbodies;

static int free_bodies(void **state)
{
	(void)state;
	while(nbodies > 0)
		free(bodies[--nbodies]);
	return 0;
}

static unsigned int add_n(pid_set_t *set, const char *s, size_t n)
{
	char *c;

	assert_true(nbodies < MAX_BODIES);
	/* malloc(0) may return NULL; keep one byte nobody may read */
	c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, s, n);
	bodies[nbodies++] = c;
	return pid_set_add(set, c, n);
}

static unsigned int add(pid_set_t *set, const char *body)
{
	return add_n(set, body, strlen(body));
}

/* A value expected to be kept; text NULL: none of that kind. */
struct kept
{
	const char *text;
	const char *uri;
};

/* Header bodies (up to the first NULL), added to one set in turn. */
struct pc
{
	const char *body[MAX_BODIES];
	struct kept sip;
	struct kept tel;
	unsigned int values;
	unsigned int dropped;
	unsigned int malformed;
	int well_formed;
};

static void expect_kept(
		const char *what, int has, const pid_value_t *v, const struct kept *k)
{
	if(k->text == NULL) {
		if(has)
			fail_msg("%s '%.*s' kept, expected none", what, (int)v->text_len,
					v->text);
		return;
	}
	if(!has)
		fail_msg("no %s kept, expected '%s'", what, k->text);
	if(v->text_len != strlen(k->text)
			|| memcmp(v->text, k->text, v->text_len) != 0)
		fail_msg("%s text '%.*s', expected '%s'", what, (int)v->text_len,
				v->text, k->text);
	if(v->uri_len != strlen(k->uri) || memcmp(v->uri, k->uri, v->uri_len) != 0)
		fail_msg("%s uri '%.*s', expected '%s'", what, (int)v->uri_len, v->uri,
				k->uri);
}

/* What holds for every set, whatever the input. */
static void check_invariants(const pid_set_t *set)
{
	assert_int_equal(set->values,
			(unsigned int)(set->has_sip + set->has_tel) + set->dropped);
	assert_true(set->malformed <= set->dropped);
	assert_true(set->values <= PID_MAX_VALUES + 1);
	assert_int_equal(set->truncated, set->values == PID_MAX_VALUES + 1);
	assert_true(!set->has_sip || set->sip.scheme == PID_SIP);
	assert_true(!set->has_tel || set->tel.scheme == PID_TEL);
}

static void run(const struct pc *c)
{
	pid_set_t set;
	unsigned int n = 0;
	int i;

	pid_set_init(&set);
	for(i = 0; i < MAX_BODIES && c->body[i]; i++)
		n += add(&set, c->body[i]);
	check_invariants(&set);
	assert_int_equal(n, set.values);
	expect_kept("sip", set.has_sip, &set.sip, &c->sip);
	expect_kept("tel", set.has_tel, &set.tel, &c->tel);
	if(set.values != c->values || set.dropped != c->dropped
			|| set.malformed != c->malformed)
		fail_msg("'%s': values/dropped/malformed %u/%u/%u, expected %u/%u/%u",
				c->body[0], set.values, set.dropped, set.malformed, c->values,
				c->dropped, c->malformed);
	assert_int_equal(pid_set_well_formed(&set), c->well_formed);
	free_bodies(NULL);
}

static void run_all(const struct pc *c, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++)
		run(&c[i]);
}

#define RUN_ALL(cases) run_all(cases, sizeof(cases) / sizeof(cases[0]))

/* A body of one malformed value and nothing kept. */
#define BAD(body)                    \
	{                                \
		{body}, {0}, {0}, 1, 1, 1, 0 \
	}

#define SIP_A                            \
	{                                    \
		"<sip:a@op.net>", "sip:a@op.net" \
	}
#define TEL_1                              \
	{                                      \
		"<tel:+15550100>", "tel:+15550100" \
	}

static void id_t01_single_sip(void **state)
{
	static const struct pc c[] = {
			{{"<sip:mms-push@pushas.example.net>"},
					{"<sip:mms-push@pushas.example.net>",
							"sip:mms-push@pushas.example.net"},
					{0}, 1, 0, 0, 1},
			{{"sip:mms-push@pushas.example.net"},
					{"sip:mms-push@pushas.example.net",
							"sip:mms-push@pushas.example.net"},
					{0}, 1, 0, 0, 1},
	};

	(void)state;
	RUN_ALL(c);
}

static void id_t10_sip_and_tel(void **state)
{
	static const struct pc c[] = {
			{{"\"Push\" <sip:push@op.net>, <tel:+15550100>"},
					{"\"Push\" <sip:push@op.net>", "sip:push@op.net"}, TEL_1, 2,
					0, 0, 1},
			{{"\"Push\" <sip:push@op.net>", "<tel:+15550100>"},
					{"\"Push\" <sip:push@op.net>", "sip:push@op.net"}, TEL_1, 2,
					0, 0, 1},
			{{"<tel:+15550100>", "<sip:a@op.net>"}, SIP_A, TEL_1, 2, 0, 0, 1},
			{{"sip:a@op.net,tel:+15550100"}, {"sip:a@op.net", "sip:a@op.net"},
					{"tel:+15550100", "tel:+15550100"}, 2, 0, 0, 1},
	};

	(void)state;
	RUN_ALL(c);
}

static void id_t11_second_of_a_kind_dropped(void **state)
{
	static const struct pc c[] = {
			{{"<sip:a@op.net>, <sip:b@op.net>"}, SIP_A, {0}, 2, 1, 0, 0},
			{{"<sip:a@op.net>", "<sip:b@op.net>"}, SIP_A, {0}, 2, 1, 0, 0},
			{{"<tel:+15550100>, <tel:+15550199>, <sip:a@op.net>"}, SIP_A, TEL_1,
					3, 1, 0, 0},
	};

	(void)state;
	RUN_ALL(c);
}

static void id_t12_sip_and_sips_one_kind(void **state)
{
	static const struct pc c[] = {
			{{"<sips:a@op.net>, <sip:a@op.net>"},
					{"<sips:a@op.net>", "sips:a@op.net"}, {0}, 2, 1, 0, 0},
			{{"<sip:a@op.net>, <sips:a@op.net>"}, SIP_A, {0}, 2, 1, 0, 0},
	};

	(void)state;
	RUN_ALL(c);
}

static void id_t13_other_schemes(void **state)
{
	static const struct pc c[] = {
			{{"<mailto:a@op.net>, <sip:a@op.net>"}, SIP_A, {0}, 2, 1, 0, 0},
			{{"<mailto:a@op.net>"}, {0}, {0}, 1, 1, 0, 0},
			{{"http://op.net/a, <x-y.z+1:abc>, <tel:+15550100>"}, {0}, TEL_1, 3,
					2, 0, 0},
	};

	(void)state;
	RUN_ALL(c);
}

static void id_t14_malformed(void **state)
{
	static const struct pc c[] = {
			BAD("<sip:a@op.net"),
			BAD("sip:a@op.net;x sip:b"),
			BAD("\"Push <sip:a@op.net>"),
			BAD("\"Push\\\" <sip:a@op.net>"),
			BAD("\"Push\\"),
			BAD("\"Push\" sip:a@op.net"),
			BAD("\"Push\" [sip:a@op.net>"),
			BAD("Push sip:a@op.net"),
			BAD("<sip:a@op.net> <sip:b@op.net>"),
			BAD("<sip:a@op.net>>"),
			BAD("sip:a@op.net <tel:+15550100>"),
			BAD("Jörg <sip:a@op.net>"),
			/* the next value is still parsed */
			{{"<sip:a@op.net>junk, <tel:+15550100>"}, {0}, TEL_1, 2, 1, 1, 0},
			{{"<sip:a@op.net, <tel:+15550100>"}, {0}, {0}, 1, 1, 1, 0},
			{{"<tel:+15550100>", "\"x <sip:a@op.net>, <sip:b@op.net>"}, {0},
					TEL_1, 2, 1, 1, 0},
	};

	(void)state;
	RUN_ALL(c);
}

static void scheme_check(void **state)
{
	static const struct pc c[] = {
			{{"<SIP:a@op.net>"}, {"<SIP:a@op.net>", "SIP:a@op.net"}, {0}, 1, 0,
					0, 1},
			{{"Sips:a@op.net"}, {"Sips:a@op.net", "Sips:a@op.net"}, {0}, 1, 0,
					0, 1},
			{{"<TeL:+1>"}, {0}, {"<TeL:+1>", "TeL:+1"}, 1, 0, 0, 0},
			BAD("<sip:>"),
			BAD("sip:"),
			BAD("<:a@op.net>"),
			BAD("<1sip:a@op.net>"),
			BAD("<+sip:a@op.net>"),
			BAD("<si p:a@op.net>"),
			BAD("<>"),
			BAD("<sip>"),
			BAD("Alice"),
			BAD("< sip:a@op.net>"),
			BAD("<sip:a@op.net >"),
			BAD("<sip:a b@op.net>"),
			BAD("<sip:a\"b@op.net>"),
			BAD("<sip:a<b@op.net>"),
			BAD("<sip:jörg@op.net>"),
			BAD("sip:a@op.net\""),
	};

	(void)state;
	RUN_ALL(c);
}

static void quoted_display_names(void **state)
{
	static const struct pc c[] = {
			{{"\"Doe, John <boss>\" <sip:j@op.net>, <tel:+15550100>"},
					{"\"Doe, John <boss>\" <sip:j@op.net>", "sip:j@op.net"},
					TEL_1, 2, 0, 0, 1},
			{{"\"a \\\"b, c\\\" d\" <sip:x@op.net>,<tel:+15550100>"},
					{"\"a \\\"b, c\\\" d\" <sip:x@op.net>", "sip:x@op.net"},
					TEL_1, 2, 0, 0, 1},
			{{"\"\"<sip:a@op.net>"}, {"\"\"<sip:a@op.net>", "sip:a@op.net"},
					{0}, 1, 0, 0, 1},
			{{"\"Jörg\" <sip:a@op.net>"},
					{"\"Jörg\" <sip:a@op.net>", "sip:a@op.net"}, {0}, 1, 0, 0,
					1},
			{{"Push  Agent <sip:a@op.net>"},
					{"Push  Agent <sip:a@op.net>", "sip:a@op.net"}, {0}, 1, 0,
					0, 1},
			{{"Push<sip:a@op.net>"}, {"Push<sip:a@op.net>", "sip:a@op.net"},
					{0}, 1, 0, 0, 1},
			BAD("\"a\rb\" <sip:a@op.net>"),
			BAD("\"a\\\rb\" <sip:a@op.net>"),
	};

	(void)state;
	RUN_ALL(c);
}

static void folding(void **state)
{
	static const struct pc c[] = {
			{{"\"Push\"\r\n <sip:a@op.net>,\r\n\t<tel:+15550100>\r\n "},
					{"\"Push\"\r\n <sip:a@op.net>", "sip:a@op.net"}, TEL_1, 2,
					0, 0, 1},
			{{"\"Push\n\tAgent\"\n <sip:a@op.net>\n ,\n <tel:+15550100>"},
					{"\"Push\n\tAgent\"\n <sip:a@op.net>", "sip:a@op.net"},
					TEL_1, 2, 0, 0, 1},
			{{"\r\n sip:a@op.net \r\n\t"}, {"sip:a@op.net", "sip:a@op.net"},
					{0}, 1, 0, 0, 1},
			/* a line break that is not a fold */
			BAD("<sip:a@op.net>\r\nX-Evil: 1"),
			BAD("sip:a@op.net\r\n"),
			BAD("\"Push\r\n\" <sip:a@op.net>"),
			BAD("<sip:a@op.net>\r"),
			BAD("sip:a@op.net\r\n sip:b@op.net"),
	};

	(void)state;
	RUN_ALL(c);
}

static void control_characters(void **state)
{
	static const char nul_display[] = "\"a\0b\" <sip:a@op.net>";
	static const char nul_uri[] = "<sip:a\0@op.net>, <tel:+15550100>";
	pid_set_t set;

	(void)state;
	pid_set_init(&set);
	assert_int_equal(add_n(&set, nul_display, sizeof(nul_display) - 1), 1);
	assert_int_equal(add_n(&set, nul_uri, sizeof(nul_uri) - 1), 2);
	check_invariants(&set);
	assert_false(set.has_sip);
	assert_true(set.has_tel);
	assert_int_equal(set.malformed, 2);
}

static void header_params(void **state)
{
	static const struct pc c[] = {
			{{"<sip:a@op.net>;x=1 ; y ;z=\"q,r\" , <tel:+15550100>;h=[::1]"},
					{"<sip:a@op.net>;x=1 ; y ;z=\"q,r\"", "sip:a@op.net"},
					{"<tel:+15550100>;h=[::1]", "tel:+15550100"}, 2, 0, 0, 1},
			{{"\"P\" <sip:a@op.net> ;\r\n x = 1 "},
					{"\"P\" <sip:a@op.net> ;\r\n x = 1", "sip:a@op.net"}, {0},
					1, 0, 0, 1},
			{{"<sip:a@op.net>;lr\t, <tel:+15550100>"},
					{"<sip:a@op.net>;lr", "sip:a@op.net"}, TEL_1, 2, 0, 0, 1},
			BAD("<sip:a@op.net>;"),
			BAD("<sip:a@op.net>;=1"),
			BAD("<sip:a@op.net>;x="),
			BAD("<sip:a@op.net>;x=\"1"),
			BAD("<sip:a@op.net>;x=1 y"),
			BAD("<sip:a@op.net>;x=a/b"),
			BAD("<sip:a@op.net>;x;"),
	};

	(void)state;
	RUN_ALL(c);
}

static void addr_spec_keeps_params(void **state)
{
	static const struct pc c[] = {
			{{"  sip:+15550100@op.net;user=phone  "},
					{"sip:+15550100@op.net;user=phone",
							"sip:+15550100@op.net;user=phone"},
					{0}, 1, 0, 0, 1},
			{{"sip:a@op.net?subject=x, tel:+15550100;phone-context=op.net"},
					{"sip:a@op.net?subject=x", "sip:a@op.net?subject=x"},
					{"tel:+15550100;phone-context=op.net",
							"tel:+15550100;phone-context=op.net"},
					2, 0, 0, 1},
	};

	(void)state;
	RUN_ALL(c);
}

static void empty_values(void **state)
{
	static const struct pc c[] = {
			BAD(""),
			BAD(" \t"),
			BAD("\r\n "),
			{{",,,"}, {0}, {0}, 4, 4, 4, 0},
			{{" , "}, {0}, {0}, 2, 2, 2, 0},
			{{"<sip:a@op.net>,"}, SIP_A, {0}, 2, 1, 1, 0},
			{{", <sip:a@op.net>"}, SIP_A, {0}, 2, 1, 1, 0},
			{{"<sip:a@op.net>", ""}, SIP_A, {0}, 2, 1, 1, 0},
	};
	pid_set_t set;

	(void)state;
	RUN_ALL(c);
	pid_set_init(&set);
	assert_int_equal(pid_set_add(&set, NULL, 0), 1);
	assert_int_equal(set.malformed, 1);
}

static void tel_only_not_well_formed(void **state)
{
	static const struct pc c[] = {
			{{"<tel:+15550100>"}, {0}, TEL_1, 1, 0, 0, 0},
			{{"tel:+15550100"}, {0}, {"tel:+15550100", "tel:+15550100"}, 1, 0,
					0, 0},
	};
	pid_set_t set;

	(void)state;
	RUN_ALL(c);
	pid_set_init(&set);
	assert_false(pid_set_well_formed(&set));
}

/* n values; value i is pick(i), appended to buf. */
static char *values(char *buf, size_t size, int n, const char *(*pick)(int))
{
	size_t len = 0;
	int i, w;

	for(i = 0; i < n; i++) {
		w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", pick(i));
		assert_true(w >= 0 && (size_t)w < size - len);
		len += (size_t)w;
	}
	return buf;
}

/* ID-T16: mailto, sip, tel, then sip only. */
static const char *t16_value(int i)
{
	static char v[64];

	if(i == 0)
		return "<mailto:m@op.net>";
	if(i == 1)
		return "\"U1\" <sip:u1@op.net>";
	if(i == 2)
		return "<tel:+15550102>";
	snprintf(v, sizeof(v), "<sip:u%d@op.net>", i);
	return v;
}

static void id_t16_fifty_values(void **state)
{
	static char buf[4096];
	/* 32 parsed: mailto and 29 extra sip dropped, then the rest as one */
	struct pc c = {{values(buf, sizeof(buf), 50, t16_value)},
			{"\"U1\" <sip:u1@op.net>", "sip:u1@op.net"},
			{"<tel:+15550102>", "tel:+15550102"}, PID_MAX_VALUES + 1, 31, 0, 0};

	(void)state;
	run(&c);
}

/* BAD-18: valid first, then values only a parser that did not stop at
 * PID_MAX_VALUES would count as malformed. */
static const char *bad18_value(int i)
{
	if(i == 0)
		return "<sip:a@op.net>";
	if(i == 1)
		return "<tel:+15550100>";
	return i < PID_MAX_VALUES ? "<sip:b@op.net>" : "bad";
}

static void bad18_thousand_values(void **state)
{
	static char buf[16384];
	struct pc c = {{values(buf, sizeof(buf), 1000, bad18_value)}, SIP_A, TEL_1,
			PID_MAX_VALUES + 1, PID_MAX_VALUES - 1, 0, 0};

	(void)state;
	run(&c);
}

static const char *sip_b(int i)
{
	(void)i;
	return "<sip:b@op.net>";
}

static void cap_across_bodies(void **state)
{
	static char twenty[1024], cap[2048];
	pid_set_t set;

	(void)state;
	values(twenty, sizeof(twenty), 20, sip_b);
	pid_set_init(&set);
	assert_int_equal(add(&set, twenty), 20);
	assert_false(set.truncated);
	assert_int_equal(add(&set, twenty), PID_MAX_VALUES - 20 + 1);
	assert_true(set.truncated);
	assert_int_equal(add(&set, "<tel:+15550100>"), 0);
	assert_false(set.has_tel);
	check_invariants(&set);
	assert_int_equal(set.dropped, PID_MAX_VALUES);
	free_bodies(NULL);

	/* exactly PID_MAX_VALUES is not truncated, one more body is */
	values(cap, sizeof(cap), PID_MAX_VALUES, sip_b);
	pid_set_init(&set);
	assert_int_equal(add(&set, cap), PID_MAX_VALUES);
	assert_false(set.truncated);
	assert_int_equal(add(&set, ""), 1);
	assert_true(set.truncated);
	check_invariants(&set);
}

static void bad18_long_display_name(void **state)
{
	enum
	{
		NAME = 8192
	};
	static char name[NAME + 1], body[NAME + 64], text[NAME + 64];
	pid_set_t set;
	size_t len;

	(void)state;
	memset(name, 'A', NAME);
	snprintf(
			body, sizeof(body), "\"%s\" <sip:a@op.net>, <tel:+15550100>", name);
	snprintf(text, sizeof(text), "\"%s\" <sip:a@op.net>", name);
	pid_set_init(&set);
	assert_int_equal(add(&set, body), 2);
	assert_true(pid_set_well_formed(&set));
	len = strlen(text);
	assert_int_equal(set.sip.text_len, len);
	assert_memory_equal(set.sip.text, text, len);

	/* as tokens */
	snprintf(body, sizeof(body), "%s <sip:a@op.net>", name);
	pid_set_init(&set);
	assert_int_equal(add(&set, body), 1);
	assert_true(pid_set_well_formed(&set));

	/* unterminated: the quote runs to the end, over the commas */
	snprintf(body, sizeof(body), "\"%s <sip:a@op.net>, <tel:+15550100>", name);
	pid_set_init(&set);
	assert_int_equal(add(&set, body), 1);
	assert_int_equal(set.malformed, 1);
	assert_false(set.has_sip || set.has_tel);
}

static void identity_accepted(void **state)
{
	static const struct kept ok[] = {
			{"sip:push@op.net", "sip:push@op.net"},
			{"<sip:push@op.net>", "sip:push@op.net"},
			{"SIPS:push@op.net;transport=tls",
					"SIPS:push@op.net;transport=tls"},
			{"<tel:+15550100>", "tel:+15550100"},
			{"tel:1", "tel:1"},
	};
	const char *uri;
	size_t i, n, uri_len;
	char *s;

	(void)state;
	for(i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s = dup_exact(ok[i].text, &n);
		if(!pid_parse_identity(s, n, &uri, &uri_len))
			fail_msg("'%s' rejected", ok[i].text);
		assert_int_equal(uri_len, strlen(ok[i].uri));
		assert_memory_equal(uri, ok[i].uri, uri_len);
		free(s);
	}
}

static void identity_rejected(void **state)
{
	static const char *const bad[] = {"", "<>", "<", ">", "<sip:a@op.net",
			"sip:a@op.net>", "<<sip:a@op.net>>", "sip:", "<tel:>",
			"mailto:a@op.net", "http://op.net", "sip", "a@op.net",
			" sip:a@op.net", "sip:a@op.net ", "sip:a@\top.net",
			"sip:a@op.net,tel:+1", "<sip:a,b@op.net>", "sip:\"a\"@op.net",
			"\"A\" <sip:a@op.net>", "A <sip:a@op.net>", "sip:a<b@op.net",
			"sip:a@op.net\r\n", "sip:jörg@op.net"};
	const char *uri = NULL;
	size_t i, n, uri_len = 0;
	char *s;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = dup_exact(bad[i], &n);
		if(pid_parse_identity(s, n, &uri, &uri_len))
			fail_msg("'%s' accepted", bad[i]);
		free(s);
	}
	assert_null(uri);
	assert_false(pid_parse_identity(NULL, 0, &uri, &uri_len));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64* */
static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned int)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static int inside(const char *p, size_t n, const char *buf, size_t len)
{
	return p >= buf && n <= len && p - buf <= (ptrdiff_t)(len - n);
}

/* Random bodies of the characters that matter: no crash, no read past the
 * end (ASan), the invariants hold and kept values lie inside the body. */
static void random_bodies(void **state)
{
	static const char *const atoms[] = {"<", ">", "\"", "\\", ",", ";", "=",
			" ", "\t", "\r\n ", "\n", "\r", ":", "sip", "sips", "tel", "x", "@",
			"+1", "\0", "\x80", "<sip:a@b>", "<tel:+1>", "sip:a"};
	char buf[128];
	pid_set_t set;
	size_t len, cut, a;
	int iter, i, parts;
	char *c;

	(void)state;
	for(iter = 0; iter < 20000; iter++) {
		len = 0;
		parts = (int)rnd(12);
		for(i = 0; i < parts; i++) {
			a = rnd(sizeof(atoms) / sizeof(atoms[0]));
			/* "\0" is one byte, not an empty atom */
			cut = atoms[a][0] ? strlen(atoms[a]) : 1;
			memcpy(buf + len, atoms[a], cut);
			len += cut;
		}
		cut = rnd((unsigned int)len + 1);
		c = malloc(len ? len : 1);
		assert_non_null(c);
		memcpy(c, buf, len);
		pid_set_init(&set);
		pid_set_add(&set, c, cut);
		pid_set_add(&set, c + cut, len - cut);
		check_invariants(&set);
		if(set.has_sip) {
			assert_true(inside(set.sip.text, set.sip.text_len, c, len));
			assert_true(inside(set.sip.uri, set.sip.uri_len, set.sip.text,
					set.sip.text_len));
		}
		if(set.has_tel) {
			assert_true(inside(set.tel.text, set.tel.text_len, c, len));
			assert_true(inside(set.tel.uri, set.tel.uri_len, set.tel.text,
					set.tel.text_len));
		}
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test_teardown(id_t01_single_sip, free_bodies),
			cmocka_unit_test_teardown(id_t10_sip_and_tel, free_bodies),
			cmocka_unit_test_teardown(
					id_t11_second_of_a_kind_dropped, free_bodies),
			cmocka_unit_test_teardown(
					id_t12_sip_and_sips_one_kind, free_bodies),
			cmocka_unit_test_teardown(id_t13_other_schemes, free_bodies),
			cmocka_unit_test_teardown(id_t14_malformed, free_bodies),
			cmocka_unit_test_teardown(scheme_check, free_bodies),
			cmocka_unit_test_teardown(quoted_display_names, free_bodies),
			cmocka_unit_test_teardown(folding, free_bodies),
			cmocka_unit_test_teardown(control_characters, free_bodies),
			cmocka_unit_test_teardown(header_params, free_bodies),
			cmocka_unit_test_teardown(addr_spec_keeps_params, free_bodies),
			cmocka_unit_test_teardown(empty_values, free_bodies),
			cmocka_unit_test_teardown(tel_only_not_well_formed, free_bodies),
			cmocka_unit_test_teardown(id_t16_fifty_values, free_bodies),
			cmocka_unit_test_teardown(bad18_thousand_values, free_bodies),
			cmocka_unit_test_teardown(cap_across_bodies, free_bodies),
			cmocka_unit_test_teardown(bad18_long_display_name, free_bodies),
			cmocka_unit_test(identity_accepted),
			cmocka_unit_test(identity_rejected),
			cmocka_unit_test(random_bodies),
	};

	return cmocka_run_group_tests_name("pid", tests, NULL, NULL);
}
