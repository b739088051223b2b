-- Cases: the person, the case, its intake referral, trafficking timeline,
-- screenings, NRM history, service records and consents.
-- Columns ending in _enc hold field-encrypted values (key id, nonce and
-- ciphertext bound to table, column and row id); *_index columns hold keyed
-- HMAC blind indexes of normalised values. Nothing else identifies a person.
-- Multi-valued codes are stored as ';'-separated lists of stable codes.
-- Keep in step with ../../postgres/2026-12-04-000002_cases/up.sql.

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    given_name_enc BLOB NOT NULL,
    family_name_enc BLOB,
    aliases_enc BLOB,
    birth_date_enc BLOB,
    estimated_birth_year INTEGER,
    sex TEXT NOT NULL,
    gender_identity TEXT,
    citizenships TEXT NOT NULL,
    languages TEXT NOT NULL,
    interpreter_gender TEXT,
    legal_status TEXT NOT NULL,
    contact_enc BLOB,
    household_enc BLOB,
    vulnerabilities TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX persons_organisation_idx ON persons (organisation_id);

-- Blind indexes for the duplicate check across organisations.
CREATE TABLE person_identifiers (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    blind_index TEXT NOT NULL
);
CREATE INDEX person_identifiers_lookup_idx ON person_identifiers (kind, blind_index);
CREATE INDEX person_identifiers_person_idx ON person_identifiers (person_id);

CREATE TABLE case_counters (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    year INTEGER NOT NULL,
    next_sequence INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    person_id TEXT REFERENCES persons (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL,
    origin TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_bracket TEXT,
    is_minor BOOLEAN NOT NULL,
    citizenship TEXT,
    region TEXT NOT NULL,
    setting TEXT NOT NULL,
    facility TEXT,
    exploitation_types TEXT NOT NULL,
    forced_labour_industry TEXT,
    means_of_control TEXT NOT NULL,
    recruitment_method TEXT,
    trafficker_relationship TEXT,
    countries_recruitment TEXT NOT NULL,
    countries_transit TEXT NOT NULL,
    countries_exploitation TEXT NOT NULL,
    nrm_status TEXT NOT NULL,
    reflection_period_ends_on DATE,
    residence_permit_expires_on DATE,
    sealed BOOLEAN NOT NULL,
    registration_year INTEGER NOT NULL,
    opened_on DATE NOT NULL,
    closed_on DATE,
    closure_reason TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_organisation_status_idx ON cases (organisation_id, status, opened_on);
CREATE INDEX cases_person_idx ON cases (person_id);

CREATE TABLE case_assignments (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignments_user_idx ON case_assignments (user_id);

CREATE TABLE intake_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    referred_on DATE NOT NULL,
    referring_contact_enc BLOB,
    reason_enc BLOB,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX intake_referrals_case_idx ON intake_referrals (case_id);

CREATE TABLE trafficking_events (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    started_on DATE,
    ended_on DATE,
    country TEXT,
    description_enc BLOB,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX trafficking_events_case_idx ON trafficking_events (case_id);

CREATE TABLE screenings (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    age_group TEXT NOT NULL,
    exploitation_form TEXT NOT NULL,
    indicators TEXT NOT NULL,
    trafficking_indicated BOOLEAN NOT NULL,
    positive_dimensions TEXT NOT NULL,
    notes_enc BLOB,
    screened_by TEXT NOT NULL REFERENCES users (id),
    screened_at TIMESTAMP NOT NULL
);
CREATE INDEX screenings_case_idx ON screenings (case_id);

CREATE TABLE nrm_events (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    reference_enc BLOB,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX nrm_events_case_idx ON nrm_events (case_id);

CREATE TABLE service_records (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    line TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    duration_minutes INTEGER NOT NULL,
    staff_user_id TEXT NOT NULL REFERENCES users (id),
    beneficiary_present BOOLEAN NOT NULL,
    details TEXT NOT NULL,
    outcome TEXT,
    notes_enc BLOB,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX service_records_case_idx ON service_records (case_id, occurred_on);
CREATE INDEX service_records_line_date_idx ON service_records (line, occurred_on);

CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    recipient_organisation_id TEXT REFERENCES organisations (id),
    given BOOLEAN NOT NULL,
    recorded_on DATE NOT NULL,
    language TEXT NOT NULL,
    withdrawn_on DATE,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_case_idx ON consents (case_id);
