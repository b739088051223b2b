//! Referrals and transfers of a case to another organisation, and the
//! case shares an accepted referral creates.
//!
//! A referral moves `sent` → `accepted` | `declined` | `revoked`, and
//! `accepted` → `completed` | `revoked`. Each move names the status it
//! expects, so two people answering the same referral at once cannot both
//! succeed: the second gets `StoreError::Conflict("stale")`.
//!
//! Accepting a plain referral shares the case with the receiving
//! organisation (a `case_shares` row, which `cases::in_scope` and
//! `cases::list` consult) and assigns the accepting coordinator. Accepting a
//! transfer moves the case (and its person) to the receiving organisation
//! instead; the case code, the history and the earlier assignments stay.
//! Revoking an accepted referral ends the share; completing it keeps the
//! share so the receiving organisation can still read what it did.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::{cases, organisations, persons};
use crate::schema_referrals::{case_shares, referrals};
use crate::{Db, StoreError};

pub const STATUS_SENT: &str = "sent";
pub const STATUS_ACCEPTED: &str = "accepted";
pub const STATUS_DECLINED: &str = "declined";
pub const STATUS_COMPLETED: &str = "completed";
pub const STATUS_REVOKED: &str = "revoked";

/// The consent purpose a referral needs.
pub const CONSENT_PURPOSE: &str = "sharing";

const TABLE: &str = "referrals";

fn encrypt_opt(db: &Db<'_>, column: &str, row_id: &str, value: Option<&str>) -> Option<Vec<u8>> {
    value.filter(|value| !value.trim().is_empty()).map(|value| {
        db.keys.encrypt_str(
            &FieldContext {
                table: TABLE,
                column,
                row_id,
            },
            value,
        )
    })
}

fn decrypt_opt(
    db: &Db<'_>,
    column: &str,
    row_id: &str,
    value: &Option<Vec<u8>>,
) -> Result<Option<String>, StoreError> {
    match value {
        None => Ok(None),
        Some(ciphertext) => Ok(Some(
            db.keys
                .decrypt_string(
                    &FieldContext {
                        table: TABLE,
                        column,
                        row_id,
                    },
                    ciphertext,
                )?
                .to_string(),
        )),
    }
}

/// A referral about to be sent. Free texts are encrypted.
pub struct NewReferral<'a> {
    pub case_id: &'a str,
    pub from_organisation_id: &'a str,
    pub to_organisation_id: &'a str,
    /// A service line code.
    pub service_line: &'a str,
    /// A transfer moves the case to the recipient once accepted.
    pub is_transfer: bool,
    /// Why the case is referred, for the recipient.
    pub reason: Option<&'a str>,
    /// A coordinator's written reason for sending without a recorded
    /// consent. Ignored when a consent is in force.
    pub override_reason: Option<&'a str>,
    pub referred_on: NaiveDate,
    pub referred_by: &'a str,
}

/// What [`send`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub referral_id: String,
    /// True when no consent was in force and the override reason was used.
    pub consent_overridden: bool,
}

/// Sends a referral. Fails with `Conflict("no_consent")`, storing nothing,
/// when no `sharing` consent for the recipient is in force on
/// `referred_on` and no override reason was given; with
/// `Conflict("same_organisation")` when the recipient is the sender.
pub fn send(db: &mut Db<'_>, new: &NewReferral<'_>) -> Result<Sent, StoreError> {
    if new.from_organisation_id == new.to_organisation_id {
        return Err(StoreError::Conflict("same_organisation"));
    }
    let consent = crate::case_records::has_consent(
        db,
        new.case_id,
        CONSENT_PURPOSE,
        Some(new.to_organisation_id),
        new.referred_on,
    )?;
    let override_reason = new
        .override_reason
        .filter(|reason| !reason.trim().is_empty());
    if !consent && override_reason.is_none() {
        return Err(StoreError::Conflict("no_consent"));
    }
    let consent_overridden = !consent;

    let id = crate::new_id();
    let now = crate::now();
    let reason = encrypt_opt(db, "reason_enc", &id, new.reason);
    let override_enc = if consent_overridden {
        encrypt_opt(db, "override_reason_enc", &id, override_reason)
    } else {
        None
    };
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::case_id.eq(new.case_id),
            referrals::from_organisation_id.eq(new.from_organisation_id),
            referrals::to_organisation_id.eq(new.to_organisation_id),
            referrals::service_line.eq(new.service_line),
            referrals::is_transfer.eq(new.is_transfer),
            referrals::status.eq(STATUS_SENT),
            referrals::reason_enc.eq(reason),
            referrals::consent_overridden.eq(consent_overridden),
            referrals::override_reason_enc.eq(override_enc),
            referrals::response_reason_enc.eq(None::<Vec<u8>>),
            referrals::referred_on.eq(new.referred_on),
            referrals::referred_by.eq(new.referred_by),
            referrals::created_at.eq(now),
            referrals::updated_at.eq(now),
        ))
        .execute(db.conn)?;
    Ok(Sent {
        referral_id: id,
        consent_overridden,
    })
}

