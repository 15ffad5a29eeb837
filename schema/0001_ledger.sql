-- 0001: the ledger as DESIGN.md describes it.
-- Times are stored twice: "at" as ISO 8601 text with its offset (as recorded) and
-- "at_epoch" in seconds since 1970 UTC for ordering and --as-of cut-offs.
-- Money is stored in fen (1/100 yuan) as integers.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE subdistrict (
	code        TEXT PRIMARY KEY,
	name_zh     TEXT NOT NULL,
	name_pinyin TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sector (
	code      TEXT PRIMARY KEY,
	name_zh   TEXT NOT NULL,
	name_en   TEXT NOT NULL,
	bureau_zh TEXT NOT NULL,
	bureau_en TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE hazard_item (
	code       TEXT PRIMARY KEY,
	grade      INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 3),
	applies_to TEXT NOT NULL,
	name_zh    TEXT NOT NULL,
	name_en    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE catalog (
	code      TEXT PRIMARY KEY,
	item      TEXT NOT NULL CHECK (item IN ('hose','valve','alarm','shutoff')),
	name_zh   TEXT NOT NULL,
	name_en   TEXT NOT NULL,
	standard  TEXT NOT NULL,
	price_fen INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE setting (
	key    TEXT PRIMARY KEY,
	value  TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE household (
	account     TEXT PRIMARY KEY,
	category    TEXT NOT NULL CHECK (category IN ('residential','non_residential')),
	gas         TEXT NOT NULL CHECK (gas IN ('pipeline','lpg')),
	new_build   INTEGER NOT NULL DEFAULT 0 CHECK (new_build IN (0,1)),
	sector      TEXT REFERENCES sector(code),
	name        TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	subdistrict TEXT NOT NULL DEFAULT '',
	community   TEXT NOT NULL DEFAULT '',
	compound    TEXT NOT NULL DEFAULT '',
	building    TEXT NOT NULL DEFAULT '',
	unit        TEXT NOT NULL DEFAULT '',
	floor       TEXT NOT NULL DEFAULT '',
	room        TEXT NOT NULL DEFAULT '',
	CHECK (category = 'residential' OR sector IS NOT NULL)
) WITHOUT ROWID;

-- Walking order: compound, building, unit, floor, room.
CREATE INDEX household_walk ON household (compound, building, unit, floor, room);
CREATE INDEX household_subdistrict ON household (subdistrict);

-- A visit is an immutable event, keyed by the device that recorded it and that
-- device's sequence number. Nothing ever updates or deletes a row here.
CREATE TABLE visit (
	device      TEXT NOT NULL,
	seq         INTEGER NOT NULL CHECK (seq > 0),
	account     TEXT NOT NULL REFERENCES household(account),
	actor       TEXT NOT NULL,
	role        TEXT NOT NULL CHECK (role IN ('inspect','install','recheck','self-check','spot-check')),
	at          TEXT NOT NULL,
	at_epoch    INTEGER NOT NULL,
	outcome     TEXT NOT NULL CHECK (outcome IN ('entered','not-home','refused','vacant')),
	hose        TEXT CHECK (hose IN ('metal','non-metal','none')),
	valve       TEXT CHECK (valve IN ('ok','absent','faulty','na')),
	alarm       TEXT CHECK (alarm IN ('ok','absent','faulty','na')),
	shutoff     TEXT CHECK (shutoff IN ('ok','absent','faulty','na')),
	supply      TEXT CHECK (supply IN ('stopped','restored')),
	note        TEXT NOT NULL DEFAULT '',
	base_device TEXT,
	base_seq    INTEGER,
	recorded_at INTEGER NOT NULL,
	PRIMARY KEY (device, seq)
) WITHOUT ROWID;

CREATE INDEX visit_account ON visit (account, at_epoch);
CREATE INDEX visit_at ON visit (at_epoch);

CREATE TABLE visit_hazard (
	device TEXT NOT NULL,
	seq    INTEGER NOT NULL,
	code   TEXT NOT NULL REFERENCES hazard_item(code),
	grade  INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 3),
	PRIMARY KEY (device, seq, code),
	FOREIGN KEY (device, seq) REFERENCES visit(device, seq)
) WITHOUT ROWID;

CREATE TABLE visit_install (
	device    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	n         INTEGER NOT NULL,
	item      TEXT NOT NULL CHECK (item IN ('hose','valve','alarm','shutoff')),
	product   TEXT NOT NULL,
	serial    TEXT NOT NULL,
	price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
	PRIMARY KEY (device, seq, n),
	FOREIGN KEY (device, seq) REFERENCES visit(device, seq)
) WITHOUT ROWID;

-- Photos are referenced, not stored: name, size and BLAKE2b-256 hash (hex).
CREATE TABLE photo (
	device TEXT NOT NULL,
	seq    INTEGER NOT NULL,
	name   TEXT NOT NULL,
	size   INTEGER NOT NULL,
	hash   TEXT NOT NULL,
	PRIMARY KEY (device, seq, name),
	FOREIGN KEY (device, seq) REFERENCES visit(device, seq)
) WITHOUT ROWID;

-- Derived from the visits by core/rules.c; never edited by hand.
CREATE TABLE status (
	account      TEXT PRIMARY KEY REFERENCES household(account),
	state        TEXT NOT NULL CHECK (state IN ('compliant','pending','hazard_open','refused','never_reached')),
	hose         TEXT,
	valve        TEXT,
	alarm        TEXT,
	shutoff      TEXT,
	missing      TEXT NOT NULL DEFAULT '',
	visits       INTEGER NOT NULL DEFAULT 0,
	open_hazards INTEGER NOT NULL DEFAULT 0,
	last_device  TEXT,
	last_seq     INTEGER,
	last_at      INTEGER,
	last_outcome TEXT,
	compliant_at INTEGER
) WITHOUT ROWID;

CREATE INDEX status_state ON status (state);

-- Derived too: one order per hazard found, cleared by a later visit that no longer finds it.
CREATE TABLE rectification (
	account    TEXT NOT NULL REFERENCES household(account),
	code       TEXT NOT NULL,
	grade      INTEGER NOT NULL,
	opened_at  INTEGER NOT NULL,
	deadline   INTEGER,
	cleared_at INTEGER,
	device     TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	PRIMARY KEY (account, code, opened_at)
) WITHOUT ROWID;

-- Derived: supply stopped for a hazard (non-residential), cleared, restored.
CREATE TABLE suspension (
	account     TEXT NOT NULL REFERENCES household(account),
	stopped_at  INTEGER NOT NULL,
	cleared_at  INTEGER,
	restored_at INTEGER,
	PRIMARY KEY (account, stopped_at)
) WITHOUT ROWID;

-- The keyring: this ledger's own identity and the devices or offices it trusts.
CREATE TABLE device (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('self','terminal','office')),
	sign_pk     TEXT,
	box_pk      TEXT,
	enrolled_at INTEGER NOT NULL,
	revoked_at  INTEGER,
	last_seq    INTEGER NOT NULL DEFAULT 0,
	last_hash   TEXT
) WITHOUT ROWID;

CREATE TABLE conflict (
	id          INTEGER PRIMARY KEY,
	account     TEXT NOT NULL REFERENCES household(account),
	a_device    TEXT NOT NULL,
	a_seq       INTEGER NOT NULL,
	b_device    TEXT NOT NULL,
	b_seq       INTEGER NOT NULL,
	fields      TEXT NOT NULL,
	found_at    INTEGER NOT NULL,
	resolved_at INTEGER,
	keep_device TEXT,
	keep_seq    INTEGER,
	UNIQUE (a_device, a_seq, b_device, b_seq)
);

CREATE TABLE merge_log (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	device    TEXT,
	bundle_seq INTEGER,
	bundle_hash TEXT,
	result    TEXT NOT NULL,
	detail    TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
