# Full disks and read-only media: the ledger and every file gaswalk writes, on a small
# file system that fills up (a 2 MB tmpfs as root; otherwise 'ulimit -f'), and on a
# read-only one. Each failure is one line on stderr with exit 1, leaves no partial
# output file, and the ledger's canonical dump is what it was before.
. "$(dirname "$0")/lib.sh"

SMALL=$T/small
mkdir "$SMALL"
mode=ulimit
if [ "${FULL_DISK_MODE:-}" != ulimit ] && [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m tmpfs "$SMALL" 2>/dev/null; then
	mode=tmpfs
	trap 'umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null; rm -rf "$T"' EXIT
fi
echo "small file system: $mode"
cases=0

# a CSV of N households
make_csv() {
	awk -v n="$1" 'BEGIN { print "account,category,gas,name,compound,building,unit,floor,room";
		for (i = 1; i <= n; i++)
			printf "A%06d,residential,pipeline,住户%d%s,小区%d,%d,1,%d,%d\n", i, i,
				"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i % 50, i % 9, i % 30, i }'
}
dump() { sqlite3 "$1" .dump | md5sum; }
# one_line_fail WHAT command...: exit 1, exactly one line on stderr
one_line_fail() {
	what=$1; shift
	expect_rc 1 "$@"
	[ "$(wc -l < "$T/err")" = 1 ] || { cat "$T/err" >&2; fail "$what: not one line on stderr"; }
	echo "$what: $(cat "$T/err")"
	cases=$((cases + 1))
}
# fill: no free space left on the small file system (tmpfs mode)
fill() { dd if=/dev/zero of="$SMALL/fill" bs=4k 2>/dev/null || true; }
unfill() { rm -f "$SMALL/fill"; }
# fill_but KB: leaves about KB kilobytes free
fill_but() {
	fill
	truncate -s "-$1K" "$SMALL/fill"
}

make_csv 30000 > big.csv
make_csv 300 > small.csv

if [ $mode = tmpfs ]; then
	DB=$SMALL/gaswalk.db
	# a ledger that cannot be created leaves nothing behind
	fill
	one_line_fail "init on a full disk" gw --db "$DB" init --office 测试
	[ ! -e "$DB" ] || fail "init on a full disk left $DB behind"
	unfill
	gw --db "$DB" init --office 测试 >/dev/null
	gw --db "$DB" import small.csv >/dev/null
	before=$(dump "$DB")

	# an import bigger than the disk: all or nothing
	one_line_fail "import onto a full disk" gw --db "$DB" import big.csv
	expect_eq "$(dump "$DB")" "$before" "ledger after a failed import"

	# record with no space at all
	fill
	one_line_fail "record on a full disk" gw --db "$DB" record A000001 --outcome entered --hose metal
	unfill
	expect_eq "$(dump "$DB")" "$before" "ledger after a failed record"

	# record until the disk fills: every visit reported saved is there, then it fails cleanly
	fill_but 64
	n=0 ok=0
	while [ $n -lt 200 ]; do
		n=$((n + 1))
		set +e; gw --db "$DB" record "A$(printf %06d $n)" --outcome entered --hose metal \
			--note "fill-$n" >out 2>err; rc=$?; set -e
		[ $rc = 0 ] || break
		ok=$((ok + 1))
	done
	[ $rc = 1 ] || { cat err >&2; fail "record as the disk filled: exit $rc"; }
	[ "$(wc -l < err)" = 1 ] || { cat err >&2; fail "record as the disk filled: not one line"; }
	echo "record as the disk filled: $ok saved, then: $(cat err)"
	cases=$((cases + 1))
	unfill
	expect_eq "$(DB=$DB sql "PRAGMA integrity_check")" ok "integrity after the disk filled"
	expect_eq "$(DB=$DB sql "SELECT count(*) FROM visit WHERE note LIKE 'fill-%'")" "$ok" \
		"visits saved before the disk filled"
	expect_rc 0 gw --db "$DB" record A000001 --outcome vacant
	before=$(dump "$DB")

	# reports into a full disk: nothing half-written is left behind
	gw demo --households 3000 --seed 1 --no-tui >/dev/null
	before_demo=$(dump gaswalk.db)
	mkdir "$SMALL/out"
	fill_but 64
	for f in text csv html xlsx; do
		one_line_fail "report $f onto a full disk" gw report overdue --format $f -o "$SMALL/out/a.$f"
		expect_grep "a.$f: .*No space left on device" "$T/err"
	done
	set +e; gw report overdue --format text >"$SMALL/out/stdout.txt" 2>err; rc=$?; set -e
	expect_eq "$rc" 1 "report to stdout on a full disk: exit status"
	[ "$(wc -l < err)" = 1 ] || { cat err >&2; fail "report to stdout on a full disk: not one line"; }
	echo "report to stdout on a full disk: $(cat err)"
	cases=$((cases + 1))
	rm -f "$SMALL/out/stdout.txt"
	unfill
	expect_eq "$(ls "$SMALL/out")" "" "files left behind by failed reports"
	expect_eq "$(dump gaswalk.db)" "$before_demo" "ledger after failed reports"

	# sync: export, assign, merge and load with their output or their ledger on a full disk
	. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
	setup_office_terminal
	mkdir cam
	head -c 300000 /dev/urandom > cam/IMG_1.jpg
	for a in A1 A2 A3 A4; do
		gw --db t1.db record $a --outcome entered --hose metal --photo cam/IMG_1.jpg >/dev/null
	done
	t1_before=$(dump t1.db)
	fill_but 200
	one_line_fail "export onto a full disk" gw --db t1.db export -o "$SMALL/out" --photos cam
	expect_eq "$(ls -A "$SMALL/out")" "" "files left behind by a failed export"
	expect_eq "$(dump t1.db)" "$t1_before" "terminal ledger after a failed export"
	fill
	one_line_fail "assign onto a full disk" gw --db office.db assign --device "$T1_ID" \
		--compound C1 -o "$SMALL/out/p.gwp"
	expect_eq "$(ls -A "$SMALL/out")" "" "files left behind by a failed assign"
	unfill
	mkdir bundles
	gw --db t1.db export -o bundles --photos cam >/dev/null
	gw --db office.db assign --device "$T1_ID" --compound C1 -o pack2.gwp >/dev/null
	# the office's ledger on the small disk, merging as it fills
	cp office.db office.db.key "$SMALL/"
	chmod 600 "$SMALL/office.db.key"
	office_before=$(dump "$SMALL/office.db")
	fill_but 100
	one_line_fail "merge into a ledger on a full disk" gw --db "$SMALL/office.db" merge bundles/*.gwb
	expect_eq "$(dump "$SMALL/office.db")" "$office_before" "office ledger after a failed merge"
	# the terminal's ledger on the small disk, loading a pack as it fills
	unfill
	rm -rf "$SMALL/office.db"*
	cp t1.db t1.db.key "$SMALL/"
	chmod 600 "$SMALL/t1.db.key"
	t1_small=$(dump "$SMALL/t1.db")
	fill
	one_line_fail "load into a ledger on a full disk" gw --db "$SMALL/t1.db" load pack2.gwp
	unfill
	expect_eq "$(dump "$SMALL/t1.db")" "$t1_small" "terminal ledger after a failed load"
	expect_eq "$(DB=$SMALL/t1.db sql "PRAGMA integrity_check")" ok "integrity after a failed load"
	rm -f "$SMALL/t1.db"*

	# read-only media
	mount -o remount,ro "$SMALL"
	one_line_fail "export onto a read-only disk" gw --db t1.db export -o "$SMALL/out"
	expect_grep "Read-only file system" "$T/err"
	for f in text xlsx; do
		one_line_fail "report $f onto a read-only disk" gw report weekly --format $f -o "$SMALL/out/w.$f"
		expect_grep "Read-only file system" "$T/err"
	done
	one_line_fail "record on a read-only disk" gw --db "$DB" record A000002 --outcome vacant
	expect_grep "Read-only file system" "$T/err"
	one_line_fail "import on a read-only disk" gw --db "$DB" import small.csv
	expect_grep "Read-only file system" "$T/err"
	mount -o remount,rw "$SMALL"
	expect_eq "$(dump "$DB")" "$before" "ledger after read-only attempts"
else
	# without mount: a file size limit makes the ledger's writes fail with EFBIG
	gw init --office 测试 >/dev/null
	gw import small.csv >/dev/null
	before=$(dump gaswalk.db)
	one_line_fail "import past the file size limit" sh -c "ulimit -f 256; exec \"$GASWALK\" import big.csv"
	expect_eq "$(dump gaswalk.db)" "$before" "ledger after a failed import"
	echo "read-only media: skipped (mount is not permitted here)"
fi
expect_eq "$(sql "PRAGMA integrity_check")" ok "integrity at the end"
echo "full disk: $cases cases, $cases passed"
