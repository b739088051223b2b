//! Organisations: the NGOs, national centres and training organisations that
//! share one Procap installation. Every user belongs to exactly one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::organisations;
use crate::{Db, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    /// `ngo`, `national_centre`, `training_organisation` or `other`.
    pub kind: String,
    /// Two to six capital Latin letters that start this organisation's case codes.
    pub case_code_prefix: String,
    pub created_at: NaiveDateTime,
}

/// The organisation kinds the interface offers.
pub const ORGANISATION_KINDS: [&str; 4] =
    ["ngo", "national_centre", "training_organisation", "other"];

/// Inserts an organisation. Fails with `Conflict` when the prefix is taken.
pub fn create(
    db: &mut Db<'_>,
    name: &str,
    kind: &str,
    case_code_prefix: &str,
) -> Result<Organisation, StoreError> {
    let organisation = Organisation {
        id: crate::new_id(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        case_code_prefix: case_code_prefix.to_owned(),
        created_at: crate::now(),
    };
    diesel::insert_into(organisations::table)
        .values(&organisation)
        .execute(db.conn)?;
    Ok(organisation)
}

/// All organisations by name.
pub fn list(db: &mut Db<'_>) -> Result<Vec<Organisation>, StoreError> {
    Ok(organisations::table
        .order(organisations::name.asc())
        .select(Organisation::as_select())
        .load(db.conn)?)
}

pub fn get(db: &mut Db<'_>, id: &str) -> Result<Organisation, StoreError> {
    Ok(organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(db.conn)?)
}
