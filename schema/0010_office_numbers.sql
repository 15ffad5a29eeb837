-- 0010: import and the office's numbers.
-- A compound is (subdistrict, compound): two subdistricts may both have a 幸福小区2期.
-- The walking order starts with the subdistrict, so every query that picks a compound
-- (assign, list, the route, the reports' grouping) finds it through one index, and the
-- index on the subdistrict alone (a prefix of this one) is no longer needed: one index
-- fewer to build after a first import.
DROP INDEX household_walk;
DROP INDEX household_subdistrict;
CREATE INDEX household_walk ON household (subdistrict, compound, building, unit, floor, room);
