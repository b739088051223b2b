//! Retention, erasure requests and subject-access exports over real HTTP,
//! on SQLite and PostgreSQL.
//!
//! - The retention job anonymises only cases closed longer ago than the
//!   retention period: the person's row and blind indexes, notes and
//!   encrypted free texts are gone from the database, the statistical
//!   columns are unchanged, one audit event is written per case, and the
//!   case page says "Ανωνυμοποιημένη" without the name.
//! - A coordinator cannot decide a request they filed; an approved erasure
//!   anonymises at once.
//! - An approved subject-access request downloads as JSON holding the
//!   person's (fictional) name, with `Cache-Control: no-store`, and the
//!   download is in the audit log.
//!
//! Demo accounts: `coordinator` and `caseworker` belong to `KA`. Every
//! name below is invented.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use diesel::prelude::*;
use procap_store::schema::{audit_log, cases, intake_referrals, person_identifiers, persons};
use procap_store::schema_followups::case_followups;
use procap_store::schema_notes::case_notes;
use procap_store::schema_requests::{case_anonymisations, data_requests};

const OLD_GIVEN: &str = "Ολουφέμι";
const OLD_FAMILY: &str = "Παλαιοκώστα";
const NEW_GIVEN: &str = "Αμπένα";
const NEW_FAMILY: &str = "Νεοχωρίτη";
const SAR_GIVEN: &str = "Τσιαμάκα";
const SAR_FAMILY: &str = "Δοκιμίου";

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

/// A store on the server's database with the server's key ring.
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

fn today() -> String {
    common::athens_today().format("%Y-%m-%d").to_string()
}

/// Registers a case for a fictional person and returns its id.
fn register(browser: &Browser, given: &str, family: &str, document: &str) -> String {
    let form = browser.get("/cases/new");
    assert_eq!(form.status, 200, "{}", form.body);
    let marker = "name=\"form_token\" value=\"";
    let start = form.body.find(marker).expect("form token") + marker.len();
    let token = form.body[start..].split('"').next().unwrap().to_owned();
    let referred_on = today();
    let page = browser.post(
        "/cases/new",
        &[
            ("form_token", token.as_str()),
            ("referral_source", "police"),
            ("referred_on", referred_on.as_str()),
            ("referring_contact", "Τμήμα Δοκιμών Αστυνομίας"),
            ("referral_reason", "Φανταστικός λόγος παραπομπής"),
            ("given_name", given),
            ("family_name", family),
            ("aliases", "Δοκιμαστικό ψευδώνυμο"),
            ("birth_date", "1995-04-12"),
            ("document_numbers", document),
            ("contact", "Οδός Ανύπαρκτη 7, Αθήνα"),
            ("sex", "female"),
            ("citizenships", "NG"),
            ("languages", "en"),
            ("legal_status", "asylum_seeker"),
            ("region", "attica"),
            ("setting", "urban_area"),
            ("facility", "Δομή Δοκιμών"),
            ("exploitation_types", "sexual_exploitation"),
            ("means_of_control", "debt_bondage"),
            ("countries_exploitation", "GR"),
        ],
    );
    assert_eq!(page.status, 200, "registration failed: {}", page.body);
    let path = &page.url[page.url.find("/cases/").expect("case page")..];
    let id = path.trim_start_matches("/cases/").to_owned();
    assert!(!id.is_empty() && !id.contains('/'), "case id from {path}");
    id
}

/// Closes the case on the day it was opened (today in Athens).
fn close_today(browser: &Browser, store: &procap_store::Store, case_id: &str) {
    let id = case_id.to_owned();
    let opened_on: chrono::NaiveDate = store
        .run_blocking(move |db| {
            Ok(cases::table
                .find(&id)
                .select(cases::opened_on)
                .first(db.conn)?)
        })
        .unwrap();
    let closed_on = opened_on.format("%Y-%m-%d").to_string();
    let path = format!("/cases/{case_id}/close");
    let form = browser.get(&path);
    assert_eq!(form.status, 200, "{}", form.body);
    let marker = "name=\"version\" value=\"";
    let start = form.body.find(marker).expect("version field") + marker.len();
    let version = form.body[start..].split('"').next().unwrap().to_owned();
    let page = browser.post(
        &path,
        &[
            ("closure_reason", "assistance_completed"),
            ("closed_on", &closed_on),
            ("version", &version),
            ("confirmed", "yes"),
        ],
    );
    assert_eq!(page.status, 200, "closing failed: {}", page.body);
}

