# shellcheck shell=sh
# Sourced by scripts/location-db.sh and scripts/push-user.sh.
#
# db_url_kind URL: set db_kind to sqlite (db_file: the file; a bare path is
# one too), postgres or mysql; 1 for another scheme.
# shellcheck disable=SC2034 # db_kind, db_file: for the sourcing script
db_url_kind()
{
	case "$1" in
	sqlite://*) db_kind=sqlite db_file=${1#sqlite://} ;;
	postgres://* | postgresql://*) db_kind=postgres ;;
	mysql://*) db_kind=mysql ;;
	*://*) return 1 ;;
	*) db_kind=sqlite db_file=$1 ;;
	esac
}

# db_url_split URL: split a Kamailio db_url, SCHEME://USER:PASS@HOST:PORT/DB,
# into db_user, db_pass, db_host, db_port (empty: the default) and db_name,
# as Kamailio's db URL parser reads it (no percent-decoding; the last @ ends
# the user part; an IPv6 host in brackets). 1 when URL has no host or no
# database name.
db_url_split()
{
	_rest=${1#*://}
	db_name=${_rest##*/}
	_rest=${_rest%/*}
	[ -n "$db_name" ] && [ "$_rest" != "${1#*://}" ] || return 1
	case "$_rest" in
	*@*) _cred=${_rest%@*} _hostport=${_rest##*@} ;;
	*) _cred='' _hostport=$_rest ;;
	esac
	case "$_cred" in
	*:*) db_user=${_cred%%:*} db_pass=${_cred#*:} ;;
	*) db_user=$_cred db_pass='' ;;
	esac
	case "$_hostport" in
	\[*\]:*) db_host=${_hostport%:*} db_port=${_hostport##*:} ;;
	\[*) db_host=$_hostport db_port= ;;
	*:*) db_host=${_hostport%:*} db_port=${_hostport##*:} ;;
	*) db_host=$_hostport db_port= ;;
	esac
	db_host=${db_host#[}
	db_host=${db_host%]}
	[ -n "$db_host" ]
}

# db_url_pg_env: export the libpq variables (PGUSER, ...) of the URL
# db_url_split read, so that psql connects where Kamailio does.
db_url_pg_env()
{
	export PGUSER="$db_user" PGPASSWORD="$db_pass" PGHOST="$db_host" \
		PGDATABASE="$db_name" PGCONNECT_TIMEOUT=10
	[ -z "$db_port" ] || export PGPORT="$db_port"
}

# db_url_mysql [ARG...]: the mysql client, in batch mode, on the database of
# the URL db_url_split read.
db_url_mysql()
{
	MYSQL_PWD="$db_pass" mysql --batch --skip-column-names --connect-timeout=10 \
		-h "$db_host" -u "$db_user" ${db_port:+-P "$db_port"} "$db_name" "$@"
}
