#!/bin/sh
# Instructions per contact of our engine and of sofia-sip on each case of
# the engine benchmark, counted by callgrind: a stable figure on a shared,
# noisy machine, where nanoseconds are not.
# Usage: callgrind.sh BENCH [ITERS]   (make -C bench/engine callgrind)
set -eu

bench=$1
iters=${2:-2000}
command -v valgrind >/dev/null || {
	echo "callgrind.sh: valgrind is not installed" >&2
	exit 1
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

printf '%-18s %10s %10s %12s\n' case ours sofia ours/sofia
printf '%-18s %10s %10s %12s\n' "" "Ir/ct" "Ir/ct" ""
i=0
while :; do
	for side in ours sofia; do
		# inclusive instructions of ours_run / sofia_run only
		valgrind --tool=callgrind --collect-atstart=no \
			--toggle-collect="${side}_run" \
			--callgrind-out-file="$out/$side.out" \
			"$bench" "$i" "$side" "$iters" >"$out/$side.txt" \
			2>"$out/$side.err" || {
			# past the last case; case 0 failing is an error
			[ "$i" -gt 0 ] && exit 0
			cat "$out/$side.err" >&2
			exit 1
		}
		ir=$(sed -n 's/^summary: *//p' "$out/$side.out")
		eval "ir_$side=\${ir:-0}"
	done
	name=$(cut -f1 "$out/ours.txt")
	n=$(cut -f2 "$out/ours.txt")
	awk -v name="$name" -v n="$n" -v it="$iters" -v a="$ir_ours" \
		-v b="$ir_sofia" 'BEGIN {
		printf "%-18s %10.0f %10.0f %12.2f\n", name, a / it / n,
			b / it / n, a / b }'
	i=$((i + 1))
done
