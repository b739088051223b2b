//! The NRM case forms over real HTTP on SQLite and PostgreSQL: the referral
//! form and the protection services monitoring form are PDFs filled from
//! the record in the user's language, every download is audited without
//! its content, and the forms follow the case pages' access rules
//! (interpreters, trainees and another organisation's coordinator refused;
//! a sealed case only through break-glass). All data is invented.

mod common;

use chrono::NaiveDate;
use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use procap_store::{case_records, users};

const GIVEN_NAME: &str = "Ιφεόμα";
const FAMILY_NAME: &str = "Περιπατήτρια";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
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
    assert!(output.status.success(), "{stdout}");
    let password = stdout
        .lines()
        .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
        .expect("one-time password printed");
    let browser = server.browser();
    browser.login(username, &password);
    let new_password = "φανταστικός-κωδικός-δοκιμής-57";
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

fn store(server: &TestServer) -> procap_store::Store {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key"))
        .expect("the server's key file");
    procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .expect("open the server's database")
}

/// Registers a case as `caseworker` and returns its id.
fn register_case(caseworker: &Browser) -> String {
    let form = caseworker.get("/cases/new");
    let marker = "name=\"form_token\" value=\"";
    let start = form.body.find(marker).expect("form token") + marker.len();
    let token = form.body[start..].split('"').next().unwrap().to_owned();
    let page = caseworker.post(
        "/cases/new",
        &[
            ("form_token", token.as_str()),
            ("referral_source", "labour_inspectorate"),
            ("referred_on", "2026-02-03"),
            ("given_name", GIVEN_NAME),
            ("family_name", FAMILY_NAME),
            ("birth_date", "2000-10-09"),
            ("sex", "female"),
            ("citizenships", "NG"),
            ("languages", "en"),
            ("interpreter_gender", "female"),
            ("legal_status", "asylum_seeker"),
            ("region", "attica"),
            ("setting", "hosting_facility"),
            ("facility", "Δομή Φιλοξενίας Δοκιμών"),
            ("exploitation_types", "forced_labour"),
            ("means_of_control", "debt_bondage"),
            ("countries_exploitation", "GR"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let path = &page.url[page.url.find("/cases/").expect("case page")..];
    path.trim_start_matches("/cases/").to_owned()
}

/// Records an interpretation service and a referral to the NRM on the case.
fn add_history(server: &TestServer, case_id: &str) {
    let case_id = case_id.to_owned();
    store(server)
        .run_blocking(move |db| {
            let caseworker = users::find_by_username(db, "caseworker")?.expect("demo user");
            case_records::add_service_record(
                db,
                &case_records::NewServiceRecord {
                    case_id: &case_id,
                    line: "interpretation",
                    occurred_on: NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(),
                    duration_minutes: 95,
                    staff_user_id: &caseworker.id,
                    beneficiary_present: true,
                    details: &serde_json::json!({}),
                    outcome: None,
                    notes: None,
                },
            )?;
            Ok(())
        })
        .unwrap();
}

/// Downloads `path` and returns the status, the content type and the body.
fn download(browser: &Browser, path: &str) -> (u16, String, Vec<u8>) {
    let response = browser
        .client
        .get(format!("{}{path}", browser.base))
        .send()
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, content_type, response.bytes().unwrap().to_vec())
}

/// The text of every page with whitespace removed.
fn pdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF that parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document
        .extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The details of every audit entry with `action`.
fn audit_details(server: &TestServer, action: &str) -> Vec<String> {
    use diesel::prelude::*;
    use procap_store::schema::audit_log;
    let action = action.to_owned();
    store(server)
        .run_blocking(move |db| {
            Ok(audit_log::table
                .filter(audit_log::action.eq(action))
                .order(audit_log::seq)
                .select(audit_log::details)
                .load::<String>(db.conn)?)
        })
        .unwrap()
}

#[test]
fn forms_are_filled_from_the_record_and_audited() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");
        let case_id = register_case(&caseworker);
        add_history(&server, &case_id);
        let referral = format!("/cases/{case_id}/nrm/forms/referral");
        let monitoring = format!("/cases/{case_id}/nrm/forms/monitoring");

        let page = caseworker.get(&format!("/cases/{case_id}/nrm"));
        assert_eq!(page.status, 200, "{backend}");
        assert!(
            page.body.contains(&format!("href=\"{referral}\"")),
            "{backend}"
        );
        assert!(
            page.body.contains(&format!("href=\"{monitoring}\"")),
            "{backend}"
        );

        let (status, content_type, pdf) = download(&caseworker, &referral);
        assert_eq!(status, 200, "{backend}");
        assert_eq!(content_type, "application/pdf", "{backend}");
        let text = pdf_text(&pdf);
        for expected in [
            "Έντυποπαραπομπήςστον",
            GIVEN_NAME,
            FAMILY_NAME,
            "Επιθεώρηση",
            "Νιγηρία",
            "Δεν έχει καταχωριστεί αρχική αξιολόγηση",
            "όχιεπίσημοέντυποτουΕΜΑ",
        ] {
            assert!(
                text.contains(&squash(expected)),
                "{backend}: {expected} in {text}"
            );
        }

        let (status, _, pdf) = download(&caseworker, &monitoring);
        assert_eq!(status, 200, "{backend}");
        let text = pdf_text(&pdf);
        for expected in [
            "Έντυπο παρακολούθησης υπηρεσιών προστασίας",
            "Διερμηνεία",
            "1:35",
            "10/02/2026",
        ] {
            assert!(
                text.contains(&squash(expected)),
                "{backend}: {expected} in {text}"
            );
        }

        // In English for a user who chose English.
        caseworker.post("/locale", &[("locale", "en"), ("return_to", "/")]);
        let (status, _, pdf) = download(&caseworker, &monitoring);
        assert_eq!(status, 200, "{backend}");
        let text = pdf_text(&pdf);
        assert!(
            text.contains(&squash("Protection services monitoring form")),
            "{backend}: {text}"
        );
        assert!(text.contains("Interpretation"), "{backend}");

        let details = audit_details(&server, "case.nrm.form.download");
        assert_eq!(details.len(), 3, "{backend}: {details:?}");
        assert!(details[0].contains("referral"), "{backend}");
        assert!(details[2].contains("\"en\""), "{backend}");
        for entry in &details {
            assert!(!entry.contains(GIVEN_NAME), "{backend}: content audited");
        }
        assert!(!server.log().contains(GIVEN_NAME), "{backend}: name logged");

        assert_eq!(
            download(&caseworker, &format!("/cases/{case_id}/nrm/forms/other")).0,
            404,
            "{backend}"
        );
    });
}

