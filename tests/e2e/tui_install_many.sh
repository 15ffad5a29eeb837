#!/bin/sh
# The installer and the gas supply at 40x15 in Chinese: three items fitted in one
# visit (F2 keeps an item and goes on to the next missing one, the serial cleared
# when the item changes, a serial fitted at another household warns, the household's
# detector offered first, a price typed over the catalog's); an inspector stops a
# business's supply for a grade-1 hazard and restores it; a mistaken visit voided
# from the card's record drops out of the status.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 9001 张三 东院 1 1 1 101
add_home 9002 李四 东院 1 1 1 102
add_home 9003 老王饭店 东院 2 1 1 101 non_residential pipeline
gw record 9001 --outcome entered --hose non-metal --valve absent --alarm absent --actor W00 >/dev/null
gw record 9002 --outcome entered --install valve:V-STD:V-DUP:120 --role install --actor W00 >/dev/null
remember_who I-01 install
scan() { keys "$1" Enter; }
slow() { for key in "$@"; do keys "$key"; sleep 0.15; done; }

start_tui 40 15 --lang zh tui
wait_for "今日"
keys F2                                     # the installer's to-do: doors lacking a device
wait_for "缺装 今日"
keys Enter
wait_for "1栋"
expect_eq "$(line 3)" "" "building 2: nothing lacking there yet"
keys Enter Enter
wait_for "房号"
expect_line 3 "101   张三                    ! x x 入"
expect_line 4 "102   李四                    . + . 入"
keys Enter; wait_for "必须安装"
keys Enter; wait_for "序列号"
expect_line 2 "项目    金属软管"
scan H-0001
wait_for "序列号  H-0001"
keys F2
wait_for "已加：金属软管 H-0001"
expect_line 3 "项目    自闭阀"
expect_line 5 "序列号"
scan V-DUP
wait_for "序列号 V-DUP 已在户 9002 安装过。"
scan V-0001
wait_for "序列号  V-0001"
keys F2
wait_for "已加：金属软管 H-0001、自闭阀 V-0001"
scan 9002                                   # another household's account: asks, F2 stays
wait_for "扫描到9002：本表未保存。"
keys F2
wait_for "留在本表，未作更改。"
expect_line 2 "已加：金属软管 H-0001、自闭阀 V-0001"
slow Up Up Right
wait_for "<泄漏报警器>"
expect_line 4 "产品    家用可燃气体探测器（通用）"
slow Down Down
scan A-0009
wait_for "序列号  A-0009"
slow Up Up Left                             # another item: the serial goes
wait_for "<自闭阀>"
expect_line 5 "序列号"
slow Right Down Down
scan A-0001
wait_for "序列号  A-0001"
expect_line 6 "价格    150.00"
keys Down; type_text "88"; sleep 0.2
wait_for "价格    88"
keys F1
wait_for "已保存：装了3项；现为已达标。"
expect_eq "$(sql "SELECT count(DISTINCT seq) || ':' || group_concat(item || ' ' || product || ' ' || serial || ' ' || price_fen, '|') FROM (SELECT * FROM visit_install WHERE serial <> 'V-DUP' ORDER BY n)")" \
	"1:hose H-SS15 H-0001 12000|valve V-STD V-0001 12000|alarm A-HOME A-0001 8800" "three items in one visit"
keys Escape; wait_for "房号"

# the inspector: a business with a leak; the supply is stopped for it, then restored
keys Left Left Left; wait_for "已完成"
keys F2; wait_gone "缺装 今日"
keys F4; wait_for "今天谁在走访"; slow Down Left; keys F1; wait_for "今日"
slow Enter Down Enter Enter; wait_for "老王饭店"
keys Enter; wait_for "联动切断阀"
keys F1; wait_for "[保存]"
slow 2 2 2
keys F2; wait_for "发现 0 项"
slow Down Down Enter                        # H03 leak at a joint, grade 1
wait_for "发现 1 项"
keys Escape; wait_for "[隐患] 发现 1 项"
slow Down 2
wait_for "停气原因    接口漏气 H03"   # the checklist name, then the code
keys F1
wait_for "已保存：101 已入户"
expect_eq "$(sql "SELECT supply || ' ' || supply_hazard FROM visit WHERE account = '9003'")" "stopped H03" "supply stopped for H03"
keys Enter; wait_for "老王饭店"
wait_for "供气       已停气，未恢复"
keys F3
wait_for "本户有未整改隐患"
keys F1; wait_for "[保存]"
slow 2 2 2 Down 3
wait_for "供气        恢复供气"
keys F1
wait_for "已保存：101 已入户"
expect_eq "$(sql "SELECT supply FROM visit WHERE account = '9003' ORDER BY seq DESC LIMIT 1")" "restored" "supply restored"

# a mistaken visit: not at home by mistake, voided from the card's record
keys Enter; wait_for "老王饭店"
keys F4; wait_for "到访不遇"
keys Enter; wait_for "老王饭店"
keys F2; wait_for "到访不遇"
keys Enter; wait_for "作废这次走访："
slow 3
keys F1
wait_for "已作废：重复记录。"
wait_for "到访不遇（已作废）"
expect_eq "$(sql "SELECT reason FROM visit_void")" "重复记录" "the void's reason"
gw status 9003 --json >st.json
expect_grep '"visits": *2,' st.json                  # the voided one is not counted
expect_eq "$(sql "SELECT v.outcome FROM visit_void w JOIN visit v ON v.device = w.target_device AND v.seq = w.target_seq")" "not-home" "the visit voided"
keys Escape; wait_for "联动切断阀"
keys Escape; wait_for "房号"
keys Left Left Left; wait_for "已完成"
keys Escape; wait_for "再按Esc退出"; keys Escape
wait_for "TUI-EXITED-0"
