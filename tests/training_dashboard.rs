//! The training progress dashboard over real HTTP on SQLite and
//! PostgreSQL: the figures for hand-made 2025 data (see
//! `training_fixture`), each chart an SVG with a title and description, each
//! table holding the chart's numbers, the region and period filters, a bad
//! filter answered with the form, and a trainee refused.

mod common;
#[path = "training_fixture/mod.rs"]
mod fixture;

use common::{DEMO_PASSWORD, TestServer, each_backend};
use fixture::at;

fn store(server: &TestServer) -> procap_store::Store {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key"))
        .expect("the server's key file");
    procap_store::Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .expect("open the server's database")
}

/// Writes the data whose figures the test checks:
///
/// | trainee | org | sector, region | enrolments (2025) |
/// |---|---|---|---|
/// | dash1 | KKP | airport, attica | A 10/3 done 1/4; B 1/5 |
/// | dash2 | KKP | airport, central_macedonia | A 11/3 |
/// | dash3 | EKA | school, attica | A 1/6 done 20/6 |
/// | dash4 | EKA | none | B 1/7 done 10/7 |
/// | dash5 | KA | tourism, attica | A in 2026 |
fn seed(server: &TestServer) {
    store(server)
        .run_blocking(|db| {
            let a = fixture::course(
                db,
                "dash-a",
                "Α Δοκιμή πίνακα",
                "A dashboard test",
                "published",
            );
            let b = fixture::course(
                db,
                "dash-b",
                "Β Δεύτερο μάθημα",
                "B second course",
                "published",
            );
            let t1 = fixture::trainee(db, "dash1", "KKP", Some(("airport", "attica")));
            let t2 = fixture::trainee(db, "dash2", "KKP", Some(("airport", "central_macedonia")));
            let t3 = fixture::trainee(db, "dash3", "EKA", Some(("school", "attica")));
            let t4 = fixture::trainee(db, "dash4", "EKA", None);
            let t5 = fixture::trainee(db, "dash5", "KA", Some(("tourism", "attica")));
            fixture::enrolment(db, &a, &t1, at(2025, 3, 10), Some(at(2025, 4, 1)));
            fixture::enrolment(db, &b, &t1, at(2025, 5, 1), None);
            fixture::enrolment(db, &a, &t2, at(2025, 3, 11), None);
            fixture::enrolment(db, &a, &t3, at(2025, 6, 1), Some(at(2025, 6, 20)));
            fixture::enrolment(db, &b, &t4, at(2025, 7, 1), Some(at(2025, 7, 10)));
            fixture::enrolment(db, &a, &t5, at(2026, 2, 1), None);

            let pre = fixture::test_quiz(db, &a, "pre_test");
            let post = fixture::test_quiz(db, &a, "post_test");
            fixture::attempt(db, &pre, &t1, 40, at(2025, 3, 12));
            fixture::attempt(db, &post, &t1, 70, at(2025, 3, 30));
            fixture::attempt(db, &pre, &t2, 50, at(2025, 3, 12));
            fixture::attempt(db, &post, &t2, 90, at(2025, 3, 30));
            fixture::attempt(db, &pre, &t3, 20, at(2025, 6, 2));
            fixture::attempt(db, &pre, &t5, 0, at(2026, 2, 2));
            fixture::attempt(db, &post, &t5, 100, at(2026, 2, 3));

            let end = "end_of_course";
            let follow = "follow_up";
            fixture::evaluation(db, &a, &t1, end, None, Some(at(2025, 4, 2)), Some(5), None);
            fixture::evaluation(
                db,
                &a,
                &t1,
                follow,
                Some(at(2025, 7, 1)),
                Some(at(2025, 7, 5)),
                None,
                Some(4),
            );
            fixture::evaluation(db, &a, &t3, end, None, Some(at(2025, 6, 21)), Some(3), None);
            fixture::evaluation(db, &a, &t3, follow, Some(at(2025, 9, 20)), None, None, None);
            fixture::evaluation(db, &b, &t4, end, None, Some(at(2025, 7, 11)), None, None);
            Ok(())
        })
        .unwrap();
}

/// The part of the page from `<section … id="{id}"` to its `</section>`.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").expect("end of section")]
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in html.chars() {
        match character {
            '<' => in_tag = true,
            '>' => in_tag = false,
            other if !in_tag => text.push(other),
            _ => {}
        }
    }
    text.replace("&amp;", "&").trim().to_owned()
}

