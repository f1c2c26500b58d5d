-- Schema 3: each model's row records where its log ends, the sequence and the hash of its last entry,
-- written in the same transaction as every append (with the row in the statement the append already
-- runs for it). A log whose last rows were deleted, whatever events they held, or whose last entries
-- were replaced by others with recomputed hashes, no longer ends where its models row says; verify()
-- names it (SupportsStorageAudit.recordedHead), and the store refuses to append to it.
-- Every statement ends with ';' at the end of a line (the migrator splits there).

ALTER TABLE models ADD COLUMN head_sequence INTEGER;
ALTER TABLE models ADD COLUMN head_hash TEXT;

-- The logs appended before this migration: where they end as stored now, in the migration's
-- transaction. Two seeks of the primary key per model.
UPDATE models SET
    head_sequence = (SELECT l.sequence FROM log_entries l WHERE l.model_id = models.model_id
                     ORDER BY l.sequence DESC LIMIT 1),
    head_hash = (SELECT l.hash FROM log_entries l WHERE l.model_id = models.model_id
                 ORDER BY l.sequence DESC LIMIT 1);
