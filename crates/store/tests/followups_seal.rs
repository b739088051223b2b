//! Follow-up contacts, sealing and break-glass grants on every available
//! backend, with fixed clocks where time matters.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use procap_store::cases::{self, CaseScope, PersonDetails, Registration};
use procap_store::followups::{self, FollowUpResult};
use procap_store::protection::{self, BreakGlass};
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

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

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap()
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
                given_name: "Φανταστική".to_owned(),
                family_name: Some("Δοκιμαστική".to_owned()),
                birth_date: Some(date(1998, 2, 3)),
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

#[test]
fn break_glass_lasts_one_hour_and_notifies_coordinators() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        store
            .run_blocking(|db| {
                let ngo = organisations::create(db, "Οργάνωση Α", "ngo", "OA")?;
                let other = organisations::create(db, "Οργάνωση Β", "ngo", "OB")?;
                let owner = user(db, &ngo.id, "cw", "caseworker");
                let colleague = user(db, &ngo.id, "cw2", "caseworker");
                let coordinator = user(db, &ngo.id, "co", "coordinator");
                let other_coordinator = user(db, &other.id, "co2", "coordinator");
                let case = register(db, &ngo, &owner);
                let scope = CaseScope::Assigned {
                    organisation_id: ngo.id.clone(),
                    user_id: colleague.id.clone(),
                };
                assert!(!cases::in_scope(db, &scope, &case.id)?, "{backend}");

                let granted_at = at(2026, 6, 1, 10, 0);
                let (_, notified) = protection::grant_break_glass(
                    db,
                    &BreakGlass {
                        case_id: &case.id,
                        user_id: &colleague.id,
                        reason: "Επείγουσα ανάγκη προστασίας του ατόμου",
                        granted_at,
                        lasts: Duration::minutes(60),
                    },
                )?;
                assert_eq!(notified, 1, "{backend}: only the own coordinator");
                let active = |db: &mut Db<'_>, when| {
                    protection::active_grant(db, &case.id, &colleague.id, when)
                };
                assert_eq!(
                    active(db, at(2026, 6, 1, 10, 59))?,
                    Some(at(2026, 6, 1, 11, 0)),
                    "{backend}"
                );
                assert_eq!(
                    active(db, at(2026, 6, 1, 11, 0))?,
                    None,
                    "{backend}: expired"
                );
                assert_eq!(active(db, at(2026, 6, 1, 9, 59))?, None, "{backend}");
                assert_eq!(
                    protection::active_grant(db, &case.id, &owner.id, at(2026, 6, 1, 10, 30))?,
                    None,
                    "{backend}: the grant is personal"
                );

                let open = protection::open_notifications(db, &coordinator.id)?;
                assert_eq!(open.len(), 1, "{backend}");
                assert_eq!(open[0].case_code, case.code);
                assert_eq!(open[0].actor, "cw2");
                assert!(protection::open_notifications(db, &other_coordinator.id)?.is_empty());
                assert!(!protection::acknowledge(db, &open[0].id, &owner.id)?);
                assert!(protection::acknowledge(db, &open[0].id, &coordinator.id)?);
                assert!(protection::open_notifications(db, &coordinator.id)?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn sealing_hides_the_code_from_the_duplicate_check_and_keeps_history() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        store
            .run_blocking(|db| {
                let ngo = organisations::create(db, "Οργάνωση Α", "ngo", "OA")?;
                let owner = user(db, &ngo.id, "cw", "caseworker");
                let coordinator = user(db, &ngo.id, "co", "coordinator");
                let case = register(db, &ngo, &owner);
                let probe = PersonDetails {
                    given_name: "Φανταστική".to_owned(),
                    family_name: Some("Δοκιμαστική".to_owned()),
                    birth_date: Some(date(1998, 2, 3)),
                    ..PersonDetails::default()
                };
                let before = cases::find_duplicates(db, &ngo.id, &probe)?;
                assert_eq!(before.len(), 1, "{backend}");
                assert_eq!(before[0].own_case_code.as_deref(), Some(case.code.as_str()));

                protection::set_sealed(db, &case.id, true, "Αίτημα προστασίας", &coordinator.id)?;
                assert!(matches!(
                    protection::set_sealed(db, &case.id, true, "ξανά", &coordinator.id),
                    Err(StoreError::Conflict("unchanged"))
                ));
                let coordinator_scope = CaseScope::Organisation {
                    organisation_id: ngo.id.clone(),
                    user_id: coordinator.id.clone(),
                };
                assert!(
                    !cases::in_scope(db, &coordinator_scope, &case.id)?,
                    "{backend}"
                );
                let owner_scope = CaseScope::Assigned {
                    organisation_id: ngo.id.clone(),
                    user_id: owner.id.clone(),
                };
                assert!(cases::in_scope(db, &owner_scope, &case.id)?, "{backend}");
                let history = protection::seal_changes(db, &case.id)?;
                assert_eq!(history.len(), 1);
                assert!(history[0].sealed);
                assert_eq!(history[0].reason, "Αίτημα προστασίας");
                let after = cases::find_duplicates(db, &ngo.id, &probe)?;
                assert_eq!(after.len(), 1, "{backend}: the match is still reported");
                assert_eq!(
                    after[0].own_case_code, None,
                    "{backend}: sealed code revealed"
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn followups_are_recorded_once_and_cancelled_on_reopening() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        store
            .run_blocking(|db| {
                let ngo = organisations::create(db, "Οργάνωση Α", "ngo", "OA")?;
                let owner = user(db, &ngo.id, "cw", "caseworker");
                let colleague = user(db, &ngo.id, "cw2", "caseworker");
                let case = register(db, &ngo, &owner);
                procap_store::case_records::close(
                    db,
                    &case.id,
                    1,
                    date(2026, 4, 30),
                    "lost_contact",
                )?;
                let ids = followups::schedule(db, &case.id, date(2026, 4, 30), &[3, 6, 12])?;
                let all = followups::list(db, &case.id)?;
                let due: Vec<_> = all.iter().map(|f| f.due_on).collect();
                assert_eq!(
                    due,
                    [date(2026, 7, 30), date(2026, 10, 30), date(2027, 4, 30)],
                    "{backend}"
                );

                let due_soon = followups::due_for_user(db, &owner.id, date(2026, 8, 1))?;
                assert_eq!(due_soon.len(), 1, "{backend}");
                assert_eq!(due_soon[0].followup_id, ids[0]);
                assert!(followups::due_for_user(db, &colleague.id, date(2027, 8, 1))?.is_empty());

                let outcomes = vec!["employed".to_owned(), "safe_accommodation".to_owned()];
                let result = FollowUpResult {
                    contacted_on: date(2026, 7, 28),
                    contact_made: true,
                    outcomes: &outcomes,
                    note: Some("Σταθερή εργασία σε φανταστική επιχείρηση"),
                    recorded_by: &owner.id,
                };
                followups::record(db, &case.id, &ids[0], &result)?;
                assert!(matches!(
                    followups::record(db, &case.id, &ids[0], &result),
                    Err(StoreError::Conflict("recorded"))
                ));
                let recorded = followups::get(db, &case.id, &ids[0])?;
                assert_eq!(recorded.outcomes, outcomes);
                assert_eq!(
                    recorded.note.as_deref(),
                    Some("Σταθερή εργασία σε φανταστική επιχείρηση")
                );
                assert_eq!(recorded.recorded_by.as_deref(), Some("cw"));

                procap_store::case_records::reopen(db, &case.id, 2)?;
                assert_eq!(followups::cancel_pending(db, &case.id)?, 2, "{backend}");
                let statuses: Vec<_> = followups::list(db, &case.id)?
                    .into_iter()
                    .map(|f| f.status)
                    .collect();
                assert_eq!(
                    statuses,
                    ["recorded", "cancelled", "cancelled"],
                    "{backend}"
                );
                Ok(())
            })
            .unwrap();
    }
}
