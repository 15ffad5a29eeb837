#!/bin/sh
# The idle lock at 40x15 in Chinese: after the idle time the screen shows no household
# data; a note typed before the lock is still in the form after it. On a terminal
# under a PIN the lock opens only with the PIN (a wrong one is counted, a scanner's
# burst is not a try, nor an entry shorter than a PIN); the screen says how many tries
# are left, warns before the last, says to wait during the back-off (typing ignored);
# what is typed before an unlock never reaches the route. A key destroyed by the
# tries, missing, or swapped for one under no PIN opens nothing: the lock screen says
# what happened and what to do within 40 columns and Esc quits; a restart refuses in
# one line. The test build takes the idle time in seconds from
# GASWALK_IDLE_SECONDS (the installed binary has only the setting, in minutes).
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"
export GASWALK_IDLE_SECONDS=6

gw init --device HT-07 --pin-fd 3 3<<EOF >/dev/null
482915
EOF
add_home 1001 张三 幸福小区 1 1 1 101
add_home 1002 李四 幸福小区 1 1 1 102
remember_who W01 inspect
tries() { od -A n -t u4 -j 28 -N 4 gaswalk.db.key | tr -d ' '; }
# no household data on the screen: names, rooms, compound, the note
no_data() {
	for s in 张三 李四 101 幸福小区 阀门锈; do
		screen | grep -qF "$s" && { screen >&2; fail "the locked screen shows $s"; }
	done
	return 0
}
slow() { for k in "$@"; do keys "$k"; sleep 0.1; done; } # typed, not a scanner's burst

start_tui 40 15 --lang zh tui
# under a PIN: asked first, nothing shown before it
wait_for "输入 PIN，再按确认："
no_data
slow 4 8 2 9 1 5 Enter
wait_for "幸福小区" 60
keys Enter Enter Enter # compound, building, unit
wait_for "张三"
keys Enter
wait_for "必须安装"
keys F1
wait_for "[保存]"
keys 2 2 3 # hose metal, valve ok, alarm absent: the cursor moves on to the hazards
wait_for "泄漏报警器  未装"
keys Down Down Down # the notice row, photos, then the note
type_text "阀门锈"
wait_for "阀门锈"
# idle: locked
wait_for "已锁定" 20
expect_line 6 "已锁定"
expect_line 7 "输入 PIN，再按确认："
no_data
check_widths 40
# a scanner's burst is no try; a wrong PIN typed is one, and says so
keys 1 2 3 4 5 6 Enter
sleep 0.5
expect_eq "$(tries)" 0 "a burst counted as a try"
# an entry shorter than a PIN is no try: a lone Enter, three digits
keys Enter
wait_for "PIN 至少 6 位数字；这次输入不计次数。"
slow 1 2 3 Enter
expect_line 9 "PIN 至少 6 位数字；这次输入不计次数。"
expect_eq "$(tries)" 0 "a short entry counted as a try"
slow 0 0 0 0 0 0 Enter
wait_for "还可再试" 60 # a derivation: slow under valgrind
expect_line 9 "PIN 错误，还可再试 9 次；"
expect_line 10 "用完后密钥将被销毁。"
check_widths 40
expect_eq "$(tries)" 1 "the wrong PIN counted"
no_data
# the right PIN: back in the form, the note still there
slow 4 8 2 9 1 5 Enter
wait_for "[保存]" 60
keys F1
wait_for "已保存：101"
expect_eq "$(tries)" 0 "the right PIN clears the count"
expect_eq "$(sql "SELECT note FROM visit WHERE account = '1001'")" "阀门锈" "the note typed before the lock saved"
# locked again while idle on the route; the PIN typed twice: the second copy, typed
# while the first is checked, never reaches the route
wait_for "已锁定" 20
no_data
slow 4 8 2 9 1
keys 5 Enter 4 8 2 9 1 5 Enter # the second copy there before the first is checked
wait_for "李四" 60
sleep 1
screen | grep -qF 482915 && { screen >&2; fail "the PIN typed twice reached the route"; }
expect_eq "$(tries)" 0 "the second copy was tried"
# the second copy typed at a person's pace, its keys landing after the check is done
# (a thief trial saw five of six digits reach the route, the staff number or a form)
wait_for "已锁定" 20
slow 4 8 2 9 1 5 Enter 4 8 2 9 1 5 Enter
wait_for "李四" 60
sleep 1
screen | grep -qF 8291 && { screen >&2; fail "a PIN typed twice at a person's pace reached the route"; }
expect_eq "$(tries)" 0 "nothing counted"

