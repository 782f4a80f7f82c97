# Helpers of the benchmark scripts (bench/run.sh, bench/hostile.sh),
# sourced by both; they use START, OUT, W (work directory), PIDS_FILE and
# the arrays K_PID and K_CTL of the script. Every process is stopped by the
# PID it was recorded with.

log()
{
	printf '[%4ss] %s\n' "$(($(date +%s) - START))" "$*" | tee -a "$OUT/bench.log" >&2
}

die()
{
	log "ERROR: $*"
	exit 1
}

# Every background process is recorded in $PIDS_FILE and stopped by that PID.
track() { echo "$1" >>"$PIDS_FILE"; }

pid_alive() { kill -0 "$1" 2>/dev/null; }

# ours PID: a live process this run started (its command line names the
# work directory, or it runs in it), not another one that got the PID
# since: only such a process is ever signalled.
ours()
{
	local c
	[ -r "/proc/$1/cmdline" ] || return 1
	c=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
	case "$c" in *"$W"*) return 0 ;; esac
	[ -n "$c" ] && [ "$(readlink "/proc/$1/cwd" 2>/dev/null)" = "$W" ]
}

pid_gone() { ! ours "$1"; }

# stop_pid PID TENTHS: TERM, bounded wait, KILL; then forgotten.
stop_pid()
{
	if ours "$1"; then
		kill -TERM "$1" 2>/dev/null
		wait_for "$2" pid_gone "$1" || { ours "$1" && kill -KILL "$1" 2>/dev/null; }
	fi
	wait "$1" 2>/dev/null
	[ -f "$PIDS_FILE" ] && sed -i "/^$1\$/d" "$PIDS_FILE"
	return 0
}

kam_children() { ps --ppid "${K_PID[$1]}" -o pid= 2>/dev/null; }

kam_stop()
{
	local name=$1 kids c
	kids=$(kam_children "$name")
	stop_pid "${K_PID[$name]}" "${2:-100}"
	for c in $kids; do
		stop_pid "$c" 30
	done
}

rpc() { local name=$1; shift; timeout 10 kamcmd -s "unix:${K_CTL[$name]}" "$@"; }

# cpu_read NAME: "TICKS NS", utime+stime (clock ticks) and the scheduler's
# on-CPU time (ns), summed over the main process and its children.
cpu_read()
{
	local p s t=0 ns=0 rest
	for p in "${K_PID[$1]}" $(kam_children "$1"); do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		rest=${s##*) }
		# shellcheck disable=SC2086
		set -- $rest
		t=$((t + ${12} + ${13}))
		read -r s _ <"/proc/$p/schedstat" 2>/dev/null && ns=$((ns + s))
	done
	echo "$t $ns"
}

# stat_get FILE COLUMN: the column of the last line of a SIPp stats file.
stat_get()
{
	awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
		END { if (k) print $k; else print "" }' "$1" 2>/dev/null
}

kam_ready()
{
	pid_alive "${K_PID[$1]}" || return 1
	udp_listening "${K_PORT[$1]}" &&
		timeout 5 kamcmd -s "unix:${K_CTL[$1]}" core.version >/dev/null 2>&1
}

# Stop every process recorded, the newest first.
cleanup()
{
	local p files=$PIDS_FILE
	trap - EXIT INT TERM
	# the main script also stops what its parallel subshells (pids-*) left
	[ "$PIDS_FILE" = "$W/pids" ] && files="$(ls "$W"/pids-* 2>/dev/null) $PIDS_FILE"
	# newest first: kamailio children are recorded after their main process
	# shellcheck disable=SC2086
	for p in $(tac $files 2>/dev/null); do
		stop_pid "$p" 100
	done
	# shellcheck disable=SC2086
	for p in $(cat $files 2>/dev/null); do
		ours "$p" && kill -KILL "$p" 2>/dev/null
	done
	for p in $files; do
		[ -f "$p" ] && : >"$p"
	done
}
