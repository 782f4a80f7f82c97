#!/bin/bash
# make bench: the push module against a stock Kamailio doing the same job.
#
# Two configurations on the same Kamailio, same children and memory:
# bench/baseline.cfg (textops append_hf + registrar save/lookup + t_relay)
# and bench/push.cfg (push_assert_identity + push_stamp + push_lookup +
# t_relay, push_save). SIPp on loopback only: devices (UAS on 127.0.0.2)
# answer every MESSAGE with 200; a Push Sender Agent (UAC on 127.0.0.2)
# registers the bindings and sends the pushes to the proxy on 127.0.0.1.
#
# Phases (every loop and wait bounded, every process stopped by its PID):
#  1. native (children=2, -m 256 -M 8 for both): both proxies up side by
#     side; groups of users with 1, 2, 5, 10, 20 bindings per user (1000
#     bindings per group) registered, memory read before and after each
#     group (bytes per binding); pushes at a fixed rate, baseline and push
#     alternated (A B A B ...) per point, Kamailio CPU (utime+stime of all
#     its processes, until its last transaction is freed) per routed push;
#     a bounded rate ladder at 1 binding per user for the highest clean
#     rate; every binding removed again (Contact: *, Expires: 0) and the
#     memory compared with the one before registration (leak check).
#  2. callgrind (perf has no instruction counter on this machine): each
#     proxy with children=1 under valgrind --tool=callgrind; an OPTIONS
#     marker makes callgrind dump the SIP worker's counters
#     (--dump-before=w_isdsturiset), so the instructions between two markers
#     are those of the REGISTERs or pushes sent in between. Pushes go one at
#     a time, so nothing is ever retransmitted. Done with Kamailio's default
#     allocator (qm), then again with -x tlsf: qm's free-list walks are most
#     of a push's instructions and vary with the heap's layout.
#  3. cluster (BENCH_CLUSTER=0 leaves it out): for each configuration in
#     turn, a private PostgreSQL server (scripts/pg-cluster.sh, data under
#     build/, on 127.0.0.1, stopped by the PID in its postmaster.pid at the
#     end or on any exit) and two proxies on it, A and B, with usrloc
#     db_mode 3 (-A DB_URL=.. -A SERVER_ID=..); BENCH_CLUSTER_USERS users
#     with one binding registered through A, pushes through B, which finds
#     the bindings in the database. On B: CPU per routed push (B's processes
#     and PostgreSQL's), a rate ladder for the highest clean rate (no
#     failure and no retransmission at all), then B alone under callgrind
#     (children=1, the method of phase 2) for its SIP worker's instructions
#     per push, with qm and with -x tlsf. Bounded by BENCH_CLUSTER_BUDGET
#     (seconds, default 420; the ladder and the tlsf pass are cut first).
#
# Output: a table on stdout (also report.txt), and in
# bench/results/<timestamp>/: results.csv (per point), runs.csv (per run),
# cpu-per-push.png, profile-*.txt (callgrind_annotate), callgrind/ dumps,
# cluster.csv and cluster-runs.csv (the cluster point), work/ (SIPp,
# Kamailio and PostgreSQL logs and statistics).
#
# Knobs (environment): BENCH_USERS (bindings per group, = users at 1 binding
# per user; default 1000), BENCH_BPU, BENCH_PAIRS, BENCH_SCALE_PAIRS,
# BENCH_PUSHES, BENCH_RATE, BENCH_SCALE_SECS, BENCH_LADDER,
# BENCH_LADDER_SECS, BENCH_LADDER_TRIES, BENCH_CHILDREN, BENCH_SHM,
# BENCH_PKG, BENCH_KAM_ARGS (extra kamailio options for every start),
# BENCH_CG (0: no callgrind), BENCH_CG_PUSHES, BENCH_CG_BINDINGS,
# BENCH_CG_BPU, BENCH_CG_TLSF (0: no -x tlsf pass), BENCH_NATIVE (0: no
# native phase), BENCH_BUDGET (seconds this script may take, default 800;
# optional steps are skipped past it), BENCH_OUT (output directory),
# BENCH_PORT_BASE and BENCH_PORT_SPAN (loopback ports: six ranges of SPAN
# ports from BASE on, one for the native phase and devices, one per proxy
# of each callgrind pass and one for the cluster point; default 25000 and
# 1000, so 25000-30999). The cluster point: BENCH_CLUSTER (0: none),
# BENCH_CLUSTER_USERS, BENCH_CLUSTER_REG_RATE, BENCH_CLUSTER_RUNS,
# BENCH_CLUSTER_PUSHES, BENCH_CLUSTER_RATE, BENCH_CLUSTER_LADDER,
# BENCH_CLUSTER_CG (0: no callgrind; default BENCH_CG),
# BENCH_CLUSTER_CG_PUSHES, BENCH_CLUSTER_BUDGET.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
. "$ROOT/scripts/wait-for.sh"
. "$BENCH/lib.sh"
OUT=${BENCH_OUT:-$BENCH/results/$(date +%Y%m%d-%H%M%S)}
W=$OUT/work

USERS=${BENCH_USERS:-1000}
BPUS=${BENCH_BPU:-1 2 5 10 20}
PAIRS=${BENCH_PAIRS:-3}
SCALE_PAIRS=${BENCH_SCALE_PAIRS:-3}
PUSHES=${BENCH_PUSHES:-5000}
RATE=${BENCH_RATE:-1000}
SCALE_SECS=${BENCH_SCALE_SECS:-4}
# steps about 10 % apart near the top, so that 0.9 x can be told
LADDER=${BENCH_LADDER:-2000 3000 3600 4000 4400 4800 5300 5800 6400 7000 8000}
LADDER_SECS=${BENCH_LADDER_SECS:-3}
LADDER_TRIES=${BENCH_LADDER_TRIES:-3}
CHILDREN=${BENCH_CHILDREN:-2}
SHM=${BENCH_SHM:-256}
PKG=${BENCH_PKG:-8}
REG_RATE=${BENCH_REG_RATE:-2000}
CG=${BENCH_CG:-1}
CG_PUSHES=${BENCH_CG_PUSHES:-2000}
CG_BINDINGS=${BENCH_CG_BINDINGS:-200}
CG_TLSF=${BENCH_CG_TLSF:-1}
CG_REG_RATE=${BENCH_CG_REG_RATE:-200}
CG_BPU=${BENCH_CG_BPU:-1 10 2 5 20}
NDEV=${BENCH_DEVICES:-2}
# extra kamailio options for both configurations (e.g. "-x tlsf")
KAM_ARGS=${BENCH_KAM_ARGS:-}
BUDGET=${BENCH_BUDGET:-800}
# the cluster point (phase 3)
CLUSTER=${BENCH_CLUSTER:-1}
CL_USERS=${BENCH_CLUSTER_USERS:-1000}
CL_REG_RATE=${BENCH_CLUSTER_REG_RATE:-500}
CL_RUNS_N=${BENCH_CLUSTER_RUNS:-3}
CL_PUSHES=${BENCH_CLUSTER_PUSHES:-2000}
CL_RATE=${BENCH_CLUSTER_RATE:-500}
CL_LADDER=${BENCH_CLUSTER_LADDER:-800 1000 1200 1500 1800 2200 2600 3000 3600 4400}
CL_CG_PUSHES=${BENCH_CLUSTER_CG_PUSHES:-1000}
CL_BUDGET=${BENCH_CLUSTER_BUDGET:-420}
CL_CG=${BENCH_CLUSTER_CG:-$CG}

CONFIGS="baseline push"
START=$(date +%s)
PORT_BASE=${BENCH_PORT_BASE:-25000}
PORT_SPAN=${BENCH_PORT_SPAN:-1000}
PORT_NEXT=$PORT_BASE

mkdir -p "$W" "$OUT/callgrind"
PIDS_FILE=$W/pids
: >"$PIDS_FILE"
RUNS=$OUT/runs.csv
echo "phase,config,bpu,run,target_rate,sent,ok_2xx,failed,retrans,achieved_rate,branches_per_push,cpu_s,cpu_sched_s,cpu_us_per_push,instr,instr_per_push,clean" >"$RUNS"

