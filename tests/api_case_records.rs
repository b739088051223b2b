//! The JSON API for a case's services, consents, referrals and
//! appointments, tested over real HTTP on SQLite and PostgreSQL. The tests
//! cover list totals and pagination, and validation errors in the token
//! owner's language with nothing stored. They check the referral rejected
//! without consent, 404 for another organisation's case, and 403 for
//! trainee, M&E and interpreter tokens on case routes. They also check the
//! interpreter's and escort's own agenda, an audit row for every call, and
//! an OpenAPI document that describes every route.
//!
//! Demo accounts (all fictional): `caseworker`, `coordinator`,
//! `interpreter` and `escort` belong to `KA`; `monitoring` to `EKA`;
//! `trainee` to `KKP`. The test adds `coord2`, a coordinator of `EKA`.

mod common;

use chrono::{Duration, NaiveDate};
use common::{TestServer, each_backend, has_greek};
use procap_store::appointments::{self, NewAppointment};
use procap_store::audit::{self, AuditFilter};
use procap_store::{organisations, users};
use serde_json::{Value, json};

/// Given names of the fictional demo cases; none may reach an agenda.
const DEMO_NAMES: [&str; 4] = ["Αμάρα", "Olena", "Rahim", "Δοκιμαστική"];
const PLACE: &str = "Πολυδύναμο Κέντρο Δοκιμής, αίθουσα 4";

/// Opens a store on the server's database with the server's key ring.
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

fn token(server: &TestServer, username: &str) -> String {
    let output = server.cli(&["token", "create", "--user", username]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Counts the rows in the audit log.
fn audit_total(store: &procap_store::Store) -> i64 {
    store
        .run_blocking(|db| audit::list(db, &AuditFilter::default(), 0, 1))
        .unwrap()
        .1
}

fn audit_rows(server: &TestServer, action: &str) -> Vec<audit::AuditRow> {
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        ..AuditFilter::default()
    };
    store(server)
        .run_blocking(|db| audit::list(db, &filter, 0, 200))
        .unwrap()
        .0
}

/// An API client of one token owner that checks the audit log grows with
/// every call meant to be audited.
struct Api<'a> {
    server: &'a TestServer,
    store: procap_store::Store,
    token: String,
    client: reqwest::blocking::Client,
}

struct Answer {
    status: u16,
    body: Value,
    location: Option<String>,
}

impl<'a> Api<'a> {
    fn new(server: &'a TestServer, username: &str) -> Self {
        Api {
            server,
            store: store(server),
            token: token(server, username),
            client: reqwest::blocking::Client::new(),
        }
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder, audited: bool) -> Answer {
        let before = audit_total(&self.store);
        let response = request.bearer_auth(&self.token).send().unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_owned());
        let text = response.text().unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        let after = audit_total(&self.store);
        if audited {
            assert!(
                after > before,
                "{}: no audit row for a call answered {status}: {text}",
                self.server.backend()
            );
        }
        Answer {
            status,
            body,
            location,
        }
    }

    fn get(&self, path: &str) -> Answer {
        self.send(self.client.get(format!("{}{path}", self.server.base)), true)
    }

    fn get_unaudited(&self, path: &str) -> Answer {
        self.send(
            self.client.get(format!("{}{path}", self.server.base)),
            false,
        )
    }

    fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(
            self.client
                .post(format!("{}{path}", self.server.base))
                .json(body),
            true,
        )
    }
}

/// Returns the id and opening date of the caseworker's first fictional
/// demo case.
fn demo_case(api: &Api<'_>) -> (String, NaiveDate) {
    let answer = api.get("/api/v1/cases?origin=procap");
    assert_eq!(answer.status, 200);
    let case = &answer.body["items"][0];
    (
        case["id"].as_str().expect("a demo case").to_owned(),
        case["opened_on"].as_str().unwrap().parse().unwrap(),
    )
}

fn organisation_id(server: &TestServer, prefix: &str) -> String {
    store(server)
        .run_blocking(organisations::list)
        .unwrap()
        .into_iter()
        .find(|organisation| organisation.case_code_prefix == prefix)
        .expect("demo organisation")
        .id
}

fn today() -> NaiveDate {
    common::athens_today()
}

