//! Invitation codes and trainee registration with one.
//!
//! A trainer creates a code for an organisation, sector and region, with an
//! optional course, an optional number of uses and an optional last day.
//! Registering with a usable code creates the trainee's account and profile,
//! counts one use and enrols the trainee in the code's course, all in one
//! transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;

use super::enrolment;
use crate::schema::organisations;
use crate::schema_training::training_invitations;
use crate::{Db, StoreError};

/// Characters of a generated code: upper-case letters and digits without
/// the easily confused 0, O, 1, I and L.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Length of a generated code.
const CODE_LENGTH: usize = 10;

/// An invitation with its organisation's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub code: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub sector: String,
    pub region: String,
    pub course_id: Option<String>,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub expires_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Why a code cannot be used, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    Unknown,
    Revoked,
    Expired,
    UsedUp,
}

impl CodeProblem {
    /// A stable identifier, for audit details and message keys.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeProblem::Unknown => "unknown",
            CodeProblem::Revoked => "revoked",
            CodeProblem::Expired => "expired",
            CodeProblem::UsedUp => "used_up",
        }
    }
}

impl Invitation {
    /// Whether the code can register one more trainee on `today` (Athens).
    pub fn problem(&self, today: NaiveDate) -> Option<CodeProblem> {
        if self.revoked_at.is_some() {
            Some(CodeProblem::Revoked)
        } else if self.expires_on.is_some_and(|last| today > last) {
            Some(CodeProblem::Expired)
        } else if self.max_uses.is_some_and(|max| self.uses >= max) {
            Some(CodeProblem::UsedUp)
        } else {
            None
        }
    }
}

/// What creating an invitation needs. Sector and region codes are checked
/// by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub organisation_id: String,
    pub sector: String,
    pub region: String,
    pub course_id: Option<String>,
    pub max_uses: Option<i32>,
    pub expires_on: Option<NaiveDate>,
    pub created_by: String,
}

/// A new random code (upper case, [`CODE_LENGTH`] characters).
pub fn generate_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// Normalises what a person typed: trimmed, spaces and hyphens dropped,
/// upper case.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase()
}

/// Creates an invitation with `code` (normalised), or a generated one when
/// `code` is `None`. `Conflict` when the code exists.
pub fn create_invitation(
    db: &mut Db<'_>,
    new: &NewInvitation,
    code: Option<&str>,
) -> Result<Invitation, StoreError> {
    let id = crate::new_id();
    let code = code.map_or_else(generate_code, normalise_code);
    diesel::insert_into(training_invitations::table)
        .values((
            training_invitations::id.eq(&id),
            training_invitations::code.eq(&code),
            training_invitations::organisation_id.eq(&new.organisation_id),
            training_invitations::sector.eq(&new.sector),
            training_invitations::region.eq(&new.region),
            training_invitations::course_id.eq(new.course_id.as_deref()),
            training_invitations::max_uses.eq(new.max_uses),
            training_invitations::uses.eq(0),
            training_invitations::expires_on.eq(new.expires_on),
            training_invitations::created_by.eq(&new.created_by),
            training_invitations::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    get_invitation(db, &id)
}

type InvitationRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i32>,
    i32,
    Option<NaiveDate>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn decode(row: InvitationRow) -> Invitation {
    let (
        id,
        code,
        organisation_id,
        organisation_name,
        sector,
        region,
        course_id,
        max_uses,
        uses,
        expires_on,
        created_at,
        revoked_at,
    ) = row;
    Invitation {
        id,
        code,
        organisation_id,
        organisation_name,
        sector,
        region,
        course_id,
        max_uses,
        uses,
        expires_on,
        created_at,
        revoked_at,
    }
}

macro_rules! invitation_columns {
    () => {
        (
            training_invitations::id,
            training_invitations::code,
            training_invitations::organisation_id,
            organisations::name,
            training_invitations::sector,
            training_invitations::region,
            training_invitations::course_id,
            training_invitations::max_uses,
            training_invitations::uses,
            training_invitations::expires_on,
            training_invitations::created_at,
            training_invitations::revoked_at,
        )
    };
}

pub fn get_invitation(db: &mut Db<'_>, id: &str) -> Result<Invitation, StoreError> {
    let row: InvitationRow = training_invitations::table
        .inner_join(
            organisations::table.on(organisations::id.eq(training_invitations::organisation_id)),
        )
        .filter(training_invitations::id.eq(id))
        .select(invitation_columns!())
        .first(db.conn)?;
    Ok(decode(row))
}

/// Finds an invitation by the code a person typed; `None` when unknown.
pub fn find_by_code(db: &mut Db<'_>, typed: &str) -> Result<Option<Invitation>, StoreError> {
    let code = normalise_code(typed);
    let row: Option<InvitationRow> = training_invitations::table
        .inner_join(
            organisations::table.on(organisations::id.eq(training_invitations::organisation_id)),
        )
        .filter(training_invitations::code.eq(code))
        .select(invitation_columns!())
        .first(db.conn)
        .optional()?;
    Ok(row.map(decode))
}

/// One page of invitations, newest first, with the total count.
pub fn list_invitations(
    db: &mut Db<'_>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Invitation>, i64), StoreError> {
    let total = training_invitations::table
        .count()
        .get_result::<i64>(db.conn)?;
    let rows: Vec<InvitationRow> = training_invitations::table
        .inner_join(
            organisations::table.on(organisations::id.eq(training_invitations::organisation_id)),
        )
        .order((
            training_invitations::created_at.desc(),
            training_invitations::id.desc(),
        ))
        .offset(offset.max(0))
        .limit(limit.max(1))
        .select(invitation_columns!())
        .load(db.conn)?;
    Ok((rows.into_iter().map(decode).collect(), total))
}

/// Revokes an invitation; revoking twice keeps the first time.
pub fn revoke_invitation(db: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    get_invitation(db, id)?;
    diesel::update(
        training_invitations::table
            .find(id)
            .filter(training_invitations::revoked_at.is_null()),
    )
    .set(training_invitations::revoked_at.eq(Some(crate::now())))
    .execute(db.conn)?;
    Ok(())
}

/// What a person registering as a trainee sends. The password arrives
/// hashed; the username is already valid; `email` is lower case.
pub struct Registration<'a> {
    pub code: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
    pub employer: Option<&'a str>,
    pub password_hash: &'a str,
    pub locale: &'a str,
}

/// Why a registration was refused; nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationError {
    Code(CodeProblem),
    UsernameTaken,
    EmailTaken,
}

