//! Referrals and transfers over real HTTP, on SQLite and PostgreSQL: the
//! consent rule (422, nothing stored), acceptance by a coordinator of the
//! receiving organisation who then opens the case, the coordinator's
//! override with its audit entry, and a transfer that changes the owner.
//!
//! Demo accounts: `coordinator` and `caseworker` belong to `KA`; the test
//! adds `coord2`, a coordinator of `EKA`. All data is invented.

mod common;

use chrono::NaiveDate;
use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use procap_store::audit::{self, AuditFilter};
use procap_store::case_records::{self, NewConsent};
use procap_store::{cases, organisations, referrals, users};

const REASON: &str = "Χρειάζεται νομική συνδρομή για την άδεια διαμονής";
const OVERRIDE: &str = "Άμεσος κίνδυνος, η ωφελούμενη δεν είναι διαθέσιμη για υπογραφή";

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

/// Adds `coord2`, a coordinator of `EKA`, and signs them in past the
/// password change the one-time password asks for.
fn second_coordinator(server: &TestServer) -> Browser {
    let output = server.cli(&[
        "user",
        "add",
        "coord2",
        "--role",
        "coordinator",
        "--organisation",
        "EKA",
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
    browser.login("coord2", &password);
    let new_password = "παραπομπές-με-συναίνεση-42";
    let page = browser.post(
        "/account/password",
        &[
            ("current_password", password.as_str()),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ],
    );
    assert_eq!(page.status, 200, "{}", server.backend());
    assert_eq!(
        browser.get("/referrals").status,
        200,
        "{}",
        server.backend()
    );
    browser
}

/// The id and code of the first demo case assigned to the caseworker.
fn demo_case(server: &TestServer) -> (String, String) {
    let output = server.cli(&["token", "create", "--user", "caseworker"]);
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let json: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let item = &json["items"][0];
    (
        item["id"].as_str().expect("a demo case").to_owned(),
        item["code"].as_str().expect("a case code").to_owned(),
    )
}

/// A store on the server's database with the server's own key ring, so
/// that encrypted fields can be read back.
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

fn organisation_id(server: &TestServer, prefix: &str) -> String {
    store(server)
        .run_blocking(organisations::list)
        .unwrap()
        .into_iter()
        .find(|organisation| organisation.case_code_prefix == prefix)
        .expect("demo organisation")
        .id
}

fn record_sharing_consent(server: &TestServer, case_id: &str, recipient: &str) {
    store(server)
        .run_blocking(|db| {
            let caseworker = users::find_by_username(db, "caseworker")?.expect("demo caseworker");
            case_records::record_consent(
                db,
                &NewConsent {
                    case_id,
                    purpose: "sharing",
                    recipient_organisation_id: Some(recipient),
                    given: true,
                    recorded_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
                    language: "el",
                    recorded_by: &caseworker.id,
                },
            )
        })
        .unwrap();
}

fn case_referrals(server: &TestServer, case_id: &str) -> Vec<referrals::Referral> {
    store(server)
        .run_blocking(|db| referrals::list_for_case(db, case_id))
        .unwrap()
}

fn audit_rows(server: &TestServer, action: &str) -> Vec<audit::AuditRow> {
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        ..AuditFilter::default()
    };
    store(server)
        .run_blocking(|db| audit::list(db, &filter, 0, 100))
        .unwrap()
        .0
}

#[test]
fn referral_needs_consent_and_opens_the_case_once_accepted() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, case_code) = demo_case(&server);
        let eka = organisation_id(&server, "EKA");
        let caseworker = signed_in(&server, "caseworker");
        let coord2 = second_coordinator(&server);
        let path = format!("/cases/{case_id}/referrals");
        let form = [
            ("to_organisation_id", eka.as_str()),
            ("service_line", "legal"),
            ("reason", REASON),
        ];

        // Without consent: refused, nothing stored.
        let refused = caseworker.post(&path, &form);
        assert_eq!(refused.status, 422, "{backend}");
        assert!(case_referrals(&server, &case_id).is_empty(), "{backend}");
        // A caseworker cannot override.
        let mut with_override = form.to_vec();
        with_override.push(("override_reason", OVERRIDE));
        assert_eq!(
            caseworker.post(&path, &with_override).status,
            422,
            "{backend}"
        );
        assert!(case_referrals(&server, &case_id).is_empty(), "{backend}");

        // The other organisation cannot open the case yet.
        assert_eq!(
            coord2.get(&format!("/cases/{case_id}")).status,
            404,
            "{backend}"
        );

        record_sharing_consent(&server, &case_id, &eka);
        let sent = caseworker.post(&path, &form);
        assert_eq!(sent.status, 200, "{backend}: {}", sent.body);
        assert!(sent.url.ends_with(&path), "{backend}: {}", sent.url);
        let stored = case_referrals(&server, &case_id);
        assert_eq!(stored.len(), 1, "{backend}");
        assert_eq!(stored[0].status, "sent");
        assert!(!stored[0].consent_overridden);
        // Still closed to the recipient until they accept.
        assert_eq!(
            coord2.get(&format!("/cases/{case_id}")).status,
            404,
            "{backend}"
        );

        let list = coord2.get("/referrals");
        assert_eq!(list.status, 200, "{backend}");
        assert!(
            list.body.contains(&case_code),
            "{backend}: case code listed"
        );
        assert!(
            !list.body.contains(REASON),
            "{backend}: the list shows only the minimum"
        );

        let accepted = coord2.post(&format!("/referrals/{}/accept", stored[0].id), &[]);
        assert_eq!(accepted.status, 200, "{backend}: {}", accepted.body);
        assert!(
            accepted.url.ends_with(&format!("/cases/{case_id}")),
            "{backend}"
        );
        assert!(accepted.body.contains(&case_code), "{backend}");
        assert_eq!(
            coord2.get(&format!("/cases/{case_id}/referrals")).status,
            200
        );
        assert_eq!(case_referrals(&server, &case_id)[0].status, "accepted");
        // A plain referral leaves the owner as it was.
        let owner = store(&server)
            .run_blocking(|db| cases::get(db, &case_id))
            .unwrap()
            .case
            .organisation_id;
        assert_ne!(owner, eka, "{backend}");
        assert_eq!(
            audit_rows(&server, "case.referral.accept").len(),
            1,
            "{backend}"
        );
    });
}

