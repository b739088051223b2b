//! NRM deadlines across the cases in a user's scope, on every available
//! backend. All people and organisations are fictional.

use chrono::NaiveDate;
use procap_domain::case::nrm::NrmDeadlineKind;
use procap_store::case_records::{self, NrmChange};
use procap_store::cases::{self, CaseScope, PersonDetails, Registration};
use procap_store::nrm_deadlines::{self, NrmDeadline};
use procap_store::testing::TestDatabase;
use procap_store::{Db, organisations, users};

fn user(db: &mut Db<'_>, organisation_id: &str, username: &str, role: &str) -> users::User {
    users::create(
        db,
        &users::NewUser {
            organisation_id,
            username,
            display_name: username,
            email: None,
            role,
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn register(
    db: &mut Db<'_>,
    organisation: &organisations::Organisation,
    by: &users::User,
) -> cases::Case {
    cases::register(
        db,
        Registration {
            organisation_id: &organisation.id,
            case_code_prefix: &organisation.case_code_prefix,
            created_by: &by.id,
            person: PersonDetails {
                given_name: "Επινοημένη".to_owned(),
                family_name: Some("Παράδειγμα".to_owned()),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                citizenships: "NG".into(),
                languages: "en".into(),
                legal_status: "asylum_seeker".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: "attica".into(),
                setting: "urban_area".into(),
                exploitation_types: "sexual_exploitation".into(),
                opened_on: date(2026, 3, 2),
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "police".into(),
                referred_on: date(2026, 3, 1),
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap()
}

/// Sets the NRM status and clocks of a freshly registered case.
fn set_nrm(
    db: &mut Db<'_>,
    case: &cases::Case,
    by: &users::User,
    status: &str,
    reflection: Option<NaiveDate>,
    permit: Option<NaiveDate>,
) {
    case_records::change_nrm_status(
        db,
        &NrmChange {
            case_id: &case.id,
            expected_version: case.version,
            status,
            occurred_on: date(2026, 3, 10),
            reference: None,
            reflection_period_ends_on: reflection,
            residence_permit_expires_on: permit,
            recorded_by: &by.id,
        },
    )
    .unwrap();
}

fn summary(deadlines: &[NrmDeadline]) -> Vec<(String, &'static str, NaiveDate)> {
    deadlines
        .iter()
        .map(|d| (d.case_code.clone(), d.kind.as_str(), d.ends_on))
        .collect()
}

#[test]
fn deadlines_follow_scope_window_and_status() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        store
            .run_blocking(|db| {
                let ngo = organisations::create(db, "Οργάνωση Α", "ngo", "OA")?;
                let other = organisations::create(db, "Οργάνωση Β", "ngo", "OB")?;
                let owner = user(db, &ngo.id, "cw", "caseworker");
                let colleague = user(db, &ngo.id, "psy", "psychologist");
                let coordinator = user(db, &ngo.id, "co", "coordinator");
                let outsider = user(db, &other.id, "cw3", "caseworker");

                let soon = register(db, &ngo, &owner);
                set_nrm(
                    db,
                    &soon,
                    &owner,
                    "presumed_victim",
                    Some(date(2026, 6, 20)),
                    Some(date(2026, 6, 11)),
                );
                let far = register(db, &ngo, &owner);
                set_nrm(db, &far, &owner, "referred", None, Some(date(2026, 9, 1)));
                // A reflection date on a case that is no longer a presumed
                // victim is not a running clock.
                let moved_on = register(db, &ngo, &owner);
                set_nrm(
                    db,
                    &moved_on,
                    &owner,
                    "identified",
                    Some(date(2026, 5, 1)),
                    None,
                );
                let elsewhere = register(db, &other, &outsider);
                set_nrm(
                    db,
                    &elsewhere,
                    &outsider,
                    "referred",
                    None,
                    Some(date(2026, 6, 5)),
                );

                let until = date(2026, 7, 1);
                let expected = vec![
                    (soon.code.clone(), "residence_permit", date(2026, 6, 11)),
                    (soon.code.clone(), "reflection_period", date(2026, 6, 20)),
                ];
                let organisation = CaseScope::Organisation {
                    organisation_id: ngo.id.clone(),
                    user_id: coordinator.id.clone(),
                };
                let found = nrm_deadlines::due_in_scope(db, &organisation, until)?;
                assert_eq!(summary(&found), expected, "{backend}: coordinator");
                assert_eq!(found[0].case_id, soon.id, "{backend}");
                assert_eq!(found[0].kind, NrmDeadlineKind::ResidencePermit);

                let assigned = CaseScope::Assigned {
                    organisation_id: ngo.id.clone(),
                    user_id: owner.id.clone(),
                };
                let found = nrm_deadlines::due_in_scope(db, &assigned, until)?;
                assert_eq!(summary(&found), expected, "{backend}: caseworker");

                let unassigned = CaseScope::Assigned {
                    organisation_id: ngo.id.clone(),
                    user_id: colleague.id.clone(),
                };
                assert!(
                    nrm_deadlines::due_in_scope(db, &unassigned, until)?.is_empty(),
                    "{backend}: unassigned colleague"
                );

                let later = nrm_deadlines::due_in_scope(db, &organisation, date(2026, 9, 1))?;
                assert!(
                    summary(&later).contains(&(
                        far.code.clone(),
                        "residence_permit",
                        date(2026, 9, 1)
                    )),
                    "{backend}: far permit inside a wider window"
                );
                Ok(())
            })
            .unwrap();
    }
}
