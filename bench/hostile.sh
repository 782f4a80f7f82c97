#!/bin/bash
# make bench-hostile: what the module's hardening is about, measured against
# the current build of modules/push/push.so.
#
# 1. REGISTER cost by Contacts per REGISTER. One REGISTER with N Contacts
#    (N = 1, 10, 100, 300; distinct URIs, each with the push application's
#    tag and a +u.x of two numeric ranges) for a new AOR (every binding
#    inserted) and again for the same AOR (every binding refreshed), with
#    bench/push.cfg (push_save) and bench/baseline.cfg (registrar save()),
#    and with push.cfg on the module of HOSTILE_OLD_REV (the implementation
#    before the hardening, built in a git worktree), so that push's own
#    share and its growth in N are visible. Both configurations leave
#    registrar's max_contacts unset (no limit per AOR). A 300-Contact
#    REGISTER is about 24 kB: it goes over UDP, which loopback carries up to
#    64 kB, so the two configurations of make bench are used unchanged
#    (UDP only). Stable figure: instructions of the SIP worker under
#    callgrind (children=1), split by OPTIONS markers as in bench/run.sh
#    (--dump-before=w_isdsturiset), with Kamailio's default allocator (qm,
#    whose free-list walks are most of a REGISTER's instructions and grow
#    with the heap's history) and again with -x tlsf (the code's own work);
#    also Kamailio's CPU time natively.
#
# 2. Amplification. One user with HOSTILE_BINDINGS bindings (default 1000,
#    registered HOSTILE_PER_REG Contacts per REGISTER), each with
#    HOSTILE_BIND_RANGES numeric ranges in +u.x, gets MESSAGE pushes with
#    HOSTILE_VALUES Accept-Contact values of HOSTILE_RANGES ranges each,
#    disjoint from each other and from the bindings' (about 4.5 kB, over
#    TCP): every pair of values is compared range by range. bench/hostile.cfg
#    (push.cfg with TCP, -5 answered 503, match_budget settable):
#    - callgrind instructions per request (TCP worker, plus the UDP worker
#      that gets the branches' replies), with the module's default
#      match_budget (503) and with HOSTILE_BIG_BUDGET (matching done, the
#      request forked to max_branches bindings, answered 200 by a device);
#    - natively, Kamailio CPU (utime+stime and scheduler time of all its
#      processes) and latency over HOSTILE_AMP_N requests sent one at a
#      time, same two budgets; goal: at most 10 ms of CPU per request;
#    - liveness: the attack at HOSTILE_ATTACK_RATE/s for HOSTILE_ATTACK_SECS
#      while SIPp sends ordinary mms pushes at HOSTILE_PUSH_RATE/s to another
#      user (one binding, a SIPp device answering 200): pushes answered 200
#      and SIPp's response times, against the same run without the attack.
#      Over TCP (HOSTILE_LIVE_PROTOS) the attack has TCP workers of its own;
#      over UDP it shares the ordinary pushes' workers.
#
# The module is copied at the start (modules/push/push.so, waited for when
# a rebuild removed it), so the whole run measures one build. Loopback only
# (proxy 127.0.0.1, senders and devices 127.0.0.2), ports 27000-27999 only
# (SIPp's control and media ports included), every loop and wait bounded,
# every process started here stopped by its PID.
#
# All callgrind runs go in parallel (their counts do not depend on the
# load), the native ones after them, one at a time.
#
# Output: bench/results/hostile-<timestamp>/ (HOSTILE_OUT): report.txt (also
# on stdout), register.csv, amp.csv, live.csv, profile-*.txt (top functions
# of the dumps, by bench/hostile.py profile), callgrind/ dumps, work/ (logs,
# SIPp statistics). HOSTILE_REPORT_ONLY=1 HOSTILE_OUT=<that directory>
# writes its report again without measuring.
#
# Knobs (environment): HOSTILE_NS (Contacts per REGISTER, "1 10 100 300"),
# HOSTILE_OLD (0: no old module), HOSTILE_OLD_REV (b6e9d86), HOSTILE_OLD_DIR
# (its worktree, /tmp/push-old; created and built when missing, used as it
# is when it holds HOSTILE_OLD_REV), HOSTILE_BINDINGS, HOSTILE_PER_REG,
# HOSTILE_BIND_RANGES (14: 15 ranges do not fit a binding's stored feature
# set, see there), HOSTILE_VALUES, HOSTILE_RANGES, HOSTILE_BIG_BUDGET,
# HOSTILE_AMP_N, HOSTILE_CG_AMP (requests under callgrind, default budget),
# HOSTILE_CG_AMP_BIG, HOSTILE_ATTACK_RATE, HOSTILE_ATTACK_SECS,
# HOSTILE_PUSH_RATE, HOSTILE_LIVE_PROTOS ("tcp udp"), HOSTILE_CHILDREN,
# HOSTILE_CG (0: no callgrind), HOSTILE_TLSF (0: no -x tlsf pass),
# HOSTILE_NATIVE (0: no native runs). About 8 minutes with the defaults on
# 2 cores.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
. "$ROOT/scripts/wait-for.sh"
. "$BENCH/lib.sh"
OUT=${HOSTILE_OUT:-$BENCH/results/hostile-$(date +%Y%m%d-%H%M%S)}
W=$OUT/work

NS=${HOSTILE_NS:-1 10 100 300}
OLD=${HOSTILE_OLD:-1}
OLD_REV=${HOSTILE_OLD_REV:-b6e9d86}
OLD_DIR=${HOSTILE_OLD_DIR:-/tmp/push-old}
BINDINGS=${HOSTILE_BINDINGS:-1000}
PER_REG=${HOSTILE_PER_REG:-5}
# A binding's feature set is stored encoded in at most CP_FSET_MAX (512)
# bytes, 33 of them per numeric range: 14 ranges and the push tag fit, 15
# do not (push_save answers 400).
BIND_RANGES=${HOSTILE_BIND_RANGES:-14}
VALUES=${HOSTILE_VALUES:-16}
RANGES=${HOSTILE_RANGES:-28}
BIG_BUDGET=${HOSTILE_BIG_BUDGET:-100000000}
# the module's default match_budget, for the report
DEFAULT_BUDGET=$(sed -n 's/^#define CP_WORK_DEFAULT \([0-9]*\).*/\1/p' "$ROOT/modules/push/cpref.h")
: "${DEFAULT_BUDGET:=200000}"
AMP_N=${HOSTILE_AMP_N:-100}
CG_AMP=${HOSTILE_CG_AMP:-20}
CG_AMP_BIG=${HOSTILE_CG_AMP_BIG:-3}
ATTACK_RATE=${HOSTILE_ATTACK_RATE:-10}
ATTACK_SECS=${HOSTILE_ATTACK_SECS:-20}
PUSH_RATE=${HOSTILE_PUSH_RATE:-50}
LIVE_PROTOS=${HOSTILE_LIVE_PROTOS:-tcp udp}
CHILDREN=${HOSTILE_CHILDREN:-2}
CG=${HOSTILE_CG:-1}
TLSF=${HOSTILE_TLSF:-1}
NATIVE=${HOSTILE_NATIVE:-1}
SHM=256
PKG=8
CPU_GOAL_MS=10

