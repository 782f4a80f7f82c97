#!/bin/sh
# Print the path of the configured Kamailio tree to build the module
# against, for the kamailio binary KAMAILIO (default: the one on the PATH),
# preparing it on first use:
#   - KAMAILIO_SRC set: use that tree, nothing is fetched. Either a source
#     tree configured with "make cfg" (it has src/config.mak), or a CMake
#     build directory (it has CMakeCache.txt), or a source tree holding
#     exactly one CMake build directory; the path printed is then that of
#     the build directory;
#   - otherwise KAMAILIO must come from a Debian package (dpkg -S tells):
#     fetch the Debian source of that package's version into BUILD_DIR
#     (default: build) and configure it with the options of the package's
#     own debian/rules, so the module's version and flags strings equal
#     those of the packaged binary.
# Progress goes to stderr; stdout carries only the path.
set -eu

# A CMake build directory of a Kamailio source tree.
is_cmake_build()
{
	[ -f "$1/CMakeCache.txt" ] &&
		grep -q '^kamailio_SOURCE_DIR:' "$1/CMakeCache.txt"
}

if [ -n "${KAMAILIO_SRC:-}" ]; then
	if [ -f "$KAMAILIO_SRC/src/config.mak" ] || is_cmake_build "$KAMAILIO_SRC"; then
		echo "$KAMAILIO_SRC"
		exit 0
	fi
	# a source tree with its CMake build directory inside (cmake -B build)
	found=""
	n=0
	if [ -f "$KAMAILIO_SRC/CMakeLists.txt" ]; then
		for c in "$KAMAILIO_SRC"/*/CMakeCache.txt; do
			[ -f "$c" ] || continue
			is_cmake_build "$(dirname "$c")" || continue
			found="$(dirname "$c")"
			n=$((n + 1))
		done
	fi
	if [ "$n" -eq 1 ]; then
		echo "$found"
		exit 0
	elif [ "$n" -gt 1 ]; then
		echo "KAMAILIO_SRC=$KAMAILIO_SRC holds several CMake build" \
			"directories: pass the one of the kamailio binary as KAMAILIO_SRC" >&2
		exit 1
	fi
	echo "KAMAILIO_SRC=$KAMAILIO_SRC is not a configured Kamailio tree" \
		"(no src/config.mak, no CMake build directory): run 'make cfg' in it," \
		"or configure it with CMake and pass the build directory" >&2
	exit 1
fi

# The binary (as the tests start it), and the Debian package it comes from.
env=$("$(dirname "$0")/kamailio-env.sh") || exit 1
eval "$env"
kam=$KAM_BIN
owner=$(dpkg -S "$kam" 2>/dev/null ||
	dpkg -S "$(readlink -f "$kam")" 2>/dev/null || true)
pkg=$(printf '%s\n' "$owner" | sed -n '/^diversion /d; s/^\([^:,]*\).*/\1/p' |
	head -n 1)
if [ -z "$pkg" ]; then
	echo "$kam does not come from a Debian package, so there is no source" \
		"to fetch for it: pass KAMAILIO_SRC=/path/to/the Kamailio tree it was" \
		"built from (configured with 'make cfg', or its CMake build directory)" >&2
	exit 1
fi

build_dir=${BUILD_DIR:-build}
# The source package and its version (a binary rebuild, +bN, has the
# version of its source).
srcpkg=$(dpkg-query -W -f='${source:Package}' "$pkg" 2>/dev/null || true)
version=$(dpkg-query -W -f='${source:Version}' "$pkg" 2>/dev/null || true)
if [ -z "$srcpkg" ] || [ -z "$version" ]; then
	echo "cannot tell the source package of $pkg (the owner of $kam)" >&2
	exit 1
fi
# Only Debian's own kamailio source package is fetched: a package built by
# Kamailio's project (or anyone else) has its source elsewhere, and may be
# built with CMake, which its debian/rules would not tell us how to mirror.
maint=$(dpkg-query -W -f='${Maintainer}' "$pkg" 2>/dev/null || true)
if [ "$srcpkg" != kamailio ]; then
	echo "$kam comes from the package $pkg (source $srcpkg), not from" \
		"Debian's kamailio: pass KAMAILIO=/path/to/kamailio" >&2
	exit 1
