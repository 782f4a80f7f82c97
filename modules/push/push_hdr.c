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

/* Whether the parser reached the end of msg's headers. HDR_EOH_F has every
 * bit set (the parser ors it in at the end), so any parsed header shares a
 * bit with it: only all of them tell. */
static inline int parsed_to_end(sip_msg_t *msg)
{
	return (msg->parsed_flag & HDR_EOH_F) == HDR_EOH_F;
}

/* The headers of msg parsed to their end: usually done already, and then
 * not worth a call. 0 or -1. */
static inline int parse_all(sip_msg_t *msg)
{
	if(parsed_to_end(msg))
		return 0;
	return parse_headers(msg, HDR_EOH_F, 0) < 0 ? -1 : 0;
}

/*
 * Where a header appended at the end of the headers (offset) goes: the last
 * header added before the anchor a previous append left there, when that
 * anchor is where anchor_lump() would put a new one (the last lump at
 * offset, nothing after it) and it and its chain are plain, unshared
 * additions (not duplicated for a branch, nor cloned to shared memory, nor
 * conditional). The headers come out in the same order as with an anchor
 * each; a push appends an identity and a stamp, and the second one saves
 * the anchor's allocation. NULL: a new anchor is needed.
 */
static struct lump *end_chain_tail(sip_msg_t *msg, int offset)
{
	struct lump *l, *last = NULL, *r;

	for(l = msg->add_rm; l; l = l->next) {
		if((l->op == LUMP_DEL || l->op == LUMP_NOP) && l->u.offset > offset)
			break;
		last = l;
	}
	if(last == NULL || last->op != LUMP_NOP || last->u.offset != offset
			|| last->len != 0 || last->type != 0 || last->flags != 0
			|| last->after != NULL || last->before == NULL)
		return NULL;
	for(r = last->before;; r = r->before) {
		if(r->op != LUMP_ADD || r->flags != 0 || r->after != NULL)
			return NULL;
		if(r->before == NULL)
			return r;
	}
}

int push_hdr_append(sip_msg_t *msg, str *text, enum _hdr_types_t htype)
{
	struct lump *anchor;
	char *buf;
	int offset;

	if(parse_all(msg) < 0) {
		LM_ERR("cannot parse the headers\n");
		return -1;
	}
	buf = pkg_malloc(text->len);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(buf, text->s, text->len);
	offset = msg->unparsed - msg->buf;
	anchor = end_chain_tail(msg, offset);
	if(anchor == NULL)
		anchor = anchor_lump(msg, offset, 0, 0);
	if(anchor == NULL || insert_new_lump_before(anchor, buf, text->len, htype)
								 == NULL) {
		LM_ERR("cannot insert the header lump\n");
		pkg_free(buf);
		return -1;
	}
	return 0;
}

/* 1 when header type t is one of types. */
static int of_types(enum _hdr_types_t t, hdr_flags_t types)
{
	return t >= 0 && t < HDR_EOH_T && (HDR_T2F(t) & types) != 0;
}

/* The header line starting at line (< end): its end (after the LF that is
 * not followed by folding LWS), and its type when that is one of types
 * (then body is its trimmed value), else HDR_ERROR_T. */
static char *header_line(char *line, char *end, hdr_flags_t types,
		enum _hdr_types_t *htype, str *body)
{
	char *eol = line, *colon;
	hdr_field_t hf;

	for(;;) {
		eol = memchr(eol, '\n', end - eol);
		if(eol == NULL) {
			eol = end;
			break;
		}
		eol++;
		if(eol == end || (*eol != ' ' && *eol != '\t'))
			break;
	}
	*htype = HDR_ERROR_T;
	colon = memchr(line, ':', eol - line);
	if(colon == NULL)
		return eol;
	memset(&hf, 0, sizeof(hf));
	/* parse_hname2_short() wants the name followed by ':' */
	if(parse_hname2_short(line, colon + 1, &hf) == NULL
			|| !of_types(hf.type, types))
		return eol;
	*htype = hf.type;
	body->s = colon + 1;
	body->len = eol - body->s;
	trim(body);
	return eol;
}

typedef struct added_walk
{
	hdr_flags_t types;
	push_hdr_cb_f cb;
	void *arg;
} added_walk_t;