START=$(date +%s)
# the benchmark's ports: 27000-27099 for this shell while the parallel
# callgrind runs have blocks of 100 from 27100 on; all of 27100-27999 once
# they are done
PORT_NEXT=27000
PORT_END=27099

mkdir -p "$W" "$OUT/callgrind"
PIDS_FILE=$W/pids
: >"$PIDS_FILE"

# ---- processes (the rest in bench/lib.sh) -------------------------------------

trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- ports --------------------------------------------------------------------------

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

# free_ports COUNT: FREE_PORT, the first of COUNT consecutive ports free for
# UDP and TCP, none handed out before in this (sub)shell: a TCP client port
# stays in TIME_WAIT after its connection.
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

# ---- the modules and configurations --------------------------------------------------

# mk_cfg NAME SRC MODDIR: $W/NAME.cfg, SRC with the push module taken from
# MODDIR (Kamailio's own modules as before).
mk_cfg()
{
	sed "s|^mpath=\"modules/push:|mpath=\"$3:|" "$2" >"$W/$1.cfg"
	grep -q "^mpath=\"$3:" "$W/$1.cfg" || die "cannot set the module path in $W/$1.cfg"
}

# The current build, copied once: a rebuild during the run changes nothing.
# A build in progress (module missing, or not loadable yet) is waited for.
snapshot_module()
{
	local try
	mkdir -p "$W/mod-new"
	for try in $(seq 1 30); do
		if [ -s "$ROOT/modules/push/push.so" ] &&
			cp -p "$ROOT/modules/push/push.so" "$W/mod-new/push.so" 2>/dev/null; then
			mk_cfg push-new "$BENCH/push.cfg" "$W/mod-new"
			(cd "$ROOT" && kamailio -c -f "$W/push-new.cfg" >"$W/check-new.log" 2>&1) && return 0
		fi
		log "modules/push/push.so missing or not loadable (try $try of 30): waiting 10 s for the rebuild"
		sleep 10
	done
	die "no loadable modules/push/push.so"
}

# The module of OLD_REV: OLD_DIR must be a worktree at that commit; it is
# created (git worktree add) and built when missing, against the configured
# Kamailio tree the current module was built with.
old_module()
{
	local want have ksrc
	[ "$OLD" = 1 ] || return 1
	want=$(git -C "$ROOT" rev-parse --verify -q "$OLD_REV^{commit}") ||
		{ log "old module: $OLD_REV is no commit here: skipped"; return 1; }
	if [ ! -e "$OLD_DIR" ]; then
		log "old module: git worktree add $OLD_DIR $OLD_REV"
		git -C "$ROOT" worktree add --detach "$OLD_DIR" "$want" >"$W/old-worktree.log" 2>&1 ||
			{ log "old module: worktree add failed (see $W/old-worktree.log): skipped"; return 1; }
	fi
	have=$(git -C "$OLD_DIR" rev-parse -q HEAD 2>/dev/null)
	if [ "$have" != "$want" ]; then
		log "old module: $OLD_DIR is at ${have:-no commit}, not $OLD_REV: skipped (remove it, or set HOSTILE_OLD_DIR)"
		return 1
	fi
	if [ ! -s "$OLD_DIR/modules/push/push.so" ]; then
		ksrc=$(cat "$ROOT/modules/push/.built-against" 2>/dev/null)
		[ -n "$ksrc" ] || ksrc=$ROOT/build/kamailio-5.6.3
		log "old module: building in $OLD_DIR against $ksrc"
		(cd "$OLD_DIR" && KAMAILIO_SRC=$ksrc timeout 900 make -s module) >"$W/old-build.log" 2>&1 ||
			{ log "old module: build failed (see $W/old-build.log): skipped"; return 1; }
	fi
	mkdir -p "$W/mod-old"
	cp -p "$OLD_DIR/modules/push/push.so" "$W/mod-old/push.so" || return 1
	mk_cfg push-old "$BENCH/push.cfg" "$W/mod-old"
	(cd "$ROOT" && kamailio -c -f "$W/push-old.cfg" >"$W/check-old.log" 2>&1) ||
		{ log "old module: does not load (see $W/check-old.log): skipped"; return 1; }
}

# ---- kamailio -------------------------------------------------------------------

declare -A K_PID K_PORT K_CTL

# kam_start NAME CFG CHILDREN [kamailio -A defines] [-- wrapper...]: start
# kamailio (-DD -E, and KAM_ARGS) on a free port (UDP, and TCP where CFG
# listens on it).
KAM_ARGS=
kam_start()
{
	local name=$1 cfg=$2 children=$3 ctl c defs=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		defs+=(-A "$1")
		shift
	done
	[ $# -gt 0 ] && shift
	free_ports 1
	ctl="$W/$name.ctl"
	rm -f "$ctl"
	# shellcheck disable=SC2086
	(cd "$ROOT" && exec "$@" kamailio -DD -E -w "$ROOT" -f "$cfg" -m "$SHM" -M "$PKG" $KAM_ARGS \
		-A "LISTEN_PORT=$FREE_PORT" -A "CTL_SOCKET=\"unix:$ctl\"" \
		-A "CHILDREN=$children" "${defs[@]}" >"$W/$name.log" 2>&1) &
	K_PID[$name]=$!
	track "${K_PID[$name]}"
	K_PORT[$name]=$FREE_PORT
	K_CTL[$name]=$ctl
	if ! wait_for 1200 kam_ready "$name"; then
		tail -n 20 "$W/$name.log" >&2
		die "kamailio $name ($cfg) did not start"
	fi
	for c in $(kam_children "$name"); do
		track "$c"
	done
}

tm_idle() { [ "$(rpc "$1" tm.stats | awk '$1 == "current:" { print $2 }')" = 0 ]; }
# (stats.get_statistics of one usrloc statistic prints nothing once it is
# not 0: the group is asked for)
ul_contacts()
{
	rpc "$1" stats.get_statistics usrloc: | awk '$1 == "usrloc:location_contacts" { print $NF }'
}

# worker NAME PROTO: the PID of the (first) UDP or TCP SIP worker
worker()
{
	local re='udp receiver'
	[ "$2" = tcp ] && re='tcp receiver'
	rpc "$1" core.psx | awk -v re="$re" '$1 == "PID:" { pid = $2 }
		$1 == "DSC:" && $0 ~ re { print pid; exit }'
}

# cpu_delta C0 C1: "ms_ticks ms_sched" between two cpu_read results
cpu_delta()
{
	awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		printf "%.1f %.1f\n", (y[1] - x[1]) * 1000 / hz, (y[2] - x[2]) / 1e6 }'
}

