//! The case dashboard and the context page over real HTTP on SQLite and
//! PostgreSQL with the demo data: every chart has a text alternative and a
//! table, no case code reaches the page, a bad filter is answered with the
//! form and what was typed, the roles without statistics are refused and a
//! coordinator sees only their own organisation.
//!
//! Demo accounts belong to `KA` (case roles), `KKP` (training) and `EKA`
//! (monitoring); the test adds `coord2`, a coordinator of `EKA`, which has
//! no cases.

mod common;

use common::{Browser, DEMO_PASSWORD, TestServer, each_backend, has_greek};
use procap_store::testing::TestDatabase;

const WHOLE_RANGE: &str = "/reports/dashboard?from=2000-01-01&to=2030-12-31";

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

/// Adds a user with the CLI and signs them in past the password change
/// that the one-time password asks for.
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
    assert!(output.status.success(), "{stdout}");
    let password = stdout
        .lines()
        .find_map(|line| line.rsplit_once(": ").map(|(_, pw)| pw.trim().to_owned()))
        .expect("one-time password printed");
    let browser = server.browser();
    assert_eq!(browser.login(username, &password).status, 200);
    let new_password = "πίνακας-στατιστικών-2026";
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

/// The organisation ids of the demo, by case-code prefix.
fn organisation_id(server: &TestServer, prefix: &str) -> String {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key"))
        .expect("the server's key file");
    let store = procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .expect("open the server's database");
    store
        .run_blocking(procap_store::organisations::list)
        .expect("organisations")
        .into_iter()
        .find(|organisation| organisation.case_code_prefix == prefix)
        .expect("demo organisation")
        .id
}

/// The text of the element with `id="dashboard-summary"`.
fn summary(body: &str) -> String {
    let start = body.find("id=\"dashboard-summary\">").expect("a summary")
        + "id=\"dashboard-summary\">".len();
    body[start..].split('<').next().unwrap_or("").to_owned()
}

/// Checks that every chart of the page is an labelled SVG with a
/// description and is followed by a table with a caption and headers.
fn assert_charts_are_accessible(body: &str, at_least: usize) {
    let charts: Vec<&str> = body
        .split("<section class=\"dashboard-chart\"")
        .skip(1)
        .collect();
    assert!(charts.len() >= at_least, "{} charts", charts.len());
    for chart in charts {
        let id = chart
            .split("id=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the section has an id");
        assert!(chart.contains("role=\"img\""), "{id}: role");
        assert!(chart.contains("aria-label=\""), "{id}: aria-label");
        assert!(
            chart.contains(&format!("<title id=\"{id}-title\">")),
            "{id}: title"
        );
        assert!(
            chart.contains(&format!("<desc id=\"{id}-desc\">")),
            "{id}: description"
        );
        let description = chart
            .split(&format!("<desc id=\"{id}-desc\">"))
            .nth(1)
            .and_then(|rest| rest.split("</desc>").next())
            .unwrap_or("");
        assert!(!description.trim().is_empty(), "{id}: empty description");
        assert!(chart.contains("<table>"), "{id}: table");
        assert!(
            chart.contains(&format!("<caption id=\"{id}-caption\">")),
            "{id}: caption"
        );
        assert!(chart.contains("<th scope=\"col\""), "{id}: column headers");
    }
}

#[test]
fn dashboard_shows_demo_figures_on_both_databases() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = signed_in(&server, "monitoring");
        let page = browser.get(WHOLE_RANGE);
        assert_eq!(page.status, 200, "{}: {}", server.backend(), page.body);
        assert!(page.body.contains("Πίνακας στατιστικών"), "Greek title");
        assert!(has_greek(&page.body));
        for id in [
            "cases-status",
            "cases-nrm-status",
            "cases-region",
            "cases-setting",
            "cases-exploitation",
            "cases-citizenship",
            "cases-sex",
            "cases-age",
            "cases-flow",
            "services-per-line",
            "interpretation-hours",
            "legal-services",
            "hearings",
            "overdue",
            "target",
            "by-sector",
            "gain",
            "evaluation",
        ] {
            assert!(page.body.contains(&format!("id=\"{id}\"")), "{id} is shown");
        }
        assert_charts_are_accessible(&page.body, 18);
        // The demo's three registered cases and its 1,522 CTDC records.
        assert!(
            summary(&page.body).contains("1.525 περιστατικά"),
            "{}",
            summary(&page.body)
        );
        // Aggregates only: no case code of the demo reaches the page.
        assert!(!page.body.contains("KA-20"), "a case code on the dashboard");
        assert!(page.body.contains("href=\"/reports/context\""), "linked");
    });
}

