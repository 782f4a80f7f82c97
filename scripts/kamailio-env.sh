#!/bin/sh
# Print, as shell assignments for eval, the Kamailio that "make run" and the
# system tests start:
#   KAM_BIN      the absolute path of KAMAILIO (default: kamailio on the PATH)
#   KAM_MODULES  its module directory: KAMAILIO_MODULES when set, else the
#                one compiled into the binary (the default of "kamailio -L")
#   KAMCMD       the kamcmd installed next to the binary, else the one on
#                the PATH
# Usage: env=$(KAMAILIO=... scripts/kamailio-env.sh) && eval "$env"
set -eu

kam=${KAMAILIO:-kamailio}
case "$kam" in
*/*) ;;
*) kam=$(command -v "$kam") || {
	echo "no ${KAMAILIO:-kamailio} on the PATH: install Debian's kamailio" \
		"package, or pass KAMAILIO=/path/to/kamailio" >&2
	exit 1
} ;;
esac
if [ ! -x "$kam" ] || [ -d "$kam" ]; then
	echo "KAMAILIO=$kam is not an executable file" >&2
	exit 1
fi
kam=$(cd "$(dirname "$kam")" && pwd)/$(basename "$kam")

mods=${KAMAILIO_MODULES:-}
if [ -z "$mods" ]; then
	mods=$("$kam" -h 2>&1 | sed -n 's/.*-L path.*(default: \(.*\))$/\1/p')
	if [ -z "$mods" ]; then
		echo "$kam -h names no module directory: pass KAMAILIO_MODULES=dir" >&2
		exit 1
	fi
fi
if [ ! -f "$mods/sl.so" ]; then
	echo "$mods is not the module directory of $kam (it has no sl.so):" \
		"pass KAMAILIO_MODULES=dir" >&2
	exit 1
fi
mods=$(cd "$mods" && pwd)

kamcmd=$(dirname "$kam")/kamcmd
[ -x "$kamcmd" ] || kamcmd=kamcmd

quote()
{
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
echo "KAM_BIN=$(quote "$kam")"
echo "KAM_MODULES=$(quote "$mods")"
echo "KAMCMD=$(quote "$kamcmd")"