/// Notes left, the intake's encrypted texts and the facility of a case.
type ScrubbedColumns = (
    i64,
    Vec<(Option<Vec<u8>>, Option<Vec<u8>>)>,
    Option<Vec<u8>>,
);

type Statistics = (
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
);

fn statistics(store: &procap_store::Store, case_id: &str) -> Statistics {
    let id = case_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(cases::table
                .find(&id)
                .select((
                    cases::sex,
                    cases::age_bracket,
                    cases::citizenship,
                    cases::exploitation_types,
                    cases::nrm_status,
                    cases::opened_on,
                    cases::closed_on,
                ))
                .first(db.conn)?)
        })
        .unwrap()
}

fn followup_count(store: &procap_store::Store, case_id: &str) -> i64 {
    let id = case_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(case_followups::table
                .filter(case_followups::case_id.eq(&id))
                .count()
                .get_result(db.conn)?)
        })
        .unwrap()
}

fn person_of(store: &procap_store::Store, case_id: &str) -> Option<String> {
    let id = case_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(cases::table
                .find(&id)
                .select(cases::person_id)
                .first(db.conn)?)
        })
        .unwrap()
}

fn audit_count(store: &procap_store::Store, action: &str, case_id: &str) -> i64 {
    let action = action.to_owned();
    let id = case_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(audit_log::table
                .filter(audit_log::action.eq(&action))
                .filter(audit_log::object_id.eq(&id))
                .count()
                .get_result(db.conn)?)
        })
        .unwrap()
}

