//! Reading a running test server's training data for the quiz tests: the
//! store opened with the server's own key file, the shipped course and its
//! tests, and the form fields that answer an attempt correctly (read from
//! the questions the attempt drew, named as the quiz page names them).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helper"
)]

use std::path::Path;
use std::sync::Arc;

use procap_domain::training::question::{Question, QuestionBody};
use procap_store::testing::TestDatabase;
use procap_store::training::quizzes::{self, AttemptRecord, QuizPurpose, StoredQuiz};
use procap_store::{PoolOptions, Store};

/// The slug of the course `procap demo` loads.
pub const COURSE_SLUG: &str = "trafficking-basics";

/// The server's database, opened with the key file in its data folder.
pub fn open_store(data_dir: &Path, database: &TestDatabase) -> Store {
    let keys = procap_crypto::Keyring::load(&data_dir.join("procap.key")).unwrap();
    Store::open(&database.url, Arc::new(keys), &PoolOptions::default()).unwrap()
}

/// The shipped course's id and its pre- and post-test.
pub fn shipped_course(store: &Store) -> (String, StoredQuiz, StoredQuiz) {
    store
        .run_blocking(|db| {
            use diesel::prelude::*;
            use procap_store::schema_training::courses;
            let course_id: String = courses::table
                .filter(courses::slug.eq(COURSE_SLUG))
                .select(courses::id)
                .first(db.conn)?;
            let all = quizzes::list_quizzes(db, &course_id)?;
            let find = |purpose: QuizPurpose| {
                all.iter()
                    .find(|quiz| quiz.purpose == purpose)
                    .cloned()
                    .expect("the shipped course has a pre- and a post-test")
            };
            Ok((
                course_id.clone(),
                find(QuizPurpose::PreTest),
                find(QuizPurpose::PostTest),
            ))
        })
        .unwrap()
}

pub fn attempt(store: &Store, attempt_id: &str) -> AttemptRecord {
    let id = attempt_id.to_owned();
    store
        .run_blocking(move |db| quizzes::get_attempt(db, &id))
        .unwrap()
}

/// The attempt id at the end of an attempt page's URL.
pub fn attempt_id(url: &str) -> String {
    let id = url
        .split("/training/attempts/")
        .nth(1)
        .unwrap_or_else(|| panic!("not an attempt page: {url}"));
    id.split(['?', '#']).next().unwrap().to_owned()
}

/// Form fields that answer every question of `record` correctly.
pub fn correct_answers(record: &AttemptRecord) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for stored in &record.questions {
        answer(&mut fields, &format!("a.{}", stored.id), &stored.question);
    }
    fields
}

fn answer(fields: &mut Vec<(String, String)>, name: &str, question: &Question) {
    let mut push = |name: String, value: String| fields.push((name, value));
    match question.body() {
        QuestionBody::SingleChoice { correct, .. } => push(name.to_owned(), correct.clone()),
        QuestionBody::MultipleChoice { correct, .. } => {
            for option in correct {
                push(name.to_owned(), option.clone());
            }
        }
        QuestionBody::TrueFalse { correct } => push(name.to_owned(), correct.to_string()),
        QuestionBody::ShortText { accepted } => push(name.to_owned(), accepted[0].clone()),
        QuestionBody::Numeric { value, .. } => push(name.to_owned(), value.to_string()),
        QuestionBody::Matching { pairs, .. } => {
            for (left, right) in pairs {
                push(format!("{name}.{left}"), right.clone());
            }
        }
        QuestionBody::Ordering { correct } => {
            for (index, item) in correct.iter().enumerate() {
                push(format!("{name}.{item}"), (index + 1).to_string());
            }
        }
        QuestionBody::Scenario { questions } => {
            for sub in questions {
                answer(fields, &format!("{name}.{}", sub.id()), sub);
            }
        }
    }
}
