#!/bin/sh
# Print the path of a configured Kamailio source tree matching the installed
# kamailio package, preparing it on first use:
#   - KAMAILIO_SRC set: use that tree (it must have been configured with
#     "make cfg"), nothing is fetched;
#   - otherwise fetch the Debian source package of the installed version
#     into BUILD_DIR (default: build) and configure it with the options of
#     the package's own debian/rules, so the module's version and flags
#     strings equal those of the packaged binary.
# Progress goes to stderr; stdout carries only the path.
set -eu

if [ -n "${KAMAILIO_SRC:-}" ]; then
	if [ ! -f "$KAMAILIO_SRC/src/config.mak" ]; then
		echo "KAMAILIO_SRC=$KAMAILIO_SRC is not a configured Kamailio tree" \
			"(no src/config.mak): run 'make cfg' in it first" >&2
		exit 1
	fi
	echo "$KAMAILIO_SRC"
	exit 0
fi

build_dir=${BUILD_DIR:-build}
version=$(dpkg-query -W -f='${Version}' kamailio 2>/dev/null) || {
	echo "the kamailio package is not installed" >&2
	exit 1
}
upstream=${version#*:}
upstream=${upstream%-*}
tree="$build_dir/kamailio-$upstream"
stamp="$tree/.push-configured-$version"
if [ -f "$stamp" ]; then
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
	if [ -s "$list.tmp" ]; then mv "$list.tmp" "$list"; else rm -f "$list.tmp"; fi
	if [ -s "$sources.tmp" ]; then mv "$sources.tmp" "$sources"; else rm -f "$sources.tmp"; fi
	apt-get update -qq || true
}

mkdir -p "$build_dir"
if [ ! -f "$tree/src/Makefile.defs" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fetching the kamailio $version source needs root (apt-get);" \
			"or point KAMAILIO_SRC at a configured tree" >&2
		exit 1
	fi
	echo "Fetching the Debian source of kamailio $version into $build_dir/" >&2
	if ! apt-get source --print-uris "kamailio=$version" >/dev/null 2>&1; then
		add_deb_src
	fi
	(cd "$build_dir" && apt-get source -qq "kamailio=$version" >&2) || {
		echo "apt-get source kamailio=$version failed" >&2
		exit 1
	}
	if [ ! -f "$tree/src/Makefile.defs" ]; then
		echo "apt-get source did not produce $tree" >&2
		exit 1
	fi
fi

echo "Configuring $tree with the options of its debian/rules" >&2
# Ask the package's own rules file for its compiler and linker options.
rules_var()
{
	make -s -C "$tree" -f debian/rules --no-print-directory \
		--eval "push-print-var: ; @echo \$($1)" push-print-var
}
cc_opts=$(rules_var CC_EXTRA_OPTS)
ld_opts=$(rules_var LD_EXTRA_OPTS)
make -s -C "$tree" cfg quiet=1 prefix=/usr cfg_target=/etc/kamailio/ \
	FLAVOUR=kamailio group_include=kstandard \
	CC_EXTRA_OPTS="$cc_opts" LD_EXTRA_OPTS="$ld_opts" >/dev/null
touch "$stamp"
echo "$tree"
