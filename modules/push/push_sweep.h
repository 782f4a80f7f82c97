/*
 * push module - removal of the attribute rows whose binding is gone
 *
 * usrloc deletes a binding's location_attrs rows with its location row on
 * most paths, but not all: in db_mode 3 its timer deletes expired location
 * rows by a query and leaves their attributes, and so do a REGISTER with
 * "Contact: *" and ul.rm there. Left alone, every expired binding would
 * leave its feature set in the database for good. A timer process of this
 * module walks each table's attribute rows in id order, a bounded batch per
 * run, and deletes those whose ruid no longer names a location row. It
 * runs with usrloc's db_mode 3 only: in db_mode 1 and 2 usrloc deletes the
 * rows itself on every path.
 */

#ifndef PUSH_SWEEP_H
#define PUSH_SWEEP_H

#include "core/str.h"

extern str push_db_url;
extern int push_sweep_interval;
extern int push_sweep_rows;

/* Sweep the attributes of usrloc table name too (kept, not copied). */
int push_sweep_add_table(str *name);

/* A table name goes into SQL text: 1 when it is at most max letters,
 * digits or '_', as Kamailio's own table names are. */
int push_sql_name_ok(str *name, int max);

/* mod_init: bind the database module and reserve the timer process. */
int push_sweep_init(void);

/* child_init of the main process: start the timer process. */
int push_sweep_start(void);

#endif /* PUSH_SWEEP_H */
