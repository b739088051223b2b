//! Needs assessments and the case plan on every available backend: the
//! comparison of two assessments, encrypted notes, the approval flow with
//! optimistic locking, reviews and the overdue list.

use chrono::NaiveDate;
use procap_store::assessment::{self, Change, DomainLevel, NewAssessment};
use procap_store::cases::{self, PersonDetails, Registration};
use procap_store::plan::{self, GoalFields, NewAction, NewReview, PlanStatus, ReviewEntry};
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

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

/// A case, its caseworker and a coordinator of the same organisation.
fn setup(db: &mut Db<'_>) -> (cases::Case, users::User, users::User) {
    let ngo = organisations::create(db, "Οργάνωση", "ngo", "OA").unwrap();
    let caseworker = user(db, &ngo.id, "cw", "caseworker");
    let coordinator = user(db, &ngo.id, "co", "coordinator");
    user(db, &ngo.id, "tr", "trainee");
    let case = cases::register(
        db,
        Registration {
            organisation_id: &ngo.id,
            case_code_prefix: "OA",
            created_by: &caseworker.id,
            person: PersonDetails {
                given_name: "Δοκιμή".into(),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                legal_status: "other".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: "attica".into(),
                setting: "urban_area".into(),
                opened_on: date("2026-01-10"),
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "ngo".into(),
                referred_on: date("2026-01-09"),
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap();
    (case, caseworker, coordinator)
}

fn levels(pairs: &[(&str, &str)]) -> Vec<DomainLevel> {
    pairs
        .iter()
        .map(|(domain, level)| DomainLevel {
            domain: (*domain).into(),
            level: (*level).into(),
            note: Some(format!("σημείωση {domain}")),
        })
        .collect()
}

#[test]
fn assessments_are_listed_newest_first_and_compared() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let (case, caseworker, _) = setup(db);
                let first = levels(&[("safety", "urgent"), ("health", "low")]);
                assessment::record_assessment(
                    db,
                    &NewAssessment {
                        case_id: &case.id,
                        assessed_on: date("2026-02-01"),
                        domains: &first,
                        risk_level: "high",
                        risk_factors: "contact_with_traffickers;debt",
                        safety_plan: Some("Αλλαγή διαδρομής"),
                        assessed_by: &caseworker.id,
                    },
                )?;
                let second = levels(&[("safety", "medium"), ("health", "high")]);
                assessment::record_assessment(
                    db,
                    &NewAssessment {
                        case_id: &case.id,
                        assessed_on: date("2026-03-01"),
                        domains: &second,
                        risk_level: "medium",
                        risk_factors: "debt",
                        safety_plan: None,
                        assessed_by: &caseworker.id,
                    },
                )?;

                let list = assessment::list_assessments(db, &case.id)?;
                assert_eq!(list.len(), 2, "{:?}", database.backend());
                assert_eq!(list[0].assessed_on, date("2026-03-01"));
                assert_eq!(list[1].safety_plan.as_deref(), Some("Αλλαγή διαδρομής"));
                assert_eq!(list[1].domains[0].note.as_deref(), Some("σημείωση safety"));
                let (domains, risk) = assessment::compare(&list[0], &list[1]);
                assert!(domains.contains(&("safety", Change::Down)));
                assert!(domains.contains(&("health", Change::Up)));
                assert_eq!(risk, Change::Down);
                Ok(())
            })
            .unwrap();
    }
}

fn goal_fields<'a>(responsible: &'a str, due_on: &str) -> GoalFields<'a> {
    GoalFields {
        support_type: "legal",
        description: "Αίτηση άδειας διαμονής",
        responsible_user_id: responsible,
        agreed_on: date("2025-01-10"),
        due_on: date(due_on),
        next_review_on: None,
    }
}

