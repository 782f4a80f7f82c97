/*
 * push module - reading and changing headers of a request
 */

#include <string.h>

#include "core/data_lump.h"
#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/parser/parse_hname2.h"
#include "core/trim.h"

#include "push_hdr.h"

int push_hdr_removed(sip_msg_t *msg, hdr_field_t *hf)
{
	struct lump *l;
	int offset = hf->name.s - msg->buf;

	for(l = msg->add_rm; l; l = l->next) {
		if(l->op == LUMP_DEL && l->u.offset <= offset
				&& offset < l->u.offset + l->len)
			return 1;
	}
	return 0;
}

int push_hdr_remove(sip_msg_t *msg, hdr_field_t *hf)
{
	if(push_hdr_removed(msg, hf))
		return 0;
	if(del_lump(msg, hf->name.s - msg->buf, hf->len, 0) == 0) {
		LM_ERR("cannot remove header %.*s\n", hf->name.len, hf->name.s);
		return -1;
	}
	return 0;
}

int push_hdr_append(sip_msg_t *msg, str *text, enum _hdr_types_t htype)
{
	struct lump *anchor;
	char *buf;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers\n");
		return -1;
	}
	buf = pkg_malloc(text->len);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(buf, text->s, text->len);
	anchor = anchor_lump(msg, msg->unparsed - msg->buf, 0, 0);
	if(anchor == NULL || insert_new_lump_before(anchor, buf, text->len, htype)
								 == NULL) {
		LM_ERR("cannot insert the header lump\n");
		pkg_free(buf);
		return -1;
	}
	return 0;
}

/* Walk the header lines of one ADD lump's text and report those of htype. */
static int walk_added_text(char *s, int len, enum _hdr_types_t htype,
		push_hdr_cb_f cb, void *arg)
{
	char *end = s + len;
	char *line, *colon, *eol;
	hdr_field_t hf;
	str body;
	int rc;

	for(line = s; line < end; line = eol) {
		/* a header line ends at a CRLF not followed by folding LWS */
		for(eol = line; eol < end; eol++) {
			if(*eol == '\n'
					&& (eol + 1 == end || (eol[1] != ' ' && eol[1] != '\t'))) {
				eol++;
				break;
			}
		}
		colon = memchr(line, ':', eol - line);
		if(colon == NULL)
			continue;
		memset(&hf, 0, sizeof(hf));
		/* parse_hname2_short() wants the name followed by ':' */
		if(parse_hname2_short(line, colon + 1, &hf) == NULL
				|| hf.type != htype)
			continue;
		body.s = colon + 1;
		body.len = eol - body.s;
		trim(&body);
		rc = cb(&body, arg);
		if(rc < 0)
			return rc;
	}
	return 0;
}

static int walk_added(struct lump *l, enum _hdr_types_t htype,
		push_hdr_cb_f cb, void *arg)
{
	int rc;

	for(; l; l = l->next) {
		struct lump *a;
		for(a = l->before; a; a = a->before) {
			if(a->op == LUMP_ADD
					&& (rc = walk_added_text(a->u.value, a->len, htype, cb, arg))
							   < 0)
				return rc;
		}
		for(a = l->after; a; a = a->after) {
			if(a->op == LUMP_ADD
					&& (rc = walk_added_text(a->u.value, a->len, htype, cb, arg))
							   < 0)
				return rc;
		}
	}
	return 0;
}

int push_hdr_walk(sip_msg_t *msg, enum _hdr_types_t htype, push_hdr_cb_f cb,
		void *arg)
{
	hdr_field_t *hf;
	int rc;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers\n");
		return -1;
	}
	for(hf = msg->headers; hf; hf = hf->next) {
		if(hf->type != htype || push_hdr_removed(msg, hf))
			continue;
		rc = cb(&hf->body, arg);
		if(rc < 0)
			return rc;
	}
	return walk_added(msg->add_rm, htype, cb, arg);
}
