//! Courses, modules, lessons, invitations, registration, rosters, lesson
//! views and the home-page lists, on every available backend. All names and
//! addresses are invented.

use chrono::NaiveDate;
use procap_domain::training::completion::PrerequisiteError;
use procap_store::testing::TestDatabase;
use procap_store::training::courses::{
    self, ARCHIVED, CourseInput, Direction, LessonInput, ModuleInput, PUBLISHED,
};
use procap_store::training::enrolment::{self, RosterProblem};
use procap_store::training::invitations::{
    self, CodeProblem, NewInvitation, Registration, RegistrationError,
};
use procap_store::{Db, organisations, users};

struct Setup {
    organisation: String,
    trainer: String,
}

fn setup(db: &mut Db<'_>) -> Setup {
    let org =
        organisations::create(db, "Κέντρο Κατάρτισης", "training_organisation", "KK").unwrap();
    let trainer = users::create(
        db,
        &users::NewUser {
            organisation_id: &org.id,
            username: "trainer",
            display_name: "Εκπαιδεύτρια Δοκιμής",
            email: Some("trainer@example.org"),
            role: "trainer",
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap();
    Setup {
        organisation: org.id,
        trainer: trainer.id,
    }
}

fn course_input(slug: &str) -> CourseInput {
    CourseInput {
        slug: slug.into(),
        title_el: format!("Μάθημα {slug}"),
        title_en: format!("Course {slug}"),
        summary_el: "Περίληψη".into(),
        summary_en: "Summary".into(),
        sectors: vec!["tourism".into(), "airport".into(), "airport".into()],
        ..CourseInput::default()
    }
}

fn lesson_input(title: &str, required: bool) -> LessonInput {
    LessonInput {
        title_el: title.into(),
        title_en: title.into(),
        body_el: "# Κείμενο".into(),
        body_en: "# Text".into(),
        video_url: None,
        required,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
}

#[test]
fn courses_are_edited_published_and_refuse_prerequisite_cycles() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let s = setup(db);
                let a = courses::create_course(db, &course_input("a"), &s.trainer)?;
                let b = courses::create_course(db, &course_input("b"), &s.trainer)?;
                let c = courses::create_course(db, &course_input("c"), &s.trainer)?;
                let course = courses::get_course(db, &a)?;
                assert_eq!(course.status, "draft");
                assert_eq!(course.sector_list(), ["airport", "tourism"]);
                assert!(matches!(
                    courses::create_course(db, &course_input("a"), &s.trainer),
                    Err(procap_store::StoreError::Conflict(_))
                ));

                let mut edited = course_input("a");
                edited.title_en = "Edited".into();
                edited.rule_post_test = true;
                courses::update_course(db, &a, &edited)?;
                courses::set_status(db, &a, PUBLISHED)?;
                let course = courses::get_course(db, &a)?;
                assert_eq!(
                    (course.title_en.as_str(), course.status.as_str()),
                    ("Edited", PUBLISHED)
                );
                courses::set_status(db, &c, ARCHIVED)?;
                let (published, total) = courses::list_courses(db, Some(PUBLISHED), 0, 10)?;
                assert_eq!((published.len(), total), (1, 1));

                // b requires a, c requires b; a requiring c would close a cycle.
                courses::set_prerequisites(db, &b, std::slice::from_ref(&a))?.unwrap();
                courses::set_prerequisites(db, &c, std::slice::from_ref(&b))?.unwrap();
                match courses::set_prerequisites(db, &a, std::slice::from_ref(&c))? {
                    Err(PrerequisiteError::Cycle { path }) => assert_eq!(path.len(), 4),
                    other => panic!("expected a cycle, got {other:?}"),
                }
                assert!(matches!(
                    courses::set_prerequisites(db, &a, std::slice::from_ref(&a))?,
                    Err(PrerequisiteError::SelfPrerequisite(_))
                ));
                assert!(courses::prerequisites_of(db, &a)?.is_empty());
                assert_eq!(courses::prerequisites_of(db, &c)?, std::slice::from_ref(&b));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn modules_and_lessons_keep_their_order() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let s = setup(db);
                let course = courses::create_course(db, &course_input("order"), &s.trainer)?;
                let module = |title: &str| ModuleInput {
                    title_el: title.into(),
                    title_en: title.into(),
                    sector: None,
                };
                let m1 = courses::add_module(db, &course, &module("one"))?;
                let m2 = courses::add_module(db, &course, &module("two"))?;
                let m3 = courses::add_module(db, &course, &module("three"))?;
                courses::move_module(db, &course, &m3, Direction::Up)?;
                courses::move_module(db, &course, &m1, Direction::Up)?;
                let order: Vec<String> = courses::list_modules(db, &course)?
                    .into_iter()
                    .map(|m| m.id)
                    .collect();
                assert_eq!(order, [m1.clone(), m3.clone(), m2.clone()]);

                let l1 = courses::add_lesson(db, &course, &m1, &lesson_input("l1", true))?;
                let l2 = courses::add_lesson(db, &course, &m1, &lesson_input("l2", false))?;
                let l3 = courses::add_lesson(db, &course, &m2, &lesson_input("l3", true))?;
                courses::move_lesson(db, &course, &l2, Direction::Up)?;
                courses::move_lesson(db, &course, &l2, Direction::Up)?;
                let order: Vec<String> = courses::list_lessons(db, &course)?
                    .into_iter()
                    .map(|l| l.id)
                    .collect();
                assert_eq!(order, [l2.clone(), l1.clone(), l3.clone()]);

                courses::delete_lesson(db, &course, &l2)?;
                assert_eq!(courses::get_lesson(db, &course, &l1)?.position, 1);
                courses::delete_module(db, &course, &m1)?;
                let positions: Vec<i32> = courses::list_modules(db, &course)?
                    .into_iter()
                    .map(|m| m.position)
                    .collect();
                assert_eq!(positions, [1, 2]);
                assert!(courses::get_lesson(db, &course, &l1).is_err());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn registration_uses_a_code_once_and_refuses_bad_codes() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let s = setup(db);
                let course = courses::create_course(db, &course_input("reg"), &s.trainer)?;
                let invitation = |max_uses, expires_on| NewInvitation {
                    organisation_id: s.organisation.clone(),
                    sector: "airport".into(),
                    region: "attica".into(),
                    course_id: Some(course.clone()),
                    max_uses,
                    expires_on,
                    created_by: s.trainer.clone(),
                };
                let once = invitations::create_invitation(
                    db,
                    &invitation(Some(1), None),
                    Some("air-2026"),
                )?;
                assert_eq!(once.code, "AIR2026");
                let expired = invitations::create_invitation(
                    db,
                    &invitation(None, NaiveDate::from_ymd_opt(2026, 12, 4)),
                    None,
                )?;
                let revoked = invitations::create_invitation(db, &invitation(None, None), None)?;
                invitations::revoke_invitation(db, &revoked.id)?;

                let register = |db: &mut Db<'_>, code: &str, username: &str, email: &str| {
                    invitations::register(
                        db,
                        &Registration {
                            code,
                            username,
                            display_name: "Δοκιμαστικός Εκπαιδευόμενος",
                            email,
                            employer: Some("Αερογραμμές Δοκιμής"),
                            password_hash: "hash",
                            locale: "en",
                        },
                        today(),
                    )
                };
                let done = register(db, " air-2026 ", "anna", "anna@example.org")?.unwrap();
                assert_eq!(done.course_id.as_deref(), Some(course.as_str()));
                assert!(enrolment::is_enrolled(db, &course, &done.user_id)?);
                let user = users::get(db, &done.user_id)?;
                assert_eq!(
                    (user.role.as_str(), user.locale.as_str()),
                    ("trainee", "en")
                );
                assert_eq!(
                    enrolment::profile(db, &done.user_id)?,
                    Some((
                        "airport".into(),
                        "attica".into(),
                        Some("Αερογραμμές Δοκιμής".into())
                    ))
                );

                assert_eq!(
                    register(db, "AIR2026", "bob", "bob@example.org")?,
                    Err(RegistrationError::Code(CodeProblem::UsedUp))
                );
                assert_eq!(
                    register(db, "NOPE", "bob", "bob@example.org")?,
                    Err(RegistrationError::Code(CodeProblem::Unknown))
                );
                assert_eq!(
                    register(db, &expired.code, "bob", "bob@example.org")?,
                    Err(RegistrationError::Code(CodeProblem::Expired))
                );
                assert_eq!(
                    register(db, &revoked.code, "bob", "bob@example.org")?,
                    Err(RegistrationError::Code(CodeProblem::Revoked))
                );
                let open = invitations::create_invitation(db, &invitation(None, None), None)?;
                assert_eq!(
                    register(db, &open.code, "anna", "other@example.org")?,
                    Err(RegistrationError::UsernameTaken)
                );
                assert_eq!(
                    register(db, &open.code, "bob", "ANNA@example.org")?,
                    Err(RegistrationError::EmailTaken)
                );
                assert_eq!(invitations::get_invitation(db, &open.id)?.uses, 0);
                let (listed, total) = invitations::list_invitations(db, 0, 2)?;
                assert_eq!((listed.len(), total), (2, 4));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn roster_errors_are_reported_by_line() {
    let text = "email,display_name,sector,region,employer\n\
                a@example.org,Άννα,airport,attica,\n\
                not-an-email,Βασίλης,airport,attica,\n\
                A@example.org,Γιώργος,airport,attica,\n\
                d@example.org,Δήμητρα,spaceport,attica,\n\
                e@example.org,Ελένη,school,atlantis,x\n\
                f@example.org,,school,other\n";
    let errors = enrolment::parse_roster(text).unwrap_err();
    let found: Vec<(u64, &str)> = errors
        .iter()
        .map(|error| (error.line, error.problem.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "email"),
            (4, "duplicate_email"),
            (5, "sector"),
            (6, "region"),
            (7, "field_count"),
        ]
    );
    assert_eq!(errors[1].problem, RosterProblem::DuplicateEmail(2));

    let wrong = enrolment::parse_roster(
        "mail,name,sector,region,employer\nx@example.org,X,airport,attica,\n",
    )
    .unwrap_err();
    assert_eq!(wrong[0].line, 1);
    assert_eq!(wrong[0].problem, RosterProblem::Columns);
    let empty = enrolment::parse_roster("email,display_name,sector,region,employer\n").unwrap_err();
    assert_eq!(empty[0].problem, RosterProblem::Empty);
}

#[test]
fn roster_creates_or_enrols_trainees_and_writes_nothing_on_error() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let s = setup(db);
                let course = courses::create_course(db, &course_input("roster"), &s.trainer)?;
                let existing = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &s.organisation,
                        username: "maria",
                        display_name: "Μαρία",
                        email: Some("maria@example.org"),
                        role: "trainee",
                        password_hash: "x",
                        must_change_password: false,
                        locale: "el",
                    },
                )?;
                let hash = |password: &str| format!("hashed:{}", password.len());

                // A staff address refuses the whole file.
                let rows = enrolment::parse_roster(
                    "email,display_name,sector,region,employer\n\
                     new@example.org,Νέα,school,attica,\n\
                     trainer@example.org,Staff,school,attica,\n",
                )
                .unwrap();
                let refused = enrolment::apply_roster(
                    db,
                    &course,
                    &s.organisation,
                    &s.trainer,
                    &rows,
                    &hash,
                )?
                .unwrap_err();
                assert_eq!(refused[0].line, 3);
                assert_eq!(refused[0].problem, RosterProblem::NotTrainee);
                assert!(users::find_by_username(db, "new")?.is_none());

                let rows = enrolment::parse_roster(
                    "email,display_name,sector,region,employer\n\
                     new@example.org,Νέα,school,attica,Σχολείο\n\
                     MARIA@example.org,Μαρία,tourism,other,\n\
                     9lives@example.org,Εννέα,ngo,other,\n",
                )
                .unwrap();
                let outcome = enrolment::apply_roster(
                    db,
                    &course,
                    &s.organisation,
                    &s.trainer,
                    &rows,
                    &hash,
                )?
                .unwrap();
                assert_eq!(outcome.enrolled_existing, 1);
                let names: Vec<&str> = outcome
                    .created
                    .iter()
                    .map(|a| a.username.as_str())
                    .collect();
                assert_eq!(names, ["new", "t9lives"]);
                let created = users::find_by_username(db, "new")?.unwrap();
                assert!(created.must_change_password);
                assert_eq!(created.role, "trainee");
                assert_eq!(created.password_hash, "hashed:20");
                assert!(
                    !format!("{:?}", outcome.created[0]).contains(&outcome.created[0].password)
                );
                assert!(enrolment::is_enrolled(db, &course, &existing.id)?);
                let (listed, total) = enrolment::list_enrolments(db, &course, 0, 10)?;
                assert_eq!((listed.len(), total), (3, 3));

                let again = enrolment::apply_roster(
                    db,
                    &course,
                    &s.organisation,
                    &s.trainer,
                    &rows[1..2],
                    &hash,
                )?
                .unwrap();
                assert_eq!(again.already_enrolled, 1);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn lesson_views_complete_the_course_and_fill_the_lists() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let s = setup(db);
                let first = courses::create_course(db, &course_input("first"), &s.trainer)?;
                let second = courses::create_course(db, &course_input("second"), &s.trainer)?;
                courses::set_status(db, &first, PUBLISHED)?;
                courses::set_status(db, &second, PUBLISHED)?;
                courses::set_prerequisites(db, &second, std::slice::from_ref(&first))?.unwrap();
                let module = courses::add_module(
                    db,
                    &first,
                    &ModuleInput {
                        title_el: "Ενότητα".into(),
                        title_en: "Module".into(),
                        sector: None,
                    },
                )?;
                let l1 = courses::add_lesson(db, &first, &module, &lesson_input("l1", true))?;
                let l2 = courses::add_lesson(db, &first, &module, &lesson_input("l2", true))?;
                courses::add_lesson(db, &first, &module, &lesson_input("extra", false))?;

                let trainee = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &s.organisation,
                        username: "nikos",
                        display_name: "Νίκος",
                        email: Some("nikos@example.org"),
                        role: "trainee",
                        password_hash: "x",
                        must_change_password: false,
                        locale: "el",
                    },
                )?;
                assert_eq!(
                    enrolment::self_enrol(db, &second, &trainee.id)?,
                    Err(enrolment::SelfEnrolError::Prerequisites(vec![
                        first.clone()
                    ]))
                );
                enrolment::self_enrol(db, &first, &trainee.id)?.unwrap();

                let after_one = enrolment::record_lesson_view(db, &trainee.id, &first, &l1)?;
                assert!(!after_one.complete);
                let (mine, total) = enrolment::my_courses(db, &trainee.id, 0, 10)?;
                assert_eq!(total, 1);
                assert_eq!(mine[0].standing.percent(), 50);
                enrolment::record_lesson_view(db, &trainee.id, &first, &l1)?;
                let done = enrolment::record_lesson_view(db, &trainee.id, &first, &l2)?;
                assert!(done.completed_now);
                assert_eq!(enrolment::standing(db, &trainee.id, &first)?.percent(), 100);
                assert_eq!(enrolment::viewed_lessons(db, &trainee.id, &first)?.len(), 2);

                let open = enrolment::open_courses(db, &trainee.id, 10)?;
                assert_eq!(open.len(), 1);
                assert!(open[0].unmet.is_empty());
                enrolment::self_enrol(db, &second, &trainee.id)?.unwrap();

                let (managed, total) = enrolment::managed_courses(db, 0, 10)?;
                assert_eq!(total, 2);
                let first_row = managed.iter().find(|row| row.course.id == first).unwrap();
                assert_eq!((first_row.enrolled, first_row.completed), (1, 1));
                Ok(())
            })
            .unwrap();
    }
}
