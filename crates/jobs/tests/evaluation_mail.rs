//! Evaluation e-mails through the file transport: one invitation when the
//! evaluation is due, one reminder seven days later, and nothing more.

use std::sync::Arc;

use chrono::Duration;
use diesel::prelude::*;
use procap_domain::locale::Locale;
use procap_jobs::evaluation_mail::{self, EvaluationMail, EvaluationTexts, MailContent};
use procap_jobs::mail::{MailTransport, Mailer};
use procap_store::schema_training::{courses, enrolments};
use procap_store::testing::TestDatabase;
use procap_store::training::progress;
use procap_store::{organisations, users};

struct Texts;

impl EvaluationTexts for Texts {
    fn compose(&self, content: &MailContent<'_>) -> (String, String) {
        let language = match content.locale {
            Locale::El => "el",
            Locale::En => "en",
        };
        (
            format!("subject {language} reminder={}", content.reminder),
            format!(
                "Dear {}, {} {}",
                content.name, content.course_title, content.link
            ),
        )
    }
}

fn eml_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "eml"))
                // Undo quoted-printable's soft line breaks.
                .map(|entry| {
                    std::fs::read_to_string(entry.path())
                        .unwrap()
                        .replace("=\r\n", "")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn one_invitation_and_one_reminder() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let evaluation = store
            .run_blocking(|db| {
                let org = organisations::create(db, "Φορέας", "training", "FO")?.id;
                let trainee = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &org,
                        username: "learner",
                        display_name: "Learner Test",
                        email: Some("learner@example.invalid"),
                        role: "trainee",
                        password_hash: "x",
                        must_change_password: false,
                        locale: "en",
                    },
                )?
                .id;
                let now = procap_store::now();
                let course = procap_store::new_id();
                diesel::insert_into(courses::table)
                    .values((
                        courses::id.eq(&course),
                        courses::slug.eq("mail"),
                        courses::title_el.eq("Μάθημα"),
                        courses::title_en.eq("Mail course"),
                        courses::summary_el.eq(""),
                        courses::summary_en.eq(""),
                        courses::sectors.eq(""),
                        courses::status.eq("published"),
                        courses::rule_post_test.eq(false),
                        courses::rule_attendance.eq(false),
                        courses::rule_evaluation.eq(true),
                        courses::created_at.eq(now),
                        courses::updated_at.eq(now),
                    ))
                    .execute(db.conn)?;
                diesel::insert_into(enrolments::table)
                    .values((
                        enrolments::id.eq(procap_store::new_id()),
                        enrolments::course_id.eq(&course),
                        enrolments::trainee_id.eq(&trainee),
                        enrolments::enrolled_at.eq(now),
                    ))
                    .execute(db.conn)?;
                progress::recompute(db, &trainee, &course)?;
                let due = procap_store::training::evaluations::open_for_trainee(
                    db,
                    &trainee,
                    progress::athens_today(),
                )?;
                Ok(due[0].id.clone())
            })
            .unwrap();

        let dir = tempfile::tempdir().unwrap();
        let mail = EvaluationMail {
            mailer: Mailer::new(
                MailTransport::File(dir.path().to_owned()),
                "Procap <procap@example.invalid>",
            )
            .unwrap(),
            public_origin: "https://procap.example.invalid".into(),
            texts: Arc::new(Texts),
        };

        let now = procap_store::now();
        let first = evaluation_mail::run(&store, &mail, now).unwrap();
        assert_eq!((first.invitations, first.reminders), (1, 0));
        let again = evaluation_mail::run(&store, &mail, now + Duration::days(3)).unwrap();
        assert_eq!((again.invitations, again.reminders), (0, 0));
        let week = evaluation_mail::run(&store, &mail, now + Duration::days(7)).unwrap();
        assert_eq!((week.invitations, week.reminders), (0, 1));
        let later = evaluation_mail::run(&store, &mail, now + Duration::days(30)).unwrap();
        assert_eq!((later.invitations, later.reminders), (0, 0));

        let files = eml_files(dir.path());
        assert_eq!(files.len(), 2, "{:?}", database.backend());
        let link = format!("https://procap.example.invalid/training/evaluations/{evaluation}");
        assert!(files.iter().all(|file| file.contains(&link)));
        assert_eq!(
            files
                .iter()
                .filter(|file| file.contains("reminder=true"))
                .count(),
            1
        );
        assert!(files.iter().all(|file| file.contains("subject en")));
    }
}
