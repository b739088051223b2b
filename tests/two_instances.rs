//! Two `procap serve` processes on different ports against one PostgreSQL
//! database, with no load balancer in front: a session opened on one works
//! on the other (and ends on both), each queued job runs exactly once, and
//! two people editing one case from the same version, one on each server,
//! get a conflict page instead of a silent overwrite.
//!
//! PostgreSQL only: SQLite is one file for one server. Skipped with a
//! message when `PROCAP_TEST_POSTGRES_URL` is unset outside CI. All names
//! are invented.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::instances::{Deployment, enrol};
use common::{Browser, Page};
use procap_store::jobs;
use procap_store::testing::{TestDatabase, is_ci};
use reqwest::blocking::Client;
use reqwest::cookie::Jar;

const GIVEN_NAME: &str = "Διπλάνα";
const FAMILY_NAME: &str = "Δισυπόστατη";
const FACILITY_ON_B: &str = "Δομή Φιλοξενίας Δεύτερου Διακομιστή";
const CONTACT_ON_A: &str = "Τηλέφωνο μέσω της δομής, απογευματινές ώρες";

/// Creates the PostgreSQL test database, or prints why not and returns `None`.
fn postgres() -> Option<TestDatabase> {
    if std::env::var_os("PROCAP_TEST_POSTGRES_URL").is_none() && !is_ci() {
        eprintln!(
            "SKIPPED: two instances need PostgreSQL; set PROCAP_TEST_POSTGRES_URL to run this test"
        );
        return None;
    }
    TestDatabase::postgres()
}

/// Two browsers of one cookie jar, one per server, as one person with two
/// tabs open on two servers of the same site.
fn same_session(jar: &Arc<Jar>, a: &str, b: &str) -> (Browser, Browser) {
    let browser = |base: &str| Browser {
        base: base.to_owned(),
        client: Client::builder()
            .cookie_provider(jar.clone())
            .build()
            .unwrap(),
    };
    (browser(a), browser(b))
}

fn hidden_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("hidden field {name} on the page"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// The person and case fields of a valid form; `overrides` replace by name.
fn fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("given_name", GIVEN_NAME),
        ("family_name", FAMILY_NAME),
        ("birth_date", "1996-08-30"),
        ("sex", "female"),
        ("citizenships", "GH"),
        ("languages", "en"),
        ("legal_status", "asylum_seeker"),
        ("region", "central_macedonia"),
        ("setting", "urban_area"),
        ("exploitation_types", "forced_labour"),
        ("forced_labour_industry", "agriculture"),
        ("countries_exploitation", "GR"),
    ];
    for (name, value) in overrides {
        fields.retain(|(field, _)| field != name);
        fields.push((name, value));
    }
    fields
}

fn case_path(page: &Page) -> String {
    let path = &page.url[page.url.find("/cases/").expect("at a case page")..];
    assert!(!path.ends_with("/new"), "still on the form: {}", page.body);
    path.to_owned()
}

