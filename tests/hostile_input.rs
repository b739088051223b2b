//! Hostile input over real HTTP, on SQLite and PostgreSQL:
//!
//! - stored markup (`<script>` and an attribute break-out with an `<img>`
//!   event handler) in case notes, a person's names and the referral
//!   contact, course, module and lesson titles, question text and trainee
//!   names is shown as text on every page that renders it, and markup in
//!   filter parameters is not reflected as markup;
//! - SQL metacharacters and LIKE wildcards in every list filter and search
//!   parameter give a page (never a server error) and never more rows;
//! - attachment names with path traversal are cut to their last component;
//! - spreadsheet formulas in the learning-gain CSV export are neutralised;
//! - oversized, malformed and non-UTF-8 uploads are refused with a message.
//!
//! Demo accounts: `caseworker` is assigned to the demo cases,
//! `coordinator` supervises them, `trainer` manages training. All data is
//! invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};

const SCRIPT: &str = "<script>alert(1)</script>";
const SCRIPT_SHOWN: &str = "&#60;script&#62;alert(1)&#60;/script&#62;";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";
const BREAKOUT_SHOWN: &str = "&#60;img src=x onerror=alert(1)&#62;";

/// The SQL metacharacters and LIKE wildcards sent to every filter.
const METACHARACTERS: &[&str] = &[
    "' OR 1=1 --",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "%' --",
    "\"; DROP TABLE cases; --",
];

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

fn into_page(response: reqwest::blocking::Response) -> Page {
    let status = response.status().as_u16();
    let url = response.url().to_string();
    let headers = response.headers().clone();
    let body = response.text().unwrap_or_default();
    Page {
        status,
        url,
        body,
        headers,
    }
}

/// GET with the query string built (and percent-encoded) from `pairs`.
fn get_query(browser: &Browser, path: &str, pairs: &[(&str, &str)]) -> Page {
    into_page(
        browser
            .client
            .get(format!("{}{path}", browser.base))
            .query(pairs)
            .send()
            .unwrap(),
    )
}

