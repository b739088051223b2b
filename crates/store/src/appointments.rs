//! Interpretation and escort appointments: the skills of interpreters and
//! escorts, matching them to a request, booking without double booking, the
//! daily agenda, completion into a service record, and calendar feed tokens.
//!
//! A person is never booked twice for overlapping times. [`book`] checks for
//! an overlap and inserts in one transaction that locks that person
//! (`BEGIN IMMEDIATE` on SQLite, a row lock on the user on PostgreSQL), so
//! two requests at the same moment cannot both pass the check.
//! Times are naive UTC; an appointment covers `[starts_at, ends_at)`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use procap_crypto::FieldContext;
use serde_json::json;

use crate::case_records::{self, NewServiceRecord};
use crate::schema::{cases, users};
use crate::schema_appointments::{appointment_feeds, appointments, staff_skills};
use crate::users::User;
use crate::{Db, DbConnection, StoreError};

/// Appointment kinds; each is also the service line of its service record.
pub const KIND_INTERPRETATION: &str = "interpretation";
pub const KIND_ESCORT: &str = "escort";

/// Appointment statuses.
pub const STATUS_BOOKED: &str = "booked";
pub const STATUS_COMPLETED: &str = "completed";
pub const STATUS_CANCELLED: &str = "cancelled";

/// Returns the role that takes appointments of `kind`, or `None` for an unknown kind.
pub fn role_for_kind(kind: &str) -> Option<&'static str> {
    match kind {
        KIND_INTERPRETATION => Some("interpreter"),
        KIND_ESCORT => Some("escort"),
        _ => None,
    }
}

// --- Skills and matching ------------------------------------------------------

/// An interpreter or escort with their skills. `gender` is `None` until
/// someone records the skills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    /// `interpreter` or `escort`.
    pub role: String,
    /// female, male or other.
    pub gender: Option<String>,
    /// ';'-joined language codes, each optionally `code:dialect`.
    pub languages: String,
}

/// Splits a stored language list into `(code, dialect)` pairs; items are
/// trimmed and lower-cased, empty items dropped.
pub fn language_entries(languages: &str) -> Vec<(String, Option<String>)> {
    languages
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(':') {
            Some((code, dialect)) => {
                let dialect = dialect.trim().to_lowercase();
                (
                    code.trim().to_lowercase(),
                    (!dialect.is_empty()).then_some(dialect),
                )
            }
            None => (item.to_lowercase(), None),
        })
        .collect()
}

/// The skills a request requires of the person to book.
#[derive(Debug, Clone, Copy)]
pub struct SkillRequest<'a> {
    pub kind: &'a str,
    /// Required for interpretation; ignored for escorts.
    pub language: Option<&'a str>,
    /// When given, the interpreter must list this dialect of the language.
    pub dialect: Option<&'a str>,
    /// female or male; `None` or `any` accepts everyone.
    pub gender: Option<&'a str>,
}

/// Checks whether `member` can take a request: the right role, the preferred
/// gender, and for interpretation the language (and the dialect, if requested).
pub fn skills_match(member: &StaffMember, request: &SkillRequest<'_>) -> bool {
    if role_for_kind(request.kind) != Some(member.role.as_str()) {
        return false;
    }
    if let Some(gender) = request
        .gender
        .filter(|gender| *gender != "any" && !gender.is_empty())
        && member.gender.as_deref() != Some(gender)
    {
        return false;
    }
    if request.kind != KIND_INTERPRETATION {
        return true;
    }
    let Some(language) = request.language.filter(|language| !language.is_empty()) else {
        return false;
    };
    let requested_dialect = request
        .dialect
        .map(|dialect| dialect.trim().to_lowercase())
        .filter(|dialect| !dialect.is_empty());
    language_entries(&member.languages)
        .iter()
        .any(|(code, dialect)| {
            code == language
                && match &requested_dialect {
                    None => true,
                    Some(requested) => dialect.as_ref() == Some(requested),
                }
        })
}