# ---- senders ----------------------------------------------------------------------

# hs KAM CMD [args]: bench/hostile.py CMD to kamailio KAM, from 2 local
# ports of the benchmark's range (HS_LPORTS=LO:HI: those, allocated by a
# caller that runs hs in the background, where free_ports would not
# remember them), bounded by HS_LIMIT s.
hs()
{
	local kam=$1 cmd=$2 lports=${HS_LPORTS:-}
	shift 2
	if [ -z "$lports" ]; then
		free_ports 2
		lports=$FREE_PORT:$((FREE_PORT + 1))
	fi
	(cd "$W" && timeout -k 5 "${HS_LIMIT:-900}" python3 "$BENCH/hostile.py" "$cmd" \
		--port "${K_PORT[$kam]}" --lports "$lports" "$@")
}

# start_device NAME: a SIPp device (bench/sipp/device.xml) on 127.0.0.2
# answering every MESSAGE 200; DEV_PORT[NAME] is its SIP port. Its control
# port and the media ports SIPp opens anyway are in the range too.
declare -A DEV_PORT
start_device()
{
	local pid
	free_ports 5
	(cd "$W" && exec sipp -sf "$BENCH/sipp/device.xml" -i 127.0.0.2 -p "$FREE_PORT" \
		-cp $((FREE_PORT + 1)) -mp $((FREE_PORT + 2)) -m 2000000000 -nostdin \
		-deadcall_wait 0 >"$W/device-$1.out" 2>&1) &
	pid=$!
	track "$pid"
	DEV_PORT[$1]=$FREE_PORT
	wait_for 50 udp_listening "$FREE_PORT" || die "device $1 did not start"
}

# ---- callgrind ------------------------------------------------------------------------

declare -A CG_WORKER CG_LAST CG_ZERO

cg_dumps()
{
	ls "$OUT/callgrind/$1.out.${CG_WORKER[$1,$2]}."* 2>/dev/null |
		awk -F. '{ print $NF "\t" $0 }' | sort -n | cut -f2-
}
cg_dump_count_gt() { [ "$(cg_dumps "$1" "$2" | wc -l)" -gt "$3" ]; }
cg_instr() { awk '$1 == "summary:" || $1 == "totals:" { print $2; exit }' "$1"; }

# cg_start NAME CFG [defines]: kamailio with children=1 under callgrind;
# the counters of a worker are dumped whenever it runs the marker.
cg_start()
{
	local name=$1 cfg=$2 proto
	shift 2
	kam_start "$name" "$cfg" 1 "$@" -- valgrind --tool=callgrind --vgdb=no --dump-instr=no \
		--compress-strings=no --compress-pos=no --dump-before=w_isdsturiset \
		"--callgrind-out-file=$OUT/callgrind/$name.out.%p"
	for proto in udp tcp; do
		CG_WORKER[$name,$proto]=$(worker "$name" "$proto")
	done
	[ -n "${CG_WORKER[$name,udp]}" ] || die "no SIP worker in $name"
}

# mark NAME PROTO...: a marker to each worker named; CG_LAST[PROTO] is the
# dump of the interval it closes, less what an empty interval costs
# (CG_ZERO, from cg_zero): the two markers' own work.
mark()
{
	local name=$1 proto before i
	shift
	for proto in "$@"; do
		before=$(cg_dumps "$name" "$proto" | wc -l)
		HS_LIMIT=300 hs "$name" mark --proto "$proto" --timeout 240 >>"$W/$name.py.log" 2>&1 ||
			log "WARNING: $name: $proto marker not answered"
		wait_for 300 cg_dump_count_gt "$name" "$proto" "$before" ||
			log "WARNING: $name: no $proto dump after the marker"
		CG_LAST[$proto]=$(cg_dumps "$name" "$proto" | tail -n 1)
		i=$(cg_instr "${CG_LAST[$proto]}")
		CG_NET[$proto]=$((${i:-0} - ${CG_ZERO[$name,$proto]:-0}))
		# an interval with nothing in it can come out a few instructions short
		[ "${CG_NET[$proto]}" -lt 0 ] && CG_NET[$proto]=0
	done
}
declare -A CG_NET

cg_zero()
{
	CG_ZERO[$1,$2]=0
	mark "$1" "$2"
	mark "$1" "$2"
	CG_ZERO[$1,$2]=$(cg_instr "${CG_LAST[$2]}")
}

# reps_cg N: REGISTERs per point under callgrind (fewer where each is big)
reps_cg() { awk -v n="$1" 'BEGIN { r = int(300 / n); print (r < 3 ? 3 : (r > 20 ? 20 : r)) }'; }
# reps_native N: natively, enough for tens of milliseconds of CPU per point
reps_native() { awk -v n="$1" 'BEGIN { r = int(3000 / n); print (r < 10 ? 10 : (r > 300 ? 300 : r)) }'; }

# aors PREFIX COUNT: --aor options for COUNT AORs
aors() { local i; for i in $(seq 0 $(($2 - 1))); do printf -- '--aor %s%d ' "$1" "$i"; done; }

# warm_up NAME TIMEOUT: not counted, a new REGISTER of the most Contacts
# and its refresh, so that their code paths have run once (first-use
# allocations; under valgrind, its translation); the Contacts are never
# sent anything, their port is that of no device.
warm_up()
{
	local n
	n=$(echo "$NS" | tr ' ' '\n' | sort -n | tail -n 1)
	hs "$1" register --aor warm --contacts "$n" --callid-salt w --cseq 1 --dev-port 27999 \
		--timeout "$2" >>"$W/$1.py.log" 2>&1
	hs "$1" register --aor warm --contacts "$n" --callid-salt w --cseq 2 --dev-port 27999 \
		--timeout "$2" >>"$W/$1.py.log" 2>&1
}

