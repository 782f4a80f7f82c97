/*
 * PAP control entities (pap_parse_control(), pap_check_push()) and the
 * gateway's documents (pap_write_*()): pap-notes TV-1 to TV-5, each
 * refusal and its code, the limits, entity declarations (XXE, billion
 * laughs: refused, nothing loaded), libxml2 kept off stderr, running out
 * of memory, and writers whose output libxml2 reads back whatever strings
 * they are given. Documents are copied to exact-length heap buffers so
 * ASan flags any read past the end.
 */

#define _GNU_SOURCE /* asprintf, memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlstring.h>

#include "pap.h"
#include "util.h"

#define XMLDECL "<?xml version=\"1.0\"?>\n"
#define PUB10 "-//WAPFORUM//DTD PAP//EN"
#define PUB20 "-//WAPFORUM//DTD PAP 2.0//EN"
#define PUB21 "-//WAPFORUM//DTD PAP 2.1//EN"
#define SYS10 "http://www.wapforum.org/DTD/pap_1.0.dtd"
#define SYS20 "http://www.wapforum.org/DTD/pap_2.0.dtd"
#define SYS21 "http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd"
#define DT10 "<!DOCTYPE pap PUBLIC \"" PUB10 "\" \"" SYS10 "\">\n"
#define DT21 "<!DOCTYPE pap PUBLIC \"" PUB21 "\" \"" SYS21 "\">\n"
#define ADDR1 "WAPPUSH=+15551230001/TYPE=PLMN@ppg.example.net"
#define ADDR "<address address-value=\"" ADDR1 "\"/>"

/* 2030-01-01T00:00:00Z and 2030-01-01T12:00:00Z */
#define T2030 1893456000LL
#define T2030_NOON 1893499200LL

#define NL "\r\n"
/* clang-format off */
#define TV1_CONTROL                                                         \
	"<?xml version=\"1.0\"?>" NL                                           \
	"<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\""                     \
	" [<?wap-pap-ver supported-versions=\"2.0,1.*\"?>]>" NL                 \
	"<pap>" NL                                                              \
	"  <push-message push-id=\"mms-0001@mmsc.example.net\"" NL              \
	"                deliver-before-timestamp=\"2030-01-01T12:00:00Z\"" NL  \
	"                source-reference=\"mmsc-1\"" NL                        \
	"                ppg-notify-requested-to="                              \
	"\"http://mmsc.example.net:8080/pap-notify\">" NL                       \
	"    " ADDR NL                                                          \
	"    <quality-of-service priority=\"high\""                             \
	" delivery-method=\"confirmed\"/>" NL                                   \
	"  </push-message>" NL                                                  \
	"</pap>" NL
/* clang-format on */

/* The last document parsed (an error's fragment points into it). */
static char *doc_copy;

static int free_doc(void **state)
{
	(void)state;
	free(doc_copy);
	doc_copy = NULL;
	return 0;
}

/* pap_parse_control() of an exact-length copy of doc[0..n); a refusal
 * must leave *ctl empty and *err consistent. */
static int parse_n(
		const char *doc, size_t n, pap_control_t *ctl, pap_error_t *err)
{
	pap_control_t empty;
	int rc;

	free(doc_copy);
	doc_copy = malloc(n ? n : 1);
	assert_non_null(doc_copy);
	memcpy(doc_copy, doc, n);
	rc = pap_parse_control(doc_copy, n, ctl, err);
	if(rc != 0) {
		memset(&empty, 0, sizeof(empty));
		assert_memory_equal(ctl, &empty, sizeof(empty));
		assert_int_equal(err->code, rc);
		assert_true(err->desc[0] != '\0');
		assert_true(strlen(err->desc) < sizeof(err->desc));
		assert_true(err->fragment_len <= 128);
		if(err->fragment_len > 0)
			assert_true(err->fragment >= doc_copy
						&& err->fragment + err->fragment_len <= doc_copy + n);
	}
	return rc;
}

static int parse(const char *doc, pap_control_t *ctl, pap_error_t *err)
{
	return parse_n(doc, strlen(doc), ctl, err);
}

/* The error of the last refused(). */
static pap_error_t last_err;

/* doc is refused with code, its desc saying what. */
static void refused(const char *doc, int code, const char *what)
{
	pap_control_t ctl;
	pap_error_t *err = &last_err;
	int rc = parse(doc, &ctl, err);

	if(rc == 0) {
		pap_control_free(&ctl);
		fail_msg("accepted:\n%s", doc);
	}
	if(rc != code || strstr(err->desc, what) == NULL)
		fail_msg("%d '%s', expected %d '%s':\n%s", rc, err->desc, code, what,
				doc);
}

/* doc[0..n) is refused as a bad request, its desc saying what. */
static void refused_n(const char *doc, size_t n, const char *what)
{
	pap_control_t ctl;

	assert_int_equal(parse_n(doc, n, &ctl, &last_err), PAP_BAD_REQUEST);
	if(strstr(last_err.desc, what) == NULL)
		fail_msg("'%s', expected '%s'", last_err.desc, what);
}

/* The fragment of the last refusal covers doc_copy[off]. */
static void fragment_covers(size_t off)
{
	assert_true(last_err.fragment_len > 0);
	assert_true(last_err.fragment <= doc_copy + off
				&& doc_copy + off < last_err.fragment + last_err.fragment_len);
}

/* A PAP 2.1 document whose push-message has attrs and children. */
static char *push_doc(const char *attrs, const char *children)
{
	char *s;

	assert_true(asprintf(&s,
						XMLDECL DT21
						"<pap><push-message %s>%s</push-message></pap>",
						attrs, children)
				> 0);
	return s;
}

static void push_refused(
		const char *attrs, const char *children, const char *what)
{
	char *doc = push_doc(attrs, children);

	refused(doc, PAP_BAD_REQUEST, what);
	free(doc);
}

/* unit repeated n times */
static char *repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit), i;
	char *s = malloc(len * n + 1);

	assert_non_null(s);
	for(i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

/* Where a written document goes back through libxml2: well-formed, no
 * error at all. */
static int reparse_errors;

static void count_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if(e->level >= XML_ERR_ERROR)
		reparse_errors++;
}

/* Parse a written document (freed here) and check its DOCTYPE. */
static xmlDocPtr reparse(
		char *s, size_t len, const char *public_id, const char *system_id)
{
	xmlParserCtxtPtr c;
	xmlDocPtr d;

	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	c = xmlNewParserCtxt();
	assert_non_null(c);
	c->sax->serror = count_error;
	reparse_errors = 0;
	d = xmlCtxtReadMemory(c, s, (int)len, NULL, NULL, XML_PARSE_NONET);
	xmlFreeParserCtxt(c);
	if(d == NULL || reparse_errors > 0)
		fail_msg("not well-formed:\n%s", s);
	assert_non_null(d->intSubset);
	assert_string_equal((const char *)d->intSubset->ExternalID, public_id);
	assert_string_equal((const char *)d->intSubset->SystemID, system_id);
	assert_string_equal((const char *)xmlDocGetRootElement(d)->name, "pap");
	free(s);
	return d;
}

/* The nth (from 0) child element of parent named name. */
static const xmlNode *elem(const xmlNode *parent, const char *name, int nth)
{
	const xmlNode *c;

	for(c = parent->children; c != NULL; c = c->next) {
		if(c->type == XML_ELEMENT_NODE
				&& strcmp((const char *)c->name, name) == 0 && nth-- == 0)
			return c;
	}
	fail_msg("no <%s> in <%s>", name, (const char *)parent->name);
	return NULL;
}

static const xmlNode *op_of(xmlDocPtr d, const char *name)
{
	return elem(xmlDocGetRootElement(d), name, 0);
}

/* Attribute name of n is value; value NULL: absent. */
static void expect_attr(const xmlNode *n, const char *name, const char *value)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);

	if(value == NULL) {
		if(v != NULL)
			fail_msg("%s=\"%s\", expected none", name, (const char *)v);
		return;
	}
	if(v == NULL)
		fail_msg("no %s, expected \"%s\"", name, value);
	if(strcmp((const char *)v, value) != 0)
		fail_msg("%s=\"%s\", expected \"%s\"", name, (const char *)v, value);
	xmlFree(v);
}

