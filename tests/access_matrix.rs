//! The access matrix, over real HTTP on SQLite and PostgreSQL: every route
//! of `procap_web::route_table()` is tried by every role, on a case of the
//! user's own organisation and of another one, assigned and not, sealed and
//! not, and the answer must be the one `access_matrix/matrix.txt` gives. A
//! route without an entry there fails the test by name.
//!
//! What "allowed" and "denied" mean:
//! - allowed: any answer but 401, 403, 404, a redirect to the login page or
//!   a server error (a 400 or 422 for the test's empty form is fine: the
//!   request got past the access checks);
//! - denied: 403 or 404 for a signed-in user (401 or a redirect to the login
//!   page for anyone else), without the person's name in the body; a case
//!   of the user's own organisation that the user could open but for its
//!   seal or assignment answers with the break-glass page.
//!
//! Subjects: nobody signed in, the ten demo accounts (organisation `KA`
//! for case roles, `KKP` for training, `EKA` for monitoring), and four
//! added here: `cw2` (caseworker of `KA`, not assigned), `coord_a`
//! (coordinator of `KA`, assigned), `coord2` (coordinator of `EKA`) and
//! `cwx` (caseworker of `EKA`, assigned to the case of `KA`, which must not
//! let them in). The case is registered by the test and assigned to the
//! demo caseworker, psychologist, lawyer, interpreter and escort; the test
//! then seals it and tries the case routes again.
//!
//! Further checks on the same server: guessed and incremented ids, another
//! user's API token, a revoked token, a logged-out or expired session, and
//! the session of a disabled user. All data is invented.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use common::{DEMO_PASSWORD, TestServer, each_backend};
use procap_domain::role::Role;
use procap_store::{Store, case_records, cases, organisations, protection, tokens, users};
use reqwest::blocking::{Client, RequestBuilder, Response};

const MATRIX: &str = include_str!("access_matrix/matrix.txt");

/// The policy of the sign-in steps: the test checks only that they do not
/// fail or leak, because with its empty forms every caller is sent back to
/// the login page.
const ANY: &str = "any";

const GIVEN_NAME: &str = "Ωκεανίδα";
const FAMILY_NAME: &str = "Πινακοθήκη";
const OTHER_GIVEN_NAME: &str = "Ζαφειρένια";

/// An id that no record has.
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

// --- The matrix ----------------------------------------------------------------

/// Where a subject stands towards the case a record route opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Situation {
    OwnAssigned,
    OwnUnassigned,
    OtherAssigned,
    OtherUnassigned,
    SealedAssigned,
    SealedUnassigned,
}

impl Situation {
    fn parse(name: &str) -> Situation {
        match name {
            "own-assigned" => Situation::OwnAssigned,
            "own-unassigned" => Situation::OwnUnassigned,
            "other-assigned" => Situation::OtherAssigned,
            "other-unassigned" => Situation::OtherUnassigned,
            "sealed-assigned" => Situation::SealedAssigned,
            "sealed-unassigned" => Situation::SealedUnassigned,
            other => panic!("matrix: unknown situation {other}"),
        }
    }
}

/// Who a policy lets in: roles in every situation, and roles per situation
/// (record routes only). `None` stands for nobody signed in.
#[derive(Debug, Default)]
struct Policy {
    always: HashSet<Option<Role>>,
    by_situation: BTreeMap<Situation, HashSet<Option<Role>>>,
}

impl Policy {
    fn allows(&self, role: Option<Role>, situation: Option<Situation>) -> bool {
        self.always.contains(&role)
            || situation
                .and_then(|situation| self.by_situation.get(&situation))
                .is_some_and(|roles| roles.contains(&role))
    }
}

/// One line of the matrix: a route, its policy and how to call it.
#[derive(Debug)]
struct Entry {
    method: String,
    path: String,
    policy: String,
    /// Send an empty multipart body instead of an empty form.
    multipart: bool,
    /// Changes the caller's own session: tried after everything else.
    last: bool,
    /// Send `{}` as JSON instead of an empty form.
    json: bool,
    /// The first allowed call uses the record up, so later allowed calls
    /// may meet a 404 or 409.
    once: bool,
    /// A query string to add, e.g. `format=csv`.
    query: Option<String>,
    /// A form body to send instead of an empty one, e.g. `present=yes`.
    form: Option<String>,
}

struct Matrix {
    policies: BTreeMap<String, Policy>,
    entries: Vec<Entry>,
}

fn parse_roles(list: &str) -> HashSet<Option<Role>> {
    let mut roles = HashSet::new();
    if list == "-" {
        return roles;
    }
    for name in list.split(',') {
        match name {
            "*" => roles.extend(Role::ALL.map(Some)),
            "anonymous" => {
                roles.insert(None);
            }
            name => {
                roles.insert(Some(
                    Role::parse(name).unwrap_or_else(|| panic!("matrix: unknown role {name}")),
                ));
            }
        }
    }
    roles
}

