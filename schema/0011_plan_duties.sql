-- 0011: the plan's duties (settings with scope and history, compound plans, catalog
-- columns a gas company hands over). See core/settings.h and report/FORMAT.md.

-- Who set each setting, when, and where the value came from: 'local' (set on this
-- ledger), 'district' or 'office' (arrived in a pack). No row: the seeded default.
-- (Beside the setting table rather than in it: its seed rows are written by position.)
CREATE TABLE IF NOT EXISTS setting_origin (
	key    TEXT PRIMARY KEY,
	origin TEXT NOT NULL,
	set_by TEXT NOT NULL,
	set_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Every change made by `gaswalk settings KEY VALUE` or brought by a pack: append-only.
CREATE TABLE IF NOT EXISTS setting_log (
	id     INTEGER PRIMARY KEY,
	at     INTEGER NOT NULL,
	key    TEXT NOT NULL,
	old    TEXT,
	new    TEXT NOT NULL,
	origin TEXT NOT NULL,
	who    TEXT NOT NULL
);

-- Rectification deadlines per grade (grade 2 existed; grade 3 is advice, never overdue).
INSERT OR IGNORE INTO setting(key, value, source) VALUES
	('rectify_days_grade1', '1', 'common practice: a grade-1 hazard is fixed at once (within a day)');

-- The catalog as a gas company hands it over: brand and model beside the generic name
-- (beside the catalog table: its seed and pack rows are written by position).
CREATE TABLE IF NOT EXISTS catalog_extra (
	code  TEXT PRIMARY KEY,
	brand TEXT NOT NULL DEFAULT '',
	model TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Monthly installation plans per compound (按小区（村）分解制定月度安装计划): the
-- households the office plans to bring to compliance in that month.
CREATE TABLE IF NOT EXISTS plan (
	subdistrict TEXT NOT NULL,
	compound    TEXT NOT NULL,
	month       TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
	households  INTEGER NOT NULL CHECK (households >= 0),
	origin      TEXT NOT NULL DEFAULT '',
	set_at      INTEGER NOT NULL,
	PRIMARY KEY (subdistrict, compound, month)
) WITHOUT ROWID;
