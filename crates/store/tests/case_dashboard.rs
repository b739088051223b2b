//! The case dashboard's counts and the context page's own numbers: the same
//! records written to SQLite and PostgreSQL give the same figures, and the
//! figures are the expected ones (period, organisation and region filters,
//! codes inside service details, overdue items).

use chrono::NaiveDate;
use procap_domain::stats::amif::Period;
use procap_store::case_dashboard::{self, CaseDashboard, DashboardScope, OwnContext};
use procap_store::case_records::{self, NewServiceRecord};
use procap_store::cases::{self, AnonymisedCase, PersonDetails, Registration};
use procap_store::plan::{self, GoalFields};
use procap_store::testing::TestDatabase;
use procap_store::{Db, followups, organisations, users};
use serde_json::json;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One registered case: sex, citizenship, region, exploitation, opened on.
struct Person {
    sex: &'static str,
    citizenship: &'static str,
    region: &'static str,
    exploitation: &'static str,
    opened_on: NaiveDate,
}

fn register(
    db: &mut Db<'_>,
    organisation: &str,
    prefix: &str,
    user: &str,
    person: &Person,
) -> cases::Case {
    cases::register(
        db,
        Registration {
            organisation_id: organisation,
            case_code_prefix: prefix,
            created_by: user,
            person: PersonDetails {
                given_name: "Δοκιμή".into(),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: person.sex.into(),
                citizenships: person.citizenship.into(),
                legal_status: "other".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: person.region.into(),
                setting: "urban_area".into(),
                exploitation_types: person.exploitation.into(),
                means_of_control: "threats;debt_bondage".into(),
                age_bracket: Some("18_20".into()),
                opened_on: person.opened_on,
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "ngo".into(),
                referred_on: person.opened_on,
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap()
}

fn service(
    db: &mut Db<'_>,
    case_id: &str,
    user: &str,
    line: &str,
    on: NaiveDate,
    minutes: i32,
    details: serde_json::Value,
) {
    case_records::add_service_record(
        db,
        &NewServiceRecord {
            case_id,
            line,
            occurred_on: on,
            duration_minutes: minutes,
            staff_user_id: user,
            beneficiary_present: true,
            details: &details,
            outcome: None,
            notes: None,
        },
    )
    .unwrap();
}

/// Fills two organisations with cases, services, a plan and follow-ups,
/// the same on every backend. Returns the first organisation's id.
fn fill(db: &mut Db<'_>) -> (String, String) {
    let ngo = organisations::create(db, "Οργάνωση Α", "ngo", "OA").unwrap();
    let other = organisations::create(db, "Οργάνωση Β", "ngo", "OB").unwrap();
    let new_user = |db: &mut Db<'_>, organisation: &str, name: &str| {
        users::create(
            db,
            &users::NewUser {
                organisation_id: organisation,
                username: name,
                display_name: "Δοκιμή",
                email: None,
                role: "caseworker",
                password_hash: "x",
                must_change_password: false,
                locale: "el",
            },
        )
        .unwrap()
    };
    let user = new_user(db, &ngo.id, "cw_a");
    let other_user = new_user(db, &other.id, "cw_b");

    let first = register(
        db,
        &ngo.id,
        "OA",
        &user.id,
        &Person {
            sex: "female",
            citizenship: "NG",
            region: "attica",
            exploitation: "sexual_exploitation",
            opened_on: date(2026, 1, 10),
        },
    );
    let second = register(
        db,
        &ngo.id,
        "OA",
        &user.id,
        &Person {
            sex: "male",
            citizenship: "AF",
            region: "central_macedonia",
            exploitation: "forced_labour;forced_begging",
            opened_on: date(2026, 2, 3),
        },
    );
    // Opened before the period and closed before it began: not counted.
    let old = register(
        db,
        &ngo.id,
        "OA",
        &user.id,
        &Person {
            sex: "female",
            citizenship: "UA",
            region: "attica",
            exploitation: "forced_labour",
            opened_on: date(2025, 3, 1),
        },
    );
    case_records::close(
        db,
        &old.id,
        old.version,
        date(2025, 6, 30),
        "assistance_completed",
    )
    .unwrap();
    // The other organisation's case.
    let elsewhere = register(
        db,
        &other.id,
        "OB",
        &other_user.id,
        &Person {
            sex: "female",
            citizenship: "UA",
            region: "attica",
            exploitation: "forced_labour",
            opened_on: date(2026, 1, 20),
        },
    );

    service(
        db,
        &first.id,
        &user.id,
        "case_management",
        date(2026, 1, 12),
        60,
        json!({ "session_type": "intake" }),
    );
    service(
        db,
        &first.id,
        &user.id,
        "interpretation",
        date(2026, 1, 12),
        90,
        json!({ "language": "en", "mode": "in_person" }),
    );
    service(
        db,
        &second.id,
        &user.id,
        "interpretation",
        date(2026, 2, 5),
        30,
        json!({ "language": "fa", "mode": "phone" }),
    );
    service(
        db,
        &second.id,
        &user.id,
        "interpretation",
        date(2026, 3, 5),
        60,
        json!({ "language": "fa", "mode": "phone" }),
    );
    service(
        db,
        &first.id,
        &user.id,
        "legal",
        date(2026, 2, 1),
        45,
        json!({ "legal_kind": "representation", "court": "criminal_first_instance", "hearing_on": "2026-03-15", "hearing_outcome": "adjourned" }),
    );
    service(
        db,
        &second.id,
        &user.id,
        "legal",
        date(2026, 2, 10),
        30,
        json!({ "legal_kind": "consultation" }),
    );
    // A hearing after the period does not count as a hearing of it.
    service(
        db,
        &second.id,
        &user.id,
        "legal",
        date(2026, 3, 1),
        30,
        json!({ "legal_kind": "representation", "hearing_on": "2026-09-01" }),
    );
    service(
        db,
        &elsewhere.id,
        &other_user.id,
        "interpretation",
        date(2026, 2, 2),
        120,
        json!({ "language": "uk", "mode": "video" }),
    );

    // An overdue review on an open case, and one that is not yet due.
    plan::add_goal(
        db,
        &first.id,
        &user.id,
        &GoalFields {
            support_type: "legal",
            description: "Στόχος",
            responsible_user_id: &user.id,
            agreed_on: date(2026, 1, 15),
            due_on: date(2026, 12, 31),
            next_review_on: Some(date(2026, 3, 1)),
        },
    )
    .unwrap();
    plan::add_goal(
        db,
        &first.id,
        &user.id,
        &GoalFields {
            support_type: "housing",
            description: "Στόχος",
            responsible_user_id: &user.id,
            agreed_on: date(2026, 1, 15),
            due_on: date(2026, 12, 31),
            next_review_on: Some(date(2026, 6, 1)),
        },
    )
    .unwrap();
    // The closed old case has one follow-up past due and one to come.
    followups::schedule(db, &old.id, date(2025, 6, 30), &[3, 12]).unwrap();

    // CTDC records: historical cases the context page leaves out.
    cases::import_anonymised(
        db,
        &ngo.id,
        "OA",
        case_dashboard::CTDC_ORIGIN,
        &[AnonymisedCase {
            registration_year: 2016,
            sex: "female".into(),
            age_bracket: None,
            is_minor: false,
            citizenship: Some("PH".into()),
            exploitation_types: "forced_labour".into(),
            means_of_control: "threats".into(),
            forced_labour_industry: None,
            trafficker_relationship: None,
            countries_exploitation: String::new(),
        }],
        |_| {},
    )
    .unwrap();
    (ngo.id, other.id)
}

fn scope(organisation: Option<&str>, region: Option<&str>) -> DashboardScope {
    DashboardScope {
        period: Period::new(date(2026, 1, 1), date(2026, 3, 31)).unwrap(),
        organisation_id: organisation.map(str::to_owned),
        region: region.map(str::to_owned),
        as_of: date(2026, 3, 31),
    }
}

fn count_of(rows: &[(Option<String>, i64)], code: &str) -> i64 {
    rows.iter()
        .find(|(known, _)| known.as_deref() == Some(code))
        .map_or(0, |(_, count)| *count)
}

/// Everything the dashboard and the context page load on one backend.
type Figures = (CaseDashboard, CaseDashboard, CaseDashboard, OwnContext);

/// Loads the figures with the organisation ids, which are random, blanked.
fn figures(database: &TestDatabase) -> Figures {
    let store = database.store();
    let without_ids = |mut dashboard: CaseDashboard| {
        for line in &mut dashboard.overdue {
            line.organisation_id.clear();
        }
        dashboard
    };
    store
        .run_blocking(|db| {
            let (ngo, _) = fill(db);
            Ok((
                without_ids(case_dashboard::load(db, &scope(None, None))?),
                without_ids(case_dashboard::load(db, &scope(Some(&ngo), None))?),
                without_ids(case_dashboard::load(
                    db,
                    &scope(Some(&ngo), Some("attica")),
                )?),
                case_dashboard::own_context(db, Some(&ngo), None)?,
            ))
        })
        .unwrap()
}

#[test]
fn dashboard_figures_match_on_both_databases() {
    let runs: Vec<(String, Figures)> = TestDatabase::each_backend()
        .iter()
        .map(|database| (format!("{:?}", database.backend()), figures(database)))
        .collect();
    let (_, first) = &runs[0];
    for (backend, other) in &runs[1..] {
        assert_eq!(first.0, other.0, "all organisations differ on {backend}");
        assert_eq!(first.1, other.1, "one organisation differs on {backend}");
        assert_eq!(first.2, other.2, "one region differs on {backend}");
        assert_eq!(first.3, other.3, "own context differs on {backend}");
    }
}

#[test]
fn dashboard_counts_the_period_and_scope() {
    let database = TestDatabase::sqlite();
    let (all, ngo, attica, own) = figures(&database);

    // Three cases were open in the first quarter of 2026; the old one
    // closed in 2025 does not count.
    assert_eq!(all.caseload.total, 3);
    assert_eq!(ngo.caseload.total, 2);
    assert_eq!(attica.caseload.total, 1);
    assert_eq!(count_of(&all.caseload.sex, "female"), 2);
    assert_eq!(count_of(&ngo.caseload.citizenship, "AF"), 1);
    assert_eq!(
        count_of(
            &ngo.caseload.exploitation_types,
            "forced_labour;forced_begging"
        ),
        1
    );
    assert_eq!(count_of(&all.caseload.status, "open"), 3);
    assert_eq!(all.opened.len(), 3);
    assert!(all.closed.is_empty(), "{:?}", all.closed);

    let interpretation: Vec<(Option<&str>, i64, i64, i64)> = all
        .interpretation
        .iter()
        .map(|g| (g.code.as_deref(), g.services, g.cases, g.minutes))
        .collect();
    assert_eq!(
        interpretation,
        [
            (Some("en"), 1, 1, 90),
            (Some("fa"), 2, 1, 90),
            (Some("uk"), 1, 1, 120)
        ]
    );
    assert_eq!(
        ngo.interpretation.len(),
        2,
        "the other organisation's language is left out"
    );

    let legal: Vec<(Option<&str>, i64, i64)> = ngo
        .legal
        .iter()
        .map(|g| (g.code.as_deref(), g.services, g.cases))
        .collect();
    assert_eq!(
        legal,
        [(Some("consultation"), 1, 1), (Some("representation"), 2, 2)]
    );
    let hearings: Vec<(Option<&str>, i64)> = ngo
        .hearings
        .iter()
        .map(|g| (g.code.as_deref(), g.services))
        .collect();
    assert_eq!(hearings, [(Some("adjourned"), 1)]);

    let services: i64 = ngo.services.iter().map(|(_, _, count)| count).sum();
    assert_eq!(services, 7);
    assert!(
        ngo.services
            .contains(&("legal".to_owned(), date(2026, 2, 10), 1))
    );

    assert_eq!(ngo.overdue.len(), 1);
    assert_eq!(ngo.overdue[0].organisation_name, "Οργάνωση Α");
    assert_eq!(ngo.overdue[0].reviews, 1);
    assert_eq!(ngo.overdue[0].review_cases, 1);
    assert_eq!(ngo.overdue[0].followups, 1);
    assert_eq!(attica.overdue[0].followups, 1, "the old case is in Attica");

    assert_eq!(
        own.per_year,
        [(2025, 1), (2026, 2)],
        "CTDC records are left out"
    );
    assert_eq!(
        own.means_of_control,
        [("threats;debt_bondage".to_owned(), 3)],
        "stored as registered"
    );
}

/// Returns the lines of service of each participant, sorted, to compare
/// without the participants' ids.
fn served_lines(input: &procap_store::reporting::AmifInput) -> Vec<Vec<&'static str>> {
    let mut all: Vec<Vec<&'static str>> = input
        .served
        .values()
        .map(|lines| {
            let mut names: Vec<&'static str> = lines.iter().map(|line| line.as_str()).collect();
            names.sort_unstable();
            names
        })
        .collect();
    all.sort();
    all
}

#[test]
fn amif_input_keeps_period_and_organisation() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let (ngo, _) = database.store().run_blocking(|db| Ok(fill(db))).unwrap();
        let february = Period::new(date(2026, 2, 1), date(2026, 2, 28)).unwrap();
        let (own, all) = database
            .store()
            .run_blocking(|db| {
                Ok((
                    procap_store::reporting::amif_input(db, february, Some(&ngo))?,
                    procap_store::reporting::amif_input(db, february, None)?,
                ))
            })
            .unwrap();
        // The first case had legal assistance in February, the second
        // interpretation and legal assistance; the other organisation's
        // case had interpretation, which only the total counts.
        assert_eq!(
            served_lines(&own),
            vec![vec!["interpretation", "legal"], vec!["legal"]],
            "{backend}"
        );
        assert_eq!(own.participants.len(), 2, "{backend}");
        assert_eq!(
            served_lines(&all),
            vec![
                vec!["interpretation"],
                vec!["interpretation", "legal"],
                vec!["legal"]
            ],
            "{backend}"
        );
        assert_eq!(all.participants.len(), 3, "{backend}");
    }
}