static void test_tv1(void **state)
{
	pap_control_t ctl;
	pap_error_t err;
	const xmlNode *op, *qos;
	xmlDocPtr d;
	size_t len;
	char *out;

	(void)state;
	assert_int_equal(parse(TV1_CONTROL, &ctl, &err), 0);
	assert_int_equal(ctl.version, PAP_V2_0);
	assert_int_equal(ctl.op, PAP_PUSH_MESSAGE);
	assert_string_equal(ctl.push_id, "mms-0001@mmsc.example.net");
	assert_null(ctl.replace_push_id);
	assert_string_equal(
			ctl.notify_to, "http://mmsc.example.net:8080/pap-notify");
	assert_string_equal(ctl.source_reference, "mmsc-1");
	assert_int_equal((long long)ctl.deliver_before, T2030_NOON);
	assert_int_equal(ctl.deliver_after, 0);
	assert_int_equal(ctl.progress_notes, 0);
	assert_int_equal(ctl.qos.present, 1);
	assert_int_equal(ctl.qos.priority, PAP_PRIORITY_HIGH);
	assert_int_equal(ctl.qos.delivery_method, PAP_DELIVERY_CONFIRMED);
	assert_int_equal(ctl.qos.network_required, 0);
	assert_string_equal(ctl.qos.network, "");
	assert_int_equal(ctl.n_addresses, 1);
	assert_string_equal(ctl.addresses[0], ADDR1);
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030, 0), 0);
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030_NOON, 0), PAP_FORBIDDEN);

	/* the answer, in the request's version */
	out = pap_write_push_response(ctl.version, ctl.push_id, NULL, "ppg-1",
			(time_t)T2030, PAP_ACCEPTED, &len);
	d = reparse(out, len, PUB20, SYS20);
	op = op_of(d, "push-response");
	expect_attr(op, "push-id", "mms-0001@mmsc.example.net");
	expect_attr(op, "sender-name", "ppg-1");
	expect_attr(op, "sender-address", NULL);
	expect_attr(op, "reply-time", "2030-01-01T00:00:00Z");
	expect_attr(elem(op, "response-result", 0), "code", "1001");
	expect_attr(
			elem(op, "response-result", 0), "desc", "Accepted for processing");
	xmlFreeDoc(d);

	/* the result notification echoes the quality of service */
	out = pap_write_resultnotification(ctl.version, ctl.push_id, NULL, "ppg-1",
			ctl.addresses[0], PAP_STATE_DELIVERED, PAP_OK, (time_t)T2030,
			(time_t)T2030 + 2, &ctl.qos, &len);
	d = reparse(out, len, PUB20, SYS20);
	op = op_of(d, "resultnotification-message");
	expect_attr(op, "push-id", "mms-0001@mmsc.example.net");
	expect_attr(op, "received-time", "2030-01-01T00:00:00Z");
	expect_attr(op, "event-time", "2030-01-01T00:00:02Z");
	expect_attr(op, "message-state", "delivered");
	expect_attr(op, "code", "1000");
	expect_attr(elem(op, "address", 0), "address-value", ADDR1);
	qos = elem(op, "quality-of-service", 0);
	expect_attr(qos, "priority", "high");
	expect_attr(qos, "delivery-method", "confirmed");
	expect_attr(qos, "network", NULL);
	expect_attr(qos, "bearer-required", NULL);
	xmlFreeDoc(d);
	pap_control_free(&ctl);
	assert_null(ctl.addresses);
}

static void test_tv2(void **state)
{
	static const char doc[] =
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" DT21
			"<pap>\n  <push-message push-id=\"slp-77@slp.example.net\" "
			"deliver-before-timestamp=\"2030-01-01T00:05:00Z\">\n"
			"    <address address-value=\"WAPPUSH=sip%3Aalice%40ims.example."
			"net/TYPE=USER@ppg.example.net\"/>\n"
			"    <quality-of-service delivery-method=\"unconfirmed\"/>\n"
			"  </push-message>\n</pap>\n";
	pap_control_t ctl;
	pap_error_t err;

	(void)state;
	assert_int_equal(parse(doc, &ctl, &err), 0);
	assert_int_equal(ctl.version, PAP_V2_1);
	assert_string_equal(ctl.push_id, "slp-77@slp.example.net");
	assert_null(ctl.notify_to);
	assert_null(ctl.source_reference);
	assert_int_equal(ctl.qos.present, 1);
	assert_int_equal(ctl.qos.priority, PAP_PRIORITY_MEDIUM);
	assert_int_equal(ctl.qos.delivery_method, PAP_DELIVERY_UNCONFIRMED);
	assert_string_equal(ctl.addresses[0], "WAPPUSH=sip%3Aalice%40ims.example."
										  "net/TYPE=USER@ppg.example.net");
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030, 0), 0);
	/* deliver-before in the past */
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030 + 300, 0), PAP_FORBIDDEN);
	pap_control_free(&ctl);
}

static void test_tv3(void **state)
{
	static const char doc[] = XMLDECL DT10
			"<pap>\n"
			"  <push-message push-id=\"si-1@portal.example.net\" "
			"progress-notes-requested=\"false\">\n"
			"    <address address-value=\"WAPPUSH=+15551230002/TYPE=PLMN\"/>\n"
			"    <address address-value=\"WAPPUSH=+15551230003/TYPE=PLMN\"/>\n"
			"  </push-message>\n</pap>\n";
	pap_control_t ctl;
	pap_error_t err;
	const xmlNode *op;
	xmlDocPtr d;
	size_t len, half = sizeof(doc) / 2;
	char *out, *frag, *bearer, *replace;

	(void)state;
	assert_int_equal(parse(doc, &ctl, &err), 0);
	assert_int_equal(ctl.version, PAP_V1_0);
	assert_int_equal(ctl.qos.present, 0);
	assert_int_equal(ctl.qos.delivery_method, PAP_DELIVERY_NOTSPECIFIED);
	assert_int_equal(ctl.n_addresses, 2);
	assert_string_equal(ctl.addresses[0], "WAPPUSH=+15551230002/TYPE=PLMN");
	assert_string_equal(ctl.addresses[1], "WAPPUSH=+15551230003/TYPE=PLMN");
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030, 0), 0);
	pap_control_free(&ctl);

	/* cut in half: a bad request, the fragment near the cut, written back
	 * as it was */
	assert_int_equal(parse_n(doc, half, &ctl, &err), PAP_BAD_REQUEST);
	assert_true(err.fragment_len > 0);
	assert_ptr_equal(err.fragment + err.fragment_len, doc_copy + half);
	out = pap_write_badmessage_response(
			PAP_V1_0, err.code, err.desc, err.fragment, err.fragment_len, &len);
	d = reparse(out, len, PUB10, SYS10);
	op = op_of(d, "badmessage-response");
	expect_attr(op, "code", "2000");
	expect_attr(op, "desc", err.desc);
	frag = strndup(err.fragment, err.fragment_len);
	expect_attr(op, "bad-message-fragment", frag);
	free(frag);
	xmlFreeDoc(d);

	bearer = push_doc("push-id=\"si-1\"", ADDR
			"<quality-of-service bearer-required=\"true\" bearer=\"SMS\"/>");
	assert_int_equal(parse(bearer, &ctl, &err), 0);
	assert_int_equal(
			pap_check_push(&ctl, (time_t)T2030, 0), PAP_BEARER_NOT_AVAILABLE);
	pap_control_free(&ctl);
	free(bearer);

	replace = push_doc(
			"push-id=\"si-1\" replace-push-id=\"si-0@portal.example.net\"",
			ADDR);
	assert_int_equal(parse(replace, &ctl, &err), 0);
	assert_string_equal(ctl.replace_push_id, "si-0@portal.example.net");
	assert_int_equal(
			pap_check_push(&ctl, (time_t)T2030, 0), PAP_REPLACE_NOT_SUPPORTED);
	pap_control_free(&ctl);
	free(replace);
}

