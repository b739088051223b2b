//! Trainee profiles, enrolments (one at a time, self-enrolment and a CSV
//! roster), lesson views, and the lists of the trainee's and the trainer's
//! home pages.
//!
//! A roster is checked whole before anything is written: every problem is
//! reported with its line, and a file with any problem writes nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use procap_domain::account::Username;
use procap_domain::training::CourseId;
use procap_domain::training::completion::{Rule, completion};

use super::courses::{self, Course, PUBLISHED, is_region, is_sector};
use super::progress::{self, Recomputed};
use crate::schema::users;
use crate::schema_training::{
    courses as courses_table, enrolments, lesson_views, trainee_profiles,
};
use crate::{Db, StoreError};

/// The role string of trainees in `users.role`.
const TRAINEE: &str = "trainee";

// --- Profiles -----------------------------------------------------------------

/// The trainee profile fields kept beside the user's own row.
pub struct NewProfile<'a> {
    pub user_id: &'a str,
    pub sector: &'a str,
    pub region: &'a str,
    pub employer: Option<&'a str>,
    pub invitation_id: Option<&'a str>,
}

/// Creates a trainee's profile. `Conflict` when one exists.
pub fn create_profile(db: &mut Db<'_>, new: &NewProfile<'_>) -> Result<(), StoreError> {
    diesel::insert_into(trainee_profiles::table)
        .values((
            trainee_profiles::user_id.eq(new.user_id),
            trainee_profiles::sector.eq(new.sector),
            trainee_profiles::region.eq(new.region),
            trainee_profiles::employer.eq(new.employer),
            trainee_profiles::invitation_id.eq(new.invitation_id),
            trainee_profiles::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// A trainee's profile: (sector, region, employer); `None` without one.
pub fn profile(
    db: &mut Db<'_>,
    user_id: &str,
) -> Result<Option<(String, String, Option<String>)>, StoreError> {
    Ok(trainee_profiles::table
        .find(user_id)
        .select((
            trainee_profiles::sector,
            trainee_profiles::region,
            trainee_profiles::employer,
        ))
        .first(db.conn)
        .optional()?)
}

/// Finds a user by e-mail address, ignoring case: (id, role).
pub fn find_user_by_email(
    db: &mut Db<'_>,
    email: &str,
) -> Result<Option<(String, String)>, StoreError> {
    let wanted = email.trim().to_lowercase();
    let rows: Vec<(String, String, Option<String>)> = users::table
        .filter(users::email.is_not_null())
        .select((users::id, users::role, users::email))
        .load(db.conn)?;
    // Addresses of staff created before lower-casing may be mixed case, so
    // the comparison happens here rather than with a backend's own lower().
    Ok(rows
        .into_iter()
        .find(|(_, _, stored)| stored.as_deref().map(str::to_lowercase) == Some(wanted.clone()))
        .map(|(id, role, _)| (id, role)))
}

// --- Enrolment ----------------------------------------------------------------

/// Enrols a trainee in a course. Returns `false` when they already were.
/// `enrolled_by` is the trainer, or `None` for self-enrolment and
/// registration.
pub fn enrol(
    db: &mut Db<'_>,
    course_id: &str,
    trainee_id: &str,
    enrolled_by: Option<&str>,
) -> Result<bool, StoreError> {
    if is_enrolled(db, course_id, trainee_id)? {
        return Ok(false);
    }
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(crate::new_id()),
            enrolments::course_id.eq(course_id),
            enrolments::trainee_id.eq(trainee_id),
            enrolments::enrolled_by.eq(enrolled_by),
            enrolments::enrolled_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(true)
}

pub fn is_enrolled(db: &mut Db<'_>, course_id: &str, trainee_id: &str) -> Result<bool, StoreError> {
    Ok(enrolments::table
        .filter(enrolments::course_id.eq(course_id))
        .filter(enrolments::trainee_id.eq(trainee_id))
        .count()
        .get_result::<i64>(db.conn)?
        > 0)
}

/// The ids of the courses a trainee has completed.
pub fn completed_course_ids(
    db: &mut Db<'_>,
    trainee_id: &str,
) -> Result<BTreeSet<String>, StoreError> {
    let ids: Vec<String> = enrolments::table
        .filter(enrolments::trainee_id.eq(trainee_id))
        .filter(enrolments::completed_at.is_not_null())
        .select(enrolments::course_id)
        .load(db.conn)?;
    Ok(ids.into_iter().collect())
}

/// The direct prerequisites of `course_id` the trainee has not completed,
/// by id.
pub fn unmet_prerequisites(
    db: &mut Db<'_>,
    course_id: &str,
    trainee_id: &str,
) -> Result<Vec<String>, StoreError> {
    let graph = courses::prerequisite_graph(db)?;
    let completed: BTreeSet<CourseId> = completed_course_ids(db, trainee_id)?
        .into_iter()
        .map(CourseId::new)
        .collect();
    Ok(graph
        .unmet(&CourseId::new(course_id), &completed)
        .into_iter()
        .map(|id| id.as_str().to_owned())
        .collect())
}

/// The reason a trainee cannot enrol themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelfEnrolError {
    /// The course is a draft or archived.
    NotPublished,
    /// These prerequisites (course ids) are not completed.
    Prerequisites(Vec<String>),
}

/// Enrols a trainee in a published course whose prerequisites they have
/// completed. Enrolling twice is not an error.
pub fn self_enrol(
    db: &mut Db<'_>,
    course_id: &str,
    trainee_id: &str,
) -> Result<Result<(), SelfEnrolError>, StoreError> {
    db.transaction(|db| {
        let course = courses::get_course(db, course_id)?;
        if course.status != PUBLISHED {
            return Ok(Err(SelfEnrolError::NotPublished));
        }
        let unmet = unmet_prerequisites(db, course_id, trainee_id)?;
        if !unmet.is_empty() {
            return Ok(Err(SelfEnrolError::Prerequisites(unmet)));
        }
        enrol(db, course_id, trainee_id, None)?;
        Ok(Ok(()))
    })
}

// --- Roster (bulk enrolment from CSV) -----------------------------------------

/// The columns a roster must have, in this order.
pub const ROSTER_COLUMNS: [&str; 5] = ["email", "display_name", "sector", "region", "employer"];
/// Most rows accepted in one roster.
pub const MAX_ROSTER_ROWS: usize = 2_000;
const MAX_NAME_CHARS: usize = 120;
const MAX_EMPLOYER_CHARS: usize = 200;

/// One valid row of a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The line in the file, counting the header as line 1.
    pub line: u64,
    /// Lower case.
    pub email: String,
    pub display_name: String,
    pub sector: String,
    pub region: String,
    pub employer: Option<String>,
}

/// A problem found on one line of a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterProblem {
    /// The header is not exactly [`ROSTER_COLUMNS`].
    Columns,
    /// The file has no data rows.
    Empty,
    /// More than [`MAX_ROSTER_ROWS`] rows.
    TooManyRows,
    /// The line is not valid CSV or has the wrong number of fields.
    FieldCount,
    Email,
    /// The address appears on an earlier line (its number).
    DuplicateEmail(u64),
    DisplayName,
    Sector,
    Region,
    Employer,
    /// The address belongs to a staff account, which cannot be enrolled.
    NotTrainee,
}

