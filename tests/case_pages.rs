//! The case pages over real HTTP, on SQLite and PostgreSQL: registration
//! with its checks (dates, duplicates, double submission), the scoped list
//! and case page, refusal for roles without case access, and that the
//! person's name never reaches the server log.
//!
//! Demo accounts: `coordinator`, `caseworker`, `psychologist` and `lawyer`
//! belong to the organisation `KA`; `trainee` to `KKP`; `monitoring` to
//! `EKA`. All names below are invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend};

const GIVEN_NAME: &str = "Ομοτόλα";
const FAMILY_NAME: &str = "Δοκιμαστική";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(
        page.status,
        200,
        "{}: {username} could not sign in",
        server.backend()
    );
    browser
}

/// Opens the registration form and returns its one-time token.
fn form_token(browser: &Browser) -> String {
    let page = browser.get("/cases/new");
    assert_eq!(page.status, 200, "{}", page.body);
    let marker = "name=\"form_token\" value=\"";
    let start = page.body.find(marker).expect("form token in the form") + marker.len();
    page.body[start..].split('"').next().unwrap().to_owned()
}

/// The fields of a valid registration; `overrides` replace fields by name.
fn registration<'a>(token: &'a str, overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("form_token", token),
        ("referral_source", "police"),
        ("referred_on", "2026-02-10"),
        ("referring_contact", "Τμήμα Αντιμετώπισης Εμπορίας Ανθρώπων"),
        ("given_name", GIVEN_NAME),
        ("family_name", FAMILY_NAME),
        ("birth_date", "1998-07-21"),
        ("sex", "female"),
        ("citizenships", "NG"),
        ("languages", "en; yo"),
        ("legal_status", "asylum_seeker"),
        ("vulnerabilities", "pregnancy"),
        ("region", "attica"),
        ("setting", "urban_area"),
        ("exploitation_types", "sexual_exploitation"),
        ("exploitation_types", "forced_labour"),
        ("means_of_control", "debt_bondage"),
        ("countries_exploitation", "GR; IT"),
    ];
    for (name, value) in overrides {
        fields.retain(|(field, _)| field != name);
        fields.push((name, value));
    }
    fields
}

fn case_code(body: &str, year: &str) -> String {
    let prefix = format!("KA-{year}-");
    let start = body.find(&prefix).expect("case code on the page");
    body[start..start + prefix.len() + 5].to_owned()
}

fn api_total(server: &TestServer, token: &str, query: &str) -> i64 {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?{query}", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{}", server.backend());
    let json: serde_json::Value = response.json().unwrap();
    json["total"].as_i64().expect("total in the answer")
}

/// The code the next registration of `KA` in `year` receives: the demo
/// seeds a few cases of its own, so the sequence does not start at 1.
fn next_code(server: &TestServer, token: &str, year: &str) -> String {
    let response = reqwest::blocking::Client::new()
        .get(format!(
            "{}/api/v1/cases?origin=procap&limit=500",
            server.base
        ))
        .bearer_auth(token)
        .send()
        .unwrap();
    let json: serde_json::Value = response.json().unwrap();
    let prefix = format!("KA-{year}-");
    let last = json["items"]
        .as_array()
        .expect("items in the answer")
        .iter()
        .filter_map(|item| {
            item["code"]
                .as_str()?
                .strip_prefix(&prefix)?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    format!("{prefix}{:05}", last + 1)
}

fn api_token(server: &TestServer, username: &str) -> String {
    let output = server.cli(&["token", "create", "--user", username]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The year of today's date in Athens, which the case code carries.
fn this_year() -> String {
    let athens_offset = chrono::Duration::hours(2);
    chrono::Datelike::year(&(chrono::Utc::now().naive_utc() + athens_offset)).to_string()
}

fn register(browser: &Browser, overrides: &[(&str, &str)]) -> Page {
    let token = form_token(browser);
    browser.post("/cases/new", &registration(&token, overrides))
}

#[test]
fn registered_case_is_seen_only_in_scope() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let year = this_year();
        let coordinator_token = api_token(&server, "coordinator");
        let procap_before = api_total(&server, &coordinator_token, "origin=procap");
        let all_before = api_total(&server, &coordinator_token, "");
        let expected_code = next_code(&server, &coordinator_token, &year);

        let caseworker = signed_in(&server, "caseworker");
        let created = register(&caseworker, &[]);
        assert_eq!(created.status, 200, "{backend}: {}", created.body);
        assert!(
            created.url.contains("/cases/"),
            "{backend}: not redirected to the case: {}",
            created.url
        );
        assert!(
            !created.url.ends_with("/cases/new"),
            "{backend}: {}",
            created.url
        );
        assert!(
            created.body.contains(GIVEN_NAME),
            "{backend}: name missing on the case page"
        );
        assert!(created.body.contains(FAMILY_NAME));
        let code = case_code(&created.body, &year);
        assert_eq!(code, expected_code, "{backend}");
        assert!(
            created.body.contains("Στοιχεία ατόμου"),
            "{backend}: case page not in Greek"
        );
        let case_path = created.url[created.url.find("/cases/").unwrap()..].to_owned();

        let list = caseworker.get("/cases");
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains(&code),
            "{backend}: own case missing from the list"
        );
        assert!(list.body.contains(&format!("href=\"{case_path}\"")));
        assert!(
            !list.body.contains(GIVEN_NAME),
            "{backend}: the list shows the name"
        );

        let psychologist = signed_in(&server, "psychologist");
        let list = psychologist.get("/cases");
        assert_eq!(list.status, 200, "{backend}");
        assert!(
            !list.body.contains(&code),
            "{backend}: unassigned case listed"
        );
        // An unassigned colleague of the same organisation gets the
        // break-glass page (403), which shows nothing of the person.
        let page = psychologist.get(&case_path);
        assert_eq!(
            page.status, 403,
            "{backend}: unassigned case page not refused"
        );
        assert!(!page.body.contains(GIVEN_NAME));

        let coordinator = signed_in(&server, "coordinator");
        let list = coordinator.get(&format!("/cases?code={}", code.to_lowercase()));
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains(&code),
            "{backend}: coordinator does not see the case"
        );
        let page = coordinator.get(&case_path);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains(GIVEN_NAME));

        for username in ["trainee", "monitoring"] {
            let browser = signed_in(&server, username);
            assert_eq!(
                browser.get("/cases").status,
                403,
                "{backend}: {username} reached the cases"
            );
            assert_eq!(browser.get(&case_path).status, 403, "{backend}: {username}");
        }

        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            procap_before + 1,
            "{backend}"
        );
        assert_eq!(
            api_total(&server, &coordinator_token, ""),
            all_before + 1,
            "{backend}"
        );

        let log = server.log();
        assert!(
            !log.contains(GIVEN_NAME),
            "{backend}: the name reached the server log"
        );
        assert!(
            !log.contains(FAMILY_NAME),
            "{backend}: the name reached the server log"
        );
    });
}

