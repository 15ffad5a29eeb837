#!/bin/sh
# A successor (key new, enroll --successor) carries the visits its old key had not had
# acknowledged. Those the office already merged from the old key (the acknowledging pack
# had not reached the terminal) are stored as the successor's entries but voided as
# copies, so every count has them once, at the office and at the district; those the
# office never had are counted. A lost terminal found after its revocation comes back
# with key new --replace.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
setup_office_terminal
gw --db district.db init --office "District" --district >/dev/null
enroll_early district.db "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null
mkdir b1 b2 b3 r1 r2
funding() { gw --db "$1" report funding --as-of 2023-11-15 | grep '^district total'; }

# bundle 1 merged and acknowledged; bundle 2 (an install) merged, its pack never loaded
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-12T09:00 >/dev/null
# bundle 1 made two days before bundle 2: the install is dated more than the skew (24 h)
# before bundle 2 was made, the floor of the successor's first bundle; a copy is no new
# entry, so that floor does not hold it
GASWALK_NOW=1699800000 gw --db t1.db export -o b1 >/dev/null
gw --db office.db merge b1/*.gwb >/dev/null
gw --db office.db assign --device "$T1_ID" --compound C1 -o b1/ack.gwp >/dev/null
gw --db t1.db load b1/ack.gwp >/dev/null
gw --db t1.db record A3 --outcome entered --role install --install valve:V-STD:SN-V1:120 \
	--install hose:H-SS15:SN-H1:150 --at 2023-11-13T09:10 >/dev/null
gw --db t1.db export -o b2 >/dev/null
gw --db office.db merge b2/*.gwb >/dev/null
expect_eq "$(funding office.db)" "district total           1       1      1       270.00                270.00        90.00            45.00            45.00               90.00" "funding before"
gw --db office.db export -o r1 >/dev/null # the district gets the original first
gw --db district.db merge r1/*.gwb >/dev/null
# a visit never sent, then the key is lost
gw --db t1.db record A2 --outcome refused --note never-sent --at 2023-11-14T10:00 >/dev/null
rm t1.db.key
gw --db t1.db key new --no-pin >k.out
expect_eq "$(sed -n 3p k.out)" "2 records not yet acknowledged go with the first bundle" "carried"
NEW_ID=$(id_of t1.db)
gw --db t1.db key show | head -n 1 >t1b.id
gw --db office.db enroll t1b.id --name "Terminal 1b" --successor "Terminal 1" >/dev/null
gw --db t1.db export -o b3 >/dev/null
gw --db office.db report prices --as-of 2023-11-15 >prices1.txt
gw --db office.db merge b3/*.gwb >m.out
expect_eq "$(sed -n 1p m.out | sed 's/(device [^,]*, bundle/(device D, bundle/')" "b3/gaswalk-$NEW_ID-000003.gwb: merged (device D, bundle 3): 2 new visits, 0 already there, 0 households, 0 photos" "merge line"
expect_eq "$(sed -n 2p m.out)" "b3/gaswalk-$NEW_ID-000003.gwb: 1 carried visits already held from Terminal 1, not counted again (voided here)" "carried line"
# the copy is the successor's entry 1 (its feed whole), voided by the office, naming the original
expect_eq "$(sqlite3 office.db "SELECT seq || ' ' || account FROM visit WHERE device = '$NEW_ID' ORDER BY seq" | tr '\n' ,)" "1 A3,2 A2," "successor's entries"
expect_eq "$(sqlite3 office.db "SELECT target_seq || ' ' || reason FROM visit_void WHERE target_device = '$NEW_ID'")" \
	"1 carried by $NEW_ID after its key was replaced: a copy of $T1_ID/2, held here already; not counted again" "the copy voided"
expect_eq "$(sqlite3 office.db "SELECT covered FROM feed WHERE device = '$NEW_ID'")" 2 "successor's feed acknowledged"
expect_eq "$(funding office.db)" "district total           1       1      1       270.00                270.00        90.00            45.00            45.00               90.00" "funding counted once"
gw --db office.db report prices --as-of 2023-11-15 >prices2.txt
cmp -s prices1.txt prices2.txt || { diff prices1.txt prices2.txt >&2; fail "report prices changed"; }
expect_eq "$(grep -c '^T1 ' prices2.txt)" 2 "prices: one hose, one valve"
gw --db office.db report weekly --as-of 2023-11-15 >weekly.txt
# residential: the install counted once (2 installs this week); non-residential: A2's refusal counted
expect_eq "$(grep '^Linshanzhai     residential' weekly.txt)" "Linshanzhai     residential               4        2        2          2        0            0        0       0              2                   2                2                  2            50.0%" "weekly, residential"
expect_eq "$(grep '^Linshanzhai     non-residential' weekly.txt)" "Linshanzhai     non-residential           1        1        0          0        0            0        1       0              0                   0                1                  0             0.0%" "weekly, non-residential"
gw --db office.db status A3 --json >s.json
python3 - <<'PY'
import json
s = json.load(open('s.json'))
assert s['status']['visits'] == 1, s['status']      # the fold counts the install once
assert s['status']['state'] == 'compliant', s['status']
assert sorted(v['seq'] for v in s['visits']) == [1, 2], s['visits']  # original + voided copy
PY
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM conflict")" 0 "no conflict with its own copy"
# the visit the office never had is counted
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit v WHERE note = 'never-sent' AND NOT EXISTS (SELECT 1 FROM visit_void w WHERE w.target_device = v.device AND w.target_seq = v.seq)")" 1 "never-sent counted"
# merged again: nothing changes
gw --db office.db merge b3/*.gwb >m2.out
expect_grep "already merged" m2.out
# the copies name their originals (the entry's optional "carried" member, signed with it)
expect_eq "$(sqlite3 office.db "SELECT seq || ' ' || carried_device || '/' || carried_seq FROM visit WHERE device = '$NEW_ID' ORDER BY seq" | tr '\n' ,)" \
	"1 $T1_ID/2,2 $T1_ID/3," "carried from"
# the key lost again before the acknowledgement: the next successor carries both again,
# still naming the first originals; one was merged from the first key, the other only as
# the second key's entry: both are copies now
rm t1.db.key
gw --db t1.db key new --no-pin >/dev/null
NEW2_ID=$(id_of t1.db)
expect_eq "$(sqlite3 t1.db "SELECT seq || ' ' || carried_device || '/' || carried_seq FROM visit WHERE device = '$NEW2_ID' ORDER BY seq" | tr '\n' ,)" \
	"1 $T1_ID/2,2 $T1_ID/3," "first originals kept"
gw --db t1.db key show | head -n 1 >t1c.id
gw --db office.db enroll t1c.id --name "Terminal 1c" --successor "Terminal 1b" >/dev/null
mkdir b3c
gw --db t1.db export -o b3c >/dev/null
gw --db office.db merge b3c/*.gwb >m3.out
expect_eq "$(sed -n 2p m3.out)" "b3c/gaswalk-$NEW2_ID-000004.gwb: 2 carried visits already held from Terminal 1, not counted again (voided here)" "second succession"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit v WHERE account = 'A2' AND NOT EXISTS (SELECT 1 FROM visit_void w WHERE w.target_device = v.device AND w.target_seq = v.seq)")" 1 "A2 counted once"
expect_eq "$(funding office.db)" "district total           1       1      1       270.00                270.00        90.00            45.00            45.00               90.00" "funding still once"
# the district: the office's void travels up with the copy; counted once there too
gw --db office.db export -o r2 >/dev/null
gw --db district.db merge r2/*.gwb >d.out
expect_eq "$(funding district.db)" "$(funding office.db)" "funding at the district"
for k in weekly prices; do
	gw --db office.db report $k --as-of 2023-11-15 >o-$k.txt
	gw --db district.db report $k --as-of 2023-11-15 >d-$k.txt
	cmp -s o-$k.txt d-$k.txt || { diff o-$k.txt d-$k.txt >&2; fail "report $k differs at the district"; }
done
for a in A1 A2 A3; do
	gw --db office.db status $a --json >so.json
	gw --db district.db status $a --json >sd.json
	cmp -s so.json sd.json || { diff so.json sd.json >&2; fail "status of $a differs"; }
done
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit_void WHERE target_device = '$NEW_ID' AND target_seq = 1")" 1 "one void of the copy at the district"
# the terminal loads the office's pack: the originals it sends back are this terminal's
# own visits, carried under its new key, so they are not stored a second time there
gw --db office.db assign --device "$NEW2_ID" --compound C1 -o b3c/ack.gwp >/dev/null
gw --db t1.db load b3c/ack.gwp >l.out
expect_grep "records up to 2 acknowledged" l.out
gw --db t1.db status A3 --json >t.json
python3 - <<'PY'
import json
s = json.load(open('t.json'))
assert s['status']['visits'] == 1, s['status']
assert len(s['visits']) == 1, s['visits']
PY
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM visit WHERE account = 'A3'")" 1 "A3 once on the terminal"
gw --db t1.db record A4 --outcome not-home --at 2023-11-15T09:00 >/dev/null
mkdir b3d
gw --db t1.db export -o b3d >/dev/null
gw --db office.db merge b3d/*.gwb >m4.out
expect_grep "merged (device .*, bundle 5): 1 new visits, 0 already there" m4.out

# a lost terminal, revoked, then found: its honest visit refused under the old key
make_ledger t2.db device T2
T2_ID=$(id_of t2.db)
enroll_early office.db "$(gw --db t2.db key show | head -n 1)" --name "Terminal 2" >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$T2_ID" --compound C2 -o p2.gwp >/dev/null
gw --db t2.db load p2.gwp >/dev/null
gw --db t2.db record B1 --outcome entered --hose metal --valve ok --note honest --at 2023-11-14T11:00 >/dev/null
gw --db office.db revoke "Terminal 2" >/dev/null
mkdir b4 b5
gw --db t2.db export -o b4 >/dev/null
expect_rc 1 gw --db office.db merge b4/*.gwb
expect_grep "device $T2_ID is revoked; bundle refused" "$T/err"
expect_rc 1 gw --db t2.db key new --no-pin
expect_eq "$(cat "$T/err")" "gaswalk: t2.db.key: the key is still there; key new is for a terminal whose key was destroyed or lost (a terminal found after its key was revoked: key new --replace)" "key new names --replace"
expect_rc 2 gw --db t2.db key show --replace
cp t2.db.key old.key
gw --db t2.db key new --replace --no-pin >k2.out
T2B_ID=$(id_of t2.db)
[ "$T2B_ID" != "$T2_ID" ] || fail "key new --replace kept the old id"
expect_eq "$(sed -n 1p k2.out)" "the old key ($T2_ID) is destroyed" "old key destroyed"
expect_eq "$(sed -n 2p k2.out)" "new keys: device id and fingerprint $T2B_ID; the office enrolls it with" "new keys"
expect_eq "$(sed -n 4p k2.out)" "1 records not yet acknowledged go with the first bundle" "the honest visit carried"
cmp -s old.key t2.db.key && fail "the old key file is still there"
expect_eq "$(ls t2.db.key*)" t2.db.key "no old key kept beside it"
make_ledger t3.db device T3
rm t3.db.key
expect_rc 1 gw --db t3.db key new --replace --no-pin
expect_eq "$(cat "$T/err")" "gaswalk: t3.db.key: no key to replace; use key new" "nothing to replace"
gw --db t2.db key show | head -n 1 >t2b.id
gw --db office.db enroll t2b.id --name "Terminal 2b" --successor "Terminal 2" >e2.out
expect_grep "^$T2B_ID succeeds $T2_ID (Terminal 2)" e2.out
gw --db t2.db export -o b5 >/dev/null
gw --db office.db merge b5/*.gwb >m5.out
expect_eq "$(sed 's/(device [^,]*, bundle/(device D, bundle/' m5.out)" "b5/gaswalk-$T2B_ID-000002.gwb: merged (device D, bundle 2): 1 new visits, 0 already there, 0 households, 0 photos" "the found terminal's visit"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit v WHERE note = 'honest' AND device = '$T2B_ID' AND NOT EXISTS (SELECT 1 FROM visit_void w WHERE w.target_device = v.device AND w.target_seq = v.seq)")" 1 "the honest visit counted"

# attacker re-trial: the copies name their originals, so they are counted once even when
# the new key is enrolled as an ordinary terminal (no --successor), and at the district
# even when the sub-office's clerk deletes the office's voids of them before rolling up
gw --db t2.db record B1 --outcome entered --role install --install valve:V-STD:SN-V9:120 --at 2023-11-14T12:00 >/dev/null
mkdir b6 b7 r3 r4
gw --db t2.db export -o b6 >/dev/null
gw --db office.db merge b6/*.gwb >/dev/null
gw --db office.db export -o r3 >/dev/null
gw --db district.db merge r3/*.gwb >/dev/null
before_office=$(funding office.db)
before_district=$(funding district.db)
gw --db t2.db key new --replace --no-pin >/dev/null
T2C_ID=$(id_of t2.db)
gw --db t2.db key show | head -n 1 >t2c.id
gw --db office.db enroll t2c.id --name "Terminal 9" >/dev/null
gw --db t2.db export -o b7 >/dev/null
gw --db office.db merge b7/*.gwb >m7.out
expect_eq "$(sed -n 2p m7.out)" "b7/gaswalk-$T2C_ID-000004.gwb: 2 carried visits already held from Terminal 2, not counted again (voided here)" "copies of a key enrolled without --successor (the honest visit and the install)"
expect_eq "$(funding office.db)" "$before_office" "funding once at the office"
sqlite3 office.db "DELETE FROM visit_void WHERE target_device = '$T2C_ID'"
gw --db office.db export -o r4 >/dev/null
gw --db district.db merge r4/*.gwb >d4.out
expect_grep "2 carried visits already held from $T2_ID, not counted again (voided here)" d4.out
expect_eq "$(funding district.db)" "$before_district" "funding once at the district, the office's void deleted"
echo ok