impl RosterProblem {
    /// A stable identifier, for message keys and tests.
    pub fn as_str(&self) -> &'static str {
        match self {
            RosterProblem::Columns => "columns",
            RosterProblem::Empty => "empty",
            RosterProblem::TooManyRows => "too_many_rows",
            RosterProblem::FieldCount => "field_count",
            RosterProblem::Email => "email",
            RosterProblem::DuplicateEmail(_) => "duplicate_email",
            RosterProblem::DisplayName => "display_name",
            RosterProblem::Sector => "sector",
            RosterProblem::Region => "region",
            RosterProblem::Employer => "employer",
            RosterProblem::NotTrainee => "not_trainee",
        }
    }
}

/// A problem and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterError {
    pub line: u64,
    pub problem: RosterProblem,
}

/// Checks an e-mail address loosely: one `@` between a non-empty local
/// part and a domain with a dot, no spaces, at most 254 characters.
pub fn is_valid_email(email: &str) -> bool {
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// Parses and checks a roster without touching the database. Every problem
/// of every line is reported; the rows come back only when there are none.
pub fn parse_roster(text: &str) -> Result<Vec<RosterRow>, Vec<RosterError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header_ok = match records.next() {
        Some(Ok(header)) => {
            header.len() == ROSTER_COLUMNS.len()
                && header
                    .iter()
                    .zip(ROSTER_COLUMNS)
                    .all(|(got, want)| got.trim().eq_ignore_ascii_case(want))
        }
        _ => false,
    };
    if !header_ok {
        return Err(vec![RosterError {
            line: 1,
            problem: RosterProblem::Columns,
        }]);
    }

    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut count = 0usize;
    for (index, record) in records.enumerate() {
        let fallback_line = index as u64 + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error
                    .position()
                    .map_or(fallback_line, |position| position.line());
                errors.push(RosterError {
                    line,
                    problem: RosterProblem::FieldCount,
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(fallback_line, |position| position.line());
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        count += 1;
        if record.len() != ROSTER_COLUMNS.len() {
            errors.push(RosterError {
                line,
                problem: RosterProblem::FieldCount,
            });
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default().trim().to_owned();
        let email = field(0).to_lowercase();
        let display_name = field(1);
        let sector = field(2);
        let region = field(3);
        let employer = field(4);
        let mut problem = |problem| errors.push(RosterError { line, problem });
        if !is_valid_email(&email) {
            problem(RosterProblem::Email);
        } else if let Some(first) = seen.get(&email) {
            problem(RosterProblem::DuplicateEmail(*first));
        }
        if display_name.is_empty() || display_name.chars().count() > MAX_NAME_CHARS {
            problem(RosterProblem::DisplayName);
        }
        if !is_sector(&sector) {
            problem(RosterProblem::Sector);
        }
        if !is_region(&region) {
            problem(RosterProblem::Region);
        }
        if employer.chars().count() > MAX_EMPLOYER_CHARS {
            problem(RosterProblem::Employer);
        }
        seen.entry(email.clone()).or_insert(line);
        rows.push(RosterRow {
            line,
            email,
            display_name,
            sector,
            region,
            employer: (!employer.is_empty()).then_some(employer),
        });
    }
    if count == 0 {
        errors.push(RosterError {
            line: 2,
            problem: RosterProblem::Empty,
        });
    } else if count > MAX_ROSTER_ROWS {
        errors.push(RosterError {
            line: 1,
            problem: RosterProblem::TooManyRows,
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|error| error.line);
        Err(errors)
    }
}

/// An account created from a roster, with its one-time password. The
/// password is shown once to the trainer and never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub line: u64,
    pub username: String,
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

/// The outcome of applying a roster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterOutcome {
    /// New trainee accounts, in file order.
    pub created: Vec<NewAccount>,
    /// Existing trainees newly enrolled.
    pub enrolled_existing: usize,
    /// Existing trainees who were enrolled already.
    pub already_enrolled: usize,
}

/// A username for a new trainee built from the e-mail's local part, made
/// unique against `taken` and the database.
fn username_for(
    db: &mut Db<'_>,
    email: &str,
    taken: &BTreeSet<String>,
) -> Result<String, StoreError> {
    let local = email.split('@').next().unwrap_or_default();
    let mut base: String = local
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        .take(50)
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base.insert(0, 't');
    }
    while base.len() < 3 {
        base.push('0');
    }
    for suffix in 0..10_000u32 {
        let candidate = if suffix == 0 {
            base.clone()
        } else {
            format!("{base}{}", suffix + 1)
        };
        if Username::parse(&candidate).is_err() || taken.contains(&candidate) {
            continue;
        }
        if crate::users::find_by_username(db, &candidate)?.is_none() {
            return Ok(candidate);
        }
    }
    Err(StoreError::Conflict("username"))
}

/// Enrols every row of a checked roster in a course: an existing trainee
/// with the row's address is enrolled, anyone else gets a new trainee
/// account in `organisation_id` with a one-time password that must be
/// changed at first login. `hash` turns a password into its stored hash.
///
/// The outer `Err` is a storage failure; the inner one lists rows whose
/// address belongs to a staff account, and then nothing was written.
pub fn apply_roster(
    db: &mut Db<'_>,
    course_id: &str,
    organisation_id: &str,
    enrolled_by: &str,
    rows: &[RosterRow],
    hash: &dyn Fn(&str) -> String,
) -> Result<Result<RosterOutcome, Vec<RosterError>>, StoreError> {
    db.transaction(|db| {
        courses::get_course(db, course_id)?;
        let mut existing = Vec::with_capacity(rows.len());
        let mut errors = Vec::new();
        for row in rows {
            let found = find_user_by_email(db, &row.email)?;
            if let Some((_, role)) = &found
                && role != TRAINEE
            {
                errors.push(RosterError {
                    line: row.line,
                    problem: RosterProblem::NotTrainee,
                });
            }
            existing.push(found.map(|(id, _)| id));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }

        let mut outcome = RosterOutcome::default();
        let mut taken = BTreeSet::new();
        for (row, existing) in rows.iter().zip(existing) {
            let trainee_id = match existing {
                Some(id) => {
                    if profile(db, &id)?.is_none() {
                        create_profile(
                            db,
                            &NewProfile {
                                user_id: &id,
                                sector: &row.sector,
                                region: &row.region,
                                employer: row.employer.as_deref(),
                                invitation_id: None,
                            },
                        )?;
                    }
                    if enrol(db, course_id, &id, Some(enrolled_by))? {
                        outcome.enrolled_existing += 1;
                    } else {
                        outcome.already_enrolled += 1;
                    }
                    continue;
                }
                None => {
                    let username = username_for(db, &row.email, &taken)?;
                    taken.insert(username.clone());
                    let password = one_time_password();
                    let user = crate::users::create(
                        db,
                        &crate::users::NewUser {
                            organisation_id,
                            username: &username,
                            display_name: &row.display_name,
                            email: Some(&row.email),
                            role: TRAINEE,
                            password_hash: &hash(&password),
                            must_change_password: true,
                            locale: "el",
                        },
                    )?;
                    outcome.created.push(NewAccount {
                        line: row.line,
                        username,
                        email: row.email.clone(),
                        password,
                    });
                    user.id
                }
            };
            create_profile(
                db,
                &NewProfile {
                    user_id: &trainee_id,
                    sector: &row.sector,
                    region: &row.region,
                    employer: row.employer.as_deref(),
                    invitation_id: None,
                },
            )?;
            enrol(db, course_id, &trainee_id, Some(enrolled_by))?;
        }
        Ok(Ok(outcome))
    })
}

/// A random one-time password of 20 characters without look-alikes.
pub fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

// --- Lesson views -------------------------------------------------------------

/// Records the first time a trainee opens a lesson and recomputes their
/// completion of the course, in one transaction. Later views change
/// nothing but still recompute (which is cheap).
pub fn record_lesson_view(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
    lesson_id: &str,
) -> Result<Recomputed, StoreError> {
    db.transaction(|db| {
        let seen = lesson_views::table
            .find((trainee_id, lesson_id))
            .count()
            .get_result::<i64>(db.conn)?
            > 0;
        if !seen {
            diesel::insert_into(lesson_views::table)
                .values((
                    lesson_views::trainee_id.eq(trainee_id),
                    lesson_views::lesson_id.eq(lesson_id),
                    lesson_views::course_id.eq(course_id),
                    lesson_views::first_viewed_at.eq(crate::now()),
                ))
                .execute(db.conn)?;
        }
        progress::recompute(db, trainee_id, course_id)
    })
}

/// The lessons of a course the trainee has opened, by id.
pub fn viewed_lessons(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
) -> Result<BTreeSet<String>, StoreError> {
    let ids: Vec<String> = lesson_views::table
        .filter(lesson_views::trainee_id.eq(trainee_id))
        .filter(lesson_views::course_id.eq(course_id))
        .select(lesson_views::lesson_id)
        .load(db.conn)?;
    Ok(ids.into_iter().collect())
}

// --- Progress and lists -------------------------------------------------------

/// A trainee's standing in one course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseStanding {
    /// Number of completion rules of the course.
    pub rules: usize,
    /// The rules not met yet, in course order.
    pub missing: Vec<Rule>,
    pub completed_at: Option<NaiveDateTime>,
}

impl CourseStanding {
    /// Rules met out of all rules, as a whole percentage rounded down; 100
    /// once the course is completed.
    pub fn percent(&self) -> u32 {
        if self.completed_at.is_some() {
            return 100;
        }
        if self.rules == 0 {
            return 0;
        }
        let met = self.rules.saturating_sub(self.missing.len());
        u32::try_from(met * 100 / self.rules).unwrap_or(100)
    }
}

/// A trainee's standing in a course they are enrolled in; `NotFound` when
/// they are not.
pub fn standing(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
) -> Result<CourseStanding, StoreError> {
    let completed_at: Option<NaiveDateTime> = enrolments::table
        .filter(enrolments::course_id.eq(course_id))
        .filter(enrolments::trainee_id.eq(trainee_id))
        .select(enrolments::completed_at)
        .first(db.conn)?;
    let Some(rules) = progress::course_rules(db, course_id)? else {
        return Ok(CourseStanding {
            rules: 0,
            missing: Vec::new(),
            completed_at,
        });
    };
    let done = progress::progress(db, trainee_id, course_id)?;
    let result = completion(&rules, &done);
    Ok(CourseStanding {
        rules: rules.rules().len(),
        missing: if completed_at.is_some() {
            Vec::new()
        } else {
            result.missing
        },
        completed_at,
    })
}

/// A course on the trainee's home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyCourse {
    pub course: Course,
    pub enrolled_at: NaiveDateTime,
    pub standing: CourseStanding,
}

