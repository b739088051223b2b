//! Personal data stays out of logs, redirects, error pages, aggregate
//! exports and plain database columns, on SQLite and PostgreSQL.
//!
//! The test types distinctive, invented names, a phone number, document
//! numbers and notes into the forms and the API (registration, edit, notes,
//! an attachment, service records, a plan goal, a subject-access request,
//! an HTCDS import), opens every main page and export with several roles,
//! sends bad input that ends on error pages, and then looks for each string
//! (also lower-case, upper-case and without accents) in:
//!
//! - the server's stdout and stderr, logged at `debug` for every crate;
//! - every URL the server redirected a client to;
//! - every error page (status 400 and up) except a form shown again with
//!   what its user typed, which is what the user needs to correct it;
//! - the AMIF report (CSV, XLSX, PDF, page and command line) and the
//!   published statistics;
//! - every column of every table, found in the database catalogue,
//!   including the encrypted `*_enc` columns and the blind indexes, which
//!   must hold ciphertext and keyed hashes, never the plain string.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{DEMO_PASSWORD, Page, TestServer, each_backend};
use diesel::prelude::*;
use procap_store::DbConnection;
use reqwest::blocking::Client;
use reqwest::redirect::Policy;

const GIVEN_NAME: &str = "Ξανθιππούλα";
const FAMILY_NAME: &str = "Κρυφογιαννάκη";
const ALIAS: &str = "Λαθρονυμφίτσα";
const PHONE: &str = "+30 697 314 8852";
const PASSPORT: &str = "PQ7X41ZL9";
const ID_CARD: &str = "ΑΚ-937162";
const HOUSEHOLD: &str = "Αδελφή-Περσεφονίτσα";
const REFERRING_CONTACT: &str = "Αστυφύλακας-Μελισσανθούλης";
const REFERRAL_REASON: &str = "Παραπομπή-Ουρανοκάμπια";
const FACILITY: &str = "Ξενώνας-Αμαλθειούπολη";
const NEW_CONTACT: &str = "Οδός-Φανταστικοπούλου 19";
const CASE_NOTE: &str = "Σημείωμα-Κυανοπετρίτσα";
const FILE_NAME: &str = "Διαβατήριο-Ξεφτιλογλου.png";
const SERVICE_NOTE: &str = "Συνεδρία-Ζαφειροδάσους";
const COURT_NUMBER: &str = "ΒΜ-55817-Ωρίωνας";
const DIALECT: &str = "Διάλεκτος-Ηλιοτρόπια";
const GOAL: &str = "Στόχος-Πορφυροβούνι";
const REQUEST_REASON: &str = "Αίτημα-Αργυροπηγαδίτισσας";
const DECISION_REASON: &str = "Απόφαση-Χρυσοκαστανιάς";
const IMPORTED_GIVEN: &str = "Quorrindale";
const IMPORTED_FAMILY: &str = "Vexhollowby";
const IMPORTED_PHONE: &str = "+30 6955512873";
const IMPORTED_DOCUMENT: &str = "QZ-558301";
const IMPORTED_DETAILS: &str = "Outreach-Thistlewick-note";
const API_NOTE: &str = "Σημείωμα-Διεπαφής-Νεφελοκοκκυγίας";

/// Every distinctive string the test types in.
const SECRETS: [&str; 25] = [
    GIVEN_NAME,
    FAMILY_NAME,
    ALIAS,
    PHONE,
    PASSPORT,
    ID_CARD,
    HOUSEHOLD,
    REFERRING_CONTACT,
    REFERRAL_REASON,
    FACILITY,
    NEW_CONTACT,
    CASE_NOTE,
    FILE_NAME,
    SERVICE_NOTE,
    COURT_NUMBER,
    DIALECT,
    GOAL,
    REQUEST_REASON,
    DECISION_REASON,
    IMPORTED_GIVEN,
    IMPORTED_FAMILY,
    IMPORTED_PHONE,
    IMPORTED_DOCUMENT,
    IMPORTED_DETAILS,
    API_NOTE,
];

