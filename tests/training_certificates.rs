//! Certificates over real HTTP, on SQLite and PostgreSQL: the public
//! verification page for a valid, a revoked, an unknown and a malformed
//! code; the trainee's list, PDF and signed badge, which verifies with the
//! published issuer key and fails once altered; another trainee's PDF and
//! badge answered with 404; revocation only for trainers, only with a
//! reason, after a confirmation step, and audited.
//!
//! Demo accounts: `trainer` and `trainee`; the test adds a second trainee.
//! All names are invented.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};
use diesel::prelude::*;
use procap_crypto::badge::{BadgeError, BadgePublicKey, verify_credential};
use procap_store::schema::audit_log;
use procap_store::schema_training::courses;
use procap_store::training::certificates::{self, Certificate};
use procap_store::{Store, users};

const REASON: &str = "Εκδόθηκε κατά λάθος σε λάθος πρόσωπο";

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

fn course(store: &Store, slug: &str, title_el: &str, title_en: &str) -> String {
    let id = procap_store::new_id();
    let now = procap_store::now();
    let row = id.clone();
    let (slug, title_el, title_en) = (slug.to_owned(), title_el.to_owned(), title_en.to_owned());
    store
        .run_blocking(move |db| {
            diesel::insert_into(courses::table)
                .values((
                    courses::id.eq(&row),
                    courses::slug.eq(slug),
                    courses::title_el.eq(title_el),
                    courses::title_en.eq(title_en),
                    courses::summary_el.eq(""),
                    courses::summary_en.eq(""),
                    courses::sectors.eq(""),
                    courses::status.eq("published"),
                    courses::rule_post_test.eq(true),
                    courses::rule_attendance.eq(false),
                    courses::rule_evaluation.eq(false),
                    courses::created_at.eq(now),
                    courses::updated_at.eq(now),
                ))
                .execute(db.conn)?;
            Ok(())
        })
        .unwrap();
    id
}

fn issue(store: &Store, trainee: &str, course: &str) -> Certificate {
    let (trainee, course) = (trainee.to_owned(), course.to_owned());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    store
        .run_blocking(move |db| certificates::issue(db, &trainee, &course, today))
        .unwrap()
}

/// A second trainee in the demo trainee's organisation, with the demo
/// password.
fn second_trainee(store: &Store) -> String {
    store
        .run_blocking(|db| {
            let first = users::find_by_username(db, "trainee")?.unwrap();
            let user = users::create(
                db,
                &users::NewUser {
                    organisation_id: &first.organisation_id,
                    username: "trainee2",
                    display_name: "Ευτυχία Δοκιμαστική",
                    email: None,
                    role: "trainee",
                    password_hash: &procap_crypto::hash_password(DEMO_PASSWORD),
                    must_change_password: false,
                    locale: "el",
                },
            )?;
            Ok(user.id)
        })
        .unwrap()
}

fn user_id(store: &Store, username: &'static str) -> String {
    store
        .run_blocking(move |db| Ok(users::find_by_username(db, username)?.unwrap().id))
        .unwrap()
}

