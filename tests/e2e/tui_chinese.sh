#!/bin/sh
# Every word on a Chinese screen is Chinese: drives every screen of the handheld and
# the errors a person can meet there, at 40x15 in zh, and after each step finds no
# English word on the screen except codes and serials (tokens with a digit: H03,
# SER-1, IMG_0001.jpg, W01), the key names of the legend and the device id.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 8001 张三 东院 1 1 1 101
add_home 8002 老王饭店 沿街商铺 底商 "" 1 S01 non_residential pipeline
gw record 8001 --outcome entered --hose metal --valve ok --alarm ok --install valve:V-STD:SV-77:120 --role install --actor W00 >/dev/null
gw record 8002 --outcome entered --install alarm:A-COM:AL-1:600 --role install --actor W00 >/dev/null
mkdir cam
printf 'jpeg' >cam/IMG_0001.jpg
printf 'gone' >cam/IMG_0002.jpg

steps=0
# look: the screen has no English word
look() {
	steps=$((steps + 1))
	screen | python3 -c '
import re, sys
text = sys.stdin.read()
ids = sys.argv[1:]
bad = []
for tok in re.findall(r"[\x21-\x7e]+", text):
    for word in re.findall(r"[A-Za-z]{2,}", tok):
        if re.search(r"[0-9]", tok):          # a code or serial: H03, SER-1, W01
            continue
        if word in ("Esc", "Ent"):             # key names on the keypad
            continue
        if any(word in i for i in ids):         # the device id (cut over lines)
            continue
        bad.append(word)
if bad:
    sys.exit("English on a Chinese screen: " + ", ".join(sorted(set(bad))))
' "$(sql "SELECT value FROM meta WHERE key = 'device_id'")" || { screen >&2; fail "step $steps: English on the screen"; }
}
scan() { keys "$1" Enter; }
esc() { keys Escape; sleep 0.1; } # an Esc alone, not the start of the next key

start_tui 40 15 --lang zh tui --camera cam
wait_for "今天谁在走访？"; look
keys F1; wait_for "请先输入工号或姓名。"; look
scan 8001; wait_for "扫描内容不能作工号"; look
type_text "8001"; sleep 0.2; keys F1; wait_for "这是户号，不是工号。"; look
esc; wait_for "再按Esc退出"; look
type_text "W01"; sleep 0.2; keys F1; wait_for "今日"; look
# the route, every level, the to-do filter, a typed account that is none
keys F2; wait_for "待办"; look
keys F2; wait_gone "待办 今日"
type_text "12"; sleep 0.2; keys Enter; wait_for "这里没有户号或房号"; look
# typed digits never outlive another screen or a move of the highlight
type_text "07"; wait_for "户号或房号：07"
keys F1; wait_for "查找"; esc; wait_for "路线"
! screen | grep -q "户号或房号" || { screen >&2; fail "typed digits survived the search screen"; }
type_text "07"; wait_for "户号或房号：07"
keys Down Up; wait_gone "户号或房号"
scan 99999999; wait_for "无此户号"; look
keys Down Enter; wait_for "底商"; look
keys Enter; wait_for "无单元"; look
keys Enter; wait_for "房号"; look
# a business's card: its sector in Chinese, a place with no unit
keys Enter; wait_for "老王饭店"; look
screen | grep -q "餐饮" || { screen >&2; fail "the sector is not in Chinese"; }
# its visit form: the supply rows; a stop without a grade-1 hazard is refused
keys F1; wait_for "[保存]"; look
keys 2 2 2; sleep 0.2; keys Down; wait_for "供气"; look
keys 2; wait_for "停气原因"; look
keys F1; wait_for "未保存"; look
keys F2; wait_for "发现"; look
esc; keys F3; wait_for "IMG_0001.jpg"; look
rm cam/IMG_0002.jpg
keys Enter; wait_for "无法读取"; look
keys F1; wait_gone "IMG_0002.jpg"; look
esc; esc; wait_for "再按Esc放弃"; look
esc; wait_for "老王饭店"
# the record of visits and the void screen
keys F2; wait_for "已入户 W00"; look
esc
esc; wait_for "房号"; keys Left Left Left; wait_for "已完成"
keys Up Enter Enter Enter; wait_for "张三"; look
keys Enter; wait_for "必须安装"; look
keys F2; wait_for "已入户"; look
keys Enter; wait_for "作废这次走访"; look
esc; esc; wait_for "必须安装"
keys F4; wait_for "已保存"; look
keys Enter; wait_for "张三"; keys F2; wait_for "到访不遇"; keys Enter; wait_for "作废这次走访"; look
keys F1; wait_for "已作废"; look
keys Enter; wait_for "这次走访已作废。"; look
esc; esc; wait_for "房号"
# a scan over a form with values: the question
keys Enter; keys F1; wait_for "[保存]"; keys 2; sleep 0.2
scan 8002; wait_for "本表未保存"; look
keys F2; esc; esc; wait_for "必须安装"
# the installer's screens and errors
esc; keys Left Left Left; wait_for "已完成"
keys F4; wait_for "今天谁在走访"; keys Down Right; sleep 0.2; keys F1; wait_for "今日"
keys F2; wait_for "缺装"; look
keys F2; wait_gone "缺装 今日"
keys Enter Enter Enter; wait_for "房号"; look
keys Enter; wait_for "必须安装"; look
keys Enter; wait_for "序列号"; look
keys F1; wait_for "请扫描或输入序列号。"; look
scan AL-1; wait_for "已在户 8002 安装过"; look
keys Down; type_text "x"; sleep 0.2; keys Enter; wait_for "价格"
keys F1; wait_for "不是"; look
keys F2; look
esc; esc; wait_for "张三"
esc; keys Left; wait_for "单元"
# the device and search screens
keys Left Left; keys F3; wait_for "本机"; look
esc; keys F1; wait_for "查找"; look
type_text "张"; wait_for "张三"; look
esc
esc; wait_for "再按Esc退出"; keys Escape
wait_for "TUI-EXITED-0"
echo "$steps screens looked at"