elapsed() { echo $(($(date +%s) - START)); }
time_left() { echo $((BUDGET - $(elapsed))); }

# ---- processes ------------------------------------------------------------

# the cluster point's PostgreSQL server (DIR of scripts/pg-cluster.sh), if
# one is up: stopped after every proxy, whatever happens
PG_DIR=
bench_cleanup()
{
	cleanup
	pg_stop
}
trap bench_cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# port_used PORT [FILES]: a socket has that local port (from /proc/net, so
# no iproute2 needed).
port_used()
{
	local files=${2:-/proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6}
	# shellcheck disable=SC2086
	awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { f = 1 }
		END { exit !f }' $files 2>/dev/null
}

udp_listening() { port_used "$1" "/proc/net/udp /proc/net/udp6"; }

# free_port: FREE_PORT, a loopback port free for UDP and TCP, from PORT_BASE
# on, never handed out before in this run.
free_port()
{
	while [ "$PORT_NEXT" -lt $((PORT_BASE + 6 * PORT_SPAN - 10)) ]; do
		FREE_PORT=$PORT_NEXT
		PORT_NEXT=$((PORT_NEXT + 1))
		port_used "$FREE_PORT" || return 0
	done
	die "no free port"
}

# ---- kamailio ----------------------------------------------------------------

declare -A K_PID K_PORT K_CTL K_CFG
# extra -A definitions for kam_start (the cluster point's DB_URL, SERVER_ID)
KAM_DEFS=()

# kam_start NAME CFG CHILDREN [wrapper...]: start kamailio (-DD -E) in the
# background on a free port with its own control socket.
kam_start()
{
	local name=$1 cfg=$2 children=$3 ctl c
	shift 3
	free_port
	ctl="$W/$name.ctl"
	rm -f "$ctl"
	(cd "$ROOT" && exec "$@" kamailio -DD -E -w "$ROOT" -f "bench/$cfg.cfg" \
		-m "$SHM" -M "$PKG" ${KAM_ARGS:+$KAM_ARGS} -A "LISTEN_PORT=$FREE_PORT" \
		-A "CTL_SOCKET=\"unix:$ctl\"" -A "CHILDREN=$children" "${KAM_DEFS[@]}" \
		>"$W/$name.log" 2>&1) &
	K_PID[$name]=$!
	track "${K_PID[$name]}"
	K_PORT[$name]=$FREE_PORT
	K_CTL[$name]=$ctl
	K_CFG[$name]=$cfg
	if ! wait_for 600 kam_ready "$name"; then
		tail -n 20 "$W/$name.log" >&2
		die "kamailio $name ($cfg) did not start"
	fi
	for c in $(kam_children "$name"); do
		track "$c"
	done
}

shm_used() { rpc "$1" core.shmmem | awk '$1 == "used:" { print $2 }'; }
pkg_used() { rpc "$1" pkg.stats | awk '$1 == "used:" { s += $2 } END { print s + 0 }'; }
tm_current() { rpc "$1" tm.stats | awk '$1 == "current:" { print $2 }'; }
tm_idle() { [ "$(tm_current "$1")" = 0 ]; }

# ---- SIPp --------------------------------------------------------------------

DEV_PORTS=()

start_devices()
{
	local i pid
	for i in $(seq 1 "$NDEV"); do
		free_port
		(cd "$W" && exec sipp -sf "$BENCH/sipp/device.xml" -i 127.0.0.2 \
			-p "$FREE_PORT" -m 2000000000 -nostdin -deadcall_wait 0 \
			-trace_stat -stf "device$i.stat.csv" -fd 3600 \
			>"$W/device$i.out" 2>&1) &
		pid=$!
		track "$pid"
		DEV_PORTS+=("$FREE_PORT")
		wait_for 50 udp_listening "$FREE_PORT" || die "device $i did not start"
	done
}

# sipp_uac NAME SCENARIO CSV COUNT RATE KAM [sipp args...]: run a UAC from
# 127.0.0.2 to the proxy KAM, bounded; sets S_SENT S_OK S_FAIL S_RETR S_RATE.
sipp_uac()
{
	local name=$1 scen=$2 csv=$3 count=$4 rate=$5 kam=$6 limit secs st
	shift 6
	free_port
	limit=${UAC_LIMIT:-$((rate > 200 ? rate : 200))}
	secs=$((count / rate + 30))
	[ -n "${UAC_SECS:-}" ] && secs=$UAC_SECS
	st="$W/$name.stat.csv"
	rm -f "$st"
	(cd "$W" && timeout -k 5 $((secs + 10)) sipp -sf "$BENCH/sipp/$scen" \
		${csv:+-inf "$csv"} -i 127.0.0.2 -p "$FREE_PORT" -m "$count" \
		-r "$rate" -rp 1000 -l "$limit" -nostdin -timeout "${secs}s" \
		-trace_stat -stf "$st" -fd 3600 "$@" \
		"127.0.0.1:${K_PORT[$kam]}" >"$W/$name.out" 2>&1)
	S_SENT=$(stat_get "$st" "OutgoingCall(C)")
	S_OK=$(stat_get "$st" "SuccessfulCall(C)")
	S_FAIL=$(stat_get "$st" "FailedCall(C)")
	S_RETR=$(stat_get "$st" "Retransmissions(C)")
	S_RATE=$(stat_get "$st" "CallRate(C)")
	: "${S_SENT:=0}" "${S_OK:=0}" "${S_FAIL:=0}" "${S_RETR:=0}" "${S_RATE:=0}"
	# calls still open at the end (timed out) are failures too
	[ "$S_OK" -lt "$S_SENT" ] && [ "$S_FAIL" -lt $((S_SENT - S_OK)) ] &&
		S_FAIL=$((S_SENT - S_OK))
	[ "$S_SENT" -gt 0 ]
}

# ---- input files ---------------------------------------------------------------

# Group b: USERS/b users b<b>u<i>, each with b bindings; binding k is for
# mms.ua when k is even (so one binding per user always matches the push)
# and for sms.ua when odd, on device (i+k) mod NDEV.
make_inputs()
{
	local b
	for b in $BPUS; do
		make_group "$b" "$(users_of "$b")" "$b"
	done
}

# make_group B USERS TAG: reg-TAG.csv, push-TAG.csv, unreg-TAG.csv for
# USERS users with B bindings each.
make_group()
{
	awk -v b="$1" -v n="$2" -v t="$3" -v ports="${DEV_PORTS[*]}" 'BEGIN {
		np = split(ports, port, " ")
		print "SEQUENTIAL" > "reg-" t ".csv"
		print "SEQUENTIAL" > "push-" t ".csv"
		print "SEQUENTIAL" > "unreg-" t ".csv"
		for (i = 0; i < n; i++) {
			u = "b" b "u" i
			print u > "push-" t ".csv"
			print u > "unreg-" t ".csv"
			for (k = 0; k < b; k++)
				printf "%s;%sd%d;%d;%s;%08d-0000-4000-8000-%012d;3600\n",
					u, u, k, port[(i + k) % np + 1],
					(k % 2 ? "sms.ua" : "mms.ua"), b, i * 100 + k \
					> "reg-" t ".csv"
		}
	}' || die "cannot write the input files"
}

users_of() { local n=$((USERS / $1)); echo $((n > 0 ? n : 1)); }
# under callgrind: all USERS at 1 binding per user, CG_BINDINGS bindings
# (the first users of the group) at the other points; pushes likewise
cg_bindings_of()
{
	if [ "$1" = 1 ]; then bindings_of 1; else
		local n=$(((CG_BINDINGS + $1 - 1) / $1 * $1)); echo $((n < $(bindings_of "$1") ? n : $(bindings_of "$1"))); fi
}
cg_pushes_of()
{
	if [ "$1" = 1 ]; then echo "$CG_PUSHES"; else
		local n=$((CG_PUSHES / 2 / $1)); echo $((n > 50 ? n : 50)); fi
}
bindings_of() { echo $(($(users_of "$1") * $1)); }
# devices a push reaches: every binding (baseline: lookup() ignores caller
# preferences) or the mms.ua ones (push)
branches_of()
{
	if [ "$1" = push ]; then echo $((($2 + 1) / 2)); else echo "$2"; fi
}

