-- 0005: which parts a visit has, kept on the visit itself.
-- Loading a household's visits asked three more indexes per visit whether it had
-- hazards, installs or photos. parts says it at once: 1 hazards + 2 installs + 4 photos.
-- Written with the visit and never changed, as the visit is not. NULL (visits stored
-- before this migration, or by hand) means "not known": readers then ask the three
-- tables as before (VISIT_ROW_PARTS in core/ledger.h).
ALTER TABLE visit ADD COLUMN parts INTEGER CHECK (parts BETWEEN 0 AND 7);
