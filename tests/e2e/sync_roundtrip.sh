#!/bin/sh
# Terminal → office round trip for every kind of record, with acks.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
[ "$(stat -c %a t1.db.key)" = 600 ] || fail "key file mode"
expect_eq "$(sqlite3 t1.db 'SELECT count(*) FROM household')" 4 "households loaded from the pack"
expect_eq "$(sqlite3 t1.db "SELECT value FROM meta WHERE key='upstream'")" "$OFFICE_ID" "upstream"
grep -q "sign_sk\|GWKEY" t1.db && fail "secret key material inside the ledger"

# key show: one line that enroll/trust accept, a fingerprint, and a QR code
gw --db t1.db key show --qr >key.out
expect_eq "$(head -n 1 key.out | cut -d: -f1,3,4)" "gaswalk-id2:terminal:T1" "identity line"
expect_grep "fingerprint" key.out
expect_grep "█" key.out
chmod 644 t1.db.key
expect_rc 1 gw --db t1.db export -o .
expect_grep "chmod 600" "$T/err"
chmod 600 t1.db.key

mkdir cam bundles
printf 'jpeg-1' >cam/IMG_0001.jpg
printf 'jpeg-2' >cam/IMG_0002.jpg
VALVE=$(sqlite3 t1.db "SELECT code FROM catalog WHERE item='valve' LIMIT 1")
HOSE=$(sqlite3 t1.db "SELECT code FROM catalog WHERE item='hose' LIMIT 1")
ALARM=$(sqlite3 t1.db "SELECT code FROM catalog WHERE item='alarm' LIMIT 1")
SHUT=$(sqlite3 t1.db "SELECT code FROM catalog WHERE item='shutoff' LIMIT 1")
HZ=$(sqlite3 t1.db "SELECT code FROM hazard_item ORDER BY code LIMIT 1")
HZ2=$(sqlite3 t1.db "SELECT code FROM hazard_item ORDER BY code LIMIT 1 OFFSET 1")
rec() { gw --db t1.db record "$@" >/dev/null; }
rec A1 --outcome not-home --at 2023-11-01T09:00
rec A1 --outcome entered --hose non-metal --valve absent --alarm absent --hazard "$HZ:1" \
	--photo cam/IMG_0001.jpg --note "软管老化" --at 2023-11-02T09:00
rec A1 --outcome entered --install "valve:$VALVE:SN-V1:120" --install "hose:$HOSE:SN-H1:60" \
	--at 2023-11-03T10:00
rec A1 --outcome entered --role recheck --hose metal --valve ok --photo cam/IMG_0002.jpg \
	--at 2023-11-04T10:00
rec A2 --outcome entered --hazard "$HZ2:1" --supply stopped --at 2023-11-02T11:00
rec A2 --outcome entered --install "alarm:$ALARM:SN-A:300" --install "shutoff:$SHUT:SN-S:200" \
	--hose metal --at 2023-11-05T11:00
rec A2 --outcome entered --supply restored --role recheck --at 2023-11-06T11:00
rec A3 --outcome refused --at 2023-11-02T12:00
rec A4 --outcome vacant --role self-check --at 2023-11-02T13:00
rec A4 --outcome entered --role spot-check --hose none --valve ok --at 2023-11-07T13:00