# ---- measurements ----------------------------------------------------------------

declare -A MEM0_SHM MEM0_PKG BYTES_SHM BYTES_PKG REG_OK LEAK_SHM LEAK_PKG
declare -A CPU_LIST MAXRATE

register_group()
{
	local kam=$1 b=$2 rate=$3 n
	n=$(bindings_of "$b")
	sipp_uac "reg-$kam-$b" register.xml "reg-$b.csv" "$n" "$rate" "$kam" ||
		die "registration of group $b on $kam sent nothing"
	if [ "$S_OK" -ne "$n" ] || [ "$S_FAIL" -ne 0 ]; then
		log "WARNING: $kam group $b: $S_OK of $n REGISTERs answered 200 ($S_FAIL failed)"
		REG_OK[$kam]=0
	fi
}

# push_run PHASE KAM B RUN COUNT RATE: pushes at a fixed rate; the CPU of
# the proxy from the first push until its last transaction is freed (for
# the ladder: until the last reply). The pushes go to the users of
# push-B.csv, or of PUSH_CSV when set.
push_run()
{
	local phase=$1 kam=$2 b=$3 run=$4 count=$5 rate=$6 c0 c1 cfg clean
	local ticks ns cpu_s sched_s us br
	cfg=${K_CFG[$kam]}
	# the ladder only waits for the transactions of this proxy's previous
	# step to end before its next one (its CPU figures leave them out)
	is_ladder "$phase" && { wait_for 150 tm_idle "$kam" || log "WARNING: $kam still has transactions after 15 s"; }
	c0=$(cpu_read "$kam")
	sipp_uac "$phase-$kam-$b-$run" push.xml "${PUSH_CSV:-push-$b.csv}" "$count" "$rate" "$kam"
	if is_ladder "$phase"; then
		sleep 0.5
	else
		wait_for 150 tm_idle "$kam" || log "WARNING: $kam still has transactions after 15 s"
	fi
	c1=$(cpu_read "$kam")
	ticks=$((${c1% *} - ${c0% *}))
	ns=$((${c1#* } - ${c0#* }))
	cpu_s=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }')
	sched_s=$(awk -v n="$ns" 'BEGIN { printf "%.4f", n / 1e9 }')
	us=$(awk -v c="$cpu_s" -v n="$S_OK" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n; else print "" }')
	br=$(branches_of "$cfg" "$b")
	clean=1
	[ "$S_FAIL" -eq 0 ] && [ "$S_OK" -eq "$S_SENT" ] && [ $((S_RETR * 100)) -lt "$S_SENT" ] || clean=0
	# the cluster point: not a single retransmission either
	case $phase in cluster-*) [ "$S_RETR" -eq 0 ] || clean=0 ;; esac
	if is_ladder "$phase"; then
		awk -v a="$S_RATE" -v r="$rate" 'BEGIN { exit !(a >= 0.95 * r) }' || clean=0
	fi
	echo "$phase,$cfg,$b,$run,$rate,$S_SENT,$S_OK,$S_FAIL,$S_RETR,$S_RATE,$br,$cpu_s,$sched_s,$us,,,$clean" >>"$RUNS"
	log "$(printf '%-8s %-8s b=%-2s run=%s rate=%-5s sent=%-5s 2xx=%-5s fail=%-3s retr=%-4s achieved=%-7.1f cpu=%ss -> %s us/push' \
		"$phase" "$cfg" "$b" "$run" "$rate" "$S_SENT" "$S_OK" "$S_FAIL" "$S_RETR" "$S_RATE" "$cpu_s" "${us:-?}")"
	RUN_CLEAN=$clean
	RUN_US=$us
}

is_ladder() { case $1 in ladder | *-ladder) return 0 ;; esac; return 1; }

median()
{
	tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2];
			else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- phase 1: native ----------------------------------------------------------------

native_phase()
{
	local kam b run n pairs count rate r alive mem_shm mem_pkg try

	log "native: starting both proxies (children=$CHILDREN, -m $SHM -M $PKG)"
	for kam in $CONFIGS; do
		kam_start "$kam" "$kam" "$CHILDREN"
		REG_OK[$kam]=1
	done
	sleep 1
	for kam in $CONFIGS; do
		MEM0_SHM[$kam]=$(shm_used "$kam")
		MEM0_PKG[$kam]=$(pkg_used "$kam")
	done

	log "native: registering $USERS bindings per group (bindings per user: $BPUS)"
	for b in $BPUS; do
		for kam in $CONFIGS; do
			mem_shm=$(shm_used "$kam")
			mem_pkg=$(pkg_used "$kam")
			register_group "$kam" "$b" "$REG_RATE"
			wait_for 150 tm_idle "$kam"
			n=$(bindings_of "$b")
			BYTES_SHM[$kam,$b]=$((($(shm_used "$kam") - mem_shm) / n))
			BYTES_PKG[$kam,$b]=$((($(pkg_used "$kam") - mem_pkg) / n))
			log "  $kam b=$b: $n bindings, shm +${BYTES_SHM[$kam,$b]} B/binding, pkg +${BYTES_PKG[$kam,$b]} B/binding"
		done
	done

	log "native: warm-up, $RATE pushes at $RATE/s to each proxy (not counted)"
	b=$(echo "$BPUS" | awk '{ print $1 }')
	for kam in $CONFIGS; do
		sipp_uac "warm-$kam" push.xml "push-$b.csv" "$RATE" "$RATE" "$kam"
	done
	for kam in $CONFIGS; do
		wait_for 150 tm_idle "$kam"
	done

	for b in $BPUS; do
		if [ "$b" = 1 ]; then
			pairs=$PAIRS count=$PUSHES rate=$RATE
		else
			pairs=$SCALE_PAIRS
			rate=$((RATE * 2 / (b + 1)))
			count=$((rate * SCALE_SECS))
		fi
		if [ "$b" != 1 ] && [ "$(time_left)" -lt 300 ]; then
			pairs=1
		fi
		log "native: b=$b, $pairs pair(s) of $count pushes at $rate/s"
		for run in $(seq 1 "$pairs"); do
			for kam in $CONFIGS; do
				push_run cpu "$kam" "$b" "$run" "$count" "$rate"
				CPU_LIST[$kam,$b]="${CPU_LIST[$kam,$b]:-} $RUN_US"
			done
		done
	done

	log "native: rate ladder at 1 binding per user ($LADDER_SECS s per step)"
	alive="$CONFIGS"
	# its first step is the fixed rate the b=1 runs above had
	for kam in $CONFIGS; do
		MAXRATE[$kam]=0
		awk -F, -v c="$kam" '$1 == "cpu" && $2 == c && $3 == 1 { n++; if ($17 != 1) bad++ }
			END { exit !(n > 0 && bad == 0) }' "$RUNS" && MAXRATE[$kam]=$RATE
	done
	for r in $LADDER; do
		[ "$r" -gt "$RATE" ] || continue
		[ -n "$alive" ] || break
		if [ "$(time_left)" -lt 260 ]; then
			log "native: time budget reached, ladder stopped before $r/s"
			break
		fi
		for kam in $alive; do
			# a step fails only when all LADDER_TRIES tries fail: the
			# machine is shared, and a busy second elsewhere only ever
			# makes a try worse
			try=1
			push_run ladder "$kam" 1 "$r" $((r * LADDER_SECS)) "$r"
			while [ "$RUN_CLEAN" != 1 ] && [ "$try" -lt "$LADDER_TRIES" ]; do
				try=$((try + 1))
				log "  $kam not clean at $r/s: try $try of $LADDER_TRIES"
				push_run ladder "$kam" 1 "$r-try$try" $((r * LADDER_SECS)) "$r"
			done
			if [ "$RUN_CLEAN" = 1 ]; then
				MAXRATE[$kam]=$r
			else
				alive=$(echo "$alive" | tr ' ' '\n' | grep -vx "$kam" | xargs)
			fi
		done
	done
	[ -z "$(echo "$alive" | xargs)" ] || LADDER_TOP=1

	log "native: removing every binding, then the leak check"
	for kam in $CONFIGS; do
		for b in $BPUS; do
			sipp_uac "unreg-$kam-$b" unregister.xml "unreg-$b.csv" \
				"$(users_of "$b")" "$REG_RATE" "$kam"
			[ "$S_FAIL" -eq 0 ] || log "WARNING: $kam group $b: $S_FAIL unREGISTERs failed"
		done
	done
	for kam in $CONFIGS; do
		wait_for 400 tm_idle "$kam" || log "WARNING: $kam transactions left"
		LEFT_CONTACTS[$kam]=$(rpc "$kam" ul.dump brief 2>/dev/null | grep -c 'AoR:')
	done
	for kam in $CONFIGS; do
		mem_shm=$(shm_used "$kam")
		mem_pkg=$(pkg_used "$kam")
		LEAK_SHM[$kam]=$((mem_shm - MEM0_SHM[$kam]))
		LEAK_PKG[$kam]=$((mem_pkg - MEM0_PKG[$kam]))
		log "  $kam: shm used ${MEM0_SHM[$kam]} -> $mem_shm ($((LEAK_SHM[$kam])) B), pkg ${MEM0_PKG[$kam]} -> $mem_pkg ($((LEAK_PKG[$kam])) B), AoRs left ${LEFT_CONTACTS[$kam]}"
		rpc "$kam" stats.get_statistics all >"$W/$kam.stats.txt" 2>&1
	done
	for kam in $CONFIGS; do
		kam_stop "$kam"
	done
}
declare -A LEFT_CONTACTS
LADDER_TOP=0

