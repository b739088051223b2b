//! Personal API tokens. Only the SHA-256 of a token is stored; the token
//! itself is shown once when created. A token acts with its owner's
//! permissions and stops working when revoked, expired or when its owner is
//! disabled.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{api_tokens, users};
use crate::users::User;
use crate::{Db, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

pub fn create(
    db: &mut Db<'_>,
    user_id: &str,
    name: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> Result<ApiToken, StoreError> {
    let token = ApiToken {
        id: crate::new_id(),
        user_id: user_id.to_owned(),
        name: name.to_owned(),
        token_hash: token_hash.to_owned(),
        created_at: crate::now(),
        expires_at,
        revoked_at: None,
        last_used_at: None,
    };
    diesel::insert_into(api_tokens::table)
        .values(&token)
        .execute(db.conn)?;
    Ok(token)
}

/// The user's tokens that are not revoked, newest first.
pub fn list_for_user(db: &mut Db<'_>, user_id: &str) -> Result<Vec<ApiToken>, StoreError> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::created_at.desc())
        .select(ApiToken::as_select())
        .load(db.conn)?)
}

/// Revokes one of the user's tokens; `NotFound` if it is not theirs.
pub fn revoke(db: &mut Db<'_>, user_id: &str, id: &str) -> Result<(), StoreError> {
    let updated = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(crate::now())))
    .execute(db.conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The owner of a valid token: not revoked, not expired at `now`, and the
/// owner not disabled. Marks the token as used.
pub fn authenticate(
    db: &mut Db<'_>,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<User>, StoreError> {
    let found: Option<(String, User)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now))
        .filter(users::disabled.eq(false))
        .select((api_tokens::id, User::as_select()))
        .first(db.conn)
        .optional()?;
    let Some((token_id, user)) = found else {
        return Ok(None);
    };
    diesel::update(api_tokens::table.find(&token_id))
        .set(api_tokens::last_used_at.eq(Some(now)))
        .execute(db.conn)?;
    Ok(Some(user))
}
