# gaswalk import: encodings, quoting, every rejection reason with its line,
# all-or-nothing, --skip-invalid, --dry-run, re-import, exit codes.
. "$(dirname "$0")/lib.sh"

gw init --office 测试办事处 >/dev/null
ESC=$(printf '\033')

# --- GB18030 with CRLF, as Excel writes it on a Chinese Windows ---
printf '%s\r\n' \
	'用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号' \
	'0101,居民,管道天然气,否,,张三,13800000001,建设路街道,一社区,幸福小区,1号楼,2单元,3,301' \
	'0102,非居民,瓶装液化石油气,否,餐饮,"老王饭店, 分店",0371-1234,建设路街道,一社区,,,,,' \
	'0103,居民,瓶装液化石油气,是,,李四,,建设路街道,一社区,幸福小区,1号楼,2单元,4,401' |
	iconv -f UTF-8 -t GB18030 >gb.csv
expect_rc 0 gw import gb.csv
expect_eq "$(cat "$T/out")" "gb.csv: 3 rows: 3 added, 0 updated, 0 unchanged, 0 rejected" "GB18030 summary"
expect_eq "$(sql "SELECT name || '|' || sector || '|' || gas FROM household WHERE account = '0102'")" \
	"老王饭店, 分店|catering|lpg" "GB18030 row stored"
expect_eq "$(sql "SELECT room FROM household WHERE account = '0101'")" "301" "CR not kept"
expect_eq "$(sql "SELECT new_build FROM household WHERE account = '0103'")" "1" "new build"

# --- UTF-8 with a BOM, English header in another order, quoted newline, an ESC in a name ---
printf '\357\273\277account,name,category,gas,compound,room,remark\n' >bom.csv
printf '0201,"Zhao\nLiu",residential,pipeline,和平花园,101,some note\n' >>bom.csv
printf '0202,"evil\033[2J\033]0;owned\007name",residential,lpg,和平花园,102,\n' >>bom.csv
expect_rc 0 gw import bom.csv
expect_eq "$(cat "$T/out")" "bom.csv: 2 rows: 2 added, 0 updated, 0 unchanged, 0 rejected" "BOM summary"
expect_eq "$(sql "SELECT hex(name) FROM household WHERE account = '0201'")" \
	"$(printf 'Zhao\nLiu' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" "quoted newline kept"
expect_eq "$(sql "SELECT instr(name, char(27)) > 0 FROM household WHERE account = '0202'")" "1" \
	"name stored as it is"
gw list >list.out
expect_grep "0202" list.out
[ "$(tr -dc '\033\007' <list.out | wc -c)" -eq 0 ] || fail "gaswalk list printed a raw control byte"

# --- every reason, on the line where its record starts; nothing written ---
name201=$(printf '%201s' '' | tr ' ' n)
name5000=$(printf '%5000s' '' | tr ' ' n)
{
	printf 'account,category,gas,new_build,sector,name\n'
	printf '0301,residential,pipeline,no,,fine\n'          # 2
	printf '0302,villa,pipeline,no,,x\n'                   # 3
	printf '0303,residential,coal,no,,x\n'                 # 4
	printf ',residential,pipeline,no,,x\n'                 # 5
	printf '0301,residential,pipeline,no,,again\n'         # 6
	printf '0304,non_residential,pipeline,no,,x\n'         # 7
	printf '0305,non_residential,pipeline,no,bakery,x\n'   # 8
	printf '0306,residential,pipeline,no,,%s\n' "$name201" # 9
	printf '0307,residential,pipeline,maybe,,x\n'          # 10
	printf '0308,residential,pipeline\n'                   # 11
	printf '"03\n09",residential,pipeline,no,,"a\0b"\n'    # 12-13
	printf '0311,residential,pipeline,no,,%s\n' "$name5000" # 14
	printf '0310,residential,pipeline,no,,"open\n'         # 15
} >bad.csv
sqlite3 gaswalk.db .dump >before.sql
expect_rc 1 gw import bad.csv
cat >want.err <<'EOF'
bad.csv:3: unknown category "villa" (expected 居民, 非居民, residential or non_residential)
bad.csv:4: unknown gas type "coal" (expected 管道天然气, 瓶装液化石油气, pipeline or lpg)
bad.csv:5: missing account
bad.csv:6: duplicate account 0301 (first on line 2)
bad.csv:7: non-residential without a sector
bad.csv:8: unknown sector "bakery" (see data/sectors.tsv)
bad.csv:9: field too long: name (201 characters, at most 66)
bad.csv:10: unknown new-build value "maybe" (expected 是 or 否)
bad.csv:11: wrong number of fields: 3 (the header has 6)
bad.csv:12: bad encoding (NUL byte)
bad.csv:14: field too long: name (more than 4096 bytes)
bad.csv:15: unterminated quoted field (the file ends inside quotes)
gaswalk: bad.csv: 12 of 13 rows rejected, so nothing was written; correct them and import again, or add --skip-invalid to import the other rows
EOF
diff want.err "$T/err" || fail "rejection lines differ"
[ ! -s "$T/out" ] || fail "a rejected import printed a summary"
sqlite3 gaswalk.db .dump >after.sql
cmp -s before.sql after.sql || fail "the ledger changed after a rejected import"

