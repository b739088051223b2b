DROP TABLE appointment_feeds;
DROP TABLE appointments;
DROP TABLE staff_skills;
