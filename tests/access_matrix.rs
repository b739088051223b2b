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
//! for case roles, `KKP` for training, `EKA` for monitoring), and five
//! added here: `cw2` (caseworker of `KA`, not assigned), `coord_a`
//! (coordinator of `KA`, assigned), `coord2` (coordinator of `EKA`), `cwx`
//! (caseworker of `EKA`, assigned to the case of `KA`, which must not let
//! them in) and `trainee2` (trainee of `KKP`, who must not open the demo
//! trainee's records). The case is registered by the test and assigned to
//! the demo caseworker, psychologist, lawyer, interpreter and escort. The
//! test then seals it and tries the case routes again.
//!
//! Every other route with path parameters gets a record the fixture makes
//! for it. A record of one user (a quiz attempt, an API token…) or of one
//! organisation (a data request, a referral sent to `KA`…) has a holder.
//! The matrix lists who may use it by the caller's relation to that
//! holder.
//!
//! Further checks on the same server: guessed and incremented ids, another
//! user's API token, a revoked token, a logged-out or expired session, and
//! the session of a disabled user. All data is invented.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use common::{DEMO_PASSWORD, TestServer, each_backend};
use procap_domain::role::Role;
use procap_store::training::{
    certificates, courses, enrolment, evaluations, progress, quizzes, sessions,
};
use procap_store::{
    Store, case_records, cases, data_requests, notes, organisations, protection, referrals,
    report_subscriptions, tokens, users,
};
use reqwest::blocking::{Client, RequestBuilder, Response};

const MATRIX: &str = include_str!("access_matrix/matrix.txt");

/// The policy of the sign-in steps: the test checks only that they do not
/// fail or leak, because with its empty forms every caller is sent back to
/// the login page.
const ANY: &str = "any";

const GIVEN_NAME: &str = "Ωκεανίδα";
const FAMILY_NAME: &str = "Πινακοθήκη";
const OTHER_GIVEN_NAME: &str = "Ζαφειρένια";
/// The given name in the cases the fixture registers for referrals and a
/// break-glass notification. The matrix does not open these cases.
const SPARE_GIVEN_NAME: &str = "Ευανθία";

/// The HTCDS sample shipped with Procap, whose first row the fixture
/// imports.
const HTCDS_SAMPLE: &str = include_str!("../crates/import/data/htcds_sample.csv");

/// An id that no record has.
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

// --- The matrix ----------------------------------------------------------------

/// The position of a subject relative to the case that a record route
/// opens, or to the record of one user or organisation that another route
/// opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Situation {
    OwnAssigned,
    OwnUnassigned,
    OtherAssigned,
    OtherUnassigned,
    SealedAssigned,
    SealedUnassigned,
    Owner,
    NotOwner,
    OwnOrganisation,
    OtherOrganisation,
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
            "owner" => Situation::Owner,
            "not-owner" => Situation::NotOwner,
            "own-organisation" => Situation::OwnOrganisation,
            "other-organisation" => Situation::OtherOrganisation,
            other => panic!("matrix: unknown situation {other}"),
        }
    }
}

