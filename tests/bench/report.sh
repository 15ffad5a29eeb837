#!/bin/sh
# Benchmark for issue #5: 'gaswalk report ranking' over 300,000 households and 700,000
# visits, against the sqlite3 shell running the report's own queries on the same file.
# Target: at most 1.2x. Also shown (no target): ranking --as-of a past date, which
# folds again the households visited after it, against the same queries in sqlite3.
. "$(dirname "$0")/lib.sh"
cd "$B"
# best5 / cpu5 COMMAND...: best wall-clock / best user+system seconds of five runs (this
# machine is shared: the CPU time is the steadier figure, both are shown)
best5() { for i in 1 2 3 4 5; do secs "$@"; echo; done | sort -n | head -1; }
cpu5() {
	for i in 1 2 3 4 5; do
		/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.3f\n", $1 + $2}'
	done | sort -n | head -1
}
# measure NAME TARGET GASWALK-ARGS -- SQLITE-ARGS
measure() {
	name=$1 target=$2; shift 2
	gwargs="" ; while [ "$1" != -- ]; do gwargs="$gwargs $1"; shift; done; shift
	# shellcheck disable=SC2086
	gw=$(best5 "$GASWALK" $gwargs); sq=$(best5 sqlite3 "$@")
	# shellcheck disable=SC2086
	gc=$(cpu5 "$GASWALK" $gwargs); sc=$(cpu5 sqlite3 "$@")
	echo "$name: wall gaswalk ${gw}s sqlite3 ${sq}s ratio $(ratio "$gw" "$sq");" \
		"cpu gaswalk ${gc}s sqlite3 ${sc}s ratio $(ratio "$gc" "$sc") ($target)"
}
"$GASWALK" --db bench.db init --office Bench >/dev/null
sqlite3 bench.db <"$GASWALK_ROOT/tests/bench/gen-ledger.sql" >/dev/null
echo "ledger: $(sqlite3 bench.db 'SELECT count(*) FROM household') households," \
	"$(sqlite3 bench.db 'SELECT count(*) FROM visit') visits"

newest=$(sqlite3 bench.db 'SELECT max(at_epoch) FROM visit')
asof=$(TZ=Asia/Shanghai date -d @1688140800 +%F) # 2023-07-01
asof_end=$(TZ=Asia/Shanghai date -d "$asof 23:59:59" +%s)

# The queries 'report ranking' runs (report/context.c, report/asof.c, core/fold_stream.c).
cat >ranking.sql <<SQL
SELECT code, name_zh, name_pinyin FROM subdistrict ORDER BY code;
SELECT DISTINCT subdistrict FROM household;
SELECT COALESCE(MAX(at_epoch), 0) FROM visit;
SELECT value FROM setting WHERE key = 'residential_deadline';
SELECT value FROM setting WHERE key = 'nonresidential_deadline';
SELECT h.subdistrict, h.category, CASE WHEN s.last_at > $((newest + 86400)) THEN '' ELSE COALESCE(s.state, 'never_reached') END, count(*) FROM household h LEFT JOIN status s ON s.account = h.account GROUP BY 1, 2, 3;
SQL
changed="WHERE v.account IN (SELECT account FROM visit WHERE at_epoch > $asof_end) AND v.at_epoch <= $asof_end ORDER BY v.account"
cat >asof.sql <<SQL
SELECT code, name_zh, name_pinyin FROM subdistrict ORDER BY code;
SELECT DISTINCT subdistrict FROM household;
SELECT COALESCE(MAX(at_epoch), 0) FROM visit;
SELECT h.subdistrict, h.category, CASE WHEN s.last_at > $asof_end THEN '' ELSE COALESCE(s.state, 'never_reached') END, count(*) FROM household h LEFT JOIN status s ON s.account = h.account GROUP BY 1, 2, 3;
SELECT v.account, v.device, v.seq, v.role, v.at_epoch, v.outcome, v.hose, v.valve, v.alarm, v.shutoff, v.supply, COALESCE(v.base_device, ''), COALESCE(v.base_seq, 0), h.category, h.gas, h.new_build, COALESCE(h.sector, ''), h.subdistrict FROM visit v JOIN household h ON h.account = v.account $changed;
SELECT v.account, v.device, v.seq, x.code, x.grade FROM visit v JOIN visit_hazard x ON x.device = v.device AND x.seq = v.seq $changed;
SELECT v.account, v.device, v.seq, x.item FROM visit v JOIN visit_install x ON x.device = v.device AND x.seq = v.seq $changed;
SQL

# warm the page cache once for both sides
sqlite3 bench.db <ranking.sql >/dev/null
"$GASWALK" --db bench.db report ranking >/dev/null

measure ranking "target <= 1.2" --db bench.db report ranking -- bench.db -init ranking.sql .quit
measure "ranking --as-of $asof" "no target" --db bench.db report ranking --as-of "$asof" -- \
	bench.db -init asof.sql .quit

# The same on the demo district (real rules-folded status; the demo makes fewer visits).
"$GASWALK" --db demo.db demo --households 300000 --no-tui >/dev/null
sed "s/$((newest + 86400))/$(($(sqlite3 demo.db 'SELECT max(at_epoch) FROM visit') + 86400))/" \
	ranking.sql >demo-ranking.sql
sqlite3 demo.db <demo-ranking.sql >/dev/null
echo "demo: $(sqlite3 demo.db 'SELECT count(*) FROM household') households," \
	"$(sqlite3 demo.db 'SELECT count(*) FROM visit') visits"
measure "demo ranking" "target <= 1.2" --db demo.db report ranking -- \
	demo.db -init demo-ranking.sql .quit
for k in weekly sector funding prices valves suspensions acceptance overdue; do
	echo "demo: report $k $(best3 "$GASWALK" --db demo.db report "$k" --format csv)s"
done
