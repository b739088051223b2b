//! NRM deadlines on the home page and the service lines each profession
//! records, over HTTP on both backends.
//!
//! Demo accounts: `caseworker` is assigned to the demo cases, `coordinator`
//! coordinates their organisation, `psychologist` belongs to the same
//! organisation and is assigned here to one case only. All data is the
//! demo's fictional data.

mod common;

use chrono::{Days, Months, NaiveDate, Utc};
use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use diesel::prelude::*;
use procap_store::schema::case_assignments;
use procap_store::users;
use serde_json::{Value, json};

fn token(server: &TestServer, username: &str) -> String {
    let output = server.cli(&["token", "create", "--user", username]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Lists the caseworker's fictional demo cases as `(id, code)`.
fn demo_cases(server: &TestServer) -> Vec<(String, String)> {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token(server, "caseworker"))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().unwrap();
    body["items"]
        .as_array()
        .expect("items in the answer")
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                item["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// Assigns a demo account to a case directly in the database.
fn assign(server: &TestServer, case_id: &str, username: &str) {
    let case_id = case_id.to_owned();
    let username = username.to_owned();
    server
        .database
        .store()
        .run_blocking(move |db| {
            let user = users::find_by_username(db, &username)?.expect("demo account");
            diesel::insert_into(case_assignments::table)
                .values((
                    case_assignments::case_id.eq(&case_id),
                    case_assignments::user_id.eq(&user.id),
                    case_assignments::assigned_at.eq(Utc::now().naive_utc()),
                ))
                .execute(db.conn)?;
            Ok(())
        })
        .unwrap();
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn today() -> NaiveDate {
    common::athens_today()
}

fn version_field(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("version field") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// Moves a case on the NRM page and checks that the move was stored.
fn nrm_move(browser: &Browser, case_id: &str, fields: &[(&str, &str)]) {
    let path = format!("/cases/{case_id}/nrm");
    let version = version_field(&browser.get(&path).body);
    let mut form = vec![("version", version.as_str())];
    form.extend_from_slice(fields);
    let page = browser.post(&path, &form);
    assert_eq!(page.status, 200, "NRM move refused: {fields:?}");
}

/// The NRM deadline section of the home page.
fn deadline_section(browser: &Browser) -> String {
    let page = browser.get("/");
    assert_eq!(page.status, 200);
    let start = page
        .body
        .find("id=\"nrm-deadlines-title\"")
        .expect("NRM deadline section on the home page");
    let rest = &page.body[start..];
    rest[..rest.find("</section>").unwrap()].to_owned()
}

/// The `data-kind` values of the rows of `code` in a deadline section.
fn kinds_of(section: &str, code: &str) -> Vec<String> {
    section
        .split("<tr class=\"nrm-deadline-item\"")
        .skip(1)
        .filter(|row| row.contains(&format!(">{code}<")))
        .map(|row| {
            let start = row.find("data-kind=\"").unwrap() + "data-kind=\"".len();
            row[start..].split('"').next().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn nrm_deadlines_reach_the_home_page_of_who_may_see_them() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let cases = demo_cases(&server);
        assert!(cases.len() >= 2, "{backend}: two demo cases needed");
        let (soon_id, soon_code) = cases[0].clone();
        let (far_id, far_code) = cases[1].clone();
        let caseworker = signed_in(&server, "caseworker");
        let today = today();

        // Soon: a permit expiring in 10 days and a reflection period that
        // started three months less 12 days ago.
        let permit_soon = day(today + Days::new(10));
        nrm_move(
            &caseworker,
            &soon_id,
            &[
                ("status", "referred"),
                ("occurred_on", &day(today)),
                ("residence_permit_expires_on", &permit_soon),
            ],
        );
        let reflection_start = day(today - Months::new(3) + Days::new(12));
        nrm_move(
            &caseworker,
            &soon_id,
            &[
                ("status", "presumed_victim"),
                ("occurred_on", &day(today)),
                ("reflection_start", &reflection_start),
            ],
        );
        // Far: a permit expiring in 90 days.
        nrm_move(
            &caseworker,
            &far_id,
            &[
                ("status", "referred"),
                ("occurred_on", &day(today)),
                ("residence_permit_expires_on", &day(today + Days::new(90))),
            ],
        );
        assign(&server, &far_id, "psychologist");

        let coordinator = signed_in(&server, "coordinator");
        for (username, browser) in [("caseworker", &caseworker), ("coordinator", &coordinator)] {
            let section = deadline_section(browser);
            // Earliest first: the permit ends before the reflection period.
            assert_eq!(
                kinds_of(&section, &soon_code),
                ["residence_permit", "reflection_period"],
                "{backend}: {username} misses the deadlines of {soon_code}"
            );
            assert!(
                section.contains(&format!("/cases/{soon_id}/nrm")),
                "{backend}: {username} has no link to the NRM page"
            );
            assert!(
                !section.contains(&far_code),
                "{backend}: {username} sees a permit 90 days away"
            );
        }

        let psychologist = signed_in(&server, "psychologist");
        let section = deadline_section(&psychologist);
        assert!(
            !section.contains(&soon_code),
            "{backend}: an unassigned psychologist sees {soon_code}"
        );
        assert!(
            !section.contains(&far_code),
            "{backend}: psychologist sees a permit 90 days away"
        );
        assert!(
            section.contains("Καμία περίοδος περίσκεψης"),
            "{backend}: empty section without its message"
        );
    });
}

#[test]
fn psychologist_records_only_psychosocial_support() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_cases(&server).remove(0);
        assign(&server, &case_id, "psychologist");
        let psychologist = signed_in(&server, "psychologist");
        let new_path = format!("/cases/{case_id}/services/new");

        // The form offers only psychosocial support.
        let choices = psychologist.get(&new_path);
        assert_eq!(choices.status, 200, "{backend}");
        assert!(
            choices.body.contains("line=psychosocial"),
            "{backend}: psychosocial not offered"
        );
        assert!(
            !choices.body.contains("line=legal"),
            "{backend}: legal assistance offered to a psychologist"
        );

        let refused = psychologist.get(&format!("{new_path}?line=legal"));
        assert_eq!(refused.status, 403, "{backend}: legal form opened");
        assert!(
            refused
                .body
                .contains("Η υπηρεσία δεν επιτρέπεται για τον ρόλο σας"),
            "{backend}: refusal does not say why"
        );
        let date = day(today());
        let posted = psychologist.post(
            &format!("{new_path}?line=legal"),
            &[
                ("line", "legal"),
                ("occurred_on", &date),
                ("duration_minutes", "30"),
                ("beneficiary_present", "yes"),
                ("legal_kind", "representation"),
                ("court", "criminal_first_instance"),
                ("case_number", "ΔΟΚ-1/2026"),
                ("hearing_outcome", "adjourned"),
            ],
        );
        assert_eq!(posted.status, 403, "{backend}: legal assistance recorded");
        assert!(
            posted.body.contains("ψυχοκοινωνική υποστήριξη"),
            "{backend}"
        );

        let recorded = psychologist.post(
            &format!("{new_path}?line=psychosocial"),
            &[
                ("line", "psychosocial"),
                ("occurred_on", &date),
                ("duration_minutes", "50"),
                ("beneficiary_present", "yes"),
                ("outcome", "completed"),
                ("format", "individual"),
                ("modality", "in_person"),
                ("sessions", "1"),
            ],
        );
        assert_eq!(recorded.status, 200, "{backend}: {}", recorded.body);

        // The API applies the same rule.
        let client = reqwest::blocking::Client::new();
        let bearer = token(&server, "psychologist");
        let path = format!("{}/api/v1/cases/{case_id}/services", server.base);
        let legal = client
            .post(&path)
            .bearer_auth(&bearer)
            .json(&json!({
                "line": "legal",
                "occurred_on": date,
                "duration_minutes": 30,
                "beneficiary_present": true,
                "legal_kind": "representation",
                "court": "criminal_first_instance",
                "hearing_outcome": "adjourned",
            }))
            .send()
            .unwrap();
        assert_eq!(legal.status(), 403, "{backend}: legal accepted by the API");
        let body: Value = legal.json().unwrap();
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|message| message.contains("ψυχοκοινωνική")),
            "{backend}: {body}"
        );
        let psychosocial = client
            .post(&path)
            .bearer_auth(&bearer)
            .json(&json!({
                "line": "psychosocial",
                "occurred_on": date,
                "duration_minutes": 50,
                "beneficiary_present": true,
                "format": "group",
                "modality": "video",
                "sessions": 2,
            }))
            .send()
            .unwrap();
        assert_eq!(psychosocial.status(), 201, "{backend}");

        let listed = client.get(&path).bearer_auth(&bearer).send().unwrap();
        let listed: Value = listed.json().unwrap();
        let lines: Vec<&str> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|item| item["line"].as_str())
            .collect();
        assert!(
            lines.iter().filter(|line| **line == "psychosocial").count() >= 2,
            "{backend}: {lines:?}"
        );
        assert!(!lines.contains(&"legal"), "{backend}: {lines:?}");
    });
}
