-- 0011: the plan's duties
-- (reserved; filled in by its owner)
SELECT 1;
