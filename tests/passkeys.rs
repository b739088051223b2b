//! Passkeys without a real authenticator: the registration challenge names
//! the right relying party and user, a forged answer stores nothing, one
//! user cannot remove another's passkey, the page is Greek, and the login
//! step refuses a passkey challenge to a user who has none.

mod common;

use common::{TestServer, each_backend, has_greek};
use procap_store::testing::TestDatabase;
use totp_rs::{Algorithm, Secret, TOTP};

/// The relying-party id the server must derive from `--public-url`.
const RP_HOST: &str = "procap.localhost";

fn start(database: TestDatabase) -> TestServer {
    TestServer::start(
        database,
        &["serve", "--public-url", &format!("http://{RP_HOST}")],
    )
}

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

fn secret_from_page(body: &str) -> String {
    let start = body
        .find("data-totp-secret=\"")
        .expect("secret on enrolment page")
        + "data-totp-secret=\"".len();
    let end = body[start..].find('"').unwrap();
    body[start..start + end].replace(' ', "")
}

/// Creates a caseworker, changes the one-time password and enrols TOTP;
/// returns the signed-in browser, the password and the TOTP secret.
fn enrolled_user(server: &TestServer, username: &str) -> (common::Browser, String, String) {
    let password = one_time_password(&server.cli(&[
        "user",
        "add",
        username,
        "--role",
        "caseworker",
        "--name",
        "Ελένη Δοκιμή",
    ]));
    let browser = server.browser();
    browser.login(username, &password);
    let new_password = "πορτοκαλιά-στον-κήπο-2026";
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
    let page = browser.post("/account/totp", &[("code", &code_for(&secret))]);
    assert_eq!(page.status, 200, "TOTP enrolment failed");
    (browser, new_password.to_owned(), secret)
}

fn post_json(browser: &common::Browser, path: &str, body: &str) -> (u16, serde_json::Value) {
    let response = browser
        .client
        .post(format!("{}{path}", browser.base))
        .header("Origin", &browser.base)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().unwrap();
    let json =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, json)
}

#[test]
fn registration_challenge_and_forged_answers() {
    each_backend(|database| {
        let server = start(database);
        let (browser, _, _) = enrolled_user(&server, "eleni");

        let page = browser.get("/account/passkeys");
        assert_eq!(page.status, 200);
        assert!(has_greek(&page.body), "passkeys page not in Greek");
        assert!(
            page.body.contains("Κλειδιά πρόσβασης"),
            "Greek title missing"
        );
        assert!(
            page.body.contains("data-passkey-register"),
            "add form missing"
        );
        assert!(
            page.body.contains("no-js-only"),
            "no note for browsers without JavaScript"
        );

        let (status, challenge) = post_json(&browser, "/account/passkeys/register/start", "{}");
        assert_eq!(status, 200, "{challenge}");
        let options = &challenge["publicKey"];
        assert_eq!(options["rp"]["id"], RP_HOST);
        assert_eq!(options["user"]["name"], "eleni");
        assert_eq!(options["user"]["displayName"], "Ελένη Δοκιμή");
        assert!(
            options["challenge"].as_str().is_some_and(|c| c.len() >= 22),
            "no challenge: {options}"
        );

        let (status, answer) = post_json(
            &browser,
            "/account/passkeys/register/finish",
            r#"{"name":"x","credential":"garbage"}"#,
        );
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer["error"].as_str().is_some_and(has_greek),
            "error not translated: {answer}"
        );

        // A well-formed answer that no authenticator signed.
        let (status, _) = post_json(&browser, "/account/passkeys/register/start", "{}");
        assert_eq!(status, 200);
        let forged = r#"{"name":"Ψεύτικο","credential":{"id":"AAAA","rawId":"AAAA","type":"public-key","extensions":{},
            "response":{"attestationObject":"AAAA","clientDataJSON":"AAAA"}}}"#;
        let (status, _) = post_json(&browser, "/account/passkeys/register/finish", forged);
        assert_eq!(status, 400);

        let store = server.database.store();
        let stored = store
            .run_blocking(|db| {
                let user =
                    procap_store::users::find_by_username(db, "eleni")?.expect("user exists");
                procap_store::users::list_passkeys(db, &user.id)
            })
            .unwrap();
        assert!(stored.is_empty(), "a forged passkey was stored");
        assert!(
            browser
                .get("/account/passkeys")
                .body
                .contains("Δεν έχετε καταχωρίσει κλειδί πρόσβασης")
        );
    });
}

#[test]
fn passkeys_belong_to_their_owner() {
    each_backend(|database| {
        let server = start(database);
        let (eleni, _, _) = enrolled_user(&server, "eleni");
        let (nikos, _, _) = enrolled_user(&server, "nikos");

        let store = server.database.store();
        let passkey = store
            .run_blocking(|db| {
                let user =
                    procap_store::users::find_by_username(db, "nikos")?.expect("user exists");
                procap_store::users::add_passkey(
                    db,
                    &user.id,
                    "Κλειδί του Νίκου",
                    "bmlrb3MtY3JlZA",
                    "{}",
                )
            })
            .unwrap();
        let remove = format!("/account/passkeys/{}/remove", passkey.id);

        assert_eq!(eleni.post(&remove, &[]).status, 404, "{}", server.backend());
        assert_eq!(eleni.post(&remove, &[("confirmed", "yes")]).status, 404);
        assert!(
            !eleni
                .get("/account/passkeys")
                .body
                .contains("Κλειδί του Νίκου")
        );

        // The owner sees it, is asked to confirm, then removes it.
        assert!(
            nikos
                .get("/account/passkeys")
                .body
                .contains("Κλειδί του Νίκου")
        );
        let confirm = nikos.post(&remove, &[]);
        assert_eq!(confirm.status, 200);
        assert!(
            confirm.body.contains("name=\"confirmed\""),
            "no confirmation step"
        );
        let done = nikos.post(&remove, &[("confirmed", "yes")]);
        assert!(
            done.url.ends_with("/account/passkeys"),
            "went to {}",
            done.url
        );
        assert!(!done.body.contains("Κλειδί του Νίκου"));
        let left = store
            .run_blocking(|db| {
                let user =
                    procap_store::users::find_by_username(db, "nikos")?.expect("user exists");
                procap_store::users::list_passkeys(db, &user.id)
            })
            .unwrap();
        assert!(left.is_empty());
    });
}

#[test]
fn login_passkey_needs_a_registered_passkey() {
    each_backend(|database| {
        let server = start(database);
        let (_, password, _) = enrolled_user(&server, "eleni");

        let second = server.browser();
        let page = second.login("eleni", &password);
        assert!(
            page.url.ends_with("/login/totp"),
            "second factor not asked: {}",
            page.url
        );
        let (status, answer) = post_json(&second, "/login/passkey/start", "{}");
        assert_eq!(status, 400, "{answer}");
        assert!(answer["error"].as_str().is_some_and(has_greek));
        let (status, _) = post_json(&second, "/login/passkey/finish", "{}");
        assert_eq!(status, 400);
        // Still at the second-factor step.
        assert!(second.get("/").url.ends_with("/login/totp"));
    });
}