fn parse_matrix(text: &str) -> Matrix {
    let mut policies = BTreeMap::new();
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words[0] == "policy" {
            let mut policy = Policy::default();
            for clause in &words[2..] {
                match clause.split_once('=') {
                    Some((situation, roles)) => {
                        policy
                            .by_situation
                            .entry(Situation::parse(situation))
                            .or_default()
                            .extend(parse_roles(roles));
                    }
                    None => policy.always.extend(parse_roles(clause)),
                }
            }
            assert!(
                policies.insert(words[1].to_owned(), policy).is_none(),
                "matrix: policy {} twice",
                words[1]
            );
            continue;
        }
        assert!(words.len() >= 3, "matrix: short line {line:?}");
        let flags = &words[3..];
        let value = |name: &str| {
            flags
                .iter()
                .find_map(|flag| flag.strip_prefix(name))
                .map(str::to_owned)
        };
        let entry = Entry {
            method: words[0].to_owned(),
            path: words[1].to_owned(),
            policy: words[2].to_owned(),
            multipart: flags.contains(&"multipart"),
            last: flags.contains(&"last"),
            json: flags.contains(&"json"),
            once: flags.contains(&"once"),
            query: value("query="),
            form: value("form="),
        };
        assert!(
            entry.policy == ANY || policies.contains_key(&entry.policy),
            "matrix: {} {} names unknown policy {}",
            entry.method,
            entry.path,
            entry.policy
        );
        entries.push(entry);
    }
    Matrix { policies, entries }
}

/// Whether `path` opens one case record, and so depends on the situation.
fn is_record_route(path: &str) -> bool {
    path.starts_with("/cases/{id}") || path.starts_with("/api/v1/cases/{id}")
}

#[test]
fn every_route_has_an_entry_in_the_matrix() {
    let matrix = parse_matrix(MATRIX);
    let routed: BTreeSet<(String, String)> = procap_web::route_table()
        .into_iter()
        .map(|route| (route.method.to_string(), route.path))
        .collect();
    let listed: BTreeSet<(String, String)> = matrix
        .entries
        .iter()
        .map(|entry| (entry.method.clone(), entry.path.clone()))
        .collect();
    assert_eq!(
        listed.len(),
        matrix.entries.len(),
        "a route is listed twice in the access matrix"
    );
    let missing: Vec<String> = routed
        .difference(&listed)
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in tests/access_matrix/matrix.txt (add one line \
         per route with the policy that says who may call it):\n{}",
        missing.join("\n")
    );
    let stale: Vec<String> = listed
        .difference(&routed)
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert!(
        stale.is_empty(),
        "entries of tests/access_matrix/matrix.txt that no route has:\n{}",
        stale.join("\n")
    );
}

// --- Subjects ------------------------------------------------------------------

struct Subject {
    name: &'static str,
    role: Option<Role>,
    /// Works in the case's organisation.
    own: bool,
    /// Assigned to the case.
    assigned: bool,
    client: Client,
    token: Option<String>,
}

impl Subject {
    fn situation(&self, sealed: bool) -> Situation {
        match (self.own, self.assigned, sealed) {
            (false, true, _) => Situation::OtherAssigned,
            (false, false, _) => Situation::OtherUnassigned,
            (true, true, false) => Situation::OwnAssigned,
            (true, false, false) => Situation::OwnUnassigned,
            (true, true, true) => Situation::SealedAssigned,
            (true, false, true) => Situation::SealedUnassigned,
        }
    }
}

/// A client that keeps cookies and does not follow redirects, so a
/// redirect to the login page is seen as such.
fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn sign_in(server: &TestServer, username: &str) -> Client {
    let client = client();
    let response = client
        .post(format!("{}/login", server.base))
        .header("Origin", &server.base)
        .form(&[("username", username), ("password", DEMO_PASSWORD)])
        .send()
        .unwrap();
    assert!(
        response.status().is_redirection(),
        "{}: {username} cannot sign in: {}",
        server.backend(),
        response.status()
    );
    let home = client.get(format!("{}/", server.base)).send().unwrap();
    assert_eq!(home.status(), 200, "{}: {username}", server.backend());
    client
}

fn store(server: &TestServer) -> Store {
    let keys = procap_crypto::Keyring::load(&server.data_dir.path().join("procap.key"))
        .expect("the server's key file");
    Store::open(
        &server.database.url,
        std::sync::Arc::new(keys),
        &procap_store::PoolOptions::default(),
    )
    .expect("open the server's database")
}

/// A new API token for `user_id`, valid for a day.
fn new_token(store: &Store, user_id: &str, name: &str) -> (String, String) {
    let token = format!("pcp_{}", uuid::Uuid::new_v4().simple());
    let hash = procap_crypto::hash_secret(&token);
    let user_id = user_id.to_owned();
    let name = name.to_owned();
    let created = store
        .run_blocking(move |db| {
            tokens::create(
                db,
                &user_id,
                &name,
                &hash,
                procap_store::now() + chrono::Duration::days(1),
            )
        })
        .unwrap();
    (token, created.id)
}

