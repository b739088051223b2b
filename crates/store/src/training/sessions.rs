//! Training sessions: scheduling, registration with a waiting list, and the
//! trainer's check-in.
//!
//! Times are stored in UTC; the web layer shows them in Europe/Athens. The
//! places follow `procap_domain::training::session::SessionRoster`: every
//! change of the roster loads it under a write lock (`BEGIN IMMEDIATE` on
//! SQLite, `SELECT … FOR UPDATE` on the session row on PostgreSQL), applies
//! the domain operation and writes the result back, so two trainees asking
//! for the last place at once never both get it.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use procap_domain::training::TraineeId;
use procap_domain::training::session::{Cancellation, Place, RosterError, SessionRoster};

use crate::db::write_transaction;
use crate::schema::{organisations, users};
use crate::schema_training::{
    courses, enrolments, session_registrations, session_trainers, trainee_profiles,
    training_sessions,
};
use crate::{Db, DbConnection, StoreError};

use super::progress;

/// `training_sessions.mode` of a session held in a room.
pub const MODE_IN_PERSON: &str = "in_person";
/// `training_sessions.mode` of a session held over a video link.
pub const MODE_ONLINE: &str = "online";

/// `session_registrations.status` of a trainee holding a place.
pub const STATUS_REGISTERED: &str = "registered";
/// `session_registrations.status` of a trainee on the waiting list.
pub const STATUS_WAITING: &str = "waiting";
/// `session_registrations.status` of a trainee who gave up their place.
pub const STATUS_CANCELLED: &str = "cancelled";

/// Largest capacity a session may have.
pub const MAX_CAPACITY: u32 = 500;

/// Where a session takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Venue {
    /// An address, free text.
    InPerson(String),
    /// An `https://` link to the video meeting, checked by the caller.
    Online(String),
}

impl Venue {
    pub fn mode(&self) -> &'static str {
        match self {
            Venue::InPerson(_) => MODE_IN_PERSON,
            Venue::Online(_) => MODE_ONLINE,
        }
    }
}

/// What a trainer enters to schedule or edit a session. The web layer
/// checks the fields (an https link, the end after the start, a capacity
/// of 1 to [`MAX_CAPACITY`]) before building it.
#[derive(Debug, Clone)]
pub struct SessionInput {
    pub course_id: Option<String>,
    pub title_el: String,
    pub title_en: String,
    pub venue: Venue,
    /// UTC.
    pub starts_at: NaiveDateTime,
    /// UTC.
    pub ends_at: NaiveDateTime,
    pub region: String,
    pub sector: Option<String>,
    pub capacity: u32,
    /// User ids of the trainers who run the session.
    pub trainer_ids: Vec<String>,
}

/// A session with its trainers and the number of places taken.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub course_id: Option<String>,
    pub course_title_el: Option<String>,
    pub course_title_en: Option<String>,
    pub title_el: String,
    pub title_en: String,
    pub mode: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
    pub link: Option<String>,
    pub region: String,
    pub sector: Option<String>,
    pub capacity: i32,
    pub created_by: String,
    pub cancelled_at: Option<NaiveDateTime>,
    /// Trainers' user ids and display names, by name.
    pub trainers: Vec<(String, String)>,
    pub registered: i64,
    pub waiting: i64,
}

impl Session {
    pub fn places_left(&self) -> i64 {
        (i64::from(self.capacity) - self.registered).max(0)
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }
}

type SessionRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    i32,
    String,
    Option<NaiveDateTime>,
);

/// The columns [`SessionRow`] is loaded from, in its order.
type SessionColumns = (
    training_sessions::id,
    training_sessions::course_id,
    training_sessions::title_el,
    training_sessions::title_en,
    training_sessions::mode,
    training_sessions::starts_at,
    training_sessions::ends_at,
    training_sessions::place,
    training_sessions::link,
    training_sessions::region,
    training_sessions::sector,
    training_sessions::capacity,
    training_sessions::created_by,
    training_sessions::cancelled_at,
);

fn session_columns() -> SessionColumns {
    (
        training_sessions::id,
        training_sessions::course_id,
        training_sessions::title_el,
        training_sessions::title_en,
        training_sessions::mode,
        training_sessions::starts_at,
        training_sessions::ends_at,
        training_sessions::place,
        training_sessions::link,
        training_sessions::region,
        training_sessions::sector,
        training_sessions::capacity,
        training_sessions::created_by,
        training_sessions::cancelled_at,
    )
}

