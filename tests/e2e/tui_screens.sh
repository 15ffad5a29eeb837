#!/bin/sh
# Every screen at 40x15 with very long Chinese names never draws a line wider than
# the terminal; a name carrying escape sequences shows as harmless text; the device
# screen draws a well-formed QR code at 80x24 and says so when 40x15 is too small.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

LONG=$(python3 -c 'print("张王李赵刘陈杨黄吴周" * 6)')
PLACE=$(python3 -c 'print("幸福家园小区" * 5)')
make_ledger
add_home 7001 "$LONG" "$PLACE" 十二 "第二单元第二单元第二单元" 12 "1201室一二三四五六"
add_home 7002 "$LONG" "$PLACE" 十二 "第二单元第二单元第二单元" 12 1202 non_residential lpg
sql "INSERT INTO household(account, category, gas, name, compound, building, unit, floor, room)
     VALUES('7003', 'residential', 'pipeline',
            'Evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[31mRED' || char(155) || 'x',
            'Zoo', '1', '1', '1', '101')"
remember_who "$LONG" inspect
mkdir cam
printf 'x' >"cam/$(python3 -c 'print("照片" * 30)').jpg"

start_tui 40 15 --lang zh tui --camera cam
wait_for "今日0"
check_widths 40
keys Down Enter; wait_for "栋"; check_widths 40
keys Enter; wait_for "单元"; check_widths 40
keys Enter; wait_for "房号"; check_widths 40
keys Enter; wait_for "必须安装"; check_widths 40
keys Down Down Down Down Down Down Down Down Down Down; check_widths 40
keys F1; wait_for "[保存]"; check_widths 40
keys F2; wait_for "发现 0 项"; check_widths 40
keys Escape; wait_for "[保存]"
keys F3; wait_for "照片照片"; check_widths 40
keys Enter; wait_for "已附 1 张"; check_widths 40
keys Escape; wait_for "[照片] 已附 1 张"
keys Escape; wait_for "再按Esc放弃"; keys Escape
wait_for "必须安装"
keys F2; wait_for "尚无走访记录。"; check_widths 40
keys Escape; wait_for "必须安装"
keys Escape; wait_for "房号"
keys Down Enter; wait_for "联动切断阀"; check_widths 40
keys Escape; wait_for "房号"
keys F1; wait_for "输入户号"
type_text "张王"; wait_for "1201室"; check_widths 40
keys Left Left
type_text "Evil"; wait_for "Evil^["
check_widths 40
expect_line 3 "  101 Evil^[]0;pwned^G^[[31mRED�x 1-1 …o"
keys Enter; wait_for "7003"
expect_line 2 "户名       Evil^[]0;pwned^G^[[31mRED�x"
screen | grep -qF '^[[31mRED' || fail "the colour code is not shown as text"
expect_eq "$(tm display-message -p '#{pane_title}')" "$(hostname)" "pane title untouched"
keys Escape; wait_for "Evil^["
keys Escape; wait_for "房号"
keys Left; wait_for "单元"
keys F3; wait_for "本机"
# the public-key fingerprint, in capitals, is what the code says; at 40x15 it sits
# beside the code, at 80x24 above it
fpr=$(gw key show | sed -n 's/.*fingerprint \([A-Z2-7]*\).*/\1/p')
[ -n "$fpr" ] || fail "no fingerprint from key show"
wait_for "指纹："
check_widths 40
screen | python3 "$GASWALK_ROOT/tests/e2e/tui_qrcheck.py" "$fpr" || { screen >&2; fail "QR code at 40x15"; }
tm resize-window -t 0 -x 80 -y 24
wait_for "编号： "
check_widths 80
screen | python3 "$GASWALK_ROOT/tests/e2e/tui_qrcheck.py" "$fpr" || { screen >&2; fail "QR code at 80x24"; }
expect_line 2 "名称： HT-07"
expect_line 3 "编号： $(sql "SELECT value FROM meta WHERE key='device_id'")"
expect_line 4 "指纹： $fpr"
tm resize-window -t 0 -x 24 -y 10
wait_for "屏幕太小"
check_widths 24
