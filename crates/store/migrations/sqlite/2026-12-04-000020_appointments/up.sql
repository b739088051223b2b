-- Interpretation and escort appointments, the skills of the staff who take
-- them, and each person's calendar feed token.
-- place_enc is field-encrypted (bound to table, column and row id); the feed
-- token is stored only as its SHA-256 hex.
-- Keep in step with ../../postgres/2026-12-04-000020_appointments/up.sql.

-- What an interpreter or escort offers: gender (female, male, other) and,
-- for interpreters, ';'-joined language codes, each optionally code:dialect.
CREATE TABLE staff_skills (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    gender TEXT NOT NULL,
    languages TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);

-- kind: interpretation or escort; status: booked, completed or cancelled.
-- Times are naive UTC; ends_at = starts_at + duration_minutes.
CREATE TABLE appointments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    staff_user_id TEXT NOT NULL REFERENCES users (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL,
    place_enc BLOB NOT NULL,
    language TEXT,
    dialect TEXT,
    preferred_gender TEXT,
    status TEXT NOT NULL,
    service_record_id TEXT REFERENCES service_records (id),
    requested_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX appointments_staff_time_idx ON appointments (staff_user_id, starts_at);
CREATE INDEX appointments_case_idx ON appointments (case_id, starts_at);

CREATE TABLE appointment_feeds (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
