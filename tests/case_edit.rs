//! Editing a case over real HTTP, on SQLite and PostgreSQL: the form shows
//! the saved values, a save moves the version on, a stale form gets the
//! conflict page with both sets of values and nothing lost, bad input keeps
//! what was typed, only editors reach the form, and two copies of one
//! registration form sent at the same time create one case.
//!
//! Demo accounts: `coordinator`, `caseworker` and `psychologist` belong to
//! `KA`, `trainee` to `KKP`. All names and details are invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend};
use procap_store::audit::{self, AuditFilter};

const GIVEN_NAME: &str = "Φαλόνα";
const FAMILY_NAME: &str = "Επεξεργάσιμη";
const COORDINATOR_FACILITY: &str = "Δομή Φιλοξενίας Δοκιμών Βορρά";
const CASEWORKER_CONTACT: &str = "Τηλέφωνο μέσω της δομής, πρωινές ώρες";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

fn hidden_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("hidden field {name} on the page"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// The person and case fields of a valid form; `overrides` replace by name.
fn fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("given_name", GIVEN_NAME),
        ("family_name", FAMILY_NAME),
        ("birth_date", "1997-03-14"),
        ("sex", "female"),
        ("citizenships", "CM"),
        ("languages", "fr; en"),
        ("legal_status", "asylum_seeker"),
        ("region", "attica"),
        ("setting", "urban_area"),
        ("exploitation_types", "forced_labour"),
        ("forced_labour_industry", "agriculture"),
        ("countries_exploitation", "GR"),
    ];
    for (name, value) in overrides {
        fields.retain(|(field, _)| field != name);
        fields.push((name, value));
    }
    fields
}

fn register(browser: &Browser) -> String {
    let form = browser.get("/cases/new");
    let token = hidden_value(&form.body, "form_token");
    let mut form = fields(&[]);
    form.extend([
        ("form_token", token.as_str()),
        ("referral_source", "labour_inspectorate"),
        ("referred_on", "2026-01-20"),
    ]);
    let page = browser.post("/cases/new", &form);
    assert_eq!(page.status, 200, "{}", page.body);
    case_path(&page)
}

fn case_path(page: &Page) -> String {
    let path = &page.url[page.url.find("/cases/").expect("at a case page")..];
    assert!(!path.ends_with("/new"), "still on the form: {}", page.body);
    path.to_owned()
}

fn edit(browser: &Browser, path: &str, version: &str, overrides: &[(&str, &str)]) -> Page {
    let mut form = fields(overrides);
    form.push(("version", version));
    browser.post(&format!("{path}/edit"), &form)
}

fn audit_count(server: &TestServer, action: &str, outcome: &str) -> i64 {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key")).unwrap();
    let store = procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .unwrap();
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        outcome: Some(outcome.to_owned()),
        ..AuditFilter::default()
    };
    store
        .run_blocking(|db| audit::list(db, &filter, 0, 100))
        .unwrap()
        .1
}

#[test]
fn edit_saves_and_a_stale_form_shows_both_versions() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");
        let path = register(&caseworker);

        let form = caseworker.get(&format!("{path}/edit"));
        assert_eq!(form.status, 200, "{backend}: {}", form.body);
        assert!(
            form.body.contains(GIVEN_NAME),
            "{backend}: name not filled in"
        );
        assert!(form.body.contains("value=\"1997-03-14\""), "{backend}");
        assert!(form.body.contains("value=\"CM\""), "{backend}");
        assert_eq!(hidden_value(&form.body, "version"), "1", "{backend}");
        assert!(
            form.body.contains("Επεξεργασία περιστατικού"),
            "{backend}: not in Greek"
        );

        let saved = edit(&caseworker, &path, "1", &[("family_name", "Διορθωμένη")]);
        assert_eq!(saved.status, 200, "{backend}: {}", saved.body);
        assert!(saved.url.ends_with(&path), "{backend}: {}", saved.url);
        assert!(
            saved.body.contains("Διορθωμένη"),
            "{backend}: change not shown"
        );
        assert!(
            !saved.body.contains(FAMILY_NAME),
            "{backend}: old name shown"
        );

        // Both open the form at version 2; the coordinator saves first.
        let coordinator = signed_in(&server, "coordinator");
        let theirs = coordinator.get(&format!("{path}/edit"));
        assert_eq!(theirs.status, 200, "{backend}: coordinator cannot edit");
        let mine = caseworker.get(&format!("{path}/edit"));
        assert_eq!(hidden_value(&mine.body, "version"), "2", "{backend}");
        let first = edit(
            &coordinator,
            &path,
            "2",
            &[
                ("family_name", "Διορθωμένη"),
                ("setting", "hosting_facility"),
                ("facility", COORDINATOR_FACILITY),
            ],
        );
        assert_eq!(first.status, 200, "{backend}: {}", first.body);

        let stale = edit(
            &caseworker,
            &path,
            "2",
            &[
                ("family_name", "Διορθωμένη"),
                ("contact", CASEWORKER_CONTACT),
            ],
        );
        assert_eq!(stale.status, 409, "{backend}: stale edit not refused");
        assert!(
            stale.body.contains("Κάποιος άλλος αποθήκευσε"),
            "{backend}: no conflict message"
        );
        assert!(
            stale.body.contains(COORDINATOR_FACILITY),
            "{backend}: the saved values are not shown"
        );
        assert!(
            stale.body.contains(CASEWORKER_CONTACT),
            "{backend}: the user's values were lost"
        );
        assert_eq!(
            hidden_value(&stale.body, "version"),
            "3",
            "{backend}: the form is not based on the saved version"
        );
        let page = caseworker.get(&path);
        assert!(
            !page.body.contains(CASEWORKER_CONTACT),
            "{backend}: the stale edit was written"
        );

        // Re-applying the user's values on top of the saved version works.
        let again = edit(
            &caseworker,
            &path,
            "3",
            &[
                ("family_name", "Διορθωμένη"),
                ("contact", CASEWORKER_CONTACT),
            ],
        );
        assert_eq!(again.status, 200, "{backend}: {}", again.body);
        assert!(again.body.contains(CASEWORKER_CONTACT), "{backend}");
        assert!(
            !again.body.contains(COORDINATOR_FACILITY),
            "{backend}: the user chose their own values"
        );

        assert_eq!(
            audit_count(&server, "case.update", "success"),
            3,
            "{backend}"
        );
        assert_eq!(
            audit_count(&server, "case.update", "failure"),
            1,
            "{backend}"
        );
    });
}

