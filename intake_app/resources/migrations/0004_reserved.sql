-- 0004: reserved for a change developed at the same time (hand-off between centres).
-- Empty here only so that the numbering stays contiguous on this branch; when the real
-- 0004 lands, this file is removed.
SELECT 1;