#[test]
fn coordinator_override_is_audited_without_its_reason() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let eka = organisation_id(&server, "EKA");
        let coordinator = signed_in(&server, "coordinator");
        let path = format!("/cases/{case_id}/referrals");

        let sent = coordinator.post(
            &path,
            &[
                ("to_organisation_id", eka.as_str()),
                ("service_line", "psychosocial"),
                ("override_reason", OVERRIDE),
            ],
        );
        assert_eq!(sent.status, 200, "{backend}: {}", sent.body);
        let stored = case_referrals(&server, &case_id);
        assert_eq!(stored.len(), 1, "{backend}");
        assert!(stored[0].consent_overridden);
        assert_eq!(stored[0].override_reason.as_deref(), Some(OVERRIDE));

        let rows = audit_rows(&server, "case.referral.override");
        assert_eq!(rows.len(), 1, "{backend}");
        assert_eq!(rows[0].object_id.as_deref(), Some(case_id.as_str()));
        assert!(rows[0].details.contains(&stored[0].id), "{backend}");
        for row in audit_rows(&server, "case.referral.") {
            assert!(
                !row.details.contains("κίνδυνος"),
                "{backend}: reason in the audit log"
            );
            assert!(
                !row.details.contains("Άμεσος"),
                "{backend}: reason in the audit log"
            );
        }
        assert!(
            !server.log().contains("Άμεσος"),
            "{backend}: reason in the server log"
        );
    });
}

#[test]
fn accepted_transfer_changes_the_owner() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, case_code) = demo_case(&server);
        let eka = organisation_id(&server, "EKA");
        record_sharing_consent(&server, &case_id, &eka);
        let caseworker = signed_in(&server, "caseworker");
        let coord2 = second_coordinator(&server);

        let sent = caseworker.post(
            &format!("/cases/{case_id}/referrals"),
            &[
                ("to_organisation_id", eka.as_str()),
                ("service_line", "case_management"),
                ("is_transfer", "1"),
            ],
        );
        assert_eq!(sent.status, 200, "{backend}: {}", sent.body);
        let referral = case_referrals(&server, &case_id).remove(0);
        assert!(referral.is_transfer);

        let accepted = coord2.post(&format!("/referrals/{}/accept", referral.id), &[]);
        assert_eq!(accepted.status, 200, "{backend}");
        let view = store(&server)
            .run_blocking(|db| cases::get(db, &case_id))
            .unwrap();
        assert_eq!(view.case.organisation_id, eka, "{backend}");
        assert_eq!(view.case.code, case_code, "{backend}: the code stays");
        // The sending organisation's caseworker no longer opens it.
        assert_eq!(
            caseworker.get(&format!("/cases/{case_id}")).status,
            404,
            "{backend}"
        );
        assert_eq!(
            coord2.get(&format!("/cases/{case_id}")).status,
            200,
            "{backend}"
        );
    });
}

#[test]
fn decline_needs_a_reason() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let eka = organisation_id(&server, "EKA");
        record_sharing_consent(&server, &case_id, &eka);
        let caseworker = signed_in(&server, "caseworker");
        let coord2 = second_coordinator(&server);
        caseworker.post(
            &format!("/cases/{case_id}/referrals"),
            &[
                ("to_organisation_id", eka.as_str()),
                ("service_line", "legal"),
            ],
        );
        let referral = case_referrals(&server, &case_id).remove(0);
        let path = format!("/referrals/{}/decline", referral.id);

        assert_eq!(
            coord2.post(&path, &[("reason", "  ")]).status,
            422,
            "{backend}"
        );
        assert_eq!(case_referrals(&server, &case_id)[0].status, "sent");
        let declined = coord2.post(&path, &[("reason", "Δεν υπάρχει διαθέσιμη θέση")]);
        assert_eq!(declined.status, 200, "{backend}");
        let stored = case_referrals(&server, &case_id).remove(0);
        assert_eq!(stored.status, "declined");
        assert_eq!(
            stored.response_reason.as_deref(),
            Some("Δεν υπάρχει διαθέσιμη θέση")
        );
        assert_eq!(
            coord2.get(&format!("/cases/{case_id}")).status,
            404,
            "{backend}"
        );
    });
}
