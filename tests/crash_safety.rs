//! Crash safety of `procap serve`, on SQLite and PostgreSQL: several clients
//! register cases (page form) and add service records (page form and API)
//! at once, the server is killed with SIGKILL in the middle of it and
//! restarted on the same data, three times over, and then every write a
//! client saw acknowledged is there, the sessions still work and the database passes its checks
//! (SQLite `integrity_check` and `foreign_key_check`, the audit chain on
//! both).
//!
//! A write counts as acknowledged when the client received the answer that
//! says it was saved: the redirect to the new case (303 with its id), the
//! redirect to the service log (303; the record is found again by a marker
//! in its notes) or the API's 201 with the new record's id. All names are
//! invented.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::instances::{Deployment, enrol, sign_in_with_recovery};
use common::{Browser, each_backend};
use diesel::prelude::*;
use procap_store::audit::{self, AuditFilter};
use procap_store::testing::TestDatabase;
use reqwest::blocking::Client;
use reqwest::cookie::Jar;
use reqwest::redirect::Policy;

/// Concurrent clients, each with its own session.
const CLIENTS: usize = 4;
/// Times the server is killed and restarted.
const ROUNDS: usize = 3;
/// Acknowledged cases to wait for in each round before the kill.
const CASES_PER_ROUND: usize = 10;

/// What the clients saw acknowledged.
#[derive(Default)]
struct Acknowledged {
    cases: Vec<String>,
    /// (case id, marker in the notes) of records saved through the page form.
    page_services: Vec<(String, String)>,
    /// (case id, record id) of records saved through the API.
    api_services: Vec<(String, String)>,
    /// Writes cut off by the kill: sent, or about to be, with no answer.
    unanswered: usize,
}

/// A client of one session: one cookie jar, one client that follows
/// redirects (to sign in) and one that does not (to see each 303 itself).
struct Session {
    jar: Arc<Jar>,
}

impl Session {
    fn new() -> Session {
        Session {
            jar: Arc::new(Jar::default()),
        }
    }

    fn browser(&self, base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            client: Client::builder()
                .cookie_provider(self.jar.clone())
                .redirect(Policy::limited(10))
                .build()
                .unwrap(),
        }
    }

    fn raw(&self) -> Client {
        Client::builder()
            .cookie_provider(self.jar.clone())
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    }
}

fn hidden_value(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    Some(body[start..].split('"').next()?.to_owned())
}

fn today() -> String {
    common::athens_today().format("%Y-%m-%d").to_string()
}

fn location(response: &reqwest::blocking::Response) -> Option<String> {
    response
        .headers()
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()
        .map(str::to_owned)
}

/// Registers one case through the page form; the id when acknowledged,
/// `Err` when the server could not be reached.
fn register(client: &Client, base: &str, label: &str) -> Result<Option<String>, ()> {
    let form = client
        .get(format!("{base}/cases/new"))
        .send()
        .map_err(|_| ())?;
    let body = form.text().map_err(|_| ())?;
    let token = hidden_value(&body, "form_token").expect("a form token on the form");
    let given = format!("Κρασάρα{label}");
    let fields = [
        ("form_token", token.as_str()),
        ("given_name", given.as_str()),
        ("family_name", "Ανθεκτική"),
        ("birth_date", "1994-06-21"),
        ("sex", "female"),
        ("citizenships", "CM"),
        ("languages", "fr"),
        ("legal_status", "asylum_seeker"),
        ("region", "attica"),
        ("setting", "urban_area"),
        ("exploitation_types", "forced_labour"),
        ("forced_labour_industry", "agriculture"),
        ("countries_exploitation", "GR"),
        ("referral_source", "labour_inspectorate"),
        ("referred_on", "2026-01-20"),
    ];
    let response = client
        .post(format!("{base}/cases/new"))
        .header("Origin", base)
        .form(&fields)
        .send()
        .map_err(|_| ())?;
    if response.status().as_u16() != 303 {
        return Ok(None);
    }
    Ok(location(&response)
        .and_then(|path| path.strip_prefix("/cases/").map(str::to_owned))
        .filter(|id| !id.is_empty() && !id.contains('/')))
}

