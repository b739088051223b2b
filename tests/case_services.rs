//! The service log, consents and closure of a case, tested through the real
//! server on both backends. The tests cover one record per service line, form
//! errors with values kept, who may record what, consent withdrawal, closing
//! with a stale version, closing and reopening, and notes kept out of the
//! server log.

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

/// Returns the id and opening date of one fictional demo case of the caseworker.
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
        case["opened_on"].as_str().unwrap().to_owned(),
    )
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{username} could not sign in");
    browser
}

fn today() -> String {
    chrono_today().format("%Y-%m-%d").to_string()
}

fn chrono_today() -> chrono::NaiveDate {
    common::athens_today()
}

/// Reads the `value` of the hidden `version` input of a page.
fn version_field(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("version field") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// Builds the form fields of one record per line, with a marker in the notes.
fn line_forms(date: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let common = |notes: &str| {
        vec![
            ("occurred_on", date.to_owned()),
            ("duration_minutes", "45".to_owned()),
            ("beneficiary_present", "yes".to_owned()),
            ("outcome", "completed".to_owned()),
            ("notes", notes.to_owned()),
        ]
    };
    let with = |line: &'static str, extra: &[(&'static str, &str)]| {
        let mut fields = common(&format!("Σημείωμα-{line}-ΜΥΣΤΙΚΟ"));
        fields.extend(
            extra
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned())),
        );
        (line, fields)
    };
    vec![
        with("case_management", &[("session_type", "follow_up")]),
        with(
            "psychosocial",
            &[
                ("format", "individual"),
                ("modality", "video"),
                ("sessions", "2"),
            ],
        ),
        with(
            "legal",
            &[
                ("legal_kind", "representation"),
                ("court", "criminal_first_instance"),
                ("case_number", "ΒΜ-ΑΡΙΘΜΟΣ-4471"),
                ("hearing_outcome", "adjourned"),
            ],
        ),
        with(
            "interpretation",
            &[
                ("language", "fa"),
                ("mode", "phone"),
                ("dialect", "Χαζαραγκί"),
            ],
        ),
        with(
            "escort",
            &[
                ("destination", "hospital"),
                ("escort_purpose", "medical_appointment"),
            ],
        ),
        with("integration", &[("activity", "language_course")]),
        with(
            "material_assistance",
            &[("assistance_kind", "food"), ("value_eur", "25,50")],
        ),
    ]
}

fn as_refs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

#[test]
fn every_service_line_is_recorded_and_listed() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");

        let forms = line_forms(&today());
        for (line, fields) in &forms {
            let path = format!("/cases/{case_id}/services/new?line={line}");
            let form = caseworker.get(&path);
            assert_eq!(form.status, 200, "{backend}: {line} form");
            let page = caseworker.post(&path, &as_refs(fields));
            assert_eq!(
                page.status, 200,
                "{backend}: {line} not saved: {}",
                page.body
            );
            assert!(
                page.url.ends_with(&format!("/cases/{case_id}/services")),
                "{backend}: {line}"
            );
        }

        let list = caseworker.get(&format!("/cases/{case_id}/services"));
        assert_eq!(list.status, 200);
        for label in [
            "Διαχείριση περιστατικού",
            "Ψυχοκοινωνική υποστήριξη",
            "Νομική συνδρομή και εκπροσώπηση",
            "Διερμηνεία",
            "Συνοδεία",
            "Ένταξη",
            "Υλική βοήθεια",
        ] {
            assert!(list.body.contains(label), "{backend}: {label} not listed");
        }
        for detail in [
            "Συνεδρία παρακολούθησης",
            "Με βιντεοκλήση",
            "Αναβολή",
            "Νοσοκομείο",
            "Μαθήματα γλώσσας",
            "25,50 €",
            "Τρόφιμα",
        ] {
            assert!(
                list.body.contains(detail),
                "{backend}: detail {detail} not shown"
            );
        }
        assert!(
            list.body.contains("7 καταγεγραμμένες υπηρεσίες"),
            "{backend}: total not shown"
        );
        // The staff member by display name (fictional demo), not username.
        assert!(
            list.body
                .contains("<td translate=\"no\">Γιώργος Νικολάου</td>"),
            "{backend}: display name not shown"
        );
        assert!(
            !list.body.contains("<td translate=\"no\">caseworker</td>"),
            "{backend}: username shown as staff"
        );
        assert!(
            list.body.contains("ΒΜ-ΑΡΙΘΜΟΣ-4471"),
            "{backend}: case number not kept in the notes"
        );

        // The case page lists the five latest, without their notes, and
        // links to all of them.
        let case_page = caseworker.get(&format!("/cases/{case_id}"));
        assert_eq!(case_page.status, 200);
        assert!(
            case_page.body.contains("Τελευταίες υπηρεσίες"),
            "{backend}: no latest services on the case page"
        );
        let listed = case_page.body.matches("<th scope=\"row\">").count();
        assert_eq!(listed, 5, "{backend}: latest services listed");
        assert!(
            case_page.body.contains("Όλες οι υπηρεσίες (7)"),
            "{backend}: no link to all services"
        );
        assert!(
            !case_page.body.contains("-ΜΥΣΤΙΚΟ"),
            "{backend}: service notes on the case page"
        );

        let log = server.log();
        for (line, _) in &forms {
            let marker = format!("Σημείωμα-{line}-ΜΥΣΤΙΚΟ");
            assert!(
                list.body.contains(&marker),
                "{backend}: notes of {line} not shown to the caseworker"
            );
            assert!(
                !log.contains(&marker),
                "{backend}: notes of {line} in the server log"
            );
        }
        assert!(
            !log.contains("ΒΜ-ΑΡΙΘΜΟΣ-4471"),
            "{backend}: case number in the server log"
        );
    });
}

