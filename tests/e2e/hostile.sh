# A catalogue of hostile inputs: escape sequences and control characters in names and
# notes, enormous fields, invalid UTF-8, NUL bytes, spreadsheet formulas, path names
# that climb out of a folder. Each case checks what gaswalk printed or wrote; the
# summary line counts them ("hostile: N cases, N passed").
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

total=0 passed=0 failed_cases=""
# case_run NAME FUNCTION: runs the function in a subshell (set -e), counts the result
case_run() {
	total=$((total + 1))
	set +e; (set -e; "$2") >"case.log" 2>&1; rc=$?; set -e
	if [ $rc = 0 ]; then
		passed=$((passed + 1)); echo "ok   $1"
	else
		failed_cases="$failed_cases|$1"; echo "FAIL $1"; sed 's/^/     /' case.log
	fi
}
# raw_controls FILE: counts raw ESC, BEL, other C0 (not tab/LF/CR), C1 (U+0080-U+009F),
# and bidi overrides (U+202A-U+202E, U+2066-U+2069) in FILE
raw_controls() {
	python3 - "$1" <<'EOF'
import re, sys
b = open(sys.argv[1], 'rb').read()
n = len(re.findall(rb'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]', b))
print(n)
EOF
}
no_raw() { # FILE WHAT
	n=$(raw_controls "$1")
	[ "$n" = 0 ] || { od -c "$1" | head -20 >&2; fail "$2: $n raw control sequences"; }
}
ESC=$(printf '\033') BEL=$(printf '\007')

gw init --office 测试办事处 >/dev/null
{
	printf 'account,category,gas,name,subdistrict,compound,building,unit,floor,room\n'
	printf 'E1,residential,pipeline,"evil\033[2J\033]0;owned\007name",,恶意小区,1,1,1,101\n'
	printf 'F1,residential,pipeline,"=HYPERLINK(""http://x"",""y"")",,恶意小区,1,1,1,102\n'
	printf 'F2,residential,pipeline,+1+2,,恶意小区,1,1,1,103\n'
	printf 'F3,residential,pipeline,-2+3,,恶意小区,1,1,1,104\n'
	printf 'F4,residential,pipeline,@SUM(A1),,恶意小区,1,1,1,105\n'
	printf 'B1,residential,pipeline,\342\200\256evil,,恶意小区,1,1,1,106\n'
	printf 'C1,residential,pipeline,c1\302\2332J,,恶意小区,1,1,1,107\n'
	printf 'S1,residential,pipeline,<script>alert(1)</script>,,恶意小区,1,1,1,108\n'
	printf 'T1,residential,pipeline,"\tTAB\rCR",,"\033[31m红小区",1,1,1,109\n'
} > hostile.csv
gw import hostile.csv >/dev/null
gw record E1 --outcome not-home --note "$(printf 'n\033]0;pwn\007\033[31mred\302\233')" >/dev/null
AS_OF="--as-of 2030-01-01"

