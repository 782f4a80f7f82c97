#!/bin/sh
# "check && pass || fail": pass only echoes, so fail runs only when the
# check fails.
# shellcheck disable=SC2015
# make test-deb: build the Debian package (scripts/make-deb.sh) and check
#   - dpkg-deb -I: it depends on exactly the installed kamailio version;
#   - dpkg-deb -c: it holds exactly the expected files;
#   - dpkg and apt accept it on this system, and refuse a copy built for
#     another kamailio version. apt-get only simulates (-s); dpkg really
#     installs, but into a scratch instdir with a scratch copy of this
#     system's package database (--admindir, --instdir): dpkg checks the
#     dependencies against the kamailio really installed here, and nothing
#     on the system is installed, changed or removed. Needs PUSH_VERSION and KAM_MODULES
# (the Makefile passes them).
set -u

: "${PUSH_VERSION:?}" "${KAM_MODULES:?}"
BUILD_DIR=${BUILD_DIR:-build}
fails=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

deb=$(scripts/make-deb.sh) || { echo "FAIL make-deb.sh"; exit 1; }
kver=$(dpkg-query -W -f '${Version}' kamailio)
arch=$(dpkg --print-architecture)
pkg=kamailio-push-module
[ "$deb" = "$BUILD_DIR/${pkg}_$PUSH_VERSION+k${kver}_$arch.deb" ] &&
	pass "package name $deb" || fail "package name $deb"

info=$(dpkg-deb -f "$deb" Depends)
case ", $info," in
*", kamailio (= $kver),"*) pass "Depends: kamailio (= $kver)" ;;
*) fail "Depends has no kamailio (= $kver): $info" ;;
esac
case "$info" in
*"kamailio-sqlite-modules | kamailio-postgres-modules | kamailio-mysql-modules"*)
	pass "Depends: a database module package" ;;
*) fail "Depends has no database alternative: $info" ;;
esac
dpkg-deb -I "$deb" | grep -q "^ Depends: kamailio (= $kver)," &&
	pass "dpkg-deb -I shows the exact dependency" ||
	fail "dpkg-deb -I shows no exact dependency"
[ "$(dpkg-deb -f "$deb" Version)" = "$PUSH_VERSION+k$kver" ] &&
	pass "Version $PUSH_VERSION+k$kver" || fail "Version $(dpkg-deb -f "$deb" Version)"

doc=./usr/share/doc/$pkg
share=./usr/share/$pkg
expected=$(printf '%s\n' ".$KAM_MODULES/push.so" \
	"$doc/README" "$doc/changelog.Debian.gz" "$doc/copyright" \
	"./usr/share/lintian/overrides/$pkg" \
	"$doc/examples/push-proxy.cfg" "$doc/examples/push-proxy.lua" \
	"$share/location-db.sh" "$share/push-user.sh" "$share/db-url.sh" | sort)
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sort)
if [ "$files" = "$expected" ]; then
	pass "dpkg-deb -c lists the $(echo "$files" | wc -l) expected files"
else
	fail "dpkg-deb -c: files differ from the expected ones"
	echo "$expected" > "$BUILD_DIR/deb/expected"
	echo "$files" > "$BUILD_DIR/deb/listed"
	diff "$BUILD_DIR/deb/expected" "$BUILD_DIR/deb/listed"
fi
dpkg-deb -c "$deb" | awk '{ print $2 }' | grep -qv '^root/root$' &&
	fail "files not owned by root" || pass "files owned by root/root"
dpkg-deb -c "$deb" | grep -q "rwxr-xr-x .* $share/location-db.sh$" &&
	pass "location-db.sh executable" || fail "location-db.sh not executable"

# The packaged (stripped) push.so loads into this kamailio ("kamailio -c").
x=$(mktemp -d "${TMPDIR:-/tmp}/push-deb.XXXXXX")
dpkg-deb -x "$deb" "$x"
if out=$(scripts/check-modver.sh "$x$KAM_MODULES/push.so" "${KAM_BIN:-kamailio}" 2>&1); then
	pass "the packaged push.so loads into ${KAM_BIN:-kamailio}"
else
	fail "the packaged push.so does not load"; echo "$out" | tail -5
fi
rm -rf "$x"

# This system: apt would install it (simulated).
if out=$(apt-get -s -o Debug::NoLocking=1 install "./$deb" 2>&1); then
	pass "apt-get -s install accepts it for kamailio $kver"
else
	fail "apt-get -s install refuses it"; echo "$out" | tail -5
fi
# dpkg -i into a scratch root, against a copy of this system's dpkg status
# (its file lists are not copied: dpkg's warnings about them are dropped).
scratch_dpkg_i()
{
	s=$(mktemp -d "${TMPDIR:-/tmp}/push-deb.XXXXXX") || return 2
	mkdir -p "$s/admin/info" "$s/admin/updates" "$s/admin/triggers" "$s/root"
	cp /var/lib/dpkg/status "$s/admin/status"
	: > "$s/admin/available"
	timeout 120 dpkg --admindir="$s/admin" --instdir="$s/root" \
		--log=/dev/null --force-script-chrootless -i "$1" 2>&1 |
		grep -v "files list file for package"
	st=$(dpkg-query --admindir="$s/admin" -W -f '${db:Status-Status}' $pkg)
	rm -rf "$s"
	[ "$st" = installed ]
}
if out=$(scratch_dpkg_i "$deb"); then
	pass "dpkg -i (scratch root) installs and configures it"
else
	fail "dpkg -i (scratch root) refuses it"; echo "$out" | tail -5
fi

# A copy for another kamailio version: refused.
other="$kver.other1"
odir="$BUILD_DIR/deb/other"
rm -rf "$odir"
odeb=$(BUILD_DIR="$odir" KAMAILIO_VERSION="$other" scripts/make-deb.sh 2>/dev/null) ||
	{ fail "build for kamailio $other"; odeb=; }
if [ -n "$odeb" ]; then
	dpkg-deb -f "$odeb" Depends | grep -q "kamailio (= $other)" &&
		pass "copy depends on kamailio (= $other)" ||
		fail "copy does not depend on kamailio (= $other)"
	if out=$(scratch_dpkg_i "$odeb"); then
		fail "dpkg -i (scratch root) configured the copy"; echo "$out" | tail -5
	elif echo "$out" | grep -q "depends on kamailio (= $other)"; then
		pass "dpkg -i (scratch root) refuses it:"
		echo "$out" | grep -A2 "^dpkg: dependency problems" | sed 's/^/       /'
	else
		fail "dpkg -i (scratch root) failed otherwise"; echo "$out" | tail -5
	fi
	out=$(apt-get -s -o Debug::NoLocking=1 install "./$odeb" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -q "Depends: kamailio (= $other)"; then
		pass "apt-get -s install refuses it"
	else
		fail "apt-get -s install (rc $rc) did not refuse the copy"; echo "$out" | tail -5
	fi
fi
[ "$(dpkg-query -W -f '${db:Status-Status}' $pkg 2>/dev/null)" != installed ] ||
	echo "note: $pkg is installed on this system (not by this test)"

if [ $fails -eq 0 ]; then
	echo "test-deb: all passed ($deb)"
else
	echo "test-deb: $fails failed"
	exit 1
fi