fn complete_session(db: &mut Db<'_>, row: SessionRow) -> Result<Session, StoreError> {
    let (
        id,
        course_id,
        title_el,
        title_en,
        mode,
        starts_at,
        ends_at,
        place,
        link,
        region,
        sector,
        capacity,
        created_by,
        cancelled_at,
    ) = row;
    let (course_title_el, course_title_en) = match &course_id {
        Some(course) => courses::table
            .find(course)
            .select((courses::title_el, courses::title_en))
            .first::<(String, String)>(db.conn)
            .optional()?
            .map_or((None, None), |(el, en)| (Some(el), Some(en))),
        None => (None, None),
    };
    let trainer_ids: Vec<String> = session_trainers::table
        .filter(session_trainers::session_id.eq(&id))
        .select(session_trainers::user_id)
        .load(db.conn)?;
    let trainers: Vec<(String, String)> = users::table
        .filter(users::id.eq_any(&trainer_ids))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(db.conn)?;
    let count = |db: &mut Db<'_>, status: &str| -> Result<i64, StoreError> {
        Ok(session_registrations::table
            .filter(session_registrations::session_id.eq(&id))
            .filter(session_registrations::status.eq(status))
            .count()
            .get_result(db.conn)?)
    };
    let registered = count(db, STATUS_REGISTERED)?;
    let waiting = count(db, STATUS_WAITING)?;
    Ok(Session {
        id,
        course_id,
        course_title_el,
        course_title_en,
        title_el,
        title_en,
        mode,
        starts_at,
        ends_at,
        place,
        link,
        region,
        sector,
        capacity,
        created_by,
        cancelled_at,
        trainers,
        registered,
        waiting,
    })
}

/// Loads one session.
///
/// # Errors
///
/// `NotFound` for an unknown id.
pub fn get(db: &mut Db<'_>, id: &str) -> Result<Session, StoreError> {
    let row: SessionRow = training_sessions::table
        .find(id)
        .select(session_columns())
        .first(db.conn)?;
    complete_session(db, row)
}

/// Which sessions [`list`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Sessions ending at or after the given time, soonest first.
    Upcoming(NaiveDateTime),
    /// Every session, newest first.
    All,
}

/// One page of sessions and whether more follow.
pub fn list(
    db: &mut Db<'_>,
    period: Period,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Session>, bool), StoreError> {
    let mut query = training_sessions::table
        .select(session_columns())
        .into_boxed();
    query = match period {
        Period::Upcoming(now) => query
            .filter(training_sessions::ends_at.ge(now))
            .filter(training_sessions::cancelled_at.is_null())
            .order((
                training_sessions::starts_at.asc(),
                training_sessions::id.asc(),
            )),
        Period::All => query.order((
            training_sessions::starts_at.desc(),
            training_sessions::id.asc(),
        )),
    };
    let rows: Vec<SessionRow> = query.offset(offset).limit(limit + 1).load(db.conn)?;
    let more = rows.len() as i64 > limit;
    let sessions = rows
        .into_iter()
        .take(limit as usize)
        .map(|row| complete_session(db, row))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((sessions, more))
}

fn check_input(input: &SessionInput) -> Result<(), StoreError> {
    if input.capacity == 0 || input.capacity > MAX_CAPACITY {
        return Err(StoreError::Conflict("capacity"));
    }
    if input.ends_at <= input.starts_at {
        return Err(StoreError::Conflict("ends_before_start"));
    }
    Ok(())
}

fn write_trainers(
    db: &mut Db<'_>,
    session_id: &str,
    trainers: &[String],
) -> Result<(), StoreError> {
    diesel::delete(session_trainers::table.filter(session_trainers::session_id.eq(session_id)))
        .execute(db.conn)?;
    let mut seen = std::collections::BTreeSet::new();
    for trainer in trainers
        .iter()
        .filter(|trainer| seen.insert(trainer.as_str()))
    {
        diesel::insert_into(session_trainers::table)
            .values((
                session_trainers::session_id.eq(session_id),
                session_trainers::user_id.eq(trainer),
            ))
            .execute(db.conn)?;
    }
    Ok(())
}

