//! Login sessions. Rows are keyed by the SHA-256 of the session id, so a copy
//! of the database does not hand out live sessions. The session data itself
//! is the JSON the web layer's session library produces; `user_id` is kept
//! beside it so administrators can list and end a user's sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{sessions, users};
use crate::{Db, StoreError};

/// What the session store saves.
pub struct SessionWrite<'a> {
    pub id_hash: &'a str,
    pub user_id: Option<&'a str>,
    pub data: &'a str,
    pub expires_at: NaiveDateTime,
    pub client_ip: Option<&'a str>,
}

/// How far a request may move a session's idle deadline before the row is
/// rewritten. Pages save the session on every request to slide the
/// deadline; writing each time put one serialised commit on every page
/// view. With this slack a session can end up to this long before its idle
/// limit, and the "last seen" time shown to administrators lags as much.
pub const EXPIRY_SLACK_SECONDS: i64 = 60;

/// Inserts or replaces a session. Done as update-then-insert because Diesel's
/// `on_conflict` is not available across both backends. Skips the write
/// when only the expiry moved, and by less than [`EXPIRY_SLACK_SECONDS`]
/// (a read, which does not wait for other writers, decides). Returns
/// whether it wrote.
pub fn save(db: &mut Db<'_>, session: &SessionWrite<'_>) -> Result<bool, StoreError> {
    let stored: Option<(String, Option<String>, NaiveDateTime)> = sessions::table
        .find(session.id_hash)
        .select((sessions::data, sessions::user_id, sessions::expires_at))
        .first(db.conn)
        .optional()?;
    if let Some((data, user_id, expires_at)) = stored {
        let moved = session.expires_at - expires_at;
        if data == session.data
            && user_id.as_deref() == session.user_id
            && moved >= chrono::Duration::zero()
            && moved < chrono::Duration::seconds(EXPIRY_SLACK_SECONDS)
        {
            return Ok(false);
        }
    }
    let now = crate::now();
    crate::db::write_transaction(db.conn, |conn| {
        let updated = diesel::update(sessions::table.find(session.id_hash))
            .set((
                sessions::user_id.eq(session.user_id),
                sessions::data.eq(session.data),
                sessions::expires_at.eq(session.expires_at),
                sessions::last_seen_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(sessions::table)
                .values((
                    sessions::id_hash.eq(session.id_hash),
                    sessions::user_id.eq(session.user_id),
                    sessions::data.eq(session.data),
                    sessions::expires_at.eq(session.expires_at),
                    sessions::created_at.eq(now),
                    sessions::last_seen_at.eq(now),
                    sessions::client_ip.eq(session.client_ip),
                ))
                .execute(conn)?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(true)
}

/// Inserts a new session; `Conflict` when the id exists already.
pub fn create(db: &mut Db<'_>, session: &SessionWrite<'_>) -> Result<(), StoreError> {
    let now = crate::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(session.id_hash),
            sessions::user_id.eq(session.user_id),
            sessions::data.eq(session.data),
            sessions::expires_at.eq(session.expires_at),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::client_ip.eq(session.client_ip),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// The session data and expiry if the session exists and has not expired at `now`.
pub fn load(
    db: &mut Db<'_>,
    id_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<(String, NaiveDateTime)>, StoreError> {
    Ok(sessions::table
        .find(id_hash)
        .filter(sessions::expires_at.gt(now))
        .select((sessions::data, sessions::expires_at))
        .first(db.conn)
        .optional()?)
}

pub fn delete(db: &mut Db<'_>, id_hash: &str) -> Result<(), StoreError> {
    diesel::delete(sessions::table.find(id_hash)).execute(db.conn)?;
    Ok(())
}

/// Ends every session of a user (after a password reset or disabling).
pub fn delete_for_user(db: &mut Db<'_>, user_id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(db.conn)?)
}

/// Removes expired sessions; returns how many.
pub fn delete_expired(db: &mut Db<'_>, now: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(db.conn)?)
}

/// A row of the administrator's list of active sessions.
#[derive(Debug, Clone, Queryable)]
pub struct ActiveSession {
    pub id_hash: String,
    pub user_id: String,
    pub username: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub client_ip: Option<String>,
}

/// Signed-in sessions that have not expired, newest activity first.
pub fn list_active(db: &mut Db<'_>, now: NaiveDateTime) -> Result<Vec<ActiveSession>, StoreError> {
    Ok(sessions::table
        .inner_join(users::table.on(sessions::user_id.eq(users::id.nullable())))
        .filter(sessions::expires_at.gt(now))
        .order(sessions::last_seen_at.desc())
        .select((
            sessions::id_hash,
            users::id,
            users::username,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::client_ip,
        ))
        .load(db.conn)?)
}
