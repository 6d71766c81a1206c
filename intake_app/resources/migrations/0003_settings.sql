-- 0003: the centre's settings kept in the vault, versioned, and the 文書番号 counters.
--
-- Until now the municipality file shipped inside the program was the only place for
-- the centre's phone, head, destinations …; an upgrade replaced it. The settings now
-- live here (imported from the chosen file at setup, or, for a vault made before this
-- migration, from the bundled file of its municipality id at the first unlock).

-- Every version of the settings: the whole municipality file as it was
-- (domain.settings_file.to_toml), who made it, when, how, and which settings it changed
-- (JSON list of setting paths such as "centre.phone": names, never values).
CREATE TABLE settings_versions (
    version    INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    user_id    INTEGER,
    user_name  TEXT NOT NULL,
    source     TEXT NOT NULL
               CHECK (source IN ('setup', 'upgrade', 'edit', 'import', 'shipped')),
    changes    TEXT NOT NULL DEFAULT '[]',
    document   TEXT NOT NULL
);

-- The shipped (bundled) file the settings were last compared with: the hash of the
-- file and its settings, so a newer shipped file is offered as differences.
CREATE TABLE settings_shipped (
    municipality_id TEXT PRIMARY KEY,
    sha256          TEXT NOT NULL,
    document        TEXT NOT NULL,
    program_version TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) WITHOUT ROWID;

-- 文書番号 issued, numbered from 1 in each fiscal year (April-March).
CREATE TABLE document_numbers (
    fiscal_year INTEGER NOT NULL,
    number      INTEGER NOT NULL CHECK (number >= 1),
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    user_id     INTEGER,
    PRIMARY KEY (fiscal_year, number)
) WITHOUT ROWID;
