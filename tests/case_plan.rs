//! The case plan over real HTTP, on SQLite and PostgreSQL: goals, the
//! approval by a coordinator (a caseworker gets 403), the overdue goal on
//! the caseworker's home page, refusal for an unassigned psychologist
//! (404), a review date before the goal was agreed (422), and a stale goal
//! edit (409 showing both versions, nothing lost).
//!
//! Demo accounts: `caseworker` is assigned to the fictional demo cases;
//! `coordinator` and `psychologist` belong to the same organisation.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend};

const GOAL: &str = "Κατάθεση αίτησης για άδεια διαμονής θύματος";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// The id and code of the first fictional demo case of the caseworker.
fn demo_case(server: &TestServer) -> (String, String) {
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
    let case = &body["items"][0];
    (
        case["id"].as_str().expect("a demo case").to_owned(),
        case["code"].as_str().expect("a case code").to_owned(),
    )
}

/// The value of the first input `name` in `body`.
fn input_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).expect("the input on the page") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// The selected option of the `<select>` with `id`.
fn selected_option(body: &str, id: &str) -> String {
    let select = &body[body.find(&format!("id=\"{id}\"")).expect("the select")..];
    let select = &select[..select.find("</select>").unwrap()];
    let option = select
        .split("<option value=\"")
        .find(|option| option.contains("\" selected"))
        .expect("a selected option");
    option.split('"').next().unwrap().to_owned()
}

fn plan_status(page: &Page) -> String {
    let marker = "data-status=\"";
    let start = page.body.find(marker).expect("a plan status") + marker.len();
    page.body[start..].split('"').next().unwrap().to_owned()
}

fn goal<'a>(
    responsible: &'a str,
    description: &'a str,
    agreed_on: &'a str,
    due_on: &'a str,
    next_review_on: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("support_type", "legal"),
        ("description", description),
        ("responsible", responsible),
        ("agreed_on", agreed_on),
        ("due_on", due_on),
        ("next_review_on", next_review_on),
    ]
}

#[test]
fn plan_is_approved_by_a_coordinator_and_overdue_goals_reach_the_home_page() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, case_code) = demo_case(&server);
        let path = format!("/cases/{case_id}/plan");
        let caseworker = signed_in(&server, "caseworker");

        let page = caseworker.get(&path);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let me = selected_option(&page.body, "responsible");

        let invalid = caseworker.post(
            &format!("{path}/goals"),
            &goal(&me, GOAL, "2025-03-01", "2025-06-01", "2025-02-01"),
        );
        assert_eq!(
            invalid.status, 422,
            "{backend}: review before the goal was agreed"
        );
        assert!(
            invalid.body.contains(GOAL),
            "{backend}: the typed goal is kept"
        );
        assert!(
            !caseworker
                .get("/")
                .body
                .contains(&format!("href=\"{path}\"")),
            "{backend}: nothing overdue before the goal exists"
        );

        let added = caseworker.post(
            &format!("{path}/goals"),
            &goal(&me, GOAL, "2025-01-10", "2025-02-01", ""),
        );
        assert_eq!(added.status, 200, "{backend}: {}", added.body);
        assert!(added.body.contains(GOAL), "{backend}");
        assert_eq!(plan_status(&added), "draft", "{backend}");

        let version = input_value(&added.body, "version");
        let submitted =
            caseworker.post(&format!("{path}/submit"), &[("version", version.as_str())]);
        assert_eq!(plan_status(&submitted), "submitted", "{backend}");
        let stale = version;
        let refused = caseworker.post(&format!("{path}/approve"), &[("version", stale.as_str())]);
        assert_eq!(
            refused.status, 403,
            "{backend}: a caseworker cannot approve"
        );
        let coordinator = signed_in(&server, "coordinator");
        let version = input_value(&coordinator.get(&path).body, "version");
        let approved =
            coordinator.post(&format!("{path}/approve"), &[("version", version.as_str())]);
        assert_eq!(approved.status, 200, "{backend}: {}", approved.body);
        assert_eq!(plan_status(&approved), "approved", "{backend}");

        let home = caseworker.get("/");
        let overdue = &home.body[home
            .body
            .find("id=\"overdue-title\"")
            .expect("overdue section")..];
        assert!(
            overdue.contains(&case_code),
            "{backend}: overdue goal listed"
        );
        assert!(overdue.contains(&format!("href=\"{path}\"")), "{backend}");
        let coordinator_home = coordinator.get("/");
        assert!(
            !coordinator_home.body.contains(&format!("href=\"{path}\"")),
            "{backend}: not the coordinator's goal"
        );

        let psychologist = signed_in(&server, "psychologist");
        assert_eq!(
            psychologist.get(&path).status,
            403,
            "{backend}: not assigned"
        );
        let trainee = signed_in(&server, "trainee");
        assert!(
            !trainee.get("/").body.contains("overdue-title"),
            "{backend}: no case access, no section"
        );
        assert!(
            !server.log().contains(GOAL),
            "{backend}: free text stays out of the log"
        );
    });
}