#[test]
fn bad_input_keeps_what_was_typed_and_outsiders_cannot_edit() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");
        let path = register(&caseworker);

        let page = edit(
            &caseworker,
            &path,
            "1",
            &[
                ("birth_date", "2026-02-01"),
                ("contact", CASEWORKER_CONTACT),
                ("region", "atlantis"),
            ],
        );
        assert_eq!(page.status, 422, "{backend}");
        assert!(
            page.body.contains(CASEWORKER_CONTACT),
            "{backend}: typed text lost"
        );
        assert!(page.body.contains("value=\"2026-02-01\""), "{backend}");
        assert!(page.body.contains("aria-invalid=\"true\""), "{backend}");
        assert_eq!(hidden_value(&page.body, "version"), "1", "{backend}");
        let unchanged = caseworker.get(&path);
        assert!(!unchanged.body.contains(CASEWORKER_CONTACT), "{backend}");

        let no_version = caseworker.post(&format!("{path}/edit"), &fields(&[]));
        assert_eq!(no_version.status, 422, "{backend}");

        let psychologist = signed_in(&server, "psychologist");
        assert_eq!(
            psychologist.get(&format!("{path}/edit")).status,
            403,
            "{backend}: unassigned psychologist"
        );
        assert_eq!(
            edit(&psychologist, &path, "1", &[("family_name", "Ξένη")]).status,
            403,
            "{backend}"
        );
        let trainee = signed_in(&server, "trainee");
        assert_eq!(
            trainee.get(&format!("{path}/edit")).status,
            403,
            "{backend}"
        );
        assert!(
            !caseworker.get(&path).body.contains("Ξένη"),
            "{backend}: outsider's edit written"
        );
    });
}

#[test]
fn two_concurrent_copies_of_a_registration_create_one_case() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");
        let before = caseworker.get("/cases?origin=procap");
        let count = |body: &str| body.matches("href=\"/cases/").count();
        let before = count(&before.body);

        let form = caseworker.get("/cases/new");
        let token = hidden_value(&form.body, "form_token");
        let mut form: Vec<(String, String)> = fields(&[])
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        form.extend([
            ("form_token".to_owned(), token),
            ("referral_source".to_owned(), "national_hotline".to_owned()),
            ("referred_on".to_owned(), "2026-01-21".to_owned()),
        ]);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let client = caseworker.client.clone();
                let url = format!("{}/cases/new", server.base);
                let origin = server.base.clone();
                let form = form.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let response = client
                        .post(url)
                        .header("Origin", origin)
                        .form(&form)
                        .send()
                        .unwrap();
                    (response.status().as_u16(), response.url().path().to_owned())
                })
            })
            .collect();
        let results: Vec<(u16, String)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        for (status, _) in &results {
            assert_eq!(*status, 200, "{backend}: {results:?}");
        }
        assert_eq!(
            results[0].1, results[1].1,
            "{backend}: the two requests ended on different pages"
        );
        assert!(results[0].1.starts_with("/cases/"), "{backend}");
        let after = caseworker.get("/cases?origin=procap");
        assert_eq!(
            count(&after.body),
            before + 1,
            "{backend}: a double submit created more than one case"
        );
    });
}
