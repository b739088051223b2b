-- One row per registration form token that created a case, so that two
-- servers sharing the database register one case for one form. The primary
-- key is the guard: the second insert of a token fails. case_id is empty
-- only while a registration is under way on SQLite, where the claim and
-- the case are written in separate steps. The maintenance job deletes old
-- rows.
-- Keep in step with ../../sqlite/2026-12-04-000070_form_submissions/up.sql.

CREATE TABLE form_submissions (
    token TEXT PRIMARY KEY NOT NULL,
    case_id TEXT REFERENCES cases (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);
