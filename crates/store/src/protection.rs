//! Protection of individual cases: sealing and unsealing (with an
//! encrypted reason per change), break-glass grants that open a case outside
//! a user's scope for a limited time, and the notifications those grants
//! raise for the owning organisation's coordinators.
//!
//! [`crate::cases::in_scope`] consults [`active_grant`]; lists never do, so
//! a break-glass grant opens a case without listing it.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::{cases, users};
use crate::schema_followups::{break_glass_grants, case_notifications, case_seal_changes};
use crate::{Db, StoreError};

/// Notification kind: someone used break-glass access on a case.
pub const NOTIFICATION_BREAK_GLASS: &str = "break_glass";

/// The owner of a case and the details a refusal page may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOwner {
    pub organisation_id: String,
    pub code: String,
    pub sealed: bool,
}

/// Loads the owner, code and sealed flag of a case, or `None` when no such
/// case exists.
pub fn case_owner(db: &mut Db<'_>, case_id: &str) -> Result<Option<CaseOwner>, StoreError> {
    let row: Option<(String, String, bool)> = cases::table
        .find(case_id)
        .select((cases::organisation_id, cases::code, cases::sealed))
        .first(db.conn)
        .optional()?;
    Ok(row.map(|(organisation_id, code, sealed)| CaseOwner {
        organisation_id,
        code,
        sealed,
    }))
}

/// Seals (`sealed = true`) or unseals a case and keeps the encrypted reason.
/// Fails with `Conflict("unchanged")` when the case already is in that
/// state and with `NotFound` when there is no such case.
pub fn set_sealed(
    db: &mut Db<'_>,
    case_id: &str,
    sealed: bool,
    reason: &str,
    changed_by: &str,
) -> Result<String, StoreError> {
    db.transaction(|db| {
        let Some(owner) = case_owner(db, case_id)? else {
            return Err(StoreError::NotFound);
        };
        if owner.sealed == sealed {
            return Err(StoreError::Conflict("unchanged"));
        }
        let id = crate::new_id();
        let now = crate::now();
        let reason_enc = db.keys.encrypt_str(
            &FieldContext {
                table: "case_seal_changes",
                column: "reason_enc",
                row_id: &id,
            },
            reason,
        );
        diesel::update(cases::table.find(case_id))
            .set((cases::sealed.eq(sealed), cases::updated_at.eq(now)))
            .execute(db.conn)?;
        diesel::insert_into(case_seal_changes::table)
            .values((
                case_seal_changes::id.eq(&id),
                case_seal_changes::case_id.eq(case_id),
                case_seal_changes::sealed.eq(sealed),
                case_seal_changes::reason_enc.eq(reason_enc),
                case_seal_changes::changed_by.eq(changed_by),
                case_seal_changes::changed_at.eq(now),
            ))
            .execute(db.conn)?;
        Ok(id)
    })
}

/// One sealing or unsealing, with its reason decrypted. No `Debug`.
#[derive(Clone)]
pub struct SealChange {
    pub sealed: bool,
    pub reason: String,
    /// Username of the coordinator.
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
}

/// Loads the sealing history of a case, newest first.
pub fn seal_changes(db: &mut Db<'_>, case_id: &str) -> Result<Vec<SealChange>, StoreError> {
    let rows: Vec<(String, bool, Vec<u8>, String, NaiveDateTime)> = case_seal_changes::table
        .inner_join(users::table.on(users::id.eq(case_seal_changes::changed_by)))
        .filter(case_seal_changes::case_id.eq(case_id))
        .order(case_seal_changes::changed_at.desc())
        .select((
            case_seal_changes::id,
            case_seal_changes::sealed,
            case_seal_changes::reason_enc,
            users::username,
            case_seal_changes::changed_at,
        ))
        .load(db.conn)?;
    rows.into_iter()
        .map(|(id, sealed, reason_enc, changed_by, changed_at)| {
            let reason = db
                .keys
                .decrypt_string(
                    &FieldContext {
                        table: "case_seal_changes",
                        column: "reason_enc",
                        row_id: &id,
                    },
                    &reason_enc,
                )?
                .to_string();
            Ok(SealChange {
                sealed,
                reason,
                changed_by,
                changed_at,
            })
        })
        .collect()
}

/// A new break-glass grant.
pub struct BreakGlass<'a> {
    pub case_id: &'a str,
    pub user_id: &'a str,
    pub reason: &'a str,
    pub granted_at: NaiveDateTime,
    pub lasts: Duration,
}

