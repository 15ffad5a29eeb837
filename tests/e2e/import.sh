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

# === The list as a gas company really hands it over (issue 14), in a ledger of its own ===
# GB18030, CRLF, extra columns, full-width digits in phones, rooms and an account, a
# full-width space in a name, Excel's damage (7.00003E+08), a short subdistrict name, unknown
# ones, an empty category, a duplicate, a name too long in characters, a malformed phone.
# The truth (what is rejected, warned, stored, and the file of rejects) comes from
# import_expect.py, reading the same file by import/FORMAT.md.
X="python3 $GASWALK_ROOT/tests/e2e/import_expect.py"
gwd() { gw --db dirty.db "$@"; }
gwd init --office 林山寨街道办 >/dev/null
long70=$(printf '%70s' '' | sed 's/ /名/g')
printf '%s\r\n' \
	'用户编号,用户类型,气源,新建,行业,用户名称,联系电话,备注,街道,社区,小区,楼栋,单元,楼层,房号,抄表区' \
	'0300000001,居民,管道天然气,否,,张一,１３８０００００００１,,林山寨街道,一社区,幸福小区2期,1号楼,1单元,4,４０２,A1' \
	'0300000002,居民,管道天然气,否,,张二,13800000002,,林山寨,一社区,幸福小区2期,1号楼,1单元,4,403,A1' \
	'7.00003E+08,居民,管道天然气,否,,张三,13800000003,,林山寨街道,一社区,幸福小区2期,1号楼,1单元,4,404,A1' \
	'0300000004,,管道天然气,否,,张四,13800000004,,林山寨街道,一社区,幸福小区2期,1号楼,1单元,4,405,A1' \
	'0300000005,居民,管道天然气,否,,张五,13800000005,,棉纺街道,二社区,幸福小区2期,1号楼,1单元,4,406,B2' \
	'0300000006,居民,管道天然气,否,,张六,13800000006,,石佛,三社区,金水花园,1号楼,1单元,4,407,C3' \
	'0300000007,非居民,管道天然气,否,餐饮,ＡＢＣ饭店,0371-6512345,,棉纺路街道,二社区,幸福小区2期,2号楼,1单元,1,101,B2' \
	'０３０００００００８,居民,管道天然气,否,,张八,0371-65123456,,棉纺路街道,二社区,幸福小区2期,1号楼,1单元,4,402,B2' \
	'0300000001,居民,管道天然气,否,,重复,13800000009,,林山寨街道,一社区,幸福小区2期,1号楼,1单元,5,502,A1' \
	'0300000010,居民,管道天然气,否,,张十,1234,,须水街道,四社区,锦绣苑,3号楼,2单元,6,601,D4' \
	"0300000011,居民,管道天然气,否,,$long70,13800000011,,须水街道,四社区,锦绣苑,3号楼,2单元,6,602,D4" \
	'0300000012,居民,瓶装液化石油气,是,,王　五,13800000012,,中原西路街道,五社区,锦绣花园,1,1,1,101,E5' |
	iconv -f UTF-8 -t GB18030 >dirty.csv
$X stderr dirty.csv "$GASWALK_ROOT" >want.err
cp want.err "${KEEP:-/dev/null}" 2>/dev/null || true
echo "gaswalk: dirty.csv: 6 of 12 rows rejected, so nothing was written; correct them and import again, or add --skip-invalid to import the other rows" >>want.err
expect_rc 1 gwd import dirty.csv
diff want.err "$T/err" || fail "dirty list: rejections and warnings differ from import_expect.py"
expect_eq "$(sqlite3 dirty.db 'SELECT count(*) FROM household')" 0 "all or nothing"
grep -q 'warning: subdistrict "林山寨" taken as 林山寨街道' want.err || fail "the truth lacks the alias"
grep -q 'nearest: 棉纺路街道' want.err || fail "the truth lacks the nearest subdistrict"

