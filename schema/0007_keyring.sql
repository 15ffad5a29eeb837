-- 0007: identities and keyring (Trust part 1)
-- (reserved; filled in by its owner)
SELECT 1;
