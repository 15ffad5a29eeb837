-- A synthetic ledger for the report benchmark: 300,000 households, 700,000 visits.
-- Run on a fresh 'gaswalk init --office' ledger. The status rows are a cheap stand-in
-- (state from the account number and the last visit), not the rules fold: the
-- benchmark times the queries, it does not check the numbers.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE subs AS SELECT code, name_zh, row_number() OVER (ORDER BY code) - 1 AS i FROM subdistrict;
CREATE TEMP TABLE secs AS SELECT code, row_number() OVER (ORDER BY code) - 1 AS i FROM sector;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299999)
INSERT INTO household(account, category, gas, new_build, sector, name, subdistrict, community,
                      compound, building, unit, floor, room)
SELECT printf('H%07d', i),
       CASE WHEN i % 10 = 0 THEN 'non_residential' ELSE 'residential' END,
       CASE WHEN i % 7 = 0 THEN 'lpg' ELSE 'pipeline' END,
       CASE WHEN i % 13 = 0 THEN 1 ELSE 0 END,
       CASE WHEN i % 10 = 0 THEN (SELECT code FROM secs WHERE secs.i = (i / 10) % (SELECT count(*) FROM secs)) END,
       '用户' || i,
       (SELECT CASE WHEN i % 2 THEN name_zh ELSE code END FROM subs WHERE subs.i = i % 14),
       '社区' || (i / 5000), '小区' || (i / 500), (i / 50) % 10 + 1, (i / 10) % 5 + 1,
       (i / 2) % 5 + 1, printf('%d0%d', (i / 2) % 5 + 1, i % 2 + 1)
FROM n;
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 699999)
INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, alarm,
                  shutoff, supply, note, base_device, base_seq, recorded_at)
SELECT 'dev' || (k % 20), k + 1, printf('H%07d', k % 280000), 'inspector' || (k % 20),
       CASE WHEN k >= 560000 THEN 'install' ELSE 'inspect' END,
       strftime('%Y-%m-%dT%H:%M:%S+08:00', 1672502400 + (k / 280000) * 8640000 + (k % 86400) * 100, 'unixepoch', '+8 hours'),
       1672502400 + (k / 280000) * 8640000 + (k % 86400) * 100,
       CASE WHEN k % 17 = 0 THEN 'not-home' WHEN k % 31 = 0 THEN 'refused' ELSE 'entered' END,
       CASE WHEN k % 17 = 0 OR k % 31 = 0 THEN NULL WHEN k >= 560000 OR k % 3 = 0 THEN 'metal' ELSE 'non-metal' END,
       CASE WHEN k % 17 = 0 OR k % 31 = 0 THEN NULL WHEN k >= 560000 OR k % 4 = 0 THEN 'ok' ELSE 'absent' END,
       NULL, NULL, NULL, '', NULL, NULL, 1700000000
FROM n;
INSERT INTO visit_install
SELECT device, seq, 0, 'valve', 'V-STD', 'SV' || seq, 11000 + seq % 3000 FROM visit WHERE role = 'install';
INSERT INTO visit_install
SELECT device, seq, 1, 'hose', 'H-SS15', 'SH' || seq, 12000 + seq % 2000 FROM visit WHERE role = 'install';
INSERT INTO visit_hazard
SELECT device, seq, 'H01', 2 FROM visit WHERE outcome = 'entered' AND seq % 23 = 0;
INSERT INTO status(account, state, missing, visits, open_hazards, last_device, last_seq, last_at, last_outcome)
SELECT account,
       CASE WHEN max(at_epoch) % 5 < 3 THEN 'compliant' WHEN max(at_epoch) % 5 = 3 THEN 'pending'
            WHEN account LIKE '%7' THEN 'refused' ELSE 'hazard_open' END,
       '', count(*), 0, 'dev0', max(seq), max(at_epoch), 'entered'
FROM visit GROUP BY account;
COMMIT;
