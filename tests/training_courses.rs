//! Courses over real HTTP, on SQLite and PostgreSQL: registration with an
//! invitation code and with unknown, used-up, revoked and expired codes; a
//! trainer building a course; a CSV roster refused by line and then
//! accepted; permission denials; and lesson Markdown with scripts and
//! unsafe links rendered harmless.
//!
//! Demo accounts: `trainer` manages training, `trainee` takes it,
//! `caseworker` does neither. All data is invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};

const NEW_PASSWORD: &str = "long enough phrase for training 42";

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

fn upload_csv(browser: &Browser, path: &str, content: &str) -> Page {
    let boundary = "procap-training-boundary-Q2w3E4r5";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    let response = browser
        .client
        .post(format!("{}{path}", browser.base))
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
    let body = response.text().unwrap();
    Page {
        status,
        url,
        body,
        headers,
    }
}

/// The id after `marker` in `text`, up to the next `/`, `"` or `?`.
fn id_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not found in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect()
}

fn register(browser: &Browser, code: &str, username: &str, email: &str) -> Page {
    browser.post(
        "/training/register",
        &[
            ("code", code),
            ("display_name", "Δοκιμαστική Εκπαιδευόμενη"),
            ("email", email),
            ("employer", "Ξενοδοχείο Δοκιμής"),
            ("username", username),
            ("password", NEW_PASSWORD),
            ("confirm_password", NEW_PASSWORD),
            ("locale", "el"),
        ],
    )
}

