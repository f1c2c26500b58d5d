-- Every statement the SQLite backend runs, keyed by name. Values are always bound as parameters;
-- the search is assembled from the fixed fragments below (one per filter), never from values.

-- name: meta.application_id
PRAGMA application_id

-- name: meta.object_count
SELECT count(*) FROM sqlite_schema

-- name: meta.has_schema_version_table
SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'

-- name: meta.schema_version
SELECT COALESCE(MAX(version), 0) FROM schema_version

-- name: meta.record_schema_version
INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)

-- name: tx.rollback
ROLLBACK

-- name: meta.data_version
PRAGMA data_version

-- name: meta.integrity_check
PRAGMA integrity_check

-- name: model.id
SELECT model_id FROM models WHERE name = ?

-- The append reads the model's row once: its id, and where it recorded that the log ends (schema 3).
-- name: model.head
SELECT model_id, head_sequence, head_hash FROM models WHERE name = ?

-- A model's first append creates its row with the head of the entries it appends.
-- name: model.insert
INSERT INTO models (name, head_sequence, head_hash) VALUES (?, ?, ?) RETURNING model_id

-- Every later append moves the head, in its transaction.
-- name: model.advance_head
UPDATE models SET head_sequence = ?, head_hash = ? WHERE model_id = ?

-- name: model.names
SELECT name FROM models ORDER BY name

-- name: log.last_sequence
SELECT COALESCE(MAX(l.sequence), 0)
FROM log_entries l JOIN models m ON m.model_id = l.model_id
WHERE m.name = ?

-- name: log.hash_at
SELECT l.hash
FROM log_entries l JOIN models m ON m.model_id = l.model_id
WHERE m.name = ? AND l.sequence = ?

-- name: log.last_sequence_by_id
SELECT COALESCE(MAX(sequence), 0) FROM log_entries WHERE model_id = ?

-- name: log.read
SELECT l.sequence, l.entry_json
FROM log_entries l JOIN models m ON m.model_id = l.model_id
WHERE m.name = ? AND l.sequence >= ?
ORDER BY l.sequence

-- name: log.entry
SELECT entry_json FROM log_entries WHERE model_id = ? AND sequence = ?

-- name: log.insert
INSERT INTO log_entries (model_id, sequence, event_type, time, prev_hash, hash, entry_json)
VALUES (?, ?, ?, ?, ?, ?, ?)

-- name: version.insert
INSERT INTO versions (model_id, version, major, minor, patch, pre_release, build, precedence,
                      registered_seq, created_sec, created_nano)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING version_id

-- name: version.id
SELECT version_id FROM versions WHERE model_id = ? AND precedence = ?

-- name: version.move
UPDATE versions SET stage = ?, stage_seq = ? WHERE version_id = ?

-- name: tag.insert
INSERT INTO tags (model_id, tag, version_id) VALUES (?, ?, ?)

-- name: label.insert
INSERT INTO labels (version_id, key, value) VALUES (?, ?, ?)

-- name: metric.insert
INSERT INTO metrics (version_id, name, value, sort_key) VALUES (?, ?, ?, ?)

-- name: stage_history.insert
INSERT INTO stage_history (model_id, sequence, version_id, from_stage, to_stage, kind)
VALUES (?, ?, ?, ?, ?, ?)

-- name: find.version
SELECT l.entry_json
FROM versions v
JOIN models m ON m.model_id = v.model_id
JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq
WHERE m.name = ? AND v.precedence = ?

-- name: find.by_tag
SELECT l.entry_json
FROM tags t
JOIN models m ON m.model_id = t.model_id
JOIN versions v ON v.version_id = t.version_id
JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq
WHERE m.name = ? AND t.tag = ?

-- name: find.current
SELECT l.entry_json
FROM versions v
JOIN models m ON m.model_id = v.model_id
JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq
WHERE m.name = ? AND v.stage = ? AND v.stage_seq IS NOT NULL
ORDER BY v.stage_seq DESC
LIMIT 1

-- name: find.latest
SELECT l.entry_json
FROM versions v
JOIN models m ON m.model_id = v.model_id
JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq
WHERE m.name = ?
ORDER BY v.registered_seq DESC
LIMIT 1

-- name: find.versions_by_precedence_desc
SELECT v.version, v.registered_seq
FROM versions v
WHERE v.model_id = ?
ORDER BY v.precedence DESC