#[test]
fn certificates_verify_download_and_revoke() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let store = server.database.store();
        let first = course(
            &store,
            "h3-first",
            "Αναγνώριση θυμάτων",
            "Identifying victims",
        );
        let second = course(&store, "h3-second", "Συνέντευξη", "Interviewing");
        let trainee = user_id(&store, "trainee");
        let other = second_trainee(&store);
        let mine = issue(&store, &trainee, &first);
        let theirs = issue(&store, &other, &first);
        let to_revoke = issue(&store, &other, &second);

        // --- Public verification, no login ---------------------------------
        let anonymous = server.browser();
        let page = anonymous.get(&format!("/verify/{}", mine.code));
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains(&mine.holder_name), "{backend}");
        assert!(page.body.contains("Αναγνώριση θυμάτων"));
        assert!(page.body.contains("05/12/2026"));
        assert!(page.body.contains("σε ισχύ"));
        // The printed form, lower case, also works.
        let printed = mine.verification_code().unwrap().to_string().to_lowercase();
        assert_eq!(anonymous.get(&format!("/verify/{printed}")).status, 200);

        let unknown =
            procap_domain::training::certificate::VerificationCode::generate(&[9; 32]).unwrap();
        for code in [unknown.compact(), "not-a-code", "K7WX3MPA9HCTF2RD"] {
            let page = anonymous.get(&format!("/verify/{code}"));
            assert_eq!(page.status, 404, "{backend}: {code}");
            assert!(
                page.body.contains("δεν είναι γνωστός"),
                "{code}: {}",
                page.body
            );
        }
        let english = reqwest::blocking::Client::new()
            .get(format!("{}/verify/{}", server.base, unknown.compact()))
            .header("Cookie", "procap_lang=en")
            .send()
            .unwrap();
        assert_eq!(english.status(), 404);
        assert!(english.text().unwrap().contains("code is not known"));

        // --- The trainee ------------------------------------------------------
        let browser = signed_in(&server, "trainee");
        let list = browser.get("/training/certificates");
        assert_eq!(list.status, 200, "{backend}");
        assert!(list.body.contains("Αναγνώριση θυμάτων"));
        assert!(
            !list.body.contains("Συνέντευξη"),
            "another trainee's certificate listed"
        );

        let pdf = browser
            .client
            .get(format!(
                "{}/training/certificates/{}/pdf",
                server.base, mine.id
            ))
            .send()
            .unwrap();
        assert_eq!(pdf.status(), 200, "{backend}");
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().unwrap().starts_with(b"%PDF-"));

        let badge: serde_json::Value = browser
            .client
            .get(format!(
                "{}/training/certificates/{}/badge",
                server.base, mine.id
            ))
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(badge["type"][1], "OpenBadgeCredential");
        assert_eq!(
            badge["credentialSubject"]["achievement"]["name"],
            "Identifying victims"
        );
        assert_eq!(badge["proof"]["cryptosuite"], "eddsa-jcs-2022");

        let issuer: serde_json::Value =
            reqwest::blocking::get(format!("{}/badges/issuer", server.base))
                .unwrap()
                .json()
                .unwrap();
        let key = BadgePublicKey::from_multibase(
            issuer["verificationMethod"][0]["publicKeyMultibase"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            badge["proof"]["verificationMethod"],
            issuer["verificationMethod"][0]["id"]
        );
        verify_credential(&badge, &key).unwrap();
        let mut altered = badge.clone();
        altered["credentialSubject"]["achievement"]["name"] = "Something else".into();
        assert_eq!(
            verify_credential(&altered, &key),
            Err(BadgeError::Signature)
        );

        // Another trainee's certificate is not there.
        for suffix in ["pdf", "badge"] {
            let page = browser.get(&format!("/training/certificates/{}/{suffix}", theirs.id));
            assert_eq!(page.status, 404, "{backend}: {suffix}");
        }
        // Trainees do not manage certificates.
        assert_eq!(browser.get("/training/manage/certificates").status, 403);
        let refused = browser.post(
            &format!("/training/manage/certificates/{}/revoke", theirs.id),
            &[("reason", REASON), ("confirmed", "yes")],
        );
        assert_eq!(refused.status, 403, "{backend}");

        // --- The trainer ------------------------------------------------------
        let trainer = signed_in(&server, "trainer");
        let list = trainer.get("/training/manage/certificates?status=valid");
        assert_eq!(list.status, 200, "{backend}");
        assert!(list.body.contains("Ευτυχία Δοκιμαστική"));
        let revoke_path = format!("/training/manage/certificates/{}/revoke", to_revoke.id);
        assert_eq!(trainer.get(&revoke_path).status, 200);

        let blank = trainer.post(&revoke_path, &[("reason", "  "), ("confirmed", "yes")]);
        assert_eq!(blank.status, 422, "{backend}");
        assert!(blank.body.contains("Γράψτε τον λόγο"));

        let confirm = trainer.post(&revoke_path, &[("reason", REASON)]);
        assert_eq!(confirm.status, 200);
        assert!(confirm.body.contains("name=\"confirmed\" value=\"yes\""));
        let still: Certificate = store
            .run_blocking({
                let id = to_revoke.id.clone();
                move |db| Ok(certificates::find(db, &id)?.unwrap())
            })
            .unwrap();
        assert!(still.is_valid(), "revoked before the confirmation");

        let done = trainer.post(&revoke_path, &[("reason", REASON), ("confirmed", "yes")]);
        assert_eq!(done.status, 200, "{backend}");
        assert!(done.url.ends_with("/training/manage/certificates"));
        let revoked: Certificate = store
            .run_blocking({
                let id = to_revoke.id.clone();
                move |db| Ok(certificates::find(db, &id)?.unwrap())
            })
            .unwrap();
        assert_eq!(revoked.revoked_reason.as_deref(), Some(REASON));
        let audited: i64 = store
            .run_blocking({
                let id = to_revoke.id.clone();
                move |db| {
                    Ok(audit_log::table
                        .filter(audit_log::action.eq("training.certificate.revoke"))
                        .filter(audit_log::object_id.eq(id))
                        .count()
                        .get_result(db.conn)?)
                }
            })
            .unwrap();
        assert_eq!(audited, 1, "{backend}");

        // The verification page says revoked, with the date, not the reason.
        let page = anonymous.get(&format!("/verify/{}", to_revoke.code));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("ανακλήθηκε"), "{}", page.body);
        assert!(!page.body.contains(REASON));

        // A revoked certificate is no longer downloadable.
        let holder = signed_in(&server, "trainee2");
        assert_eq!(
            holder
                .get(&format!("/training/certificates/{}/pdf", to_revoke.id))
                .status,
            404
        );
        assert_eq!(
            holder
                .get(&format!("/training/certificates/{}/pdf", theirs.id))
                .status,
            200
        );
    });
}
