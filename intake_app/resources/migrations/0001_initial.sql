-- 0001: the schema of the whole product.
--
-- Part 1, the vault: metadata, settings, users (no secrets) and the audit chain.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Login accounts. Passphrases and keys live only in the keyslots of vault.keys.
CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    display_name          TEXT NOT NULL DEFAULT '',
    role                  TEXT NOT NULL CHECK (role IN ('counselor', 'supervisor')),
    disabled              INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at            TEXT NOT NULL,
    disabled_at           TEXT,
    last_login_at         TEXT,
    passphrase_changed_at TEXT
);

-- Who did what, never the content. Each entry's MAC covers its fields and the MAC of
-- the previous entry (HMAC-SHA256), so edits, deletions and reordering are detected.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL,
    object_id TEXT,
    detail    TEXT,
    mac       BLOB NOT NULL
);

CREATE INDEX audit_log_user_at ON audit_log (user_id, at);
CREATE INDEX audit_log_object ON audit_log (object_id) WHERE object_id IS NOT NULL;

-- Part 2: the consultation records.
--
-- Layout rule (architecture.md): SQLCipher decrypts every page a query touches, so
-- the columns that search, the home screen and the statistics read live in narrow
-- tables with covering indexes, and everything else of an intake (addresses,
-- whereabouts, notes, children's names, free text) lives in the JSON of
-- consultation_details, which only the case view and a follow-up ever read.
-- Dates are ISO text ('YYYY-MM-DD'), times ISO text ('YYYY-MM-DDTHH:MM').
-- Booleans are 0/1; NULL means 不明・回答なし.

-- Clients: only what the search needs. Sensitive answers stay in the intake JSON.
CREATE TABLE clients (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',     -- '' for an anonymous consultation
    kana         TEXT NOT NULL DEFAULT '',
    name_norm    TEXT NOT NULL DEFAULT '',     -- NFKC, no spaces
    kana_norm    TEXT NOT NULL DEFAULT '',     -- normalize_kana(kana): hiragana, no spaces
    phone_digits TEXT NOT NULL DEFAULT '',     -- digits only, for search
    anonymous    INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- 旧姓・通称, one row each.
CREATE TABLE client_aliases (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    alias_norm TEXT NOT NULL,
    UNIQUE (client_id, alias_norm)
);
CREATE INDEX client_aliases_client ON client_aliases(client_id);

-- Search terms: every normalised word of the name, the kana, the aliases and the
-- phone number, so that a prefix query on one index finds a client by surname,
-- given name, reading, 旧姓 or phone (kana-insensitive through normalize_kana).
CREATE TABLE client_terms (
    term      TEXT NOT NULL,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    PRIMARY KEY (term, client_id)
) WITHOUT ROWID;
CREATE INDEX client_terms_client ON client_terms(client_id);

-- Cases: one per client and period of support. case_number is 'FFFF-NNNN' with
-- the fiscal year (April-March) of the first consultation.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    case_number     TEXT NOT NULL UNIQUE,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    do_not_disclose INTEGER NOT NULL DEFAULT 0 CHECK (do_not_disclose IN (0, 1)),  -- 追及注意
    counter_note    TEXT NOT NULL DEFAULT '',  -- note for counter staff (no whereabouts)
    opened_on       TEXT NOT NULL,
    closed_on       TEXT,
    close_reason    TEXT,
    reopened_on     TEXT,
    reopen_reason   TEXT,
    last_consulted_on TEXT NOT NULL,
    latest_risk     TEXT,                      -- final level of the latest consultation
    created_by      INTEGER,
    updated_at      TEXT NOT NULL
);
CREATE INDEX cases_client ON cases(client_id);
CREATE INDEX cases_status_closed ON cases(status, closed_on);

-- The next case number per fiscal year.
CREATE TABLE case_numbers (
    fiscal_year INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

-- Close / reopen history, with reasons.
CREATE TABLE case_events (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    reason  TEXT NOT NULL,
    at      TEXT NOT NULL,
    user_id INTEGER
);
CREATE INDEX case_events_case ON case_events(case_id);

-- Consultations: narrow, the columns statistics count. No free text here.
CREATE TABLE consultations (
    id                     INTEGER PRIMARY KEY,
    case_id                INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    consulted_on           TEXT NOT NULL,
    started_at             TEXT,
    fiscal_year            INTEGER NOT NULL,
    month                  INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    kind                   TEXT NOT NULL,     -- dv / kokoro / other_difficulty
    channel                TEXT,
    consulter              TEXT,
    relationship           TEXT,
    age_group              TEXT,
    gender                 TEXT,
    risk_computed          TEXT,
    risk_final             TEXT,
    shelter_recommendation TEXT,              -- immediate / recommend / discuss / not_needed
    shelter_requested      INTEGER,
    po_eligible            INTEGER,
    support_measure        INTEGER NOT NULL DEFAULT 0,
    child_notification     INTEGER NOT NULL DEFAULT 0,  -- required by the rule
    child_notified         INTEGER NOT NULL DEFAULT 0,  -- recorded as done
    counselor_id           INTEGER,
    created_at             TEXT NOT NULL
);
CREATE INDEX consultations_case ON consultations(case_id, consulted_on);
CREATE INDEX consultations_on ON consultations(consulted_on);
-- Covering index for the most frequent statistics (a year by month, channel and kind).
CREATE INDEX consultations_stats
    ON consultations(fiscal_year, month, kind, channel, consulter, relationship,
                     age_group, gender);

-- The full intake (Intake.to_dict()) as zlib-compressed UTF-8 JSON, away from the
-- statistics pages; compressed, several fit in one page instead of one per page.
CREATE TABLE consultation_details (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
    intake          BLOB NOT NULL
);

-- Children: narrow facts only (names and schools stay in the JSON).
CREATE TABLE children (
    id                 INTEGER PRIMARY KEY,
    consultation_id    INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    idx                INTEGER NOT NULL,
    age                INTEGER,
    lives_with_client  INTEGER,
    witnessed_violence INTEGER,
    directly_harmed    INTEGER,
    UNIQUE (consultation_id, idx)
);

-- One row per consultation and violence type; fiscal_year/month copied from the
-- consultation (never changed after saving) so a year's counts read one index.
CREATE TABLE violence (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    type            TEXT NOT NULL,
    frequency       TEXT,                     -- repeated / once_or_twice
    fiscal_year     INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, type)
) WITHOUT ROWID;
CREATE INDEX violence_stats ON violence(fiscal_year, month, type);

CREATE TABLE threats (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    threat          TEXT NOT NULL,
    PRIMARY KEY (consultation_id, threat)
) WITHOUT ROWID;

-- 困難 categories of a consultation.
CREATE TABLE needs (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    category        TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, category)
) WITHOUT ROWID;
CREATE INDEX needs_stats ON needs(fiscal_year, category);

