//! Training sessions and evaluations over real HTTP, on SQLite and
//! PostgreSQL: a trainer schedules a session (after a refused form), two
//! trainees fill its one place and the waiting list, a cancellation
//! promotes the one waiting, the trainer checks them in and downloads the
//! sign-in sheet; the check-in opens the course evaluation, which the
//! trainee answers once (after an invalid answer that keeps what was
//! typed), and the indicator page counts it. The evaluation e-mails go
//! out through the job's file transport: the invitation once, one reminder
//! a week later, and the follow-up three months after completion. Trainees
//! get 403 on every management page.
//!
//! Demo accounts: `trainer` manages training, `trainee` takes it; a second
//! trainee registers with the demo invitation code. All data is invented.

mod common;
mod training_answers;

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};
use procap_jobs::evaluation_mail::{self, EvaluationMail, EvaluationTexts, MailContent, MailRun};
use procap_jobs::mail::{MailTransport, Mailer};
use procap_store::Store;

const NEW_PASSWORD: &str = "long enough phrase for sessions 42";

fn signed_in(server: &TestServer, username: &str, password: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, password);
    assert_eq!(
        page.status,
        200,
        "{}: {username} could not sign in",
        server.backend()
    );
    browser
}

/// The id after `marker` in `text`, up to the first character that is not
/// part of an id.
fn id_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not found in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect()
}

/// The value of the trainer checkbox that the blank form ticks: the
/// signed-in trainer.
fn checked_trainer(form: &str) -> String {
    let marker = "name=\"trainers\" value=\"";
    let mut rest = form;
    while let Some(at) = rest.find(marker) {
        let after = &rest[at + marker.len()..];
        let value: String = after.chars().take_while(|c| *c != '"').collect();
        let tag_end = after.find('>').unwrap();
        if after[..tag_end].contains("checked") {
            return value;
        }
        rest = after;
    }
    panic!("no trainer ticked in {form}");
}

/// An Athens wall-clock time `days` from now at `hour`, in the form's
/// `datetime-local` format.
fn local_time(days: i64, hour: u32) -> String {
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    format!("{}T{hour:02}:00", day.format("%Y-%m-%d"))
}

fn session_form<'a>(
    course: &'a str,
    trainer: &'a str,
    starts: &'a str,
    ends: &'a str,
    link: &'a str,
    capacity: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("course", course),
        ("title_el", "Συνάντηση αναγνώρισης ενδείξεων"),
        ("title_en", "Recognising the signs, in person"),
        (
            "mode",
            if link.is_empty() {
                "in_person"
            } else {
                "online"
            },
        ),
        ("place", "Αίθουσα Δοκιμών, Οδός Παραδείγματος 1, Αθήνα"),
        ("link", link),
        ("starts_at", starts),
        ("ends_at", ends),
        ("region", "attica"),
        ("sector", "airport"),
        ("capacity", capacity),
        ("trainers", trainer),
    ]
}

fn register_trainee(server: &TestServer, username: &str) -> Browser {
    let visitor = server.browser();
    let page = visitor.post(
        "/training/register",
        &[
            ("code", "DEMO2026"),
            ("display_name", "Δεύτερη Δοκιμαστική"),
            ("email", "second.trainee@example.org"),
            ("employer", "Σταθμός Δοκιμής"),
            ("username", username),
            ("password", NEW_PASSWORD),
            ("confirm_password", NEW_PASSWORD),
            ("locale", "el"),
        ],
    );
    assert_eq!(page.status, 200, "{}: {}", server.backend(), page.body);
    signed_in(server, username, NEW_PASSWORD)
}

fn pdf_check(page: &Page, backend: &str) {
    assert_eq!(page.status, 200, "{backend}: {}", page.body);
    assert_eq!(page.headers["content-type"], "application/pdf", "{backend}");
    let disposition = page.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{backend}");
    assert!(page.body.starts_with("%PDF"), "{backend}");
}

/// Plain texts that carry what the job fills in; the Greek wording is the
/// binary's and is checked where it lives.
struct PlainTexts;

impl EvaluationTexts for PlainTexts {
    fn compose(&self, content: &MailContent<'_>) -> (String, String) {
        let subject = format!(
            "{} {}",
            content.kind.as_str(),
            if content.reminder {
                "reminder"
            } else {
                "invitation"
            }
        );
        let body = format!(
            "{}\n{}\n{}\n",
            content.name, content.course_title, content.link
        );
        (subject, body)
    }
}

