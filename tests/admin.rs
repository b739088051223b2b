//! Administration over HTTP on both backends: organisations, users, resets,
//! disabling, sessions, confirmation before destructive actions, and that
//! other roles are refused.

mod common;

use common::{DEMO_PASSWORD, TestServer, each_backend, has_greek};

fn temporary_password(body: &str) -> String {
    // The notice reads "...«username»: PASSWORD — ..." in Greek and English.
    let start = body
        .find("»: ")
        .or_else(|| body.find("\u{201d}: "))
        .expect("temporary password shown")
        + "»: ".len();
    body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches(['.', ','])
        .to_owned()
}

#[test]
fn admin_creates_organisation_and_user() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let admin = server.browser();
        admin.login("admin", DEMO_PASSWORD);

        let bad = admin.post(
            "/admin/organisations",
            &[("name", ""), ("kind", "ngo"), ("case_code_prefix", "x1")],
        );
        assert_eq!(bad.status, 422, "{}", server.backend());
        assert!(bad.body.contains("aria-invalid=\"true\""));
        let taken = admin.post(
            "/admin/organisations",
            &[
                ("name", "Άλλη"),
                ("kind", "ngo"),
                ("case_code_prefix", "KA"),
            ],
        );
        assert_eq!(taken.status, 422, "duplicate prefix accepted");

        let created = admin.post(
            "/admin/organisations",
            &[
                ("name", "Δίκτυο Στήριξης Θεσσαλονίκης"),
                ("kind", "ngo"),
                ("case_code_prefix", "DST"),
            ],
        );
        assert_eq!(created.status, 200);
        assert!(created.body.contains("Δίκτυο Στήριξης Θεσσαλονίκης"));

        let form = admin.get("/admin/users/new");
        assert_eq!(form.status, 200);
        let organisation_id = {
            let marker = form.body.find("Δίκτυο Στήριξης Θεσσαλονίκης").unwrap();
            let before = &form.body[..marker];
            let start = before.rfind("value=\"").unwrap() + 7;
            before[start..].split('"').next().unwrap().to_owned()
        };

        let invalid = admin.post(
            "/admin/users",
            &[
                ("username", "Bad Name"),
                ("display_name", "Δοκιμή"),
                ("role", "wizard"),
                ("organisation_id", &organisation_id),
            ],
        );
        assert_eq!(invalid.status, 422);
        assert!(
            invalid.body.contains("value=\"Δοκιμή\""),
            "entered values lost after an error"
        );

        let page = admin.post(
            "/admin/users",
            &[
                ("username", "anna"),
                ("display_name", "Άννα Δοκιμαστική"),
                ("email", ""),
                ("role", "psychologist"),
                ("organisation_id", &organisation_id),
            ],
        );
        assert_eq!(page.status, 200, "{}", page.body);
        let password = temporary_password(&page.body);

        let anna = server.browser();
        let first = anna.login("anna", &password);
        assert!(
            first.url.ends_with("/account/password"),
            "new user not forced to change password"
        );

        let duplicate = admin.post(
            "/admin/users",
            &[
                ("username", "anna"),
                ("display_name", "Άλλη Άννα"),
                ("role", "lawyer"),
                ("organisation_id", &organisation_id),
            ],
        );
        assert_eq!(duplicate.status, 422, "duplicate username accepted");
    });
}

#[test]
fn destructive_actions_ask_first() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let admin = server.browser();
        admin.login("admin", DEMO_PASSWORD);
        let escort = server.browser();
        escort.login("escort", DEMO_PASSWORD);
        assert_eq!(escort.get("/").status, 200);

        let users = admin.get("/admin/users");
        let escort_row = users.body.find(">escort<").expect("escort listed");
        let disable = users.body[escort_row..].find("/disable\"").unwrap() + escort_row;
        let start = users.body[..disable].rfind("action=\"").unwrap() + 8;
        let href = format!("{}/disable", &users.body[start..disable]);

        let confirm = admin.post(&href, &[]);
        assert_eq!(confirm.status, 200);
        assert!(
            confirm.body.contains("name=\"confirmed\""),
            "no confirmation step"
        );
        assert_eq!(escort.get("/").status, 200, "disabled before confirmation");

        let done = admin.post(&href, &[("confirmed", "yes")]);
        assert_eq!(done.status, 200);
        assert!(
            escort.get("/").url.contains("/login"),
            "{}: disabled user kept their session",
            server.backend()
        );
        assert_eq!(server.browser().login("escort", DEMO_PASSWORD).status, 401);

        let reset = admin.post(
            &href.replace("/disable", "/reset-password"),
            &[("confirmed", "yes")],
        );
        let password = temporary_password(&reset.body);
        admin.post(
            &href.replace("/disable", "/enable"),
            &[("confirmed", "yes")],
        );
        let page = server.browser().login("escort", &password);
        assert!(
            page.url.ends_with("/account/password"),
            "reset password need not be changed: {}",
            page.url
        );
    });
}