c_list() { gw list > o; no_raw o "list"; grep -q '\^\[\[2J' o; }
c_list_json() { gw list --json > o; python3 -c "import json; d=json.load(open('o')); assert any('\x1b' in h['name'] for h in d)"; }
c_status() { gw status E1 > o; no_raw o "status"; }
c_status_json() {
	gw status E1 --json > o
	python3 -c "import json; d=json.load(open('o')); v = d['visits'][0]; assert v['note'].startswith('n\x1b]0;pwn') and v['actor'] == '测试办事处', v"
}
c_text_report() {
	for k in overdue weekly; do gw report $k $AS_OF > o; no_raw o "report $k text"; done
	grep -q 'evil^\[\[2J' o || gw report overdue $AS_OF | grep -q 'evil^\[\[2J'
}
c_html_report() {
	gw report overdue $AS_OF --format html > o.html
	no_raw o.html "report html"
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' o.html
	! grep -q '<script>alert' o.html
}
c_csv_formula() {
	gw report overdue $AS_OF --format csv > o.csv
	python3 - <<'EOF'
import csv
rows = list(csv.reader(open('o.csv', encoding='utf-8-sig')))
cells = [c for r in rows for c in r]
for bad in ('=HYPERLINK', '+1+2', '-2+3', '@SUM'):
    assert not any(c.startswith(bad) for c in cells), bad
    assert any(c.startswith("'" + bad) for c in cells), "no neutralised " + bad
EOF
}
c_xlsx_formula() {
	gw report overdue $AS_OF --format xlsx -o o.xlsx
	python3 - <<'EOF'
import re, zipfile
z = zipfile.ZipFile('o.xlsx')
strings = []
for n in z.namelist():
    d = z.read(n).decode()
    assert '<f>' not in d and '<f ' not in d, 'a formula in ' + n
    strings += re.findall(r'<t[^>]*>([^<]*)</t>', d)
for bad in ('=HYPERLINK', '+1+2', '-2+3', '@SUM'):
    assert not any(s.startswith(bad) for s in strings), bad
    assert any(s.startswith("'" + bad) for s in strings), "no neutralised " + bad
EOF
}
c_error_lines() {
	# values echoed in error messages are cleaned too
	printf 'account,category,gas,name\nX1,\033]0;pwn\007villa,pipeline,x\n' > badcat.csv
	set +e; gw import badcat.csv > o 2> e; set -e
	no_raw e "import error line"
	set +e; gw record "$(printf 'X\033[2J')" --outcome vacant 2> e; set -e
	no_raw e "record error line"
	set +e; gw status "$(printf 'Y\033]0;t\007')" 2> e; set -e
	no_raw e "status error line"
	f="$(printf 'x\033]0;t\007.csv')"
	printf 'account,category,gas,name\nX1,villa,pipeline,x\n' > "$f"
	set +e; gw import "$f" > o 2> e; set -e
	no_raw e "file name in an import error"
}
c_nul() {
	printf 'account,category,gas,name\nN1,residential,pipeline,a\000b\n' > nul.csv
	set +e; gw import nul.csv > o 2> e; rc=$?; set -e
	[ $rc = 1 ]; grep -q 'NUL' e
	[ "$(sql "SELECT count(*) FROM household WHERE account = 'N1'")" = 0 ]
}
c_invalid_utf8() {
	printf 'account,category,gas,name\nU1,residential,pipeline,bad\377\376name\n' > bad8.csv
	set +e; gw import bad8.csv --encoding utf-8 > o 2> e; rc=$?; set -e
	[ $rc = 1 ]; grep -q 'not valid UTF-8' e; no_raw e "invalid UTF-8 message"
	set +e; gw record E1 --outcome vacant --note "$(printf 'x\377y')" 2> e; rc=$?; set -e
	[ $rc = 1 ]; [ "$(wc -l < e)" = 1 ]
}
c_enormous_field() {
	python3 -c "print('account,category,gas,name'); print('L1,residential,pipeline,' + 'x' * 3000000)" > long.csv
	set +e; gw import long.csv > o 2> e; rc=$?; set -e
	[ $rc = 1 ]; grep -q 'too long' e
}
c_enormous_line() {
	# 40 MB without a line end: refused with bounded memory
	python3 -c "import sys; sys.stdout.write('account,category,gas,name\n' + 'y' * 40000000)" > line.csv
	set +e; /usr/bin/time -f '%M' -o rss "$GASWALK" import line.csv > o 2> e; rc=$?; set -e
	[ $rc = 1 ]
	rss=$(tail -n 1 rss)
	[ -n "${VALGRIND:-}" ] || [ "$rss" -lt 65536 ] || fail "import of one 40 MB line took $rss KB"
}
c_many_columns() {
	python3 -c "print('account,category,gas,name' + ',x' * 100000)" > cols.csv
	set +e; gw import cols.csv > o 2> e; rc=$?; set -e
	[ $rc = 1 ]; [ "$(wc -l < e)" = 1 ]
}
c_long_note() {
	set +e; gw record E1 --outcome vacant --note "$(printf '%100000s' '' | tr ' ' n)" 2> e; rc=$?; set -e
	[ $rc = 1 ]; [ "$(wc -l < e)" = 1 ]
}
c_tui() {
	remember_who W01 inspect
	start_tui 40 15 --lang en tui
	wait_for "Route"
	screen | grep -q '^\^\[\[31m红小区' || fail "compound name not cleaned on the route"
	keys Down Enter; wait_for "Bldg 1"; keys Enter; wait_for "Unit 1"; keys Enter
	wait_for "evil^[[2J"
	tm capture-pane -e -p > screen.e
	no_raw_except_sgr screen.e
	screen | grep -q 'evil^\[\[2J'
	[ "$(tm display -p '#{pane_title}')" != owned ] || fail "a name set the terminal's title"
	keys E1 Enter
	wait_for "Name"
	tm capture-pane -e -p > screen.e
	no_raw_except_sgr screen.e
	tm kill-server
}
# the screen captured with -e: only tmux's own SGR sequences (ESC [ ... m) are allowed
no_raw_except_sgr() {
	python3 - "$1" <<'EOF'
import re, sys
b = open(sys.argv[1], 'rb').read()
b = re.sub(rb'\x1b\[[0-9;:]*m', b'', b)
bad = re.findall(rb'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]', b)
sys.exit('raw control bytes on the screen: %r' % bad if bad else 0)
EOF
}

