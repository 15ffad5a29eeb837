#!/bin/sh
# Every label true: each entry of the key legend, taken from the bindings table in
# tui/keys.c, is pressed on its screen at 40x15 in Chinese and must do what it says.
# A legend entry without a check below fails the test, so a new key gets one.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 6001 张三 东院 1 1 1 101
add_home 6002 李四 东院 1 1 1 102
add_home 6003 王五 东院 1 1 2 201
gw record 6003 --outcome not-home --actor W00 >/dev/null
cp gaswalk.db base.db
mkdir cam
printf 'jpeg' >cam/IMG_0001.jpg

# the legend entries of the table: "KM_DOORS F3", ...
python3 - "$GASWALK_ROOT/tui/keys.c" >entries <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'\{(KM_\w+),[^{}]*?"([^"]+)",\s*N_\("', src):
    name = m.group(2).replace("\\xe2\\x86\\x90\\xe2\\x86\\x92", "LR")
    print(m.group(1), name)
PY
[ "$(wc -l <entries)" -gt 40 ] || fail "too few legend entries read from keys.c: $(cat entries)"

# fresh ROLE: a new TUI on the base ledger, on the route
fresh() {
	tm kill-server 2>/dev/null || true
	cp base.db gaswalk.db
	rm -f gaswalk.db-wal gaswalk.db-shm
	sql "INSERT OR REPLACE INTO meta VALUES('tui_actor', 'W01'), ('tui_role', '$1'),
	     ('tui_day', '$(date +%Y-%m-%d)')"
	start_tui 40 15 --lang zh tui --camera cam
	wait_for "今日"
}
doors() { keys Enter Enter Enter; wait_for "房号"; }
card() { doors; keys Enter; wait_for "必须安装"; }
form() { card; keys F1; wait_for "[保存]"; }
# the key of a legend name
press() {
	case $1 in
	Esc) keys Escape ;;
	Ent) keys Enter ;;
	LR) keys Left ;;
	*) keys "$1" ;;
	esac
}
# reach KM: puts the screen of that keymap up
reach() {
	case $1 in
	KM_ROUTE) fresh inspect ;;
	KM_DOORS) fresh inspect; doors ;;
	KM_CARD) fresh inspect; card ;;
	KM_CARD_INSTALL) fresh install; card ;;
	KM_CAPTURE) fresh inspect; form ;;
	KM_FORM_SHORT) fresh inspect; form; keys Up 2; wait_for "F1保存 F3照片 Esc返回" ;;
	KM_INSTALL) fresh install; card; keys F1; wait_for "序列号"; keys SER-0001 Enter; wait_for "SER-0001" ;;
	KM_WHO) fresh inspect; keys F4; wait_for "今天谁在走访" ;;
	KM_SEARCH) fresh inspect; keys F1; wait_for "查找"; type_text "张"; wait_for "张三" ;;
	KM_CHECKLIST) fresh inspect; form; keys F2; wait_for "发现 0 项"; keys Enter; wait_for "发现 1 项" ;;
	KM_PHOTOS) fresh inspect; form; keys F3; wait_for "IMG_0001.jpg" ;;
	KM_DEVICE) fresh inspect; keys F3; wait_for "本机" ;;
	KM_HISTORY) fresh inspect; doors; keys Down Down Enter; wait_for "王五"; keys F2; wait_for "到访不遇" ;;
	KM_VOID) reach KM_HISTORY; keys Enter; wait_for "作废这次走访：" ;;
	KM_ASK) fresh inspect; form; keys 2 2 2; wait_for "泄漏报警器  正常"; keys 6002 Enter; wait_for "本表未保存" ;;
	*) fail "no way to reach $1" ;;
	esac
}
# what the key must show
expect_after() {
	case "$1 $2" in
	"KM_ROUTE F1" | "KM_DOORS F1") wait_for "查找" ;;
	"KM_ROUTE F2") wait_for "待办 今日" ;;
	"KM_ROUTE F3") wait_for "本机" ;;
	"KM_ROUTE F4") wait_for "今天谁在走访" ;;
	"KM_ROUTE Esc") wait_for "再按Esc退出。" ;;
	"KM_DOORS F2") wait_for "待办 今日" ;;
	"KM_DOORS F3" | "KM_CARD F3") wait_for "已保存：101 已入户，本户第1次。" ;;
	"KM_DOORS F4" | "KM_CARD F4") wait_for "已保存：101 到访不遇，本户第1次。" ;;
	"KM_DOORS Esc") wait_gone "房号" ;;
	"KM_CARD F1" | "KM_CARD_INSTALL F3") wait_for "[保存]" ;;
	"KM_CARD F2" | "KM_CARD_INSTALL F2") wait_for "尚无走访记录。" ;;
	"KM_CARD Esc" | "KM_CARD_INSTALL Esc") wait_for "房号" ;;
	"KM_CARD_INSTALL F1") wait_for "序列号" ;;
	"KM_CAPTURE F1") # a blank "entered" visit is refused, saying what is missing
		wait_for "未保存：软管、自闭阀未查。"
		expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '6001'")" 0 "blank visit" ;;
	"KM_CAPTURE F2") wait_for "发现 0 项" ;;
	"KM_CAPTURE F3" | "KM_FORM_SHORT F3" | "KM_INSTALL F3") wait_for "IMG_0001.jpg" ;;
	"KM_CAPTURE Esc") wait_for "必须安装" ;;
	"KM_FORM_SHORT F1") wait_for "已保存：101 到访不遇" ;;
	"KM_FORM_SHORT Esc" | "KM_INSTALL Esc") wait_for "再按Esc放弃" ;;
	"KM_INSTALL F1") wait_for "已保存：已装金属软管" ;;
	"KM_INSTALL F2") wait_for "已加：金属软管 SER-0001" ;;
	"KM_WHO F1" | "KM_WHO Esc" | "KM_DEVICE Esc") wait_for "今日" ;;
	"KM_SEARCH Ent") wait_for "必须安装" ;;
	"KM_SEARCH Esc") wait_for "今日" ;;
	"KM_CHECKLIST Ent") wait_for "发现 0 项" ;;
	"KM_CHECKLIST LR") ;;
	"KM_CHECKLIST Esc") wait_for "[隐患] 发现 1 项" ;;
	"KM_PHOTOS Ent") wait_for "已附 1 张" ;;
	"KM_PHOTOS F1") wait_for "IMG_0002.jpg" ;;
	"KM_PHOTOS Esc") wait_for "[照片]" ;;
	"KM_HISTORY Ent") wait_for "作废这次走访：" ;;
	"KM_HISTORY Esc") wait_for "王五" ;;
	"KM_VOID F1") wait_for "已作废：录错户。" ;;
	"KM_VOID Esc") wait_gone "作废这次走访：" ;;
	"KM_ASK F1") wait_for "李四"; expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '6001'")" 1 "saved" ;;
	"KM_ASK Esc") wait_for "李四"; expect_eq "$(sql "SELECT count(*) FROM visit WHERE account = '6001'")" 0 "discarded" ;;
	"KM_ASK F2") wait_for "留在本表，未作更改。" ;;
	*) fail "legend entry $1 $2 has no check" ;;
	esac
}

n=0
while read -r km key; do
	reach "$km"
	before=$(screen)
	[ "$km $key" = "KM_PHOTOS F1" ] && printf 'jpeg2' >cam/IMG_0002.jpg
	[ "$km $key" = "KM_CHECKLIST LR" ] && before=$(screen | sed -n 2p)
	press "$key"
	if [ "$km $key" = "KM_CHECKLIST LR" ]; then
		i=0; while [ "$(screen | sed -n 2p)" = "$before" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		[ "$(screen | sed -n 2p)" != "$before" ] || fail "← did not change the grade"
	else
		expect_after "$km" "$key"
	fi
	rm -f cam/IMG_0002.jpg
	n=$((n + 1))
done <entries
echo "$n legend entries pressed"
