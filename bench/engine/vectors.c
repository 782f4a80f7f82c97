/*
 * Test vectors of the caller-preference engine benchmark
 */

#include <stdio.h>

#include "vectors.h"

#define PT "+g.oma.pusheventapp"
#define INST(n) \
	"+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-0000000000" n ">\""

/* (a) what a push proxy sees: 4 to 8 feature tags per contact, the push
 * application matching, missing or different */
/* clang-format off */
static const struct bench_contact push_contacts[] = {
	{";expires=600;" INST("01") ";" PT "=\"mms.ua,ulp.ua\";"
		"methods=\"MESSAGE,OPTIONS\";+g.3gpp.smsip", 1000},
	{";expires=600;" INST("02") ";" PT "=\"sms.ua\";methods=\"MESSAGE\";"
		"+g.3gpp.smsip;audio", 1000},
	{";reg-id=1;" INST("03") ";audio;video;"
		"methods=\"INVITE,ACK,BYE,CANCEL,OPTIONS,MESSAGE\";"
		"+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\"",
		900},
	{";" PT "=\"mms.ua\";" INST("04") ";methods=\"MESSAGE\";automata;"
		"class=\"business\";mobility=\"mobile\"", 800},
	{";" PT "=\"vms.ua,nab.ua,fs.ua\";" INST("05") ";"
		"methods=\"MESSAGE,OPTIONS,SUBSCRIBE\";events=\"presence\";"
		"+g.3gpp.smsip;audio;text", 1000},
	{";" INST("06") ";" PT "=\"crbt.ua,MMS.UA\";methods=\"INVITE,MESSAGE\";"
		"events=\"reg,presence\";audio;video;+g.3gpp.smsip;"
		"description=\"<Phone>\"", 500},
};
/* clang-format on */

/* (b) RFC 3841 section 7.2.5, spec-notes CP-T01 */
static const struct bench_contact rfc_contacts[] = {
		{";audio;video;methods=\"INVITE,BYE\"", 200},
		{";audio=\"FALSE\";methods=\"INVITE\";actor=\"msg-taker\"", 200},
		{";audio;actor=\"msg-taker\";methods=\"INVITE\";video", 300},
		{";audio;methods=\"INVITE,OPTIONS\"", 200},
		{"", 500},
};

/* (c) a large registration set */
static char many_params[BENCH_MAX_CONTACTS][256];
static struct bench_contact many_contacts[BENCH_MAX_CONTACTS];

static struct bench_case cases[] = {
		{"push, 6 contacts", "MESSAGE",
				{"*;" PT "=\"mms.ua\";require;explicit"}, {NULL}, push_contacts,
				sizeof(push_contacts) / sizeof(push_contacts[0])},
		{"RFC 3841 7.2.5", "INVITE",
				{"*;audio;require", "*;video;explicit",
						"*;methods=\"BYE\";class=\"business\";q=1.0"},
				{"*;actor=\"msg-taker\";video"}, rfc_contacts,
				sizeof(rfc_contacts) / sizeof(rfc_contacts[0])},
		{"50 contacts x 3", "MESSAGE",
				{"*;" PT "=\"mms.ua\";require;explicit",
						"*;methods=\"MESSAGE\";+g.3gpp.smsip"},
				{"*;" PT "=\"sms.ua\";video"}, many_contacts,
				BENCH_MAX_CONTACTS},
};

static void many_build(void)
{
	static const char *const apps[] = {"\"mms.ua\"", "\"sms.ua\"",
			"\"mms.ua,ulp.ua\"", "\"vms.ua,sms.ua\"", "\"nab.ua,MMS.UA\""};
	static const char *const methods[] = {
			"\"MESSAGE\"", "\"INVITE,MESSAGE,OPTIONS\"", "\"INVITE,BYE\""};
	size_t i;

	for(i = 0; i < BENCH_MAX_CONTACTS; i++) {
		/* every 10th contact registered without feature tags (immune) */
		if(i % 10 == 9) {
			snprintf(many_params[i], sizeof(many_params[i]),
					";expires=3600;reg-id=%zu", i % 3 + 1);
		} else {
			snprintf(many_params[i], sizeof(many_params[i]),
					";expires=3600;+sip.instance=\"<urn:uuid:%08zx-0000-1000-"
					"8000-000000000000>\";" PT "=%s;methods=%s%s%s",
					i, apps[i % 5], methods[i % 3],
					i % 2 ? ";+g.3gpp.smsip" : "", i % 4 ? ";audio" : ";video");
		}
		many_contacts[i].params = many_params[i];
		many_contacts[i].q = 1000 - (int)(i % 4) * 100;
	}
}

const struct bench_case *bench_cases(size_t *n)
{
	if(many_contacts[0].params == NULL)
		many_build();
	*n = sizeof(cases) / sizeof(cases[0]);
	return cases;
}