# --- bad encoding: a GB18030 file read as UTF-8 names each line ---
printf 'account,category,name\n0401,residential,王五\n0402,residential,Li\n' |
	iconv -f UTF-8 -t GB18030 >gbdata.csv
expect_rc 1 gw import --encoding utf-8 gbdata.csv
expect_eq "$(head -n 1 "$T/err")" "gbdata.csv:2: bad encoding in name (not valid UTF-8)" "forced UTF-8"
expect_rc 0 gw import --encoding gb18030 gbdata.csv
expect_eq "$(sql "SELECT name FROM household WHERE account = '0401'")" "王五" "forced GB18030"

# --- --dry-run writes nothing; --skip-invalid writes the good rows ---
sqlite3 gaswalk.db .dump >before.sql
expect_rc 0 gw import --dry-run --skip-invalid bad.csv
expect_eq "$(cat "$T/out")" \
	"bad.csv: 13 rows checked: 1 would be added, 0 updated, 0 unchanged, 12 rejected; nothing written (dry run)" \
	"dry run summary"
expect_grep "bad.csv:3: unknown category" "$T/err"
sqlite3 gaswalk.db .dump >after.sql
cmp -s before.sql after.sql || fail "the ledger changed after a dry run"
expect_rc 0 gw import --skip-invalid bad.csv
expect_eq "$(cat "$T/out")" "bad.csv: 13 rows: 1 added, 0 updated, 0 unchanged, 12 rejected" \
	"skip-invalid summary"
expect_eq "$(sql "SELECT count(*) FROM household WHERE account LIKE '03%'")" "1" "only the valid row"

# --- re-import: updates by account, adds, never duplicates, leaves visits alone ---
gw record 0101 --outcome not-home --at 2023-05-01T10:00 >/dev/null
printf '%s\r\n' \
	'用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号' \
	'0101,居民,管道天然气,否,,张三丰,13800000001,建设路街道,一社区,幸福小区,1号楼,2单元,3,301' \
	'0102,非居民,瓶装液化石油气,否,餐饮,"老王饭店, 分店",0371-1234,建设路街道,一社区,,,,,' \
	'0104,居民,管道天然气,否,,新户,,建设路街道,一社区,幸福小区,2号楼,1单元,1,101' |
	iconv -f UTF-8 -t GB18030 >gb2.csv
expect_rc 0 gw --lang zh import gb2.csv
expect_eq "$(cat "$T/out")" "gb2.csv：共 3 行：新增 1，更新 1，未变 1，拒绝 0" "re-import summary (zh)"
expect_eq "$(sql "SELECT name FROM household WHERE account = '0101'")" "张三丰" "updated"
expect_eq "$(sql "SELECT count(*) FROM household WHERE account LIKE '010%'")" "4" "no duplicates"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '0101'")" "1" "visit kept"

# --- a progress bar for a big file, only when stderr is a terminal ---
awk 'BEGIN { print "account,category,name"; for (i = 0; i < 40000; i++)
	printf "P%06d,residential,名字名字名字名字名字名字名字\n", i }' >big.csv
expect_rc 0 gw import --dry-run big.csv
[ ! -s "$T/err" ] || fail "progress or errors on a stderr that is not a terminal"
script -qec "$GASWALK import --dry-run big.csv" /dev/null >tty.out
expect_grep "importing \[" tty.out
expect_grep "$(printf '\r\033\\[K')big.csv: 40000 rows checked" tty.out

# --- header problems and usage ---
printf 'name,category\nx,residential\n' >noacc.csv
expect_rc 1 gw import noacc.csv
expect_eq "$(cat "$T/err")" "gaswalk: noacc.csv:1: no 用户编号/account column in the header" "missing column"
expect_rc 1 gw import missing.csv
expect_grep "missing.csv" "$T/err"
expect_rc 2 gw import
expect_rc 2 gw import gb.csv --encoding latin1
expect_rc 2 gw import gb.csv --bogus
expect_rc 2 gw import a.csv b.csv
echo "import: ok"
