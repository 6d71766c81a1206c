-- Core tables of the vault: metadata, settings, users (no secrets) and the audit chain.
-- Record tables (clients, cases, consultations, ...) follow in 0002.

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