/// Strings only a bad request carries; they must not come back either.
const PROBE: &str = "Ανιχνευτής-Σφάλματος-Ζ9";

/// The forms of a string someone might store or log: as typed, lower and
/// upper case, and folded (no accents, final sigma as sigma) in both cases.
fn variants(secret: &str) -> Vec<String> {
    let folded: String = secret
        .chars()
        .map(|c| match c {
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' | 'ϊ' | 'ΐ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ϋ' | 'ΰ' => 'υ',
            'ώ' => 'ω',
            'ς' => 'σ',
            'Ά' => 'Α',
            'Έ' => 'Ε',
            'Ή' => 'Η',
            'Ί' => 'Ι',
            'Ό' => 'Ο',
            'Ύ' => 'Υ',
            'Ώ' => 'Ω',
            other => other,
        })
        .collect();
    let mut all = vec![
        secret.to_owned(),
        secret.to_lowercase(),
        secret.to_uppercase(),
        folded.to_lowercase(),
        folded.to_uppercase(),
    ];
    all.sort();
    all.dedup();
    all
}

/// The secrets (and the probe) found in `text`, in any of their forms, as
/// they are or percent-encoded.
fn found_in(text: &str) -> Vec<&'static str> {
    let decoded = percent_decoded(text);
    SECRETS
        .iter()
        .chain(std::iter::once(&PROBE))
        .copied()
        .filter(|secret| {
            variants(secret)
                .iter()
                .any(|form| text.contains(form) || decoded.contains(form))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+`, as a URL's path and query are read.
fn percent_decoded(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response body or file that must not contain any secret.
struct Exposure {
    what: String,
    text: String,
}

/// A signed-in client that records every URL the server redirected it to
/// and every error page it received.
struct Visitor {
    base: String,
    client: Client,
    redirects: Arc<Mutex<Vec<String>>>,
    exposures: Arc<Mutex<Vec<Exposure>>>,
}

impl Visitor {
    fn new(server: &TestServer, username: &str, exposures: &Arc<Mutex<Vec<Exposure>>>) -> Visitor {
        let redirects = Arc::new(Mutex::new(Vec::new()));
        let seen = redirects.clone();
        let client = Client::builder()
            .cookie_store(true)
            .redirect(Policy::custom(move |attempt| {
                seen.lock().unwrap().push(attempt.url().to_string());
                if attempt.previous().len() > 10 {
                    attempt.stop()
                } else {
                    attempt.follow()
                }
            }))
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let visitor = Visitor {
            base: server.base.clone(),
            client,
            redirects,
            exposures: exposures.clone(),
        };
        let page = visitor.post(
            "/login",
            &[("username", username), ("password", DEMO_PASSWORD)],
        );
        assert_eq!(page.status, 200, "{username} could not sign in");
        visitor
    }

    fn finish(&self, method: &str, path: &str, response: reqwest::blocking::Response) -> Page {
        let status = response.status().as_u16();
        let url = response.url().to_string();
        let headers = response.headers().clone();
        let bytes = response.bytes().unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if status >= 400 {
            self.exposures.lock().unwrap().push(Exposure {
                what: format!("{method} {path} → {status}"),
                text: body.clone(),
            });
        }
        Page {
            status,
            url,
            body,
            headers,
        }
    }

    fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .unwrap();
        self.finish("GET", path, response)
    }

    fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .unwrap();
        (
            response.status().as_u16(),
            response.bytes().unwrap().to_vec(),
        )
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Origin", &self.base)
            .form(form)
            .send()
            .unwrap();
        self.finish("POST", path, response)
    }

    /// Posts a form that shows itself again on bad input: its 4xx page may
    /// show what was typed, so it is not recorded as an error page.
    fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Origin", &self.base)
            .form(form)
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let url = response.url().to_string();
        let headers = response.headers().clone();
        let body = response.text().unwrap();
        Page {
            status,
            url,
            body,
            headers,
        }
    }

    /// Posts one file as `multipart/form-data`; `own_input` as in
    /// [`Visitor::post_form`].
    fn upload(
        &self,
        path: &str,
        file_name: &str,
        content_type: &str,
        content: &[u8],
        own_input: bool,
    ) -> Page {
        let boundary = "procap-leak-test-boundary-4f1c";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Origin", &self.base)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .unwrap();
        if own_input {
            let status = response.status().as_u16();
            let url = response.url().to_string();
            let headers = response.headers().clone();
            let body = response.text().unwrap();
            Page {
                status,
                url,
                body,
                headers,
            }
        } else {
            self.finish("POST", path, response)
        }
    }
}

/// The smallest valid PNG: one transparent pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

fn hidden_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("hidden field {name} on the page"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

fn today() -> String {
    common::athens_today().format("%Y-%m-%d").to_string()
}

fn token(server: &TestServer, user: &str) -> String {
    let output = server.cli(&["token", "create", "--user", user]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The id that follows `prefix` in `body`, e.g. a request id in a link.
fn id_after(body: &str, prefix: &str) -> Option<String> {
    let start = body.find(prefix)? + prefix.len();
    Some(
        body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect(),
    )
}

/// An HTCDS file of one person; `birth_date` lets a test break it.
fn htcds_file(birth_date: &str) -> String {
    let header = "prs_FirstName,prs_MiddleName,prs_SecondName,prs_Birthdate,prs_Gender,\
        prs_Citizenship,prs_PrimaryLanguage,prs_SecondaryLanguage,prs_IdentityNumber,\
        prs_MobilePhone,prs_MailingCity,vic_TraffickingStatus,vic_TypeOfExploitation,\
        vic_MethodsOfControl,vic_ForcedLabourIndustry,vic_RelationshipToTrafficker,\
        vic_MethodOfRecruitment,cas_Status,cas_IncomingReferralDate,cas_ReferringOrganisation,\
        cas_ReasonForIncomingReferral,cas_IncomingReferralDetails,hte_Type,hte_Country,\
        procap_Region,procap_Setting,procap_LegalStatus,procap_ReferralSource,procap_ClosedOn,\
        procap_ClosureReason";
    format!(
        "{header}\n{IMPORTED_GIVEN},,{IMPORTED_FAMILY},{birth_date},Feminine,GH,en,,\
         {IMPORTED_DOCUMENT},{IMPORTED_PHONE},Athens,PossibleVictimOfTrafficking,\
         SexualExploitation,DebtBondage,,Acquainted,ThroughFriendsOrSocialEvents,Active,\
         2025-03-14,Sample outreach team,AdditionalServicesRequired,{IMPORTED_DETAILS},\
         Exploitation,GR,attica,hosting_facility,asylum_seeker,ngo,,\n"
    )
}

/// Registers the case with every free-text field filled in; its id.
fn register(caseworker: &Visitor) -> String {
    let form = caseworker.get("/cases/new");
    let token = hidden_value(&form.body, "form_token");
    let documents = format!("{PASSPORT}; {ID_CARD}");
    let page = caseworker.post(
        "/cases/new",
        &[
            ("form_token", token.as_str()),
            ("referral_source", "police"),
            ("referred_on", "2026-01-20"),
            ("referring_contact", REFERRING_CONTACT),
            ("referral_reason", REFERRAL_REASON),
            ("given_name", GIVEN_NAME),
            ("family_name", FAMILY_NAME),
            ("aliases", ALIAS),
            ("birth_date", "1998-07-09"),
            ("document_numbers", documents.as_str()),
            ("contact", PHONE),
            ("household", HOUSEHOLD),
            ("sex", "female"),
            ("citizenships", "NG"),
            ("languages", "en"),
            ("legal_status", "asylum_seeker"),
            ("region", "attica"),
            ("setting", "hosting_facility"),
            ("facility", FACILITY),
            ("exploitation_types", "sexual_exploitation"),
            ("means_of_control", "debt_bondage"),
            ("countries_exploitation", "GR"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let start = page.url.find("/cases/").expect("at the new case") + "/cases/".len();
    let id = page.url[start..].to_owned();
    assert!(!id.contains('/'), "{}", page.url);
    assert_ne!(id, "new", "still on the form");
    assert!(page.body.contains(FAMILY_NAME), "registration not shown");
    id
}

/// Types every secret in through the pages and the API; returns the case id.
fn seed(server: &TestServer, caseworker: &Visitor, coordinator: &Visitor) -> String {
    let case_id = register(caseworker);
    let case = format!("/cases/{case_id}");

    // An edit moves the contact on.
    let form = caseworker.get(&format!("{case}/edit"));
    let version = hidden_value(&form.body, "version");
    let edit_form = [
        ("given_name", GIVEN_NAME),
        ("family_name", FAMILY_NAME),
        ("aliases", ALIAS),
        ("birth_date", "1998-07-09"),
        ("contact", NEW_CONTACT),
        ("household", HOUSEHOLD),
        ("sex", "female"),
        ("citizenships", "NG"),
        ("languages", "en"),
        ("legal_status", "asylum_seeker"),
        ("region", "attica"),
        ("setting", "hosting_facility"),
        ("facility", FACILITY),
        ("exploitation_types", "sexual_exploitation"),
        ("means_of_control", "debt_bondage"),
        ("countries_exploitation", "GR"),
        ("version", version.as_str()),
    ];
    let saved = caseworker.post(&format!("{case}/edit"), &edit_form);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains(NEW_CONTACT));

    let note = caseworker.post(&format!("{case}/notes"), &[("body", CASE_NOTE)]);
    assert_eq!(note.status, 200, "{}", note.body);
    let upload = caseworker.upload(
        &format!("{case}/attachments"),
        FILE_NAME,
        "image/png",
        PNG,
        false,
    );
    assert_eq!(upload.status, 200, "{}", upload.body);
    let notes = caseworker.get(&format!("{case}/notes"));
    assert!(notes.body.contains(CASE_NOTE));
    assert!(notes.body.contains(FILE_NAME));

    let date = today();
    let legal = [
        ("occurred_on", date.as_str()),
        ("duration_minutes", "60"),
        ("beneficiary_present", "yes"),
        ("outcome", "completed"),
        ("legal_kind", "representation"),
        ("court", "criminal_first_instance"),
        ("case_number", COURT_NUMBER),
        ("hearing_outcome", "adjourned"),
        ("notes", SERVICE_NOTE),
    ];
    let page = caseworker.post(&format!("{case}/services/new?line=legal"), &legal);
    let recorded = if page.status == 403 {
        // Legal records belong to lawyers; the caseworker's line instead.
        let fallback = [
            ("occurred_on", date.as_str()),
            ("duration_minutes", "45"),
            ("beneficiary_present", "yes"),
            ("outcome", "completed"),
            ("session_type", "follow_up"),
            ("notes", SERVICE_NOTE),
        ];
        caseworker.post(
            &format!("{case}/services/new?line=case_management"),
            &fallback,
        )
    } else {
        page
    };
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    let interpretation = [
        ("occurred_on", date.as_str()),
        ("duration_minutes", "30"),
        ("beneficiary_present", "yes"),
        ("outcome", "completed"),
        ("language", "fa"),
        ("mode", "phone"),
        ("dialect", DIALECT),
        ("notes", SERVICE_NOTE),
    ];
    let page = caseworker.post(
        &format!("{case}/services/new?line=interpretation"),
        &interpretation,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let services = caseworker.get(&format!("{case}/services"));
    assert!(services.body.contains(SERVICE_NOTE));
    assert!(services.body.contains(DIALECT));
    let response = Client::new()
        .post(format!("{}/api/v1/cases/{case_id}/services", server.base))
        .bearer_auth(token(server, "caseworker"))
        .json(&serde_json::json!({
            "line": "case_management",
            "occurred_on": date,
            "duration_minutes": 20,
            "beneficiary_present": "yes",
            "session_type": "follow_up",
            "notes": API_NOTE,
        }))
        .send()
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().unwrap());

    let plan = caseworker.get(&format!("{case}/plan"));
    assert_eq!(plan.status, 200);
    // The caseworker is responsible: the option ending in "(caseworker)".
    let responsible = {
        let end = plan
            .body
            .find("(caseworker)</option>")
            .expect("the caseworker option");
        let start = plan.body[..end].rfind("<option value=\"").unwrap();
        id_after(&plan.body[start..], "<option value=\"").unwrap()
    };
    let goal = caseworker.post(
        &format!("{case}/plan/goals"),
        &[
            ("support_type", "legal"),
            ("description", GOAL),
            ("responsible", responsible.as_str()),
            ("agreed_on", date.as_str()),
            ("due_on", "2027-06-30"),
            ("next_review_on", "2027-01-15"),
        ],
    );
    assert_eq!(goal.status, 200, "{}", goal.body);

    let request = caseworker.post(
        &format!("{case}/requests"),
        &[("kind", "subject_access"), ("reason", REQUEST_REASON)],
    );
    assert_eq!(request.status, 200, "{}", request.body);
    let list = coordinator.get("/requests");
    let request_id = id_after(&list.body, "/requests/")
        .filter(|id| !id.is_empty())
        .expect("the request in the list");
    let decided = coordinator.post(
        &format!("/requests/{request_id}/decide"),
        &[("decision", "approve"), ("reason", DECISION_REASON)],
    );
    assert_eq!(decided.status, 200, "{}", decided.body);
    for export in ["export.json", "export", "export.pdf"] {
        let (status, _) = coordinator.get_bytes(&format!("/requests/{request_id}/{export}"));
        assert_eq!(status, 200, "{export}");
    }

    // An HTCDS file with a broken row, then the good one.
    let broken = coordinator.upload(
        "/cases/import",
        "cases.csv",
        "text/csv",
        htcds_file(&format!("{PROBE}-1999")).as_bytes(),
        true,
    );
    assert_eq!(broken.status, 422, "{}", broken.body);
    let mut page = coordinator.upload(
        "/cases/import",
        "cases.csv",
        "text/csv",
        htcds_file("1999-04-12").as_bytes(),
        false,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !page.body.contains("notice-success") {
        assert!(!page.body.contains("notice-error"), "{}", page.body);
        assert!(Instant::now() < deadline, "import did not finish");
        std::thread::sleep(Duration::from_millis(200));
        page = coordinator.get(&page.url.replace(&server.base, ""));
    }

    case_id
}

/// Opens every main page and export; returns the aggregate exports'
/// contents, which must not name anyone.
fn exercise(
    server: &TestServer,
    case_id: &str,
    caseworker: &Visitor,
    coordinator: &Visitor,
    admin: &Visitor,
    monitoring: &Visitor,
) -> Vec<Exposure> {
    let case = format!("/cases/{case_id}");
    for path in [
        "/".to_owned(),
        "/cases".to_owned(),
        format!("/cases?q={}", FAMILY_NAME),
        format!("/cases?q={}", PASSPORT),
        case.clone(),
        format!("{case}/edit"),
        format!("{case}/assessment"),
        format!("{case}/plan"),
        format!("{case}/screening"),
        format!("{case}/screening/new"),
        format!("{case}/nrm"),
        format!("{case}/services"),
        format!("{case}/services/new?line=case_management"),
        format!("{case}/consents"),
        format!("{case}/timeline"),
        format!("{case}/team"),
        format!("{case}/followups"),
        format!("{case}/appointments"),
        format!("{case}/referrals"),
        format!("{case}/requests"),
        format!("{case}/notes"),
        format!("{case}/close"),
        "/agenda".to_owned(),
        "/referrals".to_owned(),
        "/account".to_owned(),
        "/account/tokens".to_owned(),
    ] {
        let page = caseworker.get(&path);
        assert!(page.status < 500, "{path}: {}", page.status);
    }
    for path in [
        "/requests",
        "/audit",
        "/cases/import",
        "/reports/amif",
        "/staff/skills",
    ] {
        coordinator.get(path);
    }
    for path in [
        "/admin/users",
        "/admin/sessions",
        "/admin/organisations",
        "/audit",
    ] {
        let page = admin.get(path);
        assert!(page.status < 500, "{path}: {}", page.status);
    }
    let api_token = token(server, "caseworker");
    for path in [
        format!("/api/v1/cases/{case_id}"),
        format!("/api/v1/cases/{case_id}/services"),
        format!("/api/v1/cases/{case_id}/consents"),
        "/api/v1/cases?limit=100".to_owned(),
    ] {
        let response = Client::new()
            .get(format!("{}{path}", server.base))
            .bearer_auth(&api_token)
            .send()
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }

    let mut aggregates = Vec::new();
    let amif = "/reports/amif/download?from=2000-01-01&to=2030-12-31&organisation=";
    for format in ["csv", "xlsx", "pdf"] {
        let (status, bytes) = monitoring.get_bytes(&format!("{amif}&format={format}"));
        assert_eq!(status, 200, "AMIF {format}");
        aggregates.extend(readable(&format!("AMIF {format}"), &bytes));
    }
    let page = monitoring.get("/reports/amif?from=2000-01-01&to=2030-12-31&organisation=");
    aggregates.push(Exposure {
        what: "AMIF page".into(),
        text: page.body,
    });

    let out = server.data_dir.path().join("exports");
    let report = out.join("amif.csv");
    std::fs::create_dir_all(&out).unwrap();
    let output = server.cli(&[
        "report",
        "amif",
        "--from",
        "2000-01-01",
        "--to",
        "2030-12-31",
        "--output",
        &report.display().to_string(),
    ]);
    assert!(output.status.success(), "{:?}", output);
    let published = out.join("published");
    let output = server.cli(&[
        "export",
        "published",
        "--output",
        &published.display().to_string(),
    ]);
    assert!(output.status.success(), "{:?}", output);
    for entry in std::fs::read_dir(&published)
        .unwrap()
        .chain(std::fs::read_dir(&out).unwrap())
    {
        let path = entry.unwrap().path();
        if path.is_file() {
            aggregates.extend(readable(
                &path.display().to_string(),
                &std::fs::read(&path).unwrap(),
            ));
        }
    }
    aggregates
}

/// The text of a download: the bytes as they are and, for a zip file (XLSX),
/// each of its entries.
fn readable(what: &str, bytes: &[u8]) -> Vec<Exposure> {
    let mut texts = vec![Exposure {
        what: what.to_owned(),
        text: String::from_utf8_lossy(bytes).into_owned(),
    }];
    if let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
            texts.push(Exposure {
                what: format!("{what}: {:?}", entry.name()),
                text: String::from_utf8_lossy(&content).into_owned(),
            });
        }
    }
    texts
}

/// Bad input that ends on error pages, each carrying the probe or a secret.
fn bad_input(server: &TestServer, case_id: &str, caseworker: &Visitor) {
    let case = format!("/cases/{case_id}");
    for path in [
        format!("/cases/{FAMILY_NAME}"),
        format!("/cases/{PROBE}/services"),
        format!("{case}/services/new?line={PROBE}"),
        format!("/cases?page={PROBE}"),
        format!("/cases?origin={PROBE}"),
        format!("/requests/{PROBE}/export.json"),
        format!("/reports/amif/download?from={PROBE}&to=2030-12-31&format=csv"),
        format!("/verify/{PROBE}"),
        format!("/{PROBE}"),
        format!("{case}/attachments/{PROBE}"),
    ] {
        let page = caseworker.get(&path);
        assert!(page.status >= 400 || page.status == 200, "{path}");
    }
    let page = caseworker.post(&format!("/cases/{PROBE}/notes"), &[("body", CASE_NOTE)]);
    assert!(page.status >= 400, "a note on no case: {}", page.status);
    // Forms sent again with bad values (shown again to their user).
    let bad_birth = caseworker.post_form(
        "/cases/new",
        &[
            ("given_name", GIVEN_NAME),
            ("family_name", FAMILY_NAME),
            ("birth_date", PROBE),
            ("contact", PHONE),
        ],
    );
    assert!(bad_birth.status >= 400);
    let bad_service = caseworker.post_form(
        &format!("{case}/services/new?line=case_management"),
        &[
            ("occurred_on", PROBE),
            ("duration_minutes", "x"),
            ("notes", SERVICE_NOTE),
        ],
    );
    assert!(bad_service.status >= 400);

    // The API's own error answers.
    let api_token = token(server, "caseworker");
    let api = |body: String, content_type: &str| {
        let response = Client::new()
            .post(format!("{}/api/v1/cases/{case_id}/services", server.base))
            .bearer_auth(&api_token)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().unwrap();
        caseworker.exposures.lock().unwrap().push(Exposure {
            what: format!("API error {status}"),
            text,
        });
        status
    };
    let shapes = [
        format!("{{\"line\": \"{PROBE}\", \"notes\": \"{API_NOTE}\"}}"),
        format!("{{\"line\": \"case_management\", \"{PROBE}\": 1}}"),
        format!("{{\"line\": \"case_management\", \"duration_minutes\": \"{PROBE}\"}}"),
        format!("{{\"line\": [\"{PROBE}\"]}}"),
        format!("{{\"notes\": \"{API_NOTE}\""),
    ];
    for shape in shapes {
        assert!(api(shape, "application/json") >= 400);
    }
    assert!(api(format!("notes={API_NOTE}"), "text/plain") >= 400);
    let response = Client::new()
        .get(format!("{}/api/v1/cases/{PROBE}", server.base))
        .bearer_auth(&api_token)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    caseworker.exposures.lock().unwrap().push(Exposure {
        what: format!("API GET case {status}"),
        text: response.text().unwrap(),
    });
    let response = Client::new()
        .get(format!("{}/api/v1/cases?limit={PROBE}", server.base))
        .bearer_auth(&api_token)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    caseworker.exposures.lock().unwrap().push(Exposure {
        what: format!("API list {status}"),
        text: response.text().unwrap(),
    });
}

/// Columns known to hold a secret in plain text, each a gap to close.
#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    data_type: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Every (table, column, secret form) where a column holds a secret in
/// plain text. Every column of every table is searched on SQLite, whatever
/// its type; on PostgreSQL every column that can hold text or bytes.
fn plain_in_database(server: &TestServer) -> Vec<String> {
    let mut conn = procap_store::db::connect(&server.database.url).unwrap();
    let mut found = Vec::new();
    let count = |conn: &mut DbConnection, table: &str, column: &str, kind: &str, form: &str| {
        let column = quoted(column);
        let condition = match (&*conn, kind) {
            (DbConnection::Sqlite(_), _) => {
                format!("instr(CAST({column} AS BLOB), CAST($1 AS BLOB)) > 0")
            }
            (DbConnection::Postgresql(_), "bytea") => {
                format!("position(convert_to($1, 'UTF8') in {column}) > 0")
            }
            (DbConnection::Postgresql(_), _) => format!("strpos({column}::text, $1) > 0"),
        };
        let query = format!(
            "SELECT COUNT(*) AS n FROM {} WHERE {condition}",
            quoted(table)
        );
        let sql = diesel::sql_query(query).bind::<diesel::sql_types::Text, _>(form.to_owned());
        let counted: Count = match &mut *conn {
            DbConnection::Sqlite(inner) => sql.get_result(inner),
            DbConnection::Postgresql(inner) => sql.get_result(inner),
        }
        .unwrap_or_else(|error| panic!("{table}.{column}: {error}"));
        if counted.n == 0 || table != "audit_log" {
            return (counted.n, Vec::new());
        }
        // For the audit log, the actions that wrote the string.
        let query = format!("SELECT action AS name FROM audit_log WHERE {condition}");
        let sql = diesel::sql_query(query).bind::<diesel::sql_types::Text, _>(form.to_owned());
        let actions: Vec<Name> = match conn {
            DbConnection::Sqlite(inner) => sql.load(inner),
            DbConnection::Postgresql(inner) => sql.load(inner),
        }
        .unwrap();
        (
            counted.n,
            actions.into_iter().map(|action| action.name).collect(),
        )
    };
    let columns: Vec<(String, String, String)> = match &mut conn {
        DbConnection::Sqlite(inner) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%'",
            )
            .load(inner)
            .unwrap();
            let mut columns = Vec::new();
            for table in tables {
                let names: Vec<Name> = diesel::sql_query(format!(
                    "SELECT name FROM pragma_table_info('{}')",
                    table.name.replace('\'', "''")
                ))
                .load(inner)
                .unwrap();
                columns.extend(
                    names
                        .into_iter()
                        .map(|column| (table.name.clone(), column.name, String::new())),
                );
            }
            columns
        }
        DbConnection::Postgresql(inner) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             data_type::text AS data_type FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type IN \
             ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')",
        )
        .load::<Column>(inner)
        .unwrap()
        .into_iter()
        .map(|column| (column.table_name, column.column_name, column.data_type))
        .collect(),
    };
    assert!(
        columns.len() > 50,
        "too few columns found: {}",
        columns.len()
    );
    for (table, column, kind) in &columns {
        for secret in SECRETS.iter().chain(std::iter::once(&PROBE)) {
            for form in variants(secret) {
                let (rows, actions) = count(&mut conn, table, column, kind, &form);
                if rows > 0 {
                    found.push(format!(
                        "{table}.{column} ({rows} rows {actions:?}): {form}"
                    ));
                }
            }
        }
    }
    eprintln!("{}: {} columns scanned", server.backend(), columns.len());
    found
}

#[test]
fn personal_data_stays_out_of_logs_urls_errors_and_plain_columns() {
    each_backend(|database| {
        let server = TestServer::start(
            database,
            &["demo", "--demo-password", DEMO_PASSWORD, "--log", "debug"],
        );
        let backend = server.backend();
        let exposures = Arc::new(Mutex::new(Vec::new()));
        let caseworker = Visitor::new(&server, "caseworker", &exposures);
        let coordinator = Visitor::new(&server, "coordinator", &exposures);
        let admin = Visitor::new(&server, "admin", &exposures);
        let monitoring = Visitor::new(&server, "monitoring", &exposures);

        let case_id = seed(&server, &caseworker, &coordinator);
        let aggregates = exercise(
            &server,
            &case_id,
            &caseworker,
            &coordinator,
            &admin,
            &monitoring,
        );
        bad_input(&server, &case_id, &caseworker);

        let mut leaks = Vec::new();
        let log = server.log();
        assert!(
            log.contains("DEBUG") && log.contains("route="),
            "{backend}: the log is not at debug level"
        );
        for line in log.lines() {
            let found = found_in(line);
            if !found.is_empty() {
                leaks.push(format!("log line {line:?}: {found:?}"));
            }
        }
        for visitor in [&caseworker, &coordinator, &admin, &monitoring] {
            for url in visitor.redirects.lock().unwrap().iter() {
                let found = found_in(url);
                if !found.is_empty() {
                    leaks.push(format!("redirect to {url}: {found:?}"));
                }
            }
        }
        let errors = exposures.lock().unwrap();
        assert!(errors.len() >= 15, "{backend}: too few error pages");
        for exposure in errors.iter().chain(aggregates.iter()) {
            let found = found_in(&exposure.text);
            if !found.is_empty() {
                leaks.push(format!("{}: {found:?}", exposure.what));
            }
        }
        for place in plain_in_database(&server) {
            leaks.push(format!("database column {place}"));
        }
        assert!(leaks.is_empty(), "{backend}: leaks:\n{}", leaks.join("\n"));
    });
}
