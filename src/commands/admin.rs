//! Administrative commands run from a shell on the server: migrations,
//! accounts, API tokens, audit verification and key rotation. Each change
//! they make is written to the audit log with the actor `cli`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::Duration;
use procap_domain::account::Username;
use procap_domain::role::Role;
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::{Store, StoreError, organisations, rotation, sessions, tokens, users};
use rand::Rng;
use serde_json::json;

use crate::config::Settings;
use crate::startup::open_store;

const CLI_ACTOR: &str = "cli";
/// Name of the organisation created for the first account of a fresh installation.
const FIRST_ORGANISATION_NAME: &str = "Procap";

pub fn migrate(settings: Settings) -> anyhow::Result<ExitCode> {
    let url = procap_store::DatabaseUrl::parse(&settings.database_url())
        .map_err(|error| anyhow::anyhow!(error))?;
    let _store = open_store(&settings)?;
    println!("Database {url} is up to date.");
    Ok(ExitCode::SUCCESS)
}

/// A random password for a new or reset account, to be changed at first login.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn cli_event(action: &str, object_id: &str) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success)
        .object("user", object_id)
        .details(json!({ "via": CLI_ACTOR }))
}

fn find_user(store: &Store, username: &str) -> anyhow::Result<users::User> {
    let name =
        Username::parse(username).with_context(|| format!("invalid username {username:?}"))?;
    let found = store.run_blocking(|db| users::find_by_username(db, name.as_str()))?;
    found.with_context(|| format!("no user named {username}"))
}

pub fn user_add(
    settings: Settings,
    username: &str,
    role: &str,
    organisation_prefix: Option<&str>,
    name: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let username =
        Username::parse(username).with_context(|| format!("invalid username {username:?}"))?;
    let Some(role) = Role::parse(role) else {
        let roles: Vec<_> = Role::ALL.iter().map(|role| role.as_str()).collect();
        bail!("unknown role {role:?}; use one of: {}", roles.join(", "));
    };
    let store = open_store(&settings)?;
    let password = one_time_password();
    let password_hash = procap_crypto::hash_password(&password);

    let user = store.run_blocking(|db| {
        let mut all = organisations::list(db)?;
        if all.is_empty() {
            // A fresh installation has no organisation yet; the first account
            // needs one, which an administrator can complete with more organisations in the interface.
            let created = organisations::create(
                db,
                FIRST_ORGANISATION_NAME,
                "other",
                organisation_prefix.unwrap_or("ORG"),
            )?;
            audit::append(
                db,
                &AuditEvent::new("organisation.create", Outcome::Success)
                    .object("organisation", &created.id)
                    .details(json!({ "via": CLI_ACTOR })),
            )?;
            all.push(created);
        }
        let organisation = match organisation_prefix {
            Some(prefix) => all
                .into_iter()
                .find(|o| o.case_code_prefix.eq_ignore_ascii_case(prefix)),
            None => all.into_iter().next(),
        }
        .ok_or(StoreError::NotFound)?;
        let user = users::create(
            db,
            &users::NewUser {
                organisation_id: &organisation.id,
                username: username.as_str(),
                display_name: name.unwrap_or(username.as_str()),
                email: None,
                role: role.as_str(),
                password_hash: &password_hash,
                must_change_password: true,
                locale: "el",
            },
        )?;
        audit::append(
            db,
            &cli_event("user.create", &user.id)
                .details(json!({ "via": CLI_ACTOR, "role": role.as_str() })),
        )?;
        Ok(user)
    });
    let user = match user {
        Ok(user) => user,
        Err(StoreError::NotFound) => bail!(
            "no organisation has that case code prefix; an administrator creates organisations under /admin/organisations"
        ),
        Err(StoreError::Conflict(_)) => bail!("the username {username} is already taken"),
        Err(error) => return Err(error.into()),
    };
    println!("Created {} ({}).", user.username, role.as_str());
    println!("One-time password (must be changed at first login): {password}");
    Ok(ExitCode::SUCCESS)
}

