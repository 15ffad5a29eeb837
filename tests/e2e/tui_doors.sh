#!/bin/sh
# Two keys a door, counted: an inspector walks a whole staircase at 40x15 in Chinese
# from the route with the one-key outcomes (F3 all ok, F4 not at home), the route moving
# on by itself across units and buildings; entered with one device missing through the
# form in at most 6 keys; the quick "all ok" asks first after a device was found
# missing, and is refused over an open hazard. Checks what each quick visit recorded.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 5001 甲一 东院 1 1 1 101
add_home 5002 甲二 东院 1 1 1 102
add_home 5008 甲八 东院 1 1 1 103
add_home 5003 甲三 东院 1 1 2 201
add_home 5004 乙一 东院 1 2 1 101
add_home 5005 乙二 东院 1 2 1 102
add_home 5006 丙一 东院 2 1 1 101
add_home 5007 丙二 东院 2 1 1 102 non_residential pipeline
gw record 5004 --outcome entered --hose metal --valve absent --alarm ok --actor W00 --at 2024-03-01T10:00 >/dev/null
gw record 5005 --outcome entered --hose metal --valve ok --alarm ok --hazard H03:1 --actor W00 --at 2024-03-01T10:05 >/dev/null
gw record 5008 --outcome entered --hose metal --valve ok --alarm ok --actor W00 --at 2024-03-01T09:00 >/dev/null
remember_who W07 inspect

N=0
# k KEY...: sends keys one by one, counting them, and waits a little after each (a person)
k() {
	for key in "$@"; do
		keys "$key"; N=$((N + 1)); sleep 0.15
	done
}
# door WHAT MAX: the keys spent on the last door were at most MAX
door() {
	[ "$N" -le "$2" ] || fail "$1 took $N keys, more than $2"
	echo "$1: $N keys"
	N=0
}

start_tui 40 15 --lang zh tui
wait_for "今日0"
keys Enter Enter Enter
wait_for "房号  户名"
expect_line 1 "$(title_line 40 "东院 1栋 1单元" "今日0")"

# Up on the first door stays there (no wrap to the last door)
keys Up; sleep 0.15
# 101: all ok, one key
k F3
wait_for "已保存：101 已入户，本户第1次。"
door "entered, all ok" 3
# 102: not at home, one key
k F4
wait_for "已保存：102 到访不遇，本户第1次。"
door "not at home" 3
# 103 was done already: the route skipped it, on to 201 (the next door to do)
# 201: entered, valve missing, through the card and the form
k Enter F1 2 3 2 F1
wait_for "已保存：201 已入户，本户第1次。"
door "entered, one device missing" 6
# the unit is done and so is unit 2 (both its doors have a concluded visit): the
# route went on to building 2 by itself, skipping every door already done
wait_for "2栋 1单元"
expect_line 1 "$(title_line 40 "东院 2栋 1单元" "今日3")"
# from the card: Enter then F3
k Enter
wait_for "丙一"
k F3
wait_for "已保存：101 已入户，本户第1次。"
door "all ok from the card" 3
# a business: all ok means the alarm and the linked shut-off too
k F3
wait_for "已保存：102 已入户，本户第1次。"
door "business all ok" 3
# past the compound's last door: back to its first door to do (102, not at home)
wait_for "东院 1栋 1单元"
# unit 2 by hand: nothing to do there, so the list opens on its first door
keys Left; wait_gone "房号  户名"
keys Down Right; wait_for "1栋 2单元"
# 101 of unit 2: the valve was missing last time, so F3 asks first
k F3
wait_for "上次有缺少或故障；再按F3确认全部正常。"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '5004'")" "1" "nothing recorded before the second F3"
k F3
wait_for "已保存：101 已入户，本户第2次。"
door "all ok after a missing device" 3
wait_for "东院 1栋 1单元"
keys Left; wait_gone "房号  户名"
keys Down Right; wait_for "1栋 2单元"
keys Down; sleep 0.15
# 102 of unit 2: an open hazard, the quick "all ok" is refused
keys F3
wait_for "有未整改隐患：按Enter、F1逐项录入。"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '5005'")" "1" "no quick visit over an open hazard"
keys F4
wait_for "已保存：102 到访不遇，本户第2次。"
wait_for "东院 1栋 1单元"
# up and back into unit 2: the first door still to do (102), not 101 (done)
keys Left; wait_gone "房号  户名"
keys Down Right; wait_for "1栋 2单元"
keys F3
wait_for "有未整改隐患：按Enter、F1逐项录入。"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '5004'")" "2" "no second visit on the door done"
# on the card the hint names the card's own key
keys Enter; wait_for "必须安装"
keys F3
wait_for "本户有未整改隐患：请按F1逐项录入。"
keys Escape; wait_for "房号  户名"
check_widths 40
keys Left Left Left; wait_for "已完成"
keys Escape
wait_for "再按Esc退出。"
keys Escape
wait_for "TUI-EXITED-0"

q() { sql "SELECT account || ' ' || outcome || ' ' || COALESCE(hose, '-') || ' ' || COALESCE(valve, '-') || ' ' || COALESCE(alarm, '-') || ' ' || COALESCE(shutoff, '-') || ' ' || COALESCE(entry_mode, 'form') || ' ' || actor FROM visit WHERE actor = 'W07' ORDER BY seq" | tr '\n' '|'; }
expect_eq "$(q)" "5001 entered metal ok - - quick W07|5002 not-home - - - - quick W07|5003 entered metal absent ok - form W07|5006 entered metal ok - - quick W07|5007 entered metal - ok ok quick W07|5004 entered metal ok - - quick W07|5005 not-home - - - - quick W07|" "what each visit recorded"
expect_eq "$(sql "SELECT count(*) FROM visit_hazard")" "1" "quick visits record no hazard"
gw status 5005 --json >st.json
expect_grep '"state": *"hazard_open"' st.json
gw status 5001 --json >st.json
expect_grep '"state": *"compliant"' st.json
