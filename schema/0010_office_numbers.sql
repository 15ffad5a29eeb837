-- 0010: import and the office's numbers
-- (reserved; filled in by its owner)
SELECT 1;