/// The trainee created by a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub user_id: String,
    pub invitation_id: String,
    /// The course the trainee was enrolled in, if the code named one.
    pub course_id: Option<String>,
}

/// Registers a trainee with an invitation code, on `today` (Athens). The
/// outer `Err` is a storage failure; the inner one a refusal.
pub fn register(
    db: &mut Db<'_>,
    registration: &Registration<'_>,
    today: NaiveDate,
) -> Result<Result<Registered, RegistrationError>, StoreError> {
    db.transaction(|db| {
        let Some(invitation) = find_by_code(db, registration.code)? else {
            return Ok(Err(RegistrationError::Code(CodeProblem::Unknown)));
        };
        if let Some(problem) = invitation.problem(today) {
            return Ok(Err(RegistrationError::Code(problem)));
        }
        if crate::users::find_by_username(db, registration.username)?.is_some() {
            return Ok(Err(RegistrationError::UsernameTaken));
        }
        if enrolment::find_user_by_email(db, registration.email)?.is_some() {
            return Ok(Err(RegistrationError::EmailTaken));
        }

        // Count the use only while uses are below the limit, so two
        // registrations at once cannot both take the last place.
        let counted = match invitation.max_uses {
            Some(max) => diesel::update(
                training_invitations::table
                    .find(&invitation.id)
                    .filter(training_invitations::uses.lt(max)),
            )
            .set(training_invitations::uses.eq(training_invitations::uses + 1))
            .execute(db.conn)?,
            None => diesel::update(training_invitations::table.find(&invitation.id))
                .set(training_invitations::uses.eq(training_invitations::uses + 1))
                .execute(db.conn)?,
        };
        if counted == 0 {
            return Ok(Err(RegistrationError::Code(CodeProblem::UsedUp)));
        }

        let user = crate::users::create(
            db,
            &crate::users::NewUser {
                organisation_id: &invitation.organisation_id,
                username: registration.username,
                display_name: registration.display_name,
                email: Some(registration.email),
                role: "trainee",
                password_hash: registration.password_hash,
                must_change_password: false,
                locale: registration.locale,
            },
        )?;
        enrolment::create_profile(
            db,
            &enrolment::NewProfile {
                user_id: &user.id,
                sector: &invitation.sector,
                region: &invitation.region,
                employer: registration.employer,
                invitation_id: Some(&invitation.id),
            },
        )?;
        if let Some(course_id) = &invitation.course_id {
            enrolment::enrol(db, course_id, &user.id, None)?;
        }
        Ok(Ok(Registered {
            user_id: user.id,
            invitation_id: invitation.id,
            course_id: invitation.course_id,
        }))
    })
}