// --- The fixture ---------------------------------------------------------------

struct Fixture {
    case_id: String,
    other_case_id: String,
    /// Concrete values for path parameters, by route pattern.
    filled: BTreeMap<String, String>,
}

fn organisation_id(store: &Store, prefix: &str) -> String {
    let prefix = prefix.to_owned();
    store
        .run_blocking(move |db| {
            Ok(organisations::list(db)?
                .into_iter()
                .find(|organisation| organisation.case_code_prefix == prefix)
                .expect("demo organisation")
                .id)
        })
        .unwrap()
}

fn add_user(store: &Store, username: &str, role: Role, organisation_id: &str) -> String {
    let hash = procap_crypto::hash_password(DEMO_PASSWORD);
    let username = username.to_owned();
    let organisation_id = organisation_id.to_owned();
    store
        .run_blocking(move |db| {
            Ok(users::create(
                db,
                &users::NewUser {
                    organisation_id: &organisation_id,
                    username: &username,
                    display_name: "Δοκιμαστικός Χρήστης",
                    email: None,
                    role: role.as_str(),
                    password_hash: &hash,
                    must_change_password: false,
                    locale: "el",
                },
            )?
            .id)
        })
        .unwrap()
}

fn user_id(store: &Store, username: &str) -> String {
    let username = username.to_owned();
    store
        .run_blocking(move |db| Ok(users::find_by_username(db, &username)?.expect("user").id))
        .unwrap()
}

fn register(
    store: &Store,
    organisation_id: &str,
    prefix: &str,
    created_by: &str,
    given: &str,
) -> String {
    let organisation_id = organisation_id.to_owned();
    let prefix = prefix.to_owned();
    let created_by = created_by.to_owned();
    let given = given.to_owned();
    store
        .run_blocking(move |db| {
            let today = chrono::Utc::now().date_naive();
            Ok(cases::register(
                db,
                cases::Registration {
                    organisation_id: &organisation_id,
                    case_code_prefix: &prefix,
                    created_by: &created_by,
                    person: cases::PersonDetails {
                        given_name: given,
                        family_name: Some(FAMILY_NAME.to_owned()),
                        ..Default::default()
                    },
                    attributes: cases::PersonAttributes {
                        sex: "female".to_owned(),
                        citizenships: "NG".to_owned(),
                        languages: "en".to_owned(),
                        legal_status: "asylum_seeker".to_owned(),
                        ..Default::default()
                    },
                    case: cases::CaseAttributes {
                        region: "attica".to_owned(),
                        setting: "urban_area".to_owned(),
                        exploitation_types: "sexual_exploitation".to_owned(),
                        countries_exploitation: "GR".to_owned(),
                        opened_on: today,
                        ..Default::default()
                    },
                    intake: cases::IntakeReferral {
                        source: "ngo".to_owned(),
                        referred_on: today,
                        referring_contact: None,
                        reason: None,
                    },
                },
            )?
            .id)
        })
        .unwrap()
}

/// Registers the cases, assigns the staff and gives the case of `KA` one
/// record of each kind the case pages link to.
fn build_fixture(server: &TestServer, store: &Store) -> Fixture {
    let ka = organisation_id(store, "KA");
    let eka = organisation_id(store, "EKA");
    let caseworker = user_id(store, "caseworker");
    let case_id = register(store, &ka, "KA", &caseworker, GIVEN_NAME);
    let coord2 = user_id(store, "coord2");
    let other_case_id = register(store, &eka, "EKA", &coord2, OTHER_GIVEN_NAME);

    let ids: Vec<String> = [
        "caseworker",
        "psychologist",
        "lawyer",
        "interpreter",
        "escort",
        "coord_a",
        "cwx",
    ]
    .iter()
    .map(|name| user_id(store, name))
    .collect();
    let interpreter = user_id(store, "interpreter");
    let case = case_id.clone();
    store
        .run_blocking(move |db| {
            for id in &ids {
                case_records::assign(db, &case, id)?;
            }
            let today = chrono::Utc::now().date_naive();
            case_records::record_screening(
                db,
                &case_records::NewScreening {
                    case_id: &case,
                    age_group: "adult",
                    exploitation_form: "sexual",
                    indicators: "",
                    trafficking_indicated: false,
                    positive_dimensions: "",
                    notes: None,
                    screened_by: &caseworker,
                },
            )?;
            case_records::record_consent(
                db,
                &case_records::NewConsent {
                    case_id: &case,
                    purpose: "sharing",
                    recipient_organisation_id: None,
                    given: true,
                    recorded_on: today,
                    language: "el",
                    recorded_by: &caseworker,
                },
            )?;
            procap_store::plan::add_goal(
                db,
                &case,
                &caseworker,
                &procap_store::plan::GoalFields {
                    support_type: "legal",
                    description: "Αίτηση άδειας διαμονής",
                    responsible_user_id: &caseworker,
                    agreed_on: today,
                    due_on: today + chrono::Duration::days(60),
                    next_review_on: None,
                },
            )?;
            procap_store::appointments::book(
                db,
                &procap_store::appointments::NewAppointment {
                    case_id: &case,
                    kind: procap_store::appointments::KIND_INTERPRETATION,
                    staff_user_id: &interpreter,
                    starts_at: (today + chrono::Duration::days(3))
                        .and_hms_opt(9, 0, 0)
                        .unwrap(),
                    duration_minutes: 60,
                    place: "Γραφείο δοκιμών",
                    language: Some("en"),
                    dialect: None,
                    preferred_gender: None,
                    requested_by: &caseworker,
                },
            )?;
            procap_store::followups::schedule(db, &case, today, &[3])?;
            Ok(())
        })
        .unwrap();

    let mut fixture = Fixture {
        case_id,
        other_case_id,
        filled: BTreeMap::new(),
    };
    harvest(server, &mut fixture);
    fixture
}

