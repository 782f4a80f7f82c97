#!/bin/bash
# Run the system tests: tests/system/t_*.sh define test_* functions, each run
# in its own subshell against its own kamailio and sipp processes.
# Usage: tests/system/run.sh [NAME-FILTER]
# Prints one line per test and "system: N passed, N failed"; the logs of a
# failed test are kept under build/test-logs/<test>/.
set -u
cd "$(dirname "$0")"
. ./lib.sh

filter=${1:-}
passed=0
failed=0
failed_names=
LOG_BASE="$ROOT/build/test-logs"

kam_version=$("$KAM_BIN" -v 2>/dev/null | sed -n 's/^version: //p' | sed 's/[[:space:]]*$//')
echo "kamailio under test: ${kam_version:-unknown} ($(command -v "$KAM_BIN")," \
	"modules: ${KAM_MODULES:-as mpath in the cfg})"

# every file first: a test may reuse another file's steps
for file in t_*.sh; do
	. "./$file"
done
for file in t_*.sh; do
	for fn in $(grep -o '^test_[a-z0-9_]*' "$file"); do
		case "$fn" in *"$filter"*) ;; *) continue ;; esac
		start=$(date +%s)
		(
			set -e
			trap 'rc=$?; set +e; test_cleanup; exit $rc' EXIT
			test_begin "$fn"
			"$fn"
		)
		rc=$?
		secs=$(($(date +%s) - start))
		if [ $rc -eq 0 ]; then
			passed=$((passed + 1))
			echo "PASS $fn (${secs}s)"
		else
			failed=$((failed + 1))
			failed_names="$failed_names $fn"
			echo "FAIL $fn (${secs}s)"
			rm -rf "${LOG_BASE:?}/$fn"
			mkdir -p "$LOG_BASE"
			cp -r "$WORK_BASE/$fn" "$LOG_BASE/$fn"
			for f in "$LOG_BASE/$fn"/*; do
				case "$f" in *.log|*.err) ;; *) continue ;; esac
				[ -s "$f" ] || continue
				echo "    --- tail of $(basename "$f") (build/test-logs/$fn/)"
				tail -n 15 "$f" | sed 's/^/    /'
			done
		fi
	done
done

[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "system: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
