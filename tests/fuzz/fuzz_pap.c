/*
 * libFuzzer harness of the PAP library (pap.h): nothing reads past its
 * input (ASan), and the contract of each function holds whatever it is
 * given. The first byte chooses what the rest is (its value modulo 4):
 *
 *   x  a control entity: pap_parse_control(), then pap_check_push(), the
 *      addresses, and answers written from what was read
 *   m  a request: its Content-Type, a line feed, the body: pap_split(),
 *      then the control entity parsed, the application id made canonical
 *      and a base64 content decoded
 *   v  values separated by NUL bytes: an address, an application id, a
 *      timestamp, an Authorization value, two secrets
 *   w  strings separated by NUL bytes, given to every writer
 *
 * Every document written is read back by libxml2 and must be well-formed;
 * an attribute written from printable ASCII other than markup characters
 * must read back unchanged.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "cp_lex.h"
#include "fuzz_util.h"
#include "pap.h"

#define DOMAIN "ims.example.net"
#define MAX_PIECES 8

struct piece
{
	char *s; /* NUL-terminated copy */
	size_t len;
};

/* The pieces of data[0..size) between NUL bytes, at most MAX_PIECES (the
 * last one takes the rest, NUL bytes included, with len its length). */
static int pieces(const uint8_t *data, size_t size, struct piece *p)
{
	const uint8_t *end = data + size, *nul;
	int n = 0;

	while(n < MAX_PIECES) {
		nul = n < MAX_PIECES - 1 ? memchr(data, 0, end - data) : NULL;
		if(nul == NULL)
			nul = end;
		p[n].len = (size_t)(nul - data);
		p[n].s = malloc(p[n].len + 1);
		FZ_CHECK(p[n].s != NULL);
		memcpy(p[n].s, data, p[n].len);
		p[n].s[p[n].len] = '\0';
		n++;
		if(nul == end)
			break;
		data = nul + 1;
	}
	return n;
}

static void free_pieces(struct piece *p, int n)
{
	while(n > 0)
		free(p[--n].s);
}

/* The string of piece i, an empty one past the last, NULL for an empty
 * one (an absent optional value). */
static const char *arg(const struct piece *p, int n, int i)
{
	if(i >= n || p[i].s[0] == '\0')
		return NULL;
	return p[i].s;
}

static int reparse_errors;

static void count_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if(e->level >= XML_ERR_ERROR)
		reparse_errors++;
}

/* A string whose attribute must read back unchanged. */
static int plain(const char *s)
{
	for(; s != NULL && *s != '\0'; s++) {
		if(*s < 0x20 || *s > 0x7e || *s == '<' || *s == '>' || *s == '&'
				|| *s == '"')
			return 0;
	}
	return 1;
}

/* Each attribute of node and below: no control character but the line
 * ends and tab; expect (when plain) is the value of attribute name. */
static void check_attrs(
		const xmlNode *node, const char *name, const char *expect)
{
	const xmlNode *c;
	xmlAttrPtr a;
	xmlChar *v;
	const unsigned char *u;

	for(a = node->properties; a != NULL; a = a->next) {
		v = xmlNodeGetContent((xmlNodePtr)a);
		FZ_CHECK(v != NULL);
		for(u = v; *u != '\0'; u++)
			FZ_CHECK(*u >= 0x20 || *u == '\t' || *u == '\n' || *u == '\r');
		if(name != NULL && expect != NULL && plain(expect)
				&& strcmp((const char *)a->name, name) == 0)
			FZ_CHECK(strcmp((const char *)v, expect) == 0);
		xmlFree(v);
	}
	for(c = node->children; c != NULL; c = c->next) {
		if(c->type == XML_ELEMENT_NODE)
			check_attrs(c, name, expect);
	}
}

/* A written document (freed here): well-formed, rooted at <pap>. */
static void reparse(char *doc, size_t len, const char *name, const char *expect)
{
	xmlParserCtxtPtr c;
	xmlDocPtr d;

	FZ_CHECK(doc != NULL);
	FZ_CHECK(strlen(doc) == len);
	c = xmlNewParserCtxt();
	FZ_CHECK(c != NULL);
	c->sax->serror = count_error;
	reparse_errors = 0;
	d = xmlCtxtReadMemory(c, doc, (int)len, NULL, NULL, XML_PARSE_NONET);
	xmlFreeParserCtxt(c);
	FZ_CHECK(d != NULL && reparse_errors == 0);
	FZ_CHECK(strcmp((const char *)xmlDocGetRootElement(d)->name, "pap") == 0);
	check_attrs(xmlDocGetRootElement(d), name, expect);
	xmlFreeDoc(d);
	free(doc);
}