/// Posts one file as `multipart/form-data`, as a browser's upload form does.
fn upload(browser: &Browser, path: &str, file_name: &str, content: &[u8]) -> Page {
    let boundary = "procap-hostile-boundary-5Rt7Yu9Io";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    raw_post(
        browser,
        path,
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
}

fn raw_post(browser: &Browser, path: &str, content_type: &str, body: Vec<u8>) -> Page {
    into_page(
        browser
            .client
            .post(format!("{}{path}", browser.base))
            .header("Origin", &browser.base)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .unwrap(),
    )
}

/// Asserts that `page` shows each payload in `shown` as text and carries
/// none of the payloads as markup, in any letter case (the case code
/// filter upper-cases its value).
fn assert_escaped(page: &Page, shown: &[&str], what: &str) {
    let lower = page.body.to_lowercase();
    for raw in [SCRIPT, "<img src=x onerror=alert(1)>"] {
        assert!(
            !lower.contains(raw),
            "{what}: {raw} rendered as markup in {}",
            page.body
        );
    }
    // askama writes numeric references; accept the named ones too.
    let normal = page.body.replace("&lt;", "&#60;").replace("&gt;", "&#62;");
    for text in shown {
        assert!(
            normal.contains(text),
            "{what}: {text} not shown as text in {}",
            page.body
        );
    }
}

/// Returns the id after `marker` in `text`, up to the next character that
/// cannot be part of an id.
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

/// Counts the data rows in the page's first table body (the "empty" row
/// does not count).
fn data_rows(body: &str) -> usize {
    let Some(start) = body.find("<tbody>") else {
        return 0;
    };
    let rest = &body[start..];
    let table = &rest[..rest.find("</tbody>").unwrap_or(rest.len())];
    let rows = table.matches("<tr").count();
    if table.contains("class=\"empty\"") {
        rows.saturating_sub(1)
    } else {
        rows
    }
}

fn form_token(browser: &Browser) -> String {
    let page = browser.get("/cases/new");
    assert_eq!(page.status, 200, "{}", page.body);
    let marker = "name=\"form_token\" value=\"";
    let start = page.body.find(marker).expect("form token in the form") + marker.len();
    page.body[start..].split('"').next().unwrap().to_owned()
}

/// Registers a case whose free-text fields carry the payloads; returns the
/// case page's path.
fn register_hostile_case(caseworker: &Browser, backend: &str) -> String {
    let token = form_token(caseworker);
    let given = format!("Ανθή{SCRIPT}");
    let family = format!("Δοκιμή{BREAKOUT}");
    let contact = format!("Υπηρεσία {SCRIPT}");
    let fields = [
        ("form_token", token.as_str()),
        ("referral_source", "police"),
        ("referred_on", "2026-02-10"),
        ("referring_contact", contact.as_str()),
        ("referral_reason", BREAKOUT),
        ("given_name", given.as_str()),
        ("family_name", family.as_str()),
        ("birth_date", "1997-03-14"),
        ("sex", "female"),
        ("citizenships", "NG"),
        ("languages", "en"),
        ("legal_status", "asylum_seeker"),
        ("region", "attica"),
        ("setting", "urban_area"),
        ("exploitation_types", "sexual_exploitation"),
        ("means_of_control", "debt_bondage"),
        ("countries_exploitation", "GR"),
    ];
    let page = caseworker.post("/cases/new", &fields);
    assert_eq!(page.status, 200, "{backend}: {}", page.body);
    assert!(
        page.url.contains("/cases/") && !page.url.ends_with("/cases/new"),
        "{backend}: registration refused: {}",
        page.body
    );
    assert_escaped(
        &page,
        &[SCRIPT_SHOWN, BREAKOUT_SHOWN],
        &format!("{backend}: case page"),
    );
    page.url[page.url.find("/cases/").unwrap()..].to_owned()
}

fn create_course(trainer: &Browser, slug: &str, title: &str) -> String {
    let page = trainer.post(
        "/training/manage/courses",
        &[
            ("slug", slug),
            ("title_el", title),
            ("title_en", title),
            ("summary_el", BREAKOUT),
            ("summary_en", BREAKOUT),
            ("sectors", "tourism"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    id_after(&page.url, "/training/manage/courses/")
}

#[test]
fn markup_is_shown_as_text() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();

        // Case work: names, referral fields and a note.
        let caseworker = signed_in(&server, "caseworker");
        let case_path = register_hostile_case(&caseworker, backend);
        let page = caseworker.get(&format!("{case_path}/edit"));
        assert_escaped(
            &page,
            &[SCRIPT_SHOWN, BREAKOUT_SHOWN],
            &format!("{backend}: edit form"),
        );
        let notes = format!("{case_path}/notes");
        let note = format!("{SCRIPT} {BREAKOUT}");
        let page = caseworker.post(&notes, &[("body", note.as_str())]);
        assert_escaped(
            &page,
            &[SCRIPT_SHOWN, BREAKOUT_SHOWN],
            &format!("{backend}: notes"),
        );
        let coordinator = signed_in(&server, "coordinator");
        let page = coordinator.get("/cases");
        assert_escaped(&page, &[], &format!("{backend}: case list"));

        // Reflected: filter values come back in the filter form as text.
        let page = get_query(&coordinator, "/cases", &[("code", BREAKOUT)]);
        assert_eq!(page.status, 200, "{backend}: case filter");
        assert_escaped(&page, &[], &format!("{backend}: case filter"));
        let page = get_query(&coordinator, "/audit", &[("action", SCRIPT)]);
        assert!(
            page.status == 200 || page.status == 422,
            "{backend}: audit filter"
        );
        assert_escaped(&page, &[], &format!("{backend}: audit filter"));

        // Training: course, module and lesson titles, question text and
        // the names of trainees enrolled from a CSV roster.
        let trainer = signed_in(&server, "trainer");
        let course = create_course(&trainer, "hostile-titles", &format!("Μάθημα {SCRIPT}"));
        let manage = format!("/training/manage/courses/{course}");
        let page = trainer.post(
            &format!("{manage}/modules"),
            &[
                ("module_title_el", BREAKOUT),
                ("module_title_en", BREAKOUT),
                ("sector", ""),
            ],
        );
        assert_escaped(
            &page,
            &[SCRIPT_SHOWN, BREAKOUT_SHOWN],
            &format!("{backend}: course with a module"),
        );
        let module = id_after(&page.body, "/modules/");
        let page = trainer.post(
            &format!("{manage}/modules/{module}/lessons"),
            &[("title", SCRIPT)],
        );
        assert_escaped(&page, &[SCRIPT_SHOWN], &format!("{backend}: lesson form"));
        let page = trainer.get(&manage);
        assert_escaped(
            &page,
            &[SCRIPT_SHOWN, BREAKOUT_SHOWN],
            &format!("{backend}: course management page"),
        );
        let page = trainer.get("/training/manage/courses");
        assert_escaped(&page, &[SCRIPT_SHOWN], &format!("{backend}: course list"));

        let page = trainer.post(
            &format!("{manage}/questions/new?kind=true_false"),
            &[
                ("slug", "hostile-prompt"),
                ("prompt_el", SCRIPT),
                ("prompt_en", BREAKOUT),
                ("points", "1"),
                ("correct", "true"),
                ("tags", ""),
            ],
        );
        assert_escaped(&page, &[SCRIPT_SHOWN], &format!("{backend}: question bank"));

        let roster = format!(
            "email,display_name,sector,region,employer\n\
             script@example.org,{SCRIPT},tourism,attica,\n\
             breakout@example.org,\"{}\",tourism,attica,\n",
            BREAKOUT.replace('"', "\"\"")
        );
        let page = upload(
            &trainer,
            &format!("{manage}/enrolments/csv"),
            "roster.csv",
            roster.as_bytes(),
        );
        assert_escaped(
            &page,
            &[SCRIPT_SHOWN, BREAKOUT_SHOWN],
            &format!("{backend}: enrolments"),
        );
    });
}

#[test]
fn filter_metacharacters_change_nothing() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let coordinator = signed_in(&server, "coordinator");
        let caseworker = signed_in(&server, "caseworker");
        let interpreter = signed_in(&server, "interpreter");
        let trainer = signed_in(&server, "trainer");
        let course = create_course(&trainer, "filter-course", "Φίλτρα");

        // (who, path, the filter parameters of its list)
        let bank = format!("/training/manage/courses/{course}/questions");
        let lists: [(&Browser, &str, &[&str]); 9] = [
            (
                &coordinator,
                "/cases",
                &["status", "nrm_status", "region", "origin", "code", "page"],
            ),
            (
                &coordinator,
                "/audit",
                &["from", "to", "user", "action", "outcome", "page"],
            ),
            (&interpreter, "/agenda", &["day"]),
            (&caseworker, "/account/tokens", &["revoked"]),
            (
                &trainer,
                "/training/manage/certificates",
                &["course", "status", "page"],
            ),
            (
                &trainer,
                "/training/manage/xapi",
                &["course", "from", "to", "format"],
            ),
            (
                &coordinator,
                "/training/manage/dashboard",
                &["from", "to", "region"],
            ),
            (&trainer, &bank, &["tag", "retired", "kind"]),
            (&trainer, "/training/manage/courses", &[]),
        ];
        for (browser, path, params) in lists {
            let baseline = browser.get(path);
            assert_eq!(baseline.status, 200, "{backend}: {path}: {}", baseline.body);
            for &param in params {
                for &value in METACHARACTERS {
                    let page = get_query(browser, path, &[(param, value)]);
                    // The audit log grows with every request, so the
                    // unfiltered count is taken after the filtered one.
                    let rows = data_rows(&browser.get(path).body);
                    // 400 only for a number that is not one (`page`).
                    assert!(
                        [200, 400, 422].contains(&page.status),
                        "{backend}: {path}?{param}={value}: status {}",
                        page.status
                    );
                    assert!(
                        has_greek(&page.body),
                        "{backend}: {path}?{param}={value}: no page in Greek"
                    );
                    assert!(
                        data_rows(&page.body) <= rows,
                        "{backend}: {path}?{param}={value}: more rows than unfiltered"
                    );
                }
            }
        }

        // Exact filters match nothing; the action prefix filter treats
        // `%` and `_` as the characters they are.
        for &value in METACHARACTERS {
            let page = get_query(&coordinator, "/cases", &[("code", value)]);
            assert_eq!(data_rows(&page.body), 0, "{backend}: code={value}");
        }
        let logins = get_query(&coordinator, "/audit", &[("action", "auth.")]);
        assert!(data_rows(&logins.body) > 0, "{backend}: auth. lists logins");
        for value in ["%.", "_uth.", "%", "auth_login", "\\."] {
            let page = get_query(&coordinator, "/audit", &[("action", value)]);
            assert_eq!(page.status, 200, "{backend}: action={value}");
            assert_eq!(data_rows(&page.body), 0, "{backend}: action={value}");
        }

        // The API's filters: a rejection or a list, never more rows.
        let token = {
            let output = server.cli(&["token", "create", "--user", "coordinator"]);
            String::from_utf8(output.stdout).unwrap().trim().to_owned()
        };
        let client = reqwest::blocking::Client::new();
        let api = |path: &str, pairs: &[(&str, &str)]| {
            let response = client
                .get(format!("{}{path}", server.base))
                .query(pairs)
                .bearer_auth(&token)
                .send()
                .unwrap();
            let status = response.status().as_u16();
            let json: serde_json::Value = response.json().unwrap_or_default();
            (status, json)
        };
        let (status, all) = api("/api/v1/cases", &[]);
        assert_eq!(status, 200, "{backend}");
        let total = all["total"].as_i64().expect("a total");
        for param in [
            "status",
            "nrm_status",
            "region",
            "origin",
            "limit",
            "offset",
        ] {
            for value in METACHARACTERS {
                let (status, json) = api("/api/v1/cases", &[(param, value)]);
                assert!(
                    status == 200 || status == 400 || status == 422,
                    "{backend}: /api/v1/cases?{param}={value}: status {status}"
                );
                if status == 200 {
                    assert!(
                        json["total"].as_i64().unwrap_or(0) <= total,
                        "{backend}: /api/v1/cases?{param}={value}: more rows"
                    );
                }
            }
        }
        for (path, params) in [
            ("/api/v1/attempts", &["course", "trainee"][..]),
            ("/api/v1/sessions", &["period"][..]),
            ("/api/v1/certificates", &["course", "status"][..]),
            ("/api/v1/appointments", &["from", "to"][..]),
        ] {
            for &param in params {
                for &value in METACHARACTERS {
                    let (status, _) = api(path, &[(param, value)]);
                    assert!(
                        status < 500,
                        "{backend}: {path}?{param}={value}: status {status}"
                    );
                }
            }
        }
        // Nothing was dropped.
        let (status, again) = api("/api/v1/cases", &[]);
        assert_eq!(status, 200, "{backend}");
        assert_eq!(again["total"].as_i64(), Some(total), "{backend}");
    });
}