/// One page of the trainee's courses, most recently enrolled first, with
/// the total count. Archived courses stay listed: the trainee's progress
/// and certificate in them remain.
pub fn my_courses(
    db: &mut Db<'_>,
    trainee_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<MyCourse>, i64), StoreError> {
    let total = enrolments::table
        .filter(enrolments::trainee_id.eq(trainee_id))
        .count()
        .get_result::<i64>(db.conn)?;
    let rows: Vec<(Course, NaiveDateTime)> = enrolments::table
        .inner_join(courses_table::table)
        .filter(enrolments::trainee_id.eq(trainee_id))
        .order((enrolments::enrolled_at.desc(), enrolments::id.desc()))
        .offset(offset.max(0))
        .limit(limit.max(1))
        .select((Course::as_select(), enrolments::enrolled_at))
        .load(db.conn)?;
    let mut list = Vec::with_capacity(rows.len());
    for (course, enrolled_at) in rows {
        let standing = standing(db, trainee_id, &course.id)?;
        list.push(MyCourse {
            course,
            enrolled_at,
            standing,
        });
    }
    Ok((list, total))
}

/// A published course the trainee is not enrolled in, with the
/// prerequisites they still lack (course ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCourse {
    pub course: Course,
    pub unmet: Vec<String>,
}

