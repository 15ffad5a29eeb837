# init, record, status, list: the contract's exit codes, messages and outputs.
. "$(dirname "$0")/lib.sh"

expect_rc 0 gw init --device T1 --no-pin
expect_grep "created terminal ledger" "$T/out"
expect_rc 1 gw init --device T1 --no-pin
expect_grep "already exists" "$T/err"
expect_rc 2 gw init
expect_grep "^usage: gaswalk init" "$T/err"
expect_rc 2 gw frobnicate
expect_rc 2 gw
expect_rc 1 gw --db missing.db list
expect_grep "gaswalk init" "$T/err"

sql "INSERT INTO household(account, category, gas, sector, name, compound, building, unit, floor, room)
     VALUES ('A1', 'residential', 'pipeline', NULL, '张三', '幸福小区', '1', '1', '3', '301'),
            ('A2', 'residential', 'lpg', NULL, 'E$(printf '\033')[2Jvil', '幸福小区', '1', '1', '2', '201'),
            ('B1', 'non_residential', 'pipeline', 'catering', '老王饭店', '幸福小区', '底商', '1', '1', '1');"
sql "INSERT INTO household(account, category, gas, sector, name) VALUES ('B2','non_residential','lpg','catering','x')"

# every outcome
expect_rc 0 gw record A1 --outcome not-home --at 2023-05-01T09:00
expect_rc 0 gw record A1 --outcome entered --hose non-metal --valve absent --hazard H06 --at 2023-05-02T09:00
expect_rc 0 gw record A1 --outcome entered --install hose:H-SS15:SN1:118 --install valve:V-STD:SN2:120.5 --at 2023-05-03T09:00
expect_rc 0 gw record A2 --outcome vacant --at 2023-05-02T10:00
expect_rc 0 gw record B1 --outcome refused --at 2023-05-02T11:00
expect_rc 0 gw record B2 --outcome entered --hose metal --alarm ok --shutoff ok --hazard H03:1 --note "阀门后接口漏气" --at 2023-05-02T12:00

gw status A1 --json > a1.json
python3 - <<'PY'
import json
d = json.load(open("a1.json"))
assert d["status"]["state"] == "compliant", d
assert d["status"]["missing"] == [], d
assert d["status"]["required"] == ["hose", "valve"], d
assert d["status"]["encouraged"] == ["alarm"], d
assert [v["outcome"] for v in d["visits"]] == ["not-home", "entered", "entered"]
assert d["visits"][2]["role"] == "install"
assert d["visits"][2]["installs"][1]["price"] == 120.5
assert d["visits"][1]["hazards"] == [{"code": "H06", "grade": 2}]
assert d["visits"][0]["at"] == "2023-05-01T09:00:00+08:00", d["visits"][0]["at"]
PY
expect_eq "$(gw status B2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["state"])')" hazard_open "B2 state"
expect_eq "$(gw status B1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["state"])')" refused "B1 state"
expect_eq "$(gw status A2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["state"])')" pending "A2 state"
expect_eq "$(sql "SELECT count(*) FROM rectification WHERE account='A1' AND cleared_at IS NOT NULL")" 1 "H06 cleared by the hose install"

# list in walking order, pending filter, compound filter, JSON
expect_eq "$(gw list --json | python3 -c 'import json,sys; print(" ".join(h["account"] for h in json.load(sys.stdin)))')" "B2 A2 A1 B1" "walking order: compound, building, unit, floor, room"
expect_eq "$(gw list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 4 "list count"
expect_eq "$(gw list --pending --json | python3 -c 'import json,sys; print(sorted(h["account"] for h in json.load(sys.stdin)))')" "['A2', 'B1', 'B2']" "pending"
expect_eq "$(gw list --compound 幸福小区 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 3 "compound filter"
# a pending door says why it is not done yet; the JSON names the last outcome
gw list > list.txt
expect_eq "$(grep -c 'pending (last visit: vacant)' list.txt)" 1 "A2 listed as vacant, not bare pending"
expect_eq "$(gw --lang zh list | grep -c '待完成（上次走访：空置）')" 1 "the same in Chinese"
expect_eq "$(gw list --json | python3 -c 'import json,sys; print([h.get("last_outcome") for h in json.load(sys.stdin)])')" "['entered', 'vacant', 'entered', 'refused']" "last outcomes in JSON"
# data never reaches the terminal raw
if gw list | grep -q "$(printf '\033')"; then fail "raw ESC in list output"; fi
if gw status A2 | grep -q "$(printf '\033')"; then fail "raw ESC in status output"; fi
gw status A2 | grep -q 'E^\[\[2Jvil' || fail "escape not shown as ^["

# bad input: one line, exit 1, nothing written
before=$(sql "SELECT count(*) FROM visit")
expect_rc 1 gw record A1 --outcome entered --hazard H99
expect_grep "H99" "$T/err"
expect_eq "$(wc -l < "$T/err")" 1 "one-line error"
expect_rc 1 gw record NOPE --outcome entered
expect_grep "NOPE: no such household" "$T/err"
expect_rc 1 gw record A1 --outcome not-home --hose metal
expect_rc 1 gw record A1 --outcome entered --install valve:NOPE:S:1
expect_rc 1 gw record A1 --outcome entered --at 2023-13-01
expect_rc 1 gw record A1 --outcome entered --photo /nonexistent.jpg
expect_grep "nonexistent.jpg" "$T/err"
expect_rc 2 gw record A1
expect_rc 2 gw record A1 --outcome entered extra
expect_eq "$(sql "SELECT count(*) FROM visit")" "$before" "no visit written by bad input"

# a photo is referenced by name, size and hash
printf 'jpegdata' > IMG_0001.jpg
expect_rc 0 gw record A2 --outcome entered --hose metal --photo IMG_0001.jpg
expect_eq "$(sql "SELECT name || ' ' || size FROM photo")" "IMG_0001.jpg 8" "photo row"
expect_eq "$(sql "SELECT length(hash) FROM photo")" 64 "photo hash"

# Chinese messages
gw --lang zh status A1 | grep -q "已达标" || fail "Chinese status label"
expect_rc 1 gw --lang zh record A1 --outcome bogus
expect_grep "不是可接受的值" "$T/err"

# an office's subdistrict as a clerk types it: code in any case, name, name without 街道,
# pinyin; anything else refused in one line with nothing made
for typed in jsl JSL 建设路 建设路街道 Jianshelu; do
	rm -f sd.db sd.db-wal sd.db-shm sd.db.key
	expect_rc 0 gw --db sd.db init --office 建设路街道办 --subdistrict "$typed"
	expect_eq "$(DB=sd.db sql "SELECT value FROM meta WHERE key = 'subdistrict'")" JSL "--subdistrict $typed"
done
expect_rc 1 gw --db sd2.db --lang zh init --office X --subdistrict 建设
expect_eq "$(cat "$T/err")" "gaswalk: 建设：不是本区的街道（请给出代码，如 JSL，或名称，如 建设路街道 或 建设路；手册页列出全部 14 个）" "unknown subdistrict"
[ ! -e sd2.db ] || fail "a refused init made a ledger"
# a newer ledger is refused and left untouched
sql "PRAGMA user_version = 999"
sum=$(md5sum gaswalk.db)
expect_rc 1 gw list
expect_grep "newer gaswalk" "$T/err"
expect_eq "$(md5sum gaswalk.db)" "$sum" "newer ledger untouched"
echo ok
