#!/bin/sh
# Sync benchmarks (make bench runs tests/bench/run.sh; this one: sh tests/bench/sync.sh).
# Prints figures and ratios (each time the best of several runs); asserts nothing.
#   1. merge 1,000 bundles holding 200,000 visits into a 300,000-household ledger,
#      against the sqlite3 shell's .import of the same visits as CSV into a bare table;
#   2. export 50,000 visits, against gzip -6 of a JSON dump of the same visits (best of 5 each);
#   3. merge peak memory (/usr/bin/time -f %M);
#   4. for scale, the sqlite3 shell storing the same visits into gaswalk's own tables
#      with set-based SQL in one transaction (visit with its indexes, visit_arrival, an
#      upsert of status; the same 32 MB cache as merge): what SQLite itself needs to
#      keep this ledger's indexes, before any decryption, parsing or rule.
# BUNDLES, VISITS, HOUSEHOLDS, EXPORT_VISITS override the sizes.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
G="$ROOT/$BUILD/test-bin/gaswalk"
HOUSEHOLDS=${HOUSEHOLDS:-300000}
BUNDLES=${BUNDLES:-1000}
VISITS=${VISITS:-200000}
EXPORT_VISITS=${EXPORT_VISITS:-50000}
PER=$((VISITS / BUNDLES))
W=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-bench.XXXXXX")
[ -n "${KEEP:-}" ] && echo "keeping $W" || trap 'rm -rf "$W"' EXIT
cd "$W"
export GASWALK_NOW=1700000000

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | sed 's/^\./0./'; }
best() { # CURRENT NEW: the smaller (CURRENT may be empty)
	if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi
}

households() { # DB
	sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $HOUSEHOLDS)
	INSERT INTO household(account, category, gas, compound, building, unit, floor, room, name)
	SELECT printf('H%07d', i), 'residential', 'pipeline', printf('C%04d', i / 500),
	       (i / 50) % 10, (i / 10) % 5, i % 10, i % 100, 'name ' || i FROM n"
}
visits() { # DB FIRST COUNT: visits FIRST..FIRST+COUNT-1 of this terminal
	sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT $2 UNION ALL SELECT i + 1 FROM n WHERE i < $2 + $3 - 1)
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at)
	SELECT (SELECT value FROM meta WHERE key = 'device_id'), i, printf('H%07d', 1 + (i * 7919) % $HOUSEHOLDS),
	       'inspector', 'inspect', strftime('%Y-%m-%dT%H:%M:%S+00:00', 1699920000 + i / 3, 'unixepoch'),
	       1699920000 + i / 3, 'entered', 'metal', CASE WHEN i % 3 THEN 'ok' ELSE 'absent' END, '', 0 FROM n;
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit WHERE seq >= $2 ORDER BY seq;
	UPDATE meta SET value = $2 + $3 WHERE key = 'next_seq'"
}

echo "setting up: $HOUSEHOLDS households, $BUNDLES bundles of $PER visits"
"$G" --db office.db init --office Office >/dev/null
"$G" --db t.db init --device T --no-pin >/dev/null
households office.db
households t.db
"$G" --db office.db enroll "$("$G" --db t.db key show | head -n 1)" --name T >/dev/null
"$G" --db t.db trust "$("$G" --db office.db key show | head -n 1)" >/dev/null
mkdir b
i=0
while [ $i -lt "$BUNDLES" ]; do
	visits t.db $((i * PER + 1)) $PER
	"$G" --db t.db export -o b >/dev/null
	i=$((i + 1))
	# as if the office acknowledged it (format 2: coverage and the chain head there)
	sqlite3 t.db "INSERT OR REPLACE INTO meta SELECT 'ack_n', value FROM meta WHERE key = 'export_last';
		INSERT OR REPLACE INTO meta SELECT 'ack_head', value FROM meta WHERE key = 'export_head'"
done