/// Schedules a session and returns its id.
///
/// # Errors
///
/// `Conflict("capacity")` or `Conflict("ends_before_start")` for input the
/// caller should have rejected.
pub fn create(
    db: &mut Db<'_>,
    input: &SessionInput,
    created_by: &str,
) -> Result<String, StoreError> {
    check_input(input)?;
    let id = crate::new_id();
    let (place, link) = venue_columns(&input.venue);
    db.transaction(|db| {
        diesel::insert_into(training_sessions::table)
            .values((
                training_sessions::id.eq(&id),
                training_sessions::course_id.eq(input.course_id.as_deref()),
                training_sessions::title_el.eq(&input.title_el),
                training_sessions::title_en.eq(&input.title_en),
                training_sessions::mode.eq(input.venue.mode()),
                training_sessions::starts_at.eq(crate::truncate_to_micros(input.starts_at)),
                training_sessions::ends_at.eq(crate::truncate_to_micros(input.ends_at)),
                training_sessions::place.eq(place),
                training_sessions::link.eq(link),
                training_sessions::region.eq(&input.region),
                training_sessions::sector.eq(input.sector.as_deref()),
                training_sessions::capacity.eq(input.capacity as i32),
                training_sessions::created_by.eq(created_by),
                training_sessions::created_at.eq(crate::now()),
            ))
            .execute(db.conn)?;
        write_trainers(db, &id, &input.trainer_ids)
    })?;
    Ok(id)
}

fn venue_columns(venue: &Venue) -> (Option<&str>, Option<&str>) {
    match venue {
        Venue::InPerson(place) => (Some(place.as_str()), None),
        Venue::Online(link) => (None, Some(link.as_str())),
    }
}