// --- Path parameters -----------------------------------------------------------

/// Whether the concrete `path` fits the route `pattern`.
fn fits(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    for (index, part) in pattern.iter().enumerate() {
        if part.starts_with("{*") {
            return path.len() > index && !path[index].is_empty();
        }
        let Some(actual) = path.get(index) else {
            return false;
        };
        let literal = !(part.starts_with('{') && part.ends_with('}'));
        if (literal && part != actual) || (!literal && actual.is_empty()) {
            return false;
        }
    }
    pattern.len() == path.len()
}

/// The links and form targets of an HTML page, without query or fragment.
fn links(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "action=\""] {
        for (index, _) in body.match_indices(attribute) {
            let rest = &body[index + attribute.len()..];
            let Some(end) = rest.find('"') else { continue };
            let link = rest[..end].replace("&amp;", "&");
            let link = link.split(['?', '#']).next().unwrap_or("").to_owned();
            if link.starts_with('/') && !link.starts_with("//") {
                found.push(link);
            }
        }
    }
    found
}

/// Walks the pages a few users reach and keeps, for each route pattern with
/// parameters, the first concrete path that fits it: so path parameters
/// are filled with ids that exist and belong together.
fn harvest(server: &TestServer, fixture: &mut Fixture) {
    let patterns: Vec<String> = procap_web::route_table()
        .into_iter()
        .map(|route| route.path)
        .collect();
    let case_prefix = format!("/cases/{}", fixture.case_id);
    let walks: [(&str, Vec<String>); 5] = [
        ("coord_a", vec![case_prefix.clone()]),
        (
            "trainer",
            vec![
                "/training/manage/courses".into(),
                "/training/manage/sessions".into(),
                "/training/manage/certificates".into(),
                "/training/manage/invitations".into(),
            ],
        ),
        (
            "trainee",
            vec![
                "/training".into(),
                "/training/courses".into(),
                "/training/certificates".into(),
            ],
        ),
        (
            "admin",
            vec![
                "/admin/users".into(),
                "/admin/sessions".into(),
                "/admin/translations".into(),
                "/reports/amif".into(),
            ],
        ),
        ("interpreter", vec!["/agenda".into()]),
    ];
    for (username, starts) in walks {
        let client = sign_in(server, username);
        let mut queue: VecDeque<String> = starts.iter().cloned().collect();
        let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
        let mut visited = 0;
        while let Some(path) = queue.pop_front() {
            if visited >= 120 {
                break;
            }
            visited += 1;
            let Ok(response) = client.get(format!("{}{path}", server.base)).send() else {
                continue;
            };
            let is_html = response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("text/html"));
            if !response.status().is_success() || !is_html {
                continue;
            }
            let body = response.text().unwrap_or_default();
            for link in links(&body) {
                // A link fills the most specific pattern it fits, so
                // `/cases/…/screening/new` does not pass for a screening id.
                let best = patterns
                    .iter()
                    .filter(|pattern| fits(pattern, &link))
                    .max_by_key(|pattern| {
                        pattern.split('/').filter(|p| !p.starts_with('{')).count()
                    });
                if let Some(pattern) = best
                    && pattern.contains('{')
                    && (!is_record_route(pattern) || link.starts_with(&case_prefix))
                {
                    fixture
                        .filled
                        .entry(pattern.clone())
                        .or_insert_with(|| link.clone());
                }
                let inside = starts.iter().any(|start| link.starts_with(start.as_str()));
                let safe = !link.contains("/logout") && !link.ends_with(".pdf");
                if inside && safe && seen.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
    }
}

/// The concrete path for `pattern`: a harvested one, or the pattern with
/// each parameter taken from a harvested path that has a parameter of the
/// same name after the same word (`courses/{id}` in
/// `/training/manage/courses/{id}` fills `/api/v1/courses/{id}`), the case
/// of the fixture, or an unknown id. The flag says whether every parameter
/// got a real value.
fn concrete(fixture: &Fixture, pattern: &str) -> (String, bool) {
    if let Some(path) = fixture.filled.get(pattern) {
        return (path.clone(), true);
    }
    let mut known: BTreeMap<(String, String), String> = BTreeMap::new();
    for (filled_pattern, path) in &fixture.filled {
        // Sessions of the administration pages are sign-in sessions, not
        // training sessions.
        if filled_pattern.starts_with("/admin/") != pattern.starts_with("/admin/") {
            continue;
        }
        let names: Vec<&str> = filled_pattern.split('/').collect();
        let values: Vec<&str> = path.split('/').collect();
        for index in 1..names.len().min(values.len()) {
            if names[index].starts_with('{') && !names[index - 1].starts_with('{') {
                known
                    .entry((names[index - 1].to_owned(), names[index].to_owned()))
                    .or_insert_with(|| values[index].to_owned());
            }
        }
    }
    let mut complete = true;
    let mut parts: Vec<String> = Vec::new();
    let names: Vec<&str> = pattern.split('/').collect();
    for (index, part) in names.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| names[i]).unwrap_or("");
        let value = match *part {
            "{id}" if index == 2 && pattern.starts_with("/cases/") => fixture.case_id.clone(),
            "{id}" if index == 4 && pattern.starts_with("/api/v1/cases/") => {
                fixture.case_id.clone()
            }
            "{language}" => "fr".to_owned(),
            "{form}" => "referral".to_owned(),
            "{direction}" => "up".to_owned(),
            "{*path}" => "index.html".to_owned(),
            part if part.starts_with('{') => {
                match known.get(&(previous.to_owned(), part.to_owned())) {
                    Some(value) => value.clone(),
                    None => {
                        complete = false;
                        UNKNOWN_ID.to_owned()
                    }
                }
            }
            part => part.to_owned(),
        };
        parts.push(value);
    }
    (parts.join("/"), complete)
}

