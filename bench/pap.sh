#!/bin/bash
# make bench-pap: the throughput and the CPU cost of the PAP front end.
#
# The example proxy, cfg/push-proxy.cfg with -A WITH_PAP, through
# bench/pap.cfg, which includes it unchanged and raises pap_max_pushes
# (a run submits more than its default of 10000); -A TRUSTED_NET makes
# 127.0.0.1 the trusted Push Sender Agent of the plain SIP pushes. Its
# bindings are in an SQLite database made by scripts/location-db.sh; the
# database, the control socket and the logs are in a work directory under
# build/, copied to the results at the end. Everything on 127.0.0.1, on
# ports from BENCH_PAP_PORT_BASE to BENCH_PAP_PORT_END only (SIPp's control
# and media ports and the initiator's local ports included); every loop and
# wait bounded; every process started here stopped by its PID (bench/lib.sh).
#
# BENCH_PAP_USERS users (default 1000) register one binding each, for
# mms.ua, on one of BENCH_PAP_DEVICES SIPp devices
# (bench/sipp/pap-device.xml: 200 to every MESSAGE, and again to its
# retransmissions for 6 s). The Push Initiator is bench/papgen.c, built
# here with cc: BENCH_PAP_CONNS persistent HTTP/1.1 connections under
# epoll, Basic auth as the configured initiator pi, one address per
# push-message, distinct push-ids, no notification URL, open loop at a
# given rate (or closed loop); it reports every answer's code, the
# latencies and its own CPU.
#
#  0. Warm-up: BENCH_PAP_WARM pushes of each kind at the CPU runs' rate
#     (shared memory touched, code paths run), then usrloc's write of the
#     new bindings to the database is awaited, and Kamailio's CPU without
#     traffic measured (5 s).
#  1. CPU per push: BENCH_PAP_CPU_PUSHES pushes at BENCH_PAP_CPU_RATE/s
#     through the PAP front end (A), then as many plain SIP pushes (B): a
#     SIPp Push Sender Agent (bench/sipp/pap-push.xml) sending the MESSAGE
#     the front end would send (a P-Asserted-Identity that is kept, the same
#     Accept-Contact, Content-Type and body text) to the same users through
#     the same proxy. A B repeated BENCH_PAP_CPU_PAIRS times. Kamailio's CPU
#     is utime + stime of all its processes (/proc), from before the first
#     push until tm has freed the last transaction (5 s after its answer),
#     divided by the pushes delivered; also the scheduler's time, split by
#     process (SIP workers, TCP workers, TCP main, timers, the rest), and
#     the shared memory a push holds until then.
#  2. Submissions per second: a rate ladder (BENCH_PAP_LADDER, each step
#     BENCH_PAP_STEP_SECS seconds, up to BENCH_PAP_TRIES tries). A step is
#     clean when every submission was answered 202 with code 1001,
#     pap_accepted and pap_delivered rose by the submissions, the devices
#     received as many MESSAGEs, Kamailio logged no warning, at most 1 %
#     were retransmitted (to the proxy: its own MESSAGEs; to a device) and
#     the achieved rate is at least 95 % of the target. The ladder stops at
#     the first step with no clean try, or when the time budget is spent.
#  3. One more A B pair, with the records of every push so far kept
#     (pap_push_id_ttl is a day); the ratio tells whether a full table
#     costs PAP pushes more (right after the ladder both kinds cost more on
#     a small machine). Shared memory per kept record.
#  4. Closed loop over BENCH_PAP_CLOSED_CONNS connections for
#     BENCH_PAP_CLOSED_SECS seconds (0: none): what the front end accepts
#     from an initiator that does not pace itself (the answer leaves
#     before the MESSAGE), and what becomes of those pushes.
#
# Kamailio gets -m 1024 by default: a PAP push holds some 30 kB of shared
# memory until tm frees its two transactions, 5 s after the answers, so
# at 2000/s some 300 MB are in use; with less, the ladder measures the
# memory (BENCH_PAP_SHM=256 stops near 1800/s with "could not allocate
# shared memory"), and the report says how far -m 64 goes.
#
# Output: a table on stdout, also in bench/results/pap-<timestamp>/
# (BENCH_PAP_OUT) report.txt; runs.csv (every run), results.csv (the
# summary figures), work/ (Kamailio's log and statistics, SIPp's and the
# initiator's output). Exit status non-zero, with the reason, when a step
# fails: Kamailio or a device does not start, the registrations or the
# warm-up are not all answered, a CPU run is not clean (its figures would
# not compare), no step of the ladder is clean. About 3.5 minutes with
# the defaults on 2 cores.
#
# Knobs (environment): BENCH_PAP_USERS, BENCH_PAP_DEVICES, BENCH_PAP_CONNS
# (32), BENCH_PAP_LADDER (rates per second, ascending), BENCH_PAP_STEP_SECS
# (4), BENCH_PAP_TRIES (2), BENCH_PAP_CPU_RATE (400), BENCH_PAP_CPU_PUSHES
# (2000), BENCH_PAP_CPU_PAIRS (3), BENCH_PAP_WARM, BENCH_PAP_CLOSED_CONNS,
# BENCH_PAP_CLOSED_SECS (3), BENCH_PAP_LOG_LEVEL (Kamailio's debug level,
# default 1, notices: the INFO lines the front end and the example's
# event_route[push:delivery] write for every push are left out),
# BENCH_PAP_MAX_PUSHES (pap_max_pushes, 1000000), BENCH_PAP_SHM (1024),
# BENCH_PAP_PKG (8; Kamailio's -m and -M), BENCH_PAP_KAM_ARGS (more
# kamailio options, e.g. "-x tlsf"), BENCH_PAP_BUDGET (seconds, default
# 300: the ladder stops early past it), BENCH_PAP_PORT_BASE and
# BENCH_PAP_PORT_END (56000 and 59999), BENCH_PAP_OUT.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
. "$ROOT/scripts/wait-for.sh"
. "$BENCH/lib.sh"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${BENCH_PAP_OUT:-$BENCH/results/pap-$STAMP}
# the work directory: the database, the control socket and the logs, under
# build/ (a unix socket's path must stay short); copied to $OUT/work at
# the end
W=$ROOT/build/bench-pap-$STAMP-$$

