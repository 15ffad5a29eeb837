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
