#!/bin/bash
# make test-deb (and make test): build the Debian package
# (scripts/make-deb.sh), then
#   - the package: it depends on exactly the installed kamailio version
#     (dpkg-deb -I), holds exactly the expected files (dpkg-deb -c), and a
#     copy built for another kamailio version is refused by dpkg (in a
#     scratch root with a copy of this system's package database, so the
#     refused copy leaves nothing half-installed here) and by apt-get -s;
#   - installed on this system with dpkg -i: Kamailio started from the
#     installed example configuration, adapted with -A defines only, loads
#     the installed push.so and routes a push to the one matching SIPp
#     device;
#   - removed with dpkg -r: every file it installed is gone, and Kamailio
#     itself is intact and still starts and answers.
# Needs root (dpkg -i), and refuses to run where the package is already on
# the system: it would replace and then remove the operator's copy.
# Needs PUSH_VERSION and KAM_MODULES, KAM_BIN (the Makefile passes them).
# Prints "PASS deb: ..." or "FAIL deb: ..." per check and
# "deb: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/system/lib.sh

: "${PUSH_VERSION:?}" "${KAM_MODULES:?}"
BUILD_DIR=${BUILD_DIR:-build}
PKG=kamailio-push-module
passed=0
failed=0
# we installed the package: the exit trap removes it again
installed_here=

pass()
{
	echo "PASS deb: $1"
	passed=$((passed + 1))
}

# (lib.sh's fail, which its helpers call, stays: it only prints.)
miss()
{
	echo "FAIL deb: $*"
	failed=$((failed + 1))
}

# check WHAT COMMAND...: one check, passed when COMMAND succeeds.
check()
{
	local what=$1
	shift
	if "$@"; then pass "$what"; else miss "$what"; fi
}

finish()
{
	test_cleanup
	if [ -n "$installed_here" ]; then
		echo "deb: removing $PKG after an interrupted run" >&2
		dpkg -r "$PKG" >/dev/null 2>&1
	fi
	echo "deb: $passed passed, $failed failed"
}
trap finish EXIT

pkg_state()
{
	dpkg-query -W -f '${db:Status-Status}' "$PKG" 2>/dev/null
}

not_installed()
{
	case "$(pkg_state)" in "" | not-installed) ;; *) return 1 ;; esac
}

deb=$(scripts/make-deb.sh) || { miss "make-deb.sh builds the package"; exit 1; }
kver=$(dpkg-query -W -f '${Version}' kamailio)
arch=$(dpkg --print-architecture)

# --- the package file ------------------------------------------------------

check "package name $deb" \
	[ "$deb" = "$BUILD_DIR/${PKG}_$PUSH_VERSION+k${kver}_$arch.deb" ]
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends: kamailio (= $kver)" grep -qF ", kamailio (= $kver)," <<<", $depends,"
check "Depends: a database module package" grep -qF \
	"kamailio-sqlite-modules | kamailio-postgres-modules | kamailio-mysql-modules" <<<"$depends"
check "dpkg-deb -I shows the exact dependency" \
	grep -q "^ Depends: kamailio (= $kver)," <(dpkg-deb -I "$deb")
check "Version $PUSH_VERSION+k$kver" [ "$(dpkg-deb -f "$deb" Version)" = "$PUSH_VERSION+k$kver" ]

doc=/usr/share/doc/$PKG
share=/usr/share/$PKG
expected=$(printf '%s\n' "$KAM_MODULES/push.so" \
	"$doc/README" "$doc/push.html" "$doc/changelog.Debian.gz" "$doc/copyright" \
	"/usr/share/doc-base/$PKG" "/usr/share/lintian/overrides/$PKG" \
	"$doc/examples/push-proxy.cfg" "$doc/examples/push-proxy.lua" \
	"$share/location-db.sh" "$share/push-user.sh" "$share/db-url.sh" | sort)
