//! SCORM 1.2 lessons and the xAPI export over real HTTP, on SQLite and
//! PostgreSQL: a package built here is uploaded by the trainer, each kind
//! of bad package is refused with its message and stores nothing, package
//! files are served only to trainers and enrolled trainees with the
//! package policy, a trainee's commit stores status and score and
//! completes the course, and only ManageTraining may export xAPI
//! statements, whose actors are account ids.
//!
//! Demo accounts: `trainer`, `trainee`, `coordinator`, `caseworker`. The
//! course and the package are invented for the test.

mod common;

use std::io::{Cursor, Write};

use chrono::Utc;
use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend};
use diesel::prelude::*;
use procap_store::schema::users;
use procap_store::schema_training::{
    course_modules, courses, enrolments, lesson_views, lessons, scorm_packages, scorm_results,
};
use zip::write::SimpleFileOptions;

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="procap-test" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Ενδείξεις στο αεροδρόμιο</title>
      <item identifier="i1" identifierref="sco1"><title>Μάθημα</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco1" type="webcontent" adlcp:scormtype="sco" href="content/index.html">
      <file href="content/index.html"/>
    </resource>
  </resources>
</manifest>"#;

const SCO_HTML: &str = "<!DOCTYPE html><html><head><title>Signs</title>\
    <script src=\"sco.js\"></script></head><body><p>Fictional lesson.</p></body></html>";

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn good_entries() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("imsmanifest.xml", MANIFEST.as_bytes()),
        ("content/index.html", SCO_HTML.as_bytes()),
        ("content/sco.js", b"var fictional = true;".as_slice()),
    ]
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(
        page.status,
        200,
        "{}: {username} signs in",
        server.backend()
    );
    browser
}

struct Course {
    id: String,
    module_id: String,
    trainee_id: String,
}

/// A published course with one module and no other rule, and the demo
/// trainee's id.
fn seed_course(server: &TestServer) -> Course {
    let course_id = uuid::Uuid::new_v4().to_string();
    let module_id = uuid::Uuid::new_v4().to_string();
    let (id, module) = (course_id.clone(), module_id.clone());
    let trainee_id = server
        .database
        .store()
        .run_blocking(move |db| {
            let now = Utc::now().naive_utc();
            diesel::insert_into(courses::table)
                .values((
                    courses::id.eq(&id),
                    courses::slug.eq(format!("scorm-test-{id}")),
                    courses::title_el.eq("Δοκιμαστικό πρόγραμμα"),
                    courses::title_en.eq("Test course"),
                    courses::summary_el.eq(""),
                    courses::summary_en.eq(""),
                    courses::sectors.eq(""),
                    courses::status.eq("published"),
                    courses::rule_post_test.eq(false),
                    courses::rule_attendance.eq(false),
                    courses::rule_evaluation.eq(false),
                    courses::created_at.eq(now),
                    courses::updated_at.eq(now),
                ))
                .execute(db.conn)?;
            diesel::insert_into(course_modules::table)
                .values((
                    course_modules::id.eq(&module),
                    course_modules::course_id.eq(&id),
                    course_modules::position.eq(1),
                    course_modules::title_el.eq("Ενότητα"),
                    course_modules::title_en.eq("Module"),
                ))
                .execute(db.conn)?;
            Ok(users::table
                .filter(users::username.eq("trainee"))
                .select(users::id)
                .first::<String>(db.conn)?)
        })
        .unwrap();
    Course {
        id: course_id,
        module_id,
        trainee_id,
    }
}

fn enrol(server: &TestServer, course: &Course) {
    let (course_id, trainee_id) = (course.id.clone(), course.trainee_id.clone());
    server
        .database
        .store()
        .run_blocking(move |db| {
            diesel::insert_into(enrolments::table)
                .values((
                    enrolments::id.eq(uuid::Uuid::new_v4().to_string()),
                    enrolments::course_id.eq(&course_id),
                    enrolments::trainee_id.eq(&trainee_id),
                    enrolments::enrolled_at.eq(Utc::now().naive_utc()),
                ))
                .execute(db.conn)?;
            Ok(())
        })
        .unwrap();
}

