#!/bin/sh
# Keypad name search at 40x15 in Chinese: 954 (initials), 92645426486 (full pinyin),
# wjg (a keyboard), a phone's last four digits and a room find 王建国; the result shows
# what tells the doors apart (room, building-unit, the compound's tail) with the phone
# masked to its last four, the first result highlighted; Enter opens that household.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

# expect_line, polled: a capture may fall in the middle of a redraw
wait_line() {
	i=0
	while [ $i -lt 100 ] && [ "$(line "$1")" != "$2" ]; do sleep 0.05; i=$((i + 1)); done
	expect_line "$1" "$2"
}

LONG='国棉三厂生活区东院（原纺织机械厂家属院）'
make_ledger
add_home 0100000001 王建国 幸福小区 3 1 2 201
add_home 0100000002 王建国 "$LONG" 5 2 5 502
add_home 0100000003 汪洋 幸福小区 3 1 3 301
add_home 0100000004 李明 幸福小区 3 1 2 202
add_home 0100000005 长江 幸福小区 4 1 1 101
add_home 0100000006 张伟 幸福小区 4 1 2 201
sql "UPDATE household SET phone = '138-1234-9264' WHERE account = '0100000001';
     UPDATE household SET phone = '13900001111' WHERE account = '0100000002';
     UPDATE household SET phone = '13700005555' WHERE account = '0100000004'"
remember_who W01 inspect

start_tui 40 15 --lang zh tui
wait_for "幸福小区"
keys F1
wait_for "查找："
# the empty search says what it finds, the keypad's pinyin included
wait_line 3 "输入户号、房号或户名。"
wait_line 4 "按拼音键找姓名：王建国 = 954。"
wait_line 5 "也可输入电话尾号四位。"
check_widths 40
# initials on the keypad: both 王建国 in walking order (国棉… sorts before 幸福…), and
# 长江 (z, then ji: the last character may be cut short)
type_text "954"
wait_for "$(title_line 40 查找 3)"
wait_line 3 "  502 王建国 5-2 …（原纺织机械厂家属院）"
wait_line 4 "  201 王建国 3-1 幸福小区"
wait_line 5 "  101 长江 4-1 幸福小区"
check_widths 40
# the first result is highlighted: reverse video (tmux sends only SGR changes: follow them)
reverse_rows() {
	tm capture-pane -p -e | python3 -c '
import re, sys
rev, rows = False, []
for n, line in enumerate(sys.stdin.read().split("\n"), 1):
    seen = False
    for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", line):
        if m.group(2) is None:
            for code in (m.group(1) or "0").split(";"):
                rev = {"0": False, "": False, "7": True, "27": False}.get(code, rev)
        elif m.group(2) != " " and not seen:
            seen = True
            if rev:
                rows.append(str(n))
print(" ".join(rows))'
}
expect_eq "$(reverse_rows)" "3" "rows in reverse video"
keys Enter
wait_for "0100000002"
keys Escape
wait_for "查找：954"
# full pinyin on the keypad, then letters from a keyboard
keys BSpace BSpace BSpace
wait_for "输入户号"
type_text "92645426486"
wait_for "$(title_line 40 查找 2)"
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
wait_for "输入户号"
type_text "wjg"
wait_for "$(title_line 40 查找 2)"
keys BSpace BSpace BSpace
# a polyphonic character: 长 reads chang and zhang
type_text "zj"
wait_for "$(title_line 40 查找 1)"
wait_line 3 "  101 长江 4-1 幸福小区"
keys BSpace BSpace
type_text "cj"
wait_for "$(title_line 40 查找 1)"
keys BSpace BSpace
# a phone's last four digits: the phone shows masked to them
type_text "1111"
wait_for "$(title_line 40 查找 1)"
wait_line 3 "  502 王建国 尾号1111 5-2 …械厂家属院）"
screen | grep -q 13900001111 && fail "the whole phone number is shown"
keys BSpace BSpace BSpace BSpace
type_text "9264"                  # 王建国's phone tail first, then wang on the keypad
wait_for "$(title_line 40 查找 3)"
wait_line 3 "  201 王建国 尾号9264 3-1 幸福小区"
wait_line 4 "  502 王建国 5-2 …（原纺织机械厂家属院）"
wait_line 5 "  301 汪洋 3-1 幸福小区"
keys BSpace BSpace BSpace BSpace
# a room: that door first
type_text "202"
wait_for "$(title_line 40 查找 1)"
wait_line 3 "  202 李明 3-1 幸福小区"
keys Enter
wait_for "0100000004"
check_widths 40
keys Escape
wait_for "查找：202"
keys BSpace BSpace BSpace
type_text "999"
wait_for "没有找到。"
check_widths 40
# a room typed on the route: two doors 201 in the compounds -> search shows both
keys Escape
wait_for "路线"
type_text "201"
wait_for "户号或房号：201"
keys Enter
wait_for "$(title_line 40 查找 2)"
wait_line 2 "查找：201"
wait_line 3 "  201 王建国 3-1 幸福小区"
wait_line 4 "  201 张伟 4-1 幸福小区"
keys Escape
wait_for "路线"
# a room only one door has opens it
type_text "502"
wait_for "户号或房号：502"
keys Enter
wait_for "0100000002"
check_widths 40
