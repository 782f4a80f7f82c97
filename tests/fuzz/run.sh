#!/bin/sh
# Run libFuzzer harnesses and summarise them.
# Usage: run.sh BUILD_DIR SECONDS JOBS HARNESS...
#
# Each harness starts from a copy of its seed corpus in
# BUILD_DIR/corpus/<harness>, where libFuzzer also keeps what it finds, so
# the seeds in the repository never grow. Crash inputs go to
# BUILD_DIR/artifacts/. A harness fuzz_<name> with a dictionary <name>.dict
# of its own uses it; the others use cp.dict.
set -eu

if [ "$1" = one ]; then
	h=$2
	mkdir -p "$BUILD/corpus/$h" "$BUILD/artifacts"
	cp corpus/"$h"/* "$BUILD/corpus/$h/"
	dict=cp.dict
	if [ -f "${h#fuzz_}.dict" ]; then
		dict="${h#fuzz_}.dict"
	fi
	rc=0
	"$BUILD/$h" -max_total_time="$SECS" -print_final_stats=1 \
		-max_len=4096 -timeout=10 -dict="$dict" \
		-artifact_prefix="$BUILD/artifacts/$h-" \
		"$BUILD/corpus/$h" >"$BUILD/$h.log" 2>&1 || rc=$?
	echo "$rc" >"$BUILD/$h.rc"
	exit 0
fi

BUILD=$1 SECS=$2 JOBS=$3
shift 3
export BUILD SECS
echo "fuzzing $* for ${SECS}s each, $JOBS at a time"
printf '%s\n' "$@" | xargs -P "$JOBS" -I{} sh "$0" one {}

fail=0
printf '%-12s %14s %8s  %s\n' harness executions corpus result
for h in "$@"; do
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/$h.log")
	files=$(find "$BUILD/corpus/$h" -type f | wc -l)
	rc=$(cat "$BUILD/$h.rc")
	result=ok
	if [ "$rc" -ne 0 ]; then
		result="FAILED (exit $rc), see $BUILD/$h.log"
		fail=1
	fi
	printf '%-12s %14s %8s  %s\n' "$h" "${execs:-?}" "$files" "$result"
done
if [ $fail -ne 0 ]; then
	grep -h "Test unit written to" "$BUILD"/*.log || true
fi
exit $fail
