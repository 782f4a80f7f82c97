#!/bin/sh
# Build the Debian package of the push module for the Kamailio package
# installed here:
#   build/kamailio-push-module_<PUSH_VERSION>+k<kamailio version>_<arch>.deb
# from packaging/ (control.in, changelog, copyright, doc-base,
# lintian-overrides), the built modules/push/push.so and the manual
# (doc/README, and its HTML rendering, made here: make -C doc html). The
# package depends on exactly that kamailio version: the module is built
# against its source and loads only into it.
# Usage: PUSH_VERSION=1.0.0 KAM_MODULES=dir scripts/make-deb.sh
#        [KAMAILIO_VERSION=other]  (a package naming another kamailio
#        version, for the tests only: see tests/deb/run.sh)
# Prints the path of the package on stdout.
set -eu

: "${PUSH_VERSION:?}" "${KAM_MODULES:?}"
BUILD_DIR=${BUILD_DIR:-build}
pkg=kamailio-push-module
kver=${KAMAILIO_VERSION:-$(dpkg-query -W -f '${Version}' kamailio 2>/dev/null)} || kver=
if [ -z "$kver" ]; then
	echo "no kamailio package installed (dpkg-query -W kamailio):" \
		"the package is built for Debian's kamailio only" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
version="$PUSH_VERSION+k$kver"
[ -f modules/push/push.so ] || { echo "modules/push/push.so not built" >&2; exit 1; }
make -s -C doc html >&2

root="$BUILD_DIR/deb/$pkg"
rm -rf "$root"
doc="$root/usr/share/doc/$pkg"
share="$root/usr/share/$pkg"
install -d "$root/DEBIAN" "$root$KAM_MODULES" "$doc/examples" "$share"
install -m 644 modules/push/push.so "$root$KAM_MODULES/push.so"
strip --remove-section=.comment --remove-section=.note --strip-unneeded \
	"$root$KAM_MODULES/push.so"
install -m 644 doc/README "$doc/README"
install -m 644 build/doc/push.html "$doc/push.html"
install -m 644 cfg/push-proxy.lua "$doc/examples/"
scripts/installed-cfg.sh "$KAM_MODULES" >"$doc/examples/push-proxy.cfg"
chmod 644 "$doc/examples/push-proxy.cfg"
install -m 644 packaging/copyright "$doc/copyright"
# The version has a Debian revision (that of kamailio's): the changelog is
# changelog.Debian.gz (Debian Policy 12.7).
gzip -9n < packaging/changelog > "$doc/changelog.Debian.gz"
chmod 644 "$doc/changelog.Debian.gz"
install -d "$root/usr/share/doc-base"
install -m 644 packaging/doc-base "$root/usr/share/doc-base/$pkg"
install -d "$root/usr/share/lintian/overrides"
install -m 644 packaging/lintian-overrides \
	"$root/usr/share/lintian/overrides/$pkg"
install -m 755 scripts/location-db.sh scripts/push-user.sh "$share/"
install -m 644 scripts/db-url.sh "$share/"

size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	-e "s/@KAMAILIO_VERSION@/$kver/" packaging/control.in > "$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) \
	> "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 755 {} +

out="$BUILD_DIR/${pkg}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >&2
echo "$out"