/// A referral with its texts decrypted, for the case's referral page.
#[derive(Clone)]
pub struct Referral {
    pub id: String,
    pub case_id: String,
    pub case_code: String,
    pub from_organisation_id: String,
    pub from_organisation_name: String,
    pub to_organisation_id: String,
    pub to_organisation_name: String,
    pub service_line: String,
    pub is_transfer: bool,
    pub status: String,
    pub reason: Option<String>,
    pub consent_overridden: bool,
    pub override_reason: Option<String>,
    pub response_reason: Option<String>,
    pub referred_on: NaiveDate,
    pub responded_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for Referral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Referral")
            .field("id", &self.id)
            .field("case_id", &self.case_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A referral without its free texts: what the `/referrals` page shows.
#[derive(Debug, Clone)]
pub struct ReferralSummary {
    pub id: String,
    pub case_id: String,
    pub case_code: String,
    pub from_organisation_name: String,
    pub to_organisation_name: String,
    pub service_line: String,
    pub is_transfer: bool,
    pub status: String,
    pub referred_on: NaiveDate,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    Option<Vec<u8>>,
    bool,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    NaiveDate,
    Option<NaiveDateTime>,
);

type Selection = (
    referrals::id,
    referrals::case_id,
    cases::code,
    referrals::from_organisation_id,
    referrals::to_organisation_id,
    referrals::service_line,
    referrals::is_transfer,
    referrals::status,
    referrals::reason_enc,
    referrals::consent_overridden,
    referrals::override_reason_enc,
    referrals::response_reason_enc,
    referrals::referred_on,
    referrals::responded_at,
);

const SELECTION: Selection = (
    referrals::id,
    referrals::case_id,
    cases::code,
    referrals::from_organisation_id,
    referrals::to_organisation_id,
    referrals::service_line,
    referrals::is_transfer,
    referrals::status,
    referrals::reason_enc,
    referrals::consent_overridden,
    referrals::override_reason_enc,
    referrals::response_reason_enc,
    referrals::referred_on,
    referrals::responded_at,
);

fn organisation_names(db: &mut Db<'_>) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(String, String)> = organisations::table
        .select((organisations::id, organisations::name))
        .load(db.conn)?;
    Ok(rows.into_iter().collect())
}

fn decode(db: &Db<'_>, names: &HashMap<String, String>, row: Row) -> Result<Referral, StoreError> {
    let (
        id,
        case_id,
        case_code,
        from,
        to,
        service_line,
        is_transfer,
        status,
        reason,
        consent_overridden,
        override_reason,
        response_reason,
        referred_on,
        responded_at,
    ) = row;
    Ok(Referral {
        reason: decrypt_opt(db, "reason_enc", &id, &reason)?,
        override_reason: decrypt_opt(db, "override_reason_enc", &id, &override_reason)?,
        response_reason: decrypt_opt(db, "response_reason_enc", &id, &response_reason)?,
        from_organisation_name: names.get(&from).cloned().unwrap_or_default(),
        to_organisation_name: names.get(&to).cloned().unwrap_or_default(),
        id,
        case_id,
        case_code,
        from_organisation_id: from,
        to_organisation_id: to,
        service_line,
        is_transfer,
        status,
        consent_overridden,
        referred_on,
        responded_at,
    })
}

/// One referral with its texts; `NotFound` for an unknown id.
pub fn get(db: &mut Db<'_>, referral_id: &str) -> Result<Referral, StoreError> {
    let row: Row = referrals::table
        .inner_join(cases::table)
        .filter(referrals::id.eq(referral_id))
        .select(SELECTION)
        .first(db.conn)?;
    let names = organisation_names(db)?;
    decode(db, &names, row)
}

/// A case's referrals, newest first, with their texts.
pub fn list_for_case(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Referral>, StoreError> {
    let rows: Vec<Row> = referrals::table
        .inner_join(cases::table)
        .filter(referrals::case_id.eq(case_id))
        .order(referrals::created_at.desc())
        .select(SELECTION)
        .load(db.conn)?;
    let names = organisation_names(db)?;
    rows.into_iter()
        .map(|row| decode(db, &names, row))
        .collect()
}

/// Referrals sent to (`incoming`) and from (`outgoing`) an organisation,
/// newest first, without their free texts.
pub fn list_for_organisation(
    db: &mut Db<'_>,
    organisation_id: &str,
) -> Result<(Vec<ReferralSummary>, Vec<ReferralSummary>), StoreError> {
    let names = organisation_names(db)?;
    let load = |db: &mut Db<'_>, incoming: bool| -> Result<Vec<ReferralSummary>, StoreError> {
        let mut query = referrals::table.inner_join(cases::table).into_boxed();
        query = if incoming {
            query.filter(referrals::to_organisation_id.eq(organisation_id.to_owned()))
        } else {
            query.filter(referrals::from_organisation_id.eq(organisation_id.to_owned()))
        };
        let rows: Vec<ReferralListRow> = query
            .order(referrals::created_at.desc())
            .select((
                referrals::id,
                referrals::case_id,
                cases::code,
                referrals::from_organisation_id,
                referrals::to_organisation_id,
                referrals::service_line,
                referrals::is_transfer,
                referrals::status,
                referrals::referred_on,
            ))
            .load(db.conn)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, case_id, code, from, to, line, transfer, status, on)| ReferralSummary {
                    id,
                    case_id,
                    case_code: code,
                    from_organisation_name: names.get(&from).cloned().unwrap_or_default(),
                    to_organisation_name: names.get(&to).cloned().unwrap_or_default(),
                    service_line: line,
                    is_transfer: transfer,
                    status,
                    referred_on: on,
                },
            )
            .collect())
    };
    let incoming = load(db, true)?;
    let outgoing = load(db, false)?;
    Ok((incoming, outgoing))
}

