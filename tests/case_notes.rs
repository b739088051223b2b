//! Case notes and attachments over real HTTP, on SQLite and PostgreSQL:
//! notes encrypted at rest, a PNG that downloads byte for byte with safe
//! headers, a text file posing as PNG refused, an oversized upload answered
//! with the Greek 413 page, and 404 for a case out of scope.
//!
//! Demo accounts: `caseworker` is assigned to the demo cases;
//! `psychologist` of the same organisation is not. All data is invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};
use diesel::prelude::*;
use procap_store::schema_notes::{case_attachments, case_notes};

const NOTE: &str = "Συνάντηση με τη δικηγόρο για την άδεια διαμονής";

/// The smallest valid PNG: one transparent pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
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

fn demo_case_id(server: &TestServer) -> String {
    let output = server.cli(&["token", "create", "--user", "caseworker"]);
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let json: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    json["items"][0]["id"]
        .as_str()
        .expect("a demo case")
        .to_owned()
}

/// Posts one file as `multipart/form-data`, as a browser's upload form does.
fn upload(
    browser: &Browser,
    path: &str,
    file_name: &str,
    content_type: &str,
    content: &[u8],
) -> Page {
    let boundary = "procap-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
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
    let body = response.text().unwrap_or_default();
    Page {
        status,
        url,
        body,
        headers,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn attachment_count(server: &TestServer) -> i64 {
    server
        .database
        .store()
        .run_blocking(|db| Ok(case_attachments::table.count().get_result::<i64>(db.conn)?))
        .unwrap()
}

#[test]
fn notes_are_listed_and_encrypted_at_rest() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case_id = demo_case_id(&server);
        let caseworker = signed_in(&server, "caseworker");
        let path = format!("/cases/{case_id}/notes");

        assert_eq!(
            caseworker.post(&path, &[("body", "   ")]).status,
            422,
            "{backend}"
        );
        let page = caseworker.post(&path, &[("body", NOTE)]);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(page.body.contains(NOTE), "{backend}: note listed");
        caseworker.post(&path, &[("body", "Δεύτερη σημείωση")]);
        let page = caseworker.get(&path);
        let newest = page.body.find("Δεύτερη σημείωση").expect("second note");
        let oldest = page.body.find(NOTE).expect("first note");
        assert!(newest < oldest, "{backend}: newest first");

        let raw: Vec<Vec<u8>> = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(case_notes::table
                    .select(case_notes::body_enc)
                    .load(db.conn)?)
            })
            .unwrap();
        assert_eq!(raw.len(), 2, "{backend}");
        for body in &raw {
            assert!(
                !contains(body, "Συνάντηση".as_bytes()),
                "{backend}: plain text at rest"
            );
            assert!(
                !contains(body, "Δεύτερη".as_bytes()),
                "{backend}: plain text at rest"
            );
        }
        assert!(
            !server.log().contains("Συνάντηση"),
            "{backend}: note in the log"
        );
    });
}

#[test]
fn uploaded_png_downloads_identical_and_disguised_text_is_refused() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case_id = demo_case_id(&server);
        let caseworker = signed_in(&server, "caseworker");
        let upload_path = format!("/cases/{case_id}/attachments");

        // The browser's type claims a PDF; the content decides.
        let page = upload(
            &caseworker,
            &upload_path,
            "σάρωση εγγράφου.png",
            "application/pdf",
            PNG,
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            page.body.contains("σάρωση εγγράφου.png"),
            "{backend}: name listed"
        );
        let marker = format!("/cases/{case_id}/attachments/");
        let start = page.body.find(&marker).expect("download link");
        let href: String = page.body[start..].split('"').next().unwrap().to_owned();

        let response = caseworker
            .client
            .get(format!("{}{href}", server.base))
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{backend}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "image/png", "{backend}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{backend}");
        let disposition = headers["content-disposition"].to_str().unwrap().to_owned();
        assert!(
            disposition.starts_with("attachment;"),
            "{backend}: {disposition}"
        );
        assert_eq!(response.bytes().unwrap().as_ref(), PNG, "{backend}");

        // At rest the bytes are encrypted, under a random key.
        let folder = server.data_dir.path().join("attachments");
        let files: Vec<_> = std::fs::read_dir(&folder)
            .expect("attachments folder")
            .map(|entry| entry.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{backend}: {files:?}");
        let stored = std::fs::read(&files[0]).unwrap();
        assert!(
            !contains(&stored, &PNG[..8]),
            "{backend}: plain bytes at rest"
        );

        // Text posing as a PNG, with a path in its name, is refused.
        let page = upload(
            &caseworker,
            &upload_path,
            "../../etc/passwd.png",
            "image/png",
            b"root:x:0:0:root:/root:/bin/bash\n",
        );
        assert_eq!(page.status, 422, "{backend}");
        assert_eq!(attachment_count(&server), 1, "{backend}");
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "{backend}");

        // A download is audited, with ids only.
        let filter = procap_store::audit::AuditFilter {
            action: Some("case.attachment.download".to_owned()),
            ..Default::default()
        };
        let (rows, total) = server
            .database
            .store()
            .run_blocking(|db| procap_store::audit::list(db, &filter, 0, 10))
            .unwrap();
        assert_eq!(total, 1, "{backend}");
        assert_eq!(rows[0].outcome, "success", "{backend}");
        assert!(!rows[0].details.contains("σάρωση"), "{backend}");
    });
}

