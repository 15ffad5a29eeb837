-- Added to the report benchmark's ledger (gen-ledger.sql) for the plan's duties: one
-- rectification order per hazard recorded (a third closed a week later), when each
-- compliant household became compliant, and a plan for every compound of every
-- subdistrict for three months. Cheap stand-ins, not the rules fold: the benchmark times
-- the queries, it does not check the numbers.
PRAGMA synchronous = OFF;
BEGIN;
INSERT OR IGNORE INTO rectification(account, code, grade, opened_at, deadline, cleared_at, device, seq)
SELECT v.account, x.code, x.grade, v.at_epoch, v.at_epoch + 30 * 86400,
       CASE WHEN v.seq % 3 = 0 THEN v.at_epoch + 7 * 86400 END, v.device, v.seq
FROM visit v JOIN visit_hazard x ON x.device = v.device AND x.seq = v.seq;
UPDATE status SET compliant_at = last_at - (last_at % 86400) WHERE state = 'compliant';
INSERT OR IGNORE INTO plan(subdistrict, compound, month, households, origin, set_at)
SELECT s.code, c.compound, m.month, 3, 'bench', 1700000000
FROM subdistrict s, (SELECT DISTINCT compound FROM household) c,
     (SELECT '2023-05' AS month UNION ALL SELECT '2023-06' UNION ALL SELECT '2023-07') m;
COMMIT;
