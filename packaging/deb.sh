#!/bin/sh
# 'make deb [ARCH=arm64|armhf]': builds build-deb-ARCH/gaswalk_VERSION_ARCH.deb with the
# project's own 'make install' (PREFIX=/usr, DESTDIR), Depends from dpkg-shlibdeps (plus
# libxlsxwriter4, named in debian/control: gaswalk loads it with dlopen), and
# checks it with lintian (errors fail the build, warnings are shown). A foreign ARCH is
# cross-built with Debian's cross toolchain and the target's multiarch -dev packages.
set -eu
MAKE=${MAKE:-make}
native=$(dpkg --print-architecture)
ARCH=${ARCH:-$native}
VERSION=${VERSION:?run through make deb}
P=packaging
B=build-deb-$ARCH
stage=$B/root
say() { echo "  DEB     $*"; }

sh $P/install-deps.sh $P/debian-deps.txt $P/debian-deb-deps.txt
cross="" strip=strip
if [ "$ARCH" != "$native" ]; then
	sh $P/install-deps.sh --arch "$ARCH" $P/debian-cross-deps.txt
	triplet=$(dpkg-architecture -a"$ARCH" -qDEB_HOST_GNU_TYPE 2>/dev/null)
	cross="CC=$triplet-gcc PKG_CONFIG=$triplet-pkg-config HOSTCC=cc"
	strip=$triplet-strip
fi
# dpkg-buildflags, dpkg-shlibdeps and dpkg-gencontrol read the target from the environment.
eval "$(dpkg-architecture -a"$ARCH" -s 2>/dev/null)"
export DEB_BUILD_MAINT_OPTIONS=hardening=+all

changelog_version=$(dpkg-parsechangelog -l $P/debian/changelog -S Version)
[ "${changelog_version%-*}" = "$VERSION" ] || {
	echo "gaswalk: $P/debian/changelog is at $changelog_version, the Makefile at $VERSION; add a changelog entry" >&2
	exit 1
}

# Reproducible: file times from the changelog's date.
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l $P/debian/changelog -S Timestamp)
export SOURCE_DATE_EPOCH
rm -f "$B"/gaswalk_*.deb

# The build, with Debian's hardening flags (the Makefile reads no CPPFLAGS: pass them in CFLAGS).
# shellcheck disable=SC2086
$MAKE --no-print-directory BUILD="$B" PREFIX=/usr $cross \
	CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
	LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" all
rm -rf "$stage"
# shellcheck disable=SC2086
$MAKE --no-print-directory BUILD="$B" PREFIX=/usr DESTDIR="$stage" $cross install >/dev/null

say "strip, compress, document"
$strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/gaswalk"
gzip -9n "$stage/usr/share/man/man1/gaswalk.1"
install -m 644 $P/debian/copyright "$stage/usr/share/doc/gaswalk/copyright"
gzip -9n <$P/debian/changelog >"$stage/usr/share/doc/gaswalk/changelog.Debian.gz"
chmod 644 "$stage/usr/share/doc/gaswalk/changelog.Debian.gz"

say "control ($ARCH)"
mkdir -p "$stage/DEBIAN" "$B/debian"
# dpkg-shlibdeps and dpkg-gencontrol work from a directory holding debian/control.
cp $P/debian/control $P/debian/changelog "$B/debian/"
top=$(pwd)
(cd "$B" && dpkg-shlibdeps -Tdebian/substvars -e"$top/$stage/usr/bin/gaswalk" 2>shlibdeps.log) ||
	{ cat "$B/shlibdeps.log" >&2; exit 1; }
echo "misc:Depends=" >>"$B/debian/substvars"
(cd "$B" && dpkg-gencontrol -Tdebian/substvars -fdebian/files -P"$top/$stage" -pgaswalk)
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

deb=$B/gaswalk_${changelog_version}_$ARCH.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
say "$deb: $(stat -c %s "$deb") bytes; binary $(stat -c %s "$stage/usr/bin/gaswalk") bytes stripped"
say "$(grep '^Depends:' "$stage/DEBIAN/control")"

say "lintian"
lintian --fail-on error --tag-display-limit 0 "$deb" >"$B/lintian.log" 2>&1 && rc=0 || rc=$?
cat "$B/lintian.log"
if [ "$rc" -ne 0 ]; then
	echo "gaswalk: lintian found errors in $deb" >&2
	exit 1
fi
say "lintian: no errors ($(grep -c '^W:' "$B/lintian.log" || true) warnings)"