fn field_names(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| error["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn service(date: NaiveDate, note: &str) -> Value {
    json!({
        "line": "case_management",
        "occurred_on": date.format("%Y-%m-%d").to_string(),
        "duration_minutes": 30,
        "beneficiary_present": true,
        "session_type": "follow_up",
        "notes": note,
    })
}

#[test]
fn service_log_pages_and_validation() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let api = Api::new(&server, "caseworker");
        let (case_id, opened_on) = demo_case(&api);
        let path = format!("/api/v1/cases/{case_id}/services");
        let day = today().max(opened_on);

        let before = api.get(&path);
        assert_eq!(before.status, 200, "{backend}: {}", before.body);
        let existing = before.body["total"].as_i64().unwrap();

        for index in 0..3 {
            let answer = api.post(&path, &service(day, &format!("Σημείωμα API {index}")));
            assert_eq!(answer.status, 201, "{backend}: {}", answer.body);
            assert!(answer.body["id"].is_string(), "{backend}");
            assert_eq!(answer.location.as_deref(), Some(path.as_str()), "{backend}");
        }
        assert_eq!(
            audit_rows(&server, "case.service.create").len(),
            3,
            "{backend}"
        );
        let total = existing + 3;

        // Two pages of two: the total over all pages, disjoint rows.
        let first = api.get(&format!("{path}?limit=2"));
        assert_eq!(first.status, 200, "{backend}");
        assert_eq!(first.body["total"], total, "{backend}");
        assert_eq!(first.body["limit"], 2, "{backend}");
        assert_eq!(first.body["offset"], 0, "{backend}");
        let first_ids: Vec<Value> = first.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].clone())
            .collect();
        assert_eq!(first_ids.len(), 2, "{backend}");
        let second = api.get(&format!("{path}?limit=2&page=2"));
        assert_eq!(second.body["offset"], 2, "{backend}");
        let second_items = second.body["items"].as_array().unwrap();
        assert_eq!(second_items.len() as i64, (total - 2).min(2), "{backend}");
        assert!(
            second_items
                .iter()
                .all(|item| !first_ids.contains(&item["id"])),
            "{backend}: pages overlap"
        );
        let by_offset = api.get(&format!("{path}?limit=2&offset=2"));
        assert_eq!(by_offset.body["items"], second.body["items"], "{backend}");
        // The caseworker records case management, so the notes are returned.
        let newest = &first.body["items"][0];
        assert_eq!(newest["line"], "case_management", "{backend}");
        assert!(
            newest["notes"]
                .as_str()
                .is_some_and(|notes| notes.starts_with("Σημείωμα API")),
            "{backend}: {newest}"
        );
        assert_eq!(newest["details"]["session_type"], "follow_up", "{backend}");

        // Bad paging: 400 in the owner's language (Greek), nothing read.
        for query in [
            "limit=0",
            "limit=501",
            "offset=-1",
            "page=0",
            "offset=2&page=2",
        ] {
            let answer = api.get_unaudited(&format!("{path}?{query}"));
            assert_eq!(answer.status, 400, "{backend}: {query}");
            assert_eq!(answer.body["code"], "invalid_page", "{backend}");
            assert!(
                has_greek(answer.body["message"].as_str().unwrap()),
                "{backend}"
            );
        }

        // Validation: the form's rules, every bad field named, nothing stored.
        let mut bad = service(today() + Duration::days(2), "δεν αποθηκεύεται");
        bad["duration_minutes"] = json!(0);
        bad["session_type"] = json!("");
        let answer = api.post(&path, &bad);
        assert_eq!(answer.status, 422, "{backend}: {}", answer.body);
        assert_eq!(answer.body["code"], "invalid", "{backend}");
        let fields = field_names(&answer.body);
        for field in ["occurred_on", "duration_minutes", "session_type"] {
            assert!(
                fields.iter().any(|name| name == field),
                "{backend}: {fields:?}"
            );
        }
        assert!(
            answer.body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .all(|error| has_greek(error["message"].as_str().unwrap())),
            "{backend}: {}",
            answer.body
        );
        let mut before_opening = service(opened_on - Duration::days(1), "πριν το άνοιγμα");
        before_opening["beneficiary_present"] = json!("no");
        let answer = api.post(&path, &before_opening);
        assert_eq!(field_names(&answer.body), vec!["occurred_on"], "{backend}");
        let mut unknown_line = service(day, "");
        unknown_line["line"] = json!("astrology");
        let answer = api.post(&path, &unknown_line);
        assert_eq!(answer.status, 422, "{backend}");
        assert_eq!(field_names(&answer.body), vec!["line"], "{backend}");
        // A field the form does not have, and a value of the wrong shape.
        let mut extra = service(day, "");
        extra["given_name"] = json!("Δοκιμή");
        let answer = api.post(&path, &extra);
        assert_eq!(answer.status, 422, "{backend}");
        assert_eq!(answer.body["code"], "invalid_body", "{backend}");
        let mut nested = service(day, "");
        nested["notes"] = json!(["a", "b"]);
        assert_eq!(api.post(&path, &nested).body["code"], "invalid_body");
        let raw = api.send(
            api.client
                .post(format!("{}{path}", server.base))
                .body("line=case_management"),
            true,
        );
        assert_eq!(raw.status, 415, "{backend}");
        assert_eq!(raw.body["code"], "unsupported_media_type", "{backend}");
        assert_eq!(
            api.get(&path).body["total"],
            total,
            "{backend}: a rejected record was stored"
        );

        // The same errors in English once the owner switches language.
        store(&server)
            .run_blocking(|db| {
                let user = users::find_by_username(db, "caseworker")?.unwrap();
                users::set_locale(db, &user.id, "en")
            })
            .unwrap();
        let answer = api.post(&path, &bad);
        assert_eq!(answer.status, 422, "{backend}");
        let message = answer.body["message"].as_str().unwrap();
        assert!(!has_greek(message), "{backend}: {message}");
        assert!(message.contains("not valid"), "{backend}: {message}");

        // The organisation's coordinator records on any of its cases.
        let coordinator = Api::new(&server, "coordinator");
        assert_eq!(coordinator.post(&path, &service(day, "")).status, 201);
        let api_log = server.log();
        assert!(
            !api_log.contains("Σημείωμα API"),
            "{backend}: notes reached the server log"
        );
    });
}