gw --db t1.db export -o bundles --photos cam >export.out
BUNDLE=$(ls bundles/*.gwb)
expect_grep "sequence 1: 10 visits" export.out
expect_eq "$(sqlite3 t1.db "SELECT value FROM meta WHERE key = 'camera_dir'")" "$(pwd -P)/cam" "--photos remembered as an absolute path"
expect_grep "^GWR2:$(printf %s "$T1_ID" | cut -c1-8):1:[A-Z2-7]\{26\}$" export.out
[ -f "${BUNDLE%.gwb}.photos/IMG_0001.jpg" ] || fail "photo not beside the bundle"
grep -q "张三\|13800000001" "$BUNDLE" && fail "bundle body not sealed"

gw --db office.db verify "$BUNDLE" >verify.out
expect_grep ": ok (device Terminal 1 ($T1_ID), bundle 1): 10 visits" verify.out
expect_eq "$(sqlite3 office.db 'SELECT count(*) FROM visit')" 0 "verify leaves the ledger alone"
gw --db office.db merge "$BUNDLE" >merge.out
expect_grep "merged (device Terminal 1 ($T1_ID), bundle 1): 10 new visits" merge.out
for a in A1 A2 A3 A4; do
	gw --db t1.db status $a --json >t.json
	gw --db office.db status $a --json >o.json
	cmp -s t.json o.json || { diff t.json o.json >&2; fail "status of $a differs"; }
done
expect_eq "$(sqlite3 office.db "SELECT state FROM status WHERE account='A1'")" compliant "A1 state"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM photo")" 2 "photos"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit_install")" 4 "installs"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM suspension WHERE restored_at IS NOT NULL")" 1 "suspension"

# idempotent
canonical office.db >before.txt
gw --db office.db merge "$BUNDLE" >merge2.out
expect_grep "already merged" merge2.out
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "second merge changed the ledger"

# exporting again before an ack repeats everything; after the ack only what is new
gw --db t1.db export -o bundles >/dev/null
expect_eq "$(ls bundles/*.gwb | wc -l)" 2 "second bundle"
gw --db office.db merge bundles/*000002.gwb >merge3.out
expect_grep "0 new visits, 10 already there" merge3.out
gw --db office.db assign --device "$T1_ID" --compound C1 -o pack2.gwp >assign.out
expect_grep "acknowledging its records up to 10" assign.out
gw --db t1.db load pack2.gwp >/dev/null
gw --db t1.db export -o bundles >nothing.out
expect_grep "nothing to export" nothing.out
rec A3 --outcome entered --hose metal --at 2023-11-15T09:00
gw --db t1.db export -o bundles >export3.out
expect_grep "sequence 3: 1 visits" export3.out
# an older pack is refused
expect_rc 1 gw --db t1.db load pack1.gwp
expect_grep "not newer" "$T/err"

# a photo missing or altered beside the bundle is listed, never silently accepted
# (one the office already holds in its store needs no copy beside the bundle)
B3=$(ls bundles/*000003.gwb)
printf 'jpeg-4' >cam/IMG_0004.jpg
printf 'jpeg-5' >cam/IMG_0005.jpg
rec A4 --outcome entered --valve ok --photo cam/IMG_0001.jpg --photo cam/IMG_0004.jpg \
	--photo cam/IMG_0005.jpg --at 2023-11-15T10:00
gw --db t1.db export -o bundles >/dev/null
B4=$(ls bundles/*000004.gwb)
printf 'tampered' >"${B4%.gwb}.photos/IMG_0004.jpg"
rm "${B4%.gwb}.photos/IMG_0001.jpg" "${B4%.gwb}.photos/IMG_0005.jpg"
expect_rc 1 gw --db office.db merge "$B3" "$B4"
expect_grep "2 photos missing or not matching: IMG_0004.jpg (does not match its hash), IMG_0005.jpg (missing)" "$T/err"
expect_grep "merged (device Terminal 1 ($T1_ID), bundle 4)" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT detail LIKE '%IMG_0005.jpg (missing)%' FROM merge_log ORDER BY id DESC LIMIT 1")" 1 "photo problem in the log"
[ -f "office.db.photos/$(sqlite3 office.db "SELECT hash FROM photo WHERE name = 'IMG_0004.jpg'")" ] && fail "a tampered photo was stored"

# without --photos, export looks in the TUI's camera folder (meta tui_camera)
mkdir shots && printf 'jpeg-3' >shots/IMG_0003.jpg && cp cam/IMG_0001.jpg cam/IMG_0004.jpg cam/IMG_0005.jpg shots/
gw --db t1.db record A3 --outcome entered --photo shots/IMG_0003.jpg --at 2023-11-15T11:00 >/dev/null
sqlite3 t1.db "DELETE FROM meta WHERE key = 'camera_dir'; INSERT INTO meta VALUES ('tui_camera', 'shots')"
gw --db t1.db export -o bundles >e5.out 2>e5.err
[ -s e5.err ] && { cat e5.err >&2; fail "photo from the TUI camera folder not found"; }
B5=$(ls bundles/*000005.gwb)
[ -f "${B5%.gwb}.photos/IMG_0003.jpg" ] || fail "photo from the TUI camera folder not copied"
echo ok