# --- with --skip-invalid and --rejects: the good rows go in, the others come back to fix ---
expect_rc 0 gwd import --skip-invalid --rejects rej.csv dirty.csv
expect_eq "$(cat "$T/out")" "6 rejected rows written to rej.csv, each reason in the last column: correct them there and import that file
dirty.csv: 12 rows: 6 added, 0 updated, 0 unchanged, 6 rejected" "skip-invalid summary"
expect_eq "$(sqlite3 dirty.db "SELECT account, category, phone, subdistrict, compound, room, name FROM household ORDER BY account")" \
	"$($X rows dirty.csv "$GASWALK_ROOT")" "stored rows (folded digits, the alias's full name)"
expect_eq "$(od -An -tx1 rej.csv | tr -d ' \n')" "$($X rejects dirty.csv "$GASWALK_ROOT")" "the rejects file"
# corrected in the file itself (the reason column stays: the import ignores it)
$X fix rej.csv '{"7.00003E+08": {"用户编号": "0300000003"}, "0300000004": {"用户类型": "居民"},
	"0300000005": {"街道": "棉纺路街道"}, "0300000006": {"街道": "须水街道"},
	"0300000001": {"用户编号": "0300000009"}, "0300000011": {"用户名称": "张十一"}}' fixed.csv
expect_rc 0 gwd import fixed.csv
expect_eq "$(cat "$T/out")" "fixed.csv: 6 rows: 6 added, 0 updated, 0 unchanged, 0 rejected" "corrected rejects import"
expect_eq "$(sqlite3 dirty.db "SELECT count(*), count(DISTINCT subdistrict) FROM household")" "12|4" "all twelve in the district's subdistricts"

# --- a list re-saved by Excel: leading zeros stripped; an XLSX; an XLS ---
sed 's/^0300/300/' fixed.csv >stripped.csv
expect_rc 1 gwd import --dry-run stripped.csv
expect_grep "stripped.csv:2: account 300000003 has 9 digits, the ledger's accounts have 10: leading zeros lost?" "$T/err"
# the first import into an empty ledger: the file's own accounts give the length
gw --db first.db init --office 测试办事处 >/dev/null
{
	printf 'account,category\n'
	for i in 1 2 3 5 6 7 8 9 10 11 12; do printf '01000000%02d,residential\n' "$i"; done
	printf '100000004,residential\n'
} >first.csv
expect_rc 1 gw --db first.db import first.csv
expect_grep "first.csv:13: account 100000004 has 9 digits, most of the file's accounts have 10: leading zeros lost?" "$T/err"
expect_eq "$(sqlite3 first.db "SELECT count(*) FROM household")" "0" "first import refused whole"
expect_rc 1 gw --db first.db --lang zh import first.csv
expect_grep "用户编号 100000004 只有 9 位，文件中多数用户编号为 10 位" "$T/err"
gwd settings account_length 10 >/dev/null
printf 'account,category\n12345,residential\n' >short.csv
expect_rc 1 gwd import short.csv
expect_grep "short.csv:2: account 12345 has 5 digits, account_length is 10" "$T/err"
python3 -c "import zipfile; z = zipfile.ZipFile('list.xlsx', 'w'); z.writestr('[Content_Types].xml', '<Types/>'); z.close()"
expect_rc 1 gwd import list.xlsx
expect_eq "$(cat "$T/err")" "gaswalk: list.xlsx: this is an Excel workbook (XLSX), not a CSV file: open it in Excel or WPS, save it as CSV (UTF-8 or GBK) and import that" "xlsx"
printf '\320\317\021\340\241\261\032\341rest' >list.xls
expect_rc 1 gwd --lang zh import list.xls
expect_grep "这是 Excel 工作簿（XLS）" "$T/err"

