-- 0007: an identity is its key; roles, territories and revocation by key
-- (sync/FORMAT.md, "Identities, roles, territories and revocation").
--
-- Device ids become the 26 base32 characters derived from each signing key; SQL cannot
-- hash, so sync_keyring_upgrade() moves each entry to its derived id when the ledger is
-- next opened and keeps the old random hex id in legacy_id (visits recorded under it
-- keep it). enrolled by: the office that enrolled a device ('' = this ledger); a
-- sub-office's territory is its subdistrict.
ALTER TABLE device ADD COLUMN legacy_id TEXT;
ALTER TABLE device ADD COLUMN office TEXT NOT NULL DEFAULT '';
ALTER TABLE device ADD COLUMN subdistrict TEXT;

-- Names are unique within the devices one office enrolled; an older keyring may hold
-- the same name twice: the later ones get their id beside the name.
UPDATE device SET name = name || ' (' || id || ')'
WHERE EXISTS (SELECT 1 FROM device o
	      WHERE o.name = device.name AND o.office = device.office AND o.id < device.id);
CREATE UNIQUE INDEX device_name ON device(office, name);
CREATE UNIQUE INDEX device_legacy ON device(legacy_id) WHERE legacy_id IS NOT NULL;
CREATE INDEX device_key ON device(sign_pk);

-- Revocation is by key: a revoked key never comes back under any id or name. n orders
-- the revocations for the roll-ups and packs that carry them; by_office is the office
-- that revoked it ('' = this ledger).
CREATE TABLE revoked_key (
	n          INTEGER PRIMARY KEY,
	sign_pk    TEXT NOT NULL UNIQUE,
	box_pk     TEXT,
	revoked_at INTEGER NOT NULL,
	by_office  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX revoked_key_box ON revoked_key(box_pk);

-- Every device revoked so far, including those a test clock stored as revoked at 0
-- (read then as "not revoked" although "revoked" was printed and logged).
INSERT INTO revoked_key(sign_pk, box_pk, revoked_at)
SELECT sign_pk, box_pk, max(revoked_at, 1) FROM device
WHERE revoked_at IS NOT NULL AND sign_pk IS NOT NULL;
INSERT OR IGNORE INTO revoked_key(sign_pk, box_pk, revoked_at)
SELECT d.sign_pk, d.box_pk, max(l.at, 1) FROM merge_log l JOIN device d ON d.id = l.device
WHERE l.result = 'revoked' AND d.sign_pk IS NOT NULL;
UPDATE device SET revoked_at = (SELECT r.revoked_at FROM revoked_key r WHERE r.sign_pk = device.sign_pk)
WHERE sign_pk IN (SELECT sign_pk FROM revoked_key);
