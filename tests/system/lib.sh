# System-test helpers: a real kamailio and real sipp on 127.0.0.1.
#
# Sourced by tests/system/run.sh. Every process a test starts is recorded by
# PID and stopped by that PID; every wait is bounded. A test is a shell
# function named test_*; it fails by calling fail (or by any assertion).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/scripts/wait-for.sh"
SCEN="$ROOT/sipp-scenarios"
WORK_BASE="$ROOT/build/test-work"
KAM_BIN=${KAM_BIN:-kamailio}
# KAM_MODULES, when set, is the module directory of KAM_BIN: kamailio then
# searches modules/push and it (-L) instead of the configuration's mpath.
# KAMCMD is the kamcmd the tests query kamailio with.
KAM_MODULES=${KAM_MODULES:-}
KAMCMD=${KAMCMD:-kamcmd}
KAM_PATH_ARGS=()
[ -z "$KAM_MODULES" ] || KAM_PATH_ARGS=(-L "$ROOT/modules/push:$KAM_MODULES")
# The directory kamailio runs in (-w, and the base of the configuration's
# relative mpath), and the script that creates the tables of its database.
# tests/deb/run.sh points them away from the checkout, so that the proxy
# loads the installed push.so and the installed script makes its database.
KAM_RUN_DIR=$ROOT
KAM_DB_SCRIPT="$ROOT/scripts/location-db.sh"

# Extra kamailio arguments of every start in a test: -A WITH_LUA runs the
# proxy's routing from cfg/push-proxy.lua (KEMI) instead of the native one.
KAM_FLAVOUR_ARGS=()

# Per-test state, reset by test_begin.
T_NAME=
T_WORK=
T_PIDS=
KAM_PID=
KAM_PORT=
KAM_CTL=
KAM_LOG=
# Functions test_cleanup calls first, e.g. to stop kamailio processes a
# test started besides KAM_PID (reset by test_begin).
T_CLEANUP=
# KAM_NAME names the control socket and log of the next kam_start
# ($T_CTL/$KAM_NAME.ctl, $T_WORK/$KAM_NAME.log); KAM_DB_URL, when set, is the database of
# the next kam_start instead of an SQLite file of the test's own.
KAM_NAME=kamailio
KAM_DB_URL=

# Ports handed out in this run, so parallel processes never collide: from
# PORT_BASE (default 23000) up to 6000 ports, so that runs given bases
# 6000 apart do not share a port.
PORT_NEXT=${PORT_BASE:-23000}
PORT_END=$((PORT_NEXT + 6000))
[ "$PORT_END" -le 65536 ] || PORT_END=65536

test_begin()
{
	T_NAME=$1
	T_WORK="$WORK_BASE/$T_NAME"
	rm -rf "$T_WORK"
	mkdir -p "$T_WORK"
	T_PIDS=
	T_CLEANUP=
	KAM_PID=
	KAM_NAME=kamailio
	KAM_DB_URL=
	# the control sockets: a unix socket path holds at most 104 bytes,
	# which the test's directory under a deep checkout and a long test
	# name can pass
	T_CTL=$(mktemp -d "${TMPDIR:-/tmp}/push-ctl.XXXXXX")
}

fail()
{
	echo "    FAIL: $*" >&2
	return 1
}

# free_port: set FREE_PORT to a loopback port free for both UDP and TCP,
# never 5060, and not handed out before in this run. (No subshell: the
# counter must advance.) Free means no socket of any state has it: a
# PORT_BASE inside the ephemeral range (ip_local_port_range) meets ports
# that other processes' connections took, and kamailio cannot listen on
# those.
free_port()
{
	while [ "$PORT_NEXT" -lt "$PORT_END" ]; do
		FREE_PORT=$PORT_NEXT
		PORT_NEXT=$((PORT_NEXT + 1))
		[ -z "$(ss -Hanut "( sport = :$FREE_PORT )" 2>/dev/null)" ] && return 0
	done
	echo "no free port" >&2
	return 1
}


port_listening()
{
	[ -n "$(ss -Hlnu "( sport = :$1 )" 2>/dev/null)" ] &&
		[ -n "$(ss -Hlnt "( sport = :$1 )" 2>/dev/null)" ]
}

# kam_start CFG [-A NAME=value ...]: start kamailio in the foreground mode
# (-DD) in the background, on a free port with its own control socket and
# database (KAM_DB_URL, else an SQLite file), logging to
# $T_WORK/$KAM_NAME.log.
kam_start()
{
	KAM_CFG=$1
	shift
	KAM_ARGS=("$@")
	free_port || return 1
	KAM_PORT=$FREE_PORT
	KAM_CTL="$T_CTL/$KAM_NAME.ctl"
	KAM_LOG="$T_WORK/$KAM_NAME.log"
	KAM_DB="$T_WORK/location.db"
	"$KAM_DB_SCRIPT" "${KAM_DB_URL:-$KAM_DB}" || return 1
	kam_start_again
	wait_for 150 test -S "$KAM_CTL"
}

