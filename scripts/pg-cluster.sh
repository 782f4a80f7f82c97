#!/bin/bash
# A private PostgreSQL server for the system tests: its own data directory,
# listening on 127.0.0.1 only, on a port of the caller's, with its unix
# socket in a directory of its own; a role and a database "kamailio" (with a
# password) holding usrloc's tables (scripts/location-db.sh).
#
#   scripts/pg-cluster.sh start DIR PORT   start a server with its data in
#                                          DIR/data; print its Kamailio
#                                          db_url (also in DIR/db_url)
#   scripts/pg-cluster.sh stop DIR         stop it (by the PID in
#                                          postmaster.pid), bounded
#
# initdb runs once: the first start builds a template cluster under
# build/pg-template/ (PG_TEMPLATE_DIR), and every start copies it, so a
# server is up in about a second. The template is rebuilt when PostgreSQL,
# the SQL scripts or this script change. PostgreSQL refuses to run as root:
# started by root, the server runs as the postgres system user (PG_USER),
# which then needs to reach DIR (execute permission on every directory
# above it). The server binaries are those of the newest PostgreSQL under
# /usr/lib/postgresql (PG_BIN overrides). Durability is switched off
# (fsync, synchronous_commit): this is a server for tests only.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/wait-for.sh"

TEMPLATE_BASE=${PG_TEMPLATE_DIR:-$ROOT/build/pg-template}
PG_USER=${PG_USER:-postgres}
DB_NAME=kamailio
DB_ROLE=kamailio

die()
{
	echo "pg-cluster.sh: $*" >&2
	exit 1
}

pg_bin()
{
	if [ -n "${PG_BIN:-}" ]; then
		echo "$PG_BIN"
		return
	fi
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1)
	[ -n "$d" ] && [ -x "$d/postgres" ] ||
		die "no PostgreSQL server under /usr/lib/postgresql (package postgresql), or set PG_BIN"
	echo "$d"
}

# Run a command as the server's user: PG_USER when we are root.
as_pg()
{
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_USER" -- "$@"
	else
		"$@"
	fi
}

# Give DIR to the server's user (when we are root), and make sure that user
# can reach it.
own_dir()
{
	mkdir -p "$1"
	if [ "$(id -u)" -eq 0 ]; then
		id -u "$PG_USER" >/dev/null 2>&1 ||
			die "no system user $PG_USER to run PostgreSQL as (package postgresql)"
		chown "$PG_USER:" "$1"
	fi
	chmod 700 "$1"
	as_pg test -w "$1" -a -x "$1" ||
		die "user $PG_USER cannot reach $1: every directory above it needs execute permission for it (chmod o+x)"
}

# A directory for the server's unix socket: DIR/sock, unless that path is
# too long for a socket address (about 107 bytes with the socket's name).
sock_dir()
{
	local d="$1/sock"
	if [ ${#d} -gt 80 ]; then
		d=$(mktemp -d /tmp/pgsock.XXXXXX)
	fi
	own_dir "$d"
	echo "$d"
}

# pg_start DATA PORT SOCKDIR LOG: start the server and wait (bounded) until
# it accepts connections.
pg_start()
{
	as_pg "$BIN/pg_ctl" -D "$1" -l "$4" -w -t 30 -s \
		-o "-p $2 -k $3 -c listen_addresses=127.0.0.1" start ||
		die "PostgreSQL did not start (log: $4)"
}

# The PID in DATA/postmaster.pid, if it is a running postgres.
postmaster_pid()
{
	local pid
	pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null) || return 1
	case "$pid" in '' | *[!0-9]*) return 1 ;; esac
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q postgres || return 1
	echo "$pid"
}

