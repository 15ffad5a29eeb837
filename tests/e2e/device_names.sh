#!/bin/sh
# Devices as a clerk knows them: void, resolve --keep, waive and provenance take a
# terminal's name (or OFFICE/NAME, or its id) in DEVICE/SEQ; conflicts, held, waive and
# the merge and load lines show the name beside the id (the JSON adds it as a field);
# status marks a voided visit with the void's reason; record at an office says an
# unknown account before anything about the role. English and Chinese, exact lines.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
make_ledger t2.db device "T2"
T2_ID=$(id_of t2.db)
enroll_early office.db "$(gw --db t2.db key show | head -n 1)" --name "终端07" >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$T2_ID" --compound C1 -o p2.gwp >/dev/null
expect_rc 0 gw --db t2.db load p2.gwp
expect_eq "$(cat "$T/out")" "loaded pack 2 from office Office A ($OFFICE_ID): 4 households, 0 visits; records up to 0 acknowledged" "load line"
gw --db office.db assign --device "$T2_ID" --compound C1 -o p3.gwp >/dev/null
expect_rc 0 gw --lang zh --db t2.db load p3.gwp
expect_eq "$(cat "$T/out")" "已载入办公室 Office A（$OFFICE_ID） 的任务包 3：4 户，0 次走访；第 0 条及以前的记录已确认" "zh load line"

