# The packaging files agree with each other and with the Makefile (fast checks only; the
# package itself is built and checked by 'make deb', 'make deb-test', 'make check-cross').
. "$(dirname "$0")/lib.sh"
P="$GASWALK_ROOT/packaging"
deps() { sh "$P/install-deps.sh" --list "$@"; }

# The changelog's upstream version is the Makefile's, and the binary's.
version=$(sed -n 's/^VERSION = //p' "$GASWALK_ROOT/Makefile")
changelog=$(dpkg-parsechangelog -l "$P/debian/changelog" -S Version)
expect_eq "${changelog%-*}" "$version" "packaging/debian/changelog version"
expect_rc 0 gw --version
expect_grep "^gaswalk $version " "$T/out"

# The cross lists name, for each architecture, its compiler and the target's -dev package
# of every library the native build list has.
for arch in arm64 armhf; do
	triplet=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
	deps --arch "$arch" "$P/debian-cross-deps.txt" "$P/debian-cross-test-deps.txt" >"$arch.txt"
	expect_grep "^gcc-$triplet\$" "$arch.txt"
	for dev in $(deps "$P/debian-deps.txt" | grep -- '-dev$'); do
		grep -qx "$dev:$arch" "$arch.txt" || fail "$dev:$arch missing from debian-cross-deps.txt"
	done
	expect_grep "^libcmocka-dev:$arch\$" "$arch.txt"
	expect_grep "^qemu-user-static\$" "$arch.txt"
	grep -q '@' "$arch.txt" && fail "a placeholder left in the $arch list"
done
# A list with placeholders needs --arch; an unknown architecture is refused; both exit 2.
expect_rc 2 sh "$P/install-deps.sh" --list "$P/debian-cross-deps.txt"
expect_grep "needs --arch" "$T/err"
expect_rc 2 sh "$P/install-deps.sh" --list --arch no-such-arch "$P/debian-cross-deps.txt"
expect_grep "not a Debian architecture" "$T/err"

# The control file: one binary package whose Depends come from dpkg-shlibdeps.
expect_grep '^Package: gaswalk$' "$P/debian/control"
expect_grep '^Depends: .*${shlibs:Depends}' "$P/debian/control"
# libxlsxwriter is loaded with dlopen (report/xlsx_lib.c), invisible to dpkg-shlibdeps: the
# control file names the runtime package of the soname the build loads, as the error does.
so=$(readelf -d "$(cc -print-file-name=libxlsxwriter.so)" | sed -n 's/.*soname: \[libxlsxwriter\.so\.\([0-9]*\)\]/\1/p')
[ -n "$so" ] || fail "no soname found for libxlsxwriter.so"
grep -Eq "^Depends: .*[ ,]libxlsxwriter$so(\$|[ ,(])" "$P/debian/control" ||
	fail "packaging/debian/control: Depends lacks libxlsxwriter$so"
expect_grep "^#define XLSX_DEB_PACKAGE \"libxlsxwriter$so\"" "$GASWALK_ROOT/report/xlsx_lib.c"
expect_grep '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$P/debian/copyright"
# Build-Depends names every build package but the toolchain (unicode-data and bzip2: the
# pinyin table is generated from Unihan at build time).
bdeps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$P/debian/control" | sed '$!b;/^[A-Z][a-zA-Z-]*: /{/^Build-Depends/!d}')
for dep in $(deps "$P/debian-deps.txt" | grep -vx build-essential); do
	printf '%s\n' "$bdeps" | grep -Eq "(^|[ ,])$dep(\$|[ ,(])" || fail "debian/control Build-Depends lacks $dep"
done

# Every Makefile pkg-config library has its -dev package in the build list.
for lib in $(sed -n 's/^PKGS = //p' "$GASWALK_ROOT/Makefile"); do
	case $lib in
	ncursesw) dev=libncurses-dev ;; sqlite3) dev=libsqlite3-dev ;; zlib) dev=zlib1g-dev ;;
	libqrencode) dev=libqrencode-dev ;; libsodium) dev=libsodium-dev ;;
	jansson) dev=libjansson-dev ;; xlsxwriter) dev=libxlsxwriter-dev ;;
	*) fail "pkg-config library $lib: add it to this table and to packaging/debian-deps.txt" ;;
	esac
	deps "$P/debian-deps.txt" | grep -qx "$dev" || fail "$dev missing from debian-deps.txt"
done

# Where 'make deb' has run here, its package holds what the issue lists.
native=$(dpkg --print-architecture)
deb=$(ls "$GASWALK_ROOT/build-deb-$native"/gaswalk_*.deb 2>/dev/null | tail -n 1)
if [ -n "$deb" ]; then
	dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./||' >contents.txt
	for f in usr/bin/gaswalk usr/share/man/man1/gaswalk.1.gz \
		usr/share/locale/zh_CN/LC_MESSAGES/gaswalk.mo \
		usr/share/bash-completion/completions/gaswalk usr/share/gaswalk/checklist.tsv \
		usr/share/doc/gaswalk/README.md usr/share/doc/gaswalk/copyright \
		usr/share/doc/gaswalk/changelog.Debian.gz; do
		grep -qx "$f" contents.txt || fail "$deb lacks $f"
	done
	dpkg-deb -f "$deb" Depends | grep -q 'libsqlite3-0' || fail "$deb: Depends without libsqlite3-0"
	dpkg-deb -f "$deb" Depends | grep -q 'libxlsxwriter4' || fail "$deb: Depends without libxlsxwriter4"
	echo "checked $deb"
else
	echo "no package built here yet (make deb): contents not checked"
fi
echo "packaging ok"
