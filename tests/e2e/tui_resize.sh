#!/bin/sh
# Resizing mid-form re-lays out the screen and keeps what was typed: a note typed
# at 40x15 survives 80x24 and back, and is what the ledger stores even when the
# process is killed the moment the screen says saved.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 5001 周芳 东城花园 3 2 6 602
remember_who 工号07 inspect

start_tui 40 15 --lang zh tui
wait_for "今日0"
keys Enter Enter Enter
wait_for "602"
keys Enter
wait_for "周芳"
keys F1
wait_for "[保存]"
keys 2 2 Down Down Down Down
wait_for "备注"
type_text "门口有狗 dog"
wait_for "备注"
wait_for "门口有狗 dog"
tm resize-window -t 0 -x 80 -y 24
wait_for "$(title_line 80 '602 周芳' '入户')"
expect_line 2 "结果        已入户"
expect_line 3 "软管        金属管"
expect_line 4 "自闭阀      正常"
expect_line 9 "备注        门口有狗 dog"
check_widths 80
type_text "!"
wait_for "门口有狗 dog!"
tm resize-window -t 0 -x 40 -y 15
wait_for "$(title_line 40 '602 周芳' '入户')"
expect_line 9 "备注        门口有狗 dog!"
check_widths 40
tm resize-window -t 0 -x 41 -y 15   # odd width: a wide character must not straddle the edge
wait_for "$(title_line 41 '602 周芳' '入户')"
check_widths 41
keys F1
wait_for "已保存：602 已入户"
# the screen said saved: pulling the battery now loses nothing
kill -KILL "$(pgrep -P "$(tm list-panes -F '#{pane_pid}')")" # the one child: gaswalk (valgrind, qemu)
wait_for "Killed"
expect_eq "$(sql "SELECT note || '|' || hose || '|' || valve || '|' || actor FROM visit")" \
	"门口有狗 dog!|metal|ok|工号07" "the note typed across resizes"