/// The body rows of the section's table, each as its cells' text.
fn table_rows(section: &str) -> Vec<Vec<String>> {
    let body = &section[section.find("<tbody>").expect("a table body")..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            row.split("</t")
                .filter_map(|cell| {
                    let open = cell.rfind("<th").or_else(|| cell.rfind("<td"))?;
                    Some(strip_tags(&cell[open..]))
                })
                .collect()
        })
        .collect()
}

/// The texts drawn in the section's SVG.
fn svg_texts(section: &str) -> Vec<String> {
    let svg = &section[section.find("<svg").expect("an SVG chart")..];
    let svg = &svg[..svg.find("</svg>").expect("end of the SVG")];
    svg.split("<text")
        .skip(1)
        .map(|text| {
            let text = &text[text.find('>').unwrap() + 1..];
            strip_tags(&text[..text.find("</text>").unwrap()])
        })
        .collect()
}

fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

/// Checks that the chart has its text alternative and draws every number
/// of the table's first `columns` numeric columns.
fn check_chart(section: &str, id: &str, title: &str, columns: usize) {
    assert!(section.contains("role=\"img\""), "{id}: no role");
    assert!(
        section.contains(&format!("aria-label=\"{title}\"")),
        "{id}: no aria-label"
    );
    assert!(
        section.contains(&format!("<title id=\"{id}-title\">{title}</title>")),
        "{id}: no title in {section}"
    );
    assert!(
        section.contains(&format!("<desc id=\"{id}-desc\">")),
        "{id}: no desc"
    );
    let drawn = svg_texts(section);
    for row in table_rows(section) {
        let start: String = row[0].chars().take(20).collect();
        assert!(
            drawn.iter().any(|text| text.starts_with(&start)),
            "{id}: label {} not drawn in {drawn:?}",
            row[0]
        );
        for cell in row.iter().skip(1).take(columns) {
            assert!(drawn.contains(cell), "{id}: {cell} not drawn in {drawn:?}");
        }
    }
}

