#!/bin/sh
# Keypad search on a terminal ledger of 5,000 households (three-character Chinese
# names, phones): CPU per search keystroke of the gaswalk process, pinyin included
# (initials 954, full pinyin 92645426486, the keypad's "wang" 9264, letters wjg, a
# phone tail, an account fragment), typed through tmux at 40x15 in Chinese; the
# target is 2 ms a keystroke. Also the CPU of opening the search screen (the index
# read and the names coded) and the peak memory. Asserts nothing about time.
. "$GASWALK_ROOT/tests/bench/lib.sh"
N=${SEARCH_BENCH_HOUSEHOLDS:-5000}
SOCK="gwsearch-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$B"' EXIT
cd "$B"

"$GASWALK" init --device bench --no-pin >/dev/null
sqlite3 gaswalk.db "
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1)
INSERT INTO household(account, category, gas, name, phone, subdistrict, community, compound,
                      building, unit, floor, room)
SELECT printf('8801%06d', i), 'residential', 'pipeline',
       substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', 1 + i % 20, 1) ||
       substr('建志秀春丽国明海长乐文晓红玉小永德金宏平', 1 + (i / 20) % 20, 1) ||
       substr('国华英军强伟平芳敏东静杰涛斌行朝重曾乐华', 1 + (i / 400) % 20, 1),
       '13' || printf('%09d', (i * 7919) % 1000000000), '大学路街道', '社区' || (i / 1000),
       '幸福小区' || printf('%02d', i / 100), (i / 20) % 5 + 1, (i / 10) % 2 + 1,
       (i / 2) % 10 + 1, printf('%d%02d', (i / 2) % 10 + 1, i % 2 + 1)
FROM n;"
sqlite3 gaswalk.db "INSERT OR REPLACE INTO meta VALUES('tui_actor','B1'),('tui_role','inspect'),('tui_day','$(date +%Y-%m-%d)')"

export TERM=xterm
tmux -L "$SOCK" new-session -d -x 40 -y 15 "cd '$B' && exec '$GASWALK' --lang zh tui"
tmux -L "$SOCK" set-option -g status off >/dev/null
wait_screen() {
	i=0
	while [ $i -lt 400 ]; do
		tmux -L "$SOCK" capture-pane -p | grep -qF -- "$1" && return 0
		sleep 0.05; i=$((i + 1))
	done
	echo "bench: screen never showed $1" >&2; exit 1
}
wait_screen "幸福小区"
pid=$(tmux -L "$SOCK" list-panes -F '#{pane_pid}')
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
ms() { echo "$1 $2 $3" | awk '{printf "%.3f", $1 * 1000 / $2 / $3}'; }

# opening search reads the index (each opening: the ledger may have changed)
opens=${SEARCH_BENCH_OPENS:-20}
before=$(cpu)
o=0
while [ $o -lt $opens ]; do
	tmux -L "$SOCK" send-keys F1
	wait_screen "查找："
	tmux -L "$SOCK" send-keys Escape
	wait_screen "幸福小区"
	o=$((o + 1))
done
after=$(cpu)
echo "search screen opened $opens times: $(ms $((after - before)) "$hz" "$opens") ms CPU an opening ($N households read and their names coded)"

tmux -L "$SOCK" send-keys F1
wait_screen "查找："
rounds=${SEARCH_BENCH_ROUNDS:-30}
before=$(cpu)
r=0
while [ $r -lt $rounds ]; do
	# 44 keystrokes: each query typed key by key, then erased key by key
	for q in 954 92645426486 9264 wjg 0001 8801; do
		tmux -L "$SOCK" send-keys -l "$q"
		n=${#q}
		while [ "$n" -gt 0 ]; do tmux -L "$SOCK" send-keys BSpace; n=$((n - 1)); done
	done
	r=$((r + 1))
done
tmux -L "$SOCK" send-keys -l "954"
wait_screen "查找：954"
after=$(cpu)
keys=$((rounds * 44 + 3))
per=$(ms $((after - before)) "$hz" "$keys")
echo "search: $keys keystrokes, $((after - before)) ticks of CPU at $hz Hz: $per ms CPU a keystroke (target 2 ms, ratio $(ratio "$per" 2))"
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "peak memory after the search session: ${hwm} KB ($(ratio "$hwm" 12288) of 12 MB)"
