#!/bin/sh
# Trust part 3: a sub-office that edits its own ledger with sqlite3 cannot make the
# district count what its terminals did not sign, nor act outside its subdistrict: each
# roll-up below is refused at the district with the line naming what it found, the
# district's ledger unchanged, and the honest roll-up beside them merged. Then every
# counted visit is shown back to its terminal and the enrolments (provenance).
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

in_subdistricts() { # DB: every household in 林山寨街道 (LSZ)
	sqlite3 "$1" "UPDATE household SET subdistrict = '林山寨街道'"
}
copy() { # FROM TO: a ledger, its key and its photo store
	sqlite3 "$1" ".backup $2"
	cp "$1.key" "$2.key"
	chmod 600 "$2.key"
	[ ! -d "$1.photos" ] || cp -r "$1.photos" "$2.photos"
}

setup_office_terminal
in_subdistricts office.db
# the sub-office's own subdistrict, as 'init --office N --subdistrict LSZ' keeps it: its
# roll-ups carry only that territory's households
sqlite3 office.db "INSERT OR REPLACE INTO meta(key, value) VALUES ('subdistrict', 'LSZ')"
make_ledger t2.db device "T2"
T2_ID=$(id_of t2.db)
gw --db office.db enroll "$(gw --db t2.db key show | head -n 1)" --name "Terminal 2" >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$T2_ID" --compound C1 -o p2.gwp >/dev/null
gw --db t2.db load p2.gwp >/dev/null
gw --db district.db init --office District --district >/dev/null
add_households district.db
in_subdistricts district.db
# X1 is another subdistrict's household: the district has it, the sub-office has not
sqlite3 district.db "INSERT INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name, phone)
	VALUES ('X1', 'residential', 'pipeline', '建设路街道', 'J1', '1', '1', '1', '101', '钱七', '')"
S_ID=$OFFICE_ID
gw --db district.db enroll "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null

mkdir b
mkdir cam
printf 'jpeg-1' >cam/IMG_0001.jpg
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --photo cam/IMG_0001.jpg \
	--at 2023-11-15T01:00 >/dev/null
