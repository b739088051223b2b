//! The timeline of trafficking events of a case, tested through the real
//! server on both backends. Events are listed in date order and invalid
//! input is rejected with the typed values kept. The description is
//! encrypted at rest and absent from the server log. An unassigned
//! caseworker gets the break-glass page and an interpreter no access.
//!
//! Demo accounts: `caseworker` is assigned to the demo cases. All data is
//! invented.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use diesel::prelude::*;
use procap_store::schema::{audit_log, trafficking_events};
use procap_store::schema_witness::witness_statuses;

const SECRET: &str = "Φανταστική-περιγραφή-ΜΥΣΤΙΚΟ-8841";

fn token(server: &TestServer, user: &str) -> String {
    let output = server.cli(&["token", "create", "--user", user]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn api_get(server: &TestServer, token: &str, path: &str) -> serde_json::Value {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}{path}", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().unwrap()
}

/// Returns the id and the person's birth date of the caseworker's first demo case.
fn demo_case(server: &TestServer) -> (String, Option<chrono::NaiveDate>) {
    let token = token(server, "caseworker");
    let list = api_get(server, &token, "/api/v1/cases?origin=procap");
    let id = list["items"][0]["id"]
        .as_str()
        .expect("a demo case")
        .to_owned();
    let detail = api_get(server, &token, &format!("/api/v1/cases/{id}"));
    let birth = detail["person"]["birth_date"]
        .as_str()
        .and_then(|date| date.parse().ok());
    (id, birth)
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// Adds a caseworker with `procap user add` in the demo caseworker's
/// organisation and signs them in, changing the one-time password.
fn other_caseworker(server: &TestServer, username: &str) -> Browser {
    let output = server.cli(&[
        "user",
        "add",
        username,
        "--role",
        "caseworker",
        "--organisation",
        "KA",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{stdout}");
    let password = stdout
        .lines()
        .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
        .expect("one-time password printed");
    let browser = server.browser();
    browser.login(username, &password);
    let new_password = "φανταστικός-κωδικός-χρονολογίου-27";
    let page = browser.post(
        "/account/password",
        &[
            ("current_password", password.as_str()),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ],
    );
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

fn event_count(server: &TestServer) -> i64 {
    server
        .database
        .store()
        .run_blocking(|db| {
            Ok(trafficking_events::table
                .count()
                .get_result::<i64>(db.conn)?)
        })
        .unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn timeline_order_validation_encryption() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, birth) = demo_case(&server);
        let path = format!("/cases/{case_id}/timeline");
        let caseworker = signed_in(&server, "caseworker");
        let before = event_count(&server);

        let page = caseworker.get(&path);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("name=\"kind\""), "{backend}: form shown");
        let case_page = caseworker.get(&format!("/cases/{case_id}"));
        assert!(case_page.body.contains(&path), "{backend}: work area link");

        // The later event first, then an earlier period.
        let page = caseworker.post(
            &path,
            &[
                ("kind", "exploitation"),
                ("started_on", "2024-05-10"),
                ("ended_on", ""),
                ("country", "GR"),
                ("description", SECRET),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.url.ends_with(&path), "{backend}: {}", page.url);
        let page = caseworker.post(
            &path,
            &[
                ("kind", "recruitment"),
                ("started_on", "2023-02-01"),
                ("ended_on", "2023-03-15"),
                ("country", "NG"),
                ("description", "Πρώτη-επαφή-ΔΟΚΙΜΗ"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}");
        assert_eq!(event_count(&server), before + 2, "{backend}");
        let page = caseworker.get(&path);
        let earlier = page.body.find("Πρώτη-επαφή-ΔΟΚΙΜΗ").expect("first event");
        let later = page.body.find(SECRET).expect("second event");
        assert!(earlier < later, "{backend}: date order");
        assert!(page.body.contains("Νιγηρία"), "{backend}: country name");

        // Future date, unknown country, end before start: refused, input kept.
        let future = (common::athens_today() + chrono::Days::new(30))
            .format("%Y-%m-%d")
            .to_string();
        let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
            (
                "future",
                vec![("started_on", future.clone()), ("country", "GR".into())],
            ),
            (
                "country",
                vec![
                    ("started_on", "2024-01-01".into()),
                    ("country", "XX".into()),
                ],
            ),
            (
                "end",
                vec![
                    ("started_on", "2024-01-10".into()),
                    ("ended_on", "2024-01-01".into()),
                ],
            ),
        ];
        for (label, fields) in cases {
            let mut form = vec![
                ("kind", "transport".to_owned()),
                ("description", "Κείμενο-που-μένει-7731".to_owned()),
            ];
            form.extend(fields);
            let form: Vec<(&str, &str)> = form
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            let page = caseworker.post(&path, &form);
            assert_eq!(page.status, 422, "{backend}: {label}");
            assert!(page.body.contains("error-summary"), "{backend}: {label}");
            assert!(
                page.body.contains("Κείμενο-που-μένει-7731"),
                "{backend}: {label}: description lost"
            );
            assert!(
                page.body.contains("value=\"transport\" selected"),
                "{backend}: {label}: kind lost"
            );
        }
        if let Some(birth) = birth {
            let day_before = (birth - chrono::Days::new(1))
                .format("%Y-%m-%d")
                .to_string();
            let page = caseworker.post(
                &path,
                &[("kind", "recruitment"), ("started_on", day_before.as_str())],
            );
            assert_eq!(page.status, 422, "{backend}: before birth");
            assert!(page.body.contains(&day_before), "{backend}: date lost");
        }
        assert_eq!(event_count(&server), before + 2, "{backend}");

        let raw: Vec<Option<Vec<u8>>> = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(trafficking_events::table
                    .select(trafficking_events::description_enc)
                    .load(db.conn)?)
            })
            .unwrap();
        assert!(
            raw.iter().flatten().count() >= 2,
            "{backend}: descriptions stored"
        );
        for description in raw.iter().flatten() {
            assert!(
                !contains(description, "ΜΥΣΤΙΚΟ".as_bytes()),
                "{backend}: plain text at rest"
            );
        }
        assert!(
            !server.log().contains("ΜΥΣΤΙΚΟ"),
            "{backend}: description in the log"
        );

        let audited: Vec<String> = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(audit_log::table
                    .filter(audit_log::action.eq("case.timeline.add"))
                    .select(audit_log::details)
                    .load(db.conn)?)
            })
            .unwrap();
        assert_eq!(audited.len(), 2, "{backend}: additions audited");
        for details in &audited {
            assert!(!details.contains("ΜΥΣΤΙΚΟ"), "{backend}: text audited");
            assert!(details.contains("\"event\""), "{backend}: {details}");
        }
    });
}

