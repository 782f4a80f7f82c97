/*
 * push module - the bindings of an AOR, copied out of usrloc
 */

#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/ut.h"

#include "push_attrs.h"
#include "push_bindings.h"

usrloc_api_t push_ul;
int *push_reg_case_sensitive;

/* registrar lowercases the domain, and the user unless case_sensitive */
static void aor_case(str *aor, int user_len)
{
	str tail;

	if(push_reg_case_sensitive && *push_reg_case_sensitive && user_len) {
		tail.s = aor->s + user_len;
		tail.len = aor->len - user_len;
		strlower(&tail);
	} else {
		strlower(aor);
	}
}

int push_uri_aor(str *uri_in, char *buf, int size, str *aor, sip_uri_t *puri)
{
	str uri = *uri_in, user;

	if(parse_uri(uri.s, uri.len, puri) < 0) {
		LM_ERR("cannot parse the URI [%.*s]\n", uri.len, uri.s);
		return -1;
	}
	if(puri->user.len + puri->host.len + 1 > size) {
		LM_ERR("AOR of [%.*s] too long\n", uri.len, uri.s);
		return -1;
	}
	user.s = buf;
	user.len = 0;
	if(un_escape(&puri->user, &user) < 0) {
		LM_ERR("cannot unescape the user of [%.*s]\n", uri.len, uri.s);
		return -1;
	}
	aor->s = buf;
	aor->len = user.len;
	if(push_ul.use_domain) {
		if(user.len)
			buf[aor->len++] = '@';
		memcpy(buf + aor->len, puri->host.s, puri->host.len);
		aor->len += puri->host.len;
	}
	aor_case(aor, user.len);
	return 0;
}

void push_aor_case(str *aor)
{
	char *at = memchr(aor->s, '@', aor->len);

	aor_case(aor, at ? (int)(at - aor->s) : aor->len);
}

static void str_copy(str *dst, str *src, char **p)
{
	dst->s = *p;
	dst->len = src->len;
	if(src->len > 0)
		memcpy(*p, src->s, src->len);
	*p += src->len;
}

/* Bytes the copy of a valid binding takes. */
static int binding_size(ucontact_t *c, str *fset)
{
	return c->c.len + c->received.len + c->path.len + c->instance.len
		   + c->ruid.len + c->user_agent.len + fset->len;
}

/* 1 when c is a valid binding (of instance gr, when given); fset gets its
 * stored feature set (empty when it has none). */
static int usable(ucontact_t *c, time_t now, str *gr, str *fset)
{
	if(!VALID_CONTACT(c, now))
		return 0;
	/* a public GRUU names the instance without its angle brackets */
	if(gr && (c->instance.len != gr->len + 2
					 || memcmp(c->instance.s + 1, gr->s, gr->len) != 0))
		return 0;
	if(!push_attr_find(c->xavp, &c->c, &c->instance, fset))
		fset->len = 0;
	return 1;
}

int push_bindings_read(udomain_t *d, str *aor, str *gr, push_bindings_t *set)
{
	urecord_t *r;
	ucontact_t *c;
	time_t now = time(NULL);
	str fset;
	int n = 0, bytes = 0, i;
	size_t size;
	char *p;

	memset(set, 0, sizeof(*set));
	push_ul.lock_udomain(d, aor);
	if(push_ul.get_urecord(d, aor, &r) != 0) {
		push_ul.unlock_udomain(d, aor);
		return 0;
	}
	for(c = r->contacts; c; c = c->next) {
		if(!usable(c, now, gr, &fset))
			continue;
		bytes += binding_size(c, &fset);
		n++;
	}
	if(n == 0)
		goto done;

	size = n * (sizeof(push_binding_t) + sizeof(cp_target_t) + sizeof(cp_result_t)
					   + sizeof(size_t) + sizeof(int))
		   + bytes;
	set->b = pkg_malloc(size);
	if(set->b == NULL) {
		PKG_MEM_ERROR;
		n = -1;
		goto done;
	}
	memset(set->b, 0, size);
	set->targets = (cp_target_t *)(set->b + n);
	set->results = (cp_result_t *)(set->targets + n);
	set->order = (size_t *)(set->results + n);
	set->target_of = (int *)(set->order + n);
	set->strings = (char *)(set->target_of + n);

	p = set->strings;
	i = 0;
	for(c = r->contacts; c && i < n; c = c->next) {
		push_binding_t *b = &set->b[i];
		if(!usable(c, now, gr, &fset))
			continue;
		str_copy(&b->c, &c->c, &p);
		str_copy(&b->received, &c->received, &p);
		str_copy(&b->path, &c->path, &p);
		str_copy(&b->instance, &c->instance, &p);
		str_copy(&b->ruid, &c->ruid, &p);
		str_copy(&b->ua, &c->user_agent, &p);
		str_copy(&b->fset, &fset, &p);
		b->q = c->q;
		b->cflags = c->cflags;
		b->reg_id = c->reg_id;
		b->tcpconn_id = c->tcpconn_id;
		b->last_modified = c->last_modified;
		b->expires = c->expires;
		b->sock = c->sock;
		if(c->xavp)
			b->attrs = xavp_clone_level_nodata(c->xavp);
		i++;
	}
	n = i;

done:
	push_ul.release_urecord(r);
	push_ul.unlock_udomain(d, aor);
	set->n = n;
	return n;
}

void push_bindings_free(push_bindings_t *set)
{
	int i;

	if(set->b == NULL)
		return;
	for(i = 0; i < set->n; i++) {
		if(set->b[i].attrs)
			xavp_destroy_list(&set->b[i].attrs);
	}
	pkg_free(set->b);
	set->b = NULL;
}

int push_bindings_targets(push_bindings_t *set)
{
	int i, j, nt = 0;

	for(i = 0; i < set->n; i++) {
		push_binding_t *b = &set->b[i];
		int superseded = 0;
		for(j = 0; j < set->n && b->instance.len > 0; j++) {
			push_binding_t *o = &set->b[j];
			if(j == i || o->instance.len != b->instance.len
					|| memcmp(o->instance.s, b->instance.s, b->instance.len) != 0)
				continue;
			if(o->last_modified > b->last_modified
					|| (o->last_modified == b->last_modified && j < i)) {
				superseded = 1;
				break;
			}
		}
		if(superseded)
			continue;
		set->targets[nt].fset = b->fset.s;
		set->targets[nt].fset_len = b->fset.len;
		set->targets[nt].q = b->q;
		set->target_of[nt] = i;
		nt++;
	}
	return nt;
}