#[test]
fn referral_consent_and_withdrawal() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let api = Api::new(&server, "caseworker");
        let (case_id, _) = demo_case(&api);
        let eka = organisation_id(&server, "EKA");
        let referrals_path = format!("/api/v1/cases/{case_id}/referrals");
        let consents_path = format!("/api/v1/cases/{case_id}/consents");
        let referral = json!({
            "to_organisation_id": eka,
            "service_line": "legal",
            "reason": "Χρειάζεται νομική συνδρομή (δοκιμή)",
        });

        let listed = api.get(&referrals_path);
        assert_eq!(listed.status, 200, "{backend}: {}", listed.body);
        let referrals_before = listed.body["total"].as_i64().unwrap();

        // No sharing consent: refused with a JSON error, nothing stored.
        let answer = api.post(&referrals_path, &referral);
        assert_eq!(answer.status, 422, "{backend}: {}", answer.body);
        assert_eq!(answer.body["code"], "no_consent", "{backend}");
        assert_eq!(field_names(&answer.body), vec!["to_organisation_id"]);
        assert!(has_greek(answer.body["message"].as_str().unwrap()));
        assert_eq!(
            api.get(&referrals_path).body["total"],
            referrals_before,
            "{backend}"
        );
        let denied = audit_rows(&server, "case.referral.send");
        assert!(
            denied
                .iter()
                .any(|row| row.outcome == "denied" && row.details.contains("no_consent")),
            "{backend}: {denied:?}"
        );

        // An unknown recipient and service: the form's field errors.
        let answer = api.post(
            &referrals_path,
            &json!({ "to_organisation_id": "nowhere", "service_line": "x" }),
        );
        assert_eq!(answer.status, 422, "{backend}");
        assert_eq!(answer.body["code"], "invalid", "{backend}");
        assert_eq!(
            field_names(&answer.body),
            vec!["to_organisation_id", "service_line"],
            "{backend}"
        );

        // Consents: sharing needs a recipient; then the consent is recorded.
        let consent = json!({
            "purpose": "sharing",
            "given": true,
            "recorded_on": today().format("%Y-%m-%d").to_string(),
            "language": "fa",
        });
        let answer = api.post(&consents_path, &consent);
        assert_eq!(answer.status, 422, "{backend}: {}", answer.body);
        assert_eq!(
            field_names(&answer.body),
            vec!["recipient_organisation_id"],
            "{backend}"
        );
        let mut with_recipient = consent.clone();
        with_recipient["recipient_organisation_id"] = json!(eka);
        let answer = api.post(&consents_path, &with_recipient);
        assert_eq!(answer.status, 201, "{backend}: {}", answer.body);
        let consent_id = answer.body["id"].as_str().unwrap().to_owned();
        let listed = api.get(&consents_path);
        assert_eq!(listed.status, 200, "{backend}");
        let item = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["id"] == consent_id.as_str())
            .expect("the recorded consent")
            .clone();
        assert_eq!(item["recipient_organisation_id"], eka.as_str());
        assert_eq!(item["language"], "fa");
        assert!(item["withdrawn_on"].is_null());

        // With consent the referral goes.
        let answer = api.post(&referrals_path, &referral);
        assert_eq!(answer.status, 201, "{backend}: {}", answer.body);
        assert_eq!(answer.body["consent_overridden"], false, "{backend}");
        let listed = api.get(&referrals_path);
        assert_eq!(listed.body["total"], referrals_before + 1, "{backend}");
        let sent = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["id"] == answer.body["id"])
            .expect("the sent referral")
            .clone();
        assert_eq!(sent["status"], "sent", "{backend}");
        assert_eq!(sent["to_organisation_id"], eka.as_str(), "{backend}");

        // Withdrawal: once, then 404.
        let withdraw = format!("{consents_path}/{consent_id}/withdraw");
        let answer = api.post(&withdraw, &json!({}));
        assert_eq!(answer.status, 200, "{backend}: {}", answer.body);
        assert!(answer.body["withdrawn_on"].is_string(), "{backend}");
        let answer = api.post(&withdraw, &json!({}));
        assert_eq!(answer.status, 404, "{backend}");
        assert_eq!(answer.body["code"], "not_found", "{backend}");

        // An M&E token records nothing.
        let monitoring = Api::new(&server, "monitoring");
        let answer = monitoring.post(&consents_path, &with_recipient);
        assert_eq!(answer.status, 403, "{backend}");
    });
}

