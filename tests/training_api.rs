//! The training part of the JSON API over real HTTP on SQLite and
//! PostgreSQL: what a trainee's token and a trainer's token see of courses,
//! enrolments, attempts, sessions and certificates, the denials (other
//! roles, a trainee asking for someone else's data, trainer-only routes),
//! pagination, enrolment through the API and its validation errors.
//!
//! Demo accounts (fictional): `trainer` and `trainee` of `KKP`,
//! `caseworker` of `KA`. The test adds `apitrainee2` and the courses below.

mod common;
#[path = "training_fixture/mod.rs"]
mod fixture;

use chrono::{Duration, Utc};
use common::{TestServer, each_backend};
use fixture::at;
use procap_store::training::sessions::{self, SessionInput, Venue};
use procap_store::training::{certificates, enrolment};
use procap_store::users;
use serde_json::{Value, json};

fn store(server: &TestServer) -> procap_store::Store {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key"))
        .expect("the server's key file");
    procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .expect("open the server's database")
}

fn token(server: &TestServer, username: &str) -> String {
    let output = server.cli(&["token", "create", "--user", username]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

struct Api<'a> {
    server: &'a TestServer,
    token: String,
    client: reqwest::blocking::Client,
}

struct Answer {
    status: u16,
    body: Value,
    location: Option<String>,
}

impl<'a> Api<'a> {
    fn new(server: &'a TestServer, username: &str) -> Self {
        Api {
            server,
            token: token(server, username),
            client: reqwest::blocking::Client::new(),
        }
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> Answer {
        let response = request.bearer_auth(&self.token).send().unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_owned());
        let text = response.text().unwrap();
        Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            location,
        }
    }

    fn get(&self, path: &str) -> Answer {
        self.send(self.client.get(format!("{}{path}", self.server.base)))
    }

    fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(
            self.client
                .post(format!("{}{path}", self.server.base))
                .json(body),
        )
    }
}

/// Ids of the hand-made records.
struct Seeded {
    published: String,
    draft_enrolled: String,
    draft_hidden: String,
    trainee: String,
    other: String,
    session: String,
    trainee_certificate: String,
}

fn user_id(db: &mut procap_store::Db<'_>, username: &str) -> String {
    users::find_by_username(db, username)
        .unwrap()
        .expect("demo user")
        .id
}

fn seed(server: &TestServer) -> Seeded {
    store(server)
        .run_blocking(|db| {
            let published = fixture::course(
                db,
                "api-published",
                "Α Δημοσιευμένο",
                "A published",
                "published",
            );
            let draft_enrolled = fixture::course(
                db,
                "api-draft-mine",
                "Β Πρόχειρο δικό μου",
                "B draft mine",
                "draft",
            );
            let draft_hidden = fixture::course(
                db,
                "api-draft-hidden",
                "Γ Πρόχειρο κρυφό",
                "C draft hidden",
                "draft",
            );
            let trainee = user_id(db, "trainee");
            let trainer = user_id(db, "trainer");
            let other = fixture::trainee(db, "apitrainee2", "KKP", Some(("tourism", "attica")));
            enrolment::enrol(db, &published, &trainee, None)?;
            enrolment::enrol(db, &draft_enrolled, &trainee, None)?;
            enrolment::enrol(db, &published, &other, None)?;

            let pre = fixture::test_quiz(db, &published, "pre_test");
            fixture::attempt(db, &pre, &trainee, 40, at(2025, 3, 12));
            fixture::attempt(db, &pre, &other, 75, at(2025, 3, 13));

            let now = Utc::now().naive_utc();
            let session = sessions::create(
                db,
                &SessionInput {
                    course_id: Some(published.clone()),
                    title_el: "Συνάντηση δοκιμής".to_owned(),
                    title_en: "Test session".to_owned(),
                    venue: Venue::InPerson("Αίθουσα 2, κτίριο δοκιμής".to_owned()),
                    starts_at: now + Duration::days(30),
                    ends_at: now + Duration::days(30) + Duration::hours(3),
                    region: "attica".to_owned(),
                    sector: None,
                    capacity: 1,
                    trainer_ids: vec![trainer.clone()],
                },
                &trainer,
            )?;
            sessions::register(db, &session, &trainee, now)?;
            sessions::register(db, &session, &other, now)?;

            let today = Utc::now().date_naive();
            let trainee_certificate = certificates::issue(db, &trainee, &published, today)?.id;
            let revoked = certificates::issue(db, &other, &published, today)?.id;
            certificates::revoke(db, &revoked, &trainer, "Εκδόθηκε κατά λάθος", now)?;
            Ok(Seeded {
                published,
                draft_enrolled,
                draft_hidden,
                trainee,
                other,
                session,
                trainee_certificate,
            })
        })
        .unwrap()
}

fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Reads every page of `path` with `limit`, checking the totals agree.
fn all_pages(api: &Api<'_>, path: &str, limit: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut page = 1;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let answer = api.get(&format!("{path}{separator}limit={limit}&page={page}"));
        assert_eq!(answer.status, 200, "{}", answer.body);
        let items = ids(&answer.body);
        let total = answer.body["total"].as_i64().unwrap();
        assert!(items.len() <= limit);
        found.extend(items.clone());
        if items.is_empty() || found.len() as i64 >= total {
            assert_eq!(
                found.len() as i64,
                total,
                "pages do not add up to the total"
            );
            return found;
        }
        page += 1;
    }
}

#[test]
fn courses_by_role_with_pages() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let seeded = seed(&server);
        let trainee = Api::new(&server, "trainee");
        let trainer = Api::new(&server, "trainer");
        let caseworker = Api::new(&server, "caseworker");

        // Trainer: every course, on pages of one that add up.
        let every = all_pages(&trainer, "/api/v1/courses", 1);
        for id in [
            &seeded.published,
            &seeded.draft_enrolled,
            &seeded.draft_hidden,
        ] {
            assert!(
                every.contains(id),
                "{backend}: {id} missing for the trainer"
            );
        }
        let mut unique = every.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            every.len(),
            "{backend}: a course on two pages"
        );

        // Trainee: published and their own, never someone's draft.
        let visible = all_pages(&trainee, "/api/v1/courses", 2);
        assert!(visible.contains(&seeded.published), "{backend}");
        assert!(visible.contains(&seeded.draft_enrolled), "{backend}");
        assert!(!visible.contains(&seeded.draft_hidden), "{backend}");
        let first = trainee.get("/api/v1/courses?limit=2&offset=0");
        assert_eq!(first.body["limit"], 2);
        assert_eq!(first.body["offset"], 0);

        // Bad pages.
        for bad in [
            "limit=0",
            "limit=501",
            "offset=-1",
            "page=0",
            "offset=1&page=1",
        ] {
            let answer = trainer.get(&format!("/api/v1/courses?{bad}"));
            assert_eq!(answer.status, 400, "{backend}: {bad}");
            assert_eq!(answer.body["code"], "invalid_page", "{backend}: {bad}");
        }

        // One course: modules, lessons and quizzes.
        let detail = trainee.get(&format!("/api/v1/courses/{}", seeded.draft_enrolled));
        assert_eq!(detail.status, 200, "{backend}: {}", detail.body);
        assert_eq!(detail.body["enrolled"], true);
        assert_eq!(detail.body["modules"][0]["title_en"], "Module 1");
        assert_eq!(
            detail.body["modules"][0]["lessons"][0]["title_en"],
            "Lesson 1"
        );
        assert_eq!(detail.body["modules"][0]["lessons"][0]["required"], true);
        assert!(
            detail.body["modules"][0]["lessons"][0]
                .get("body_en")
                .is_none()
        );
        let published = trainer.get(&format!("/api/v1/courses/{}", seeded.published));
        assert_eq!(published.status, 200, "{backend}");
        assert_eq!(published.body["quizzes"][0]["purpose"], "pre_test");
        assert_eq!(published.body["quizzes"][0]["questions"], 2);
        assert_eq!(published.body["quizzes"][0]["pass_mark"], 60);
        assert!(published.body.get("enrolled").is_none());
        assert_eq!(published.body["sectors"], json!(["airport"]));
        let hidden = trainee.get(&format!("/api/v1/courses/{}", seeded.draft_hidden));
        assert_eq!(hidden.status, 404, "{backend}");
        assert_eq!(hidden.body["code"], "not_found");
        assert_eq!(
            trainer
                .get(&format!("/api/v1/courses/{}", seeded.draft_hidden))
                .status,
            200
        );
        assert_eq!(trainer.get("/api/v1/courses/no-such-course").status, 404);

        // Other roles have no training API.
        for path in [
            "/api/v1/courses".to_owned(),
            format!("/api/v1/courses/{}", seeded.published),
            "/api/v1/attempts".to_owned(),
            "/api/v1/sessions".to_owned(),
            "/api/v1/certificates".to_owned(),
        ] {
            let answer = caseworker.get(&path);
            assert_eq!(answer.status, 403, "{backend}: {path}");
            assert_eq!(answer.body["code"], "forbidden", "{backend}: {path}");
        }
        let anonymous = reqwest::blocking::get(format!("{}/api/v1/courses", server.base)).unwrap();
        assert_eq!(anonymous.status(), 401);
    });
}

