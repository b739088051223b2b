//! Certificates on every available backend: lookup by code and id, the
//! trainee's list, the trainers' filtered and paginated list, revocation
//! (final, with a reason) and the issuing organisation.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_domain::training::certificate::VerificationCode;
use procap_store::schema_training::courses;
use procap_store::testing::TestDatabase;
use procap_store::training::certificates::{self, ListQuery, StatusFilter};
use procap_store::{Db, StoreError, organisations, users};

fn user(db: &mut Db<'_>, org: &str, name: &str, role: &str) -> String {
    users::create(
        db,
        &users::NewUser {
            organisation_id: org,
            username: name,
            display_name: &format!("Δοκιμή {name}"),
            email: None,
            role,
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
    .id
}

fn course(db: &mut Db<'_>, slug: &str, created_by: Option<&str>) -> String {
    let id = procap_store::new_id();
    let now = procap_store::now();
    diesel::insert_into(courses::table)
        .values((
            courses::id.eq(&id),
            courses::slug.eq(slug),
            courses::title_el.eq(format!("Μάθημα {slug}")),
            courses::title_en.eq(format!("Course {slug}")),
            courses::summary_el.eq(""),
            courses::summary_en.eq(""),
            courses::sectors.eq(""),
            courses::status.eq("published"),
            courses::rule_post_test.eq(true),
            courses::rule_attendance.eq(false),
            courses::rule_evaluation.eq(false),
            courses::created_by.eq(created_by),
            courses::created_at.eq(now),
            courses::updated_at.eq(now),
        ))
        .execute(db.conn)
        .unwrap();
    id
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

#[test]
fn certificates_are_found_listed_and_revoked() {
    for test_db in TestDatabase::each_backend() {
        let store = test_db.store();
        store
            .run_blocking(|db| {
                let ngo = organisations::create(db, "Οργάνωση", "ngo", "NG").unwrap();
                let school =
                    organisations::create(db, "Κέντρο Κατάρτισης", "training_organisation", "KK")
                        .unwrap();
                let trainer = user(db, &school.id, "trainer", "trainer");
                let anna = user(db, &ngo.id, "anna", "trainee");
                let petros = user(db, &ngo.id, "petros", "trainee");
                let first = course(db, "first", Some(&trainer));
                let second = course(db, "second", None);

                let a1 = certificates::issue(db, &anna, &first, day(1)).unwrap();
                let a2 = certificates::issue(db, &anna, &second, day(2)).unwrap();
                let p1 = certificates::issue(db, &petros, &first, day(3)).unwrap();
                assert_eq!(a1.holder_name, "Δοκιμή anna");
                assert_eq!(a1.course_title_en, "Course first");
                assert!(a1.is_valid());

                // A second valid certificate of the same course is refused.
                assert!(matches!(
                    certificates::issue(db, &anna, &first, day(4)),
                    Err(StoreError::Conflict(_))
                ));

                // By code, in any spelling the parser accepts, and by id.
                let code = a1.verification_code().unwrap();
                let typed = VerificationCode::parse(&code.to_string().to_lowercase()).unwrap();
                assert_eq!(
                    certificates::find_by_code(db, &typed).unwrap(),
                    Some(a1.clone())
                );
                assert_eq!(certificates::find(db, &a2.id).unwrap(), Some(a2.clone()));
                assert_eq!(certificates::find(db, "missing").unwrap(), None);
                let other = VerificationCode::generate(&[7u8; 32]).unwrap();
                assert_eq!(certificates::find_by_code(db, &other).unwrap(), None);

                // The trainee's own list, newest first.
                let mine: Vec<String> = certificates::list_for_trainee(db, &anna)
                    .unwrap()
                    .into_iter()
                    .map(|c| c.id)
                    .collect();
                assert_eq!(mine, vec![a2.id.clone(), a1.id.clone()]);

                // Revocation needs a reason, happens once and is kept.
                let at = procap_store::now();
                assert!(matches!(
                    certificates::revoke(db, &a1.id, &trainer, "   ", at),
                    Err(StoreError::Conflict("reason"))
                ));
                assert!(matches!(
                    certificates::revoke(db, "missing", &trainer, "λάθος", at),
                    Err(StoreError::NotFound)
                ));
                let revoked =
                    certificates::revoke(db, &a1.id, &trainer, " Λάθος εγγραφή ", at).unwrap();
                assert_eq!(revoked.revoked_at, Some(at));
                assert_eq!(revoked.revoked_by.as_deref(), Some(trainer.as_str()));
                assert_eq!(revoked.revoked_reason.as_deref(), Some("Λάθος εγγραφή"));
                assert!(matches!(
                    certificates::revoke(db, &a1.id, &trainer, "ξανά", at),
                    Err(StoreError::Conflict("already_revoked"))
                ));
                // Still found by its code, as revoked.
                let found = certificates::find_by_code(db, &code).unwrap().unwrap();
                assert!(!found.is_valid());
                // A new certificate of the same course may follow.
                let again = certificates::issue(db, &anna, &first, day(5)).unwrap();

                // The trainers' list: filters, counts and pages.
                let query = |course: Option<&str>, status, offset, limit| ListQuery {
                    course_id: course.map(str::to_owned),
                    status,
                    offset,
                    limit,
                };
                let all = certificates::list(db, &query(None, StatusFilter::All, 0, 10)).unwrap();
                assert_eq!(all.total, 4);
                assert_eq!(all.rows[0].id, again.id);
                let valid =
                    certificates::list(db, &query(Some(&first), StatusFilter::Valid, 0, 10))
                        .unwrap();
                let mut ids: Vec<String> = valid.rows.iter().map(|c| c.id.clone()).collect();
                ids.sort();
                let mut expected = vec![p1.id.clone(), again.id.clone()];
                expected.sort();
                assert_eq!(ids, expected);
                let gone =
                    certificates::list(db, &query(None, StatusFilter::Revoked, 0, 10)).unwrap();
                assert_eq!(gone.total, 1);
                assert_eq!(gone.rows[0].id, a1.id);
                let page2 = certificates::list(db, &query(None, StatusFilter::All, 3, 3)).unwrap();
                assert_eq!((page2.total, page2.rows.len()), (4, 1));

                let courses = certificates::certified_courses(db).unwrap();
                assert_eq!(courses.len(), 2);

                // The issuer: the course creator's organisation, else the
                // oldest training organisation.
                assert_eq!(
                    certificates::issuing_organisation(db, &first)
                        .unwrap()
                        .as_deref(),
                    Some("Κέντρο Κατάρτισης")
                );
                assert_eq!(
                    certificates::issuing_organisation(db, &second)
                        .unwrap()
                        .as_deref(),
                    Some("Κέντρο Κατάρτισης")
                );
                Ok(())
            })
            .unwrap();
    }
}