# ---- phase 2: callgrind -------------------------------------------------------------

# mark KAM: the OPTIONS marker; the SIP worker dumps its counters.
mark()
{
	local before
	before=$(cg_dumps "$1" | wc -l)
	sipp_uac "mark-$1-$before" mark.xml "" 1 1 "$1" -nr ||
		log "WARNING: marker to $1 not answered"
	wait_for 100 cg_dump_count_gt "$1" "$before" || log "WARNING: no callgrind dump after the marker"
	CG_LAST=$(cg_dumps "$1" | tail -n 1)
}

# The SIP worker's dumps in order of their number, the part after the last
# dot (the directory may contain dots too).
cg_dumps()
{
	ls "$OUT/callgrind/$1.out.${CG_WORKER[$1]}."* 2>/dev/null |
		awk -F. '{ print $NF "\t" $0 }' | sort -n | cut -f2-
}
cg_dump_count_gt() { [ "$(cg_dumps "$1" | wc -l)" -gt "$2" ]; }
cg_instr() { awk '$1 == "summary:" || $1 == "totals:" { print $2; exit }' "$1"; }

declare -A CG_WORKER

# cg_run CFG TAG BPUS: one proxy under callgrind, group after group. Its SIP
# worker handles every request and reply; markers split its instruction
# counts into startup, registration, warm-up and push intervals. The pushes
# are sent one at a time (-l 1): however slow valgrind is, no request waits
# long enough to be retransmitted, so the count is the same on an idle or a
# busy machine. TAG names the variant (results in cg-CFG[-TAG].txt).
cg_run()
{
	local cfg=$1 tag=$2 bpus=$3 sfx kam b n count instr per reg_file push_file clean secs
	sfx=${tag:+-$tag}
	kam="cg-$cfg$sfx"
	kam_start "$kam" "$cfg" 1 valgrind --tool=callgrind --vgdb=no --dump-instr=no \
		--compress-strings=no --compress-pos=no \
		--dump-before=w_isdsturiset \
		"--callgrind-out-file=$OUT/callgrind/$kam.out.%p"
	CG_WORKER[$kam]=$(rpc "$kam" core.psx | awk '$1 == "PID:" { pid = $2 }
		$1 == "DSC:" && /udp receiver/ { print pid; exit }')
	[ -n "${CG_WORKER[$kam]}" ] || die "no SIP worker in $kam"
	mark "$kam"
	for b in $bpus; do
		if [ "$b" != 1 ] && [ "$b" != 10 ] && [ "$(time_left)" -lt 150 ]; then
			log "callgrind $cfg$sfx: time budget reached, b=$b skipped"
			continue
		fi
		n=$(cg_bindings_of "$b")
		UAC_LIMIT=10 UAC_SECS=$((n / 5 + 60)) \
			sipp_uac "$kam-reg-$b" register.xml "reg-$b.csv" "$n" "$CG_REG_RATE" "$kam"
		[ "$S_OK" = "$n" ] || log "WARNING: callgrind $cfg$sfx: $S_OK of $n REGISTERs answered"
		sleep 1
		mark "$kam"
		reg_file=$CG_LAST
		{ echo SEQUENTIAL; sed -n "2,$((n / b + 1))p" "$W/push-$b.csv"; } >"$W/push-cg-$b.csv"
		# warm-up, not counted: valgrind translates the code paths a push
		# takes on their first run
		UAC_LIMIT=1 UAC_SECS=60 sipp_uac "$kam-warm-$b" push.xml "push-cg-$b.csv" 10 100 "$kam"
		sleep 1
		mark "$kam"
		count=$(cg_pushes_of "$b")
		secs=$((count * b / 5 + 60))
		UAC_LIMIT=1 UAC_SECS=$secs sipp_uac "$kam-push-$b" push.xml "push-cg-$b.csv" "$count" 1000 "$kam"
		set -- "$S_SENT" "$S_OK" "$S_FAIL" "$S_RETR" "$S_RATE"
		sleep 1
		mark "$kam"
		push_file=$CG_LAST
		instr=$(cg_instr "$push_file")
		per=$(awk -v i="$instr" -v n="$2" 'BEGIN { if (n > 0) printf "%.0f", i / n }')
		clean=$([ "$3" = 0 ] && [ "$1" = "$2" ] && [ "$4" = 0 ] && echo 1 || echo 0)
		echo "callgrind$sfx,$cfg,$b,1,closed-loop,$1,$2,$3,$4,$5,$(branches_of "$cfg" "$b"),,,,$instr,$per,$clean" >>"$RUNS"
		echo "$cfg $b $per $(awk -v i="$(cg_instr "$reg_file")" -v n="$n" 'BEGIN { printf "%.0f", i / n }') $4 $push_file" \
			>>"$W/cg-$cfg$sfx.txt"
		log "callgrind$sfx $cfg b=$b: $2/$1 pushes (one at a time, $5/s), retrans $4, $per instructions/push"
	done
	kam_stop "$kam" 600
}

# cg_pair TAG BPUS [kamailio options]: both configurations under callgrind,
# in parallel, each in a subshell with its own ports and PID file.
cg_pair()
{
	local tag=$1 bpus=$2 cfg pids="" p base=$((PORT_BASE + PORT_SPAN))
	shift 2
	[ "$tag" = tlsf ] && base=$((PORT_BASE + 3 * PORT_SPAN))
	for cfg in $CONFIGS; do
		: >"$W/cg-$cfg${tag:+-$tag}.txt"
		(
			PIDS_FILE=$W/pids-cg-$cfg
			: >"$PIDS_FILE"
			PORT_NEXT=$base
			KAM_ARGS="$KAM_ARGS $*"
			trap cleanup EXIT
			cg_run "$cfg" "$tag" "$bpus"
		) &
		pids="$pids $!"
		base=$((base + PORT_SPAN))
	done
	# cg_run is bounded by its own waits; the subshells end with it
	for p in $pids; do
		wait "$p"
	done
}

cg_phase()
{
	log "callgrind: both proxies with children=1 under valgrind, in parallel (default allocator)"
	cg_pair "" "$CG_BPU"
	if [ "$CG_TLSF" = 1 ]; then
		if [ "$(time_left)" -lt 100 ]; then
			log "callgrind: time budget reached, no tlsf pass"
		else
			log "callgrind: again with -x tlsf, where allocations are cheap"
			cg_pair tlsf "$CG_BPU" -x tlsf
		fi
	fi
}

# ---- phase 3: cluster ----------------------------------------------------------------

# pg_start: a private PostgreSQL server (scripts/pg-cluster.sh) under
# build/, on a port of the cluster range; sets PG_URL, and K_PID[pg] for
# cpu_read (its backends are the postmaster's children).
pg_start()
{
	local pid
	free_port
	PG_DIR=$ROOT/build/bench-pg-$$
	PG_URL=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR" "$FREE_PORT") ||
		die "PostgreSQL did not start (see $PG_DIR/postgres.log)"
	pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)
	case "$pid" in '' | *[!0-9]*) die "no PostgreSQL PID in $PG_DIR/data/postmaster.pid" ;; esac
	K_PID[pg]=$pid
}

