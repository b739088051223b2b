//! Training records: courses and lessons, the question bank, quizzes and
//! attempts, sessions, certificates and evaluations. The rules live in
//! `procap_domain::training`; this module loads and stores what they need.
