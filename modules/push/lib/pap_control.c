/*
 * push module - the tree of a PAP control entity read into pap_control_t,
 * and the checks of a push-message (plain C, no Kamailio headers)
 *
 * Only the names PAP defines are read; unknown attributes, and unknown
 * elements inside the operation, are left alone (a later PAP version may
 * add some), but the root must hold exactly one known operation.
 * Enumerations and booleans are trimmed, as a validating parser would
 * normalise them (timestamps too), and read in any letter case.
 */

#include <stdlib.h>
#include <string.h>

#include "pap_internal.h"

/* Where a document is read from, and where its errors go. */
struct reader
{
	const char *xml;
	size_t len;
	pap_error_t *err;
};

#define fail_at(r, node, ...)                               \
	pap_fail((r)->err, PAP_BAD_REQUEST, (r)->xml, (r)->len, \
			pap_node_offset(node), __VA_ARGS__)

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define no_memory(r) \
	pap_fail((r)->err, PAP_INTERNAL_ERROR, NULL, 0, 0, "out of memory")

static int is_named(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && node->ns == NULL
		   && strcmp((const char *)node->name, name) == 0;
}

/* The attribute name of node (no namespace), NULL when absent. */
static xmlAttrPtr find_attr(const xmlNode *node, const char *name)
{
	xmlAttrPtr a;

	for(a = node->properties; a != NULL; a = a->next) {
		if(a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return a;
	}
	return NULL;
}

/*
 * The value of attribute name of node into *out (malloc()ed), NULL when
 * absent. 0, or the PAP code when it is longer than max or memory runs
 * out.
 */
static int get_attr(struct reader *r, const xmlNode *node, const char *name,
		size_t max, char **out)
{
	xmlAttrPtr a = find_attr(node, name);
	xmlChar *v;
	size_t n;

	*out = NULL;
	if(a == NULL)
		return 0;
	v = xmlNodeGetContent((xmlNodePtr)a);
	if(v == NULL)
		return no_memory(r);
	n = strlen((const char *)v);
	if(n > max) {
		xmlFree(v);
		return fail_at(r, node, "%s longer than %zu bytes", name, max);
	}
	*out = malloc(n + 1);
	if(*out != NULL)
		memcpy(*out, v, n + 1);
	xmlFree(v);
	return *out == NULL ? no_memory(r) : 0;
}

/*
 * The value of an enumerated attribute: the index in names[0..n) of its
 * trimmed value in any letter case, or dflt when absent; -1 (with *err
 * filled) when it is none of them or memory runs out.
 */
static int get_enum(struct reader *r, const xmlNode *node, const char *name,
		const char *const *names, int n, int dflt)
{
	char *v;
	const char *s;
	size_t len;
	int i, rc;

	if(get_attr(r, node, name, PAP_MAX_TOKEN, &v) != 0)
		return -1;
	if(v == NULL)
		return dflt;
	s = v;
	len = strlen(v);
	pap_trim(&s, &len);
	rc = -1;
	for(i = 0; i < n && rc < 0; i++) {
		if(pap_ieq(s, len, names[i]))
			rc = i;
	}
	if(rc < 0)
		fail_at(r, node, "%s \"%.40s\" is none of its values", name, v);
	free(v);
	return rc;
}

static const char *const bools[] = {"false", "true"};
/* in the order of enum pap_priority and enum pap_delivery_method */
static const char *const priorities[] = {"medium", "high", "low"};
static const char *const methods[] = {
		"notspecified", "confirmed", "preferconfirmed", "unconfirmed"};
static const char *const replace_methods[] = {"all", "pending-only"};

static int get_bool(
		struct reader *r, const xmlNode *node, const char *name, int *out)
{
	*out = get_enum(r, node, name, bools, 2, 0);
	return *out < 0 ? -1 : 0;
}

/* A timestamp attribute into *t, 0 when absent. */
static int get_time(
		struct reader *r, const xmlNode *node, const char *name, time_t *t)
{
	char *v;
	const char *s;
	size_t len;
	int rc = 0;

	*t = 0;
	if(get_attr(r, node, name, PAP_MAX_TOKEN, &v) != 0)
		return -1;
	if(v == NULL)
		return 0;
	s = v;
	len = strlen(v);
	pap_trim(&s, &len);
	/* 1970-01-01T00:00:00Z would read as "absent" */
	if(pap_time_parse(s, len, t) != 0 || *t == 0)
		rc = fail_at(r, node, "%s \"%.40s\" is not a UTC timestamp", name, v);
	free(v);
	return rc;
}

/* A token attribute (network, bearer) into a buffer of PAP_MAX_TOKEN + 1
 * bytes, "" when absent. */
static int get_token(
		struct reader *r, const xmlNode *node, const char *name, char *out)
{
	char *v;

	out[0] = '\0';
	if(get_attr(r, node, name, PAP_MAX_TOKEN, &v) != 0)
		return -1;
	if(v != NULL) {
		strcpy(out, v);
		free(v);
	}
	return 0;
}

static int read_qos(struct reader *r, const xmlNode *node, pap_qos_t *qos)
{
	int v;

	qos->present = 1;
	if((v = get_enum(r, node, "priority", priorities, 3, 0)) < 0)
		return -1;
	qos->priority = (enum pap_priority)v;
	if((v = get_enum(r, node, "delivery-method", methods, 4, 0)) < 0)
		return -1;
	qos->delivery_method = (enum pap_delivery_method)v;
	if(get_bool(r, node, "network-required", &qos->network_required) != 0
			|| get_bool(r, node, "bearer-required", &qos->bearer_required) != 0
			|| get_token(r, node, "network", qos->network) != 0
			|| get_token(r, node, "bearer", qos->bearer) != 0)
		return -1;
	return 0;
}

/* The <address> children of op in document order, and the one
 * <quality-of-service> when qos is not NULL. */
static int read_children(
		struct reader *r, const xmlNode *op, pap_control_t *ctl, pap_qos_t *qos)
{
	const xmlNode *c;
	size_t n = 0;

	for(c = op->children; c != NULL; c = c->next) {
		if(!is_named(c, "address"))
			continue;
		if(++n > PAP_MAX_ADDRESSES)
			return fail_at(r, c, "more than %d addresses", PAP_MAX_ADDRESSES);
	}
	if(n > 0) {
		ctl->addresses = calloc(n, sizeof(char *));
		if(ctl->addresses == NULL)
			return no_memory(r);
	}
	for(c = op->children; c != NULL; c = c->next) {
		if(is_named(c, "address")) {
			if(get_attr(r, c, "address-value", PAP_MAX_ADDRESS,
					   &ctl->addresses[ctl->n_addresses])
					!= 0)
				return -1;
			if(ctl->addresses[ctl->n_addresses] == NULL)
				return fail_at(r, c, "address without address-value");
			ctl->n_addresses++;
		} else if(qos != NULL && is_named(c, "quality-of-service")) {
			if(qos->present)
				return fail_at(r, c, "more than one quality-of-service");
			if(read_qos(r, c, qos) != 0)
				return -1;
		}
	}
	return 0;
}

/* The attributes of a push-message besides its push-id. */
static int read_push(struct reader *r, const xmlNode *op, pap_control_t *ctl)
{
	const struct
	{
		const char *name;
		size_t max;
		char **out;
	} strings[] = {
			{"replace-push-id", PAP_MAX_ID, &ctl->replace_push_id},
			{"ppg-notify-requested-to", PAP_MAX_URL, &ctl->notify_to},
			{"source-reference", PAP_MAX_TOKEN, &ctl->source_reference},
	};
	size_t i;

	for(i = 0; i < N_OF(strings); i++) {
		if(get_attr(r, op, strings[i].name, strings[i].max, strings[i].out)
				!= 0)
			return -1;
	}
	if(get_time(r, op, "deliver-before-timestamp", &ctl->deliver_before) != 0
			|| get_time(r, op, "deliver-after-timestamp", &ctl->deliver_after)
					   != 0)
		return -1;
	if(get_bool(r, op, "progress-notes-requested", &ctl->progress_notes) != 0)
		return -1;
	/* nothing is replaced (pap_check_push()), but a malformed value is
	 * still a malformed request */
	if(get_enum(r, op, "replace-method", replace_methods, 2, 0) < 0)
		return -1;
	if(read_children(r, op, ctl, &ctl->qos) != 0)
		return -1;
	if(ctl->n_addresses == 0)
		return fail_at(r, op, "push-message without address");
	return 0;
}

/* The code of a resultnotification-response: four or five digits (PAP
 * codes, and the five-digit vendor codes some gateways use). */
static int read_code(struct reader *r, const xmlNode *op, pap_control_t *ctl)
{
	char *v;
	const char *s;
	size_t len, i;
	int rc = 0;

	if(get_attr(r, op, "code", PAP_MAX_TOKEN, &v) != 0)
		return -1;
	if(v == NULL)
		return fail_at(r, op, "resultnotification-response without code");
	s = v;
	len = strlen(v);
	pap_trim(&s, &len);
	ctl->code = 0;
	for(i = 0; i < len && i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
		ctl->code = ctl->code * 10 + (s[i] - '0');
	if(i < 4 || i < len || ctl->code < 1000)
		rc = fail_at(r, op, "code \"%.20s\" is not a PAP code", v);
	free(v);
	return rc;
}

static const struct operation
{
	const char *name;
	enum pap_operation op;
	const char *id_attr;
} operations[] = {
		{"push-message", PAP_PUSH_MESSAGE, "push-id"},
		{"cancel-message", PAP_CANCEL_MESSAGE, "push-id"},
		{"statusquery-message", PAP_STATUSQUERY_MESSAGE, "push-id"},
		{"ccq-message", PAP_CCQ_MESSAGE, "query-id"},
		{"resultnotification-response", PAP_RESULTNOTIFICATION_RESPONSE,
				"push-id"},
};

static int read_operation(struct reader *r, const xmlNode *node,
		const struct operation *o, pap_control_t *ctl)
{
	ctl->op = o->op;
	if(get_attr(r, node, o->id_attr, PAP_MAX_ID, &ctl->push_id) != 0)
		return -1;
	if(ctl->push_id == NULL || ctl->push_id[0] == '\0')
		return fail_at(r, node, "%s without %s", o->name, o->id_attr);
	switch(o->op) {
		case PAP_PUSH_MESSAGE:
			return read_push(r, node, ctl);
		case PAP_RESULTNOTIFICATION_RESPONSE:
			if(read_code(r, node, ctl) != 0)
				return -1;
			return read_children(r, node, ctl, NULL);
		default:
			return read_children(r, node, ctl, NULL);
	}
}

/* A DOCTYPE's public id, or its system id's file name, and the version it
 * names. */
struct known_id
{
	const char *id;
	enum pap_version v;
};

static const struct known_id public_ids[] = {
		{"-//WAPFORUM//DTD PAP//EN", PAP_V1_0},
		{"-//WAPFORUM//DTD PAP 2.0//EN", PAP_V2_0},
		/* a typo some Push Initiators write */
		{"-//WAPFORUM/DTD PAP 2.0//EN", PAP_V2_0},
		{"-//WAPFORUM//DTD PAP 2.1//EN", PAP_V2_1},
};

static const struct known_id dtd_files[] = {
		{"pap_1.0.dtd", PAP_V1_0},
		{"pap_2.0.dtd", PAP_V2_0},
		{"pap_2.1.dtd", PAP_V2_1},
};

static int has_icase(const char *s, const char *lit)
{
	size_t n = strlen(s), i;

	for(i = 0; i < n; i++) {
		if(pap_iprefix(s + i, n - i, lit))
			return 1;
	}
	return 0;
}

enum pap_version pap_sniff_version(const char *xml, size_t len)
{
	const char *doctype, *end;
	size_t i, n;

	if(xml == NULL)
		return PAP_V2_1;
	doctype = pap_find(xml, len, "<!DOCTYPE", 9);
	if(doctype == NULL)
		return PAP_V2_1;
	n = len - (size_t)(doctype - xml);
	end = memchr(doctype, '>', n);
	if(end != NULL)
		n = (size_t)(end - doctype);
	for(i = 0; i < N_OF(public_ids); i++) {
		if(pap_find(doctype, n, public_ids[i].id, strlen(public_ids[i].id)))
			return public_ids[i].v;
	}
	return PAP_V2_1;
}

/* Where the DOCTYPE is in the document, for the fragment of an error. */
static size_t doctype_offset(const struct reader *r)
{
	const char *p = pap_find(r->xml, r->len, "<!DOCTYPE", 9);

	return p != NULL ? (size_t)(p - r->xml) : 0;
}

#define version_fail(r, ...)                                          \
	pap_fail((r)->err, PAP_VERSION_NOT_SUPPORTED, (r)->xml, (r)->len, \
			doctype_offset(r), __VA_ARGS__)

/*
 * The version a DOCTYPE names. The public id decides; without a known
 * one, the system id's file name (pap_2.0.dtd). A public id or a file
 * name of another PAP version is not supported; any other DOCTYPE is
 * read as PAP 2.1, like no DOCTYPE at all.
 */
static int read_doctype(
		struct reader *r, const xmlDtd *dtd, enum pap_version *v)
{
	const char *pub = (const char *)dtd->ExternalID;
	const char *sys = (const char *)dtd->SystemID;
	const char *file;
	size_t i;

	*v = PAP_V2_1;
	if(pub != NULL) {
		for(i = 0; i < N_OF(public_ids); i++) {
			if(pap_ieq(pub, strlen(pub), public_ids[i].id)) {
				*v = public_ids[i].v;
				return 0;
			}
		}
		if(has_icase(pub, "DTD PAP"))
			return version_fail(r, "PAP DTD \"%.60s\" not supported", pub);
	}
	if(sys == NULL)
		return 0;
	file = strrchr(sys, '/');
	file = file != NULL ? file + 1 : sys;
	for(i = 0; i < N_OF(dtd_files); i++) {
		if(pap_ieq(file, strlen(file), dtd_files[i].id)) {
			*v = dtd_files[i].v;
			return 0;
		}
	}
	if(pap_iprefix(file, strlen(file), "pap_"))
		return version_fail(r, "PAP DTD \"%.60s\" not supported", file);
	return 0;
}

/* 1 when one item of a supported-versions list (1.*, 2.0, ...) is a
 * version this gateway speaks: 1.x, 2.0, 2.1 (or 2.*). */
static int version_spoken(const char *s, size_t n)
{
	pap_trim(&s, &n);
	if(n >= 2 && s[0] == '1' && s[1] == '.')
		return 1;
	return pap_ieq(s, n, "2.0") || pap_ieq(s, n, "2.1") || pap_ieq(s, n, "2.*");
}

/* A wap-pap-ver processing instruction: supported-versions="2.0,1.*".
 * Without that pseudo-attribute it says nothing. */
static int read_pap_ver(struct reader *r, const xmlNode *pi)
{
	static const char key[] = "supported-versions";
	const char *s = (const char *)pi->content, *end, *item, *comma;
	char quote;

	if(s == NULL)
		return 0;
	s += strspn(s, " \t\r\n");
	if(strncmp(s, key, sizeof(key) - 1) != 0)
		return 0;
	s += sizeof(key) - 1;
	s += strspn(s, " \t\r\n");
	if(*s != '=')
		return 0;
	s++;
	s += strspn(s, " \t\r\n");
	quote = *s;
	if(quote != '"' && quote != '\'')
		return 0;
	item = s + 1;
	end = strchr(item, quote);
	if(end == NULL)
		return 0;
	while(item <= end) {
		comma = memchr(item, ',', end - item);
		if(comma == NULL)
			comma = end;
		if(version_spoken(item, comma - item))
			return 0;
		item = comma + 1;
	}
	return version_fail(r, "supported-versions \"%.*s\" not spoken here",
			(int)(end - s - 1 < 60 ? end - s - 1 : 60), s + 1);
}

/* Every wap-pap-ver among nodes (the internal subset, the prolog). */
static int read_pap_vers(struct reader *r, const xmlNode *nodes)
{
	const xmlNode *n;

	for(n = nodes; n != NULL; n = n->next) {
		if(n->type == XML_PI_NODE
				&& strcmp((const char *)n->name, "wap-pap-ver") == 0
				&& read_pap_ver(r, n) != 0)
			return -1;
	}
	return 0;
}

int pap_read_tree(xmlDocPtr doc, const char *xml, size_t len,
		pap_control_t *ctl, pap_error_t *err)
{
	struct reader r = {xml, len, err};
	const xmlNode *root, *c, *op = NULL;
	size_t i;

	ctl->version = PAP_V2_1;
	if(doc->intSubset != NULL
			&& (read_doctype(&r, doc->intSubset, &ctl->version) != 0
					|| read_pap_vers(&r, doc->intSubset->children) != 0))
		return err->code;
	if(read_pap_vers(&r, doc->children) != 0)
		return err->code;

	root = xmlDocGetRootElement(doc);
	if(root == NULL || !is_named(root, "pap"))
		return pap_fail(err, PAP_BAD_REQUEST, xml, len,
				root != NULL ? pap_node_offset(root) : 0,
				"the root element is not <pap>");
	for(c = root->children; c != NULL; c = c->next) {
		if(c->type != XML_ELEMENT_NODE)
			continue;
		if(op != NULL)
			return fail_at(&r, c, "more than one element in <pap>");
		op = c;
	}
	if(op == NULL)
		return fail_at(&r, root, "<pap> holds no operation");
	for(i = 0; i < N_OF(operations); i++) {
		if(!is_named(op, operations[i].name))
			continue;
		if(read_operation(&r, op, &operations[i], ctl) != 0)
			return err->code;
		return 0;
	}
	return fail_at(&r, op, "<%.40s> is not an operation a gateway takes",
			(const char *)op->name);
}

void pap_control_free(pap_control_t *ctl)
{
	size_t i;

	for(i = 0; i < ctl->n_addresses; i++)
		free(ctl->addresses[i]);
	free(ctl->addresses);
	free(ctl->push_id);
	free(ctl->replace_push_id);
	free(ctl->notify_to);
	free(ctl->source_reference);
	memset(ctl, 0, sizeof(*ctl));
}

/* An http or https URL with a host, of characters it can be sent with. */
static int is_http_url(const char *url)
{
	size_t n = strlen(url), i, skip;
	unsigned char c;

	if(pap_iprefix(url, n, "http://"))
		skip = 7;
	else if(pap_iprefix(url, n, "https://"))
		skip = 8;
	else
		return 0;
	if(skip == n || url[skip] == '/' || url[skip] == '?' || url[skip] == '#')
		return 0;
	for(i = skip; i < n; i++) {
		c = (unsigned char)url[i];
		if(c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"')
			return 0;
	}
	return 1;
}

/* A network or bearer this gateway delivers over: no value (nothing
 * named), "Any", or "SIP". */
static int served(const char *name)
{
	size_t n = strlen(name);

	return n == 0 || pap_ieq(name, n, "Any") || pap_ieq(name, n, "SIP");
}

int pap_check_push(const pap_control_t *ctl, time_t now, int can_hold)
{
	if(ctl->notify_to != NULL && !is_http_url(ctl->notify_to))
		return PAP_BAD_REQUEST;
	if(ctl->deliver_before != 0 && ctl->deliver_after != 0
			&& ctl->deliver_after > ctl->deliver_before)
		return PAP_BAD_REQUEST;
	if(ctl->replace_push_id != NULL)
		return PAP_REPLACE_NOT_SUPPORTED;
	if(ctl->qos.network_required && !served(ctl->qos.network))
		return PAP_NETWORK_NOT_AVAILABLE;
	if(ctl->qos.bearer_required && !served(ctl->qos.bearer))
		return PAP_BEARER_NOT_AVAILABLE;
	if(ctl->deliver_before != 0 && ctl->deliver_before <= now)
		return PAP_FORBIDDEN;
	if(ctl->deliver_after != 0 && ctl->deliver_after > now && !can_hold)
		return PAP_NOT_IMPLEMENTED;
	return 0;
}