# pg_stop: stop the server (by the PID in its postmaster.pid, bounded);
# its log is kept with the results, its data removed.
pg_stop()
{
	[ -n "${PG_DIR:-}" ] || return 0
	[ -d "$PG_DIR" ] || { PG_DIR=; return 0; }
	"$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" ||
		log "WARNING: PostgreSQL in $PG_DIR did not stop cleanly"
	cp "$PG_DIR/postgres.log" "$W/postgres-$CL_CUR.log" 2>/dev/null
	rm -rf "$PG_DIR"
	PG_DIR=
	unset 'K_PID[pg]'
}

cl_elapsed() { echo $(($(date +%s) - CL_START)); }
cl_time_left() { echo $((CL_BUDGET - $(cl_elapsed))); }

declare -A CL_CPU CL_PGCPU CL_INSTR CL_INSTR_TLSF CL_MAXRATE CL_TOP CL_REG

# cl_push_run PHASE KAM RUN COUNT RATE: push_run on the cluster's users,
# with the PostgreSQL server's CPU (all its processes) over the same run.
cl_push_run()
{
	local p0 p1
	p0=$(cpu_read pg)
	PUSH_CSV=push-cl.csv push_run "$1" "$2" 1 "$3" "$4" "$5"
	p1=$(cpu_read pg)
	RUN_PG_US=$(awk -v t=$((${p1% *} - ${p0% *})) -v hz="$(getconf CLK_TCK)" -v n="$S_OK" \
		'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n }')
	echo "$1,${K_CFG[$2]},1,$3,$5,$S_SENT,$S_OK,$S_FAIL,$S_RETR,$S_RATE,$RUN_US,$RUN_PG_US,,$RUN_CLEAN" >>"$CL_RUNS"
}