#[test]
fn invalid_service_forms_keep_values() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let path = format!("/cases/{case_id}/services/new?line=escort");
        let tomorrow = (chrono_today() + chrono::Duration::days(2))
            .format("%Y-%m-%d")
            .to_string();

        let page = caseworker.post(
            &path,
            &[
                ("occurred_on", &tomorrow),
                ("duration_minutes", "30"),
                ("beneficiary_present", "no"),
                ("destination", "embassy"),
                ("escort_purpose", "documents"),
                ("notes", "Κρατήθηκε-το-κείμενο"),
            ],
        );
        assert_eq!(page.status, 422, "{backend}: future date accepted");
        assert!(
            page.body.contains("δεν μπορεί να είναι μελλοντική"),
            "{backend}: no date error"
        );
        assert!(
            page.body.contains(&format!("value=\"{tomorrow}\"")),
            "{backend}: date lost"
        );
        assert!(
            page.body.contains("value=\"embassy\" selected"),
            "{backend}: destination lost"
        );
        assert!(
            page.body.contains("Κρατήθηκε-το-κείμενο"),
            "{backend}: notes lost"
        );

        let page = caseworker.post(
            &path,
            &[
                ("occurred_on", &today()),
                ("duration_minutes", "0"),
                ("beneficiary_present", "yes"),
                ("destination", "police"),
                ("escort_purpose", "statement"),
            ],
        );
        assert_eq!(page.status, 422, "{backend}: zero minutes accepted");
        assert!(
            page.body.contains("από 1 έως 1.440"),
            "{backend}: no duration error"
        );
        assert!(
            page.body.contains("value=\"0\""),
            "{backend}: duration lost"
        );

        let list = caseworker.get(&format!("/cases/{case_id}/services"));
        assert!(
            list.body.contains("Δεν έχουν καταγραφεί υπηρεσίες."),
            "{backend}: a bad form was saved"
        );
    });
}

#[test]
fn roles_outside_the_case_are_refused() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);

        let trainee = signed_in(&server, "trainee");
        for path in [
            format!("/cases/{case_id}/services"),
            format!("/cases/{case_id}/services/new?line=psychosocial"),
            format!("/cases/{case_id}/consents"),
            format!("/cases/{case_id}/close"),
        ] {
            assert_eq!(
                trainee.get(&path).status,
                403,
                "{backend}: trainee on {path}"
            );
        }

        let psychologist = signed_in(&server, "psychologist");
        for path in [
            format!("/cases/{case_id}/services"),
            format!("/cases/{case_id}/services/new?line=psychosocial"),
            format!("/cases/{case_id}/consents"),
        ] {
            assert_eq!(
                psychologist.get(&path).status,
                403,
                "{backend}: unassigned psychologist on {path}"
            );
        }
        let page = psychologist.post(
            &format!("/cases/{case_id}/services/new?line=psychosocial"),
            &[
                ("occurred_on", &today()),
                ("duration_minutes", "50"),
                ("beneficiary_present", "yes"),
            ],
        );
        assert_eq!(
            page.status, 403,
            "{backend}: unassigned psychologist posted"
        );
    });
}

