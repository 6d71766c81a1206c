-- 0008: following a case after the consultation, and the official returns (rules.md §5,
-- §9.11, §10): the 支援措置 checklist of the places it must reach, the 追及 log, the
-- court's §14② requests and §15④ notices, the 一時保護 (men: 緊急一時避難) outcomes,
-- and two narrow consultation columns the official return counts (通報, 主訴).
--
-- Who did what is in the audit log (the action and the case, never the content); the
-- rows here keep what the case file shows. Every table hangs off its case, so a case
-- destroyed under retention takes its rows with it.

-- 通報 under 配偶者暴力防止法第6条 (the settings' official_returns.report_sources id; NULL:
-- not a 通報) and the consultation's one 主訴 (official_returns.main_complaints id; NULL:
-- not recorded, e.g. saved before this migration).
ALTER TABLE consultations ADD COLUMN report_source TEXT;
ALTER TABLE consultations ADD COLUMN main_complaint TEXT;

-- The official return reads one fiscal year from this index alone (kind, gender, channel,
-- age group, 主訴, 通報, the 一時保護 recommendation and the case), never the wide rows.
CREATE INDEX consultations_official
    ON consultations(fiscal_year, kind, gender, channel, age_group, main_complaint,
                     report_source, shelter_recommendation, case_id);
-- 相談実人員: the client of each case, read from an index instead of the case rows.
CREATE INDEX cases_id_client ON cases(id, client_id);

-- How a 支援措置 ended (rules.md §5, §9.11): a move out of the municipality ends it here,
-- the client may ask to end it, or the year ran out without a renewal. Until one of these
-- is recorded a lapsed measure stays on the home screen, whatever the case's status.
ALTER TABLE support_measures ADD COLUMN end_reason TEXT
    CHECK (end_reason IS NULL OR end_reason IN ('moved_out', 'client_request', 'expired'));
ALTER TABLE support_measures ADD COLUMN ended_by INTEGER;

-- The places a 支援措置 must reach so that the address stays hidden (the settings'
-- support_measure_places), copied into the case when the measure is first saved so a
-- later change of the settings does not rewrite the case's history. Each is confirmed
-- by whom (the 氏名 at the time), when and how.
CREATE TABLE support_measure_checks (
    id                INTEGER PRIMARY KEY,
    measure_id        INTEGER NOT NULL REFERENCES support_measures(id) ON DELETE CASCADE,
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    place_id          TEXT NOT NULL,
    place_name        TEXT NOT NULL,
    outside           INTEGER NOT NULL DEFAULT 0 CHECK (outside IN (0, 1)),
    confirmed_on      TEXT,
    method            TEXT CHECK (method IS NULL OR method IN ('phone', 'document', 'system')),
    confirmed_by      INTEGER,
    confirmed_by_name TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    UNIQUE (measure_id, place_id)
);
CREATE INDEX support_measure_checks_case ON support_measure_checks(case_id);
CREATE INDEX support_measure_checks_open
    ON support_measure_checks(measure_id) WHERE confirmed_on IS NULL;

