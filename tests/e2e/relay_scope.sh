#!/bin/sh
# Trust part 4: what a sub-office's roll-up may carry besides feeds and households — a
# revocation only of a terminal it enrolled, a plan only of its own subdistrict, its own
# visits without installs or supply actions — and device names without '/' (OFFICE/NAME
# names another office's device). Two sub-offices under one district: LSZ (林山寨街道,
# the attacker, with Terminal 1) and JSL (建设路街道, with 终端03). Each attack is made
# as a clerk would (gaswalk, or sqlite3 on the office's own ledger); the district refuses
# the roll-up with one line and its ledger stays as it was; the honest path beside each.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

copy() { # FROM TO: a ledger and its key
	sqlite3 "$1" ".backup $2"
	cp "$1.key" "$2.key"
	chmod 600 "$2.key"
}
jsl_households() { # DB
	sqlite3 "$1" "INSERT INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name, phone) VALUES
	('J1', 'residential', 'pipeline', '建设路街道', '建设小区', '1', '1', '1', '101', '钱七', ''),
	('J2', 'residential', 'pipeline', '建设路街道', '建设小区', '1', '1', '1', '102', '孙八', '')"
}
# the district's ledger, with what a roll-up could change besides visits and households
state() {
	canonical "$1"
	sqlite3 "$1" "SELECT sign_pk, COALESCE(box_pk, ''), by_office FROM revoked_key ORDER BY 1;
	SELECT id, name, kind, office, revoked_at IS NULL FROM device ORDER BY id;
	SELECT subdistrict, compound, month, households, origin FROM plan ORDER BY 1, 2, 3"
}
key_of() { sqlite3 "$1" "SELECT $3 FROM device WHERE id = '$2'"; }

# --- LSZ with Terminal 1 (setup_office_terminal), JSL with 终端03, the district
setup_office_terminal
sqlite3 office.db "INSERT OR REPLACE INTO meta(key, value) VALUES ('subdistrict', 'LSZ')"
S_ID=$OFFICE_ID
make_ledger jsl.db office "JSL office"
jsl_households jsl.db
sqlite3 jsl.db "INSERT OR REPLACE INTO meta(key, value) VALUES ('subdistrict', 'JSL')"
J_ID=$(id_of jsl.db)
make_ledger t3.db device "T3"
T3_ID=$(id_of t3.db)
gw --db t3.db key show >t3.id
enroll_early jsl.db t3.id --name "终端03" >/dev/null
gw --db t3.db trust "$(gw --db jsl.db key show | head -n 1)" >/dev/null
gw --db jsl.db assign --device "$T3_ID" --compound 建设小区 -o p3.gwp >/dev/null
gw --db t3.db load p3.gwp >/dev/null
gw --db district.db init --office District --district >/dev/null
D_ID=$(id_of district.db)
add_households district.db
jsl_households district.db
gw --db office.db key show >lsz.id
gw --db jsl.db key show >jsl.id
enroll_early district.db lsz.id --name "林山寨街道" --office --subdistrict LSZ >/dev/null
enroll_early district.db jsl.id --name "建设路街道" --office --subdistrict JSL >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null
gw --db jsl.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null