# cg_register IMPL CFG ALLOC: part 1 under callgrind for one configuration
# with Kamailio's default allocator (ALLOC qm) or -x tlsf. Lines "impl N
# kind reps instr_per_register dump" in $W/cg-reg-IMPL-ALLOC.txt.
cg_register()
{
	local impl=$1 cfg=$2 alloc=$3 name="cg-reg-$1-$3" n reps before after kind KAM_ARGS=
	[ "$alloc" = tlsf ] && KAM_ARGS="-x tlsf"
	cg_start "$name" "$cfg"
	cg_zero "$name" udp
	warm_up "$name" 600
	mark "$name" udp
	for n in $NS; do
		reps=$(reps_cg "$n")
		for kind in new refresh; do
			before=$(ul_contacts "$name")
			# shellcheck disable=SC2046
			hs "$name" register $(aors "n${n}r" "$reps") --contacts "$n" --callid-salt "n$n" \
				--cseq $([ "$kind" = new ] && echo 1 || echo 2) --dev-port 27999 --timeout 600 \
				>>"$W/$name.py.log" 2>&1 || log "WARNING: $impl N=$n $kind: not every REGISTER answered 200"
			mark "$name" udp
			after=$(ul_contacts "$name")
			[ "$kind" = new ] && [ $((after - before)) != $((n * reps)) ] &&
				log "WARNING: $impl ($alloc) N=$n: $((after - before)) bindings stored, not $((n * reps))"
			[ "$kind" = refresh ] && [ "$after" != "$before" ] &&
				log "WARNING: $impl ($alloc) N=$n refresh: bindings $before -> $after"
			echo "$impl $n $kind $reps $((CG_NET[udp] / reps)) ${CG_LAST[udp]}" >>"$W/cg-reg-$impl-$alloc.txt"
			log "callgrind $impl ($alloc) N=$n $kind: $reps REGISTERs, $((CG_NET[udp] / reps)) instructions each"
		done
	done
	kam_stop "$name" 600
}

# register_victim KAM: the attacked user's bindings, PER_REG a REGISTER
register_victim()
{
	hs "$1" register --aor victim --contacts "$BINDINGS" --per-req "$PER_REG" \
		--ranges "$BIND_RANGES" --dev-port "${DEV_PORT[victim]}" --timeout 120 \
		>>"$W/$1.py.log" 2>&1 || log "WARNING: $1: not every REGISTER of victim answered 200"
	[ "$(ul_contacts "$1")" = "$BINDINGS" ] ||
		log "WARNING: $1: $(ul_contacts "$1") bindings stored, not $BINDINGS"
}

# cg_amp TAG COUNT [defines]: part 2 under callgrind, one budget.
# Line "tag count codes instr_per_request tcp udp dump" in $W/cg-amp-TAG.txt.
cg_amp()
{
	local tag=$1 count=$2 name="cg-amp-$1" res expect=503 tcp udp
	shift 2
	[ "$tag" = big ] && expect=200
	cg_start "$name" "$W/hostile.cfg" "$@"
	[ -n "${CG_WORKER[$name,tcp]}" ] || die "no TCP worker in $name"
	register_victim "$name"
	cg_zero "$name" udp
	cg_zero "$name" tcp
	# warm-up, not counted (with the big budget none: a request is billions
	# of instructions, first-use costs are lost in them, and valgrind is slow)
	[ "$tag" = big ] ||
		hs "$name" amp --proto tcp --aor victim --values "$VALUES" --ranges "$RANGES" --count 2 \
			--expect "$expect" --timeout 600 >>"$W/$name.py.log" 2>&1
	wait_for 300 tm_idle "$name"
	mark "$name" tcp udp
	hs "$name" amp --proto tcp --aor victim --values "$VALUES" --ranges "$RANGES" \
		--count "$count" --expect "$expect" --timeout 600 >"$W/$name.amp.out" 2>>"$W/$name.py.log"
	res=$(cat "$W/$name.amp.out")
	echo "$res" >>"$W/$name.py.log"
	# the branches' transactions end (replies in the UDP worker) before the
	# interval is closed
	wait_for 300 tm_idle "$name" || log "WARNING: $name: transactions left"
	mark "$name" tcp udp
	tcp=${CG_NET[tcp]} udp=${CG_NET[udp]}
	echo "$tag $count $(echo "$res" | sed -n 's/.*codes=\([^ ]*\).*/\1/p') $(((tcp + udp) / count)) $((tcp / count)) $((udp / count)) ${CG_LAST[tcp]}" \
		>>"$W/cg-amp-$tag.txt"
	log "callgrind amplification ($tag budget): $count requests ($(echo "$res" | sed -n 's/.*\(codes=[^ ]*\).*/\1/p')), $(((tcp + udp) / count)) instructions each (TCP worker $((tcp / count)), UDP worker $((udp / count)))"
	kam_stop "$name" 600
}

# in_block BASE FUNCTION ARGS...: FUNCTION in a background subshell with
# ports BASE..BASE+99 and a PID file of its own (parallel callgrind runs).
in_block()
{
	local base=$1
	shift
	(
		PIDS_FILE=$W/pids-$base
		: >"$PIDS_FILE"
		PORT_NEXT=$base
		PORT_END=$((base + 99))
		trap cleanup EXIT
		"$@"
	) &
	BLOCK_PIDS="$BLOCK_PIDS $!"
}

# All callgrind runs at once, each in a block of ports of its own: the
# counts do not depend on the load, and the native runs come after them.
cg_phase()
{
	local p alloc impls="new baseline" base=27100
	[ -n "$HAVE_OLD" ] && impls="old new baseline"
	log "callgrind: part 1, REGISTER of N = $NS Contacts, new AOR and refresh ($impls; qm$([ "$TLSF" = 1 ] && echo " and -x tlsf"))"
	log "callgrind: part 2, amplification, $BINDINGS bindings x $BIND_RANGES ranges, $VALUES values x $RANGES ranges (default and $BIG_BUDGET budget)"
	BLOCK_PIDS=""
	for alloc in qm $([ "$TLSF" = 1 ] && echo tlsf); do
		for p in $impls; do
			: >"$W/cg-reg-$p-$alloc.txt"
			in_block "$base" cg_register "$p" "$(impl_cfg "$p")" "$alloc"
			base=$((base + 100))
		done
	done
	: >"$W/cg-amp-default.txt"
	: >"$W/cg-amp-big.txt"
	in_block "$base" cg_amp default "$CG_AMP"
	in_block $((base + 100)) cg_amp big "$CG_AMP_BIG" "MATCH_BUDGET=$BIG_BUDGET"
	for p in $BLOCK_PIDS; do wait "$p"; done
}

impl_cfg()
{
	case $1 in
	old) echo "$W/push-old.cfg" ;;
	new) echo "$W/push-new.cfg" ;;
	baseline) echo "$W/baseline.cfg" ;;
	esac
}

