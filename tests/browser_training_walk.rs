//! A new trainee's way through the shipped course, clicked through in
//! headless Chromium with the Greek interface, on SQLite (the HTTP tests
//! cover PostgreSQL): registration with the demo invitation code, the
//! pre-test, the required lessons, the post-test answered correctly, the
//! certificate on the trainee's page, its PDF (rendered to PNG with
//! `pdftoppm` when that is installed), the public verification page, and
//! the trainer's learning-gain report with the new trainee. Each step saves
//! a screenshot in `target/screenshots/` (or `PROCAP_SCREENSHOT_DIR`) as
//! `training-NN-step.png`, and the certificate as `training-certificate.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the test is
//! skipped with a message, except under CI (`CI=true`), where it fails.
//! Every person and detail below is invented.

mod common;
mod training_answers;

use common::{DEMO_PASSWORD, TestServer};
use fantoccini::Locator;
use procap_store::Store;
use procap_store::testing::TestDatabase;
use training_answers::{attempt, attempt_id, correct_answers, open_store, shipped_course};

const USERNAME: &str = "eleni.walk";
const DISPLAY_NAME: &str = "Ελένη Περιπατήτρια";

fn required_lessons(store: &Store, course_id: &str) -> Vec<String> {
    let id = course_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(procap_store::training::courses::list_lessons(db, &id)?
                .into_iter()
                .filter(|lesson| lesson.required)
                .map(|lesson| lesson.id)
                .collect())
        })
        .unwrap()
}

