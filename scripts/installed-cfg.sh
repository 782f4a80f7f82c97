#!/bin/sh
# Print cfg/push-proxy.cfg as installed ("make install", the Debian
# package): its mpath, which names this checkout's modules/push and the
# module directory of Debian's amd64 package, becomes MODULE_DIR, the module
# directory of the Kamailio push.so is installed for.
# Usage: scripts/installed-cfg.sh MODULE_DIR >FILE
set -eu

dir=${1:?usage: installed-cfg.sh MODULE_DIR}
awk -v dir="$dir" '
	/^# Modules: the push.so this repository builds/ { skip = 1 }
	skip && /^mpath=/ {
		print "# Modules: those of the installed Kamailio, push.so among them."
		print "mpath=\"" dir "\""
		skip = 0; done = 1; next
	}
	skip { next }
	{ print }
	END { exit !done }' "$(dirname "$0")/../cfg/push-proxy.cfg" || {
	echo "cfg/push-proxy.cfg: no mpath block to adapt" >&2
	exit 1
}