gw --db t1.db record A2 --outcome refused --at 2023-11-15T02:00 >/dev/null
gw --db t1.db export -o b --photos cam >/dev/null
gw --db t2.db record A1 --outcome entered --hose metal --valve absent --at 2023-11-15T02:00 >/dev/null
gw --db t2.db export -o b >/dev/null
gw --db office.db merge b/*.gwb >/dev/null
# T1's second bundle, after the office acknowledged the first
gw --db office.db assign --device "$T1_ID" -o ack1.gwp >/dev/null
gw --db t1.db load ack1.gwp >/dev/null
gw --db t1.db record A3 --outcome not-home --at 2023-11-15T03:00 >/dev/null
mkdir b2
gw --db t1.db export -o b2 >/dev/null
gw --db office.db merge b2/*.gwb >/dev/null
gw --db office.db resolve "$(sqlite3 office.db 'SELECT id FROM conflict')" --keep "$T1_ID/1" >/dev/null
expect_eq "$(sqlite3 office.db "SELECT detail FROM merge_log WHERE result = 'resolved'")" \
	"conflict 1: kept $T1_ID/1" "the resolution in the signed merge log"
copy office.db base.db
canonical district.db >before.txt

# attack NAME 'SQL' 'EXPECTED LINE': the sub-office edits a copy of its ledger, exports
# its roll-up, and the district refuses it with exactly that line, changing nothing
attack() {
	copy base.db "$1.db"
	sqlite3 "$1.db" "$2"
	refused "$1" "$3"
}
# refused NAME 'EXPECTED LINE': the roll-up of NAME.db, refused at the district
refused() {
	mkdir "r-$1"
	gw --db "$1.db" export -o "r-$1" >/dev/null
	# verify makes merge's checks (sync/merge.c runs the merge and rolls it back)
	expect_rc 1 gw --db district.db verify "r-$1"/*.gwb
	grep -qxF "gaswalk: rejected: $2" "$T/err" || { cat "$T/err" >&2; fail "$1: verify: expected 'gaswalk: rejected: $2'"; }
	expect_rc 1 gw --db district.db merge "r-$1"/*.gwb
	grep -qxF "gaswalk: rejected: $2" "$T/err" || { cat "$T/err" >&2; fail "$1: expected 'gaswalk: rejected: $2'"; }
	canonical district.db >after.txt
	cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "$1: the district's ledger changed"; }
}

# 1. a visit inserted under a terminal's id
attack insert "INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at, parts)
	SELECT device, 4, 'A4', actor, role, at, at_epoch, 'entered', 'metal', 'ok', '', recorded_at, 0 FROM visit WHERE device = '$T1_ID' AND seq = 3;
	INSERT INTO visit_arrival(device, seq) VALUES ('$T1_ID', 4);
	UPDATE feed_manifest SET last = 4, manifest = replace(manifest, ':3:3:', ':3:4:') WHERE device = '$T1_ID' AND first = 3;
	UPDATE feed SET covered = 4 WHERE device = '$T1_ID'" \
	"feed of $T1_ID: the manifest's signature does not match"
# 2. a terminal's visit altered: the office's doing (the terminal's manifest holds)
attack alter "UPDATE visit SET valve = 'ok' WHERE device = '$T2_ID' AND seq = 1" \
	"roll-up from $S_ID alters visit $T2_ID/1: it does not match the terminal's signed manifest"
#    (in a manifest of several entries none of which the district holds, all are named)
attack alter-many "UPDATE visit SET outcome = 'vacant' WHERE device = '$T1_ID' AND seq = 2" \
	"roll-up from $S_ID alters entries 1..2 of $T1_ID: they do not match the terminal's signed manifest"
# 3. a terminal's visits dropped: its first bundle's, passed off as acknowledged already
attack drop "DELETE FROM visit WHERE device = '$T1_ID' AND seq <= 2; UPDATE feed SET up_acked = 2 WHERE device = '$T1_ID'" \
	"feed of $T1_ID: relayed from entry 3, but 2 of the entries before it are not here (dropped)"
# 4. the evidence stripped: the terminal's signatures, or the office's enrolment of it (a
#    feed without its manifest is not even written: nothing unsigned leaves the office)
attack strip-signature "UPDATE feed_manifest SET sig = '' WHERE device = '$T1_ID'" \
	"feed of $T1_ID: the manifest's signature does not match"
attack strip-enrolment "DELETE FROM device WHERE id = '$T1_ID'" \
	"feed of $T1_ID: no enrolment of that terminal by office $S_ID (evidence stripped, or a terminal made up)"
# 5. a household of another subdistrict added, or moved in, or moved out (gaswalk's own
#    writer sends only the office's subdistrict: the clerk removes it from the ledger)
NOTERR="DELETE FROM meta WHERE key = 'subdistrict';"
attack add "$NOTERR INSERT INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name, phone)
	VALUES ('X2', 'residential', 'pipeline', '建设路街道', 'J1', '1', '1', '1', '102', '孙八', '')" \
	"household X2: office Subdistrict A (林山寨街道, LSZ) sends it in '建设路街道', outside its territory; its roll-up is refused whole. Next: that office corrects the household's subdistrict (re-import that row) and exports again"
attack move-in "INSERT INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name, phone)
	VALUES ('X1', 'residential', 'pipeline', '林山寨街道', 'C1', '9', '1', '1', '101', '钱七', '')" \
	"household X1 is in '建设路街道' here, but office Subdistrict A (林山寨街道, LSZ) sends it in '林山寨街道'; its roll-up is refused whole. Next: the district's clerk decides where it is: if in '林山寨街道', re-import that row here with that subdistrict and merge the roll-up again; if not, that office corrects the row's subdistrict (re-import it) and exports again"
#    the same in Chinese: the office by its name, and the next step
expect_rc 1 gw --lang zh --db district.db merge r-move-in/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk：已拒收：用户 X1 在本处属于“建设路街道”，而办事处 Subdistrict A (林山寨街道, LSZ) 报送为“林山寨街道”；其汇总包整包拒收。下一步：由区级管理员确定这户属于哪个街道：若属于“林山寨街道”，在本处按该街道重新导入该行，再合并该汇总包；若不属于，由该办事处更正该行的街道（重新导入）后重新导出" "zh territory refusal"
attack move-out "$NOTERR UPDATE household SET subdistrict = '建设路街道' WHERE account = 'A4'" \
	"household A4: office Subdistrict A (林山寨街道, LSZ) sends it in '建设路街道', outside its territory; its roll-up is refused whole. Next: that office corrects the household's subdistrict (re-import that row) and exports again"
# 6. a conflict settled there
attack settle "$NOTERR UPDATE conflict SET account = 'X1'" \
	"resolution of a conflict of household X1: in '建设路街道' here, outside the territory of office Subdistrict A (林山寨街道, LSZ); its roll-up is refused whole. Next: the district's clerk settles that conflict here (gaswalk resolve)"
# 7. the clerk puts an inspection in the office's own feed (gaswalk's `record` refuses
#    one at an office that rolls up: sqlite3): no terminal signed it, so the district
#    does not count it, even beside a spot-check of the office's own
copy base.db own.db
gw --db own.db record A4 --role spot-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
sqlite3 own.db "INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at, parts)
	SELECT device, seq + 1, account, actor, 'inspect', at, at_epoch, outcome, hose, valve, note, recorded_at, 0 FROM visit WHERE device = '$S_ID';
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit WHERE device = '$S_ID' AND role = 'inspect'"
OWN_SEQ=$(sqlite3 own.db "SELECT seq FROM visit WHERE device = '$S_ID' AND role = 'inspect'")
refused own "visit $S_ID/$OWN_SEQ: household A4, role 'inspect' in the own feed of office Subdistrict A (林山寨街道, LSZ) (an office adds only self-checks, spot-checks and voids)"

# the honest roll-up beside them: merged, every visit back to its terminal, and the
# office's own spot-check counted under the office's key
sqlite3 office.db "UPDATE household SET phone = '13911112222' WHERE account = 'A3'"
gw --db office.db record A4 --role spot-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
SPOT_SEQ=$(sqlite3 office.db "SELECT seq FROM visit WHERE device = '$S_ID' AND role = 'spot-check'")
# ... from an office that imported the whole city list (X1 and X3 of 建设路街道 too), whose
# terminal was sent to X1 and visited it: the households outside its subdistrict stay
# here, and the district keeps T1's visit of X1 (its own signed evidence) uncounted
sqlite3 office.db "INSERT INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name, phone) VALUES
	('X1', 'residential', 'pipeline', '建设路街道', 'J1', '1', '1', '1', '101', '钱七', ''),
	('X3', 'residential', 'pipeline', '建设路街道', 'J1', '1', '1', '1', '103', '周九', '')"
gw --db office.db assign --device "$T1_ID" --compound C1 --compound J1 -o pj.gwp >/dev/null
# (the office itself records there nothing the district would refuse for good: an
# inspection of its own, or any visit or void outside its subdistrict)
expect_rc 1 gw --db office.db record A4 --outcome entered --hose metal --valve ok
expect_eq "$(cat "$T/err")" "gaswalk: A4: an office that rolls its visits up records only self-checks and spot-checks (--role self-check or spot-check): the level above counts no other visit signed by an office" "an inspection recorded at the office"
expect_rc 1 gw --db office.db record X1 --role spot-check --outcome not-home
expect_eq "$(cat "$T/err")" "gaswalk: X1: in '建设路街道', outside this office's subdistrict (LSZ): the level above refuses an office's visit there" "a spot-check outside"
gw --db t1.db load pj.gwp >/dev/null
gw --db t1.db record X1 --outcome entered --hose metal --valve ok --alarm ok --shutoff ok --at 2023-11-15T04:00 >/dev/null
# (Terminal 2 too, disagreeing: the conflict is settled at the office, and stays there)
gw --db office.db assign --device "$T2_ID" --compound C1 --compound J1 -o pj2.gwp >/dev/null
gw --db t2.db load pj2.gwp >/dev/null
gw --db t2.db record X1 --outcome entered --hose metal --valve absent --at 2023-11-15T04:05 >/dev/null
mkdir b3
gw --db t1.db export -o b3 >/dev/null
gw --db t2.db export -o b3 >/dev/null
gw --db office.db merge b3/*.gwb >/dev/null
gw --db office.db resolve "$(sqlite3 office.db "SELECT id FROM conflict WHERE account = 'X1'")" --keep "$T1_ID/4" >/dev/null
expect_rc 1 gw --db office.db void "$T1_ID/4" --reason "wrong subdistrict"
expect_eq "$(cat "$T/err")" "gaswalk: visit $T1_ID/4: household X1 is in '建设路街道', outside this office's subdistrict (LSZ): the level above refuses an office's void there" "a void outside"
X1_STATUS=$(sqlite3 district.db "SELECT * FROM status WHERE account = 'X1'")
mkdir r
gw --db office.db export -o r >e.out
expect_eq "$(grep -c 'outside' e.out)" 1 "the households left out, said once"
expect_grep "^2 households outside subdistrict LSZ not sent$" e.out
# (a photo lost on the way is no dropped visit: the district merges T1's second feed too)
copy district.db nophoto.db
mkdir rn
cp r/*.gwb rn/
set +e; gw --db nophoto.db merge rn/*.gwb >n.out 2>n.err; set -e
expect_eq "$(sqlite3 nophoto.db "SELECT count(*) FROM visit WHERE device = '$T1_ID'")" 4 "T1's visits without the photo"
if grep -q dropped n.err; then cat n.err >&2; fail "a missing photo taken for a dropped visit"; fi
gw --db district.db merge r/*.gwb >m.out
expect_grep "merged (device Subdistrict A ($S_ID)" m.out
expect_grep "^r/gaswalk-$S_ID-[0-9]*\.gwb: 2 visits of households outside the territory of office Subdistrict A ($S_ID) kept as its terminals' evidence, not counted (voided here)$" m.out
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit")" 7 "visits at the district"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit_void WHERE account = 'X1'")" 2 "the visits of X1 kept uncounted"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM conflict WHERE account = 'X1'")" 0 "conflicts of X1 at the district"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM household WHERE account = 'X3'")" 0 "X3 (outside) sent"
expect_eq "$(sqlite3 district.db "SELECT account || ':' || reason FROM visit_void WHERE target_device = '$T1_ID' AND target_seq = 4")" \
	"X1:outside the territory of office $S_ID (LSZ): kept as its terminal's evidence, not counted" "T1's visit of X1"
expect_eq "$(sqlite3 district.db "SELECT * FROM status WHERE account = 'X1'")" "$X1_STATUS" "X1's status (the visit not counted)"
D_ID=$(id_of district.db)
gw --db district.db provenance "$T1_ID/4" >px.out
D_SEQ=$(sqlite3 district.db "SELECT seq FROM visit_void WHERE target_device = '$T1_ID' AND target_seq = 4")
expect_eq "$(sed -n 2p px.out)" "not counted: voided by $D_ID/$D_SEQ: outside the territory of office $S_ID (LSZ): kept as its terminal's evidence, not counted" "provenance of the visit kept uncounted"
expect_grep "^signed by: terminal 'Terminal 1' ($T1_ID)" px.out
expect_grep "^checked: entries 1..4 of $T1_ID hash to the head it signed, and the office's signature on its enrolment holds$" px.out
expect_eq "$(sqlite3 district.db "SELECT role FROM visit WHERE device = '$S_ID'")" spot-check "the office's own visit"
gw --db district.db provenance "$S_ID/$SPOT_SEQ" >ps.out
expect_grep "^signed by: office 'Subdistrict A' ($S_ID)" ps.out
expect_eq "$(sqlite3 district.db "SELECT state FROM status WHERE account = 'A4'")" compliant "A4 after the office's spot-check"
expect_eq "$(sqlite3 district.db "SELECT office FROM device WHERE id = '$T1_ID'")" "$S_ID" "terminal enrolled under its office"
gw --db district.db provenance "$T1_ID/1" >p.out
expect_grep "^signed by: terminal 'Terminal 1' ($T1_ID)" p.out
expect_grep "^enrolled by: office 'Subdistrict A' ($S_ID)" p.out
expect_grep "^territory of $S_ID: LSZ$" p.out
expect_grep "^enrolment signed by the office: gaswalk-enrol1:$S_ID:$T1_ID:" p.out
expect_grep "^manifest covering entries 1..2: gaswalk-feed2:$T1_ID:1:2:" p.out
expect_grep "^checked: entries 1..2 of $T1_ID hash to the head it signed, and the office's signature on its enrolment holds$" p.out
# a terminal's visit the district holds already, altered at the office and relayed
# again (not acknowledged yet): the office's alteration, not a fork of the terminal
copy office.db alter2.db
sqlite3 alter2.db "UPDATE visit SET valve = 'ok' WHERE device = '$T2_ID' AND seq = 1"
canonical district.db >before.txt
refused alter2 "roll-up from $S_ID alters visit $T2_ID/1: it does not match the terminal's signed manifest"
expect_eq "$(sqlite3 district.db "SELECT COALESCE(sum(forks), 0) FROM feed")" 0 "forks noted at the district"
# a real fork still is one, and is noted on the terminal: a clone of Terminal 2 records
# another entry 2; the office merges the genuine one and rolls it up, then (restored
# from a backup taken before) merges the clone's and rolls that up
copy t2.db t2c.db
copy office.db officebak.db
gw --db t2.db record A2 --outcome entered --hose metal --valve ok --at 2023-11-15T04:10 >/dev/null
gw --db t2c.db record A2 --outcome refused --at 2023-11-15T04:20 >/dev/null
mkdir b5 b5c rg rc
gw --db t2.db export -o b5 >/dev/null
gw --db t2c.db export -o b5c >/dev/null
gw --db office.db merge b5/*.gwb >/dev/null
gw --db office.db export -o rg >/dev/null
gw --db district.db merge rg/*.gwb >/dev/null
gw --db officebak.db merge b5c/*.gwb >/dev/null
gw --db officebak.db export -o rc >/dev/null
expect_rc 1 gw --db district.db merge rc/*.gwb
expect_grep "^gaswalk: !!! FORK — entry $T2_ID/3 differs from the one merged before: two histories of one device" "$T/err"
expect_eq "$(sqlite3 district.db "SELECT device || ':' || forks FROM feed WHERE forks > 0")" "$T2_ID:1" "the fork noted on the terminal"
# a revocation that reached the district does not block the office's next honest
# roll-up: the office revokes Terminal 2; the roll-up carrying the revocation relays
# T2's entries again (held at the district already), and so does the next one until the
# district acknowledges them — both merge
gw --db office.db revoke "$T2_ID" >/dev/null
mkdir r4 r5
gw --db office.db export -o r4 >/dev/null
gw --db district.db merge r4/*.gwb >m4.out
expect_grep "^r4/.*: merged (device Subdistrict A ($S_ID)" m4.out
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM revoked_key r JOIN device d ON d.sign_pk = r.sign_pk WHERE d.id = '$T2_ID'")" 1 "T2 revoked at the district"
sqlite3 office.db "UPDATE household SET phone = '13922223333' WHERE account = 'A2'"
gw --db office.db export -o r5 >/dev/null
gw --db district.db merge r5/*.gwb >m5.out
expect_grep "^r5/.*: merged (device Subdistrict A ($S_ID)" m5.out
expect_eq "$(sqlite3 district.db "SELECT phone FROM household WHERE account = 'A2'")" 13922223333 "the change the roll-up after the revocation carried"
# ... but a terminal revoked at the district brings nothing new through its office: T1,
# revoked there, records a visit the office (not told yet) merges and relays; refused,
# and once the district's pack brings the revocation down the office leaves T1 out
gw --db district.db revoke "$T1_ID" >/dev/null
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-15T05:00 >/dev/null
mkdir b4
gw --db t1.db export -o b4 >/dev/null
gw --db office.db merge b4/*.gwb >/dev/null
T1_NEW=$(sqlite3 office.db "SELECT max(seq) FROM visit WHERE device = '$T1_ID'")
canonical district.db >before.txt
refused office "feed of $T1_ID: that terminal is revoked, and entry $T1_NEW is new here (only its entries held here before are relayed again)"
gw --db district.db assign --device "$S_ID" -o down.gwp >/dev/null
gw --db office.db load down.gwp >/dev/null
mkdir r6
gw --db office.db record A4 --role self-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
gw --db office.db export -o r6 >/dev/null
gw --db district.db merge r6/*.gwb >m6.out
expect_grep "^r6/.*: merged (device Subdistrict A ($S_ID)" m6.out
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit WHERE device = '$T1_ID' AND seq = $T1_NEW")" 0 "the revoked terminal's new visit"
# a visit altered at the district afterwards is no longer checkable back to its terminal
sqlite3 district.db "UPDATE visit SET outcome = 'vacant' WHERE device = '$T1_ID' AND seq = 2"
expect_rc 1 gw --db district.db provenance "$T1_ID/1"
expect_eq "$(cat "$T/err")" "gaswalk: visit $T1_ID/1: not checkable back to its device: the entries of $T1_ID held here do not give the head it signed" "provenance after an edit"
# the household changes the roll-up made are attributed to the office
gw --db district.db report household-changes --format csv -o hc.csv
expect_grep "Subdistrict A,.*$S_ID.*LSZ.*A3.*,林山寨街道,C1,phone," hc.csv
expect_grep "Subdistrict A,.*$S_ID.*LSZ.*A2.*,林山寨街道,C1,phone," hc.csv
expect_eq "$(grep -c "$S_ID" hc.csv)" 2 "household changes attributed"
# in Chinese, the fields changed too
gw --lang zh --db district.db report household-changes --format csv -o hczh.csv
expect_grep "Subdistrict A,.*$S_ID.*LSZ.*A3.*,林山寨街道,C1,联系电话," hczh.csv
echo ok
