//! Training sessions and evaluations over real HTTP, on SQLite and
//! PostgreSQL: a trainer schedules a session (after a refused form), two
//! trainees fill its one place and the waiting list, a cancellation
//! promotes the one waiting, the trainer checks them in and downloads the
//! sign-in sheet; the check-in opens the course evaluation, which the
//! trainee answers once (after an invalid answer that keeps what was
//! typed), and the indicator page counts it. Trainees get 403 on every
//! management page.
//!
//! Demo accounts: `trainer` manages training, `trainee` takes it; a second
//! trainee registers with the demo invitation code. All data is invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};

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
        // Marked absent first (a slip), the roster says so, not "not yet".
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
