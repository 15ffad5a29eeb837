#!/bin/sh
# The TUI on a terminal ledger of 5,000 households:
#  1. start to the first drawn route screen (gaswalk tui --exit-after-draw) against
#     the sqlite3 shell running the route screen's queries, both as whole processes;
#  2. CPU per keystroke in search, from a scripted tmux session of many keystrokes
#     (the process's own user+system time, so tmux's work is not counted);
#  3. peak memory (first draw under /usr/bin/time; VmHWM after the search session).
# Prints figures and ratios; asserts nothing about time.
if [ -f "$GASWALK_ROOT/tests/bench/lib.sh" ]; then
	. "$GASWALK_ROOT/tests/bench/lib.sh"
else
	set -eu
	B=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-bench.XXXXXX")
	trap 'rm -rf "$B"' EXIT
	secs() { s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$s $e" | awk '{printf "%.3f", $2 - $1}'; }
	best3() { a=$(secs "$@"); b=$(secs "$@"); c=$(secs "$@"); printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | head -1; }
	ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "inf" }'; }
	peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
fi
N=${TUI_BENCH_HOUSEHOLDS:-5000}
SOCK="gwbench-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$B"' EXIT
cd "$B"

"$GASWALK" init --device bench --no-pin >/dev/null
# 50 compounds x 5 buildings x 2 units x 10 floors x 2 rooms; a third visited
sqlite3 gaswalk.db "
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1)
INSERT INTO household(account, category, gas, name, phone, subdistrict, community, compound,
                      building, unit, floor, room)
SELECT printf('8801%06d', i), 'residential', CASE WHEN i % 7 = 0 THEN 'lpg' ELSE 'pipeline' END,
       substr('张王李赵刘陈杨黄吴周', 1 + i % 10, 1) || substr('伟芳娜敏静丽强磊军洋', 1 + (i / 10) % 10, 1),
       '1380000' || printf('%04d', i % 10000), '大学路街道', '社区' || (i / 1000),
       '幸福小区' || printf('%02d', i / 100), (i / 20) % 5 + 1, (i / 10) % 2 + 1,
       (i / 2) % 10 + 1, printf('%d%02d', (i / 2) % 10 + 1, i % 2 + 1)
FROM n;
INSERT INTO status(account, state, hose, valve, alarm, missing, visits, last_outcome, last_at)
SELECT account, 'pending', 'metal', 'absent', 'absent', 'valve', 1,
       CASE WHEN rowid % 2 THEN 'entered' ELSE 'not-home' END, 1700000000
FROM (SELECT account, row_number() OVER () AS rowid FROM household) WHERE rowid % 3 = 0;"
"$GASWALK" record 8801000000 --outcome entered --hose metal --valve ok >/dev/null
sqlite3 gaswalk.db "INSERT OR REPLACE INTO meta VALUES('tui_actor','B1'),('tui_role','inspect'),('tui_day','$(date +%Y-%m-%d)')"

# the route screen's queries (core/route.c: route_day, route_today, the compound list)
DAY0=$(TZ=${TZ:-Asia/Shanghai} date -d "$(date +%Y-%m-%d)" +%s)
ROUTE_SQL="SELECT count(*), COALESCE(sum(s.last_outcome IS NOT NULL AND s.last_outcome <> 'not-home'), 0) FROM household h LEFT JOIN status s ON s.account = h.account;
SELECT count(DISTINCT v.account) FROM visit v WHERE v.at_epoch >= $DAY0 AND NOT EXISTS(SELECT 1 FROM visit_void w WHERE w.target_device = v.device AND w.target_seq = v.seq AND w.account = v.account);
SELECT h.compound, count(*), COALESCE(sum(s.last_outcome IS NOT NULL AND s.last_outcome <> 'not-home'), 0), sum(COALESCE(s.missing <> '', 0)), h.subdistrict || '/' || h.compound FROM household h LEFT JOIN status s ON s.account = h.account GROUP BY h.subdistrict, h.compound ORDER BY h.compound, h.subdistrict;"

export TERM=xterm
tui_first() { "$GASWALK" tui --exit-after-draw </dev/null >/dev/null; }
shell_route() { sqlite3 gaswalk.db "$ROUTE_SQL" >/dev/null; }
tui_first || { echo "tui --exit-after-draw failed"; exit 1; }
printf '%s\n' "$ROUTE_SQL" >route.sql
if command -v hyperfine >/dev/null 2>&1; then
	# many runs of each whole process, no shell in between: the median in seconds
	hyperfine -N --warmup 3 --runs 40 --export-json hf.json \
		"$GASWALK tui --exit-after-draw" "sqlite3 gaswalk.db -init route.sql .quit" >/dev/null 2>&1 </dev/null
	t_tui=$(python3 -c 'import json; print("%.4f" % json.load(open("hf.json"))["results"][0]["median"])')
	t_sql=$(python3 -c 'import json; print("%.4f" % json.load(open("hf.json"))["results"][1]["median"])')
	how="median of 40 runs (hyperfine)"
else
	t_tui=$(best3 tui_first)
	t_sql=$(best3 shell_route)
	how="best of 3"
fi
echo "first route screen, $N households, $how: tui ${t_tui}s, sqlite3 shell ${t_sql}s, ratio $(ratio "$t_tui" "$t_sql")"

mem_first=$(peak_kb "$GASWALK" tui --exit-after-draw </dev/null)
echo "peak memory at the first draw: ${mem_first} KB ($(ratio "$mem_first" 12288) of 12 MB)"

# search: many keystrokes through tmux; CPU from /proc/PID/stat (ticks)
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
wait_screen "今日"
pid=$(tmux -L "$SOCK" list-panes -F '#{pane_pid}')
tmux -L "$SOCK" send-keys F1
wait_screen "查找："
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
rounds=${TUI_BENCH_ROUNDS:-150}
before=$(cpu)
r=0
while [ $r -lt $rounds ]; do
	# 12 keystrokes: an account fragment, a room, a name; each erased
	tmux -L "$SOCK" send-keys 8 8 0 1 Left Left Left Left
	tmux -L "$SOCK" send-keys -l "张伟"
	tmux -L "$SOCK" send-keys Left Left
	r=$((r + 1))
done
tmux -L "$SOCK" send-keys -l "END"
wait_screen "查找：END"
after=$(cpu)
keys=$((rounds * 12))
echo "search: $keys keystrokes, $((after - before)) ticks of CPU at $hz Hz: $(echo "$after $before $hz $keys" | awk '{printf "%.3f", ($1 - $2) * 1000 / $3 / $4}') ms CPU a keystroke (target 2 ms, ratio $(echo "$after $before $hz $keys" | awk '{printf "%.2f", ($1 - $2) * 1000 / $3 / $4 / 2}'))"
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "peak memory after the search session: ${hwm} KB ($(ratio "$hwm" 12288) of 12 MB)"
