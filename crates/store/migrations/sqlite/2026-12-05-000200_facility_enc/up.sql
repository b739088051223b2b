-- The hosting facility's name says where a person lives, so it is now
-- field-encrypted like the person's details. SQL cannot encrypt: the names
-- wait in facility_plain_moves until the next `procap migrate` or start
-- (which run right after this) encrypts them into cases.facility_enc and
-- empties the table.
CREATE TABLE facility_plain_moves (
    case_id TEXT PRIMARY KEY NOT NULL,
    facility TEXT NOT NULL
);
INSERT INTO facility_plain_moves (case_id, facility)
    SELECT id, facility FROM cases WHERE facility IS NOT NULL;
ALTER TABLE cases DROP COLUMN facility;
ALTER TABLE cases ADD COLUMN facility_enc BLOB;
