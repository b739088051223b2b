//! Follow-up after closure, sealed cases and break-glass access, tested
//! through the real server on both backends.
//!
//! The tests cover contacts scheduled at closure
//! with the default and with custom months, a due contact on the assigned
//! caseworker's home page, recording outcomes, reopening that keeps the
//! history; a sealed case hidden from the list and the API of staff not
//! named on it; break-glass refused without a reason, granted with one,
//! the coordinator notified; interpreters and other organisations refused.
//! The expiry after one hour is tested in the store with a fixed clock.

mod common;

use chrono::{Months, NaiveDate};
use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};

fn token(server: &TestServer, user: &str) -> String {
    let output = server.cli(&["token", "create", "--user", user]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn api_get(server: &TestServer, token: &str, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}{path}", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap_or(serde_json::Value::Null))
}

/// A fictional demo case of the caseworker.
struct DemoCase {
    id: String,
    code: String,
    opened_on: NaiveDate,
}

/// Loads the caseworker's fictional demo cases, oldest first.
fn demo_cases(server: &TestServer) -> Vec<DemoCase> {
    let (status, body) = api_get(
        server,
        &token(server, "caseworker"),
        "/api/v1/cases?origin=procap",
    );
    assert_eq!(status, 200);
    let mut cases: Vec<DemoCase> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| DemoCase {
            id: item["id"].as_str().unwrap().to_owned(),
            code: item["code"].as_str().unwrap().to_owned(),
            opened_on: item["opened_on"].as_str().unwrap().parse().unwrap(),
        })
        .collect();
    cases.sort_by_key(|case| case.opened_on);
    assert!(cases.len() >= 2, "the demo has fewer than two cases");
    cases
}