/// Published courses the trainee is not enrolled in, by Greek title, at
/// most `limit`.
pub fn open_courses(
    db: &mut Db<'_>,
    trainee_id: &str,
    limit: i64,
) -> Result<Vec<OpenCourse>, StoreError> {
    let enrolled: Vec<String> = enrolments::table
        .filter(enrolments::trainee_id.eq(trainee_id))
        .select(enrolments::course_id)
        .load(db.conn)?;
    let list: Vec<Course> = courses_table::table
        .filter(courses_table::status.eq(PUBLISHED))
        .filter(courses_table::id.ne_all(enrolled))
        .order((courses_table::title_el.asc(), courses_table::id.asc()))
        .limit(limit.max(1))
        .select(Course::as_select())
        .load(db.conn)?;
    let mut open = Vec::with_capacity(list.len());
    for course in list {
        let unmet = unmet_prerequisites(db, &course.id, trainee_id)?;
        open.push(OpenCourse { course, unmet });
    }
    Ok(open)
}

/// A course on the trainer's list with its enrolment counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedCourse {
    pub course: Course,
    pub enrolled: i64,
    pub completed: i64,
}

/// One page of every course with enrolled and completed counts, with the
/// total count of courses.
pub fn managed_courses(
    db: &mut Db<'_>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ManagedCourse>, i64), StoreError> {
    let (list, total) = courses::list_courses(db, None, offset, limit)?;
    let ids: Vec<String> = list.iter().map(|course| course.id.clone()).collect();
    let pairs: Vec<(String, Option<NaiveDateTime>)> = enrolments::table
        .filter(enrolments::course_id.eq_any(&ids))
        .select((enrolments::course_id, enrolments::completed_at))
        .load(db.conn)?;
    let mut counts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (course_id, completed_at) in pairs {
        let entry = counts.entry(course_id).or_default();
        entry.0 += 1;
        if completed_at.is_some() {
            entry.1 += 1;
        }
    }
    Ok((
        list.into_iter()
            .map(|course| {
                let (enrolled, completed) = counts.get(&course.id).copied().unwrap_or_default();
                ManagedCourse {
                    course,
                    enrolled,
                    completed,
                }
            })
            .collect(),
        total,
    ))
}