# ---- native ---------------------------------------------------------------------------

# native_register IMPL: part 1 natively, children=1; Kamailio CPU (all
# processes) per REGISTER. Lines "impl N kind reps ms_ticks ms_sched" in
# $W/cpu-reg.txt.
native_register()
{
	local impl=$1 name="cpu-reg-$1" n reps kind c0 c1 d
	kam_start "$name" "$(impl_cfg "$impl")" 1
	warm_up "$name" 60
	for n in $NS; do
		reps=$(reps_native "$n")
		for kind in new refresh; do
			c0=$(cpu_read "$name")
			# shellcheck disable=SC2046
			hs "$name" register $(aors "n${n}r" "$reps") --contacts "$n" --callid-salt "n$n" \
				--cseq $([ "$kind" = new ] && echo 1 || echo 2) --dev-port 27999 --timeout 60 \
				>>"$W/$name.py.log" 2>&1 || log "WARNING: $impl N=$n $kind: not every REGISTER answered 200"
			c1=$(cpu_read "$name")
			d=$(cpu_delta "$c0" "$c1")
			echo "$impl $n $kind $reps $d" >>"$W/cpu-reg.txt"
		done
	done
	log "native $impl: $(awk -v i="$impl" '$1 == i { printf "N=%s %s %.3f ms  ", $2, $3, $6 / $4 }' "$W/cpu-reg.txt")"
	kam_stop "$name"
}

# amp_cpu NAME TAG EXPECT: HOSTILE_AMP_N requests one at a time; Kamailio
# CPU per request. Line "tag n codes ms_ticks ms_sched latency..." in
# $W/cpu-amp.txt.
amp_cpu()
{
	local name=$1 tag=$2 expect=$3 c0 c1 res
	c0=$(cpu_read "$name")
	hs "$name" amp --proto tcp --aor victim --values "$VALUES" --ranges "$RANGES" \
		--count "$AMP_N" --expect "$expect" --timeout 30 >"$W/$name.amp.out" 2>>"$W/$name.py.log"
	res=$(cat "$W/$name.amp.out")
	wait_for 300 tm_idle "$name" || log "WARNING: $name: transactions left"
	c1=$(cpu_read "$name")
	echo "$res" >>"$W/$name.py.log"
	echo "$tag $AMP_N $(cpu_delta "$c0" "$c1") $res" >>"$W/cpu-amp.txt"
	log "native amplification ($tag budget): $res; CPU $(cpu_delta "$c0" "$c1" | awk -v n="$AMP_N" '{ printf "%.2f ms (ticks) / %.2f ms (sched) per request", $1 / n, $2 / n }')"
}

# live_run NAME RUN PROTO: ordinary pushes to alice at PUSH_RATE/s for
# ATTACK_SECS, with (PROTO tcp or udp) or without (none) the attack at the
# same time. Line in $W/live.txt.
live_run()
{
	local name=$1 run=$2 proto=$3 count dir fpid="" st rtt c0 c1 flood="-" ok fail retr
	count=$((PUSH_RATE * ATTACK_SECS))
	dir=$W/live-$run
	mkdir -p "$dir"
	echo SEQUENTIAL >"$dir/push.csv"
	echo alice >>"$dir/push.csv"
	wait_for 300 tm_idle "$name"
	c0=$(cpu_read "$name")
	if [ "$proto" != none ]; then
		# up to 32 connections (or sockets), each from a port of its own
		free_ports 40
		HS_LPORTS=$FREE_PORT:$((FREE_PORT + 39)) HS_LIMIT=$((ATTACK_SECS + 60)) hs "$name" flood --proto "$proto" --aor victim \
			--values "$VALUES" --ranges "$RANGES" --rate "$ATTACK_RATE" --seconds "$ATTACK_SECS" \
			--max-conns 32 --timeout 30 >"$dir/flood.out" 2>&1 &
		fpid=$!
		track "$fpid"
	fi
	free_ports 5
	(cd "$W" && timeout -k 5 $((ATTACK_SECS + 60)) sipp -sf "$BENCH/sipp/push-rtd.xml" \
		-inf "$dir/push.csv" -i 127.0.0.2 -p "$FREE_PORT" -cp $((FREE_PORT + 1)) \
		-mp $((FREE_PORT + 2)) -m "$count" -r "$PUSH_RATE" -rp 1000 -nostdin \
		-timeout $((ATTACK_SECS + 40))s -trace_stat -stf "$dir/push.stat.csv" -fd 3600 \
		-trace_rtt -rtt_freq 1 "127.0.0.1:${K_PORT[$name]}" >"$dir/sipp.out" 2>&1)
	mv "$W"/push-rtd_*_rtt.csv "$dir/rtt.csv" 2>/dev/null
	if [ -n "$fpid" ]; then
		wait "$fpid"
		sed -i "/^$fpid\$/d" "$PIDS_FILE"
		# what the attacker got, and the ticks it lost with every one of its
		# connections waiting for an answer
		flood=$(awk '/^flood sent/ { sub(/^flood /, ""); sub(/ bytes=[0-9]*/, ""); s = $0 }
			/^flood connections/ { sub(/^flood /, ""); sub(/ seconds=.*/, ""); c = $0 }
			END { print s "; " c }' "$dir/flood.out")
	fi
	wait_for 400 tm_idle "$name"
	c1=$(cpu_read "$name")
	st=$dir/push.stat.csv
	ok=$(stat_get "$st" "SuccessfulCall(C)")
	fail=$(stat_get "$st" "FailedCall(C)")
	retr=$(stat_get "$st" "Retransmissions(C)")
	# per-call response times (ms) of the pushes answered 200
	rtt=$(awk -F';' 'NR > 1 && $2 ~ /^[0-9.]+$/ { print $2 }' "$dir/rtt.csv" 2>/dev/null | sort -g |
		awk 'function q(p,  i) { i = int(p * NR) + 1; return v[i > NR ? NR : i] }
			{ v[NR] = $1; s += $1 }
			END { if (!NR) { print "- - - - -"; exit }
				printf "%.2f %s %s %s %s\n", s / NR, q(0.5), q(0.95), q(0.99), v[NR] }')
	echo "$run|$proto|$count|${ok:-0}|${fail:-0}|${retr:-0}|$rtt|$(cpu_delta "$c0" "$c1")|$flood" >>"$W/live.txt"
	log "liveness $run: pushes $count sent, ${ok:-0} answered 200, ${fail:-0} failed, ${retr:-0} retransmissions; ms mean/p50/p95/p99/max $rtt; attack: $flood"
}

native_phase()
{
	local impl name budget tag proto
	: >"$W/cpu-reg.txt"
	log "native, part 1: Kamailio CPU per REGISTER (children=1, one configuration at a time)"
	for impl in ${HAVE_OLD:+old} new baseline; do
		native_register "$impl"
	done

	: >"$W/cpu-amp.txt"
	: >"$W/live.txt"
	for tag in default big; do
		name=amp-$tag
		budget=()
		[ "$tag" = big ] && budget=("MATCH_BUDGET=$BIG_BUDGET")
		log "native, part 2 ($tag budget): children=$CHILDREN, tcp_children=$CHILDREN"
		kam_start "$name" "$W/hostile.cfg" "$CHILDREN" "${budget[@]}"
		register_victim "$name"
		hs "$name" register --aor alice --contacts 1 --ranges 0 --dev-port "${DEV_PORT[alice]}" \
			>>"$W/$name.py.log" 2>&1 || log "WARNING: alice not registered"
		# warm-up, not counted
		hs "$name" amp --proto tcp --aor victim --values "$VALUES" --ranges "$RANGES" --count 3 \
			--expect 0 --timeout 30 >>"$W/$name.py.log" 2>&1
		amp_cpu "$name" "$tag" "$([ "$tag" = big ] && echo 200 || echo 503)"
		[ "$tag" = default ] && live_run "$name" "no-attack" none
		for proto in $LIVE_PROTOS; do
			live_run "$name" "attack-$proto-$tag" "$proto"
		done
		rpc "$name" stats.get_statistics all >"$W/$name.stats.txt" 2>&1
		kam_stop "$name"
	done
}

# ---- report -------------------------------------------------------------------------

# reg_field SRC IMPL N KIND: instructions (SRC qm or tlsf: callgrind with
# that allocator) or CPU ms (SRC cpu) per REGISTER
reg_field()
{
	if [ "$1" = cpu ]; then
		awk -v i="$2" -v n="$3" -v k="$4" '$1 == i && $2 == n && $3 == k { printf "%.3f\n", $6 / $4; exit }' "$W/cpu-reg.txt" 2>/dev/null
	else
		awk -v n="$3" -v k="$4" '$2 == n && $3 == k { print $5; exit }' "$W/cg-reg-$2-$1.txt" 2>/dev/null
	fi
}

# growth SRC IMPL KIND: "exponent per_contact" of the cost beyond N=1's:
# least squares of log(y(N) - y(1)) over log(N - 1), N > 1 (1 for linear,
# 2 for quadratic), and (y(Nmax) - y(1)) / (Nmax - 1)
growth()
{
	local n y
	for n in $NS; do
		y=$(reg_field "$1" "$2" "$n" "$3")
		[ -n "$y" ] && echo "$n $y"
	done | awk '{ n[NR] = $1; y[NR] = $2 }
		END { if (NR < 3 || n[1] != 1) { print "? ?"; exit }
			for (i = 2; i <= NR; i++) { d = y[i] - y[1]; if (d <= 0) continue
				x = log(n[i] - 1); v = log(d); k++; sx += x; sy += v; sxx += x * x; sxy += x * v }
			if (k < 2) { print "? ?"; exit }
			printf "%.2f %.0f\n", (k * sxy - sx * sy) / (k * sxx - sx * sx), (y[NR] - y[1]) / (n[NR] - 1) }'
}

diff_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "") printf "%.0f", a - b; else print "?" }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 > 0) printf "%.2f", a / b; else print "?" }'; }