/// Moves a referral from `from_status` to `to_status` if it still is there;
/// `Conflict("stale")` otherwise.
fn move_status(
    db: &mut Db<'_>,
    referral_id: &str,
    from_status: &str,
    to_status: &str,
    responded_by: &str,
    response_reason: Option<Vec<u8>>,
) -> Result<(), StoreError> {
    let now = crate::now();
    let updated = diesel::update(
        referrals::table
            .find(referral_id)
            .filter(referrals::status.eq(from_status)),
    )
    .set((
        referrals::status.eq(to_status),
        referrals::responded_by.eq(Some(responded_by)),
        referrals::responded_at.eq(Some(now)),
        referrals::updated_at.eq(now),
    ))
    .execute(db.conn)?;
    if updated != 1 {
        return Err(StoreError::Conflict("stale"));
    }
    if response_reason.is_some() {
        diesel::update(referrals::table.find(referral_id))
            .set(referrals::response_reason_enc.eq(response_reason))
            .execute(db.conn)?;
    }
    Ok(())
}

/// Accepts a sent referral on behalf of `organisation_id`, which must be
/// its recipient (`NotFound` otherwise). A transfer moves the case to the
/// recipient; a referral shares it. Either way `user_id` is assigned.
pub fn accept(
    db: &mut Db<'_>,
    referral_id: &str,
    organisation_id: &str,
    user_id: &str,
) -> Result<Referral, StoreError> {
    let referral = get(db, referral_id)?;
    if referral.to_organisation_id != organisation_id {
        return Err(StoreError::NotFound);
    }
    crate::db::write_transaction(db.conn, |conn| {
        let mut inner = Db {
            conn,
            keys: db.keys,
        };
        move_status(
            &mut inner,
            referral_id,
            STATUS_SENT,
            STATUS_ACCEPTED,
            user_id,
            None,
        )?;
        let now = crate::now();
        if referral.is_transfer {
            let person_id: Option<String> = cases::table
                .find(&referral.case_id)
                .select(cases::person_id)
                .first(inner.conn)?;
            diesel::update(cases::table.find(&referral.case_id))
                .set((
                    cases::organisation_id.eq(organisation_id),
                    cases::version.eq(cases::version + 1),
                    cases::updated_at.eq(now),
                ))
                .execute(inner.conn)?;
            if let Some(person_id) = person_id {
                diesel::update(persons::table.find(person_id))
                    .set((
                        persons::organisation_id.eq(organisation_id),
                        persons::updated_at.eq(now),
                    ))
                    .execute(inner.conn)?;
            }
        } else if !is_shared_with(&mut inner, &referral.case_id, organisation_id)? {
            diesel::insert_into(case_shares::table)
                .values((
                    case_shares::case_id.eq(&referral.case_id),
                    case_shares::organisation_id.eq(organisation_id),
                    case_shares::referral_id.eq(referral_id),
                    case_shares::shared_at.eq(now),
                ))
                .execute(inner.conn)?;
        }
        crate::case_records::assign(&mut inner, &referral.case_id, user_id)?;
        Ok::<(), StoreError>(())
    })?;
    get(db, referral_id)
}

