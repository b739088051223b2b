//! HTCDS imports over the real binary on both backends: `procap import
//! htcds` and the upload page at `/cases/import` write every case of a
//! valid file, write nothing from a file with an invalid row and say where
//! it is, refuse an unknown organisation and too large a file, and keep
//! the page from anyone but coordinators.

mod common;

use std::time::{Duration, Instant};

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/import/data/htcds_sample.csv"
);
const SAMPLE_ROWS: i64 = 6;
/// Must match `handlers::case_import::MAX_IMPORT_BYTES`.
const MAX_IMPORT_BYTES: usize = 25 * 1024 * 1024;

fn token(server: &TestServer, user: &str) -> String {
    String::from_utf8(server.cli(&["token", "create", "--user", user]).stdout)
        .unwrap()
        .trim()
        .to_owned()
}

fn imported_total(server: &TestServer, token: &str) -> i64 {
    let response = reqwest::blocking::Client::new()
        .get(format!(
            "{}/api/v1/cases?limit=1&origin=htcds_import",
            server.base
        ))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<serde_json::Value>().unwrap()["total"]
        .as_i64()
        .unwrap()
}

/// The sample with the birth date on line 3 (the second person) made
/// impossible.
fn broken_sample() -> String {
    let sample = std::fs::read_to_string(SAMPLE).unwrap();
    let mut lines: Vec<String> = sample.lines().map(str::to_owned).collect();
    assert!(lines[2].contains("2008-09-30"));
    lines[2] = lines[2].replacen("2008-09-30", "2008-02-30", 1);
    lines.join("\n") + "\n"
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

/// Posts one file as `multipart/form-data`, as the upload form does.
fn upload(browser: &Browser, content: &[u8]) -> Page {
    let boundary = "procap-htcds-test-boundary-91c3";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"cases.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = browser
        .client
        .post(format!("{}/cases/import", browser.base))
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
    let body = response.text().unwrap_or_default();
    Page {
        status,
        url,
        body,
        headers,
    }
}

#[test]
fn command_line_imports_the_sample() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        assert_eq!(imported_total(&server, &coordinator), 0);

        let output = server.cli(&[
            "import",
            "htcds",
            SAMPLE,
            "--organisation",
            "KA",
            "--lang",
            "en",
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: {stderr}", server.backend());
        assert!(stderr.contains("100%"), "no progress shown: {stderr}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Imported 6 cases into KA"),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(imported_total(&server, &coordinator), SAMPLE_ROWS);

        // The cases appear in the coordinator's case list with normal codes.
        let browser = signed_in(&server, "coordinator");
        let list = browser.get("/cases?origin=htcds_import");
        assert_eq!(list.status, 200);
        assert!(list.body.contains("KA-2024-"), "{}", server.backend());
        assert!(list.body.contains("KA-2026-"));
        assert!(
            !list.body.contains("Quartey"),
            "names must not appear in the list"
        );
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}

#[test]
fn command_line_refuses_a_file_with_an_invalid_row() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        let broken = server.data_dir.path().join("broken.csv");
        std::fs::write(&broken, broken_sample()).unwrap();
        let path = broken.to_str().unwrap();

        let output = server.cli(&["import", "htcds", path, "--lang", "en"]);
        assert!(!output.status.success(), "{}", server.backend());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("line 3, column prs_Birthdate"),
            "no line and column: {stderr}"
        );
        assert!(stderr.contains("2008-02-30"), "{stderr}");
        assert!(stderr.contains("nothing was imported"), "{stderr}");

        let greek = server.cli(&["import", "htcds", path, "--lang", "el"]);
        let stderr = String::from_utf8_lossy(&greek.stderr);
        assert!(stderr.contains("γραμμή 3, στήλη prs_Birthdate"), "{stderr}");
        assert!(has_greek(&stderr));

        assert_eq!(imported_total(&server, &coordinator), 0, "rows written");
    });
}