# the back-off and the last try (pin_max_tries 8): 6 wrong PINs counted before, the
# last just now: the screen says to wait, typing is ignored until then
tm kill-server
gw settings pin_max_tries 8 >/dev/null
python3 - <<'PY'
import struct
b = bytearray(open('gaswalk.db.key', 'rb').read())
b[28:32] = struct.pack('<I', 6)
open('gaswalk.db.key.new', 'wb').write(bytes(b))
PY
chmod 600 gaswalk.db.key.new && mv gaswalk.db.key.new gaswalk.db.key
start_tui 40 15 --lang zh tui
wait_for "请等待"
expect_line 9 "PIN 错误，还可再试 2 次；"
line 10 | grep -qE '^用完后密钥将被销毁。请等待 [1-4] 秒再试；$' || { screen >&2; fail "the wait: $(line 10)"; }
expect_line 11 "在此之前的输入不计。"
check_widths 40
slow 4 8 2 9 1 5 Enter # ignored: not counted, not even the right PIN
wait_gone "请等待"
expect_line 8 ""
expect_line 9 "PIN 错误，还可再试 2 次；"
expect_line 10 "用完后密钥将被销毁。"
expect_eq "$(tries)" 6 "typing during the wait counted"
slow 0 0 0 0 0 0 Enter
wait_for "只剩最后 1 次" 60
i=0
while screen | grep -qF 请等待 && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect_line 9 "PIN 错误，只剩最后 1 次；"
expect_line 10 "再错密钥将被销毁！"
expect_eq "$(tries)" 7 "the seventh wrong PIN"
no_data
# the last wrong PIN destroys the key: the screen says so and what to do; Esc quits
slow 0 0 0 0 0 0 Enter
wait_for "按 Esc 退出" 60
[ ! -e gaswalk.db.key ] || fail "the key is still there after the last try"
expect_line 2 "已锁定"
expect_line 4 "gaswalk.db.key：本终端的密钥已在 8 次"
expect_line 5 "PIN 错误后销毁（或已丢失）："
expect_line 6 "请把终端交给办公室：执行 'gaswalk key"
expect_line 7 "new'，再由文员用 'enroll --successor'"
expect_line 8 "登记"
expect_line 10 "按 Esc 退出"
check_widths 40
no_data
keys Enter Enter Enter 4 8 2 9 1 5 Enter C-c C-z
sleep 0.5
screen | grep -qF "按 Esc 退出" || { screen >&2; fail "a key other than Esc left the screen"; }
no_data
keys Escape
wait_for "TUI-EXITED-1"
no_data
# started again: refused in one line, nothing drawn
GONE="gaswalk: gaswalk.db.key：本终端的密钥已在 8 次 PIN 错误后销毁（或已丢失）：请把终端交给办公室：执行 'gaswalk key new'，再由文员用 'enroll --successor' 登记"
tm kill-server
expect_rc 1 script -qec "LC_ALL=C.UTF-8 '$GASWALK' --lang zh tui" /dev/null
expect_eq "$(tr -d '\r' <"$T/out")" "$GONE" "restart after the key was destroyed"
# a key file under no PIN put in its place opens nothing either
gw --db other.db init --device X --no-pin >/dev/null
cp other.db.key gaswalk.db.key
expect_rc 1 script -qec "LC_ALL=C.UTF-8 '$GASWALK' --lang zh tui" /dev/null
expect_eq "$(tr -d '\r' <"$T/out")" "gaswalk: gaswalk.db.key：密钥文件不在 PIN 保护下，但本终端的密钥是在 PIN 下生成的：拒绝；请把终端交给办公室：执行 'gaswalk key new --replace'，再由文员用 'enroll --successor' 登记" "a swapped key file under no PIN"
mkdir usb
expect_rc 1 gw export -o usb
expect_eq "$(cat "$T/err")" "gaswalk: gaswalk.db.key: a key file under no PIN, but this terminal's key was made under one: refused; take the terminal to the office: 'gaswalk key new --replace', then the clerk enrolls it with 'enroll --successor'" "export with the swapped key"

# the same in English (pin_max_tries 3: no back-off before the last)
printf '482915\n' >pin.txt
gw --db en.db init --device HT-08 --pin-fd 3 3<pin.txt >/dev/null
gw --db en.db settings pin_max_tries 3 >/dev/null
start_tui 40 15 --db en.db --lang en tui
wait_for "PIN, then Enter:"
slow 1 2 Enter
wait_for "at least 6 digits"
expect_line 9 "A PIN has at least 6 digits; this entry"
expect_line 10 "was not counted."
slow 0 0 0 0 0 0 Enter
wait_for "tries left" 60
expect_line 9 "Wrong PIN: 2 tries left; after the last"
expect_line 10 "the key is destroyed."
check_widths 40
slow 0 0 0 0 0 0 Enter
wait_for "1 try left" 60
expect_line 9 "Wrong PIN: 1 try left. A wrong PIN now"
expect_line 10 "destroys the key!"
slow 0 0 0 0 0 0 Enter
wait_for "Esc quits" 60
expect_line 2 "Locked"
expect_line 4 "en.db.key: the key of this terminal was"
expect_line 5 "destroyed after 3 wrong PINs (or is"
expect_line 6 "missing): take the terminal to the"
expect_line 7 "office: 'gaswalk key new', then the"
expect_line 8 "clerk enrolls it with 'enroll"
expect_line 9 "--successor'"
expect_line 11 "Esc quits"
check_widths 40
keys Escape
wait_for "TUI-EXITED-1"
echo ok