contents=$(dpkg-deb -c "$deb")
listed=$(awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' <<<"$contents" | sort)
same_list()
{
	[ "$1" = "$2" ] && return 0
	diff <(echo "$1") <(echo "$2") | sed 's/^/    /'
	return 1
}
check "dpkg-deb -c lists the $(wc -l <<<"$expected") expected files" \
	same_list "$expected" "$listed"
check "files owned by root/root" \
	[ -z "$(awk '$2 != "root/root"' <<<"$contents")" ]
check "location-db.sh executable" \
	grep -q "rwxr-xr-x .* \\.$share/location-db.sh$" <<<"$contents"

# apt would install it here (simulated).
apt_accepts()
{
	apt-get -s -o Debug::NoLocking=1 install "./$1" >/dev/null
}
check "apt-get -s install accepts it for kamailio $kver" apt_accepts "$deb"

# A copy for another kamailio version: dpkg and apt refuse it. dpkg runs in
# a scratch root against a copy of this system's dpkg status (its file lists
# are not copied: dpkg's warnings about them are dropped).
scratch_dpkg_i()
{
	local s st
	s=$(mktemp -d "${TMPDIR:-/tmp}/push-deb.XXXXXX") || return 2
	mkdir -p "$s/admin/info" "$s/admin/updates" "$s/admin/triggers" "$s/root"
	cp /var/lib/dpkg/status "$s/admin/status"
	: >"$s/admin/available"
	timeout 120 dpkg --admindir="$s/admin" --instdir="$s/root" \
		--log=/dev/null --force-script-chrootless -i "$1" 2>&1 |
		grep -v "files list file for package"
	st=$(dpkg-query --admindir="$s/admin" -W -f '${db:Status-Status}' "$PKG")
	rm -rf "$s"
	[ "$st" = installed ]
}
# apt-get -s fails on DEB for want of kamailio (= VERSION).
apt_refuses()
{
	local out
	out=$(apt-get -s -o Debug::NoLocking=1 install "./$1" 2>&1) && return 1
	grep -qF "Depends: kamailio (= $2)" <<<"$out"
}
other="$kver.other1"
odir="$BUILD_DIR/deb/other"
rm -rf "$odir"
if odeb=$(BUILD_DIR="$odir" KAMAILIO_VERSION="$other" scripts/make-deb.sh 2>/dev/null); then
	check "a copy built for kamailio $other depends on it" \
		grep -qF "kamailio (= $other)" <<<"$(dpkg-deb -f "$odeb" Depends)"
	out=$(scratch_dpkg_i "$odeb")
	rc=$?
	if [ $rc -eq 0 ]; then
		miss "dpkg -i refuses the copy for kamailio $other (it configured it)"
	elif grep -qF "depends on kamailio (= $other)" <<<"$out"; then
		pass "dpkg -i refuses the copy for kamailio $other:"
		grep -A2 "^dpkg: dependency problems" <<<"$out" | sed 's/^/       /'
	else
		miss "dpkg -i refuses the copy for kamailio $other (failed otherwise)"
		tail -5 <<<"$out"
	fi
	check "apt-get -s install refuses the copy" apt_refuses "$odeb" "$other"
else
	miss "make-deb.sh builds a copy for kamailio $other"
fi

# --- installed on this system ----------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	miss "dpkg -i on this system: run as root"
	exit 1
fi
if ! not_installed; then
	miss "$PKG is already on this system ($(pkg_state)): this test installs" \
		"and removes it; remove it first (dpkg -r $PKG)"
	exit 1
fi

# dpkg_logged ACTION...: dpkg ACTION on this system, its output into
# $BUILD_DIR/deb/dpkg.log.
dpkg_logged()
{
	dpkg "$@" >>"$BUILD_DIR/deb/dpkg.log" 2>&1
}
# unchanged PACKAGE: installed, and its files as packaged (dpkg --verify).
unchanged()
{
	[ "$(dpkg-query -W -f '${db:Status-Status}' "$1")" = installed ] &&
		[ -z "$(dpkg --verify "$1")" ]
}

: >"$BUILD_DIR/deb/dpkg.log"
installed_here=yes
check "dpkg -i installs it" dpkg_logged -i "$deb"
check "dpkg reports it installed" [ "$(pkg_state)" = installed ]
# the files it installed, as dpkg lists them
files=$(dpkg -L "$PKG" | while read -r f; do [ -d "$f" ] || echo "$f"; done | sort)
check "dpkg -L lists the expected files" same_list "$expected" "$files"
check "dpkg --verify: the installed files are the packaged ones" unchanged "$PKG"

# Kamailio from the installed example, in a directory of its own: the
# configuration's mpath (modules/push, then Kamailio's module directory)
# finds only the installed push.so; the database comes from the installed
# script.
PT='+g.oma.pusheventapp'
# routed NAME [-A define...]: in a test directory NAME of its own,
# Kamailio from the installed example routes a push to the matching one of
# two devices.
routed()
{
	test_begin "$1"
	shift
	KAM_RUN_DIR=$T_WORK
	KAM_PATH_ARGS=()
	KAM_DB_SCRIPT=$share/location-db.sh
	kam_start "$doc/examples/push-proxy.cfg" "$@" || return 1
	grep -qF "$KAM_MODULES/push.so" "/proc/$KAM_PID/maps" ||
		fail "kamailio did not map $KAM_MODULES/push.so" || return 1
	assert_grep "$KAM_LOG" "push module $PUSH_VERSION\$" "the version in the log" ||
		return 1
	device mms alice ";$PT=\"mms.ua\"" || return 1
	device sms alice ";$PT=\"sms.ua\"" || return 1
	send_push p1 alice application/vnd.wap.mms-message
	assert_eq "$FINAL" 200 "final response of the push" &&
		assert_eq "$(received_count mms)" 1 "MESSAGEs at the mms device" &&
		assert_eq "$(received_count sms)" 0 "MESSAGEs at the sms device"
}
check "the installed example proxy routes a push to the matching device" \
	routed deb_installed
test_cleanup
check "so does its Lua routing (-A WITH_LUA, -A LUA_SCRIPT)" \
	routed deb_installed_lua -A WITH_LUA -A "LUA_SCRIPT=\"$doc/examples/push-proxy.lua\""
test_cleanup

# --- removed -----------------------------------------------------------------

check "dpkg -r removes it" dpkg_logged -r "$PKG"
installed_here=
check "dpkg reports it gone" not_installed
files_gone()
{
	local f left=0
	while read -r f; do
		[ -e "$f" ] || continue
		echo "    left: $f"
		left=1
	done <<<"$files"
	[ -d "$doc" ] && echo "    left: $doc/" && left=1
	[ -d "$share" ] && echo "    left: $share/" && left=1
	[ $left -eq 0 ]
}
check "every file it installed is gone, and its own directories" files_gone
check "kamailio stays installed and intact (dpkg --verify kamailio)" unchanged kamailio
debian_cfg_checks()
{
	"$KAM_BIN" -c -f /etc/kamailio/kamailio.cfg >/dev/null 2>&1
}
check "Debian's kamailio.cfg still checks (kamailio -c)" debian_cfg_checks

test_begin deb_removed
KAM_RUN_DIR=$T_WORK
answers()
{
	KAM_CFG=$ROOT/tests/deb/plain.cfg
	KAM_ARGS=()
	free_port || return 1
	KAM_PORT=$FREE_PORT
	KAM_CTL="$T_CTL/kamailio.ctl"
	KAM_LOG="$T_WORK/kamailio.log"
	KAM_DB="$T_WORK/none.db"
	kam_start_again || return 1
	send_push p1 alice text/plain
	assert_eq "$FINAL" 200 "final response of kamailio without push"
}
check "kamailio starts without it and answers" answers
no_module()
(
	cd "$T_WORK" || return 1
	! "$KAM_BIN" -c -f "$ROOT/cfg/push-proxy.cfg" -w "$T_WORK" \
		>"$T_WORK/check.log" 2>&1 &&
		grep -qF "could not find module <push>" "$T_WORK/check.log"
)
check "a configuration loading push no longer finds the module" no_module

[ "$failed" -eq 0 ]
