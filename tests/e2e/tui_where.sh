#!/bin/sh
# Where am I, always: at 40x15 in Chinese a long compound name keeps its
# distinguishing end and never pushes out the building, unit or room, on the route
# and on the card; a room like A-101-102 shows whole; 栋 is not added to 底商; a
# place without a unit says so; long lists show that there is more.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

C='国棉三厂生活区东院（原纺织机械厂家属院）'
make_ledger
add_home 4001 王建国 "$C" 3 2 1 A-101-102
add_home 4002 王建国 "$C" 3 2 1 A-101-103
add_home 4003 饭馆 沿街 底商 "" 1 S01 non_residential pipeline
i=10
while [ $i -lt 30 ]; do add_home "41$i" "住户$i" 长楼 1 1 "$i" "${i}01"; i=$((i + 1)); done
sql "UPDATE household SET subdistrict = '林山寨街道' WHERE compound = '$C'"
printf '街道,小区,月份,计划户数\n林山寨,%s,%s,5\n' "$C" "$(date +%Y-%m)" >plan.csv
gw plan import plan.csv >/dev/null
gw record 4125 --outcome not-home --actor W00 >/dev/null
remember_who W01 inspect

# a clock earlier than the office's last pack: said at start (the bundles would be held)
sql "INSERT OR REPLACE INTO meta VALUES('pack_created', '$(( $(date +%s) + 3 * 86400 ))')"
start_tui 40 15 --lang zh tui
wait_for "今日1"
wait_for "时钟早于任务包（$(date -d '+3 days' +%Y-%m-%d)），请校准。"
# open_door ACCOUNT: typed on the route, then back from the card to its door
open_door() { type_text "$1"; sleep 0.2; keys Enter; wait_for "$1"; keys Escape; wait_for "房号"; }
open_door 4001
expect_line 1 "$(title_line 40 "…（原纺织机械厂家属院） 3栋 2单元" "今日1")"
expect_line 3 "A-101-102 王建国              . . . -"
check_widths 40
keys Down Enter; wait_for "王建国"
expect_line 1 "$(title_line 40 "3栋 2单元 A-101-103" "4002")"
expect_line 3 "小区       …区东院（原纺织机械厂家属院）"
check_widths 40
keys Escape; wait_for "房号"
keys Left Left; wait_for "本月计划"               # the compound's plan for the month
expect_line 2 "本月计划：已完成 0 / 5 户"
keys Right Right; wait_for "房号"
open_door 4003
keys Left; wait_for "（无单元）"
keys Left; wait_for "底商"
expect_line 2 "底商                                 0/1"
keys Enter Enter; wait_for "S01"
expect_line 1 "$(title_line 40 "沿街 底商 （无单元）" "今日1")"
keys Enter; wait_for "饭馆"
expect_line 1 "$(title_line 40 "底商 S01" "4003")"
keys Escape
# twenty doors in one unit: the list says there is more below, then above
open_door 4110
screen | sed -n 13p | grep -q '↓$' || { screen >&2; fail "no mark of more below"; }
keys Up                                          # no wrap: the first stays
sleep 0.2; screen | sed -n 3p | grep -q '1001' || { screen >&2; fail "Up moved off the first door"; }
i=0; while [ $i -lt 19 ]; do keys Down; i=$((i + 1)); done   # down to the last
wait_for "2901"
screen | sed -n 3p | grep -q '↑$' || { screen >&2; fail "no mark of more above"; }
check_widths 40
# the to-do shows first the doors where nobody was at home (the revisits)
keys F2; wait_for "待办 今日"
line 3 | grep -q '^2501  住户25 .* 未$' || { screen >&2; fail "the revisit is not first"; }
line 4 | grep -q '^1001 ' || { screen >&2; fail "the others follow in walking order"; }
