-- 0009: signed merge log and witnessed heads (Trust part 3, sync/FORMAT.md "Merge log").
-- Entries from now on are signed with the ledger's key (sig, base64url); the format-1
-- entries already there stay as they are, sealed: the first signed entry ("sealed")
-- chains onto the last of them, and log_format1_entries says how many there were.
ALTER TABLE merge_log ADD COLUMN sig TEXT;
INSERT OR REPLACE INTO meta(key, value)
	SELECT 'log_format1_entries', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM merge_log;

-- The last head of a lower ledger's log witnessed here (from its roll-ups).
CREATE TABLE log_witness (
	device TEXT PRIMARY KEY,
	count  INTEGER NOT NULL,
	hash   TEXT NOT NULL,
	sig    TEXT NOT NULL,
	at     INTEGER NOT NULL
) WITHOUT ROWID;

-- This ledger's own head as the level above witnessed it (echoed in its packs).
CREATE TABLE log_echo (
	by_device TEXT PRIMARY KEY,
	count     INTEGER NOT NULL,
	hash      TEXT NOT NULL,
	sig       TEXT NOT NULL,
	at        INTEGER NOT NULL
) WITHOUT ROWID;

-- Relayed evidence (sync/FORMAT.md, "Relayed evidence").
-- The signed enrolment of each terminal relayed up by the office that enrolled it.
CREATE TABLE relay_enrolment (
	device TEXT PRIMARY KEY,
	office TEXT NOT NULL,
	text   TEXT NOT NULL,
	at     INTEGER NOT NULL
) WITHOUT ROWID;

-- Every household change an office's roll-up made here, attributed (report
-- household-changes): the fields that changed, or 'new'.
CREATE TABLE household_attribution (
	n           INTEGER PRIMARY KEY,
	account     TEXT NOT NULL,
	office      TEXT NOT NULL,
	bundle_hash TEXT NOT NULL,
	at          INTEGER NOT NULL,
	fields      TEXT NOT NULL
);
CREATE INDEX household_attribution_account ON household_attribution (account);