# cl_callgrind CFG TAG [kamailio options]: proxy B again, alone under
# callgrind (children=1), on the bindings proxy A registered; the pushes
# one at a time between two markers, as in cg_run. Sets CL_LAST_INSTR.
cl_callgrind()
{
	local cfg=$1 tag=$2 kam instr per n
	shift 2
	kam="cl-cg-$cfg${tag:+-$tag}"
	CL_LAST_INSTR=
	KAM_DEFS=("${CL_DEFS[@]}" -A "SERVER_ID=2")
	KAM_ARGS="$KAM_ARGS $*" kam_start "$kam" "$cfg" 1 valgrind --tool=callgrind --vgdb=no --dump-instr=no \
		--compress-strings=no --compress-pos=no --dump-before=w_isdsturiset \
		"--callgrind-out-file=$OUT/callgrind/$kam.out.%p"
	CG_WORKER[$kam]=$(rpc "$kam" core.psx | awk '$1 == "PID:" { pid = $2 }
		$1 == "DSC:" && /udp receiver/ { print pid; exit }')
	[ -n "${CG_WORKER[$kam]}" ] || die "no SIP worker in $kam"
	UAC_LIMIT=1 UAC_SECS=60 sipp_uac "$kam-warm" push.xml push-cl.csv 20 100 "$kam"
	sleep 1
	mark "$kam"
	n=$CL_CG_PUSHES
	UAC_LIMIT=1 UAC_SECS=$((n / 5 + 60)) sipp_uac "$kam-push" push.xml push-cl.csv "$n" 1000 "$kam"
	set -- "$S_SENT" "$S_OK" "$S_FAIL" "$S_RETR" "$S_RATE"
	sleep 1
	mark "$kam"
	instr=$(cg_instr "$CG_LAST")
	per=$(awk -v i="$instr" -v n="$2" 'BEGIN { if (n > 0) printf "%.0f", i / n }')
	echo "cluster-callgrind${tag:+-$tag},$cfg,1,1,closed-loop,$1,$2,$3,$4,$5,,,,,$per,$([ "$3" = 0 ] && [ "$1" = "$2" ] && [ "$4" = 0 ] && echo 1 || echo 0)" >>"$CL_RUNS"
	log "cluster callgrind${tag:+ $tag} $cfg: $2/$1 pushes through B (one at a time), retrans $4, $per instructions/push"
	[ "$1" = "$2" ] && [ "$3" = 0 ] && CL_LAST_INSTR=$per
	CL_PROFILE[$cfg${tag:+-$tag}]=$CG_LAST
	kam_stop "$kam" 600
}
declare -A CL_PROFILE

# cluster_config CFG: a fresh PostgreSQL server; proxies A (SERVER_ID 1)
# and B (2) with usrloc db_mode 3 on it; the bindings registered through
# A; on B: CPU runs, the rate ladder, then callgrind (qm, tlsf).
cluster_config()
{
	local cfg=$1 a=cl-$1-A bb=cl-$1-B run r try kam
	CL_CUR=$cfg
	pg_start
	CL_DEFS=(-A "DB_URL=\"$PG_URL\"")
	log "cluster $cfg: PostgreSQL on ${PG_URL##*@}; proxies A and B (children=$CHILDREN, usrloc db_mode 3)"
	KAM_DEFS=("${CL_DEFS[@]}" -A "SERVER_ID=1")
	kam_start "$a" "$cfg" "$CHILDREN"
	KAM_DEFS=("${CL_DEFS[@]}" -A "SERVER_ID=2")
	kam_start "$bb" "$cfg" "$CHILDREN"

	sipp_uac "cl-reg-$cfg" register.xml reg-cl.csv "$CL_USERS" "$CL_REG_RATE" "$a" ||
		die "cluster $cfg: the registration sent nothing"
	CL_REG[$cfg]="$S_OK/$CL_USERS"
	[ "$S_OK" = "$CL_USERS" ] && [ "$S_FAIL" = 0 ] ||
		log "WARNING: cluster $cfg: $S_OK of $CL_USERS REGISTERs through A answered 200"
	wait_for 150 tm_idle "$a"
	log "cluster $cfg: $S_OK bindings registered through A; location rows: $(PGCONNECT_TIMEOUT=5 timeout 10 psql "$PG_URL" -X -A -t -q -c 'select count(*) from location' 2>/dev/null)"

	# warm-up through B, not counted
	sipp_uac "cl-warm-$cfg" push.xml push-cl.csv "$CL_RATE" "$CL_RATE" "$bb"
	wait_for 150 tm_idle "$bb"

	for run in $(seq 1 "$CL_RUNS_N"); do
		cl_push_run cluster-cpu "$bb" "$run" "$CL_PUSHES" "$CL_RATE"
		CL_CPU[$cfg]="${CL_CPU[$cfg]:-} $RUN_US"
		CL_PGCPU[$cfg]="${CL_PGCPU[$cfg]:-} $RUN_PG_US"
	done

	# the ladder starts above the fixed rate, which counts as its first
	# step when all its runs were clean
	CL_MAXRATE[$cfg]=0
	awk -F, -v c="$cfg" '$1 == "cluster-cpu" && $2 == c { n++; if ($14 != 1) bad++ }
		END { exit !(n > 0 && bad == 0) }' "$CL_RUNS" && CL_MAXRATE[$cfg]=$CL_RATE
	CL_TOP[$cfg]=1
	if [ "${CL_MAXRATE[$cfg]}" = 0 ]; then CL_TOP[$cfg]=0; fi
	for r in $CL_LADDER; do
		[ "$r" -gt "$CL_RATE" ] || continue
		[ "${CL_TOP[$cfg]}" = 1 ] || break
		if [ "$(cl_time_left)" -lt $((CL_RESERVE / 2 + 30)) ]; then
			log "cluster $cfg: time budget reached, ladder stopped before $r/s"
			CL_TOP[$cfg]=0
			break
		fi
		try=1
		cl_push_run cluster-ladder "$bb" "$r" $((r * LADDER_SECS)) "$r"
		while [ "$RUN_CLEAN" != 1 ] && [ "$try" -lt "$LADDER_TRIES" ]; do
			try=$((try + 1))
			log "  cluster $cfg not clean at $r/s: try $try of $LADDER_TRIES"
			cl_push_run cluster-ladder "$bb" "$r-try$try" $((r * LADDER_SECS)) "$r"
		done
		if [ "$RUN_CLEAN" = 1 ]; then CL_MAXRATE[$cfg]=$r; else CL_TOP[$cfg]=0; fi
	done
	kam_stop "$bb"

	if [ "$CL_CG" = 1 ] && command -v valgrind >/dev/null; then
		cl_callgrind "$cfg" ""
		CL_INSTR[$cfg]=$CL_LAST_INSTR
		if [ "$CG_TLSF" = 1 ] && [ "$(cl_time_left)" -gt $((CL_RESERVE / 2)) ]; then
			cl_callgrind "$cfg" tlsf -x tlsf
			CL_INSTR_TLSF[$cfg]=$CL_LAST_INSTR
		fi
	fi
	KAM_DEFS=()
	kam_stop "$a"
	pg_stop
}

cluster_phase()
{
	local cfg
	CL_START=$(date +%s)
	PORT_NEXT=$((PORT_BASE + 5 * PORT_SPAN))
	(cd "$W" && make_group 1 "$CL_USERS" cl)
	CL_RUNS=$OUT/cluster-runs.csv
	echo "phase,config,bpu,run,target_rate,sent,ok_2xx,failed,retrans,achieved_rate,cpu_us_per_push_B,cpu_us_per_push_pg,instr_per_push_B,clean" >"$CL_RUNS"
	log "cluster: two proxies on one PostgreSQL (usrloc db_mode 3), $CL_USERS users with 1 binding registered through A, pushes through B"
	# each configuration's share of the time; the second one gets what the
	# first one left
	CL_RESERVE=$((CL_BUDGET / 2))
	cluster_config baseline
	CL_RESERVE=0
	cluster_config push
	log "cluster: done in $(cl_elapsed) s"
}

cluster_report()
{
	local cfg R=$OUT/cluster.csv
	local -A C P
	echo "config,users,registered,cpu_runs,cpu_us_per_push_B,cpu_us_per_push_B_all,cpu_us_per_push_pg,instr_per_push_B,instr_per_push_B_tlsf,max_clean_rate,max_rate_top_of_ladder,ratio_cpu_B,ratio_instr,ratio_instr_tlsf,ratio_max_rate" >"$R"
	for cfg in $CONFIGS; do
		C[$cfg]=$(echo ${CL_CPU[$cfg]:-} | median)
		P[$cfg]=$(echo ${CL_PGCPU[$cfg]:-} | median)
		echo -n "$cfg,$CL_USERS,${CL_REG[$cfg]:-},$(echo ${CL_CPU[$cfg]:-} | wc -w),${C[$cfg]},$(echo ${CL_CPU[$cfg]:-} | tr ' ' '/'),${P[$cfg]},${CL_INSTR[$cfg]:-},${CL_INSTR_TLSF[$cfg]:-},${CL_MAXRATE[$cfg]:-},$([ "${CL_TOP[$cfg]:-0}" = 1 ] && echo 1 || echo 0)" >>"$R"
		if [ "$cfg" = push ]; then
			echo ",$(ratio "${C[push]}" "${C[baseline]}"),$(ratio "${CL_INSTR[push]:-}" "${CL_INSTR[baseline]:-}"),$(ratio "${CL_INSTR_TLSF[push]:-}" "${CL_INSTR_TLSF[baseline]:-}"),$(ratio "${CL_MAXRATE[push]:-}" "${CL_MAXRATE[baseline]:-}")" >>"$R"
		else
			echo ",,,," >>"$R"
		fi
	done
	echo
	echo "== cluster point: proxies A and B on one PostgreSQL (usrloc db_mode 3), $CL_USERS users x 1 binding registered through A, pushes through B"
	echo "   CPU = median of $CL_RUNS_N runs of $CL_PUSHES pushes at $CL_RATE/s, per 2xx, all of B's processes / all of PostgreSQL's (a shared"
	echo "   $(nproc)-core machine: noisy); instr = callgrind, B's SIP worker alone (PostgreSQL's work not included), per push."
	awk -F, 'NR == 1 { printf "%-8s %8s %9s %9s %11s %11s %9s\n", "config", "reg.", "CPU-us B", "CPU-us pg", "instr (qm)", "instr tlsf", "max/s"; next }
		{ printf "%-8s %8s %9s %9s %11s %11s %8s%s\n", $1, $3, $5, $7, $8, $9, $10, ($11 == 1 ? "+" : "") }' "$R"
	echo "   (max/s: highest clean rate through B, 0 failures and 0 retransmissions, best of $LADDER_TRIES tries per step; + = top of the ladder, a lower bound)"
	echo "cluster summary: instructions/push push/baseline $(awk -F, '$1 == "push" { print $13 }' "$R") (qm), $(awk -F, '$1 == "push" { print $14 }' "$R") (tlsf);" \
		"CPU/push on B $(awk -F, '$1 == "push" { print $12 }' "$R");" \
		"max clean rate baseline ${CL_MAXRATE[baseline]:-?}/s, push ${CL_MAXRATE[push]:-?}/s"
	echo "   (results: $R, runs: $CL_RUNS)"
	cluster_profile
}

# callgrind_annotate of B's pushes (profile-cluster-*.txt), and where the
# instructions of a push go: usrloc's loading of the record from the
# database (db_load_urecord), PostgreSQL queries sent.
cluster_profile()
{
	local key file n phase q m
	command -v callgrind_annotate >/dev/null || return 0
	for key in baseline push baseline-tlsf push-tlsf; do
		file=${CL_PROFILE[$key]:-}
		[ -n "$file" ] && [ -f "$file" ] || continue
		callgrind_annotate --threshold=100 "$file" >"$OUT/profile-cluster-$key.txt" 2>&1
		callgrind_annotate --tree=calling --inclusive=yes --threshold=100 "$file" \
			>"$OUT/profile-cluster-$key-inclusive.txt" 2>&1
		phase=cluster-callgrind
		case $key in *-tlsf) phase=cluster-callgrind-tlsf ;; esac
		n=$(awk -F, -v p="$phase" -v c="${key%-tlsf}" '$1 == p && $2 == c { print $7 }' "$CL_RUNS")
		[ -n "$n" ] && [ "$n" -gt 0 ] || continue
		# queries: the calls of PQsendQuery recorded in the dump
		q=$(awk '/^cfn=/ { q = ($0 ~ /PQsendQuery$/) }
			/^calls=/ && q { split($1, a, "="); c += a[2]; q = 0 } END { print c + 0 }' "$file")
		# the allocator's own instructions (qm's free-list walks)
		m=$(awk '/^ *[0-9,]+ \([ 0-9.]+%\)  \?\?\?:(qm|tlsf)_(malloc|free) / {
				f = $0; sub(/.*\?\?\?:/, "", f); sub(/ .*/, "", f)
				v = $1; gsub(/,/, "", v); if (!seen[f]++) t += v } END { print t + 0 }' \
			"$OUT/profile-cluster-$key.txt")
		awk -v n="$n" -v k="$key" -v q="$q" -v m="$m" '/\* +\?\?\?:db_load_urecord / {
				v = $1; gsub(/,/, "", v); if (!d) d = v / n }
			END { printf "   %-14s per push: %.0f instructions in usrloc db_load_urecord (inclusive), %.0f in malloc/free (own), %.2f database queries\n",
				k, d, m / n, q / n }' "$OUT/profile-cluster-$key-inclusive.txt"
	done
	echo "   (profiles: $OUT/profile-cluster-*.txt)"
}

# ---- main -------------------------------------------------------------------------

