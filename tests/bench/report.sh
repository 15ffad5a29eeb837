#!/bin/sh
# Benchmark for issues #5 and #14: every 'gaswalk report' kind over 300,000 households and
# 700,000 visits, against the sqlite3 shell running the report's own queries on the same
# file. The queries are exactly those the report ran: gaswalk writes each statement it
# steps, with its values, when GASWALK_TRACE_SQL names a file (report/context.c), and the
# shell runs that file (printing every row it returns, which gaswalk turns into a table
# and renders as CSV instead). Target: at most 1.2x for every kind. Also shown (no target):
# ranking --as-of a past date, which folds again the households visited after it.
. "$(dirname "$0")/lib.sh"
cd "$B"
# best3w / best3c COMMAND...: best wall-clock / best user+system seconds of three runs (this
# machine is shared: the CPU time is the steadier figure, both are shown). The CPU time of
# one run is counted in hundredths, so a quick report is run REPS times in a row per
# measurement and the time divided by REPS.
REPS=1
best3w() { for i in 1 2 3; do secs "$@"; echo; done | sort -n | head -1; }
# shellcheck disable=SC2016
loop='n=0; while [ "$n" -lt "$0" ]; do "$@" >/dev/null 2>&1; n=$((n + 1)); done'
best3c() {
	for i in 1 2 3; do
		/usr/bin/time -f '%U %S' sh -c "$loop" "$REPS" "$@" 2>&1 >/dev/null |
			tail -1 | awk -v n="$REPS" '{printf "%.4f\n", ($1 + $2) / n}'
	done | sort -n | head -1
}
worst=0
# measure DB NAME TARGET REPORT-ARGS...: trace the report's queries, then time both sides
measure() {
	db=$1 name=$2 target=$3; shift 3
	rm -f q.sql
	if ! GASWALK_TRACE_SQL=q.sql "$GASWALK" --db "$db" report "$@" --format csv >/dev/null 2>err.txt; then
		echo "$name: report failed: $(head -1 err.txt)"
		return 0
	fi
	sqlite3 "$db" -init q.sql .quit >/dev/null 2>&1 # warm the page cache for both
	gw=$(best3w "$GASWALK" --db "$db" report "$@" --format csv)
	sq=$(best3w sqlite3 "$db" -init q.sql .quit)
	REPS=$(echo "$sq" | awk '{ n = ($1 > 0) ? int(2 / $1) : 20; print (n < 1) ? 1 : (n > 20 ? 20 : n) }')
	gc=$(best3c "$GASWALK" --db "$db" report "$@" --format csv)
	sc=$(best3c sqlite3 "$db" -init q.sql .quit)
	r=$(ratio "$gc" "$sc")
	echo "$name: $(wc -l <q.sql) statements; wall gaswalk ${gw}s sqlite3 ${sq}s ratio" \
		"$(ratio "$gw" "$sq"); cpu gaswalk ${gc}s sqlite3 ${sc}s ratio $r ($target)"
	[ "$target" = "no target" ] || worst=$(echo "$worst $r" | awk '{print ($2 > $1) ? $2 : $1}')
}

"$GASWALK" --db bench.db init --office Bench >/dev/null
sqlite3 bench.db <"$GASWALK_ROOT/tests/bench/gen-ledger.sql" >/dev/null
echo "ledger: $(sqlite3 bench.db 'SELECT count(*) FROM household') households," \
	"$(sqlite3 bench.db 'SELECT count(*) FROM visit') visits"
asof=$(TZ=Asia/Shanghai date -d @1688140800 +%F) # 2023-07-01

for k in weekly ranking sector funding prices valves suspensions acceptance overdue \
	rectifications plan revisits; do
	measure bench.db "report $k" "target <= 1.2" "$k"
done
measure bench.db "report funding --households" "target <= 1.2" funding --households
measure bench.db "report products --product V-STD" "target <= 1.2" products --product V-STD
measure bench.db "report ranking --category all" "target <= 1.2" ranking --category all
measure bench.db "report ranking --as-of $asof" "no target" ranking --as-of "$asof"

# The same on the demo district (real rules-folded status; the demo makes fewer visits).
"$GASWALK" --db demo.db demo --households 300000 --no-tui >/dev/null
echo "demo: $(sqlite3 demo.db 'SELECT count(*) FROM household') households," \
	"$(sqlite3 demo.db 'SELECT count(*) FROM visit') visits"
for k in weekly ranking funding prices overdue; do
	measure demo.db "demo report $k" "target <= 1.2" "$k"
done
echo "report: worst cpu ratio $worst (target <= 1.2)"
