-- 0003: reserved for the settings change being developed at the same time (settings kept
-- in the vault). Empty here only so that 0004 follows a contiguous numbering on this
-- branch; when the real 0003 lands, this file is removed.
SELECT 1;
