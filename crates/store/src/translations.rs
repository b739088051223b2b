//! Approval of the translations of beneficiary documents (consent forms and
//! information sheets), and the signed consent forms attached to consents.
//!
//! The store keeps the administrator's decisions, one row per language. It
//! has no list of languages or defaults: the caller applies its defaults to
//! languages without a row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{consents, users};
use crate::schema_notes::case_attachments;
use crate::schema_translations::{consent_forms, form_translations};
use crate::{Db, StoreError};

/// An administrator's decision about one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationDecision {
    pub language: String,
    pub approved: bool,
    /// The username of who decided last.
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
}

/// Lists every recorded decision, ordered by language code.
pub fn list_decisions(db: &mut Db<'_>) -> Result<Vec<TranslationDecision>, StoreError> {
    let rows: Vec<(String, bool, String, NaiveDateTime)> = form_translations::table
        .inner_join(users::table)
        .order(form_translations::language.asc())
        .select((
            form_translations::language,
            form_translations::approved,
            users::username,
            form_translations::changed_at,
        ))
        .load(db.conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(language, approved, changed_by, changed_at)| TranslationDecision {
                language,
                approved,
                changed_by,
                changed_at,
            },
        )
        .collect())
}

/// Returns the decision about `language`, if one was recorded.
pub fn decision(db: &mut Db<'_>, language: &str) -> Result<Option<bool>, StoreError> {
    Ok(form_translations::table
        .filter(form_translations::language.eq(language))
        .select(form_translations::approved)
        .first(db.conn)
        .optional()?)
}

/// Records that `language` is approved (`true`) or back to draft
/// (`false`), replacing an earlier decision.
pub fn set_approved(
    db: &mut Db<'_>,
    language: &str,
    approved: bool,
    changed_by: &str,
) -> Result<(), StoreError> {
    let now = crate::now();
    db.transaction(|db| {
        let updated = diesel::update(
            form_translations::table.filter(form_translations::language.eq(language)),
        )
        .set((
            form_translations::approved.eq(approved),
            form_translations::changed_by.eq(changed_by),
            form_translations::changed_at.eq(now),
        ))
        .execute(db.conn)?;
        if updated == 0 {
            diesel::insert_into(form_translations::table)
                .values((
                    form_translations::language.eq(language),
                    form_translations::approved.eq(approved),
                    form_translations::changed_by.eq(changed_by),
                    form_translations::changed_at.eq(now),
                ))
                .execute(db.conn)?;
        }
        Ok(())
    })
}

/// Links a signed form (an attachment of the same case) to a consent,
/// replacing an earlier one. `NotFound` when the consent or the attachment
/// does not belong to `case_id`.
pub fn attach_consent_form(
    db: &mut Db<'_>,
    case_id: &str,
    consent_id: &str,
    attachment_id: &str,
    attached_by: &str,
) -> Result<(), StoreError> {
    let now = crate::now();
    db.transaction(|db| {
        let consent_found: i64 = consents::table
            .filter(consents::id.eq(consent_id))
            .filter(consents::case_id.eq(case_id))
            .count()
            .get_result(db.conn)?;
        let attachment_found: i64 = case_attachments::table
            .filter(case_attachments::id.eq(attachment_id))
            .filter(case_attachments::case_id.eq(case_id))
            .count()
            .get_result(db.conn)?;
        if consent_found == 0 || attachment_found == 0 {
            return Err(StoreError::NotFound);
        }
        diesel::delete(consent_forms::table.filter(consent_forms::consent_id.eq(consent_id)))
            .execute(db.conn)?;
        diesel::insert_into(consent_forms::table)
            .values((
                consent_forms::consent_id.eq(consent_id),
                consent_forms::attachment_id.eq(attachment_id),
                consent_forms::attached_by.eq(attached_by),
                consent_forms::attached_at.eq(now),
            ))
            .execute(db.conn)?;
        Ok(())
    })
}

/// Lists `(consent id, attachment id)` of every signed form of a case's
/// consents.
pub fn consent_forms_of_case(
    db: &mut Db<'_>,
    case_id: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(consent_forms::table
        .inner_join(consents::table.on(consents::id.eq(consent_forms::consent_id)))
        .filter(consents::case_id.eq(case_id))
        .select((consent_forms::consent_id, consent_forms::attachment_id))
        .load(db.conn)?)
}