-- 追及への対応: every enquiry about a client by someone who may be the perpetrator or act
-- for him, as the counter or department recorded it.
CREATE TABLE pursuit_entries (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    asked_at         TEXT NOT NULL,                 -- 'YYYY-MM-DDTHH:MM'
    counter          TEXT NOT NULL,                 -- the counter or department asked
    asker            TEXT NOT NULL,                 -- who asked, as given
    identity_check   TEXT NOT NULL
                     CHECK (identity_check IN ('none', 'id_document', 'callback',
                                               'in_person', 'other')),
    identity_note    TEXT NOT NULL DEFAULT '',
    answer           TEXT NOT NULL CHECK (answer IN ('nothing', 'partial')),
    answer_note      TEXT NOT NULL DEFAULT '',      -- what was told, when anything was
    police_told      INTEGER CHECK (police_told IS NULL OR police_told IN (0, 1)),
    recorded_at      TEXT NOT NULL,
    recorded_by      INTEGER,
    recorded_by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pursuit_entries_case ON pursuit_entries(case_id, asked_at);
CREATE INDEX pursuit_entries_police ON pursuit_entries(asked_at) WHERE police_told IS NULL;

-- 配偶者暴力防止法第14条第2項: the court's request for a written report (照会), as its
-- letter gives it, and the day the centre sent the report.
CREATE TABLE court_requests (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    court             TEXT NOT NULL,
    division          TEXT NOT NULL DEFAULT '',     -- 部・係
    court_case_number TEXT NOT NULL DEFAULT '',     -- 事件番号
    requested_on      TEXT,                         -- 照会日 (the date of the letter)
    received_on       TEXT NOT NULL,
    fiscal_year       INTEGER NOT NULL,             -- of received_on
    report_sent_on    TEXT,
    sent_fiscal_year  INTEGER,                      -- of report_sent_on
    recorded_at       TEXT NOT NULL,
    recorded_by       INTEGER
);
CREATE INDEX court_requests_case ON court_requests(case_id);
CREATE INDEX court_requests_year ON court_requests(fiscal_year);
CREATE INDEX court_requests_sent_year
    ON court_requests(sent_fiscal_year) WHERE sent_fiscal_year IS NOT NULL;
CREATE INDEX court_requests_open ON court_requests(received_on) WHERE report_sent_on IS NULL;

-- 第15条第4項: the court's notice that an order was issued. The approach ban (①) lasts
-- one year, orders ②-⑤ end with it, the eviction (⑥) lasts two or six months.
CREATE TABLE court_orders (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    request_id        INTEGER REFERENCES court_requests(id) ON DELETE SET NULL,
    notified_on       TEXT NOT NULL,                -- the notice received
    issued_on         TEXT NOT NULL,                -- the order took effect
    orders            TEXT NOT NULL,                -- JSON list of order codes
    eviction_months   INTEGER CHECK (eviction_months IS NULL OR eviction_months IN (2, 6)),
    approach_ends_on  TEXT,                         -- ① and with it ②-⑤
    eviction_ends_on  TEXT,                         -- ⑥
    ends_on           TEXT NOT NULL,                -- the later of the two
    fiscal_year       INTEGER NOT NULL,             -- of notified_on
    recorded_at       TEXT NOT NULL,
    recorded_by       INTEGER
);
CREATE INDEX court_orders_case ON court_orders(case_id);
CREATE INDEX court_orders_end ON court_orders(ends_on);
CREATE INDEX court_orders_year ON court_orders(fiscal_year);

-- A breach of an order that the client reported (a crime: 第29条).
CREATE TABLE court_order_breaches (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES court_orders(id) ON DELETE CASCADE,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    occurred_on TEXT NOT NULL,
    what        TEXT NOT NULL,
    police_told INTEGER CHECK (police_told IS NULL OR police_told IN (0, 1)),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER
);
CREATE INDEX court_order_breaches_order ON court_order_breaches(order_id);
CREATE INDEX court_order_breaches_case ON court_order_breaches(case_id);

-- What became of a request for 一時保護 (the prefectural centre) or, for a man, for the
-- city's 緊急一時避難 (rules.md §9.9: never counted as 一時保護). Persons are the client and
-- the adults with her; accompanying children are counted apart. Where she went afterwards
-- is a category, never an address.
CREATE TABLE shelter_outcomes (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    consultation_id   INTEGER REFERENCES consultations(id) ON DELETE SET NULL,
    route             TEXT NOT NULL CHECK (route IN ('temporary_protection', 'emergency_stay')),
    requested_on      TEXT NOT NULL,
    fiscal_year       INTEGER NOT NULL,             -- of requested_on
    status            TEXT NOT NULL
                      CHECK (status IN ('requested', 'accepted', 'declined', 'withdrawn',
                                        'unknown')),
    decided_on        TEXT,
    declined_reason   TEXT NOT NULL DEFAULT '',
    entered_on        TEXT,
    entry_fiscal_year INTEGER,                      -- of entered_on
    left_on           TEXT,
    persons           INTEGER NOT NULL DEFAULT 1 CHECK (persons BETWEEN 1 AND 20),
    children          INTEGER NOT NULL DEFAULT 0 CHECK (children BETWEEN 0 AND 20),
    afterwards        TEXT,
    updated_at        TEXT NOT NULL,
    updated_by        INTEGER
);
CREATE INDEX shelter_outcomes_case ON shelter_outcomes(case_id);
CREATE INDEX shelter_outcomes_year ON shelter_outcomes(fiscal_year, route, status);
CREATE INDEX shelter_outcomes_entry_year
    ON shelter_outcomes(entry_fiscal_year, route) WHERE entry_fiscal_year IS NOT NULL;
CREATE INDEX shelter_outcomes_open ON shelter_outcomes(status, left_on);

-- Requests made before this migration: one row per request (a consultation that
-- requested when the case's consultation before it had not), its outcome 'unknown'
-- (not recorded) until someone records it in the case view.
INSERT INTO shelter_outcomes (case_id, consultation_id, route, requested_on, fiscal_year,
                              status, persons, children, updated_at)
SELECT r.case_id, r.id,
       CASE WHEN r.gender = 'male' THEN 'emergency_stay' ELSE 'temporary_protection' END,
       r.consulted_on, r.fiscal_year, 'unknown', 1,
       min(20, coalesce((SELECT json_array_length(s.accompanying_children)
                         FROM shelter_decisions s WHERE s.consultation_id = r.id), 0)),
       strftime('%Y-%m-%dT%H:%M:%S', 'now')
FROM (SELECT c.id, c.case_id, c.gender, c.consulted_on, c.fiscal_year, c.shelter_requested,
             lag(c.shelter_requested) OVER (PARTITION BY c.case_id
                                            ORDER BY c.consulted_on, c.id) AS before
      FROM consultations c) AS r
WHERE r.shelter_requested = 1 AND coalesce(r.before, 0) = 0;
