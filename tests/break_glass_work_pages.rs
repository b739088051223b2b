//! Break-glass from the work pages under a case, tested through the real
//! server on both backends: an unassigned caseworker of the owning
//! organisation gets the break-glass page on `/cases/{id}/plan` and the
//! other work pages, the grant returns them to the page they asked for, a
//! return path to anywhere else lands on the case page, and another
//! organisation's coordinator, roles without break-glass and the API keep
//! their answers.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};

fn token(server: &TestServer, user: &str) -> String {
    let output = server.cli(&["token", "create", "--user", user]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn api_get(server: &TestServer, token: &str, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}{path}", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap_or(serde_json::Value::Null))
}

/// The id, code and given name of the demo caseworker's first case.
fn first_case(server: &TestServer) -> (String, String, String) {
    let token = token(server, "caseworker");
    let (status, body) = api_get(server, &token, "/api/v1/cases?origin=procap");
    assert_eq!(status, 200);
    let item = &body["items"][0];
    let id = item["id"].as_str().unwrap().to_owned();
    let code = item["code"].as_str().unwrap().to_owned();
    let (status, detail) = api_get(server, &token, &format!("/api/v1/cases/{id}"));
    assert_eq!(status, 200);
    let given_name = detail["person"]["given_name"].as_str().unwrap().to_owned();
    (id, code, given_name)
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// Adds a user with `procap user add` and signs them in, changing the
/// one-time password as the first login requires.
fn added_user(server: &TestServer, username: &str, role: &str, organisation: &str) -> Browser {
    let output = server.cli(&[
        "user",
        "add",
        username,
        "--role",
        role,
        "--organisation",
        organisation,
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let password = stdout
        .lines()
        .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
        .expect("one-time password printed");
    let browser = server.browser();
    browser.login(username, &password);
    let new_password = "φανταστικός-κωδικός-δοκιμής-91";
    let page = browser.post(
        "/account/password",
        &[
            ("current_password", password.as_str()),
            ("new_password", new_password),
            ("confirm_password", new_password),
        ],
    );
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

fn encoded(path: &str) -> String {
    path.replace('/', "%2F")
}

const REASON: &str = "Η υπεύθυνη συνάδελφος απουσιάζει, επείγουσα ενημέρωση του σχεδίου";

#[test]
fn work_pages_offer_break_glass_and_return_after_the_grant() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, code, given_name) = first_case(&server);
        let case_path = format!("/cases/{case_id}");
        let plan = format!("{case_path}/plan");

        let colleague = added_user(&server, "cw_plan", "caseworker", "KA");
        let colleague_token = token(&server, "cw_plan");

        // The plan and other work pages: the break-glass page, returning
        // to the page asked for.
        for sub in ["plan", "screening", "services", "nrm", "notes"] {
            let wanted = format!("{case_path}/{sub}");
            let page = colleague.get(&wanted);
            assert_eq!(page.status, 403, "{backend}: {sub}");
            let action = format!(
                "action=\"{case_path}/break-glass?next={}\"",
                encoded(&wanted)
            );
            assert!(
                page.body.contains(&action),
                "{backend}: {sub}: {}",
                page.body
            );
            assert!(page.body.contains("name=\"reason\""), "{backend}: {sub}");
            assert!(page.body.contains(&code), "{backend}: {sub}");
            assert!(
                !page.body.contains(&given_name),
                "{backend}: {sub}: person shown"
            );
        }
        // A POST to a work page gets the offer too, returning to the case.
        let posted = colleague.post(&format!("{plan}/submit"), &[]);
        assert_eq!(posted.status, 403, "{backend}");
        assert!(
            posted
                .body
                .contains(&format!("action=\"{case_path}/break-glass\"")),
            "{backend}"
        );
        // The API does not offer it.
        let (status, _) = api_get(
            &server,
            &colleague_token,
            &format!("/api/v1/cases/{case_id}"),
        );
        assert_eq!(status, 404, "{backend}");

        // A return path outside the case is ignored: a short reason keeps
        // the safe form, a foreign `next` is dropped from it.
        let foreign = colleague.get(&format!(
            "{case_path}/break-glass?next=%2F%2Fexample.invalid%2Fcases%2F{case_id}%2Fplan"
        ));
        assert_eq!(foreign.status, 403, "{backend}");
        assert!(
            foreign
                .body
                .contains(&format!("action=\"{case_path}/break-glass\"")),
            "{backend}"
        );
        let short = colleague.post(
            &format!("{case_path}/break-glass?next={}", encoded(&plan)),
            &[("reason", "Σύντομο")],
        );
        assert_eq!(short.status, 422, "{backend}");
        assert!(
            short
                .body
                .contains(&format!("break-glass?next={}", encoded(&plan))),
            "{backend}: return path lost"
        );
        assert!(short.body.contains("Σύντομο"), "{backend}: reason lost");

        // The grant opens the plan it was asked from.
        let granted = colleague.post(
            &format!("{case_path}/break-glass?next={}", encoded(&plan)),
            &[("reason", REASON)],
        );
        assert_eq!(granted.status, 200, "{backend}");
        assert!(
            granted.url.ends_with(&plan),
            "{backend}: landed on {}",
            granted.url
        );
        assert_eq!(colleague.get(&plan).status, 200, "{backend}");
        assert_eq!(
            colleague.get(&format!("{case_path}/screening")).status,
            200,
            "{backend}"
        );
    });
}

#[test]
fn foreign_return_paths_land_on_the_case() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _, _) = first_case(&server);
        let case_path = format!("/cases/{case_id}");
        let colleague = added_user(&server, "cw_next", "caseworker", "KA");

        let granted = colleague.post(
            &format!("{case_path}/break-glass?next=https%3A%2F%2Fexample.invalid%2F"),
            &[("reason", REASON)],
        );
        assert_eq!(granted.status, 200, "{backend}");
        assert!(
            granted.url.ends_with(&case_path),
            "{backend}: {}",
            granted.url
        );
        // Another case's page is no return path either.
        let again = colleague.post(
            &format!("{case_path}/break-glass?next=%2Fcases%2Fother%2Fplan"),
            &[("reason", REASON)],
        );
        assert!(again.url.ends_with(&case_path), "{backend}: {}", again.url);
        let dotted = colleague.post(
            &format!(
                "{case_path}/break-glass?next={}%2F..%2F..%2Fadmin",
                encoded(&case_path)
            ),
            &[("reason", REASON)],
        );
        assert!(
            dotted.url.ends_with(&case_path),
            "{backend}: {}",
            dotted.url
        );
    });
}

