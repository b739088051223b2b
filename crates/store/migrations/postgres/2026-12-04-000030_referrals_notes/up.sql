-- Referrals and transfers between organisations, the cases they share, and
-- case notes with attachments.
-- Columns ending in _enc hold field-encrypted values bound to table, column
-- and row id. Attachment bytes live outside the database, encrypted, under a
-- random object key; only the key and the detected type are stored here.
-- Keep in step with ../../sqlite/2026-12-04-000030_referrals_notes/up.sql.

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    from_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    to_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    service_line TEXT NOT NULL,
    is_transfer BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    reason_enc BYTEA,
    consent_overridden BOOLEAN NOT NULL,
    override_reason_enc BYTEA,
    response_reason_enc BYTEA,
    referred_on DATE NOT NULL,
    referred_by TEXT NOT NULL REFERENCES users (id),
    responded_by TEXT REFERENCES users (id),
    responded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_case_idx ON referrals (case_id);
CREATE INDEX referrals_to_idx ON referrals (to_organisation_id, status);
CREATE INDEX referrals_from_idx ON referrals (from_organisation_id, status);

-- Cases another organisation may open because it accepted a referral.
CREATE TABLE case_shares (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    shared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX case_shares_organisation_idx ON case_shares (organisation_id);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    body_enc BYTEA NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case_idx ON case_notes (case_id, created_at);

CREATE TABLE case_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    file_name_enc BYTEA NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    object_key TEXT NOT NULL UNIQUE,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX case_attachments_case_idx ON case_attachments (case_id, uploaded_at);