/// Queues a retention run now and waits for the server's worker to finish it.
fn run_retention(server: &TestServer, store: &procap_store::Store) {
    let job = store
        .run_blocking(|db| {
            procap_store::jobs::enqueue(
                db,
                procap_store::retention::KIND_RETENTION,
                &serde_json::json!({}),
                procap_store::now(),
                1,
            )
        })
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let id = job.id.clone();
        let stored = store
            .run_blocking(move |db| procap_store::jobs::get(db, &id))
            .unwrap();
        match stored.status.as_str() {
            "done" => return,
            "failed" => panic!(
                "{}: retention job failed: {:?}",
                server.backend(),
                stored.last_error
            ),
            _ => {}
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{}: retention job did not run; log:\n{}",
            server.backend(),
            server.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn retention_job_anonymises_only_cases_past_the_period() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let store = store(&server);
        let caseworker = signed_in(&server, "caseworker");

        let old_case = register(&caseworker, OLD_GIVEN, OLD_FAMILY, "ZX0000001");
        let new_case = register(&caseworker, NEW_GIVEN, NEW_FAMILY, "ZX0000002");
        let note = caseworker.post(
            &format!("/cases/{old_case}/notes"),
            &[("body", "Φανταστική σημείωση για τη δοκιμή")],
        );
        assert_eq!(note.status, 200, "{backend}: {}", note.body);
        close_today(&caseworker, &store, &old_case);
        close_today(&caseworker, &store, &new_case);

        // The old case was opened and closed years ago; the new one today.
        let id = old_case.clone();
        store
            .run_blocking(move |db| {
                diesel::update(cases::table.find(&id))
                    .set((
                        cases::opened_on.eq(chrono::NaiveDate::from_ymd_opt(2016, 3, 1).unwrap()),
                        cases::closed_on
                            .eq(Some(chrono::NaiveDate::from_ymd_opt(2017, 6, 30).unwrap())),
                    ))
                    .execute(db.conn)?;
                Ok(())
            })
            .unwrap();
        let id = old_case.clone();
        store
            .run_blocking(move |db| {
                let recorder = procap_store::users::find_by_username(db, "caseworker")?
                    .expect("demo caseworker");
                procap_store::witness::record_status(
                    db,
                    &procap_store::witness::NewWitnessStatus {
                        case_id: &id,
                        status: "witness",
                        status_on: chrono::NaiveDate::from_ymd_opt(2017, 1, 10).unwrap(),
                        note: Some("Φανταστική κατάθεση στο δικαστήριο"),
                        recorded_by: &recorder.id,
                    },
                )
            })
            .unwrap();
        let old_person = person_of(&store, &old_case).expect("old case has a person");
        let old_statistics = statistics(&store, &old_case);
        let old_followups = followup_count(&store, &old_case);
        let new_statistics = statistics(&store, &new_case);

        run_retention(&server, &store);

        // The old case: identifiers and free text gone, statistics kept.
        assert_eq!(person_of(&store, &old_case), None, "{backend}: person kept");
        let person = old_person.clone();
        let (persons_left, indexes_left) = store
            .run_blocking(move |db| {
                Ok((
                    persons::table
                        .find(&person)
                        .count()
                        .get_result::<i64>(db.conn)?,
                    person_identifiers::table
                        .filter(person_identifiers::person_id.eq(&person))
                        .count()
                        .get_result::<i64>(db.conn)?,
                ))
            })
            .unwrap();
        assert_eq!(persons_left, 0, "{backend}: person row kept");
        assert_eq!(indexes_left, 0, "{backend}: blind indexes kept");
        let id = old_case.clone();
        let (notes_left, intake_texts, facility): ScrubbedColumns = store
            .run_blocking(move |db| {
                Ok((
                    case_notes::table
                        .filter(case_notes::case_id.eq(&id))
                        .count()
                        .get_result(db.conn)?,
                    intake_referrals::table
                        .filter(intake_referrals::case_id.eq(&id))
                        .select((
                            intake_referrals::referring_contact_enc,
                            intake_referrals::reason_enc,
                        ))
                        .load(db.conn)?,
                    cases::table
                        .find(&id)
                        .select(cases::facility_enc)
                        .first(db.conn)?,
                ))
            })
            .unwrap();
        assert_eq!(notes_left, 0, "{backend}: notes kept");
        assert!(!intake_texts.is_empty(), "{backend}: intake row removed");
        assert!(
            intake_texts
                .iter()
                .all(|(contact, reason)| contact.is_none() && reason.is_none()),
            "{backend}: intake free text kept"
        );
        assert_eq!(facility, None, "{backend}: facility kept");
        assert_eq!(
            statistics(&store, &old_case),
            old_statistics,
            "{backend}: statistics changed"
        );
        assert_eq!(
            followup_count(&store, &old_case),
            old_followups,
            "{backend}: follow-up dates removed"
        );
        assert_eq!(audit_count(&store, "case.anonymise", &old_case), 1);

        let id = old_case.clone();
        let witness_notes: Vec<Option<Vec<u8>>> = store
            .run_blocking(move |db| {
                use procap_store::schema_witness::witness_statuses;
                Ok(witness_statuses::table
                    .filter(witness_statuses::case_id.eq(&id))
                    .select(witness_statuses::note_enc)
                    .load(db.conn)?)
            })
            .unwrap();
        assert_eq!(witness_notes.len(), 1, "{backend}: witness status removed");
        assert!(
            witness_notes.iter().all(Option::is_none),
            "{backend}: witness note kept"
        );

        // The recent case is untouched.
        assert!(person_of(&store, &new_case).is_some(), "{backend}");
        assert_eq!(statistics(&store, &new_case), new_statistics);
        assert_eq!(audit_count(&store, "case.anonymise", &new_case), 0);
        let marked: Vec<String> = store
            .run_blocking(|db| {
                Ok(case_anonymisations::table
                    .select(case_anonymisations::case_id)
                    .load(db.conn)?)
            })
            .unwrap();
        assert_eq!(marked, vec![old_case.clone()], "{backend}: marked cases");

        // The pages: anonymised without the name; the recent case as before.
        let coordinator = signed_in(&server, "coordinator");
        let page = coordinator.get(&format!("/cases/{old_case}"));
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("Ανωνυμοποιημένη"), "{backend}: no label");
        assert!(!page.body.contains(OLD_GIVEN), "{backend}: name shown");
        assert!(
            !page.body.contains("Οδός Ανύπαρκτη"),
            "{backend}: contact shown"
        );
        let page = coordinator.get(&format!("/cases/{new_case}"));
        assert!(page.body.contains(NEW_GIVEN), "{backend}: recent case lost");
        assert!(!page.body.contains("Ανωνυμοποιημένη"), "{backend}");

        // A second run (or a second instance) does nothing more.
        run_retention(&server, &store);
        assert_eq!(audit_count(&store, "case.anonymise", &old_case), 1);
        assert!(!server.log().contains(OLD_GIVEN), "{backend}: name logged");
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}