#[test]
fn dashboard_figures_on_hand_made_data() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        seed(&server);
        fixture::set_locale(&store(&server), "trainer", "en");
        let browser = server.browser();
        browser.login("trainer", DEMO_PASSWORD);

        let page = browser.get("/training/manage/dashboard?from=2025-01-01&to=2025-12-31");
        assert_eq!(page.status, 200, "{backend}: {}", page.body);
        let body = &page.body;
        assert!(
            body.contains("4 trainees enrolled, 3 of them completed a course. Programme target: 180 trainees (2.2% reached)."),
            "{backend}: {body}"
        );

        let target = section(body, "target");
        assert_eq!(
            table_rows(target),
            rows(&[&["All trainees", "4", "3", "180", "2.2%"]]),
            "{backend}"
        );
        check_chart(target, "target", "Trainees against the target", 2);
        assert!(svg_texts(target).contains(&"Target 180".to_owned()));

        let sectors = section(body, "by-sector");
        assert_eq!(
            table_rows(sectors),
            rows(&[
                &["Airports", "2", "1", "1.1%"],
                &["School communities", "1", "1", "0.6%"],
                &["Not stated", "1", "1", "0.6%"],
            ]),
            "{backend}"
        );
        check_chart(sectors, "by-sector", "Trainees by sector", 2);
        assert!(
            sectors.contains("Airports: 2 trainees, 1 completed."),
            "{backend}"
        );

        let regions = section(body, "by-region");
        assert_eq!(
            table_rows(regions),
            rows(&[
                &["Attica", "2", "2", "1.1%"],
                &["Central Macedonia", "1", "0", "0.6%"],
                &["Not stated", "1", "1", "0.6%"],
            ]),
            "{backend}"
        );
        check_chart(regions, "by-region", "Trainees by region", 2);

        let organisations = table_rows(section(body, "by-organisation"));
        assert_eq!(organisations.len(), 2, "{backend}: {organisations:?}");
        let counts: Vec<(&str, &str)> = organisations
            .iter()
            .map(|row| (row[1].as_str(), row[2].as_str()))
            .collect();
        assert!(
            counts.contains(&("2", "1")) && counts.contains(&("2", "2")),
            "{backend}: {counts:?}"
        );
        check_chart(
            section(body, "by-organisation"),
            "by-organisation",
            "Trainees by organisation",
            2,
        );

        let courses = table_rows(section(body, "courses"));
        assert!(
            courses.contains(&vec![
                "A dashboard test".into(),
                "3".into(),
                "2".into(),
                "66.7%".into()
            ]),
            "{backend}: {courses:?}"
        );
        assert!(
            courses.contains(&vec![
                "B second course".into(),
                "2".into(),
                "1".into(),
                "50.0%".into()
            ]),
            "{backend}: {courses:?}"
        );
        check_chart(
            section(body, "courses"),
            "courses",
            "Enrolments and completion per course",
            2,
        );

        // Gain over dash1 (40 → 70) and dash2 (50 → 90); dash3 took only
        // the pre-test and dash5 is outside the period.
        let gain = section(body, "gain");
        assert_eq!(
            table_rows(gain),
            rows(&[&["A dashboard test", "2", "45.0%", "80.0%", "0.64", "0.65"]]),
            "{backend}"
        );
        assert!(svg_texts(gain).contains(&"0.64".to_owned()), "{backend}");
        check_chart(gain, "gain", "Average learning gain per course", 0);

        let evaluation = section(body, "evaluation");
        assert_eq!(
            table_rows(evaluation),
            rows(&[
                &[
                    "A dashboard test",
                    "1 / 2 (50.0%)",
                    "0",
                    "1 / 1 (100.0%)",
                    "1 / 2 (50.0%)",
                    "0"
                ],
                &[
                    "B second course",
                    "0 / 0 (—)",
                    "1",
                    "0 / 0 (—)",
                    "0 / 0 (—)",
                    "0"
                ],
                &[
                    "All courses",
                    "1 / 2 (50.0%)",
                    "1",
                    "1 / 1 (100.0%)",
                    "1 / 2 (50.0%)",
                    "0"
                ],
            ]),
            "{backend}"
        );
        check_chart(evaluation, "evaluation", "Evaluation results", 0);
        assert!(
            svg_texts(evaluation).contains(&"50.0%".to_owned()),
            "{backend}"
        );

        // Region filter: dash1 and dash3 only.
        let attica =
            browser.get("/training/manage/dashboard?from=2025-01-01&to=2025-12-31&region=attica");
        assert_eq!(attica.status, 200, "{backend}");
        assert_eq!(
            table_rows(section(&attica.body, "target")),
            rows(&[&["All trainees", "2", "2", "180", "1.1%"]]),
            "{backend}"
        );
        let courses = table_rows(section(&attica.body, "courses"));
        assert!(
            courses.contains(&vec![
                "B second course".into(),
                "1".into(),
                "0".into(),
                "0.0%".into()
            ]),
            "{backend}: {courses:?}"
        );
        // The selected region stays selected.
        assert!(
            attica.body.contains("value=\"attica\" selected"),
            "{backend}"
        );

        // Period filter: the spring only (dash1 and dash2 in course A).
        // dash1 completed on 1 April, after the period, so no one counts
        // as completed in it.
        let spring = browser.get("/training/manage/dashboard?from=2025-03-01&to=2025-03-31");
        assert_eq!(
            table_rows(section(&spring.body, "target")),
            rows(&[&["All trainees", "2", "0", "180", "1.1%"]]),
            "{backend}"
        );

        // A bad filter: the form again with the messages, no figures.
        let bad =
            browser.get("/training/manage/dashboard?from=2025-05-01&to=2025-01-01&region=mars");
        assert_eq!(bad.status, 422, "{backend}");
        assert!(
            bad.body
                .contains("The end of the period is before its start."),
            "{backend}"
        );
        assert!(
            bad.body.contains("Choose a region from the list"),
            "{backend}"
        );
        assert!(
            bad.body.contains("value=\"2025-05-01\""),
            "{backend}: typed value lost"
        );
        assert!(!bad.body.contains("<svg"), "{backend}");

        // The navigation links to the dashboard.
        let home = browser.get("/");
        assert!(
            home.body.contains("href=\"/training/manage/dashboard\""),
            "{backend}"
        );

        // Trainees and case staff are refused.
        for username in ["trainee", "caseworker"] {
            let other = server.browser();
            other.login(username, DEMO_PASSWORD);
            let refused = other.get("/training/manage/dashboard");
            assert!(
                [403, 404].contains(&refused.status),
                "{backend}: {username} got {}",
                refused.status
            );
            assert!(!refused.body.contains("<svg"), "{backend}");
        }
    });
}
