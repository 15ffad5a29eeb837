-- 0012: the field terminal round 2
-- (reserved; filled in by its owner)
SELECT 1;