static void test_tv4(void **state)
{
	static const char cancel[] = XMLDECL
			"<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\">\n"
			"<pap><cancel-message push-id=\"mms-0002@mmsc.example.net\">\n"
			"  " ADDR "\n</cancel-message></pap>";
	static const char status[] = XMLDECL DT21
			"<pap><statusquery-message push-id=\"mms-0001@mmsc.example.net\"/>"
			"</pap>";
	static const char ccq[] =
			XMLDECL DT21 "<pap><ccq-message query-id=\"q1\" app-id=\"x\">" ADDR
						 "</ccq-message></pap>";
	static const char notification[] = XMLDECL DT21
			"<pap><resultnotification-response push-id=\"m1\" code=\" 1000 \""
			" desc=\"OK\"/></pap>";
	static const char *const addrs[] = {ADDR1, "WAPPUSH=x<&\"/TYPE=USER"};
	pap_result_t results[2] = {
			{PAP_STATE_DELIVERED, PAP_OK, (time_t)T2030, addrs, 1},
			{PAP_STATE_PENDING, PAP_CANCEL_NOT_POSSIBLE, 0, addrs + 1, 1},
	};
	pap_control_t ctl;
	pap_error_t err;
	const xmlNode *op, *res;
	xmlDocPtr d;
	size_t len;
	char *out;

	(void)state;
	assert_int_equal(parse(cancel, &ctl, &err), 0);
	assert_int_equal(ctl.op, PAP_CANCEL_MESSAGE);
	assert_int_equal(ctl.version, PAP_V2_0);
	assert_string_equal(ctl.push_id, "mms-0002@mmsc.example.net");
	assert_int_equal(ctl.n_addresses, 1);
	assert_string_equal(ctl.addresses[0], ADDR1);
	pap_control_free(&ctl);

	assert_int_equal(parse(status, &ctl, &err), 0);
	assert_int_equal(ctl.op, PAP_STATUSQUERY_MESSAGE);
	assert_int_equal(ctl.n_addresses, 0);
	assert_null(ctl.addresses);
	pap_control_free(&ctl);

	assert_int_equal(parse(ccq, &ctl, &err), 0);
	assert_int_equal(ctl.op, PAP_CCQ_MESSAGE);
	assert_string_equal(ctl.push_id, "q1");
	assert_int_equal(ctl.n_addresses, 1);
	pap_control_free(&ctl);

	assert_int_equal(parse(notification, &ctl, &err), 0);
	assert_int_equal(ctl.op, PAP_RESULTNOTIFICATION_RESPONSE);
	assert_int_equal(ctl.code, PAP_OK);
	pap_control_free(&ctl);

	out = pap_write_cancel_response(
			PAP_V2_0, "mms-0002@mmsc.example.net", results + 1, 1, &len);
	d = reparse(out, len, PUB20, SYS20);
	op = op_of(d, "cancel-response");
	expect_attr(op, "push-id", "mms-0002@mmsc.example.net");
	res = elem(op, "cancel-result", 0);
	expect_attr(res, "code", "2008");
	expect_attr(res, "desc", "Cancellation not possible");
	expect_attr(res, "message-state", NULL);
	expect_attr(elem(res, "address", 0), "address-value", addrs[1]);
	xmlFreeDoc(d);

	out = pap_write_statusquery_response(
			PAP_V2_1, "mms-0001@mmsc.example.net", results, 2, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "statusquery-response");
	res = elem(op, "statusquery-result", 0);
	expect_attr(res, "message-state", "delivered");
	expect_attr(res, "code", "1000");
	expect_attr(res, "event-time", "2030-01-01T00:00:00Z");
	expect_attr(elem(res, "address", 0), "address-value", ADDR1);
	res = elem(op, "statusquery-result", 1);
	expect_attr(res, "message-state", "pending");
	expect_attr(res, "event-time", NULL);
	xmlFreeDoc(d);

	/* no addresses: all of the push */
	results[0].n_addresses = 0;
	out = pap_write_statusquery_response(PAP_V2_1, "m", results, 1, &len);
	d = reparse(out, len, PUB21, SYS21);
	res = elem(op_of(d, "statusquery-response"), "statusquery-result", 0);
	assert_null(res->children);
	xmlFreeDoc(d);

	out = pap_write_ccq_response(PAP_V2_1, "q1", PAP_NOT_IMPLEMENTED, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "ccq-response");
	expect_attr(op, "query-id", "q1");
	expect_attr(op, "code", "3001");
	expect_attr(op, "desc", "Not implemented");
	xmlFreeDoc(d);
}

/* TV-5 and other liberties Push Initiators take. */
static void test_tv5(void **state)
{
	static const char typo[] = XMLDECL
			"<!DOCTYPE pap PUBLIC \"-//WAPFORUM/DTD PAP 2.0//EN\" \"" SYS20
			"\">\n<pap><push-message push-id=\"p\" "
			"deliver-after-timestamp=\" 2030-01-01T00:00:00z \" "
			"progress-notes-requested=\"TRUE\">"
			"<address address-value=\"wappush=+15551230001/type=plmn\"/>"
			"<quality-of-service delivery-method=\"UNCONFIRMED\" "
			"priority=\" Low \" network-required=\"True\" network=\"Any\" "
			"bearer=\"x\" bearer-required=\"false\" unknown=\"1\"/>"
			"<unknown-element><address address-value=\"no\"/>"
			"</unknown-element></push-message></pap>";
	pap_control_t ctl;
	pap_error_t err;

	(void)state;
	assert_int_equal(parse(typo, &ctl, &err), 0);
	assert_int_equal(ctl.version, PAP_V2_0);
	assert_int_equal((long long)ctl.deliver_after, T2030);
	assert_int_equal(ctl.progress_notes, 1);
	assert_int_equal(ctl.qos.delivery_method, PAP_DELIVERY_UNCONFIRMED);
	assert_int_equal(ctl.qos.priority, PAP_PRIORITY_LOW);
	assert_int_equal(ctl.qos.network_required, 1);
	assert_string_equal(ctl.qos.network, "Any");
	assert_int_equal(ctl.qos.bearer_required, 0);
	assert_string_equal(ctl.qos.bearer, "x");
	/* only the push-message's own address children */
	assert_int_equal(ctl.n_addresses, 1);
	assert_string_equal(ctl.addresses[0], "wappush=+15551230001/type=plmn");
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030, 0), 0);
	assert_int_equal(
			pap_check_push(&ctl, (time_t)T2030 - 1, 0), PAP_NOT_IMPLEMENTED);
	/* a gateway that holds pushes takes it */
	assert_int_equal(pap_check_push(&ctl, (time_t)T2030 - 1, 1), 0);
	pap_control_free(&ctl);
}

