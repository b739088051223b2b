//! The AMIF report pages over real HTTP on SQLite and PostgreSQL: the
//! figures of the demo data, each linked to its definition, the three
//! downloads, a bad period answered with the form, and the roles that may
//! not see statistics refused.

mod common;

use common::{DEMO_PASSWORD, TestServer, each_backend, has_greek};

const WHOLE_RANGE: &str = "/reports/amif?from=2000-01-01&to=2030-12-31";

#[test]
fn the_amif_page_shows_the_demo_figures_with_definitions_and_downloads() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let browser = server.browser();
        browser.login("monitoring", DEMO_PASSWORD);
        let page = browser.get(WHOLE_RANGE);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Δείκτες AMIF"), "Greek title");
        assert!(
            page.body
                .contains("href=\"/reports/amif/definitions/participants_supported\""),
            "the count links to its definition"
        );
        // Two demo cases received services.
        assert!(
            page.body.contains("<td class=\"numeric\">2</td>"),
            "two participants"
        );

        let definition = browser.get("/reports/amif/definitions/legal_assistance");
        assert_eq!(definition.status, 200);
        assert!(definition.body.contains("νομική"), "Greek definition");
        assert_eq!(browser.get("/reports/amif/definitions/nothing").status, 404);

        let csv = browser
            .get("/reports/amif/download?from=2000-01-01&to=2030-12-31&organisation=&format=csv");
        assert_eq!(csv.status, 200);
        assert!(
            csv.body.starts_with('\u{feff}'),
            "CSV has a byte-order mark"
        );
        assert!(csv.body.contains("participants_supported"));
        let pdf = browser
            .get("/reports/amif/download?from=2000-01-01&to=2030-12-31&organisation=&format=pdf");
        assert_eq!(pdf.status, 200);
        assert_eq!(pdf.headers["content-type"], "application/pdf");
    });
}

#[test]
fn a_reversed_period_shows_the_form_with_a_greek_message() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let browser = server.browser();
    browser.login("monitoring", DEMO_PASSWORD);
    let page = browser.get("/reports/amif?from=2026-12-31&to=2026-01-01");
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Η ημερομηνία λήξης πρέπει"), "message");
    assert!(
        page.body.contains("value=\"2026-12-31\""),
        "keeps the input"
    );
    assert!(has_greek(&page.body));
}

#[test]
fn roles_without_statistics_are_refused() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    for role in ["trainee", "caseworker", "trainer"] {
        let browser = server.browser();
        browser.login(role, DEMO_PASSWORD);
        assert_eq!(browser.get(WHOLE_RANGE).status, 403, "{role}");
        assert_eq!(
            browser
                .get("/reports/amif/download?from=2000-01-01&to=2030-12-31&format=csv")
                .status,
            403,
            "{role} download"
        );
    }
}

#[test]
fn a_coordinator_sees_only_their_own_organisation() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let browser = server.browser();
    browser.login("coordinator", DEMO_PASSWORD);
    let page = browser.get(WHOLE_RANGE);
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("Όλοι οι φορείς"),
        "no choice of all organisations"
    );
}

const NRM_RANGE: &str = "/reports/nrm?from=2000-01-01&to=2030-12-31";

#[test]
fn nrm_page_shows_tables_and_downloads() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let browser = server.browser();
        browser.login("monitoring", DEMO_PASSWORD);
        let page = browser.get(NRM_RANGE);
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        assert!(
            page.body.contains("Στατιστικά ΕΜΑ"),
            "{backend}: Greek title"
        );
        assert!(
            page.body.contains("<dd id=\"nrm-persons\">3</dd>"),
            "{backend}: three demo persons"
        );
        for caption in ["Φύλο", "Υπηκοότητα", "Μέσα ελέγχου", "Είδος υπηρεσίας"]
        {
            assert!(page.body.contains(caption), "{backend}: {caption}");
        }
        assert!(page.body.contains("scope=\"row\">Νιγηρία"), "{backend}");

        let csv = browser
            .get("/reports/nrm/download?from=2000-01-01&to=2030-12-31&organisation=&format=csv");
        assert_eq!(csv.status, 200, "{backend}");
        assert!(
            csv.body.starts_with('\u{feff}'),
            "{backend}: byte-order mark"
        );
        assert!(csv.body.contains("means_of_control,"), "{backend}");
        let pdf = browser
            .get("/reports/nrm/download?from=2000-01-01&to=2030-12-31&organisation=&format=pdf");
        assert_eq!(pdf.status, 200, "{backend}");
        assert_eq!(pdf.headers["content-type"], "application/pdf");
    });
}

#[test]
fn nrm_bad_period_keeps_the_input() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let browser = server.browser();
    browser.login("monitoring", DEMO_PASSWORD);
    let page = browser.get("/reports/nrm?from=2026-12-31&to=2026-01-01");
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Η ημερομηνία λήξης πρέπει"), "message");
    assert!(
        page.body.contains("value=\"2026-12-31\""),
        "keeps the input"
    );
    assert!(!page.body.contains("nrm-persons"), "no figures");

    let download = browser.get("/reports/nrm/download?from=2026-02-30&to=2026-03-01&format=csv");
    assert_eq!(download.status, 422, "a bad date exports nothing");
    assert!(
        download.body.contains("value=\"2026-02-30\""),
        "keeps the input"
    );
}

#[test]
fn nrm_statistics_refused_and_scoped() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    for role in ["trainee", "caseworker", "interpreter"] {
        let browser = server.browser();
        browser.login(role, DEMO_PASSWORD);
        assert_eq!(browser.get(NRM_RANGE).status, 403, "{role}");
        assert_eq!(
            browser
                .get("/reports/nrm/download?from=2000-01-01&to=2030-12-31&format=csv")
                .status,
            403,
            "{role} download"
        );
    }
    let coordinator = server.browser();
    coordinator.login("coordinator", DEMO_PASSWORD);
    let page = coordinator.get(NRM_RANGE);
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("Όλοι οι φορείς"),
        "no choice of all organisations"
    );
    let csv = coordinator
        .get("/reports/nrm/download?from=2000-01-01&to=2030-12-31&organisation=&format=csv");
    assert!(
        !csv.body.contains("Όλοι οι φορείς"),
        "held to their organisation"
    );
}
