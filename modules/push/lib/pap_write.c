/*
 * push module - the documents a PAP gateway writes (plain C, no Kamailio
 * headers)
 *
 * Written as text rather than through libxml2: the documents are small
 * and fixed, and every value from outside goes through one escaping
 * function, which keeps the output well-formed whatever it is given
 * (markup characters escaped, line ends as character references, other
 * control characters dropped, bytes that are not UTF-8 or not XML
 * characters replaced by '?').
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pap_internal.h"

/* A growing output document; failed once memory ran out. */
struct wbuf
{
	char *s;
	size_t len, size;
	int failed;
};

#define WBUF_INITIAL 512

static void put_n(struct wbuf *b, const char *s, size_t n)
{
	size_t size;
	char *p;

	if(b->failed)
		return;
	if(b->size - b->len <= n) {
		size = b->size > 0 ? b->size : WBUF_INITIAL;
		while(size - b->len <= n)
			size *= 2;
		p = realloc(b->s, size);
		if(p == NULL) {
			b->failed = 1;
			return;
		}
		b->s = p;
		b->size = size;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void put(struct wbuf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

/* s[0..n) as the text of an attribute value. */
static void put_escaped(struct wbuf *b, const char *s, size_t n)
{
	size_t i = 0, k;
	unsigned int cp;

	while(i < n) {
		k = pap_utf8_char(s + i, n - i, &cp);
		if(k == 0) {
			put(b, "?");
			i++;
			continue;
		}
		switch(cp) {
			case '&':
				put(b, "&amp;");
				break;
			case '<':
				put(b, "&lt;");
				break;
			case '>':
				put(b, "&gt;");
				break;
			case '"':
				put(b, "&quot;");
				break;
			/* as references, or attribute value normalisation would
			 * turn them into spaces */
			case '\t':
				put(b, "&#9;");
				break;
			case '\n':
				put(b, "&#10;");
				break;
			case '\r':
				put(b, "&#13;");
				break;
			case 0xfffe:
			case 0xffff:
				put(b, "?");
				break;
			default:
				/* XML 1.0 has no other control character below 0x20,
				 * not even as a reference */
				if(cp >= 0x20)
					put_n(b, s + i, k);
		}
		i += k;
	}
}

/* name="value", nothing when value is NULL. */
static void put_attr_n(
		struct wbuf *b, const char *name, const char *value, size_t n)
{
	if(value == NULL)
		return;
	put(b, " ");
	put(b, name);
	put(b, "=\"");
	put_escaped(b, value, n);
	put(b, "\"");
}

static void put_attr(struct wbuf *b, const char *name, const char *value)
{
	put_attr_n(b, name, value, value != NULL ? strlen(value) : 0);
}

/* code="..." desc="...", the description of the code. */
static void put_code(struct wbuf *b, int code)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", code);
	put_attr(b, "code", num);
	put_attr(b, "desc", pap_code_desc(code));
}

/* name="timestamp", nothing for time 0. */
static void put_time(struct wbuf *b, const char *name, time_t t)
{
	char ts[21];

	if(t == 0)
		return;
	pap_time_format(t, ts);
	put_attr(b, name, ts);
}

static const struct
{
	const char *public_id, *system_id;
} doctypes[] = {
		[PAP_V1_0] = {"-//WAPFORUM//DTD PAP//EN",
				"http://www.wapforum.org/DTD/pap_1.0.dtd"},
		[PAP_V2_0] = {"-//WAPFORUM//DTD PAP 2.0//EN",
				"http://www.wapforum.org/DTD/pap_2.0.dtd"},
		[PAP_V2_1] = {"-//WAPFORUM//DTD PAP 2.1//EN",
				"http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd"},
};

/* The XML declaration, the DOCTYPE of v and the root's start tag. */
static void put_head(struct wbuf *b, enum pap_version v)
{
	if((unsigned int)v > PAP_V2_1)
		v = PAP_V2_1;
	put(b, "<?xml version=\"1.0\"?>\n<!DOCTYPE pap PUBLIC \"");
	put(b, doctypes[v].public_id);
	put(b, "\" \"");
	put(b, doctypes[v].system_id);
	put(b, "\">\n<pap>\n");
}

/* The end of the document: the document, or NULL when memory ran out. */
static char *finish(struct wbuf *b, size_t *len)
{
	put(b, "</pap>\n");
	if(b->failed) {
		free(b->s);
		return NULL;
	}
	if(len != NULL)
		*len = b->len;
	return b->s;
}

/* <address address-value="..."/> for each address. */
static void put_addresses(
		struct wbuf *b, const char *const *addresses, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++) {
		if(addresses[i] == NULL)
			continue;
		put(b, "<address");
		put_attr(b, "address-value", addresses[i]);
		put(b, "/>\n");
	}
}

static const char *const priority_names[] = {
		[PAP_PRIORITY_MEDIUM] = "medium",
		[PAP_PRIORITY_HIGH] = "high",
		[PAP_PRIORITY_LOW] = "low",
};

static const char *const method_names[] = {
		[PAP_DELIVERY_NOTSPECIFIED] = "notspecified",
		[PAP_DELIVERY_CONFIRMED] = "confirmed",
		[PAP_DELIVERY_PREFERCONFIRMED] = "preferconfirmed",
		[PAP_DELIVERY_UNCONFIRMED] = "unconfirmed",
};

static void put_qos(struct wbuf *b, const pap_qos_t *qos)
{
	put(b, "<quality-of-service");
	if((unsigned int)qos->priority <= PAP_PRIORITY_LOW)
		put_attr(b, "priority", priority_names[qos->priority]);
	if((unsigned int)qos->delivery_method <= PAP_DELIVERY_UNCONFIRMED)
		put_attr(b, "delivery-method", method_names[qos->delivery_method]);
	if(qos->network[0] != '\0')
		put_attr_n(b, "network", qos->network,
				strnlen(qos->network, PAP_MAX_TOKEN));
	if(qos->network_required)
		put_attr(b, "network-required", "true");
	if(qos->bearer[0] != '\0')
		put_attr_n(
				b, "bearer", qos->bearer, strnlen(qos->bearer, PAP_MAX_TOKEN));
	if(qos->bearer_required)
		put_attr(b, "bearer-required", "true");
	put(b, "/>\n");
}

char *pap_write_push_response(enum pap_version v, const char *push_id,
		const char *sender_address, const char *sender_name, time_t reply_time,
		int code, size_t *len)
{
	struct wbuf b = {NULL, 0, 0, 0};

	put_head(&b, v);
	put(&b, "<push-response");
	put_attr(&b, "push-id", push_id != NULL ? push_id : "");
	put_attr(&b, "sender-address", sender_address);
	put_attr(&b, "sender-name", sender_name);
	put_time(&b, "reply-time", reply_time);
	put(&b, ">\n<response-result");
	put_code(&b, code);
	put(&b, "/>\n</push-response>\n");
	return finish(&b, len);
}

char *pap_write_badmessage_response(enum pap_version v, int code,
		const char *desc, const char *fragment, size_t fragment_len,
		size_t *len)
{
	struct wbuf b = {NULL, 0, 0, 0};
	char num[16];

	snprintf(num, sizeof(num), "%d", code);
	put_head(&b, v);
	put(&b, "<badmessage-response");
	put_attr(&b, "code", num);
	put_attr(&b, "desc", desc);
	if(fragment_len > 0)
		put_attr_n(&b, "bad-message-fragment", fragment, fragment_len);
	put(&b, "/>\n");
	return finish(&b, len);
}

/* The results of a cancel-response (cancel-result) or of a
 * statusquery-response (statusquery-result, with the state and time). */
static void put_results(struct wbuf *b, const char *element,
		const pap_result_t *results, size_t n, int with_state)
{
	size_t i;

	for(i = 0; i < n; i++) {
		put(b, "<");
		put(b, element);
		if(with_state)
			put_attr(b, "message-state", pap_state_name(results[i].state));
		put_code(b, results[i].code);
		if(with_state)
			put_time(b, "event-time", results[i].event_time);
		if(results[i].n_addresses == 0) {
			put(b, "/>\n");
			continue;
		}
		put(b, ">\n");
		put_addresses(b, results[i].addresses, results[i].n_addresses);
		put(b, "</");
		put(b, element);
		put(b, ">\n");
	}
}

char *pap_write_cancel_response(enum pap_version v, const char *push_id,
		const pap_result_t *results, size_t n, size_t *len)
{
	struct wbuf b = {NULL, 0, 0, 0};

	put_head(&b, v);
	put(&b, "<cancel-response");
	put_attr(&b, "push-id", push_id != NULL ? push_id : "");
	put(&b, ">\n");
	put_results(&b, "cancel-result", results, n, 0);
	put(&b, "</cancel-response>\n");
	return finish(&b, len);
}

char *pap_write_statusquery_response(enum pap_version v, const char *push_id,
		const pap_result_t *results, size_t n, size_t *len)
{
	struct wbuf b = {NULL, 0, 0, 0};

	put_head(&b, v);
	put(&b, "<statusquery-response");
	put_attr(&b, "push-id", push_id != NULL ? push_id : "");
	put(&b, ">\n");
	put_results(&b, "statusquery-result", results, n, 1);
	put(&b, "</statusquery-response>\n");
	return finish(&b, len);
}

char *pap_write_ccq_response(
		enum pap_version v, const char *query_id, int code, size_t *len)
{
	struct wbuf b = {NULL, 0, 0, 0};

	put_head(&b, v);
	put(&b, "<ccq-response");
	put_attr(&b, "query-id", query_id != NULL ? query_id : "");
	put_code(&b, code);
	put(&b, "/>\n");
	return finish(&b, len);
}

char *pap_write_resultnotification(enum pap_version v, const char *push_id,
		const char *sender_address, const char *sender_name,
		const char *address, enum pap_state state, int code,
		time_t received_time, time_t event_time, const pap_qos_t *qos,
		size_t *len)
{
	struct wbuf b = {NULL, 0, 0, 0};

	put_head(&b, v);
	put(&b, "<resultnotification-message");
	put_attr(&b, "push-id", push_id != NULL ? push_id : "");
	put_attr(&b, "sender-address", sender_address);
	put_attr(&b, "sender-name", sender_name);
	put_time(&b, "received-time", received_time);
	put_time(&b, "event-time", event_time);
	put_attr(&b, "message-state", pap_state_name(state));
	put_code(&b, code);
	put(&b, ">\n");
	put_addresses(&b, &address, 1);
	if(qos != NULL && qos->present)
		put_qos(&b, qos);
	put(&b, "</resultnotification-message>\n");
	return finish(&b, len);
}

const char *pap_state_name(enum pap_state state)
{
	static const char *const names[] = {
			[PAP_STATE_PENDING] = "pending",
			[PAP_STATE_DELIVERED] = "delivered",
			[PAP_STATE_UNDELIVERABLE] = "undeliverable",
			[PAP_STATE_EXPIRED] = "expired",
			[PAP_STATE_ABORTED] = "aborted",
			[PAP_STATE_TIMEOUT] = "timeout",
			[PAP_STATE_CANCELLED] = "cancelled",
			[PAP_STATE_UNKNOWN] = "unknown",
			[PAP_STATE_REJECTED] = "rejected",
	};

	if((unsigned int)state > PAP_STATE_REJECTED)
		return "unknown";
	return names[state];
}

const char *pap_code_desc(int code)
{
	switch(code) {
		case PAP_OK:
			return "OK";
		case PAP_ACCEPTED:
			return "Accepted for processing";
		case PAP_BAD_REQUEST:
			return "Bad request";
		case PAP_FORBIDDEN:
			return "Forbidden";
		case PAP_ADDRESS_ERROR:
			return "Address error";
		case PAP_ADDRESS_NOT_FOUND:
			return "Address not found";
		case PAP_PUSH_ID_NOT_FOUND:
			return "Push ID not found";
		case 2005:
			return "Capabilities mismatch";
		case 2006:
			return "Required capabilities not supported";
		case PAP_DUPLICATE_PUSH_ID:
			return "Duplicate push ID";
		case PAP_CANCEL_NOT_POSSIBLE:
			return "Cancellation not possible";
		case PAP_INTERNAL_ERROR:
			return "Internal server error";
		case PAP_NOT_IMPLEMENTED:
			return "Not implemented";
		case PAP_VERSION_NOT_SUPPORTED:
			return "Version not supported";
		case 3003:
			return "Not possible";
		case 3004:
			return "Capability matching not supported";
		case 3005:
			return "Multiple addresses not supported";
		case PAP_TRANSFORMATION_FAILURE:
			return "Transformation failure";
		case PAP_DELIVERY_METHOD_NOT_POSSIBLE:
			return "Specified delivery method not possible";
		case 3008:
			return "Capabilities not available";
		case PAP_NETWORK_NOT_AVAILABLE:
			return "Required network not available";
		case PAP_BEARER_NOT_AVAILABLE:
			return "Required bearer not available";
		case PAP_REPLACE_NOT_SUPPORTED:
			return "Replacement not supported";
		case PAP_SERVICE_FAILURE:
			return "Service failure";
		case PAP_SERVICE_UNAVAILABLE:
			return "Service unavailable";
	}
	/* the first digit is the class */
	switch(code / 1000) {
		case 1:
			return "Success";
		case 2:
			return "Push Initiator error";
		case 3:
			return "Gateway error";
		case 4:
			return "Service failure";
		case 5:
			return "Mobile device aborted";
		default:
			return "Unknown code";
	}
}
