-- Encrypted names cannot be decrypted in SQL; going down loses them.
ALTER TABLE cases DROP COLUMN facility_enc;
ALTER TABLE cases ADD COLUMN facility TEXT;
DROP TABLE facility_plain_moves;
