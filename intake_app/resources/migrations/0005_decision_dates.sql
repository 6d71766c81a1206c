-- 0005: what rules.md §8-§9 add to the stored decisions.
--
-- 支援措置 (§9.11): the day the municipality told the client that the measure applies
-- (確認結果の連絡日) beside the application date, and the day the year is counted from
-- (the notified date or the application date, by the municipality's setting
-- support_measure_starts_on, at the time of saving); expires_on is one year from it.
-- Rows saved before this migration counted the year from the application date.
ALTER TABLE support_measures ADD COLUMN notified_on TEXT;
ALTER TABLE support_measures ADD COLUMN start_on TEXT;
UPDATE support_measures SET start_on = applied_on;

-- 保護命令 (§8.8): "pending" (判断待ち: an answer or the counselor's judgement that could
-- make the application possible is missing) is not "not_eligible" (対象外). Rows saved
-- before this migration have no state: only eligible yes/no as the rules then said.
ALTER TABLE protection_order_advice ADD COLUMN state TEXT
    CHECK (state IS NULL OR state IN ('eligible', 'not_eligible', 'pending'));