#[test]
fn context_page_compares_with_unodc_and_ctdc() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = signed_in(&server, "monitoring");
        let page = browser.get("/reports/context");
        assert_eq!(page.status, 200, "{}: {}", server.backend(), page.body);
        for id in [
            "context-years",
            "context-forms",
            "context-exploitation",
            "context-means-of-control",
        ] {
            assert!(page.body.contains(&format!("id=\"{id}\"")), "{id} is shown");
        }
        assert_charts_are_accessible(&page.body, 4);
        // UNODC detected 358 victims in Greece in 2022.
        assert!(page.body.contains("<td class=\"numeric\">358</td>"));
        assert!(page.body.contains("GLOTIP"), "the source is named");
        assert!(!page.body.contains("KA-20"), "a case code on the page");
        // The CTDC records are left out of the organisation's cases.
        assert!(page.body.contains("3 περιστατικά του φορέα"), "own cases");
    });
}

#[test]
fn bad_filters_keep_what_was_typed() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let browser = signed_in(&server, "monitoring");

    let page = browser.get("/reports/dashboard?from=2026-13-01&to=2026-12-31");
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("Γράψτε μια έγκυρη ημερομηνία"),
        "date message"
    );
    assert!(
        page.body.contains("value=\"2026-13-01\""),
        "keeps the input"
    );
    assert!(!page.body.contains("dashboard-summary"), "no figures");

    let page = browser.get("/reports/dashboard?from=2026-12-31&to=2026-01-01");
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("Η ημερομηνία λήξης πρέπει"),
        "order message"
    );

    let page = browser.get("/reports/dashboard?from=2026-01-01&to=2026-12-31&region=mars");
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("Επιλέξτε μια περιφέρεια"),
        "region message"
    );
    assert!(
        page.body.contains("value=\"2026-01-01\""),
        "keeps the period"
    );

    let page = browser.get("/reports/dashboard?from=2026-01-01&to=2026-12-31&organisation=nobody");
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("Επιλέξτε έναν φορέα"),
        "organisation message"
    );

    let page = browser.get("/reports/context?region=mars");
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("Επιλέξτε μια περιφέρεια"),
        "context region message"
    );
}

#[test]
fn filters_narrow_the_figures() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let browser = signed_in(&server, "monitoring");
    let ka = organisation_id(&server, "KA");
    let eka = organisation_id(&server, "EKA");

    let all = summary(&browser.get(WHOLE_RANGE).body);
    let own = summary(
        &browser
            .get(&format!("{WHOLE_RANGE}&organisation={ka}"))
            .body,
    );
    assert!(all.contains("Όλοι οι φορείς"), "{all}");
    assert!(own.contains("1.525 περιστατικά"), "{own}");
    let none = summary(
        &browser
            .get(&format!("{WHOLE_RANGE}&organisation={eka}"))
            .body,
    );
    assert!(none.contains(" 0 περιστατικά"), "{none}");
    // The CTDC records are in the region "other", the demo cases are not.
    let attica = summary(&browser.get(&format!("{WHOLE_RANGE}&region=attica")).body);
    assert!(!attica.contains("1.525"), "{attica}");
    // A period before any record.
    let empty = browser.get("/reports/dashboard?from=1990-01-01&to=1990-12-31");
    assert_eq!(empty.status, 200);
    assert!(summary(&empty.body).contains(" 0 περιστατικά"));
    assert_charts_are_accessible(&empty.body, 18);
}

#[test]
fn roles_without_statistics_are_refused() {
    let server = TestServer::demo(TestDatabase::sqlite());
    for role in ["trainee", "interpreter", "escort", "caseworker", "trainer"] {
        let browser = signed_in(&server, role);
        for path in [WHOLE_RANGE, "/reports/context"] {
            let status = browser.get(path).status;
            assert!(status == 403 || status == 404, "{role} {path}: {status}");
        }
    }
    let anonymous = server.browser().get(WHOLE_RANGE);
    assert!(anonymous.url.contains("/login"), "{}", anonymous.url);
}

#[test]
fn coordinators_see_only_their_organisation() {
    let server = TestServer::demo(TestDatabase::sqlite());
    let ka = organisation_id(&server, "KA");

    let coordinator = signed_in(&server, "coordinator");
    let page = coordinator.get(WHOLE_RANGE);
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("Όλοι οι φορείς"),
        "no choice of all organisations"
    );
    assert!(summary(&page.body).contains("1.525 περιστατικά"));

    let other = added_user(&server, "coord2", "coordinator", "EKA");
    let page = other.get(&format!("{WHOLE_RANGE}&organisation={ka}"));
    assert_eq!(page.status, 200);
    let text = summary(&page.body);
    assert!(text.contains("Εθνικό Κέντρο Αλληλεγγύης"), "{text}");
    assert!(text.contains(" 0 περιστατικά"), "{text}");
    let context = other.get(&format!("/reports/context?organisation={ka}"));
    assert_eq!(context.status, 200);
    assert!(
        context.body.contains("0 περιστατικά του φορέα"),
        "own cases only"
    );
}
