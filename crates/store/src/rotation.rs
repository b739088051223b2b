//! Re-encryption of every field-encrypted column with the current key, after
//! `procap key rotate` added a new key version. Each encrypted column is
//! listed here; a new encrypted column must be added to [`ENCRYPTED_COLUMNS`]
//! and to [`reencrypt_batch`].

use diesel::prelude::*;
use procap_crypto::{FieldContext, Keyring};

use crate::schema::users;
use crate::{Db, StoreError};

/// `(table, column)` of every field-encrypted column.
pub const ENCRYPTED_COLUMNS: [(&str, &str); 1] = [("users", "totp_secret")];

/// Re-encrypts up to `batch` values of one column that are not yet under the
/// current key, in one transaction. Returns how many were re-encrypted; call
/// again until it returns 0.
pub fn reencrypt_batch(
    db: &mut Db<'_>,
    table: &str,
    column: &str,
    batch: i64,
) -> Result<usize, StoreError> {
    let keys: &Keyring = db.keys;
    match (table, column) {
        ("users", "totp_secret") => db.conn.transaction(|conn| {
            let rows: Vec<(String, Option<Vec<u8>>)> = users::table
                .filter(users::totp_secret.is_not_null())
                .select((users::id, users::totp_secret))
                .load(conn)?;
            let mut done = 0;
            for (id, ciphertext) in rows {
                let Some(ciphertext) = ciphertext else {
                    continue;
                };
                if Keyring::key_id_of(&ciphertext) == Some(keys.current_key_id()) {
                    continue;
                }
                let context = FieldContext {
                    table,
                    column,
                    row_id: &id,
                };
                let fresh = keys.reencrypt(&context, &ciphertext)?;
                diesel::update(users::table.find(&id))
                    .set(users::totp_secret.eq(Some(fresh)))
                    .execute(conn)?;
                done += 1;
                if done as i64 >= batch {
                    break;
                }
            }
            Ok(done)
        }),
        _ => Err(StoreError::Corrupt(format!(
            "{table}.{column} is not an encrypted column"
        ))),
    }
}
