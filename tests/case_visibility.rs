//! Who sees a case, over real HTTP on SQLite and PostgreSQL. One case like
//! the one the browser walk registers is opened by every role: the case
//! page, its edit form and each work page must answer 200 for the roles
//! the design lets in and 403 or 404 for everyone else, without the
//! person's name on a refused page.
//!
//! Expected access, from the design's role table:
//! - the assigned caseworker and the organisation's coordinator see it all;
//! - a psychologist and a lawyer see the cases assigned to them (both are
//!   assigned here, for their service lines), except the closure form;
//! - a caseworker of the same organisation who is not assigned, the
//!   coordinator of another organisation, interpreters and escorts (only
//!   their appointments), trainers, trainees, monitoring (statistics only)
//!   and the administrator (no case content) see nothing of it.
//!
//! Demo accounts belong to `KA` (case roles), `KKP` (training) and `EKA`
//! (monitoring); the test adds `cw2`, a second caseworker of `KA`, and
//! `coord2`, a coordinator of `EKA`. All data is invented.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use procap_store::{case_records, users};

const GIVEN_NAME: &str = "Ιφεόμα";
const FAMILY_NAME: &str = "Περιπατήτρια";

/// The paths below `/cases/{id}` that make up a case: the page itself,
/// the edit form and every work page.
const CASE_PATHS: &[&str] = &[
    "",
    "/edit",
    "/screening",
    "/nrm",
    "/assessment",
    "/plan",
    "/services",
    "/consents",
    "/referrals",
    "/notes",
    "/appointments",
    "/close",
];

fn signed_in(server: &TestServer, username: &str, password: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, password);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

/// Adds a user with the CLI and signs them in past the password change
/// that the one-time password asks for.
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
    let browser = signed_in(server, username, &password);
    let new_password = "ορατότητα-περιστατικού-77";
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

/// Registers the case as the demo caseworker and returns its id.
fn register_case(caseworker: &Browser) -> String {
    let form = caseworker.get("/cases/new");
    let marker = "name=\"form_token\" value=\"";
    let start = form.body.find(marker).expect("form token") + marker.len();
    let token = form.body[start..].split('"').next().unwrap().to_owned();
    let page = caseworker.post(
        "/cases/new",
        &[
            ("form_token", token.as_str()),
            ("referral_source", "reception_identification_service"),
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
            ("exploitation_types", "sexual_exploitation"),
            ("countries_exploitation", "GR"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let path = &page.url[page.url.find("/cases/").expect("case page")..];
    path.trim_start_matches("/cases/").to_owned()
}

/// What a role may do with the case, as the design describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Allowed,
    Refused,
}

/// The access of `username` to one page of the case. Closing a case is
/// the caseworker's and the coordinator's work, so a psychologist or lawyer
/// on the case sees every page but the closure form.
fn expected(access: Access, username: &str, suffix: &str) -> Access {
    let service_staff = matches!(username, "psychologist" | "lawyer");
    if service_staff && suffix == "/close" {
        return Access::Refused;
    }
    access
}

#[test]
fn each_role_sees_the_case_as_the_design_says() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker", DEMO_PASSWORD);
        let case_id = register_case(&caseworker);
        store(&server)
            .run_blocking(|db| {
                for username in ["psychologist", "lawyer"] {
                    let user = users::find_by_username(db, username)?.expect("demo user");
                    case_records::assign(db, &case_id, &user.id)?;
                }
                Ok(())
            })
            .unwrap();

        let mut visitors: Vec<(&str, Browser, Access)> =
            vec![("caseworker", caseworker, Access::Allowed)];
        for (username, access) in [
            ("coordinator", Access::Allowed),
            ("psychologist", Access::Allowed),
            ("lawyer", Access::Allowed),
            ("interpreter", Access::Refused),
            ("escort", Access::Refused),
            ("trainer", Access::Refused),
            ("trainee", Access::Refused),
            ("monitoring", Access::Refused),
            ("admin", Access::Refused),
        ] {
            visitors.push((
                username,
                signed_in(&server, username, DEMO_PASSWORD),
                access,
            ));
        }
        visitors.push((
            "cw2",
            added_user(&server, "cw2", "caseworker", "KA"),
            Access::Refused,
        ));
        visitors.push((
            "coord2",
            added_user(&server, "coord2", "coordinator", "EKA"),
            Access::Refused,
        ));

        let mut wrong = Vec::new();
        for (username, browser, access) in &visitors {
            for suffix in CASE_PATHS {
                let path = format!("/cases/{case_id}{suffix}");
                let page = browser.get(&path);
                let seen = match page.status {
                    200 => Access::Allowed,
                    403 | 404 => Access::Refused,
                    other => panic!("{backend}: {username} {path}: unexpected {other}"),
                };
                let expected = expected(*access, username, suffix);
                if seen != expected {
                    wrong.push(format!(
                        "{username} {path}: {} (expected {expected:?})",
                        page.status
                    ));
                }
                if seen == Access::Refused {
                    assert!(
                        !page.body.contains(GIVEN_NAME) && !page.body.contains(FAMILY_NAME),
                        "{backend}: {username} {path}: the refusal shows the name"
                    );
                }
                if seen == Access::Allowed && suffix.is_empty() {
                    assert!(
                        page.body.contains(GIVEN_NAME),
                        "{backend}: {username}: the case page lacks the person"
                    );
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{backend}: access differs from the design:\n{}",
            wrong.join("\n")
        );

        // The list agrees with the pages: only those let in see the code.
        for (username, browser, access) in &visitors {
            let list = browser.get("/cases");
            let listed = list.status == 200 && list.body.contains(&format!("/cases/{case_id}\""));
            assert_eq!(
                listed,
                *access == Access::Allowed,
                "{backend}: {username} case list"
            );
        }
    });
}