#[test]
fn uploads_and_exports_are_defended() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");
        let case_path = register_hostile_case(&caseworker, backend);
        let upload_path = format!("{case_path}/attachments");

        // Path traversal in the sent name: only the last component stays,
        // and the file lands inside the attachments folder under its id.
        for (sent, kept) in [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\windows\\notes.txt", "notes.txt"),
            ("/etc/shadow", "shadow"),
            ("....//....//secret.txt", "secret.txt"),
            ("..", "attachment"),
        ] {
            let page = upload(&caseworker, &upload_path, sent, b"plain text content\n");
            assert_eq!(page.status, 200, "{backend}: {sent}: {}", page.body);
            assert!(
                page.body.contains(kept),
                "{backend}: {sent} not listed as {kept}"
            );
            if sent.contains(['/', '\\']) {
                assert!(!page.body.contains(sent), "{backend}: {sent} kept whole");
            }
        }
        let outside = server.data_dir.path().join("etc");
        assert!(!outside.exists(), "{backend}: wrote outside the folder");
        for entry in walk(server.data_dir.path()) {
            let name = entry.file_name().unwrap().to_string_lossy().to_string();
            assert!(
                !["passwd", "shadow", "notes.txt", "secret.txt"].contains(&name.as_str()),
                "{backend}: stored under the sent name: {}",
                entry.display()
            );
        }
        let notes = caseworker.get(&format!("{case_path}/notes"));
        let download = &notes.body[notes.body.find("/attachments/").expect("a download link")..];
        let download = &download[..download.find('"').unwrap()];
        let response = caseworker
            .client
            .get(format!("{}{case_path}{download}", server.base))
            .send()
            .unwrap();
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.starts_with("attachment;"), "{backend}");
        assert!(!disposition.contains(".."), "{backend}: {disposition}");
        assert!(!disposition.contains('/'), "{backend}: {disposition}");

        // Oversized: the Greek 413 page; malformed multipart: a message.
        let big = vec![b'a'; 11 * 1024 * 1024];
        let page = upload(&caseworker, &upload_path, "big.txt", &big);
        assert_eq!(page.status, 413, "{backend}");
        assert!(has_greek(&page.body), "{backend}: 413 page not in Greek");
        let page = raw_post(
            &caseworker,
            &upload_path,
            "multipart/form-data; boundary=missing",
            b"--other\r\nnot a part\r\n".to_vec(),
        );
        assert!(
            page.status == 400 || page.status == 422,
            "{backend}: malformed multipart: {}",
            page.status
        );
        assert!(has_greek(&page.body), "{backend}: no message");
        let page = upload(
            &caseworker,
            &upload_path,
            "program.txt",
            b"MZ\x90\0\x03\0\0\0",
        );
        assert_eq!(page.status, 422, "{backend}: binary refused");
        assert!(has_greek(&page.body), "{backend}");

        // Rosters: not UTF-8, too large, formulas in names.
        let trainer = signed_in(&server, "trainer");
        let course = create_course(&trainer, "formula-course", "Τύποι");
        let roster_path = format!("/training/manage/courses/{course}/enrolments/csv");
        let page = upload(&trainer, &roster_path, "roster.csv", b"email,\xff\xfe\n");
        assert_eq!(page.status, 422, "{backend}: non-UTF-8 roster");
        assert!(has_greek(&page.body), "{backend}");
        let mut huge = b"email,display_name,sector,region,employer\n".to_vec();
        huge.resize(1024 * 1024 + 10, b'x');
        let page = upload(&trainer, &roster_path, "roster.csv", &huge);
        assert_eq!(page.status, 413, "{backend}: oversized roster");
        assert!(has_greek(&page.body), "{backend}");
        let formulas = [
            "=1+2 Δοκιμή",
            "+3-4 Δοκιμή",
            "-5+6 Δοκιμή",
            "@SUM(A1) Δοκιμή",
        ];
        let mut roster = "email,display_name,sector,region,employer\n".to_owned();
        for (index, name) in formulas.iter().enumerate() {
            roster.push_str(&format!("f{index}@example.org,{name},tourism,attica,\n"));
        }
        let page = upload(&trainer, &roster_path, "roster.csv", roster.as_bytes());
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let csv = trainer.get(&format!("/training/manage/courses/{course}/gain.csv"));
        assert_eq!(csv.status, 200, "{backend}");
        for name in formulas {
            assert!(
                csv.body.contains(&format!("\"'{name}\"")),
                "{backend}: {name} not neutralised in {}",
                csv.body
            );
            assert!(
                !csv.body.contains(&format!("\"{name}\"")),
                "{backend}: {name} left as a formula"
            );
        }
    });
}

/// Lists every file under `dir`, recursively.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
