#!/bin/sh
# Benchmark for issue 16 (the plan's duties): report rectifications, plan, products (a
# recall by product and serial range) and revisits over 300,000 households and 700,000
# visits, each against the sqlite3 shell running the report's own queries on the same
# file (the same SQL the report prepares, its parameters written in). Target: <= 1.2x.
. "$(dirname "$0")/lib.sh"
cd "$B"
# best5 / cpu5 COMMAND...: best wall-clock / best user+system seconds of five runs
best5() { for i in 1 2 3 4 5; do secs "$@"; echo; done | sort -n | head -1; }
cpu5() {
	for i in 1 2 3 4 5; do
		/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.3f\n", $1 + $2}'
	done | sort -n | head -1
}
# measure NAME GASWALK-ARGS -- SQL-FILE
measure() {
	name=$1; shift
	gwargs=""; while [ "$1" != -- ]; do gwargs="$gwargs $1"; shift; done; shift
	# shellcheck disable=SC2086
	"$GASWALK" $gwargs >/dev/null; sqlite3 bench.db <"$1" >/dev/null # warm the cache
	# shellcheck disable=SC2086
	gw=$(best5 "$GASWALK" $gwargs); sq=$(best5 sqlite3 bench.db -init "$1" .quit)
	# shellcheck disable=SC2086
	gc=$(cpu5 "$GASWALK" $gwargs); sc=$(cpu5 sqlite3 bench.db -init "$1" .quit)
	echo "$name: wall gaswalk ${gw}s sqlite3 ${sq}s ratio $(ratio "$gw" "$sq");" \
		"cpu gaswalk ${gc}s sqlite3 ${sc}s ratio $(ratio "$gc" "$sc") (target <= 1.2)"
}
"$GASWALK" --db bench.db init --office Bench >/dev/null
sqlite3 bench.db <"$GASWALK_ROOT/tests/bench/gen-ledger.sql" >/dev/null
sqlite3 bench.db <"$GASWALK_ROOT/tests/bench/gen-duties.sql" >/dev/null
echo "ledger: $(sqlite3 bench.db 'SELECT count(*) FROM household') households," \
	"$(sqlite3 bench.db 'SELECT count(*) FROM visit') visits," \
	"$(sqlite3 bench.db 'SELECT count(*) FROM rectification') orders," \
	"$(sqlite3 bench.db 'SELECT count(*) FROM plan') plan rows"

asof=2023-07-31
asof_end=$(date -d "$asof 23:59:59" +%s)
voided() { echo "EXISTS(SELECT 1 FROM visit_void w WHERE w.target_device = $1.device AND w.target_seq = $1.seq AND w.account = $1.account)"; }
# what every report reads first (report/context.c)
cat >ctx.sql <<SQL
SELECT code, name_zh, name_pinyin FROM subdistrict ORDER BY code;
SELECT DISTINCT subdistrict FROM household;
SELECT COALESCE(MAX(at_epoch), 0) FROM visit;
SQL

# report/rectify.c
{ cat ctx.sql; cat <<SQL; } >rect.sql
SELECT value FROM setting WHERE key = 'rectify_days_grade1';
SELECT value FROM setting WHERE key = 'rectify_days_grade2';
SELECT r.account, h.subdistrict, h.compound, h.building, h.unit, h.room, r.code, r.grade, r.opened_at, r.cleared_at, COALESCE(v.actor, ''), COALESCE(z.name_zh, r.code), COALESCE(z.name_en, r.code) FROM rectification r JOIN household h ON h.account = r.account LEFT JOIN visit v ON v.device = r.device AND v.seq = r.seq LEFT JOIN hazard_item z ON z.code = r.code WHERE r.opened_at <= $asof_end ORDER BY r.account, r.code, r.opened_at;
SQL
measure "report rectifications" --db bench.db report rectifications --as-of $asof --format csv -- rect.sql

# report/plan.c
{ cat ctx.sql; cat <<SQL; } >plan.sql
SELECT value FROM setting WHERE key = 'plan_behind_percent';
SELECT subdistrict, compound, month, households FROM plan WHERE month <= '2023-07' ORDER BY subdistrict, compound, month;
SELECT h.account, h.subdistrict, h.community, h.compound, COALESCE(s.state, ''), COALESCE(s.compliant_at, 0), COALESCE(s.last_at, 0) FROM household h LEFT JOIN status s ON s.account = h.account WHERE h.compound IN (SELECT compound FROM plan WHERE month <= '2023-07') ORDER BY h.compound, h.subdistrict, h.account;
SQL
measure "report plan" --db bench.db report plan --month 2023-07 --format csv -- plan.sql

# report/products.c: a recall of one product and a range of serials
{ cat ctx.sql; cat <<SQL; } >products.sql
SELECT h.account, h.subdistrict, h.name, h.compound, h.building, h.unit, h.room, f.item, f.product, f.serial, f.price_fen, f.at_epoch, f.actor FROM (SELECT v.account, x.item, x.product, x.serial, x.price_fen, v.at_epoch, v.actor, row_number() OVER (PARTITION BY v.account, x.item ORDER BY v.at_epoch DESC, v.device DESC, v.seq DESC, x.n DESC) AS k FROM visit_install x JOIN visit v ON v.device = x.device AND v.seq = x.seq WHERE v.at_epoch <= $asof_end AND NOT $(voided v)) f JOIN household h ON h.account = f.account WHERE f.k = 1 AND ('V-STD' = '' OR f.product = 'V-STD');
SELECT c.code, c.item, c.name_zh, c.name_en, COALESCE(e.brand, ''), COALESCE(e.model, '') FROM catalog c LEFT JOIN catalog_extra e ON e.code = c.code WHERE 'V-STD' = '' OR c.code = 'V-STD' ORDER BY c.code;
SQL
measure "report products (recall)" --db bench.db report products --as-of $asof --product V-STD \
	--serial-from SV600000 --serial-to SV620000 --format csv -- products.sql

# the same product with all its serials (140,000 households)
measure "report products (one product)" --db bench.db report products --as-of $asof --product V-STD \
	--format csv -- products.sql

# report/revisits.c
{ cat ctx.sql; cat <<SQL; } >revisits.sql
SELECT h.account, h.subdistrict, h.community, h.compound, h.building, h.unit, h.room, h.name, h.phone, count(*), min(v.at_epoch), max(v.at_epoch), group_concat(strftime('%Y-%m-%d', v.at_epoch, 'unixepoch', 'localtime'), ' ') FROM (SELECT account, at_epoch FROM visit v WHERE outcome = 'not-home' AND at_epoch <= $asof_end AND NOT $(voided v) ORDER BY account, at_epoch) v JOIN household h ON h.account = v.account WHERE NOT EXISTS (SELECT 1 FROM visit e WHERE e.account = v.account AND e.outcome = 'entered' AND e.at_epoch <= $asof_end AND NOT $(voided e)) GROUP BY h.account;
SQL
measure "report revisits" --db bench.db report revisits --as-of $asof --format csv -- revisits.sql