static void test_versions(void **state)
{
	static const struct
	{
		const char *prolog;
		int rc;
		enum pap_version v;
	} cases[] = {
			{"", 0, PAP_V2_1},
			{DT10, 0, PAP_V1_0},
			{DT21, 0, PAP_V2_1},
			{"<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\">", 0, PAP_V2_0},
			{"<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\" "
			 "[<?wap-pap-ver supported-versions=\"2.0\"?>]>",
					0, PAP_V2_0},
			{"<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\" "
			 "[<!-- c --> <?wap-pap-ver supported-versions = '1.0, 2.1'?>]>",
					0, PAP_V2_0},
			/* case does not matter; the public id decides */
			{"<!DOCTYPE pap PUBLIC \"-//wapforum//dtd pap 2.0//en\" \"" SYS21
			 "\">",
					0, PAP_V2_0},
			/* without a known public id, the system id's file name */
			{"<!DOCTYPE pap SYSTEM \"" SYS10 "\">", 0, PAP_V1_0},
			{"<!DOCTYPE pap SYSTEM \"pap_2.0.dtd\">", 0, PAP_V2_0},
			{"<!DOCTYPE pap PUBLIC \"-//X//DTD Y//EN\" \"" SYS20 "\">", 0,
					PAP_V2_0},
			/* any other DOCTYPE: 2.1 */
			{"<!DOCTYPE pap>", 0, PAP_V2_1},
			{"<!DOCTYPE pap SYSTEM \"pap.dtd\">", 0, PAP_V2_1},
			{"<!DOCTYPE pap PUBLIC \"-//X//DTD Y//EN\" \"y.dtd\">", 0,
					PAP_V2_1},
			/* a wap-pap-ver without supported-versions says nothing */
			{"<!DOCTYPE pap [<?wap-pap-ver?>]>", 0, PAP_V2_1},
			{"<?wap-pap-ver other=\"3.0\"?>", 0, PAP_V2_1},
			{"<?wap-pap-ver supported-versions=\"2.1\"?>", 0, PAP_V2_1},
			{"<?wap-pap-ver supported-versions?>", 0, PAP_V2_1},
			{"<?wap-pap-ver supported-versions=3.0?>", 0, PAP_V2_1},
			{"<?wap-pap-ver supported-versions=\"3.0?>", 0, PAP_V2_1},
			/* another PAP version */
			{"<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.2//EN\" \"x\">",
					PAP_VERSION_NOT_SUPPORTED, 0},
			{"<!DOCTYPE pap PUBLIC \"-//OMA//DTD PAP 3.0//EN\" \"" SYS21 "\">",
					PAP_VERSION_NOT_SUPPORTED, 0},
			{"<!DOCTYPE pap SYSTEM \"http://x/pap_2.3.dtd\">",
					PAP_VERSION_NOT_SUPPORTED, 0},
			{"<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\" "
			 "[<?wap-pap-ver supported-versions=\"3.0, 2.2\"?>]>",
					PAP_VERSION_NOT_SUPPORTED, 0},
			{"<!DOCTYPE pap [<?wap-pap-ver supported-versions=\"\"?>]>",
					PAP_VERSION_NOT_SUPPORTED, 0},
			{"<?wap-pap-ver supported-versions=\"3.*\"?>",
					PAP_VERSION_NOT_SUPPORTED, 0},
	};
	pap_control_t ctl;
	pap_error_t err;
	size_t i;
	char *doc;
	int rc;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(asprintf(&doc,
							"%s%s\n<pap><statusquery-message push-id=\"q\"/>"
							"</pap>",
							i % 2 ? XMLDECL : "", cases[i].prolog)
					> 0);
		rc = parse(doc, &ctl, &err);
		if(rc != cases[i].rc)
			fail_msg("%d (%s), expected %d:\n%s", rc, err.desc, cases[i].rc,
					doc);
		if(rc == 0)
			assert_int_equal(ctl.version, cases[i].v);
		else
			/* the fragment shows the DOCTYPE when there is one */
			assert_true(
					strstr(cases[i].prolog, "<!DOCTYPE") == NULL
					|| memmem(err.fragment, err.fragment_len, "<!DOCTYPE", 9));
		pap_control_free(&ctl);
		free(doc);
	}
}

static void test_refused(void **state)
{
	static const struct
	{
		const char *doc, *what;
	} cases[] = {
			/* not well-formed */
			{"<pap><push-message push-id=\"a\">", "XML line 1"},
			{"<pap><push-message push-id=\"a\"/>\n</pap", "XML line 2"},
			{"<pap><push-message push-id=\"a\" push-id=\"b\"/></pap>", "XML"},
			{"<pap>&#0;</pap>", "XML"},
			{"<pap>\x01</pap>", "XML"},
			{"<pap/><pap/>", "XML"},
			{"text", "XML"},
			{"<p:pap xmlns:p=\"x\"/><", "XML"},
			/* an entity reference without a declaration, even where an
		 * external subset could have declared it */
			{"<pap><statusquery-message push-id=\"&x;\"/></pap>", "XML"},
			{DT21 "<pap><statusquery-message push-id=\"&x;\"/></pap>", "XML"},
			{DT21 "<pap>&x;<statusquery-message push-id=\"q\"/></pap>", "XML"},
			/* the root and its operation */
			{"<pop/>", "root"},
			{"<pap xmlns=\"urn:x\"><statusquery-message push-id=\"q\"/></pap>",
					"root"},
			{"<pap/>", "no operation"},
			{"<pap>text</pap>", "no operation"},
			{"<pap><statusquery-message push-id=\"q\"/><statusquery-message "
			 "push-id=\"r\"/></pap>",
					"more than one"},
			{"<pap><push-response push-id=\"q\"/></pap>", "not an operation"},
			{"<pap><badmessage-response code=\"2000\"/></pap>",
					"not an operation"},
			{"<pap xmlns:p=\"urn:x\"><p:statusquery-message "
			 "push-id=\"q\"/></pap>",
					"not an operation"},
			/* required attributes */
			{"<pap><statusquery-message/></pap>", "without push-id"},
			{"<pap><cancel-message push-id=\"\"/></pap>", "without push-id"},
			{"<pap><ccq-message push-id=\"q\"/></pap>", "without query-id"},
			{"<pap><statusquery-message p:push-id=\"q\" "
			 "xmlns:p=\"urn:x\"/></pap>",
					"without push-id"},
			{"<pap><cancel-message "
			 "push-id=\"q\"><address/></cancel-message></pap>",
					"without address-value"},
			{"<pap><resultnotification-response push-id=\"q\"/></pap>",
					"without code"},
			{"<pap><resultnotification-response push-id=\"q\" "
			 "code=\"abc\"/></pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" "
			 "code=\"999\"/></pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" "
			 "code=\"0999\"/></pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" code=\"100000\"/>"
			 "</pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" code=\"1000x\"/>"
			 "</pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" code=\"-1000\"/>"
			 "</pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" code=\"9999999999"
			 "99999999999\"/></pap>",
					"not a PAP code"},
			{"<pap><resultnotification-response push-id=\"q\" code=\"1000"
			 "                                                                 "
			 "\"/></pap>",
					"code longer than 64"},
			/* a desc is printable ASCII, whatever the document holds */
			{"<pap><caf\xc3\xa9/></pap>", "<caf?"
										  "?> is not an operation"},
	};
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refused(cases[i].doc, PAP_BAD_REQUEST, cases[i].what);
	/* nothing, a NUL byte, bytes that are not UTF-8 */
	refused("", PAP_BAD_REQUEST, "empty");
	assert_int_equal(
			pap_parse_control(NULL, 0, &(pap_control_t){0}, &(pap_error_t){0}),
			PAP_BAD_REQUEST);
}

static void test_refused_push(void **state)
{
	static const struct
	{
		const char *attrs, *children, *what;
	} cases[] = {
			{"", ADDR, "without push-id"},
			{"push-id=\"p\"", "", "without address"},
			{"push-id=\"p\"", "<quality-of-service/>", "without address"},
			{"push-id=\"p\"", ADDR "<quality-of-service/><quality-of-service/>",
					"more than one quality-of-service"},
			{"push-id=\"p\" deliver-before-timestamp=\"2030-01-01\"", ADDR,
					"deliver-before-timestamp"},
			{"push-id=\"p\" "
			 "deliver-after-timestamp=\"2030-01-01T00:00:00+01:00\"",
					ADDR, "deliver-after-timestamp"},
			{"push-id=\"p\" deliver-after-timestamp=\"1970-01-01T00:00:00Z\"",
					ADDR, "deliver-after-timestamp"},
			{"push-id=\"p\" deliver-before-timestamp=\"\"", ADDR,
					"deliver-before-timestamp"},
			{"push-id=\"p\" progress-notes-requested=\"yes\"", ADDR,
					"progress-notes-requested"},
			{"push-id=\"p\" replace-method=\"some\"", ADDR, "replace-method"},
			{"push-id=\"p\"", ADDR "<quality-of-service priority=\"urgent\"/>",
					"priority"},
			{"push-id=\"p\"", ADDR "<quality-of-service delivery-method=\"\"/>",
					"delivery-method"},
			{"push-id=\"p\"",
					ADDR "<quality-of-service delivery-method=\"confirmed!\"/>",
					"delivery-method"},
			{"push-id=\"p\"",
					ADDR "<quality-of-service network-required=\"1\"/>",
					"network-required"},
			{"push-id=\"p\"",
					ADDR "<quality-of-service bearer-required=\"t rue\"/>",
					"bearer-required"},
			/* enumerations and timestamps are short */
			{"push-id=\"p\"",
					ADDR "<quality-of-service priority=\"high"
						 "                                                     "
						 "       "
						 "  \"/>",
					"priority longer than 64"},
			{"push-id=\"p\" deliver-before-timestamp=\"2030-01-01T00:00:00Z"
			 "                                                            \"",
					ADDR, "deliver-before-timestamp longer than 64"},
	};
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		push_refused(cases[i].attrs, cases[i].children, cases[i].what);
}

