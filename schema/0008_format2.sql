-- 0008: sync format 2 (Trust part 2)
-- (reserved; filled in by its owner)
SELECT 1;