/// One run of the evaluation mail job at `now`, writing into `outbox`.
fn mail_run(store: &Store, outbox: &Path, now: NaiveDateTime) -> MailRun {
    let mail = EvaluationMail {
        mailer: Mailer::new(
            MailTransport::File(outbox.to_owned()),
            "Procap <procap@example.org>",
        )
        .unwrap(),
        public_origin: "https://procap.example.org".to_owned(),
        texts: Arc::new(PlainTexts),
    };
    evaluation_mail::run(store, &mail, now).unwrap()
}

/// The messages in `outbox`, oldest first by file time, then removed.
fn take_messages(outbox: &Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(outbox)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    files.sort();
    let messages = files
        .iter()
        .map(|path| readable(&std::fs::read_to_string(path).unwrap()))
        .collect();
    for path in files {
        std::fs::remove_file(path).unwrap();
    }
    messages
}

/// Returns a message's headers followed by its body decoded from base64,
/// because lettre encodes a body that contains Greek.
fn readable(message: &str) -> String {
    use base64::Engine;
    let message = message.replace("\r\n", "\n");
    let (headers, body) = message.split_once("\n\n").expect("headers and body");
    if !headers.contains("Content-Transfer-Encoding: base64") {
        return message;
    }
    let encoded: String = body.split_whitespace().collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64 body");
    format!("{headers}\n\n{}", String::from_utf8(decoded).unwrap())
}

