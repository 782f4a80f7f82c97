#!/bin/sh
# Compare the version and compile-flags strings built into a Kamailio module
# with those of the kamailio binary it will be loaded into: the loader refuses
# a module when either differs (ksr_version_control() in core/sr_module.c).
# Usage: scripts/check-modver.sh MODULE.so [KAMAILIO_BINARY]
set -eu
so=$1
kam=${2:-kamailio}

# Read the string a pointer variable of the module points to. The pointer
# is filled by a relative relocation; its addend is the string's address,
# which a LOAD segment maps to a file offset.
module_string()
{
	addr=$(readelf -Ws "$so" | awk -v s="$1" '$8 == s { print $2; exit }')
	[ -n "$addr" ] || { echo "$so has no symbol $1" >&2; return 1; }
	target=$(readelf -rW "$so" | awk -v a="$addr" '
		{ o = $1; sub(/^0+/, "", o); b = a; sub(/^0+/, "", b) }
		o == b && $3 ~ /RELATIVE/ { print $4; exit }')
	[ -n "$target" ] || { echo "$so: no relocation for $1" >&2; return 1; }
	off=$(readelf -lW "$so" | awk -v t="$target" '
		function hex(h,   i, n, c) {
			n = 0; h = tolower(h); sub(/^0x/, "", h)
			for (i = 1; i <= length(h); i++) {
				c = index("0123456789abcdef", substr(h, i, 1)) - 1
				n = n * 16 + c
			}
			return n
		}
		$1 == "LOAD" {
			v = hex($3); f = hex($2); sz = hex($5); x = hex(t)
			if (x >= v && x < v + sz) { printf "%d\n", x - v + f; exit }
		}')
	[ -n "$off" ] || { echo "$so: string of $1 not in a LOAD segment" >&2; return 1; }
	tail -c "+$((off + 1))" "$so" | tr '\0' '\n' | head -n 1
}

mod_version=$(module_string module_version)
mod_flags=$(module_string module_flags)
kam_v=$("$kam" -v)
core_version=$(printf '%s\n' "$kam_v" | sed -n 's/^version: //p' | sed 's/[[:space:]]*$//')
core_flags=$(printf '%s\n' "$kam_v" | sed -n 's/^flags: //p' | sed 's/[[:space:]]*$//')

if [ "$mod_version" != "$core_version" ] || [ "$mod_flags" != "$core_flags" ]; then
	echo "$so was built for a different Kamailio than $(command -v "$kam"):" >&2
	echo "  module version: $mod_version" >&2
	echo "  core version:   $core_version" >&2
	echo "  module flags:   $mod_flags" >&2
	echo "  core flags:     $core_flags" >&2
	echo "Build against the installed version's source (unset KAMAILIO_SRC)" \
		"or configure KAMAILIO_SRC with the same options." >&2
	exit 1
fi