fn create_course(trainer: &Browser, slug: &str) -> String {
    let page = trainer.post(
        "/training/manage/courses",
        &[
            ("slug", slug),
            ("title_el", "Αναγνώριση ενδείξεων"),
            ("title_en", "Recognising the signs"),
            ("summary_el", "Σύντομη περίληψη"),
            ("summary_en", "Short summary"),
            ("sectors", "tourism"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    id_after(&page.url, "/training/manage/courses/")
}

#[test]
fn courses_registration_roster_permissions_and_safe_lessons() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let trainer = signed_in(&server, "trainer");

        // The trainer builds course A with one lesson whose Markdown tries
        // to run a script and link to javascript:, and a course B.
        let course_a = create_course(&trainer, "signs-a");
        let course_b = create_course(&trainer, "signs-b");
        let page = trainer.post(
            &format!("/training/manage/courses/{course_a}/modules"),
            &[
                ("module_title_el", "Ενότητα 1"),
                ("module_title_en", "Module 1"),
                ("sector", ""),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let module = id_after(&page.body, "/modules/");
        let page = trainer.post(
            &format!("/training/manage/courses/{course_a}/modules/{module}/lessons"),
            &[("title", "Πρώτο μάθημα")],
        );
        assert_eq!(page.status, 200, "{backend}");
        let lesson = id_after(&page.url, "/lessons/");
        let body = "## Ενδείξεις\n\n<script>alert('x')</script>\n\n[κλικ](javascript:alert(1)) \
                    <img src=x onerror=alert(2)> [ΕΚΚΑ](https://www.ekka.org.gr/)";
        let page = trainer.post(
            &format!("/training/manage/courses/{course_a}/lessons/{lesson}"),
            &[
                ("title_el", "Πρώτο μάθημα"),
                ("title_en", "First lesson"),
                ("body_el", body),
                ("body_en", body),
                ("video_url", "javascript:alert(3)"),
                ("required", "1"),
            ],
        );
        assert_eq!(
            page.status, 422,
            "{backend}: an unsafe video link is refused"
        );
        assert!(page.body.contains("https://"), "{backend}: {}", page.body);
        let page = trainer.post(
            &format!("/training/manage/courses/{course_a}/lessons/{lesson}"),
            &[
                ("title_el", "Πρώτο μάθημα"),
                ("title_en", "First lesson"),
                ("body_el", body),
                ("body_en", body),
                ("video_url", "https://video.example/v/1"),
                ("required", "1"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}");
        let page = trainer.post(
            &format!("/training/manage/courses/{course_a}/enrolments"),
            &[("username", "trainee")],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);

        // Invitation codes: one use, revoked, expired.
        let form = trainer.get("/training/manage/invitations").body;
        let select = &form[form.find("name=\"organisation_id\"").unwrap()..];
        let organisation = id_after(
            &select[select.find("<option value=\"\"").unwrap() + 10..],
            "<option value=\"",
        );
        let page = trainer.post(
            "/training/manage/invitations",
            &[
                ("code", "ONCE-2026"),
                ("organisation_id", &organisation),
                ("sector", "tourism"),
                ("region", "attica"),
                ("course_id", &course_a),
                ("max_uses", "1"),
                ("expires_on", ""),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.body.contains("ONCE2026"), "{backend}");
        for (code, expires) in [("GONE2026", ""), ("OLD12026", "2020-01-31")] {
            let page = trainer.post(
                "/training/manage/invitations",
                &[
                    ("code", code),
                    ("organisation_id", &organisation),
                    ("sector", "school"),
                    ("region", "other"),
                    ("course_id", ""),
                    ("max_uses", ""),
                    ("expires_on", expires),
                ],
            );
            assert_eq!(page.status, 200, "{backend}: {}", page.body);
        }
        let list = trainer.get("/training/manage/invitations");
        let gone_start = list.body.find("GONE2026").unwrap();
        let revoke = id_after(&list.body[gone_start..], "/training/manage/invitations/");
        let page = trainer.post(
            &format!("/training/manage/invitations/{revoke}/revoke"),
            &[],
        );
        assert!(
            page.body.contains("confirmed"),
            "{backend}: revoking asks first"
        );
        let page = trainer.post(
            &format!("/training/manage/invitations/{revoke}/revoke"),
            &[("confirmed", "1")],
        );
        assert_eq!(page.status, 200, "{backend}");

        // Registration: a good code, then the bad ones keep the input.
        let visitor = server.browser();
        let form = visitor.get("/training/register");
        assert_eq!(form.status, 200, "{backend}");
        assert!(has_greek(&form.body), "{backend}");
        let page = register(&visitor, "once-2026", "eleni.test", "eleni@example.org");
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.url.ends_with("/login"), "{backend}: {}", page.url);
        let eleni = server.browser();
        assert_eq!(eleni.login("eleni.test", NEW_PASSWORD).status, 200);
        let home = eleni.get("/training");
        assert_eq!(home.status, 200, "{backend}");
        assert!(
            home.body.contains("Αναγνώριση ενδείξεων"),
            "{backend}: enrolled by the code"
        );

        for (code, message) in [
            ("NOSUCHCODE", "δεν υπάρχει"),
            ("ONCE2026", "όσες φορές επιτρέπεται"),
            ("GONE2026", "ανακληθεί"),
            ("OLD12026", "έχει λήξει"),
        ] {
            let page = register(&visitor, code, "nikos.test", "nikos@example.org");
            assert_eq!(page.status, 422, "{backend}: {code}");
            assert!(
                page.body.contains(message),
                "{backend}: {code}: {}",
                page.body
            );
            assert!(
                page.body.contains("value=\"nikos@example.org\""),
                "{backend}: keeps input"
            );
            assert!(page.body.contains("Δοκιμαστική Εκπαιδευόμενη"), "{backend}");
            assert!(
                !page.body.contains(NEW_PASSWORD),
                "{backend}: no password echoed"
            );
        }
        let page = register(&visitor, "DEMO2026", "ab", "x@example.org");
        assert_eq!(page.status, 422, "{backend}: short username");

        // Bulk CSV: every problem by line, nothing written; then a good file.
        let enrolments = format!("/training/manage/courses/{course_a}/enrolments");
        let bad = "email,display_name,sector,region,employer\n\
                   one@example.org,Ένας,tourism,attica,\n\
                   not-an-email,Δύο,tourism,attica,\n\
                   ONE@example.org,Τρεις,tourism,attica,\n\
                   four@example.org,Τέσσερις,spaceport,attica,\n";
        let page = upload_csv(&trainer, &format!("{enrolments}/csv"), bad);
        assert_eq!(page.status, 422, "{backend}: {}", page.body);
        for line in ["Γραμμή 3", "Γραμμή 4", "γραμμή 2", "Γραμμή 5"] {
            assert!(
                page.body.contains(line),
                "{backend}: {line} in {}",
                page.body
            );
        }
        assert!(
            !page.body.contains("one@example.org</td>"),
            "{backend}: nothing written"
        );
        let page = upload_csv(
            &trainer,
            &format!("{enrolments}/csv"),
            "mail,name,sector,region,employer\nx@example.org,X,tourism,attica,\n",
        );
        assert_eq!(page.status, 422, "{backend}");
        assert!(page.body.contains("Γραμμή 1"), "{backend}: wrong columns");
        let good = "email,display_name,sector,region,employer\n\
                    one@example.org,Ένας Δοκιμαστικός,tourism,attica,Ξενοδοχείο\n\
                    eleni@example.org,Ελένη,tourism,attica,\n";
        let page = upload_csv(&trainer, &format!("{enrolments}/csv"), good);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.body.contains("one@example.org"), "{backend}");
        assert!(page.body.contains("Ένας Δοκιμαστικός"), "{backend}");

        // Permissions.
        let trainee = signed_in(&server, "trainee");
        assert_eq!(
            trainee.get("/training/manage/courses").status,
            403,
            "{backend}"
        );
        assert_eq!(trainee.get(&enrolments).status, 403, "{backend}");
        assert_eq!(
            trainee
                .post("/training/manage/courses", &[("slug", "x")])
                .status,
            403,
            "{backend}"
        );
        assert_eq!(
            trainee.get(&format!("/training/courses/{course_b}")).status,
            403,
            "{backend}: not enrolled in B"
        );
        assert_eq!(
            trainee
                .get(&format!("/training/courses/{course_b}/lessons/{lesson}"))
                .status,
            403,
            "{backend}"
        );
        let caseworker = signed_in(&server, "caseworker");
        assert_eq!(caseworker.get("/training").status, 403, "{backend}");
        assert_eq!(
            caseworker
                .get(&format!("/training/courses/{course_a}"))
                .status,
            403,
            "{backend}"
        );
        assert_eq!(
            caseworker
                .post(&format!("/training/courses/{course_a}/enrol"), &[])
                .status,
            403,
            "{backend}"
        );

        // The enrolled trainee reads the lesson: scripts and unsafe links
        // are gone, the safe link and the video link stay.
        let course = trainee.get(&format!("/training/courses/{course_a}"));
        assert_eq!(course.status, 200, "{backend}");
        assert!(course.body.contains("0 %"), "{backend}: {}", course.body);
        let page = trainee.get(&format!("/training/courses/{course_a}/lessons/{lesson}"));
        assert_eq!(page.status, 200, "{backend}");
        let article = &page.body[page.body.find("lesson-body").unwrap()..];
        assert!(
            article.contains("<h2>Ενδείξεις</h2>"),
            "{backend}: {article}"
        );
        assert!(!article.contains("<script"), "{backend}: {article}");
        assert!(!article.contains("javascript:"), "{backend}: {article}");
        assert!(!article.contains("<img"), "{backend}: {article}");
        assert!(
            article.contains("&lt;script&gt;"),
            "{backend}: raw HTML is shown as text"
        );
        assert!(
            article.contains(r#"href="https://www.ekka.org.gr/" rel="noopener noreferrer""#),
            "{backend}: {article}"
        );
        assert!(article.contains("https://video.example/v/1"), "{backend}");
        let course = trainee.get(&format!("/training/courses/{course_a}"));
        assert!(
            course.body.contains("Το μάθημα ολοκληρώθηκε"),
            "{backend}: {}",
            course.body
        );
    });
}
