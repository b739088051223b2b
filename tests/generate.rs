//! `procap generate`: the scale generator fills the database with cases,
//! their records, audit events and trainees that pass the same checks as
//! data entered through the pages, on both backends.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{DEMO_PASSWORD, TestServer, each_backend};
use diesel::prelude::*;
use procap_store::schema::{
    audit_log, cases, consents, person_identifiers, service_records, users,
};
use procap_store::schema_appointments::appointments;
use procap_store::schema_plan::{case_plan_reviews, case_plans};
use procap_store::schema_referrals::referrals;
use procap_store::schema_training::{certificates, quiz_attempts};

const CASES: i64 = 120;
const TRAINEES: i64 = 15;
/// Cases `procap demo` registers itself.
const DEMO_CASES: i64 = 3;

fn store(server: &TestServer) -> procap_store::Store {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key")).unwrap();
    procap_store::Store::open(
        &server.database.url,
        Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .unwrap()
}

#[test]
fn generated_data_is_counted_opens_and_verifies() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let output = server.cli(&[
            "generate",
            "--cases",
            &CASES.to_string(),
            "--trainees",
            &TRAINEES.to_string(),
            "--password",
            DEMO_PASSWORD,
            "--batch",
            "50",
        ]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: generate failed:\n{stdout}\n{}",
            server.backend(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains(&format!("{CASES} cases")), "{stdout}");

        let store = store(&server);
        let counts = store
            .run_blocking(|db| {
                let generated: i64 = cases::table
                    .filter(cases::origin.eq("procap"))
                    .count()
                    .get_result(db.conn)?;
                let services: i64 = service_records::table.count().get_result(db.conn)?;
                let lines: Vec<String> = service_records::table
                    .select(service_records::line)
                    .distinct()
                    .load(db.conn)?;
                let identifiers: i64 = person_identifiers::table.count().get_result(db.conn)?;
                let appointments: i64 = appointments::table.count().get_result(db.conn)?;
                let consents: i64 = consents::table.count().get_result(db.conn)?;
                let referrals: i64 = referrals::table.count().get_result(db.conn)?;
                let plans: i64 = case_plans::table.count().get_result(db.conn)?;
                let reviews: i64 = case_plan_reviews::table.count().get_result(db.conn)?;
                let audit: i64 = audit_log::table.count().get_result(db.conn)?;
                let trainees: i64 = users::table
                    .filter(users::username.like("trainee-%"))
                    .count()
                    .get_result(db.conn)?;
                let attempts: i64 = quiz_attempts::table
                    .filter(quiz_attempts::submitted_at.is_not_null())
                    .count()
                    .get_result(db.conn)?;
                let certificates: i64 = certificates::table.count().get_result(db.conn)?;
                Ok((
                    generated,
                    services,
                    lines,
                    identifiers,
                    appointments,
                    consents,
                    referrals,
                    (plans, reviews),
                    audit,
                    (trainees, attempts, certificates),
                ))
            })
            .unwrap();
        let (
            generated,
            services,
            lines,
            identifiers,
            appointments,
            consents,
            referrals,
            (plans, reviews),
            audit,
            (trainees, attempts, certificates),
        ) = counts;
        let backend = server.backend();
        assert_eq!(generated, CASES + DEMO_CASES, "{backend}: cases");
        assert!(
            (CASES * 14..=CASES * 26).contains(&services),
            "{backend}: {services} service records for {CASES} cases"
        );
        let lines: BTreeSet<String> = lines.into_iter().collect();
        assert_eq!(lines.len(), 7, "{backend}: every service line: {lines:?}");
        assert!(identifiers >= 2 * CASES, "{backend}: blind indexes");
        assert!(appointments >= CASES, "{backend}: appointments");
        assert!(consents >= CASES, "{backend}: consents");
        assert!(referrals > 0 && referrals < CASES, "{backend}: referrals");
        assert!(
            plans > CASES / 2 && reviews > 0,
            "{backend}: plans and reviews"
        );
        assert!(audit >= 4 * CASES, "{backend}: {audit} audit events");
        assert_eq!(trainees, TRAINEES, "{backend}: trainees");
        assert_eq!(
            attempts,
            2 * TRAINEES,
            "{backend}: a pre- and a post-test each"
        );
        assert!(certificates <= TRAINEES, "{backend}: certificates");

        // The audit chain written in batches verifies like any other.
        let verify = server.cli(&["audit", "verify"]);
        assert!(
            verify.status.success(),
            "{backend}: audit verify: {}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        );

        // Generated cases open, with their decrypted names and services.
        let coordinator = server.browser();
        coordinator.login("coordinator", DEMO_PASSWORD);
        let list = coordinator.get("/cases?status=open");
        assert_eq!(list.status, 200, "{backend}: case list");
        let code_and_id: Vec<(String, String)> = store
            .run_blocking(|db| {
                Ok(cases::table
                    .filter(cases::origin.eq("procap"))
                    .filter(cases::code.like("KA-%"))
                    .order(cases::created_at.desc())
                    .select((cases::code, cases::id))
                    .limit(3)
                    .load(db.conn)?)
            })
            .unwrap();
        assert_eq!(code_and_id.len(), 3);
        for (code, id) in code_and_id {
            let page = coordinator.get(&format!("/cases/{id}"));
            assert_eq!(page.status, 200, "{backend}: case page {code}");
            assert!(
                page.body.contains(&code),
                "{backend}: case page shows {code}"
            );
            let services = coordinator.get(&format!("/cases/{id}/services"));
            assert_eq!(services.status, 200, "{backend}: services of {code}");
        }

        // Generated accounts sign in with the given password.
        let caseworker = server.browser();
        let signed_in = caseworker.login("caseworker-0002", DEMO_PASSWORD);
        assert!(
            signed_in.status < 400,
            "{backend}: caseworker-0002 signs in"
        );
        let trainee = server.browser();
        let signed_in = trainee.login("trainee-00001", DEMO_PASSWORD);
        assert!(signed_in.status < 400, "{backend}: trainee-00001 signs in");
        assert_eq!(trainee.get("/training/courses").status, 200);
    });
}
