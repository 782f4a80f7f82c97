/*
 * OMA Push Access Protocol (PAP 1.0, 2.0, 2.1): the documents a Push
 * Initiator sends to a Push Proxy Gateway and the gateway's answers.
 *
 * Plain C over libxml2, with no Kamailio include: the module's PAP front
 * end (push_pap.c) binds it to xhttp and tm. Everything a caller passes in
 * comes from outside the trust domain; every function bounds what it reads
 * and never reads a file or the network (no external entity, no DTD load,
 * no entity declaration accepted).
 *
 * Copyright (C) 2026 The push module authors
 *
 * This file is part of the push module for Kamailio, a free SIP server.
 * It is free software, distributed under the terms of the GNU General
 * Public License, version 2 or later.
 */

#ifndef PUSH_LIB_PAP_H
#define PUSH_LIB_PAP_H

#include <stddef.h>
#include <time.h>

/* PAP status codes (the "code" attributes). */
enum pap_code
{
	PAP_OK = 1000,
	PAP_ACCEPTED = 1001,
	PAP_BAD_REQUEST = 2000,
	PAP_FORBIDDEN = 2001,
	PAP_ADDRESS_ERROR = 2002,
	PAP_ADDRESS_NOT_FOUND = 2003,
	PAP_PUSH_ID_NOT_FOUND = 2004,
	PAP_DUPLICATE_PUSH_ID = 2007,
	PAP_CANCEL_NOT_POSSIBLE = 2008,
	PAP_INTERNAL_ERROR = 3000,
	PAP_NOT_IMPLEMENTED = 3001,
	PAP_VERSION_NOT_SUPPORTED = 3002,
	PAP_TRANSFORMATION_FAILURE = 3006,
	PAP_DELIVERY_METHOD_NOT_POSSIBLE = 3007,
	PAP_NETWORK_NOT_AVAILABLE = 3009,
	PAP_BEARER_NOT_AVAILABLE = 3010,
	PAP_REPLACE_NOT_SUPPORTED = 3011,
	PAP_SERVICE_FAILURE = 4000,
	PAP_SERVICE_UNAVAILABLE = 4001,
	PAP_DEVICE_ABORTED = 5000
};

/* A short English description of a code, for the "desc" attributes. */
const char *pap_code_desc(int code);

/* The version a document declares (its DOCTYPE public id); answers are
 * written in the version of the request. */
enum pap_version
{
	PAP_V1_0,
	PAP_V2_0,
	PAP_V2_1
};

/* message-state */
enum pap_state
{
	PAP_STATE_PENDING,
	PAP_STATE_DELIVERED,
	PAP_STATE_UNDELIVERABLE,
	PAP_STATE_EXPIRED,
	PAP_STATE_ABORTED,
	PAP_STATE_TIMEOUT,
	PAP_STATE_CANCELLED,
	PAP_STATE_UNKNOWN,
	PAP_STATE_REJECTED
};

/* "pending", "delivered", ... */
const char *pap_state_name(enum pap_state state);

/*
 * The outcome of a push's MESSAGE from its final SIP response code:
 * 2xx delivered (1000); 404, 410, 480, 604 undeliverable, no device
 * (2003); 403, 603 aborted, the device or its user declined (5000); 408
 * timeout (4000); 415, 488 undeliverable, content not accepted (3006);
 * 503 undeliverable (4001); any other code undeliverable (4000). Returns
 * the PAP code and sets *state.
 */
int pap_outcome_of_sip(int sip_code, enum pap_state *state);

/* The PAP version a document names in its DOCTYPE, found without parsing
 * it (to answer a document that cannot be parsed in its own version);
 * PAP 2.1 when it names none. */
enum pap_version pap_sniff_version(const char *xml, size_t len);

/* The root element's child: what the document asks for. */
enum pap_operation
{
	PAP_PUSH_MESSAGE,
	PAP_CANCEL_MESSAGE,
	PAP_STATUSQUERY_MESSAGE,
	PAP_CCQ_MESSAGE,
	PAP_RESULTNOTIFICATION_RESPONSE
};

enum pap_priority
{
	PAP_PRIORITY_MEDIUM, /* the default */
	PAP_PRIORITY_HIGH,
	PAP_PRIORITY_LOW
};

enum pap_delivery_method
{
	PAP_DELIVERY_NOTSPECIFIED, /* the default */
	PAP_DELIVERY_CONFIRMED,
	PAP_DELIVERY_PREFERCONFIRMED,
	PAP_DELIVERY_UNCONFIRMED
};

/* Limits of what a control entity may hold; beyond them it is a bad
 * request (2000). */
#define PAP_MAX_ADDRESSES 64
#define PAP_MAX_ID 255	   /* push-id, replace-push-id, query-id */
#define PAP_MAX_URL 1024   /* ppg-notify-requested-to */
#define PAP_MAX_ADDRESS 512 /* one address-value */
#define PAP_MAX_TOKEN 64   /* network, bearer, source-reference */
#define PAP_MAX_CONTROL 131072 /* bytes of a control entity */