USERS=${BENCH_PAP_USERS:-1000}
NDEV=${BENCH_PAP_DEVICES:-2}
CONNS=${BENCH_PAP_CONNS:-32}
LADDER=${BENCH_PAP_LADDER:-400 800 1200 1600 2000 2400 2800 3200 3600 4000 4500 5000}
STEP_SECS=${BENCH_PAP_STEP_SECS:-4}
TRIES=${BENCH_PAP_TRIES:-2}
CPU_RATE=${BENCH_PAP_CPU_RATE:-400}
CPU_PUSHES=${BENCH_PAP_CPU_PUSHES:-2000}
CPU_PAIRS=${BENCH_PAP_CPU_PAIRS:-3}
WARM=${BENCH_PAP_WARM:-$CPU_PUSHES}
CL_CONNS=${BENCH_PAP_CLOSED_CONNS:-$CONNS}
CL_SECS=${BENCH_PAP_CLOSED_SECS:-3}
LOG_LEVEL=${BENCH_PAP_LOG_LEVEL:-1}
MAX_PUSHES=${BENCH_PAP_MAX_PUSHES:-1000000}
SHM=${BENCH_PAP_SHM:-1024}
PKG=${BENCH_PAP_PKG:-8}
# more kamailio options, e.g. "-x tlsf" (the allocator)
KAM_ARGS=${BENCH_PAP_KAM_ARGS:-}
BUDGET=${BENCH_PAP_BUDGET:-300}
PORT_BASE=${BENCH_PAP_PORT_BASE:-56000}
PORT_END=${BENCH_PAP_PORT_END:-59999}
PORT_NEXT=$PORT_BASE
PI_CRED=pi:secret

START=$(date +%s)
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)

elapsed() { echo $(($(date +%s) - START)); }
time_left() { echo $((BUDGET - $(elapsed))); }

# ---- setup and teardown -------------------------------------------------------------

mkdir -p "$W" "$OUT" || { echo "cannot create $W or $OUT" >&2; exit 1; }
PIDS_FILE=$W/pids
: >"$PIDS_FILE"
RUNS=$OUT/runs.csv