#[test]
fn command_line_refuses_an_unknown_organisation() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        let output = server.cli(&[
            "import",
            "htcds",
            SAMPLE,
            "--organisation",
            "ZZQ",
            "--lang",
            "en",
        ]);
        assert!(!output.status.success(), "{}", server.backend());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("no organisation with the case code prefix ZZQ"),
            "{stderr}"
        );
        assert_eq!(imported_total(&server, &coordinator), 0);
    });
}

#[test]
fn upload_page_imports_in_the_background() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        let browser = signed_in(&server, "coordinator");

        let form = browser.get("/cases/import");
        assert_eq!(form.status, 200, "{}", server.backend());
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        assert!(form.body.contains("<label for=\"file\">"));
        assert!(has_greek(&form.body), "Greek by default");

        let sample = std::fs::read(SAMPLE).unwrap();
        let mut page = upload(&browser, &sample);
        assert_eq!(page.status, 200, "{}: {}", server.backend(), page.body);
        assert!(page.url.contains("/cases/import/"), "{}", page.url);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !page.body.contains("notice-success") {
            assert!(
                page.headers.contains_key("refresh") || page.body.contains("notice-success"),
                "a running import reloads itself"
            );
            assert!(!page.body.contains("notice-error"), "{}", page.body);
            assert!(Instant::now() < deadline, "import did not finish");
            std::thread::sleep(Duration::from_millis(200));
            page = browser.get(&page.url.replace(&server.base, ""));
        }
        assert!(
            page.body.contains("εισήχθησαν 6 περιστατικά"),
            "{}",
            page.body
        );
        assert!(!page.headers.contains_key("refresh"));
        assert_eq!(imported_total(&server, &coordinator), SAMPLE_ROWS);

        // Staff who may not import cannot read the progress page either.
        let other = server.browser();
        other.login("caseworker", DEMO_PASSWORD);
        let path = page.url.replace(&server.base, "");
        assert_eq!(other.get(&path).status, 403);
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}

#[test]
fn upload_page_lists_problems_and_writes_nothing() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        let browser = signed_in(&server, "coordinator");

        let page = upload(&browser, broken_sample().as_bytes());
        assert_eq!(page.status, 422, "{}", server.backend());
        assert!(page.body.contains("<td>3</td>"), "{}", page.body);
        assert!(page.body.contains("<code>prs_Birthdate</code>"));
        assert!(page.body.contains("2008-02-30"));
        assert!(page.body.contains("role=\"alert\""));
        assert!(has_greek(&page.body));

        let empty = upload(&browser, b"");
        assert_eq!(empty.status, 422);

        let wrong_column = upload(&browser, b"prs_FirstName,prs_Brithdate\nAnna,2000-01-01\n");
        assert_eq!(wrong_column.status, 422);
        assert!(wrong_column.body.contains("<code>prs_Brithdate</code>"));
        assert!(
            wrong_column
                .body
                .contains("<code>cas_IncomingReferralDate</code>")
        );

        assert_eq!(imported_total(&server, &coordinator), 0, "rows written");
    });
}

#[test]
fn upload_page_refuses_too_large_a_file() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let browser = signed_in(&server, "coordinator");
    let mut content = std::fs::read(SAMPLE).unwrap();
    content.resize(MAX_IMPORT_BYTES + 1, b'\n');
    let page = upload(&browser, &content);
    assert_eq!(page.status, 413);
    assert!(page.body.contains("25 MB"), "{}", page.body);
    assert!(page.body.contains("<form"), "the form is offered again");
}

#[test]
fn only_coordinators_may_import() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        for username in ["trainee", "caseworker"] {
            let browser = signed_in(&server, username);
            assert_eq!(
                browser.get("/cases/import").status,
                403,
                "{}: {username}",
                server.backend()
            );
            let sample = std::fs::read(SAMPLE).unwrap();
            assert_eq!(upload(&browser, &sample).status, 403, "{username}");
        }
        let coordinator = token(&server, "coordinator");
        assert_eq!(imported_total(&server, &coordinator), 0);
    });
}
