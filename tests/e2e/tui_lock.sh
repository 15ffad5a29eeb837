#!/bin/sh
# The idle lock at 40x15 in Chinese: after the idle time the screen shows no household
# data; a note typed before the lock is still in the form after it. On a terminal
# under a PIN the lock opens only with the PIN (a wrong one is counted, a scanner's
# burst is not a try). The test build takes the idle time in seconds from
# GASWALK_IDLE_SECONDS (the installed binary has only the setting, in minutes).
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"
export GASWALK_IDLE_SECONDS=6

gw init --device HT-07 --pin-fd 3 3<<EOF >/dev/null
482915
EOF
add_home 1001 张三 幸福小区 1 1 1 101
add_home 1002 李四 幸福小区 1 1 1 102
remember_who W01 inspect
tries() { od -A n -t u4 -j 28 -N 4 gaswalk.db.key | tr -d ' '; }
# no household data on the screen: names, rooms, compound, the note
no_data() {
	for s in 张三 李四 101 幸福小区 阀门锈; do
		screen | grep -qF "$s" && { screen >&2; fail "the locked screen shows $s"; }
	done
	return 0
}
slow() { for k in "$@"; do keys "$k"; sleep 0.1; done; } # typed, not a scanner's burst

start_tui 40 15 --lang zh tui
# under a PIN: asked first, nothing shown before it
wait_for "输入 PIN，再按确认："
no_data
slow 4 8 2 9 1 5 Enter
wait_for "幸福小区" 60
keys Enter Enter Enter # compound, building, unit
wait_for "张三"
keys Enter
wait_for "必须安装"
keys F1
wait_for "[保存]"
keys 2 2 3 # hose metal, valve ok, alarm absent: the cursor moves on to the hazards
wait_for "泄漏报警器  未装"
keys Down Down Down # the notice row, photos, then the note
type_text "阀门锈"
wait_for "阀门锈"
# idle: locked
wait_for "已锁定" 20
expect_line 6 "已锁定"
expect_line 7 "输入 PIN，再按确认："
no_data
check_widths 40
# a scanner's burst is no try; a wrong PIN typed is one, and says so
keys 1 2 3 4 5 6 Enter
sleep 0.5
expect_eq "$(tries)" 0 "a burst counted as a try"
slow 0 0 0 0 0 0 Enter
wait_for "PIN 错误：每次尝试都会计数。" 60 # a derivation: slow under valgrind
expect_eq "$(tries)" 1 "the wrong PIN counted"
no_data
# the right PIN: back in the form, the note still there
slow 4 8 2 9 1 5 Enter
wait_for "[保存]" 60
keys F1
wait_for "已保存：101"
expect_eq "$(tries)" 0 "the right PIN clears the count"
expect_eq "$(sql "SELECT note FROM visit WHERE account = '1001'")" "阀门锈" "the note typed before the lock saved"
# locked again while idle on the route
wait_for "已锁定" 20
no_data
slow 4 8 2 9 1 5 Enter
wait_for "李四" 60
echo ok
