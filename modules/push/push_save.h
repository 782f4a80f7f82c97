/*
 * push module - REGISTER: save bindings with their feature sets
 */

#ifndef PUSH_SAVE_H
#define PUSH_SAVE_H

#include "core/parser/msg_parser.h"
#include "core/str.h"
#include "modules/registrar/api.h"
#include "modules/sl/sl.h"
#include "modules/usrloc/usrloc.h"

extern registrar_api_t push_regapi;
extern sl_api_t push_slb;

/*
 * registrar's save() (same flags, reply and return codes), storing each
 * Contact's feature set with its binding. A Contact with malformed feature
 * parameters is answered 400 (unless flags has registrar's no-reply bit)
 * and nothing of the REGISTER is saved: returns -1. After a save, the
 * pushes held for the AOR (usrloc table d) that a new binding matches are
 * sent to it.
 */
int push_save(sip_msg_t *msg, str *table, udomain_t *d, int flags);

/* usrloc callback (UL_CONTACT_INSERT, UL_CONTACT_UPDATE): a binding was
 * stored. It keeps only its own feature set; during push_save() the
 * request's xavp moves on to the next Contact. */
void push_save_stored(ucontact_t *c, int type, void *param);

#endif /* PUSH_SAVE_H */
