#!/bin/sh
# The walk at 40x15 in Chinese: choose who, go compound → building → unit → door,
# capture each outcome, watch progress and the to-do filter; check the ledger.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 1001 张三 幸福小区 1 1 1 101
add_home 1002 李四 幸福小区 1 1 1 102
add_home 1003 王五 幸福小区 1 1 2 201
add_home 1004 赵六 幸福小区 1 1 2 202 residential lpg
add_home 2001 老王饭店 商业街 A 1 1 01 non_residential pipeline

start_tui 40 15 --lang zh tui
wait_for "今天谁在走访？"
type_text "W01"
keys Enter Right Enter
wait_for "[开始]"
keys F1
wait_for "今日 0/5"
expect_line 1 "路线                            今日 0/5"
expect_line 2 "商业街                               0/1"
expect_line 3 "幸福小区                             0/4"
expect_line 15 "F1查找 F2待办 F3设备 F4人员 Esc返回"
expect_eq "$(sql "SELECT value FROM meta WHERE key='tui_actor'")" "W01" "actor remembered"
expect_eq "$(sql "SELECT value FROM meta WHERE key='tui_role'")" "install" "role remembered"
keys F4
wait_for "今天谁在走访？"
keys Down Left Down Enter          # back to inspector
wait_for "路线"
expect_eq "$(sql "SELECT value FROM meta WHERE key='tui_role'")" "inspect" "role changed"

keys Down Enter
wait_for "幸福小区 0/4"
expect_line 2 "1栋                                  0/4"
keys Enter
wait_for "1单元"
keys Enter
wait_for "房号  户名"
expect_line 2 "房号  户名                   软阀警 结果"
expect_line 3 "101   张三                    . . . -"
expect_line 6 "202   赵六                    .   . -"
check_widths 40

# 101: entered, metal hose, valve ok, alarm absent, a grade-1 leak raised to... kept 1
keys Enter
wait_for "必须安装"
keys F1
wait_for "[保存]"
expect_line 2 "结果       <已入户>"
keys Down 2 Down 2 Down 3 Down Enter
wait_for "发现 0 项"
keys Down Down Enter
wait_for "发现 1 项"
keys Escape
wait_for "[隐患] 发现 1 项"
keys Down Down
type_text "表后阀锈"
keys F1
wait_for "已保存：已入户"
wait_for "H03 1级"
check_widths 40
keys Escape
wait_for "房号  户名"
expect_line 3 "101   张三                    + + x 入"
expect_line 1 "幸福小区 1/4 1栋 1单元          今日 1/5"

# 102: not at home — recorded, stays to do
keys Down Enter
wait_for "李四"
keys F1
wait_for "[保存]"
keys 2 F1
wait_for "已保存：到访不遇"
keys Escape
wait_for "房号  户名"
expect_line 4 "102   李四                    . . . 未"
expect_line 1 "幸福小区 1/4 1栋 1单元          今日 1/5"

# 201 refused, 202 vacant (by Right on the outcome)
keys Down Enter
wait_for "王五"
keys F1
wait_for "[保存]"
keys 3 F1
wait_for "已保存：拒绝，"
keys Escape
wait_for "房号  户名"
keys Down Enter
wait_for "赵六"
keys F1
wait_for "[保存]"
keys Right Right Right Down F1
wait_for "已保存：空置"
keys Escape
wait_for "今日 3/5"
expect_line 5 "201   王五                    . . . 拒"
expect_line 6 "202   赵六                    .   . 空"

# the to-do filter leaves the door nobody answered
keys F2
wait_gone "101   张三"
expect_line 3 "102   李四                    . . . 未"
expect_eq "$(line 4)" "" "only one door left to do"
keys Left Left Left
wait_for "路线（待办）"
expect_line 2 "商业街                               0/1"
expect_line 3 "幸福小区                             3/4"
keys Escape
wait_for "再按Esc退出。"
keys Escape
wait_for "TUI-EXITED-0"

expect_eq "$(sql "SELECT account || ' ' || outcome || ' ' || actor || ' ' || role FROM visit ORDER BY seq" | tr '\n' '|')" \
	"1001 entered W01 inspect|1002 not-home W01 inspect|1003 refused W01 inspect|1004 vacant W01 inspect|" "visits"
expect_eq "$(sql "SELECT hose || valve || alarm || note FROM visit WHERE account='1001'")" "metalokabsent表后阀锈" "observations"
expect_eq "$(sql "SELECT code || grade FROM visit_hazard")" "H031" "hazard"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE account='1004' AND hose IS NULL")" "1" "vacant has no observation"
gw status 1001 --json >"$T/st.json"
expect_grep '"state": *"hazard_open"' "$T/st.json"