#[test]
fn stale_goal_edit_shows_both_versions_and_loses_nothing() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let path = format!("/cases/{case_id}/plan");
        let caseworker = signed_in(&server, "caseworker");
        let me = selected_option(&caseworker.get(&path).body, "responsible");
        let added = caseworker.post(
            &format!("{path}/goals"),
            &goal(&me, GOAL, "2026-01-10", "2026-12-01", ""),
        );
        assert_eq!(added.status, 200, "{backend}");
        let edit_marker = format!("{path}/goals/");
        let start = added.body.find(&edit_marker).expect("an edit link");
        let goal_path = added.body[start..].split('"').next().unwrap().to_owned();

        // Two people open the same goal.
        let first_form = caseworker.get(&goal_path);
        assert_eq!(first_form.status, 200, "{backend}");
        let version = input_value(&first_form.body, "version");
        let coordinator = signed_in(&server, "coordinator");
        assert_eq!(coordinator.get(&goal_path).status, 200, "{backend}");

        let mut first = goal(
            &me,
            "Πρώτη αλλαγή του στόχου",
            "2026-01-10",
            "2026-11-01",
            "",
        );
        first.push(("version", &version));
        let saved = coordinator.post(&goal_path, &first);
        assert_eq!(saved.status, 200, "{backend}: {}", saved.body);

        let mut second = goal(
            &me,
            "Δεύτερη αλλαγή του στόχου",
            "2026-01-10",
            "2026-10-01",
            "",
        );
        second.push(("version", &version));
        let stale = caseworker.post(&goal_path, &second);
        assert_eq!(stale.status, 409, "{backend}");
        assert!(stale.body.contains("id=\"goal-conflict\""), "{backend}");
        assert!(
            stale.body.contains("Πρώτη αλλαγή του στόχου"),
            "{backend}: current value shown"
        );
        assert!(
            stale.body.contains("Δεύτερη αλλαγή του στόχου"),
            "{backend}: typed value kept"
        );

        let plan = caseworker.get(&path);
        assert!(
            plan.body.contains("Πρώτη αλλαγή του στόχου"),
            "{backend}: the first edit stands"
        );
        assert!(
            !plan.body.contains("Δεύτερη αλλαγή του στόχου"),
            "{backend}"
        );

        // Saving again from the conflict page uses the version it showed.
        let newer = input_value(&stale.body, "version");
        let mut again = second.clone();
        again.retain(|(name, _)| *name != "version");
        again.push(("version", &newer));
        assert_eq!(caseworker.post(&goal_path, &again).status, 200, "{backend}");
        assert!(
            caseworker
                .get(&path)
                .body
                .contains("Δεύτερη αλλαγή του στόχου"),
            "{backend}"
        );
    });
}