/// Adds a case-management record through the page form; whether it was
/// acknowledged.
fn add_page_service(client: &Client, base: &str, case_id: &str, marker: &str) -> Result<bool, ()> {
    let date = today();
    let fields = [
        ("occurred_on", date.as_str()),
        ("duration_minutes", "30"),
        ("beneficiary_present", "yes"),
        ("outcome", "completed"),
        ("session_type", "follow_up"),
        ("notes", marker),
    ];
    let response = client
        .post(format!(
            "{base}/cases/{case_id}/services/new?line=case_management"
        ))
        .header("Origin", base)
        .form(&fields)
        .send()
        .map_err(|_| ())?;
    Ok(response.status().as_u16() == 303
        && location(&response).is_some_and(|path| path.ends_with("/services")))
}

/// Adds an integration record through the API; the new id when acknowledged.
fn add_api_service(
    base: &str,
    token: &str,
    case_id: &str,
    marker: &str,
) -> Result<Option<String>, ()> {
    let response = Client::new()
        .post(format!("{base}/api/v1/cases/{case_id}/services"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "line": "integration",
            "occurred_on": today(),
            "duration_minutes": 60,
            "beneficiary_present": true,
            "activity": "language_course",
            "notes": marker,
        }))
        .send()
        .map_err(|_| ())?;
    if response.status().as_u16() != 201 {
        return Ok(None);
    }
    let body: serde_json::Value = response.json().map_err(|_| ())?;
    Ok(body["id"].as_str().map(str::to_owned))
}

/// One client's loop: a case, then one record of each kind on it, until
/// the server stops answering or `stop` is set.
fn client_loop(
    round: usize,
    number: usize,
    client: Client,
    base: String,
    token: String,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Acknowledged>>,
) {
    let mut step = 0;
    while !stop.load(Ordering::Relaxed) {
        step += 1;
        let label = format!("{round}x{number}x{step}");
        let Ok(case) = register(&client, &base, &label) else {
            acknowledged.lock().unwrap().unanswered += 1;
            return;
        };
        let Some(case_id) = case else {
            panic!("registration {label} was refused");
        };
        acknowledged.lock().unwrap().cases.push(case_id.clone());

        let marker = format!("σημείωμα-κρας-{label}");
        match add_page_service(&client, &base, &case_id, &marker) {
            Err(()) => {
                acknowledged.lock().unwrap().unanswered += 1;
                return;
            }
            Ok(true) => acknowledged
                .lock()
                .unwrap()
                .page_services
                .push((case_id.clone(), marker)),
            Ok(false) => panic!("page service record {label} was refused"),
        }

        let marker = format!("api-κρας-{label}");
        match add_api_service(&base, &token, &case_id, &marker) {
            Err(()) => {
                acknowledged.lock().unwrap().unanswered += 1;
                return;
            }
            Ok(Some(id)) => acknowledged
                .lock()
                .unwrap()
                .api_services
                .push((case_id, id)),
            Ok(None) => panic!("API service record {label} was refused"),
        }
    }
}