-- name: search.select
SELECT l.entry_json
FROM versions v
JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq

-- name: search.join_order_metric
JOIN metrics om ON om.version_id = v.version_id AND om.name = ?

-- name: search.where_model
WHERE v.model_id = ?

-- name: search.stage
AND v.stage = ?

-- name: search.tag
AND v.version_id IN (SELECT t.version_id FROM tags t WHERE t.model_id = v.model_id AND t.tag = ?)

-- name: search.label
AND EXISTS (SELECT 1 FROM labels lb WHERE lb.version_id = v.version_id AND lb.key = ? AND lb.value = ?)

-- name: search.metric_at_least
AND EXISTS (SELECT 1 FROM metrics mf WHERE mf.version_id = v.version_id AND mf.name = ? AND mf.value >= ?)

-- name: search.metric_at_most
AND EXISTS (SELECT 1 FROM metrics mf WHERE mf.version_id = v.version_id AND mf.name = ? AND mf.value <= ?)

-- name: search.after.VERSION_DESC
AND v.precedence < ?

-- name: search.order.VERSION_DESC
ORDER BY v.precedence DESC

-- name: search.after.VERSION_ASC
AND v.precedence > ?

-- name: search.order.VERSION_ASC
ORDER BY v.precedence ASC

-- name: search.after.CREATED_DESC
AND (v.created_sec, v.created_nano, v.precedence) < (?, ?, ?)

-- name: search.order.CREATED_DESC
ORDER BY v.created_sec DESC, v.created_nano DESC, v.precedence DESC

-- name: search.after.CREATED_ASC
AND ((v.created_sec, v.created_nano) > (?, ?) OR ((v.created_sec, v.created_nano) = (?, ?) AND v.precedence < ?))

-- name: search.order.CREATED_ASC
ORDER BY v.created_sec ASC, v.created_nano ASC, v.precedence DESC

-- name: search.after.METRIC_DESC
AND (om.sort_key, v.precedence) < (?, ?)

-- name: search.order.METRIC_DESC
ORDER BY om.sort_key DESC, v.precedence DESC

-- name: search.after.METRIC_ASC
AND (om.sort_key > ? OR (om.sort_key = ? AND v.precedence < ?))

-- name: search.order.METRIC_ASC
ORDER BY om.sort_key ASC, v.precedence DESC

-- name: search.limit
LIMIT ?

-- name: lineage.version_node
INSERT INTO lineage_nodes (kind, name, version_id) VALUES ('VERSION', ?, ?)
ON CONFLICT (kind, name) DO UPDATE SET version_id = excluded.version_id
RETURNING node_id

-- name: lineage.node
INSERT INTO lineage_nodes (kind, name) VALUES (?, ?)
ON CONFLICT (kind, name) DO UPDATE SET name = excluded.name
RETURNING node_id

-- name: lineage.edge
INSERT OR IGNORE INTO lineage_edges (from_node, to_node) VALUES (?, ?)

-- name: lineage.find_node
SELECT node_id FROM lineage_nodes WHERE kind = ? AND name = ?

-- name: lineage.find_version_node
SELECT n.node_id
FROM versions v
JOIN models m ON m.model_id = v.model_id
JOIN lineage_nodes n ON n.version_id = v.version_id
WHERE m.name = ? AND v.precedence = ?