fi
case "$maint" in
*Debian*) ;;
*)
	echo "$kam comes from the package $pkg $version, which is not Debian's" \
		"(maintainer: $maint): pass KAMAILIO_SRC=/path/to/the Kamailio tree" \
		"it was built from (configured with 'make cfg', or its CMake build" \
		"directory)" >&2
	exit 1 ;;
esac
upstream=${version#*:}
upstream=${upstream%-*}
tree="$build_dir/$srcpkg-$upstream"
stamp="$tree/.push-configured-$version"
# The compiler and linker options of the package's debian/rules. Its
# DEB_BUILD_MAINT_OPTIONS (hardening=+all) goes into the environment of the
# dpkg-buildflags it runs, as dpkg-buildpackage has it: without, the linker
# options lack the -z now of Debian's own modules.
rules_var()
{
	make -s -C "$tree" -f debian/rules --no-print-directory \
		--eval "push-print-var: ; @echo \$($1)" push-print-var
}
rules_opts()
{
	DEB_BUILD_MAINT_OPTIONS=$(rules_var DEB_BUILD_MAINT_OPTIONS) &&
		export DEB_BUILD_MAINT_OPTIONS &&
		rules_var CC_EXTRA_OPTS && rules_var LD_EXTRA_OPTS
}
# configured before, with the options the rules give now
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(rules_opts)" ]; then
	echo "$tree"
	exit 0
fi

# apt-get source needs deb-src entries. Where the system has none, derive
# them from its own deb entries, in a file of ours, so no archive address is
# ever written by this project.
add_deb_src()
{
	list=/etc/apt/sources.list.d/push-module-deb-src.list
	sources=/etc/apt/sources.list.d/push-module-deb-src.sources
	{
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] && [ "$f" != "$list" ] || continue
			sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
		done
	} > "$list.tmp"
	{
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] && [ "$f" != "$sources" ] || continue
			# One deb822 stanza per paragraph: keep enabled "deb" stanzas
			# and turn their type into deb-src.
			awk 'BEGIN { RS = ""; ORS = "\n\n" }
				/(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ &&
				!/(^|\n)Enabled:[ \t]*no/ {
					gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src")
					sub(/^\n/, "")
					print
				}' "$f"
		done
	} > "$sources.tmp"
	if [ -s "$list.tmp" ]; then
		mv "$list.tmp" "$list"
		echo "added deb-src lines, derived from the system's deb lines, to $list" \
			"(apt-get source needs them; remove the file to undo)" >&2
	else
		rm -f "$list.tmp"
	fi
	if [ -s "$sources.tmp" ]; then
		mv "$sources.tmp" "$sources"
		echo "added deb-src stanzas, derived from the system's deb stanzas, to" \
			"$sources (apt-get source needs them; remove the file to undo)" >&2
	else
		rm -f "$sources.tmp"
	fi
	apt-get update -qq || true
}

mkdir -p "$build_dir"
if [ ! -f "$tree/src/Makefile.defs" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fetching the $srcpkg $version source needs root (apt-get);" \
			"or point KAMAILIO_SRC at a configured tree" >&2
		exit 1
	fi
	echo "Fetching the Debian source of $srcpkg $version into $build_dir/" >&2
	if ! apt-get source --print-uris "$srcpkg=$version" >/dev/null 2>&1; then
		add_deb_src
	fi
	(cd "$build_dir" && apt-get source -qq "$srcpkg=$version" >&2) || {
		echo "apt-get source $srcpkg=$version failed" >&2
		exit 1
	}
	if [ ! -f "$tree/src/Makefile.defs" ]; then
		echo "apt-get source did not produce $tree" >&2
		exit 1
	fi
fi

echo "Configuring $tree with the options of its debian/rules" >&2
opts=$(rules_opts)
cc_opts=$(echo "$opts" | sed -n 1p)
ld_opts=$(echo "$opts" | sed -n 2p)
make -s -C "$tree" cfg quiet=1 prefix=/usr cfg_target=/etc/kamailio/ \
	FLAVOUR=kamailio group_include=kstandard \
	CC_EXTRA_OPTS="$cc_opts" LD_EXTRA_OPTS="$ld_opts" >/dev/null
echo "$opts" >"$stamp"
echo "$tree"