# every process stopped, the work directory's logs kept with the results
pap_cleanup()
{
	local f
	cleanup
	mkdir -p "$OUT/work"
	for f in "$W"/*.log "$W"/*.out "$W"/*.stat.csv "$W"/*.txt "$W"/*.gen; do
		[ -f "$f" ] && cp "$f" "$OUT/work/"
	done
	rm -rf "$W"
}
trap pap_cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- ports ---------------------------------------------------------------------------

# port_used PORT: a socket has that local port (from /proc/net)
port_used()
{
	awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { f = 1 }
		END { exit !f }' /proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

udp_listening()
{
	awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { f = 1 }
		END { exit !f }' /proc/net/udp /proc/net/udp6 2>/dev/null
}

tcp_listening()
{
	# state 0A: LISTEN
	awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p && $4 == "0A" { f = 1 }
		END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# udp_drops PORT: datagrams the kernel dropped on the UDP sockets of that
# local port (their receive buffer was full)
udp_drops()
{
	awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { d += $NF }
		END { print d + 0 }' /proc/net/udp /proc/net/udp6 2>/dev/null
}

# free_ports COUNT: FREE_PORT, the first of COUNT consecutive ports free for
# UDP and TCP, none handed out before in this run (a client's TCP port
# stays in TIME_WAIT after its connection)
free_ports()
{
	local n=$1 p ok
	while [ $((PORT_NEXT + n - 1)) -le "$PORT_END" ]; do
		ok=1
		for p in $(seq "$PORT_NEXT" $((PORT_NEXT + n - 1))); do
			if port_used "$p"; then
				ok=0
				PORT_NEXT=$((p + 1))
				break
			fi
		done
		if [ "$ok" = 1 ]; then
			FREE_PORT=$PORT_NEXT
			PORT_NEXT=$((PORT_NEXT + n))
			return 0
		fi
	done
	die "no $n free ports left in $PORT_NEXT-$PORT_END"
}

# reserve_ports COUNT: FREE_PORT, the first of COUNT ports not handed out
# before (some may be in use: for a user that skips those)
reserve_ports()
{
	[ $((PORT_NEXT + $1 - 1)) -le "$PORT_END" ] || die "no $1 ports left in $PORT_NEXT-$PORT_END"
	FREE_PORT=$PORT_NEXT
	PORT_NEXT=$((PORT_NEXT + $1))
}

# ---- kamailio ------------------------------------------------------------------------

declare -A K_PID K_PORT K_CTL
KAM=kam
PAP_PORT=

kam_ready()
{
	pid_alive "${K_PID[$1]}" || return 1
	udp_listening "${K_PORT[$1]}" && tcp_listening "$PAP_PORT" &&
		timeout 5 kamcmd -s "unix:${K_CTL[$1]}" core.version >/dev/null 2>&1
}

kam_start()
{
	local c
	free_ports 2
	K_PORT[$KAM]=$FREE_PORT
	PAP_PORT=$((FREE_PORT + 1))
	K_CTL[$KAM]=$W/kam.ctl
	"$ROOT/scripts/location-db.sh" "$W/location.db" >"$W/location-db.log" 2>&1 ||
		die "scripts/location-db.sh could not create $W/location.db: $(tail -n 3 "$W/location-db.log")"
	# shellcheck disable=SC2086
	(cd "$ROOT" && exec kamailio -DD -E -w "$ROOT" -f bench/pap.cfg -m "$SHM" -M "$PKG" $KAM_ARGS \
		-A WITH_PAP -A "LISTEN_PORT=${K_PORT[$KAM]}" -A "PAP_PORT=$PAP_PORT" \
		-A "CTL_SOCKET=\"unix:${K_CTL[$KAM]}\"" -A "DB_URL=\"sqlite:///$W/location.db\"" \
		-A "LOG_LEVEL=$LOG_LEVEL" -A 'TRUSTED_NET="127.0.0.1/32"' \
		-A "PAP_MAX_PUSHES=$MAX_PUSHES" >"$W/kamailio.log" 2>&1) &
	K_PID[$KAM]=$!
	track "${K_PID[$KAM]}"
	if ! wait_for 300 kam_ready "$KAM"; then
		tail -n 20 "$W/kamailio.log" >&2
		die "kamailio did not start (SIP port ${K_PORT[$KAM]}, PAP port $PAP_PORT; log above)"
	fi
	for c in $(kam_children "$KAM"); do
		track "$c"
	done
	kam_classes
}

# K_CLASS[PID]: what each Kamailio process does (core.psx): udp (SIP
# workers), tcp (TCP workers: the HTTP requests), tcpmain, timer, other
declare -A K_CLASS
kam_classes()
{
	local pid c
	K_CLASS=()
	while read -r pid c; do
		K_CLASS[$pid]=$c
	done < <(rpc "$KAM" core.psx | awk '$1 == "PID:" { pid = $2 }
		$1 == "DSC:" { c = "other"
			if ($0 ~ /udp receiver/) c = "udp"; else if ($0 ~ /tcp receiver/) c = "tcp"
			else if ($0 ~ /tcp main/) c = "tcpmain"; else if ($0 ~ /timer/) c = "timer"
			print pid, c }')
	[ "${#K_CLASS[@]}" -gt 0 ] || die "kamailio does not answer core.psx"
}

CLASSES="udp tcp tcpmain timer other"

# class_ns: the scheduler's on-CPU time (ns) of each class, in the order
# of CLASSES
class_ns()
{
	local p c ns
	local -A sum=()
	for p in "${!K_CLASS[@]}"; do
		read -r ns _ <"/proc/$p/schedstat" 2>/dev/null || continue
		c=${K_CLASS[$p]}
		sum[$c]=$((${sum[$c]:-0} + ns))
	done
	for c in $CLASSES; do
		printf '%s ' "${sum[$c]:-0}"
	done
	echo
}

tm_current() { rpc "$KAM" tm.stats | awk '$1 == "current:" { print $2 }'; }
tm_idle() { [ "$(tm_current)" = 0 ]; }
shm_field() { rpc "$KAM" core.shmmem | awk -v f="$1:" '$1 == f { print $2 }'; }

# stats_read: ST[name] = value of every push: and core: statistic
declare -A ST
stats_read()
{
	local k v
	ST=()
	while read -r k _ v; do
		[ -n "$k" ] && ST[$k]=$v
	done < <(rpc "$KAM" stats.get_statistics push: core: 2>/dev/null)
	[ -n "${ST[push:pap_accepted]:-}" ]
}

# ---- devices ---------------------------------------------------------------------------

DEV_PIDS=()
DEV_PORTS=()

start_devices()
{
	local i pid
	for i in $(seq 1 "$NDEV"); do
		free_ports 5
		(cd "$W" && exec sipp -sf "$BENCH/sipp/pap-device.xml" -i 127.0.0.1 -p "$FREE_PORT" \
			-cp $((FREE_PORT + 1)) -mp $((FREE_PORT + 2)) -m 2000000000 -nostdin \
			-trace_stat -stf "device$i.stat.csv" -fd 1 >"$W/device$i.out" 2>&1) &
		pid=$!
		track "$pid"
		DEV_PIDS+=("$pid")
		DEV_PORTS+=("$FREE_PORT")
		wait_for 50 udp_listening "$FREE_PORT" || die "device $i (SIPp on port $FREE_PORT) did not start: $(tail -n 3 "$W/device$i.out")"
	done
}

# dev_sum COLUMN: the sum over the devices of a column of their last
# statistics line
dev_sum()
{
	local i s=0 v
	for i in $(seq 1 "$NDEV"); do
		v=$(stat_get "$W/device$i.stat.csv" "$1")
		s=$((s + ${v:-0}))
	done
	echo "$s"
}

dev_lines() { cat "$W"/device*.stat.csv 2>/dev/null | wc -l; }
dev_lines_gt() { [ "$(dev_lines)" -gt "$1" ]; }

# dev_read: DEV_RECV (MESSAGEs received, distinct) and DEV_RETR (copies
# received again: answered again within 6 s, or too late to be) from
# statistics the devices wrote after this call (they write every second)
dev_read()
{
	local n
	n=$(dev_lines)
	wait_for 40 dev_lines_gt $((n + NDEV)) || log "WARNING: the devices wrote no statistics for 4 s"
	DEV_RECV=$(dev_sum "IncomingCall(C)")
	DEV_RETR=$(($(dev_sum "Retransmissions(C)") + $(dev_sum "DeadCallMsgs(C)")))
}

dev_drops()
{
	local p s=0
	for p in "${DEV_PORTS[@]}"; do
		s=$((s + $(udp_drops "$p")))
	done
	echo "$s"
}

# ticks of utime + stime of the PIDs given
pids_ticks()
{
	local p s t=0 rest
	for p in "$@"; do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		rest=${s##*) }
		# shellcheck disable=SC2086
		set -- $rest
		t=$((t + ${12} + ${13}))
	done
	echo "$t"
}

# kam_ust: utime and stime ticks and minor page faults, summed over
# Kamailio's processes
kam_ust()
{
	local p s u=0 k=0 f=0 rest
	for p in "${K_PID[$KAM]}" $(kam_children "$KAM"); do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		rest=${s##*) }
		# shellcheck disable=SC2086
		set -- $rest
		f=$((f + $8))
		u=$((u + ${12}))
		k=$((k + ${13}))
	done
	echo "$u $k $f"
}

# busy and total ticks of the whole machine (/proc/stat)
sys_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }

# ---- input files --------------------------------------------------------------------------

make_inputs()
{
	awk -v n="$USERS" -v ports="${DEV_PORTS[*]}" 'BEGIN {
		np = split(ports, port, " ")
		print "SEQUENTIAL" > "reg.csv"
		print "SEQUENTIAL" > "push.csv"
		for (i = 0; i < n; i++) {
			printf "u%d;%d;00000000-0000-4000-8000-%012d\n", i, port[i % np + 1], i > "reg.csv"
			print "u" i > "push.csv"
		}
	}' || die "cannot write the input files"
}

# ---- runs -------------------------------------------------------------------------------------

echo "phase,kind,run,target_rate,conns,count,sent,http_1001,other_answers,no_answer,accepted,routed,delivered,undeliverable_or_failed,device_received,retrans_to_proxy,retrans_to_devices,udp_drops_proxy,udp_drops_devices,achieved_rate,p50_ms,p90_ms,p99_ms,max_ms,late_ms,kam_cpu_s,kam_sched_s,kam_us_per_push,kam_sched_us_per_push,kam_cores,sender_cpu_s,sender_us_per_push,devices_cores,other_cores,wall_s,clean,codes,udp_workers_us,tcp_workers_us,tcp_main_us,timers_us,other_procs_us,shm_used,shm_max_used,shm_bytes_per_push_in_flight,log_warnings,p50_due_ms,p99_due_ms,kam_utime_s,kam_stime_s,kam_minflt_per_push" >"$RUNS"

declare -A G
USER_OFFSET=0

# snapshot NAME: the counters a run is measured by, as NAME_*; the
# devices' counts are read apart (dev_snapshot), outside the time and CPU
# window of the run, as reading them waits for their next statistics line
snapshot()
{
	local n=$1 s
	stats_read || die "kamailio does not answer stats.get_statistics"
	s=$(cpu_read "$KAM")
	eval "${n}_CPU=\${s% *} ${n}_NS=\${s#* }"
	eval "${n}_UST=\"$(kam_ust)\""
	eval "${n}_ACC=${ST[push:pap_accepted]:-0} ${n}_PDEL=${ST[push:pap_delivered]:-0} ${n}_PUND=${ST[push:pap_undeliverable]:-0}"
	eval "${n}_ROUTED=${ST[push:routed]:-0} ${n}_DEL=${ST[push:delivered]:-0} ${n}_FAIL=$((${ST[push:failed]:-0} + ${ST[push:timeout]:-0}))"
	eval "${n}_RQ=${ST[core:rcv_requests_message]:-0}"
	eval "${n}_DROPS=$(udp_drops "${K_PORT[$KAM]}") ${n}_DDROPS=$(dev_drops)"
	eval "${n}_DEVT=$(pids_ticks "${DEV_PIDS[@]}")"
	eval "${n}_CLS=\"$(class_ns)\""
	eval "${n}_SHM=$(shm_field used) ${n}_SHMMAX=$(shm_field max_used)"
	eval "${n}_LOG=$(log_lines)"
	s=$(sys_ticks)
	eval "${n}_SB=\${s% *} ${n}_ST=\${s#* }"
	eval "${n}_T=$(date +%s.%N)"
}

# (a run's start takes the counts its predecessor's end read, when no
# traffic went in between)
DEV_FRESH=0
dev_snapshot()
{
	if [ "$1" != B ] || [ "$DEV_FRESH" != 1 ]; then
		dev_read
	fi
	eval "${1}_RECV=$DEV_RECV ${1}_DRETR=$DEV_RETR"
	DEV_FRESH=0
	[ "$1" = E ] && DEV_FRESH=1
	return 0
}

# FREED=1: a run ends when tm has freed its last transaction (5 s after
# the last final reply), so that its CPU includes that work: the CPU runs.
# Otherwise when every push has its outcome.
FREED=0
log_lines() { wc -l <"$W/kamailio.log"; }

pap_settled()
{
	stats_read || return 1
	[ $((${ST[push:pap_delivered]:-0} + ${ST[push:pap_undeliverable]:-0})) -ge "$1" ] &&
		{ [ "$FREED" != 1 ] || tm_idle; }
}

# pap_run PHASE RUN RATE COUNT CONNS: COUNT submissions through the PAP
# front end (RATE 0: closed loop for CL_SECS seconds); one line of runs.csv;
# RUN_CLEAN, RUN_US, RUN_RATE.
pap_run()
{
	local phase=$1 run=$2 rate=$3 count=$4 conns=$5 tag out want secs args
	tag=$phase-$run
	out=$W/pap-$tag.gen
	# a block of local ports for the connections: the initiator skips
	# those another process holds
	reserve_ports $((conns + 16))
	if [ "$rate" -gt 0 ]; then
		secs=$((count * 3 / rate + 20))
		args=(-r "$rate" -d "$secs")
	else
		secs=$CL_SECS
		args=(-d "$secs")
	fi
	dev_snapshot B
	snapshot B
	(cd "$W" && timeout -k 5 $((secs + 30)) ./papgen -a 127.0.0.1 -p "$PAP_PORT" -u "$PI_CRED" \
		-c "$conns" -n "$count" "${args[@]}" -T 10000 -N "$USERS" -o "$USER_OFFSET" \
		-U u -i "$tag-$STAMP" -L "$FREE_PORT:$((FREE_PORT + conns + 15))" >"$out" 2>&1)
	# the transactions of the last 5 s are still there (tm frees them 5 s
	# after their final reply)
	MID_SHM=$(shm_field used)
	USER_OFFSET=$(((USER_OFFSET + count) % USERS))
	G=()
	local kv
	for kv in $(tail -n 1 "$out"); do
		case $kv in *=*) G[${kv%%=*}]=${kv#*=} ;; esac
	done
	[ -n "${G[sent]:-}" ] || { log "WARNING: the initiator failed: $(tail -n 3 "$out")"; G[sent]=0; }
	# every accepted push has its outcome (bounded: a MESSAGE that gets no
	# answer times out after tm's fr_timer, 5 s)
	want=$((B_PDEL + B_PUND + ${G[ok]:-0}))
	wait_for 300 pap_settled "$want" || log "WARNING: $phase $run: outcomes still missing after 30 s"
	snapshot E
	dev_snapshot E
	# closed loop: what was sent is what counts
	[ "$rate" -gt 0 ] || count=${G[sent]}
	P50D=${G[p50_due_ms]:-} P99D=${G[p99_due_ms]:-}
	run_row "$phase" pap "$run" "$rate" "$conns" "$count" "${G[sent]}" "${G[ok]:-0}" \
		$((${G[bad_status]:-0} + ${G[bad_code]:-0})) "${G[failed]:-0}" "${G[rate]:-0}" \
		"${G[p50_ms]:-}" "${G[p90_ms]:-}" "${G[p99_ms]:-}" "${G[max_ms]:-}" "${G[late_ms]:-}" \
		"${G[cpu_s]:-0}" "${G[codes]:--}"
}

# sip_run PHASE RUN RATE COUNT: COUNT plain SIP pushes from a SIPp Push
# Sender Agent at RATE/s
sip_run()
{
	local phase=$1 run=$2 rate=$3 count=$4 tag st secs t0 t1 cpu
	tag=$phase-$run
	st=$W/sip-$tag.stat.csv
	free_ports 5
	secs=$((count * 3 / rate + 20))
	dev_snapshot B
	snapshot B
	rm -f "$st"
	# the sender's CPU: bash's times of its children, before and after
	# (times itself in this shell, not in a command substitution's)
	times >"$W/times.out"
	t0=$(awk 'NR == 2 { print $1, $2 }' "$W/times.out")
	(cd "$W" && timeout -k 5 $((secs + 10)) sipp -sf "$BENCH/sipp/pap-push.xml" -inf "$W/push.csv" \
		-i 127.0.0.1 -p "$FREE_PORT" -cp $((FREE_PORT + 1)) -mp $((FREE_PORT + 2)) \
		-m "$count" -r "$rate" -rp 1000 -l $((rate > 200 ? rate : 200)) -nostdin \
		-timeout "${secs}s" -trace_stat -stf "$st" -fd 3600 \
		"127.0.0.1:${K_PORT[$KAM]}" >"$W/sip-$tag.out" 2>&1)
	MID_SHM=$(shm_field used)
	times >"$W/times.out"
	t1=$(awk 'NR == 2 { print $1, $2 }' "$W/times.out")
	cpu=$(awk -v a="$t0" -v b="$t1" 'function s(x,   m) { m = x; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", x); sub(/s$/, "", x); return m * 60 + x }
		BEGIN { split(a, x, " "); split(b, y, " "); printf "%.3f", s(y[1]) + s(y[2]) - s(x[1]) - s(x[2]) }')
	local sent ok fail retr srate
	sent=$(stat_get "$st" "OutgoingCall(C)")
	ok=$(stat_get "$st" "SuccessfulCall(C)")
	fail=$(stat_get "$st" "FailedCall(C)")
	retr=$(stat_get "$st" "Retransmissions(C)")
	srate=$(stat_get "$st" "CallRate(C)")
	: "${sent:=0}" "${ok:=0}" "${fail:=0}" "${retr:=0}" "${srate:=0}"
	SIP_RETR=$retr
	if [ "$FREED" = 1 ]; then
		wait_for 300 tm_idle || log "WARNING: $phase $run: transactions still open after 30 s"
	fi
	snapshot E
	dev_snapshot E
	P50D='' P99D=''
	run_row "$phase" sip "$run" "$rate" 1 "$count" "$sent" "$ok" 0 $((sent - ok)) "$srate" \
		"" "" "" "" "" "$cpu" "-"
}

# run_row PHASE KIND RUN RATE CONNS COUNT SENT OK OTHER NOANSWER RATE
# P50 P90 P99 MAX LATE SENDER_CPU CODES: the B_ and E_ snapshots made one
# line of runs.csv, and a line of log
run_row()
{
	local phase=$1 kind=$2 run=$3 rate=$4 conns=$5 count=$6 sent=$7 ok=$8 other=$9 noans=${10}
	local arate=${11} p50=${12} p90=${13} p99=${14} max=${15} late=${16} scpu=${17} codes=${18}
	local acc routed del und recv rq rp rd dr ddr cpu ns us sus wall cores devc other_c clean pushes sus_push cls shm_pp logerr ust
	acc=$((E_ACC - B_ACC))
	routed=$((E_ROUTED - B_ROUTED))
	recv=$((E_RECV - B_RECV))
	rd=$((E_DRETR - B_DRETR))
	dr=$((E_DROPS - B_DROPS))
	ddr=$((E_DDROPS - B_DDROPS))
	if [ "$kind" = pap ]; then
		del=$((E_PDEL - B_PDEL))
		und=$((E_PUND - B_PUND))
		# the front end's MESSAGEs come back to the proxy: more than one
		# per accepted push are retransmissions of its own tm
		rq=$((E_RQ - B_RQ))
		rp=$((rq - acc))
		[ "$rp" -lt 0 ] && rp=0
	else
		del=$((E_DEL - B_DEL))
		und=$((E_FAIL - B_FAIL))
		rp=${SIP_RETR:-0}
	fi
	arate=$(awk -v a="$arate" 'BEGIN { printf "%.1f", a }')
	cpu=$(awk -v t=$((E_CPU - B_CPU)) -v hz="$HZ" 'BEGIN { printf "%.3f", t / hz }')
	ns=$(awk -v n=$((E_NS - B_NS)) 'BEGIN { printf "%.4f", n / 1e9 }')
	pushes=$del
	us=$(awk -v c="$cpu" -v n="$pushes" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n }')
	sus=$(awk -v c="$ns" -v n="$pushes" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n }')
	sus_push=$(awk -v c="$scpu" -v n="$sent" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n }')
	wall=$(awk -v a="$B_T" -v b="$E_T" 'BEGIN { printf "%.2f", b - a }')
	cores=$(awk -v c="$cpu" -v w="$wall" 'BEGIN { if (w > 0) printf "%.2f", c / w }')
	devc=$(awk -v t=$((E_DEVT - B_DEVT)) -v hz="$HZ" -v w="$wall" 'BEGIN { if (w > 0) printf "%.2f", t / hz / w }')
	# the rest of the machine's busy time: neither Kamailio, the sender nor
	# the devices
	other_c=$(awk -v b=$((E_SB - B_SB)) -v t=$((E_ST - B_ST)) -v n="$NCPU" -v hz="$HZ" \
		-v k=$((E_CPU - B_CPU)) -v d=$((E_DEVT - B_DEVT)) -v s="$scpu" -v w="$wall" \
		'BEGIN { if (w > 0 && t > 0) { v = (b / t * n) - (k + d) / hz / w - s / w; printf "%.2f", (v < 0 ? 0 : v) } }')
	# user and system time, minor page faults per push
	ust=$(awk -v a="$B_UST" -v b="$E_UST" -v hz="$HZ" -v n="$pushes" 'BEGIN { split(a, x, " "); split(b, y, " ")
		printf "%.3f,%.3f,%s", (y[1] - x[1]) / hz, (y[2] - x[2]) / hz, (n > 0 ? sprintf("%.2f", (y[3] - x[3]) / n) : "") }')
	# what Kamailio logged at WARNING level or worse meanwhile
	logerr=$(tail -n +$((B_LOG + 1)) "$W/kamailio.log" | head -n $((E_LOG - B_LOG)) |
		grep -cE ' (WARNING|ERROR|CRITICAL|ALERT|BUG):')
	clean=1
	[ "$sent" -eq "$count" ] && [ "$ok" -eq "$count" ] && [ "$del" -eq "$count" ] &&
		[ "$recv" -eq "$count" ] && [ "$und" -eq 0 ] || clean=0
	[ "$kind" = pap ] && [ "$acc" -ne "$count" ] && clean=0
	[ "$logerr" -eq 0 ] || clean=0
	[ $(((rp + rd) * 100)) -lt "$count" ] || clean=0
	if [ "$rate" -gt 0 ]; then
		awk -v a="$arate" -v r="$rate" 'BEGIN { exit !(a >= 0.95 * r) }' || clean=0
	fi
	# per class of process (scheduler time), per push
	# shared memory in use when the last push was sent, above the one
	# before the run, per push sent (when the run is shorter than 5 s,
	# every push's transactions are still there, and for PAP its record)
	shm_pp=$(awk -v a="$B_SHM" -v b="${MID_SHM:-}" -v n="$sent" 'BEGIN { if (b != "" && n > 0) printf "%.0f", (b - a) / n }')
	cls=$(awk -v a="$B_CLS" -v b="$E_CLS" -v n="$pushes" 'BEGIN { k = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= k; i++) printf "%s%s", (i > 1 ? "," : ""), (n > 0 ? sprintf("%.1f", (y[i] - x[i]) / 1e3 / n) : "") }')
	echo "$phase,$kind,$run,$rate,$conns,$count,$sent,$ok,$other,$noans,$([ "$kind" = pap ] && echo "$acc"),$routed,$del,$und,$recv,$rp,$rd,$dr,$ddr,$arate,$p50,$p90,$p99,$max,$late,$cpu,$ns,$us,$sus,$cores,$scpu,$sus_push,$devc,$other_c,$wall,$clean,$codes,$cls,$E_SHM,$E_SHMMAX,$shm_pp,$logerr,${P50D:-},${P99D:-},$ust" >>"$RUNS"
	log "$(printf '%-7s %-3s %-8s rate=%-5s n=%-6s ok=%-6s deliv=%-6s recv=%-6s retr=%s/%s drops=%s/%s achieved=%-7s p50/p99=%s/%s ms kam=%ss %s us/push (%s cores) sender=%ss other=%s cores %s' \
		"$phase" "$kind" "$run" "$rate" "$count" "$ok" "$del" "$recv" "$rp" "$rd" "$dr" "$ddr" "$arate" \
		"${p50:--}" "${p99:--}" "$cpu" "${us:-?}" "$cores" "$scpu" "${other_c:-?}" "$([ "$clean" = 1 ] && echo clean || echo NOT-CLEAN)")"
	RUN_CLEAN=$clean
	RUN_US=$us
}

median()
{
	tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2];
			else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 > 0) printf "%.2f", a / b }'; }

# ---- main -------------------------------------------------------------------------------------

for tool in kamailio kamcmd sipp sqlite3 cc awk ps timeout; do
	command -v "$tool" >/dev/null || die "$tool not found: run scripts/deps.sh run bench"
done
[ -f "$ROOT/modules/push/push.so" ] || die "modules/push/push.so not built: run make"
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/http_client.so ] ||
	die "Kamailio's http_client module is missing (kamailio-utils-modules): run scripts/deps.sh run"
cc -O2 -Wall -o "$W/papgen" "$BENCH/papgen.c" >"$W/papgen-build.log" 2>&1 ||
	die "cannot build bench/papgen.c: $(head -n 5 "$W/papgen-build.log")"

log "output: $OUT (work directory $W)"
log "$(kamailio -v | head -n 1); $(sipp -v 2>&1 | awk 'NF { print; exit }'); $NCPU cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

kam_start
log "kamailio: SIP 127.0.0.1:${K_PORT[$KAM]}, PAP http://127.0.0.1:$PAP_PORT/pap, debug=$LOG_LEVEL, pap_max_pushes=$MAX_PUSHES, -m $SHM -M $PKG${KAM_ARGS:+ $KAM_ARGS}"
SHM_MAX_START=$(shm_field max_used)
start_devices
(cd "$W" && make_inputs)

log "registering $USERS users, one mms.ua binding each, on $NDEV devices"
free_ports 5
(cd "$W" && timeout -k 5 90 sipp -sf "$BENCH/sipp/pap-register.xml" -inf "$W/reg.csv" \
	-i 127.0.0.1 -p "$FREE_PORT" -cp $((FREE_PORT + 1)) -mp $((FREE_PORT + 2)) \
	-m "$USERS" -r 1000 -rp 1000 -l 1000 -nostdin -timeout 60s \
	-trace_stat -stf "$W/register.stat.csv" -fd 3600 \
	"127.0.0.1:${K_PORT[$KAM]}" >"$W/register.out" 2>&1)
reg_ok=$(stat_get "$W/register.stat.csv" "SuccessfulCall(C)")
[ "${reg_ok:-0}" = "$USERS" ] || die "only ${reg_ok:-0} of $USERS REGISTERs were answered 200 (see $W/register.out)"
stats_read || die "kamailio does not answer stats.get_statistics"
contacts=$(rpc "$KAM" stats.get_statistics usrloc: | awk '$1 == "usrloc:location_contacts" { print $NF }')
[ "${contacts:-0}" = "$USERS" ] || die "usrloc holds ${contacts:-0} bindings, not $USERS"

log "warm-up: $WARM PAP pushes and $WARM SIP pushes at $CPU_RATE/s (not counted)"
pap_run warm 1 "$CPU_RATE" "$WARM" "$CONNS"
[ "$RUN_CLEAN" = 1 ] || die "the PAP warm-up was not clean (see the line above and $RUNS)"
sip_run warm 1 "$CPU_RATE" "$WARM"
[ "$RUN_CLEAN" = 1 ] || die "the SIP warm-up was not clean (see the line above and $RUNS)"

# usrloc (db_mode 2) writes the new bindings to the database on its next
# timer run (every 10 s): not inside a measurement
db_rows() { sqlite3 "$W/location.db" 'select count(*) from location' 2>/dev/null; }
db_has_all() { [ "$(db_rows)" = "$USERS" ]; }
wait_for 250 db_has_all || die "usrloc did not write the $USERS bindings to $W/location.db within 25 s ($(db_rows) rows)"

# Kamailio's own CPU without traffic (timers), for reading the figures
# below: each run's window includes some seconds of it (tm frees a
# transaction 5 s after its final reply)
log "idle: Kamailio's CPU over 5 s without traffic"
wait_for 100 tm_idle
snapshot B
sleep 5
snapshot E
IDLE_MS=$(awk -v t=$((E_CPU - B_CPU)) -v hz="$HZ" -v a="$B_T" -v b="$E_T" 'BEGIN { printf "%.1f", t / hz * 1e3 / (b - a) }')
IDLE_SCHED_MS=$(awk -v t=$((E_NS - B_NS)) -v a="$B_T" -v b="$E_T" 'BEGIN { printf "%.2f", t / 1e6 / (b - a) }')
log "idle: $IDLE_MS ms CPU per second ($IDLE_SCHED_MS ms scheduler time)"

# ---- 1. CPU per push: PAP (A) and SIP (B) alternated ----

log "CPU: $CPU_PAIRS pairs of $CPU_PUSHES pushes at $CPU_RATE/s, PAP then SIP"
SHM0=$(shm_field used)
ACC0=$(stats_read && echo "${ST[push:pap_accepted]}")
CPU_PAP=""
CPU_SIP=""
cpu_bad=0
FREED=1
for run in $(seq 1 "$CPU_PAIRS"); do
	pap_run cpu "$run" "$CPU_RATE" "$CPU_PUSHES" "$CONNS"
	[ "$RUN_CLEAN" = 1 ] || cpu_bad=1
	CPU_PAP="$CPU_PAP $RUN_US"
	sip_run cpu "$run" "$CPU_RATE" "$CPU_PUSHES"
	[ "$RUN_CLEAN" = 1 ] || cpu_bad=1
	CPU_SIP="$CPU_SIP $RUN_US"
done
FREED=0

# ---- 2. the ladder ----

log "ladder: $STEP_SECS s per step over $CONNS connections, up to $TRIES tries per step: $LADDER"
MAXRATE=0
MAX_P50=
MAX_P99=
MAX_P99D=
LADDER_TOP=1
LADDER_NOTE=
for r in $LADDER; do
	# room for the pair after the ladder and the closed loop
	if [ "$(time_left)" -lt $((CPU_PUSHES * 2 / CPU_RATE + CL_SECS + 45 + STEP_SECS)) ]; then
		LADDER_NOTE="time budget reached before $r/s"
		log "ladder: $LADDER_NOTE"
		LADDER_TOP=0
		break
	fi
	ok_step=0
	for try in $(seq 1 "$TRIES"); do
		pap_run ladder "$r-try$try" "$r" $((r * STEP_SECS)) "$CONNS"
		if [ "$RUN_CLEAN" = 1 ]; then
			ok_step=1
			break
		fi
	done
	if [ "$ok_step" = 1 ]; then
		MAXRATE=$r
		MAX_P50=$(tail -n 1 "$RUNS" | cut -d, -f21)
		MAX_P99=$(tail -n 1 "$RUNS" | cut -d, -f23)
		MAX_P99D=$(tail -n 1 "$RUNS" | cut -d, -f48)
	else
		LADDER_TOP=0
		LADDER_NOTE="no clean try at $r/s"
		break
	fi
done

# ---- 3. a pair with the table full ----

stats_read
RECORDS=${ST[push:pap_accepted]:-0}
log "CPU with $RECORDS push records kept: one more pair"
wait_for 150 tm_idle
FREED=1
pap_run cpu-full 1 "$CPU_RATE" "$CPU_PUSHES" "$CONNS"
FULL_PAP=$RUN_US
sip_run cpu-full 1 "$CPU_RATE" "$CPU_PUSHES"
FULL_SIP=$RUN_US
FREED=0
SHM1=$(shm_field used)
stats_read
ACC1=${ST[push:pap_accepted]:-0}
SHM_PER_RECORD=$(awk -v a="$SHM0" -v b="$SHM1" -v n=$((ACC1 - ACC0)) 'BEGIN { if (n > 0) printf "%.0f", (b - a) / n }')

# ---- 4. closed loop ----

if [ "$CL_SECS" -gt 0 ]; then
	log "closed loop: $CL_CONNS connections for $CL_SECS s"
	pap_run closed 1 0 2000000 "$CL_CONNS"
fi

SHM_MAX_END=$(shm_field max_used)
rpc "$KAM" stats.get_statistics all >"$W/statistics.txt" 2>&1
rpc "$KAM" tm.stats >>"$W/statistics.txt" 2>&1
rpc "$KAM" core.shmmem >>"$W/statistics.txt" 2>&1

# ---- report ---------------------------------------------------------------------------------------

# what the proxy logged beyond the startup banner: warnings and errors,
# counted by message (the process and prefix stripped)
log_summary()
{
	grep -E ' (WARNING|ERROR|CRITICAL|ALERT|BUG):' "$W/kamailio.log" 2>/dev/null |
		sed -E 's/^ *[0-9]+\([0-9]+\) //; s/\{[^}]*\} //; s/push-id '\''[^'\'']*'\''/push-id .../g; s/[0-9]+/N/g' |
		sort | uniq -c | sort -rn | head -n 8
}

report()
{
	local R=$OUT/results.csv pap_med sip_med r_med ratios pap_sched sip_sched
	pap_med=$(echo "$CPU_PAP" | median)
	sip_med=$(echo "$CPU_SIP" | median)
	r_med=$(ratio "$pap_med" "$sip_med")
	ratios=$(paste -d' ' <(echo "$CPU_PAP" | tr ' ' '\n') <(echo "$CPU_SIP" | tr ' ' '\n') |
		awk '$1 != "" && $2 > 0 { printf "%s%.2f", s, $1 / $2; s = " " }')
	pap_sched=$(awk -F, '$1 == "cpu" && $2 == "pap" { print $29 }' "$RUNS" | median)
	sip_sched=$(awk -F, '$1 == "cpu" && $2 == "sip" { print $29 }' "$RUNS" | median)

	{
		echo "metric,value"
		echo "kamailio_args,-m $SHM -M $PKG${KAM_ARGS:+ $KAM_ARGS}"
		echo "users,$USERS"
		echo "connections,$CONNS"
		echo "max_clean_rate,$MAXRATE"
		echo "max_clean_rate_top_of_ladder,$LADDER_TOP"
		echo "p50_ms_at_max_clean_rate,$MAX_P50"
		echo "p99_ms_at_max_clean_rate,$MAX_P99"
		echo "p99_from_due_ms_at_max_clean_rate,$MAX_P99D"
		echo "cpu_rate,$CPU_RATE"
		echo "cpu_pushes,$CPU_PUSHES"
		echo "cpu_us_per_pap_push,$pap_med"
		echo "cpu_us_per_sip_push,$sip_med"
		echo "ratio_pap_sip,$r_med"
		echo "ratio_pap_sip_per_pair,$ratios"
		echo "sched_us_per_pap_push,$pap_sched"
		echo "sched_us_per_sip_push,$sip_sched"
		echo "records_kept_before_full_pair,$RECORDS"
		echo "cpu_us_per_pap_push_full_table,$FULL_PAP"
		echo "cpu_us_per_sip_push_full_table,$FULL_SIP"
		echo "shm_bytes_per_pap_push_in_flight,$(awk -F, '$1 == "cpu" && $2 == "pap" { print $45 }' "$RUNS" | median)"
		echo "shm_bytes_per_sip_push_in_flight,$(awk -F, '$1 == "cpu" && $2 == "sip" { print $45 }' "$RUNS" | median)"
		echo "idle_cpu_ms_per_s,$IDLE_MS"
		echo "idle_sched_ms_per_s,$IDLE_SCHED_MS"
		echo "shm_bytes_per_record,$SHM_PER_RECORD"
		echo "shm_max_used_start,$SHM_MAX_START"
		echo "shm_max_used_end,$SHM_MAX_END"
		echo "load_at_end,$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
	} >"$R"

	echo
	echo "== PAP front end benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $NCPU cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
	echo "   example proxy (cfg/push-proxy.cfg -A WITH_PAP, pap_max_pushes=$MAX_PUSHES, debug=$LOG_LEVEL), children=2, tcp_children=2,"
	echo "   kamailio -m $SHM -M $PKG${KAM_ARGS:+ $KAM_ARGS}$([ -z "$KAM_ARGS" ] && echo " (default allocator, qm)");"
	echo "   $USERS users x 1 mms.ua binding on $NDEV SIPp devices; initiator bench/papgen.c, HTTP/1.1 keep-alive, one address per push."
	echo "   Kamailio, the initiator, SIPp and anything else running share the $NCPU cores: 'other' is the rest of the machine's busy time."
	echo
	echo "1. Submissions per second (open loop over $CONNS connections, $STEP_SECS s per step; clean = every submission 1001,"
	echo "   accepted, delivered and received by a device, <1 % retransmitted, >= 95 % of the rate):"
	awk -F, 'BEGIN { printf "   %-13s %6s %7s %7s %7s %9s %5s %6s %8s %7s %7s %7s %6s %6s %6s %6s %7s %5s %s\n",
			"step", "rate", "1001", "deliv.", "recv.", "retr.", "drops", "undel", "achieved", "p50 ms", "p99 ms", "p99* ms",
			"kam", "sender", "devs", "other", "shm max", "log", "" ;
		  printf "   %-13s %6s %7s %7s %7s %9s %5s %6s %8s %7s %7s %7s %6s %6s %6s %6s %7s %5s %s\n",
			"", "/s", "", "", "", "p/d", "", "", "/s", "", "", "", "cores", "cores", "cores", "cores", "MB", "warn", "" }
		$1 == "ladder" || $1 == "closed" {
			printf "   %-13s %6s %7s %7s %7s %9s %5s %6s %8.1f %7s %7s %7s %6s %6.2f %6s %6s %7.1f %5s %s\n",
				($1 == "closed" ? "closed K=" $5 : $3), ($4 == 0 ? "max" : $4), $8, $13, $15, $16 "/" $17, $18, $14, $20, $21, $23, $48,
				$30, ($35 > 0 ? $31 / $35 : 0), $33, $34, $44 / 1048576, $46, ($36 == 1 ? "clean" : "NOT clean") }' "$RUNS"
	echo "   (p50, p99: latency of the HTTP answer from the request's sending, p99*: from the time it was due, with the wait"
	echo "   for a free connection; retr. p/d: MESSAGEs retransmitted to the proxy (its own, from the front end) / to the devices; drops: datagrams"
	echo "   the kernel dropped on the proxy's full UDP socket; undel: pap_undeliverable; cores: averages over the run's window,"
	echo "   which includes the seconds until the last outcome; shm max: Kamailio's max_used so far; warn: lines Kamailio"
	echo "   logged at WARNING level or worse meanwhile)"
	echo "   highest clean rate: $MAXRATE/s$([ "$LADDER_TOP" = 1 ] && echo " (top of the ladder: a lower bound)")${LADDER_NOTE:+ ($LADDER_NOTE)};" \
		"answer latency there p50 ${MAX_P50:-?} ms, p99 ${MAX_P99:-?} ms (from the due time ${MAX_P99D:-?} ms)"
	awk -F, '$1 == "ladder" && $36 == 1 { c = $31; n = $7 } END { if (n) printf "   the initiator itself: %.0f us CPU per submission at that step\n", c * 1e6 / n }' "$RUNS"
	echo
	echo "2. Kamailio CPU per delivered push (utime+stime of all its processes), $CPU_PUSHES pushes at $CPU_RATE/s, PAP and SIP alternated:"
	echo "   (us/push: utime+stime; sched: the scheduler's time, also split by process: SIP (UDP) workers, TCP (HTTP) workers,"
	echo "   TCP main, timers, the rest; each run's window holds some seconds of idle, $IDLE_MS ms CPU per second)"
	awk -F, 'BEGIN { printf "   %-9s %-4s %4s %9s %7s %8s %8s %7s %7s %7s %7s %7s %8s %s\n", "phase", "kind", "run", "delivered", "cpu s", "us/push", "sched us", "udp", "tcp", "tcpmain", "timers", "rest", "shm B", "" }
		$1 ~ /^cpu/ { printf "   %-9s %-4s %4s %9s %7s %8s %8s %7s %7s %7s %7s %7s %8s %s\n", $1, $2, $3, $13, $26, $28, $29, $38, $39, $40, $41, $42, $45, ($36 == 1 ? "" : "NOT clean") }' "$RUNS"
	echo "   (shm B: shared memory in use per push when the last one was sent, above the one before the run: tm's"
	echo "   transactions, freed 5 s after their final reply, and for PAP the push's record, kept pap_push_id_ttl)"
	echo "   median: PAP $pap_med us, SIP $sip_med us per push; PAP/SIP $r_med (per pair: $ratios);" \
		"scheduler time: PAP $pap_sched us, SIP $sip_sched us ($(ratio "$pap_sched" "$sip_sched"))"
	echo "   with $RECORDS push records kept (cpu-full): PAP ${FULL_PAP:-?} us, SIP ${FULL_SIP:-?} us ($(ratio "$FULL_PAP" "$FULL_SIP"));" \
		"shared memory per kept record: ${SHM_PER_RECORD:-?} B"
	local bp bs
	bp=$(awk -F, '$1 == "cpu" && $2 == "pap" { print $45 }' "$RUNS" | median)
	bs=$(awk -F, '$1 == "cpu" && $2 == "sip" { print $45 }' "$RUNS" | median)
	awk -v p="$bp" -v s="$bs" -v r="$MAXRATE" -v m="$SHM" -v k="${SHM_PER_RECORD:-?}" 'BEGIN { if (p == "" || p <= 0) exit
		printf "   shared memory: a PAP push holds %d B until tm frees its two transactions 5 s after the answers (a SIP push %d B),\n", p, s
		printf "   so a rate of R PAP pushes/s keeps about R x 5 s x %d B: %.0f MB at %d/s; -m 64 (Kamailio'"'"'s default) lasts up to\n", p, r * 5 * p / 1048576, r
		printf "   about %.0f/s, -m %d up to about %.0f/s (less the records kept: up to pap_max_pushes x %s B)\n", 64 * 1048576 / (5 * p), m, m * 1048576 / (5 * p), k }'
	echo
	echo "Kamailio's log, warnings and errors by message (debug=$LOG_LEVEL):"
	local s
	s=$(log_summary)
	if [ -n "$s" ]; then echo "$s" | sed 's/^/   /'; else echo "   none"; fi
	echo "shm max_used: $SHM_MAX_START B after startup, $SHM_MAX_END B at the end (of $((SHM * 1024 * 1024)))"
	echo "summary: PAP max clean $MAXRATE/s (p50 ${MAX_P50:-?} ms, p99 ${MAX_P99:-?} ms); CPU/push PAP $pap_med us vs SIP $sip_med us, ratio $r_med"
	echo "(runs: $RUNS; results: $R)"
}

report | tee "$OUT/report.txt"
log "done in $(elapsed) s"
[ "$cpu_bad" = 0 ] || die "a CPU run was not clean (see $RUNS): its figures are not comparable"
[ "$MAXRATE" -gt 0 ] || die "no step of the ladder was clean"
exit 0
