/*
 * push module - how a binding's feature set is stored with it in usrloc
 */

#include <string.h>

#include "core/dprint.h"

#include "push_attrs.h"

str push_contact_xavp = str_init("ulattrs");

/* FNV-1a, 32 bits: a name is only compared with names of the same binding
 * (push_attr_keep_own()), so a clash between Contacts does no harm. */
static unsigned int fnv1a(unsigned int h, const char *s, int len)
{
	int i;

	for(i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* The two lowercase hex digits of each byte value. */
static const char hex2[256][2] = {
#define H1(x) "0123456789abcdef"[(x)]
#define H2(x) {H1((x) >> 4), H1((x) & 0xf)}
#define R4(x) H2(x), H2((x) + 1), H2((x) + 2), H2((x) + 3)
#define R16(x) R4(x), R4((x) + 4), R4((x) + 8), R4((x) + 12)
		R16(0x00), R16(0x10), R16(0x20), R16(0x30), R16(0x40), R16(0x50),
		R16(0x60), R16(0x70), R16(0x80), R16(0x90), R16(0xa0), R16(0xb0),
		R16(0xc0), R16(0xd0), R16(0xe0), R16(0xf0)
#undef R16
#undef R4
#undef H2
#undef H1
};

void push_attr_name(str *uri, str *instance, char *buf)
{
	unsigned int h = 2166136261u;

	h = fnv1a(h, uri->s, uri->len);
	h = fnv1a(h, "\n", 1);
	if(instance && instance->len > 0)
		h = fnv1a(h, instance->s, instance->len);
	buf[0] = 'p';
	buf[1] = 'f';
	/* the hash in hex, most significant digit first */
	memcpy(buf + 2, hex2[h >> 24], 2);
	memcpy(buf + 4, hex2[(h >> 16) & 0xff], 2);
	memcpy(buf + 6, hex2[(h >> 8) & 0xff], 2);
	memcpy(buf + 8, hex2[h & 0xff], 2);
}

/* A child this module named: "pf" + 8 hex digits. */
static int is_attr_name(str *name)
{
	return name->len == PUSH_ATTR_NAME_LEN && name->s[0] == 'p'
		   && name->s[1] == 'f';
}

/* Remove the feature-set children of the list *head but the one named own
 * (NULL: all of them). */
static void remove_others(sr_xavp_t **head, const char *own)
{
	sr_xavp_t *x, *next;

	for(x = *head; x; x = next) {
		next = x->next;
		if(is_attr_name(&x->name)
				&& (own == NULL
						|| memcmp(x->name.s, own, PUSH_ATTR_NAME_LEN) != 0))
			xavp_rm(x, head);
	}
}

int push_attr_arm(str *uri, str *instance, str *fset)
{
	char name_buf[PUSH_ATTR_NAME_LEN];
	str name = {name_buf, PUSH_ATTR_NAME_LEN};
	sr_xavp_t *root;
	sr_xval_t val;

	root = xavp_get(&push_contact_xavp, NULL);
	if(root != NULL && root->val.type != SR_XTYPE_XAVP) {
		LM_ERR("xavp %.*s is not a list of attributes\n",
				push_contact_xavp.len, push_contact_xavp.s);
		return -1;
	}
	if(root != NULL)
		remove_others(&root->val.v.xavp, NULL);
	if(fset->len == 0)
		return 0;
	push_attr_name(uri, instance, name_buf);
	memset(&val, 0, sizeof(val));
	val.type = SR_XTYPE_STR;
	val.v.s = *fset;
	if(root == NULL) {
		if(xavp_add_xavp_value(&push_contact_xavp, &name, &val, NULL) == NULL) {
			LM_ERR("cannot create the %.*s xavp\n", push_contact_xavp.len,
					push_contact_xavp.s);
			return -1;
		}
		return 0;
	}
	if(xavp_add_value(&name, &val, &root->val.v.xavp) == NULL) {
		LM_ERR("cannot add attribute %.*s\n", name.len, name.s);
		return -1;
	}
	return 0;
}

int push_attr_attach(ucontact_t *c, str *fset)
{
	char name_buf[PUSH_ATTR_NAME_LEN];
	str name = {name_buf, PUSH_ATTR_NAME_LEN};
	sr_xval_t val;

	if(c->xavp != NULL && c->xavp->val.type != SR_XTYPE_XAVP)
		return -1;
	push_attr_name(&c->c, &c->instance, name_buf);
	memset(&val, 0, sizeof(val));
	val.type = SR_XTYPE_STR;
	val.v.s = *fset;
	if(c->xavp == NULL)
		return xavp_add_xavp_value(&push_contact_xavp, &name, &val, &c->xavp)
							   == NULL
					   ? -1
					   : 0;
	return xavp_add_value(&name, &val, &c->xavp->val.v.xavp) == NULL ? -1 : 0;
}

int push_attr_replace(ucontact_t *c, str *fset)
{
	if(c->xavp != NULL && c->xavp->val.type == SR_XTYPE_XAVP)
		remove_others(&c->xavp->val.v.xavp, NULL);
	return push_attr_attach(c, fset);
}

int push_attr_find(sr_xavp_t *attrs, str *uri, str *instance, str *fset)
{
	char name[PUSH_ATTR_NAME_LEN];
	sr_xavp_t *x;

	if(attrs == NULL || attrs->val.type != SR_XTYPE_XAVP)
		return 0;
	push_attr_name(uri, instance, name);
	/* the first child of that name, as xavp_get() finds it, without
	 * hashing the name for a list of a few children (and without
	 * xavp_get()'s turn to the request's own xavps when the list is
	 * empty) */
	for(x = attrs->val.v.xavp; x; x = x->next) {
		if(x->name.len == PUSH_ATTR_NAME_LEN
				&& memcmp(x->name.s, name, PUSH_ATTR_NAME_LEN) == 0)
			break;
	}
	if(x == NULL || x->val.type != SR_XTYPE_STR)
		return 0;
	*fset = x->val.v.s;
	return 1;
}

void push_attr_keep_own(ucontact_t *c)
{
	char own[PUSH_ATTR_NAME_LEN];

	if(c->xavp == NULL || c->xavp->val.type != SR_XTYPE_XAVP)
		return;
	push_attr_name(&c->c, &c->instance, own);
	remove_others(&c->xavp->val.v.xavp, own);
}

sr_xavp_t *push_attr_clone_others(sr_xavp_t *attrs)
{
	sr_xavp_t *x, *clone, *next;

	if(attrs == NULL || attrs->val.type != SR_XTYPE_XAVP)
		return NULL;
	for(x = attrs->val.v.xavp; x && is_attr_name(&x->name); x = x->next)
		;
	if(x == NULL)
		return NULL;
	clone = xavp_clone_level_nodata(attrs);
	if(clone == NULL)
		return NULL;
	for(x = clone->val.v.xavp; x; x = next) {
		next = x->next;
		if(is_attr_name(&x->name))
			xavp_rm(x, &clone->val.v.xavp);
	}
	return clone;
}
