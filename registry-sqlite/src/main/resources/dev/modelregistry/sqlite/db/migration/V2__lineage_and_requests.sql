-- Schema 2: the lineage graph and the open promotion requests as query tables, and the indexes that
-- keep stage resolution and searches independent of the size of the database.
-- Every statement ends with ';' at the end of a line (the migrator splits there).
-- The rows for entries appended before this migration are filled in by the migrator right after this
-- script, in the same transaction, from the stored log entries (see Migrator and Projection).

-- Every node of the lineage graph: a version ('VERSION', 'model@semver' without build metadata) or an
-- input a version recorded ('DATASET', 'CODE', 'RUN', 'IMAGE', 'ENVIRONMENT'; name = NodeId.id()).
-- version_id is set for registered versions.
CREATE TABLE lineage_nodes (
    node_id    INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    version_id INTEGER UNIQUE REFERENCES versions (version_id),
    UNIQUE (kind, name)
);

-- One row per (version, node it used): an input or a parent version. The kinds of use (trained on,
-- evaluated on, derived from, ...) are in the version's record; the closure only needs the pairs.
CREATE TABLE lineage_edges (
    from_node INTEGER NOT NULL REFERENCES lineage_nodes (node_id),
    to_node   INTEGER NOT NULL REFERENCES lineage_nodes (node_id),
    PRIMARY KEY (from_node, to_node)
) WITHOUT ROWID;
-- Downstream walks edges backwards: who used this node.
CREATE INDEX lineage_edges_by_input ON lineage_edges (to_node, from_node);

-- One row per open promotion request; its id is the sequence of its PromotionRequested entry.
CREATE TABLE open_requests (
    model_id    INTEGER NOT NULL REFERENCES models (model_id),
    request_seq INTEGER NOT NULL,
    version_id  INTEGER NOT NULL REFERENCES versions (version_id),
    to_stage    TEXT    NOT NULL,
    PRIMARY KEY (model_id, request_seq),
    FOREIGN KEY (model_id, request_seq) REFERENCES log_entries (model_id, sequence)
) WITHOUT ROWID;

-- The ApprovalRecorded entries of each open request, removed with it.
CREATE TABLE request_decisions (
    model_id     INTEGER NOT NULL,
    request_seq  INTEGER NOT NULL,
    decision_seq INTEGER NOT NULL,
    PRIMARY KEY (model_id, request_seq, decision_seq),
    FOREIGN KEY (model_id, request_seq) REFERENCES open_requests (model_id, request_seq),
    FOREIGN KEY (model_id, decision_seq) REFERENCES log_entries (model_id, sequence)
) WITHOUT ROWID;

-- Stage resolution, range resolution and searches read only these indexes and then the log entry
-- itself: with the registration's sequence (and, for ranges, the version text) in the index, they
-- never visit the wide versions rows, whose pages are spread over the whole file once it holds many
-- models (schema 1 visited one per row considered).
-- Stage resolution: the holder is the last row of (model, stage) by stage_seq.
DROP INDEX versions_by_stage;
CREATE INDEX versions_by_stage ON versions (model_id, stage, stage_seq, registered_seq);
-- Searches and range resolution walk a model's versions in precedence order; versions_by_precedence
-- stays, as the constraint that one model never has two versions of equal precedence.
CREATE INDEX versions_by_precedence_covering ON versions (model_id, precedence, registered_seq, version);
-- Searches ordered by creation time.
DROP INDEX versions_by_created;
CREATE INDEX versions_by_created ON versions (model_id, created_sec, created_nano, precedence, registered_seq);
