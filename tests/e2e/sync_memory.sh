#!/bin/sh
# Trust, part 2, attack 5: memory does not grow with hostile input. A roll-up whose
# sub-office ledger was edited to hold 300,000 resolved conflicts (its own writer then
# sends 300,000 resolution records), and a terminal bundle of 20,000 visits, are merged
# with the address space limited to 64 MB (prlimit; not under AddressSanitizer, whose
# shadow memory needs more; nor under qemu user-mode emulation (check-cross), whose own
# translation buffer takes 128 MB of the address space: the limit is checked natively).
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

LIMIT=$((64 * 1024 * 1024))
limited() {
	if [ -n "${GASWALK_QEMU:-}" ] || grep -q __asan_init "$GASWALK" 2>/dev/null; then
		"$@"
	else
		prlimit --as=$LIMIT "$@"
	fi
}
setup_office_terminal
gw --db district.db init --office "District" --district >/dev/null
gw --db district.db enroll "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null

# 20,000 visits from one terminal in one bundle, over 1,000 households
for db in office.db t1.db; do
	sqlite3 $db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
		INSERT INTO household(account, category, gas, subdistrict, compound, building, room)
		SELECT 'M' || i, 'residential', 'pipeline', '林山寨街道', 'C1', '9', i FROM n"
done
sqlite3 t1.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, note, recorded_at, parts)
	SELECT '$T1_ID', i, 'M' || (1 + i % 1000), 'x', 'inspect', strftime('%Y-%m-%dT%H:%M:%S+00:00', 1699990000 + i, 'unixepoch'),
	       1699990000 + i, 'entered', 'metal', '', 0, 0 FROM n;
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit ORDER BY seq;
	UPDATE meta SET value = '20001' WHERE key = 'next_seq'"
mkdir b r
expect_rc 0 limited "$GASWALK" --db t1.db export -o b
expect_rc 0 limited "$GASWALK" --db office.db merge b/*.gwb
expect_grep "20000 new visits" "$T/out"

# one household with 20,000 visits (a hostile terminal's, or years of them): merged (its
# conflicts looked for, its status, orders and suspensions folded) and reported within
# the limit; every tenth visit finds a grade-2 hazard, every other one a faulty valve
make_ledger t2.db device "T2"
T2_ID=$(id_of t2.db)
enroll_early office.db "$(gw --db t2.db key show | head -n 1)" --name "Terminal 2" >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
for db in office.db t2.db; do
	sqlite3 $db "INSERT INTO household(account, category, gas, subdistrict, compound, building, room)
		VALUES ('Z1', 'residential', 'pipeline', '林山寨街道', 'C1', '9', 'Z')"
done
sqlite3 t2.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at, parts)
	SELECT '$T2_ID', i, 'Z1', 'x', 'inspect', strftime('%Y-%m-%dT%H:%M:%S+00:00', 1699900000 + i * 5, 'unixepoch'),
	       1699900000 + i * 5, 'entered', 'metal', CASE WHEN i % 2 THEN 'ok' ELSE 'faulty' END, '', 0,
	       CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END FROM n;
	INSERT INTO visit_hazard(device, seq, code, grade) SELECT device, seq, 'H01', 2 FROM visit WHERE seq % 10 = 0;
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit ORDER BY seq;
	UPDATE meta SET value = '20001' WHERE key = 'next_seq'"
mkdir b2
expect_rc 0 limited "$GASWALK" --db t2.db export -o b2
expect_rc 0 limited "$GASWALK" --db office.db merge b2/*.gwb
expect_grep "merged (device Terminal 2 ($T2_ID), bundle 1): 20000 new visits" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT state, visits, open_hazards FROM status WHERE account = 'Z1'")" \
	"hazard_open|20000|1" "the household's status folded from its 20,000 visits"
expect_eq "$(sqlite3 office.db "SELECT count(*), count(cleared_at) FROM rectification WHERE account = 'Z1'")" \
	"2000|1999" "an order per hazard found, each cleared by the next visit without it"
# a pack that assigns Z1's compound to a terminal carries its 20,000 visits, one at a
# time in memory
expect_rc 0 limited "$GASWALK" --db office.db assign --device "$T2_ID" --compound C1 -o z1.gwp
expect_grep "1005 households, 40000 visits" "$T/out"
# reported: the ranking as of a day inside the visits refolds the household as it was then
expect_rc 0 limited "$GASWALK" --db office.db report ranking --as-of 2023-11-14 --category residential
# (Z1 then: entered and compliant, its last visit before the day's end a valve ok and no
# hazard; the 1,000 other households' visits all come later)
expect_grep "^   1  Linshanzhai  *1005  *1  *1  " "$T/out"

# the sub-office clerk fills the conflict table; the roll-up carries every resolution
sqlite3 office.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
	INSERT INTO conflict(account, a_device, a_seq, b_device, b_seq, fields, found_at, resolved_at, keep_device, keep_seq)
	SELECT 'A1', '$T1_ID', 100000 + i, '$T1_ID', 500000 + i, 'outcome', 0, 1, '$T1_ID', 100000 + i FROM n"
expect_rc 0 limited "$GASWALK" --db office.db export -o r
canonical district.db >before.txt
expect_rc 0 limited "$GASWALK" --db district.db merge r/*.gwb
expect_grep "merged (device Subdistrict A ($OFFICE_ID), bundle 1): 40000 new visits" "$T/out"
expect_eq "$(sqlite3 district.db "SELECT state, visits FROM status WHERE account = 'Z1'")" \
	"hazard_open|20000" "the district folds the household from the relayed visits"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM conflict")" 0 "no conflict made up from resolutions"
# a second hostile terminal sends 20,000 visits of its own to Z1, none based on T2's
# (the same empty base): one conflict, between each terminal's first visit there, not
# the 400 million pairs a pairwise search would compare and store
make_ledger t3.db device "T3"
T3_ID=$(id_of t3.db)
enroll_early office.db "$(gw --db t3.db key show | head -n 1)" --name "Terminal 3" >/dev/null
gw --db t3.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
sqlite3 t3.db "INSERT INTO household(account, category, gas, subdistrict, compound, building, room)
	VALUES ('Z1', 'residential', 'pipeline', '林山寨街道', 'C1', '9', 'Z')"
sqlite3 t3.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, note, recorded_at, parts)
	SELECT '$T3_ID', i, 'Z1', 'y', 'inspect', strftime('%Y-%m-%dT%H:%M:%S+00:00', 1699900002 + i * 5, 'unixepoch'),
	       1699900002 + i * 5, 'entered', 'metal', 'absent', '', 0, 0 FROM n;
	INSERT INTO visit_arrival(device, seq) SELECT device, seq FROM visit ORDER BY seq;
	UPDATE meta SET value = '20001' WHERE key = 'next_seq'"
mkdir b3
expect_rc 0 limited "$GASWALK" --db t3.db export -o b3
expect_rc 0 limited timeout 120 "$GASWALK" --db office.db merge b3/*.gwb
expect_grep "merged (device Terminal 3 ($T3_ID), bundle 1): 20000 new visits" "$T/out"
expect_eq "$(sqlite3 office.db "SELECT a_seq || ' ' || b_seq || ' ' || fields FROM conflict WHERE account = 'Z1'")" \
	"1 1 valve" "one conflict: each terminal's first visit on the shared base"
echo ok
