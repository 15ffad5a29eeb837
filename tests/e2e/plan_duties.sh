# The plan's duties (issue 16): settings and catalog commands, compound plans, the
# rectification orders, the supply-restore rule on events, recalls and revisits. The
# expected tables are computed by plan_duties.py from this script's own inputs (the
# households below and every visit recorded, logged to visits.log) and compared with the
# CSV, XLSX, HTML and text outputs of each report.
. "$(dirname "$0")/lib.sh"
HERE="$GASWALK_ROOT/tests/e2e"

expect_rc 0 gw init --office 中原区
sql "INSERT INTO household(account, category, gas, new_build, sector, name, phone, subdistrict, community, compound, building, unit, floor, room) VALUES
 ('A1','residential','pipeline',0,NULL,'张一','13800000001','林山寨街道','一社区','幸福小区','1','1','1','101'),
 ('A2','residential','pipeline',0,NULL,'张二','13800000002','LSZ','一社区','幸福小区','1','1','1','102'),
 ('A3','residential','pipeline',0,NULL,'张三','0371-6000003','林山寨街道','一社区','幸福小区','1','2','1','101'),
 ('A4','residential','pipeline',0,NULL,'张四','','LSZ','一社区','幸福小区','2','1','1','101'),
 ('B1','residential','pipeline',0,NULL,'李一','','林山寨街道','二社区','和平小区','1','1','1','101'),
 ('B2','residential','pipeline',0,NULL,'李二','','LSZ','二社区','和平小区','1','1','2','201'),
 ('B3','residential','pipeline',0,NULL,'李三','','LSZ','二社区','和平小区','1','1','2','202'),
 ('C1','residential','pipeline',0,NULL,'王一','','JSL','三社区','建设小区','1','1','1','101'),
 ('C2','residential','pipeline',0,NULL,'王二','','建设路街道','三社区','建设小区','1','1','1','102'),
 ('C3','residential','lpg',0,NULL,'王三','13900000003','JSL','三社区','建设小区','2','1','1','101'),
 ('N1','non_residential','pipeline',0,'catering','面馆','','JSL','三社区','商业街','1','1','1','1'),
 ('N2','non_residential','pipeline',0,'medical','诊所','','JSL','三社区','商业街','1','1','1','2'),
 ('N3','non_residential','pipeline',0,'elder_care','养老院','','JSL','三社区','商业街','1','1','1','3'),
 ('N4','non_residential','pipeline',0,'catering','饭店','','JSL','三社区','商业街','1','1','1','4');"

# ---- settings: list, show, set (validated, logged); scope ----
gw settings > settings.txt
expect_grep '^rectify_days_grade1 *1 *district-wide' settings.txt
expect_grep '^idle_lock_minutes *5 *terminal-local' settings.txt
expect_grep '^plan_behind_percent *0 *office' settings.txt
expect_rc 0 gw settings rectify_days_grade2 20
expect_eq "$(cat "$T/out")" "rectify_days_grade2 = 20" "settings set"
expect_rc 1 gw settings rectify_days_grade2 0
expect_grep "from 1 to 365" "$T/err"
expect_eq "$(wc -l < "$T/err")" 1 "one line on error"
expect_rc 1 gw settings rectify_days_grade2 12x
expect_rc 1 gw settings share_city 3/2
expect_rc 1 gw settings residential_deadline 2023-02-30
expect_rc 1 gw settings no_such_key 1
expect_rc 2 gw settings a b c
expect_rc 0 gw settings share_city 0.25
expect_rc 0 gw settings share_city 1/3
expect_eq "$(sql "SELECT value FROM setting WHERE key = 'rectify_days_grade2'")" 20 "stored"
expect_eq "$(sql "SELECT count(*) FROM setting_log WHERE key = 'share_city'")" 2 "each change logged"
expect_eq "$(sql "SELECT old || '>' || new FROM setting_log WHERE key = 'rectify_days_grade2'")" "30>20" "old and new logged"
gw settings --log > log.txt
expect_grep 'rectify_days_grade2  30 -> 20  .*@中原区 (local)' log.txt
gw settings rectify_days_grade2 > show.txt
expect_grep 'scope: district-wide' show.txt
gw --lang zh settings rectify_days_grade2 > show-zh.txt
expect_grep '全区' show-zh.txt
gw --lang zh settings share_city > share-zh.txt
expect_grep '类型: 比例' share-zh.txt
expect_grep '（本机）' share-zh.txt
gw --lang zh settings --log > log-zh.txt
expect_grep 'rectify_days_grade2  30 -> 20  .*@中原区 (本机)' log-zh.txt
# a terminal may set only its terminal-local settings; the rest reach it in a pack
gw --db term.db init --device 终端07 --no-pin >/dev/null 2>&1 || gw --db term.db init --device 终端07 >/dev/null
expect_rc 1 gw --db term.db settings rectify_days_grade2 10
expect_grep "reaches this terminal in a pack" "$T/err"
expect_rc 0 gw --db term.db settings idle_lock_minutes 3

