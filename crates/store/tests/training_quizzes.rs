//! The question bank, quizzes, attempts and the learning-gain report on
//! every available backend: questions are added, edited, retired and listed
//! by tag; draws that the bank cannot fill are refused with the domain's
//! errors; attempts respect enrolment and the attempts limit, are graded
//! once (also when two submissions race), apply the late rule and complete
//! the course; the gain report matches hand-worked numbers.

use std::collections::BTreeMap;

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;
use procap_domain::training::question::{Answer, Question, QuestionBody};
use procap_domain::training::quiz::{
    AttemptError, LateRule, QuizRules, SelectionError, TagDraw, Timeliness,
};
use procap_domain::training::{Points, QuestionId, QuestionTexts, QuestionWording};
use procap_store::schema_training::{
    courses, enrolments, quiz_attempts, session_registrations, trainee_profiles, training_sessions,
};
use procap_store::testing::TestDatabase;
use procap_store::training::quizzes::{self, QuizError, QuizInput, QuizPurpose};
use procap_store::{Db, organisations, users};

fn user(db: &mut Db<'_>, org: &str, username: &str, role: &str) -> String {
    users::create(
        db,
        &users::NewUser {
            organisation_id: org,
            username,
            display_name: username,
            email: None,
            role,
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
    .id
}

fn course(db: &mut Db<'_>, slug: &str) -> String {
    let id = procap_store::new_id();
    let now = procap_store::now();
    diesel::insert_into(courses::table)
        .values((
            courses::id.eq(&id),
            courses::slug.eq(slug),
            courses::title_el.eq("Μάθημα"),
            courses::title_en.eq("Course"),
            courses::summary_el.eq(""),
            courses::summary_en.eq(""),
            courses::sectors.eq(""),
            courses::status.eq("published"),
            courses::rule_post_test.eq(true),
            courses::rule_attendance.eq(false),
            courses::rule_evaluation.eq(false),
            courses::created_at.eq(now),
            courses::updated_at.eq(now),
        ))
        .execute(db.conn)
        .unwrap();
    id
}

fn enrol(db: &mut Db<'_>, course_id: &str, trainee: &str, sector: Option<&str>) {
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(procap_store::new_id()),
            enrolments::course_id.eq(course_id),
            enrolments::trainee_id.eq(trainee),
            enrolments::enrolled_at.eq(procap_store::now()),
        ))
        .execute(db.conn)
        .unwrap();
    if let Some(sector) = sector {
        diesel::insert_into(trainee_profiles::table)
            .values((
                trainee_profiles::user_id.eq(trainee),
                trainee_profiles::sector.eq(sector),
                trainee_profiles::region.eq("attica"),
                trainee_profiles::created_at.eq(procap_store::now()),
            ))
            .execute(db.conn)
            .unwrap();
    }
}

fn texts(prompt: &str) -> QuestionTexts {
    QuestionTexts {
        el: QuestionWording {
            prompt: format!("{prompt} (ελ)"),
            ..QuestionWording::default()
        },
        en: QuestionWording {
            prompt: prompt.to_owned(),
            ..QuestionWording::default()
        },
    }
}

/// A true/false question worth one point whose answer is `true`.
fn true_false(db: &mut Db<'_>, course_id: &str, slug: &str, tags: &[&str]) -> String {
    let question = Question::new(
        QuestionId::new(procap_store::new_id()),
        tags.iter().map(|tag| (*tag).to_owned()),
        Points::whole(1),
        QuestionBody::TrueFalse { correct: true },
    )
    .unwrap();
    quizzes::add_question(db, course_id, slug, &question, &texts(slug), None).unwrap()
}

fn input(purpose: QuizPurpose, slug: &str, draws: &[(&str, usize)], rules: QuizRules) -> QuizInput {
    QuizInput {
        purpose,
        module_id: None,
        slug: slug.to_owned(),
        title_el: "Τεστ".to_owned(),
        title_en: "Test".to_owned(),
        rules,
        draws: draws
            .iter()
            .map(|(tag, count)| TagDraw {
                tag: (*tag).to_owned(),
                count: *count,
            })
            .collect(),
        required: false,
    }
}