/// Grants `user_id` access to a case until `granted_at + lasts` and
/// notifies every enabled coordinator of the case's organisation (except
/// the user). Returns the grant id and the number of notifications.
pub fn grant_break_glass(
    db: &mut Db<'_>,
    grant: &BreakGlass<'_>,
) -> Result<(String, usize), StoreError> {
    db.transaction(|db| {
        let Some(CaseOwner {
            organisation_id, ..
        }) = case_owner(db, grant.case_id)?
        else {
            return Err(StoreError::NotFound);
        };
        let id = crate::new_id();
        let reason_enc = db.keys.encrypt_str(
            &FieldContext {
                table: "break_glass_grants",
                column: "reason_enc",
                row_id: &id,
            },
            grant.reason,
        );
        diesel::insert_into(break_glass_grants::table)
            .values((
                break_glass_grants::id.eq(&id),
                break_glass_grants::case_id.eq(grant.case_id),
                break_glass_grants::user_id.eq(grant.user_id),
                break_glass_grants::reason_enc.eq(reason_enc),
                break_glass_grants::granted_at.eq(grant.granted_at),
                break_glass_grants::expires_at.eq(grant.granted_at + grant.lasts),
            ))
            .execute(db.conn)?;
        let coordinators: Vec<String> = users::table
            .filter(users::organisation_id.eq(&organisation_id))
            .filter(users::role.eq("coordinator"))
            .filter(users::disabled.eq(false))
            .filter(users::id.ne(grant.user_id))
            .select(users::id)
            .load(db.conn)?;
        for coordinator in &coordinators {
            diesel::insert_into(case_notifications::table)
                .values((
                    case_notifications::id.eq(crate::new_id()),
                    case_notifications::recipient_user_id.eq(coordinator),
                    case_notifications::kind.eq(NOTIFICATION_BREAK_GLASS),
                    case_notifications::case_id.eq(grant.case_id),
                    case_notifications::actor_user_id.eq(grant.user_id),
                    case_notifications::created_at.eq(grant.granted_at),
                ))
                .execute(db.conn)?;
        }
        Ok((id, coordinators.len()))
    })
}

/// Returns when the user's break-glass grant on the case expires, if one
/// is running at `at`.
pub fn active_grant(
    db: &mut Db<'_>,
    case_id: &str,
    user_id: &str,
    at: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, StoreError> {
    Ok(break_glass_grants::table
        .filter(break_glass_grants::case_id.eq(case_id))
        .filter(break_glass_grants::user_id.eq(user_id))
        .filter(break_glass_grants::granted_at.le(at))
        .filter(break_glass_grants::expires_at.gt(at))
        .order(break_glass_grants::expires_at.desc())
        .select(break_glass_grants::expires_at)
        .first(db.conn)
        .optional()?)
}

/// A notification not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: String,
    pub kind: String,
    pub case_id: String,
    pub case_code: String,
    /// Username of the person whose action raised it.
    pub actor: String,
    pub created_at: NaiveDateTime,
}

/// Loads the unacknowledged notifications of a user, newest first.
pub fn open_notifications(db: &mut Db<'_>, user_id: &str) -> Result<Vec<Notification>, StoreError> {
    let rows: Vec<(String, String, String, String, String, NaiveDateTime)> =
        case_notifications::table
            .inner_join(cases::table.on(cases::id.eq(case_notifications::case_id)))
            .inner_join(users::table.on(users::id.eq(case_notifications::actor_user_id)))
            .filter(case_notifications::recipient_user_id.eq(user_id))
            .filter(case_notifications::acknowledged_at.is_null())
            .order(case_notifications::created_at.desc())
            .select((
                case_notifications::id,
                case_notifications::kind,
                cases::id,
                cases::code,
                users::username,
                case_notifications::created_at,
            ))
            .load(db.conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, case_id, case_code, actor, created_at)| Notification {
                id,
                kind,
                case_id,
                case_code,
                actor,
                created_at,
            },
        )
        .collect())
}

/// Marks a notification of `user_id` as acknowledged. Returns `false` when
/// it is not theirs or was acknowledged already.
pub fn acknowledge(
    db: &mut Db<'_>,
    notification_id: &str,
    user_id: &str,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        case_notifications::table
            .find(notification_id)
            .filter(case_notifications::recipient_user_id.eq(user_id))
            .filter(case_notifications::acknowledged_at.is_null()),
    )
    .set(case_notifications::acknowledged_at.eq(Some(crate::now())))
    .execute(db.conn)?;
    Ok(changed > 0)
}