# ---- bundles and photos (a terminal and its office, as in the sync tests) ----
sync_setup() {
	[ ! -e office.db ] || return 0
	. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
	setup_office_terminal
	unset GASWALK_NOW
	mkdir -p cam
}
c_photo_names() {
	sync_setup
	printf x > "cam/$(printf 'a\033]0;t\007b.jpg')"
	printf y > "cam/..hidden.jpg"
	for name in "$(printf 'a\033]0;t\007b.jpg')" "..hidden.jpg"; do
		set +e; gw --db t1.db record A1 --outcome vacant --photo "cam/$name" 2> e; rc=$?; set -e
		[ $rc = 1 ]; [ "$(wc -l < e)" = 1 ]; no_raw e "photo name in an error line"
	done
}
c_bundle_dotdot() {
	# a bundle whose photo name climbs out of its folder (written into the terminal's
	# ledger behind gaswalk's back) is refused whole; nothing is read or written outside
	sync_setup
	printf 'secret' > outside.jpg
	printf 'jpeg' > cam/p1.jpg
	gw --db t1.db record A3 --outcome vacant --photo cam/p1.jpg > /dev/null
	sqlite3 t1.db "UPDATE photo SET name = '../outside.jpg' WHERE name = 'p1.jpg'"
	mkdir -p evil
	set +e; gw --db t1.db export -o evil --photos cam > o 2> e; set -e
	grep -q 'unsafe name' e
	cp outside.jpg evil/outside.jpg
	before=$(sqlite3 office.db "SELECT count(*) FROM visit")
	set +e; gw --db office.db merge evil/*.gwb > o 2> e; rc=$?; set -e
	[ $rc = 1 ]; grep -q 'rejected' e
	[ "$(sqlite3 office.db "SELECT count(*) FROM visit")" = "$before" ]
	! ls office.db.photos 2>/dev/null | grep -q . || ! grep -rl secret office.db.photos
	[ "$(cat outside.jpg)" = secret ]
}
c_tui_photo_names() {
	# hostile file names in the camera folder never reach the screen raw
	mkdir -p tcam
	printf x > "tcam/$(printf 'e\033]0;owned\007x.jpg')"
	printf x > "tcam/$(printf 'c1\302\233x.jpg')"
	printf x > tcam/IMG_0001.jpg
	tm kill-server 2>/dev/null || true
	start_tui 40 15 --lang en tui --camera "$T/tcam"
	wait_for "Route"
	keys E1 Enter; wait_for "Name"; keys F1; wait_for "[Save]"; keys F3
	wait_for "IMG_0001.jpg"
	tm capture-pane -e -p > screen.e
	no_raw_except_sgr screen.e
	! grep -q 'owned' screen.e
	[ "$(tm display -p '#{pane_title}')" != owned ]
	tm kill-server
}

case_run "names with escape sequences: list" c_list
case_run "names with escape sequences: list --json keeps them escaped" c_list_json
case_run "names and notes with escapes: status" c_status
case_run "notes with escapes: status --json" c_status_json
case_run "escape sequences in text reports" c_text_report
case_run "HTML report escapes markup and controls" c_html_report
case_run "CSV report neutralises =, +, -, @" c_csv_formula
case_run "XLSX report neutralises formulas" c_xlsx_formula
case_run "hostile values echoed in error lines" c_error_lines
case_run "NUL byte in a CSV" c_nul
case_run "invalid UTF-8 in a CSV and a note" c_invalid_utf8
case_run "a 3 MB field" c_enormous_field
case_run "a 40 MB line" c_enormous_line
case_run "100000 columns" c_many_columns
case_run "a 100 kB note" c_long_note
case_run "TUI: escape sequences in names never reach the terminal" c_tui
case_run "TUI: hostile photo file names in the camera folder" c_tui_photo_names
case_run "photo names with controls or a leading dot are refused" c_photo_names
case_run "a bundle with a ../ photo name is refused, nothing outside touched" c_bundle_dotdot

expect_eq "$(sql "PRAGMA integrity_check")" ok "integrity after the hostile inputs"
echo "hostile: $total cases, $passed passed"
[ "$passed" = "$total" ] || fail "failed:$(echo "$failed_cases" | tr '|' '\n')"