#[test]
fn oversized_upload_gets_the_greek_413_page() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case_id = demo_case_id(&server);
        let caseworker = signed_in(&server, "caseworker");
        let mut content = b"%PDF-1.7\n".to_vec();
        content.resize(10 * 1024 * 1024 + 200 * 1024, b'a');
        let page = upload(
            &caseworker,
            &format!("/cases/{case_id}/attachments"),
            "μεγάλο.pdf",
            "application/pdf",
            &content,
        );
        assert_eq!(page.status, 413, "{backend}");
        assert!(has_greek(&page.body), "{backend}: 413 page not in Greek");
        assert_eq!(attachment_count(&server), 0, "{backend}");

        // Larger than the general body limit but within the attachment limit.
        let mut content = b"%PDF-1.7\n".to_vec();
        content.resize(3 * 1024 * 1024, b'a');
        let page = upload(
            &caseworker,
            &format!("/cases/{case_id}/attachments"),
            "έκθεση.pdf",
            "application/pdf",
            &content,
        );
        assert_eq!(page.status, 200, "{backend}");
        assert_eq!(attachment_count(&server), 1, "{backend}");
    });
}

#[test]
fn notes_and_attachments_of_a_case_out_of_scope_are_not_found() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let case_id = demo_case_id(&server);
        let caseworker = signed_in(&server, "caseworker");
        let page = upload(
            &caseworker,
            &format!("/cases/{case_id}/attachments"),
            "pixel.png",
            "image/png",
            PNG,
        );
        assert_eq!(page.status, 200, "{backend}");
        let attachment_id: String = server
            .database
            .store()
            .run_blocking(|db| {
                Ok(case_attachments::table
                    .select(case_attachments::id)
                    .first::<String>(db.conn)?)
            })
            .unwrap();

        let psychologist = signed_in(&server, "psychologist");
        let notes = format!("/cases/{case_id}/notes");
        assert_eq!(psychologist.get(&notes).status, 403, "{backend}");
        assert_eq!(
            psychologist.post(&notes, &[("body", NOTE)]).status,
            403,
            "{backend}"
        );
        let download = format!("/cases/{case_id}/attachments/{attachment_id}");
        // Out of scope in the same organisation: the break-glass offer, as
        // the notes page gives, and no file.
        let denied = psychologist.get(&download);
        assert_eq!(denied.status, 403, "{backend}");
        assert!(denied.body.contains("name=\"reason\""), "{backend}");
        assert!(!denied.body.contains("IHDR"), "{backend}");
        let page = upload(
            &psychologist,
            &format!("/cases/{case_id}/attachments"),
            "pixel.png",
            "image/png",
            PNG,
        );
        assert_eq!(page.status, 403, "{backend}");
        assert_eq!(attachment_count(&server), 1, "{backend}");
        // The attachment id does not open another case's file either.
        let other = format!(
            "/cases/{}/attachments/{attachment_id}",
            uuid::Uuid::new_v4()
        );
        assert_eq!(caseworker.get(&other).status, 404, "{backend}");
    });
}
