-- 0003: the same constraints, checked faster; an index for status refreshes.
-- 1. The CHECK constraints, spelled so SQLite checks them without work per row.
-- SQLite evaluates "x IN ('a','b','c')" (three values or more) in a CHECK by building a
-- temporary b-tree every time an INSERT or UPDATE statement runs; "x = 'a' OR x = 'b' OR ..."
-- accepts and rejects exactly the same values (NULL included) with plain comparisons. That
-- was most of the cost of storing a visit (merge of 20,000 visits: 1.9 s -> 1.2 s).
-- Only the text of the constraints changes (the procedure of https://sqlite.org/lang_altertable.html
-- section 7 for changing a CHECK constraint); no row is touched.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (item IN (''hose'',''valve'',''alarm'',''shutoff''))',
	'CHECK (item = ''hose'' OR item = ''valve'' OR item = ''alarm'' OR item = ''shutoff'')')
	WHERE type = 'table' AND name = 'catalog';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (role IN (''inspect'',''install'',''recheck'',''self-check'',''spot-check''))',
	'CHECK (role = ''inspect'' OR role = ''install'' OR role = ''recheck'' OR role = ''self-check'' OR role = ''spot-check'')')
	WHERE type = 'table' AND name = 'visit';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (outcome IN (''entered'',''not-home'',''refused'',''vacant''))',
	'CHECK (outcome = ''entered'' OR outcome = ''not-home'' OR outcome = ''refused'' OR outcome = ''vacant'')')
	WHERE type = 'table' AND name = 'visit';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (hose IN (''metal'',''non-metal'',''none''))',
	'CHECK (hose = ''metal'' OR hose = ''non-metal'' OR hose = ''none'')')
	WHERE type = 'table' AND name = 'visit';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (valve IN (''ok'',''absent'',''faulty'',''na''))',
	'CHECK (valve = ''ok'' OR valve = ''absent'' OR valve = ''faulty'' OR valve = ''na'')')
	WHERE type = 'table' AND name = 'visit';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (alarm IN (''ok'',''absent'',''faulty'',''na''))',
	'CHECK (alarm = ''ok'' OR alarm = ''absent'' OR alarm = ''faulty'' OR alarm = ''na'')')
	WHERE type = 'table' AND name = 'visit';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (shutoff IN (''ok'',''absent'',''faulty'',''na''))',
	'CHECK (shutoff = ''ok'' OR shutoff = ''absent'' OR shutoff = ''faulty'' OR shutoff = ''na'')')
	WHERE type = 'table' AND name = 'visit';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (item IN (''hose'',''valve'',''alarm'',''shutoff''))',
	'CHECK (item = ''hose'' OR item = ''valve'' OR item = ''alarm'' OR item = ''shutoff'')')
	WHERE type = 'table' AND name = 'visit_install';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (state IN (''compliant'',''pending'',''hazard_open'',''refused'',''never_reached''))',
	'CHECK (state = ''compliant'' OR state = ''pending'' OR state = ''hazard_open'' OR state = ''refused'' OR state = ''never_reached'')')
	WHERE type = 'table' AND name = 'status';
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (kind IN (''self'',''terminal'',''office''))',
	'CHECK (kind = ''self'' OR kind = ''terminal'' OR kind = ''office'')')
	WHERE type = 'table' AND name = 'device';
PRAGMA writable_schema = OFF;

-- 2. Every status refresh asks for the household's resolved conflicts
-- (core/overrule.c): without this index that was a scan of the whole table.
CREATE INDEX conflict_account ON conflict (account);
