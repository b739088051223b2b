//! The foundation over real HTTP against the real binary, on SQLite and
//! PostgreSQL: login and logout, language switch, security headers, CSRF,
//! locking, API tokens, audit verification and start-up failures.

mod common;

use common::{DEMO_PASSWORD, TestServer, each_backend, has_greek};
use procap_store::testing::TestDatabase;

#[test]
fn login_page_is_greek_with_security_headers() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let page = server.browser().get("/login");
        assert_eq!(page.status, 200);
        assert!(
            has_greek(&page.body),
            "{}: login page not Greek",
            server.backend()
        );
        assert!(page.body.contains("lang=\"el\""));
        let csp = page
            .headers
            .get("content-security-policy")
            .expect("CSP header")
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "CSP: {csp}");
        assert!(
            !csp.contains("unsafe-inline"),
            "CSP allows inline code: {csp}"
        );
        assert_eq!(
            page.headers.get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert_eq!(page.headers.get("referrer-policy").unwrap(), "no-referrer");
        assert!(page.headers.get("permissions-policy").is_some());
        assert!(
            page.headers.get("strict-transport-security").is_none(),
            "HSTS over plain HTTP"
        );
    });
}

#[test]
fn login_home_logout_round_trip() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = server.browser();
        let home = browser.login("caseworker", DEMO_PASSWORD);
        assert_eq!(home.status, 200, "{}: {}", server.backend(), home.body);
        assert!(home.url.ends_with('/'), "landed on {}", home.url);
        assert!(has_greek(&home.body));
        assert!(
            home.body.contains("Γιώργος Νικολάου"),
            "home page does not greet the user"
        );
        let cookie = home.headers.get_all("set-cookie");
        for value in cookie {
            let value = value.to_str().unwrap();
            if value.starts_with("procap_session=") {
                assert!(
                    value.contains("HttpOnly") && value.contains("SameSite=Strict"),
                    "{value}"
                );
            }
        }

        let after = browser.post("/logout", &[]);
        assert!(after.url.contains("/login"), "logout went to {}", after.url);
        let home_again = browser.get("/");
        assert!(
            home_again.url.contains("/login"),
            "home reachable after logout"
        );
    });
}

#[test]
fn session_cookie_is_http_only_strict() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let response = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/login", server.base))
        .header("Origin", &server.base)
        .form(&[("username", "caseworker"), ("password", DEMO_PASSWORD)])
        .send()
        .unwrap();
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|value| value.starts_with("procap_session="))
        .expect("session cookie set at login");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "Secure cookie over plain HTTP: {cookie}"
    );
}

#[test]
fn wrong_and_unknown_users_get_same_message() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let wrong = server.browser().login("caseworker", "wrong-password-x");
        let unknown = server.browser().login("nobody-here", "wrong-password-x");
        assert_eq!(wrong.status, 401);
        assert_eq!(unknown.status, 401);
        let message = |body: &str| {
            let start = body
                .find("role=\"alert\"")
                .expect("error shown as an alert");
            body[start..start + 300.min(body.len() - start)].to_owned()
        };
        assert_eq!(
            message(&wrong.body),
            message(&unknown.body).replace("nobody-here", "caseworker")
        );
        assert!(
            wrong.body.contains("value=\"caseworker\""),
            "username not kept after a failed login"
        );
        assert!(server.browser().get("/").url.contains("/login"));
    });
}

#[test]
fn foreign_origin_cannot_log_in() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = server.browser();
        let page = browser.post_from(
            "/login",
            &[("username", "coordinator"), ("password", DEMO_PASSWORD)],
            "http://attacker.invalid",
        );
        assert_eq!(page.status, 403, "{}", server.backend());
        assert!(has_greek(&page.body), "CSRF page not in Greek");
        assert!(
            browser.get("/").url.contains("/login"),
            "foreign origin got a session"
        );
    });
}

#[test]
fn sixth_failure_locks_even_right_password() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        for _ in 0..6 {
            server.browser().login("lawyer", "wrong-password-x");
        }
        let page = server.browser().login("lawyer", DEMO_PASSWORD);
        assert_eq!(
            page.status,
            401,
            "{}: locked account logged in",
            server.backend()
        );
        let audit = server.cli(&["audit", "verify"]);
        assert!(
            audit.status.success(),
            "{}",
            String::from_utf8_lossy(&audit.stdout)
        );
    });
}