/// Gives the demo trainee an e-mail address (the demo seeds none).
fn give_email(store: &Store, username: &str, email: &str) {
    let (username, email) = (username.to_owned(), email.to_owned());
    store
        .run_blocking(move |db| {
            use diesel::prelude::*;
            use procap_store::schema::users;
            diesel::update(users::table.filter(users::username.eq(username)))
                .set(users::email.eq(Some(email)))
                .execute(db.conn)?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn sessions_waiting_list_check_in_sheet_and_evaluation() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let trainer = signed_in(&server, "trainer", DEMO_PASSWORD);
        let trainee = signed_in(&server, "trainee", DEMO_PASSWORD);

        // A course completed by attending a session and evaluating it, with
        // the demo trainee enrolled.
        let page = trainer.post(
            "/training/manage/courses",
            &[
                ("slug", "session-signs"),
                ("title_el", "Ενδείξεις στην πράξη"),
                ("title_en", "Signs in practice"),
                ("summary_el", "Περίληψη"),
                ("summary_en", "Summary"),
                ("sectors", "airport"),
                ("rule_attendance", "1"),
                ("rule_evaluation", "1"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let course = id_after(&page.url, "/training/manage/courses/");
        let page = trainer.post(
            &format!("/training/manage/courses/{course}/enrolments"),
            &[("username", "trainee")],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);

        // A refused form: the end before the start and a plain-http link.
        let list = trainer.get("/training/manage/sessions");
        assert_eq!(list.status, 200, "{backend}");
        let me = checked_trainer(&list.body);
        let (starts, ends) = (local_time(2, 13), local_time(2, 10));
        let page = trainer.post(
            "/training/manage/sessions",
            &session_form(
                &course,
                &me,
                &starts,
                &ends,
                "http://meet.example.org/x",
                "1",
            ),
        );
        assert_eq!(page.status, 422, "{backend}: {}", page.body);
        assert!(
            page.body
                .contains("Η λήξη πρέπει να είναι μετά την έναρξη."),
            "{backend}"
        );
        assert!(
            page.body
                .contains("Συμπληρώστε σύνδεσμο που αρχίζει με https://."),
            "{backend}"
        );
        assert!(
            page.body.contains("http://meet.example.org/x"),
            "{backend}: link kept"
        );

        // Scheduled: one place, in person.
        let ends = local_time(2, 16);
        let page = trainer.post(
            "/training/manage/sessions",
            &session_form(&course, &me, &starts, &ends, "", "1"),
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let session = id_after(&page.url, "/training/manage/sessions/");
        assert!(
            page.body.contains("Η συνάντηση προγραμματίστηκε."),
            "{backend}"
        );

        // A second trainee takes the place; the demo trainee waits.
        let second = register_trainee(&server, "second.trainee");
        let page = second.post(&format!("/training/sessions/{session}/register"), &[]);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Έχετε θέση"), "{backend}: {}", page.body);
        let page = trainee.post(&format!("/training/sessions/{session}/register"), &[]);
        assert_eq!(page.status, 200, "{backend}");
        assert!(
            page.body.contains("Λίστα αναμονής, θέση 1"),
            "{backend}: {}",
            page.body
        );
        let page = trainee.post(&format!("/training/sessions/{session}/register"), &[]);
        assert!(
            page.body.contains("Είστε ήδη εγγεγραμμένοι"),
            "{backend}: a second registration is refused"
        );
        let home = trainee.get("/training");
        assert!(
            home.body.contains("σε λίστα αναμονής"),
            "{backend}: the home page lists the session"
        );

        // Cancelling asks first, then frees the place for the one waiting.
        let cancel = format!("/training/sessions/{session}/cancel");
        let page = second.post(&cancel, &[]);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Να ακυρωθεί η εγγραφή σας"), "{backend}");
        let page = second.post(&cancel, &[("confirmed", "yes")]);
        assert!(page.body.contains("Η εγγραφή σας ακυρώθηκε."), "{backend}");
        let page = trainee.get("/training/sessions");
        assert!(
            page.body.contains("Έχετε θέση") && !page.body.contains("Λίστα αναμονής, θέση"),
            "{backend}: promoted from the waiting list"
        );

        // The trainee cannot reach any management page.
        for path in [
            "/training/manage/sessions".to_owned(),
            format!("/training/manage/sessions/{session}"),
            format!("/training/manage/sessions/{session}/sign-in-sheet"),
            format!("/training/manage/sessions/{session}/cancel"),
            "/training/manage/evaluations".to_owned(),
        ] {
            assert_eq!(trainee.get(&path).status, 403, "{backend}: {path}");
        }
        let page = trainee.post(
            &format!("/training/manage/sessions/{session}/attendance"),
            &[("trainee", "x"), ("present", "yes")],
        );
        assert_eq!(page.status, 403, "{backend}");

        // Check-in: the roster shows the demo trainee; mark present.
        let manage = format!("/training/manage/sessions/{session}");
        let page = trainer.get(&manage);
        assert_eq!(page.status, 200, "{backend}");
        assert!(
            page.body
                .contains("Δεν έχει σημειωθεί ακόμη παρουσία ή απουσία."),
            "{backend}: not yet marked"
        );
        assert!(!page.body.contains("Σημειώθηκε απουσία."), "{backend}");
        let trainee_id = id_after(&page.body, "name=\"trainee\" value=\"");
        // Marked absent first (a slip): the roster shows it as absent, not
        // as not yet marked.
        let page = trainer.post(
            &format!("{manage}/attendance"),
            &[("trainee", trainee_id.as_str()), ("present", "no")],
        );
        assert_eq!(page.status, 200, "{backend}");
        assert!(
            page.body.contains("Σημειώθηκε απουσία."),
            "{backend}: absent"
        );
        assert!(
            !page
                .body
                .contains("Δεν έχει σημειωθεί ακόμη παρουσία ή απουσία."),
            "{backend}: absent is not unmarked"
        );
        let page = trainer.post(
            &format!("{manage}/attendance"),
            &[("trainee", trainee_id.as_str()), ("present", "yes")],
        );
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Η παρουσία καταγράφηκε."), "{backend}");
        assert!(page.body.contains("Παρών/παρούσα, "), "{backend}");

        // The sign-in sheet.
        pdf_check(&trainer.get(&format!("{manage}/sign-in-sheet")), backend);

        // Attendance left only the evaluation: it is open on the home page.
        let home = trainee.get("/training");
        assert!(
            home.body.contains("Αξιολογήσεις που περιμένουν απάντηση"),
            "{backend}: {}",
            home.body
        );
        let evaluation = format!(
            "/training/evaluations/{}",
            id_after(&home.body, "/training/evaluations/")
        );
        assert_eq!(trainer.get(&evaluation).status, 403, "{backend}");
        assert_eq!(second.get(&evaluation).status, 404, "{backend}: not theirs");

        // The invitation e-mail goes out once, with a link that requires a
        // login. A week later one reminder goes out, then nothing more.
        let store = training_answers::open_store(server.data_dir.path(), &server.database);
        give_email(&store, "trainee", "demo.trainee@example.org");
        let outbox = tempfile::tempdir().unwrap();
        let now = procap_store::now();
        let run = mail_run(&store, outbox.path(), now);
        assert_eq!((run.invitations, run.reminders), (1, 0), "{backend}");
        let messages = take_messages(outbox.path());
        assert_eq!(messages.len(), 1, "{backend}");
        let link = format!("https://procap.example.org{evaluation}");
        assert!(messages[0].contains(&link), "{backend}: {}", messages[0]);
        assert!(
            messages[0].contains("demo.trainee@example.org"),
            "{backend}: addressed to the trainee"
        );
        assert!(
            messages[0].contains("end_of_course invitation"),
            "{backend}"
        );
        let run = mail_run(&store, outbox.path(), now + Duration::hours(1));
        assert_eq!((run.invitations, run.reminders), (0, 0), "{backend}: once");
        let week = now + Duration::days(evaluation_mail::REMINDER_AFTER_DAYS);
        let run = mail_run(&store, outbox.path(), week - Duration::hours(1));
        assert_eq!(run.reminders, 0, "{backend}: not before a week");
        let run = mail_run(&store, outbox.path(), week + Duration::minutes(1));
        assert_eq!((run.invitations, run.reminders), (0, 1), "{backend}");
        let messages = take_messages(outbox.path());
        assert!(messages[0].contains("end_of_course reminder"), "{backend}");
        assert!(messages[0].contains(&link), "{backend}");
        let run = mail_run(&store, outbox.path(), week + Duration::days(30));
        assert_eq!(
            (run.invitations, run.reminders),
            (0, 0),
            "{backend}: one reminder"
        );
        let form = trainee.get(&evaluation);
        assert_eq!(form.status, 200, "{backend}");
        assert!(has_greek(&form.body), "{backend}");

        // An answer off the scale: a Greek message, the rest kept.
        let comment = "Πολύ χρήσιμα παραδείγματα για τη δουλειά μου";
        let page = trainee.post(
            &evaluation,
            &[("usefulness", "7"), ("quality", "4"), ("comment", comment)],
        );
        assert_eq!(page.status, 422, "{backend}");
        assert!(
            page.body
                .contains("Η απάντηση πρέπει να είναι ακέραιος αριθμός από το 1 έως το 5."),
            "{backend}: {}",
            page.body
        );
        assert!(page.body.contains(comment), "{backend}: comment kept");
        assert!(
            page.body
                .contains("name=\"quality\" value=\"4\" required checked"),
            "{backend}: answer kept"
        );

        // Answered once; a second answer is refused.
        let answer = [("usefulness", "5"), ("quality", "4"), ("comment", comment)];
        let page = trainee.post(&evaluation, &answer);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            !page.body.contains("Αξιολογήσεις που περιμένουν απάντηση"),
            "{backend}: no longer open"
        );
        let page = trainee.post(&evaluation, &answer);
        assert_eq!(page.status, 409, "{backend}");
        assert!(
            page.body
                .contains("Έχετε ήδη απαντήσει σε αυτή την αξιολόγηση."),
            "{backend}"
        );

        // Answering completed the course: the follow-up questionnaire is
        // mailed three months later, and only then.
        let run = mail_run(&store, outbox.path(), week + Duration::days(40));
        assert_eq!((run.invitations, run.reminders), (0, 0), "{backend}");
        let run = mail_run(&store, outbox.path(), now + Duration::days(93));
        assert_eq!((run.invitations, run.reminders), (1, 0), "{backend}");
        let messages = take_messages(outbox.path());
        assert!(messages[0].contains("follow_up invitation"), "{backend}");
        assert!(
            !messages[0].contains(&link),
            "{backend}: a new evaluation, not the answered one"
        );

        // The indicators count the answer.
        let page = trainer.get("/training/manage/evaluations");
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Ενδείξεις στην πράξη"), "{backend}");
        assert!(
            page.body.contains("1 από 1 (100%)"),
            "{backend}: {}",
            page.body
        );
        assert!(page.body.contains("0 από 0 (—)"), "{backend}");

        // Cancelling the session asks first.
        let page = trainer.get(&format!("{manage}/cancel"));
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Να ακυρωθεί η συνάντηση"), "{backend}");
        let page = trainer.post(&format!("{manage}/cancel"), &[("confirmed", "yes")]);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Η συνάντηση ακυρώθηκε."), "{backend}");
        let page = trainee.get("/training/sessions");
        assert!(
            !page.body.contains("Συνάντηση αναγνώρισης ενδείξεων"),
            "{backend}: a cancelled session is not listed"
        );

        // Audited without personal content.
        let log = server.log();
        assert!(!log.contains(comment), "{backend}: comment not logged");
    });
}