/* <quality-of-service>: present is 0 when the element was absent (then
 * the defaults). Enumerations are read case-insensitively. */
typedef struct pap_qos
{
	int present;
	enum pap_priority priority;
	enum pap_delivery_method delivery_method;
	int network_required; /* "true" */
	int bearer_required;
	char network[PAP_MAX_TOKEN + 1]; /* "" when absent */
	char bearer[PAP_MAX_TOKEN + 1];
} pap_qos_t;

/* A parsed control entity. Strings are NUL-terminated, owned by the
 * structure (pap_control_free()), NULL when the attribute is absent. */
typedef struct pap_control
{
	enum pap_version version;
	enum pap_operation op;
	char *push_id;		   /* push-id; query-id of a ccq-message */
	char *replace_push_id; /* PAP 2.x replace-push-id */
	char *notify_to;	   /* ppg-notify-requested-to */
	char *source_reference;
	time_t deliver_before; /* 0: absent */
	time_t deliver_after;  /* 0: absent */
	int progress_notes;	   /* progress-notes-requested="true" */
	pap_qos_t qos;
	int code;			   /* resultnotification-response: its code */
	size_t n_addresses;	   /* <address> children, in document order */
	char **addresses;	   /* their address-value attributes, as given */
} pap_control_t;

/* Why a document is refused as a whole (badmessage-response). */
typedef struct pap_error
{
	/* PAP_BAD_REQUEST or PAP_VERSION_NOT_SUPPORTED; PAP_INTERNAL_ERROR
	 * when memory ran out */
	int code;
	char desc[128]; /* what is wrong, for the answer and the log */
	/* The part of the input where it went wrong (bad-message-fragment),
	 * pointing into the caller's buffer; len 0 when none. */
	const char *fragment;
	size_t fragment_len;
} pap_error_t;

/*
 * Parse a control entity of len bytes (not NUL-terminated; a NUL byte in
 * it is a bad request). Returns 0 with *ctl filled, or a PAP code with
 * *err filled and *ctl empty: PAP_BAD_REQUEST for a document that is not
 * well-formed, declares an entity, has no <pap> root or an unknown child
 * of it, lacks a required attribute, has a malformed timestamp or
 * enumeration, or exceeds a PAP_MAX_* limit; PAP_VERSION_NOT_SUPPORTED
 * for a DOCTYPE naming another PAP version, or a wap-pap-ver
 * supported-versions list without 1.x, 2.0 or 2.1; PAP_INTERNAL_ERROR
 * when memory runs out. A document without a DOCTYPE is read as PAP 2.1.
 */
int pap_parse_control(
		const char *xml, size_t len, pap_control_t *ctl, pap_error_t *err);

/* Free what pap_parse_control() allocated; *ctl is empty afterwards. */
void pap_control_free(pap_control_t *ctl);

/*
 * The checks of a parsed push-message that need no configuration, at time
 * now. Returns 0, or the push-response code: PAP_REPLACE_NOT_SUPPORTED
 * (replace-push-id), PAP_NETWORK_NOT_AVAILABLE / PAP_BEARER_NOT_AVAILABLE
 * (network-required / bearer-required with a value other than "Any" or
 * "SIP"), PAP_FORBIDDEN (deliver-before-timestamp already past),
 * PAP_NOT_IMPLEMENTED (deliver-after-timestamp in the future when the
 * gateway cannot hold pushes: can_hold 0), PAP_BAD_REQUEST
 * (ppg-notify-requested-to not an http or https URL, or deliver-after
 * later than deliver-before).
 */
int pap_check_push(const pap_control_t *ctl, time_t now, int can_hold);

/* One MIME entity of a request, pointing into the caller's buffer. */
typedef struct pap_entity
{
	const char *type; /* Content-Type value, parameters included */
	size_t type_len;
	const char *app_id; /* X-Wap-Application-Id value, NULL when absent */
	size_t app_id_len;
	int base64; /* Content-Transfer-Encoding: base64 */
	const char *body;
	size_t body_len;
} pap_entity_t;

/* A request body split into its entities. */
typedef struct pap_submission
{
	pap_entity_t control;
	pap_entity_t content;  /* body NULL for a single application/xml entity */
	int has_capabilities;  /* a third entity (RDF capabilities) was sent */
} pap_submission_t;

/*
 * Split an HTTP request body by its Content-Type (ctype, the header value
 * with parameters): multipart/related with a boundary parameter (quoted
 * or not; CRLF or bare LF line ends; preamble and epilogue ignored; the
 * first entity must be application/xml, the second is the content, a
 * third the capabilities, more are a bad request), or a single
 * application/xml (or text/xml) entity, the control entity of a
 * cancel-message, statusquery-message or ccq-message. Only
 * Content-Transfer-Encoding base64, binary, 7bit and 8bit are accepted.
 * Returns 0 or PAP_BAD_REQUEST with *err filled.
 */
