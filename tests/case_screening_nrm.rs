//! Screening and NRM pages of a case over HTTP on both backends: the
//! indicator checklist, the guidance wording, rejected indicators, scope,
//! NRM status moves with the reflection period, invalid moves and stale
//! forms.

mod common;

use chrono::{Months, NaiveDate};
use common::{Browser, DEMO_PASSWORD, TestServer, each_backend, has_greek};

/// Indicators of the adult labour list that make a recruitment dimension,
/// exploitative conditions and coercion at destination positive.
const INDICATED: [&str; 6] = [
    "adult_labour.deceptive_recruitment.about_nature_of_job",
    "adult_labour.deceptive_recruitment.about_conditions_of_work",
    "adult_labour.exploitative_conditions.excessive_working_days_or_hours",
    "adult_labour.exploitative_conditions.low_or_no_salary",
    "adult_labour.coercion_at_destination.confiscation_of_documents",
    "adult_labour.coercion_at_destination.debt_bondage",
];

fn api_token(server: &TestServer, username: &str) -> String {
    let output = server.cli(&["token", "create", "--user", username]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Lists the demo's registered cases as `(id, is_minor)`.
fn demo_cases(server: &TestServer) -> Vec<(String, bool)> {
    let token = api_token(server, "caseworker");
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?origin=procap", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "{}", server.backend());
    let json: serde_json::Value = response.json().unwrap();
    json["items"]
        .as_array()
        .expect("items in the answer")
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                item["is_minor"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn adult_case(cases: &[(String, bool)]) -> String {
    cases
        .iter()
        .find(|(_, minor)| !minor)
        .map(|(id, _)| id.clone())
        .expect("an adult demo case")
}

fn minor_case(cases: &[(String, bool)]) -> String {
    cases
        .iter()
        .find(|(_, minor)| *minor)
        .map(|(id, _)| id.clone())
        .expect("a minor demo case")
}

fn login(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(
        page.status,
        200,
        "{}: login of {username}",
        server.backend()
    );
    browser
}

fn screening_form<'a>(age: &'a str, ids: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("age", age), ("form", "labour")];
    form.extend(ids.iter().map(|id| ("indicator", *id)));
    form
}

/// Returns the case version the NRM form carries.
fn form_version(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("version field on the page") + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// Returns the text of the current NRM status on the NRM page.
fn current_status(body: &str) -> String {
    let marker = "id=\"nrm-current-status\">";
    let start = body.find(marker).expect("current status on the page") + marker.len();
    body[start..].split('<').next().unwrap().to_owned()
}

fn days_ago(days: u64) -> NaiveDate {
    common::athens_today() - chrono::Days::new(days)
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[test]
fn screening_pages_and_results() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let cases = demo_cases(&server);
        let adult = adult_case(&cases);
        let minor = minor_case(&cases);
        let caseworker = login(&server, "caseworker");

        let history = caseworker.get(&format!("/cases/{adult}/screening"));
        assert_eq!(history.status, 200, "{backend}");
        assert!(history.body.contains("lang=\"el\""), "{backend}");
        assert!(history.body.contains("Νέα αξιολόγηση"), "{backend}");

        let checklist = caseworker.get(&format!("/cases/{adult}/screening/new"));
        assert_eq!(checklist.status, 200, "{backend}");
        assert!(
            checklist
                .body
                .contains(&format!("value=\"{}\"", INDICATED[0]))
        );
        assert!(checklist.body.contains("Στρατολόγηση με εξαπάτηση"));
        assert!(checklist.body.contains("ισχυρή"), "strength shown");
        assert!(
            checklist.body.contains("δεν έχουν ακόμη επαληθευτεί"),
            "{backend}: notice of unverified grades"
        );

        let child_checklist = caseworker.get(&format!("/cases/{minor}/screening/new"));
        assert_eq!(child_checklist.status, 200, "{backend}");
        assert!(
            child_checklist.body.contains("value=\"child_labour."),
            "{backend}: a minor's case opens the child list"
        );

        let unavailable = caseworker.get(&format!(
            "/cases/{adult}/screening/new?age=adult&form=sexual"
        ));
        assert_eq!(unavailable.status, 200, "{backend}");
        assert!(unavailable.body.contains("δεν περιέχει ακόμη ενδείξεις"));
        let links = unavailable.body.replace("&#38;", "&").replace("&amp;", "&");
        assert!(
            links.contains(&format!(
                "/cases/{adult}/screening/new?age=adult&form=labour"
            )),
            "{backend}: the available adult list offered"
        );
        assert!(!unavailable.body.contains("name=\"indicator\""));

        let indicated = caseworker.post(
            &format!("/cases/{adult}/screening/new"),
            &screening_form("adult", &INDICATED),
        );
        assert_eq!(indicated.status, 200, "{backend}: {}", indicated.body);
        assert!(
            indicated
                .url
                .contains(&format!("/cases/{adult}/screening/")),
            "{}",
            indicated.url
        );
        assert!(
            indicated
                .body
                .contains("Υπάρχουν ενδείξεις εμπορίας ανθρώπων")
        );
        assert!(indicated.body.contains("όχι αναγνώριση"));
        for dimension in [
            "Στρατολόγηση με εξαπάτηση",
            "Συνθήκες εκμετάλλευσης",
            "Εξαναγκασμός στον τόπο προορισμού",
        ] {
            assert!(indicated.body.contains(dimension), "{backend}: {dimension}");
        }
        assert!(
            indicated
                .body
                .contains("Εξαπάτηση ως προς το είδος της εργασίας"),
            "{backend}: indicator behind a dimension"
        );
        assert!(!indicated.body.contains("είναι θύμα"), "{backend}");
        // The screener by display name (fictional demo), not username.
        assert!(
            indicated.body.contains("<dd>Γιώργος Νικολάου</dd>"),
            "{backend}: display name not shown"
        );
        assert!(
            !indicated.body.contains("<dd>caseworker</dd>"),
            "{backend}: username shown as screener"
        );
        let listed = caseworker.get(&format!("/cases/{adult}/screening"));
        assert!(
            listed.body.contains("<td>Γιώργος Νικολάου</td>"),
            "{backend}: display name not listed"
        );
        assert!(has_greek(&indicated.body));

        let printable = caseworker.get(&format!(
            "{}?print=1",
            indicated.url.trim_start_matches(&server.base)
        ));
        assert_eq!(printable.status, 200, "{backend}");
        assert!(
            printable
                .body
                .contains("Υπάρχουν ενδείξεις εμπορίας ανθρώπων")
        );
        assert!(
            !printable.body.contains("site-nav"),
            "{backend}: print layout has no navigation"
        );

        let not_indicated = caseworker.post(
            &format!("/cases/{adult}/screening/new"),
            &screening_form("adult", &INDICATED[..2]),
        );
        assert_eq!(not_indicated.status, 200, "{backend}");
        assert!(
            not_indicated
                .body
                .contains("Δεν προκύπτουν ενδείξεις εμπορίας ανθρώπων")
        );
        assert!(
            !not_indicated
                .body
                .contains("Υπάρχουν ενδείξεις εμπορίας ανθρώπων")
        );

        let history = caseworker.get(&format!("/cases/{adult}/screening"));
        assert_eq!(history.status, 200, "{backend}");
        assert_eq!(
            history.body.matches("badge badge-warn").count(),
            1,
            "{backend}"
        );
        assert!(history.body.contains("Δεν προκύπτουν ενδείξεις"));
        assert!(history.body.contains("Ενήλικες — εργασιακή εκμετάλλευση"));

        let unknown = caseworker.post(
            &format!("/cases/{adult}/screening/new"),
            &screening_form(
                "adult",
                &[
                    INDICATED[0],
                    "adult_labour.deceptive_recruitment.no_such_indicator",
                ],
            ),
        );
        assert_eq!(unknown.status, 422, "{backend}");
        assert!(unknown.body.contains("error-summary"));
        assert!(
            unknown
                .body
                .contains(&format!("value=\"{}\" checked", INDICATED[0])),
            "{backend}: ticked indicators lost after an error"
        );
        let other_list = caseworker.post(
            &format!("/cases/{adult}/screening/new"),
            &screening_form("child", &[INDICATED[0]]),
        );
        assert_eq!(
            other_list.status, 422,
            "{backend}: adult indicator on the child list"
        );

        let psychologist = login(&server, "psychologist");
        for path in [
            format!("/cases/{adult}/screening"),
            format!("/cases/{adult}/screening/new"),
            indicated.url.trim_start_matches(&server.base).to_owned(),
        ] {
            let page = psychologist.get(&path);
            assert_eq!(page.status, 403, "{backend}: {path}");
        }
        let refused = psychologist.post(
            &format!("/cases/{adult}/screening/new"),
            &screening_form("adult", &INDICATED),
        );
        assert_eq!(refused.status, 403, "{backend}");
    });
}

#[test]
fn nrm_status_moves_and_conflicts() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let cases = demo_cases(&server);
        let adult = adult_case(&cases);
        let minor = minor_case(&cases);
        let caseworker = login(&server, "caseworker");
        let path = format!("/cases/{adult}/nrm");

        let page = caseworker.get(&path);
        assert_eq!(page.status, 200, "{backend}");
        assert!(page.body.contains("lang=\"el\""));
        assert_eq!(current_status(&page.body), "Δεν έχει παραπεμφθεί");
        let first_version = form_version(&page.body);
        let referred_on = iso(days_ago(20));

        let jump = caseworker.post(
            &path,
            &[
                ("version", first_version.as_str()),
                ("status", "identified"),
                ("occurred_on", referred_on.as_str()),
            ],
        );
        assert_eq!(jump.status, 422, "{backend}");
        assert!(jump.body.contains("δεν επιτρέπεται"), "{backend}");
        assert!(jump.body.contains("aria-invalid=\"true\""));

        let future = iso(common::athens_today() + chrono::Days::new(5));
        let in_future = caseworker.post(
            &path,
            &[
                ("version", first_version.as_str()),
                ("status", "referred"),
                ("occurred_on", future.as_str()),
            ],
        );
        assert_eq!(in_future.status, 422, "{backend}");
        assert!(in_future.body.contains("μεταγενέστερη της σημερινής"));
        assert_eq!(
            current_status(&caseworker.get(&path).body),
            "Δεν έχει παραπεμφθεί"
        );

        let referred = caseworker.post(
            &path,
            &[
                ("version", first_version.as_str()),
                ("status", "referred"),
                ("occurred_on", referred_on.as_str()),
                ("reference", "ΕΜΑ-0042/2026"),
            ],
        );
        assert_eq!(referred.status, 200, "{backend}: {}", referred.body);
        assert_eq!(current_status(&referred.body), "Έχει παραπεμφθεί στον ΕΜΑ");
        assert!(
            referred.body.contains("ΕΜΑ-0042/2026"),
            "{backend}: reference in history"
        );
        assert!(
            !referred.body.contains("name=\"extended\""),
            "{backend}: extension offered for an adult"
        );
        let second_version = form_version(&referred.body);
        assert_ne!(second_version, first_version);

        let start = days_ago(10);
        let stale = caseworker.post(
            &path,
            &[
                ("version", first_version.as_str()),
                ("status", "presumed_victim"),
                ("occurred_on", iso(start).as_str()),
                ("reference", "ΑΠ-77/2026"),
                ("reflection_start", iso(start).as_str()),
            ],
        );
        assert_eq!(stale.status, 409, "{backend}");
        assert!(stale.body.contains("Το περιστατικό άλλαξε στο μεταξύ"));
        assert!(
            stale.body.contains("ΑΠ-77/2026"),
            "{backend}: entered values lost"
        );
        assert!(has_greek(&stale.body));
        assert_eq!(current_status(&stale.body), "Έχει παραπεμφθεί στον ΕΜΑ");
        assert_eq!(form_version(&stale.body), second_version, "{backend}");
        assert_eq!(
            current_status(&caseworker.get(&path).body),
            "Έχει παραπεμφθεί στον ΕΜΑ",
            "{backend}: a stale form changed the status"
        );

        let presumed = caseworker.post(
            &path,
            &[
                ("version", second_version.as_str()),
                ("status", "presumed_victim"),
                ("occurred_on", iso(start).as_str()),
                ("reference", "ΑΠ-77/2026"),
                ("reflection_start", iso(start).as_str()),
            ],
        );
        assert_eq!(presumed.status, 200, "{backend}: {}", presumed.body);
        assert_eq!(current_status(&presumed.body), "Πιθανό θύμα");
        let end = start.checked_add_months(Months::new(3)).unwrap();
        assert!(
            presumed.body.contains(&end.format("%d/%m/%Y").to_string()),
            "{backend}: reflection period end three months after {start}"
        );
        assert!(presumed.body.contains("Λήξη περιόδου περίσκεψης"));

        let minor_path = format!("/cases/{minor}/nrm");
        let minor_page = caseworker.get(&minor_path);
        let minor_referred = caseworker.post(
            &minor_path,
            &[
                ("version", form_version(&minor_page.body).as_str()),
                ("status", "referred"),
                ("occurred_on", referred_on.as_str()),
            ],
        );
        assert_eq!(minor_referred.status, 200, "{backend}");
        assert!(
            minor_referred.body.contains("name=\"extended\""),
            "{backend}: extension not offered for a minor"
        );

        let psychologist = login(&server, "psychologist");
        assert_eq!(psychologist.get(&path).status, 403, "{backend}");
    });
}