fn api_codes(server: &TestServer, token: &str) -> Vec<String> {
    let (status, body) = api_get(server, token, "/api/v1/cases?origin=procap&limit=500");
    assert_eq!(status, 200);
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["code"].as_str().unwrap().to_owned())
        .collect()
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// Adds a user with `procap user add` and signs them in, changing the
/// one-time password as the first login requires.
fn added_user(server: &TestServer, username: &str, role: &str, organisation: &str) -> Browser {
    let output = server.cli(&[
        "user",
        "add",
        username,
        "--role",
        role,
        "--organisation",
        organisation,
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let password = stdout
        .lines()
        .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
        .expect("one-time password printed");
    let browser = server.browser();
    browser.login(username, &password);
    let new_password = "φανταστικός-κωδικός-δοκιμής-77";
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

fn today() -> NaiveDate {
    common::athens_today()
}

fn ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn shown(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn version_field(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("version field") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// Returns the part of the home page between the follow-up heading and
/// the next section.
fn followup_section(body: &str) -> String {
    let Some(start) = body.find("id=\"followups-due-title\"") else {
        return String::new();
    };
    let rest = &body[start..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    rest[..end].to_owned()
}

fn close(browser: &Browser, case: &DemoCase, closed_on: NaiveDate, months: &str) -> common::Page {
    let form = browser.get(&format!("/cases/{}/close", case.id));
    assert_eq!(form.status, 200);
    let version = version_field(&form.body);
    browser.post(
        &format!("/cases/{}/close", case.id),
        &[
            ("closure_reason", "assistance_completed"),
            ("closed_on", &ymd(closed_on)),
            ("followup_months", months),
            ("version", &version),
            ("confirmed", "yes"),
        ],
    )
}

/// Returns the record links of a follow-up page, in order.
fn record_links(body: &str, case_id: &str) -> Vec<String> {
    let prefix = format!("href=\"/cases/{case_id}/followups/");
    body.match_indices(&prefix)
        .map(|(at, _)| {
            let start = at + "href=\"".len();
            body[start..].split('"').next().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn followups_are_scheduled_shown_when_due_and_recorded() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let cases = demo_cases(&server);
        let (older, newer) = (&cases[0], &cases[1]);
        let caseworker = signed_in(&server, "caseworker");
        let today = today();

        // The closure form offers the default months.
        let form = caseworker.get(&format!("/cases/{}/close", newer.id));
        assert!(
            form.body.contains("value=\"3, 6, 12\""),
            "{backend}: default months missing"
        );

        // Bad months: 422, the typed value kept, nothing closed.
        let version = version_field(&form.body);
        let bad = caseworker.post(
            &format!("/cases/{}/close", newer.id),
            &[
                ("closure_reason", "assistance_completed"),
                ("closed_on", &ymd(today)),
                ("followup_months", "3, έξι"),
                ("version", &version),
                ("confirmed", "yes"),
            ],
        );
        assert_eq!(bad.status, 422, "{backend}");
        assert!(
            bad.body.contains("value=\"3, έξι\""),
            "{backend}: value lost"
        );
        assert!(bad.body.contains("Γράψτε ακέραιους μήνες"), "{backend}");

        // Default months, closed today: three contacts, none due yet.
        let closed = close(&caseworker, newer, today, "3, 6, 12");
        assert_eq!(closed.status, 200, "{backend}: {}", closed.body);
        let list = caseworker.get(&format!("/cases/{}/followups", newer.id));
        assert_eq!(list.status, 200, "{backend}");
        assert_eq!(
            list.body.matches("class=\"followup-row").count(),
            3,
            "{backend}"
        );
        for months in [3, 6, 12] {
            let due = today.checked_add_months(Months::new(months)).unwrap();
            assert!(
                list.body.contains(&shown(due)),
                "{backend}: {months} months"
            );
        }
        assert!(
            !list.body.contains("followup-due\""),
            "{backend}: due too early"
        );

        // Custom months on the older case, closed on its opening day:
        // one month later is already past, so it is due (overdue).
        let closed_on = older.opened_on;
        let closed = close(&caseworker, older, closed_on, "1; 24");
        assert_eq!(closed.status, 200, "{backend}: {}", closed.body);
        let list = caseworker.get(&format!("/cases/{}/followups", older.id));
        assert_eq!(
            list.body.matches("class=\"followup-row").count(),
            2,
            "{backend}"
        );
        let one_month = closed_on.checked_add_months(Months::new(1)).unwrap();
        assert!(list.body.contains(&shown(one_month)), "{backend}");
        assert!(list.body.contains("followup-row followup-due"), "{backend}");

        // The due contact reaches the assigned caseworker's home page only.
        let home = caseworker.get("/");
        let section = followup_section(&home.body);
        assert!(
            section.contains(&older.code),
            "{backend}: due contact missing"
        );
        assert!(
            !section.contains(&newer.code),
            "{backend}: not-yet-due listed"
        );
        let psychologist = signed_in(&server, "psychologist");
        let other_home = followup_section(&psychologist.get("/").body);
        assert!(
            !other_home.contains(&older.code),
            "{backend}: unassigned user sees it"
        );

        // Recording: an incomplete form keeps what was typed.
        let links = record_links(&list.body, &older.id);
        assert_eq!(links.len(), 2, "{backend}");
        let note = "Φανταστική σημείωση παρακολούθησης-ΜΥΣΤΙΚΟ";
        let incomplete =
            caseworker.post(&links[0], &[("contacted_on", &ymd(today)), ("note", note)]);
        assert_eq!(incomplete.status, 422, "{backend}");
        assert!(incomplete.body.contains(note), "{backend}: note lost");
        let before_closure = caseworker.post(
            &links[0],
            &[
                ("contacted_on", &ymd(closed_on - chrono::Duration::days(1))),
                ("contact_made", "yes"),
            ],
        );
        assert_eq!(before_closure.status, 422, "{backend}");

        let saved = caseworker.post(
            &links[0],
            &[
                ("contacted_on", &ymd(today)),
                ("contact_made", "yes"),
                ("outcomes", "employed"),
                ("outcomes", "safe_accommodation"),
                ("note", note),
            ],
        );
        assert_eq!(saved.status, 200, "{backend}");
        assert!(
            saved.url.ends_with("/followups"),
            "{backend}: {}",
            saved.url
        );
        assert!(saved.body.contains("Καταγεγραμμένη"), "{backend}");
        assert!(saved.body.contains("Εργάζεται"), "{backend}");
        assert!(saved.body.contains("Ασφαλής στέγαση"), "{backend}");
        assert!(saved.body.contains(note), "{backend}");
        assert_eq!(record_links(&saved.body, &older.id).len(), 1, "{backend}");
        let home = followup_section(&caseworker.get("/").body);
        assert!(
            !home.contains(&older.code),
            "{backend}: recorded contact still due"
        );

        // Reopening keeps the recorded contact and cancels the other.
        let page = caseworker.get(&format!("/cases/{}/close", older.id));
        let reopened = caseworker.post(
            &format!("/cases/{}/reopen", older.id),
            &[
                ("reason", "Νέο αίτημα υποστήριξης (φανταστικό)"),
                ("version", &version_field(&page.body)),
            ],
        );
        assert_eq!(reopened.status, 200, "{backend}");
        let list = caseworker.get(&format!("/cases/{}/followups", older.id));
        assert!(
            list.body.contains(note),
            "{backend}: history lost on reopening"
        );
        assert!(list.body.contains("Ακυρώθηκε"), "{backend}");
        assert!(record_links(&list.body, &older.id).is_empty(), "{backend}");

        assert!(
            !server.log().contains("ΜΥΣΤΙΚΟ"),
            "{backend}: note in the log"
        );
    });
}

#[test]
fn sealed_case_and_break_glass_reason() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case = demo_cases(&server).remove(0);
        let case_path = format!("/cases/{}", case.id);
        let caseworker_token = token(&server, "caseworker");
        let coordinator_token = token(&server, "coordinator");
        let (_, detail) = api_get(
            &server,
            &caseworker_token,
            &format!("/api/v1/cases/{}", case.id),
        );
        let given_name = detail["person"]["given_name"].as_str().unwrap().to_owned();

        let colleague = added_user(&server, "cw2", "caseworker", "KA");
        let colleague_token = token(&server, "cw2");
        assert!(api_codes(&server, &coordinator_token).contains(&case.code));

        // Only coordinators seal, with a reason.
        let caseworker = signed_in(&server, "caseworker");
        assert_eq!(
            caseworker.get(&format!("{case_path}/seal")).status,
            403,
            "{backend}"
        );
        let coordinator = signed_in(&server, "coordinator");
        let form = coordinator.get(&format!("{case_path}/seal"));
        assert_eq!(form.status, 200, "{backend}");
        let refused = coordinator.post(
            &format!("{case_path}/seal"),
            &[("sealed", "yes"), ("reason", "  ")],
        );
        assert_eq!(refused.status, 422, "{backend}");
        let sealed = coordinator.post(
            &format!("{case_path}/seal"),
            &[
                ("sealed", "yes"),
                ("reason", "Αίτημα προστασίας (φανταστικό)"),
            ],
        );
        assert_eq!(sealed.status, 200, "{backend}");

        // The named caseworker still sees it, with the banner.
        assert!(
            api_codes(&server, &caseworker_token).contains(&case.code),
            "{backend}"
        );
        assert!(
            caseworker.get("/cases").body.contains(&case.code),
            "{backend}"
        );
        let page = caseworker.get(&case_path);
        assert_eq!(page.status, 200, "{backend}");
        assert!(
            page.body.contains("case-sealed-banner"),
            "{backend}: no banner"
        );

        // Unnamed staff do not see it in lists, search or the API.
        assert!(
            !api_codes(&server, &coordinator_token).contains(&case.code),
            "{backend}"
        );
        assert!(
            !api_codes(&server, &colleague_token).contains(&case.code),
            "{backend}"
        );
        let search = coordinator.get(&format!("/cases?code={}", case.code));
        assert!(
            !search.body.contains(&format!("href=\"{case_path}\"")),
            "{backend}"
        );
        assert!(
            !colleague.get("/cases").body.contains(&case.code),
            "{backend}"
        );
        let (status, _) = api_get(
            &server,
            &colleague_token,
            &format!("/api/v1/cases/{}", case.id),
        );
        assert_eq!(status, 404, "{backend}");

        // Opening it shows the break-glass page, not the case.
        let page = colleague.get(&case_path);
        assert_eq!(page.status, 403, "{backend}");
        assert!(
            page.body
                .contains(&format!("action=\"{case_path}/break-glass\"")),
            "{backend}"
        );
        assert!(page.body.contains("σφραγισμένο"), "{backend}");
        assert!(!page.body.contains(&given_name), "{backend}: person shown");

        // Without a reason, or with too short a one: refused, text kept.
        let empty = colleague.post(&format!("{case_path}/break-glass"), &[("reason", "")]);
        assert_eq!(empty.status, 422, "{backend}");
        let short = colleague.post(
            &format!("{case_path}/break-glass"),
            &[("reason", "Χρειάζεται")],
        );
        assert_eq!(short.status, 422, "{backend}");
        assert!(short.body.contains("Χρειάζεται"), "{backend}: reason lost");
        assert!(!short.body.contains(&given_name), "{backend}");
        assert_eq!(colleague.get(&case_path).status, 403, "{backend}");

        // With a reason: the case opens, sub-pages and the API too.
        let granted = colleague.post(
            &format!("{case_path}/break-glass"),
            &[(
                "reason",
                "Η συνάδελφος απουσιάζει και υπάρχει επείγον αίτημα",
            )],
        );
        assert_eq!(granted.status, 200, "{backend}");
        assert!(
            granted.body.contains(&given_name),
            "{backend}: case not opened"
        );
        assert_eq!(
            colleague.get(&format!("{case_path}/services")).status,
            200,
            "{backend}"
        );
        let (status, _) = api_get(
            &server,
            &colleague_token,
            &format!("/api/v1/cases/{}", case.id),
        );
        assert_eq!(status, 200, "{backend}");
        assert!(
            !colleague.get("/cases").body.contains(&case.code),
            "{backend}: listed"
        );

        // The coordinator is notified until acknowledging.
        let home = coordinator.get("/");
        assert!(
            home.body.contains("notification-item"),
            "{backend}: no notification"
        );
        assert!(home.body.contains("cw2"), "{backend}");
        assert!(home.body.contains(&case.code), "{backend}");
        let marker = "action=\"/notifications/";
        let start = home.body.find(marker).expect("acknowledge form") + "action=\"".len();
        let acknowledge = home.body[start..].split('"').next().unwrap().to_owned();
        assert_eq!(
            caseworker.post(&acknowledge, &[]).status,
            404,
            "{backend}: not theirs"
        );
        let done = coordinator.post(&acknowledge, &[]);
        assert_eq!(done.status, 200, "{backend}");
        assert!(
            !done.body.contains("notification-item"),
            "{backend}: still shown"
        );

        // The coordinator, not named either, breaks the glass and unseals.
        assert_eq!(coordinator.get(&case_path).status, 403, "{backend}");
        let granted = coordinator.post(
            &format!("{case_path}/break-glass"),
            &[("reason", "Έλεγχος για άρση της σφράγισης μετά από αίτημα")],
        );
        assert_eq!(granted.status, 200, "{backend}");
        let unsealed = coordinator.post(
            &format!("{case_path}/seal"),
            &[("sealed", "no"), ("reason", "Έληξε ο λόγος (φανταστικό)")],
        );
        assert_eq!(unsealed.status, 200, "{backend}");
        assert!(!unsealed.body.contains("case-sealed-banner"), "{backend}");
        assert!(
            api_codes(&server, &coordinator_token).contains(&case.code),
            "{backend}"
        );

        let audit = coordinator.get("/audit");
        for action in ["case.seal", "case.unseal", "case.break_glass"] {
            assert!(
                audit.body.contains(action),
                "{backend}: {action} not audited"
            );
        }
        assert!(
            !server.log().contains("επείγον αίτημα"),
            "{backend}: reason logged"
        );
    });
}

#[test]
fn break_glass_rejected_for_others() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case = demo_cases(&server).remove(0);
        let case_path = format!("/cases/{}", case.id);
        let reason = [("reason", "Θέλω να δω το περιστατικό για δοκιμή πρόσβασης")];

        // The psychologist (a case role, not assigned) is offered it.
        let psychologist = signed_in(&server, "psychologist");
        let page = psychologist.get(&case_path);
        assert_eq!(page.status, 403, "{backend}");
        assert!(page.body.contains("break-glass"), "{backend}");

        for username in ["interpreter", "escort", "trainee", "monitoring", "admin"] {
            let browser = signed_in(&server, username);
            let page = browser.get(&case_path);
            assert!(
                matches!(page.status, 403 | 404),
                "{backend}: {username} got {}",
                page.status
            );
            assert!(
                !page.body.contains("name=\"reason\""),
                "{backend}: {username} offered"
            );
            let post = browser.post(&format!("{case_path}/break-glass"), &reason);
            assert_eq!(post.status, 403, "{backend}: {username} granted");
            assert_eq!(
                browser.get(&case_path).status,
                page.status,
                "{backend}: {username}"
            );
        }

        // Another organisation's caseworker: 404, the id is not confirmed.
        let outsider = added_user(&server, "cw_eka", "caseworker", "EKA");
        let page = outsider.get(&case_path);
        assert_eq!(page.status, 404, "{backend}");
        assert!(!page.body.contains(&case.code), "{backend}: code revealed");
        let post = outsider.post(&format!("{case_path}/break-glass"), &reason);
        assert_eq!(post.status, 404, "{backend}");
        assert_eq!(outsider.get(&case_path).status, 404, "{backend}");
        let unknown = outsider.get("/cases/00000000-0000-0000-0000-000000000000/break-glass");
        assert_eq!(unknown.status, 404, "{backend}");
    });
}