report_register()
{
	local n impl kind src e
	local impls="${HAVE_OLD:+old }new baseline"
	echo "source,impl,N,kind,reps,per_register" >"$OUT/register.csv"
	for src in qm tlsf; do
		for impl in $impls; do
			awk -v s="$src" '{ print "instr_" s "," $1 "," $2 "," $3 "," $4 "," $5 }' "$W/cg-reg-$impl-$src.txt" 2>/dev/null >>"$OUT/register.csv"
		done
	done
	awk '{ printf "cpu_ms_sched,%s,%s,%s,%s,%.4f\n", $1, $2, $3, $4, $6 / $4 }' "$W/cpu-reg.txt" 2>/dev/null >>"$OUT/register.csv"

	echo "1. REGISTER with N Contacts in one request (each Contact a binding with"
	echo "   +g.oma.pusheventapp and a +u.x of 2 ranges, over UDP); new = for a new AOR, every"
	echo "   binding inserted; refresh = the same REGISTER again (CSeq + 1), every binding"
	echo "   updated. old = bench/push.cfg on the module of $OLD_REV$([ -z "$HAVE_OLD" ] && echo " (not measured)"),"
	echo "   new = bench/push.cfg on the current build, base = bench/baseline.cfg (registrar"
	echo "   save()); push share = new - base."
	for src in qm tlsf cpu; do
		case $src in
		qm | tlsf) [ -s "$W/cg-reg-new-$src.txt" ] || continue ;;
		cpu) [ -s "$W/cpu-reg.txt" ] || continue ;;
		esac
		echo
		case $src in
		qm)
			echo "   Instructions per REGISTER, callgrind, SIP worker (children=1), marker cost subtracted,"
			echo "   Kamailio's default allocator (qm; its free-list walks are most of these figures and"
			echo "   depend on the heap's history, so small differences, even negative shares, are noise):"
			;;
		tlsf) echo "   The same with -x tlsf (allocations cost little and do not depend on the heap's history):" ;;
		cpu) echo "   Kamailio CPU ms per REGISTER, native (children=1, scheduler time of all processes," \
			"$(reps_native 1)..$(reps_native 300) REGISTERs per point):" ;;
		esac
		printf '   %4s %12s %12s %12s %12s %12s %12s %11s %11s %7s %7s\n' N "old new" "old refr." "new new" \
			"new refr." "base new" "base refr." "push new" "push refr." "old/new" "new/base"
		for n in $NS; do
			if [ "$src" = cpu ]; then
				printf '   %4s %12s %12s %12s %12s %12s %12s %11s %11s %7s %7s\n' "$n" \
					"$(reg_field "$src" old "$n" new)" "$(reg_field "$src" old "$n" refresh)" \
					"$(reg_field "$src" new "$n" new)" "$(reg_field "$src" new "$n" refresh)" \
					"$(reg_field "$src" baseline "$n" new)" "$(reg_field "$src" baseline "$n" refresh)" "" "" \
					"$(ratio "$(reg_field "$src" old "$n" new)" "$(reg_field "$src" new "$n" new)")" \
					"$(ratio "$(reg_field "$src" new "$n" new)" "$(reg_field "$src" baseline "$n" new)")"
				continue
			fi
			printf '   %4s %12s %12s %12s %12s %12s %12s %11s %11s %7s %7s\n' "$n" \
				"$(reg_field "$src" old "$n" new)" "$(reg_field "$src" old "$n" refresh)" \
				"$(reg_field "$src" new "$n" new)" "$(reg_field "$src" new "$n" refresh)" \
				"$(reg_field "$src" baseline "$n" new)" "$(reg_field "$src" baseline "$n" refresh)" \
				"$(diff_of "$(reg_field "$src" new "$n" new)" "$(reg_field "$src" baseline "$n" new)")" \
				"$(diff_of "$(reg_field "$src" new "$n" refresh)" "$(reg_field "$src" baseline "$n" refresh)")" \
				"$(ratio "$(reg_field "$src" old "$n" new)" "$(reg_field "$src" new "$n" new)")" \
				"$(ratio "$(reg_field "$src" new "$n" new)" "$(reg_field "$src" baseline "$n" new)")"
		done
		[ "$src" = cpu ] && continue
		echo "   growth of the cost beyond N=1: exponent of log(y(N) - y(1)) on log(N - 1), least squares"
		echo "   over N > 1 (1 linear, 2 quadratic); instructions per further Contact up to N=$(echo "$NS" | awk '{ print $NF }'):"
		for impl in $impls; do
			for kind in new refresh; do
				# shellcheck disable=SC2046
				set -- $(growth "$src" "$impl" "$kind")
				e=$(awk -v e="$1" 'BEGIN { if (e == "?") print ""; else if (e < 1.15) print "~linear"; else if (e < 1.6) print "superlinear"; else print "~quadratic" }')
				printf '     %-9s %-8s exponent %5s %-12s %9s instructions per Contact\n' "$impl" "$kind" "$1" "${e:+($e)}" "$2"
			done
		done
	done
}

