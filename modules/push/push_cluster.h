/*
 * push module - the bindings' feature sets across a DMQ cluster
 *
 * With dmq + dmq_usrloc, each proxy keeps every binding in memory and
 * dmq_usrloc copies a binding to the other nodes when it is stored, and
 * all of them to a node that joins. Before Kamailio 5.8 it copies no
 * attribute: the copy reaches the other nodes without its feature set, and
 * every update of a copy wipes the set it had. There, this module carries
 * the feature sets itself, over its own DMQ peer ("push"), keyed by the
 * binding's ruid:
 *
 * - each node keeps the feature set of every binding of the cluster it
 *   heard of (stored through it, or announced by another node) in a shm
 *   table, with the binding's version (last_modified, cseq) and expiry;
 * - push_save() announces the sets of the bindings it stored;
 * - a copy gets its set when it is created or updated (usrloc callback)
 *   or when the announcement arrives, whichever comes last, and only the
 *   set of the copy's own version (the last_modified, CSeq and Call-ID of
 *   the REGISTER that stored it): a binding whose set is not known yet has
 *   unknown tags (unknown_tags), never the set of another version;
 * - a node that joins asks the others for their tables (as dmq_usrloc
 *   asks for the bindings);
 * - an entry leaves the table when its binding is deleted or expires, or
 *   at its own expiry when no copy ever came.
 *
 * From 5.8 on, dmq_usrloc copies attributes, the feature sets with them,
 * and this carrier is not built: nothing runs beside usrloc's own sync.
 */

#ifndef PUSH_CLUSTER_H
#define PUSH_CLUSTER_H

#include "modules/usrloc/usrloc.h"

#if defined(VERSIONVAL) && VERSIONVAL < 5008000
#define PUSH_CLUSTER_CARRIER 1
#endif

/* mod_init: start the carrier when dmq_usrloc is loaded and needs it. */
int push_cluster_init(void);

#ifdef PUSH_CLUSTER_CARRIER

/* Binding c was stored by push_save() with feature set fset (usrloc
 * callback, record locked): keep it and announce it after save(). */
void push_cluster_stored(ucontact_t *c, str *fset);

/* Binding c was created or updated otherwise, e.g. as dmq_usrloc's copy
 * (usrloc callback, record locked): give it the set of its version, if
 * known. */
void push_cluster_apply(ucontact_t *c);

/* After save(): announce what push_cluster_stored() kept. */
void push_cluster_flush(void);

#else

static inline void push_cluster_stored(ucontact_t *c, str *fset)
{
}
static inline void push_cluster_apply(ucontact_t *c)
{
}
static inline void push_cluster_flush(void)
{
}

#endif /* PUSH_CLUSTER_CARRIER */

#endif /* PUSH_CLUSTER_H */