#[test]
fn consent_is_recorded_then_withdrawn() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let path = format!("/cases/{case_id}/consents");

        let page = caseworker.post(
            &path,
            &[
                ("purpose", "sharing"),
                ("given", "yes"),
                ("recorded_on", &today()),
                ("language", "ar"),
            ],
        );
        assert_eq!(
            page.status, 422,
            "{backend}: sharing without a recipient accepted"
        );

        let page = caseworker.post(
            &path,
            &[
                ("purpose", "photographs"),
                ("given", "no"),
                ("recorded_on", &today()),
                ("language", "ar"),
            ],
        );
        assert_eq!(page.status, 200, "{backend}: consent not recorded");
        assert!(
            page.body.contains("Η συναίνεση καταγράφηκε."),
            "{backend}: no notice"
        );
        assert!(
            page.body.contains("Λήψη φωτογραφιών"),
            "{backend}: purpose not listed"
        );
        assert!(
            page.body.contains("Δεν συναινεί"),
            "{backend}: answer not listed"
        );
        assert!(page.body.contains("Σε ισχύ"), "{backend}: not in force");

        let start = page.body.find("/consents/").expect("withdraw form") + "/consents/".len();
        let consent_id = page.body[start..].split('/').next().unwrap().to_owned();
        let withdraw = format!("/cases/{case_id}/consents/{consent_id}/withdraw");

        let confirm = caseworker.post(&withdraw, &[]);
        assert_eq!(confirm.status, 200);
        assert!(
            confirm.body.contains("name=\"confirmed\" value=\"yes\""),
            "{backend}: no confirmation step"
        );
        assert!(
            caseworker.get(&path).body.contains("Σε ισχύ"),
            "{backend}: withdrawn before confirming"
        );

        let done = caseworker.post(&withdraw, &[("confirmed", "yes")]);
        assert_eq!(done.status, 200);
        assert!(
            done.body.contains("Η ανάκληση της συναίνεσης καταγράφηκε."),
            "{backend}: no notice"
        );
        assert!(!done.body.contains("Σε ισχύ"), "{backend}: still in force");
        assert!(
            !done.body.contains(&withdraw),
            "{backend}: withdraw offered twice"
        );

        let again = caseworker.post(&withdraw, &[("confirmed", "yes")]);
        assert_eq!(again.status, 404, "{backend}: withdrawn twice");
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}

#[test]
fn stale_closure_is_a_conflict() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, _) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let path = format!("/cases/{case_id}/close");

        let form = caseworker.get(&path);
        assert_eq!(form.status, 200);
        let version: i32 = version_field(&form.body).parse().unwrap();
        let stale = (version - 1).to_string();
        let page = caseworker.post(
            &path,
            &[
                ("closure_reason", "lost_contact"),
                ("closed_on", &today()),
                ("version", &stale),
                ("confirmed", "yes"),
            ],
        );
        assert_eq!(page.status, 409, "{backend}: stale version accepted");
        assert!(
            page.body.contains("Όσα συμπληρώσατε"),
            "{backend}: entered values not shown"
        );
        assert!(
            page.body.contains("value=\"lost_contact\" selected"),
            "{backend}: entered reason not kept"
        );
        assert!(
            page.body.contains(&format!("value=\"{version}\"")),
            "{backend}: current version not offered"
        );

        let form = caseworker.get(&path);
        assert!(
            form.body
                .contains(&format!("action=\"/cases/{case_id}/close\"")),
            "{backend}: case no longer open"
        );
    });
}

#[test]
fn case_is_closed_and_reopened() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let (case_id, opened_on) = demo_case(&server);
        let caseworker = signed_in(&server, "caseworker");
        let path = format!("/cases/{case_id}/close");

        let version = version_field(&caseworker.get(&path).body);
        let before_opening = (opened_on.parse::<chrono::NaiveDate>().unwrap()
            - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
        let page = caseworker.post(
            &path,
            &[
                ("closure_reason", "assistance_completed"),
                ("closed_on", &before_opening),
                ("version", &version),
            ],
        );
        assert_eq!(
            page.status, 422,
            "{backend}: closing before opening accepted"
        );

        let closed_on = today();
        let fields = [
            ("closure_reason", "assistance_completed"),
            ("closed_on", closed_on.as_str()),
            ("version", version.as_str()),
        ];
        let confirm = caseworker.post(&path, &fields);
        assert_eq!(confirm.status, 200);
        assert!(
            confirm.body.contains("name=\"confirmed\" value=\"yes\""),
            "{backend}: no confirmation step"
        );
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirmed", "yes"));
        let closed = caseworker.post(&path, &confirmed);
        assert_eq!(closed.status, 200, "{backend}: not closed");

        let page = caseworker.get(&path);
        assert!(
            page.body.contains("Ολοκλήρωση της υποστήριξης"),
            "{backend}: closure reason not shown"
        );
        assert!(
            page.body
                .contains(&format!("action=\"/cases/{case_id}/reopen\"")),
            "{backend}: no reopen form"
        );
        let version = version_field(&page.body);

        let reopen = format!("/cases/{case_id}/reopen");
        let page = caseworker.post(&reopen, &[("reason", "  "), ("version", &version)]);
        assert_eq!(page.status, 422, "{backend}: reopened without a reason");

        let reason = "Νέα-παραπομπή-ΑΠΟΡΡΗΤΟ";
        let page = caseworker.post(&reopen, &[("reason", reason), ("version", &version)]);
        assert_eq!(page.status, 200, "{backend}: not reopened");
        let page = caseworker.get(&path);
        assert!(
            page.body
                .contains(&format!("action=\"/cases/{case_id}/close\"")),
            "{backend}: still closed"
        );

        let services = caseworker.get(&format!("/cases/{case_id}/services"));
        assert!(
            services.body.contains(reason),
            "{backend}: reason not kept as a service record"
        );
        assert!(
            services.body.contains("Επανενεργοποίηση περιστατικού"),
            "{backend}: record not marked"
        );
        assert!(
            !server.log().contains(reason),
            "{backend}: reason in the server log"
        );
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}