for tool in kamailio kamcmd sipp awk ps timeout; do
	command -v "$tool" >/dev/null || die "$tool not found: run scripts/deps.sh bench"
done
[ -f "$ROOT/modules/push/push.so" ] || die "modules/push/push.so not built: run make"

log "output: $OUT"
log "$(kamailio -v | head -n 1); $(sipp -v 2>&1 | awk 'NF { print; exit }'); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

start_devices
(cd "$W" && make_inputs)
if [ "${BENCH_NATIVE:-1}" = 1 ]; then
	native_phase
fi

if [ "$CG" = 1 ]; then
	if perf stat -x, -e instructions:u true 2>&1 | grep -q '^[0-9]'; then
		log "perf counts instructions here, but the SIP worker's share is taken with callgrind for stable counts"
	else
		log "perf: no instruction counter on this machine; callgrind it is"
	fi
	if command -v valgrind >/dev/null; then
		cg_phase
	else
		log "valgrind not found: no instruction counts"
	fi
fi
if [ "$CLUSTER" = 1 ]; then
	command -v psql >/dev/null || die "psql not found: run scripts/deps.sh bench"
	cluster_phase
fi

# ---- report ---------------------------------------------------------------------------

# cg_field CFG B COLUMN: from $W/cg-CFG.txt ("cfg b instr/push instr/reg retrans file")
cg_field()
{
	awk -v b="$2" -v c="$3" '$2 == b { print $c; exit }' "$W/cg-$1.txt" 2>/dev/null
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 > 0) printf "%.3f", a / b }'; }

report()
{
	local b cfg R=$OUT/results.csv cpu instr itlsf ireg retr runs line
	local -A V

	echo "bpu,config,users,bindings,branches_per_push,cpu_runs,cpu_us_per_push,cpu_us_per_push_all,instr_per_push,instr_per_push_tlsf,instr_per_register,cg_retrans,shm_bytes_per_binding,pkg_bytes_per_binding,ratio_cpu,ratio_instr,ratio_instr_tlsf,ratio_shm_bytes" >"$R"
	: >"$W/plot.dat"
	for b in $BPUS; do
		for cfg in $CONFIGS; do
			runs=$(echo ${CPU_LIST[$cfg,$b]:-} | wc -w)
			cpu=$(echo ${CPU_LIST[$cfg,$b]:-} | median)
			instr=$(cg_field "$cfg" "$b" 3)
			itlsf=$(cg_field "$cfg-tlsf" "$b" 3)
			ireg=$(cg_field "$cfg" "$b" 4)
			retr=$(cg_field "$cfg" "$b" 5)
			V[$cfg,cpu]=$cpu V[$cfg,instr]=$instr V[$cfg,itlsf]=$itlsf V[$cfg,bytes]=${BYTES_SHM[$cfg,$b]:-}
			line="$b,$cfg,$(users_of "$b"),$(bindings_of "$b"),$(branches_of "$cfg" "$b"),$runs,$cpu,$(echo ${CPU_LIST[$cfg,$b]:-} | tr ' ' '/'),$instr,$itlsf,$ireg,$retr,${BYTES_SHM[$cfg,$b]:-},${BYTES_PKG[$cfg,$b]:-}"
			if [ "$cfg" = push ]; then
				line="$line,$(ratio "${V[push,cpu]}" "${V[baseline,cpu]}"),$(ratio "${V[push,instr]}" "${V[baseline,instr]}"),$(ratio "${V[push,itlsf]}" "${V[baseline,itlsf]}"),$(ratio "${V[push,bytes]}" "${V[baseline,bytes]}")"
			else
				line="$line,,,,"
			fi
			echo "$line" >>"$R"
		done
		echo "$b ${V[baseline,cpu]:-?} ${V[push,cpu]:-?} $(ratio "${V[push,cpu]}" "${V[baseline,cpu]}") ${V[baseline,instr]:-?} ${V[push,instr]:-?} $(ratio "${V[push,instr]}" "${V[baseline,instr]}") $(ratio "${V[push,itlsf]}" "${V[baseline,itlsf]}")" |
			awk '{ for (i = 1; i <= 8; i++) printf "%s%s", (i > NF || $i == "" ? "?" : $i), (i < 8 ? " " : "\n") }' >>"$W/plot.dat"
	done

	echo
	echo "== push module benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kamailio children=$CHILDREN, -m $SHM -M $PKG)"
	echo "   results: $OUT"
	echo
	echo "Per point. b = bindings per user; a push reaches all b bindings with the baseline"
	echo "(registrar's lookup() ignores caller preferences), the ceil(b/2) mms.ua ones with push."
	echo "CPU-us = median over the runs of kamailio's utime+stime (all processes) per 2xx;"
	echo "instr = callgrind, SIP worker, per push, Kamailio's default allocator (qm) and -x tlsf."
	awk -F, 'NR == 1 { next }
		BEGIN { printf "%-3s %-8s %5s %5s %6s %9s %10s %10s %9s %8s %6s %7s %7s %7s %7s\n",
			"b", "config", "users", "bind.", "branch", "CPU-us", "instr", "instr", "instr", "shm B", "pkg B",
			"CPU", "instr", "instr", "bytes"
		  printf "%-3s %-8s %5s %5s %6s %9s %10s %10s %9s %8s %6s %7s %7s %7s %7s\n",
			"", "", "", "", "/push", "/push", "/push qm", "/push tlsf", "/REG qm", "/bind.", "/bind.",
			"x", "x qm", "x tlsf", "x" }
		{ printf "%-3s %-8s %5s %5s %6s %9s %10s %10s %9s %8s %6s %7s %7s %7s %7s\n",
			$1, $2, $3, $4, $5, $7, $9, $10, $11, $13, $14, $15, $16, $17, $18 }' "$R"
	echo
	echo "Runs (runs.csv):"
	awk -F, 'NR == 1 { printf "%-14s %-8s %3s %-9s %6s %6s %6s %5s %6s %9s %6s %7s %9s %11s %5s\n",
			"phase", "config", "b", "run", "rate", "sent", "2xx", "fail", "retr", "achieved",
			"branch", "cpu_s", "us/push", "instr/push", "clean"; next }
		{ printf "%-14s %-8s %3s %-9s %6s %6s %6s %5s %6s %9.1f %6s %7s %9s %11s %5s\n",
			$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $16, $17 }' "$RUNS"
	echo
	plot
	goals
}

plot()
{
	local term=png
	command -v gnuplot >/dev/null || { echo "gnuplot not found: no plot"; return; }
	gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo && term=pngcairo
	if gnuplot -e "datafile='$W/plot.dat'; outfile='$OUT/cpu-per-push.png'; termname='$term'" \
		"$BENCH/plot.gp" 2>"$W/gnuplot.err"; then
		echo "Plot: $OUT/cpu-per-push.png"
	else
		echo "gnuplot failed: $(head -n 3 "$W/gnuplot.err")"
	fi
}

# linear_fit FILE: "slope intercept r2" of the points "x y" in FILE
linear_fit()
{
	awk 'NF == 2 && $2 != "" { n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2; syy += $2 * $2 }
		END { if (n < 3) { print "? ? ?"; exit }
			d = n * sxx - sx * sx; a = (n * sxy - sx * sy) / d; c = (sy - a * sx) / n
			r = (n * sxy - sx * sy) / sqrt(d * (n * syy - sy * sy))
			printf "%.1f %.1f %.4f\n", a, c, r * r }' "$1"
}

verdict() { if [ "$1" = 1 ]; then echo "met"; elif [ "$1" = 0 ]; then echo "MISSED"; else echo "not measured"; fi; }