fn request_id(store: &procap_store::Store, case_id: &str, kind: &str) -> String {
    let id = case_id.to_owned();
    let kind = kind.to_owned();
    store
        .run_blocking(move |db| {
            Ok(data_requests::table
                .filter(data_requests::case_id.eq(&id))
                .filter(data_requests::kind.eq(&kind))
                .order(data_requests::requested_at.desc())
                .select(data_requests::id)
                .first(db.conn)?)
        })
        .unwrap()
}

fn request_status(store: &procap_store::Store, request_id: &str) -> String {
    let id = request_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(data_requests::table
                .find(&id)
                .select(data_requests::status)
                .first(db.conn)?)
        })
        .unwrap()
}

#[test]
fn requests_need_another_coordinator_and_exports_are_audited() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let store = store(&server);
        let caseworker = signed_in(&server, "caseworker");
        let coordinator = signed_in(&server, "coordinator");
        let sar_case = register(&caseworker, SAR_GIVEN, SAR_FAMILY, "ZX0000003");
        let erased_case = register(&caseworker, OLD_GIVEN, OLD_FAMILY, "ZX0000004");
        let path = format!("/cases/{sar_case}/requests");

        // Bad input keeps what was typed.
        let page = caseworker.post(&path, &[("kind", "subject_access"), ("reason", "  ")]);
        assert_eq!(page.status, 422, "{backend}");
        assert!(page.body.contains("Γράψτε την αιτιολογία"), "{backend}");
        assert!(
            page.body.contains("value=\"subject_access\" checked"),
            "{backend}"
        );

        // A coordinator's own request: self-approval is refused.
        let page = coordinator.post(
            &format!("/cases/{erased_case}/requests"),
            &[
                ("kind", "erasure"),
                ("reason", "Αίτημα του ατόμου τηλεφωνικά"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let own = request_id(&store, &erased_case, "erasure");
        let page = coordinator.post(
            &format!("/requests/{own}/decide"),
            &[("decision", "approve"), ("reason", "Εγκρίνεται")],
        );
        assert_eq!(page.status, 403, "{backend}: self-approval accepted");
        assert!(
            page.body.contains("Δεν μπορείτε να αποφασίσετε"),
            "{backend}"
        );
        assert_eq!(request_status(&store, &own), "pending");
        assert!(person_of(&store, &erased_case).is_some(), "{backend}");
        assert_eq!(audit_count(&store, "case.request.decide", &erased_case), 1);

        // A caseworker's erasure request approved by the coordinator.
        let page = caseworker.post(
            &format!("/cases/{erased_case}/requests"),
            &[("kind", "erasure"), ("reason", "Γραπτό αίτημα του ατόμου")],
        );
        assert_eq!(page.status, 200, "{backend}");
        let erasure = request_id(&store, &erased_case, "erasure");
        assert_ne!(erasure, own);
        let page = caseworker.post(
            &format!("/requests/{erasure}/decide"),
            &[("decision", "approve"), ("reason", "x")],
        );
        assert_eq!(page.status, 403, "{backend}: caseworker decided");
        let page = coordinator.post(
            &format!("/requests/{erasure}/decide"),
            &[("decision", "approve"), ("reason", "  ")],
        );
        assert_eq!(page.status, 422, "{backend}: decision without a reason");
        assert!(page.body.contains("Γράψτε την αιτιολογία της απόφασης"));
        let page = coordinator.post(
            &format!("/requests/{erasure}/decide"),
            &[("reason", "Ελέγχθηκε η ταυτότητα")],
        );
        assert_eq!(page.status, 422, "{backend}: decision missing");
        assert!(
            page.body.contains("Ελέγχθηκε η ταυτότητα"),
            "{backend}: typed reason lost"
        );
        assert_eq!(request_status(&store, &erasure), "pending");
        let page = coordinator.post(
            &format!("/requests/{erasure}/decide"),
            &[("decision", "approve"), ("reason", "Ελέγχθηκε η ταυτότητα")],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert_eq!(request_status(&store, &erasure), "approved");
        assert_eq!(
            person_of(&store, &erased_case),
            None,
            "{backend}: not erased"
        );
        assert_eq!(audit_count(&store, "case.anonymise", &erased_case), 1);

        // A subject-access request: approved, then downloaded by the coordinator.
        let page = caseworker.post(
            &path,
            &[
                ("kind", "subject_access"),
                ("reason", "Το άτομο ζήτησε αντίγραφο"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}");
        let sar = request_id(&store, &sar_case, "subject_access");
        let export = format!("/requests/{sar}/export.json");
        assert_eq!(
            coordinator.get(&export).status,
            404,
            "{backend}: before approval"
        );
        let page = coordinator.post(
            &format!("/requests/{sar}/decide"),
            &[("decision", "approve"), ("reason", "Ταυτοποιήθηκε")],
        );
        assert_eq!(page.status, 200, "{backend}");
        let list = coordinator.get("/requests");
        assert!(list.body.contains(&export), "{backend}: no export link");
        assert_eq!(caseworker.get(&export).status, 404, "{backend}: caseworker");

        let before = audit_count(&store, "case.subject_access.download", &sar_case);
        let download = coordinator.get(&export);
        assert_eq!(download.status, 200, "{backend}");
        assert_eq!(
            download.headers.get("cache-control").unwrap(),
            "no-store",
            "{backend}"
        );
        let json: serde_json::Value = serde_json::from_str(&download.body).unwrap();
        assert_eq!(json["person"]["given_name"], SAR_GIVEN, "{backend}");
        assert_eq!(json["person"]["family_name"], SAR_FAMILY, "{backend}");
        assert_eq!(json["intake"]["reason"], "Φανταστικός λόγος παραπομπής");
        assert!(
            json["followups"].is_array(),
            "{backend}: follow-ups missing"
        );
        assert!(json["services"].is_array(), "{backend}: services missing");
        assert!(
            json["audit_events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|event| event["action"] == "case.view"
                    || event["action"] == "case.requests.view"),
            "{backend}: audit events missing"
        );
        assert_eq!(
            audit_count(&store, "case.subject_access.download", &sar_case),
            before + 1,
            "{backend}: download not audited"
        );

        let print = coordinator.get(&format!("/requests/{sar}/export"));
        assert_eq!(print.status, 200, "{backend}");
        assert!(print.body.contains(SAR_GIVEN), "{backend}");
        assert_eq!(print.headers.get("cache-control").unwrap(), "no-store");
        assert_eq!(
            audit_count(&store, "case.subject_access.print", &sar_case),
            1
        );
        let pdf = coordinator.get(&format!("/requests/{sar}/export.pdf"));
        assert_eq!(pdf.status, 200, "{backend}: {}", pdf.body);
        assert!(pdf.body.starts_with("%PDF"), "{backend}: not a PDF");
        assert_eq!(pdf.headers.get("cache-control").unwrap(), "no-store");
        assert_eq!(audit_count(&store, "case.subject_access.pdf", &sar_case), 1);
        assert!(!server.log().contains(SAR_GIVEN), "{backend}: name logged");
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}