int pap_split(const char *ctype, size_t ctype_len, const char *body,
		size_t len, pap_submission_t *sub, pap_error_t *err);

/*
 * Decode base64 text (whitespace and line ends ignored) into out.
 * Returns the number of bytes written, or -1 when the text is not base64
 * or does not fit in outsz (which len * 3 / 4 + 3 always does).
 */
long pap_base64_decode(
		const char *in, size_t len, unsigned char *out, size_t outsz);

/*
 * The SIP or tel URI an address-value names, written NUL-terminated to
 * out: WAPPUSH=<value>/TYPE=USER[@ppg], the value percent-decoded being a
 * sip:, sips: or tel: URI (taken as it is) or a user name (sip:<user>@
 * <domain>); WAPPUSH=+<digits>/TYPE=PLMN[@ppg] (sip:+<digits>@<domain>).
 * The keywords are case-insensitive, the ppg part is not checked. Returns
 * 0, or PAP_ADDRESS_ERROR for anything else: another TYPE, an empty or
 * malformed value, characters a URI cannot carry (controls, space, <>"),
 * a user name outside RFC 3261's user characters, a result that does not
 * fit in outsz, or a NULL/empty domain where one is needed.
 */
int pap_address_uri(const char *addr, size_t len, const char *domain,
		char *out, size_t outsz);

/*
 * The canonical form of a push application id (X-Wap-Application-Id) for
 * comparisons, written NUL-terminated to out: lower case; a decimal or 0x
 * hex number of the OMNA registry becomes its URN ("4" and "0x04" are
 * "x-wap-application:mms.ua"); an absent id (NULL) is
 * "x-wap-application:wml.ua". Returns 0, or -1 for an empty or over-long
 * id, one with a control character or space inside, or an unregistered
 * number.
 */
int pap_app_canon(const char *id, size_t len, char *out, size_t outsz);

/*
 * The +g.oma.pusheventapp value of a canonical id from the OMNA registry
 * (URN without its x-wap-application: or x-oma-application: prefix, e.g.
 * "mms.ua", "ulp.ua"), also for the short form itself ("mms.ua"); NULL
 * for an id that is not registered or whose value is not an RFC 3840
 * token.
 */
const char *pap_app_registered_tag(const char *canon);

/* Timestamps: UTC "YYYY-MM-DDThh:mm:ssZ" (a lower-case z accepted). */
int pap_time_parse(const char *s, size_t len, time_t *t); /* 0 or -1 */
void pap_time_format(time_t t, char out[21]);

/*
 * The user and password of an HTTP Basic Authorization header value
 * ("Basic <base64 of user:password>"), written NUL-terminated. Returns 0,
 * or -1 when it is another scheme, not base64, has no colon, a control
 * character (RFC 7617 section 2), or does not fit.
 */
int pap_basic_credentials(const char *value, size_t len, char *user,
		size_t usize, char *password, size_t psize);

/* 1 when a and b are equal, in a time that depends on their lengths only. */
int pap_secret_equal(const char *a, size_t alen, const char *b, size_t blen);

/* The answer to one group of addresses (statusquery-result,
 * cancel-result): no addresses means all of the push. */
typedef struct pap_result
{
	enum pap_state state; /* statusquery-result only */
	int code;
	time_t event_time; /* 0: not written */
	const char *const *addresses;
	size_t n_addresses;
} pap_result_t;

/*
 * Writers of the gateway's documents, in version v, with the XML
 * declaration and the DOCTYPE of v. Attribute values are escaped; a NULL
 * optional value (or time 0) is left out. Each returns a NUL-terminated
 * document allocated with malloc() (the caller frees it) and its length in
 * *len, or NULL when out of memory.
 */
char *pap_write_push_response(enum pap_version v, const char *push_id,
		const char *sender_address, const char *sender_name,
		time_t reply_time, int code, size_t *len);
char *pap_write_badmessage_response(enum pap_version v, int code,
		const char *desc, const char *fragment, size_t fragment_len,
		size_t *len);
char *pap_write_cancel_response(enum pap_version v, const char *push_id,
		const pap_result_t *results, size_t n, size_t *len);
char *pap_write_statusquery_response(enum pap_version v, const char *push_id,
		const pap_result_t *results, size_t n, size_t *len);
char *pap_write_ccq_response(enum pap_version v, const char *query_id,
		int code, size_t *len);
char *pap_write_resultnotification(enum pap_version v, const char *push_id,
		const char *sender_address, const char *sender_name,
		const char *address, enum pap_state state, int code,
		time_t received_time, time_t event_time, const pap_qos_t *qos,
		size_t *len);

#endif /* PUSH_LIB_PAP_H */
