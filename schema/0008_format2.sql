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

-- ---- format 2 (sync/FORMAT.md): feeds, coverage acknowledgements, held bundles, photos ----

-- Each device's records (visits and voids) form a feed numbered 1, 2, 3 ... (their seq).
-- At a receiving office, per sending device: `covered`, the highest n such that every
-- entry 1..n is here with its photos (or their waiver); the newest bundle creation time
-- merged from it; what the level above acknowledged of it (`up_acked`, roll-ups).
CREATE TABLE feed (
	device       TEXT PRIMARY KEY,
	covered      INTEGER NOT NULL DEFAULT 0,
	last_created INTEGER NOT NULL DEFAULT 0,
	up_acked     INTEGER NOT NULL DEFAULT 0,
	forks        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Chain heads known at entry n of a device's feed (h_n = H(h_{n-1} || entry hash)): at the
-- ends of every manifest merged (`claimed` 1 for the head a manifest states before its
-- first entry, 0 for the head its entries give). Two heads for one (device, n) = a fork.
CREATE TABLE feed_head (
	device  TEXT NOT NULL,
	n       INTEGER NOT NULL CHECK (n >= 0),
	head    TEXT NOT NULL,
	claimed INTEGER NOT NULL,
	PRIMARY KEY (device, n)
) WITHOUT ROWID;

-- Signed manifests merged here, kept so a roll-up relays them unchanged (with their key).
CREATE TABLE feed_manifest (
	device   TEXT NOT NULL,
	first    INTEGER NOT NULL,
	last     INTEGER NOT NULL,
	manifest TEXT NOT NULL,
	sig      TEXT NOT NULL,
	key      TEXT NOT NULL,
	PRIMARY KEY (device, last, first)
) WITHOUT ROWID;

-- Photos referenced by a merged visit that are not in the photo store yet; a visit with
-- one is not acknowledged (its terminal keeps sending it) until the photo comes or the
-- clerk waives it.
CREATE TABLE photo_missing (
	device TEXT NOT NULL,
	seq    INTEGER NOT NULL,
	name   TEXT NOT NULL,
	hash   TEXT NOT NULL,
	PRIMARY KEY (device, seq, name)
) WITHOUT ROWID;
CREATE TABLE photo_waiver (
	device    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	name      TEXT NOT NULL,
	reason    TEXT NOT NULL,
	waived_at INTEGER NOT NULL,
	PRIMARY KEY (device, seq, name)
) WITHOUT ROWID;

-- Bundles held whole (time bounds): a copy is kept beside the ledger until the clerk
-- accepts (merged) or rejects it, with a reason.
CREATE TABLE held (
	id         INTEGER PRIMARY KEY,
	hash       TEXT NOT NULL UNIQUE,
	device     TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	file       TEXT NOT NULL,
	reason     TEXT NOT NULL,
	held_at    INTEGER NOT NULL,
	decision   TEXT CHECK (decision = 'accepted' OR decision = 'rejected'),
	decided_at INTEGER,
	why        TEXT
);

-- Format-2 bundles merged (replaces bundle_in's role; bundle_in stays for format 1).
CREATE TABLE bundle_seen (
	hash      TEXT PRIMARY KEY,
	device    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	created   INTEGER NOT NULL,
	merged_at INTEGER NOT NULL
) WITHOUT ROWID;

-- A terminal's exports: the feed entries each one carried.
ALTER TABLE bundle_out ADD COLUMN first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bundle_out ADD COLUMN last INTEGER NOT NULL DEFAULT 0;