#[test]
fn language_switch_is_remembered_per_user() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = server.browser();
        browser.login("trainer", DEMO_PASSWORD);
        let english = browser.post("/locale", &[("locale", "en"), ("return_to", "/")]);
        assert!(
            english.body.contains("lang=\"en\""),
            "{}: not English after switch",
            server.backend()
        );
        assert!(
            english.body.contains("Sign out") || english.body.contains("Log out"),
            "English labels missing"
        );
        browser.post("/logout", &[]);

        // A fresh browser (no language cookie) gets Greek until login, then the user's choice.
        let other = server.browser();
        assert!(other.get("/login").body.contains("lang=\"el\""));
        let home = other.login("trainer", DEMO_PASSWORD);
        assert!(
            home.body.contains("lang=\"en\""),
            "language not remembered for the user"
        );

        let greek = other.post(
            "/locale",
            &[("locale", "el"), ("return_to", "//evil.example")],
        );
        assert!(
            greek.url.starts_with(&server.base),
            "open redirect to {}",
            greek.url
        );
        assert!(greek.body.contains("lang=\"el\""));
    });
}

#[test]
fn healthz_reveals_nothing() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let page = server.browser().get("/healthz");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("sqlite"), "{}", page.body);
    assert!(
        !page
            .body
            .contains(&server.data_dir.path().display().to_string())
    );
}

#[test]
fn api_token_from_cli_authenticates() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let output = server.cli(&[
            "token",
            "create",
            "--user",
            "coordinator",
            "--expires-days",
            "2",
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        assert!(
            token.starts_with("pcp_") && token.len() > 24,
            "token {token:?}"
        );

        let client = reqwest::blocking::Client::new();
        let me = client
            .get(format!("{}/api/v1/me", server.base))
            .bearer_auth(&token)
            .send()
            .unwrap();
        assert_eq!(me.status(), 200);
        let body: serde_json::Value = me.json().unwrap();
        assert_eq!(body["username"], "coordinator");
        assert_eq!(body["role"], "coordinator");

        let bad = client
            .get(format!("{}/api/v1/me", server.base))
            .bearer_auth("pcp_not-a-token")
            .send()
            .unwrap();
        assert_eq!(bad.status(), 401);
        let none = client
            .get(format!("{}/api/v1/me", server.base))
            .send()
            .unwrap();
        assert_eq!(none.status(), 401);

        let spec: serde_json::Value = client
            .get(format!("{}/api/v1/openapi.json", server.base))
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert!(spec["openapi"].as_str().unwrap().starts_with('3'));
        assert!(spec["paths"]["/api/v1/me"].is_object());
    });
}

#[test]
fn audit_verify_passes_and_counts_logins() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        server.browser().login("admin", DEMO_PASSWORD);
        server.browser().login("admin", "wrong-password-x");
        let output = server.cli(&["audit", "verify"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}: {stdout}", server.backend());
        assert!(stdout.contains("intact"), "{stdout}");
    });
}

#[test]
fn oversized_body_gets_413_page() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let big = "x".repeat(3 * 1024 * 1024);
    let page = server
        .browser()
        .post("/login", &[("username", "admin"), ("password", &big)]);
    assert_eq!(page.status, 413);
    assert!(has_greek(&page.body), "413 page not in the user's language");
}

#[test]
fn malformed_form_gets_400_page_without_internals() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let page = server.browser().post("/locale", &[("locale", "xx")]);
    assert_eq!(page.status, 400);
    assert!(has_greek(&page.body));
    assert!(
        !page.body.contains("Failed to deserialize"),
        "serde message leaked"
    );
}

#[test]
fn unknown_page_gets_404_in_language() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let page = server.browser().get("/no/such/page");
    assert_eq!(page.status, 404);
    assert!(has_greek(&page.body));
}

#[test]
fn missing_key_file_refuses_start() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let key = server.data_dir.path().join("procap.key");
    assert!(key.exists(), "key file not created");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "key file mode {mode:o}");
    }
    std::fs::remove_file(&key).unwrap();
    let output = server.cli(&["migrate"]);
    assert!(!output.status.success(), "started without its key file");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("key file"), "{stderr}");
    assert!(!key.exists(), "a new key was created over existing data");
}

#[test]
fn unreadable_key_file_refuses_start() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let key = server.data_dir.path().join("procap.key");
    std::fs::write(&key, "not a key file").unwrap();
    let output = server.cli(&["audit", "verify"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("procap.key"));
}