-- Perpetrators, per case, for the 追及 search (a caller asking for a client).
CREATE TABLE perpetrators (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name            TEXT NOT NULL DEFAULT '',
    kana            TEXT NOT NULL DEFAULT '',
    name_norm       TEXT NOT NULL DEFAULT '',
    kana_norm       TEXT NOT NULL DEFAULT '',
    consultation_id INTEGER REFERENCES consultations(id) ON DELETE SET NULL,
    UNIQUE (case_id, name_norm, kana_norm)
);
CREATE INDEX perpetrators_name ON perpetrators(name_norm);
CREATE INDEX perpetrators_kana ON perpetrators(kana_norm);

-- Risk assessments: the version and raw answers, so history can be re-read.
CREATE TABLE risk_assessments (
    id                INTEGER PRIMARY KEY,
    consultation_id   INTEGER NOT NULL UNIQUE REFERENCES consultations(id) ON DELETE CASCADE,
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    assessed_on       TEXT NOT NULL,
    checklist_version TEXT NOT NULL,
    answers           TEXT NOT NULL,          -- JSON {"R01": true, ...}
    yes_count         INTEGER NOT NULL,
    red_flags         TEXT NOT NULL,          -- JSON list of ids
    computed          TEXT NOT NULL,
    final             TEXT NOT NULL,
    judgement         TEXT,
    judgement_reason  TEXT
);
CREATE INDEX risk_assessments_case ON risk_assessments(case_id, assessed_on);

-- 一時保護: the recommendation, the client's wish and what was done.
CREATE TABLE shelter_decisions (
    consultation_id       INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
    recommendation        TEXT NOT NULL,
    reasons               TEXT NOT NULL,      -- JSON list of str
    routes                TEXT NOT NULL,      -- JSON list of str
    client_wish           TEXT,
    requested             INTEGER NOT NULL DEFAULT 0,
    accompanying_children TEXT NOT NULL DEFAULT '[]'  -- JSON list of child indexes
);

-- 保護命令: the advice given (rules.md §2.5 output) and the client's intention.
CREATE TABLE protection_order_advice (
    consultation_id    INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
    eligible           INTEGER NOT NULL,
    orders             TEXT NOT NULL,         -- JSON
    prerequisite       TEXT,
    alternative_routes TEXT NOT NULL,         -- JSON
    counts_as_prior    INTEGER NOT NULL,      -- an in-person consultation (§2.4)
    client_intention   TEXT
);

-- Referrals: destination (municipality file id), the fields disclosed and consent.
CREATE TABLE referrals (
    id                    INTEGER PRIMARY KEY,
    consultation_id       INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    case_id               INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    destination_id        TEXT NOT NULL,
    purpose               TEXT NOT NULL DEFAULT '',
    fields                TEXT NOT NULL,      -- JSON list of disclosed field names
    consent               INTEGER NOT NULL,
    consent_method        TEXT,
    consent_at            TEXT,
    mandatory             INTEGER NOT NULL DEFAULT 0,
    whereabouts_confirmed INTEGER NOT NULL DEFAULT 0,
    referred_on           TEXT NOT NULL,
    fiscal_year           INTEGER NOT NULL
);
CREATE INDEX referrals_case ON referrals(case_id);
CREATE INDEX referrals_stats ON referrals(fiscal_year, destination_id);

-- Prints of slips and documents (the audit log has the entry too).
CREATE TABLE prints (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    destination_id TEXT,
    printed_at     TEXT NOT NULL,
    user_id        INTEGER
);
CREATE INDEX prints_case ON prints(case_id);

-- Follow-ups (continued support): due date and completion.
CREATE TABLE follow_ups (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    due_on     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    done_on    TEXT,
    created_by INTEGER,
    done_by    INTEGER
);
CREATE INDEX follow_ups_case ON follow_ups(case_id);
CREATE INDEX follow_ups_open ON follow_ups(due_on) WHERE done_on IS NULL;

-- 住民基本台帳事務における支援措置: applied on, expires on (1 year, rules.md §5).
CREATE TABLE support_measures (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    consultation_id INTEGER REFERENCES consultations(id) ON DELETE SET NULL,
    applied_on      TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    ended_on        TEXT,
    UNIQUE (case_id, applied_on)
);
CREATE INDEX support_measures_expiry ON support_measures(expires_on) WHERE ended_on IS NULL;

-- Drafts of unfinished intakes: the wizard's JSON, the step, the case it belongs to.
CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    step       INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX drafts_user ON drafts(created_by, updated_at);