/// The certificate's code as printed, from the trainee's list.
fn certificate_code(store: &Store, username: &'static str) -> String {
    store
        .run_blocking(move |db| {
            let user = procap_store::users::find_by_username(db, username)?.unwrap();
            let mine = procap_store::training::certificates::list_for_trainee(db, &user.id)?;
            Ok(mine.first().expect("a certificate").code.clone())
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_trainee_earns_certificate_in_chromium() {
    let server = tokio::task::spawn_blocking(|| TestServer::demo(TestDatabase::sqlite()))
        .await
        .unwrap();
    let store = open_store(server.data_dir.path(), &server.database);
    let (course_id, pre, post) = shipped_course(&store);

    let Some(browser) = common::walk::start(&server.base, "training").await else {
        return;
    };
    let mut walk = browser.walk;

    // Registration with the invitation code, then signing in.
    walk.goto("/training/register?code=DEMO2026").await;
    walk.shot("register").await;
    let register = "form[action='/training/register']";
    walk.fill(
        register,
        &[
            ("display_name", DISPLAY_NAME),
            ("email", "eleni.walk@example.org"),
            ("employer", "Σταθμός Λεωφορείων Δοκιμών"),
            ("username", USERNAME),
            ("password", DEMO_PASSWORD),
            ("confirm_password", DEMO_PASSWORD),
            ("locale", "el"),
        ],
    )
    .await;
    walk.submit(register).await;
    assert_eq!(walk.path().await, "/login", "{}", walk.body().await);
    walk.sign_in(USERNAME).await;

    // The training home: enrol in the shipped course.
    walk.goto("/training").await;
    assert!(
        walk.client
            .find(Locator::Css("a[href='/training/certificates']"))
            .await
            .is_ok(),
        "no link to the certificates page"
    );
    walk.shot("training-home").await;
    walk.submit(&format!(
        "form[action='/training/courses/{course_id}/enrol']"
    ))
    .await;
    assert_eq!(walk.path().await, format!("/training/courses/{course_id}"));
    walk.shot("course").await;

    // The pre-test: three questions answered, the rest left blank.
    walk.click_and_wait(&format!("a[href='/training/quizzes/{}']", pre.id))
        .await;
    walk.shot("pre-test-rules").await;
    walk.submit(&format!("form[action='/training/quizzes/{}']", pre.id))
        .await;
    let url = walk.client.current_url().await.unwrap().to_string();
    let pre_attempt = attempt_id(&url);
    let record = attempt(&store, &pre_attempt);
    let countdown = walk
        .client
        .find(Locator::Css(".quiz-countdown"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        countdown.contains("λεπτά"),
        "the countdown says {countdown:?}"
    );
    walk.shot("pre-test-form").await;
    let some: Vec<String> = record
        .questions
        .iter()
        .take(3)
        .map(|stored| format!("a.{}", stored.id))
        .collect();
    let fields: Vec<(String, String)> = correct_answers(&record)
        .into_iter()
        .filter(|(name, _)| {
            some.iter()
                .any(|prefix| name == prefix || name.starts_with(&format!("{prefix}.")))
        })
        .collect();
    let form = format!("form[action='/training/attempts/{pre_attempt}']");
    fill_answers(&walk, &form, &fields).await;
    walk.submit(&form).await;
    assert!(walk.body().await.contains("Βαθμολογία:"));
    walk.shot("pre-test-result").await;

    // The required lessons, opened from the course page.
    for lesson in required_lessons(&store, &course_id) {
        walk.goto(&format!("/training/courses/{course_id}")).await;
        walk.click_and_wait(&format!(
            "a[href='/training/courses/{course_id}/lessons/{lesson}']"
        ))
        .await;
    }
    walk.shot("lesson").await;
    walk.goto(&format!("/training/courses/{course_id}")).await;
    walk.shot("course-lessons-read").await;

    // The post-test, answered correctly.
    walk.click_and_wait(&format!("a[href='/training/quizzes/{}']", post.id))
        .await;
    walk.submit(&format!("form[action='/training/quizzes/{}']", post.id))
        .await;
    let url = walk.client.current_url().await.unwrap().to_string();
    let post_attempt = attempt_id(&url);
    let record = attempt(&store, &post_attempt);
    let form = format!("form[action='/training/attempts/{post_attempt}']");
    fill_answers(&walk, &form, &correct_answers(&record)).await;
    walk.shot("post-test-answered").await;
    walk.submit(&form).await;
    assert!(
        walk.client
            .find(Locator::Css(".quiz-verdict.quiz-passed"))
            .await
            .is_ok(),
        "{}",
        walk.body().await
    );
    walk.shot("post-test-result").await;
    let passed = attempt(&store, &post_attempt).submission.unwrap();
    assert!(passed.passed);
    assert_eq!(passed.points, passed.max_points);

    // The course is complete; the certificate is on the trainee's page.
    walk.goto(&format!("/training/courses/{course_id}")).await;
    walk.shot("course-complete").await;
    walk.goto("/training").await;
    walk.click_and_wait("a[href='/training/certificates']")
        .await;
    let certificates = walk.body().await;
    assert!(certificates.contains("Σε ισχύ"), "{certificates}");
    walk.shot("certificates").await;
    let code = certificate_code(&store, USERNAME);

    // The PDF, downloaded with the trainee's session.
    let pdf_link = walk
        .client
        .find(Locator::Css("a[href$='/pdf']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let cookies = walk
        .client
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let response = reqwest::Client::new()
        .get(format!("{}{pdf_link}", server.base))
        .header("Cookie", cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    render_certificate(&walk.shots, &pdf);

    // The public verification page, opened from the code on the list.
    walk.client.delete_all_cookies().await.unwrap();
    walk.goto(&format!("/verify/{code}")).await;
    let verify = walk.body().await;
    assert!(
        verify.contains("Το πιστοποιητικό είναι γνήσιο και σε ισχύ."),
        "{verify}"
    );
    assert!(verify.contains(DISPLAY_NAME), "{verify}");
    walk.shot("verify").await;

    // The trainer sees the learning gain with the new trainee.
    walk.sign_in("trainer").await;
    walk.goto(&format!("/training/manage/courses/{course_id}"))
        .await;
    walk.shot("trainer-course").await;
    walk.goto(&format!("/training/manage/courses/{course_id}/gain"))
        .await;
    let gain = walk.body().await;
    assert!(gain.contains(DISPLAY_NAME), "{gain}");
    walk.shot("trainer-gain").await;
}

/// Fills quiz answers: several fields may share a name (the ticked boxes
/// of a multiple-choice question), so each pair is filled on its own.
async fn fill_answers(walk: &common::walk::Walk, form: &str, fields: &[(String, String)]) {
    for (name, value) in fields {
        walk.fill(form, &[(name.as_str(), value.as_str())]).await;
    }
}

/// Renders the certificate's first page to `training-certificate.png`
/// beside the screenshots. Skipped outside CI when `pdftoppm` is missing.
fn render_certificate(dir: &std::path::Path, pdf: &[u8]) {
    let pdf_path = dir.join("training-certificate.pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.join("training-certificate"))
        .status();
    match status {
        Ok(status) => assert!(status.success(), "pdftoppm failed: {status}"),
        Err(error)
            if !procap_store::testing::is_ci() && error.kind() == std::io::ErrorKind::NotFound =>
        {
            eprintln!("skipped the certificate image: pdftoppm is not installed");
        }
        Err(error) => panic!("pdftoppm did not run: {error}"),
    }
}
