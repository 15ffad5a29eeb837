# libxlsxwriter is loaded only when an XLSX report is written (report/xlsx_lib.c): the
# binary does not link it (nor the libcrypto and libminizip it brings); without a usable
# library an XLSX report fails with one line naming the Debian package and leaves no
# file, while the other formats work as before.
. "$(dirname "$0")/lib.sh"

expect_rc 0 gw init --office 中原区
sql "INSERT INTO household(account, category, gas, name, subdistrict, compound, building, unit, floor, room) VALUES
 ('R1','residential','pipeline','张三','林山寨街道','幸福小区','1','1','1','101'),
 ('R2','residential','pipeline','李四','建设路街道','建设小区','1','1','1','102');"
expect_rc 0 gw record R1 --outcome entered --hose metal --valve ok --at 2023-09-01T10:00

# Not linked. (Under qemu the binary is another architecture's: ldd cannot read it.)
if [ -z "${GASWALK_QEMU:-}" ]; then
	bin="$GASWALK_ROOT/$BUILD/gaswalk" # the ELF itself, also when $GASWALK is a wrapper
	ldd "$bin" >ldd.txt || fail "ldd $bin failed"
	expect_grep 'libsqlite3' ldd.txt
	if grep -E 'libxlsxwriter|libcrypto|libminizip' ldd.txt; then
		fail "$bin is linked with libxlsxwriter or what it brings"
	fi
fi

# The real library: a workbook.
expect_rc 0 gw --lang en report ranking --as-of 2023-09-30 --format xlsx -o ok.xlsx
python3 -c "import zipfile, sys; z = zipfile.ZipFile(sys.argv[1]); assert 'xl/workbook.xml' in z.namelist()" ok.xlsx

# A broken library found first: exit 1, one line, no file, no temporary file.
mkdir fake dest
printf 'not an ELF file\n' >fake/libxlsxwriter.so.4
nofile() { # DIR: nothing at all was created there
	[ -z "$(ls -A "$1")" ] || { ls -la "$1" >&2; fail "$1 not empty: a file was created"; }
}
expect_rc 1 env LD_LIBRARY_PATH="$T/fake" "$GASWALK" --lang en report ranking --format xlsx -o dest/x.xlsx
expect_eq "$(wc -l <"$T/err")" 1 "lines on stderr"
expect_grep '^gaswalk: XLSX output needs libxlsxwriter (Debian package libxlsxwriter4): ' "$T/err"
expect_grep 'fake/libxlsxwriter.so.4' "$T/err"
expect_grep 'other formats: --format csv|html|text$' "$T/err"
nofile dest
expect_rc 1 env LD_LIBRARY_PATH="$T/fake" "$GASWALK" --lang zh report ranking --format xlsx -o dest/x.xlsx
expect_grep '输出 XLSX 需要 libxlsxwriter（Debian 软件包 libxlsxwriter4）' "$T/err"
nofile dest

# The other formats do not need it.
expect_rc 0 env LD_LIBRARY_PATH="$T/fake" "$GASWALK" --lang en report ranking --as-of 2023-09-30 --format csv -o dest/r.csv
expect_grep '^1,Linshanzhai,1,1,1,0,100.0%' dest/r.csv
expect_rc 0 env LD_LIBRARY_PATH="$T/fake" "$GASWALK" --lang en report ranking --as-of 2023-09-30 --format html -o dest/r.html
expect_rc 0 env LD_LIBRARY_PATH="$T/fake" "$GASWALK" --lang en report ranking --as-of 2023-09-30
expect_grep 'Linshanzhai' "$T/out"

# A library of that name without the functions: the first missing one is named.
if [ -z "${GASWALK_QEMU:-}" ] && command -v cc >/dev/null 2>&1; then
	mkdir empty && printf 'int gw_nothing;\n' >empty.c
	cc -shared -fPIC -o empty/libxlsxwriter.so.4 empty.c
	rm -f dest/*
	expect_rc 1 env LD_LIBRARY_PATH="$T/empty" "$GASWALK" --lang en report ranking --format xlsx -o dest/x.xlsx
	expect_grep 'Debian package libxlsxwriter4): libxlsxwriter.so.4: no function workbook_new_opt;' "$T/err"
	nofile dest
fi
echo ok
