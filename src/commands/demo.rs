//! `procap demo`: fictional organisations and one account per role, then the
//! server in demo mode (second factors optional). Running it again on the
//! same data folder keeps the data and sets the demo password anew.

use std::process::ExitCode;
use std::time::Instant;

use procap_domain::account::check_new_password;
use procap_domain::role::Role;
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::{Store, StoreError, case_records, cases, organisations, users};
use serde_json::json;

use super::admin::one_time_password;
use super::serve::{Mode, serve_store};
use crate::config::Settings;

/// Fictional organisations: (name, kind, case code prefix).
const DEMO_ORGANISATIONS: [(&str, &str, &str); 3] = [
    ("Κοινωνική Αρωγή (επίδειξη)", "ngo", "KA"),
    (
        "Εθνικό Κέντρο Αλληλεγγύης (επίδειξη)",
        "national_centre",
        "EKA",
    ),
    (
        "Κέντρο Κατάρτισης Πρόληψη (επίδειξη)",
        "training_organisation",
        "KKP",
    ),
];

/// Fictional staff names per role, and the organisation (by prefix) each works in.
fn demo_person(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Admin => ("Διαχειριστής Επίδειξης", "KA"),
        Role::Coordinator => ("Ελένη Παπαδοπούλου", "KA"),
        Role::Caseworker => ("Γιώργος Νικολάου", "KA"),
        Role::Psychologist => ("Κατερίνα Δημητρίου", "KA"),
        Role::Lawyer => ("Νίκος Αντωνίου", "KA"),
        Role::Interpreter => ("Σοφία Γεωργίου", "KA"),
        Role::Escort => ("Δημήτρης Ιωάννου", "KA"),
        Role::Trainer => ("Μαρία Κωνσταντίνου", "KKP"),
        Role::Trainee => ("Αλέξανδρος Βασιλείου", "KKP"),
        Role::Monitoring => ("Ιωάννα Μιχαηλίδου", "EKA"),
    }
}

pub fn run(settings: Settings, demo_password: Option<String>) -> anyhow::Result<ExitCode> {
    crate::logging::init(settings.log_format, &settings.log)?;
    let started = Instant::now();
    let password = match demo_password {
        Some(password) => {
            // The demo password is typed by people trying Procap; it still
            // has to pass the policy so the demo teaches the real rule.
            check_new_password(&password, "")
                .map_err(|error| anyhow::anyhow!("the demo password is not accepted: {error}"))?;
            password
        }
        None => one_time_password(),
    };
    let store = crate::startup::open_store(&settings)?;
    seed(&store, &password)?;

    println!();
    println!("Procap demo / επίδειξη: http://{}", settings.bind);
    println!(
        "Data folder / φάκελος δεδομένων: {}",
        settings.data_dir().display()
    );
    println!("Accounts / λογαριασμοί (password / κωδικός: {password}):");
    for role in Role::ALL {
        println!("  {}", role.as_str());
    }
    println!(
        "Training invitation code / κωδικός πρόσκλησης εκπαίδευσης: {DEMO_INVITATION_CODE} \
         (/training/register)"
    );
    println!();
    serve_store(settings, store, Mode::Demo, started)
}

/// The CTDC sample shipped with Procap; the demo loads it as anonymised
/// historical cases of the first demo organisation.
pub(crate) const CTDC_SAMPLE: &str =
    include_str!("../../crates/import/data/ctdc_global_kanon_sample.csv");

/// Fictional people for the demo's registered cases: (given name, family
/// name, birth date, sex, citizenship, language, exploitation, source).
type DemoPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const DEMO_CASES: [DemoPerson; 3] = [
    (
        "Αμάρα",
        "Δοκιμαστική",
        "1999-03-14",
        "female",
        "NG",
        "en;pcm",
        "sexual_exploitation",
        "police",
    ),
    (
        "Olena",
        "Prykladna",
        "1987-11-02",
        "female",
        "UA",
        "uk;ru",
        "forced_labour",
        "labour_inspectorate",
    ),
    (
        "Rahim",
        "Namuna",
        "2009-06-21",
        "male",
        "AF",
        "fa;prs",
        "forced_labour;forced_begging",
        "reception_identification_service",
    ),
];

/// Creates what is missing and resets every demo account's password.
pub fn seed(store: &Store, password: &str) -> anyhow::Result<()> {
    seed_accounts(store, password)?;
    seed_cases(store)?;
    seed_course(store)?;
    seed_training(store)?;
    Ok(())
}