#[test]
fn enrolments_attempts_sessions_and_certificates() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let seeded = seed(&server);
        let trainee = Api::new(&server, "trainee");
        let trainer = Api::new(&server, "trainer");
        let coordinator = Api::new(&server, "coordinator");
        let enrolments = format!("/api/v1/courses/{}/enrolments", seeded.draft_hidden);

        // --- Enrolments: trainers only.
        assert_eq!(trainee.get(&enrolments).status, 403, "{backend}");
        let denied = trainee.post(&enrolments, &json!({ "trainee_id": seeded.trainee }));
        assert_eq!(denied.status, 403, "{backend}");
        let empty = trainer.get(&enrolments);
        assert_eq!(empty.status, 200, "{backend}: {}", empty.body);
        assert_eq!(empty.body["total"], 0);

        let created = trainer.post(&enrolments, &json!({ "trainee_id": seeded.other }));
        assert_eq!(created.status, 201, "{backend}: {}", created.body);
        assert_eq!(created.body["created"], true);
        assert_eq!(
            created.body["enrolment"]["trainee_id"],
            seeded.other.as_str()
        );
        assert_eq!(created.body["enrolment"]["sector"], "tourism");
        assert_eq!(created.location.as_deref(), Some(enrolments.as_str()));
        let again = trainer.post(&enrolments, &json!({ "trainee_id": seeded.other }));
        assert_eq!(again.status, 200, "{backend}");
        assert_eq!(again.body["created"], false);
        let by_coordinator =
            coordinator.post(&enrolments, &json!({ "trainee_id": seeded.trainee }));
        assert_eq!(
            by_coordinator.status, 201,
            "{backend}: {}",
            by_coordinator.body
        );
        let listed = trainer.get(&format!("{enrolments}?limit=1"));
        assert_eq!(listed.body["total"], 2, "{backend}");
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);

        // Validation errors, in the token owner's language, nothing stored.
        let missing = trainer.post(&enrolments, &json!({}));
        assert_eq!(missing.status, 422, "{backend}: {}", missing.body);
        assert_eq!(missing.body["code"], "invalid");
        assert_eq!(missing.body["errors"][0]["field"], "trainee_id");
        let message = missing.body["errors"][0]["message"].as_str().unwrap();
        assert!(common::has_greek(message), "{backend}: {message}");
        let caseworker_id = store(&server)
            .run_blocking(|db| Ok(user_id(db, "caseworker")))
            .unwrap();
        let not_trainee = trainer.post(&enrolments, &json!({ "trainee_id": caseworker_id }));
        assert_eq!(not_trainee.status, 422, "{backend}");
        assert_eq!(not_trainee.body["errors"][0]["field"], "trainee_id");
        let unknown = trainer.post(&enrolments, &json!({ "trainee_id": "nobody" }));
        assert_eq!(unknown.status, 422, "{backend}");
        let extra = trainer.post(
            &enrolments,
            &json!({ "trainee_id": seeded.other, "role": "admin" }),
        );
        assert_eq!(extra.status, 422, "{backend}: {}", extra.body);
        assert_eq!(extra.body["code"], "invalid_body");
        let no_course = trainer.post(
            "/api/v1/courses/no-such-course/enrolments",
            &json!({ "trainee_id": seeded.other }),
        );
        assert_eq!(no_course.status, 404, "{backend}");
        assert_eq!(
            trainer
                .get("/api/v1/courses/no-such-course/enrolments")
                .status,
            404
        );
        let form = trainer.send(
            trainer
                .client
                .post(format!("{}{enrolments}", server.base))
                .form(&[("trainee_id", seeded.other.as_str())]),
        );
        assert_eq!(form.status, 415, "{backend}");
        assert_eq!(
            trainer.get(&enrolments).body["total"],
            2,
            "{backend}: a bad request stored something"
        );

        // --- Attempts: a trainee sees their own only.
        let mine = trainee.get("/api/v1/attempts");
        assert_eq!(mine.status, 200, "{backend}: {}", mine.body);
        let items = mine.body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{backend}");
        assert!(
            items
                .iter()
                .all(|item| item["trainee_id"] == seeded.trainee.as_str())
        );
        let own = items
            .iter()
            .find(|item| item["course_id"] == seeded.published.as_str())
            .expect("the seeded attempt");
        assert_eq!(own["score_percent"], 40.0);
        assert_eq!(own["points"], 40.0);
        assert_eq!(own["max_points"], 100.0);
        assert_eq!(own["passed"], false);
        assert_eq!(own["purpose"], "pre_test");
        let theirs = trainee.get(&format!("/api/v1/attempts?trainee={}", seeded.other));
        assert_eq!(theirs.status, 403, "{backend}");
        let filtered = trainer.get(&format!(
            "/api/v1/attempts?trainee={}&course={}",
            seeded.other, seeded.published
        ));
        assert_eq!(filtered.body["total"], 1, "{backend}: {}", filtered.body);
        assert_eq!(filtered.body["items"][0]["score_percent"], 75.0);
        let course_only = trainer.get(&format!(
            "/api/v1/attempts?course={}&limit=1",
            seeded.published
        ));
        assert_eq!(course_only.body["total"], 2, "{backend}");
        assert_eq!(course_only.body["items"].as_array().unwrap().len(), 1);

        // --- Sessions: places and the waiting list; the roster for trainers.
        let listed = trainee.get("/api/v1/sessions");
        assert_eq!(listed.status, 200, "{backend}: {}", listed.body);
        let session = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["id"] == seeded.session.as_str())
            .expect("the seeded session")
            .clone();
        assert_eq!(session["capacity"], 1);
        assert_eq!(session["places_left"], 0);
        assert_eq!(session["registered"], 1);
        assert_eq!(session["waiting"], 1);
        assert_eq!(session["my_status"], "registered");
        let path = format!("/api/v1/sessions/{}", seeded.session);
        let for_trainee = trainee.get(&path);
        assert_eq!(for_trainee.status, 200, "{backend}");
        assert!(
            for_trainee.body.get("roster").is_none(),
            "{backend}: roster shown to a trainee"
        );
        assert_eq!(for_trainee.body["waiting"], 1);
        let for_trainer = trainer.get(&path);
        let roster = for_trainer.body["roster"].as_array().expect("a roster");
        assert_eq!(roster.len(), 2, "{backend}");
        assert_eq!(roster[0]["status"], "registered");
        assert_eq!(roster[1]["status"], "waiting");
        assert_eq!(roster[1]["trainee_id"], seeded.other.as_str());
        assert!(for_trainer.body.get("my_status").is_none());
        assert_eq!(
            trainee.get("/api/v1/sessions?period=all").status,
            403,
            "{backend}"
        );
        assert_eq!(
            trainer.get("/api/v1/sessions?period=all").status,
            200,
            "{backend}"
        );
        let bad = trainer.get("/api/v1/sessions?period=someday");
        assert_eq!(bad.status, 400, "{backend}");
        assert_eq!(bad.body["code"], "invalid_period");
        assert_eq!(trainee.get("/api/v1/sessions/no-such-session").status, 404);

        // --- Certificates: mine, or every one with the revocation reason.
        let certificates = trainee.get("/api/v1/certificates");
        assert_eq!(certificates.status, 200, "{backend}: {}", certificates.body);
        let items = certificates.body["items"].as_array().unwrap();
        assert!(
            items
                .iter()
                .all(|item| item["trainee_id"] == seeded.trainee.as_str())
        );
        let mine = items
            .iter()
            .find(|item| item["id"] == seeded.trainee_certificate.as_str())
            .expect("the trainee's certificate");
        assert_eq!(mine["revoked"], false);
        let code = mine["code"].as_str().unwrap();
        assert_eq!(code.len(), 19, "{backend}: {code}");
        assert!(
            mine["verification_url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/verify/{}", code.replace('-', ""))),
            "{backend}: {mine}"
        );
        let all = trainer.get(&format!("/api/v1/certificates?course={}", seeded.published));
        assert_eq!(all.body["total"], 2, "{backend}: {}", all.body);
        let revoked = trainer.get(&format!(
            "/api/v1/certificates?course={}&status=revoked",
            seeded.published
        ));
        assert_eq!(revoked.body["total"], 1, "{backend}");
        assert_eq!(revoked.body["items"][0]["revoked"], true);
        assert_eq!(
            revoked.body["items"][0]["trainee_id"],
            seeded.other.as_str()
        );
        assert_eq!(
            revoked.body["items"][0]["revoked_reason"],
            "Εκδόθηκε κατά λάθος"
        );
        let mine_revoked = trainee.get("/api/v1/certificates?status=revoked");
        assert_eq!(mine_revoked.body["total"], 0, "{backend}");
        let paged = trainer.get(&format!(
            "/api/v1/certificates?course={}&limit=1&page=2",
            seeded.published
        ));
        assert_eq!(
            paged.body["items"].as_array().unwrap().len(),
            1,
            "{backend}"
        );
        assert_eq!(paged.body["offset"], 1);
        let bad = trainer.get("/api/v1/certificates?status=lost");
        assert_eq!(bad.status, 400, "{backend}");
    });
}
