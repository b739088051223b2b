//! `procap demo`: fictional organisations and one account per role, then the
//! server in demo mode (second factors optional). Running it again on the
//! same data folder keeps the data and sets the demo password anew.

use std::process::ExitCode;
use std::time::Instant;

use procap_domain::account::check_new_password;
use procap_domain::role::Role;
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::{Store, StoreError, organisations, users};
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
    println!();
    serve_store(settings, store, Mode::Demo, started)
}

/// Creates what is missing and resets every demo account's password.
pub fn seed(store: &Store, password: &str) -> anyhow::Result<()> {
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
            let event = AuditEvent::new("demo.seed_account", Outcome::Success)
                .object("user", &user.id)
                .details(json!({ "role": role.as_str() }));
            audit::append(db, &event)?;
        }
        Ok(())
    })?;
    Ok(())
}
