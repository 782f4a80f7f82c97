/*
 * push module - how a binding's feature set is stored with it in usrloc
 *
 * usrloc keeps per-contact attributes as the children of one xavp (its
 * xavp_contact parameter; this module's contact_xavp) and persists them in
 * the location_attrs table. When registrar stores a binding, usrloc gives
 * it a copy of that xavp as the current request carries it, so while
 * push_save() runs registrar's save(), the request's xavp carries the
 * feature set of the one Contact registrar stores next: a child named "pf"
 * followed by 8 hex digits of a hash of the Contact's URI and
 * +sip.instance, valued with the Contact's compact feature set (cpref.h).
 * After each binding is stored, a usrloc callback moves it on to the next
 * Contact (push_save.c), so each binding gets its own child, in every
 * db_mode, and one REGISTER of N Contacts costs O(N). A binding finds its
 * own child by recomputing that name from its URI and instance.
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

/* Make the feature set of binding (uri, instance) the only feature-set
 * child of the current request's contact xavp (none when fset is empty),
 * creating the xavp if needed; other attributes stay. 0 or -1. */
int push_attr_arm(str *uri, str *instance, str *fset);

/* Add the feature set of binding c to its attributes (shm). 0 or -1. */
int push_attr_attach(ucontact_t *c, str *fset);

/* Make fset the only feature set among binding c's attributes (shm).
 * 0 or -1. */
int push_attr_replace(ucontact_t *c, str *fset);

/* Find the feature set of binding (uri, instance) among its attributes
 * (ucontact->xavp). 1 found (fset points into the xavp), 0 not found. */
int push_attr_find(sr_xavp_t *attrs, str *uri, str *instance, str *fset);

/* Keep, of the feature-set children of binding c, only its own (another
 * writer may have given it the whole request's). */
void push_attr_keep_own(ucontact_t *c);

/* A shm copy of a binding's attributes (ucontact->xavp) for its branch,
 * without the feature-set children: those are this module's storage, and
 * already applied when the branch exists. NULL when no other attribute is
 * left (or on error). */
sr_xavp_t *push_attr_clone_others(sr_xavp_t *attrs);

#endif /* PUSH_ATTRS_H */
