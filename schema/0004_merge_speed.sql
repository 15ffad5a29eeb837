-- 0004: one index fewer to keep up on every visit merged.
-- status_state moved an entry on nearly every status refresh (a random page written
-- per visit merged) and no query needs it: the reports and lists join status to
-- household by account, and counting by state reads the whole table anyway.
DROP INDEX status_state;