# best of 3: each run merges into a fresh copy of the ledger as it was before
cp office.db office0.db
merge_s= mem=0
for _ in 1 2 3; do
	cp office0.db office.db
	rm -f office.db-wal office.db-shm
	t0=$(now)
	/usr/bin/time -f %M -o mem.txt "$G" --db office.db merge b/*.gwb >merge.out
	t1=$(now)
	merge_s=$(best "$merge_s" "$(secs "$t0" "$t1")")
	[ "$(cat mem.txt)" -gt "$mem" ] && mem=$(cat mem.txt)
done
merged=$(grep -c 'merged (device' merge.out || true)

sqlite3 -csv t.db "SELECT device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note FROM visit" >v.csv
import_s=
for _ in 1 2 3; do
	rm -f bare.db
	sqlite3 bare.db "CREATE TABLE v(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note)"
	t0=$(now)
	sqlite3 bare.db ".import --csv v.csv v"
	t1=$(now)
	import_s=$(best "$import_s" "$(secs "$t0" "$t1")")
done

cat >floor.sql <<'EOF'
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32000;
PRAGMA foreign_keys = ON;
CREATE TEMP TABLE v(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note);
.import --csv v.csv v
BEGIN;
INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at, parts)
	SELECT device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, 0, 0 FROM temp.v;
INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM temp.v;
INSERT INTO status(account, state, visits, last_device, last_seq, last_at, last_outcome)
	SELECT account, 'pending', 1, device, seq, at_epoch, outcome FROM temp.v WHERE true
	ON CONFLICT(account) DO UPDATE SET visits = visits + 1;
COMMIT;
EOF
floor_s=
for _ in 1 2 3; do
	cp office0.db floor.db
	rm -f floor.db-wal floor.db-shm
	t0=$(now)
	sqlite3 -bail floor.db <floor.sql
	t1=$(now)
	floor_s=$(best "$floor_s" "$(secs "$t0" "$t1")")
done

"$G" --db t2.db init --device T2 --no-pin >/dev/null
households t2.db
"$G" --db t2.db trust "$("$G" --db office.db key show | head -n 1)" >/dev/null
visits t2.db 1 "$EXPORT_VISITS"
mkdir e
# best of 5, as for gzip below (nothing is acknowledged: each export writes the same visits)
export_s=
for _ in 1 2 3 4 5; do
	t0=$(now)
	"$G" --db t2.db export -o e >/dev/null
	t1=$(now)
	export_s=$(best "$export_s" "$(secs "$t0" "$t1")")
done
sqlite3 -json t2.db "SELECT 'visit' AS type, device, seq, account, actor, role, at, outcome, hose, valve, note FROM visit" | sed 's/},{/}\n{/g' >payload.json
gzip_s=
for _ in 1 2 3 4 5; do
	t0=$(now)
	gzip -6 -c payload.json >payload.json.gz
	t1=$(now)
	gzip_s=$(best "$gzip_s" "$(secs "$t0" "$t1")")
done

echo "merge (best of 3): $merged bundles, $VISITS visits into $HOUSEHOLDS households: ${merge_s}s, peak $mem KiB"
echo "sqlite3 .import of the same visits as CSV (best of 3): ${import_s}s; ratio merge/import = $(echo "$merge_s / $import_s" | bc -l | cut -c1-6)"
echo "sqlite3 storing the same visits into gaswalk's tables with set-based SQL (best of 3): ${floor_s}s; ratio merge/that = $(echo "$merge_s / $floor_s" | bc -l | cut -c1-6)"
echo "export $EXPORT_VISITS visits (best of 5): ${export_s}s, $(stat -c %s "$(ls e/*.gwb | head -n 1)") bytes"
echo "gzip -6 of $(stat -c %s payload.json) bytes of JSON (best of 5): ${gzip_s}s, $(stat -c %s payload.json.gz) bytes; ratio export/gzip = $(echo "$export_s / $gzip_s" | bc -l | cut -c1-6)"
