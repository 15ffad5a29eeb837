#!/bin/sh
# QR codes that fit a 40x15 handheld, read back with zbar from the tmux screen:
#  - the device screen's fingerprint (26 base32 capitals: version 2) at 40x15 in Chinese,
#    the code whole on the screen with the text beside it, and at 80x24;
#  - the export receipt printed by `gaswalk export` in a 40x15 terminal (version 2);
#  - `key show --qr` (the fingerprint) at 40x15; on a smaller terminal one line says the
#    code does not fit and the text follows.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"
QRCHECK="$GASWALK_ROOT/tests/e2e/tui_qrcheck.py"

# a pane running a shell command, kept open after it ends
start_cmd() { # COLS ROWS COMMAND
	tm kill-server 2>/dev/null || true
	i=0
	while tm list-sessions >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	i=0
	until tm new-session -d -x "$1" -y "$2" \
		"cd '$T' && TZ='$TZ' LC_ALL=C.UTF-8 $3; printf CMD-EXITED-%s \$?; sleep 600" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 20 ] || fail "tmux would not start"; sleep 0.1
	done
	tm set-option -g status off >/dev/null
}
# qr_ok ARGS...: the screen's code passes tui_qrcheck.py ARGS, polled for 5 s (a capture
# can fall in the middle of a redraw, more so under emulation)
qr_ok() {
	i=0
	while [ $i -lt 50 ]; do
		screen | python3 "$QRCHECK" "$@" >qr.out 2>&1 && return 0
		sleep 0.1; i=$((i + 1))
	done
	cat qr.out >&2
	return 1
}
# the screen without the last line (the command's end marker), trailing blank lines cut
shown() { screen | grep -v CMD-EXITED | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

gw --db office.db init --office "林山寨街道办" >/dev/null
gw --db t.db init --device 终端07 --no-pin >/dev/null
sqlite3 office.db "INSERT INTO household(account, category, gas, compound, building, unit, floor, room, name)
	VALUES('0100000001', 'residential', 'pipeline', '幸福小区', '1', '1', '1', '101', '张三')"
gw --db t.db key show >t.id
gw --db office.db enroll t.id --name 终端07 >/dev/null
gw --db t.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
TID=$(head -n 1 t.id | cut -d: -f2)
FPR=$(gw --db t.db key show | sed -n 's/.*fingerprint \([A-Z2-7]*\).*/\1/p')
[ "${#FPR}" = 26 ] || fail "fingerprint '$FPR' is not 26 base32 capitals"
gw --db office.db assign --device "$TID" --compound 幸福小区 -o pack.gwp >/dev/null
gw --db t.db load pack.gwp >/dev/null
DB=t.db sql "INSERT OR REPLACE INTO meta VALUES('tui_actor', 'W01'), ('tui_role', 'inspect'),
	('tui_day', '$(date +%Y-%m-%d)')"

# 1. the device screen at 40x15 in Chinese: version 2, whole, beside its text
start_tui 40 15 --db t.db --lang zh tui
wait_for "幸福小区"
keys F3
wait_for "指纹："
check_widths 40
qr_ok --fit 40x15 --max-version 2 "$FPR" ||
	{ screen >&2; fail "device QR at 40x15"; }
expect_grep "QR version 2" qr.out
screen | grep -q "本机" || fail "no title beside the code"
tm resize-window -t 0 -x 80 -y 24
wait_for "指纹： $FPR"
qr_ok --fit 80x24 --max-version 2 "$FPR" ||
	{ screen >&2; fail "device QR at 80x24"; }
tm resize-window -t 0 -x 30 -y 10
wait_for "屏幕太小"
if screen | grep -q "▀\|▄\|█"; then screen >&2; fail "a code that cannot fit is drawn"; fi

# ... and on a terminal without colours (light modules drawn): a quiet zone all round,
# the bottom row of it on the line above the legend
start_cmd 40 15 "TERM=vt100 '$GASWALK' --db t.db --lang zh tui"
wait_for "幸福小区"
keys F3
wait_for "指纹："
qr_ok --invert --fit 40x15 --max-version 2 "$FPR" ||
	{ screen >&2; fail "device QR without colours at 40x15"; }
[ "$(line 15)" = "Esc返回" ] || { screen >&2; fail "legend"; }

# 2. the export receipt in a 40x15 terminal: the code is the last thing on the screen
gw --db t.db record 0100000001 --outcome not-home >/dev/null
mkdir usb
start_cmd 40 15 "'$GASWALK' --db t.db --lang zh export -o usb"
wait_for "CMD-EXITED-0" 20
receipt=$(tm capture-pane -p -S - -J | grep -o 'GWR2:[A-Z0-9:]*' | head -n 1)
[ -n "$receipt" ] || { tm capture-pane -p -S - -J >&2; fail "no receipt line"; }
expect_eq "$(printf %s "$receipt" | cut -d: -f2)" "$(printf %s "$TID" | cut -c1-8)" "receipt device"
shown | python3 "$QRCHECK" --invert --fit 40x15 --max-version 2 "$receipt" >qr.out ||
	{ screen >&2; fail "receipt QR at 40x15"; }
expect_grep "QR version 2" qr.out

# 3. key show --qr: the fingerprint's code at 40x15; where even that does not fit, one line
#    says so and the text follows
start_cmd 40 15 "'$GASWALK' --db t.db --lang zh key show --qr"
wait_for "CMD-EXITED-0"
shown | python3 "$QRCHECK" --invert --fit 40x15 --max-version 2 "$FPR" >/dev/null ||
	{ screen >&2; fail "key show --qr at 40x15"; }
start_cmd 24 12 "'$GASWALK' --db t.db --lang zh key show --qr"
wait_for "CMD-EXITED-0"
tm capture-pane -p -S - -J >out.txt
expect_grep "二维码需要 27x15 个字符，终端只有 24x12：改为显示文字：" out.txt
grep -A1 "改为显示文字" out.txt | tail -n 1 | grep -qx "$FPR" || { cat out.txt >&2; fail "the text after the notice"; }
if grep -q "▀\|▄\|█" out.txt; then fail "a code drawn at 24x12"; fi