fn open_store(deployment: &Deployment) -> procap_store::Store {
    let keys =
        procap_crypto::Keyring::load(&deployment.data_dir.path().join("procap.key")).unwrap();
    procap_store::Store::open(
        &deployment.database.url,
        Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .unwrap()
}

#[test]
fn a_session_opened_on_one_server_works_on_the_other() {
    let Some(database) = postgres() else { return };
    let deployment = Deployment::seeded(database);
    let a = deployment.serve("a");
    let b = deployment.serve("b");

    let jar = Arc::new(Jar::default());
    let (on_a, on_b) = same_session(&jar, &a.base, &b.base);
    enrol(&on_a, "caseworker");
    assert_eq!(on_a.get("/cases").status, 200);

    let page = on_b.get("/cases");
    assert_eq!(page.status, 200, "session of A refused on B");
    assert!(
        page.url.ends_with("/cases"),
        "B sent the session of A to {}",
        page.url
    );
    // A change made on B with that session is saved and seen on A.
    let form = on_b.get("/cases/new");
    let token = hidden_value(&form.body, "form_token");
    let mut form = fields(&[]);
    form.extend([
        ("form_token", token.as_str()),
        ("referral_source", "ngo"),
        ("referred_on", "2026-02-02"),
    ]);
    let created = on_b.post("/cases/new", &form);
    assert_eq!(created.status, 200, "{}", created.body);
    let path = case_path(&created);
    assert!(on_a.get(&path).body.contains(FAMILY_NAME));

    // Signing out on B ends the session on A too.
    let out = on_b.post("/logout", &[]);
    assert!(out.url.contains("/login"), "{}", out.url);
    let page = on_a.get("/cases");
    assert!(
        page.url.contains("/login"),
        "the session ended on B still works on A: {}",
        page.url
    );
}

#[test]
fn each_queued_job_runs_exactly_once() {
    let Some(database) = postgres() else { return };
    let deployment = Deployment::seeded(database);
    let a = deployment.serve("a");
    let b = deployment.serve("b");
    let store = open_store(&deployment);

    // Jobs queued once each, due now; both workers poll every second.
    const JOBS: usize = 30;
    let ids: Vec<String> = store
        .run_blocking(|db| {
            (0..JOBS)
                .map(|_| {
                    jobs::enqueue(
                        db,
                        procap_jobs::KIND_MAINTENANCE,
                        &serde_json::json!({}),
                        procap_store::now(),
                        3,
                    )
                    .map(|job| job.id)
                })
                .collect()
        })
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let pending = store
            .run_blocking(|db| {
                let mut pending = 0;
                for id in &ids {
                    if jobs::get(db, id)?.status != jobs::STATUS_DONE {
                        pending += 1;
                    }
                }
                Ok(pending)
            })
            .unwrap();
        if pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{pending} jobs not done; logs:\n{}\n{}",
            a.log(),
            b.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // Each job was claimed once and ran once: one attempt in the table, one
    // start and one finish over both servers' logs.
    let logs = [a.log(), b.log()];
    let mut by_server = [0; 2];
    for id in &ids {
        let job = store.run_blocking(|db| jobs::get(db, id)).unwrap();
        assert_eq!(
            job.attempts, 1,
            "job {id} was claimed {} times",
            job.attempts
        );
        let runs = |event: &str| -> Vec<usize> {
            logs.iter()
                .map(|log| {
                    log.lines()
                        .filter(|line| line.contains(event) && line.contains(id.as_str()))
                        .count()
                })
                .collect()
        };
        let started = runs("job started");
        assert_eq!(
            started.iter().sum::<usize>(),
            1,
            "job {id} started {started:?} times on A and B"
        );
        assert_eq!(runs("job finished").iter().sum::<usize>(), 1, "job {id}");
        for (server, count) in started.iter().enumerate() {
            by_server[server] += count;
        }
    }
    eprintln!(
        "{JOBS} jobs: {} run by A, {} by B",
        by_server[0], by_server[1]
    );
}

#[test]
fn an_edit_conflict_between_the_servers_is_shown_not_lost() {
    let Some(database) = postgres() else { return };
    let deployment = Deployment::seeded(database);
    let a = deployment.serve("a");
    let b = deployment.serve("b");

    let caseworker = Browser::new(&a.base);
    enrol(&caseworker, "caseworker");
    let coordinator = Browser::new(&b.base);
    enrol(&coordinator, "coordinator");

    let form = caseworker.get("/cases/new");
    let token = hidden_value(&form.body, "form_token");
    let mut form = fields(&[]);
    form.extend([
        ("form_token", token.as_str()),
        ("referral_source", "police"),
        ("referred_on", "2026-02-03"),
    ]);
    let created = caseworker.post("/cases/new", &form);
    assert_eq!(created.status, 200, "{}", created.body);
    let path = case_path(&created);

    // Both open the form at version 1, one on each server.
    let mine = caseworker.get(&format!("{path}/edit"));
    let theirs = coordinator.get(&format!("{path}/edit"));
    assert_eq!(hidden_value(&mine.body, "version"), "1");
    assert_eq!(hidden_value(&theirs.body, "version"), "1");

    let edit = |browser: &Browser, version: &str, overrides: &[(&str, &str)]| {
        let mut form = fields(overrides);
        form.push(("version", version));
        browser.post(&format!("{path}/edit"), &form)
    };
    let first = edit(
        &coordinator,
        "1",
        &[("setting", "hosting_facility"), ("facility", FACILITY_ON_B)],
    );
    assert_eq!(first.status, 200, "{}", first.body);

    let stale = edit(&caseworker, "1", &[("contact", CONTACT_ON_A)]);
    assert_eq!(stale.status, 409, "the stale save on A was not refused");
    assert!(
        stale.body.contains("Κάποιος άλλος αποθήκευσε"),
        "no conflict message"
    );
    assert!(
        stale.body.contains(FACILITY_ON_B),
        "the values saved on B are not shown on A"
    );
    assert!(
        stale.body.contains(CONTACT_ON_A),
        "the values typed on A were lost"
    );
    assert_eq!(hidden_value(&stale.body, "version"), "2");

    // Nothing was overwritten: both servers show B's save.
    for browser in [&caseworker, &coordinator] {
        let page = browser.get(&path);
        assert!(page.body.contains(FACILITY_ON_B), "{}", browser.base);
        assert!(!page.body.contains(CONTACT_ON_A), "{}", browser.base);
    }

    // The caseworker applies their change on top of version 2.
    let again = edit(
        &caseworker,
        "2",
        &[
            ("setting", "hosting_facility"),
            ("facility", FACILITY_ON_B),
            ("contact", CONTACT_ON_A),
        ],
    );
    assert_eq!(again.status, 200, "{}", again.body);
    let page = coordinator.get(&path);
    assert!(page.body.contains(FACILITY_ON_B), "B's change lost");
    assert!(page.body.contains(CONTACT_ON_A), "A's change lost");
}
