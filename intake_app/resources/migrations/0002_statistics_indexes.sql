-- 0002: indexes that the statistics and the home screen's backup reminder read.
--
-- Added after the first schema: a vault created with 0001 alone gets them here.

-- Covering index for the yearly indicators (一時保護, 保護命令, 支援措置, child notification).
CREATE INDEX consultations_indicators
    ON consultations(fiscal_year, month, shelter_recommendation, shelter_requested,
                     po_eligible, support_measure, child_notification, child_notified);
-- Narrow index for the year-on-year series (図1: consultations by kind over five
-- fiscal years): about 15 times faster than scanning the wide one above.
CREATE INDEX consultations_year_kind ON consultations(fiscal_year, kind);

-- The newest entry of one action (the last backup, for the home screen's reminder)
-- without scanning the whole audit log.
CREATE INDEX audit_log_action ON audit_log(action, seq);
