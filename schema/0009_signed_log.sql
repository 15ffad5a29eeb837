-- 0009: signed merge log and relayed evidence (Trust part 3)
-- (reserved; filled in by its owner)
SELECT 1;