static int is_uri_char(char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"';
}

static void check_address(const char *addr, size_t len)
{
	char *a = fz_dup((const uint8_t *)addr, len), out[PAP_MAX_ADDRESS + 64];
	size_t i;
	int rc = pap_address_uri(a, len, DOMAIN, out, sizeof(out));

	FZ_CHECK(rc == 0 || rc == PAP_ADDRESS_ERROR);
	if(rc == 0) {
		FZ_CHECK(strncasecmp(out, "sip:", 4) == 0
				 || strncasecmp(out, "sips:", 5) == 0
				 || strncasecmp(out, "tel:", 4) == 0);
		for(i = 0; out[i] != '\0'; i++)
			FZ_CHECK(is_uri_char(out[i]));
	}
	free(a);
}

static void check_app(const char *id, size_t len)
{
	char *a = fz_dup((const uint8_t *)id, len), out[128], again[128];
	const char *tag;
	size_t i;

	if(pap_app_canon(a, len, out, sizeof(out)) == 0) {
		for(i = 0; out[i] != '\0'; i++)
			FZ_CHECK((unsigned char)out[i] > 0x20 && out[i] != 0x7f
					 && (out[i] < 'A' || out[i] > 'Z'));
		FZ_CHECK(i > 0);
		/* canonical is a fixed point */
		FZ_CHECK(pap_app_canon(out, i, again, sizeof(again)) == 0);
		FZ_CHECK(strcmp(out, again) == 0);
		tag = pap_app_registered_tag(out);
		for(i = 0; tag != NULL && tag[i] != '\0'; i++)
			FZ_CHECK(cp_token_char[(unsigned char)tag[i]] && tag[i] != '!');
		FZ_CHECK(tag == NULL || i > 0);
	}
	free(a);
}

/* Answers written from a parsed control entity, read back. */
static void write_answers(const pap_control_t *ctl)
{
	pap_result_t r = {PAP_STATE_DELIVERED, PAP_OK, 1,
			(const char *const *)ctl->addresses, ctl->n_addresses};
	size_t len;
	char *doc;

	doc = pap_write_push_response(ctl->version, ctl->push_id, ctl->notify_to,
			ctl->source_reference, ctl->deliver_before, PAP_ACCEPTED, &len);
	reparse(doc, len, "push-id", ctl->push_id);
	doc = pap_write_statusquery_response(
			ctl->version, ctl->push_id, &r, 1, &len);
	reparse(doc, len, "push-id", ctl->push_id);
	doc = pap_write_resultnotification(ctl->version, ctl->push_id, NULL,
			ctl->replace_push_id,
			ctl->n_addresses > 0 ? ctl->addresses[0] : NULL, PAP_STATE_EXPIRED,
			4000, ctl->deliver_after, 0, &ctl->qos, &len);
	reparse(doc, len, "push-id", ctl->push_id);
}

