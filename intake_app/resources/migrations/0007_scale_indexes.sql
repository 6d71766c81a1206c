-- 0007: indexes for a decade of records (a million consultations, tens of millions of
-- audit entries): every statistics query streams its groups from an index in the
-- order it groups by (no temporary B-tree, which under cipher_memory_security costs a
-- wiped allocation per sorted row), and the audit tab filters and pages in SQL.

-- Statistics: one narrow covering index per exclusive breakdown, in the order
-- "GROUP BY column, month" reads it (kind is served by consultations_stats, whose
-- order (fiscal_year, month, kind) the planner can follow as "month, kind").
CREATE INDEX consultations_channel_month ON consultations(fiscal_year, channel, month);
CREATE INDEX consultations_relationship_month
    ON consultations(fiscal_year, relationship, month);
CREATE INDEX consultations_age_group_month ON consultations(fiscal_year, age_group, month);
CREATE INDEX consultations_gender_month ON consultations(fiscal_year, gender, month);

-- The client's intention about a protection order (本人に申立ての意向あり), copied from
-- protection_order_advice (never changed after saving) so the year's count reads one
-- narrow index instead of joining every consultation of the year to its advice row.
ALTER TABLE consultations ADD COLUMN po_intention TEXT;
UPDATE consultations SET po_intention =
    (SELECT p.client_intention FROM protection_order_advice p
     WHERE p.consultation_id = consultations.id);
CREATE INDEX consultations_po_intention_month
    ON consultations(fiscal_year, po_intention, month);

-- 図1 (consultations by kind over five fiscal years) counted as they are written: one
-- row per fiscal year and kind, kept by triggers on every insert and delete (a
-- retention deletion too), so the series reads a handful of rows instead of five years
-- of consultations.
CREATE TABLE consultation_year_counts (
    fiscal_year INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, kind)
) WITHOUT ROWID;
INSERT INTO consultation_year_counts (fiscal_year, kind, count)
    SELECT fiscal_year, kind, count(*) FROM consultations GROUP BY fiscal_year, kind;
CREATE TRIGGER consultation_year_counts_insert AFTER INSERT ON consultations
BEGIN
    INSERT INTO consultation_year_counts (fiscal_year, kind, count)
        VALUES (NEW.fiscal_year, NEW.kind, 1)
        ON CONFLICT (fiscal_year, kind) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER consultation_year_counts_delete AFTER DELETE ON consultations
BEGIN
    UPDATE consultation_year_counts SET count = count - 1
        WHERE fiscal_year = OLD.fiscal_year AND kind = OLD.kind;
END;
CREATE TRIGGER consultation_year_counts_update AFTER UPDATE OF fiscal_year, kind ON consultations
BEGIN
    UPDATE consultation_year_counts SET count = count - 1
        WHERE fiscal_year = OLD.fiscal_year AND kind = OLD.kind;
    INSERT INTO consultation_year_counts (fiscal_year, kind, count)
        VALUES (NEW.fiscal_year, NEW.kind, 1)
        ON CONFLICT (fiscal_year, kind) DO UPDATE SET count = count + 1;
END;

-- Referrals by destination and month (the month of referred_on, as the statistics
-- query computes it), with referred_on itself so the index covers the query: read in
-- group order. It replaces referrals_stats (fiscal_year, destination_id), its prefix.
DROP INDEX referrals_stats;
CREATE INDEX referrals_stats_month
    ON referrals(fiscal_year, destination_id, CAST(substr(referred_on, 6, 2) AS INTEGER),
                 referred_on);

-- Audit log: the supervisor's filters, each in time order (at, then seq through the
-- rowid), so a page is an index range read from its newest end. They replace
-- (user_id, at) (the tab filters by the name, which also covers the recovery key's
-- entries), (object_id) and (action, seq) (the newest backup is the newest entry of
-- (action, at)); every index here is written again at each audit entry.
DROP INDEX audit_log_user_at;
DROP INDEX audit_log_object;
DROP INDEX audit_log_action;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user_name_at ON audit_log(user_name, at);
CREATE INDEX audit_log_action_at ON audit_log(action, at);
CREATE INDEX audit_log_object_at ON audit_log(object_id, at) WHERE object_id IS NOT NULL;
