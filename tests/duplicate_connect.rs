//! A registration confirmed despite a possible match in another
//! organisation reaches that organisation's coordinators, over real HTTP on
//! SQLite and PostgreSQL.
//!
//! The demo caseworker of `KA` registers a person; a caseworker added to
//! `EKA` registers the same person, sees the possible match and confirms.
//! `KA`'s coordinator then finds a home-page notice with `KA`'s case code
//! and the display name of `EKA`'s coordinator, and nothing of the person.
//! The registering caseworker and `EKA`'s coordinator get no notice.
//! All names are invented.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use procap_store::audit;

const GIVEN_NAME: &str = "Αμαράχ";
const FAMILY_NAME: &str = "Διπλοτύπου";
const EKA_COORDINATOR: &str = "Φωτεινή Συνδέσμου";

fn signed_in(server: &TestServer, username: &str, password: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, password);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

/// Adds a user with the CLI and signs them in past the password change.
fn added_user(
    server: &TestServer,
    username: &str,
    role: &str,
    organisation: &str,
    name: &str,
) -> Browser {
    let output = server.cli(&[
        "user",
        "add",
        username,
        "--role",
        role,
        "--organisation",
        organisation,
        "--name",
        name,
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
    let browser = signed_in(server, username, &password);
    let new_password = "διπλή-καταχώριση-4821";
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

fn form_token(browser: &Browser) -> String {
    let form = browser.get("/cases/new");
    let marker = "name=\"form_token\" value=\"";
    let start = form.body.find(marker).expect("form token") + marker.len();
    form.body[start..].split('"').next().unwrap().to_owned()
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

/// Sends the registration form for the invented person, with `extra` fields.
fn send_registration(browser: &Browser, token: &str, extra: &[(&str, &str)]) -> common::Page {
    let mut fields = vec![
        ("form_token", token),
        ("referral_source", "reception_identification_service"),
        ("referred_on", "2026-03-04"),
        ("given_name", GIVEN_NAME),
        ("family_name", FAMILY_NAME),
        ("birth_date", "1999-07-15"),
        ("sex", "female"),
        ("citizenships", "NG"),
        ("languages", "en"),
        ("interpreter_gender", "female"),
        ("legal_status", "asylum_seeker"),
        ("region", "attica"),
        ("setting", "hosting_facility"),
        ("facility", "Δομή Φιλοξενίας Δοκιμών"),
        ("exploitation_types", "sexual_exploitation"),
        ("countries_exploitation", "GR"),
    ];
    fields.extend_from_slice(extra);
    browser.post("/cases/new", &fields)
}

/// The case code shown on a case page reached after registration.
fn case_code(page: &common::Page, prefix: &str) -> String {
    let marker = format!("{prefix}-2026-");
    let start = page.body.find(&marker).expect("case code on the case page");
    page.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn notices(home: &common::Page) -> usize {
    home.body.matches("notification-item").count()
}

#[test]
fn coordinators_of_the_other_organisation_are_told() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();

        let ka_caseworker = signed_in(&server, "caseworker", DEMO_PASSWORD);
        let token = form_token(&ka_caseworker);
        let first = send_registration(&ka_caseworker, &token, &[]);
        assert_eq!(first.status, 200, "{backend}: {}", first.body);
        assert!(first.url.contains("/cases/"), "{backend}: {}", first.url);
        let ka_code = case_code(&first, "KA");

        let eka_coordinator =
            added_user(&server, "coord.eka", "coordinator", "EKA", EKA_COORDINATOR);
        let eka_caseworker = added_user(&server, "cw.eka", "caseworker", "EKA", "Ορέστης Δοκιμίου");
        let ka_coordinator = signed_in(&server, "coordinator", DEMO_PASSWORD);
        let before_ka = notices(&ka_coordinator.get("/"));
        let before_eka_caseworker = notices(&eka_caseworker.get("/"));
        let before_eka_coordinator = notices(&eka_coordinator.get("/"));

        // The first attempt stops on the possible match without a case.
        let token = form_token(&eka_caseworker);
        let warned = send_registration(&eka_caseworker, &token, &[]);
        assert_eq!(warned.status, 200, "{backend}");
        assert!(
            warned.url.ends_with("/cases/new"),
            "{backend}: {}",
            warned.url
        );
        assert!(warned.body.contains("duplicate_seen"), "{backend}");
        assert_eq!(notices(&ka_coordinator.get("/")), before_ka, "{backend}");

        let confirmed = send_registration(
            &eka_caseworker,
            &token,
            &[("duplicate_seen", "yes"), ("duplicate_checked", "yes")],
        );
        assert_eq!(confirmed.status, 200, "{backend}: {}", confirmed.body);
        let eka_code = case_code(&confirmed, "EKA");

        let home = ka_coordinator.get("/");
        assert_eq!(notices(&home), before_ka + 1, "{backend}");
        assert!(home.body.contains(&ka_code), "{backend}: own case code");
        assert!(home.body.contains(EKA_COORDINATOR), "{backend}: contact");
        assert!(home.body.contains("Εθνικό Κέντρο Αλληλεγγύης"), "{backend}");
        for hidden in [GIVEN_NAME, FAMILY_NAME, eka_code.as_str(), "15/07/1999"] {
            assert!(!home.body.contains(hidden), "{backend}: {hidden} shown");
        }

        assert_eq!(
            notices(&eka_caseworker.get("/")),
            before_eka_caseworker,
            "{backend}: registering caseworker"
        );
        assert_eq!(
            notices(&eka_coordinator.get("/")),
            before_eka_coordinator,
            "{backend}: registering coordinator"
        );

        // English text for an English-speaking coordinator.
        let english = ka_coordinator.post("/locale", &[("locale", "en")]);
        assert!(english.status < 400, "{backend}: {}", english.status);
        let home = ka_coordinator.get("/");
        assert!(
            home.body
                .contains("may concern the same person as your case"),
            "{backend}"
        );

        // The connection is audited with ids only.
        let (rows, _) = store(&server)
            .run_blocking(|db| {
                audit::list(
                    db,
                    &audit::AuditFilter {
                        action: Some("case.duplicate_connect".to_owned()),
                        ..Default::default()
                    },
                    0,
                    10,
                )
            })
            .unwrap();
        assert_eq!(rows.len(), 1, "{backend}");
        assert_eq!(rows[0].actor_username.as_deref(), Some("cw.eka"));
        assert!(rows[0].details.contains("\"notifications\":1"), "{backend}");
        for hidden in [GIVEN_NAME, FAMILY_NAME, ka_code.as_str()] {
            assert!(!rows[0].details.contains(hidden), "{backend}: {hidden}");
        }
        let log = server.log();
        assert!(
            !log.contains(GIVEN_NAME) && !log.contains(FAMILY_NAME),
            "{backend}"
        );
    });
}
