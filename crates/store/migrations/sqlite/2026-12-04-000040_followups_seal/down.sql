DROP TABLE case_notifications;
DROP TABLE break_glass_grants;
DROP TABLE case_seal_changes;
DROP TABLE case_followups;
