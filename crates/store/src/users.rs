//! User accounts, their second factors (TOTP secret, recovery codes,
//! passkeys) and the per-account login lock.
//!
//! The TOTP secret is a field-encrypted column bound to the user's row.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::{organisations, passkeys, recovery_codes, users};
use crate::{Db, StoreError};

/// Failed logins after which an account is locked.
pub const LOCK_AFTER_FAILURES: i32 = 6;
/// How long a locked account stays locked, in minutes.
pub const LOCK_MINUTES: i64 = 30;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub organisation_id: String,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub locale: String,
    pub totp_secret: Option<Vec<u8>>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl User {
    /// Whether the account is locked at `now` after too many failed logins.
    pub fn is_locked(&self, now: NaiveDateTime) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

/// What creating a user needs. The password arrives already hashed.
pub struct NewUser<'a> {
    pub organisation_id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub locale: &'a str,
}

/// A row of the administrator's user list.
#[derive(Debug, Clone, Queryable)]
pub struct UserListRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub organisation_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub locked_until: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
}

/// Inserts a user. Fails with `Conflict` when the username is taken.
pub fn create(db: &mut Db<'_>, new: &NewUser<'_>) -> Result<User, StoreError> {
    let now = crate::now();
    let user = User {
        id: crate::new_id(),
        organisation_id: new.organisation_id.to_owned(),
        username: new.username.to_owned(),
        display_name: new.display_name.to_owned(),
        email: new.email.map(str::to_owned),
        role: new.role.to_owned(),
        password_hash: new.password_hash.to_owned(),
        must_change_password: new.must_change_password,
        disabled: false,
        locale: new.locale.to_owned(),
        totp_secret: None,
        totp_enabled: false,
        totp_last_step: None,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(users::table)
        .values(&user)
        .execute(db.conn)?;
    Ok(user)
}

pub fn get(db: &mut Db<'_>, id: &str) -> Result<User, StoreError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(db.conn)?)
}

/// Finds a user by login name (already normalised to lower case).
pub fn find_by_username(db: &mut Db<'_>, username: &str) -> Result<Option<User>, StoreError> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(User::as_select())
        .first(db.conn)
        .optional()?)
}

/// One page of users ordered by username, with the total count.
pub fn list(
    db: &mut Db<'_>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<UserListRow>, i64), StoreError> {
    let total = users::table.count().get_result(db.conn)?;
    let rows = users::table
        .inner_join(organisations::table)
        .order(users::username.asc())
        .offset(offset)
        .limit(limit)
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            organisations::name,
            users::disabled,
            users::must_change_password,
            users::totp_enabled,
            users::locked_until,
            users::last_login_at,
        ))
        .load(db.conn)?;
    Ok((rows, total))
}

/// Every username, for filters.
pub fn usernames(db: &mut Db<'_>) -> Result<Vec<(String, String)>, StoreError> {
    Ok(users::table
        .order(users::username.asc())
        .select((users::id, users::username))
        .load(db.conn)?)
}

/// Replaces the password hash. `must_change` forces a change at next login
/// (set after an administrator's reset, cleared after the user's own change).
pub fn set_password(
    db: &mut Db<'_>,
    id: &str,
    password_hash: &str,
    must_change: bool,
) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(must_change),
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::updated_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    expect_one(updated)
}