/*
 * The header lines of the ADD lump texts read lately. A request gets the
 * same few texts added (an identity, a stamp) request after request, and
 * recognising a header name costs more than comparing the whole text, so a
 * text equal to one kept here is not parsed again. Keyed by the whole text:
 * what a kept entry says is what parsing the text would find.
 */
#define MEMO_SLOTS 8
#define MEMO_TEXT 256
#define MEMO_LINES 4

typedef struct memo_line
{
	enum _hdr_types_t type; /* HDR_ERROR_T: no header there */
	unsigned short body;	/* offset of the trimmed body in the text */
	unsigned short body_len;
} memo_line_t;

typedef struct text_memo
{
	int len; /* 0: free */
	int n;
	memo_line_t line[MEMO_LINES];
	char text[MEMO_TEXT];
} text_memo_t;

static text_memo_t memo[MEMO_SLOTS];
static unsigned int memo_next;
static unsigned int memo_filled; /* slots used so far, from the first */

/* The slot of a text of 1 to MEMO_TEXT bytes, or NULL. */
static text_memo_t *memo_find(const char *text, int len)
{
	text_memo_t *m;

	for(m = memo; m < memo + memo_filled; m++) {
		if(m->len == len && memcmp(m->text, text, len) == 0)
			return m;
	}
	return NULL;
}

/* Parse the text of lump a (1 to MEMO_TEXT bytes) into the next slot;
 * NULL when it has more lines than a slot keeps (the caller parses it
 * itself). */
static text_memo_t *memo_add(struct lump *a)
{
	text_memo_t *m = &memo[memo_next];
	char *line, *eol, *end = a->u.value + a->len;
	str body;
	int n = 0;

	/* the slot's lines are overwritten first: it keeps no text meanwhile */
	m->len = 0;
	for(line = a->u.value; line < end; line = eol) {
		if(n == MEMO_LINES)
			return NULL;
		eol = header_line(line, end, ~(hdr_flags_t)0, &m->line[n].type, &body);
		if(m->line[n].type != HDR_ERROR_T) {
			m->line[n].body = body.s - a->u.value;
			m->line[n].body_len = body.len;
			n++;
		}
	}
	m->n = n;
	m->len = a->len;
	memcpy(m->text, a->u.value, a->len);
	memo_next = (memo_next + 1) % MEMO_SLOTS;
	if(memo_filled < MEMO_SLOTS)
		memo_filled++;
	return m;
}

/* Report the headers of the walk's types in the text of one ADD lump,
 * parsed here (a text the memo does not keep). */
static int __attribute__((noinline)) walk_parsed_text(
		struct lump *a, added_walk_t *w)
{
	char *line, *eol, *end = a->u.value + a->len;
	enum _hdr_types_t htype;
	str body;
	int rc;

	for(line = a->u.value; line < end; line = eol) {
		eol = header_line(line, end, w->types, &htype, &body);
		if(htype != HDR_ERROR_T && (rc = w->cb(htype, &body, w->arg)) < 0)
			return rc;
	}
	return 0;
}

/* Report the headers of the walk's types in the text of one ADD lump.
 * Inline in the walk: the texts a request gets added are nearly always
 * in the memo. */
static inline int walk_added_text(struct lump *a, added_walk_t *w)
{
	text_memo_t *m;
	str body;
	int i, rc;

	if(a->len <= 0 || a->len > MEMO_TEXT)
		return walk_parsed_text(a, w);
	if((m = memo_find(a->u.value, a->len)) == NULL
			&& (m = memo_add(a)) == NULL)
		return walk_parsed_text(a, w);
	for(i = 0; i < m->n; i++) {
		if(!of_types(m->line[i].type, w->types))
			continue;
		body.s = a->u.value + m->line[i].body;
		body.len = m->line[i].body_len;
		if((rc = w->cb(m->line[i].type, &body, w->arg)) < 0)
			return rc;
	}
	return 0;
}

/* Drop the headers of htype from the text of one ADD lump, in place (the
 * lump owns its buffer); returns how many. */