# ---- catalog: import as a gas company hands it over (GBK, CRLF, Chinese headers) ----
printf '产品编码,类别,产品名称,品牌,型号,执行标准,单价\r\nA-X1,报警器,家用燃气报警器,安泰,AT-9,GB 15322.2,158.5\r\nA-HOME,alarm,家用可燃气体探测器（通用）,,,GB 15322.2,160\r\n' |
	iconv -f utf-8 -t gb18030 > catalog.csv
expect_rc 0 gw catalog import catalog.csv
expect_grep "1 added, 1 updated" "$T/out"
expect_eq "$(sql "SELECT c.price_fen || ' ' || e.brand || ' ' || e.model FROM catalog c JOIN catalog_extra e USING (code) WHERE code = 'A-X1'")" "15850 安泰 AT-9" "catalog row"
gw catalog list > catalog.txt
expect_grep '^A-X1 ' catalog.txt
gw --lang zh catalog list > catalog-zh.txt
expect_grep '^A-X1  *泄漏报警器  *家用燃气报警器' catalog-zh.txt
grep -q ' alarm \| hose ' catalog-zh.txt && fail "catalog list under --lang zh shows English items"
printf 'code,item,name,standard,price\nV-2,valve,阀,CJ/T 447,12.345\n' > bad-catalog.csv
expect_rc 1 gw catalog import bad-catalog.csv
expect_grep "bad-catalog.csv:2: .*12.345" "$T/err"
printf 'code,item,name,price\nV-2,valve,阀,12\n' > nostd.csv
expect_rc 1 gw catalog import nostd.csv
expect_grep "nostd.csv:1: no 执行标准 (standard) column" "$T/err"
printf 'code,item,name,standard,price\nV-3,pipe,管,X,1\n' > item.csv
expect_rc 1 gw catalog import item.csv
printf 'code,item,name,standard,price\nV-4,valve,\377\376,CJ,1\n' > enc.csv
expect_rc 1 gw catalog import enc.csv
expect_grep "enc.csv:2: bad encoding" "$T/err"
printf 'code,item,name,standard,price\nV-5,valve,"abc,CJ,1\n' > quote.csv
expect_rc 1 gw catalog import quote.csv
expect_grep "quote.csv:2: unterminated quoted field" "$T/err"
printf 'code,item,name,standard,price\nV-6,valve,abc,CJ\n' > short.csv
expect_rc 1 gw catalog import short.csv
expect_grep "short.csv:2: wrong number of fields" "$T/err"
expect_eq "$(sql "SELECT count(*) FROM catalog WHERE code IN ('V-2','V-3','V-4','V-5','V-6')")" 0 "nothing stored from a bad file"
expect_rc 2 gw catalog
expect_rc 2 gw catalog import

# ---- plans ----
printf '街道,小区,月份,计划户数\r\n林山寨,幸福小区,2023-08,1\r\n林山寨街道,幸福小区,2023-09,2\r\nLSZ,和平小区,2023-09,2\r\nJianshelu,建设小区,2023-09,1\r\nJSL,建设小区,2023-10,2\r\n' |
	iconv -f utf-8 -t gb18030 > plan.csv
expect_rc 0 gw plan import plan.csv
expect_grep "5 plan rows" "$T/out"
gw plan > plan.txt
expect_grep '^LSZ  *幸福小区  *2023-09  *2$' plan.txt
gw --lang zh plan > plan-zh.txt
expect_grep '^林山寨街道  *幸福小区  *2023-09  *2$' plan-zh.txt
for bad in 'XX,幸福小区,2023-09,1:unknown subdistrict' 'LSZ,幸福小区,2023-13,1:YYYY-MM' \
	'LSZ,幸福小区,2023-09,-1:whole number' 'LSZ,无此小区,2023-09,1:no households'; do
	printf 'subdistrict,compound,month,households\n%s\n' "${bad%%:*}" > badplan.csv
	expect_rc 1 gw plan import badplan.csv
	expect_grep "badplan.csv:2: .*${bad##*:}" "$T/err"