// --- Calling and judging -------------------------------------------------------

/// The roles that are offered break-glass access to a case of their
/// organisation that they cannot open.
fn may_break_glass(role: Role) -> bool {
    matches!(
        role,
        Role::Caseworker | Role::Psychologist | Role::Lawyer | Role::Coordinator
    )
}

fn request(server: &TestServer, subject: &Subject, entry: &Entry, path: &str) -> Response {
    let url = match &entry.query {
        Some(query) => format!("{}{path}?{query}", server.base),
        None => format!("{}{path}", server.base),
    };
    let is_api = path.starts_with("/api/");
    let builder: RequestBuilder = match entry.method.as_str() {
        "GET" => subject.client.get(&url),
        "POST" if is_api || entry.json => subject
            .client
            .post(&url)
            .header("Content-Type", "application/json")
            .body("{}"),
        "POST" if entry.multipart => subject
            .client
            .post(&url)
            .header("Origin", &server.base)
            .header("Content-Type", "multipart/form-data; boundary=matrix")
            .body("--matrix--\r\n"),
        "POST" => subject
            .client
            .post(&url)
            .header("Origin", &server.base)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(entry.form.clone().unwrap_or_default()),
        other => panic!("matrix: method {other} is not tried"),
    };
    let builder = match (&subject.token, is_api) {
        (Some(token), true) => builder.bearer_auth(token),
        _ => builder,
    };
    builder.send().unwrap()
}

/// What the matrix expects of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allowed,
    Denied {
        break_glass: bool,
    },
    /// No failure and no leak; allowed or denied does not matter.
    Either,
}

/// Checks the answer against `expect`.
fn judge(response: Response, subject: &Subject, expect: Expect) -> Result<(), String> {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let to_login = (300..400).contains(&status) && location.starts_with("/login");
    let body = response.text().unwrap_or_default();
    // 503 is the answer of a feature that is not configured (passkeys
    // without HTTPS): the request got past the access checks.
    if status >= 500 && status != 503 {
        return Err(format!("server error {status}"));
    }
    let leaks =
        body.contains(GIVEN_NAME) || body.contains(FAMILY_NAME) || body.contains(OTHER_GIVEN_NAME);
    let break_glass = match expect {
        Expect::Either if matches!(status, 401 | 403 | 404) && leaks => {
            return Err(format!(
                "denied with {status} but the body names the person"
            ));
        }
        Expect::Either => return Ok(()),
        Expect::Allowed => {
            if matches!(status, 401 | 403 | 404) || to_login {
                return Err(format!("denied with {status} {location}, expected allowed"));
            }
            return Ok(());
        }
        Expect::Denied { break_glass } => break_glass,
    };
    // Nobody signed in may also meet a 404 (an unknown id on a public
    // route); a signed-in caller sent to the login page lost the session,
    // which is wrong everywhere.
    let denied = if subject.role.is_none() {
        matches!(status, 401 | 403 | 404) || to_login
    } else {
        matches!(status, 403 | 404)
    };
    if !denied {
        return Err(format!("answered {status} {location}, expected denied"));
    }
    if leaks {
        return Err(format!(
            "denied with {status} but the body names the person"
        ));
    }
    if break_glass && !body.contains("/break-glass") {
        return Err(format!("denied with {status} without the break-glass page"));
    }
    Ok(())
}

