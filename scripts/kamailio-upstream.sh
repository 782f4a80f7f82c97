#!/bin/sh
# Build an upstream Kamailio release, for testing the module against it:
#   KAMAILIO_GIT=/path/to/kamailio.git scripts/kamailio-upstream.sh VERSION
# (or: make kamailio-upstream V=VERSION KAMAILIO_GIT=...).
#
# The source is the tag VERSION of a local clone of Kamailio's git
# repository (bare or not); nothing is fetched over the network, so the
# clone must already hold the tag (update it with "git fetch --tags" where
# the network is available). Only the core and the modules that
# cfg/push-proxy.cfg, the Lua variant and the benchmarks load, and those of
# the two ways to share bindings between proxies (db_postgres; dmq,
# dmq_usrloc), are built, and installed into a prefix
# of their own:
#   BUILD_DIR/upstream/kamailio-VERSION/source   the release's source tree
#   BUILD_DIR/upstream/kamailio-VERSION/obj      CMake's build directory
#   BUILD_DIR/upstream/kamailio-VERSION/install  sbin/kamailio, sbin/kamcmd,
#                                                the module directory
# Releases from 6.1 on are built with CMake, older ones with "make cfg";
# KAMAILIO_BUILD_SYSTEM=make|cmake chooses (6.0 has both). JOBS (default 2)
# is the number of parallel compile jobs. A finished build is kept: remove
# its directory to build it again (a build that lacks a module of MODULES,
# made before the module was added to the list, is built again anyway). The
# last lines printed are the make command that tests the module against
# the build.
set -eu

usage()
{
	echo "usage: KAMAILIO_GIT=/path/to/kamailio.git $0 VERSION (e.g. 6.0.7)" >&2
	exit 2
}

version=${1:-}
[ -n "$version" ] || usage
case "$version" in
*[!0-9.]* | .* | *. | *..*)
	echo "VERSION must be a release number such as 6.0.7, not '$version'" >&2
	exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac
top="$build_dir/upstream/kamailio-$version"
src="$top/source"
obj="$top/obj"
prefix="$top/install"
stamp="$top/.push-built"

# The modules loaded by cfg/push-proxy.cfg (app_lua under WITH_LUA) and by
# bench/*.cfg, db_postgres for a location database shared by proxies (it
# needs libpq), and dmq and dmq_usrloc for the replication of the location
# table between proxies (neither needs a library of its own: dmq needs tm
# and sl, dmq_usrloc usrloc), xhttp and http_client for the PAP front end
# (http_client needs libcurl; push.so includes its API header), xhttp_prom
# for the metrics page (WITH_PROMETHEUS), auth and auth_db for
# authenticated devices (WITH_AUTH; no library of their own), tls for SIP
# over TLS (WITH_TLS; libssl).
MODULES="ctl kex corex tm tmx sl pv maxfwd textops siputils xlog sanity"
MODULES="$MODULES db_sqlite db_postgres usrloc registrar app_lua dmq dmq_usrloc xhttp http_client xhttp_prom"
MODULES="$MODULES auth auth_db tls"

major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ -n "${KAMAILIO_BUILD_SYSTEM:-}" ]; then
	system=$KAMAILIO_BUILD_SYSTEM
elif [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 1 ]; }; then
	system="cmake"
else
	system="make"
fi
case "$system" in make | cmake) ;; *)
	echo "KAMAILIO_BUILD_SYSTEM must be make or cmake, not '$system'" >&2
	exit 2 ;;
esac

# The module directory compiled into the installed kamailio.
module_dir()
{
	"$prefix/sbin/kamailio" -h 2>&1 |
		sed -n 's/.*-L path.*(default: \(.*\))$/\1/p'
}

# The modules of MODULES that the installed module directory lacks.
missing_modules()
{
	mdir=$(module_dir)
	missing=""
	for m in $MODULES; do
		[ -f "$mdir/$m.so" ] || missing="$missing $m"
	done
	echo "$missing"
}

# Print how to use a finished build.
report()
{
	kam="$prefix/sbin/kamailio"
	mdir=$(module_dir)
	if [ "$(cat "$stamp")" = cmake ]; then tree=$obj; else tree=$src; fi
	echo "Kamailio $version ($(cat "$stamp") build) is installed in $prefix."
	echo "Build and test the module against it with:"
	echo "  make test KAMAILIO=$kam KAMAILIO_MODULES=$mdir KAMAILIO_SRC=$tree"
}

if [ -f "$stamp" ] && [ -x "$prefix/sbin/kamailio" ]; then
	missing=$(missing_modules)
	if [ -z "$missing" ]; then
		report
		exit 0
	fi
	echo "The build in $top lacks modules of the list:$missing;" \
		"building it again" >&2
fi

git_dir=${KAMAILIO_GIT:-}
if [ -z "$git_dir" ]; then
	echo "KAMAILIO_GIT is not set: point it at a local clone of Kamailio's git" \
		"repository that has the tag $version (nothing is fetched over the" \
		"network)" >&2
	exit 1
fi
[ -d "$git_dir/.git" ] && git_dir="$git_dir/.git"
if ! git --git-dir="$git_dir" rev-parse -q --verify \
	"refs/tags/$version^{commit}" >/dev/null 2>&1; then
	echo "$KAMAILIO_GIT has no tag $version (nothing is fetched over the" \
		"network: run 'git fetch --tags' in it where that is possible)" >&2
	exit 1
fi

deps="upstream"
[ "$system" = cmake ] && deps="$deps upstream-cmake"
# shellcheck disable=SC2086
"$root/scripts/deps.sh" $deps

echo "Building Kamailio $version with $system in $top" >&2
rm -rf "$top"
mkdir -p "$top"
git --git-dir="$git_dir" archive --format=tar --prefix=source/ "$version" |
	tar -x -C "$top"

jobs=${JOBS:-2}
# Run from make (make kamailio-upstream V=...), the variables of that
# command line would reach Kamailio's makefiles too.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
if [ "$system" = make ]; then
	# make cfg builds every module of src/modules that is not excluded:
	# exclude all but ours.
	exclude=""
	for d in "$src"/src/modules/*/; do
		m=$(basename "$d")
		case " $MODULES " in *" $m "*) ;; *) exclude="$exclude $m" ;; esac
	done
	make -s -C "$src" cfg quiet=1 prefix="$prefix" \
		include_modules="$MODULES" exclude_modules="$exclude" >/dev/null
	make -s -C "$src" -j"$jobs" all quiet=1
	make -s -C "$src" install quiet=1 >/dev/null
else
	cmake -S "$src" -B "$obj" -DCMAKE_INSTALL_PREFIX="$prefix" \
		-DBUILD_DOC=OFF -DMODULE_GROUP_NAME="" \
		-DINCLUDE_MODULES="$MODULES" -DKSR_LUA_VERSION=5.1 >"$top/cmake.log" ||
		{ tail -n 30 "$top/cmake.log" >&2; exit 1; }
	cmake --build "$obj" -j "$jobs" >"$top/build.log" 2>&1 ||
		{ tail -n 30 "$top/build.log" >&2; exit 1; }
	cmake --install "$obj" >"$top/install.log" ||
		{ tail -n 30 "$top/install.log" >&2; exit 1; }
fi

if [ ! -x "$prefix/sbin/kamailio" ]; then
	echo "the build did not install $prefix/sbin/kamailio" >&2
	exit 1
fi
missing=$(missing_modules)
if [ -n "$missing" ]; then
	echo "modules missing from $(module_dir) after the build:$missing" >&2
	exit 1
fi
echo "$system" > "$stamp"
report