done
printf 'subdistrict,compound,month,households\nLSZ,幸福小区,2023-11,1\nLSZ,幸福小区,2023-11,2\n' > dup.csv
expect_rc 1 gw plan import dup.csv
expect_grep "dup.csv:3: .*line 2" "$T/err"
expect_eq "$(sql "SELECT count(*) FROM plan")" 5 "nothing stored from a bad plan file"

# ---- visits (each logged for plan_duties.py) ----
: > visits.log
r() { printf '%s\n' "$*" >> visits.log; expect_rc 0 gw record "$@"; }
ok="--outcome entered --hose metal --valve ok"
non="--outcome entered --alarm ok --shutoff ok"
r A1 $ok --notice --actor 李工 --at 2023-08-20T10:00
r A2 --outcome entered --hose non-metal --valve absent --hazard H06 --actor 李工 --at 2023-09-01T09:00
r A2 --outcome entered --role install --install hose:H-SS15:HS2023B0099:120 --install valve:V-STD:V10:130 --actor 王师傅 --at 2023-09-05T09:00
r A3 --outcome not-home --actor 李工 --at 2023-09-02T10:00
r A3 --outcome not-home --actor 李工 --at 2023-09-09T10:00
r A4 $ok --hazard H03 --actor 李工 --at 2023-09-03T10:00
r B1 --outcome entered --role install --install valve:V-STD:V9:120 --install hose:H-SS15:HS2023B0100:118 --actor 王师傅 --at 2023-09-10T10:00
r B1 --outcome entered --role install --install hose:H-SS15:HS2023C0001:125 --actor 张师傅 --at 2023-09-20T10:00
r B2 --outcome not-home --actor 李工 --at 2023-09-04T10:00
r B2 $ok --notice --actor 李工 --at 2023-09-12T10:00
r B3 --outcome refused --actor 李工 --at 2023-09-05T10:00
r C1 --outcome entered --hose non-metal --valve ok --hazard H11 --role self-check --actor 赵工 --at 2023-09-06T10:00
r C2 $ok --hazard H01:3 --role self-check --actor 赵工 --at 2023-09-07T10:00
r C3 --outcome vacant --notice --actor 李工 --at 2023-09-26T10:00
r N4 $non --hose metal --notice --actor 燃气公司 --at 2023-09-28T10:00
r C3 --outcome not-home --actor 李工 --at 2023-09-08T10:00
r N1 $non --hose non-metal --hazard H06 --supply stopped --actor 燃气公司 --at 2023-09-01T10:00
r N1 --outcome entered --role install --install hose:H-SS15:HS2023B0200:150 --actor 王师傅 --at 2023-09-01T12:00
r N1 $non --hose metal --supply restored --actor 燃气公司 --at 2023-09-03T12:00
r N2 $non --hose metal --hazard H03 --supply stopped --supply-hazard H03 --actor 燃气公司 --at 2023-09-01T10:00
r N2 --outcome entered --role install --install hose:H-SS15:HS2023B0050:150 --actor 王师傅 --at 2023-09-02T10:00
r N3 $non --hose metal --hazard H03 --supply stopped --actor 燃气公司 --at 2023-09-01T10:00
r N3 $non --hose metal --actor 燃气公司 --at 2023-09-02T10:00
r N4 $non --hose non-metal --hazard H06 --supply stopped --actor 燃气公司 --at 2023-09-01T10:00
r N4 $non --hose metal --supply restored --actor 燃气公司 --at 2023-09-04T10:00

# the stored orders carry the deadline their grade's setting gives (the terminal's card shows it)
expect_eq "$(sql "SELECT deadline - opened_at FROM rectification WHERE account = 'A4'")" 86400 "grade 1: a day"
expect_eq "$(sql "SELECT deadline - opened_at FROM rectification WHERE account = 'C1'")" $((20 * 86400)) "grade 2: the setting"
expect_eq "$(sql "SELECT COALESCE(deadline, 'none') FROM rectification WHERE account = 'C2'")" none "grade 3: advice"