/* A push-message at a limit is read, one over it refused. */
static void test_limits(void **state)
{
	pap_control_t ctl;
	pap_error_t err;
	char *doc, *attrs, *children, *s255, *s256, *s512, *s513, *u1024, *u1025,
			*t64, *t65;

	(void)state;
	children = repeat(ADDR, PAP_MAX_ADDRESSES);
	doc = push_doc("push-id=\"p\"", children);
	assert_int_equal(parse(doc, &ctl, &err), 0);
	assert_int_equal(ctl.n_addresses, PAP_MAX_ADDRESSES);
	assert_string_equal(ctl.addresses[PAP_MAX_ADDRESSES - 1], ADDR1);
	pap_control_free(&ctl);
	free(doc);
	free(children);
	children = repeat(ADDR, PAP_MAX_ADDRESSES + 1);
	doc = push_doc("push-id=\"p\"", children);
	refused(doc, PAP_BAD_REQUEST, "more than 64 addresses");
	/* the fragment shows the 65th address */
	fragment_covers(strlen(doc) - strlen(ADDR "</push-message></pap>"));
	free(doc);
	free(children);

	s255 = repeat("i", PAP_MAX_ID);
	s256 = repeat("i", PAP_MAX_ID + 1);
	s512 = repeat("a", PAP_MAX_ADDRESS);
	s513 = repeat("a", PAP_MAX_ADDRESS + 1);
	u1024 = repeat("u", PAP_MAX_URL);
	u1025 = repeat("u", PAP_MAX_URL + 1);
	t64 = repeat("t", PAP_MAX_TOKEN);
	t65 = repeat("t", PAP_MAX_TOKEN + 1);

	assert_true(
			asprintf(&attrs,
					"push-id=\"%s\" replace-push-id=\"%s\" "
					"ppg-notify-requested-to=\"%s\" source-reference=\"%s\"",
					s255, s255, u1024, t64)
			> 0);
	assert_true(asprintf(&children,
						"<address address-value=\"%s\"/><quality-of-service "
						"network=\"%s\" bearer=\"%s\"/>",
						s512, t64, t64)
				> 0);
	doc = push_doc(attrs, children);
	assert_int_equal(parse(doc, &ctl, &err), 0);
	assert_string_equal(ctl.push_id, s255);
	assert_string_equal(ctl.replace_push_id, s255);
	assert_string_equal(ctl.notify_to, u1024);
	assert_string_equal(ctl.source_reference, t64);
	assert_string_equal(ctl.addresses[0], s512);
	assert_string_equal(ctl.qos.network, t64);
	assert_string_equal(ctl.qos.bearer, t64);
	pap_control_free(&ctl);
	free(doc);
	free(attrs);
	free(children);

#define OVER(fmt, value, children, what)               \
	do {                                               \
		assert_true(asprintf(&attrs, fmt, value) > 0); \
		push_refused(attrs, children, what);           \
		free(attrs);                                   \
	} while(0)
	OVER("push-id=\"%s\"", s256, ADDR, "push-id longer than 255");
	OVER("push-id=\"p\" replace-push-id=\"%s\"", s256, ADDR,
			"replace-push-id longer than 255");
	OVER("push-id=\"p\" ppg-notify-requested-to=\"%s\"", u1025, ADDR,
			"ppg-notify-requested-to longer than 1024");
	OVER("push-id=\"p\" source-reference=\"%s\"", t65, ADDR,
			"source-reference longer than 64");
#undef OVER
#define OVER_CHILD(fmt, value, what)                      \
	do {                                                  \
		assert_true(asprintf(&children, fmt, value) > 0); \
		push_refused("push-id=\"p\"", children, what);    \
		free(children);                                   \
	} while(0)
	OVER_CHILD("<address address-value=\"%s\"/>", s513,
			"address-value longer than 512");
	OVER_CHILD(ADDR "<quality-of-service network=\"%s\"/>", t65,
			"network longer than 64");
	OVER_CHILD(ADDR "<quality-of-service bearer=\"%s\"/>", t65,
			"bearer longer than 64");
#undef OVER_CHILD
	/* a query-id is an id too */
	assert_true(
			asprintf(&doc, "<pap><ccq-message query-id=\"%s\"/></pap>", s256)
			> 0);
	refused(doc, PAP_BAD_REQUEST, "query-id longer than 255");
	free(doc);

	free(s255);
	free(s256);
	free(s512);
	free(s513);
	free(u1024);
	free(u1025);
	free(t64);
	free(t65);
}

/* A control entity of PAP_MAX_CONTROL bytes is read, one byte more is
 * refused before it is parsed. */
/* A fragment never splits a UTF-8 character, at either end. */
static void test_fragment_utf8(void **state)
{
	size_t pad;
	char *doc, *fill, *frag;

	(void)state;
	fill = repeat("\xc3\xa9", 100);
	for(pad = 0; pad < 4; pad++) {
		assert_true(asprintf(&doc, "<!--%.*s%s--><pop/><!--%s-->", (int)pad,
							"xxx", fill, fill)
					> 0);
		refused(doc, PAP_BAD_REQUEST, "root");
		fragment_covers((size_t)(strstr(doc, "<pop/>") - doc));
		frag = strndup(last_err.fragment, last_err.fragment_len);
		assert_true(xmlCheckUTF8((const xmlChar *)frag));
		free(frag);
		free(doc);
	}
	free(fill);
}

static void test_size_limit(void **state)
{
	static const char head[] =
			"<pap><statusquery-message push-id=\"q\"/></pap><!--";
	pap_control_t ctl;
	pap_error_t err;
	char *doc = malloc(PAP_MAX_CONTROL + 2);

	(void)state;
	assert_non_null(doc);
	memcpy(doc, head, sizeof(head) - 1);
	memset(doc + sizeof(head) - 1, 'x',
			PAP_MAX_CONTROL + 2 - (sizeof(head) - 1));
	memcpy(doc + PAP_MAX_CONTROL - 3, "-->", 3);
	assert_int_equal(parse_n(doc, PAP_MAX_CONTROL, &ctl, &err), 0);
	pap_control_free(&ctl);
	memcpy(doc + PAP_MAX_CONTROL - 3, "x-->", 4);
	refused_n(doc, PAP_MAX_CONTROL + 1, "longer than 131072");
	free(doc);
}

/* Any attempt to read an external resource, by an input callback or the
 * external entity loader (both installed for this process by main()). */
static int loads;

static int load_match(const char *uri)
{
	(void)uri;
	loads++;
	return 0;
}

static xmlParserInputPtr load_refused(
		const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loads++;
	return NULL;
}

#define PASSWD_ENTITY "<!ENTITY x SYSTEM \"file:///etc/passwd\">"