/// Runs `work` under the session's write lock; see the module doc.
fn locked<T>(
    db: &mut Db<'_>,
    session_id: &str,
    work: impl FnOnce(&mut Db<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let keys = db.keys;
    let run = |conn: &mut DbConnection| -> Result<T, StoreError> {
        if let DbConnection::Postgresql(pg) = conn {
            training_sessions::table
                .find(session_id)
                .select(training_sessions::id)
                .for_update()
                .first::<String>(pg)?;
        }
        work(&mut Db { conn, keys })
    };
    match db.conn {
        DbConnection::Sqlite(_) => write_transaction(db.conn, run),
        DbConnection::Postgresql(_) => db.conn.transaction(run),
    }
}

/// The roster as stored: capacity, registered trainees in the order they
/// got their place, and the waiting list in the order people joined it.
fn load_roster(db: &mut Db<'_>, session_id: &str) -> Result<SessionRoster, StoreError> {
    let capacity: i32 = training_sessions::table
        .find(session_id)
        .select(training_sessions::capacity)
        .first(db.conn)?;
    let rows: Vec<(String, String)> = session_registrations::table
        .filter(session_registrations::session_id.eq(session_id))
        .filter(session_registrations::status.ne(STATUS_CANCELLED))
        .order((
            session_registrations::registered_at.asc(),
            session_registrations::id.asc(),
        ))
        .select((
            session_registrations::trainee_id,
            session_registrations::status,
        ))
        .load(db.conn)?;
    let mut registered = Vec::new();
    let mut waiting = Vec::new();
    for (trainee, status) in rows {
        match status.as_str() {
            STATUS_REGISTERED => registered.push(TraineeId::new(trainee)),
            STATUS_WAITING => waiting.push(TraineeId::new(trainee)),
            other => return Err(StoreError::Corrupt(format!("registration status {other}"))),
        }
    }
    SessionRoster::from_parts(usize::try_from(capacity).unwrap_or(0), registered, waiting)
        .map_err(|error| StoreError::Corrupt(format!("session roster: {error}")))
}

fn set_status(
    db: &mut Db<'_>,
    session_id: &str,
    trainee_id: &str,
    status: &str,
) -> Result<(), StoreError> {
    diesel::update(
        session_registrations::table
            .filter(session_registrations::session_id.eq(session_id))
            .filter(session_registrations::trainee_id.eq(trainee_id)),
    )
    .set(session_registrations::status.eq(status))
    .execute(db.conn)?;
    Ok(())
}

/// Saves a trainer's changes. A larger capacity gives places to the
/// waiting list in order; the ids of the trainees promoted are returned.
///
/// # Errors
///
/// `NotFound` for an unknown session; `Conflict("capacity_below_registered")`
/// when the new capacity is below the number registered;
/// `Conflict("capacity")` or `Conflict("ends_before_start")` as in
/// [`create`]. Nothing changes on error.
pub fn update(db: &mut Db<'_>, id: &str, input: &SessionInput) -> Result<Vec<String>, StoreError> {
    check_input(input)?;
    locked(db, id, |db| {
        let mut roster = load_roster(db, id)?;
        let promoted =
            roster
                .set_capacity(input.capacity as usize)
                .map_err(|error| match error {
                    RosterError::CapacityBelowRegistered { .. } => {
                        StoreError::Conflict("capacity_below_registered")
                    }
                    other => StoreError::Corrupt(other.to_string()),
                })?;
        let (place, link) = venue_columns(&input.venue);
        diesel::update(training_sessions::table.find(id))
            .set((
                training_sessions::course_id.eq(input.course_id.as_deref()),
                training_sessions::title_el.eq(&input.title_el),
                training_sessions::title_en.eq(&input.title_en),
                training_sessions::mode.eq(input.venue.mode()),
                training_sessions::starts_at.eq(crate::truncate_to_micros(input.starts_at)),
                training_sessions::ends_at.eq(crate::truncate_to_micros(input.ends_at)),
                training_sessions::place.eq(place),
                training_sessions::link.eq(link),
                training_sessions::region.eq(&input.region),
                training_sessions::sector.eq(input.sector.as_deref()),
                training_sessions::capacity.eq(input.capacity as i32),
            ))
            .execute(db.conn)?;
        write_trainers(db, id, &input.trainer_ids)?;
        let promoted: Vec<String> = promoted.into_iter().map(|t| t.to_string()).collect();
        for trainee in &promoted {
            set_status(db, id, trainee, STATUS_REGISTERED)?;
        }
        Ok(promoted)
    })
}

/// Cancels a session. Registrations are kept so the trainees can be told.
///
/// # Errors
///
/// `NotFound` for an unknown session, `Conflict("session_cancelled")` when
/// it was cancelled already.
pub fn cancel(db: &mut Db<'_>, id: &str) -> Result<(), StoreError> {
    let session = get(db, id)?;
    if session.is_cancelled() {
        return Err(StoreError::Conflict("session_cancelled"));
    }
    diesel::update(training_sessions::table.find(id))
        .set(training_sessions::cancelled_at.eq(Some(crate::now())))
        .execute(db.conn)?;
    Ok(())
}

/// Registers a trainee, or puts them on the waiting list when the session
/// is full, and returns where they now stand. A trainee who cancelled
/// before may register again and joins at the end.
///
/// # Errors
///
/// `NotFound` for an unknown session; `Conflict("session_cancelled")`;
/// `Conflict("session_over")` once the session has ended;
/// `Conflict("already_registered")` or `Conflict("already_waiting")` when
/// the trainee is on the roster already.
pub fn register(
    db: &mut Db<'_>,
    session_id: &str,
    trainee_id: &str,
    now: NaiveDateTime,
) -> Result<Place, StoreError> {
    locked(db, session_id, |db| {
        let (ends_at, cancelled_at): (NaiveDateTime, Option<NaiveDateTime>) =
            training_sessions::table
                .find(session_id)
                .select((training_sessions::ends_at, training_sessions::cancelled_at))
                .first(db.conn)?;
        if cancelled_at.is_some() {
            return Err(StoreError::Conflict("session_cancelled"));
        }
        if ends_at <= now {
            return Err(StoreError::Conflict("session_over"));
        }

        let mut roster = load_roster(db, session_id)?;
        let place = roster
            .register(TraineeId::new(trainee_id))
            .map_err(|error| match error {
                RosterError::AlreadyRegistered(_) => StoreError::Conflict("already_registered"),
                RosterError::AlreadyWaiting { .. } => StoreError::Conflict("already_waiting"),
                other => StoreError::Corrupt(other.to_string()),
            })?;
        let status = match place {
            Place::Registered => STATUS_REGISTERED,
            Place::Waiting(_) => STATUS_WAITING,
        };

        let existing: Option<String> = session_registrations::table
            .filter(session_registrations::session_id.eq(session_id))
            .filter(session_registrations::trainee_id.eq(trainee_id))
            .select(session_registrations::id)
            .first(db.conn)
            .optional()?;
        let at = crate::truncate_to_micros(now);
        match existing {
            Some(row) => {
                diesel::update(session_registrations::table.find(row))
                    .set((
                        session_registrations::status.eq(status),
                        session_registrations::registered_at.eq(at),
                        session_registrations::cancelled_at.eq(None::<NaiveDateTime>),
                        session_registrations::attended_at.eq(None::<NaiveDateTime>),
                        session_registrations::checked_in_by.eq(None::<String>),
                    ))
                    .execute(db.conn)?;
            }
            None => {
                diesel::insert_into(session_registrations::table)
                    .values((
                        session_registrations::id.eq(crate::new_id()),
                        session_registrations::session_id.eq(session_id),
                        session_registrations::trainee_id.eq(trainee_id),
                        session_registrations::status.eq(status),
                        session_registrations::registered_at.eq(at),
                    ))
                    .execute(db.conn)?;
            }
        }
        Ok(place)
    })
}

/// Gives up a trainee's place or their spot on the waiting list. A freed
/// place goes to the first trainee waiting, whose id is in the result.
///
/// # Errors
///
/// `NotFound` for an unknown session; `Conflict("not_registered")` when the
/// trainee is neither registered nor waiting.
pub fn cancel_registration(
    db: &mut Db<'_>,
    session_id: &str,
    trainee_id: &str,
    now: NaiveDateTime,
) -> Result<Cancellation, StoreError> {
    locked(db, session_id, |db| {
        let mut roster = load_roster(db, session_id)?;
        let cancellation =
            roster
                .cancel(&TraineeId::new(trainee_id))
                .map_err(|error| match error {
                    RosterError::NotOnRoster(_) => StoreError::Conflict("not_registered"),
                    other => StoreError::Corrupt(other.to_string()),
                })?;
        diesel::update(
            session_registrations::table
                .filter(session_registrations::session_id.eq(session_id))
                .filter(session_registrations::trainee_id.eq(trainee_id)),
        )
        .set((
            session_registrations::status.eq(STATUS_CANCELLED),
            session_registrations::cancelled_at.eq(Some(crate::truncate_to_micros(now))),
            session_registrations::attended_at.eq(None::<NaiveDateTime>),
        ))
        .execute(db.conn)?;
        if let Some(promoted) = &cancellation.promoted {
            set_status(db, session_id, promoted.as_str(), STATUS_REGISTERED)?;
        }
        Ok(cancellation)
    })
}

/// A trainee's standing for one session, `None` when not on the roster.
pub fn place_of(
    db: &mut Db<'_>,
    session_id: &str,
    trainee_id: &str,
) -> Result<Option<Place>, StoreError> {
    let roster = load_roster(db, session_id)?;
    Ok(roster.place(&TraineeId::new(trainee_id)))
}

/// One trainee on a session's roster, with what the sign-in sheet prints.
#[derive(Clone)]
pub struct RosterEntry {
    pub trainee_id: String,
    pub display_name: String,
    /// The trainee's organisation as registered.
    pub organisation: String,
    /// The employer the trainee gave, when one.
    pub employer: Option<String>,
    pub sector: Option<String>,
    /// [`STATUS_REGISTERED`] or [`STATUS_WAITING`].
    pub status: String,
    pub registered_at: NaiveDateTime,
    pub attended_at: Option<NaiveDateTime>,
    /// Whether a trainer has marked attendance at all: with `attended_at`
    /// empty this tells "marked absent" from "not yet marked".
    pub attendance_marked: bool,
}

impl std::fmt::Debug for RosterEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterEntry")
            .field("trainee_id", &self.trainee_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The registered trainees (by name) followed by the waiting list (in
/// order). Cancelled registrations are left out.
pub fn roster(db: &mut Db<'_>, session_id: &str) -> Result<Vec<RosterEntry>, StoreError> {
    type Row = (
        String,
        String,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
    );
    let rows: Vec<Row> = session_registrations::table
        .inner_join(users::table.on(users::id.eq(session_registrations::trainee_id)))
        .filter(session_registrations::session_id.eq(session_id))
        .filter(session_registrations::status.ne(STATUS_CANCELLED))
        .order((
            session_registrations::registered_at.asc(),
            session_registrations::id.asc(),
        ))
        .select((
            users::id,
            users::display_name,
            users::organisation_id,
            session_registrations::status,
            session_registrations::registered_at,
            session_registrations::attended_at,
            session_registrations::checked_in_by,
        ))
        .load(db.conn)?;
    let trainee_ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    let profiles: BTreeMap<String, (Option<String>, String)> = trainee_profiles::table
        .filter(trainee_profiles::user_id.eq_any(&trainee_ids))
        .select((
            trainee_profiles::user_id,
            (trainee_profiles::employer, trainee_profiles::sector),
        ))
        .load::<(String, (Option<String>, String))>(db.conn)?
        .into_iter()
        .collect();
    let organisation_names: BTreeMap<String, String> = organisations::table
        .select((organisations::id, organisations::name))
        .load::<(String, String)>(db.conn)?
        .into_iter()
        .collect();
    let mut entries: Vec<RosterEntry> = rows
        .into_iter()
        .map(
            |(trainee_id, display_name, organisation_id, status, at, attended, marked_by)| {
                let (employer, sector) = match profiles.get(&trainee_id) {
                    Some((employer, sector)) => (employer.clone(), Some(sector.clone())),
                    None => (None, None),
                };
                RosterEntry {
                    organisation: organisation_names
                        .get(&organisation_id)
                        .cloned()
                        .unwrap_or_default(),
                    trainee_id,
                    display_name,
                    employer,
                    sector,
                    status,
                    registered_at: at,
                    attended_at: attended,
                    attendance_marked: marked_by.is_some(),
                }
            },
        )
        .collect();
    // Registered by name for the sheet; the waiting list keeps its order.
    entries.sort_by(|a, b| {
        let waiting = |entry: &RosterEntry| entry.status == STATUS_WAITING;
        match (waiting(a), waiting(b)) {
            (false, false) => a.display_name.cmp(&b.display_name),
            (a_waits, b_waits) => a_waits.cmp(&b_waits),
        }
    });
    Ok(entries)
}

/// Records whether a registered trainee attended, by the trainer `by`, and
/// recomputes the trainee's completion of the session's course in the same
/// transaction. Returns that recomputation, `None` for a session without a
/// course or a trainee not enrolled in it.
///
/// # Errors
///
/// `NotFound` for an unknown session; `Conflict("not_registered")` when
/// the trainee holds no place (waiting or cancelled).
pub fn mark_attendance(
    db: &mut Db<'_>,
    session_id: &str,
    trainee_id: &str,
    present: bool,
    by: &str,
    now: NaiveDateTime,
) -> Result<Option<progress::Recomputed>, StoreError> {
    db.transaction(|db| {
        let course_id: Option<String> = training_sessions::table
            .find(session_id)
            .select(training_sessions::course_id)
            .first(db.conn)?;
        let attended_at = present.then(|| crate::truncate_to_micros(now));
        let changed = diesel::update(
            session_registrations::table
                .filter(session_registrations::session_id.eq(session_id))
                .filter(session_registrations::trainee_id.eq(trainee_id))
                .filter(session_registrations::status.eq(STATUS_REGISTERED)),
        )
        .set((
            session_registrations::attended_at.eq(attended_at),
            session_registrations::checked_in_by.eq(Some(by)),
        ))
        .execute(db.conn)?;
        if changed == 0 {
            return Err(StoreError::Conflict("not_registered"));
        }
        let Some(course_id) = course_id else {
            return Ok(None);
        };
        let enrolled: i64 = enrolments::table
            .filter(enrolments::course_id.eq(&course_id))
            .filter(enrolments::trainee_id.eq(trainee_id))
            .count()
            .get_result(db.conn)?;
        if enrolled == 0 {
            return Ok(None);
        }
        Ok(Some(progress::recompute(db, trainee_id, &course_id)?))
    })
}

/// A session a trainee is registered or waiting for.
#[derive(Debug, Clone)]
pub struct MySession {
    pub session: Session,
    pub status: String,
}

/// The trainee's upcoming sessions (registered or waiting), soonest first.
pub fn upcoming_for_trainee(
    db: &mut Db<'_>,
    trainee_id: &str,
    now: NaiveDateTime,
) -> Result<Vec<MySession>, StoreError> {
    let rows: Vec<(String, String)> = session_registrations::table
        .inner_join(training_sessions::table)
        .filter(session_registrations::trainee_id.eq(trainee_id))
        .filter(session_registrations::status.ne(STATUS_CANCELLED))
        .filter(training_sessions::ends_at.ge(now))
        .filter(training_sessions::cancelled_at.is_null())
        .order(training_sessions::starts_at.asc())
        .select((training_sessions::id, session_registrations::status))
        .load(db.conn)?;
    rows.into_iter()
        .map(|(id, status)| {
            Ok(MySession {
                session: get(db, &id)?,
                status,
            })
        })
        .collect()
}

/// The accounts that may run a session (trainers and coordinators, not
/// disabled), as `(user id, display name)` by name, for the session form.
pub fn trainer_choices(db: &mut Db<'_>) -> Result<Vec<(String, String)>, StoreError> {
    Ok(users::table
        .filter(users::role.eq_any(["trainer", "coordinator"]))
        .filter(users::disabled.eq(false))
        .order((users::display_name.asc(), users::id.asc()))
        .select((users::id, users::display_name))
        .load(db.conn)?)
}
