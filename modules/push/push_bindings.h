/*
 * push module - the bindings of an AOR, copied out of usrloc
 */

#ifndef PUSH_BINDINGS_H
#define PUSH_BINDINGS_H

#include "core/parser/parse_uri.h"
#include "core/str.h"
#include "modules/usrloc/usrloc.h"

#include "cpref.h"

extern usrloc_api_t push_ul;
/* registrar's parameter of the same name, when registrar is loaded */
extern int *push_reg_case_sensitive;

/* A binding copied out of usrloc. */
typedef struct push_binding
{
	str c;
	str received;
	str path;
	str instance;
	str ruid;
	str ua;
	str fset;
	qvalue_t q;
	unsigned int cflags;
	unsigned int reg_id;
	int tcpconn_id;
	time_t last_modified;
	time_t expires; /* 0: permanent */
	struct socket_info *sock;
	sr_xavp_t *attrs; /* shm clone of its usrloc attributes */
} push_binding_t;

/* Everything one lookup needs, in one pkg block. */
typedef struct push_bindings
{
	int n;
	push_binding_t *b;
	cp_target_t *targets;
	cp_result_t *results;
	size_t *order;
	int *target_of; /* binding index of each target */
	char *strings;
} push_bindings_t;

/* The AOR of a URI as registrar's save() stores it (user, plus "@domain"
 * when usrloc uses domains); buf holds it. 0 or -1. */
int push_uri_aor(str *uri, char *buf, int size, str *aor, sip_uri_t *puri);

/* Letter case of an AOR given as text ("user[@domain]"), as registrar
 * stores it. */
void push_aor_case(str *aor);

/* Copy the valid bindings of aor (only those of instance gr when given)
 * into set, holding usrloc's lock only for in-memory work. Returns the
 * number of bindings (set->n), or -1. */
int push_bindings_read(udomain_t *d, str *aor, str *gr, push_bindings_t *set);

/* One engine target per device: a binding superseded by a more recently
 * refreshed one with the same +sip.instance (RFC 5626 flows of one device)
 * is left out. Fills set->targets and set->target_of; returns their
 * number. */
int push_bindings_targets(push_bindings_t *set);

void push_bindings_free(push_bindings_t *set);

#endif /* PUSH_BINDINGS_H */