static int remove_added_text(struct lump *a, void *arg)
{
	hdr_flags_t types = *(hdr_flags_t *)arg;
	char *line, *eol, *end = a->u.value + a->len, *out = a->u.value;
	enum _hdr_types_t htype;
	str body;
	int removed = 0;

	for(line = a->u.value; line < end; line = eol) {
		eol = header_line(line, end, types, &htype, &body);
		if(htype != HDR_ERROR_T) {
			removed++;
			continue;
		}
		memmove(out, line, eol - line);
		out += eol - line;
	}
	a->len = out - a->u.value;
	return removed;
}

/* Apply fn to the ADD lumps of one chain of lumps inserted before (after
 * == 0) or after a lump; sums the results into *total, or returns the first
 * negative one. */
static int each_in_chain(struct lump *a, int after,
		int (*fn)(struct lump *, void *), void *arg, int *total)
{
	int rc;

	for(; a; a = after ? a->after : a->before) {
		if(a->op != LUMP_ADD)
			continue;
		if((rc = fn(a, arg)) < 0)
			return rc;
		*total += rc;
	}
	return 0;
}

/* Apply fn to every ADD lump of msg; the sum of its results, or the first
 * negative one. */
static int each_added(sip_msg_t *msg, int (*fn)(struct lump *, void *),
		void *arg)
{
	struct lump *l;
	int rc, total = 0;

	for(l = msg->add_rm; l; l = l->next) {
		if((rc = each_in_chain(l->before, 0, fn, arg, &total)) < 0
				|| (rc = each_in_chain(l->after, 1, fn, arg, &total)) < 0)
			return rc;
	}
	return total;
}

/* each_received() for a request whose headers may have to be parsed or
 * may carry headers of the given types. */
static int scan_received(sip_msg_t *msg, hdr_flags_t types,
		int (*fn)(sip_msg_t *, hdr_field_t *, void *), void *arg)
{
	hdr_field_t *hf;
	int rc, total = 0;

	if(parse_all(msg) < 0) {
		LM_ERR("cannot parse the headers\n");
		return -1;
	}
	for(hf = msg->headers; hf; hf = hf->next) {
		if(!of_types(hf->type, types) || push_hdr_removed(msg, hf))
			continue;
		if((rc = fn(msg, hf, arg)) < 0)
			return rc;
		total += rc;
	}
	return total;
}

/* Apply fn to each received header of the given types that no lump
 * removed; the sum of its results, or the first negative one (-1 when the
 * headers cannot be parsed). */
static inline int each_received(sip_msg_t *msg, hdr_flags_t types,
		int (*fn)(sip_msg_t *, hdr_field_t *, void *), void *arg)
{
	/* the parser flags the type of every header it lists: most requests
	 * carry none of the types asked for */
	if(parsed_to_end(msg) && (msg->parsed_flag & types) == 0)
		return 0;
	return scan_received(msg, types, fn, arg);
}

static int remove_received(sip_msg_t *msg, hdr_field_t *hf, void *arg)
{
	return push_hdr_remove(msg, hf) < 0 ? -1 : 1;
}

int push_hdr_remove_all(sip_msg_t *msg, enum _hdr_types_t htype)
{
	hdr_flags_t types = HDR_T2F(htype);
	int removed = each_received(msg, types, remove_received, NULL);

	if(removed < 0)
		return -1;
	return removed + each_added(msg, remove_added_text, &types);
}

static int walk_received(sip_msg_t *msg, hdr_field_t *hf, void *arg)
{
	added_walk_t *w = arg;
	int rc = w->cb(hf->type, &hf->body, w->arg);

	return rc < 0 ? rc : 0;
}

/* The ADD lumps in the order each_added() takes them (the chain before
 * each lump, then the one after it), without its indirect call. */
int push_hdr_walk(
		sip_msg_t *msg, hdr_flags_t types, push_hdr_cb_f cb, void *arg)
{
	added_walk_t w = {types, cb, arg};
	struct lump *l, *a;
	int rc = each_received(msg, types, walk_received, &w);

	if(rc < 0)
		return rc;
	for(l = msg->add_rm; l; l = l->next) {
		for(a = l->before; a; a = a->before) {
			if(a->op == LUMP_ADD && (rc = walk_added_text(a, &w)) < 0)
				return rc;
		}
		for(a = l->after; a; a = a->after) {
			if(a->op == LUMP_ADD && (rc = walk_added_text(a, &w)) < 0)
				return rc;
		}
	}
	return 0;
}