#[test]
fn forms_follow_the_case_access_rules() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");
        let case_id = register_case(&caseworker);
        let referral = format!("/cases/{case_id}/nrm/forms/referral");

        for username in ["interpreter", "trainee", "monitoring"] {
            let browser = signed_in(&server, username);
            let (status, content_type, _) = download(&browser, &referral);
            assert_eq!(status, 403, "{backend}: {username}");
            assert_ne!(content_type, "application/pdf", "{backend}: {username}");
        }
        let other_coordinator = added_user(&server, "coord2", "coordinator", "EKA");
        assert_eq!(download(&other_coordinator, &referral).0, 404, "{backend}");

        // The coordinator seals the case; unassigned, they then need
        // break-glass for the form like for any case page.
        let coordinator = signed_in(&server, "coordinator");
        assert_eq!(download(&coordinator, &referral).0, 200, "{backend}");
        let sealed = coordinator.post(
            &format!("/cases/{case_id}/seal"),
            &[
                ("sealed", "yes"),
                ("reason", "Αίτημα προστασίας (φανταστικό)"),
            ],
        );
        assert_eq!(sealed.status, 200, "{backend}");
        let (status, content_type, body) = download(&coordinator, &referral);
        assert_eq!(status, 403, "{backend}");
        assert_ne!(content_type, "application/pdf", "{backend}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.contains("name=\"reason\""),
            "{backend}: break-glass page"
        );
        assert!(!body.contains(GIVEN_NAME), "{backend}: person shown");

        let granted = coordinator.post(
            &format!("/cases/{case_id}/break-glass"),
            &[(
                "reason",
                "Επείγουσα παραπομπή στον ΕΜΑ ενώ η υπεύθυνη απουσιάζει",
            )],
        );
        assert_eq!(granted.status, 200, "{backend}");
        assert_eq!(download(&coordinator, &referral).0, 200, "{backend}");
        assert_eq!(
            download(&caseworker, &referral).0,
            200,
            "{backend}: assigned"
        );

        let denied = audit_details(&server, "case.nrm.form");
        assert!(denied.len() >= 4, "{backend}: access checks audited");
    });
}
