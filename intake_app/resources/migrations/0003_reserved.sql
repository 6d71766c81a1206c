-- 0003: reserved for a change developed at the same time (settings kept in the vault).
-- Empty here only so that the numbering stays contiguous on this branch; when the real
-- 0003 lands, this file is removed.
SELECT 1;
