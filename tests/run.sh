#!/bin/bash
# make test: the engine's unit tests, the system tests, the Debian package
# (tests/deb/run.sh: built, installed, used and removed again, when the
# Kamailio under test is Debian's kamailio package) and the freshness of
# the rendered manual; one summary.
set -u
cd "$(dirname "$0")/.." || exit 1

unit_out=$(mktemp)
trap 'rm -f "$unit_out"' EXIT

make -s -C tests/unit check 2>&1 | tee "$unit_out"
unit_rc=${PIPESTATUS[0]}
# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
unit_passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$unit_out" |
	awk '{ s += $1 } END { print s + 0 }')
unit_failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$unit_out" |
	awk '{ s += $1 } END { print s + 0 }')
if [ "$unit_rc" -ne 0 ] && [ "$unit_failed" -eq 0 ]; then
	# the unit tests did not build or crashed before reporting
	unit_failed=1
fi
echo "unit: $unit_passed passed, $unit_failed failed"

sys_out=$(mktemp)
trap 'rm -f "$unit_out" "$sys_out"' EXIT
tests/system/run.sh 2>&1 | tee "$sys_out"
sys_rc=${PIPESTATUS[0]}
sys_passed=$(sed -n 's/^system: \([0-9]*\) passed.*/\1/p' "$sys_out")
sys_failed=$(sed -n 's/^system: [0-9]* passed, \([0-9]*\) failed/\1/p' "$sys_out")
sys_passed=${sys_passed:-0}
sys_failed=${sys_failed:-0}
if [ "$sys_rc" -ne 0 ] && [ "$sys_failed" -eq 0 ]; then
	sys_failed=1
fi

# The package is built for, and installed next to, Debian's kamailio
# package: with another Kamailio (KAMAILIO=...) it has nothing to go with.
deb_passed=0 deb_failed=0
if [ "$(dpkg-query -S "$(readlink -f "$KAM_BIN")" 2>/dev/null | cut -d: -f1)" = kamailio ]; then
	deb_out=$(mktemp)
	trap 'rm -f "$unit_out" "$sys_out" "$deb_out"' EXIT
	tests/deb/run.sh 2>&1 | tee "$deb_out"
	deb_rc=${PIPESTATUS[0]}
	deb_passed=$(sed -n 's/^deb: \([0-9]*\) passed.*/\1/p' "$deb_out")
	deb_failed=$(sed -n 's/^deb: [0-9]* passed, \([0-9]*\) failed/\1/p' "$deb_out")
	deb_passed=${deb_passed:-0}
	deb_failed=${deb_failed:-0}
	if [ "$deb_rc" -ne 0 ] && [ "$deb_failed" -eq 0 ]; then
		deb_failed=1
	fi
else
	echo "deb: not run: $KAM_BIN is not from Debian's kamailio package"
fi

# the committed doc/README must be what the DocBook sources render
if make -s -C doc check; then
	doc_passed=1 doc_failed=0
	echo "PASS doc/README is up to date"
else
	doc_passed=0 doc_failed=1
	echo "FAIL doc/README is stale: run make doc"
fi

total_passed=$((unit_passed + sys_passed + deb_passed + doc_passed))
total_failed=$((unit_failed + sys_failed + deb_failed + doc_failed))
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