# Stop kamailio and wait (bounded) for all of its processes to end.
kam_stop()
{
	[ -n "$KAM_PID" ] || return 0
	local kids p
	kids=$(child_pids "$KAM_PID")
	kill -TERM "$KAM_PID" 2>/dev/null
	wait_for 100 pid_gone "$KAM_PID" || kill -KILL "$KAM_PID" 2>/dev/null
	wait "$KAM_PID" 2>/dev/null
	# From 5.8 on, a child can deadlock in its SIGTERM handler (on the cfg
	# lock it was holding when the signal came) and outlive the main
	# process, keeping the port: stop such a child of this start, by PID.
	for p in $kids; do
		wait_for 30 pid_gone "$p" && continue
		grep -qF -- "$KAM_CTL" "/proc/$p/cmdline" 2>/dev/null || continue
		echo "    note: kamailio process $p hung at shutdown; killed" >&2
		kill -KILL "$p" 2>/dev/null
	done
	KAM_PID=
	wait_for 50 port_free "$KAM_PORT"
}

# The PIDs of the processes whose parent is $1.
child_pids()
{
	local parent=$1 f line state ppid
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		read -r state ppid _ <<<"${line##*) }"
		[ "$ppid" = "$parent" ] && [ "$state" != Z ] && echo "${f//[!0-9]/}"
	done
	return 0
}

pid_gone()
{
	! kill -0 "$1" 2>/dev/null
}

port_free()
{
	! port_listening "$1"
}

# kamcmd against the running kamailio.
kam_rpc()
{
	timeout 10 "$KAMCMD" -s "unix:$KAM_CTL" "$@"
}

# sipp_run NAME SCENARIO [sipp args...]: run a sipp client from address
# SIPP_SRC (default 127.0.0.1) to completion (bounded), traces under
# $T_WORK/NAME.*; returns sipp's exit code.
sipp_run()
{
	name=$1
	scen=$2
	shift 2
	free_port || return 1
	port=$FREE_PORT
	(cd "$T_WORK" && timeout 30 sipp -sf "$SCEN/$scen" -m 1 -nostdin \
		-i "${SIPP_SRC:-127.0.0.1}" -p "$port" -timeout 20s -timeout_error \
		-trace_msg -message_file "$name.msg" \
		-trace_logs -log_file "$name.log" \
		-trace_err -error_file "$name.err" \
		"$@" "127.0.0.1:$KAM_PORT" >"$name.out" 2>&1)
}

# sipp_device NAME PORT [sipp args...]: start a device UAS on PORT in the
# background; sets DEV_PID. Add -m N to let it end after N MESSAGEs; the
# scenario is DEV_SCENARIO (default device.xml, answering 200).
sipp_device()
{
	name=$1
	port=$2
	shift 2
	(cd "$T_WORK" && exec timeout 40 sipp -sf "$SCEN/${DEV_SCENARIO:-device.xml}" -nostdin \
		-i 127.0.0.1 -p "$port" -timeout 30s \
		-trace_msg -message_file "$name.msg" \
		-trace_err -error_file "$name.err" \
		"$@" >"$name.out" 2>&1) &
	DEV_PID=$!
	T_PIDS="$T_PIDS $DEV_PID"
	wait_for 50 udp_listening "$port"
}

udp_listening()
{
	[ -n "$(ss -Hlnu "( sport = :$1 )" 2>/dev/null)" ]
}

# wait_exit PID TENTHS: wait for a background process to end; its exit code
# (124 when it had to be stopped).
wait_exit()
{
	if ! wait_for "$2" pid_gone "$1"; then
		kill -TERM "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		return 124
	fi
	wait "$1"
}

# Register one binding. register AOR_USER CONTACT [EXPIRES]
register()
{
	sipp_run "reg-$1-$$-$(date +%s%N)" register.xml -key user "$1" \
		-key domain push.example.net \
		-key contact "$2" -key expires "${3:-600}" ||
		fail "REGISTER of $1 with Contact $2 was not answered 200"
}

# send_push NAME TO CTYPE [HEADER-LINES]: send one MESSAGE to TO (a user of
# push.example.net, or a whole URI); sets FINAL to the final response code.
send_push()
{
	local to
	case "$2" in
	*:*) to=$2 ;;
	*) to="sip:$2@push.example.net" ;;
	esac
	sipp_run "$1" send-message.xml -key to "$to" -key ctype "$3" \
		-key headers "${4:-X-Test: $1}"
	FINAL=$(sed -n 's/.*final=\([0-9]*\).*/\1/p' "$T_WORK/$1.log" 2>/dev/null |
		tail -n 1)
}

# Count the MESSAGE requests a device received.
received_count()
{
	grep -c '^MESSAGE sip:' "$T_WORK/$1.msg" 2>/dev/null || true
}

# The request line and headers of the first MESSAGE a device received.
received_message()
{
	awk '/^MESSAGE sip:/ { on = 1 } on && /^\r?$/ { exit } on { print }' \
		"$T_WORK/$1.msg"
}

