#!/bin/sh
# Check that a Kamailio module loads into the kamailio binary it is built
# for. The loader refuses a module whose version or compile-flags string
# differs from its own (ksr_version_control() in core/sr_module.c). The
# binary is asked itself: "kamailio -c" (a configuration check, which loads
# the modules of the configuration and nothing else, binds no socket) with
# a configuration that loads only MODULE.so. (Comparing with the strings of
# "kamailio -v" is not enough: a 6.1 binary built with CMake prints flags
# there, DBG_QM_MALLOC and its kin, that its loader does not compare.)
# On a refusal, the module's strings (read from the file) and the core's
# (from the loader's message, else from "kamailio -v") are printed.
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
kam_path=$(command -v "$kam") || { echo "no kamailio binary $kam" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
so_abs=$(cd "$(dirname "$so")" && pwd)/$(basename "$so")
cat > "$tmp/probe.cfg" <<EOF
#!KAMAILIO
listen=udp:127.0.0.1:5060
auto_aliases=no
loadmodule "$so_abs"
request_route { drop; }
EOF
if timeout 30 "$kam" -c -f "$tmp/probe.cfg" >"$tmp/out" 2>&1; then
	exit 0
fi

kam_v=$("$kam" -v 2>/dev/null || true)
core_version=$(printf '%s\n' "$kam_v" | sed -n 's/^version: //p' | sed 's/[[:space:]]*$//')
core_flags=$(printf '%s\n' "$kam_v" | sed -n 's/^flags: //p' | sed 's/[[:space:]]*$//')
# the loader's own strings, where it names them
v=$(sed -n 's/.*module version mismatch for .*; core: \(.*\); module: .*/\1/p' "$tmp/out" |
	head -n 1)
[ -z "$v" ] || core_version=$v
if grep -q 'module compile flags mismatch' "$tmp/out"; then
	f=$(sed -n '/module compile flags mismatch/,$ s/^core: //p' "$tmp/out" |
		head -n 1 | sed 's/[[:space:]]*$//')
	[ -z "$f" ] || core_flags=$f
fi

if grep -q 'module version mismatch\|module compile flags mismatch' "$tmp/out" ||
	[ "$mod_version" != "$core_version" ] || [ "$mod_flags" != "$core_flags" ]; then
	echo "$so was built for a different Kamailio than $kam_path:" >&2
	echo "  module version: $mod_version" >&2
	echo "  core version:   $core_version" >&2
	echo "  module flags:   $mod_flags" >&2
	echo "  core flags:     $core_flags" >&2
	echo "Build against the source of that binary: unset KAMAILIO_SRC for" \
		"Debian's kamailio package, else point KAMAILIO_SRC at the tree it" \
		"was built from, configured with the same options." >&2
else
	# the same strings, refused all the same (an undefined symbol, ...)
	echo "$kam_path does not load $so (kamailio -c says):" >&2
	grep -v '^[[:space:]]*$' "$tmp/out" | tail -n 10 | sed 's/^/  /' >&2
fi
exit 1
