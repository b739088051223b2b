-- Retention and data-protection requests: which cases have been anonymised
-- (after the retention period or by an approved erasure request), and the
-- erasure and subject-access requests with their decisions.
-- Columns ending in _enc hold field-encrypted free text bound to table,
-- column and row id; anonymising a case clears them.
-- Keep in step with ../../postgres/2026-12-04-000050_retention_requests/up.sql.

-- One row per anonymised case. cause: retention or erasure; request_id
-- names the approved erasure request when there was one.
CREATE TABLE case_anonymisations (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    cause TEXT NOT NULL,
    request_id TEXT,
    anonymised_at TIMESTAMP NOT NULL
);

-- kind: erasure or subject_access; status: pending, approved or rejected.
-- A request is decided by a coordinator of the owning organisation other
-- than the person who filed it.
CREATE TABLE data_requests (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    reason_enc BLOB,
    requested_by TEXT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TIMESTAMP,
    decision_reason_enc BLOB
);
CREATE INDEX data_requests_organisation_idx ON data_requests (organisation_id, status, requested_at);
CREATE INDEX data_requests_case_idx ON data_requests (case_id);
