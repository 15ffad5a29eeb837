#!/bin/sh
# Subdistrict → district roll-up: households travel with the visits; the
# district's ack-only pack stops the subdistrict from sending them again.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
gw --db district.db init --office "District" --district >/dev/null
S_ID=$OFFICE_ID
enroll_early district.db "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >e.out
expect_grep "enrolled office" e.out
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null

mkdir cam
printf 'jpeg-1' >cam/IMG_0001.jpg
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --photo cam/IMG_0001.jpg \
	--at 2023-11-02T09:00 >/dev/null
gw --db t1.db record A2 --outcome refused --at 2023-11-02T10:00 >/dev/null
mkdir b r
gw --db t1.db export -o b --photos cam >/dev/null
# a second terminal disagrees on A1 from the same base; the subdistrict resolves it
make_ledger t2.db device "T2"
enroll_early office.db "$(gw --db t2.db key show | head -n 1)" --name T2 >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$(id_of t2.db)" --compound C1 -o p2.gwp >/dev/null
gw --db t2.db load p2.gwp >/dev/null
gw --db t2.db record A1 --outcome entered --hose metal --valve absent --at 2023-11-02T10:00 >/dev/null
gw --db t2.db export -o b >/dev/null
gw --db office.db merge b/*.gwb >/dev/null
gw --db office.db resolve "$(sqlite3 office.db 'SELECT id FROM conflict')" --keep "$T1_ID/1" >/dev/null
# the office keeps merged photos in its store, by hash; the USB stick can go
HASH=$(sqlite3 office.db "SELECT hash FROM photo")
[ -f "office.db.photos/$HASH" ] || fail "photo not in the office's store"
rm -rf b

gw --db office.db revoke T2 >/dev/null # a revocation made at the subdistrict goes up too
gw --db office.db export -o r >x.out
expect_grep "sequence 1: 3 visits, 5 households" x.out
gw --db district.db merge r/*.gwb >m.out
expect_grep "merged (device Subdistrict A ($S_ID), bundle 1): 3 new visits, 0 already there, 5 households, 1 photos" m.out
# the resolution travelled too: same conflict, same visit kept, same status
expect_eq "$(sqlite3 district.db "SELECT keep_device || '/' || keep_seq FROM conflict")" "$T1_ID/1" "resolution at the district"
expect_eq "$(sqlite3 district.db "SELECT valve FROM status WHERE account = 'A1'")" ok "status follows the resolution"
[ -f "district.db.photos/$HASH" ] || fail "photo did not travel in the roll-up"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM revoked_key")" 1 "the revocation travelled"
expect_eq "$(sqlite3 district.db 'SELECT count(*) FROM household')" 5 "households at the district"
for a in A1 A2 B1; do
	gw --db office.db status $a --json >s.json
	gw --db district.db status $a --json >d.json
	cmp -s s.json d.json || { diff s.json d.json >&2; fail "status of $a differs"; }
done
# a terminal bundle cannot carry households; an office roll-up can: checked by merge
gw --db district.db assign --device "$S_ID" -o ack.gwp >a.out
expect_grep "acknowledging" a.out
gw --db office.db load ack.gwp >/dev/null
# the district acknowledged each terminal's feed it holds, by coverage
expect_eq "$(sqlite3 office.db "SELECT group_concat(up_acked, ',') FROM (SELECT up_acked FROM feed ORDER BY device)")" \
	"$(sqlite3 office.db "SELECT group_concat(covered, ',') FROM (SELECT covered FROM feed ORDER BY device)")" "feeds acknowledged"
gw --db office.db export -o r >n.out
expect_grep "nothing to export" n.out
# a household changed at the subdistrict travels in the next roll-up
sqlite3 office.db "UPDATE household SET phone = '13900000000' WHERE account = 'B1'"
gw --db office.db export -o r >x2.out
expect_grep "sequence 2: 0 visits, 1 households" x2.out
gw --db district.db merge r/*-000002.gwb >/dev/null
expect_eq "$(sqlite3 district.db "SELECT phone FROM household WHERE account='B1'")" 13900000000 "changed household"
echo ok
