#!/bin/sh
# Trust, part 2: attacks 2-4 and 6-8 of the issue, done as the attacker would (editing
# ledgers with sqlite3, files on the stick, gaswalk's own writer). Each checks the exact
# refusal or report line, that a canonical dump is unchanged where nothing should
# change, and the honest path beside it. (Attack 1, the clone: sync_attacks.sh; attack
# 5, memory: sync_memory.sh.)
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
mkdir cam b
ack() { # the office's pack for t1, loaded there; prints what it acknowledges
	gw --db office.db assign --device "$T1_ID" --compound C1 -o "$1" >a.out
	sed -n 's/.*acknowledging its records up to \([0-9]*\)$/\1/p' a.out
	gw --db t1.db load "$1" >/dev/null
}
covered() { sqlite3 office.db "SELECT COALESCE(MAX(covered), 0) FROM feed WHERE device = '$T1_ID'"; }

# ---- attack 2: a photo altered in transit is asked for until it comes, or is waived ----
printf 'genuine photo 1' >cam/P1.jpg
printf 'genuine photo 2' >cam/P2.jpg
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --photo cam/P1.jpg \
	--at 2023-11-14T10:00Z >/dev/null
gw --db t1.db export -o b --photos cam >/dev/null
B1=$(ls b/*-000001.gwb)
cp "${B1%.gwb}.photos/P1.jpg" genuine.jpg
printf 'swapped by the courier' >"${B1%.gwb}.photos/P1.jpg"
expect_rc 1 gw --db office.db merge "$B1"
expect_grep "gaswalk: $B1: 1 photos missing or not matching: P1.jpg (does not match its hash)" "$T/err"
# the merge line counts only the photos stored: the altered one is not
expect_eq "$(cat "$T/out")" "$B1: merged (device Terminal 1 ($T1_ID), bundle 1): 1 new visits, 0 already there, 0 households, 0 photos" "merge line"
expect_eq "$(covered)" 0 "a visit without its photo is not acknowledged"
expect_eq "$(ack p1.gwp)" 0 "the pack acknowledges nothing"
# the genuine photo on the stick again: merging the same bundle again takes it
cp genuine.jpg "${B1%.gwb}.photos/P1.jpg"
expect_rc 0 gw --db office.db merge "$B1"
expect_grep "$B1: 1 photos missing before came with it" "$T/out"
expect_eq "$(covered)" 1 "acknowledged once the photo came"
[ -f "office.db.photos/$(sqlite3 office.db "SELECT hash FROM photo WHERE name = 'P1.jpg'")" ] ||
	fail "the genuine photo is not in the store"
expect_eq "$(ack p2.gwp)" 1 "the pack acknowledges it"
# a photo that never comes: the terminal keeps sending the visit until the clerk waives it
gw --db t1.db record A2 --outcome entered --hose metal --photo cam/P2.jpg --at 2023-11-14T11:00Z >/dev/null
gw --db t1.db export -o b --photos cam >/dev/null
B2=$(ls b/*-000002.gwb)
rm "${B2%.gwb}.photos/P2.jpg"
expect_rc 1 gw --db office.db merge "$B2"
expect_grep "P2.jpg (missing)" "$T/err"
gw --db office.db waive >w.out
expect_grep "^Terminal 1/2 ($T1_ID)  P2.jpg  missing" w.out
expect_eq "$(ack p3.gwp)" 1 "not acknowledged while the photo is missing"
gw --db t1.db export -o b --photos cam >/dev/null
expect_rc 2 gw --db office.db waive "$T1_ID/2" P2.jpg
expect_rc 0 gw --db office.db waive "$T1_ID/2" P2.jpg --reason "camera lost at the door"
expect_grep "photo P2.jpg of visit Terminal 1/2 ($T1_ID) waived" "$T/out"
expect_eq "$(covered)" 2 "acknowledged once waived"
expect_eq "$(sqlite3 office.db "SELECT detail FROM merge_log WHERE result = 'waived'")" \
	"photo P2.jpg of visit $T1_ID/2 waived: camera lost at the door" "waiver logged"
expect_eq "$(ack p4.gwp)" 2 "acknowledged in the pack"

# ---- attack 3: files on the stick that hang or fill the office ----
mkfifo b/stuck.gwb
expect_rc 1 timeout 20 "$GASWALK" --db office.db merge b/stuck.gwb
expect_grep "gaswalk: rejected: b/stuck.gwb: not a regular file" "$T/err"
expect_rc 1 timeout 20 "$GASWALK" --db office.db verify b/stuck.gwb
rm b/stuck.gwb
printf 'genuine photo 3' >cam/P3.jpg
gw --db t1.db record A3 --outcome entered --hose metal --photo cam/P3.jpg --at 2023-11-14T12:00Z >/dev/null
gw --db t1.db export -o b --photos cam >/dev/null
B4=$(ls b/*.gwb | tail -n 1)
P3="${B4%.gwb}.photos/P3.jpg"
rm "$P3" && mkfifo "$P3"
canonical office.db >before.txt
expect_rc 1 timeout 20 "$GASWALK" --db office.db verify "$B4"
expect_grep "P3.jpg (not a regular file)" "$T/err"
rm "$P3" && ln -s /dev/zero "$P3"
expect_rc 1 timeout 20 "$GASWALK" --db office.db merge "$B4"
expect_grep "P3.jpg (not a regular file)" "$T/err"
expect_grep "^$B4: merged (device Terminal 1 ($T1_ID), bundle 4): 1 new visits, 0 already there, 0 households, 0 photos$" "$T/out"
[ "$(du -sk office.db.photos | cut -f1)" -lt 1024 ] || fail "the photo store grew"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM photo_missing WHERE name = 'P3.jpg'")" 1 "P3 asked for"

# ---- attack 4: one small bundle, a big photo referenced many times ----
head -c $((21 * 1024 * 1024)) /dev/zero >cam/big.jpg
for i in 1 2 3 4; do
	gw --db t1.db record A4 --outcome entered --hose metal --photo cam/big.jpg \
		--at "2023-11-14T13:0${i}:00Z" >/dev/null
done
gw --db t1.db export -o b --photos cam >/dev/null
B5=$(ls b/*.gwb | tail -n 1)
expect_rc 1 gw --lang zh --db office.db merge "$B5"
expect_grep "big.jpg (超过照片大小上限)" "$T/err"
# in Chinese too, only the photo stored (P3, genuine this time) is counted, not the four too big
expect_grep "^$B5：已合并（设备 Terminal 1（$T1_ID），数据包 5）：新增 4 次走访，1 次已有，0 户，1 张照片$" "$T/out"
[ -f "office.db.photos/$(sqlite3 office.db "SELECT hash FROM photo WHERE name = 'big.jpg' LIMIT 1")" ] &&
	fail "a photo over the limit was stored"
# the limit is a setting: raised, the same bundle brings the photo, stored once
gw --db office.db settings photo_max_mb 30 >/dev/null
expect_rc 0 gw --db office.db merge "$B5"
expect_grep "photos missing before came with it" "$T/out"
expect_eq "$(ls office.db.photos | wc -l)" 3 "photos in the store (P1, P3 is missing, big once)"

# an install whose product is of another item is flagged at the office, never refused
VALVE=$(sqlite3 t1.db "SELECT code FROM catalog WHERE item = 'valve' LIMIT 1")
gw --db t1.db record A2 --outcome entered --install "valve:$VALVE:SN-9:100" --at 2023-11-14T14:00Z >/dev/null
sqlite3 office.db "UPDATE catalog SET item = 'hose' WHERE code = '$VALVE'" # re-classed at the office
gw --db t1.db export -o b --photos cam >/dev/null
gw --db office.db merge "$(ls b/*.gwb | tail -n 1)" >/dev/null 2>flag.err || true
expect_grep "warning: 1 installs flagged: $T1_ID/.* (product $VALVE is a metal hose, not a self-closing valve)" flag.err
sqlite3 office.db "UPDATE catalog SET item = 'valve' WHERE code = '$VALVE'"

# ---- attack 6: visit times bounded by the bundle and the sender's previous bundle ----
terminal() { # DB NAME: enrolled, trusting the office, loaded with C1
	make_ledger "$1" device "$2"
	gw --db "$1" key show >"$1.id"
	gw --db office.db enroll "$1.id" --name "$2" >/dev/null
	gw --db "$1" trust "$(gw --db office.db key show | head -n 1)" >/dev/null
	gw --db office.db assign --device "$(id_of "$1")" --compound C1 -o "$1.gwp" >/dev/null
	gw --db "$1" load "$1.gwp" >/dev/null
}
terminal t3.db T3
T3=$(id_of t3.db)
canonical office.db >before.txt
# "all ok" dated 2035 in a bundle made in 2023: it would fold after any real visit
gw --db t3.db record A1 --outcome entered --hose metal --valve ok --alarm ok --at 2035-01-01T09:00Z >/dev/null
mkdir b3 && gw --db t3.db export -o b3 >/dev/null
expect_rc 1 gw --db office.db merge b3/*-000001.gwb
expect_grep "gaswalk: held: entry $T3/1 is dated 4065 days 10 h after its bundle was created" "$T/err"
expect_grep "b3/gaswalk-$T3-000001.gwb: held whole as 1 (device T3 ($T3), bundle 1); see 'gaswalk held'" "$T/out"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "a held bundle changed the ledger"
gw --db office.db held >h.out
expect_grep "^1  T3 ($T3), bundle 1  held .*: entry $T3/1 is dated 4065 days 10 h after its bundle was created" h.out
expect_rc 0 gw --db office.db held reject 1 --reason "the terminal's clock was wrong"
expect_grep "held bundle 1 rejected" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT result || ': ' || detail FROM merge_log ORDER BY id DESC LIMIT 1")" \
	"rejected: the terminal's clock was wrong" "decision logged"
expect_eq "$(gw --db office.db held | wc -l)" 0 "nothing held after the decision"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "a rejected bundle changed the ledger"
# backdating: a visit dated before the sender's previous bundle (a past ranking improved)
terminal t4.db T4
T4=$(id_of t4.db)
gw --db t4.db record A2 --outcome refused --at 2023-11-14T09:00Z >/dev/null
mkdir b4 && gw --db t4.db export -o b4 >/dev/null
expect_rc 0 gw --db office.db merge b4/*-000001.gwb
gw --db t4.db record A3 --outcome entered --hose metal --valve ok --at 2023-10-01T09:00Z >/dev/null
gw --db t4.db export -o b4 >/dev/null
canonical office.db >before.txt
expect_rc 1 gw --db office.db merge b4/*-000002.gwb
expect_grep "gaswalk: held: entry $T4/2 is dated 44 days 13 h before the last bundle of $T4 merged here was created" "$T/err"
# a bundle made after this office's clock (plus a day) is held too
GASWALK_NOW=1700200000 gw --db t4.db export -o b4 >/dev/null
expect_rc 1 gw --db office.db merge b4/*-000003.gwb
expect_grep "gaswalk: held: bundle 3 of $T4 was created 2 days 7 h after this office's clock" "$T/err"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "held bundles changed the ledger"
# the honest path: the clerk accepts with a reason, and it merges
expect_rc 0 gw --db office.db held accept 2 --reason "paper form typed in late"
expect_grep "held bundle 2 accepted and merged: 1 new visits" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE result = 'held'")" 3 "holds logged"
expect_eq "$(sqlite3 office.db "SELECT detail FROM merge_log WHERE result = 'accepted'")" "paper form typed in late" "acceptance logged"
# a terminal whose clock reads earlier than its last pack is warned when it records
GASWALK_NOW=1690000000 gw --db t4.db record A1 --outcome not-home >/dev/null 2>clock.err
expect_grep "gaswalk: warning: this terminal's clock reads 2023-07-22T.*, earlier than the office's last pack (2023-11-1" clock.err
expect_rc 1 gw --db office.db held accept 2 --reason again
expect_grep "held bundle 2 was accepted already" "$T/err"
# backdating with the terminal's own claim edited away: the inspector's bundle 1 goes to
# the office; he deletes the file and every trace of that export from his handheld
# (the manifest then claims no earlier bundle), records a visit dated months back and
# exports again. The bound is what the office merged from him, not what he says.
terminal t5.db T5
T5=$(id_of t5.db)
mkdir b5 stick5
gw --db t5.db record A2 --outcome refused --at 2023-11-14T09:00Z >/dev/null
gw --db t5.db export -o b5 >/dev/null
mv b5/*-000001.gwb stick5/
expect_rc 0 gw --db office.db merge stick5/*-000001.gwb
sqlite3 t5.db "DELETE FROM meta WHERE key IN ('export_created', 'export_last'); DELETE FROM bundle_out"
gw --db t5.db record A3 --outcome entered --hose metal --valve ok --at 2023-08-01T09:00Z >/dev/null
gw --db t5.db export -o b5 >/dev/null
canonical office.db >before.txt
expect_rc 1 gw --db office.db merge b5/*-000002.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: entry $T5/2 is dated 105 days 13 h before the last bundle of $T5 merged here was created" "backdated, claim removed"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "a backdated bundle changed the ledger"
# a first bundle carrying a visit dated before its terminal was enrolled here is held too
terminal t6.db T6
T6=$(id_of t6.db)
gw --db t6.db record A4 --outcome entered --hose metal --valve ok --at 2023-10-01T09:00Z >/dev/null
mkdir b6 && gw --db t6.db export -o b6 >/dev/null
expect_rc 1 gw --db office.db merge b6/*-000001.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: entry $T6/1 is dated 44 days 13 h before $T6 was enrolled here" "first bundle backdated"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "a backdated first bundle changed the ledger"
# the honest path beside them: a first bundle dated within a day before the enrolment,
# then a later one whose claim is edited away but whose visit is not backdated
terminal t7.db T7
T7=$(id_of t7.db)
gw --db t7.db record A4 --outcome not-home --at 2023-11-14T01:00Z >/dev/null
mkdir b7 && gw --db t7.db export -o b7 >/dev/null
expect_rc 0 gw --db office.db merge b7/*-000001.gwb
expect_grep "merged (device T7 ($T7), bundle 1): 1 new visits" "$T/out"
sqlite3 t7.db "DELETE FROM meta WHERE key IN ('export_created', 'export_last')"
gw --db t7.db record A4 --outcome entered --hose metal --valve ok --at 2023-11-14T20:00Z >/dev/null
gw --db t7.db export -o b7 >/dev/null
expect_rc 0 gw --db office.db merge b7/*-000002.gwb
expect_grep "merged (device T7 ($T7), bundle 2): 1 new visits, 1 already there" "$T/out"
# a rejection sticks without blocking what comes after: T3's next bundle carries the
# rejected entry again (a terminal re-sends everything not acknowledged) beside an
# honest visit; it is merged, not held: the rejected visit is stored (the feed stays
# whole) and voided under the office's key with the clerk's rejection, kept as evidence
# and never counted; the honest visit counts
A1_BEFORE=$(sqlite3 office.db "SELECT * FROM status WHERE account = 'A1'")
gw --db t3.db record A2 --outcome refused --at 2023-11-14T10:00Z >/dev/null
gw --db t3.db export -o b3 >/dev/null
expect_rc 0 gw --db office.db merge b3/*-000002.gwb
expect_grep "^b3/gaswalk-$T3-000002.gwb: merged (device [^,]*$T3[^,]*, bundle 2): 2 new visits, 0 already there, 0 households, 0 photos$" "$T/out"
expect_grep "^b3/gaswalk-$T3-000002.gwb: 1 visits the clerk rejected before kept as evidence, not counted (voided here)$" "$T/out"
OFFICE_ID=$(id_of office.db)
expect_eq "$(sqlite3 office.db "SELECT device || ' ' || reason FROM visit_void WHERE target_device = '$T3' AND target_seq = 1")" \
	"$OFFICE_ID rejected by the clerk on 2023-11-15T06:13:20+08:00 (held bundle 1): the terminal's clock was wrong" "the rejected visit voided by the office"
expect_eq "$(sqlite3 office.db "SELECT at_epoch FROM visit WHERE device = '$T3' AND seq = 1")" 2051254800 "the rejected visit kept as signed"
expect_eq "$(sqlite3 office.db "SELECT * FROM status WHERE account = 'A1'")" "$A1_BEFORE" "the rejected 2035 visit is out of the fold"
expect_eq "$(sqlite3 office.db "SELECT outcome FROM visit WHERE device = '$T3' AND seq = 2")" refused "the honest visit merged"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM held WHERE device = '$T3'")" 1 "not held again"
expect_eq "$(sqlite3 office.db "SELECT covered FROM feed WHERE device = '$T3'")" 2 "the feed stays whole (acknowledged up to 2)"
# the inspector may still void it on his terminal: the next bundle brings the void and merges
gw --db t3.db void "$T3/1" --reason "the clock read 2035; visit recorded again on paper" >/dev/null
gw --db t3.db export -o b3 >/dev/null
expect_rc 0 gw --db office.db merge b3/*-000003.gwb
expect_grep "merged (device [^,]*$T3[^,]*, bundle 3): 1 new visits, 2 already there" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit_void WHERE target_device = '$T3' AND target_seq = 1")" 2 "the terminal's void merged beside the office's"
expect_eq "$(sqlite3 office.db "SELECT * FROM status WHERE account = 'A1'")" "$A1_BEFORE" "A1 still unchanged"

# a terminal whose clock ran ten days fast: its bundle is held, the clerk accepts it (the
# visit keeps the date the terminal signed: it cannot be re-dated), and the terminal's
# next, correctly dated bundle merges: the floor an accepted bundle leaves is never
# later than this office's clock when it merged it (FORMAT.md "Time")
terminal t8.db T8
T8=$(id_of t8.db)
FAST=$((GASWALK_NOW + 864000))
GASWALK_NOW=$FAST gw --db t8.db record A4 --outcome not-home >/dev/null 2>&1
mkdir b8 && GASWALK_NOW=$FAST gw --db t8.db export -o b8 >/dev/null
expect_rc 1 gw --db office.db merge b8/*-000001.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: bundle 1 of $T8 was created 10 days 0 h after this office's clock" "fast clock held"
H8=$(sqlite3 office.db "SELECT id FROM held WHERE device = '$T8'")
expect_rc 0 gw --db office.db held accept "$H8" --reason "clock ten days fast; visit checked"
expect_grep "held bundle $H8 accepted and merged: 1 new visits" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT at_epoch FROM visit WHERE device = '$T8' AND seq = 1")" "$FAST" "the accepted visit keeps its signed date"
expect_eq "$(sqlite3 office.db "SELECT last_created FROM feed WHERE device = '$T8'")" "$GASWALK_NOW" "the floor: this office's clock, not the fast creation"
gw --db t8.db record A4 --outcome refused >/dev/null 2>&1
gw --db t8.db export -o b8 >/dev/null
expect_rc 0 gw --db office.db merge b8/*-000002.gwb
expect_grep "merged (device [^,]*$T8[^,]*, bundle 2): 1 new visits, 1 already there, 0 households, 0 photos$" "$T/out"
# in Chinese, the hold reason too, its span in days and hours
GASWALK_NOW=$((FAST + 3600)) gw --db t8.db export -o b8 >/dev/null
expect_rc 1 gw --lang zh --db office.db merge b8/*-000003.gwb
expect_eq "$(cat "$T/err")" "gaswalk：暂扣：设备 $T8 的数据包 3 的创建时间晚于本办公室时钟 10 天 1 小时" "zh hold reason"
# shorter spans in hours and minutes (a skew of one hour)
gw --db office.db settings clock_skew_hours 1 >/dev/null
GASWALK_NOW=$((GASWALK_NOW + 3 * 3600 + 120)) gw --db t8.db export -o b8 >/dev/null
expect_rc 1 gw --db office.db merge b8/*-000004.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: bundle 4 of $T8 was created 3 h 2 min after this office's clock" "span in hours and minutes"
expect_rc 1 gw --lang zh --db office.db merge b8/*-000004.gwb
expect_eq "$(cat "$T/err")" "gaswalk：暂扣：设备 $T8 的数据包 4 的创建时间晚于本办公室时钟 3 小时 2 分钟" "zh span in hours and minutes"
gw --db office.db settings clock_skew_hours 24 >/dev/null
# the merge log in Chinese: what each entry records, and the hold's reason as the clerk read it
gw --lang zh --db office.db log >logzh.out
expect_grep "^[0-9]* [^ ]* 暂扣     $T8 3 [0-9a-f]* 设备 $T8 的数据包 3 的创建时间晚于本办公室时钟 10 天 1 小时$" logzh.out
expect_grep "^[0-9]* [^ ]* 已接受   $T8 1 [0-9a-f]* clock ten days fast; visit checked$" logzh.out
expect_rc 1 gw --lang zh --db office.db held accept 999 --reason x
expect_eq "$(cat "$T/err")" "gaswalk: 暂扣的数据包 999：没有这个暂扣的数据包" "zh: no such held bundle"
printf 'garbage' >junk.gwb
expect_rc 1 gw --lang zh --db office.db merge junk.gwb
expect_eq "$(cat "$T/err")" "gaswalk：已拒收：junk.gwb：不完整（比数据包文件头还短）" "zh: a bundle refused"
expect_rc 1 gw --lang zh --db nowhere.db list
expect_eq "$(cat "$T/err")" "gaswalk: nowhere.db：这里没有台账；请用 'gaswalk init' 创建" "zh: no ledger"
expect_rc 2 gw --lang zh
expect_eq "$(cat "$T/err")" "用法： gaswalk [--db FILE] [--lang zh|en] [--pin-fd N] COMMAND [ARGS]  （gaswalk --help 列出全部命令）" "zh usage line"

# ---- attack 8: a terminal restored from an old backup keeps working ----
setup8() {
	rm -rf r8 && mkdir r8 && cd r8
	make_ledger office.db office "Office A"; add_households office.db
	make_ledger t1.db device "T1"; gw --db t1.db key show >t1.id
	gw --db office.db enroll t1.id --name "Terminal 1" >/dev/null
	gw --db t1.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
	gw --db office.db assign --device "$(id_of t1.db)" --compound C1 -o p.gwp >/dev/null
	gw --db t1.db load p.gwp >/dev/null
}
setup8
gw --db t1.db record A1 --outcome not-home --at 2023-11-14T09:00Z >/dev/null
cp t1.db backup.db; cp t1.db.key backup.db.key
gw --db t1.db record A1 --outcome entered --hose non-metal --valve faulty --hazard H01:1 --at 2023-11-14T10:00Z >/dev/null
gw --db t1.db record A2 --outcome refused --at 2023-11-14T11:00Z >/dev/null
mkdir b && gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*.gwb >/dev/null
gw --db office.db assign --device "$(id_of t1.db)" --compound C1 -o p2.gwp >/dev/null
cp backup.db t1.db # the handheld is restored from last week's backup
expect_rc 0 gw --db t1.db load p2.gwp
expect_grep "records up to 3 acknowledged" "$T/out"
expect_rc 0 gw --db t1.db record A3 --outcome entered --hose metal --at 2023-11-14T12:00Z
expect_grep "saved visit $(id_of t1.db)/4 for A3" "$T/out"
gw --db t1.db export -o b >/dev/null
expect_rc 0 gw --db office.db merge "$(ls b/*.gwb | tail -n 1)"
expect_grep "1 new visits" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT state FROM status WHERE account = 'A1'")" hazard_open "the later visits kept"
cd ..

# ---- attack 7: a resolution naming another household's account ----
mkdir r7 && cd r7
setup_office_terminal
gw --db district.db init --office "District" --district >/dev/null
gw --db district.db enroll "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null
make_ledger t2.db device "T2"
gw --db office.db enroll "$(gw --db t2.db key show | head -n 1)" --name T2 >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$(id_of t2.db)" --compound C1 -o t2.gwp >/dev/null
gw --db t2.db load t2.gwp >/dev/null
gw --db t1.db record A4 --outcome entered --hose metal --valve ok --at 2023-11-14T14:00Z >/dev/null
gw --db t2.db record A4 --outcome entered --hose metal --valve absent --at 2023-11-14T14:30Z >/dev/null
mkdir c && gw --db t1.db export -o c >/dev/null && gw --db t2.db export -o c >/dev/null
gw --db office.db merge c/*.gwb >/dev/null 2>&1 || true
CID=$(sqlite3 office.db "SELECT id FROM conflict WHERE account = 'A4'")
[ -n "$CID" ] || fail "no conflict to resolve"
gw --db office.db resolve "$CID" --keep "$(id_of t2.db)/1" >/dev/null
cp office.db honest.db; cp office.db.key honest.db.key
# the sub-office clerk edits the resolution's account to another household's
sqlite3 office.db "UPDATE conflict SET account = 'B1' WHERE id = $CID"
mkdir r && gw --db office.db export -o r >/dev/null
canonical district.db >before.txt
expect_rc 1 gw --db district.db merge r/*.gwb
expect_grep "gaswalk: rejected: resolution of .* names household B1, but the visits belong to A4" "$T/err"
canonical district.db >after.txt
cmp -s before.txt after.txt || fail "a misnamed resolution changed the district"
# the honest roll-up beside it merges, and its resolution settles A4's conflict
mkdir rh && gw --db honest.db export -o rh >/dev/null
expect_rc 0 gw --db district.db merge rh/*.gwb
expect_eq "$(sqlite3 district.db "SELECT account || ':' || keep_seq FROM conflict")" "A4:1" "resolution at the district"
echo ok
