#!/bin/sh
# Create the tables usrloc keeps its bindings in (version, location,
# location_attrs) and the one auth_db authenticates devices against
# (subscriber, WITH_AUTH) from the SQL scripts of Debian's Kamailio database
# module packages, and the push module's table of held pushes (push_hold),
# unless they exist already (run it as often as you like).
#
# Usage: scripts/location-db.sh FILE | DB_URL
#   FILE or sqlite:///FILE            an SQLite file (kamailio-sqlite-modules,
#                                     sqlite3), created when missing
#   postgres://USER:PASS@HOST:PORT/DB a PostgreSQL database the user may
#                                     create tables in (kamailio-postgres-modules,
#                                     postgresql-client)
#   mysql://USER:PASS@HOST:PORT/DB    a MySQL or MariaDB database, likewise
#                                     (kamailio-mysql-modules, a mysql client)
# DB_URL is the URL the Kamailio configuration gives usrloc (db_url).
set -eu

usage()
{
	echo "usage: $0 FILE | sqlite:///FILE | postgres://USER:PASS@HOST[:PORT]/DB | mysql://USER:PASS@HOST[:PORT]/DB" >&2
	exit 2
}

[ $# -eq 1 ] && [ -n "$1" ] || usage
url=$1
share=${KAMAILIO_SQL_DIR:-/usr/share/kamailio}
# shellcheck source=scripts/db-url.sh
. "$(dirname "$0")/db-url.sh"

# sql_files DIR PACKAGE: the three scripts, or an error naming the package.
sql_files()
{
	for f in standard usrloc auth_db; do
		[ -f "$share/$1/$f-create.sql" ] ||
			{ echo "missing $share/$1/$f-create.sql (package $2)" >&2; exit 1; }
	done
	std="$share/$1/standard-create.sql"
	ul="$share/$1/usrloc-create.sql"
	auth="$share/$1/auth_db-create.sql"
}

need()
{
	command -v "$1" >/dev/null 2>&1 ||
		{ echo "$0: no $1 on the PATH (package $2)" >&2; exit 1; }
}

split_url()
{
	db_url_split "$url" || usage
}

# The held pushes (push_hold() and the PAP front end): one row per push.
# $1: the id column's type, $2: the type of the body (bytes), $3: text.
hold_table_sql()
{
	cat <<EOF
CREATE TABLE push_hold (
    id $1,
    aor VARCHAR(255) NOT NULL,
    callid VARCHAR(255) NOT NULL,
    app VARCHAR(128) NOT NULL DEFAULT '',
    from_uri VARCHAR(1024) NOT NULL,
    to_uri VARCHAR(1024) NOT NULL,
    headers $3 NOT NULL,
    body $2,
    held_at BIGINT NOT NULL,
    not_before BIGINT NOT NULL DEFAULT 0,
    expires BIGINT NOT NULL,
    claimed_by VARCHAR(64) NOT NULL DEFAULT '',
    claimed_until BIGINT NOT NULL DEFAULT 0,
    pap_initiator VARCHAR(64) NOT NULL DEFAULT '',
    pap_push_id VARCHAR(255) NOT NULL DEFAULT '',
    pap_address VARCHAR(255) NOT NULL DEFAULT '',
    pap_notify VARCHAR(1024) NOT NULL DEFAULT '',
    pap_version INTEGER NOT NULL DEFAULT 0,
    pap_received BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX push_hold_pap_idx ON push_hold (pap_initiator, pap_push_id);
CREATE INDEX push_hold_aor_idx ON push_hold (aor);
CREATE INDEX push_hold_expires_idx ON push_hold (expires);
EOF
}

sqlite_hold_sql()
{
	hold_table_sql "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL" BLOB TEXT
}

sqlite_db()
{
	db=$1
	need sqlite3 sqlite3
	if [ ! -s "$db" ]; then
		sql_files db_sqlite kamailio-sqlite-modules
		mkdir -p "$(dirname "$db")"
		rm -f "$db.tmp"
		# write-ahead logging: a process reading the held pushes does not
		# lock out one that writes (SQLite's Kamailio module does not wait
		# for a lock, it fails)
		{ echo "PRAGMA journal_mode=WAL;"; cat "$std" "$ul" "$auth"; sqlite_hold_sql; } |
			sqlite3 "$db.tmp" >/dev/null
		mv "$db.tmp" "$db"
		return
	fi
	# a database made before a table was added here gets it
	sqlite_has()
	{
		[ -n "$(sqlite3 -cmd '.timeout 5000' "$db" \
			"SELECT name FROM sqlite_master WHERE name = '$1'")" ]
	}
	sqlite_has push_hold || sqlite_hold_sql | sqlite3 -cmd '.timeout 5000' "$db"
	sqlite_has subscriber || {
		sql_files db_sqlite kamailio-sqlite-modules
		{ echo 'BEGIN;'; cat "$auth"; echo 'COMMIT;'; } |
			sqlite3 -bail -cmd '.timeout 5000' "$db"
	}
}

# PostgreSQL: each script in one transaction, skipped when its first table
# is there already.
postgres_db()
{
	sql_files postgres kamailio-postgres-modules
	need psql postgresql-client
	split_url
	db_url_pg_env
	pg_has()
	{
		[ "$(psql -X -A -t -q -c "select to_regclass('$1') is not null")" = t ]
	}
	pg_run()
	{
		psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$1" >/dev/null
	}
	pg_has version || pg_run "$std"
	pg_has location || pg_run "$ul"
	pg_has location_attrs ||
		{ echo "$url: table location exists, location_attrs does not" >&2; exit 1; }
	pg_has push_hold || hold_table_sql "SERIAL PRIMARY KEY NOT NULL" BYTEA TEXT |
		psql -X -q -v ON_ERROR_STOP=1 --single-transaction >/dev/null
	pg_has subscriber || pg_run "$auth"
}

mysql_db()
{
	sql_files mysql kamailio-mysql-modules
	need mysql "default-mysql-client or mariadb-client"
	split_url
	my_has()
	{
		[ -n "$(db_url_mysql -e "SHOW TABLES LIKE '$1'")" ]
	}
	my_has version || db_url_mysql <"$std"
	my_has location || db_url_mysql <"$ul"
	my_has location_attrs ||
		{ echo "$url: table location exists, location_attrs does not" >&2; exit 1; }
	my_has push_hold || hold_table_sql "INT AUTO_INCREMENT PRIMARY KEY NOT NULL" \
		MEDIUMBLOB TEXT | db_url_mysql
	my_has subscriber || db_url_mysql <"$auth"
}

db_url_kind "$url" ||
	{ echo "$0: unsupported database URL scheme in $url" >&2; exit 2; }
case "$db_kind" in
sqlite) sqlite_db "$db_file" ;;
postgres) postgres_db ;;
mysql) mysql_db ;;
esac