report_amp()
{
	local tag line units
	echo "tag,source,count,codes,instr_per_request,instr_tcp_worker,instr_udp_worker,cpu_ms_ticks_per_request,cpu_ms_sched_per_request,latency" >"$OUT/amp.csv"
	echo "2. Amplification: user 'victim' with $BINDINGS bindings (+u.x of $BIND_RANGES ranges each; $PER_REG"
	echo "   Contacts per REGISTER), MESSAGE with $VALUES Accept-Contact values x $RANGES disjoint ranges"
	echo "   (none matching a binding; $(awk '/^amp sent/ { sub(/.*bytes=/, ""); sub(/ .*/, ""); print; exit }' "$W"/*.py.log 2>/dev/null) bytes, over TCP, value order rotated per request so"
	echo "   the module cannot reuse the last request's parsed preferences)."
	echo "   default = the module's match_budget (503), big = match_budget $BIG_BUDGET (matched,"
	echo "   forked to max_branches bindings, answered 200 by a SIPp device)."
	echo
	printf '   %-8s %9s %-10s %14s %14s %12s %14s %13s   %s\n' budget "cg reqs" codes "instr/request" \
		"(TCP worker)" "(UDP worker)" "CPU ms/req" "CPU ms/req" "latency ms, $AMP_N requests one at a time"
	printf '   %-8s %9s %-10s %14s %14s %12s %14s %13s\n' "" "" "" "callgrind" "" "" "(ticks)" "(sched)"
	for tag in default big; do
		# shellcheck disable=SC2046
		set -- $(cat "$W/cg-amp-$tag.txt" 2>/dev/null) x x x x x x x
		line=$(awk -v t="$tag" '$1 == t { printf "%.2f %.2f %s", $3 / $2, $4 / $2, $0; exit }' "$W/cpu-amp.txt" 2>/dev/null)
		printf '   %-8s %9s %-10s %14s %14s %12s %14s %13s   %s\n' "$tag" "$2" "$3" "$4" "$5" "$6" \
			"$(echo "$line" | awk '{ print $1 }')" "$(echo "$line" | awk '{ print $2 }')" \
			"$(echo "$line" | sed -n 's/.*codes=\([^ ]*\) latency_ms \(.*\)/\2 (codes \1)/p')"
		echo "$tag,callgrind,$2,$3,$4,$5,$6,," >>"$OUT/amp.csv"
		[ -n "$line" ] && echo "$tag,native,$AMP_N,$(echo "$line" | sed -n 's/.*codes=\([^ ]*\).*/\1/p' | tr , ' '),,,,$(echo "$line" | awk '{ print $1 "," $2 }'),$(echo "$line" | sed -n 's/.*latency_ms //p')" >>"$OUT/amp.csv"
	done
	# the engine's work units (cpref.h): per binding one, and per predicate
	# tried 1 + its tags + the product of the element counts compared; the
	# stamp (+g.oma.pusheventapp) is one predicate more
	units=$((BINDINGS * (1 + VALUES * (2 + RANGES * BIND_RANGES) + 3)))
	echo
	echo "   Work units (cpref.h) to match every binding: $units; the default budget, $DEFAULT_BUDGET, stops the"
	echo "   evaluation after about $((DEFAULT_BUDGET * BINDINGS / units)) bindings. Instructions per unit: $(awk -v i="$(awk '{ print $5 }' "$W/cg-amp-default.txt" 2>/dev/null)" -v u="$DEFAULT_BUDGET" 'BEGIN { if (i) printf "%.0f", i / u; else print "?" }') (default budget),"
	echo "   $(awk -v i="$(awk '{ print $5 }' "$W/cg-amp-big.txt" 2>/dev/null)" -v u="$units" 'BEGIN { if (i) printf "%.0f", i / u; else print "?" }') (all matched)."
	line=$(awk '$1 == "default" { printf "%.2f", $4 / $2; exit }' "$W/cpu-amp.txt" 2>/dev/null)
	if [ -n "$line" ]; then
		echo
		echo "   Goal: at most $CPU_GOAL_MS ms of Kamailio CPU per request with the default budget: $line ms: $(awk -v c="$line" -v g="$CPU_GOAL_MS" 'BEGIN { print (c <= g) ? "met" : "MISSED" }')"
	else
		echo
		echo "   Goal: at most $CPU_GOAL_MS ms of Kamailio CPU per request: not measured"
	fi

	[ -s "$W/live.txt" ] || return 0
	echo
	echo "   Liveness: ordinary mms pushes to 'alice' (one binding, a SIPp device answering"
	echo "   200) at $PUSH_RATE/s for $ATTACK_SECS s, alone and with the amplification request at"
	echo "   $ATTACK_RATE/s to 'victim' (proxy children=$CHILDREN, tcp_children=$CHILDREN). Push latency:"
	echo "   SIPp response time of each push answered 200 (ms; SIPp's resolution is 1 ms)."
	echo "run,proto,pushes,ok_200,failed,retrans,rtt_mean,rtt_p50,rtt_p95,rtt_p99,rtt_max,cpu_ms_ticks,cpu_ms_sched,attack" >"$OUT/live.csv"
	printf '   %-20s %6s %6s %5s %5s %6s %6s %6s %6s %7s %9s   %s\n' run pushes "200" fail retr mean p50 p95 p99 max \
		"proxy" "attack: requests sent, answers, their latency, connections"
	printf '   %-20s %6s %6s %5s %5s %6s %6s %6s %6s %7s %9s   %s\n' "" "" "" "" "" "ms" "ms" "ms" "ms" "ms" \
		"CPU s" "opened, ticks lost (all connections busy)"
	while IFS='|' read -r run proto count ok fail retr rtt cpu flood; do
		# shellcheck disable=SC2086
		set -- $rtt - - - - -
		printf '   %-20s %6s %6s %5s %5s %6s %6s %6s %6s %7s %9s   %s\n' "$run" "$count" "$ok" "$fail" "$retr" \
			"$1" "$2" "$3" "$4" "$5" "$(echo "$cpu" | awk '{ printf "%.2f", $2 / 1000 }')" "${flood//latency_ms /ms }"
		echo "$run,$proto,$count,$ok,$fail,$retr,$(echo "$rtt" | tr ' ' ,),$(echo "$cpu" | tr ' ' ,),\"$flood\"" >>"$OUT/live.csv"
	done <"$W/live.txt"
}

