-- 0006: visits are numbered on arrival by the code that stores them, not a trigger.
-- The trigger of 0002 cost a sub-program per visit stored (about an eighth of a
-- merge). core/visit.c is the only code that stores visits, and it now inserts the
-- visit_arrival row itself, in the same statement sequence as the visit.
DROP TRIGGER visit_arrival_add;