/// Adds `coord2`, a coordinator of `EKA`.
fn add_other_coordinator(server: &TestServer) {
    let output = server.cli(&[
        "user",
        "add",
        "coord2",
        "--role",
        "coordinator",
        "--organisation",
        "EKA",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Books the demo interpreter and the demo escort for the case, two hours
/// apart, on `day` (UTC).
fn book_interpreter_and_escort(server: &TestServer, case_id: &str, day: NaiveDate) {
    store(server)
        .run_blocking(|db| {
            let caseworker = users::find_by_username(db, "caseworker")?.unwrap();
            let interpreter = users::find_by_username(db, "interpreter")?.unwrap();
            let escort = users::find_by_username(db, "escort")?.unwrap();
            appointments::book(
                db,
                &NewAppointment {
                    case_id,
                    kind: appointments::KIND_INTERPRETATION,
                    staff_user_id: &interpreter.id,
                    starts_at: day.and_hms_opt(8, 0, 0).unwrap(),
                    duration_minutes: 60,
                    place: PLACE,
                    language: Some("en"),
                    dialect: None,
                    preferred_gender: None,
                    requested_by: &caseworker.id,
                },
            )?;
            appointments::book(
                db,
                &NewAppointment {
                    case_id,
                    kind: appointments::KIND_ESCORT,
                    staff_user_id: &escort.id,
                    starts_at: day.and_hms_opt(10, 0, 0).unwrap(),
                    duration_minutes: 90,
                    place: PLACE,
                    language: None,
                    dialect: None,
                    preferred_gender: None,
                    requested_by: &caseworker.id,
                },
            )
        })
        .unwrap();
}

#[test]
fn case_access_and_own_agenda() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let backend = server.backend();
        let caseworker = Api::new(&server, "caseworker");
        let (case_id, _) = demo_case(&caseworker);
        let case_paths = ["services", "consents", "referrals", "appointments"]
            .map(|part| format!("/api/v1/cases/{case_id}/{part}"));

        // Trainee, M&E and interpreter tokens: 403 on every case route.
        for username in ["trainee", "monitoring", "interpreter"] {
            let api = Api::new(&server, username);
            for path in &case_paths {
                let answer = api.get(path);
                assert_eq!(answer.status, 403, "{backend}: {username} {path}");
                assert_eq!(answer.body["code"], "forbidden", "{backend}");
                assert!(has_greek(answer.body["message"].as_str().unwrap()));
            }
            let answer = api.post(&case_paths[0], &service(today(), ""));
            assert_eq!(answer.status, 403, "{backend}: {username}");
        }

        // Another organisation's coordinator: 404, the id is not confirmed,
        // and the refusal is audited.
        add_other_coordinator(&server);
        let other = Api::new(&server, "coord2");
        for path in &case_paths {
            let answer = other.get(path);
            assert_eq!(answer.status, 404, "{backend}: {path}");
            assert_eq!(answer.body["code"], "not_found", "{backend}");
        }
        let answer = other.post(&case_paths[0], &service(today(), ""));
        assert_eq!(answer.status, 404, "{backend}");
        let answer = other.post(&format!("{}/x/withdraw", case_paths[1]), &json!({}));
        assert_eq!(answer.status, 404, "{backend}");
        let refused = audit_rows(&server, "case.service.list");
        assert!(
            refused.iter().any(|row| row.outcome == "denied"
                && row.actor_username.as_deref() == Some("coord2")
                && row.details.contains("api")),
            "{backend}: {refused:?}"
        );
        // An unknown case returns the same 404 as an unreachable one.
        let unknown = caseworker.get("/api/v1/cases/no-such-case/consents");
        assert_eq!(unknown.status, 404, "{backend}");

        // Agendas: each person gets only their own appointment, with the
        // case code and no name.
        let day = today() + Duration::days(2);
        book_interpreter_and_escort(&server, &case_id, day);
        let listed = caseworker.get(&case_paths[3]);
        assert_eq!(listed.status, 200, "{backend}: {}", listed.body);
        assert_eq!(listed.body["total"], 2, "{backend}");
        let period = format!(
            "/api/v1/appointments?from={}&to={}",
            today().format("%Y-%m-%d"),
            (day + Duration::days(1)).format("%Y-%m-%d")
        );
        for (username, kind) in [("interpreter", "interpretation"), ("escort", "escort")] {
            let api = Api::new(&server, username);
            let answer = api.get(&period);
            assert_eq!(answer.status, 200, "{backend}: {}", answer.body);
            let items = answer.body["items"].as_array().unwrap();
            assert_eq!(items.len(), 1, "{backend}: {username}: {items:?}");
            let item = &items[0];
            assert_eq!(item["kind"], kind, "{backend}");
            assert_eq!(item["place"], PLACE, "{backend}");
            assert!(
                item["case_code"]
                    .as_str()
                    .is_some_and(|code| !code.is_empty()),
                "{backend}"
            );
            let mut keys: Vec<&str> = item
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                [
                    "case_code",
                    "dialect",
                    "ends_at",
                    "id",
                    "kind",
                    "language",
                    "place",
                    "starts_at",
                    "status"
                ],
                "{backend}"
            );
            let text = answer.body.to_string();
            for name in DEMO_NAMES {
                assert!(!text.contains(name), "{backend}: {username} sees {name}");
            }
            assert!(!text.contains(&case_id), "{backend}: case id on the agenda");
            // Outside the period: nothing.
            let before = api.get(&format!(
                "/api/v1/appointments?from={}&to={}",
                (day - Duration::days(20)).format("%Y-%m-%d"),
                (day - Duration::days(10)).format("%Y-%m-%d")
            ));
            assert_eq!(before.body["total"], 0, "{backend}");
            let bad = api.get_unaudited("/api/v1/appointments?from=2026-01-01&to=2026-12-31");
            assert_eq!(bad.status, 400, "{backend}");
            assert_eq!(bad.body["code"], "invalid_period", "{backend}");
        }
        let views = audit_rows(&server, "appointment.agenda.view");
        assert!(views.len() >= 4, "{backend}: {views:?}");
        // Case staff have no agenda.
        assert_eq!(caseworker.get("/api/v1/appointments").status, 403);

        check_openapi(&server);
    });
}