fn run_matrix(server: &TestServer, matrix: &Matrix, fixture: &Fixture, subjects: &[Subject]) {
    let backend = server.backend();
    let mut wrong = Vec::new();
    let mut unfilled = BTreeSet::new();
    let mut tried = 0usize;
    // Records (the last id of the path) that an allowed call of a route
    // marked `once` used up.
    let mut used_up: BTreeSet<String> = BTreeSet::new();
    let started = std::time::Instant::now();

    let mut order: Vec<&Entry> = matrix.entries.iter().filter(|entry| !entry.last).collect();
    order.extend(matrix.entries.iter().filter(|entry| entry.last));
    let mut rounds: Vec<(bool, Vec<&Entry>)> = vec![(
        false,
        order.iter().copied().filter(|entry| !entry.last).collect(),
    )];
    rounds.push((
        true,
        order
            .iter()
            .copied()
            .filter(|entry| is_record_route(&entry.path) && !entry.last)
            .collect(),
    ));
    rounds.push((
        false,
        order.iter().copied().filter(|entry| entry.last).collect(),
    ));

    for (sealed, entries) in rounds {
        if sealed {
            let case_id = fixture.case_id.clone();
            let coordinator = user_id(&store(server), "coordinator");
            store(server)
                .run_blocking(move |db| {
                    protection::set_sealed(
                        db,
                        &case_id,
                        true,
                        "Δοκιμή πίνακα πρόσβασης",
                        &coordinator,
                    )
                })
                .unwrap();
        }
        for entry in entries {
            let policy = matrix.policies.get(&entry.policy);
            let (path, complete) = concrete(fixture, &entry.path);
            if !complete {
                unfilled.insert(format!("{} {}", entry.method, entry.path));
            }
            let record = is_record_route(&entry.path);
            let key = path
                .rsplit('/')
                .find(|part| part.len() >= 32)
                .unwrap_or("")
                .to_owned();
            for subject in subjects {
                let situation = record.then(|| subject.situation(sealed));
                let expect = match policy {
                    None => Expect::Either,
                    // Without a real id an allowed caller may meet a 404
                    // or a 400 as well; and so may one after a call that
                    // used the record up.
                    Some(policy)
                        if policy.allows(subject.role, situation)
                            && (!complete || used_up.contains(&key)) =>
                    {
                        Expect::Either
                    }
                    Some(policy) if policy.allows(subject.role, situation) => Expect::Allowed,
                    // Denied only by the seal or the team: the break-glass
                    // offer, for the roles that may ask for it.
                    Some(policy) => Expect::Denied {
                        break_glass: complete
                            && record
                            && entry.method == "GET"
                            && !entry.path.starts_with("/api/")
                            && subject.own
                            && subject.role.is_some_and(may_break_glass)
                            && policy.allows(subject.role, Some(Situation::OwnAssigned)),
                    },
                };
                let response = request(server, subject, entry, &path);
                tried += 1;
                if expect == Expect::Allowed && entry.once {
                    used_up.insert(key.clone());
                }
                if let Err(message) = judge(response, subject, expect) {
                    wrong.push(format!(
                        "{} {path} ({}) as {}{}: {message}",
                        entry.method,
                        entry.path,
                        subject.name,
                        situation.map(|s| format!(" [{s:?}]")).unwrap_or_default()
                    ));
                }
            }
        }
    }
    eprintln!(
        "{backend}: {tried} requests in {:.1} s; routes without a real id for every parameter \
         (tried for denial only): {}",
        started.elapsed().as_secs_f64(),
        unfilled.len()
    );
    for route in &unfilled {
        eprintln!("  unfilled: {route}");
    }
    assert!(
        wrong.is_empty(),
        "{backend}: {} answers differ from tests/access_matrix/matrix.txt:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

// --- The test ------------------------------------------------------------------

#[test]
fn every_route_answers_every_role_as_the_matrix_says() {
    let matrix = parse_matrix(MATRIX);
    each_backend(|database| {
        let server = TestServer::demo(database);
        let store = store(&server);
        let ka = organisation_id(&store, "KA");
        let eka = organisation_id(&store, "EKA");
        add_user(&store, "cw2", Role::Caseworker, &ka);
        add_user(&store, "coord_a", Role::Coordinator, &ka);
        add_user(&store, "coord2", Role::Coordinator, &eka);
        add_user(&store, "cwx", Role::Caseworker, &eka);
        let fixture = build_fixture(&server, &store);

        // (name, role, own organisation, assigned)
        let people: [(&'static str, Role, bool, bool); 14] = [
            ("admin", Role::Admin, true, false),
            ("coordinator", Role::Coordinator, true, false),
            ("coord_a", Role::Coordinator, true, true),
            ("caseworker", Role::Caseworker, true, true),
            ("cw2", Role::Caseworker, true, false),
            ("psychologist", Role::Psychologist, true, true),
            ("lawyer", Role::Lawyer, true, true),
            ("interpreter", Role::Interpreter, true, true),
            ("escort", Role::Escort, true, true),
            ("trainer", Role::Trainer, false, false),
            ("trainee", Role::Trainee, false, false),
            ("monitoring", Role::Monitoring, false, false),
            ("coord2", Role::Coordinator, false, false),
            ("cwx", Role::Caseworker, false, true),
        ];
        let mut subjects = vec![Subject {
            name: "anonymous",
            role: None,
            own: false,
            assigned: false,
            client: client(),
            token: None,
        }];
        for (name, role, own, assigned) in people {
            let id = user_id(&store, name);
            subjects.push(Subject {
                name,
                role: Some(role),
                own,
                assigned,
                client: sign_in(&server, name),
                token: Some(new_token(&store, &id, "matrix").0),
            });
        }

        run_matrix(&server, &matrix, &fixture, &subjects);
        guessed_ids(&server, &fixture, &subjects);
        tokens_act_only_as_their_owner(&server, &store, &fixture);
        ended_sessions_go_to_login(&server, &store);
    });
}

// --- Further checks ------------------------------------------------------------

fn subject<'a>(subjects: &'a [Subject], name: &str) -> &'a Subject {
    subjects.iter().find(|s| s.name == name).unwrap()
}

/// Incremented, decremented, random and malformed case ids answer 404 and
/// never show another case.
fn guessed_ids(server: &TestServer, fixture: &Fixture, subjects: &[Subject]) {
    let backend = server.backend();
    let id = &fixture.case_id;
    let last = id.chars().last().unwrap();
    let bump = |step: u32| {
        let digit = last.to_digit(16).unwrap();
        let next = std::char::from_digit((digit + step) % 16, 16).unwrap();
        format!("{}{next}", &id[..id.len() - 1])
    };
    let guesses = [
        bump(1),
        bump(15),
        uuid::Uuid::new_v4().to_string(),
        "1".to_owned(),
        "0".to_owned(),
        "-1".to_owned(),
        format!("{id}%27%20OR%20%271%27%3D%271"),
        id.to_uppercase(),
        "..%2F..%2Fetc%2Fpasswd".to_owned(),
    ];
    // The matrix ended every session with its sign-in steps: sign in anew.
    let clients: BTreeMap<&str, Client> = ["coordinator", "coord_a", "caseworker", "cwx", "coord2"]
        .into_iter()
        .map(|name| (name, sign_in(server, name)))
        .collect();
    for (&name, client) in &clients {
        let subject = subject(subjects, name);
        for guess in &guesses {
            if guess == id {
                continue;
            }
            for path in [format!("/cases/{guess}"), format!("/cases/{guess}/notes")] {
                let response = client.get(format!("{}{path}", server.base)).send().unwrap();
                let status = response.status().as_u16();
                let body = response.text().unwrap();
                assert!(
                    status == 404 || status == 400,
                    "{backend}: {name} GET {path}: {status}, expected 404"
                );
                assert!(!body.contains(GIVEN_NAME) && !body.contains(OTHER_GIVEN_NAME));
            }
            let response = subject
                .client
                .get(format!("{}/api/v1/cases/{guess}", server.base))
                .bearer_auth(subject.token.as_deref().unwrap())
                .send()
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().unwrap();
            assert!(
                status == 404 || status == 400 || (status == 403 && name == "trainer"),
                "{backend}: {name} API case {guess}: {status}"
            );
            assert!(!body.contains(GIVEN_NAME) && !body.contains(OTHER_GIVEN_NAME));
        }
    }
    // The other organisation's case, by its real id, stays hidden from the
    // staff of `KA`, and the case of `KA` from the staff of `EKA`.
    for (name, case) in [
        ("coordinator", &fixture.other_case_id),
        ("caseworker", &fixture.other_case_id),
        ("coord2", &fixture.case_id),
        ("cwx", &fixture.case_id),
    ] {
        let client = &clients[name];
        let page = client
            .get(format!("{}/cases/{case}", server.base))
            .send()
            .unwrap();
        assert_eq!(
            page.status(),
            404,
            "{backend}: {name} opened another organisation's case"
        );
        let list = client
            .get(format!("{}/cases", server.base))
            .send()
            .unwrap()
            .text()
            .unwrap();
        assert!(
            !list.contains(&format!("/cases/{case}\"")),
            "{backend}: {name} lists it"
        );
    }
}

/// A token acts only as its owner; another user cannot revoke it; a revoked
/// or unknown token answers 401.
fn tokens_act_only_as_their_owner(server: &TestServer, store: &Store, fixture: &Fixture) {
    let backend = server.backend();
    let api = Client::new();
    let get = |path: &str, token: &str| {
        api.get(format!("{}{path}", server.base))
            .bearer_auth(token)
            .send()
            .unwrap()
    };
    let lawyer_id = user_id(store, "lawyer");
    let (lawyer_token, lawyer_token_id) = new_token(store, &lawyer_id, "owner-check");
    let cw2_id = user_id(store, "cw2");
    let (cw2_token, _) = new_token(store, &cw2_id, "owner-check");

    // The token speaks for its owner only.
    let me: serde_json::Value = get("/api/v1/me", &lawyer_token).json().unwrap();
    assert_eq!(
        me["id"],
        lawyer_id.as_str(),
        "{backend}: token acted as someone else"
    );
    let case_path = format!("/api/v1/cases/{}", fixture.case_id);
    assert_eq!(
        get(&case_path, &lawyer_token).status(),
        200,
        "{backend}: lawyer's own token"
    );
    // The sealed case stays hidden from an unassigned caseworker, whoever
    // else's token they might hold in another header.
    let mixed = api
        .get(format!("{}{case_path}", server.base))
        .bearer_auth(&cw2_token)
        .header("X-Api-Token", &lawyer_token)
        .send()
        .unwrap();
    assert_eq!(mixed.status(), 404, "{backend}: cw2 reached the case");

    // Another user cannot revoke the lawyer's token through their session.
    let other = sign_in(server, "cw2");
    let refused = other
        .post(format!(
            "{}/account/tokens/{lawyer_token_id}/revoke",
            server.base
        ))
        .header("Origin", &server.base)
        .form(&[("confirmed", "yes")])
        .send()
        .unwrap();
    assert!(
        matches!(refused.status().as_u16(), 403 | 404),
        "{backend}: cw2 revoking the lawyer's token: {}",
        refused.status()
    );
    assert_eq!(
        get("/api/v1/me", &lawyer_token).status(),
        200,
        "{backend}: token revoked by another user"
    );

    // The owner revokes it: 401 from then on, on every API route.
    let owner = sign_in(server, "lawyer");
    let revoked = owner
        .post(format!(
            "{}/account/tokens/{lawyer_token_id}/revoke",
            server.base
        ))
        .header("Origin", &server.base)
        .form(&[("confirmed", "yes")])
        .send()
        .unwrap();
    assert!(
        revoked.status().is_redirection() || revoked.status().is_success(),
        "{backend}: revoke: {}",
        revoked.status()
    );
    for path in ["/api/v1/me", case_path.as_str(), "/api/v1/cases"] {
        assert_eq!(
            get(path, &lawyer_token).status(),
            401,
            "{backend}: revoked token on {path}"
        );
    }
    // A guessed token and a session cookie in place of a token.
    assert_eq!(get("/api/v1/me", "pcp_0000000000000000").status(), 401);
    let cookie_only = owner
        .get(format!("{}/api/v1/me", server.base))
        .send()
        .unwrap();
    assert_eq!(
        cookie_only.status(),
        401,
        "{backend}: a session cookie opened the API"
    );
}

/// A logged-out session cookie, an expired session and the session of a
/// user disabled meanwhile all lead back to the login page.
fn ended_sessions_go_to_login(server: &TestServer, store: &Store) {
    let backend = server.backend();
    let case_path = format!("{}/cases", server.base);
    let replay = |cookie: &str| {
        Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(&case_path)
            .header("Cookie", cookie)
            .send()
            .unwrap()
    };
    let to_login = |response: &Response| {
        response.status().is_redirection()
            && response
                .headers()
                .get("location")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|location| location.starts_with("/login"))
    };

    // Logged out: the old cookie no longer works.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let browser = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    browser
        .post(format!("{}/login", server.base))
        .header("Origin", &server.base)
        .form(&[("username", "caseworker"), ("password", DEMO_PASSWORD)])
        .send()
        .unwrap();
    let url: reqwest::Url = server.base.parse().unwrap();
    let cookie = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &url)
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        replay(&cookie).status(),
        200,
        "{backend}: replayed live cookie"
    );
    browser
        .post(format!("{}/logout", server.base))
        .header("Origin", &server.base)
        .send()
        .unwrap();
    assert!(
        to_login(&replay(&cookie)),
        "{backend}: logged-out cookie still works"
    );

    // Expired in the database: back to the login page.
    let expired = sign_in(server, "psychologist");
    store
        .run_blocking(|db| {
            use diesel::connection::SimpleConnection;
            db.conn
                .batch_execute("UPDATE sessions SET expires_at = '2000-01-01 00:00:00'")?;
            Ok(())
        })
        .unwrap();
    let response = expired.get(&case_path).send().unwrap();
    assert!(
        to_login(&response),
        "{backend}: expired session still works: {}",
        response.status()
    );

    // Disabled while signed in: the next request ends the session.
    let disabled = sign_in(server, "cw2");
    let cw2 = user_id(store, "cw2");
    store
        .run_blocking(move |db| users::set_disabled(db, &cw2, true))
        .unwrap();
    let response = disabled.get(&case_path).send().unwrap();
    assert!(
        to_login(&response),
        "{backend}: disabled user's session still works: {}",
        response.status()
    );
    let api_user = user_id(store, "cw2");
    let (token, _) = new_token(store, &api_user, "disabled");
    let response = Client::new()
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(
        response.status(),
        401,
        "{backend}: disabled user's token still works"
    );
}