#[test]
fn timeline_access_by_role() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let path = format!("/cases/{case_id}/timeline");
        let before = event_count(&server);
        let form = [
            ("kind", "exit"),
            ("started_on", "2024-06-01"),
            ("description", "Δεν-πρέπει-να-αποθηκευτεί"),
        ];

        let colleague = other_caseworker(&server, "cw_timeline");
        let page = colleague.get(&path);
        assert_eq!(page.status, 403, "{backend}");
        assert!(page.body.contains("break-glass"), "{backend}: no offer");
        assert_eq!(colleague.post(&path, &form).status, 403, "{backend}");

        let interpreter = signed_in(&server, "interpreter");
        let page = interpreter.get(&path);
        assert!(
            page.status == 403 || page.status == 404,
            "{backend}: interpreter got {}",
            page.status
        );
        assert!(!page.body.contains("break-glass"), "{backend}");
        let status = interpreter.post(&path, &form).status;
        assert!(status == 403 || status == 404, "{backend}: {status}");
        assert_eq!(event_count(&server), before, "{backend}");
    });
}

#[test]
fn witness_status_history_encrypted() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let nrm = format!("/cases/{case_id}/nrm");
        let path = format!("{nrm}/witness");
        let caseworker = signed_in(&server, "caseworker");

        let page = caseworker.get(&nrm);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("name=\"witness_status\""), "{backend}");

        // A missing date is rejected and the note stays in the form.
        let page = caseworker.post(
            &path,
            &[
                ("witness_status", "witness"),
                ("witness_status_on", ""),
                ("witness_note", "Σημείωμα-μάρτυρα-ΜΥΣΤΙΚΟ"),
            ],
        );
        assert_eq!(page.status, 422, "{backend}");
        assert!(
            page.body.contains("Σημείωμα-μάρτυρα-ΜΥΣΤΙΚΟ"),
            "{backend}: note lost"
        );
        assert!(
            page.body.contains("value=\"witness\" selected"),
            "{backend}: status lost"
        );

        let page = caseworker.post(
            &path,
            &[
                ("witness_status", "witness"),
                ("witness_status_on", "2025-01-20"),
                ("witness_note", "Σημείωμα-μάρτυρα-ΜΥΣΤΙΚΟ"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let page = caseworker.post(
            &path,
            &[
                ("witness_status", "protected_witness"),
                ("witness_status_on", "2025-03-02"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}");
        let page = caseworker.get(&nrm);
        assert!(
            page.body.contains(
                "<strong id=\"witness-current\">Θύμα-μάρτυρας με μέτρα προστασίας</strong>"
            ),
            "{backend}: current status"
        );
        assert!(
            page.body.contains("Σημείωμα-μάρτυρα-ΜΥΣΤΙΚΟ"),
            "{backend}: history kept"
        );

        let interpreter = signed_in(&server, "interpreter");
        let status = interpreter
            .post(
                &path,
                &[
                    ("witness_status", "not_witness"),
                    ("witness_status_on", "2025-04-01"),
                ],
            )
            .status;
        assert!(status == 403 || status == 404, "{backend}: {status}");

        let notes: Vec<Option<Vec<u8>>> = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(witness_statuses::table
                    .select(witness_statuses::note_enc)
                    .load(db.conn)?)
            })
            .unwrap();
        assert_eq!(notes.len(), 2, "{backend}: two changes kept");
        let stored: Vec<&Vec<u8>> = notes.iter().flatten().collect();
        assert_eq!(stored.len(), 1, "{backend}: one note");
        assert!(
            !contains(stored[0], "ΜΥΣΤΙΚΟ".as_bytes()),
            "{backend}: plain text at rest"
        );
        assert!(
            !server.log().contains("ΜΥΣΤΙΚΟ"),
            "{backend}: note in the log"
        );
        let audited: i64 = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(audit_log::table
                    .filter(audit_log::action.eq("case.nrm.witness"))
                    .count()
                    .get_result(db.conn)?)
            })
            .unwrap();
        assert_eq!(audited, 2, "{backend}: changes audited");
    });
}