/// Reads the `(method, path)` pairs that `crates/web/src/api/mod.rs`
/// routes from its source, so that a new route cannot escape the check.
fn routed_api_paths() -> Vec<(String, String)> {
    let source = include_str!("../crates/web/src/api/mod.rs");
    let start = source.find("pub fn routes()").expect("the routes function");
    let body = &source[start..];
    let body = &body[..body.find("\n}").expect("end of routes")];
    let mut routes = Vec::new();
    for call in body.split(".route(").skip(1) {
        let path = call.split('"').nth(1).expect("a route path").to_owned();
        for method in ["get", "post", "put", "patch", "delete"] {
            let token = format!("{method}(");
            let found = call.match_indices(&token).any(|(index, _)| {
                index == 0
                    || !call[..index]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if found {
                routes.push((method.to_owned(), path.clone()));
            }
        }
    }
    routes
}

/// Collects every `$ref` of the document.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "$ref" {
                    found.push(value.as_str().unwrap().to_owned());
                } else {
                    refs(value, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

fn check_openapi(server: &TestServer) {
    let backend = server.backend();
    let spec: Value = reqwest::blocking::get(format!("{}/api/v1/openapi.json", server.base))
        .unwrap()
        .json()
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    assert!(
        spec["info"]["title"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(
        spec["info"]["version"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
    );
    let paths = spec["paths"].as_object().expect("paths");

    // Every route is documented, and every documented operation is routed.
    let routed = routed_api_paths();
    for expected in [
        ("get", "/api/v1/cases/{id}/services"),
        ("post", "/api/v1/cases/{id}/services"),
        ("get", "/api/v1/cases/{id}/consents"),
        ("post", "/api/v1/cases/{id}/consents"),
        ("post", "/api/v1/cases/{id}/consents/{consent_id}/withdraw"),
        ("get", "/api/v1/cases/{id}/referrals"),
        ("post", "/api/v1/cases/{id}/referrals"),
        ("get", "/api/v1/cases/{id}/appointments"),
        ("get", "/api/v1/appointments"),
        ("get", "/api/v1/courses"),
        ("get", "/api/v1/courses/{id}"),
        ("get", "/api/v1/courses/{id}/enrolments"),
        ("post", "/api/v1/courses/{id}/enrolments"),
        ("get", "/api/v1/attempts"),
        ("get", "/api/v1/sessions"),
        ("get", "/api/v1/sessions/{id}"),
        ("get", "/api/v1/certificates"),
    ] {
        assert!(
            routed
                .iter()
                .any(|(method, path)| method == expected.0 && path == expected.1),
            "route source not read: {expected:?} in {routed:?}"
        );
    }
    for (method, path) in &routed {
        if path == "/api/v1/openapi.json" {
            continue;
        }
        assert!(
            paths
                .get(path)
                .and_then(|item| item.get(method))
                .is_some_and(Value::is_object),
            "{backend}: {method} {path} is not in the OpenAPI document"
        );
    }
    let mut operation_ids = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                routed.iter().any(|(m, p)| m == method && p == path),
                "{method} {path} is documented but not routed"
            );
            // Responses, each with a description.
            let responses = operation["responses"].as_object().expect("responses");
            assert!(!responses.is_empty(), "{method} {path}: no responses");
            for (status, response) in responses {
                assert!(
                    response["description"].is_string(),
                    "{method} {path} {status}: no description"
                );
            }
            if let Some(id) = operation["operationId"].as_str() {
                assert!(
                    !operation_ids.contains(&id.to_owned()),
                    "operationId {id} twice"
                );
                operation_ids.push(id.to_owned());
            }
            // Every `{param}` of the path is a required path parameter.
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .map(|parameters| {
                    parameters
                        .iter()
                        .filter(|p| p["in"] == "path" && p["required"] == true)
                        .map(|p| p["name"].as_str().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            for segment in path.split('/') {
                if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    assert!(
                        declared.contains(&name),
                        "{method} {path}: path parameter {name} not declared"
                    );
                }
            }
        }
    }
    // Every reference resolves.
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(!found.is_empty());
    for reference in found {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {reference}"));
        assert!(
            spec["components"]["schemas"][name].is_object(),
            "{reference} does not resolve"
        );
    }
}