# --- the template: UTF-8 with a BOM, the Chinese header, CRLF; it imports as an empty list ---
expect_rc 0 gw import --template 模板.csv
expect_grep "街道/subdistrict: one of the district's subdistricts, listed in man gaswalk (import)" "$T/out"
expect_rc 0 gw --lang zh import --template 模板zh.csv
expect_grep "街道：须为本区的街道之一，见 man gaswalk" "$T/out"
grep -q "^LSZ 林山寨街道, .*, LIH 柳湖街道\.$" "$GASWALK_ROOT/doc/gaswalk.1" || fail "man page lists the subdistricts"
expect_eq "$(od -An -tx1 模板.csv | tr -d ' \n')" \
	"$(printf '\357\273\277用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号\r\n' | od -An -tx1 | tr -d ' \n')" "template bytes"
expect_rc 0 gwd import 模板.csv
expect_eq "$(cat "$T/out")" "模板.csv: 0 rows: 0 added, 0 updated, 0 unchanged, 0 rejected" "template imports"
expect_rc 2 gw import --template t.csv dirty.csv

# --- a compound is (subdistrict, compound): 幸福小区2期 is in two subdistricts ---
expect_rc 1 gwd list --compound 幸福小区2期
expect_eq "$(cat "$T/err")" "gaswalk: compound 幸福小区2期 is in 2 subdistricts; name one as 街道/小区: 林山寨街道/幸福小区2期, 棉纺路街道/幸福小区2期" "ambiguous list"
expect_rc 0 gwd list --compound 林山寨街道/幸福小区2期 --json
expect_eq "$(python3 -c 'import json,sys; print(" ".join(sorted(h["account"] for h in json.load(open(sys.argv[1])))))' "$T/out")" \
	"$(sqlite3 dirty.db "SELECT group_concat(account, ' ') FROM (SELECT account FROM household WHERE subdistrict = '林山寨街道' AND compound = '幸福小区2期' ORDER BY account)")" "qualified list"
expect_rc 0 gwd list --compound 棉纺路/幸福小区2期
expect_eq "$(grep -c . "$T/out")" "$(sqlite3 dirty.db "SELECT count(*) FROM household WHERE subdistrict = '棉纺路街道' AND compound = '幸福小区2期'")" "short subdistrict name"
expect_rc 0 gwd list --compound 锦绣苑
expect_rc 1 gwd list --compound 没有小区
gw --db term.db init --device 终端09 --no-pin >/dev/null
gw --db term.db key show >t9.id
gwd enroll t9.id --name 终端09 >/dev/null
expect_rc 1 gwd assign --device 终端09 --compound 幸福小区2期 -o p.gwp
expect_grep "name one as 街道/小区: 林山寨街道/幸福小区2期, 棉纺路街道/幸福小区2期" "$T/err"
[ ! -e p.gwp ] || fail "an ambiguous assign wrote a pack"
expect_rc 0 gwd assign --device 终端09 --compound 林山寨街道/幸福小区2期 -o p.gwp
expect_grep ", $(sqlite3 dirty.db "SELECT count(*) FROM household WHERE subdistrict = '林山寨街道' AND compound = '幸福小区2期'") households," "$T/out"

# --- an install's product must be of its item; dates in both forms ---
expect_rc 1 gwd record 0300000001 --outcome entered --role install --install hose:V-STD:S1:120
expect_eq "$(cat "$T/err")" "gaswalk: --install hose:V-STD:S1:120: product V-STD is a self-closing valve, not a metal hose" "hose:V-STD"
expect_eq "$(sqlite3 dirty.db 'SELECT count(*) FROM visit')" 0 "nothing recorded"
expect_rc 0 gwd record 0300000001 --outcome entered --role install --install valve:V-STD:S1:120 --at 2023/11/05T10:00
expect_eq "$(sqlite3 dirty.db 'SELECT at FROM visit')" "2023-11-05T10:00:00+08:00" "--at with slashes"
expect_rc 0 gwd report ranking --as-of 2023-11-30
cp "$T/out" dashes.out
expect_rc 0 gwd report ranking --as-of 2023/11/30
cmp -s dashes.out "$T/out" || fail "--as-of 2023/11/30 and 2023-11-30 differ"
expect_rc 2 gwd report ranking --as-of 2023/02/30
echo "import: ok"
