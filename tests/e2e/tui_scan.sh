#!/bin/sh
# A scanner's burst (an account + Enter, all at once) on every screen at 40x15 in
# Chinese: it never changes a value on the form nor in the ledger, and opens the
# scanned household; a form holding unsaved work asks first (F1 save, Esc discard,
# F2 stay). Keys a person types still pick options; the who screen refuses a scan and
# an account typed as the staff number.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 0100000011 扫码户 东院 1 1 1 101
add_home 0100000012 邻居 东院 1 1 1 102
add_home 0100000013 饭馆 东院 1 1 2 201 non_residential pipeline
mkdir cam
printf 'jpeg' >cam/IMG_0001.jpg
# scan CODE: what a scanner sends, in one write
scan() { keys "$1" Enter; }
ledger() { sql "SELECT count(*) || '/' || COALESCE(group_concat(account || outcome || COALESCE(hose, '')), '') FROM visit"; }

start_tui 40 15 --lang zh tui --camera cam
# the who screen: a scan is not a staff number, an account typed is refused
wait_for "今天谁在走访？"
scan 0100000011
wait_for "扫描内容不能作工号，请用按键输入。"
expect_line 4 "工号"
type_text "0100000012"; sleep 0.2; keys F1
wait_for "这是户号，不是工号。"
expect_eq "$(sql "SELECT count(*) FROM meta WHERE key = 'tui_actor'")" "0" "no actor stored"
type_text "W01"; sleep 0.2; keys F1
wait_for "今日0"

# the route: a room typed by a person then Enter opens that door
type_text "201"; sleep 0.2; keys Enter
wait_for "饭馆"
keys Escape; wait_for "房号"
# the route: the scan opens the card
scan 0100000012
wait_for "邻居"
expect_line 1 "$(title_line 40 "1栋 1单元 102" "0100000012")"
# the card of another household: the scan opens the scanned one, not a form (a
# scanner ending its code with CR LF: the LF is no Enter either)
keys 0100000011 Enter C-j
wait_for "扫码户"
expect_line 1 "$(title_line 40 "1栋 1单元 101" "0100000011")"
sleep 0.3
screen | grep -qF "[保存]" && fail "the scanner's LF opened a form"
# a clean visit form: opens at once
keys F1; wait_for "[保存]"
scan 0100000012
wait_for "邻居"
wait_gone "[保存]"
# a form with values: asks; F2 stays and nothing changed
keys Escape; wait_for "房号"
keys Enter; wait_for "邻居"; keys F1; wait_for "[保存]"
sleep 0.2; keys 2; sleep 0.2; keys 2
wait_for "自闭阀      正常"
before=$(screen | sed -n '2,8p')
scan 0100000011
wait_for "扫描到0100000011：本表未保存。"
expect_line 15 "F1保存 Esc放弃 F2留下"
keys F2
wait_for "留在本表，未作更改。"
expect_eq "$(screen | sed -n '2,8p')" "$before" "the form after a scan"
expect_eq "$(ledger)" "0/" "the ledger after a scan"
# again: Esc discards and opens the scanned household
scan 0100000011
wait_for "本表未保存"
keys Escape
wait_for "扫码户"
expect_eq "$(ledger)" "0/" "discarded"
# the hazard list with a ticked item: the trailing Enter unticks nothing; F1 saves then opens
keys F1; wait_for "[保存]"
sleep 0.2; keys 2; sleep 0.2; keys 2; sleep 0.2; keys 2
keys F2; wait_for "发现 0 项"
keys Enter; wait_for "发现 1 项"
scan 0100000012
wait_for "本表未保存"
keys F2
wait_for "发现 1 项"
scan 0100000012
wait_for "本表未保存"
keys F1
wait_for "邻居"
expect_eq "$(ledger)" "1/0100000011enteredmetal" "saved before opening the scanned one"
expect_eq "$(sql "SELECT count(*) FROM visit_hazard")" "1" "the ticked hazard kept"
# photos over a form
keys F1; wait_for "[保存]"
keys F3; wait_for "IMG_0001.jpg"
scan 0100000013
wait_for "饭馆"
# a code that is no account: a message, nothing else
scan 9999999999
wait_for "扫描到9999999999：无此户号，未作更改。"
wait_for "饭馆"
# the history and the device screens
keys F2; wait_for "尚无走访记录。"
scan 0100000011
wait_for "扫码户"
keys Escape; wait_for "房号"; keys Left; wait_for "单元"
keys F3; wait_for "本机"
scan 0100000012
wait_for "邻居"
# search
keys Escape; wait_for "房号"; keys F1; wait_for "查找"
scan 0100000013
wait_for "饭馆"
keys Escape
wait_for "房号"
expect_eq "$(ledger)" "1/0100000011enteredmetal" "nothing recorded by any scan"
keys Left Left Left Escape
wait_for "再按Esc退出"
keys Escape
wait_for "TUI-EXITED-0"