static void check_control(const char *xml, size_t len)
{
	pap_control_t ctl;
	pap_error_t err;
	size_t i, dlen;
	char *doc;
	int rc = pap_parse_control(xml, len, &ctl, &err);

	if(rc != 0) {
		FZ_CHECK(rc == PAP_BAD_REQUEST || rc == PAP_VERSION_NOT_SUPPORTED
				 || rc == PAP_INTERNAL_ERROR);
		FZ_CHECK(err.code == rc);
		dlen = strnlen(err.desc, sizeof(err.desc));
		FZ_CHECK(dlen > 0 && dlen < sizeof(err.desc));
		for(i = 0; i < dlen; i++)
			FZ_CHECK(err.desc[i] >= 0x20 && err.desc[i] <= 0x7e);
		FZ_CHECK(err.fragment_len <= 128);
		FZ_CHECK(err.fragment_len == 0
				 || (err.fragment >= xml
						 && err.fragment + err.fragment_len <= xml + len));
		FZ_CHECK(ctl.push_id == NULL && ctl.addresses == NULL);
		doc = pap_write_badmessage_response(PAP_V2_1, err.code, err.desc,
				err.fragment, err.fragment_len, &dlen);
		reparse(doc, dlen, "desc", err.desc);
		return;
	}
	FZ_CHECK(ctl.version <= PAP_V2_1);
	FZ_CHECK(ctl.op <= PAP_RESULTNOTIFICATION_RESPONSE);
	FZ_CHECK(ctl.push_id != NULL && ctl.push_id[0] != '\0'
			 && strlen(ctl.push_id) <= PAP_MAX_ID);
	FZ_CHECK(ctl.replace_push_id == NULL
			 || strlen(ctl.replace_push_id) <= PAP_MAX_ID);
	FZ_CHECK(ctl.notify_to == NULL || strlen(ctl.notify_to) <= PAP_MAX_URL);
	FZ_CHECK(ctl.source_reference == NULL
			 || strlen(ctl.source_reference) <= PAP_MAX_TOKEN);
	FZ_CHECK(ctl.n_addresses <= PAP_MAX_ADDRESSES);
	FZ_CHECK((ctl.n_addresses == 0) == (ctl.addresses == NULL));
	FZ_CHECK(ctl.op != PAP_PUSH_MESSAGE || ctl.n_addresses > 0);
	FZ_CHECK(ctl.op != PAP_RESULTNOTIFICATION_RESPONSE || ctl.code >= 1000);
	FZ_CHECK(ctl.qos.present || ctl.qos.priority == PAP_PRIORITY_MEDIUM);
	FZ_CHECK(strlen(ctl.qos.network) <= PAP_MAX_TOKEN);
	for(i = 0; i < ctl.n_addresses; i++) {
		FZ_CHECK(strlen(ctl.addresses[i]) <= PAP_MAX_ADDRESS);
		check_address(ctl.addresses[i], strlen(ctl.addresses[i]));
	}
	rc = pap_check_push(&ctl, (time_t)1893456000, (int)(len & 1));
	FZ_CHECK(rc == 0 || rc == PAP_BAD_REQUEST || rc == PAP_FORBIDDEN
			 || rc == PAP_NOT_IMPLEMENTED || rc == PAP_REPLACE_NOT_SUPPORTED
			 || rc == PAP_NETWORK_NOT_AVAILABLE
			 || rc == PAP_BEARER_NOT_AVAILABLE);
	write_answers(&ctl);
	pap_control_free(&ctl);
	FZ_CHECK(ctl.push_id == NULL && ctl.n_addresses == 0);
}

static int inside(const char *p, size_t n, const char *b, size_t len)
{
	return p != NULL && p >= b && n <= len && p + n <= b + len;
}

static void check_request(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t clen = nl != NULL ? (size_t)(nl - data) : size;
	size_t blen = nl != NULL ? size - clen - 1 : 0;
	char *ctype = fz_dup(data, clen);
	char *body = fz_dup(nl != NULL ? nl + 1 : data, blen);
	pap_submission_t sub;
	pap_error_t err;
	unsigned char *raw;
	long n;

	if(pap_split(ctype, clen, body, blen, &sub, &err) != 0) {
		FZ_CHECK(err.code == PAP_BAD_REQUEST);
		FZ_CHECK(err.fragment_len <= 128);
		FZ_CHECK(err.fragment_len == 0
				 || inside(err.fragment, err.fragment_len, body, blen)
				 || inside(err.fragment, err.fragment_len, ctype, clen));
		FZ_CHECK(sub.control.body == NULL && sub.content.body == NULL);
		free(ctype);
		free(body);
		return;
	}
	FZ_CHECK(inside(sub.control.type, sub.control.type_len, ctype, clen)
			 || inside(sub.control.type, sub.control.type_len, body, blen));
	FZ_CHECK(sub.control.body_len == 0
			 || inside(sub.control.body, sub.control.body_len, body, blen));
	FZ_CHECK(sub.control.app_id == NULL);
	check_control(sub.control.body, sub.control.body_len);
	if(sub.content.body != NULL) {
		FZ_CHECK(inside(sub.content.type, sub.content.type_len, body, blen));
		FZ_CHECK(sub.content.body_len == 0
				 || inside(sub.content.body, sub.content.body_len, body, blen));
		if(sub.content.app_id != NULL) {
			FZ_CHECK(inside(
					sub.content.app_id, sub.content.app_id_len, body, blen));
			check_app(sub.content.app_id, sub.content.app_id_len);
		}
		if(sub.content.base64) {
			raw = malloc(sub.content.body_len * 3 / 4 + 3);
			FZ_CHECK(raw != NULL);
			n = pap_base64_decode(sub.content.body, sub.content.body_len, raw,
					sub.content.body_len * 3 / 4 + 3);
			FZ_CHECK(n >= -1 && n <= (long)(sub.content.body_len * 3 / 4));
			free(raw);
		}
	} else {
		FZ_CHECK(sub.has_capabilities == 0);
	}
	free(ctype);
	free(body);
}

