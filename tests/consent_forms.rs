//! Printed consent forms over real HTTP, on SQLite and PostgreSQL: the PDF
//! carries the case code and Greek or Arabic text, the print is audited, bad
//! choices keep what was chosen, a draft translation carries its mark until
//! an administrator approves the language (and again after revoking), and a
//! signed form attaches to a consent only as a PDF or an image.
//!
//! Demo accounts: `caseworker` is assigned to the demo cases; `admin`
//! manages users. All data is invented.

mod common;

use common::{Browser, DEMO_PASSWORD, Page, TestServer, each_backend, has_greek};
use diesel::prelude::*;
use procap_reports::forms::draft_mark;
use procap_store::schema::{audit_log, cases, consents};
use procap_store::schema_translations::consent_forms;

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

fn demo_case(server: &TestServer) -> (String, String) {
    let output = server.cli(&["token", "create", "--user", "caseworker"]);
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let json: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let id = json["items"][0]["id"]
        .as_str()
        .expect("a demo case")
        .to_owned();
    let lookup = id.clone();
    let code = server
        .database
        .store()
        .run_blocking(move |db| {
            Ok(cases::table
                .find(&lookup)
                .select(cases::code)
                .first::<String>(db.conn)?)
        })
        .unwrap();
    (id, code)
}

fn audit_count(server: &TestServer, action: &str) -> i64 {
    let action = action.to_owned();
    server
        .database
        .store()
        .run_blocking(move |db| {
            Ok(audit_log::table
                .filter(audit_log::action.eq(&action))
                .filter(audit_log::outcome.eq("success"))
                .count()
                .get_result(db.conn)?)
        })
        .unwrap()
}

/// The PDF's bytes, after checking the response is one.
fn pdf(browser: &Browser, path: &str, backend: &str) -> Vec<u8> {
    let response = browser
        .client
        .get(format!("{}{path}", browser.base))
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{backend}: {path}");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf", "{backend}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{backend}");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;"),
        "{backend}"
    );
    let bytes = response.bytes().unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"), "{backend}: not a PDF");
    bytes
}

/// The text of every page, whitespace and bidi controls removed.
fn pdf_text(bytes: &[u8]) -> (usize, String) {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF that parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text: String = document
        .extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace() && !('\u{200e}'..='\u{202e}').contains(c))
        .collect();
    (pages.len(), text)
}

/// Whether right-to-left `needle` is in `text`, in logical or visual order.
fn contains_rtl(text: &str, needle: &str) -> bool {
    let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
    let visual: String = needle.chars().rev().collect();
    text.contains(&needle) || text.contains(&visual)
}

#[test]
fn printed_form_is_a_pdf_with_the_case_code_and_is_audited() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, case_code) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let consents_path = format!("/cases/{case_id}/consents");

        let page = caseworker.get(&consents_path);
        assert_eq!(page.status, 200, "{backend}");
        assert!(
            page.body.contains("name=\"form_language\""),
            "{backend}: print form"
        );

        let print = format!(
            "{consents_path}/form?form_purpose=data_processing&form_recipient=&form_language=el"
        );
        let bytes = pdf(&caseworker, &print, backend);
        let (pages, text) = pdf_text(&bytes);
        assert_eq!(pages, 2, "{backend}: information sheet and form");
        assert!(text.contains(&case_code), "{backend}: case code printed");
        assert!(text.contains("Καταγραφήκαιχρήση"), "{backend}: Greek title");
        assert!(has_greek(&text), "{backend}");
        assert_eq!(audit_count(&server, "case.consent.print"), 1, "{backend}");

        // Sharing without a recipient: the page again, in Greek, with the
        // language still chosen; nothing printed, nothing audited.
        let bad = caseworker.get(&format!(
            "{consents_path}/form?form_purpose=sharing&form_recipient=&form_language=fa"
        ));
        assert_eq!(bad.status, 422, "{backend}");
        assert!(
            bad.body.contains("Επιλέξτε τον φορέα"),
            "{backend}: {}",
            bad.body
        );
        assert!(
            bad.body.contains("value=\"fa\" selected"),
            "{backend}: choice kept"
        );
        assert_eq!(audit_count(&server, "case.consent.print"), 1, "{backend}");

        // A psychologist of the same organisation is not assigned: the
        // break-glass offer (403).
        let psychologist = signed_in(&server, "psychologist");
        assert_eq!(psychologist.get(&print).status, 403, "{backend}");
    });
}