-- Every version within ?2 edges upstream of node ?1 (itself included), and for each code commit
-- they recorded, the first version (by model name, then precedence) that recorded it: that version
-- gives the commit its label in the full graph. Model name, then precedence: the full graph's order.
-- CROSS JOIN fixes the join order (SQLite's documented hint): the few reached nodes drive every
-- lookup; left to itself, the planner may scan every node of a kind and probe the reached set.
-- name: lineage.upstream_slice
WITH RECURSIVE reached (node_id, depth) AS (
    SELECT ?, 0
    UNION
    SELECT e.to_node, r.depth + 1
    FROM reached r CROSS JOIN lineage_edges e ON e.from_node = r.node_id
    WHERE r.depth < ?
),
slice (version_id) AS (
    SELECT n.version_id FROM reached r CROSS JOIN lineage_nodes n ON n.node_id = r.node_id
    WHERE n.version_id IS NOT NULL
    UNION
    SELECT (SELECT f.version_id
            FROM lineage_edges e
            JOIN lineage_nodes f ON f.node_id = e.from_node
            JOIN versions fv ON fv.version_id = f.version_id
            JOIN models fm ON fm.model_id = fv.model_id
            WHERE e.to_node = n.node_id
            ORDER BY fm.name, fv.precedence
            LIMIT 1)
    FROM reached r CROSS JOIN lineage_nodes n ON n.node_id = r.node_id
    WHERE n.kind = 'CODE'
)
SELECT l.entry_json, v.stage
FROM slice s
CROSS JOIN versions v ON v.version_id = s.version_id
CROSS JOIN models m ON m.model_id = v.model_id
CROSS JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq
ORDER BY m.name, v.precedence

-- Every version within ?2 edges downstream of node ?1 (itself, if a version, included), in the
-- full graph's order.
-- name: lineage.downstream_slice
WITH RECURSIVE reached (node_id, depth) AS (
    SELECT ?, 0
    UNION
    SELECT e.from_node, r.depth + 1
    FROM reached r CROSS JOIN lineage_edges e ON e.to_node = r.node_id
    WHERE r.depth < ?
),
slice (version_id) AS (
    SELECT DISTINCT n.version_id FROM reached r CROSS JOIN lineage_nodes n ON n.node_id = r.node_id
    WHERE n.version_id IS NOT NULL
)
SELECT l.entry_json, v.stage
FROM slice s
CROSS JOIN versions v ON v.version_id = s.version_id
CROSS JOIN models m ON m.model_id = v.model_id
CROSS JOIN log_entries l ON l.model_id = v.model_id AND l.sequence = v.registered_seq
ORDER BY m.name, v.precedence

-- name: request.open
INSERT INTO open_requests (model_id, request_seq, version_id, to_stage) VALUES (?, ?, ?, ?)

-- A decision on a request that is not open (the core never appends one) changes nothing here.
-- name: request.decision
INSERT INTO request_decisions (model_id, request_seq, decision_seq)
SELECT model_id, request_seq, ? FROM open_requests WHERE model_id = ? AND request_seq = ?

-- name: request.forget_decisions
DELETE FROM request_decisions WHERE model_id = ? AND request_seq = ?

-- name: request.close
DELETE FROM open_requests WHERE model_id = ? AND request_seq = ?

-- The entries of the open requests of a model and of the decisions on them, in log order, in one
-- statement so that they come from one snapshot. The core folds them into requests.
-- name: request.entries
SELECT l.sequence, l.entry_json
FROM open_requests o JOIN log_entries l ON l.model_id = o.model_id AND l.sequence = o.request_seq
WHERE o.model_id = ?1
UNION ALL
SELECT l.sequence, l.entry_json
FROM request_decisions d JOIN log_entries l ON l.model_id = d.model_id AND l.sequence = d.decision_seq
WHERE d.model_id = ?1
ORDER BY 1

-- name: request.models
SELECT m.name FROM models m
WHERE EXISTS (SELECT 1 FROM open_requests o WHERE o.model_id = m.model_id)
ORDER BY m.name

-- Every entry the tables of schema 2 derive from, for filling them in when migrating to it.
-- name: backfill.schema2_entries
SELECT l.model_id, m.name, l.entry_json
FROM log_entries l JOIN models m ON m.model_id = l.model_id
WHERE l.event_type IN ('VersionRegistered', 'PromotionRequested', 'ApprovalRecorded', 'RequestClosed')
ORDER BY l.model_id, l.sequence

-- Where the store recorded that a model's log ends, apart from the entries: the head its models row
-- holds (written with every append since schema 3), and the furthest sequence the query tables
-- (versions, stage_history) refer to (written with every registration and stage move), in one
-- statement so that both come from one snapshot. The multi-argument max() is NULL if any argument is.
-- name: audit.recorded_head
SELECT m.head_sequence, m.head_hash,
       max(COALESCE((SELECT MAX(v.registered_seq) FROM versions v WHERE v.model_id = m.model_id), 0),
           COALESCE((SELECT MAX(v.stage_seq) FROM versions v WHERE v.model_id = m.model_id), 0),
           COALESCE((SELECT MAX(h.sequence) FROM stage_history h WHERE h.model_id = m.model_id), 0))
FROM models m
WHERE m.name = ?