#[test]
fn unreachable_database_names_url_without_password() {
    let data_dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(common::binary())
        .args(["migrate", "--data-dir"])
        .arg(data_dir.path())
        .args([
            "--database-url",
            "postgres://procap:s3cret-pw@127.0.0.1:1/procap",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
    assert!(!stderr.contains("s3cret-pw"), "password printed: {stderr}");
}

#[test]
fn logs_carry_ids_not_secrets_or_names() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = server.browser();
        browser.login("nobody-Zacharoula-77", "Secret-Wrong-Pass-551");
        browser.login("psychologist", "Another-Wrong-Pass-662");
        let home = browser.login("psychologist", DEMO_PASSWORD);
        assert_eq!(home.status, 200);
        let token = String::from_utf8(
            server
                .cli(&["token", "create", "--user", "psychologist"])
                .stdout,
        )
        .unwrap();
        reqwest::blocking::Client::new()
            .get(format!("{}/api/v1/me", server.base))
            .bearer_auth(token.trim())
            .send()
            .unwrap();
        browser.get("/account");

        let log = server.log();
        let demo_log_tail = log.split("monitoring\n").last().unwrap_or(&log);
        for secret in [
            "Secret-Wrong-Pass-551",
            "Another-Wrong-Pass-662",
            "Zacharoula",
            "Κατερίνα Δημητρίου",
            token.trim(),
        ] {
            assert!(
                !log.contains(secret),
                "{}: log contains {secret:?}",
                server.backend()
            );
        }
        assert!(
            !demo_log_tail.contains(DEMO_PASSWORD),
            "demo password logged after start-up"
        );
        assert!(
            log.lines()
                .any(|line| line.contains("route=\"/account\"") && line.contains("user_id=")),
            "request log lacks the user id: {log}"
        );
    });
}

/// Opens the server's database directly, as an operator with the key file would.
fn open_store(server: &TestServer) -> procap_store::Store {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key")).unwrap();
    procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .unwrap()
}

#[test]
fn expired_session_goes_back_to_login() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = server.browser();
        assert_eq!(browser.login("caseworker", DEMO_PASSWORD).status, 200);

        let store = open_store(&server);
        store
            .run_blocking(|db| {
                use diesel::connection::SimpleConnection;
                db.conn
                    .batch_execute("UPDATE sessions SET expires_at = '2000-01-01 00:00:00'")?;
                Ok(())
            })
            .unwrap();
        let page = browser.get("/");
        assert!(
            page.url.contains("/login"),
            "{}: expired session still accepted",
            server.backend()
        );
        assert!(has_greek(&page.body));
    });
}

#[test]
fn key_rotation_keeps_second_factor_readable() {
    each_backend(|database| {
        let server = TestServer::serve(database);
        let output = server.cli(&["user", "add", "rotator", "--role", "caseworker"]);
        assert!(output.status.success());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let password = stdout
            .lines()
            .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
            .unwrap();

        // Enrol TOTP so an encrypted value exists.
        let browser = server.browser();
        browser.login("rotator", &password);
        let chosen = "περιστροφή-κλειδιού-2026";
        let page = browser.post(
            "/account/password",
            &[
                ("current_password", &password),
                ("new_password", chosen),
                ("confirm_password", chosen),
            ],
        );
        let start = page.body.find("data-totp-secret=\"").unwrap() + "data-totp-secret=\"".len();
        let secret = page.body[start..]
            .split('"')
            .next()
            .unwrap()
            .replace(' ', "");
        let code = |secret: &str| {
            let bytes = totp_rs::Secret::Encoded(secret.to_owned())
                .to_bytes()
                .unwrap();
            totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, "x".into())
                .unwrap()
                .generate_current()
                .unwrap()
        };
        browser.post("/account/totp", &[("code", &code(&secret))]);

        let rotated = server.cli(&["key", "rotate"]);
        assert!(
            rotated.status.success(),
            "{}",
            String::from_utf8_lossy(&rotated.stderr)
        );
        assert!(
            String::from_utf8_lossy(&rotated.stdout).contains("Re-encrypted 1"),
            "{}",
            String::from_utf8_lossy(&rotated.stdout)
        );

        // The stored secret is now under key 2 and still verifies a login.
        // The next time step's code is used because the enrolment consumed
        // the current one and replays are refused.
        let next_step_code = {
            let bytes = totp_rs::Secret::Encoded(secret.clone()).to_bytes().unwrap();
            let totp =
                totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, "x".into())
                    .unwrap();
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            totp.generate(now + 30)
        };
        let second = server.browser();
        second.login("rotator", chosen);
        let page = second.post("/login/totp", &[("code", &next_step_code)]);
        assert_eq!(
            page.status,
            200,
            "{}: second factor unreadable after rotation",
            server.backend()
        );
        assert!(page.url.ends_with('/'), "login ended at {}", page.url);
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}