static const char *const entity_docs[] = {
		/* XXE: an external entity in an attribute, in content */
		"<!DOCTYPE pap [" PASSWD_ENTITY "]>\n"
		"<pap><push-message push-id=\"&x;\">" ADDR "</push-message></pap>",
		"<!DOCTYPE pap [" PASSWD_ENTITY "]><pap>&x;</pap>",
		XMLDECL "<!DOCTYPE pap PUBLIC \"" PUB20 "\" \"" SYS20 "\" [\n"
				"<?wap-pap-ver supported-versions=\"2.0\"?>\n" PASSWD_ENTITY
				"\n]>\n<pap><statusquery-message push-id=\"&x;\"/></pap>",
		"<!DOCTYPE pap [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>"
		"<pap>&x;</pap>",
		"<!DOCTYPE pap [<!ENTITY x PUBLIC \"-//X//Y//EN\" \"passwd\">]>"
		"<pap>&x;</pap>",
		/* parameter entities, external and internal */
		"<!DOCTYPE pap [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
		"<pap/>",
		"<!DOCTYPE pap [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]><pap>&x;</pap>",
		/* an unparsed entity */
		"<!DOCTYPE pap [<!NOTATION n SYSTEM \"n\">"
		"<!ENTITY x SYSTEM \"file:///etc/passwd\" NDATA n>]><pap/>",
		/* billion laughs */
		"<!DOCTYPE pap [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"
		"<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>\n"
		"<pap><statusquery-message push-id=\"&i;\"/></pap>",
		/* even a harmless one, even redeclaring a predefined one */
		"<!DOCTYPE pap [<!ENTITY x \"y\">]><pap><statusquery-message "
		"push-id=\"q\"/></pap>",
		"<!DOCTYPE pap [<!ENTITY lt \"&#38;#60;\">]><pap><statusquery-message "
		"push-id=\"q\"/></pap>",
};

static void test_entities(void **state)
{
	static const char probe[] =
			"<!DOCTYPE pap SYSTEM \"file:///nonexistent/pap.dtd\"><pap/>";
	size_t i, off;
	xmlDocPtr d;

	(void)state;
	/* the probe notices a load */
	loads = 0;
	d = xmlReadMemory(probe, sizeof(probe) - 1, NULL, NULL,
			XML_PARSE_DTDLOAD | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeDoc(d);
	assert_true(loads > 0);

	loads = 0;
	for(i = 0; i < sizeof(entity_docs) / sizeof(entity_docs[0]); i++) {
		refused(entity_docs[i], PAP_BAD_REQUEST, "entity declaration");
		/* the fragment shows the declaration */
		off = (size_t)(strstr(entity_docs[i], "<!ENTITY") - entity_docs[i]);
		fragment_covers(off);
	}
	assert_int_equal(loads, 0);
}

static void parse_all_refused(void)
{
	static const char *const docs[] = {
			"<pap><push-message push-id=\"a\">",
			"<pap>\x01</pap>",
			"<pap><statusquery-message push-id=\"&x;\"/></pap>",
			DT21 "<pap>&x;<statusquery-message push-id=\"q\"/></pap>",
			"<?xml version=\"1.0\" encoding=\"bogus\"?><pap/>",
			"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><pap>\x81\x20</pap>",
			"<?xml version=\"1.0\" encoding=\"UTF-16\"?><pap/>",
			"<pap xmlns:a=\"x\"><a:b xmlns:c=\"rel\"/></pap>",
			"<pap><x:y/></pap>",
			"<?xml version=\"1.1\"?><pap/>",
			"<!DOCTYPE pap PUBLIC \"-//X\" \"file:///etc/passwd\" [%p;]><pap/>",
	};
	pap_control_t ctl;
	pap_error_t err;
	size_t i;

	for(i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		if(parse(docs[i], &ctl, &err) == 0)
			pap_control_free(&ctl);
	}
	for(i = 0; i < sizeof(entity_docs) / sizeof(entity_docs[0]); i++)
		parse(entity_docs[i], &ctl, &err);
}

/* stderr into a temporary file, from stderr_capture() to stderr_release(),
 * which returns the number of bytes written to it. */
static FILE *captured;
static int saved_stderr = -1;

static void stderr_capture(void)
{
	captured = tmpfile();
	assert_non_null(captured);
	fflush(stderr);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(captured), 2) >= 0);
}

static long stderr_release(void)
{
	struct stat st;

	fflush(stderr);
	assert_true(dup2(saved_stderr, 2) >= 0);
	close(saved_stderr);
	saved_stderr = -1;
	assert_int_equal(fstat(fileno(captured), &st), 0);
	fclose(captured);
	return (long)st.st_size;
}

/* Nothing goes to stderr, whatever the document. */
static void test_silent(void **state)
{
	(void)state;
	stderr_capture();
	parse_all_refused();
	assert_int_equal(stderr_release(), 0);
}

/* The input is UTF-8: a declared encoding is ignored, other bytes are
 * refused before libxml2 sees them. */
static void test_encodings(void **state)
{
	static const char body[] =
			"<pap><statusquery-message push-id=\"q\"/></pap>";
	static const char *const good[] = {
			"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
			"<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
			"<?xml version=\"1.0\" encoding=\"bogus\"?>",
			"\xef\xbb\xbf<?xml version=\"1.0\"?>",
	};
	/* n: the length when the bytes hold a NUL */
	static const struct
	{
		const char *s;
		size_t n;
	} bad[] = {
			/* Latin-1, UTF-16 and UTF-32 byte order marks, EBCDIC */
			{"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><!-- caf\xe9 -->",
					0},
			{"\xff\xfe<\0p\0", 6},
			{"\xfe\xff\0<\0p", 6},
			{"\0\0\xfe\xff", 4},
			{"\x4c\x6f\xa7\x94\x93\x40", 0},
			/* overlong, surrogate, beyond U+10FFFF, truncated */
			{"<!-- \xc0\xbc -->", 0},
			{"<!-- \xed\xa0\x80 -->", 0},
			{"<!-- \xf4\x90\x80\x80 -->", 0},
			{"<!-- \xe2\x82 -->", 0},
	};
	pap_control_t ctl;
	pap_error_t err;
	size_t i, n;
	char *doc;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(asprintf(&doc, "%s%s", good[i], body) > 0);
		if(parse(doc, &ctl, &err) != 0)
			fail_msg("refused (%s):\n%s", err.desc, doc);
		assert_string_equal(ctl.push_id, "q");
		pap_control_free(&ctl);
		free(doc);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = bad[i].n > 0 ? bad[i].n : strlen(bad[i].s);
		doc = malloc(n + sizeof(body));
		assert_non_null(doc);
		memcpy(doc, bad[i].s, n);
		memcpy(doc + n, body, sizeof(body));
		assert_int_equal(parse_n(doc, n + sizeof(body) - 1, &ctl, &err),
				PAP_BAD_REQUEST);
		free(doc);
	}
	/* a NUL byte, with where it is */
	refused_n("<pap>\0</pap>", 12, "NUL byte");
	fragment_covers(5);
	refused_n("<pap>\xc3\x28</pap>", 13, "not in UTF-8");
	fragment_covers(5);
}

