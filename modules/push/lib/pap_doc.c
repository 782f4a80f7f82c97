/*
 * push module - PAP control entities parsed with libxml2 (plain C, no
 * Kamailio headers)
 *
 * Each parse has a parser context of its own, with its own SAX handlers:
 * errors go to a handler of the context, not to stderr, and no global
 * handler is changed (libxml2 reports only a memory failure outside any
 * context to its global one); the external subset is never loaded, and
 * the first entity declaration stops the parser before the entity is
 * registered, so nothing can be expanded or fetched. The input must be
 * UTF-8 (the encoding declaration is ignored), so libxml2 never converts
 * it: offsets in its input are offsets in the caller's buffer, and no
 * converter can report to the global handler. The tree is read by
 * pap_control.c.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "pap_internal.h"

/* What one parse learns beside the tree (the context's _private). */
struct parse_state
{
	const char *xml;
	size_t len;
	int entity; /* an entity declaration stopped the parser */
	size_t entity_off;
	int failed; /* the first error is below */
	size_t err_off;
	int err_line;
	char err_msg[96];
};

/* NONET is the last guard should anything still try to load; there is no
 * NOENT, DTDLOAD, DTDATTR or HUGE: entities stay unexpanded, no DTD is
 * read, and libxml2's own limits (names, text, nesting depth) apply. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_IGNORE_ENC)

/* The parser's position in the caller's buffer. */
static size_t position(xmlParserCtxtPtr ctxt)
{
	struct parse_state *st = ctxt->_private;
	long off = xmlByteConsumed(ctxt);

	if(off < 0)
		return 0;
	return (size_t)off < st->len ? (size_t)off : st->len;
}

/* The context's structured error handler: the first error, warnings
 * aside. An error libxml2 recovers from (an undefined entity reference)
 * also refuses the document. */
static void on_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;
	size_t n;

	if(e->level < XML_ERR_ERROR || st->failed)
		return;
	st->failed = 1;
	st->err_off = position(ctxt);
	st->err_line = e->line;
	snprintf(st->err_msg, sizeof(st->err_msg), "%s",
			e->message != NULL ? e->message : "error");
	n = strlen(st->err_msg);
	while(n > 0 && (st->err_msg[n - 1] == '\n' || st->err_msg[n - 1] == ' '))
		st->err_msg[--n] = '\0';
}

static void refuse_entity(xmlParserCtxtPtr ctxt)
{
	struct parse_state *st = ctxt->_private;

	if(!st->entity) {
		st->entity = 1;
		st->entity_off = position(ctxt);
	}
	xmlStopParser(ctxt);
}

/* Any entity declaration, general or parameter, internal or external:
 * the parser stops here, and the entity is never registered. */
static void on_entity_decl(void *ctx, const xmlChar *name, int type,
		const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	refuse_entity(ctx);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name,
		const xmlChar *public_id, const xmlChar *system_id,
		const xmlChar *notation)
{
	(void)name;
	(void)public_id;
	(void)system_id;
	(void)notation;
	refuse_entity(ctx);
}

/* The tree builder's start of an element, then where its start tag began
 * in the caller's buffer, kept in the node's _private (offset + 1) for
 * the fragment of a later error. */
static void on_start_element(void *ctx, const xmlChar *localname,
		const xmlChar *prefix, const xmlChar *uri, int nb_namespaces,
		const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
		const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;
	xmlNodePtr parent = ctxt->node;
	size_t p;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
			namespaces, nb_attributes, nb_defaulted, attributes);
	if(ctxt->node == NULL || ctxt->node == parent)
		return; /* out of memory: there is no new element */
	/* The parser is just past the start tag, and no '<' occurs inside a
	 * tag (not even in an attribute value): the last one is its start. */
	p = position(ctxt);
	while(p > 0 && st->xml[p - 1] != '<')
		p--;
	ctxt->node->_private = (void *)(uintptr_t)p;
}

size_t pap_node_offset(const xmlNode *node)
{
	uintptr_t p = (uintptr_t)node->_private;

	return p > 0 ? (size_t)p - 1 : 0;
}

/* The offset of the first byte of xml[0..len) that is NUL or not UTF-8,
 * len when there is none. */
static size_t first_bad_byte(const char *xml, size_t len)
{
	size_t i = 0, n;
	unsigned int cp;

	while(i < len) {
		n = pap_utf8_char(xml + i, len - i, &cp);
		if(n == 0 || cp == 0)
			return i;
		i += n;
	}
	return len;
}

int pap_parse_control(
		const char *xml, size_t len, pap_control_t *ctl, pap_error_t *err)
{
	struct parse_state st;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	size_t bad;
	int rc;

	memset(ctl, 0, sizeof(*ctl));
	memset(err, 0, sizeof(*err));
	if(len == 0)
		return pap_fail(
				err, PAP_BAD_REQUEST, NULL, 0, 0, "empty control entity");
	if(len > PAP_MAX_CONTROL)
		return pap_fail(err, PAP_BAD_REQUEST, xml, len, PAP_MAX_CONTROL,
				"control entity longer than %d bytes", PAP_MAX_CONTROL);
	bad = first_bad_byte(xml, len);
	if(bad < len)
		return pap_fail(err, PAP_BAD_REQUEST, xml, len, bad,
				xml[bad] == '\0' ? "NUL byte in the control entity"
								 : "control entity not in UTF-8");

	/* idempotent; the caller may not have initialised libxml2 */
	xmlInitParser();
	ctxt = xmlNewParserCtxt();
	if(ctxt == NULL)
		return pap_fail(err, PAP_INTERNAL_ERROR, NULL, 0, 0, "out of memory");
	memset(&st, 0, sizeof(st));
	st.xml = xml;
	st.len = len;
	ctxt->_private = &st;
	ctxt->sax->serror = on_error;
	ctxt->sax->entityDecl = on_entity_decl;
	ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->startElementNs = on_start_element;

	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, PARSE_OPTIONS);
	if(ctxt->errNo == XML_ERR_NO_MEMORY)
		rc = pap_fail(err, PAP_INTERNAL_ERROR, NULL, 0, 0, "out of memory");
	else if(st.entity)
		rc = pap_fail(err, PAP_BAD_REQUEST, xml, len, st.entity_off,
				"entity declaration (not accepted)");
	else if(st.failed)
		rc = pap_fail(err, PAP_BAD_REQUEST, xml, len, st.err_off,
				"XML line %d: %s", st.err_line, st.err_msg);
	else if(doc == NULL)
		rc = pap_fail(err, PAP_INTERNAL_ERROR, NULL, 0, 0, "XML parser failed");
	else
		rc = pap_read_tree(doc, xml, len, ctl, err);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if(rc != 0)
		pap_control_free(ctl);
	return rc;
}
