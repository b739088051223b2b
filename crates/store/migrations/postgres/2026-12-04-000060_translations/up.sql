-- Approval of the beneficiary documents' translations, and the signed
-- consent forms attached to consents.
-- A language without a row here is a draft translation, except the
-- languages the code approves by default; approving is reversible, so a
-- row keeps who changed it last and when.
-- Keep in step with ../../sqlite/2026-12-04-000060_translations/up.sql.

CREATE TABLE form_translations (
    language TEXT PRIMARY KEY NOT NULL,
    approved BOOLEAN NOT NULL,
    changed_by TEXT NOT NULL REFERENCES users (id),
    changed_at TIMESTAMP NOT NULL
);

-- The signed form of a consent: one attachment of the same case.
CREATE TABLE consent_forms (
    consent_id TEXT PRIMARY KEY NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    attachment_id TEXT NOT NULL REFERENCES case_attachments (id) ON DELETE CASCADE,
    attached_by TEXT NOT NULL REFERENCES users (id),
    attached_at TIMESTAMP NOT NULL
);
CREATE INDEX consent_forms_attachment_idx ON consent_forms (attachment_id);
