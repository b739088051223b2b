-- Follow-up contacts after closure, sealing changes, break-glass access
-- grants and the notifications they raise for coordinators.
-- Columns ending in _enc hold field-encrypted values bound to table, column
-- and row id.
-- Keep in step with ../../sqlite/2026-12-04-000040_followups_seal/up.sql.

-- One scheduled contact after a closure. status: scheduled, recorded or
-- cancelled (the case was reopened before the contact took place).
CREATE TABLE case_followups (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    closed_on DATE NOT NULL,
    offset_months INTEGER NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    contacted_on DATE,
    contact_made BOOLEAN,
    outcomes TEXT NOT NULL,
    note_enc BYTEA,
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_followups_case_idx ON case_followups (case_id, due_on);
CREATE INDEX case_followups_due_idx ON case_followups (status, due_on);

-- Every sealing and unsealing of a case, with its reason.
CREATE TABLE case_seal_changes (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    sealed BOOLEAN NOT NULL,
    reason_enc BYTEA NOT NULL,
    changed_by TEXT NOT NULL REFERENCES users (id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX case_seal_changes_case_idx ON case_seal_changes (case_id, changed_at);

-- Time-limited access to a case outside the user's scope.
CREATE TABLE break_glass_grants (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    reason_enc BYTEA NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX break_glass_grants_lookup_idx ON break_glass_grants (case_id, user_id, expires_at);

-- Notices for one person (e.g. a coordinator told of a break-glass access),
-- shown on their home page until acknowledged.
CREATE TABLE case_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    recipient_user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    actor_user_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP
);
CREATE INDEX case_notifications_recipient_idx ON case_notifications (recipient_user_id, acknowledged_at);