fn api_token(deployment: &Deployment) -> String {
    let output = deployment.cli(&["token", "create", "--user", "caseworker"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The service records of a case as (id, notes), through the API.
fn services_of(base: &str, token: &str, case_id: &str) -> Vec<(String, String)> {
    let response = Client::new()
        .get(format!("{base}/api/v1/cases/{case_id}/services?limit=100"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200, "service log of {case_id}");
    let body: serde_json::Value = response.json().unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                item["notes"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// Findings of SQLite's `integrity_check` and `foreign_key_check`; empty
/// when the file is sound.
fn sqlite_problems(database: &TestDatabase) -> Vec<String> {
    let path = database.url.sqlite_path().expect("an SQLite database");
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    let mut problems: Vec<String> =
        diesel::sql_query("SELECT integrity_check AS value FROM pragma_integrity_check")
            .load::<Line>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|line| line.value)
            .filter(|line| line != "ok")
            .collect();
    problems.extend(
        diesel::sql_query(
            "SELECT \"table\" || ' row ' || COALESCE(rowid, 0) || ' -> ' || parent AS value \
             FROM pragma_foreign_key_check",
        )
        .load::<Line>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|line| format!("foreign key: {}", line.value)),
    );
    problems
}

/// The ids of the cases with a `case.create` audit row.
fn audited_cases(deployment: &Deployment) -> Vec<String> {
    let keys =
        procap_crypto::Keyring::load(&deployment.data_dir.path().join("procap.key")).unwrap();
    let store = procap_store::Store::open(
        &deployment.database.url,
        Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .unwrap();
    let filter = AuditFilter {
        action: Some("case.create".to_owned()),
        outcome: Some("success".to_owned()),
        ..AuditFilter::default()
    };
    store
        .run_blocking(|db| audit::list(db, &filter, 0, 10_000))
        .unwrap()
        .0
        .into_iter()
        .filter_map(|row| row.object_id)
        .collect()
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    each_backend(|database| {
        let deployment = Deployment::seeded(database);
        let backend = deployment.backend();
        let mut server = deployment.serve("crash");
        let base = server.base.clone();
        let token = api_token(&deployment);

        // One session per client: the first enrols TOTP, the others use
        // its recovery codes.
        let sessions: Vec<Session> = (0..CLIENTS).map(|_| Session::new()).collect();
        let codes = enrol(&sessions[0].browser(&base), "caseworker");
        for (session, code) in sessions[1..].iter().zip(&codes) {
            sign_in_with_recovery(&session.browser(&base), "caseworker", code);
        }

        // Each round: load, SIGKILL once enough cases were acknowledged,
        // restart on the same port (so the clients' cookies and Origin
        // still match).
        let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
        let port = server.port;
        for round in 1..=ROUNDS {
            let stop = Arc::new(AtomicBool::new(false));
            let clients: Vec<_> = sessions
                .iter()
                .enumerate()
                .map(|(number, session)| {
                    let (client, base, token) = (session.raw(), base.clone(), token.clone());
                    let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                    std::thread::spawn(move || {
                        client_loop(round, number, client, base, token, stop, acknowledged)
                    })
                })
                .collect();

            let deadline = Instant::now() + Duration::from_secs(120);
            while acknowledged.lock().unwrap().cases.len() < CASES_PER_ROUND * round {
                assert!(
                    Instant::now() < deadline,
                    "{backend}: the clients made no progress; log:\n{}",
                    server.log()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            server.kill();
            stop.store(true, Ordering::Relaxed);
            for client in clients {
                client.join().expect("a client failed before the kill");
            }
            server = deployment.serve_on("crash", port);
        }

        let acknowledged = acknowledged.lock().unwrap();
        eprintln!(
            "{backend}: {ROUNDS} kills; {} cases, {} page and {} API service records \
             acknowledged; {} writes cut off without an answer",
            acknowledged.cases.len(),
            acknowledged.page_services.len(),
            acknowledged.api_services.len(),
            acknowledged.unanswered
        );

        let api = Client::new();
        for case_id in &acknowledged.cases {
            let response = api
                .get(format!("{}/api/v1/cases/{case_id}", server.base))
                .bearer_auth(&token)
                .send()
                .unwrap();
            assert_eq!(
                response.status(),
                200,
                "{backend}: acknowledged case {case_id} lost"
            );
        }
        for (case_id, marker) in &acknowledged.page_services {
            assert!(
                services_of(&server.base, &token, case_id)
                    .iter()
                    .any(|(_, notes)| notes == marker),
                "{backend}: acknowledged page service record {marker} lost"
            );
        }
        for (case_id, id) in &acknowledged.api_services {
            assert!(
                services_of(&server.base, &token, case_id)
                    .iter()
                    .any(|(found, _)| found == id),
                "{backend}: acknowledged API service record {id} lost"
            );
        }

        // The sessions live in the database, so they outlived the process.
        for session in &sessions {
            let page = session.browser(&server.base).get("/cases");
            assert_eq!(page.status, 200, "{backend}: session lost");
            assert!(page.url.ends_with("/cases"), "{backend}: {}", page.url);
        }

        // The server works on after the restart.
        let client = sessions[0].raw();
        let case = register(&client, &server.base, "μετά")
            .unwrap()
            .unwrap_or_else(|| panic!("{backend}: no registration after the restart"));
        assert!(
            add_page_service(&client, &server.base, &case, "μετά-την-επανεκκίνηση").unwrap(),
            "{backend}"
        );

        // The answer came after the audit row, so each acknowledged case
        // has its `case.create` row.
        let created = audited_cases(&deployment);
        for case_id in &acknowledged.cases {
            assert!(
                created.contains(case_id),
                "{backend}: case {case_id} acknowledged without its audit row"
            );
        }

        drop(server);
        let verify = deployment.cli(&["audit", "verify"]);
        assert!(
            verify.status.success(),
            "{backend}: audit chain broken after the crash: {}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        );
        if backend == "sqlite" {
            let problems = sqlite_problems(&deployment.database);
            assert!(problems.is_empty(), "{backend}: {problems:?}");
        }
    });
}
