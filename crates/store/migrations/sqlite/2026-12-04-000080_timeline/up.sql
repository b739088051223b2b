-- The victim-witness status of a case's person in criminal proceedings,
-- with its history: one row per recorded change, the newest is current.
-- The note is encrypted per field.
-- Keep in step with ../../postgres/2026-12-04-000080_timeline/up.sql.

CREATE TABLE witness_statuses (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    status_on DATE NOT NULL,
    note_enc BLOB,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX witness_statuses_case_idx ON witness_statuses (case_id);