/// Posts the upload form as `multipart/form-data`.
fn upload(browser: &Browser, course: &Course, package: &[u8]) -> Page {
    let boundary = "procap-scorm-boundary-5Qk2Lw9";
    let mut body = Vec::new();
    for (name, value) in [
        ("module_id", course.module_id.as_str()),
        ("title_el", ""),
        ("title_en", "Signs at the airport"),
        ("required", "yes"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"package.zip\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(package);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = browser
        .client
        .post(format!(
            "{}/training/manage/courses/{}/scorm",
            browser.base, course.id
        ))
        .header("Origin", &browser.base)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    let url = response.url().to_string();
    let headers = response.headers().clone();
    Page {
        status,
        url,
        headers,
        body: response.text().unwrap(),
    }
}

fn package_count(server: &TestServer) -> i64 {
    server
        .database
        .store()
        .run_blocking(|db| Ok(scorm_packages::table.count().get_result::<i64>(db.conn)?))
        .unwrap()
}

fn commit(browser: &Browser, lesson_id: &str, origin: &str, values: serde_json::Value) -> u16 {
    browser
        .client
        .post(format!(
            "{}/training/scorm/{lesson_id}/commit",
            browser.base
        ))
        .header("Origin", origin)
        .json(&values)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

/// Bad packages, each with a fragment of its Greek message.
fn bad_packages() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut cases = Vec::new();
    cases.push((
        "not a zip",
        b"PK but not really".to_vec(),
        "δεν είναι αρχείο zip",
    ));

    let mut entries = good_entries();
    entries.push(("../escape.html", b"x"));
    cases.push(("traversal", zip_of(&entries), "έξω από το πακέτο"));

    let mut entries = good_entries();
    entries.push(("/etc/absolute.html", b"x"));
    cases.push(("absolute", zip_of(&entries), "έξω από το πακέτο"));

    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in good_entries() {
        writer
            .start_file(name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer
        .add_symlink("content/link", "/etc/passwd", SimpleFileOptions::default())
        .unwrap();
    cases.push((
        "symlink",
        writer.finish().unwrap().into_inner(),
        "συμβολικό σύνδεσμο",
    ));

    // 201 MiB of zeros deflate to a few hundred KiB: over the unpacked limit.
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in good_entries() {
        writer
            .start_file(name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer
        .start_file(
            "content/zeros.bin",
            SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true),
        )
        .unwrap();
    let chunk = vec![0_u8; 1024 * 1024];
    for _ in 0..201 {
        writer.write_all(&chunk).unwrap();
    }
    cases.push((
        "bomb",
        writer.finish().unwrap().into_inner(),
        "Αποσυμπιεσμένο",
    ));

    let mut many: Vec<(String, &[u8])> = good_entries()
        .into_iter()
        .map(|(name, content)| (name.to_owned(), content))
        .collect();
    many.extend((0..2_000).map(|index| (format!("content/f{index}.txt"), b"".as_slice())));
    let many: Vec<(&str, &[u8])> = many.iter().map(|(n, c)| (n.as_str(), *c)).collect();
    cases.push(("too many entries", zip_of(&many), "περισσότερα από"));

    let entries = [("content/index.html", SCO_HTML.as_bytes())];
    cases.push(("no manifest", zip_of(&entries), "imsmanifest.xml"));

    let scorm_2004 = MANIFEST.replace(
        "<schemaversion>1.2</schemaversion>",
        "<schemaversion>2004 4th Edition</schemaversion>",
    );
    let entries = [
        ("imsmanifest.xml", scorm_2004.as_bytes()),
        ("content/index.html", SCO_HTML.as_bytes()),
    ];
    cases.push(("SCORM 2004", zip_of(&entries), "2004 4th Edition"));

    let entries = [("imsmanifest.xml", MANIFEST.as_bytes())];
    cases.push((
        "launch file missing",
        zip_of(&entries),
        "content/index.html",
    ));
    cases
}

#[test]
fn scorm_packages_upload_serve_and_record_results() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let course = seed_course(&server);
        let trainer = signed_in(&server, "trainer");
        let trainee = signed_in(&server, "trainee");
        let caseworker = signed_in(&server, "caseworker");

        let form_path = format!("/training/manage/courses/{}/scorm", course.id);
        let form = trainer.get(&form_path);
        assert_eq!(form.status, 200, "{backend}: {}", form.body);
        assert!(form.body.contains("name=\"module_id\""), "{backend}");
        assert_eq!(trainee.get(&form_path).status, 403, "{backend}");
        assert_eq!(
            upload(&trainee, &course, &zip_of(&good_entries())).status,
            403
        );

        for (case, package, message) in bad_packages() {
            let page = upload(&trainer, &course, &package);
            assert_eq!(page.status, 422, "{backend}: {case}: {}", page.body);
            assert!(
                page.body.contains(message),
                "{backend}: {case}: message {message:?} in {}",
                page.body
            );
            assert!(
                page.body.contains("value=\"Signs at the airport\""),
                "{backend}: {case}: the form keeps what was typed"
            );
        }
        assert_eq!(package_count(&server), 0, "{backend}: nothing stored");

        let page = upload(&trainer, &course, &zip_of(&good_entries()));
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let lesson_id = page
            .url
            .rsplit('/')
            .next()
            .expect("redirected to the lesson page")
            .to_owned();
        assert!(page.url.ends_with(&format!("/training/scorm/{lesson_id}")));
        assert!(
            page.body.contains(&format!(
                "src=\"/training/scorm/{lesson_id}/content/index.html\""
            )),
            "{backend}: the frame launches the SCO: {}",
            page.body
        );
        assert!(
            page.body
                .contains("sandbox=\"allow-scripts allow-same-origin\"")
        );
        assert!(
            page.body.contains("/static/training_scorm_api."),
            "{backend}"
        );
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-src 'self'"), "{backend}: {csp}");
        let (title_el, title_en, kind, required) = server
            .database
            .store()
            .run_blocking({
                let id = lesson_id.clone();
                move |db| {
                    Ok(lessons::table
                        .filter(lessons::id.eq(&id))
                        .select((
                            lessons::title_el,
                            lessons::title_en,
                            lessons::kind,
                            lessons::required,
                        ))
                        .first::<(String, String, String, bool)>(db.conn)?)
                }
            })
            .unwrap();
        assert_eq!(
            title_el, "Ενδείξεις στο αεροδρόμιο",
            "{backend}: manifest title"
        );
        assert_eq!(title_en, "Signs at the airport", "{backend}");
        assert_eq!(kind, "scorm");
        assert!(required);

        let file_path = format!("/training/scorm/{lesson_id}/content/index.html");
        let file = trainer.get(&file_path);
        assert_eq!(file.status, 200, "{backend}");
        assert_eq!(file.body, SCO_HTML);
        assert!(
            file.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = file.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("sandbox allow-scripts allow-same-origin"),
            "{backend}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'self'"), "{backend}: {csp}");
        assert_eq!(file.headers["x-frame-options"], "SAMEORIGIN");
        let script = trainer.get(&format!("/training/scorm/{lesson_id}/content/sco.js"));
        assert_eq!(script.status, 200);
        assert!(
            script.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/javascript")
        );
        for missing in [
            format!("/training/scorm/{lesson_id}/content/nothing.html"),
            format!("/training/scorm/{lesson_id}/content/..%2F..%2Fimsmanifest.xml"),
            format!("/training/scorm/{lesson_id}/%2Fetc%2Fpasswd"),
        ] {
            assert_eq!(trainer.get(&missing).status, 404, "{backend}: {missing}");
        }

        assert_eq!(caseworker.get(&file_path).status, 403, "{backend}");
        assert_eq!(
            trainee.get(&file_path).status,
            404,
            "{backend}: not enrolled"
        );
        assert_eq!(
            commit(
                &trainee,
                &lesson_id,
                &trainee.base,
                serde_json::json!({"cmi.core.lesson_status": "passed"})
            ),
            404,
            "{backend}: not enrolled"
        );
        enrol(&server, &course);
        assert_eq!(trainee.get(&file_path).status, 200, "{backend}: enrolled");
        let lesson_page = trainee.get(&format!("/training/scorm/{lesson_id}"));
        assert_eq!(lesson_page.status, 200, "{backend}");
        assert!(lesson_page.body.contains("data-lesson-mode=\"normal\""));

        assert_eq!(
            commit(
                &trainee,
                &lesson_id,
                &trainee.base,
                serde_json::json!({"cmi.core.score.raw": "120"})
            ),
            422,
            "{backend}: out of range"
        );
        assert_eq!(
            commit(
                &trainee,
                &lesson_id,
                &trainee.base,
                serde_json::json!({"cmi.interactions.0.id": "q1"})
            ),
            422,
            "{backend}: not supported"
        );
        assert_eq!(
            commit(
                &trainee,
                &lesson_id,
                "http://evil.example",
                serde_json::json!({"cmi.core.lesson_status": "passed"})
            ),
            403,
            "{backend}: cross-site commit"
        );
        assert_eq!(
            commit(
                &trainee,
                &lesson_id,
                &trainee.base,
                serde_json::json!({
                    "cmi.core.lesson_status": "incomplete",
                    "cmi.suspend_data": "page=2",
                    "cmi.core.session_time": "00:04:10"
                })
            ),
            204,
            "{backend}"
        );
        let viewed = |server: &TestServer| {
            server
                .database
                .store()
                .run_blocking(|db| Ok(lesson_views::table.count().get_result::<i64>(db.conn)?))
                .unwrap()
        };
        assert_eq!(viewed(&server), 0, "{backend}: incomplete is not viewed");
        assert_eq!(
            commit(
                &trainee,
                &lesson_id,
                &trainee.base,
                serde_json::json!({
                    "cmi.core.lesson_status": "passed",
                    "cmi.core.score.raw": "92.5"
                })
            ),
            204,
            "{backend}"
        );
        let (status, score, data) = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(scorm_results::table
                    .select((
                        scorm_results::lesson_status,
                        scorm_results::score_raw,
                        scorm_results::data,
                    ))
                    .first::<(String, Option<i32>, String)>(db.conn)?)
            })
            .unwrap();
        assert_eq!(status, "passed", "{backend}");
        assert_eq!(score, Some(9250), "{backend}");
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert_eq!(data["cmi.suspend_data"], "page=2", "{backend}: merged");
        assert_eq!(viewed(&server), 1, "{backend}: passed counts as viewed");
        let completed = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(enrolments::table
                    .select(enrolments::completed_at)
                    .first::<Option<chrono::NaiveDateTime>>(db.conn)?)
            })
            .unwrap();
        assert!(completed.is_some(), "{backend}: the course is completed");

        let lesson_page = trainee.get(&format!("/training/scorm/{lesson_id}"));
        assert!(
            lesson_page.body.contains("data-status=\"passed\""),
            "{backend}"
        );
        assert!(
            lesson_page.body.contains("data-score=\"92.5\""),
            "{backend}"
        );
        assert!(lesson_page.body.contains("data-suspend-data=\"page=2\""));

        // A trainer's preview commits are accepted and not stored.
        assert_eq!(
            commit(
                &trainer,
                &lesson_id,
                &trainer.base,
                serde_json::json!({"cmi.core.lesson_status": "failed"})
            ),
            204
        );
        let results = server
            .database
            .store()
            .run_blocking(|db| Ok(scorm_results::table.count().get_result::<i64>(db.conn)?))
            .unwrap();
        assert_eq!(results, 1, "{backend}");

        // The runtime script is served as a static asset.
        let src_start = lesson_page
            .body
            .find("/static/training_scorm_api.")
            .unwrap();
        let src_end = src_start + lesson_page.body[src_start..].find('"').unwrap();
        let script = trainee.get(&lesson_page.body[src_start..src_end]);
        assert_eq!(script.status, 200);
        assert!(script.body.contains("LMSInitialize"));
        assert!(script.body.contains("LMSGetDiagnostic"));
    });
}

