#!/bin/sh
# Scanning an account on the route screen opens the household; an unknown one is a
# message. Search narrows by account digits, room and name as each key is typed.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 88020001 张建国 幸福小区 1 1 1 101
add_home 88020002 张丽 幸福小区 1 1 1 102
add_home 88020003 李明 幸福小区 1 2 5 501
add_home 99000001 Wang 'Garden Court' 2 1 3 301
add_home 99000002 Zhou 'Garden Court' 2 1 4 东
remember_who W01 inspect
expect_rc 2 gw tui extra
expect_rc 1 gw tui </dev/null
expect_grep "tui needs a terminal" "$T/err"

start_tui 40 15 --lang en tui
wait_for "today 0"
keys 8 8 0 2 0 0 0 3 Enter       # what a scanner types
wait_for "Compound"
expect_line 1 "$(title_line 40 "Bldg 1 Unit 2 501" "88020003")"
expect_line 2 "Name       李明"
expect_line 3 "Compound   幸福小区"
keys Escape                       # the route shows where the scanned door is
wait_for "$(title_line 40 "幸福小区 Bldg 1 Unit 2" "today 0")"
keys Left Left Left Up            # back up to the compounds, on the first
wait_for "Route"
type_text "12345"
wait_for "Account or room: 12345"
keys BSpace Left
wait_for "Account or room: 123"
keys Enter
wait_for "No account or room 123 here."
expect_line 14 "No account or room 123 here."

keys F1
wait_for "Type an account, room or name."
type_text "8802"
wait_for "$(printf '%-39s%s' Search 3)"
expect_line 3 "  101 张建国 1-1 幸福小区"
expect_line 5 "  501 李明 1-2 幸福小区"
keys 0 0 0 2
wait_for "$(printf '%-39s%s' Search 1)"
expect_line 3 "  102 张丽 1-1 幸福小区"
keys Left Left Left Left Left Left Left Left
wait_for "Type an account, room or name."
type_text "张"
wait_for "$(printf '%-39s%s' Search 2)"
keys Down Enter
wait_for "88020002"
keys Escape
wait_for "Find: 张"
keys Left
type_text "301"
wait_for "301 Wang 2-1 Garden Court"
keys Escape
wait_for "today 0"
keys Enter Enter Enter            # Garden Court, building 2, unit 1: the floor shows when the room lacks it
wait_for "Room  Name"
expect_line 3 "301   Wang                    . . . -"
expect_line 4 "4-东  Zhou                    . . . -"
keys Left; wait_for "Unit 1"
keys Left; wait_gone "Unit 1"
keys Left; wait_for "Route"
keys Escape
wait_for "Press Esc again"
keys Escape
wait_for "TUI-EXITED-0"
