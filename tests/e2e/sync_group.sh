#!/bin/sh
# One merge command commits its bundles in groups (sync_merge_many). A bundle that fails
# while it is applied (a visit of a household the office does not have) is rejected on
# its own: the bundles before and after it in the same group are merged, and the ledger
# is the same as when each bundle is merged by a command of its own. A big bundle's
# households are refreshed in batches, each as often as it takes.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
terminal() { # DB NAME: enrolled, trusting the office, loaded with C1
	make_ledger "$1" device "$2"
	gw --db "$1" key show >"$1.id"
	enroll_early office.db "$1.id" --name "$2" >/dev/null
	gw --db "$1" trust "$(gw --db office.db key show | head -n 1)" >/dev/null
	gw --db office.db assign --device "$(id_of "$1")" --compound C1 -o "$1.gwp" >/dev/null
	gw --db "$1" load "$1.gwp" >/dev/null
}
terminal t2.db T2
terminal t3.db T3
# T2 knows a household the office has never heard of
sqlite3 t2.db "INSERT INTO household(account, category, gas, compound, name) VALUES ('Z9', 'residential', 'pipeline', 'C1', 'x')"
gw --db t1.db record A1 --outcome entered --hose metal --at 2023-11-01T09:00 >/dev/null
gw --db t2.db record A3 --outcome not-home --at 2023-11-01T10:00 >/dev/null
gw --db t2.db record Z9 --outcome entered --at 2023-11-01T10:30 >/dev/null
gw --db t3.db record A4 --outcome refused --at 2023-11-01T11:00 >/dev/null
mkdir b
for t in t1 t2 t3; do gw --db $t.db export -o b >/dev/null; done
B1=$(ls b/*$(id_of t1.db)*.gwb) B2=$(ls b/*$(id_of t2.db)*.gwb) B3=$(ls b/*$(id_of t3.db)*.gwb)

cp office.db alone.db
cp office.db.key alone.db.key
expect_rc 1 gw --db office.db merge "$B1" "$B2" "$B3"
expect_grep "Z9 is unknown here" "$T/err"
expect_eq "$(grep -c ': merged (device' "$T/out")" 2 "bundles merged"
expect_eq "$(grep -c ': rejected' "$T/out")" 1 "bundles rejected"
expect_eq "$(sed -n 2p "$T/out" | grep -c rejected)" 1 "the second bundle is the one rejected"
expect_eq "$(sqlite3 office.db "SELECT group_concat(account, ',') FROM (SELECT account FROM visit ORDER BY account)")" \
	"A1,A4" "visits merged"
expect_eq "$(sqlite3 office.db "SELECT group_concat(result, ',') FROM (SELECT result FROM merge_log ORDER BY id)")" \
	"merged,rejected,merged" "merge log, in order"
expect_rc 0 gw --db office.db log --verify

for b in "$B1" "$B2" "$B3"; do gw --db alone.db merge "$b" >/dev/null 2>&1 || true; done
expect_eq "$(canonical office.db | md5sum)" "$(canonical alone.db | md5sum)" "same ledger as one bundle per command"

# merging all three again changes nothing; the bad one is still refused
expect_rc 1 gw --db office.db merge "$B1" "$B2" "$B3"
expect_eq "$(grep -c 'already merged' "$T/out")" 2 "already merged"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit")" 2 "no visit added"

# One big bundle: its households are refreshed in batches of 4096 (memory stays bounded).
# 5,000 visits: the first for A4, which the bundle touches only in its first batch,
# the others going round A1..A3, touched in every batch. Each status must count all
# the household's visits and name its last one.
T4=$(id_of t3.db)
sqlite3 t3.db "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, note, recorded_at, parts)
	SELECT '$T4', i, CASE WHEN i = 2 THEN 'A4' ELSE 'A' || (1 + i % 3) END, 'x', 'inspect', strftime('%Y-%m-%dT%H:%M:%S+00:00', 1699950000 + i * 10, 'unixepoch'),
	       1699950000 + i * 10, CASE WHEN i % 3 THEN 'entered' ELSE 'not-home' END, 'metal', '', 0, 0 FROM n;
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit WHERE seq > 1 ORDER BY seq;
	UPDATE meta SET value = '5002' WHERE key = 'next_seq'"
mkdir big
gw --db t3.db export -o big >/dev/null
expect_rc 0 gw --db office.db merge big/*.gwb
expect_grep "5000 new visits" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT group_concat(account || ':' || visits || ':' || last_seq, ' ') FROM
	(SELECT * FROM status WHERE account LIKE 'A%' ORDER BY account)")" \
	"$(sqlite3 office.db "SELECT group_concat(account || ':' || n || ':' || s, ' ') FROM
	(SELECT account, count(*) AS n, max(seq) AS s FROM visit WHERE account LIKE 'A%' GROUP BY account ORDER BY account)")" \
	"statuses count every visit of the big bundle"
expect_eq "$(sqlite3 office.db "SELECT visits FROM status WHERE account = 'A4'")" 2 "visits of A4"
echo ok