#[test]
fn plan_is_submitted_approved_and_reviewed() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let (case, caseworker, coordinator) = setup(db);
                assert!(plan::get_plan(db, &case.id)?.is_none());
                assert!(matches!(
                    plan::submit(db, &case.id, 1, &caseworker.id),
                    Err(StoreError::Conflict("empty"))
                ));

                let goal_id = plan::add_goal(
                    db,
                    &case.id,
                    &caseworker.id,
                    &goal_fields(&caseworker.id, "2025-02-01"),
                )?;
                plan::add_action(
                    db,
                    &NewAction {
                        case_id: &case.id,
                        goal_id: &goal_id,
                        description: "Ραντεβού με δικηγόρο",
                        responsible_user_id: &caseworker.id,
                        due_on: None,
                    },
                )?;
                let goals = plan::list_goals(db, &case.id)?;
                assert_eq!(goals[0].description, "Αίτηση άδειας διαμονής");
                assert_eq!(goals[0].actions[0].description, "Ραντεβού με δικηγόρο");

                let draft = plan::get_plan(db, &case.id)?.unwrap();
                assert_eq!(draft.status, PlanStatus::Draft);
                plan::submit(db, &case.id, draft.version, &caseworker.id)?;
                let submitted = plan::get_plan(db, &case.id)?.unwrap();
                assert_eq!(submitted.status, PlanStatus::Submitted);

                // Goals are locked while the plan waits; the submitter cannot decide.
                assert!(matches!(
                    plan::update_goal(
                        db,
                        &case.id,
                        &goal_id,
                        1,
                        &goal_fields(&caseworker.id, "2025-03-01")
                    ),
                    Err(StoreError::Conflict("plan_locked"))
                ));
                assert!(matches!(
                    plan::approve(db, &case.id, submitted.version, &caseworker.id),
                    Err(StoreError::Conflict("own_plan"))
                ));
                assert!(matches!(
                    plan::approve(db, &case.id, submitted.version - 1, &coordinator.id),
                    Err(StoreError::Conflict("stale"))
                ));
                plan::approve(db, &case.id, submitted.version, &coordinator.id)?;
                let approved = plan::get_plan(db, &case.id)?.unwrap();
                assert_eq!(approved.status, PlanStatus::Approved);
                assert_eq!(approved.decided_by_username.as_deref(), Some("co"));

                // Overdue for the responsible caseworker until achieved.
                let today = date("2026-06-01");
                let overdue = plan::overdue_for_user(db, &caseworker.id, today)?;
                assert_eq!(overdue.len(), 1);
                assert_eq!(overdue[0].case_code, case.code);
                assert!(plan::overdue_for_user(db, &coordinator.id, today)?.is_empty());

                plan::record_review(
                    db,
                    &NewReview {
                        case_id: &case.id,
                        reviewed_on: date("2026-05-01"),
                        next_review_on: Some(date("2026-08-01")),
                        reviewed_by: &caseworker.id,
                        entries: &[ReviewEntry {
                            goal_id: goal_id.clone(),
                            progress: "achieved".into(),
                            note: Some("Κατατέθηκε".into()),
                        }],
                    },
                )?;
                assert!(plan::overdue_for_user(db, &caseworker.id, today)?.is_empty());
                let reviews = plan::list_reviews(db, &approved.id)?;
                assert_eq!(reviews[0].entries[0].note.as_deref(), Some("Κατατέθηκε"));
                assert_eq!(plan::get_goal(db, &case.id, &goal_id)?.progress, "achieved");
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn stale_goal_edit_is_refused_and_approved_plan_returns_to_draft() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let (case, caseworker, coordinator) = setup(db);
                let goal_id = plan::add_goal(
                    db,
                    &case.id,
                    &caseworker.id,
                    &goal_fields(&caseworker.id, "2026-09-01"),
                )?;
                plan::update_goal(
                    db,
                    &case.id,
                    &goal_id,
                    1,
                    &goal_fields(&coordinator.id, "2026-10-01"),
                )?;
                assert!(matches!(
                    plan::update_goal(
                        db,
                        &case.id,
                        &goal_id,
                        1,
                        &goal_fields(&caseworker.id, "2026-11-01")
                    ),
                    Err(StoreError::Conflict("stale"))
                ));
                let goal = plan::get_goal(db, &case.id, &goal_id)?;
                assert_eq!(
                    goal.due_on,
                    date("2026-10-01"),
                    "the stale edit changed nothing"
                );
                assert_eq!(goal.version, 2);

                let version = plan::get_plan(db, &case.id)?.unwrap().version;
                plan::submit(db, &case.id, version, &caseworker.id)?;
                plan::return_plan(
                    db,
                    &case.id,
                    version + 1,
                    &coordinator.id,
                    "Λείπει στόχος υγείας",
                )?;
                let returned = plan::get_plan(db, &case.id)?.unwrap();
                assert_eq!(returned.status, PlanStatus::Returned);
                assert_eq!(
                    returned.return_comment.as_deref(),
                    Some("Λείπει στόχος υγείας")
                );

                plan::submit(db, &case.id, returned.version, &caseworker.id)?;
                plan::approve(db, &case.id, returned.version + 1, &coordinator.id)?;
                plan::update_goal(
                    db,
                    &case.id,
                    &goal_id,
                    2,
                    &goal_fields(&caseworker.id, "2026-12-01"),
                )?;
                assert_eq!(
                    plan::get_plan(db, &case.id)?.unwrap().status,
                    PlanStatus::Draft
                );

                let staff = plan::organisation_staff(db, &case.organisation_id)?;
                let names: Vec<_> = staff
                    .iter()
                    .map(|member| member.username.as_str())
                    .collect();
                assert_eq!(names, ["co", "cw"], "the trainee is not case staff");
                Ok(())
            })
            .unwrap();
    }
}
