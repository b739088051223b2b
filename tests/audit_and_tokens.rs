//! The audit log page and personal API tokens over real HTTP, on SQLite and
//! PostgreSQL: who may read the log and which rows they see, the filters,
//! and a token's life from creation in the UI to revocation.
//!
//! Demo accounts: `coordinator` and `caseworker` belong to the organisation
//! `KA`, `trainer` to `KKP`.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend, has_greek};

/// Returns the markup of a username in an audit row.
fn user_cell(username: &str) -> String {
    format!("<span translate=\"no\">{username}</span>")
}

/// Returns the markup of an action code in an audit row.
fn action_cell(action: &str) -> String {
    format!("<code translate=\"no\">{action}</code>")
}

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

fn failed_login(server: &TestServer, username: &str) {
    let page = server.browser().login(username, "not-the-password");
    assert_eq!(
        page.status,
        401,
        "{}: wrong password accepted",
        server.backend()
    );
}

#[test]
fn coordinator_sees_own_organisation_only() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        signed_in(&server, "trainer");
        failed_login(&server, "trainer");
        failed_login(&server, "caseworker");
        let coordinator = signed_in(&server, "coordinator");

        let page = coordinator.get("/audit");
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(has_greek(&page.body));
        assert!(
            page.body.contains(&user_cell("coordinator")),
            "{backend}: own login missing"
        );
        assert!(
            page.body.contains(&user_cell("caseworker")),
            "{backend}: colleague's failed login missing"
        );
        assert!(page.body.contains(&action_cell("auth.login")));
        assert!(
            !page.body.contains(&user_cell("trainer")),
            "{backend}: another organisation's rows shown to a coordinator"
        );
        assert!(
            !page.body.contains(">trainer</option>"),
            "{backend}: another organisation's user offered in the filter"
        );

        // Reading the page is itself recorded.
        let again = coordinator.get("/audit?action=audit.view");
        assert!(
            again.body.contains(&action_cell("audit.view")),
            "{backend}: audit.view not recorded"
        );

        // The administrator sees every organisation.
        let admin = signed_in(&server, "admin").get("/audit");
        assert_eq!(admin.status, 200);
        assert!(
            admin.body.contains(&user_cell("trainer")),
            "{backend}: administrator misses rows"
        );
    });
}

#[test]
fn audit_log_is_forbidden_to_caseworker() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let caseworker = signed_in(&server, "caseworker");
        let page = caseworker.get("/audit");
        assert_eq!(
            page.status,
            403,
            "{}: caseworker read the audit log",
            server.backend()
        );
        assert!(!page.body.contains(&action_cell("auth.login")));

        // The refusal itself is in the log.
        let log = signed_in(&server, "admin").get("/audit?action=audit.view&outcome=denied");
        assert!(
            log.body.contains(&user_cell("caseworker")),
            "{}: refusal not recorded",
            server.backend()
        );
    });
}

#[test]
fn audit_filters_and_bad_dates() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        failed_login(&server, "caseworker");
        let admin = signed_in(&server, "admin");
        admin.get("/audit");

        for action in ["auth.login", "auth."] {
            let page = admin.get(&format!("/audit?action={action}&outcome=failure"));
            assert_eq!(page.status, 200);
            assert!(
                page.body.contains(&user_cell("caseworker")),
                "{backend}: failed login missing"
            );
            assert!(
                page.body.contains("badge badge-muted"),
                "{backend}: no failure row"
            );
            assert!(
                !page.body.contains("badge badge-ok"),
                "{backend}: {action} filter let a success through"
            );
            assert!(
                !page.body.contains(&action_cell("audit.view")),
                "{backend}: {action} filter ignored"
            );
        }

        let page =
            admin.get("/audit?from=31/02/2026&to=2026-13-01&action=auth.login&outcome=failure");
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            page.body.contains("Η ημερομηνία δεν είναι έγκυρη."),
            "{backend}: no Greek date error"
        );
        assert!(
            page.body
                .contains("aria-invalid=\"true\" aria-describedby=\"from-error\"")
        );
        assert!(
            page.body
                .contains("aria-invalid=\"true\" aria-describedby=\"to-error\"")
        );
        assert!(
            page.body.contains("value=\"31/02/2026\""),
            "{backend}: typed date lost"
        );
        assert!(
            page.body.contains("value=\"auth.login\" selected"),
            "{backend}: action filter lost"
        );
        assert!(
            page.body.contains("value=\"failure\" selected"),
            "{backend}: outcome filter lost"
        );
        assert!(
            page.body.contains(&user_cell("caseworker")),
            "{backend}: other filters not applied"
        );
        assert!(!page.body.contains("badge badge-ok"));

        // A range that ends before it starts is flagged on the "to" field.
        let page = admin.get("/audit?from=2026-05-10&to=09/05/2026");
        assert!(
            page.body.contains("aria-describedby=\"to-error\""),
            "{backend}: reversed range accepted"
        );

        // Today's rows are inside a range given in either date form; the
        // filter reads dates in Athens time.
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Athens)
            .date_naive();
        let page = admin.get(&format!(
            "/audit?from={}&to={}&action=auth.login&outcome=failure",
            today.format("%d/%m/%Y"),
            today.format("%Y-%m-%d")
        ));
        assert!(
            page.body.contains(&user_cell("caseworker")),
            "{backend}: date range dropped today's rows"
        );
        let page = admin.get("/audit?to=2020-01-01");
        assert!(
            !page.body.contains(&action_cell("auth.login")),
            "{backend}: date filter ignored"
        );
    });
}

