//! One case from referral to follow-up, clicked through in headless
//! Chromium with the Greek interface, on SQLite (the HTTP tests cover
//! PostgreSQL): registration with the duplicate check, screening, NRM
//! referral, a case plan the coordinator approves, one service of every
//! line, an interpreter appointment the interpreter completes from the
//! agenda, consent and a referral to another organisation, closure and the
//! first follow-up contact. Each step saves a screenshot in
//! `target/screenshots/` (or `PROCAP_SCREENSHOT_DIR`) as `walk-NN-step.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the test is
//! skipped with a message, except under CI (`CI=true`), where it fails.
//! Every person and detail below is invented.

mod common;

use chrono::NaiveDate;
use common::TestServer;
use fantoccini::Locator;
use procap_store::testing::TestDatabase;

const GIVEN_NAME: &str = "Ιφεόμα";
const FAMILY_NAME: &str = "Περιπατήτρια";
const BIRTH_DATE: &str = "2000-10-09";
const GOAL: &str = "Κατάθεση αίτησης για άδεια διαμονής θύματος";
const REFERRAL_REASON: &str = "Χρειάζεται θέση σε δομή φιλοξενίας με εξειδικευμένη υποστήριξη";
const PLACE: &str = "Γραφείο Δοκιμών, Πειραιώς 1";

/// The indicators ticked on the adult labour list: two deceptive
/// recruitment, two exploitative conditions and two coercion at destination,
/// which the screening rule reads as trafficking indicated.
const INDICATORS: [&str; 6] = [
    "adult_labour.deceptive_recruitment.about_nature_of_job",
    "adult_labour.deceptive_recruitment.about_conditions_of_work",
    "adult_labour.exploitative_conditions.excessive_working_days_or_hours",
    "adult_labour.exploitative_conditions.low_or_no_salary",
    "adult_labour.coercion_at_destination.confiscation_of_documents",
    "adult_labour.coercion_at_destination.debt_bondage",
];

/// Today in Athens, as the server counts dates.
fn today() -> NaiveDate {
    common::athens_today()
}

