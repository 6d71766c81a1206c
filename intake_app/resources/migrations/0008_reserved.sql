-- 0008: reserved for a schema change being developed at the same time. Empty here only
-- so that 0009 follows a contiguous numbering on this branch; when the real 0008 lands,
-- this file is removed.
SELECT 1;
