//! Training records: courses and lessons, the question bank, quizzes and
//! attempts, sessions, certificates and evaluations. The rules live in
//! `procap_domain::training`; this module loads and stores what they need.

pub mod api;
pub mod certificates;
pub mod content;
pub mod content_store;
pub mod courses;
pub mod dashboard;
pub mod enrolment;
pub mod evaluations;
pub mod invitations;
pub mod progress;
pub mod quizzes;
pub mod scorm;
pub mod sessions;
pub mod xapi;
