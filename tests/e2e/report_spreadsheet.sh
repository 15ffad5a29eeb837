# The reports as a clerk opens them: LibreOffice Calc (headless, Debian package
# libreoffice-calc-nogui) reads each CSV the way Excel and WPS do (UTF-8 by its byte-order
# mark, no import dialog) and each XLSX, and saves what it read as flat OpenDocument;
# tests/e2e/report/lo_cells.py then checks every cell's type and value: identifiers stay
# text with their leading zeros, percentages are the rounded numbers the text shows (13/16
# is 81.3% everywhere), nothing but an identifier's ="..." is a formula.
. "$(dirname "$0")/lib.sh"
HERE="$GASWALK_ROOT/tests/e2e/report"
command -v soffice >/dev/null 2>&1 ||
	fail "LibreOffice Calc is needed: apt-get install libreoffice-calc-nogui (packaging/debian-test-deps.txt)"

expect_rc 0 gw init --office 中原区
# 16 households in each of two subdistricts: accounts with a leading zero, phones with 11
# and 12 digits, one name that starts a formula
rows=""
for i in $(seq 1 16); do
	n=$(printf %02d "$i")
	rows="$rows('03000000$n','residential','pipeline',0,'户$n','138001380$n','林山寨街道','幸福小区','1','1','1','1$n'),"
	rows="$rows('03000001$n','residential','pipeline',0,'户1$n','0371680012$n','建设路街道','建设小区','1','1','1','1$n'),"
done
rows="$rows('0300000200','residential','pipeline',0,'=HYPERLINK(\"http://x\")','','建设路街道','建设小区','2','1','1','101')"
sql "INSERT INTO household(account, category, gas, new_build, name, phone, subdistrict, compound, building, unit, floor, room) VALUES $rows"
ok="--outcome entered --hose metal --valve ok"
# 13 of Linshanzhai's 16 compliant (81.25%: 81.3% half up), 1 of Jianshelu's 17 (5.88%)
for i in $(seq 1 13); do
	expect_rc 0 gw record "03000000$(printf %02d "$i")" $ok --at 2023-09-01T10:00
done
expect_rc 0 gw record 0300000014 --outcome vacant --at 2023-09-02T10:00
expect_rc 0 gw record 0300000101 --outcome entered --install valve:V-STD:007123:120.01 \
	--install hose:H-SS15:12E3:130 --actor 王师傅 --at 2023-09-03T10:00
expect_rc 0 gw record 0300000102 --outcome entered --install valve:V-STD:007123:150 \
	--actor =1+1 --at 2023-09-04T10:00
expect_rc 0 gw record 0300000200 --outcome not-home --at 2023-09-05T10:00

names=""
out() { # NAME REPORT-ARGS...: the report as CSV, XLSX and text
	name=$1; shift
	gw --lang en report "$@" --format csv -o "$name.csv"
	gw --lang en report "$@" --format xlsx -o "$name.xlsx"
	gw --lang en report "$@" > "$name.txt"
	names="$names $name"
}
out ranking ranking --as-of 2023-09-30 --category all
out overdue overdue --as-of 2023-11-30
out prices prices --as-of 2023-09-30
out funding funding --as-of 2023-09-30 --households
out valves valves --as-of 2023-09-30 --months 1200

# the text shows 81.3% for 13/16, and so do the CSV and the workbook (checked below)
expect_grep '^ *1  Linshanzhai  *16  *13  *13  *1  *81.3%' ranking.txt
expect_grep '^1,Linshanzhai,16,13,13,1,81.3%' ranking.csv

mkdir lo
# the control: the same account written plainly is read as a number, its zero lost
printf '\357\273\277account,phone\r\n0300000001,13800138001\r\n' >lo/control.csv
for n in $names; do
	cp "$n.csv" "lo/$n.csv"
	cp "$n.xlsx" "lo/$n.xlsx"
done
profile="file://$T/lo-profile"
(cd lo && timeout 300 soffice -env:UserInstallation="$profile" --headless \
	--infilter="CSV:44,34,76,1" --convert-to fods *.csv >/dev/null 2>&1) ||
	fail "LibreOffice could not read the CSV reports"
for n in $names; do mv "lo/$n.fods" "lo/$n.csv.fods"; done
grep -q 'office:value-type="float" office:value="300000001"' lo/control.fods ||
	fail "LibreOffice kept a plain account as text: the check below would prove nothing"
(cd lo && timeout 300 soffice -env:UserInstallation="$profile" --headless \
	--convert-to fods *.xlsx >/dev/null 2>&1) || fail "LibreOffice could not read the workbooks"
for n in $names; do
	mv "lo/$n.fods" "lo/$n.xlsx.fods"
	cp "$n.csv" "lo/$n.csv"
done
# shellcheck disable=SC2086
python3 "$HERE/lo_cells.py" lo $names
