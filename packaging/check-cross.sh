#!/bin/sh
# 'make check-cross ARCH=armhf|arm64': cross-builds gaswalk and its cmocka units for ARCH,
# then runs the units and every end-to-end script under qemu user-mode emulation (no
# binfmt needed: each binary is started through qemu-CPU-static by a small wrapper),
# then tests/cross/bundle-cross.sh: bundles and packs made on ARCH used on this machine
# and the reverse. Ends with the usual "N passed, N failed" line.
set -eu
MAKE=${MAKE:-make}
native=$(dpkg --print-architecture)
ARCH=${ARCH:-$native}
P=packaging
if [ "$ARCH" = "$native" ]; then
	echo "gaswalk: check-cross tests another architecture: make check-cross ARCH=armhf (or arm64)" >&2
	exit 2
fi
sh $P/install-deps.sh $P/debian-deps.txt $P/debian-test-deps.txt
sh $P/install-deps.sh --arch "$ARCH" $P/debian-cross-deps.txt $P/debian-cross-test-deps.txt
triplet=$(dpkg-architecture -a"$ARCH" -qDEB_HOST_GNU_TYPE 2>/dev/null)
cpu=$(dpkg-architecture -a"$ARCH" -qDEB_HOST_GNU_CPU 2>/dev/null)
qemu=$(command -v "qemu-$cpu-static") || { echo "gaswalk: qemu-$cpu-static not found" >&2; exit 1; }
B=build-cross-$ARCH
R=$B/qemu

units=""
for u in tests/unit/test_*.c; do
	[ -f "$u" ] && units="$units $B/tests/$(basename "$u" .c)"
done
# shellcheck disable=SC2086
$MAKE --no-print-directory BUILD="$B" CC="$triplet-gcc" PKG_CONFIG="$triplet-pkg-config" \
	HOSTCC=cc all $units
$MAKE --no-print-directory all # the native binary, for the other side of bundle-cross
file -b "$B/gaswalk" | grep -q "ELF" || { echo "gaswalk: $B/gaswalk is not an ELF binary" >&2; exit 1; }
echo "  QEMU    $B/gaswalk: $(file -b "$B/gaswalk" | cut -d, -f1-2) through $qemu"

# The wrappers: tests/run.sh runs $BUILD/gaswalk and $BUILD/tests/test_* as they are.
# Each starts qemu through a link named like the binary, so that the process is called
# "gaswalk" (as with binfmt) for the scripts that find it with pgrep.
rm -rf "$R" && mkdir -p "$R/tests" "$R/qemu-as"
top=$(pwd)
wrap() { # REAL WRAPPER
	name=$(basename "$1")
	ln -sf "$qemu" "$top/$R/qemu-as/$name"
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$top/$R/qemu-as/$name" "$top/$1" >"$2"
	chmod 755 "$2"
}
wrap "$B/gaswalk" "$R/gaswalk"
mkdir -p "$R/test-bin" && wrap "$B/test-bin/gaswalk" "$R/test-bin/gaswalk" # the tests' (test clock)
for u in $units; do wrap "$u" "$R/tests/$(basename "$u")"; done

export GASWALK_QEMU="$qemu" GASWALK_ARCH="$ARCH"
status=0
BUILD=$R sh tests/run.sh >"$B/check.log" 2>&1 || status=1
cat "$B/check.log"
GASWALK_NATIVE="$top/build/test-bin/gaswalk" GASWALK_CROSS="$top/$R/test-bin/gaswalk" GASWALK_ROOT="$top" \
	sh tests/cross/bundle-cross.sh >"$B/bundle-cross.log" 2>&1 && bc=0 || bc=1
skipped=0
if [ "$bc" -eq 0 ] && grep -q '^SKIP' "$B/bundle-cross.log"; then
	echo "SKIP cross/bundle-cross: $(sed -n 's/^SKIP: //p' "$B/bundle-cross.log")"
	skipped=1
elif [ "$bc" -eq 0 ]; then
	echo "PASS cross/bundle-cross ($(tail -n 1 "$B/bundle-cross.log"))"
else
	echo "FAIL cross/bundle-cross"; tail -n 30 "$B/bundle-cross.log" | sed 's/^/    /'; status=1
fi
passed=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$B/check.log")
failed=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$B/check.log")
echo "check-cross: $((${passed:-0} + 1 - bc - skipped)) passed, $((${failed:-0} + bc)) failed, $skipped skipped"
exit $status
