#!/bin/sh
# Install the Debian packages a make target needs, and nothing when all of
# them are present. Usage: scripts/deps.sh GROUP...
#   build  compiler, packaging tools, the Kamailio the module is built for,
#          and libssl-dev, whose version sets a compile flag of the core
#   run    the Kamailio modules the example proxy loads, and openssl for
#          the throwaway certificates of "make run TLS=1"
#   test   SIPp, the unit-test framework, libxml2 (PAP, in every unit test)
#          and the tools the system tests use
#   fuzz   clang with libFuzzer, and libxml2
#   doc    DocBook to plain-text toolchain
#   bench  the reference peer and plotting for the benchmarks
#   upstream        what building an upstream Kamailio release needs
#                   (scripts/kamailio-upstream.sh): the parser generators and
#                   the libraries of the modules the tests load
#   upstream-cmake  CMake, for releases built with it (6.1 on)
set -eu

pkgs=""
for group in "$@"; do
	case "$group" in
	build) pkgs="$pkgs build-essential dpkg-dev pkg-config libssl-dev libxml2-dev libcurl4-openssl-dev kamailio" ;;
	run) pkgs="$pkgs kamailio kamailio-sqlite-modules kamailio-lua-modules kamailio-utils-modules kamailio-tls-modules openssl sqlite3" ;;
	test) pkgs="$pkgs sip-tester libcmocka-dev libxml2-dev pkg-config kamailio-sqlite-modules kamailio-postgres-modules postgresql kamailio-lua-modules kamailio-utils-modules kamailio-tls-modules openssl sqlite3 iproute2 curl" ;;
	fuzz) pkgs="$pkgs clang libclang-rt-dev libxml2-dev pkg-config" ;;
	doc) pkgs="$pkgs xsltproc docbook-xsl docbook-xml lynx libxml2-utils" ;;
	bench) pkgs="$pkgs libsofia-sip-ua-dev gnuplot-nox valgrind sip-tester procps kamailio-postgres-modules postgresql" ;;
	upstream) pkgs="$pkgs build-essential pkg-config git bison flex libssl-dev libsqlite3-dev libpq-dev liblua5.1-0-dev libcurl4-openssl-dev" ;;
	upstream-cmake) pkgs="$pkgs cmake" ;;
	*) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
	esac
done

missing=""
for p in $pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages:$missing" >&2
	echo "Run the same make command as root, or: apt-get install$missing" >&2
	exit 1
fi
echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
