//! Re-encryption of every field-encrypted column with the current key, after
//! `procap key rotate` added a new key version.
//!
//! Every encrypted column is listed in [`ENCRYPTED_COLUMNS`]; a test compares
//! the list with the columns whose names end in `_enc` (plus
//! `users.totp_secret`), so a new encrypted column that is not listed fails
//! the build's tests. Each column is walked in primary-key order, one page per
//! transaction, so the work is bounded however large the table is.

use diesel::prelude::*;
use diesel::sql_types::{Binary, Nullable, Text};
use procap_crypto::{FieldContext, Keyring};

use crate::{Db, DbConnection, StoreError};

/// `(table, column)` of every field-encrypted column. Each table's primary
/// key is the text column `id`, which is also the row id bound into the
/// ciphertext.
pub const ENCRYPTED_COLUMNS: &[(&str, &str)] = &[
    ("users", "totp_secret"),
    ("cases", "facility_enc"),
    ("persons", "given_name_enc"),
    ("persons", "family_name_enc"),
    ("persons", "aliases_enc"),
    ("persons", "birth_date_enc"),
    ("persons", "contact_enc"),
    ("persons", "household_enc"),
    ("intake_referrals", "referring_contact_enc"),
    ("intake_referrals", "reason_enc"),
    ("trafficking_events", "description_enc"),
    ("witness_statuses", "note_enc"),
    ("screenings", "notes_enc"),
    ("nrm_events", "reference_enc"),
    ("service_records", "notes_enc"),
    ("needs_assessments", "safety_plan_enc"),
    ("needs_assessment_domains", "note_enc"),
    ("case_plans", "return_comment_enc"),
    ("case_plan_goals", "description_enc"),
    ("case_plan_actions", "description_enc"),
    ("case_plan_review_goals", "note_enc"),
    ("appointments", "place_enc"),
    ("referrals", "reason_enc"),
    ("referrals", "override_reason_enc"),
    ("referrals", "response_reason_enc"),
    ("case_notes", "body_enc"),
    ("case_attachments", "file_name_enc"),
    ("case_followups", "note_enc"),
    ("case_seal_changes", "reason_enc"),
    ("break_glass_grants", "reason_enc"),
    ("data_requests", "reason_enc"),
    ("data_requests", "decision_reason_enc"),
];

/// What one call of [`reencrypt_batch`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Values rewritten under the current key.
    pub reencrypted: usize,
    /// The last row id looked at; pass it to the next call. `None` when the
    /// column has no more rows.
    pub last_id: Option<String>,
}

#[derive(QueryableByName)]
struct EncryptedValue {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Binary>)]
    value: Option<Vec<u8>>,
}

/// Re-encrypts the values of up to `batch` rows of one column that come after
/// row id `after` (all rows when `None`) and are not yet under the current
/// key, in one transaction. Call again with the returned `last_id` until it
/// is `None`.
pub fn reencrypt_batch(
    db: &mut Db<'_>,
    table: &str,
    column: &str,
    after: Option<&str>,
    batch: i64,
) -> Result<BatchOutcome, StoreError> {
    // Only names from the constant list ever reach the SQL text.
    let Some(&(table, column)) = ENCRYPTED_COLUMNS
        .iter()
        .find(|(t, c)| *t == table && *c == column)
    else {
        return Err(StoreError::Corrupt(format!(
            "{table}.{column} is not an encrypted column"
        )));
    };
    let keys: &Keyring = db.keys;
    let select = format!(
        "SELECT id, {column} AS value FROM {table} \
         WHERE id > $1 AND {column} IS NOT NULL ORDER BY id LIMIT $2"
    );
    let update = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
    let after = after.unwrap_or("").to_owned();
    crate::db::write_transaction(db.conn, |conn| {
        let rows: Vec<EncryptedValue> = match conn {
            DbConnection::Sqlite(inner) => diesel::sql_query(&select)
                .bind::<Text, _>(&after)
                .bind::<diesel::sql_types::BigInt, _>(batch)
                .load(inner)?,
            DbConnection::Postgresql(inner) => diesel::sql_query(&select)
                .bind::<Text, _>(&after)
                .bind::<diesel::sql_types::BigInt, _>(batch)
                .load(inner)?,
        };
        let last_id = rows.last().map(|row| row.id.clone());
        let mut reencrypted = 0;
        for row in rows {
            let Some(ciphertext) = row.value else {
                continue;
            };
            if Keyring::key_id_of(&ciphertext) == Some(keys.current_key_id()) {
                continue;
            }
            let context = FieldContext {
                table,
                column,
                row_id: &row.id,
            };
            let fresh = keys.reencrypt(&context, &ciphertext)?;
            diesel::sql_query(&update)
                .bind::<Binary, _>(fresh)
                .bind::<Text, _>(&row.id)
                .execute(conn)?;
            reencrypted += 1;
        }
        Ok(BatchOutcome {
            reencrypted,
            last_id,
        })
    })
}
