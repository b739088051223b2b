//! Taking a quiz over real HTTP, on SQLite and PostgreSQL, with the course
//! `procap demo` loads: the course page links its tests; starting an attempt
//! gives the form with its deadline and countdown; a correct submission
//! shows the score and per-question feedback; a second submission of the
//! same attempt is refused and changes nothing; the pre-test's single
//! attempt cannot be started again; a submission after the time limit is
//! scored zero on the post-test and graded as usual (marked late) on the
//! pre-test; answers for questions not in the attempt are refused; another
//! trainee's attempt answers 404; start and submit are audited without the
//! answers.
//!
//! Accounts: the demo `trainee`, and a second trainee who registers with
//! the demo invitation code. All names are invented.

mod common;
mod training_answers;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use diesel::prelude::*;
use procap_domain::training::Points;
use procap_store::Store;
use procap_store::schema::audit_log;
use procap_store::training::quizzes;
use training_answers::{attempt, attempt_id, correct_answers, open_store, shipped_course};

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert!(
        page.url.ends_with('/'),
        "{}: {username} could not sign in: {}",
        server.backend(),
        page.url
    );
    browser
}

/// Registers a second trainee with the demo invitation code and signs in.
fn register_second(server: &TestServer) -> Browser {
    let browser = server.browser();
    let page = browser.post(
        "/training/register",
        &[
            ("code", "DEMO2026"),
            ("display_name", "Ανθή Δοκιμαστική"),
            ("email", "anthi.dokimastiki@example.org"),
            ("username", "anthi"),
            ("employer", "Λιμενικός Σταθμός Δοκιμών"),
            ("password", DEMO_PASSWORD),
            ("confirm_password", DEMO_PASSWORD),
            ("locale", "el"),
        ],
    );
    assert!(page.url.ends_with("/login"), "{} {}", page.url, page.body);
    drop(browser);
    signed_in(server, "anthi")
}

