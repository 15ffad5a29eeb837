-- 0002: bookkeeping for bundles, assignment packs and roll-ups (sync/FORMAT.md).

-- Arrival order of visits and household changes in this ledger, so an export can
-- say "everything since bundle N" without a timestamp: filled by triggers, so
-- visits recorded here, merged from bundles or loaded from packs all count.
CREATE TABLE visit_arrival (
	n      INTEGER PRIMARY KEY,
	device TEXT NOT NULL,
	seq    INTEGER NOT NULL
);
CREATE TRIGGER visit_arrival_add AFTER INSERT ON visit BEGIN
	INSERT INTO visit_arrival(device, seq) VALUES (NEW.device, NEW.seq);
END;

CREATE TABLE household_change (
	n       INTEGER PRIMARY KEY,
	account TEXT NOT NULL
);
CREATE TRIGGER household_change_add AFTER INSERT ON household BEGIN
	INSERT INTO household_change(account) VALUES (NEW.account);
END;
CREATE TRIGGER household_change_upd AFTER UPDATE ON household BEGIN
	INSERT INTO household_change(account) VALUES (NEW.account);
END;

-- Bundles this ledger wrote: what each one covered (arrival numbers), for acks.
CREATE TABLE bundle_out (
	seq            INTEGER PRIMARY KEY,
	hash           TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	upto_visit     INTEGER NOT NULL,
	upto_household INTEGER NOT NULL,
	visits         INTEGER NOT NULL,
	households     INTEGER NOT NULL
);

-- Bundles merged into this ledger, per sending device: replays, gaps and forks.
CREATE TABLE bundle_in (
	device    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	hash      TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	merged_at INTEGER NOT NULL,
	visits    INTEGER NOT NULL,
	PRIMARY KEY (device, seq)
) WITHOUT ROWID;