/// Declines a sent referral on behalf of its recipient with a reason.
pub fn decline(
    db: &mut Db<'_>,
    referral_id: &str,
    organisation_id: &str,
    user_id: &str,
    reason: &str,
) -> Result<Referral, StoreError> {
    let referral = get(db, referral_id)?;
    if referral.to_organisation_id != organisation_id {
        return Err(StoreError::NotFound);
    }
    let reason = encrypt_opt(db, "response_reason_enc", referral_id, Some(reason));
    move_status(
        db,
        referral_id,
        STATUS_SENT,
        STATUS_DECLINED,
        user_id,
        reason,
    )?;
    get(db, referral_id)
}

/// Marks an accepted referral completed on behalf of its recipient.
pub fn complete(
    db: &mut Db<'_>,
    referral_id: &str,
    organisation_id: &str,
    user_id: &str,
) -> Result<Referral, StoreError> {
    let referral = get(db, referral_id)?;
    if referral.to_organisation_id != organisation_id {
        return Err(StoreError::NotFound);
    }
    move_status(
        db,
        referral_id,
        STATUS_ACCEPTED,
        STATUS_COMPLETED,
        user_id,
        None,
    )?;
    get(db, referral_id)
}

/// Revokes a referral on behalf of its sender with a reason: a sent one,
/// or an accepted one that is not a transfer (whose share then ends).
/// `NotFound` unless `organisation_id` sent it; `Conflict("stale")` for
/// any other status or an accepted transfer.
pub fn revoke(
    db: &mut Db<'_>,
    referral_id: &str,
    organisation_id: &str,
    user_id: &str,
    reason: &str,
) -> Result<Referral, StoreError> {
    let referral = get(db, referral_id)?;
    if referral.from_organisation_id != organisation_id {
        return Err(StoreError::NotFound);
    }
    let from_status = match referral.status.as_str() {
        STATUS_SENT => STATUS_SENT,
        STATUS_ACCEPTED if !referral.is_transfer => STATUS_ACCEPTED,
        _ => return Err(StoreError::Conflict("stale")),
    };
    let reason = encrypt_opt(db, "response_reason_enc", referral_id, Some(reason));
    crate::db::write_transaction(db.conn, |conn| {
        let mut inner = Db {
            conn,
            keys: db.keys,
        };
        move_status(
            &mut inner,
            referral_id,
            from_status,
            STATUS_REVOKED,
            user_id,
            reason,
        )?;
        diesel::delete(
            case_shares::table
                .filter(case_shares::case_id.eq(&referral.case_id))
                .filter(case_shares::referral_id.eq(referral_id)),
        )
        .execute(inner.conn)?;
        Ok::<(), StoreError>(())
    })?;
    get(db, referral_id)
}

/// Whether an accepted referral shares the case with `organisation_id`.
pub fn is_shared_with(
    db: &mut Db<'_>,
    case_id: &str,
    organisation_id: &str,
) -> Result<bool, StoreError> {
    let count: i64 = case_shares::table
        .filter(case_shares::case_id.eq(case_id))
        .filter(case_shares::organisation_id.eq(organisation_id))
        .count()
        .get_result(db.conn)?;
    Ok(count > 0)
}

type ReferralListRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    NaiveDate,
);
