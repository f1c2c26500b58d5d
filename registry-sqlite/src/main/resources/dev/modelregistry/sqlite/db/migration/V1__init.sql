-- Schema 1: the model logs and the query tables kept in step with them.
-- Every statement ends with ';' at the end of a line (the migrator splits there).

-- Marks the file as a model registry database ('MREG'); files without it are never touched.
PRAGMA application_id = 1297237319;

CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
);

CREATE TABLE models (
    model_id INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE
);

-- The source of truth: each entry's canonical JSON (EventCodec), hash-chained per model.
-- The primary key makes a second entry at one position impossible, whoever writes it.
CREATE TABLE log_entries (
    model_id   INTEGER NOT NULL REFERENCES models (model_id),
    sequence   INTEGER NOT NULL CHECK (sequence >= 1),
    event_type TEXT    NOT NULL,
    time       TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    entry_json TEXT    NOT NULL,
    PRIMARY KEY (model_id, sequence)
) WITHOUT ROWID;

-- One row per VersionRegistered; the full record is the log entry at registered_seq.
CREATE TABLE versions (
    version_id     INTEGER PRIMARY KEY,
    model_id       INTEGER NOT NULL REFERENCES models (model_id),
    version        TEXT    NOT NULL,
    major          INTEGER NOT NULL,
    minor          INTEGER NOT NULL,
    patch          INTEGER NOT NULL,
    pre_release    TEXT    NOT NULL,
    build          TEXT    NOT NULL,
    precedence     BLOB    NOT NULL,
    registered_seq INTEGER NOT NULL,
    created_sec    INTEGER NOT NULL,
    created_nano   INTEGER NOT NULL,
    stage          TEXT    NOT NULL DEFAULT 'NONE',
    stage_seq      INTEGER,
    FOREIGN KEY (model_id, registered_seq) REFERENCES log_entries (model_id, sequence)
);
CREATE UNIQUE INDEX versions_by_precedence ON versions (model_id, precedence);
CREATE UNIQUE INDEX versions_by_registration ON versions (model_id, registered_seq);
CREATE INDEX versions_by_stage ON versions (model_id, stage, stage_seq);
CREATE INDEX versions_by_created ON versions (model_id, created_sec, created_nano, precedence);

CREATE TABLE tags (
    model_id   INTEGER NOT NULL REFERENCES models (model_id),
    tag        TEXT    NOT NULL,
    version_id INTEGER NOT NULL REFERENCES versions (version_id),
    PRIMARY KEY (model_id, tag)
) WITHOUT ROWID;

CREATE TABLE labels (
    version_id INTEGER NOT NULL REFERENCES versions (version_id),
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (version_id, key)
) WITHOUT ROWID;

-- sort_key is the metric's IEEE bits mapped so that integer order is Double.compare order.
CREATE TABLE metrics (
    version_id INTEGER NOT NULL REFERENCES versions (version_id),
    name       TEXT    NOT NULL,
    value      REAL    NOT NULL,
    sort_key   INTEGER NOT NULL,
    PRIMARY KEY (version_id, name)
) WITHOUT ROWID;

CREATE TABLE stage_history (
    model_id   INTEGER NOT NULL,
    sequence   INTEGER NOT NULL,
    version_id INTEGER NOT NULL REFERENCES versions (version_id),
    from_stage TEXT    NOT NULL,
    to_stage   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    PRIMARY KEY (model_id, sequence),
    FOREIGN KEY (model_id, sequence) REFERENCES log_entries (model_id, sequence)
) WITHOUT ROWID;