/// A trainee enrolled in a course, as the trainer's list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentRow {
    pub trainee_id: String,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub sector: Option<String>,
    pub region: Option<String>,
    pub enrolled_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

/// One page of a course's enrolments by display name, with the total.
pub fn list_enrolments(
    db: &mut Db<'_>,
    course_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<EnrolmentRow>, i64), StoreError> {
    let total = enrolments::table
        .filter(enrolments::course_id.eq(course_id))
        .count()
        .get_result::<i64>(db.conn)?;
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = enrolments::table
        .inner_join(users::table.on(users::id.eq(enrolments::trainee_id)))
        .left_join(trainee_profiles::table.on(trainee_profiles::user_id.eq(enrolments::trainee_id)))
        .filter(enrolments::course_id.eq(course_id))
        .order((users::display_name.asc(), users::id.asc()))
        .offset(offset.max(0))
        .limit(limit.max(1))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::email,
            trainee_profiles::sector.nullable(),
            trainee_profiles::region.nullable(),
            enrolments::enrolled_at,
            enrolments::completed_at,
        ))
        .load(db.conn)?;
    Ok((
        rows.into_iter()
            .map(
                |(trainee_id, username, display_name, email, sector, region, at, done)| {
                    EnrolmentRow {
                        trainee_id,
                        username,
                        display_name,
                        email,
                        sector,
                        region,
                        enrolled_at: at,
                        completed_at: done,
                    }
                },
            )
            .collect(),
        total,
    ))
}

/// Enrols an existing trainee, found by username, in a course. `NotFound`
/// when there is no such user; `Ok(None)` when the user is not a trainee;
/// otherwise whether they were newly enrolled.
pub fn enrol_username(
    db: &mut Db<'_>,
    course_id: &str,
    username: &str,
    enrolled_by: &str,
) -> Result<Option<bool>, StoreError> {
    let user = crate::users::find_by_username(db, username)?.ok_or(StoreError::NotFound)?;
    if user.role != TRAINEE {
        return Ok(None);
    }
    courses::get_course(db, course_id)?;
    Ok(Some(enrol(db, course_id, &user.id, Some(enrolled_by))?))
}
