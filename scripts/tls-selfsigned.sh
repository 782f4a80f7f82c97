#!/bin/sh
# A throwaway certificate authority and the certificates it signs, for the
# example proxy's TLS listener on the loopback interface (make run TLS=1)
# and for the system tests. Never use them on a network: the keys are not
# protected, and anybody who has a copy of ca.key can sign a certificate
# this proxy trusts.
#
# Usage: scripts/tls-selfsigned.sh DIR [CLIENT_CN...]
#   DIR/ca.pem, ca.key          the authority (CN "push test CA")
#   DIR/server.pem, server.key  the proxy: CN localhost, subjectAltName
#                               DNS:localhost and IP:127.0.0.1
#   DIR/client-CN.pem, .key     a client certificate with that common
#                               name (and subjectAltName DNS:CN), for a Push
#                               Sender Agent, one per CLIENT_CN
# Files that exist are kept (run it as often as you like); keys are EC
# (P-256), readable by their owner only; certificates are valid 30 days.
# CA_NAME (default "push test CA") names a new authority, to make a second,
# unrelated one.
set -eu

[ $# -ge 1 ] && [ -n "$1" ] || {
	echo "usage: $0 DIR [CLIENT_CN...]" >&2
	exit 2
}
dir=$1
shift
command -v openssl >/dev/null || {
	echo "$0: openssl is missing (apt-get install openssl)" >&2
	exit 1
}
mkdir -p "$dir"
umask 077
days=30

# newkey FILE: a P-256 key
newkey()
{
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$1" 2>/dev/null
}

# sign NAME CN EXTENSIONS: NAME.pem for NAME.key, issued by the authority
sign()
{
	ext="$dir/$1.ext"
	printf '%s\n' "$3" >"$ext"
	openssl req -new -key "$dir/$1.key" -subj "/O=push test/CN=$2" \
		-out "$dir/$1.csr" 2>/dev/null
	openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.pem" \
		-CAkey "$dir/ca.key" -CAcreateserial -days "$days" -sha256 \
		-extfile "$ext" -out "$dir/$1.pem" 2>/dev/null
	rm -f "$dir/$1.csr" "$ext"
	chmod 644 "$dir/$1.pem"
}

if [ ! -s "$dir/ca.pem" ] || [ ! -s "$dir/ca.key" ]; then
	newkey "$dir/ca.key"
	openssl req -x509 -new -key "$dir/ca.key" -days "$days" -sha256 \
		-subj "/O=push test/CN=${CA_NAME:-push test CA}" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$dir/ca.pem" 2>/dev/null
	chmod 644 "$dir/ca.pem"
	echo "created $dir/ca.pem"
fi

if [ ! -s "$dir/server.pem" ] || [ ! -s "$dir/server.key" ]; then
	newkey "$dir/server.key"
	sign server localhost "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
	echo "created $dir/server.pem"
fi

for cn in "$@"; do
	case "$cn" in
	'' | */* | *' '*)
		echo "$0: unusable client name '$cn'" >&2
		exit 2
		;;
	esac
	[ -s "$dir/client-$cn.pem" ] && [ -s "$dir/client-$cn.key" ] && continue
	newkey "$dir/client-$cn.key"
	sign "client-$cn" "$cn" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=DNS:$cn"
	echo "created $dir/client-$cn.pem"
done