fn rules(pass: u8, limit: Option<i64>, attempts: Option<u32>, late: LateRule) -> QuizRules {
    QuizRules::new(pass, limit.map(TimeDelta::seconds), attempts, late).unwrap()
}

fn answers(pairs: &[(&str, Answer)]) -> BTreeMap<QuestionId, Answer> {
    pairs
        .iter()
        .map(|(id, answer)| (QuestionId::new(*id), answer.clone()))
        .collect()
}

#[test]
fn questions_are_added_edited_retired_and_listed_by_tag() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let course_id = course(db, "c1");
                let first = true_false(db, &course_id, "q-a", &["signs"]);
                true_false(db, &course_id, "q-b", &["signs", "law"]);
                true_false(db, &course_id, "q-c", &["law"]);

                let question = Question::new(
                    QuestionId::new("other"),
                    ["signs".to_owned()],
                    Points::whole(1),
                    QuestionBody::TrueFalse { correct: false },
                )
                .unwrap();
                assert!(matches!(
                    quizzes::add_question(db, &course_id, "q-a", &question, &texts("x"), None),
                    Err(QuizError::SlugTaken)
                ));

                let page = quizzes::list_questions(db, &course_id, Some("signs"), false, 0, 1)?;
                assert_eq!(page.total, 2);
                assert_eq!(page.questions.len(), 1);
                assert_eq!(page.questions[0].slug, "q-a");
                assert_eq!(page.tags, ["law", "signs"]);
                let second = quizzes::list_questions(db, &course_id, Some("signs"), false, 1, 1)?;
                assert_eq!(second.questions[0].slug, "q-b");

                let edited = Question::new(
                    QuestionId::new(first.as_str()),
                    ["law".to_owned()],
                    Points::whole(2),
                    QuestionBody::Numeric {
                        value: 3.0,
                        tolerance: 0.5,
                    },
                )
                .unwrap();
                quizzes::update_question(db, &course_id, "q-a2", &edited, &texts("edited"))
                    .unwrap();
                let stored = quizzes::get_question(db, &course_id, &first)?;
                assert_eq!(stored.slug, "q-a2");
                assert_eq!(stored.question, edited);
                assert_eq!(stored.texts.en.prompt, "edited");

                quizzes::set_retired(db, &course_id, &first, true)?;
                assert_eq!(
                    quizzes::list_questions(db, &course_id, Some("law"), false, 0, 10)?.total,
                    2
                );
                assert_eq!(
                    quizzes::list_questions(db, &course_id, Some("law"), true, 0, 10)?.total,
                    3
                );
                assert_eq!(quizzes::active_bank(db, &course_id)?.len(), 2);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn quizzes_refuse_draws_the_bank_cannot_fill() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let course_id = course(db, "c1");
                true_false(db, &course_id, "q1", &["a", "b"]);
                true_false(db, &course_id, "q2", &["a"]);
                let pass = rules(60, None, None, LateRule::ScoreZero);

                let short = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(QuizPurpose::Module, "m", &[("a", 3), ("c", 1)], pass),
                );
                match short {
                    Err(QuizError::Selection(SelectionError::TooFew { shortages })) => {
                        assert_eq!(shortages.len(), 2);
                        assert_eq!((shortages[0].wanted, shortages[0].available), (3, 2));
                        assert_eq!(shortages[1].tag, "c");
                    }
                    other => panic!("expected a shortage, got {other:?}"),
                }
                let overlap = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(QuizPurpose::Module, "m", &[("a", 2), ("b", 1)], pass),
                );
                assert!(matches!(
                    overlap,
                    Err(QuizError::Selection(SelectionError::Overlap {
                        wanted: 3,
                        available: 2
                    }))
                ));

                let pre = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(QuizPurpose::PreTest, "pre", &[("a", 2)], pass),
                )
                .unwrap();
                let linked: Option<String> = courses::table
                    .find(&course_id)
                    .select(courses::pre_test_quiz_id)
                    .first(db.conn)?;
                assert_eq!(linked.as_deref(), Some(pre.as_str()));
                assert!(matches!(
                    quizzes::create_quiz(
                        db,
                        &course_id,
                        &input(QuizPurpose::Module, "pre", &[("a", 1)], pass)
                    ),
                    Err(QuizError::SlugTaken)
                ));
                let quiz = quizzes::get_quiz(db, &pre)?;
                assert_eq!(quiz.question_count(), 2);
                assert_eq!(quiz.rules, pass);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn attempts_are_drawn_graded_once_and_complete_the_course() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let org = organisations::create(db, "Οργάνωση", "ngo", "NO")?.id;
                let trainee = user(db, &org, "trainee1", "trainee");
                let stranger = user(db, &org, "trainee2", "trainee");
                let course_id = course(db, "c1");
                enrol(db, &course_id, &trainee, Some("airport"));
                let q1 = true_false(db, &course_id, "q1", &["a"]);
                let q2 = true_false(db, &course_id, "q2", &["a"]);
                true_false(db, &course_id, "q3", &["b"]);
                let quiz = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(
                        QuizPurpose::PostTest,
                        "post",
                        &[("a", 2)],
                        rules(100, Some(600), Some(2), LateRule::ScoreZero),
                    ),
                )
                .unwrap();
                let now = Utc::now();

                assert!(matches!(
                    quizzes::start_attempt(db, &quiz, &stranger, 1, now),
                    Err(QuizError::NotEnrolled)
                ));
                let attempt = quizzes::start_attempt(db, &quiz, &trainee, 42, now).unwrap();
                // Starting again resumes the open attempt.
                assert_eq!(
                    quizzes::start_attempt(db, &quiz, &trainee, 7, now).unwrap(),
                    attempt
                );
                let record = quizzes::get_attempt(db, &attempt)?;
                let mut drawn: Vec<&str> = record.questions.iter().map(|q| q.id.as_str()).collect();
                drawn.sort_unstable();
                let mut expected = vec![q1.as_str(), q2.as_str()];
                expected.sort_unstable();
                assert_eq!(drawn, expected);
                assert_eq!((record.number, record.seed), (1, 42));

                // Rejections write nothing.
                let stray = quizzes::submit_attempt(
                    db,
                    &attempt,
                    &trainee,
                    &answers(&[("not-drawn", Answer::TrueFalse(true))]),
                    now,
                );
                assert!(matches!(
                    stray,
                    Err(QuizError::Attempt(AttemptError::QuestionNotInAttempt(_)))
                ));
                let malformed = quizzes::submit_attempt(
                    db,
                    &attempt,
                    &trainee,
                    &answers(&[(q1.as_str(), Answer::Numeric(1.0))]),
                    now,
                );
                assert!(matches!(
                    malformed,
                    Err(QuizError::Attempt(AttemptError::MalformedAnswer { .. }))
                ));
                assert!(
                    matches!(
                        quizzes::submit_attempt(db, &attempt, &stranger, &BTreeMap::new(), now),
                        Err(QuizError::Store(procap_store::StoreError::NotFound))
                    ),
                    "another trainee's attempt is not found"
                );
                assert!(quizzes::get_attempt(db, &attempt)?.submission.is_none());

                let submitted = quizzes::submit_attempt(
                    db,
                    &attempt,
                    &trainee,
                    &answers(&[
                        (q1.as_str(), Answer::TrueFalse(true)),
                        (q2.as_str(), Answer::TrueFalse(true)),
                    ]),
                    now + TimeDelta::seconds(30),
                )
                .unwrap();
                assert!(submitted.result.passed);
                assert!(submitted.recomputed.completed_now);
                let again = quizzes::submit_attempt(
                    db,
                    &attempt,
                    &trainee,
                    &answers(&[(q1.as_str(), Answer::TrueFalse(false))]),
                    now + TimeDelta::seconds(40),
                );
                assert!(matches!(
                    again,
                    Err(QuizError::Attempt(AttemptError::AlreadySubmitted))
                ));
                let stored = quizzes::get_attempt(db, &attempt)?.submission.unwrap();
                assert_eq!(stored.points, Points::whole(2));
                assert_eq!(stored.timeliness, Timeliness::OnTime);
                assert_eq!(
                    stored.answers.get(&QuestionId::new(q1.as_str())),
                    Some(&Answer::TrueFalse(true))
                );

                // The second attempt is late: recorded, scored zero, each
                // answer's own grade kept.
                let late = quizzes::start_attempt(db, &quiz, &trainee, 3, now).unwrap();
                let result = quizzes::submit_attempt(
                    db,
                    &late,
                    &trainee,
                    &answers(&[(q1.as_str(), Answer::TrueFalse(true))]),
                    now + TimeDelta::seconds(600 + 61),
                )
                .unwrap();
                assert_eq!(result.result.timeliness, Timeliness::Late);
                assert_eq!(result.result.points, Points::ZERO);
                assert!(!result.result.passed);
                let stored = quizzes::get_attempt(db, &late)?.submission.unwrap();
                assert_eq!(
                    stored.grades[&QuestionId::new(q1.as_str())].points,
                    Points::whole(1)
                );

                // Both attempts are used up.
                assert!(matches!(
                    quizzes::start_attempt(db, &quiz, &trainee, 4, now),
                    Err(QuizError::Attempt(AttemptError::NoAttemptsLeft {
                        limit: 2
                    }))
                ));
                let stored_quiz = quizzes::get_quiz(db, &quiz)?;
                let standing = quizzes::standing(db, &stored_quiz, &trainee)?;
                assert_eq!(standing.attempts_left, Some(0));
                assert_eq!(standing.submitted.len(), 2);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn two_submissions_at_once_record_one() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let (attempt, trainee, question) = store
            .run_blocking(|db| {
                let org = organisations::create(db, "Οργάνωση", "ngo", "NO")?.id;
                let trainee = user(db, &org, "trainee1", "trainee");
                let course_id = course(db, "c1");
                enrol(db, &course_id, &trainee, None);
                let question = true_false(db, &course_id, "q1", &["a"]);
                let quiz = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(
                        QuizPurpose::Module,
                        "m",
                        &[("a", 1)],
                        rules(50, None, None, LateRule::ScoreZero),
                    ),
                )
                .unwrap();
                let attempt = quizzes::start_attempt(db, &quiz, &trainee, 9, Utc::now()).unwrap();
                Ok((attempt, trainee, question))
            })
            .unwrap();

        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let handles: Vec<_> = [true, false]
            .into_iter()
            .map(|value| {
                let store = store.clone();
                let barrier = barrier.clone();
                let (attempt, trainee, question) =
                    (attempt.clone(), trainee.clone(), question.clone());
                std::thread::spawn(move || {
                    store
                        .run_blocking(|db| {
                            barrier.wait();
                            Ok(quizzes::submit_attempt(
                                db,
                                &attempt,
                                &trainee,
                                &answers(&[(question.as_str(), Answer::TrueFalse(value))]),
                                Utc::now(),
                            ))
                        })
                        .unwrap()
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let recorded: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(recorded.len(), 1, "{:?}", database.backend());
        assert!(
            results.iter().any(|result| matches!(
                result,
                Err(QuizError::Attempt(AttemptError::AlreadySubmitted))
            )),
            "{results:?}"
        );
        let stored = store
            .run_blocking(|db| quizzes::get_attempt(db, &attempt))
            .unwrap()
            .submission
            .unwrap();
        assert_eq!(stored.passed, recorded[0].result.passed);
        let rows: i64 = store
            .run_blocking(|db| {
                Ok(quiz_attempts::table
                    .filter(quiz_attempts::submitted_at.is_not_null())
                    .count()
                    .get_result(db.conn)?)
            })
            .unwrap();
        assert_eq!(rows, 1);
    }
}

/// Stores a submitted attempt with `points` out of 100 for the report.
fn scored(db: &mut Db<'_>, quiz: &str, trainee: &str, number: i32, points: u32, minute: i64) {
    let at = procap_store::now() - TimeDelta::hours(1) + TimeDelta::minutes(minute);
    diesel::insert_into(quiz_attempts::table)
        .values((
            quiz_attempts::id.eq(procap_store::new_id()),
            quiz_attempts::quiz_id.eq(quiz),
            quiz_attempts::trainee_id.eq(trainee),
            quiz_attempts::number.eq(number),
            quiz_attempts::seed.eq(0i64),
            quiz_attempts::question_ids.eq("[]"),
            quiz_attempts::started_at.eq(at),
            quiz_attempts::submitted_at.eq(at),
            quiz_attempts::answers.eq("{}"),
            quiz_attempts::grades.eq("{}"),
            quiz_attempts::points.eq(i32::try_from(points * 100).unwrap()),
            quiz_attempts::max_points.eq(10_000),
            quiz_attempts::passed.eq(true),
            quiz_attempts::timeliness.eq("on_time"),
        ))
        .execute(db.conn)
        .unwrap();
}

#[test]
fn standing_counts_every_attempt_and_lists_the_newest() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        database
            .store()
            .run_blocking(|db| {
                let org = organisations::create(db, "Οργάνωση", "ngo", "NO")?.id;
                let trainee = user(db, &org, "trainee1", "trainee");
                let course_id = course(db, "c1");
                enrol(db, &course_id, &trainee, None);
                true_false(db, &course_id, "q1", &["a"]);
                let quiz = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(
                        QuizPurpose::Module,
                        "module",
                        &[("a", 1)],
                        rules(50, None, None, LateRule::Accept),
                    ),
                )
                .unwrap();
                let submitted = i32::try_from(quizzes::LISTED_ATTEMPTS).unwrap() + 5;
                for number in 1..=submitted {
                    scored(db, &quiz, &trainee, number, 80, i64::from(number) % 50);
                }
                let open = quizzes::start_attempt(db, &quiz, &trainee, 5, Utc::now()).unwrap();

                let stored_quiz = quizzes::get_quiz(db, &quiz)?;
                let standing = quizzes::standing(db, &stored_quiz, &trainee)?;
                assert_eq!(
                    standing.attempts_made,
                    u32::try_from(submitted).unwrap() + 1,
                    "{backend}"
                );
                assert_eq!(
                    standing.open_attempt.as_deref(),
                    Some(open.as_str()),
                    "{backend}"
                );
                let numbers: Vec<u32> = standing.submitted.iter().map(|a| a.number).collect();
                let newest = u32::try_from(submitted).unwrap();
                let expected: Vec<u32> =
                    (newest + 1 - u32::try_from(quizzes::LISTED_ATTEMPTS).unwrap()..=newest)
                        .rev()
                        .collect();
                assert_eq!(numbers, expected, "{backend}");
                Ok(())
            })
            .unwrap();
    }
}