/// Who a policy lets in: roles in every situation, and roles per situation
/// (record routes, and routes the fixture fills with a record it gives a
/// holder). `None` stands for nobody signed in.
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
    /// Send `{}` as JSON instead of an empty form, as a page's script does.
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
    /// Returns the subject's situation towards the case of a record route.
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

    /// Returns the subject's situation towards a record of `holder`.
    fn towards(&self, holder: Holder) -> Situation {
        match holder {
            Holder::User(name) if name == self.name => Situation::Owner,
            Holder::User(_) => Situation::NotOwner,
            Holder::Organisation if self.own => Situation::OwnOrganisation,
            Holder::Organisation => Situation::OtherOrganisation,
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
    /// The holder of the record each filled route opens, by route pattern,
    /// for routes outside a case whose policy depends on the holder.
    holders: BTreeMap<String, Holder>,
}

/// The holder of a record, for the `owner` and `own-organisation`
/// situations.
#[derive(Debug, Clone, Copy)]
enum Holder {
    /// The subject of this name's own record: their quiz attempt, API
    /// token, notification…
    User(&'static str),
    /// A record of the organisation `KA`, which the subjects who work
    /// there may use: a data request of its case, a referral sent to it,
    /// a member of its staff.
    Organisation,
}

impl Fixture {
    /// Fills `pattern` with the concrete `path` of a record made for it.
    fn fill(&mut self, pattern: &str, path: String) {
        assert!(
            fits(pattern, &path),
            "fixture: {path} does not fit {pattern}"
        );
        self.filled.insert(pattern.to_owned(), path);
    }

    /// Fills `pattern` with the `path` of a record that belongs to `holder`.
    fn fill_held(&mut self, pattern: &str, path: String, holder: Holder) {
        self.fill(pattern, path);
        self.holders.insert(pattern.to_owned(), holder);
    }
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

/// Adds a trainee with the profile that registration creates.
fn add_trainee(store: &Store, username: &str, organisation_id: &str) {
    let id = add_user(store, username, Role::Trainee, organisation_id);
    store
        .run_blocking(move |db| {
            enrolment::create_profile(
                db,
                &enrolment::NewProfile {
                    user_id: &id,
                    sector: "tourism",
                    region: "attica",
                    employer: Some("Ξενοδοχείο Δοκιμής"),
                    invitation_id: None,
                },
            )
        })
        .unwrap();
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
            let today = common::athens_today();
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
            let today = common::athens_today();
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
        holders: BTreeMap::new(),
    };
    harvest(server, &mut fixture);
    fill_case_work(server, store, &mut fixture);
    fill_training(server, store, &mut fixture);
    let routed: BTreeSet<String> = procap_web::route_table()
        .into_iter()
        .map(|route| route.path)
        .collect();
    for pattern in fixture.filled.keys() {
        assert!(routed.contains(pattern), "fixture: no route {pattern}");
    }
    fixture
}

/// Posts `fields` and one file as `multipart/form-data`, as the upload
/// forms do, and returns where the server sends the browser next.
fn upload(
    server: &TestServer,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    (file_name, content): (&str, &[u8]),
) -> String {
    let boundary = "access-matrix-upload";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = client
        .post(format!("{}{path}", server.base))
        .header("Origin", &server.base)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .unwrap();
    assert!(
        response.status().is_redirection(),
        "{}: upload to {path}: {}",
        server.backend(),
        response.status()
    );
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .expect("a Location header on the upload's redirect")
        .to_owned()
}

/// Makes the case-work records that the routes need and the case of the
/// fixture lacks (an attachment, referrals, data requests, a notification,
/// appointments on the interpreter's agenda, a report subscription, a case
/// import, an API token) and fills their routes. The attachment and the
/// import go through the server, which keeps the file and the import's
/// progress itself; the rest through the store.
fn fill_case_work(server: &TestServer, store: &Store, fixture: &mut Fixture) {
    let backend = server.backend();
    let ka = organisation_id(store, "KA");
    let eka = organisation_id(store, "EKA");
    let coordinator = user_id(store, "coordinator");
    let caseworker = user_id(store, "caseworker");
    let interpreter = user_id(store, "interpreter");
    let cw2 = user_id(store, "cw2");
    let coord2 = user_id(store, "coord2");
    let case_id = fixture.case_id.clone();

    // An attachment of the case, uploaded by its caseworker.
    let caseworker_client = sign_in(server, "caseworker");
    upload(
        server,
        &caseworker_client,
        &format!("/cases/{case_id}/attachments"),
        &[],
        ("notes.txt", "Σημειώσεις της πρώτης συνάντησης.".as_bytes()),
    );
    let attachment = store
        .run_blocking(|db| notes::list_attachments(db, &case_id))
        .unwrap()
        .pop()
        .expect("the attachment")
        .id;
    fixture.fill(
        "/cases/{id}/attachments/{attachment_id}",
        format!("/cases/{case_id}/attachments/{attachment}"),
    );

    // The case is referred to `EKA`, which must still not open it, because
    // `EKA` has not accepted. A case of `EKA` is referred to `KA` three
    // times: to accept, to decline, and accepted already, to complete. A
    // break-glass access by `cw2` to a case of `KA` notifies its
    // coordinators.
    let referred_case = register(store, &eka, "EKA", &coord2, SPARE_GIVEN_NAME);
    let glass_case = register(store, &ka, "KA", &caseworker, SPARE_GIVEN_NAME);
    let organisation = Holder::Organisation;
    store
        .run_blocking(|db| {
            let today = common::athens_today();
            let mut send = |case_id: &str, from: &str, to: &str, by: &str| {
                referrals::send(
                    db,
                    &referrals::NewReferral {
                        case_id,
                        from_organisation_id: from,
                        to_organisation_id: to,
                        service_line: "legal",
                        is_transfer: false,
                        reason: Some("Νομική συνδρομή για την άδεια διαμονής"),
                        override_reason: Some("Επείγουσα ανάγκη νομικής συνδρομής"),
                        referred_on: today,
                        referred_by: by,
                    },
                )
                .map(|sent| sent.referral_id)
            };
            let sent = send(&case_id, &ka, &eka, &coordinator)?;
            fixture.fill(
                "/cases/{id}/referrals/{referral_id}/revoke",
                format!("/cases/{case_id}/referrals/{sent}/revoke"),
            );
            let to_accept = send(&referred_case, &eka, &ka, &coord2)?;
            let to_decline = send(&referred_case, &eka, &ka, &coord2)?;
            let to_complete = send(&referred_case, &eka, &ka, &coord2)?;
            referrals::accept(db, &to_complete, &ka, &coordinator)?;
            for (pattern, referral) in [
                ("/referrals/{id}/accept", &to_accept),
                ("/referrals/{id}/decline", &to_decline),
                ("/referrals/{id}/complete", &to_complete),
            ] {
                fixture.fill_held(pattern, pattern.replace("{id}", referral), organisation);
            }

            // Two subject-access requests filed by the caseworker: one
            // waiting for a decision, one approved, to export.
            let pending = data_requests::create(
                db,
                &case_id,
                data_requests::KIND_SUBJECT_ACCESS,
                "Η ενδιαφερόμενη ζήτησε αντίγραφο των στοιχείων της",
                &caseworker,
            )?;
            fixture.fill_held(
                "/requests/{id}/decide",
                format!("/requests/{pending}/decide"),
                organisation,
            );
            let approved = data_requests::create(
                db,
                &case_id,
                data_requests::KIND_SUBJECT_ACCESS,
                "Αίτημα μέσω της δικηγόρου της",
                &caseworker,
            )?;
            data_requests::decide(db, &approved, &coordinator, true, "Ταυτοποιήθηκε")?;
            for pattern in [
                "/requests/{id}/export",
                "/requests/{id}/export.json",
                "/requests/{id}/export.pdf",
            ] {
                fixture.fill_held(pattern, pattern.replace("{id}", &approved), organisation);
            }

            protection::grant_break_glass(
                db,
                &protection::BreakGlass {
                    case_id: &glass_case,
                    user_id: &cw2,
                    reason: "Επείγουσα επικοινωνία με την ενδιαφερόμενη",
                    granted_at: procap_store::now(),
                    lasts: chrono::Duration::minutes(30),
                },
            )?;
            let notification = protection::open_notifications(db, &coordinator)?
                .into_iter()
                .find(|notification| notification.case_id == glass_case)
                .ok_or(procap_store::StoreError::NotFound)?
                .id;
            fixture.fill_held(
                "/notifications/{id}/acknowledge",
                format!("/notifications/{notification}/acknowledge"),
                Holder::User("coordinator"),
            );

            // Two interpretations on the interpreter's agenda: one to
            // complete, one to cancel.
            for (pattern, days) in [("/agenda/{id}/complete", 4), ("/agenda/{id}/cancel", 5)] {
                let appointment = procap_store::appointments::book(
                    db,
                    &procap_store::appointments::NewAppointment {
                        case_id: &case_id,
                        kind: procap_store::appointments::KIND_INTERPRETATION,
                        staff_user_id: &interpreter,
                        starts_at: (today + chrono::Duration::days(days))
                            .and_hms_opt(11, 0, 0)
                            .unwrap(),
                        duration_minutes: 60,
                        place: "Γραφείο δοκιμών",
                        language: Some("en"),
                        dialect: None,
                        preferred_gender: None,
                        requested_by: &caseworker,
                    },
                )?;
                fixture.fill_held(
                    pattern,
                    pattern.replace("{id}", &appointment),
                    Holder::User("interpreter"),
                );
            }
            fixture.fill_held(
                "/staff/skills/{id}",
                format!("/staff/skills/{interpreter}"),
                organisation,
            );

            let subscription = report_subscriptions::create(
                db,
                &coordinator,
                &ka,
                report_subscriptions::REPORT_AMIF_MONTHLY,
                report_subscriptions::DELIVERY_LINK,
                None,
            )?
            .id;
            fixture.fill_held(
                "/reports/schedule/{id}/cancel",
                format!("/reports/schedule/{subscription}/cancel"),
                Holder::User("coordinator"),
            );
            Ok(())
        })
        .unwrap();

    // A case import by the coordinator: its progress lives in the server,
    // so it is started through the upload page, and it is awaited so that
    // it writes nothing while the matrix runs.
    let coordinator_client = sign_in(server, "coordinator");
    let sample = HTCDS_SAMPLE.lines().take(2).collect::<Vec<_>>().join("\n");
    let row = sample.replacen("Esi,,Quartey", "Ευτέρπη,,Δοκιμαστική", 1);
    assert_ne!(row, sample, "the sample's first person changed");
    let progress = upload(
        server,
        &coordinator_client,
        "/cases/import",
        &[],
        ("cases.csv", row.as_bytes()),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while coordinator_client
        .get(format!("{}{progress}", server.base))
        .send()
        .unwrap()
        .headers()
        .contains_key("refresh")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{backend}: the import did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    fixture.fill_held("/cases/import/{id}", progress, Holder::User("coordinator"));

    // An API token of the caseworker, beside the one the test uses.
    let (_, token) = new_token(store, &caseworker, "revoke-check");
    fixture.fill_held(
        "/account/tokens/{id}/revoke",
        format!("/account/tokens/{token}/revoke"),
        Holder::User("caseworker"),
    );
}

/// Builds a SCORM 1.2 package of one page.
fn scorm_package() -> Vec<u8> {
    use std::io::Write;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="access-matrix" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="course">
    <organization identifier="course">
      <title>Ενδείξεις στο λιμάνι</title>
      <item identifier="page" identifierref="sco"><title>Σελίδα</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>"#;
    let page = "<!DOCTYPE html><html><head><title>Λιμάνι</title></head>\
        <body><p>Φανταστικό μάθημα.</p></body></html>";
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in [("imsmanifest.xml", manifest), ("index.html", page)] {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Makes the training records and fills their routes. In the shipped
/// course: `trainee`'s enrolment and quiz attempt, a lesson file and a
/// SCORM lesson, which the trainer uploads because the server keeps their
/// files. Besides: a session, and a small course that `trainee` has
/// completed, with its certificate and evaluation.
fn fill_training(server: &TestServer, store: &Store, fixture: &mut Fixture) {
    let trainer = user_id(store, "trainer");
    let trainee = user_id(store, "trainee");
    let (course, module, lesson, attempt) = store
        .run_blocking(|db| {
            let (published, _) = courses::list_courses(db, Some(courses::PUBLISHED), 0, 100)?;
            let course = published
                .into_iter()
                .find(|course| course.slug == "trafficking-basics")
                .ok_or(procap_store::StoreError::NotFound)?
                .id;
            let module = courses::list_modules(db, &course)?.swap_remove(0).id;
            let lesson = courses::list_lessons(db, &course)?.swap_remove(0).id;
            enrolment::enrol(db, &course, &trainee, Some(&trainer))?;
            let quiz = quizzes::list_quizzes(db, &course)?.swap_remove(0).id;
            let attempt = quizzes::start_attempt(db, &quiz, &trainee, 7, chrono::Utc::now());
            Ok((course, module, lesson, attempt))
        })
        .unwrap();
    let attempt = attempt.expect("trainee's quiz attempt");
    // `trainee2` enrols through the matrix in the same course, before the
    // course pages, which are open to enrolled trainees only.
    fixture.fill(
        "/training/courses/{id}/enrol",
        format!("/training/courses/{course}/enrol"),
    );
    fixture.fill_held(
        "/training/attempts/{attempt_id}",
        format!("/training/attempts/{attempt}"),
        Holder::User("trainee"),
    );

    let trainer_client = sign_in(server, "trainer");
    upload(
        server,
        &trainer_client,
        &format!("/training/manage/courses/{course}/lessons/{lesson}/files"),
        &[],
        ("handout.txt", "Φυλλάδιο του μαθήματος.".as_bytes()),
    );
    let file = store
        .run_blocking(|db| courses::list_lesson_files(db, &lesson))
        .unwrap()
        .pop()
        .expect("the lesson file")
        .id;
    fixture.fill(
        "/training/courses/{id}/lessons/{lesson_id}/files/{file_id}",
        format!("/training/courses/{course}/lessons/{lesson}/files/{file}"),
    );
    fixture.fill(
        "/training/manage/courses/{id}/lessons/{lesson_id}/files/{file_id}/delete",
        format!("/training/manage/courses/{course}/lessons/{lesson}/files/{file}/delete"),
    );
    let scorm_lesson = upload(
        server,
        &trainer_client,
        &format!("/training/manage/courses/{course}/scorm"),
        &[
            ("module_id", &module),
            ("title_el", "Ενδείξεις στο λιμάνι"),
            ("title_en", "Signs at the port"),
        ],
        ("package.zip", &scorm_package()),
    );
    fixture.fill("/training/scorm/{lesson_id}", scorm_lesson.clone());
    fixture.fill(
        "/training/scorm/{lesson_id}/commit",
        format!("{scorm_lesson}/commit"),
    );
    fixture.fill(
        "/training/scorm/{lesson_id}/{*path}",
        format!("{scorm_lesson}/index.html"),
    );

    // A session a month ahead. None of the session routes uses it up: the
    // cancellations ask for confirmation first.
    let session = store
        .run_blocking(|db| {
            let starts_at = procap_store::now() + chrono::Duration::days(30);
            sessions::create(
                db,
                &sessions::SessionInput {
                    course_id: None,
                    title_el: "Εργαστήριο αναγνώρισης".to_owned(),
                    title_en: "Recognition workshop".to_owned(),
                    venue: sessions::Venue::InPerson("Αίθουσα δοκιμών, Αθήνα".to_owned()),
                    starts_at,
                    ends_at: starts_at + chrono::Duration::hours(3),
                    region: "attica".to_owned(),
                    sector: None,
                    capacity: 20,
                    trainer_ids: vec![trainer.clone()],
                },
                &trainer,
            )
        })
        .unwrap();
    for pattern in [
        "/api/v1/sessions/{id}",
        "/training/sessions/{id}/register",
        "/training/sessions/{id}/cancel",
        "/training/manage/sessions/{id}",
        "/training/manage/sessions/{id}/cancel",
        "/training/manage/sessions/{id}/attendance",
        "/training/manage/sessions/{id}/sign-in-sheet",
    ] {
        fixture.fill(pattern, pattern.replace("{id}", &session));
    }

    // A course of one required lesson, which `trainee` completes by
    // opening it: the certificate and the evaluations follow.
    let (certificate, evaluation) = store
        .run_blocking(|db| {
            let course = courses::create_course(
                db,
                &courses::CourseInput {
                    slug: "safe-referral".to_owned(),
                    title_el: "Ασφαλής παραπομπή".to_owned(),
                    title_en: "Safe referral".to_owned(),
                    ..Default::default()
                },
                &trainer,
            )?;
            let module = courses::add_module(
                db,
                &course,
                &courses::ModuleInput {
                    title_el: "Παραπομπή".to_owned(),
                    title_en: "Referral".to_owned(),
                    sector: None,
                },
            )?;
            let lesson = courses::add_lesson(
                db,
                &course,
                &module,
                &courses::LessonInput {
                    title_el: "Σε ποιον παραπέμπω".to_owned(),
                    title_en: "Whom to refer to".to_owned(),
                    body_el: "Φανταστικό μάθημα.".to_owned(),
                    body_en: "A fictional lesson.".to_owned(),
                    video_url: None,
                    required: true,
                },
            )?;
            enrolment::enrol(db, &course, &trainee, Some(&trainer))?;
            let completed = enrolment::record_lesson_view(db, &trainee, &course, &lesson)?;
            let certificate = completed
                .certificate_issued
                .and_then(|id| certificates::find(db, &id).transpose())
                .ok_or(procap_store::StoreError::NotFound)??;
            let evaluation = evaluations::open_for_trainee(db, &trainee, progress::athens_today())?
                .into_iter()
                .find(|evaluation| evaluation.course_id == course)
                .ok_or(procap_store::StoreError::NotFound)?
                .id;
            Ok((certificate, evaluation))
        })
        .unwrap();
    for pattern in [
        "/training/certificates/{id}/pdf",
        "/training/certificates/{id}/badge",
    ] {
        fixture.fill_held(
            pattern,
            pattern.replace("{id}", &certificate.id),
            Holder::User("trainee"),
        );
    }
    fixture.fill(
        "/training/manage/certificates/{id}/revoke",
        format!("/training/manage/certificates/{}/revoke", certificate.id),
    );
    fixture.fill("/verify/{code}", format!("/verify/{}", certificate.code));
    fixture.fill_held(
        "/training/evaluations/{id}",
        format!("/training/evaluations/{evaluation}"),
        Holder::User("trainee"),
    );
}

/// Gives `owner`, already signed in, a passkey, and fills its removal.
/// Without an authenticator the test cannot make a WebAuthn key, so the
/// row contains a placeholder credential. Removing a passkey never reads
/// it, and the pages that do read it skip a credential that does not
/// parse. The passkey comes after the sign-in because a passkey makes the
/// password sign-in ask for a second factor.
fn fill_passkey(store: &Store, fixture: &mut Fixture, owner: &'static str) {
    let user = user_id(store, owner);
    let passkey = store
        .run_blocking(|db| {
            users::add_passkey(db, &user, "Κλειδί δοκιμής", "access-matrix-key", "{}")
        })
        .unwrap()
        .id;
    fixture.fill_held(
        "/account/passkeys/{id}/remove",
        format!("/account/passkeys/{passkey}/remove"),
        Holder::User(owner),
    );
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
        "POST" if is_api => subject
            .client
            .post(&url)
            .header("Content-Type", "application/json")
            .body("{}"),
        // A page's script, which sends the page's origin like a form.
        "POST" if entry.json => subject
            .client
            .post(&url)
            .header("Origin", &server.base)
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
            let holder = fixture.holders.get(&entry.path).copied();
            assert!(
                record
                    || !complete
                    || holder.is_some()
                    || policy.is_none_or(|policy| policy.by_situation.is_empty()),
                "fixture: {} {} is filled without the holder its policy needs",
                entry.method,
                entry.path
            );
            let key = path
                .rsplit('/')
                .find(|part| part.len() >= 32)
                .unwrap_or("")
                .to_owned();
            for subject in subjects {
                let situation = if record {
                    Some(subject.situation(sealed))
                } else {
                    holder.map(|holder| subject.towards(holder))
                };
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
        add_trainee(&store, "trainee2", &organisation_id(&store, "KKP"));
        let mut fixture = build_fixture(&server, &store);

        // (name, role, own organisation, assigned)
        let people: [(&'static str, Role, bool, bool); 15] = [
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
            ("trainee2", Role::Trainee, false, false),
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
        fill_passkey(&store, &mut fixture, "monitoring");

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