/// Extracts the token shown once after creation.
fn new_token(body: &str) -> String {
    let marker = "id=\"new-token\" class=\"secret-input\" value=\"";
    let start = body.find(marker).expect("new token on the page") + marker.len();
    let end = body[start..].find('"').unwrap();
    body[start..start + end].to_owned()
}

/// Extracts the token id from the first revoke form of the token list.
fn first_token_id(body: &str) -> String {
    let marker = "/account/tokens/";
    let start = body.find(marker).expect("a revoke form") + marker.len();
    let end = body[start..].find("/revoke").unwrap();
    body[start..start + end].to_owned()
}

fn api_me(server: &TestServer, token: &str) -> reqwest::blocking::Response {
    reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(token)
        .send()
        .unwrap()
}

#[test]
fn ui_token_works_until_revoked() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");

        let page = caseworker.post(
            "/account/tokens",
            &[("name", "Πίνακας δεικτών AMIF"), ("expires_in_days", "30")],
        );
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let token = new_token(&page.body);
        assert!(
            token.starts_with("pcp_"),
            "{backend}: unexpected token {token}"
        );

        let me = api_me(&server, &token);
        assert_eq!(me.status(), 200, "{backend}: new token refused");
        let me: serde_json::Value = me.json().unwrap();
        assert_eq!(me["username"], "caseworker");

        let list = caseworker.get("/account/tokens");
        assert!(
            list.body.contains("Πίνακας δεικτών AMIF"),
            "{backend}: token not listed"
        );
        assert!(
            !list.body.contains(&token),
            "{backend}: token shown a second time"
        );

        let id = first_token_id(&list.body);
        let revoked = caseworker.post(&format!("/account/tokens/{id}/revoke"), &[]);
        assert_eq!(revoked.status, 200);
        assert!(
            revoked.body.contains("Το διακριτικό ανακλήθηκε."),
            "{backend}: no notice"
        );
        assert!(
            !revoked.body.contains("Πίνακας δεικτών AMIF"),
            "{backend}: revoked token still listed"
        );
        assert_eq!(
            api_me(&server, &token).status(),
            401,
            "{backend}: revoked token still works"
        );

        let log = signed_in(&server, "admin").get("/audit?action=token.");
        assert!(
            log.body.contains(&action_cell("token.create")),
            "{backend}: creation not audited"
        );
        assert!(
            log.body.contains(&action_cell("token.revoke")),
            "{backend}: revocation not audited"
        );
    });
}

#[test]
fn another_users_token_cannot_be_revoked() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let coordinator = signed_in(&server, "coordinator");
        let page = coordinator.post(
            "/account/tokens",
            &[("name", "Αναφορές"), ("expires_in_days", "7")],
        );
        let token = new_token(&page.body);
        let id = first_token_id(&page.body);

        let caseworker = signed_in(&server, "caseworker");
        let page = caseworker.post(&format!("/account/tokens/{id}/revoke"), &[]);
        assert_eq!(page.status, 404, "{backend}: another user's token revoked");
        assert_eq!(
            api_me(&server, &token).status(),
            200,
            "{backend}: token stopped working"
        );
        assert!(coordinator.get("/account/tokens").body.contains("Αναφορές"));
    });
}

#[test]
fn bad_token_form_creates_nothing() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = signed_in(&server, "caseworker");

        let page = caseworker.post(
            "/account/tokens",
            &[("name", "  "), ("expires_in_days", "45")],
        );
        assert_eq!(page.status, 422, "{backend}: empty name accepted");
        assert!(
            page.body.contains("Συμπληρώστε αυτό το πεδίο."),
            "{backend}: no Greek field error"
        );
        assert!(
            page.body.contains("value=\"45\""),
            "{backend}: expiry value lost"
        );
        assert!(
            !page.body.contains("id=\"new-token\""),
            "{backend}: token shown after an error"
        );

        let long_name = "α".repeat(81);
        let page = caseworker.post(
            "/account/tokens",
            &[("name", &long_name), ("expires_in_days", "366")],
        );
        assert_eq!(page.status, 422);
        assert!(
            page.body.contains("έως 80 χαρακτήρες"),
            "{backend}: long name accepted"
        );
        assert!(
            page.body.contains("από 1 έως 365 ημέρες"),
            "{backend}: 366 days accepted"
        );
        assert!(page.body.contains(&long_name), "{backend}: name value lost");

        let list = caseworker.get("/account/tokens");
        assert!(
            !list.body.contains("/revoke"),
            "{backend}: a token was created from a bad form"
        );
    });
}