static void test_check_push(void **state)
{
	static const struct
	{
		const char *notify_to, *replace, *network, *bearer;
		int network_required, bearer_required;
		long long before, after; /* from T2030; 0: absent */
		int rc;
	} cases[] = {
			{NULL, NULL, "", "", 0, 0, 0, 0, 0},
			{"http://pi.example.net/n", NULL, "", "", 0, 0, 0, 0, 0},
			{"https://pi.example.net:8443/n?a=1", NULL, "", "", 0, 0, 0, 0, 0},
			{"HTTP://pi", NULL, "", "", 0, 0, 0, 0, 0},
			{"ftp://pi.example.net/n", NULL, "", "", 0, 0, 0, 0, 400},
			{"mailto:pi@example.net", NULL, "", "", 0, 0, 0, 0, 400},
			{"http://", NULL, "", "", 0, 0, 0, 0, 400},
			{"http:///n", NULL, "", "", 0, 0, 0, 0, 400},
			{"http://?", NULL, "", "", 0, 0, 0, 0, 400},
			{"http://a b/", NULL, "", "", 0, 0, 0, 0, 400},
			{"http://a/<b>", NULL, "", "", 0, 0, 0, 0, 400},
			{"http://a/\x7f", NULL, "", "", 0, 0, 0, 0, 400},
			{"http://caf\xc3\xa9/", NULL, "", "", 0, 0, 0, 0, 400},
			{"", NULL, "", "", 0, 0, 0, 0, 400},
			{NULL, "p0", "", "", 0, 0, 0, 0, PAP_REPLACE_NOT_SUPPORTED},
			{NULL, "", "", "", 0, 0, 0, 0, PAP_REPLACE_NOT_SUPPORTED},
			{NULL, NULL, "GSM", "", 1, 0, 0, 0, PAP_NETWORK_NOT_AVAILABLE},
			{NULL, NULL, "GSM", "", 0, 0, 0, 0, 0},
			{NULL, NULL, "any", "", 1, 0, 0, 0, 0},
			{NULL, NULL, "SIP", "", 1, 0, 0, 0, 0},
			{NULL, NULL, "", "", 1, 0, 0, 0, 0},
			{NULL, NULL, "", "SMS", 0, 1, 0, 0, PAP_BEARER_NOT_AVAILABLE},
			{NULL, NULL, "", "sip", 0, 1, 0, 0, 0},
			{NULL, NULL, "", "Any", 0, 1, 0, 0, 0},
			{NULL, NULL, "", "SMS", 0, 0, 0, 0, 0},
			{NULL, NULL, "", "", 0, 0, 1, 0, 0},
			{NULL, NULL, "", "", 0, 0, -1, 0, PAP_FORBIDDEN},
			{NULL, NULL, "", "", 0, 0, T2030, 0, 0},
			{NULL, NULL, "", "", 0, 0, 0, 1, PAP_NOT_IMPLEMENTED},
			{NULL, NULL, "", "", 0, 0, 0, -1, 0},
			{NULL, NULL, "", "", 0, 0, 10, 20, 400},
			{NULL, NULL, "", "", 0, 0, 20, 10, PAP_NOT_IMPLEMENTED},
			{NULL, NULL, "", "", 0, 0, 20, 20, PAP_NOT_IMPLEMENTED},
			/* a malformed request first, then what cannot be done */
			{"ftp://x", "p0", "GSM", "", 1, 0, -1, 0, 400},
			{NULL, "p0", "GSM", "SMS", 1, 1, -1, 0, PAP_REPLACE_NOT_SUPPORTED},
			{NULL, NULL, "GSM", "SMS", 1, 1, -1, 0, PAP_NETWORK_NOT_AVAILABLE},
			{NULL, NULL, "", "SMS", 0, 1, -1, 0, PAP_BEARER_NOT_AVAILABLE},
	};
	pap_control_t c;
	size_t i;
	int rc, expect;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.op = PAP_PUSH_MESSAGE;
		c.notify_to = (char *)cases[i].notify_to;
		c.replace_push_id = (char *)cases[i].replace;
		c.qos.network_required = cases[i].network_required;
		c.qos.bearer_required = cases[i].bearer_required;
		strcpy(c.qos.network, cases[i].network);
		strcpy(c.qos.bearer, cases[i].bearer);
		if(cases[i].before != 0)
			c.deliver_before = (time_t)(T2030 + cases[i].before);
		if(cases[i].after != 0)
			c.deliver_after = (time_t)(T2030 + cases[i].after);
		rc = pap_check_push(&c, (time_t)T2030, 0);
		expect = cases[i].rc == 400 ? PAP_BAD_REQUEST : cases[i].rc;
		if(rc != expect)
			fail_msg("case %zu: %d, expected %d", i, rc, expect);
		/* holding only takes away the refusal of a later delivery */
		rc = pap_check_push(&c, (time_t)T2030, 1);
		if(expect == PAP_NOT_IMPLEMENTED)
			expect = 0;
		if(rc != expect)
			fail_msg("case %zu, holding: %d, expected %d", i, rc, expect);
	}
}

/* Every string a writer takes, with what libxml2 reads back from it:
 * markup and quotes escaped, tab and line ends kept as references, other
 * controls dropped, bytes that are not UTF-8 and non-characters as '?'. */
static const char hostile[] = "a<b>&c\"d'e\tf\ng\rh\x01i\x7fj\xff\xc0\x80k"
							  "\xef\xbf\xbel\xc3\xa9m]]>&amp;n\x1b";
static const char hostile_read[] =
		"a<b>&c\"d'e\tf\ng\rhi\x7fj???k?l\xc3\xa9m]]>"
		"&amp;n";

static void test_writers_hostile(void **state)
{
	const char *addrs[] = {hostile, hostile};
	pap_result_t r = {PAP_STATE_UNDELIVERABLE, 2003, (time_t)T2030, addrs, 2};
	pap_qos_t qos;
	const xmlNode *op, *res;
	xmlDocPtr d;
	size_t len;
	char *out;

	(void)state;
	out = pap_write_push_response(
			PAP_V2_1, hostile, hostile, hostile, (time_t)T2030, 2000, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "push-response");
	expect_attr(op, "push-id", hostile_read);
	expect_attr(op, "sender-address", hostile_read);
	expect_attr(op, "sender-name", hostile_read);
	xmlFreeDoc(d);

	out = pap_write_badmessage_response(PAP_V2_1, PAP_BAD_REQUEST, hostile,
			hostile, sizeof(hostile) - 1, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "badmessage-response");
	expect_attr(op, "desc", hostile_read);
	expect_attr(op, "bad-message-fragment", hostile_read);
	xmlFreeDoc(d);
	/* a fragment is bounded by its length, not by a NUL; a sequence cut
	 * at its end is not UTF-8 */
	out = pap_write_badmessage_response(
			PAP_V2_1, PAP_BAD_REQUEST, NULL, "<a>\xc3\xa9", 4, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "badmessage-response");
	expect_attr(op, "desc", NULL);
	expect_attr(op, "bad-message-fragment", "<a>?");
	xmlFreeDoc(d);

	out = pap_write_cancel_response(PAP_V2_1, hostile, &r, 1, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "cancel-response");
	expect_attr(op, "push-id", hostile_read);
	res = elem(op, "cancel-result", 0);
	expect_attr(elem(res, "address", 0), "address-value", hostile_read);
	expect_attr(elem(res, "address", 1), "address-value", hostile_read);
	xmlFreeDoc(d);

	out = pap_write_statusquery_response(PAP_V2_1, hostile, &r, 1, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "statusquery-response");
	expect_attr(op, "push-id", hostile_read);
	res = elem(op, "statusquery-result", 0);
	expect_attr(res, "message-state", "undeliverable");
	expect_attr(res, "code", "2003");
	expect_attr(res, "desc", "Address not found");
	expect_attr(elem(res, "address", 1), "address-value", hostile_read);
	xmlFreeDoc(d);

	out = pap_write_ccq_response(PAP_V2_1, hostile, 3001, &len);
	d = reparse(out, len, PUB21, SYS21);
	expect_attr(op_of(d, "ccq-response"), "query-id", hostile_read);
	xmlFreeDoc(d);

	memset(&qos, 0, sizeof(qos));
	qos.present = 1;
	qos.priority = PAP_PRIORITY_LOW;
	qos.delivery_method = PAP_DELIVERY_PREFERCONFIRMED;
	qos.network_required = qos.bearer_required = 1;
	strcpy(qos.network, "<\"&>");
	memset(qos.bearer, 'b', sizeof(qos.bearer));
	out = pap_write_resultnotification(PAP_V2_1, hostile, hostile, hostile,
			hostile, PAP_STATE_TIMEOUT, 4000, 0, 0, &qos, &len);
	d = reparse(out, len, PUB21, SYS21);
	op = op_of(d, "resultnotification-message");
	expect_attr(op, "push-id", hostile_read);
	expect_attr(op, "sender-address", hostile_read);
	expect_attr(op, "sender-name", hostile_read);
	expect_attr(op, "received-time", NULL);
	expect_attr(op, "event-time", NULL);
	expect_attr(op, "message-state", "timeout");
	expect_attr(elem(op, "address", 0), "address-value", hostile_read);
	res = elem(op, "quality-of-service", 0);
	expect_attr(res, "priority", "low");
	expect_attr(res, "delivery-method", "preferconfirmed");
	expect_attr(res, "network", "<\"&>");
	expect_attr(res, "network-required", "true");
	expect_attr(res, "bearer-required", "true");
	/* a bearer without its NUL is read to PAP_MAX_TOKEN bytes */
	out = repeat("b", PAP_MAX_TOKEN);
	expect_attr(res, "bearer", out);
	free(out);
	xmlFreeDoc(d);
}