# honest first round: each terminal's visit goes up through its office
mkdir b1 b3 r1 j1
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-15T01:00 >/dev/null
gw --db t1.db export -o b1 >/dev/null
gw --db office.db merge b1/*.gwb >/dev/null
gw --db t3.db record J1 --outcome entered --hose metal --valve ok --at 2023-11-15T01:00 >/dev/null
gw --db t3.db export -o b3 >/dev/null
gw --db jsl.db merge b3/*.gwb >/dev/null
gw --db office.db export -o r1 >/dev/null
gw --db district.db merge r1/*.gwb >/dev/null
gw --db jsl.db export -o j1 >/dev/null
gw --db district.db merge j1/*.gwb >/dev/null
expect_eq "$(key_of district.db "$T3_ID" office)" "$J_ID" "终端03 enrolled under JSL at the district"
copy office.db base.db
state district.db >before.txt

n=0
# refused NAME 'EXPECTED LINE': NAME.db's roll-up, refused by verify and by merge at the
# district with exactly that line, the district's ledger unchanged
refused() {
	n=$((n + 1))
	mkdir "r-$1"
	gw --db "$1.db" export -o "r-$1" >/dev/null
	expect_rc 1 gw --db district.db verify "r-$1"/*.gwb
	grep -qxF "gaswalk: rejected: $2" "$T/err" || { cat "$T/err" >&2; fail "$1: verify: expected 'gaswalk: rejected: $2'"; }
	expect_rc 1 gw --db district.db merge "r-$1"/*.gwb
	grep -qxF "gaswalk: rejected: $2" "$T/err" || { cat "$T/err" >&2; fail "$1: expected 'gaswalk: rejected: $2'"; }
	state district.db >after.txt
	cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "$1: the district's ledger changed"; }
}
attack() { # NAME 'SQL' 'EXPECTED LINE'
	copy base.db "$1.db"
	sqlite3 "$1.db" "$2"
	refused "$1" "$3"
}
as_terminal() { # DB ID FROM: a keyring row claiming FROM's keys as a terminal of DB's own
	echo "INSERT OR REPLACE INTO device(id, name, kind, sign_pk, box_pk, enrolled_at, office, subdistrict)
	VALUES ('$2', 'x$2', 'terminal', '$(key_of "$3" "$2" sign_pk)', '$(key_of "$3" "$2" box_pk)', 1, '', '');
	INSERT INTO visit_arrival(n, device, seq) VALUES (-1, '$2', 1);"
}
revoke_sql() { # ID FROM-DB: a revocation made here of that key
	echo "INSERT INTO revoked_key(sign_pk, box_pk, revoked_at, by_office)
	VALUES ('$(key_of "$2" "$1" sign_pk)', '$(key_of "$2" "$1" box_pk)', 1796271900, '');"
}

# --- 1. revocations carried up: only of the sender's own terminals. gaswalk's writer
# sends up only the revocations made here of terminals this office enrolled and relayed
# (the district knows no other as its); the district checks each all the same.
# (a) JSL's terminal, from its public identity line, enrolled at LSZ under another name
#     and revoked: the revocation stays at LSZ (X03 relayed nothing) ...
copy base.db x03.db
GASWALK_NOW=$ENROLLED_NOW gw --db x03.db enroll t3.id --name X03 >/dev/null
gw --db x03.db revoke X03 >/dev/null
copy district.db d-x03.db
mkdir r-x03
gw --db x03.db export -o r-x03 >/dev/null
gw --db d-x03.db merge r-x03/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
expect_eq "$(sqlite3 d-x03.db 'SELECT count(*) FROM revoked_key')" 0 "revocations at the district after X03"
#     ... and sent anyway (an arrival of X03 made up, already acknowledged: no enrolment
#     goes with it), it refuses the roll-up
copy x03.db x03b.db
# a made-up arrival numbered below every real one (as if acknowledged long ago)
ARRIVED="INSERT INTO visit_arrival(n, device, seq) VALUES"
sqlite3 x03b.db "$ARRIVED (-1, '$T3_ID', 1)"
refused x03b "roll-up from 林山寨街道 (LSZ) revokes $T3_ID, which is not one of its terminals"
# (b) the whole sub-office JSL, the district itself, a key the district never saw
make_ledger stranger.db office "Stranger"
X_ID=$(id_of stranger.db)
attack rev-office "$(as_terminal base.db "$J_ID" district.db) $(revoke_sql "$J_ID" district.db)" \
	"roll-up from 林山寨街道 (LSZ) revokes $J_ID, which is not one of its terminals"
attack rev-district "$(as_terminal base.db "$D_ID" district.db) $(revoke_sql "$D_ID" district.db)" \
	"roll-up from 林山寨街道 (LSZ) revokes $D_ID, which is not one of its terminals"
attack rev-unknown "$(as_terminal base.db "$X_ID" stranger.db) $(revoke_sql "$X_ID" stranger.db)" \
	"roll-up from 林山寨街道 (LSZ) revokes $X_ID, which is not one of its terminals"
# (c) its own terminal's signing key with JSL's box key (which would refuse JSL too)
attack rev-box "INSERT INTO revoked_key(sign_pk, box_pk, revoked_at, by_office)
	VALUES ('$(key_of base.db "$T1_ID" sign_pk)', '$(key_of district.db "$J_ID" box_pk)', 1796271900, '')" \
	"roll-up from 林山寨街道 (LSZ) revokes its terminal $T1_ID with another box key than the terminal's"
# (d) the attacker's sqlite3 line alone (no keyring row): gaswalk's writer sends up only
#     revocations of the office's own terminals, so it stays at LSZ; the district never
#     revokes JSL, whose next roll-up merges
copy base.db rawrev.db
sqlite3 rawrev.db "$(revoke_sql "$J_ID" district.db)"
mkdir r-rawrev
gw --db rawrev.db export -o r-rawrev >/dev/null
gw --db district.db merge r-rawrev/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
if grep -q revocation m.out; then cat m.out >&2; fail "a revocation counted"; fi
expect_eq "$(sqlite3 district.db 'SELECT count(*) FROM revoked_key')" 0 "revocations at the district"
mkdir b3b j2
gw --db t3.db record J2 --outcome entered --hose metal --valve ok --at 2023-11-15T02:00 >/dev/null
gw --db t3.db export -o b3b >/dev/null
gw --db jsl.db merge b3b/*.gwb >/dev/null
gw --db jsl.db export -o j2 >/dev/null
gw --db district.db merge j2/*.gwb >m.out
expect_grep "merged (device .*$J_ID" m.out
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit WHERE device = '$T3_ID'")" 2 "终端03's visits at the district"
# honest: LSZ revokes its own Terminal 1; the roll-up says so on the merge line
gw --db office.db revoke "$T1_ID" >/dev/null
mkdir r2
gw --db office.db export -o r2 >/dev/null
gw --db district.db merge r2/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
expect_grep "^r2/gaswalk-$S_ID-[0-9]*\.gwb: 1 revocations of its terminals (office .*$S_ID.*)$" m.out
expect_eq "$(sqlite3 district.db "SELECT by_office FROM revoked_key WHERE sign_pk = '$(key_of district.db "$T1_ID" sign_pk)'")" "$S_ID" "T1 revoked at the district, by LSZ"
# ... a terminal lost before it sent anything (the district never heard of it, and takes
# nothing of it from anyone): its revocation stays at LSZ, whose roll-up merges
make_ledger t5.db device "T5"
gw --db t5.db key show >t5.id
T5_ID=$(id_of t5.db)
enroll_early office.db t5.id --name "终端05" >/dev/null
gw --db office.db revoke "$T5_ID" >/dev/null
sqlite3 office.db "UPDATE household SET phone = '13933334444' WHERE account = 'A4'"
mkdir r2b
gw --db office.db export -o r2b >/dev/null
gw --db district.db merge r2b/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
if grep -q revocation m.out; then cat m.out >&2; fail "T5's revocation counted"; fi
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM device WHERE id = '$T5_ID'")" 0 "T5 at the district"
# ... and the district's own revocation of 终端03 comes down to LSZ in its pack, and
# LSZ's next roll-up (which does not carry it back) merges saying nothing of it
gw --db district.db revoke "$T3_ID" >/dev/null
gw --db district.db assign --device "$S_ID" -o down.gwp >/dev/null
gw --db office.db load down.gwp >/dev/null
gw --db office.db record A4 --role self-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
mkdir r3
gw --db office.db export -o r3 >/dev/null
gw --db district.db merge r3/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
if grep -q revocation m.out; then cat m.out >&2; fail "a revocation counted again"; fi
copy office.db base.db
state district.db >before.txt

# --- 2. plans: only of the sender's own subdistrict
printf '街道,小区,月份,计划户数\nJSL,建设小区,2026-12,999\n' >jsl-plan.csv
printf '街道,小区,月份,计划户数\n林山寨街道,C1,2026-12,5\n' >lsz-plan.csv
printf '街道,小区,月份,计划户数\nJSL,建设小区,2026-12,10\n' >district-plan.csv
expect_rc 1 gw --db office.db plan import jsl-plan.csv
expect_eq "$(cat "$T/err")" "gaswalk: jsl-plan.csv:2: subdistrict 'JSL' is outside this office's subdistrict (LSZ): the level above refuses a plan of it" "plan import of another subdistrict at LSZ"
expect_eq "$(sqlite3 office.db 'SELECT count(*) FROM plan')" 0 "plans at LSZ"
attack plan-other "DELETE FROM meta WHERE key = 'subdistrict';
	INSERT INTO plan(subdistrict, compound, month, households, origin, set_at) VALUES ('JSL', '建设小区', '2026-12', 999, 'local', 1)" \
	"plan of compound 建设小区 for 2026-12: in 'JSL', outside the territory of office 林山寨街道 (LSZ)"
# honest: the district plans JSL's compound, the pack brings it down to LSZ; LSZ plans
# its own C1; LSZ's roll-up carries its own plan only; JSL's stays the district's
gw --db district.db plan import district-plan.csv >/dev/null
gw --db district.db assign --device "$S_ID" -o down2.gwp >/dev/null
gw --db office.db load down2.gwp >/dev/null
expect_eq "$(sqlite3 office.db "SELECT households FROM plan WHERE subdistrict = 'JSL'")" 10 "JSL's plan, come down to LSZ"
gw --db office.db plan import lsz-plan.csv >/dev/null
sqlite3 district.db "UPDATE plan SET households = 11 WHERE subdistrict = 'JSL'" # changed since
sqlite3 office.db "UPDATE household SET phone = '13911112222' WHERE account = 'A3'"
mkdir r4
gw --db office.db export -o r4 >/dev/null
gw --db district.db merge r4/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
expect_eq "$(sqlite3 district.db "SELECT subdistrict || ':' || compound || ':' || households || ':' || origin FROM plan ORDER BY 1")" \
	"JSL:建设小区:11:local
LSZ:C1:5:$S_ID" "the district's plans"
copy office.db base.db
state district.db >before.txt

# --- 3. an office's own visits carry no installs and no supply action
expect_rc 1 gw --db office.db record A2 --outcome entered --role self-check --install valve:V-STD:SN123:300 --install hose:H-SS15:SN9:50
expect_eq "$(cat "$T/err")" "gaswalk: A2: an office's self-check records no installs and no supply action (those are the gas company's, recorded on its inspectors' terminals)" "a self-check with installs at LSZ"
expect_rc 1 gw --db office.db record A2 --outcome entered --role spot-check --hose metal --supply stopped
expect_eq "$(cat "$T/err")" "gaswalk: A2: an office's spot-check records no installs and no supply action (those are the gas company's, recorded on its inspectors' terminals)" "a spot-check stopping supply at LSZ"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit WHERE account = 'A2'")" 0 "visits of A2 at LSZ"
copy base.db inst.db
gw --db inst.db record A2 --role self-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
INST_SEQ=$(sqlite3 inst.db "SELECT max(seq) FROM visit WHERE device = '$S_ID'")
sqlite3 inst.db "INSERT INTO visit_install(device, seq, n, item, product, serial, price_fen)
	VALUES ('$S_ID', $INST_SEQ, 1, 'valve', 'V-STD', 'SN123', 30000);
	UPDATE visit SET parts = parts | 2 WHERE device = '$S_ID' AND seq = $INST_SEQ"
refused inst "visit $S_ID/$INST_SEQ: household A2, a self-check of office 林山寨街道 (LSZ) carrying installs (an office's own visits carry no installs and no supply action)"
copy base.db supply.db
gw --db supply.db record A2 --role spot-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
sqlite3 supply.db "UPDATE visit SET supply = 'stopped' WHERE device = '$S_ID' AND seq = $INST_SEQ"
refused supply "visit $S_ID/$INST_SEQ: household A2, a spot-check of office 林山寨街道 (LSZ) carrying a supply action (an office's own visits carry no installs and no supply action)"
# honest: the office's plain self-check merges and counts
gw --db office.db record A2 --role self-check --outcome entered --hose metal --valve ok --alarm ok --shutoff ok >/dev/null
mkdir r5
gw --db office.db export -o r5 >/dev/null
gw --db district.db merge r5/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
expect_eq "$(sqlite3 district.db "SELECT role FROM visit WHERE device = '$S_ID' AND account = 'A2'")" self-check "the office's self-check at the district"
copy office.db base.db
state district.db >before.txt

# --- 4. device names: no '/', no control characters
make_ledger t9.db device "T9"
gw --db t9.db key show >t9.id
expect_rc 1 gw --db office.db enroll t9.id --name "建设路街道/终端03"
expect_eq "$(cat "$T/err")" "gaswalk: device name '建设路街道/终端03': a name may not contain '/' (OFFICE/NAME is how another office's device is named)" "enroll --name with '/'"
expect_rc 1 gw --db office.db enroll t9.id --name "$(printf 'T\033[2J9')"
expect_eq "$(cat "$T/err")" "gaswalk: a device name may not hold control characters" "enroll --name with a control character"
expect_rc 1 gw --db slash.db init --device "a/b" --no-pin
expect_eq "$(cat "$T/err")" "gaswalk: device name 'a/b': a name may not contain '/' (OFFICE/NAME is how another office's device is named)" "init --device a/b"
[ ! -e slash.db ] && [ ! -e slash.db.key ] || fail "init a/b made a ledger"
expect_rc 1 gw --db slash.db init --office "$(printf 'A\tB')"
expect_eq "$(cat "$T/err")" "gaswalk: a device name may not hold control characters" "init --office with a tab"
# a relayed enrolment whose name has '/' (the clerk renamed the terminal with sqlite3)
enroll_early office.db t9.id --name "终端09" >/dev/null
T9_ID=$(id_of t9.db)
gw --db t9.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$T9_ID" --compound C1 -o p9.gwp >/dev/null
gw --db t9.db load p9.gwp >/dev/null
gw --db t9.db record A3 --outcome entered --hose metal --valve ok --at 2023-11-15T03:00 >/dev/null
mkdir b9
gw --db t9.db export -o b9 >/dev/null
gw --db office.db merge b9/*.gwb >/dev/null
copy office.db base.db
attack name-slash "UPDATE device SET name = '建设路街道/终端03' WHERE id = '$T9_ID'" \
	"enrolment of $T9_ID by office $S_ID refused: device name '建设路街道/终端03': a name may not contain '/' (OFFICE/NAME is how another office's device is named)"
# honest: under its own name it merges, and 建设路街道/终端03 is still JSL's
mkdir r6
gw --db office.db export -o r6 >/dev/null
gw --db district.db merge r6/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
expect_eq "$(key_of district.db "$T9_ID" name)" "终端09" "Terminal 9 at the district"
expect_eq "$(sqlite3 district.db "SELECT d.id FROM device d JOIN device o ON o.id = d.office WHERE o.name = '建设路街道' AND d.name = '终端03'")" "$T3_ID" "建设路街道/终端03"
copy office.db base.db
state district.db >before.txt

# --- 5. an office's voids: only of its own visits and its terminals'. The district's
# failing spot-check, come down in its pack, is not LSZ's to cancel (attacker trial F3)
gw --db district.db record A1 --role spot-check --outcome entered --hose non-metal --valve absent >/dev/null
D_SEQ=$(sqlite3 district.db "SELECT max(seq) FROM visit WHERE device = '$D_ID'")
gw --db district.db assign --device "$S_ID" --compound C1 -o down5.gwp >/dev/null
gw --db office.db load down5.gwp >/dev/null
expect_eq "$(sqlite3 office.db "SELECT role FROM visit WHERE device = '$D_ID' AND seq = $D_SEQ")" spot-check "the district's spot-check at LSZ"
expect_rc 1 gw --db office.db void "$D_ID/$D_SEQ" --reason mistake
expect_eq "$(cat "$T/err")" "gaswalk: visit District/$D_SEQ ($D_ID) is the level above's own: an office voids only its own visits and its terminals' (the level above refuses the roll-up)" "void of the district's spot-check at LSZ"
expect_rc 1 gw --lang zh --db office.db void "$D_ID/$D_SEQ" --reason mistake
expect_grep "是上级自己的：办事处只能作废自己的和本处终端的入户记录" "$T/err"
expect_rc 1 gw --db office.db void "$T3_ID/1" --reason mistake
expect_eq "$(cat "$T/err")" "gaswalk: visit $T3_ID/1: not found" "void of JSL's terminal's visit at LSZ (not held there)"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit_void WHERE device = '$S_ID'")" 0 "voids at LSZ"
copy office.db base.db
state district.db >before.txt
void_sql() { # DEVICE SEQ: a void in LSZ's own feed, as gaswalk would store it (dated as
	# the office's last visit)
	echo "INSERT INTO visit_void(device, seq, account, target_device, target_seq, actor, at, at_epoch, reason, recorded_at)
	SELECT '$S_ID', CAST(m.value AS INTEGER), 'A1', '$1', $2, 'x', v.at, v.at_epoch, 'mistake', v.at_epoch
	FROM meta m, (SELECT at, at_epoch FROM visit WHERE device = '$S_ID' ORDER BY seq DESC LIMIT 1) v WHERE m.key = 'next_seq';
	INSERT INTO visit_arrival(device, seq) SELECT '$S_ID', CAST(value AS INTEGER) FROM meta WHERE key = 'next_seq';
	UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'next_seq';"
}
V_SEQ=$(sqlite3 base.db "SELECT value FROM meta WHERE key = 'next_seq'")
attack void-district "$(void_sql "$D_ID" "$D_SEQ")" \
	"void $S_ID/$V_SEQ: visit $D_ID/$D_SEQ is the district's own: an office voids only its own visits and its terminals'"
attack void-other "$(void_sql "$T3_ID" 1)" \
	"void $S_ID/$V_SEQ: visit $T3_ID/1 is not of a terminal of office 林山寨街道 (LSZ): an office voids only its own visits and its terminals'"
expect_rc 1 gw --lang zh --db district.db merge r-void-district/*.gwb
expect_grep "是区局自己的：办事处只能作废自己的和本处终端的入户记录" "$T/err"
# honest: LSZ voids its own Terminal 9's visit; the roll-up merges and the district
# leaves that visit out, its own spot-check still counted
gw --db office.db void "$T9_ID/1" --reason "wrong household" >v.out
expect_grep "^voided visit $T9_ID/1 of A3 " v.out
mkdir r7
gw --db office.db export -o r7 >/dev/null
gw --db district.db merge r7/*.gwb >m.out
expect_grep "merged (device .*$S_ID" m.out
expect_eq "$(sqlite3 district.db "SELECT device FROM visit_void WHERE target_device = '$T9_ID' AND target_seq = 1")" "$S_ID" "T9's visit voided at the district, by LSZ"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit_void WHERE target_device = '$D_ID'")" 0 "voids of the district's spot-check"
echo ok