static void check_values(const uint8_t *data, size_t size)
{
	struct piece p[MAX_PIECES];
	int n = pieces(data, size, p), same;
	char user[32], pass[32], out[21], *s;
	time_t t, t2;
	unsigned char raw[64];
	long got;

	check_address(p[0].s, p[0].len);
	if(n > 1)
		check_app(p[1].s, p[1].len);
	if(n > 2) {
		s = fz_dup((const uint8_t *)p[2].s, p[2].len);
		if(pap_time_parse(s, p[2].len, &t) == 0) {
			pap_time_format(t, out);
			FZ_CHECK(strncmp(out, s, 19) == 0 && out[19] == 'Z');
			FZ_CHECK(pap_time_parse(out, 20, &t2) == 0 && t2 == t);
		}
		got = pap_base64_decode(s, p[2].len, raw, sizeof(raw));
		FZ_CHECK(got >= -1 && got <= (long)sizeof(raw));
		free(s);
	}
	if(n > 3) {
		s = fz_dup((const uint8_t *)p[3].s, p[3].len);
		if(pap_basic_credentials(
				   s, p[3].len, user, sizeof(user), pass, sizeof(pass))
				== 0) {
			FZ_CHECK(
					strlen(user) < sizeof(user) && strlen(pass) < sizeof(pass));
			FZ_CHECK(strchr(user, ':') == NULL);
		}
		free(s);
	}
	if(n > 5) {
		same = p[4].len == p[5].len && memcmp(p[4].s, p[5].s, p[4].len) == 0;
		FZ_CHECK(pap_secret_equal(p[4].s, p[4].len, p[5].s, p[5].len) == same);
		FZ_CHECK(pap_secret_equal(p[4].s, p[4].len, p[4].s, p[4].len) == 1);
	}
	free_pieces(p, n);
}

static void check_writers(const uint8_t *data, size_t size)
{
	struct piece p[MAX_PIECES];
	int n = pieces(data, size, p);
	const char *a = arg(p, n, 0), *b = arg(p, n, 1), *c = arg(p, n, 2);
	const char *addrs[2] = {arg(p, n, 3), c};
	pap_result_t r[2] = {{PAP_STATE_ABORTED, 5000, 0, addrs, 2},
			{(enum pap_state)size, (int)size, (time_t)size, addrs, 1}};
	enum pap_version v = (enum pap_version)(size % 5);
	pap_qos_t qos;
	size_t len, flen = n > 4 ? p[4].len : 0;
	char *doc;

	memset(&qos, 0, sizeof(qos));
	qos.present = 1;
	qos.priority = (enum pap_priority)(size % 4);
	qos.delivery_method = (enum pap_delivery_method)(size % 5);
	qos.network_required = 1;
	if(c != NULL)
		strncpy(qos.network, c, PAP_MAX_TOKEN);
	doc = pap_write_push_response(v, a, b, c, (time_t)size, (int)size, &len);
	reparse(doc, len, "sender-address", b);
	doc = pap_write_badmessage_response(
			v, 2000, a, n > 4 ? p[4].s : NULL, flen, &len);
	reparse(doc, len, "desc", a);
	doc = pap_write_cancel_response(v, a, r, 2, &len);
	reparse(doc, len, "push-id", a);
	doc = pap_write_statusquery_response(v, b, r, 2, &len);
	reparse(doc, len, "push-id", b);
	doc = pap_write_ccq_response(v, c, (int)size, &len);
	reparse(doc, len, "query-id", c);
	doc = pap_write_resultnotification(v, a, b, c, addrs[0],
			(enum pap_state)(size % 11), 1000, (time_t)size, 0, &qos, &len);
	reparse(doc, len, "address-value", addrs[0]);
	free_pieces(p, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml;

	if(size < 1)
		return 0;
	switch(data[0] % 4) {
		case 'x' % 4:
			xml = fz_dup(data + 1, size - 1);
			check_control(xml, size - 1);
			free(xml);
			break;
		case 'm' % 4:
			check_request(data + 1, size - 1);
			break;
		case 'v' % 4:
			check_values(data + 1, size - 1);
			break;
		default:
			check_writers(data + 1, size - 1);
	}
	return 0;
}