#[test]
fn admin_ends_another_session() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let admin = server.browser();
        admin.login("admin", DEMO_PASSWORD);
        let trainer = server.browser();
        trainer.login("trainer", DEMO_PASSWORD);

        let sessions = admin.get("/admin/sessions");
        assert_eq!(sessions.status, 200);
        assert!(has_greek(&sessions.body));
        let row = sessions
            .body
            .find(">trainer<")
            .expect("trainer's session listed");
        let end = sessions.body[row..].find("/end\"").unwrap() + row;
        let start = sessions.body[..end].rfind("action=\"").unwrap() + 8;
        let href = format!("{}/end", &sessions.body[start..end]);
        let after = admin.post(&href, &[]);
        assert_eq!(after.status, 200);
        assert!(
            trainer.get("/").url.contains("/login"),
            "{}: session not ended",
            server.backend()
        );
        assert_eq!(admin.get("/").status, 200, "admin's own session ended");
    });
}

#[test]
fn other_roles_cannot_administer() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        for role in ["coordinator", "caseworker", "trainee", "monitoring"] {
            let browser = server.browser();
            browser.login(role, DEMO_PASSWORD);
            for path in [
                "/admin/users",
                "/admin/users/new",
                "/admin/organisations",
                "/admin/sessions",
            ] {
                let page = browser.get(path);
                assert_eq!(
                    page.status,
                    403,
                    "{}: {role} reached {path}",
                    server.backend()
                );
                assert!(has_greek(&page.body));
            }
            let post = browser.post(
                "/admin/organisations",
                &[("name", "X"), ("kind", "ngo"), ("case_code_prefix", "XX")],
            );
            assert_eq!(post.status, 403, "{role} created an organisation");
        }
        let anonymous = server.browser().get("/admin/users");
        assert!(anonymous.url.contains("/login"));
    });
}

/// The id in the role link of `username`'s row on the user list.
fn role_href(list: &str, username: &str) -> String {
    let row = list
        .find(&format!(">{username}<"))
        .unwrap_or_else(|| panic!("{username} listed"));
    let end = list[row..].find("/role\"").expect("role link") + row;
    let start = list[..end].rfind("href=\"").unwrap() + 6;
    format!("{}/role", &list[start..end])
}

#[test]
fn admin_changes_a_role_and_the_user_is_signed_out() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let admin = server.browser();
        admin.login("admin", DEMO_PASSWORD);
        let trainer = server.browser();
        trainer.login("trainer", DEMO_PASSWORD);
        assert_eq!(trainer.get("/").status, 200);

        let list = admin.get("/admin/users");
        let href = role_href(&list.body, "trainer");
        let form = admin.get(&href);
        assert_eq!(form.status, 200);
        assert!(has_greek(&form.body));
        let organisation_id = {
            let select = &form.body[form.body.find("id=\"organisation_id\"").unwrap()..];
            let selected = select.find("\" selected").expect("current organisation");
            let start = select[..selected].rfind("value=\"").unwrap() + 7;
            select[start..selected].to_owned()
        };

        let invalid = admin.post(
            &href,
            &[("role", "wizard"), ("organisation_id", &organisation_id)],
        );
        assert_eq!(invalid.status, 422, "{}", server.backend());
        assert!(invalid.body.contains("aria-invalid=\"true\""));
        assert_eq!(trainer.get("/").status, 200, "session ended on bad input");

        let changed = admin.post(
            &href,
            &[("role", "trainee"), ("organisation_id", &organisation_id)],
        );
        assert_eq!(changed.status, 200, "{}", server.backend());
        assert!(changed.body.contains("trainer"));
        assert!(
            trainer.get("/").url.contains("/login"),
            "{}: the user's session survived the role change",
            server.backend()
        );
        let audit = admin.get("/audit?action=user.role_change");
        assert!(
            audit.body.contains("user.role_change"),
            "{}: role change not audited",
            server.backend()
        );

        // An administrator cannot change their own role, and other roles
        // cannot change anyone's.
        let own = role_href(&admin.get("/admin/users").body, "admin");
        let refused = admin.post(
            &own,
            &[("role", "trainee"), ("organisation_id", &organisation_id)],
        );
        assert_eq!(refused.status, 422);
        let coordinator = server.browser();
        coordinator.login("coordinator", DEMO_PASSWORD);
        assert_eq!(coordinator.get(&href).status, 403);
        assert_eq!(
            coordinator
                .post(
                    &href,
                    &[("role", "admin"), ("organisation_id", &organisation_id)]
                )
                .status,
            403
        );
    });
}