#[test]
fn draft_mark_goes_with_approval_and_comes_back_when_revoked() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let admin = signed_in(&server, "admin");
        let print = format!(
            "/cases/{case_id}/consents/form?form_purpose=research&form_recipient=&form_language=ar"
        );
        let mark = draft_mark("ar").unwrap();

        let (pages, text) = pdf_text(&pdf(&caseworker, &print, backend));
        assert_eq!(pages, 2, "{backend}");
        assert!(contains_rtl(&text, "معلوماتك"), "{backend}: Arabic text");
        assert!(contains_rtl(&text, mark), "{backend}: draft mark");

        assert_eq!(
            caseworker.get("/admin/translations").status,
            403,
            "{backend}"
        );
        assert_eq!(
            caseworker
                .post("/admin/translations/ar", &[("approved", "yes")])
                .status,
            403,
            "{backend}"
        );
        let page = admin.get("/admin/translations");
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("العربية"), "{backend}");

        let page: Page = admin.post("/admin/translations/ar", &[("approved", "yes")]);
        assert_eq!(page.status, 200, "{backend}");
        assert_eq!(audit_count(&server, "translation.approve"), 1, "{backend}");
        let (_, text) = pdf_text(&pdf(&caseworker, &print, backend));
        assert!(contains_rtl(&text, "معلوماتك"), "{backend}");
        assert!(
            !contains_rtl(&text, mark),
            "{backend}: mark gone after approval"
        );

        admin.post("/admin/translations/ar", &[("approved", "no")]);
        assert_eq!(audit_count(&server, "translation.revoke"), 1, "{backend}");
        let (_, text) = pdf_text(&pdf(&caseworker, &print, backend));
        assert!(
            contains_rtl(&text, mark),
            "{backend}: mark back after revoking"
        );

        assert_eq!(
            admin
                .post("/admin/translations/xx", &[("approved", "yes")])
                .status,
            404,
            "{backend}"
        );
    });
}

/// Posts one file as `multipart/form-data`, as the upload form does.
fn upload(browser: &Browser, path: &str, file_name: &str, content: &[u8]) -> Page {
    let boundary = "procap-consent-boundary-5Qx9";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
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

#[test]
fn signed_form_attaches_as_pdf_and_other_types_are_refused() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let consents_path = format!("/cases/{case_id}/consents");

        let page = caseworker.post(
            &consents_path,
            &[
                ("purpose", "photographs"),
                ("recipient_organisation_id", ""),
                ("given", "yes"),
                ("recorded_on", "2026-01-15"),
                ("language", "so"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let id = case_id.clone();
        let consent_id: String = server
            .database
            .store()
            .run_blocking(move |db| {
                Ok(consents::table
                    .filter(consents::case_id.eq(&id))
                    .filter(consents::purpose.eq("photographs"))
                    .select(consents::id)
                    .first(db.conn)?)
            })
            .unwrap();
        let attach = format!("{consents_path}/{consent_id}/form");

        let refused = upload(&caseworker, &attach, "υπογραφή.txt", b"not a scan");
        assert_eq!(refused.status, 422, "{backend}");
        assert!(
            refused.body.contains("PDF ή εικόνα PNG ή JPEG"),
            "{backend}: {}",
            refused.body
        );

        let signed = b"%PDF-1.4\n% fictional signed form for a test\n%%EOF\n";
        let page = upload(&caseworker, &attach, "υπογεγραμμένο.pdf", signed);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            page.url.contains("done=attached"),
            "{backend}: {}",
            page.url
        );
        let marker = format!("/cases/{case_id}/attachments/");
        let start = page.body.find(&marker).expect("signed form link");
        let href: String = page.body[start..].split('"').next().unwrap().to_owned();
        let downloaded = caseworker
            .client
            .get(format!("{}{href}", server.base))
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        assert_eq!(downloaded.as_ref(), signed, "{backend}: same bytes back");

        let linked: i64 = server
            .database
            .store()
            .run_blocking(|db| Ok(consent_forms::table.count().get_result(db.conn)?))
            .unwrap();
        assert_eq!(linked, 1, "{backend}");
        assert_eq!(
            audit_count(&server, "case.consent.form.attach"),
            1,
            "{backend}"
        );

        // Another case's consent id is not found through this case.
        let other = format!("{consents_path}/no-such-consent/form");
        assert_eq!(
            upload(&caseworker, &other, "x.pdf", signed).status,
            404,
            "{backend}"
        );
    });
}
