//! Needs assessments over real HTTP, on SQLite and PostgreSQL: two
//! assessments and their comparison, a rejected date (422), and refusal
//! for an unassigned psychologist (404) and a trainee (403).
//!
//! Demo accounts: `caseworker` is assigned to the fictional demo cases;
//! `psychologist` belongs to the same organisation but is not assigned.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};

const SAFETY_PLAN: &str = "Νέα διαδρομή προς την εργασία, επαφή με τη Γραμμή 1109";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// The id of the first fictional demo case of the caseworker.
fn demo_case(server: &TestServer) -> String {
    let output = server.cli(&["token", "create", "--user", "caseworker"]);
    assert!(output.status.success());
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().unwrap();
    body["items"][0]["id"]
        .as_str()
        .expect("a demo case")
        .to_owned()
}

/// The value of the input `name` in `body`.
fn input_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).expect("the input on the page") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

fn assessment<'a>(
    date: &'a str,
    safety: &'a str,
    health: &'a str,
    risk: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("assessed_on", date),
        ("level_safety", safety),
        ("note_safety", "Φοβάται να κυκλοφορεί μόνη"),
        ("level_health", health),
        ("level_psychosocial", "medium"),
        ("level_legal", "high"),
        ("level_documents", "urgent"),
        ("level_accommodation", "low"),
        ("level_livelihood", "medium"),
        ("level_education", "no_need"),
        ("level_family", "low"),
        ("risk_level", risk),
        ("risk_factors", "debt"),
        ("risk_factors", "no_documents"),
        ("safety_plan", SAFETY_PLAN),
    ]
}

/// The `data-change` value of the comparison row whose header is `label`.
fn change_of(body: &str, label: &str) -> String {
    let table = &body[body
        .find("id=\"assessment-comparison\"")
        .expect("comparison table")..];
    let row = &table[table
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .expect(label)..];
    let marker = "data-change=\"";
    let start = row.find(marker).unwrap() + marker.len();
    row[start..].split('"').next().unwrap().to_owned()
}

#[test]
fn two_assessments_are_compared() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case_id = demo_case(&server);
        let path = format!("/cases/{case_id}/assessment");
        let caseworker = signed_in(&server, "caseworker");
        caseworker.post("/locale", &[("locale", "en"), ("return_to", "/")]);

        let page = caseworker.get(&path);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(!page.body.contains("id=\"assessment-comparison\""));
        let today = input_value(&page.body, "assessed_on");

        let future = caseworker.post(&path, &assessment("2999-01-01", "high", "low", "high"));
        assert_eq!(future.status, 422, "{backend}: a future date is rejected");
        assert!(
            future.body.contains(SAFETY_PLAN),
            "{backend}: the typed text is kept"
        );

        let first = caseworker.post(&path, &assessment(&today, "urgent", "low", "high"));
        assert_eq!(first.status, 200, "{backend}: {}", first.body);
        let second = caseworker.post(&path, &assessment(&today, "medium", "high", "medium"));
        assert_eq!(second.status, 200, "{backend}: {}", second.body);

        let page = caseworker.get(&path);
        assert_eq!(change_of(&page.body, "Safety"), "down", "{backend}");
        assert_eq!(change_of(&page.body, "Health"), "up", "{backend}");
        assert_eq!(change_of(&page.body, "Legal matters"), "same", "{backend}");
        assert_eq!(
            change_of(&page.body, "Re-trafficking risk"),
            "down",
            "{backend}"
        );
        assert_eq!(
            page.body.matches("Assessment of ").count(),
            3,
            "{backend}: caption and two entries"
        );
        assert!(page.body.contains(SAFETY_PLAN), "{backend}");

        let psychologist = signed_in(&server, "psychologist");
        assert_eq!(
            psychologist.get(&path).status,
            403,
            "{backend}: not assigned"
        );
        let trainee = signed_in(&server, "trainee");
        assert_eq!(trainee.get(&path).status, 403, "{backend}: no case access");
        assert!(
            !server.log().contains(SAFETY_PLAN),
            "{backend}: free text stays out of the log"
        );
    });
}
