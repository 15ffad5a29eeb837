#!/bin/sh
# Replay, reorder, gap, fork, unknown and revoked devices, a bundle sealed to
# another office: each merged or rejected as it should, and logged.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
mkdir b1 b2
rec() { gw --db "$1" record "$2" --outcome not-home --at "$3" >/dev/null; }
# four bundles from t1, never acknowledged: each carries every record so far (1, 1..2, ...)
for i in 1 2 3 4; do
	rec t1.db A1 "2023-11-14T1${i}:00Z"
	gw --db t1.db export -o b1 >/dev/null
done
B() { ls b1/*-00000"$1".gwb; }

# any order: 3 first, then 1, 4, 2; a stick lost on the way costs nothing
gw --db office.db merge "$(B 3)" >m.out
expect_grep "merged (device Terminal 1 ($T1_ID), bundle 3): 3 new visits" m.out
gw --db office.db merge "$(B 1)" "$(B 4)" "$(B 2)" >m.out
expect_eq "$(grep -c 'merged (device' m.out)" 3 "each bundle merged (two bring nothing new)"
expect_grep "bundle 4): 1 new visits, 3 already there" m.out
expect_eq "$(sqlite3 office.db 'SELECT count(*) FROM visit')" 4 "visits after reorder"
expect_eq "$(sqlite3 office.db "SELECT covered FROM feed WHERE device = '$T1_ID'")" 4 "coverage"

# replay
gw --db office.db merge "$(B 2)" >m.out
expect_grep "already merged" m.out

# Attack 1, a clone caught as a fork whatever its numbering and the order the two
# histories meet in. The office acknowledges records 1..4. A copy of the terminal's
# ledger and key (the clone) goes on; so does the terminal: its next bundle holds a
# faulty valve and a grade-1 hazard, and its stick is lost for a while.
gw --db office.db assign --device "$T1_ID" --compound C1 -o ack.gwp >/dev/null
gw --db t1.db load ack.gwp >/dev/null
cp t1.db clone.db; cp t1.db.key clone.db.key
gw --db t1.db record A1 --outcome entered --hose metal --valve faulty --hazard H01:1 \
	--at 2023-11-14T15:00Z >/dev/null
gw --db t1.db export -o b1 >/dev/null
REAL=$(B 5)
# the clone records its own visit and numbers its bundle 501, as the attacker did
rec clone.db A3 2023-11-14T16:00Z
sqlite3 clone.db "UPDATE meta SET value = '500' WHERE key = 'bundle_seq'"
gw --db clone.db export -o b2 >/dev/null
CLONE=$(ls b2/*-000501.gwb)
cp office.db office2.db; cp office.db.key office2.db.key
expect_rc 0 gw --db office.db merge "$CLONE"
canonical office.db >before.txt
expect_rc 1 gw --db office.db merge "$REAL"
expect_grep "gaswalk: !!! FORK — the history of $T1_ID up to entry 5 differs from the one merged before: two histories of one device (a cloned terminal, or one restored from a backup that exported before loading a pack); rejected" "$T/err"
expect_grep "rejected" "$T/out"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "a fork changed the ledger"
# nothing of that device is acknowledged any more; the terminal, given the clone's
# record 5 as acknowledged, would refuse it anyway: it compares the chain head
gw --db office.db assign --device "$T1_ID" --compound C1 -o ack2.gwp >a.out
expect_grep "acknowledging its records up to 0" a.out
sqlite3 office.db "UPDATE feed SET forks = 0" # (as if before the fork was seen)
gw --db office.db assign --device "$T1_ID" --compound C1 -o ack3.gwp >/dev/null
expect_rc 0 gw --db t1.db load ack3.gwp
expect_grep "FORK — the office acknowledges records 1..5 of this device, but not the ones recorded here" "$T/err"
expect_eq "$(sqlite3 t1.db "SELECT value FROM meta WHERE key = 'ack_n'")" 4 "the clone's record not taken as acknowledged"
gw --db t1.db export -o b1 >/dev/null
expect_eq "$(ls b1/*.gwb | wc -l)" 6 "the terminal sends its record 5 again"
# the other order: the real history first, then the clone's bundle 501
expect_rc 0 gw --db office2.db merge "$REAL"
canonical office2.db >before.txt
expect_rc 1 gw --db office2.db merge "$CLONE"
expect_grep "gaswalk: !!! FORK — the history of $T1_ID up to entry 5 differs" "$T/err"
canonical office2.db >after.txt
cmp -s before.txt after.txt || fail "a fork changed the ledger"
# unknown device
make_ledger t2.db device "T2"
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
sqlite3 t2.db "INSERT INTO household(account, category, gas) VALUES ('A1','residential','pipeline')"
rec t2.db A1 2023-11-12T09:00
gw --db t2.db export -o b2 >/dev/null
T2B=$(ls b2/*"$(id_of t2.db)"*.gwb)
expect_rc 1 gw --db office.db verify "$T2B"
expect_grep "unknown device" "$T/err"
expect_rc 1 gw --db office.db merge "$T2B"
expect_grep "unknown device" "$T/err"

# revoked: bundles merged before stay, new ones are refused
gw --db office.db revoke "$T1_ID" >/dev/null
rec t1.db A1 2023-11-13T09:00
gw --db t1.db export -o b1 >/dev/null
expect_rc 1 gw --db office.db merge "$(ls b1/*.gwb | tail -n 1)"
expect_grep "revoked" "$T/err"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit WHERE device='$T1_ID'")" 5 "merged visits stay"

# sealed to another office
make_ledger other.db office "Office B"
gw --db t2.db trust-replace "$(gw --db other.db key show | head -n 1)" --yes >/dev/null
gw --db office.db enroll "$(gw --db t2.db key show | head -n 1)" --name T2 >/dev/null
rec t2.db A1 2023-11-14T09:00
gw --db t2.db export -o b2 >/dev/null
expect_rc 1 gw --db office.db merge "$(ls b2/*"$(id_of t2.db)"*-000002.gwb)"
expect_grep "sealed to another ledger" "$T/err"

# a pack from an office the terminal does not trust
gw --db other.db enroll "$(gw --db t1.db key show | head -n 1)" --name T1 >/dev/null
sqlite3 other.db "INSERT INTO household(account, category, gas, compound) VALUES ('Z1','residential','pipeline','CZ')"
gw --db other.db assign --device "$T1_ID" --compound CZ -o bad.gwp >/dev/null
expect_rc 1 gw --db t1.db load bad.gwp
expect_grep "but this ledger trusts office $OFFICE_ID" "$T/err"
# ... not even with --trust and the right fingerprint: t1 trusts an office already
# (replacing it is trust-replace; tests/e2e/trust_attacks.sh)
FPR=$(gw --db other.db key show | sed -n 2p | sed 's/.*fingerprint //')
expect_rc 1 gw --db t1.db load bad.gwp --trust "$FPR"
expect_grep "replacing the trusted office is done only with 'gaswalk trust-replace'" "$T/err"

# every merge and rejection is in the log, and the chain holds
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE result='merged'")" 5 "merged entries"
[ "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE result='rejected'")" -ge 4 ] || fail "rejections not logged"
gw --db office.db log --verify >log.out
expect_grep "chain intact" log.out

# ---- verify makes every check merge makes: a roll-up merge refuses (relay and territory
# checks included) is refused by verify with the same line; verify writes nothing ----
mkdir v && cd v
setup_office_terminal
sqlite3 office.db "INSERT OR REPLACE INTO meta(key, value) VALUES ('subdistrict', 'LSZ')"
gw --db district.db init --office District --district >/dev/null
add_households district.db
enroll_early district.db "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null
mkdir b r1 r2
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-14T09:00Z >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*.gwb >/dev/null
sqlite3 office.db ".backup honest.db" && cp office.db.key honest.db.key
# the rogue clerk puts an inspection in the office's own feed, signed by no terminal
# (gaswalk's own 'record' refuses one at an office that rolls up: sqlite3)
sqlite3 office.db "INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at, parts)
	VALUES ('$OFFICE_ID', 1, 'A2', 'clerk', 'inspect', '2023-11-14T10:00:00+00:00', 1699956000, 'entered', 'metal', 'ok', '', 0, 0);
	INSERT INTO visit_arrival(device, seq) VALUES ('$OFFICE_ID', 1);
	UPDATE meta SET value = '2' WHERE key = 'next_seq'"
gw --db office.db export -o r1 >/dev/null
canonical district.db >before.txt
LOG=$(sqlite3 district.db "SELECT count(*) FROM merge_log")
LINE="gaswalk: rejected: visit $OFFICE_ID/1: household A2, role 'inspect' in the own feed of office Subdistrict A (林山寨街道, LSZ) (an office adds only self-checks, spot-checks and voids)"
expect_rc 1 gw --db district.db verify r1/*.gwb
expect_eq "$(cat "$T/err")" "$LINE" "verify refuses what merge refuses"
expect_rc 1 gw --db district.db merge r1/*.gwb
expect_eq "$(cat "$T/err")" "$LINE" "merge refuses it"
canonical district.db >after.txt
cmp -s before.txt after.txt || fail "the refused roll-up changed the district's ledger"
# the honest roll-up: verify passes it and writes nothing (no log entry, no witnessed
# head, no enrolment, no photo store); merge then takes it
gw --db honest.db export -o r2 >/dev/null
LOG=$(sqlite3 district.db "SELECT count(*) FROM merge_log")
expect_rc 0 gw --db district.db verify r2/*.gwb
expect_grep "ok (device Subdistrict A ($OFFICE_ID), bundle 1): 1 visits" "$T/out"
canonical district.db >after.txt
cmp -s before.txt after.txt || fail "verify changed the district's ledger"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM merge_log")" "$LOG" "verify logs nothing"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM device WHERE id = '$T1_ID'")" 0 "verify enrolls nobody"
[ ! -e district.db.photos ] || fail "verify made a photo store"
expect_rc 0 gw --db district.db merge r2/*.gwb
expect_grep "merged (device Subdistrict A ($OFFICE_ID), bundle 1): 1 new visits" "$T/out"

# time bounds up a level: a visit dated before its terminal's enrolment, which the
# sub-office's clerk accepts (a paper form typed in late), is held again at the
# district, whose floor for a terminal's first feed is the enrolment its office signed
# and relayed; the district's clerk decides too
make_ledger t3.db device "T3"
T3_ID=$(id_of t3.db)
enroll_early honest.db "$(gw --db t3.db key show | head -n 1)" --name "Terminal 3" >/dev/null
gw --db t3.db trust "$(gw --db honest.db key show | head -n 1)" >/dev/null
gw --db honest.db assign --device "$T3_ID" --compound C1 -o p3.gwp >/dev/null
gw --db t3.db load p3.gwp >/dev/null
gw --db t3.db record A3 --outcome entered --hose metal --valve ok --at 2023-10-01T09:00Z >/dev/null
mkdir b3 r3
gw --db t3.db export -o b3 >/dev/null
expect_rc 1 gw --db honest.db merge b3/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: entry $T3_ID/1 is dated 29 days 15 h before $T3_ID was enrolled here" "held at the sub-office"
expect_rc 0 gw --db honest.db held accept 1 --reason "paper form of 1 October typed in late"
gw --db honest.db export -o r3 >/dev/null
canonical district.db >before.txt
expect_rc 1 gw --db district.db merge r3/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: entry $T3_ID/1 is dated 29 days 15 h before $T3_ID was enrolled here" "held again at the district"
canonical district.db >after.txt
cmp -s before.txt after.txt || fail "a held roll-up changed the district's ledger"
expect_rc 0 gw --db district.db held accept 1 --reason "the sub-office accepted the paper form"
expect_grep "held bundle 1 accepted and merged: 1 new visits" "$T/out"
expect_eq "$(sqlite3 district.db "SELECT outcome FROM visit WHERE device = '$T3_ID' AND seq = 1")" entered "the visit counted once accepted"

# ... and rejected at the district: the rejection sticks, but blocks nothing after it.
# The sub-office's next roll-up carries the rejected visit again (the district
# acknowledged nothing of it) beside honest visits: it merges, the rejected visit kept
# as evidence and voided under the district's key with its clerk's rejection, never
# counted; the honest visits count
make_ledger t4.db device "T4"
T4_ID=$(id_of t4.db)
enroll_early honest.db "$(gw --db t4.db key show | head -n 1)" --name "Terminal 4" >/dev/null
gw --db t4.db trust "$(gw --db honest.db key show | head -n 1)" >/dev/null
gw --db honest.db assign --device "$T4_ID" --compound C1 -o p4.gwp >/dev/null
gw --db t4.db load p4.gwp >/dev/null
gw --db t4.db record A4 --outcome entered --hose metal --valve ok --at 2023-10-01T09:00Z >/dev/null
mkdir b4 r4 r5
gw --db t4.db export -o b4 >/dev/null
expect_rc 1 gw --db honest.db merge b4/*.gwb
expect_rc 0 gw --db honest.db held accept 2 --reason "paper form typed in late"
gw --db honest.db export -o r4 >/dev/null
expect_rc 1 gw --db district.db merge r4/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: entry $T4_ID/1 is dated 29 days 15 h before $T4_ID was enrolled here" "held at the district"
expect_rc 0 gw --db district.db held reject 2 --reason "no paper form for 1 October"
A4_BEFORE=$(sqlite3 district.db "SELECT * FROM status WHERE account = 'A4'")
gw --db t4.db record A3 --outcome refused --at 2023-11-15T09:00Z >/dev/null
gw --db t4.db export -o b4 >/dev/null
expect_rc 0 gw --db honest.db merge b4/*-000002.gwb
gw --db t1.db record A1 --outcome not-home --at 2023-11-15T10:00Z >/dev/null
gw --db t1.db export -o b >/dev/null
expect_rc 0 gw --db honest.db merge "$(ls b/*.gwb | tail -n 1)"
gw --db honest.db export -o r5 >/dev/null
expect_rc 0 gw --db district.db merge r5/*.gwb
expect_grep "merged (device [^,]*$OFFICE_ID[^,]*, bundle 4): 3 new visits" "$T/out"
expect_grep "^r5/.*: 1 visits the clerk rejected before kept as evidence, not counted (voided here)$" "$T/out"
D_ID=$(id_of district.db)
expect_eq "$(sqlite3 district.db "SELECT device || ' ' || substr(reason, 1, 24) || ' ' || substr(reason, instr(reason, ' (held'))
	FROM visit_void WHERE target_device = '$T4_ID' AND target_seq = 1")" \
	"$D_ID rejected by the clerk on  (held bundle 2): no paper form for 1 October" "the rejected visit voided by the district"
expect_eq "$(sqlite3 district.db "SELECT * FROM status WHERE account = 'A4'")" "$A4_BEFORE" "the rejected visit is not counted"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit v WHERE (v.device = '$T4_ID' AND v.seq = 2 OR v.device = '$T1_ID' AND v.at_epoch = 1700042400) AND NOT EXISTS(SELECT 1 FROM visit_void w WHERE w.target_device = v.device AND w.target_seq = v.seq)")" 2 "the honest visits counted"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM held WHERE decision IS NULL")" 0 "nothing held"

# a terminal whose clock ran ten days fast: held at the sub-office and accepted there,
# held at the district (each level decides for itself) and accepted there; then the
# terminal's next, correctly dated bundle merges at the sub-office, and the roll-up
# relaying it (and the accepted feed again, not acknowledged yet) merges at the district
make_ledger t5.db device "T5"
T5_ID=$(id_of t5.db)
enroll_early honest.db "$(gw --db t5.db key show | head -n 1)" --name "Terminal 5" >/dev/null
gw --db t5.db trust "$(gw --db honest.db key show | head -n 1)" >/dev/null
gw --db honest.db assign --device "$T5_ID" --compound C1 -o p5.gwp >/dev/null
gw --db t5.db load p5.gwp >/dev/null
FAST=$((GASWALK_NOW + 864000))
GASWALK_NOW=$FAST gw --db t5.db record A2 --outcome not-home >/dev/null 2>&1
mkdir b5 r6 r7
GASWALK_NOW=$FAST gw --db t5.db export -o b5 >/dev/null
expect_rc 1 gw --db honest.db merge b5/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: bundle 1 of $T5_ID was created 10 days 0 h after this office's clock" "fast clock held at the sub-office"
expect_rc 0 gw --db honest.db held accept "$(sqlite3 honest.db "SELECT id FROM held WHERE device = '$T5_ID'")" --reason "clock ten days fast"
gw --db honest.db export -o r6 >/dev/null
expect_rc 1 gw --db district.db merge r6/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: feed of $T5_ID: created 10 days 0 h after this office's clock" "held again at the district"
expect_rc 0 gw --db district.db held accept "$(sqlite3 district.db "SELECT id FROM held WHERE decision IS NULL")" --reason "the sub-office checked the visit"
gw --db t5.db record A2 --outcome refused >/dev/null 2>&1
gw --db t5.db export -o b5 >/dev/null
expect_rc 0 gw --db honest.db merge b5/*-000002.gwb
gw --db honest.db export -o r7 >/dev/null
expect_rc 0 gw --db district.db merge r7/*.gwb
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit WHERE device = '$T5_ID'")" 2 "both visits of T5 at the district"
expect_eq "$(sqlite3 district.db "SELECT at_epoch FROM visit WHERE device = '$T5_ID' AND seq = 1")" "$FAST" "the accepted visit keeps its signed date"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM held WHERE decision IS NULL")" 0 "nothing held"
echo ok
