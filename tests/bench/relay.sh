#!/bin/sh
# Relayed evidence (Trust part 3; sh tests/bench/relay.sh, or make bench). Prints figures
# and ratios; asserts nothing.
#   1. a district merging one roll-up that relays 200,000 visits from 1,000 terminal
#      bundles (each terminal's signed feed and the office's enrolment of it, checked
#      back to the terminal), against merging the same 1,000 terminal bundles directly
#      into a ledger of the same size (the sub-office's merge of them);
#   2. the evidence's share of the roll-up: against the roll-up of the same visits as the
#      office's own (one feed, no relayed manifests or enrolments);
#   3. peak memory of the district's merge;
#   4. the share of the merge-log entries a roll-up carries (the consistency proof: here
#      the whole log, 1,000 entries, as when no head was echoed yet): the same roll-up
#      written again once an echo of the office's head is in its ledger (no entries).
# TERMINALS (= bundles), VISITS, HOUSEHOLDS override the sizes.
set -eu
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
G="$ROOT/$BUILD/test-bin/gaswalk"
HOUSEHOLDS=${HOUSEHOLDS:-300000}
TERMINALS=${TERMINALS:-1000}
VISITS=${VISITS:-200000}
PER=$((VISITS / TERMINALS))
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
	INSERT INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name)
	SELECT printf('H%07d', i), 'residential', 'pipeline', '林山寨街道', printf('C%04d', i / 500),
	       (i / 50) % 10, (i / 10) % 5, i % 10, i % 100, 'name ' || i FROM n"
}
# terminal DB K: its PER visits (numbered 1..PER), and the households they visit
terminal_visits() {
	sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PER)
	INSERT OR IGNORE INTO household(account, category, gas, subdistrict, compound, building, unit, floor, room, name)
	SELECT printf('H%07d', 1 + ((i + $2 * $PER) * 7919) % $HOUSEHOLDS), 'residential', 'pipeline', '林山寨街道',
	       'C', '1', '1', '1', '1', 'n' FROM n;
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PER)
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at)
	SELECT (SELECT value FROM meta WHERE key = 'device_id'), i, printf('H%07d', 1 + ((i + $2 * $PER) * 7919) % $HOUSEHOLDS),
	       'inspector', 'inspect', strftime('%Y-%m-%dT%H:%M:%S+00:00', 1699000000 + i * 60, 'unixepoch'),
	       1699000000 + i * 60, 'entered', 'metal', CASE WHEN i % 3 THEN 'ok' ELSE 'absent' END, '', 0 FROM n;
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit ORDER BY seq;
	UPDATE meta SET value = $PER + 1 WHERE key = 'next_seq'"
}

echo "setting up: $HOUSEHOLDS households, $TERMINALS terminals with one bundle of $PER visits each"
"$G" --db district.db init --office District --district >/dev/null
"$G" --db office.db init --office Office >/dev/null
households district.db
households office.db
# enrolled before the visits (dated from 1699000000): merge holds a first bundle
# whose visits are dated before its device's enrolment
GASWALK_NOW=1698900000 "$G" --db district.db enroll "$("$G" --db office.db key show | head -n 1)" --name Office \
	--office --subdistrict LSZ >/dev/null
"$G" --db office.db trust "$("$G" --db district.db key show | head -n 1)" >/dev/null
OFFICE_LINE=$("$G" --db office.db key show | head -n 1)
mkdir b
k=0
while [ $k -lt "$TERMINALS" ]; do
	"$G" --db "t$k.db" init --device "T$k" --no-pin >/dev/null
	GASWALK_NOW=1698900000 "$G" --db office.db enroll "$("$G" --db "t$k.db" key show | head -n 1)" --name "T$k" >/dev/null
	"$G" --db "t$k.db" trust "$OFFICE_LINE" >/dev/null
	terminal_visits "t$k.db" $k
	"$G" --db "t$k.db" export -o b >/dev/null
	rm -f "t$k.db"*
	k=$((k + 1))
done

