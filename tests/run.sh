#!/bin/bash
# make test: the engine's unit tests, the system tests, the Debian package
# (tests/deb/run.sh: built, installed, used and removed again, when the
# Kamailio under test is Debian's kamailio package) and the freshness of
# the rendered manual; one summary.
set -u
cd "$(dirname "$0")/.." || exit 1

total_passed=0
total_failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# count PASSED FAILED RC: add a part's counts; a part that failed (RC)
# without reporting a failure, because it did not build or crashed first,
# counts one failure.
count()
{
	local passed=${1:-0} failed=${2:-0}
	if [ "$3" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
	fi
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
}

# suite NAME COMMAND...: run a part whose last line is
# "NAME: N passed, N failed", and count it.
suite()
{
	local name=$1 rc
	shift
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	count "$(sed -n "s/^$name: \\([0-9]*\\) passed.*/\\1/p" "$out")" \
		"$(sed -n "s/^$name: [0-9]* passed, \\([0-9]*\\) failed/\\1/p" "$out")" "$rc"
}

make -s -C tests/unit check 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
unit_passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" |
	awk '{ s += $1 } END { print s + 0 }')
unit_failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" |
	awk '{ s += $1 } END { print s + 0 }')
echo "unit: $unit_passed passed, $unit_failed failed"
count "$unit_passed" "$unit_failed" "$rc"

suite system tests/system/run.sh

# The package is built for, and installed next to, Debian's kamailio
# package: with another Kamailio (KAMAILIO=...) it has nothing to go with.
if [ "$(dpkg-query -S "$(readlink -f "$KAM_BIN")" 2>/dev/null | cut -d: -f1)" = kamailio ]; then
	suite deb tests/deb/run.sh
else
	echo "deb: not run: $KAM_BIN is not from Debian's kamailio package"
fi

# the committed doc/README must be what the DocBook sources render
if make -s -C doc check; then
	count 1 0 0
	echo "PASS doc/README is up to date"
else
	count 0 1 0
	echo "FAIL doc/README is stale: run make doc"
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