/// Records or replaces a person's skills.
pub fn set_staff_skills(
    db: &mut Db<'_>,
    user_id: &str,
    gender: &str,
    languages: &str,
    updated_by: &str,
) -> Result<(), StoreError> {
    let now = crate::now();
    let updated = diesel::update(staff_skills::table.find(user_id))
        .set((
            staff_skills::gender.eq(gender),
            staff_skills::languages.eq(languages),
            staff_skills::updated_by.eq(updated_by),
            staff_skills::updated_at.eq(now),
        ))
        .execute(db.conn)?;
    if updated == 0 {
        diesel::insert_into(staff_skills::table)
            .values((
                staff_skills::user_id.eq(user_id),
                staff_skills::gender.eq(gender),
                staff_skills::languages.eq(languages),
                staff_skills::updated_by.eq(updated_by),
                staff_skills::updated_at.eq(now),
            ))
            .execute(db.conn)?;
    }
    Ok(())
}

type StaffRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn staff_from_row(row: StaffRow) -> StaffMember {
    let (user_id, username, display_name, organisation_id, role, gender, languages) = row;
    StaffMember {
        user_id,
        username,
        display_name,
        organisation_id,
        role,
        gender,
        languages: languages.unwrap_or_default(),
    }
}

/// Lists active interpreters and escorts with their skills, by display
/// name, and only those of `organisation_id` when given.
pub fn list_staff(
    db: &mut Db<'_>,
    organisation_id: Option<&str>,
) -> Result<Vec<StaffMember>, StoreError> {
    let mut query = users::table
        .left_join(staff_skills::table.on(staff_skills::user_id.eq(users::id)))
        .filter(users::role.eq_any(["interpreter", "escort"]))
        .filter(users::disabled.eq(false))
        .into_boxed();
    if let Some(organisation_id) = organisation_id {
        query = query.filter(users::organisation_id.eq(organisation_id.to_owned()));
    }
    let rows: Vec<StaffRow> = query
        .order((users::display_name.asc(), users::username.asc()))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::organisation_id,
            users::role,
            staff_skills::gender.nullable(),
            staff_skills::languages.nullable(),
        ))
        .load(db.conn)?;
    Ok(rows.into_iter().map(staff_from_row).collect())
}

/// Loads one interpreter or escort, or fails with `NotFound` for anyone else.
pub fn get_staff(db: &mut Db<'_>, user_id: &str) -> Result<StaffMember, StoreError> {
    let row: StaffRow = users::table
        .left_join(staff_skills::table.on(staff_skills::user_id.eq(users::id)))
        .filter(users::id.eq(user_id))
        .filter(users::role.eq_any(["interpreter", "escort"]))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::organisation_id,
            users::role,
            staff_skills::gender.nullable(),
            staff_skills::languages.nullable(),
        ))
        .first(db.conn)?;
    Ok(staff_from_row(row))
}

/// Checks whether the person has a booked or completed appointment
/// overlapping `[starts_at, ends_at)`.
fn has_overlap(
    conn: &mut DbConnection,
    staff_user_id: &str,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let count: i64 = appointments::table
        .filter(appointments::staff_user_id.eq(staff_user_id))
        .filter(appointments::status.ne(STATUS_CANCELLED))
        .filter(appointments::starts_at.lt(ends_at))
        .filter(appointments::ends_at.gt(starts_at))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Lists the people of `organisation_id` whose skills match `request` and
/// who are free for the whole of `[starts_at, ends_at)`.
pub fn available_staff(
    db: &mut Db<'_>,
    organisation_id: &str,
    request: &SkillRequest<'_>,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
) -> Result<Vec<StaffMember>, StoreError> {
    let mut available = Vec::new();
    for member in list_staff(db, Some(organisation_id))? {
        if skills_match(&member, request)
            && !has_overlap(db.conn, &member.user_id, starts_at, ends_at)?
        {
            available.push(member);
        }
    }
    Ok(available)
}

// --- Booking ------------------------------------------------------------------

/// Runs `work` in a transaction that holds a write lock covering the
/// person's appointments: `BEGIN IMMEDIATE` on SQLite (one writer at a
/// time), `SELECT … FOR UPDATE` on the person's user row on PostgreSQL.
fn locked_for_staff<T>(
    conn: &mut DbConnection,
    staff_user_id: &str,
    work: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    match conn {
        DbConnection::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match work(conn) {
                Ok(value) => {
                    conn.batch_execute("COMMIT")?;
                    Ok(value)
                }
                Err(error) => {
                    if let Err(rollback) = conn.batch_execute("ROLLBACK") {
                        tracing::error!(error = %rollback, "rollback after a failed booking failed");
                    }
                    Err(error)
                }
            }
        }
        DbConnection::Postgresql(_) => conn.transaction(|conn| {
            if let DbConnection::Postgresql(pg) = conn {
                users::table
                    .find(staff_user_id)
                    .select(users::id)
                    .for_update()
                    .first::<String>(pg)?;
            }
            work(conn)
        }),
    }
}