fn enrol(browser: &Browser, course_id: &str) {
    let page = browser.post(&format!("/training/courses/{course_id}/enrol"), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
}

/// Starts (or resumes) an attempt through the quiz page and returns its id.
fn start(browser: &Browser, quiz_id: &str) -> (String, String) {
    let page = browser.post(&format!("/training/quizzes/{quiz_id}"), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    (attempt_id(&page.url), page.body)
}

fn post_answers(browser: &Browser, attempt_id: &str, fields: &[(String, String)]) -> common::Page {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    browser.post(&format!("/training/attempts/{attempt_id}"), &form)
}

/// Starts an attempt in the store as if it had begun `minutes` ago.
fn start_in_past(store: &Store, quiz_id: &str, trainee: &str, minutes: i64) -> String {
    let (quiz, trainee) = (quiz_id.to_owned(), trainee.to_owned());
    store
        .run_blocking(move |db| {
            Ok(quizzes::start_attempt(
                db,
                &quiz,
                &trainee,
                11,
                chrono::Utc::now() - chrono::Duration::minutes(minutes),
            ))
        })
        .unwrap()
        .unwrap()
}

fn user_id(store: &Store, username: &'static str) -> String {
    store
        .run_blocking(move |db| {
            Ok(procap_store::users::find_by_username(db, username)?
                .unwrap()
                .id)
        })
        .unwrap()
}

fn audit_details(store: &Store, action: &'static str, attempt: &str) -> Vec<String> {
    let attempt = attempt.to_owned();
    store
        .run_blocking(move |db| {
            Ok(audit_log::table
                .filter(audit_log::action.eq(action))
                .filter(audit_log::object_type.eq("quiz_attempt"))
                .filter(audit_log::object_id.eq(attempt))
                .select(audit_log::details)
                .load::<String>(db.conn)?)
        })
        .unwrap()
}

#[test]
fn quiz_attempts_over_http() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let store = open_store(server.data_dir.path(), &server.database);
        let (course_id, pre, post) = shipped_course(&store);

        let first = signed_in(&server, "trainee");
        enrol(&first, &course_id);
        let course = first.get(&format!("/training/courses/{course_id}"));
        for quiz in [&pre, &post] {
            assert!(
                course
                    .body
                    .contains(&format!("href=\"/training/quizzes/{}\"", quiz.id)),
                "{backend}: the course page does not link {}",
                quiz.title_el
            );
        }

        // The quiz page states the rules; starting gives the form.
        let rules = first.get(&format!("/training/quizzes/{}", pre.id));
        assert_eq!(rules.status, 200, "{backend}");
        assert!(
            rules.body.contains("Χρονικό όριο: 20 λεπτά"),
            "{backend}: {}",
            rules.body
        );
        let (pre_attempt, form) = start(&first, &pre.id);
        assert!(form.contains("data-deadline=\""), "{backend}: {form}");
        assert!(
            form.contains("/static/training_quiz_countdown."),
            "{backend}: no countdown script"
        );
        assert!(!form.contains("<script>"), "{backend}: inline script");
        let record = attempt(&store, &pre_attempt);
        assert_eq!(record.questions.len(), 10, "{backend}");

        // A correct submission: full score and feedback on every question.
        let answers = correct_answers(&record);
        let result = post_answers(&first, &pre_attempt, &answers);
        assert_eq!(result.status, 200, "{backend}: {}", result.body);
        assert!(result.url.ends_with(&pre_attempt), "{backend}");
        let graded = attempt(&store, &pre_attempt);
        let submission = graded.submission.as_ref().expect("recorded");
        assert_eq!(submission.points, submission.max_points, "{backend}");
        let score = format!(
            "Βαθμολογία: {max} από {max} (100 %)",
            max = procap_web::i18n::format_points(
                procap_domain::locale::Locale::El,
                submission.max_points
            )
        );
        assert!(result.body.contains(&score), "{backend}: {}", result.body);
        assert_eq!(
            result.body.matches("<strong>σωστή</strong>").count(),
            10 + graded
                .questions
                .iter()
                .map(|stored| match stored.question.body() {
                    procap_domain::training::question::QuestionBody::Scenario { questions } => {
                        questions.len()
                    }
                    _ => 0,
                })
                .sum::<usize>(),
            "{backend}: every question and part is marked correct"
        );
        for stored in &graded.questions {
            let wording = stored.texts.wording(procap_domain::locale::Locale::El);
            let feedback = wording
                .feedback
                .get("correct")
                .filter(|text| !text.is_empty())
                .cloned()
                .unwrap_or_else(|| "Σωστά.".to_owned());
            let escaped = feedback
                .replace('&', "&amp;")
                .replace('"', "&#34;")
                .replace('\'', "&#39;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                result.body.contains(&feedback) || result.body.contains(&escaped),
                "{backend}: no feedback {feedback:?}"
            );
        }

        // A second submission of the same attempt is refused; the first stays.
        let again = post_answers(&first, &pre_attempt, &[]);
        assert_eq!(again.status, 409, "{backend}");
        assert!(
            again.body.contains("έχει ήδη υποβληθεί"),
            "{backend}: {}",
            again.body
        );
        assert_eq!(
            attempt(&store, &pre_attempt).submission,
            graded.submission,
            "{backend}: the second submission changed the first"
        );

        // The pre-test allows one attempt: starting again is refused.
        let refused = first.post(&format!("/training/quizzes/{}", pre.id), &[]);
        assert!(
            refused
                .url
                .ends_with(&format!("/training/quizzes/{}", pre.id)),
            "{backend}: {}",
            refused.url
        );
        assert!(
            refused
                .body
                .contains("Έχετε χρησιμοποιήσει όλες τις προσπάθειες"),
            "{backend}: {}",
            refused.body
        );
        assert!(
            !refused
                .body
                .contains(&format!("action=\"/training/quizzes/{}\"", pre.id)),
            "{backend}: a start button is still offered"
        );
        let trainee = user_id(&store, "trainee");
        let (quiz_id, trainee_id) = (pre.id.clone(), trainee.clone());
        let standing = store
            .run_blocking(move |db| {
                let quiz = quizzes::get_quiz(db, &quiz_id)?;
                quizzes::standing(db, &quiz, &trainee_id)
            })
            .unwrap();
        assert_eq!(standing.attempts_made, 1, "{backend}");

        // Late on the post-test (score zero): correct answers score nothing.
        let late = start_in_past(&store, &post.id, &trainee, 25);
        let late_form = first.get(&format!("/training/attempts/{late}"));
        assert_eq!(late_form.status, 200, "{backend}");
        let late_answers = correct_answers(&attempt(&store, &late));
        let late_result = post_answers(&first, &late, &late_answers);
        assert_eq!(late_result.status, 200, "{backend}: {}", late_result.body);
        let late_record = attempt(&store, &late);
        let late_submission = late_record.submission.as_ref().unwrap();
        assert_eq!(late_submission.points, Points::ZERO, "{backend}");
        assert!(!late_submission.passed, "{backend}");
        assert!(
            late_result
                .body
                .contains("η προσπάθεια μετρά και βαθμολογείται με μηδέν"),
            "{backend}: {}",
            late_result.body
        );

        // Another trainee: not enrolled, then enrolled but not the owner.
        let second = register_second(&server);
        let not_enrolled = second.get(&format!("/training/quizzes/{}", pre.id));
        assert_eq!(not_enrolled.status, 404, "{backend}");
        enrol(&second, &course_id);
        for path in [
            format!("/training/attempts/{pre_attempt}"),
            format!("/training/attempts/{late}"),
        ] {
            assert_eq!(second.get(&path).status, 404, "{backend}: GET {path}");
            assert_eq!(
                second.post(&path, &[]).status,
                404,
                "{backend}: POST {path}"
            );
        }
        assert_eq!(
            attempt(&store, &pre_attempt).submission,
            graded.submission,
            "{backend}"
        );

        // Late on the pre-test (accepted): graded as usual, marked late. An
        // answer to a question outside the attempt is refused first.
        let anthi = user_id(&store, "anthi");
        let accepted = start_in_past(&store, &pre.id, &anthi, 25);
        let mut stray = correct_answers(&attempt(&store, &accepted));
        stray.push(("a.not-in-this-attempt".to_owned(), "true".to_owned()));
        let refused = post_answers(&second, &accepted, &stray);
        assert_eq!(refused.status, 422, "{backend}");
        assert!(
            refused.body.contains("not-in-this-attempt"),
            "{backend}: {}",
            refused.body
        );
        assert!(attempt(&store, &accepted).submission.is_none(), "{backend}");
        stray.pop();
        let accepted_result = post_answers(&second, &accepted, &stray);
        assert_eq!(accepted_result.status, 200, "{backend}");
        assert!(
            accepted_result
                .body
                .contains("βαθμολογείται κανονικά και σημειώνεται ως εκπρόθεσμη"),
            "{backend}: {}",
            accepted_result.body
        );
        let accepted_record = attempt(&store, &accepted);
        let accepted_submission = accepted_record.submission.as_ref().unwrap();
        assert_eq!(
            accepted_submission.points, accepted_submission.max_points,
            "{backend}"
        );

        // Start and submit are audited, with the score and not the answers.
        assert_eq!(
            audit_details(&store, "training.quiz.start", &pre_attempt).len(),
            1,
            "{backend}"
        );
        let submitted = audit_details(&store, "training.quiz.submit", &pre_attempt);
        assert_eq!(submitted.len(), 1, "{backend}");
        let details: serde_json::Value = serde_json::from_str(&submitted[0]).unwrap();
        assert_eq!(details["quiz_id"], pre.id.as_str(), "{backend}");
        assert_eq!(details["passed"], true, "{backend}");
        assert_eq!(details["timeliness"], "on_time", "{backend}");
        for (name, value) in &answers {
            assert!(
                !submitted[0].contains(name.as_str()),
                "{backend}: the audit names answer field {name}"
            );
            if value.len() > 5 {
                assert!(
                    !submitted[0].contains(value.as_str()),
                    "{backend}: the audit holds the answer {value}"
                );
            }
        }
        let late_audit = audit_details(&store, "training.quiz.submit", &late);
        assert_eq!(late_audit.len(), 1, "{backend}");
        assert!(late_audit[0].contains("\"late\""), "{backend}");
    });
}