# profiles: the top functions of the dumps of a new REGISTER of the most
# Contacts and of the amplification requests (bench/hostile.py profile:
# callgrind_annotate 3.19 puts all of this Kamailio's costs under
# __libc_start_main)
profiles()
{
	local f n impl tag reps alloc
	n=$(echo "$NS" | awk '{ print $NF }')
	echo
	echo "Profiles, callgrind (own instructions per request by function, then the push"
	echo "module's functions by inclusive instructions; longer lists in $OUT/profile-*.txt):"
	for alloc in tlsf qm; do
		for impl in ${HAVE_OLD:+old} new baseline; do
			f=$(awk -v n="$n" '$2 == n && $3 == "new" { print $6; exit }' "$W/cg-reg-$impl-$alloc.txt" 2>/dev/null)
			reps=$(awk -v n="$n" '$2 == n && $3 == "new" { print $4; exit }' "$W/cg-reg-$impl-$alloc.txt" 2>/dev/null)
			[ -n "$f" ] && [ -f "$f" ] || continue
			python3 "$BENCH/hostile.py" profile --file "$f" --per "$reps" --top 25 \
				>"$OUT/profile-register-$impl-$alloc-N$n.txt" 2>&1
			echo
			echo "  $impl, $alloc: new REGISTER of $n Contacts ($reps in the dump):"
			top_functions "$OUT/profile-register-$impl-$alloc-N$n.txt" 6 4
		done
	done
	for tag in default big; do
		f=$(awk '{ print $NF }' "$W/cg-amp-$tag.txt" 2>/dev/null)
		reps=$(awk '{ print $2 }' "$W/cg-amp-$tag.txt" 2>/dev/null)
		[ -n "$f" ] && [ -f "$f" ] || continue
		python3 "$BENCH/hostile.py" profile --file "$f" --per "$reps" --top 25 >"$OUT/profile-amp-$tag.txt" 2>&1
		echo
		echo "  amplification request, $tag budget, TCP worker ($reps in the dump):"
		top_functions "$OUT/profile-amp-$tag.txt" 8 8
	done
}

# top_functions FILE OWN INCLUSIVE: the first lines of both lists of a profile
top_functions()
{
	awk -v o="$2" -v i="$3" '/^own/ { k = o; print "    " $0; next } /^push.so/ { k = i; print "    " $0; next }
		k > 0 { print "  " $0; k-- }' "$1"
}

# ---- main ------------------------------------------------------------------------------

if [ "${HOSTILE_REPORT_ONLY:-0}" = 1 ]; then
	# the report of the run in HOSTILE_OUT again, nothing measured
	[ -f "$W/started" ] || die "no run in $OUT"
	HAVE_OLD=
	[ -s "$W/mod-old/push.so" ] && HAVE_OLD=1
else
	for tool in kamailio kamcmd sipp python3 awk ps timeout git; do
		command -v "$tool" >/dev/null || die "$tool not found: run scripts/deps.sh bench"
	done
	[ "$CG" = 1 ] && ! command -v valgrind >/dev/null && { log "valgrind not found: no callgrind runs"; CG=0; }

	log "output: $OUT"
	log "$(kamailio -v | head -n 1); $(sipp -v 2>&1 | awk 'NF { print; exit }'); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "$(date -u +%Y-%m-%dT%H:%MZ) $(git -C "$ROOT" describe --always --dirty 2>/dev/null)" >"$W/started"
	snapshot_module
	mk_cfg baseline "$BENCH/baseline.cfg" "$W/mod-new"
	mk_cfg hostile "$BENCH/hostile.cfg" "$W/mod-new"
	HAVE_OLD=
	old_module && HAVE_OLD=1
	log "module: modules/push/push.so of $(date -r "$W/mod-new/push.so" '+%F %T') (sha256 $(sha256sum "$W/mod-new/push.so" | cut -c1-12)), tree at $(git -C "$ROOT" describe --always --dirty 2>/dev/null)$([ -n "$HAVE_OLD" ] && echo "; old: $OLD_REV from $OLD_DIR")"

	start_device victim
	start_device alice
	[ "$CG" = 1 ] && cg_phase
	PORT_NEXT=27100
	PORT_END=27999
	[ "$NATIVE" = 1 ] && native_phase
	echo "$(($(date +%s) - START))" >"$W/runtime"
fi

{
	echo
	read -r when tree <"$W/started"
	echo "== push module, hostile inputs ($when, $(nproc) cores, load at the end $(cut -d' ' -f1-3 /proc/loadavg))"
	echo "   module: modules/push/push.so $(sha256sum "$W/mod-new/push.so" | cut -c1-12) of $(date -r "$W/mod-new/push.so" '+%F %T'), tree $tree; old: $([ -n "$HAVE_OLD" ] && echo "$OLD_REV" || echo "not measured")"
	echo "   results: $OUT"
	echo
	report_register
	echo
	report_amp
	profiles
	echo
	echo "Run time: $(cat "$W/runtime" 2>/dev/null || echo "?") s"
} | tee "$OUT/report.txt"
log "done in $(($(date +%s) - START)) s"