pub fn user_disable(settings: Settings, username: &str) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings)?;
    let user = find_user(&store, username)?;
    let ended = store.run_blocking(|db| {
        users::set_disabled(db, &user.id, true)?;
        let ended = sessions::delete_for_user(db, &user.id)?;
        audit::append(db, &cli_event("user.disable", &user.id))?;
        Ok(ended)
    })?;
    println!("Disabled {}; ended {ended} session(s).", user.username);
    Ok(ExitCode::SUCCESS)
}

pub fn user_reset_password(settings: Settings, username: &str) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings)?;
    let user = find_user(&store, username)?;
    let password = one_time_password();
    let password_hash = procap_crypto::hash_password(&password);
    store.run_blocking(|db| {
        users::set_password(db, &user.id, &password_hash, true)?;
        sessions::delete_for_user(db, &user.id)?;
        audit::append(db, &cli_event("user.reset_password", &user.id))?;
        Ok(())
    })?;
    println!(
        "New one-time password for {} (must be changed at next login): {password}",
        user.username
    );
    Ok(ExitCode::SUCCESS)
}

pub fn token_create(
    settings: Settings,
    username: &str,
    expires_days: u32,
    name: &str,
) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings)?;
    let user = find_user(&store, username)?;
    if user.disabled {
        bail!("user {username} is disabled");
    }
    let (token, token_hash) = procap_crypto::generate_api_token();
    let expires_at = procap_store::now() + Duration::days(i64::from(expires_days));
    store.run_blocking(|db| {
        let created = tokens::create(db, &user.id, name, &token_hash, expires_at)?;
        let event = AuditEvent::new("token.create", Outcome::Success)
            .actor(&user.id, &user.username)
            .object("api_token", &created.id)
            .details(json!({ "via": CLI_ACTOR, "expires_days": expires_days }));
        audit::append(db, &event)?;
        Ok(())
    })?;
    eprintln!(
        "API token for {} (shown once; expires in {expires_days} days):",
        user.username
    );
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

pub fn audit_verify(settings: Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings)?;
    let report = store.run_blocking(audit::verify)?;
    match report.first_break {
        None => {
            let last = report
                .last_seq
                .map_or_else(|| "none".to_owned(), |seq| seq.to_string());
            println!("Audit chain intact: {} rows, last seq {last}.", report.rows);
            Ok(ExitCode::SUCCESS)
        }
        Some(broken) => {
            println!("Audit chain BROKEN at the first altered row: {broken}.");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn key_rotate(settings: Settings) -> anyhow::Result<ExitCode> {
    let path = settings.key_file();
    let mut keys =
        procap_crypto::Keyring::load(&path).map_err(|error| anyhow::anyhow!("{error}"))?;
    let new_id = keys
        .rotate(&path)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    println!(
        "Key file {} now has field-encryption key {new_id}; back it up now.",
        path.display()
    );

    let store = open_store(&settings)?;
    let mut total = 0;
    for (table, column) in rotation::ENCRYPTED_COLUMNS {
        let mut after: Option<String> = None;
        loop {
            let outcome = store.run_blocking(|db| {
                rotation::reencrypt_batch(db, table, column, after.as_deref(), 500)
            })?;
            if outcome.reencrypted > 0 {
                total += outcome.reencrypted;
                eprintln!("re-encrypted {total} value(s) so far ({table}.{column})");
            }
            match outcome.last_id {
                Some(last) => after = Some(last),
                None => break,
            }
        }
    }
    store.run_blocking(|db| {
        let event = AuditEvent::new("key.rotate", Outcome::Success)
            .details(json!({ "via": CLI_ACTOR, "key_id": new_id, "reencrypted": total }));
        audit::append(db, &event)
    })?;
    println!("Re-encrypted {total} value(s) with key {new_id}.");
    Ok(ExitCode::SUCCESS)
}
