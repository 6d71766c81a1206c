-- 0004: handing a case to another centre (or another PC of this centre).
--
-- Nothing here holds a package file: the sending vault keeps no copy, only what was
-- sent to whom (handoff_sent); the receiving vault remembers every package id it
-- accepted or declined (handoff_received, so a package cannot be taken twice) and,
-- for an accepted one, the signed content as the sender wrote it (handoff_records).

-- This centre's key pair for receiving packages (X25519), made the first time it is
-- needed. The private half exists only here, inside the encrypted database; the
-- vault's Ed25519 signing key (meta.signing_key) signs what this centre sends.
CREATE TABLE handoff_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    box_private BLOB NOT NULL CHECK (length(box_private) = 32),
    box_public  BLOB NOT NULL CHECK (length(box_public) = 32),
    created_at  TEXT NOT NULL
);

-- Centres whose public card a supervisor imported after checking its fingerprint by
-- phone. The same table lists other PCs of this centre.
CREATE TABLE handoff_centres (
    fingerprint    TEXT PRIMARY KEY,          -- 'ABCD-EFGH-…': 8 groups of 4
    centre_name    TEXT NOT NULL,
    municipality   TEXT NOT NULL,
    signing_public BLOB NOT NULL CHECK (length(signing_public) = 32),
    box_public     BLOB NOT NULL CHECK (length(box_public) = 32),
    card           BLOB NOT NULL,             -- the self-signed card as imported
    label          TEXT NOT NULL DEFAULT '',  -- e.g. which PC, for two PCs of one centre
    confirmed_how  TEXT NOT NULL CHECK (confirmed_how IN ('typed', 'compared')),
    confirmed_by   INTEGER,                   -- users.id of the supervisor
    imported_at    TEXT NOT NULL
) WITHOUT ROWID;

-- What this vault sent: the package id, the case, the receiver, the field ids and the
-- client's consent. Never the content and never the file.
CREATE TABLE handoff_sent (
    package_id     TEXT PRIMARY KEY,
    case_id        INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    receiver       TEXT NOT NULL,             -- fingerprint
    receiver_name  TEXT NOT NULL,
    fields         TEXT NOT NULL,             -- JSON list of field ids
    consent_method TEXT NOT NULL CHECK (consent_method IN ('verbal', 'written')),
    consent_at     TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    user_id        INTEGER
) WITHOUT ROWID;
CREATE INDEX handoff_sent_case ON handoff_sent(case_id);

-- Every package this vault accepted or declined; kept when the case is destroyed, so
-- an old file cannot bring the case back.
CREATE TABLE handoff_received (
    package_id  TEXT PRIMARY KEY,
    sender      TEXT NOT NULL,                -- fingerprint
    sender_name TEXT NOT NULL,
    created_at  TEXT NOT NULL,                -- when the sender made it (sender's clock)
    received_at TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('accepted', 'declined')),
    case_id     INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    user_id     INTEGER
) WITHOUT ROWID;
CREATE INDEX handoff_received_case ON handoff_received(case_id) WHERE case_id IS NOT NULL;

-- The accepted package's signed payload: the case's earlier consultations at the
-- other centre, shown read-only (never counted in this centre's statistics).
CREATE TABLE handoff_records (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    package_id TEXT NOT NULL UNIQUE,
    payload    BLOB NOT NULL,                 -- UTF-8 JSON as signed by the sender
    signature  BLOB NOT NULL
);