fn close(left: Option<f64>, right: f64) -> bool {
    left.is_some_and(|left| (left - right).abs() < 1e-9)
}

#[test]
fn gain_report_uses_first_pre_test_and_last_post_test() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let org = organisations::create(db, "Οργάνωση", "ngo", "NO")?.id;
                let course_id = course(db, "c1");
                true_false(db, &course_id, "q1", &["a"]);
                let any = rules(0, None, None, LateRule::ScoreZero);
                let pre = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(QuizPurpose::PreTest, "pre", &[("a", 1)], any),
                )
                .unwrap();
                let post = quizzes::create_quiz(
                    db,
                    &course_id,
                    &input(QuizPurpose::PostTest, "post", &[("a", 1)], any),
                )
                .unwrap();
                let anna = user(db, &org, "anna", "trainee");
                let babis = user(db, &org, "babis", "trainee");
                let chloe = user(db, &org, "chloe", "trainee");
                let dimos = user(db, &org, "dimos", "trainee");
                enrol(db, &course_id, &anna, Some("airport"));
                enrol(db, &course_id, &babis, Some("airport"));
                enrol(db, &course_id, &chloe, Some("school"));
                enrol(db, &course_id, &dimos, None);

                // anna: first pre 40 (a later 90 is ignored), last post 70
                // (an earlier 50 is ignored): g = 30/60 = 0.5.
                scored(db, &pre, &anna, 1, 40, 1);
                scored(db, &pre, &anna, 2, 90, 2);
                scored(db, &post, &anna, 1, 50, 3);
                scored(db, &post, &anna, 2, 70, 4);
                // babis: 100 then 90: at the ceiling.
                scored(db, &pre, &babis, 1, 100, 1);
                scored(db, &post, &babis, 1, 90, 2);
                // chloe: 20 then 60: g = 40/80 = 0.5.
                scored(db, &pre, &chloe, 1, 20, 1);
                scored(db, &post, &chloe, 1, 60, 2);
                // dimos: pre-test only, left out of the groups.
                scored(db, &pre, &dimos, 1, 10, 1);

                let session = procap_store::new_id();
                let now = procap_store::now();
                diesel::insert_into(training_sessions::table)
                    .values((
                        training_sessions::id.eq(&session),
                        training_sessions::course_id.eq(&course_id),
                        training_sessions::title_el.eq("Συνάντηση"),
                        training_sessions::title_en.eq("Session"),
                        training_sessions::mode.eq("in_person"),
                        training_sessions::starts_at.eq(now),
                        training_sessions::ends_at.eq(now),
                        training_sessions::region.eq("attica"),
                        training_sessions::capacity.eq(10),
                        training_sessions::created_by.eq(&anna),
                        training_sessions::created_at.eq(now),
                    ))
                    .execute(db.conn)?;
                for (trainee, attended) in [(&anna, true), (&chloe, true), (&babis, false)] {
                    diesel::insert_into(session_registrations::table)
                        .values((
                            session_registrations::id.eq(procap_store::new_id()),
                            session_registrations::session_id.eq(&session),
                            session_registrations::trainee_id.eq(trainee),
                            session_registrations::status.eq("registered"),
                            session_registrations::registered_at.eq(now),
                            session_registrations::attended_at.eq(attended.then_some(now)),
                        ))
                        .execute(db.conn)?;
                }

                let report = quizzes::gain_report(db, &course_id)?;
                assert_eq!(report.trainees.len(), 4);
                let anna_line = &report.trainees[0];
                assert_eq!(anna_line.display_name, "anna");
                assert_eq!((anna_line.pre, anna_line.post), (Some(40.0), Some(70.0)));
                assert!(close(anna_line.gain.and_then(|g| g.value()), 0.5));
                assert_eq!(anna_line.sessions, std::slice::from_ref(&session));
                assert!(report.trainees[1].gain.is_some_and(|g| g.value().is_none()));
                assert_eq!(report.trainees[3].post, None);
                assert_eq!(report.trainees[3].gain, None);

                // Course: pre (40+100+20)/3 = 53.33, post (70+90+60)/3 = 73.33,
                // gain of means 20/46.67 = 0.428571…, mean of gains 0.5.
                assert_eq!(report.course.trainees, 3);
                assert_eq!(report.course.at_ceiling, 1);
                assert!(close(
                    report.course.gain_of_means,
                    20.0 / (100.0 - 160.0 / 3.0)
                ));
                assert!(close(report.course.mean_of_gains, 0.5));

                let sectors: Vec<(&str, usize, usize)> = report
                    .by_sector
                    .iter()
                    .map(|line| (line.key.as_str(), line.members, line.gain.trainees))
                    .collect();
                assert_eq!(
                    sectors,
                    [("airport", 2, 2), ("school", 1, 1), ("unknown", 1, 0)]
                );
                // Airport: pre 70, post 80, gain of means 10/30.
                assert!(close(report.by_sector[0].gain.gain_of_means, 1.0 / 3.0));

                assert_eq!(report.by_session.len(), 1);
                let line = &report.by_session[0];
                assert_eq!((line.members, line.title_en.as_str()), (2, "Session"));
                // anna and chloe: pre 30, post 65, gain of means 35/70.
                assert!(close(line.gain.gain_of_means, 0.5));
                Ok(())
            })
            .unwrap();
    }
}