assert_eq()
{
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# assert_grep FILE REGEX WHAT / assert_no_grep FILE REGEX WHAT
assert_grep()
{
	grep -Eq -- "$2" "$1" 2>/dev/null || fail "$3 (no /$2/ in $(basename "$1"))"
}

assert_no_grep()
{
	! grep -Eq -- "$2" "$1" 2>/dev/null || fail "$3 (/$2/ found in $(basename "$1"))"
}

# Stop everything the current test started, by PID.
test_cleanup()
{
	local fn
	for fn in $T_CLEANUP; do
		"$fn"
	done
	kam_stop
	for p in $T_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $T_PIDS; do
		wait_for 30 pid_gone "$p" || kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	T_PIDS=
	stop_strays
	[ -z "${T_CTL:-}" ] || rm -rf "$T_CTL"
}

# Stop what still runs in the test's directory: a sipp that a stopped
# background job started (send_push_bg) would go on retransmitting its
# request to the next test's proxy, which listens on the same port.
stop_strays()
{
	local f p dir
	[ -n "$T_WORK" ] || return 0
	dir=$(cd "$T_WORK" 2>/dev/null && pwd -P) || return 0
	for f in /proc/[0-9]*/cwd; do
		[ "$(readlink "$f" 2>/dev/null)" = "$dir" ] || continue
		p=${f#/proc/}
		p=${p%/cwd}
		kill -TERM "$p" 2>/dev/null
	done
	return 0
}

# ---- devices: one SIPp UAS per registered binding ----

declare -A DEV_PORT

# device NAME AOR PARAMS [SCENARIO]: start a device answering MESSAGEs
# (device.xml: 200, device-480.xml: 480) and register its binding
# <sip:AOR@127.0.0.1:port>PARAMS under AOR.
device()
{
	local port
	free_port || return 1
	port=$FREE_PORT
	DEV_SCENARIO=${4:-device.xml} sipp_device "$1" "$port" || return 1
	DEV_PORT[$1]=$port
	register "$2" "<sip:$2@127.0.0.1:$port>$3"
}

# Time of the first MESSAGE a device received ("" if none).
first_receipt()
{
	awk '/^-+ [0-9]/ { ts = $2 " " $3 } /^MESSAGE sip:/ { print ts; exit }' \
		"$T_WORK/$1.msg" 2>/dev/null
}

# wait_devices N GOT PAUSE NAME...: wait (bounded, 6 s) until "GOT NAME"
# holds for N of the devices, then PAUSE seconds for any that should not
# get a MESSAGE.
wait_devices()
{
	local want=$1 got_fn=$2 pause=$3 got name tries=60
	shift 3
	while [ $tries -gt 0 ]; do
		got=0
		for name in "$@"; do
			"$got_fn" "$name" && got=$((got + 1))
		done
		[ "$got" -ge "$want" ] && break
		sleep 0.1
		tries=$((tries - 1))
	done
	sleep "$pause"
}

# count_files DIR PATTERN: how many files in DIR match the glob PATTERN.
count_files()
{
	local n=0 f
	for f in "$1"/$2; do
		[ -e "$f" ] && n=$((n + 1))
	done
	echo "$n"
}

# The number of MESSAGEs a rawdevice.py device NAME got.
raw_count()
{
	count_files "$T_WORK/$1.dev" 'msg-*.sip'
}

got_message()
{
	[ -n "$(first_receipt "$1")" ]
}

# wait_deliveries N NAME...: wait (bounded) until N of the SIPp devices got
# a MESSAGE, then a moment for any that should not get one.
wait_deliveries()
{
	wait_devices "$1" got_message 0.3 "${@:2}"
}

# The devices among NAME... that received a MESSAGE, in order of arrival.
delivered_order()
{
	local name ts
	for name in "$@"; do
		ts=$(first_receipt "$name")
		[ -n "$ts" ] && echo "$ts $name"
	done | sort | awk '{ printf "%s%s", sep, $3; sep = " " } END { print "" }'
}

# send_push_bg NAME TO CTYPE [HEADER-LINES]: send_push in the background.
send_push_bg()
{
	send_push "$@" &
	T_PIDS="$T_PIDS $!"
}

# Start kamailio again on the same port, control socket and database.
kam_start_again()
{
	(cd "$KAM_RUN_DIR" && exec "$KAM_BIN" -DD -E -w "$KAM_RUN_DIR" -f "$KAM_CFG" -m 64 -M 8 \
		"${KAM_PATH_ARGS[@]}" \
		-A "LISTEN_PORT=$KAM_PORT" -A "CTL_SOCKET=\"unix:$KAM_CTL\"" \
		-A "DB_URL=\"${KAM_DB_URL:-sqlite:///$KAM_DB}\"" \
		-A "LOG_LEVEL=${KAM_LOG_LEVEL:-2}" "${KAM_ARGS[@]}" \
		"${KAM_FLAVOUR_ARGS[@]}" \
		>>"${KAM_LOG:-$T_WORK/kamailio.log}" 2>&1) &
	KAM_PID=$!
	T_PIDS="$T_PIDS $KAM_PID"
	# generous: a proxy that connects to PostgreSQL from every process
	# starts slowly on a loaded machine
	wait_for 300 port_listening "$KAM_PORT" ||
		fail "kamailio did not listen again on port $KAM_PORT"
}