AS_OF=2023-09-30
snapshot() { # DIR
	mkdir -p "$1"
	for k in rectifications plan products revisits recall plan10 weekly; do
		opt=""
		kind=$k
		case $k in
		recall) kind=products opt="--product H-SS15 --serial-from HS2023B0010 --serial-to hs2023b150" ;;
		plan10) kind=plan opt="--month 2023-10" ;;
		esac
		gw --lang en report $kind --as-of $AS_OF $opt --format csv -o "$1/$k.csv"
		gw --lang en report $kind --as-of $AS_OF $opt --format text > "$1/$k.txt"
		gw --lang en report $kind --as-of $AS_OF $opt --format html -o "$1/$k.html"
		gw --lang en report $kind --as-of $AS_OF $opt --format xlsx -o "$1/$k.xlsx"
	done
}
snapshot before
python3 "$HERE/plan_duties.py" visits.log before $AS_OF

# the supply-restore rule, on the derived table (plan_duties.py prints the expected rows)
python3 "$HERE/plan_duties.py" --suspensions visits.log > susp.want
sql "SELECT account, COALESCE(cleared_at, ''), COALESCE(restored_at, '') FROM suspension ORDER BY account" | tr '|' ' ' > susp.got
cmp susp.want susp.got || { diff susp.want susp.got >&2; fail "suspensions"; }
gw --lang en report suspensions --as-of $AS_OF --format csv > susp.csv
expect_grep 'N1.*,48,restored late' susp.csv
expect_grep 'N4.*,0,' susp.csv
expect_grep 'N2.*,hazard still open' susp.csv
expect_grep 'N3.*,not restored in time' susp.csv
gw --lang zh report suspensions --as-of $AS_OF > susp-zh.txt
expect_grep '诊所  *医疗  ' susp-zh.txt
expect_grep '养老院  *养老  ' susp-zh.txt
expect_grep '隐患未消除' susp-zh.txt
if grep -q 'medical\|elder_care\|catering' susp-zh.txt; then fail "sector codes in the Chinese report"; fi
# acceptance lists the self-check failures and the state of their orders (C1: H11, hose)
gw --lang en report acceptance --as-of $AS_OF --format csv > acceptance.csv
expect_grep 'Self-check failures and their rectification' acceptance.csv
expect_grep 'C1.*,赵工,H11,hose,H11 overdue,overdue' acceptance.csv
if grep -q '"=""C2"""\|^[^,]*,C2,' acceptance.csv; then fail "C2 passed its self-check (grade 3 advice only)"; fi

# later visits do not change a report as of an earlier day
r A3 $ok --actor 李工 --at 2023-10-02T10:00
r A4 $ok --actor 李工 --at 2023-10-03T10:00
r C1 --outcome entered --role install --install hose:H-SS15:HS2023B0120:120 --actor 王师傅 --at 2023-10-04T10:00
snapshot after
for f in before/*.csv before/*.txt before/*.html; do
	cmp "$f" "after/${f#before/}" || fail "$f changed after later visits"
done
python3 "$HERE/plan_duties.py" visits.log after $AS_OF

# list --product: the recall walk (households whose current hose is H-SS15)
gw list --product H-SS15 --json > fitted.json
python3 - <<'PY'
import json
got = sorted(h["account"] for h in json.load(open("fitted.json")))
assert got == ["A2", "B1", "C1", "N1", "N2"], got
PY
gw list --product V-STD > fitted.txt
expect_eq "$(cut -d' ' -f1 fitted.txt | tr '\n' ' ')" "B1 A2 " "list --product V-STD (walking order)"

# Chinese: the new reports' headers and labels
gw --lang zh report rectifications --as-of $AS_OF > zh.txt
expect_grep '整改' zh.txt
expect_grep '林山寨街道' zh.txt
# each table lines up in display columns (Chinese characters two)
awk -v RS= '/\n---/ { f = "zh-table-" ++n ".txt"; print > f; close(f) }' zh.txt
for f in zh-table-*.txt; do python3 "$GASWALK_ROOT/tests/e2e/report/align.py" "$f"; done
[ -s zh-table-2.txt ] || fail "rectifications: two tables"

# usage
expect_rc 2 gw report plan --month 2023-13
expect_rc 2 gw report ranking --month 2023-09
expect_rc 2 gw report rectifications --product X
expect_rc 2 gw plan import
expect_rc 2 gw plan nonsense
echo "ok plan duties"