/* Each version's DOCTYPE; what is absent is left out. */
static void test_writers_versions(void **state)
{
	static const struct
	{
		enum pap_version v;
		const char *public_id, *system_id;
	} versions[] = {
			{PAP_V1_0, PUB10, SYS10},
			{PAP_V2_0, PUB20, SYS20},
			{PAP_V2_1, PUB21, SYS21},
			/* anything else is written as 2.1 */
			{(enum pap_version)7, PUB21, SYS21},
	};
	pap_result_t r = {PAP_STATE_PENDING, 1000, 0, NULL, 0};
	const xmlNode *op;
	xmlDocPtr d;
	size_t i, len;
	char *out;

	(void)state;
	for(i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		out = pap_write_push_response(
				versions[i].v, NULL, NULL, NULL, 0, 1001, &len);
		d = reparse(out, len, versions[i].public_id, versions[i].system_id);
		op = op_of(d, "push-response");
		expect_attr(op, "push-id", "");
		expect_attr(op, "sender-address", NULL);
		expect_attr(op, "sender-name", NULL);
		expect_attr(op, "reply-time", NULL);
		xmlFreeDoc(d);

		out = pap_write_badmessage_response(
				versions[i].v, 3002, NULL, NULL, 0, &len);
		d = reparse(out, len, versions[i].public_id, versions[i].system_id);
		op = op_of(d, "badmessage-response");
		expect_attr(op, "code", "3002");
		expect_attr(op, "bad-message-fragment", NULL);
		xmlFreeDoc(d);

		out = pap_write_cancel_response(versions[i].v, NULL, &r, 1, &len);
		d = reparse(out, len, versions[i].public_id, versions[i].system_id);
		expect_attr(op_of(d, "cancel-response"), "push-id", "");
		xmlFreeDoc(d);

		out = pap_write_statusquery_response(versions[i].v, "p", NULL, 0, &len);
		d = reparse(out, len, versions[i].public_id, versions[i].system_id);
		assert_null(op_of(d, "statusquery-response")->children->next);
		xmlFreeDoc(d);

		out = pap_write_ccq_response(versions[i].v, NULL, 3001, &len);
		d = reparse(out, len, versions[i].public_id, versions[i].system_id);
		expect_attr(op_of(d, "ccq-response"), "query-id", "");
		xmlFreeDoc(d);

		out = pap_write_resultnotification(versions[i].v, "p", NULL, NULL, NULL,
				(enum pap_state)99, 4000, 0, 0, NULL, &len);
		d = reparse(out, len, versions[i].public_id, versions[i].system_id);
		op = op_of(d, "resultnotification-message");
		expect_attr(op, "message-state", "unknown");
		/* no address, no quality of service */
		for(op = op->children; op != NULL; op = op->next)
			assert_int_not_equal(op->type, XML_ELEMENT_NODE);
		xmlFreeDoc(d);
	}
	/* the length is optional */
	out = pap_write_ccq_response(PAP_V2_1, "q", 3001, NULL);
	assert_non_null(out);
	free(out);
}

static void test_names(void **state)
{
	static const struct
	{
		int code;
		const char *desc;
	} codes[] = {
			{1000, "OK"},
			{1001, "Accepted for processing"},
			{2000, "Bad request"},
			{2001, "Forbidden"},
			{2002, "Address error"},
			{2003, "Address not found"},
			{2004, "Push ID not found"},
			{2005, "Capabilities mismatch"},
			{2006, "Required capabilities not supported"},
			{2007, "Duplicate push ID"},
			{2008, "Cancellation not possible"},
			{3000, "Internal server error"},
			{3001, "Not implemented"},
			{3002, "Version not supported"},
			{3003, "Not possible"},
			{3004, "Capability matching not supported"},
			{3005, "Multiple addresses not supported"},
			{3006, "Transformation failure"},
			{3007, "Specified delivery method not possible"},
			{3008, "Capabilities not available"},
			{3009, "Required network not available"},
			{3010, "Required bearer not available"},
			{3011, "Replacement not supported"},
			{4000, "Service failure"},
			{4001, "Service unavailable"},
			{5000, "Mobile device aborted"},
			{5028, "Mobile device aborted"},
			{1500, "Success"},
			{2500, "Push Initiator error"},
			{3999, "Gateway error"},
			{4500, "Service failure"},
			{999, "Unknown code"},
			{6000, "Unknown code"},
			{22000, "Unknown code"},
			{-1, "Unknown code"},
	};
	static const char *const states[] = {"pending", "delivered",
			"undeliverable", "expired", "aborted", "timeout", "cancelled",
			"unknown", "rejected"};
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_string_equal(pap_code_desc(codes[i].code), codes[i].desc);
	for(i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		assert_string_equal(
				pap_state_name((enum pap_state)(PAP_STATE_PENDING + i)),
				states[i]);
	assert_string_equal(pap_state_name((enum pap_state) - 1), "unknown");
	assert_string_equal(pap_state_name((enum pap_state)9), "unknown");
}

/* libxml2's allocator, failing the nth allocation from now (-1: never). */
static long fail_after = -1;

static int fail_now(void)
{
	if(fail_after < 0)
		return 0;
	return fail_after-- == 0;
}

static void *t_malloc(size_t n)
{
	return fail_now() ? NULL : malloc(n);
}

static void *t_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : realloc(p, n);
}

static char *t_strdup(const char *s)
{
	return fail_now() ? NULL : strdup(s);
}

/* Memory running out at any point of a parse: an internal error (or, when
 * libxml2 reports it as another error, a bad request), never a crash or a
 * leak (ASan). libxml2 reports a failure outside any parser context to its
 * global handler, stderr: that is kept out of the test's output. */
static void test_out_of_memory(void **state)
{
	pap_control_t ctl;
	pap_error_t err;
	size_t len;
	long n;
	int rc, internal = 0;

	(void)state;
	free(doc_copy);
	doc_copy = dup_exact(TV1_CONTROL, &len);
	for(n = 0; n < 100000; n++) {
		stderr_capture();
		fail_after = n;
		rc = pap_parse_control(doc_copy, len, &ctl, &err);
		fail_after = -1;
		stderr_release();
		if(rc == 0) {
			assert_string_equal(ctl.push_id, "mms-0001@mmsc.example.net");
			pap_control_free(&ctl);
			break;
		}
		assert_null(ctl.push_id);
		if(rc == PAP_INTERNAL_ERROR) {
			internal++;
			assert_null(err.fragment);
		} else {
			assert_int_equal(rc, PAP_BAD_REQUEST);
		}
	}
	assert_true(n > 0 && n < 100000);
	assert_true(internal > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test_teardown(test_tv1, free_doc),
			cmocka_unit_test_teardown(test_tv2, free_doc),
			cmocka_unit_test_teardown(test_tv3, free_doc),
			cmocka_unit_test_teardown(test_tv4, free_doc),
			cmocka_unit_test_teardown(test_tv5, free_doc),
			cmocka_unit_test_teardown(test_versions, free_doc),
			cmocka_unit_test_teardown(test_refused, free_doc),
			cmocka_unit_test_teardown(test_refused_push, free_doc),
			cmocka_unit_test_teardown(test_limits, free_doc),
			cmocka_unit_test_teardown(test_fragment_utf8, free_doc),
			cmocka_unit_test_teardown(test_size_limit, free_doc),
			cmocka_unit_test_teardown(test_entities, free_doc),
			cmocka_unit_test_teardown(test_silent, free_doc),
			cmocka_unit_test_teardown(test_encodings, free_doc),
			cmocka_unit_test(test_check_push),
			cmocka_unit_test(test_writers_hostile),
			cmocka_unit_test(test_writers_versions),
			cmocka_unit_test(test_names),
			cmocka_unit_test_teardown(test_out_of_memory, free_doc),
	};
	int rc;

	/* before libxml2 allocates anything: its allocator can fail on
	 * demand, and any attempt to load a resource is counted */
	xmlMemSetup(free, t_malloc, t_realloc, t_strdup);
	xmlInitParser();
	xmlRegisterInputCallbacks(load_match, NULL, NULL, NULL);
	xmlSetExternalEntityLoader(load_refused);
	rc = cmocka_run_group_tests_name("pap", tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