goals()
{
	local r1 r10 ok cfg fit f x bad leak_ok reg_ok b
	echo "Goals:"
	r1=$(ratio "$(cg_field push 1 3)" "$(cg_field baseline 1 3)")
	r10=$(ratio "$(cg_field push 10 3)" "$(cg_field baseline 10 3)")
	ok=x; [ -n "$r1" ] && ok=$(awk -v r="$r1" 'BEGIN { print (r <= 1.10) ? 1 : 0 }')
	echo "  instructions push/baseline at b=1:  ${r1:-?} (goal <= 1.10): $(verdict "$ok")"
	ok=x; [ -n "$r10" ] && ok=$(awk -v r="$r10" 'BEGIN { print (r <= 1.25) ? 1 : 0 }')
	echo "  instructions push/baseline at b=10: ${r10:-?} (goal <= 1.25): $(verdict "$ok")"
	if [ -s "$W/cg-push-tlsf.txt" ]; then
		echo "      (same with -x tlsf, cheap allocations: b=1 $(cg_field push-tlsf 1 3)/$(cg_field baseline-tlsf 1 3) = $(ratio "$(cg_field push-tlsf 1 3)" "$(cg_field baseline-tlsf 1 3)"), b=10 $(cg_field push-tlsf 10 3)/$(cg_field baseline-tlsf 10 3) = $(ratio "$(cg_field push-tlsf 10 3)" "$(cg_field baseline-tlsf 10 3)"))"
	fi

	ok=x
	if [ -n "${MAXRATE[baseline]:-}" ]; then
		ok=$(awk -v p="${MAXRATE[push]}" -v b="${MAXRATE[baseline]}" 'BEGIN { print (p >= 0.9 * b) ? 1 : 0 }')
	fi
	echo "  max clean rate at b=1 (0 failures, <1% retransmissions, >=95% of the target rate reached, best of $LADDER_TRIES tries per step):"
	echo "      baseline ${MAXRATE[baseline]:-?}/s, push ${MAXRATE[push]:-?}/s$([ "$LADDER_TOP" = 1 ] && echo " (top of the ladder reached: a lower bound)") (goal push >= 0.9 x baseline): $(verdict "$ok")"

	# every point measured counts
	ok=x
	local worst=
	echo -n "  shm bytes per binding: "
	for b in $BPUS; do
		echo -n "b=$b ${BYTES_SHM[baseline,$b]:-?}/${BYTES_SHM[push,$b]:-?}  "
		[ -n "${BYTES_SHM[baseline,$b]:-}" ] && [ -n "${BYTES_SHM[push,$b]:-}" ] || continue
		x=$(ratio "${BYTES_SHM[push,$b]}" "${BYTES_SHM[baseline,$b]}")
		[ -z "$worst" ] || awk -v x="$x" -v w="$worst" 'BEGIN { exit !(x > w) }' && worst=$x
	done
	echo
	[ -n "$worst" ] && ok=$(awk -v r="$worst" 'BEGIN { print (r <= 2) ? 1 : 0 }')
	echo "      (baseline/push; goal push <= 2 x baseline at every b, worst ${worst:-?}x): $(verdict "$ok")"

	echo "  linear growth with bindings per user (least squares over b = $BPUS):"
	ok=x
	for f in instr itlsf cpu; do
		for cfg in $CONFIGS; do
			: >"$W/fit.dat"
			for b in $BPUS; do
				case $f in
				instr) x=$(cg_field "$cfg" "$b" 3) ;;
				itlsf) x=$(cg_field "$cfg-tlsf" "$b" 3) ;;
				cpu) x=$(echo ${CPU_LIST[$cfg,$b]:-} | median) ;;
				esac
				[ -n "$x" ] && echo "$b $x" >>"$W/fit.dat"
			done
			fit=$(linear_fit "$W/fit.dat")
			# shellcheck disable=SC2086
			set -- $fit
			[ "$1" = "?" ] && continue
			printf '      %-8s %-26s = %10s + %9s x b   r^2 = %s\n' "$cfg" \
				"$(case $f in instr) echo "instructions/push (qm)" ;; itlsf) echo "instructions/push (tlsf)" ;; cpu) echo "CPU-us/push" ;; esac)" "$2" "$1" "$3"
			# judged: the push configuration's instruction counts (the CPU
			# times of a shared machine are too noisy for a fit)
			if [ "$cfg" = push ] && [ "$f" != cpu ]; then
				[ "$ok" = x ] && ok=1
				awk -v r="$3" 'BEGIN { exit !(r < 0.98) }' && ok=0
			fi
		done
	done
	echo "      (goal: push instructions/push linear in b, r^2 >= 0.98): $(verdict "$ok")"

	bad=$(awk -F, '$1 != "ladder" && NR > 1 && ($8 != 0 || $7 != $6) { n++ } END { print n + 0 }' "$RUNS")
	reg_ok=1
	for cfg in $CONFIGS; do [ "${REG_OK[$cfg]:-1}" = 1 ] || reg_ok=0; done
	leak_ok=1
	for cfg in $CONFIGS; do
		awk -v d="${LEAK_SHM[$cfg]:-0}" -v m="${MEM0_SHM[$cfg]:-1}" -v dp="${LEAK_PKG[$cfg]:-0}" -v mp="${MEM0_PKG[$cfg]:-1}" \
			'BEGIN { exit !((d < 0 ? -d : d) > 0.01 * m || (dp < 0 ? -dp : dp) > 0.01 * mp) }' && leak_ok=0
		[ "${LEFT_CONTACTS[$cfg]:-0}" = 0 ] || leak_ok=0
	done
	ok=$([ "$bad" = 0 ] && [ "$reg_ok" = 1 ] && [ "$leak_ok" = 1 ] && echo 1 || echo 0)
	echo "  no failure, no leak: $bad failed push runs outside the ladder, registrations $([ "$reg_ok" = 1 ] && echo all 200 || echo "NOT all 200"),"
	for cfg in $CONFIGS; do
		echo "      $cfg: after removing every binding shm $(printf %+d "${LEAK_SHM[$cfg]:-0}") B of ${MEM0_SHM[$cfg]:-?}, pkg $(printf %+d "${LEAK_PKG[$cfg]:-0}") B of ${MEM0_PKG[$cfg]:-?} (all processes), AoRs left ${LEFT_CONTACTS[$cfg]:-?}"
	done
	echo "      (goal: 0 failures, memory within 1 % of the one before registration): $(verdict "$ok")"
}

profile()
{
	local cfg b file tag
	command -v callgrind_annotate >/dev/null || return 0
	for tag in "" -tlsf; do
		for cfg in $CONFIGS; do
			for b in 1 10; do
				file=$(cg_field "$cfg$tag" "$b" 6)
				[ -n "$file" ] && [ -f "$file" ] || continue
				callgrind_annotate --threshold=100 "$file" >"$OUT/profile-$cfg$tag-b$b.txt" 2>&1
				callgrind_annotate --tree=calling --inclusive=yes --threshold=100 "$file" \
					>"$OUT/profile-$cfg$tag-b$b-inclusive.txt" 2>&1
			done
		done
	done
	for tag in "" -tlsf; do
		file=$OUT/profile-push$tag-b1.txt
		[ -f "$file" ] || continue
		echo
		echo "Callgrind, push config${tag:+ ($tag)}, SIP worker, b=1: top functions by own instructions (per push = /$(awk -F, -v p="callgrind$tag" '$1 == p && $2 == "push" && $3 == 1 { print $7 }' "$RUNS")):"
		awk '/file:function/ { on = 1; next } on && /^ *[0-9,]+ \(/ && !/\(100\.0%\)/ { print; if (++n == 20) exit }' "$file"
		echo "  module functions, inclusive:"
		grep -E '^ *[0-9,]+ \([ 0-9.]+%\)  \*  .*modules/push/(lib/)?[a-z_]+\.c:(push_lookup|push_bindings_read|push_stamp|push_assert_identity|push_hdr_walk|push_delivery_watch|cp_evaluate|cp_fset_encode) ' \
			"$OUT/profile-push$tag-b1-inclusive.txt" | sed 's/^/  /'
	done
	echo "  (all profiles: $OUT/profile-*.txt; dumps: $OUT/callgrind/)"
}

if [ "${BENCH_NATIVE:-1}" = 1 ] || [ "$CG" = 1 ]; then
	report | tee "$OUT/report.txt"
	profile | tee -a "$OUT/report.txt"
fi
[ "$CLUSTER" = 1 ] && cluster_report | tee -a "$OUT/report.txt"
log "done in $(elapsed) s"
