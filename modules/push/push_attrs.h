/*
 * push module - how a binding's feature set is stored with it in usrloc
 *
 * usrloc keeps per-contact attributes as the children of one xavp (its
 * xavp_contact parameter; this module's contact_xavp) and persists them in
 * the location_attrs table. In Kamailio 5.6 every binding saved while one
 * REGISTER is processed gets a copy of the same xavp, so the xavp carries
 * one child per tagged Contact of that REGISTER: named "pf" followed by 8
 * hex digits of a hash of the Contact's URI and +sip.instance, valued with
 * the Contact's compact feature set (cpref.h). A binding finds its own
 * child by recomputing that name from its URI and instance; a usrloc
 * callback drops the other Contacts' children from each binding as it is
 * saved, so in memory and in db_mode 1 and 2 each binding keeps only its
 * own (db_mode 3 writes the database before callbacks run).
 */

#ifndef PUSH_ATTRS_H
#define PUSH_ATTRS_H

#include "core/str.h"
#include "core/xavp.h"
#include "modules/usrloc/usrloc.h"

/* "pf" + 8 hex digits */
#define PUSH_ATTR_NAME_LEN 10

extern str push_contact_xavp;

/* Name of the attribute of the binding (uri, instance); buf gets
 * PUSH_ATTR_NAME_LEN bytes (not NUL-terminated). */
void push_attr_name(str *uri, str *instance, char *buf);

/* Add the feature set of one Contact to the current request's contact
 * xavp, creating the xavp if needed. 0, 1 when the name is already used by
 * another Contact of this request, -1 on error. */
int push_attr_add(str *uri, str *instance, str *fset);

/* Find the feature set of binding (uri, instance) among its attributes
 * (ucontact->xavp). 1 found (fset points into the xavp), 0 not found. */
int push_attr_find(sr_xavp_t *attrs, str *uri, str *instance, str *fset);

/* usrloc callback (UL_CONTACT_INSERT, UL_CONTACT_UPDATE): keep, of the
 * feature-set children, only the binding's own. */
void push_attr_keep_own(ucontact_t *c, int type, void *param);

/* A shm copy of a binding's attributes (ucontact->xavp) for its branch,
 * without the feature-set children: those are this module's storage, and
 * already applied when the branch exists. NULL when no other attribute is
 * left (or on error). */
sr_xavp_t *push_attr_clone_others(sr_xavp_t *attrs);

#endif /* PUSH_ATTRS_H */