/// A request to book one person.
pub struct NewAppointment<'a> {
    pub case_id: &'a str,
    pub kind: &'a str,
    pub staff_user_id: &'a str,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    /// Free text; encrypted.
    pub place: &'a str,
    pub language: Option<&'a str>,
    pub dialect: Option<&'a str>,
    pub preferred_gender: Option<&'a str>,
    pub requested_by: &'a str,
}

/// Books the person and returns the appointment id.
///
/// # Errors
///
/// `Conflict("double_booking")` when the person already has an overlapping
/// booked or completed appointment, `Conflict("skills")` when their skills
/// no longer match, `NotFound` when they are not an interpreter or escort.
/// Nothing is stored in either case.
pub fn book(db: &mut Db<'_>, new: &NewAppointment<'_>) -> Result<String, StoreError> {
    let member = get_staff(db, new.staff_user_id)?;
    let request = SkillRequest {
        kind: new.kind,
        language: new.language,
        dialect: new.dialect,
        gender: new.preferred_gender,
    };
    if !skills_match(&member, &request) {
        return Err(StoreError::Conflict("skills"));
    }
    let id = crate::new_id();
    let place = db.keys.encrypt_str(
        &FieldContext {
            table: "appointments",
            column: "place_enc",
            row_id: &id,
        },
        new.place,
    );
    let ends_at = new.starts_at + chrono::Duration::minutes(i64::from(new.duration_minutes));
    let now = crate::now();
    locked_for_staff(db.conn, new.staff_user_id, |conn| {
        if has_overlap(conn, new.staff_user_id, new.starts_at, ends_at)? {
            return Err(StoreError::Conflict("double_booking"));
        }
        diesel::insert_into(appointments::table)
            .values((
                appointments::id.eq(&id),
                appointments::case_id.eq(new.case_id),
                appointments::kind.eq(new.kind),
                appointments::staff_user_id.eq(new.staff_user_id),
                appointments::starts_at.eq(new.starts_at),
                appointments::ends_at.eq(ends_at),
                appointments::duration_minutes.eq(new.duration_minutes),
                appointments::place_enc.eq(&place),
                appointments::language.eq(new.language),
                appointments::dialect.eq(new.dialect),
                appointments::preferred_gender.eq(new.preferred_gender),
                appointments::status.eq(STATUS_BOOKED),
                appointments::requested_by.eq(new.requested_by),
                appointments::created_at.eq(now),
                appointments::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })?;
    Ok(id)
}

// --- Reading --------------------------------------------------------------------

/// An appointment with its case code and the person booked. `place` is
/// decrypted.
#[derive(Clone)]
pub struct Appointment {
    pub id: String,
    pub case_id: String,
    pub case_code: String,
    pub kind: String,
    pub staff_user_id: String,
    pub staff_display_name: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: String,
    pub language: Option<String>,
    pub dialect: Option<String>,
    pub status: String,
    pub service_record_id: Option<String>,
}

impl std::fmt::Debug for Appointment {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Appointment")
            .field("id", &self.id)
            .field("case_id", &self.case_id)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

type AppointmentRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    i32,
    Vec<u8>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

fn decrypt_rows(db: &Db<'_>, rows: Vec<AppointmentRow>) -> Result<Vec<Appointment>, StoreError> {
    rows.into_iter()
        .map(
            |(
                id,
                case_id,
                case_code,
                kind,
                staff_user_id,
                staff_display_name,
                starts_at,
                ends_at,
                duration_minutes,
                place,
                language,
                dialect,
                status,
                service_record_id,
            )| {
                let place = db
                    .keys
                    .decrypt_string(
                        &FieldContext {
                            table: "appointments",
                            column: "place_enc",
                            row_id: &id,
                        },
                        &place,
                    )?
                    .to_string();
                Ok(Appointment {
                    id,
                    case_id,
                    case_code,
                    kind,
                    staff_user_id,
                    staff_display_name,
                    starts_at,
                    ends_at,
                    duration_minutes,
                    place,
                    language,
                    dialect,
                    status,
                    service_record_id,
                })
            },
        )
        .collect()
}

macro_rules! appointment_query {
    () => {
        appointments::table
            .inner_join(cases::table.on(cases::id.eq(appointments::case_id)))
            .inner_join(users::table.on(users::id.eq(appointments::staff_user_id)))
            .select((
                appointments::id,
                appointments::case_id,
                cases::code,
                appointments::kind,
                appointments::staff_user_id,
                users::display_name,
                appointments::starts_at,
                appointments::ends_at,
                appointments::duration_minutes,
                appointments::place_enc,
                appointments::language,
                appointments::dialect,
                appointments::status,
                appointments::service_record_id,
            ))
    };
}

/// Lists a case's appointments, latest start first.
pub fn list_for_case(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Appointment>, StoreError> {
    let rows: Vec<AppointmentRow> = appointment_query!()
        .filter(appointments::case_id.eq(case_id))
        .order(appointments::starts_at.desc())
        .load(db.conn)?;
    decrypt_rows(db, rows)
}

/// Lists the person's appointments that overlap `[from, to)`, earliest
/// first, with cancelled ones unless `without_cancelled`.
pub fn list_for_staff(
    db: &mut Db<'_>,
    staff_user_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    without_cancelled: bool,
) -> Result<Vec<Appointment>, StoreError> {
    let mut statuses = vec![STATUS_BOOKED, STATUS_COMPLETED];
    if !without_cancelled {
        statuses.push(STATUS_CANCELLED);
    }
    let rows: Vec<AppointmentRow> = appointment_query!()
        .filter(appointments::staff_user_id.eq(staff_user_id))
        .filter(appointments::starts_at.lt(to))
        .filter(appointments::ends_at.gt(from))
        .filter(appointments::status.eq_any(statuses))
        .order(appointments::starts_at.asc())
        .load(db.conn)?;
    decrypt_rows(db, rows)
}

// --- Completion and cancellation ----------------------------------------------

/// Marks the person's booked appointment completed and records a service
/// record of its kind's line, dated by `local_date` applied to the UTC
/// start, with its duration and codes (language, dialect, appointment id).
/// Returns the case id and the service record id.
///
/// # Errors
///
/// `NotFound` unless the appointment is the person's and still booked.
pub fn complete(
    db: &mut Db<'_>,
    staff_user_id: &str,
    appointment_id: &str,
    local_date: impl FnOnce(NaiveDateTime) -> NaiveDate,
) -> Result<(String, String), StoreError> {
    let keys = db.keys;
    crate::db::write_transaction(db.conn, |conn| {
        let mut inner = Db { conn, keys };
        let (case_id, kind, starts_at, duration, language, dialect): (
            String,
            String,
            NaiveDateTime,
            i32,
            Option<String>,
            Option<String>,
        ) = appointments::table
            .find(appointment_id)
            .filter(appointments::staff_user_id.eq(staff_user_id))
            .filter(appointments::status.eq(STATUS_BOOKED))
            .select((
                appointments::case_id,
                appointments::kind,
                appointments::starts_at,
                appointments::duration_minutes,
                appointments::language,
                appointments::dialect,
            ))
            .first(inner.conn)?;
        let mut details = json!({ "appointment_id": appointment_id });
        if let Some(language) = &language {
            details["language"] = json!(language);
        }
        if let Some(dialect) = &dialect {
            details["dialect"] = json!(dialect);
        }
        let record_id = case_records::add_service_record(
            &mut inner,
            &NewServiceRecord {
                case_id: &case_id,
                line: &kind,
                occurred_on: local_date(starts_at),
                duration_minutes: duration,
                staff_user_id,
                beneficiary_present: true,
                details: &details,
                outcome: None,
                notes: None,
            },
        )?;
        let updated = diesel::update(
            appointments::table
                .find(appointment_id)
                .filter(appointments::status.eq(STATUS_BOOKED)),
        )
        .set((
            appointments::status.eq(STATUS_COMPLETED),
            appointments::service_record_id.eq(Some(&record_id)),
            appointments::updated_at.eq(crate::now()),
        ))
        .execute(inner.conn)?;
        if updated != 1 {
            return Err(StoreError::NotFound);
        }
        Ok((case_id, record_id))
    })
}

/// Cancels a booked appointment. With `staff_user_id`, only that person's;
/// with `case_id`, only that case's. Returns the case id.
///
/// # Errors
///
/// `NotFound` unless a matching booked appointment exists.
pub fn cancel(
    db: &mut Db<'_>,
    appointment_id: &str,
    staff_user_id: Option<&str>,
    case_id: Option<&str>,
) -> Result<String, StoreError> {
    let mut query = appointments::table
        .filter(appointments::id.eq(appointment_id))
        .filter(appointments::status.eq(STATUS_BOOKED))
        .select(appointments::case_id)
        .into_boxed();
    if let Some(staff_user_id) = staff_user_id {
        query = query.filter(appointments::staff_user_id.eq(staff_user_id.to_owned()));
    }
    if let Some(case_id) = case_id {
        query = query.filter(appointments::case_id.eq(case_id.to_owned()));
    }
    let found: String = query.first(db.conn)?;
    let updated = diesel::update(
        appointments::table
            .find(appointment_id)
            .filter(appointments::status.eq(STATUS_BOOKED)),
    )
    .set((
        appointments::status.eq(STATUS_CANCELLED),
        appointments::updated_at.eq(crate::now()),
    ))
    .execute(db.conn)?;
    if updated == 1 {
        Ok(found)
    } else {
        Err(StoreError::NotFound)
    }
}

// --- Calendar feed ------------------------------------------------------------

/// Stores the hash of the person's new feed token, replacing any earlier one.
pub fn set_feed_token(db: &mut Db<'_>, user_id: &str, token_hash: &str) -> Result<(), StoreError> {
    diesel::delete(appointment_feeds::table.find(user_id)).execute(db.conn)?;
    diesel::insert_into(appointment_feeds::table)
        .values((
            appointment_feeds::user_id.eq(user_id),
            appointment_feeds::token_hash.eq(token_hash),
            appointment_feeds::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// Returns when the person's current feed token was created, if they have one.
pub fn feed_created_at(
    db: &mut Db<'_>,
    user_id: &str,
) -> Result<Option<NaiveDateTime>, StoreError> {
    Ok(appointment_feeds::table
        .find(user_id)
        .select(appointment_feeds::created_at)
        .first(db.conn)
        .optional()?)
}

/// Finds the owner of a feed token, unless the owner is disabled.
pub fn feed_owner(db: &mut Db<'_>, token_hash: &str) -> Result<Option<User>, StoreError> {
    Ok(appointment_feeds::table
        .inner_join(users::table.on(users::id.eq(appointment_feeds::user_id)))
        .filter(appointment_feeds::token_hash.eq(token_hash))
        .filter(users::disabled.eq(false))
        .select(User::as_select())
        .first(db.conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: &str, gender: &str, languages: &str) -> StaffMember {
        StaffMember {
            user_id: "u".into(),
            username: "u".into(),
            display_name: "U".into(),
            organisation_id: "o".into(),
            role: role.into(),
            gender: Some(gender.into()),
            languages: languages.into(),
        }
    }

    fn request<'a>(
        kind: &'a str,
        language: Option<&'a str>,
        dialect: Option<&'a str>,
        gender: Option<&'a str>,
    ) -> SkillRequest<'a> {
        SkillRequest {
            kind,
            language,
            dialect,
            gender,
        }
    }

    #[test]
    fn interpreter_matches_language_dialect_and_gender() {
        let interpreter = member("interpreter", "female", "en; ar:apc ;fr");
        assert!(skills_match(
            &interpreter,
            &request(KIND_INTERPRETATION, Some("ar"), None, Some("female"))
        ));
        assert!(skills_match(
            &interpreter,
            &request(KIND_INTERPRETATION, Some("ar"), Some("APC"), Some("any"))
        ));
        assert!(!skills_match(
            &interpreter,
            &request(KIND_INTERPRETATION, Some("ar"), Some("arz"), None)
        ));
        assert!(!skills_match(
            &interpreter,
            &request(KIND_INTERPRETATION, Some("en"), None, Some("male"))
        ));
        assert!(!skills_match(
            &interpreter,
            &request(KIND_INTERPRETATION, Some("uk"), None, None)
        ));
        assert!(!skills_match(
            &interpreter,
            &request(KIND_ESCORT, None, None, None)
        ));
    }

    #[test]
    fn escort_matches_on_gender_only() {
        let escort = member("escort", "male", "");
        assert!(skills_match(
            &escort,
            &request(KIND_ESCORT, None, None, None)
        ));
        assert!(!skills_match(
            &escort,
            &request(KIND_ESCORT, None, None, Some("female"))
        ));
        assert!(!skills_match(
            &escort,
            &request(KIND_INTERPRETATION, Some("en"), None, None)
        ));
    }
}
