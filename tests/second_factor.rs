//! Outside demo mode: an account created on the command line must change its
//! one-time password, then a role with case access must enrol TOTP, sees its
//! recovery codes once, and later logs in with a code or a recovery code.

mod common;

use common::{TestServer, each_backend, has_greek};
use totp_rs::{Algorithm, Secret, TOTP};

fn one_time_password(output: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
        .expect("password printed")
}

fn code_for(secret_b32: &str) -> String {
    let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().unwrap();
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, None, "x".into())
        .unwrap()
        .generate_current()
        .unwrap()
}

/// The manual-entry secret shown on the enrolment page (groups of four).
fn secret_from_page(body: &str) -> String {
    let start = body
        .find("data-totp-secret=\"")
        .expect("secret on enrolment page")
        + "data-totp-secret=\"".len();
    let end = body[start..].find('"').unwrap();
    body[start..start + end].replace(' ', "")
}

#[test]
fn caseworker_must_change_password_and_enrol_totp() {
    each_backend(|database| {
        let server = TestServer::serve(database);
        let password = one_time_password(&server.cli(&[
            "user",
            "add",
            "maria",
            "--role",
            "caseworker",
            "--name",
            "Μαρία Δοκιμή",
        ]));

        let browser = server.browser();
        let page = browser.login("maria", &password);
        assert!(
            page.url.ends_with("/account/password"),
            "{}: went to {}",
            server.backend(),
            page.url
        );
        assert!(has_greek(&page.body));

        // Home is out of reach until the steps are done.
        assert!(browser.get("/").url.ends_with("/account/password"));

        let weak = browser.post(
            "/account/password",
            &[
                ("current_password", &password),
                ("new_password", "password1234"),
                ("confirm_password", "password1234"),
            ],
        );
        assert_eq!(weak.status, 422, "common password accepted");

        let new_password = "ελιές-και-θάλασσα-2026";
        let page = browser.post(
            "/account/password",
            &[
                ("current_password", &password),
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
        );
        assert!(
            page.url.ends_with("/account/totp"),
            "after password change went to {}",
            page.url
        );
        let secret = secret_from_page(&page.body);
        assert!(page.body.contains("<svg"), "no QR code");

        let wrong = browser.post("/account/totp", &[("code", "000000")]);
        assert!(
            wrong.body.contains("aria-invalid=\"true\""),
            "wrong code not flagged"
        );

        let codes_page = browser.post("/account/totp", &[("code", &code_for(&secret))]);
        assert_eq!(codes_page.status, 200);
        let recovery: Vec<String> = codes_page
            .body
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|word| word.len() == 14 && word.matches('-').count() == 2)
            .map(str::to_owned)
            .collect();
        assert!(
            recovery.len() >= 10,
            "recovery codes not shown: {}",
            codes_page.body
        );
        assert_eq!(browser.get("/").status, 200);

        // A new login asks for the second factor; a recovery code works once.
        let second = server.browser();
        let page = second.login("maria", new_password);
        assert!(
            page.url.ends_with("/login/totp"),
            "second factor not asked: {}",
            page.url
        );
        assert!(second.get("/").url.ends_with("/login/totp"));
        let page = second.post("/login/totp", &[("recovery_code", &recovery[0])]);
        assert_eq!(page.status, 200);
        assert!(
            page.url.ends_with('/'),
            "recovery code refused: {}",
            page.url
        );

        let third = server.browser();
        third.login("maria", new_password);
        let reused = third.post("/login/totp", &[("recovery_code", &recovery[0])]);
        assert_eq!(reused.status, 401, "recovery code accepted twice");

        let audit = server.cli(&["audit", "verify"]);
        assert!(audit.status.success());
    });
}

#[test]
fn trainee_needs_no_second_factor() {
    each_backend(|database| {
        let server = TestServer::serve(database);
        let password =
            one_time_password(&server.cli(&["user", "add", "kostas", "--role", "trainee"]));
        let browser = server.browser();
        browser.login("kostas", &password);
        let new_password = "μαθαίνω-κάθε-μέρα-77";
        let page = browser.post(
            "/account/password",
            &[
                ("current_password", &password),
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
        );
        assert_eq!(page.status, 200);
        assert_eq!(
            browser.get("/").status,
            200,
            "{}: trainee stopped at a second-factor step",
            server.backend()
        );
    });
}

#[test]
fn admin_reset_forces_change_and_ends_sessions() {
    each_backend(|database| {
        let server = TestServer::serve(database);
        let first = one_time_password(&server.cli(&["user", "add", "eleni", "--role", "trainer"]));
        let browser = server.browser();
        browser.login("eleni", &first);
        let chosen = "νέος-κωδικός-εκπαιδεύτριας";
        browser.post(
            "/account/password",
            &[
                ("current_password", &first),
                ("new_password", chosen),
                ("confirm_password", chosen),
            ],
        );
        assert_eq!(browser.get("/").status, 200);

        let reset = one_time_password(&server.cli(&["user", "reset-password", "eleni"]));
        assert!(
            browser.get("/").url.contains("/login"),
            "session survived a password reset"
        );
        let page = server.browser().login("eleni", &reset);
        assert!(
            page.url.ends_with("/account/password"),
            "reset password need not be changed: {}",
            page.url
        );

        let disabled = server.cli(&["user", "disable", "eleni"]);
        assert!(disabled.status.success());
        assert_eq!(server.browser().login("eleni", &reset).status, 401);
    });
}