#[test]
fn others_keep_their_answers_on_work_pages() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, code, _) = first_case(&server);
        let plan = format!("/cases/{case_id}/plan");

        // Another organisation's coordinator: 404, the id is not confirmed.
        let outsider = added_user(&server, "coord_eka", "coordinator", "EKA");
        for sub in ["plan", "screening", "services"] {
            let page = outsider.get(&format!("/cases/{case_id}/{sub}"));
            assert_eq!(page.status, 404, "{backend}: {sub}");
            assert!(
                !page.body.contains(&code),
                "{backend}: {sub}: code revealed"
            );
            assert!(!page.body.contains("name=\"reason\""), "{backend}: {sub}");
        }
        let post = outsider.post(
            &format!("/cases/{case_id}/break-glass?next={}", encoded(&plan)),
            &[("reason", REASON)],
        );
        assert_eq!(post.status, 404, "{backend}");
        assert_eq!(outsider.get(&plan).status, 404, "{backend}");

        // Roles without break-glass are not offered it.
        for username in ["interpreter", "escort", "monitoring"] {
            let browser = signed_in(&server, username);
            let page = browser.get(&plan);
            assert!(
                matches!(page.status, 403 | 404),
                "{backend}: {username} got {}",
                page.status
            );
            assert!(
                !page.body.contains("name=\"reason\""),
                "{backend}: {username} offered"
            );
        }
    });
}

/// Posts one small text file to the case's attachments as the upload form
/// does, and returns the download path of the stored attachment.
fn uploaded_text(server: &TestServer, browser: &Browser, case_id: &str, content: &str) -> String {
    let boundary = "procap-break-glass-boundary-51QzR";
    let body = format!(
        "--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"simeioma.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n\
         {content}\r\n--{boundary}--\r\n"
    );
    let response = browser
        .client
        .post(format!("{}/cases/{case_id}/attachments", server.base))
        .header("Origin", &server.base)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{}", server.backend());
    let page = response.text().unwrap();
    let marker = format!("/cases/{case_id}/attachments/");
    let start = page.find(&marker).expect("download link");
    page[start..].split('"').next().unwrap().to_owned()
}

#[test]
fn attachment_downloads_offer_break_glass_and_download_after_the_grant() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, code, _) = first_case(&server);
        let case_path = format!("/cases/{case_id}");
        let owner = signed_in(&server, "caseworker");
        let content = "Φανταστικό έγγραφο δοκιμής 8842";
        let download = uploaded_text(&server, &owner, &case_id, content);
        assert!(owner.get(&download).body.contains(content), "{backend}");

        // Another organisation's coordinator: 404, no offer, no file.
        let outsider = added_user(&server, "coord_files", "coordinator", "EKA");
        let foreign = outsider.get(&download);
        assert_eq!(foreign.status, 404, "{backend}");
        assert!(!foreign.body.contains(&code), "{backend}: code revealed");
        assert!(!foreign.body.contains("name=\"reason\""), "{backend}");
        assert!(!foreign.body.contains(content), "{backend}: file served");

        // An unassigned caseworker of the organisation: the break-glass
        // page, returning to the download.
        let colleague = added_user(&server, "cw_files", "caseworker", "KA");
        let page = colleague.get(&download);
        assert_eq!(page.status, 403, "{backend}");
        assert!(!page.body.contains(content), "{backend}: file served");
        assert!(
            page.body.contains(&format!(
                "action=\"{case_path}/break-glass?next={}\"",
                encoded(&download)
            )),
            "{backend}: {}",
            page.body
        );
        assert!(page.body.contains(&code), "{backend}");

        let granted = colleague.post(
            &format!("{case_path}/break-glass?next={}", encoded(&download)),
            &[("reason", REASON)],
        );
        assert_eq!(granted.status, 200, "{backend}");
        assert!(
            granted.url.ends_with(&download),
            "{backend}: landed on {}",
            granted.url
        );
        assert_eq!(granted.body, content, "{backend}");
        let again = colleague.get(&download);
        assert_eq!(again.status, 200, "{backend}");
        assert_eq!(again.body, content, "{backend}");
        // An unknown attachment of the opened case is still 404.
        assert_eq!(
            colleague
                .get(&format!("{case_path}/attachments/no-such-file"))
                .status,
            404,
            "{backend}"
        );

        // The grant does not reach the other organisation.
        assert_eq!(outsider.get(&download).status, 404, "{backend}");
    });
}