/// Loads the CTDC sample and the fictional cases once.
fn seed_cases(store: &Store) -> anyhow::Result<()> {
    let records = procap_import::parse_ctdc(CTDC_SAMPLE.as_bytes()).map_err(|errors| {
        anyhow::anyhow!(
            "the shipped CTDC sample is invalid: {} errors",
            errors.len()
        )
    })?;
    let anonymised: Vec<cases::AnonymisedCase> = records
        .iter()
        .map(|record| cases::AnonymisedCase {
            registration_year: record.registration_year,
            sex: record.sex.to_owned(),
            age_bracket: record.age_bracket.map(str::to_owned),
            is_minor: record.is_minor,
            citizenship: record.citizenship.clone(),
            exploitation_types: record.exploitation_types.join(";"),
            means_of_control: record.means_of_control.join(";"),
            forced_labour_industry: record.forced_labour_industry.map(str::to_owned),
            trafficker_relationship: record.trafficker_relationship.map(str::to_owned),
            countries_exploitation: record.countries_exploitation.join(";"),
        })
        .collect();
    store.run_blocking(|db| {
        let organisation = organisations::list(db)?
            .into_iter()
            .find(|organisation| organisation.case_code_prefix == DEMO_ORGANISATIONS[0].2)
            .ok_or(StoreError::NotFound)?;
        if cases::count_by_origin(db, &organisation.id, "ctdc_import")? == 0 {
            cases::import_anonymised(
                db,
                &organisation.id,
                &organisation.case_code_prefix,
                "ctdc_import",
                &anonymised,
                |_| {},
            )?;
        }
        if cases::count_by_origin(db, &organisation.id, "procap")? > 0 {
            return Ok(());
        }
        let caseworker =
            users::find_by_username(db, Role::Caseworker.as_str())?.ok_or(StoreError::NotFound)?;
        let psychologist = users::find_by_username(db, Role::Psychologist.as_str())?
            .ok_or(StoreError::NotFound)?;
        let lawyer =
            users::find_by_username(db, Role::Lawyer.as_str())?.ok_or(StoreError::NotFound)?;
        let today = chrono::Utc::now().date_naive();
        for (index, (given, family, birth, sex, citizenship, languages, exploitation, source)) in
            DEMO_CASES.into_iter().enumerate()
        {
            let birth_date = birth.parse::<chrono::NaiveDate>().ok();
            let referred_on = today - chrono::Duration::days(30 * (index as i64 + 1));
            let is_minor =
                birth_date.is_some_and(|birth| birth + chrono::Months::new(18 * 12) > referred_on);
            let case = cases::register(
                db,
                cases::Registration {
                    organisation_id: &organisation.id,
                    case_code_prefix: &organisation.case_code_prefix,
                    created_by: &caseworker.id,
                    person: cases::PersonDetails {
                        given_name: given.to_owned(),
                        family_name: Some(family.to_owned()),
                        birth_date,
                        contact: Some("Δομή φιλοξενίας επίδειξης".to_owned()),
                        ..cases::PersonDetails::default()
                    },
                    attributes: cases::PersonAttributes {
                        sex: sex.to_owned(),
                        citizenships: citizenship.to_owned(),
                        languages: languages.to_owned(),
                        legal_status: "asylum_seeker".to_owned(),
                        vulnerabilities: if is_minor {
                            "minor;unaccompanied_minor".to_owned()
                        } else {
                            String::new()
                        },
                        ..Default::default()
                    },
                    case: cases::CaseAttributes {
                        is_minor,
                        region: "attica".to_owned(),
                        setting: if is_minor {
                            "hosting_facility".to_owned()
                        } else {
                            "urban_area".to_owned()
                        },
                        exploitation_types: exploitation.to_owned(),
                        means_of_control: "withholds_documents;threats".to_owned(),
                        countries_exploitation: "GR".to_owned(),
                        opened_on: referred_on,
                        ..Default::default()
                    },
                    intake: cases::IntakeReferral {
                        source: source.to_owned(),
                        referred_on,
                        referring_contact: None,
                        reason: Some("Φανταστικό περιστατικό επίδειξης".to_owned()),
                    },
                },
            )?;
            // A few services on the older two cases, so the reports have
            // something to count: case management for both, then legal
            // assistance for one and psychosocial support for the other.
            // The newest case is left without services for a caseworker to
            // start from.
            let services = [
                ("case_management", 0, &caseworker.id, index > 0),
                ("legal", 14, &lawyer.id, index == 1),
                ("psychosocial", 7, &psychologist.id, index == 2),
            ];
            for (line, after_days, staff, given) in services {
                if !given {
                    continue;
                }
                case_records::add_service_record(
                    db,
                    &case_records::NewServiceRecord {
                        case_id: &case.id,
                        line,
                        occurred_on: referred_on + chrono::Duration::days(after_days),
                        duration_minutes: 60,
                        staff_user_id: staff,
                        beneficiary_present: true,
                        details: &json!({}),
                        outcome: None,
                        notes: None,
                    },
                )?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn seed_accounts(store: &Store, password: &str) -> anyhow::Result<()> {
    let password_hash = procap_crypto::hash_password(password);
    store.run_blocking(|db| {
        let mut existing = organisations::list(db)?;
        for (name, kind, prefix) in DEMO_ORGANISATIONS {
            if !existing
                .iter()
                .any(|organisation| organisation.case_code_prefix == prefix)
            {
                existing.push(organisations::create(db, name, kind, prefix)?);
            }
        }
        for role in Role::ALL {
            let (display_name, prefix) = demo_person(role);
            let organisation = existing
                .iter()
                .find(|organisation| organisation.case_code_prefix == prefix)
                .ok_or(StoreError::NotFound)?;
            let user = match users::find_by_username(db, role.as_str())? {
                Some(user) => {
                    users::set_password(db, &user.id, &password_hash, false)?;
                    user
                }
                None => users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &organisation.id,
                        username: role.as_str(),
                        display_name,
                        email: None,
                        role: role.as_str(),
                        password_hash: &password_hash,
                        must_change_password: false,
                        locale: "el",
                    },
                )?,
            };
            // Skills so the demo can book the interpreter and the escort.
            match role {
                Role::Interpreter => procap_store::appointments::set_staff_skills(
                    db,
                    &user.id,
                    "female",
                    "en;fr;ar;ti",
                    &user.id,
                )?,
                Role::Escort => procap_store::appointments::set_staff_skills(
                    db, &user.id, "male", "", &user.id,
                )?,
                _ => {}
            }
            let event = AuditEvent::new("demo.seed_account", Outcome::Success)
                .object("user", &user.id)
                .details(json!({ "role": role.as_str() }));
            audit::append(db, &event)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The invitation code the demo prints, for trying trainee registration.
pub const DEMO_INVITATION_CODE: &str = "DEMO2026";

/// Gives the demo trainee a profile and creates the demo invitation code
/// (training organisation, sector "other", Attica, no limit) once.
fn seed_training(store: &Store) -> anyhow::Result<()> {
    use procap_store::training::{enrolment, invitations};
    store.run_blocking(|db| {
        let trainer =
            users::find_by_username(db, Role::Trainer.as_str())?.ok_or(StoreError::NotFound)?;
        let trainee =
            users::find_by_username(db, Role::Trainee.as_str())?.ok_or(StoreError::NotFound)?;
        if enrolment::profile(db, &trainee.id)?.is_none() {
            enrolment::create_profile(
                db,
                &enrolment::NewProfile {
                    user_id: &trainee.id,
                    sector: "airport",
                    region: "attica",
                    employer: Some("Αερολιμένας Επίδειξης"),
                    invitation_id: None,
                },
            )?;
        }
        if invitations::find_by_code(db, DEMO_INVITATION_CODE)?.is_none() {
            invitations::create_invitation(
                db,
                &invitations::NewInvitation {
                    organisation_id: trainer.organisation_id.clone(),
                    sector: "other".into(),
                    region: "attica".into(),
                    course_id: None,
                    max_uses: None,
                    expires_on: None,
                    created_by: trainer.id.clone(),
                },
                Some(DEMO_INVITATION_CODE),
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Loads the course shipped with Procap, or updates it in place when the
/// shipped text changed. The files are compiled into the binary.
fn seed_course(store: &Store) -> anyhow::Result<()> {
    use procap_store::training::{content, content_store};
    let course = content::parse_course(&content::trafficking_basics())
        .map_err(|errors| anyhow::anyhow!("the shipped course is invalid:\n{errors}"))?;
    store.run_blocking(move |db| content_store::load_course(db, &course))?;
    Ok(())
}