# 1. the terminals' bundles merged directly (best of 3, each into a fresh copy)
cp office.db office0.db
direct_s=
for _ in 1 2 3; do
	cp office0.db office.db
	rm -f office.db-wal office.db-shm
	t0=$(now)
	"$G" --db office.db merge b/*.gwb >direct.out
	t1=$(now)
	direct_s=$(best "$direct_s" "$(secs "$t0" "$t1")")
done
merged=$(grep -c 'merged (device' direct.out || true)

mkdir r
"$G" --db office.db export -o r >/dev/null
rollup=$(ls r/*.gwb)
cp district.db district0.db
relay_s= mem=0
for _ in 1 2 3; do
	cp district0.db district.db
	rm -f district.db-wal district.db-shm
	t0=$(now)
	/usr/bin/time -f %M -o mem.txt "$G" --db district.db merge "$rollup" >relay.out
	t1=$(now)
	relay_s=$(best "$relay_s" "$(secs "$t0" "$t1")")
	[ "$(cat mem.txt)" -gt "$mem" ] && mem=$(cat mem.txt)
done
counted=$(sqlite3 district.db "SELECT count(*) FROM visit")

# 2. the same visits as the office's own: one feed, no relayed evidence
OFF=$(sqlite3 office.db "SELECT value FROM meta WHERE key = 'device_id'")
sqlite3 office.db "CREATE TEMP TABLE m AS SELECT device, seq, row_number() OVER (ORDER BY device, seq) AS n FROM visit;
	CREATE INDEX temp.m_i ON m(device, seq);
	UPDATE visit SET seq = 1000000000 + (SELECT n FROM m WHERE m.device = visit.device AND m.seq = visit.seq);
	UPDATE visit SET device = '$OFF', seq = seq - 1000000000;
	DELETE FROM visit_arrival; INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit ORDER BY seq;
	UPDATE meta SET value = (SELECT count(*) + 1 FROM visit) WHERE key = 'next_seq';
	DELETE FROM feed_manifest; DELETE FROM feed_head; DELETE FROM feed"
mkdir o
"$G" --db office.db export -o o >/dev/null
own=$(ls o/*.gwb)

# 4. the roll-up with and without its merge-log entries (an office merging the same bundles)
cp office0.db logs.db
cp office.db.key logs.db.key
rm -f logs.db-wal logs.db-shm
"$G" --db logs.db merge b/*.gwb >/dev/null
mkdir l1 l2
"$G" --db logs.db export -o l1 >/dev/null
D_ID=$(sqlite3 district.db "SELECT value FROM meta WHERE key = 'device_id'")
sqlite3 logs.db "INSERT INTO log_echo(by_device, count, hash, sig, at)
	SELECT '$D_ID', id, hash, sig, 0 FROM merge_log ORDER BY id DESC LIMIT 1;
	UPDATE meta SET value = '0' WHERE key = 'bundle_seq'; DELETE FROM bundle_out"
"$G" --db logs.db export -o l2 >/dev/null
with_log=$(stat -c %s l1/*.gwb) without_log=$(stat -c %s l2/*.gwb)
entries=$(sqlite3 logs.db "SELECT count(*) FROM merge_log")

echo "district merging one roll-up relaying $counted visits from $merged terminal bundles (best of 3): ${relay_s}s, peak $mem KiB"
echo "the same $merged terminal bundles merged directly (best of 3): ${direct_s}s; ratio roll-up/direct = $(echo "$relay_s / $direct_s" | bc -l | cut -c1-6) (target <= 1.5)"
echo "roll-up with the evidence: $(stat -c %s "$rollup") bytes; the same visits as the office's own: $(stat -c %s "$own") bytes; evidence adds $(echo "($(stat -c %s "$rollup") - $(stat -c %s "$own")) * 100 / $(stat -c %s "$own")" | bc -l | cut -c1-5)% (target <= 25%)"
echo "peak memory of the district's merge: $mem KiB (target < 65536)"
echo "merge-log entries in the roll-up: $entries (the whole log); with them $with_log bytes, without $without_log bytes: they add $(echo "($with_log - $without_log) * 100 / $without_log" | bc -l | cut -c1-5)%"