# two terminals disagree on A1; 终端07 also photographs A2 (the photo never comes) and
# finds nobody home at A3
mkdir cam b
printf 'a gas meter' >cam/IMG_0003.jpg
gw --db t1.db record A1 --outcome entered --valve ok --hose metal --at 2023-11-02T09:00 >/dev/null
gw --db t2.db record A1 --outcome entered --valve absent --hose metal --at 2023-11-02T10:00 >/dev/null
gw --db t2.db record A2 --outcome entered --hose metal --photo cam/IMG_0003.jpg --at 2023-11-02T10:30 >/dev/null
gw --db t2.db record A3 --outcome not-home --at 2023-11-02T11:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db t2.db export -o b --photos cam >/dev/null
B1=$(ls b/*"$T1_ID"*.gwb)
B2=$(ls b/*"$T2_ID"*.gwb)
rm "${B2%.gwb}.photos/IMG_0003.jpg"
expect_rc 0 gw --db office.db merge "$B1"
expect_eq "$(cat "$T/out")" "$B1: merged (device Terminal 1 ($T1_ID), bundle 1): 1 new visits, 0 already there, 0 households, 0 photos" "merge line"
expect_rc 1 gw --lang zh --db office.db merge "$B2"
expect_eq "$(sed -n 1p "$T/out")" "$B2：已合并（设备 终端07（$T2_ID），数据包 1）：新增 3 次走访，0 次已有，0 户，0 张照片" "zh merge line"

# conflicts: each visit by its terminal's name (as resolve takes it back) and its id
A=$(sqlite3 office.db "SELECT a_device FROM conflict")
label() { if [ "$1" = "$T1_ID" ]; then echo "Terminal 1/1 ($T1_ID)"; else echo "终端07/1 ($T2_ID)"; fi; }
zh_label() { if [ "$1" = "$T1_ID" ]; then echo "Terminal 1/1（$T1_ID）"; else echo "终端07/1（$T2_ID）"; fi; }
if [ "$A" = "$T1_ID" ]; then B=$T2_ID; else B=$T1_ID; fi
expect_rc 0 gw --db office.db conflicts
expect_eq "$(cat "$T/out")" "conflict 1: A1: $(label "$A") vs $(label "$B") differ on valve" "conflicts line"
expect_rc 0 gw --lang zh --db office.db conflicts
expect_eq "$(cat "$T/out")" "冲突 1：A1：$(zh_label "$A") 与 $(zh_label "$B") 在 自闭阀 上不一致" "zh conflicts line"
gw --db office.db conflicts --json >c.json
expect_eq "$(python3 -c 'import json; c=json.load(open("c.json"))[0]; print(c["a"], c["a_name"], c["b"], c["b_name"])' | sed "s/$T1_ID/T1/; s/$T2_ID/T2/")" \
	"$(if [ "$A" = "$T1_ID" ]; then echo "T1/1 Terminal 1 T2/1 终端07"; else echo "T2/1 终端07 T1/1 Terminal 1"; fi)" "conflicts --json: ids, names beside"
expect_rc 1 gw --db office.db resolve 1 --keep "终端99/1"
expect_eq "$(cat "$T/err")" "gaswalk: visit 终端99/1: no device named '终端99' and none with that id in this ledger's keyring" "unknown name"
expect_rc 1 gw --lang zh --db office.db resolve 1 --keep "终端99/1"
expect_eq "$(cat "$T/err")" "gaswalk: 入户记录 终端99/1：本台账的密钥环中没有名为“终端99”的设备，也没有此编号的设备" "zh unknown name"
expect_rc 0 gw --db office.db resolve 1 --keep "终端07/1"
expect_eq "$(cat "$T/out")" "conflict 1 resolved: kept visit 终端07/1 ($T2_ID)" "resolve by name"
expect_eq "$(sqlite3 office.db "SELECT keep_device || '/' || keep_seq FROM conflict")" "$T2_ID/1" "kept by id"
expect_rc 0 gw --db office.db conflicts --all
expect_eq "$(cat "$T/out")" "conflict 1: A1: $(label "$A") vs $(label "$B") differ on valve (resolved: kept 终端07/1 ($T2_ID))" "resolved conflict line"

# waive: the missing photo listed by name, waived by name
HASH=$(sqlite3 office.db "SELECT substr(hash, 1, 16) FROM photo_missing")
expect_rc 0 gw --db office.db waive
expect_eq "$(cat "$T/out")" "终端07/2 ($T2_ID)  IMG_0003.jpg  missing ($HASH)" "waive list"
expect_rc 0 gw --lang zh --db office.db waive
expect_eq "$(cat "$T/out")" "终端07/2（$T2_ID）  IMG_0003.jpg  缺少（$HASH）" "zh waive list"
expect_rc 1 gw --db office.db waive "终端07/1" IMG_0003.jpg --reason "camera lost"
expect_eq "$(cat "$T/err")" "gaswalk: visit $T2_ID/1: no photo IMG_0003.jpg is missing here" "waive of another visit"
expect_rc 0 gw --db office.db waive "终端07/2" IMG_0003.jpg --reason "camera lost"
expect_eq "$(cat "$T/out")" "photo IMG_0003.jpg of visit 终端07/2 ($T2_ID) waived" "waive by name"

# void by name at the office; status marks the voided visit, its reason beside it
expect_rc 0 gw --db office.db void "终端07/3" --reason "wrong door"
expect_eq "$(cat "$T/out")" "voided visit $T2_ID/3 of A3 (void $OFFICE_ID/1)" "void by name"
expect_rc 1 gw --db office.db void "$T2_ID/9" --reason "no such visit"
expect_eq "$(cat "$T/err")" "gaswalk: visit $T2_ID/9: not found" "void of an unknown seq"
expect_rc 0 gw --db office.db status A3
expect_eq "$(sed -n '/^visits/,$p' "$T/out")" "visits         0
               2023-11-02T11:00 inspector not at home T2 (终端07)
  voided       wrong door" "status: the voided visit marked"
expect_rc 0 gw --lang zh --db office.db status A3
expect_eq "$(sed -n '/^走访次数/,$p' "$T/out")" "走访次数       0
               2023-11-02T11:00 安检员 到访不遇 T2 (终端07)
  已作废       wrong door" "zh status: the voided visit marked"
gw --db office.db status A3 --json >s.json
expect_eq "$(python3 -c 'import json; v=json.load(open("s.json"))["visits"]; print(len(v), v[0]["voided"], v[0]["void_reason"], v[0]["voided_by"])')" \
	"1 True wrong door $OFFICE_ID/1" "status --json: voided"
gw --db office.db status A1 --json >s.json
expect_eq "$(python3 -c 'import json; v=json.load(open("s.json"))["visits"]; print([x["voided"] for x in v], ["void_reason" in x for x in v])')" \
	"[False] [False]" "status --json: not voided"

# provenance by name and by OFFICE/NAME
expect_rc 0 gw --db office.db provenance "终端07/1"
expect_eq "$(sed -n 1p "$T/out")" "visit $T2_ID/1: household A1, 2023-11-02T10:00:00+08:00, inspector, entered" "provenance by name"
expect_rc 0 gw --db office.db provenance "Office A/终端07/2"
expect_eq "$(sed -n 1p "$T/out")" "visit $T2_ID/2: household A2, 2023-11-02T10:30:00+08:00, inspector, entered" "provenance by OFFICE/NAME"
# on the terminal, its own name
expect_rc 0 gw --db t2.db void "T2/3" --reason "wrong door"
expect_eq "$(cat "$T/out")" "voided visit $T2_ID/3 of A3 (void $T2_ID/4)" "void by the terminal's own name"

# held: the bundle by its terminal's name
gw --db t2.db record A4 --outcome entered --hose metal --at 2035-01-01T09:00Z >/dev/null
mkdir b2 && gw --db t2.db export -o b2 >/dev/null
B3=$(ls b2/*.gwb)
expect_rc 1 gw --db office.db merge "$B3"
expect_eq "$(cat "$T/out")" "$B3: held whole as 1 (device 终端07 ($T2_ID), bundle 2); see 'gaswalk held'" "held merge line"
expect_rc 0 gw --db office.db held
expect_grep "^1  终端07 ($T2_ID), bundle 2  held [-0-9T:+]*: entry $T2_ID/5 is dated " "$T/out"
expect_rc 0 gw --lang zh --db office.db held
expect_grep "^1  终端07（$T2_ID），数据包 2  暂扣于 [-0-9T:+]*：" "$T/out"

# record at a sub-office that rolls up: an unknown account is said first
make_ledger district.db office "District"
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null
expect_rc 1 gw --db office.db record 0100000099 --outcome entered
expect_eq "$(cat "$T/err")" "gaswalk: 0100000099: no such household" "record: unknown account first"
expect_rc 1 gw --db office.db record A1 --outcome entered
expect_grep "A1: an office that rolls its visits up records only self-checks and spot-checks" "$T/err"

# at a district, two sub-offices' terminals share the name 终端07: the bare name is
# refused as ambiguous, OFFICE/NAME finds each, and the listings show that form
gw --db d2.db init --office District --district >/dev/null
add_households d2.db
sub_office() { # DB NAME TERMINAL-DB: a sub-office (LSZ) under d2.db with a terminal 终端07
	make_ledger "$1" office "$2"
	add_households "$1"
	sqlite3 "$1" "INSERT OR REPLACE INTO meta(key, value) VALUES ('subdistrict', 'LSZ')"
	enroll_early d2.db "$(gw --db "$1" key show | head -n 1)" --name "$2" --office --subdistrict LSZ >/dev/null
	gw --db "$1" trust "$(gw --db d2.db key show | head -n 1)" >/dev/null
	make_ledger "$3" device T
	enroll_early "$1" "$(gw --db "$3" key show | head -n 1)" --name 终端07 >/dev/null
	gw --db "$3" trust "$(gw --db "$1" key show | head -n 1)" >/dev/null
	gw --db "$1" assign --device "$(id_of "$3")" --compound C1 -o "$3.gwp" >/dev/null
	gw --db "$3" load "$3.gwp" >/dev/null
}
sub_office sa.db "Subdistrict A" ta.db
sub_office sb.db "Subdistrict B" tb.db
TA=$(id_of ta.db)
TB=$(id_of tb.db)
gw --db ta.db record A1 --outcome entered --valve ok --hose metal --at 2023-11-02T09:00 >/dev/null
gw --db tb.db record A1 --outcome entered --valve absent --hose metal --at 2023-11-02T10:00 >/dev/null
mkdir ba bb ra rb
gw --db ta.db export -o ba >/dev/null && gw --db sa.db merge ba/*.gwb >/dev/null
gw --db tb.db export -o bb >/dev/null && gw --db sb.db merge bb/*.gwb >/dev/null
gw --db sa.db export -o ra >/dev/null && gw --db sb.db export -o rb >/dev/null
gw --db d2.db merge ra/*.gwb rb/*.gwb >/dev/null
A=$(sqlite3 d2.db "SELECT a_device FROM conflict")
dlabel() { if [ "$1" = "$TA" ]; then echo "Subdistrict A/终端07/1 ($TA)"; else echo "Subdistrict B/终端07/1 ($TB)"; fi; }
if [ "$A" = "$TA" ]; then B=$TB; else B=$TA; fi
expect_rc 0 gw --db d2.db conflicts
expect_eq "$(cat "$T/out")" "conflict 1: A1: $(dlabel "$A") vs $(dlabel "$B") differ on valve" "district conflicts line"
expect_rc 1 gw --db d2.db resolve 1 --keep "终端07/1"
expect_eq "$(cat "$T/err")" "gaswalk: visit 终端07/1: more than one device is named '终端07'; give OFFICE/NAME or the device id" "ambiguous name"
expect_rc 1 gw --lang zh --db d2.db void "终端07/1" --reason x
expect_eq "$(cat "$T/err")" "gaswalk: 入户记录 终端07/1：不止一台设备名为“终端07”；请给出 办事处/名称 或设备编号" "zh ambiguous name"
expect_rc 0 gw --db d2.db resolve 1 --keep "Subdistrict B/终端07/1"
expect_eq "$(cat "$T/out")" "conflict 1 resolved: kept visit Subdistrict B/终端07/1 ($TB)" "resolve by OFFICE/NAME"
expect_eq "$(sqlite3 d2.db "SELECT keep_device FROM conflict")" "$TB" "kept the right terminal's visit"
# a terminal may not be named with a look-alike of '/' (fullwidth ／), which would pass
# for OFFICE/NAME on a screen; one named like another office is relayed, but the name is
# then ambiguous at the district: 'revoke NAME' revokes nothing until OFFICE/NAME or the
# id is given (attacker re-trial F6, F7)
make_ledger tx.db device T
expect_rc 1 gw --db sa.db enroll "$(gw --db tx.db key show | head -n 1)" --name "Subdistrict B／终端07"
expect_eq "$(cat "$T/err")" "gaswalk: device name 'Subdistrict B／终端07': a name may not contain '/' (OFFICE/NAME is how another office's device is named)" "look-alike slash refused"
enroll_early sa.db "$(gw --db tx.db key show | head -n 1)" --name "Subdistrict B" >/dev/null
gw --db tx.db trust "$(gw --db sa.db key show | head -n 1)" >/dev/null
gw --db sa.db assign --device "$(id_of tx.db)" --compound C1 -o tx.gwp >/dev/null
gw --db tx.db load tx.gwp >/dev/null
gw --db tx.db record A1 --outcome entered --valve ok --hose metal --at 2023-11-03T09:00 >/dev/null
mkdir bx rx
gw --db tx.db export -o bx >/dev/null && gw --db sa.db merge bx/*.gwb >/dev/null
gw --db sa.db export -o rx >/dev/null && gw --db d2.db merge rx/*.gwb >/dev/null
expect_rc 1 gw --db d2.db revoke "Subdistrict B"
expect_eq "$(cat "$T/err")" "gaswalk: Subdistrict B: 2 devices have that name; give OFFICE/NAME or the device id" "a name an office and a terminal share"
expect_eq "$(sqlite3 d2.db "SELECT count(*) FROM revoked_key")" 0 "nothing revoked"
echo ok
