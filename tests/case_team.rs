//! The team of a case, tested over the real server on both backends. A
//! coordinator assigns the demo psychologist, who then lists and opens the
//! case and loses it again when removed. A caseworker cannot change the
//! team. Staff of another organisation and roles outside case work are
//! neither listed nor accepted. The last caseworker stays assigned, and
//! every change is audited.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend};

const PSYCHOLOGIST: &str = "Κατερίνα Δημητρίου";
const CASEWORKER: &str = "Γιώργος Νικολάου";
const OTHER_LAWYER: &str = "Ρένα Φανταστική-Λαμπράκη";

fn token(server: &TestServer, user: &str) -> String {
    let output = server.cli(&["token", "create", "--user", user]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Returns the id and code of one fictional demo case of the caseworker.
fn demo_case(server: &TestServer) -> (String, String) {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token(server, "caseworker"))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().unwrap();
    let case = &body["items"][0];
    (
        case["id"].as_str().expect("a demo case").to_owned(),
        case["code"].as_str().unwrap().to_owned(),
    )
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

/// Returns the `value` of the `<option>` whose label starts with `name`.
fn option_value(body: &str, name: &str) -> Option<String> {
    body.split("<option value=\"").skip(1).find_map(|rest| {
        let (value, label) = rest.split_once("\">")?;
        label.starts_with(name).then(|| value.to_owned())
    })
}

/// Returns the id of `username`, read from the administrators' user list.
fn user_id(admin: &Browser, username: &str) -> String {
    let page = admin.get("/admin/users");
    assert_eq!(page.status, 200);
    let row = page
        .body
        .split(&format!(">{username}<"))
        .nth(1)
        .expect("user row");
    let after = row.split("/admin/users/").nth(1).expect("role link");
    after.split('/').next().unwrap().to_owned()
}

/// Asserts that a case page was denied: 404, or the 403 page that offers
/// break-glass, whichever the scope rules give, and never the case itself.
fn assert_no_access(page: &common::Page, backend: &str) {
    assert!(
        matches!(page.status, 403 | 404),
        "{backend}: status {}",
        page.status
    );
    assert!(!page.body.contains("case-summary"), "{backend}: case shown");
}

#[test]
fn coordinators_assign_and_remove_case_staff() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, code) = demo_case(&server);
        let team_path = format!("/cases/{case_id}/team");
        let case_path = format!("/cases/{case_id}");

        let added = server.cli(&[
            "user",
            "add",
            "eka.lawyer",
            "--role",
            "lawyer",
            "--organisation",
            "EKA",
            "--name",
            OTHER_LAWYER,
        ]);
        assert!(added.status.success(), "{backend}");
        let admin = signed_in(&server, "admin");
        let other_lawyer_id = user_id(&admin, "eka.lawyer");
        let interpreter_id = user_id(&admin, "interpreter");

        let coordinator = signed_in(&server, "coordinator");
        let psychologist = signed_in(&server, "psychologist");
        let caseworker = signed_in(&server, "caseworker");

        // The case page links to the team.
        let case_page = coordinator.get(&case_path);
        assert_eq!(case_page.status, 200, "{backend}");
        assert!(case_page.body.contains("Ομάδα περιστατικού"), "{backend}");
        assert!(case_page.body.contains(&team_path), "{backend}");

        // Only caseworkers, psychologists and lawyers of the organisation are offered.
        let team = coordinator.get(&team_path);
        assert_eq!(team.status, 200, "{backend}");
        assert!(team.body.contains(CASEWORKER), "{backend}");
        let psychologist_id = option_value(&team.body, PSYCHOLOGIST).expect("psychologist offered");
        assert!(
            option_value(&team.body, "Νίκος Αντωνίου").is_some(),
            "{backend}: lawyer"
        );
        assert!(
            option_value(&team.body, CASEWORKER).is_none(),
            "{backend}: already assigned"
        );
        for name in [
            OTHER_LAWYER,
            "Σοφία Γεωργίου",
            "Δημήτρης Ιωάννου",
            "Διαχειριστής Επίδειξης",
            "Μαρία Κωνσταντίνου",
            "Αλέξανδρος Βασιλείου",
            "Ιωάννα Μιχαηλίδου",
            "Ελένη Παπαδοπούλου",
        ] {
            assert!(
                option_value(&team.body, name).is_none(),
                "{backend}: {name} offered"
            );
        }
        assert!(!team.body.contains(OTHER_LAWYER), "{backend}");

        // Before the assignment the psychologist neither lists nor opens the case.
        assert!(
            !psychologist.get("/cases").body.contains(&code),
            "{backend}"
        );
        assert_no_access(&psychologist.get(&case_path), backend);

        let assigned = coordinator.post(&team_path, &[("user_id", &psychologist_id)]);
        assert_eq!(assigned.status, 200, "{backend}");
        assert!(assigned.url.ends_with(&team_path), "{backend}");
        assert!(assigned.body.contains(PSYCHOLOGIST), "{backend}");
        assert!(
            option_value(&assigned.body, PSYCHOLOGIST).is_none(),
            "{backend}: still offered"
        );

        assert!(psychologist.get("/cases").body.contains(&code), "{backend}");
        assert_eq!(psychologist.get(&case_path).status, 200, "{backend}");
        let seen = psychologist.get(&team_path);
        assert_eq!(seen.status, 200, "{backend}");
        assert!(seen.body.contains(CASEWORKER), "{backend}");
        assert!(
            !seen.body.contains("name=\"user_id\""),
            "{backend}: form shown"
        );

        // A caseworker sees the team but cannot change it.
        assert!(
            !caseworker.get(&team_path).body.contains("name=\"user_id\""),
            "{backend}"
        );
        let lawyer_id = option_value(&coordinator.get(&team_path).body, "Νίκος Αντωνίου").unwrap();
        let rejected = caseworker.post(&team_path, &[("user_id", &lawyer_id)]);
        assert_eq!(rejected.status, 403, "{backend}");
        let removal = format!("{team_path}/{psychologist_id}/remove");
        let rejected = caseworker.post(&removal, &[("confirmed", "yes")]);
        assert_eq!(rejected.status, 403, "{backend}");
        assert!(
            !coordinator
                .get(&team_path)
                .body
                .contains("Νίκος Αντωνίου</td>"),
            "{backend}"
        );

        // Staff of another organisation, other roles and unknown ids are rejected.
        for id in [
            other_lawyer_id.as_str(),
            interpreter_id.as_str(),
            "no-such-user",
        ] {
            let rejected = coordinator.post(&team_path, &[("user_id", id)]);
            assert_eq!(rejected.status, 422, "{backend}: {id}");
            assert!(
                rejected
                    .body
                    .contains("Ανάθεση γίνεται μόνο σε κοινωνικό λειτουργό"),
                "{backend}"
            );
            assert!(!rejected.body.contains(OTHER_LAWYER), "{backend}");
        }
        let empty = coordinator.post(&team_path, &[("user_id", "")]);
        assert_eq!(empty.status, 422, "{backend}");
        assert!(empty.body.contains("Επιλέξτε το μέλος"), "{backend}");

        // Removing asks first, then takes the case away from the psychologist.
        let confirm = coordinator.post(&removal, &[]);
        assert_eq!(confirm.status, 200, "{backend}");
        assert!(confirm.body.contains(PSYCHOLOGIST), "{backend}");
        assert!(
            confirm.body.contains("name=\"confirmed\" value=\"yes\""),
            "{backend}"
        );
        assert_eq!(
            psychologist.get(&case_path).status,
            200,
            "{backend}: removed too early"
        );
        let removed = coordinator.post(&removal, &[("confirmed", "yes")]);
        assert_eq!(removed.status, 200, "{backend}");
        assert!(
            !removed.body.contains(&format!("{PSYCHOLOGIST}</td>")),
            "{backend}"
        );
        assert!(
            !psychologist.get("/cases").body.contains(&code),
            "{backend}"
        );
        assert_no_access(&psychologist.get(&case_path), backend);
        let team_denied = psychologist.get(&team_path);
        assert_no_access(&team_denied, backend);
        assert!(
            !team_denied.body.contains(CASEWORKER),
            "{backend}: team shown"
        );

        // The last caseworker stays.
        let team = coordinator.get(&team_path);
        let caseworker_removal = team
            .body
            .split("action=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .find(|action| action.ends_with("/remove"))
            .expect("remove button of the caseworker")
            .to_owned();
        let last_caseworker = coordinator.post(&caseworker_removal, &[("confirmed", "yes")]);
        assert_eq!(last_caseworker.status, 409, "{backend}");
        assert!(
            last_caseworker.body.contains("μόνος κοινωνικός λειτουργός"),
            "{backend}"
        );
        assert_eq!(caseworker.get(&case_path).status, 200, "{backend}");

        let audit = coordinator.get("/audit");
        for action in ["case.team.view", "case.team.assign", "case.team.unassign"] {
            assert!(
                audit.body.contains(action),
                "{backend}: {action} not audited"
            );
        }
        assert!(
            server.cli(&["audit", "verify"]).status.success(),
            "{backend}"
        );
        assert!(
            !server.log().contains(PSYCHOLOGIST),
            "{backend}: name logged"
        );
    });
}

#[test]
fn team_page_speaks_english() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let coordinator = signed_in(&server, "coordinator");
        let switched = coordinator.post("/locale", &[("locale", "en"), ("return_to", "/")]);
        assert_eq!(switched.status, 200, "{backend}");
        let team = coordinator.get(&format!("/cases/{case_id}/team"));
        assert_eq!(team.status, 200, "{backend}");
        assert!(team.body.contains("Case team"), "{backend}");
        assert!(team.body.contains("Assign to the case"), "{backend}");
        assert!(team.body.contains("Social worker"), "{backend}");
    });
}
