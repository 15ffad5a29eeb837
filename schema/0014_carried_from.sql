-- 0014: a visit a successor carries (sync/FORMAT.md, "Keys": `key new` renumbers the
-- records the office had not acknowledged into the new feed) names the original it is
-- a copy of, so an office that merged the original from the old key counts it once
-- (sync/carried.c). NULL for every other visit. The first original is kept through
-- several successions.
ALTER TABLE visit ADD COLUMN carried_device TEXT;
ALTER TABLE visit ADD COLUMN carried_seq INTEGER CHECK (carried_seq IS NULL OR carried_seq > 0);
CREATE INDEX visit_carried ON visit (carried_device, carried_seq) WHERE carried_device IS NOT NULL;
