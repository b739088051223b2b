DROP TABLE case_attachments;
DROP TABLE case_notes;
DROP TABLE case_shares;
DROP TABLE referrals;