#[test]
fn xapi_export_is_for_training_managers_and_names_accounts() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let course = seed_course(&server);
        enrol(&server, &course);

        for username in ["trainee", "caseworker"] {
            let browser = signed_in(&server, username);
            assert_eq!(
                browser.get("/training/manage/xapi").status,
                403,
                "{backend}: {username}"
            );
            assert_eq!(
                browser.get("/training/manage/xapi/statements").status,
                403,
                "{backend}: {username}"
            );
        }

        let coordinator = signed_in(&server, "coordinator");
        assert_eq!(coordinator.get("/training/manage/xapi").status, 200);
        let trainer = signed_in(&server, "trainer");
        let form = trainer.get("/training/manage/xapi");
        assert_eq!(form.status, 200, "{backend}: {}", form.body);
        assert!(form.body.contains(&course.id), "{backend}: course listed");

        let bad = trainer.get("/training/manage/xapi/statements?from=2026-13-01&to=");
        assert_eq!(bad.status, 422, "{backend}");
        assert!(bad.body.contains("value=\"2026-13-01\""), "{backend}: kept");
        let bad = trainer.get("/training/manage/xapi/statements?from=2026-12-05&to=2026-12-01");
        assert_eq!(bad.status, 422, "{backend}");

        let page = trainer.get(&format!(
            "/training/manage/xapi/statements?course={}&format=json",
            course.id
        ));
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            page.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let statements: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        let statements = statements.as_array().unwrap();
        assert_eq!(statements.len(), 1, "{backend}: one enrolment");
        let statement = &statements[0];
        assert_eq!(
            statement["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/registered"
        );
        assert_eq!(statement["actor"]["account"]["name"], course.trainee_id);
        assert!(statement["actor"].get("mbox").is_none());
        assert!(
            statement["object"]["id"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/training/courses/{}", course.id))
        );
        assert_eq!(statement["version"], "1.0.3");

        let ndjson = trainer.get(&format!(
            "/training/manage/xapi/statements?course={}&format=ndjson",
            course.id
        ));
        assert_eq!(ndjson.status, 200);
        assert_eq!(ndjson.body.lines().count(), 1, "{backend}");

        let past = trainer.get("/training/manage/xapi/statements?from=2020-01-01&to=2020-12-31");
        assert_eq!(past.status, 200);
        assert_eq!(past.body.trim(), "[]", "{backend}: period filter");
    });
}