#[test]
fn duplicates_dates_and_double_submission() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let year = this_year();
        let coordinator_token = api_token(&server, "coordinator");
        let before = api_total(&server, &coordinator_token, "origin=procap");
        let caseworker = signed_in(&server, "caseworker");

        let invalid = register(
            &caseworker,
            &[("birth_date", "2026-03-01"), ("given_name", "Αϊσέ")],
        );
        assert_eq!(
            invalid.status, 422,
            "{backend}: birth after referral accepted"
        );
        assert!(
            invalid
                .body
                .contains("Η ημερομηνία γέννησης είναι μεταγενέστερη της ημερομηνίας παραπομπής"),
            "{backend}: Greek date error missing"
        );
        assert!(
            invalid.body.contains("value=\"Αϊσέ\""),
            "{backend}: typed name lost"
        );
        assert!(
            invalid.body.contains("value=\"2026-03-01\""),
            "{backend}: typed date lost"
        );
        assert!(
            invalid.body.contains("value=\"forced_labour\" checked"),
            "{backend}: ticked box lost"
        );
        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            before
        );

        let first = register(&caseworker, &[]);
        assert_eq!(first.status, 200, "{backend}: {}", first.body);
        let first_code = case_code(&first.body, &year);
        let second_code = next_code(&server, &coordinator_token, &year);

        // The same name and birth date, with different spacing and case.
        let token = form_token(&caseworker);
        let spaced = format!("  {} ", GIVEN_NAME.to_uppercase());
        let fields = registration(&token, &[("given_name", spaced.as_str())]);
        let notice = caseworker.post("/cases/new", &fields);
        assert_eq!(notice.status, 200, "{backend}");
        assert!(
            notice.url.ends_with("/cases/new"),
            "{backend}: registered without the check"
        );
        assert!(
            notice.body.contains("Πιθανή διπλή καταχώριση"),
            "{backend}: no duplicate notice"
        );
        assert!(
            notice.body.contains(&first_code),
            "{backend}: own case code not shown"
        );
        assert!(notice.body.contains("name=\"duplicate_checked\""));
        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            before + 1,
            "{backend}"
        );

        // Sending it again without ticking the box still creates nothing.
        let mut unticked = fields.clone();
        unticked.push(("duplicate_seen", "yes"));
        let again = caseworker.post("/cases/new", &unticked);
        assert_eq!(again.status, 422, "{backend}");
        assert!(again.body.contains("Πιθανή διπλή καταχώριση"));
        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            before + 1,
            "{backend}"
        );

        let mut confirmed = unticked.clone();
        confirmed.push(("duplicate_checked", "yes"));
        let second = caseworker.post("/cases/new", &confirmed);
        assert_eq!(second.status, 200, "{backend}: {}", second.body);
        assert_eq!(case_code(&second.body, &year), second_code, "{backend}");
        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            before + 2,
            "{backend}"
        );

        // The same form sent twice creates one case and leads to it both times.
        let token = form_token(&caseworker);
        let fields = registration(&token, &[("given_name", "Γκρέις"), ("birth_date", "")]);
        let once = caseworker.post("/cases/new", &fields);
        let twice = caseworker.post("/cases/new", &fields);
        assert_eq!(once.status, 200, "{backend}: {}", once.body);
        assert_eq!(twice.status, 200, "{backend}");
        assert_eq!(
            once.url, twice.url,
            "{backend}: the second submission went elsewhere"
        );
        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            before + 3,
            "{backend}"
        );

        // A token the server never handed out is refused, values kept.
        let forged = registration("not-a-token", &[("given_name", "Λούσι")]);
        let refused = caseworker.post("/cases/new", &forged);
        assert_eq!(refused.status, 422, "{backend}");
        assert!(refused.body.contains("value=\"Λούσι\""));
        assert_eq!(
            api_total(&server, &coordinator_token, "origin=procap"),
            before + 3,
            "{backend}"
        );

        let log = server.log();
        for name in [GIVEN_NAME, FAMILY_NAME, "Αϊσέ", "Γκρέις", "Λούσι"] {
            assert!(
                !log.contains(name),
                "{backend}: {name} reached the server log"
            );
        }
    });
}
