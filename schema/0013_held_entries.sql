-- 0013: the entries of a held bundle that broke the time bounds (sync/FORMAT.md, "Time").
-- Kept when the bundle is held; once the clerk rejects it ('held reject'), a later bundle
-- of that device carrying one of them again (every bundle carries everything not
-- acknowledged) is held again, naming the rejection, unless the entry's own device has
-- voided it. A held bundle the clerk accepts is merged, and its entries are then here.
CREATE TABLE IF NOT EXISTS held_entry (
	device  TEXT NOT NULL,
	seq     INTEGER NOT NULL CHECK (seq > 0),
	held_id INTEGER NOT NULL,
	PRIMARY KEY (device, seq, held_id)
) WITHOUT ROWID;
