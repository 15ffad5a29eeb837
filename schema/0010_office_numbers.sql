-- 0010: import and the office's numbers.
-- A compound is (subdistrict, compound): two subdistricts may both have a 幸福小区2期, so
-- no query looks a compound up by its name alone any more, and the walking-order index
-- (compound first) and the subdistrict index of 0001 serve nothing that needs them:
-- - at an office, assign, list --compound and the reports read a compound or every
--   household in one pass (a 300,000-household ledger is scanned in well under a second);
-- - on a terminal the route, the search and the plan read a few thousand households.
-- Without them a household row is one b-tree entry: a first import of a city's list no
-- longer sorts and builds a second copy of every address (tests/bench/import.sh).
DROP INDEX IF EXISTS household_walk;
DROP INDEX IF EXISTS household_subdistrict;