# Gone, or a zombie: the postmaster is not our child, and its new parent
# (init) may take a while to reap it.
pid_gone()
{
	local line
	kill -0 "$1" 2>/dev/null || return 0
	read -r line 2>/dev/null <"/proc/$1/stat" || return 0
	line=${line##*) }
	[ "${line%% *}" = Z ]
}

# pg_stop DATA: fast shutdown (SIGINT), then immediate (SIGQUIT), then
# SIGKILL, each wait bounded.
pg_stop()
{
	local pid
	pid=$(postmaster_pid "$1") || return 0
	kill -INT "$pid" 2>/dev/null || true
	wait_for 100 pid_gone "$pid" && return 0
	kill -QUIT "$pid" 2>/dev/null || true
	wait_for 50 pid_gone "$pid" && return 0
	echo "pg-cluster.sh: PostgreSQL $pid did not stop; killed" >&2
	kill -KILL "$pid" 2>/dev/null || true
	wait_for 50 pid_gone "$pid"
}

# What the template is made of: a rebuild when any of it changes.
template_stamp()
{
	{
		"$BIN/postgres" --version
		cat "$0" /usr/share/kamailio/postgres/standard-create.sql \
			/usr/share/kamailio/postgres/usrloc-create.sql \
			/usr/share/kamailio/postgres/auth_db-create.sql \
			"$ROOT/scripts/location-db.sh" 2>/dev/null
	} | md5sum | cut -d' ' -f1
}

# ensure_template PORT: build the template cluster unless it is current;
# its server runs on PORT while the tables are created.
ensure_template()
{
	local port=$1 stamp tmp sock pw
	stamp=$(template_stamp)
	TEMPLATE="$TEMPLATE_BASE/$stamp"
	[ -f "$TEMPLATE/ready" ] && return 0
	mkdir -p "$TEMPLATE_BASE"
	exec 9>"$TEMPLATE_BASE/lock"
	flock -w 120 9 || die "waited 120 s for another build of $TEMPLATE"
	if [ -f "$TEMPLATE/ready" ]; then
		exec 9>&-
		return 0
	fi
	# older templates go
	rm -rf "${TEMPLATE_BASE:?}"/*/
	tmp="$TEMPLATE_BASE/new.$$"
	own_dir "$tmp"
	pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	as_pg "$BIN/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 \
		--no-locale --no-sync >"$tmp/initdb.log" 2>&1 ||
		die "initdb failed: $(tail -n 5 "$tmp/initdb.log")"
	# the superuser through the socket only, the kamailio role by password
	# over TCP from 127.0.0.1
	cat >"$tmp/data/pg_hba.conf" <<-EOF
		local all postgres trust
		host $DB_NAME $DB_ROLE 127.0.0.1/32 scram-sha-256
	EOF
	cat >>"$tmp/data/postgresql.conf" <<-EOF

		# pg-cluster.sh: a private server for tests
		listen_addresses = '127.0.0.1'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		shared_buffers = 16MB
		max_connections = 100
		log_line_prefix = '%m [%p] %q%u@%d '
	EOF
	sock=$(sock_dir "$tmp")
	pg_start "$tmp/data" "$port" "$sock" "$tmp/template.log"
	if ! as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" \
		-U postgres -d postgres >/dev/null 2>"$tmp/psql.err" <<-EOF
			CREATE ROLE $DB_ROLE LOGIN PASSWORD '$pw';
			CREATE DATABASE $DB_NAME OWNER $DB_ROLE;
		EOF
	then
		pg_stop "$tmp/data"
		die "creating role and database failed: $(cat "$tmp/psql.err")"
	fi
	if ! "$ROOT/scripts/location-db.sh" \
		"postgres://$DB_ROLE:$pw@127.0.0.1:$port/$DB_NAME"; then
		pg_stop "$tmp/data"
		die "creating the usrloc tables failed"
	fi
	pg_stop "$tmp/data"
	case "$sock" in "$tmp"/*) ;; *) rm -rf "$sock" ;; esac
	echo "$pw" >"$tmp/password"
	rm -rf "$TEMPLATE"
	mv "$tmp" "$TEMPLATE"
	touch "$TEMPLATE/ready"
	exec 9>&-
}

cmd_start()
{
	local dir=$1 port=$2 sock pw url
	case "$port" in '' | *[!0-9]*) die "bad port '$port'" ;; esac
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ ! -e "$dir/data" ] || cmd_stop "$dir"
	ensure_template "$port"
	rm -rf "$dir/data"
	own_dir "$dir"
	cp -a "$TEMPLATE/data" "$dir/data"
	sock=$(sock_dir "$dir")
	echo "$sock" >"$dir/sockdir"
	pg_start "$dir/data" "$port" "$sock" "$dir/postgres.log"
	pw=$(cat "$TEMPLATE/password")
	url="postgres://$DB_ROLE:$pw@127.0.0.1:$port/$DB_NAME"
	echo "$url" >"$dir/db_url"
	echo "$url"
}

cmd_stop()
{
	local dir=$1 sock rc=0
	[ -d "$dir/data" ] || return 0
	pg_stop "$dir/data" || rc=1
	sock=$(cat "$dir/sockdir" 2>/dev/null) || sock=
	case "$sock" in /tmp/pgsock.*) rm -rf "$sock" ;; esac
	return $rc
}

BIN=$(pg_bin)
case "${1:-} $#" in
"start 3") cmd_start "$2" "$3" ;;
"stop 2") cmd_stop "$2" ;;
*)
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac
