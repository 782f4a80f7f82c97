/*
 * push module - removal of the attribute rows whose binding is gone
 *
 * One run takes, per table, the next sweep_rows attribute rows after a
 * cursor (their ids, by the primary key) and deletes those among them
 * without a location row of the same ruid: the work of a run is bounded
 * whatever the size of the table, and the whole table is covered once
 * every size / sweep_rows runs. The SQL is the subset PostgreSQL, MySQL
 * and SQLite share (MySQL needs the derived table to use LIMIT in a
 * subquery).
 *
 * usrloc writes a binding's location row before its attribute rows and
 * deletes the attribute rows before the location row, so a row the sweep
 * sees without its binding has lost it for good.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/sr_module.h"
#include "core/timer_proc.h"
#include "core/ut.h"
#include "lib/srdb1/db.h"

#include "push_bindings.h"
#include "push_stats.h"
#include "push_sweep.h"

str push_db_url = STR_NULL;
int push_sweep_interval = 60;
int push_sweep_rows = 1000;

/* usrloc names a table's attribute table "<table>_attrs", in a 64-byte
 * buffer with its NUL. */
#define ATTRS_SUFFIX "_attrs"
#define TABLE_NAME_MAX (64 - sizeof(ATTRS_SUFFIX))
#define SQL_MAX 512

typedef struct swept_table
{
	str name;
	long long cursor; /* highest attribute id swept in this round */
} swept_table_t;

static swept_table_t *tables;
static int n_tables;
static int sweeping; /* the timer process is reserved */
static db_func_t dbf;
static db1_con_t *dbh;

int push_sql_name_ok(str *name, int max)
{
	int i;

	if(name->len <= 0 || name->len > max)
		return 0;
	for(i = 0; i < name->len; i++) {
		char c = name->s[i];
		if(!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				   || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

int push_sweep_add_table(str *name)
{
	swept_table_t *t;
	int i;

	if(!sweeping)
		return 0;
	for(i = 0; i < n_tables; i++) {
		if(tables[i].name.len == name->len
				&& memcmp(tables[i].name.s, name->s, name->len) == 0)
			return 0;
	}
	if(!push_sql_name_ok(name, (int)TABLE_NAME_MAX)) {
		LM_ERR("usrloc table name '%.*s' cannot be swept: at most %d"
			   " letters, digits or '_'\n",
				name->len, name->s, (int)TABLE_NAME_MAX);
		return -1;
	}
	t = pkg_realloc(tables, (n_tables + 1) * sizeof(*t));
	if(t == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	tables = t;
	tables[n_tables].name = *name;
	tables[n_tables].cursor = 0;
	n_tables++;
	return 0;
}

/* The integer in the single field of res; 0 when it is NULL (no row left
 * after the cursor). -1 if res is not one integer. */
static int single_int(db1_res_t *res, long long *v)
{
	db_val_t *val;
	char *end;

	if(RES_ROW_N(res) != 1 || ROW_N(RES_ROWS(res)) < 1)
		return -1;
	val = ROW_VALUES(RES_ROWS(res));
	if(VAL_NULL(val)) {
		*v = 0;
		return 0;
	}
	switch(VAL_TYPE(val)) {
		case DB1_INT:
			*v = VAL_INT(val);
			return 0;
		case DB1_BIGINT:
			*v = VAL_BIGINT(val);
			return 0;
		case DB1_STRING:
			*v = strtoll(VAL_STRING(val), &end, 10);
			return *end == '\0' ? 0 : -1;
		default:
			return -1;
	}
}

static int run_sql(str *sql, db1_res_t **res)
{
	if(dbf.raw_query(dbh, sql, res) < 0) {
		LM_ERR("sweep query failed: %.*s\n", sql->len, sql->s);
		return -1;
	}
	return 0;
}

/* The number of rows the last DELETE removed, from the driver or, for one
 * that does not tell (SQLite's), counted before by the same condition. */
static int count_orphans(str *cond, int *n)
{
	char buf[SQL_MAX];
	str sql = {buf, 0};
	db1_res_t *res = NULL;
	long long v;
	int rc;

	sql.len = snprintf(buf, sizeof(buf), "SELECT COUNT(*) %.*s", cond->len,
			cond->s);
	if(run_sql(&sql, &res) < 0)
		return -1;
	rc = single_int(res, &v);
	dbf.free_result(dbh, res);
	*n = (int)v;
	return rc;
}

/* One batch of table t. */
static void sweep_table(swept_table_t *t)
{
	char buf[SQL_MAX], cond_buf[SQL_MAX];
	str sql = {buf, 0}, cond = {cond_buf, 0};
	db1_res_t *res = NULL;
	long long hi;
	int rc, n = 0;

	sql.len = snprintf(buf, sizeof(buf),
			"SELECT MAX(id) FROM (SELECT id FROM %.*s" ATTRS_SUFFIX
			" WHERE id > %lld ORDER BY id LIMIT %d) w",
			t->name.len, t->name.s, t->cursor, push_sweep_rows);
	if(run_sql(&sql, &res) < 0)
		return;
	rc = single_int(res, &hi);
	dbf.free_result(dbh, res);
	if(rc < 0) {
		LM_ERR("unexpected result of: %.*s\n", sql.len, sql.s);
		return;
	}
	if(hi == 0) {
		/* past the last row: next round from the start */
		t->cursor = 0;
		return;
	}
	cond.len = snprintf(cond_buf, sizeof(cond_buf),
			"FROM %.*s" ATTRS_SUFFIX " WHERE id > %lld AND id <= %lld"
			" AND NOT EXISTS (SELECT 1 FROM %.*s WHERE %.*s.ruid = %.*s"
			ATTRS_SUFFIX ".ruid)",
			t->name.len, t->name.s, t->cursor, hi, t->name.len, t->name.s,
			t->name.len, t->name.s, t->name.len, t->name.s);
	if(!DB_CAPABILITY(dbf, DB_CAP_AFFECTED_ROWS)
			&& (count_orphans(&cond, &n) < 0 || n == 0)) {
		t->cursor = hi;
		return;
	}
	sql.len = snprintf(buf, sizeof(buf), "DELETE %.*s", cond.len, cond.s);
	res = NULL;
	if(run_sql(&sql, &res) < 0)
		return;
	if(res)
		dbf.free_result(dbh, res);
	t->cursor = hi;
	if(DB_CAPABILITY(dbf, DB_CAP_AFFECTED_ROWS))
		n = dbf.affected_rows(dbh);
	if(n > 0) {
		LM_INFO("removed %d attribute rows of gone bindings from %.*s"
				ATTRS_SUFFIX "\n", n, t->name.len, t->name.s);
		update_stat(push_st_attrs_swept, n);
	}
}

static void sweep_timer(unsigned int ticks, void *param)
{
	int i;

	if(dbh == NULL) {
		/* connected here, in the timer process */
		dbh = dbf.init(&push_db_url);
		if(dbh == NULL) {
			LM_ERR("cannot connect to the database to sweep attributes\n");
			return;
		}
	}
	for(i = 0; i < n_tables; i++)
		sweep_table(&tables[i]);
}

int push_sweep_init(void)
{
	if(push_db_url.len <= 0 || push_sweep_interval <= 0)
		return 0;
	if(push_ul.db_mode != DB_ONLY) {
		/* usrloc deletes a binding's attribute rows itself in db_mode 1
		 * and 2; a sweep would only contend with its writes (SQLite locks
		 * the whole database) */
		LM_INFO("usrloc's db_mode is %d, not %d: no attribute sweep\n",
				push_ul.db_mode, DB_ONLY);
		return 0;
	}
	if(push_sweep_rows <= 0) {
		LM_ERR("attrs_sweep_rows must be positive\n");
		return -1;
	}
	if(db_bind_mod(&push_db_url, &dbf) < 0) {
		LM_ERR("cannot bind the database module of db_url\n");
		return -1;
	}
	if(!DB_CAPABILITY(dbf, DB_CAP_RAW_QUERY)) {
		LM_ERR("the database module of db_url cannot run SQL: the attributes"
			   " of gone bindings are not swept\n");
		return -1;
	}
	if(register_basic_timers(1) < 0)
		return -1;
	sweeping = 1;
	return 0;
}

int push_sweep_start(void)
{
	if(!sweeping)
		return 0;
	return fork_basic_timer(PROC_TIMER, "push attrs sweep", 1, sweep_timer,
			NULL, push_sweep_interval);
}