pub fn set_disabled(db: &mut Db<'_>, id: &str, disabled: bool) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(id))
        .set((
            users::disabled.eq(disabled),
            users::updated_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    expect_one(updated)
}

pub fn set_role(
    db: &mut Db<'_>,
    id: &str,
    role: &str,
    organisation_id: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(id))
        .set((
            users::role.eq(role),
            users::organisation_id.eq(organisation_id),
            users::updated_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    expect_one(updated)
}

pub fn set_locale(db: &mut Db<'_>, id: &str, locale: &str) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set(users::locale.eq(locale))
        .execute(db.conn)?;
    Ok(())
}

/// Records a successful login: clears the failure count and the lock.
pub fn record_login_success(db: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::last_login_at.eq(Some(crate::now())),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// Counts a failed login and locks the account for [`LOCK_MINUTES`] once it
/// reaches [`LOCK_AFTER_FAILURES`]. Returns whether the account is now locked.
pub fn record_login_failure(db: &mut Db<'_>, id: &str) -> Result<bool, StoreError> {
    let now = crate::now();
    crate::db::write_transaction(db.conn, |conn| {
        let failures: i32 = users::table
            .find(id)
            .select(users::failed_logins)
            .first(conn)?;
        let failures = failures + 1;
        let locked_until =
            (failures >= LOCK_AFTER_FAILURES).then(|| now + Duration::minutes(LOCK_MINUTES));
        // The counter restarts after a lock so the next lock needs six new failures.
        let stored_failures = if locked_until.is_some() { 0 } else { failures };
        diesel::update(users::table.find(id))
            .set(users::failed_logins.eq(stored_failures))
            .execute(conn)?;
        if let Some(until) = locked_until {
            diesel::update(users::table.find(id))
                .set(users::locked_until.eq(Some(until)))
                .execute(conn)?;
        }
        Ok::<_, StoreError>(locked_until.is_some())
    })
}

// --- TOTP -----------------------------------------------------------------

fn totp_context(user_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "users",
        column: "totp_secret",
        row_id: user_id,
    }
}

/// Stores a new, not yet confirmed TOTP secret (encrypted).
pub fn set_pending_totp_secret(db: &mut Db<'_>, id: &str, secret: &[u8]) -> Result<(), StoreError> {
    let ciphertext = db.keys.encrypt(&totp_context(id), secret);
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret.eq(Some(ciphertext)),
            users::totp_enabled.eq(false),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// Decrypts the user's TOTP secret, if any.
pub fn totp_secret(
    db: &mut Db<'_>,
    user: &User,
) -> Result<Option<procap_crypto::Zeroizing<Vec<u8>>>, StoreError> {
    match &user.totp_secret {
        None => Ok(None),
        Some(ciphertext) => Ok(Some(db.keys.decrypt(&totp_context(&user.id), ciphertext)?)),
    }
}

/// Marks the pending secret as confirmed.
pub fn enable_totp(db: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set(users::totp_enabled.eq(true))
        .execute(db.conn)?;
    Ok(())
}

/// Records the TOTP time step just used so the same code cannot be replayed.
/// Returns false when `step` is not newer than the last accepted one.
pub fn accept_totp_step(db: &mut Db<'_>, id: &str, step: i64) -> Result<bool, StoreError> {
    let updated = diesel::update(
        users::table.find(id).filter(
            users::totp_last_step
                .is_null()
                .or(users::totp_last_step.lt(step)),
        ),
    )
    .set(users::totp_last_step.eq(Some(step)))
    .execute(db.conn)?;
    Ok(updated == 1)
}

/// Removes every second factor of a user (administrator's reset).
pub fn clear_second_factors(db: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    crate::db::write_transaction(db.conn, |conn| {
        diesel::update(users::table.find(id))
            .set((
                users::totp_secret.eq(None::<Vec<u8>>),
                users::totp_enabled.eq(false),
                users::totp_last_step.eq(None::<i64>),
            ))
            .execute(conn)?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id)))
            .execute(conn)?;
        diesel::delete(passkeys::table.filter(passkeys::user_id.eq(id))).execute(conn)?;
        Ok::<_, StoreError>(())
    })
}

// --- Recovery codes --------------------------------------------------------

/// Replaces the user's recovery codes with the given hashes.
pub fn replace_recovery_codes(
    db: &mut Db<'_>,
    user_id: &str,
    code_hashes: &[String],
) -> Result<(), StoreError> {
    crate::db::write_transaction(db.conn, |conn| {
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
            .execute(conn)?;
        for hash in code_hashes {
            diesel::insert_into(recovery_codes::table)
                .values((
                    recovery_codes::id.eq(crate::new_id()),
                    recovery_codes::user_id.eq(user_id),
                    recovery_codes::code_hash.eq(hash),
                ))
                .execute(conn)?;
        }
        Ok::<_, StoreError>(())
    })
}

/// Marks an unused recovery code as used. Returns false when no unused code
/// of this user has that hash.
pub fn consume_recovery_code(
    db: &mut Db<'_>,
    user_id: &str,
    code_hash: &str,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(code_hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(crate::now())))
    .execute(db.conn)?;
    Ok(updated == 1)
}

/// How many unused recovery codes the user has left.
pub fn unused_recovery_codes(db: &mut Db<'_>, user_id: &str) -> Result<i64, StoreError> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(db.conn)?)
}

// --- Passkeys --------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = passkeys)]
pub struct Passkey {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// Base64url credential id, unique across all users.
    pub credential_id: String,
    /// The serialised credential (public key and counter), as JSON.
    pub credential: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

pub fn add_passkey(
    db: &mut Db<'_>,
    user_id: &str,
    name: &str,
    credential_id: &str,
    credential: &str,
) -> Result<Passkey, StoreError> {
    let passkey = Passkey {
        id: crate::new_id(),
        user_id: user_id.to_owned(),
        name: name.to_owned(),
        credential_id: credential_id.to_owned(),
        credential: credential.to_owned(),
        created_at: crate::now(),
        last_used_at: None,
    };
    diesel::insert_into(passkeys::table)
        .values(&passkey)
        .execute(db.conn)?;
    Ok(passkey)
}

pub fn list_passkeys(db: &mut Db<'_>, user_id: &str) -> Result<Vec<Passkey>, StoreError> {
    Ok(passkeys::table
        .filter(passkeys::user_id.eq(user_id))
        .order(passkeys::created_at.asc())
        .select(Passkey::as_select())
        .load(db.conn)?)
}

/// Stores the updated credential (signature counter) after a login.
pub fn update_passkey(db: &mut Db<'_>, id: &str, credential: &str) -> Result<(), StoreError> {
    diesel::update(passkeys::table.find(id))
        .set((
            passkeys::credential.eq(credential),
            passkeys::last_used_at.eq(Some(crate::now())),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// Removes one of the user's passkeys; `NotFound` if it is not theirs.
pub fn remove_passkey(db: &mut Db<'_>, user_id: &str, id: &str) -> Result<(), StoreError> {
    let deleted = diesel::delete(
        passkeys::table
            .find(id)
            .filter(passkeys::user_id.eq(user_id)),
    )
    .execute(db.conn)?;
    expect_one(deleted)
}

fn expect_one(rows: usize) -> Result<(), StoreError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// Lifts a login lock before it expires.
pub fn unlock(db: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(db.conn)?;
    expect_one(updated)
}
