#!/bin/sh
# The walk at 40x15 in Chinese: choose who, go compound → building → unit → door,
# capture each outcome (the form, and the one-key "not at home"), watch the route move
# on to the next door by itself, progress and the to-do filter; check the ledger.
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
wait_for "今日0"
expect_line 1 "$(title_line 40 "路线 已完成0/5" "今日0")"
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
wait_for "1栋"
expect_line 2 "1栋                                  0/4"
keys Enter
wait_for "1单元"
keys Enter
wait_for "房号  户名"
expect_line 1 "$(title_line 40 "幸福小区 1栋 1单元" "今日0")"
expect_line 2 "房号  户名                   软阀警 结果"
expect_line 3 "101   张三                    . . . -"
expect_line 6 "202   赵六                    .   . -"
expect_line 15 "F1查找 F2待办 F3正常 F4不在 Esc返回"
check_widths 40

# 101 by the form: metal hose, valve ok, alarm absent (a digit answers a row and moves
# on), a grade-1 hazard, a note; saving goes back to the route on the next door
keys Enter
wait_for "必须安装"
keys F1
wait_for "[保存]"
expect_line 2 "结果        已入户"
expect_line 3 "软管       <未查>"
expect_line 13 "1未查 2金属管 3非金属管 4无软管"
keys 2 2 3
wait_for "泄漏报警器  未装"
keys Enter
wait_for "发现 0 项"
keys Down Down Enter
wait_for "发现 1 项"
keys Escape
wait_for "[隐患] 发现 1 项"
keys Down 2                        # the policy notice given (a digit moves on)
wait_for "告知书      已发放"
keys Down
type_text "表后阀锈"
keys F1
wait_for "已保存：101 已入户，本户第1次。"
wait_for "房号  户名"
expect_line 3 "101   张三                    + + x 入"
expect_line 1 "$(title_line 40 "幸福小区 1栋 1单元" "今日1")"
check_widths 40

# 102: not at home in one key (F4); the route moves on to 201
keys F4
wait_for "已保存：102 到访不遇，本户第1次。"
expect_line 4 "102   李四                    . . . 未"
expect_line 1 "$(title_line 40 "幸福小区 1栋 1单元" "今日2")"

# 201 refused, 202 vacant, each by the form (the outcome is the row above the hose)
keys Enter
wait_for "王五"
keys F1
wait_for "[保存]"
keys Up 3
wait_for "F1保存 F3照片 Esc返回"      # nobody let us in: no F2 hazards
line 2 | grep -q "拒绝" || { screen >&2; fail "outcome not refused"; }
keys F1
wait_for "已保存：201 拒绝，"
keys Enter
wait_for "赵六"
keys F1
wait_for "[保存]"
keys Up Right Right Right Down F1
wait_for "已保存：202 空置，"
wait_for "今日4"
expect_line 5 "201   王五                    . . . 拒"
expect_line 6 "202   赵六                    .   . 空"
# 202 was the compound's last door: the route went back to its first door to do, 102
keys Enter
wait_for "李四"
keys Escape; wait_for "房号"
keys Down Down Down Enter          # down to 202 (no wrap past the last door)
wait_for "空置：已走访，无须再去"
keys Escape; wait_for "房号"
keys Up Up Up Enter                 # 101's card: the notice given today
wait_for "告知书"
screen | grep -q "告知书 *$(date +%Y-%m-%d)已发放" || { screen >&2; fail "no notice on the card"; }
keys Escape; wait_for "房号"

# the to-do filter leaves the door nobody answered, and says so at every level
keys F2
wait_gone "101   张三"
expect_line 1 "$(title_line 40 "幸福小区 1栋 1单元" "待办 今日4")"
expect_line 3 "102   李四                    . . . 未"
expect_eq "$(line 4)" "" "only one door left to do"
keys Left
wait_for "1单元"
expect_line 1 "$(title_line 40 "幸福小区 1栋" "待办 今日4")"
keys Left Left
wait_for "路线 已完成3/5"
expect_line 1 "$(title_line 40 "路线 已完成3/5" "待办 今日4")"
expect_line 2 "商业街                               0/1"
expect_line 3 "幸福小区                             3/4"
keys Escape
wait_for "再按Esc退出。"
keys Escape
wait_for "TUI-EXITED-0"

expect_eq "$(sql "SELECT account || ' ' || outcome || ' ' || actor || ' ' || role || ' ' || COALESCE(entry_mode, 'form') FROM visit ORDER BY seq" | tr '\n' '|')" \
	"1001 entered W01 inspect form|1002 not-home W01 inspect quick|1003 refused W01 inspect form|1004 vacant W01 inspect form|" "visits"
expect_eq "$(sql "SELECT hose || valve || alarm || note || notice FROM visit WHERE account='1001'")" "metalokabsent表后阀锈1" "observations"
expect_eq "$(sql "SELECT code || grade FROM visit_hazard")" "H031" "hazard"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE account='1004' AND hose IS NULL")" "1" "vacant has no observation"
gw status 1001 --json >"$T/st.json"
expect_grep '"state": *"hazard_open"' "$T/st.json"