/// Registers the same person in the national centre's organisation, so
/// the caseworker's registration meets the duplicate check.
fn earlier_registration(server: &TestServer) {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key")).unwrap();
    let store = procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .unwrap();
    store
        .run_blocking(|db| {
            let centre = procap_store::organisations::list(db)?
                .into_iter()
                .find(|organisation| organisation.case_code_prefix == "EKA")
                .expect("the demo's national centre");
            let monitoring = procap_store::users::find_by_username(db, "monitoring")?
                .expect("a demo user of the centre");
            procap_store::cases::register(
                db,
                procap_store::cases::Registration {
                    organisation_id: &centre.id,
                    case_code_prefix: &centre.case_code_prefix,
                    created_by: &monitoring.id,
                    person: procap_store::cases::PersonDetails {
                        given_name: GIVEN_NAME.to_owned(),
                        family_name: Some(FAMILY_NAME.to_owned()),
                        birth_date: BIRTH_DATE.parse().ok(),
                        ..Default::default()
                    },
                    attributes: procap_store::cases::PersonAttributes {
                        sex: "female".into(),
                        citizenships: "NG".into(),
                        languages: "en".into(),
                        legal_status: "asylum_seeker".into(),
                        ..Default::default()
                    },
                    case: procap_store::cases::CaseAttributes {
                        region: "central_macedonia".into(),
                        setting: "urban_area".into(),
                        exploitation_types: "forced_labour".into(),
                        opened_on: today() - chrono::Duration::days(60),
                        ..Default::default()
                    },
                    intake: procap_store::cases::IntakeReferral {
                        source: "ngo".into(),
                        referred_on: today() - chrono::Duration::days(61),
                        referring_contact: None,
                        reason: None,
                    },
                },
            )
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_case_from_referral_to_follow_up_in_chromium() {
    let server = tokio::task::spawn_blocking(|| {
        let server = TestServer::demo(TestDatabase::sqlite());
        earlier_registration(&server);
        server
    })
    .await
    .unwrap();

    let Some(browser) = common::walk::start(&server.base, "walk").await else {
        return;
    };
    let mut walk = browser.walk;
    let today = today();
    let date = |days_ago: i64| {
        (today - chrono::Duration::days(days_ago))
            .format("%Y-%m-%d")
            .to_string()
    };

    // Referral and registration, with the duplicate check.
    walk.sign_in("caseworker").await;
    walk.goto("/cases/new").await;
    let lang = walk
        .client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("el"));
    let registration = "form[action='/cases/new']";
    let referred_on = date(3);
    walk.fill(
        registration,
        &[
            ("referral_source", "labour_inspectorate"),
            ("referred_on", &referred_on),
            ("referring_contact", "Επιθεώρηση Εργασίας, τμήμα Δοκιμών"),
            ("referral_reason", "Εργασία σε θερμοκήπια χωρίς αμοιβή"),
            ("given_name", GIVEN_NAME),
            ("family_name", FAMILY_NAME),
            ("birth_date", BIRTH_DATE),
            ("sex", "female"),
            ("citizenships", "NG"),
            ("languages", "en"),
            ("interpreter_gender", "female"),
            ("legal_status", "asylum_seeker"),
            ("region", "attica"),
            ("setting", "hosting_facility"),
            ("facility", "Δομή Φιλοξενίας Δοκιμών"),
            ("exploitation_types", "forced_labour"),
            ("forced_labour_industry", "agriculture"),
            ("means_of_control", "debt_bondage"),
            ("countries_exploitation", "GR"),
        ],
    )
    .await;
    walk.shot("registration-form").await;
    walk.submit(registration).await;
    let body = walk.body().await;
    assert!(
        body.contains("Πιθανή διπλή καταχώριση"),
        "no duplicate notice: {body}"
    );
    assert!(
        !body.contains("KA-") || !body.contains("EKA-"),
        "the other organisation's case code is shown"
    );
    walk.shot("duplicate-check").await;
    walk.fill(registration, &[("duplicate_checked", "yes")])
        .await;
    walk.submit(registration).await;
    let case_path = walk.path().await;
    assert!(
        case_path.starts_with("/cases/") && !case_path.ends_with("/new"),
        "not on the case page: {case_path}"
    );
    let body = walk.body().await;
    assert!(body.contains(GIVEN_NAME), "the case page lacks the person");
    walk.shot("case-page").await;

    // A correction through the edit form.
    walk.click_and_wait(&format!("a[href='{case_path}/edit']"))
        .await;
    let edit = format!("form[action='{case_path}/edit']");
    walk.fill(&edit, &[("aliases", "Ίφη")]).await;
    walk.shot("case-edit").await;
    walk.submit(&edit).await;
    assert_eq!(walk.path().await, case_path, "the edit was not saved");
    assert!(walk.body().await.contains("Ίφη"), "the alias is not shown");

    // Screening with the ILO indicators.
    walk.goto(&format!("{case_path}/screening/new?age=adult&form=labour"))
        .await;
    let screening = format!("form[action='{case_path}/screening/new'][method=post]");
    for indicator in INDICATORS {
        walk.fill(&screening, &[("indicator", indicator)]).await;
    }
    walk.shot("screening-form").await;
    walk.submit(&screening).await;
    let body = walk.body().await;
    assert!(
        body.contains("Υπάρχουν ενδείξεις εμπορίας ανθρώπων"),
        "no screening result: {body}"
    );
    walk.shot("screening-result").await;

    // Referral to the NRM.
    walk.goto(&format!("{case_path}/nrm")).await;
    let nrm = format!("form[action='{case_path}/nrm']");
    let referred = date(1);
    walk.fill(
        &nrm,
        &[
            ("status", "referred"),
            ("occurred_on", &referred),
            ("reference", "ΕΜΑ-ΔΟΚ-0007/2026"),
        ],
    )
    .await;
    walk.submit(&nrm).await;
    let body = walk.body().await;
    assert!(
        body.contains("Έχει παραπεμφθεί στον ΕΜΑ"),
        "NRM status: {body}"
    );
    walk.shot("nrm-referred").await;

    // A case plan, submitted for approval.
    walk.goto(&format!("{case_path}/plan")).await;
    let goals = format!("form[action='{case_path}/plan/goals']");
    let responsible = walk
        .client
        .find(Locator::Css(&format!(
            "{goals} select[name='responsible'] option:not([value=''])"
        )))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    // Yesterday: the plan page counts days in UTC, the others in Athens time.
    let agreed = date(1);
    let due = (today + chrono::Duration::days(60))
        .format("%Y-%m-%d")
        .to_string();
    walk.fill(
        &goals,
        &[
            ("support_type", "legal"),
            ("description", GOAL),
            ("responsible", &responsible),
            ("agreed_on", &agreed),
            ("due_on", &due),
        ],
    )
    .await;
    walk.submit(&goals).await;
    walk.shot("plan-goal").await;
    let body = walk.body().await;
    assert!(body.contains(GOAL), "goal not in the plan");
    assert!(
        walk.client
            .find(Locator::Css(&format!(
                "form[action='{case_path}/plan/submit']"
            )))
            .await
            .is_ok(),
        "the plan cannot be submitted: {body}"
    );
    walk.submit(&format!("form[action='{case_path}/plan/submit']"))
        .await;
    walk.shot("plan-submitted").await;

    // The coordinator approves the plan.
    walk.sign_in("coordinator").await;
    walk.goto(&format!("{case_path}/plan")).await;
    walk.submit(&format!("form[action='{case_path}/plan/approve']"))
        .await;
    walk.shot("plan-approved").await;
    assert!(
        walk.client
            .find(Locator::Css(&format!(
                "form[action='{case_path}/plan/approve']"
            )))
            .await
            .is_err(),
        "the plan still waits for approval"
    );

    // One service of every line.
    walk.sign_in("caseworker").await;
    let service_date = date(0);
    let lines: [(&str, Vec<(&str, &str)>); 7] = [
        ("case_management", vec![("session_type", "follow_up")]),
        (
            "psychosocial",
            vec![
                ("format", "individual"),
                ("modality", "in_person"),
                ("sessions", "1"),
            ],
        ),
        (
            "legal",
            vec![
                ("legal_kind", "representation"),
                ("court", "criminal_first_instance"),
                ("case_number", "ΔΟΚ-ΒΜ-2026-15"),
                ("hearing_outcome", "adjourned"),
            ],
        ),
        (
            "interpretation",
            vec![("language", "en"), ("mode", "in_person")],
        ),
        (
            "escort",
            vec![
                ("destination", "hospital"),
                ("escort_purpose", "medical_appointment"),
            ],
        ),
        ("integration", vec![("activity", "language_course")]),
        (
            "material_assistance",
            vec![("assistance_kind", "food"), ("value_eur", "20")],
        ),
    ];
    for (line, extra) in &lines {
        walk.goto(&format!("{case_path}/services/new?line={line}"))
            .await;
        let form = format!("form[action^='{case_path}/services/new']");
        let mut fields = vec![
            ("occurred_on", service_date.as_str()),
            ("duration_minutes", "45"),
            ("beneficiary_present", "yes"),
            ("outcome", "completed"),
        ];
        fields.extend(extra.iter().copied());
        walk.fill(&form, &fields).await;
        walk.submit(&form).await;
        let path = walk.path().await;
        assert!(
            !path.ends_with("/services/new"),
            "{line} not recorded: {}",
            walk.body().await
        );
    }
    walk.goto(&format!("{case_path}/services")).await;
    walk.shot("services").await;

    // An interpreter appointment: proposed, booked, seen and completed.
    walk.goto(&format!("{case_path}/appointments")).await;
    let appointments = format!("form[action='{case_path}/appointments']");
    let day = (today + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let starts_at = format!("{day}T10:00");
    let request = [
        ("kind", "interpretation"),
        ("starts_at", starts_at.as_str()),
        ("duration_minutes", "60"),
        ("place", PLACE),
        ("language", "en"),
        ("gender", "female"),
    ];
    walk.fill(&appointments, &request).await;
    walk.click_and_wait(&format!("{appointments} button[name='propose']"))
        .await;
    let interpreter_id = walk
        .client
        .find(Locator::Css(&format!(
            "{appointments} select[name='staff_user_id'] option:not([value=''])"
        )))
        .await
        .expect("an interpreter proposed")
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    walk.fill(&appointments, &[("staff_user_id", &interpreter_id)])
        .await;
    walk.shot("appointment-proposed").await;
    walk.click_and_wait(&format!("{appointments} button[name='book']"))
        .await;
    assert!(
        walk.client
            .find(Locator::Css("form[action$='/cancel']"))
            .await
            .is_ok(),
        "the appointment was not booked: {}",
        walk.body().await
    );
    walk.shot("appointment-booked").await;

    walk.sign_in("interpreter").await;
    walk.goto(&format!("/agenda?day={day}")).await;
    let agenda = walk.body().await;
    assert!(agenda.contains(PLACE), "the agenda lacks the appointment");
    assert!(
        !agenda.contains(GIVEN_NAME) && !agenda.contains(FAMILY_NAME),
        "the agenda shows the person's name"
    );
    walk.shot("interpreter-agenda").await;
    walk.submit("form[action$='/complete']").await;
    walk.shot("interpreter-completed").await;

    // Consent to share with another organisation, then the referral.
    walk.sign_in("caseworker").await;
    walk.goto(&format!("{case_path}/services")).await;
    assert!(
        walk.body().await.contains("8 καταγεγραμμένες υπηρεσίες"),
        "the completed appointment did not become a service record"
    );
    walk.goto(&format!("{case_path}/consents")).await;
    let consents = format!("form[action='{case_path}/consents']");
    let recipient = walk
        .client
        .find(Locator::Css(&format!(
            "{consents} select[name='recipient_organisation_id'] option:not([value=''])"
        )))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    let consent_date = date(0);
    walk.fill(
        &consents,
        &[
            ("purpose", "sharing"),
            ("recipient_organisation_id", &recipient),
            ("given", "yes"),
            ("recorded_on", &consent_date),
            ("language", "en"),
        ],
    )
    .await;
    walk.submit(&consents).await;
    walk.shot("consent").await;

    walk.goto(&format!("{case_path}/referrals")).await;
    let referrals = format!("form[action='{case_path}/referrals']");
    let service_line = walk
        .client
        .find(Locator::Css(&format!(
            "{referrals} select[name='service_line'] option:not([value=''])"
        )))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    walk.fill(
        &referrals,
        &[
            ("to_organisation_id", &recipient),
            ("service_line", &service_line),
            ("reason", REFERRAL_REASON),
        ],
    )
    .await;
    walk.submit(&referrals).await;
    let body = walk.body().await;
    assert!(
        walk.client
            .find(Locator::Css("form[action$='/revoke']"))
            .await
            .is_ok(),
        "the referral was not sent: {body}"
    );
    walk.shot("referral-sent").await;

    // Closure, confirmed.
    walk.goto(&format!("{case_path}/close")).await;
    let close = format!("form[action='{case_path}/close']");
    let closed_on = date(0);
    walk.fill(
        &close,
        &[
            ("closure_reason", "assistance_completed"),
            ("closed_on", &closed_on),
        ],
    )
    .await;
    walk.submit(&close).await;
    walk.shot("closure-confirm").await;
    walk.submit(&close).await;
    walk.goto(&format!("{case_path}/close")).await;
    let body = walk.body().await;
    assert!(
        body.contains("Ολοκλήρωση της υποστήριξης"),
        "closure not recorded: {body}"
    );
    walk.shot("closed").await;

    // The first follow-up contact after closure.
    walk.goto(&format!("{case_path}/followups")).await;
    walk.shot("followups").await;
    walk.client
        .find(Locator::Css(&format!("a[href^='{case_path}/followups/']")))
        .await
        .expect("a follow-up to record")
        .click()
        .await
        .unwrap();
    walk.client
        .wait()
        .for_element(Locator::Css("form[action*='/followups/']"))
        .await
        .unwrap();
    let followup = "form[action*='/followups/']";
    let contacted_on = date(0);
    walk.fill(
        followup,
        &[
            ("contacted_on", &contacted_on),
            ("contact_made", "yes"),
            ("note", "Επικοινωνία τηλεφωνικά, όλα καλά"),
        ],
    )
    .await;
    walk.submit(followup).await;
    walk.shot("followup-recorded").await;
    assert!(
        walk.path().await.ends_with("/followups"),
        "the follow-up was not saved: {}",
        walk.body().await
    );

    walk.client.close().await.unwrap();
    drop(server);
}
