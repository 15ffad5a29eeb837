-- 0008: sync format 2 (Trust part 2, sync/FORMAT.md), and the visit fields other
-- issues need: the policy notice, the quick entry mode, the hazard behind a supply
-- stop, and void records.

-- A visit says whether the household was given the policy notice (逐一告知), whether it
-- was entered the quick two-key way ('quick'; NULL: the full form), and for a supply
-- stop, the hazard code whose finding caused it. Written with the visit, never changed.
ALTER TABLE visit ADD COLUMN notice INTEGER NOT NULL DEFAULT 0 CHECK (notice = 0 OR notice = 1);
ALTER TABLE visit ADD COLUMN entry_mode TEXT CHECK (entry_mode = 'quick');
ALTER TABLE visit ADD COLUMN supply_hazard TEXT;

-- A void cancels a mistaken visit. It is an entry of its author's feed, numbered in
-- the same sequence as the author's visits (device, seq), and may arrive before the
-- visit it cancels (nothing here refers to the visit table). It applies to the visit
-- (target_device, target_seq) only when that visit belongs to `account`. A voided visit
-- stays in the ledger; the fold and the conflicts leave it out (core/visit.c).
CREATE TABLE visit_void (
	device        TEXT NOT NULL,
	seq           INTEGER NOT NULL CHECK (seq > 0),
	account       TEXT NOT NULL,
	target_device TEXT NOT NULL,
	target_seq    INTEGER NOT NULL CHECK (target_seq > 0),
	actor         TEXT NOT NULL,
	at            TEXT NOT NULL,
	at_epoch      INTEGER NOT NULL,
	reason        TEXT NOT NULL CHECK (reason <> ''),
	recorded_at   INTEGER NOT NULL,
	PRIMARY KEY (device, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX visit_void_target ON visit_void (target_device, target_seq, device, seq);
CREATE INDEX visit_void_account ON visit_void (account);
