//! The plain rows behind the AMIF indicators and the published statistics.
//!
//! Every column read here is a plain, unencrypted column of `cases`,
//! `persons` or `service_records`: sex, age bracket, minor flag,
//! citizenship, exploitation types, registration year, vulnerabilities and
//! the line and day of each service. Nothing is decrypted. The counting
//! rules live in `procap_domain::stats`; this module only loads rows.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use diesel::connection::DefaultLoadingMode;
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;
use procap_domain::case::vocab::{
    AgeBracket, CodeSet, ExploitationType, ServiceLine, Sex, Vulnerability,
};
use procap_domain::stats::amif::{
    self, AmifFigures, LineSet, Participant, Period, TrainingFigures,
};
use procap_domain::stats::hierarchy::{Age, QuasiIdentifiers};

use crate::schema::{cases, persons, service_records};
use crate::training::dashboard::{self, DashboardFilter};
use crate::{Db, DbConnection, StoreError};

/// The UTC moment of midnight in Athens at the start of `day`: periods are
/// whole local days, timestamps are stored in UTC.
pub fn athens_midnight(day: NaiveDate) -> NaiveDateTime {
    let local = day.and_time(NaiveTime::MIN);
    chrono_tz::Europe::Athens
        .from_local_datetime(&local)
        .earliest()
        .map_or(local, |at| at.naive_utc())
}

/// The participant and training figures of the AMIF report for `period`,
/// for one organisation or, with `organisation_id` `None`, for all.
pub fn amif_figures(
    db: &mut Db<'_>,
    period: Period,
    organisation_id: Option<&str>,
) -> Result<(AmifFigures, TrainingFigures), StoreError> {
    let started = std::time::Instant::now();
    let input = amif_input(db, period, organisation_id)?;
    let loaded = started.elapsed();
    let figures = amif::compute_served(period, &input.participants, &input.served);
    let computed = started.elapsed();
    let training = amif_training(db, period, organisation_id)?;
    tracing::debug!(
        participants = input.participants.len(),
        input_ms = loaded.as_millis(),
        compute_ms = (computed - loaded).as_millis(),
        training_ms = (started.elapsed() - computed).as_millis(),
        "amif figures"
    );
    Ok((figures, training))
}

/// Loads the training figures of `period` for the trainees of one
/// organisation or, with `organisation_id` `None`, of all. The period is
/// read in Athens time, from the first day's midnight to the end of the
/// last day.
pub fn amif_training(
    db: &mut Db<'_>,
    period: Period,
    organisation_id: Option<&str>,
) -> Result<TrainingFigures, StoreError> {
    let filter = DashboardFilter {
        from: Some(athens_midnight(period.from())),
        until: period.to().succ_opt().map(athens_midnight),
        region: None,
        organisation_id: organisation_id.map(str::to_owned),
    };
    let board = dashboard::load(db, &filter)?;
    let total = &board.evaluation_total;
    Ok(TrainingFigures {
        trainees: u64::try_from(board.trainees).unwrap_or(0),
        completed: u64::try_from(board.completed_trainees).unwrap_or(0),
        useful: total.usefulness.useful,
        still_using: total.skills_in_use.still_using,
    })
}

/// The input of `stats::amif::compute_served` for one period. Participants
/// are keyed by the 128 bits of their UUID (a person's id, or the case's
/// when it has no person row): 16 bytes in place, where the id as text
/// takes a 24-byte string and a 36-byte allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmifInput {
    /// One row per participant served in the period, ordered by id.
    pub participants: Vec<Participant<u128>>,
    /// The lines of service each participant received in the period.
    pub served: HashMap<u128, LineSet>,
}

/// Loads the participants of `period` and the lines of service each one
/// received, for one organisation or, with `organisation_id` `None`, for
/// all of them.
///
/// A participant is the person of a case (the case itself when it has no
/// person row), so a person with two cases counts once. Every case is of a
/// victim or presumed victim of trafficking; minors and unaccompanied
/// minors come from the case's minor flag and the person's recorded
/// vulnerabilities.
///
/// Only (case, line) pairs are read, one row at a time, from an index that
/// covers them, and each case's lines are kept as bits. A year has hundreds
/// of thousands of services, and loading each one whole made the yearly
/// report take seconds and hundreds of megabytes (`docs/benchmarks.md`).
pub fn amif_input(
    db: &mut Db<'_>,
    period: Period,
    organisation_id: Option<&str>,
) -> Result<AmifInput, StoreError> {
    // The lines each case received in the period. Every pair of the period
    // is read, also for one organisation, because joining each service to
    // its case took twice as long. The loop over the organisation's cases
    // below keeps only their lines.
    let mut lines_by_case: HashMap<u128, LineSet> = HashMap::new();
    let mut add = |case_id: String, line: String| -> Result<(), StoreError> {
        let Some(line) = ServiceLine::parse(&line) else {
            return Err(StoreError::Corrupt(format!(
                "unknown service line in a service record of case {case_id}"
            )));
        };
        lines_by_case
            .entry(uuid_key(&case_id)?)
            .or_default()
            .insert(line);
        Ok(())
    };
    let pairs = service_records::table
        .filter(
            service_records::occurred_on
                .ge(period.from())
                .and(service_records::occurred_on.le(period.to())),
        )
        .select((service_records::case_id, service_records::line));
    match &mut *db.conn {
        // SQLite removes duplicates through a temporary B-tree, which took
        // longer than reading every pair of the index and keeping each once
        // here.
        DbConnection::Sqlite(conn) => {
            for pair in pairs.load_iter::<(String, String), DefaultLoadingMode>(conn)? {
                let (case_id, line) = pair?;
                add(case_id, line)?;
            }
        }
        // PostgreSQL hashes the duplicates away faster than it would send
        // them all. Its rows come one at a time, because by default libpq
        // receives the whole result before the first row is read.
        DbConnection::Postgresql(conn) => {
            for pair in pairs
                .distinct()
                .load_iter::<(String, String), PgRowByRowLoadingMode>(conn)?
            {
                let (case_id, line) = pair?;
                add(case_id, line)?;
            }
        }
    }

    // The vulnerability flags of each person with recorded vulnerabilities.
    let mut vulnerable: HashMap<u128, Vulnerable> = HashMap::new();
    let rows = persons::table
        .filter(persons::vulnerabilities.ne(""))
        .select((persons::id, persons::vulnerabilities))
        .load_iter::<(String, String), DefaultLoadingMode>(db.conn)?;
    for row in rows {
        let (person_id, list) = row?;
        let kinds = CodeSet::<Vulnerability>::parse_list(&list).unwrap_or_default();
        let found = Vulnerable {
            minor: kinds.contains(Vulnerability::Minor),
            unaccompanied_minor: kinds.contains(Vulnerability::UnaccompaniedMinor),
            other: [
                Vulnerability::Pregnancy,
                Vulnerability::Disability,
                Vulnerability::HealthCondition,
            ]
            .into_iter()
            .any(|kind| kinds.contains(kind)),
        };
        vulnerable.insert(uuid_key(&person_id)?, found);
    }

    // The facts of the cases served, merged per participant.
    let mut participants: HashMap<u128, (Participant<u128>, LineSet)> = HashMap::new();
    let mut query = cases::table
        .select((cases::id, cases::person_id, cases::is_minor))
        .into_boxed();
    if let Some(organisation_id) = organisation_id {
        query = query.filter(cases::organisation_id.eq(organisation_id.to_owned()));
    }
    let rows = query.load_iter::<(String, Option<String>, bool), DefaultLoadingMode>(db.conn)?;
    for row in rows {
        let (case_id, person_id, is_minor) = row?;
        let Some(lines) = lines_by_case.remove(&uuid_key(&case_id)?) else {
            continue;
        };
        let participant_id = match &person_id {
            Some(person_id) => uuid_key(person_id)?,
            None => uuid_key(&case_id)?,
        };
        let found = person_id
            .and(vulnerable.get(&participant_id).copied())
            .unwrap_or_default();
        let (facts, served) = participants.entry(participant_id).or_insert_with(|| {
            let facts = Participant {
                id: participant_id,
                victim_of_trafficking: true,
                minor: false,
                unaccompanied_minor: false,
                other_vulnerability: false,
            };
            (facts, LineSet::default())
        });
        facts.minor |= is_minor || found.minor;
        facts.unaccompanied_minor |= found.unaccompanied_minor;
        facts.other_vulnerability |= found.other;
        *served = served.union(lines);
    }
    let served = participants
        .iter()
        .map(|(id, (_, lines))| (*id, *lines))
        .collect();
    let mut participants: Vec<Participant<u128>> =
        participants.into_values().map(|(facts, _)| facts).collect();
    participants.sort_by_key(|participant| participant.id);
    Ok(AmifInput {
        participants,
        served,
    })
}

/// The AMIF facts that a person's recorded vulnerabilities add.
#[derive(Debug, Clone, Copy, Default)]
struct Vulnerable {
    minor: bool,
    unaccompanied_minor: bool,
    /// Pregnancy, disability or a serious health condition.
    other: bool,
}

/// Returns the 128 bits of a case or person id. Every id Procap writes is
/// a UUID (`crate::new_id`).
fn uuid_key(id: &str) -> Result<u128, StoreError> {
    uuid::Uuid::parse_str(id)
        .map(|id| id.as_u128())
        .map_err(|_| StoreError::Corrupt(format!("case or person id {id:?} is not a UUID")))
}

/// One case as the published statistics see it: only the
/// quasi-identifiers, never a name or a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub quasi: QuasiIdentifiers,
    /// The recorded CTDC age bracket, if any.
    pub age_bracket: Option<AgeBracket>,
    /// The lines of service the case ever received.
    pub lines: Vec<ServiceLine>,
}

/// Loads the quasi-identifiers of every case, with the lines of service
/// each received, ordered by case id so the result is the same on both
/// databases.
pub fn published_cases(db: &mut Db<'_>) -> Result<Vec<CaseFacts>, StoreError> {
    #[expect(clippy::type_complexity)]
    let rows: Vec<(
        String,
        String,
        Option<String>,
        bool,
        Option<String>,
        String,
        i32,
    )> = cases::table
        .select((
            cases::id,
            cases::sex,
            cases::age_bracket,
            cases::is_minor,
            cases::citizenship,
            cases::exploitation_types,
            cases::registration_year,
        ))
        .order(cases::id)
        .load(db.conn)?;
    let lines: Vec<(String, String)> = service_records::table
        .select((service_records::case_id, service_records::line))
        .distinct()
        .load(db.conn)?;
    let mut lines_by_case: HashMap<String, Vec<ServiceLine>> = HashMap::new();
    for (case_id, line) in lines {
        if let Some(line) = ServiceLine::parse(&line) {
            lines_by_case.entry(case_id).or_default().push(line);
        }
    }
    rows.into_iter()
        .map(
            |(id, sex, age_bracket, is_minor, citizenship, exploitation, year)| {
                let sex = Sex::parse(&sex).unwrap_or(Sex::Unknown);
                let age_bracket = age_bracket.as_deref().and_then(AgeBracket::parse);
                let age = match (age_bracket, is_minor) {
                    (Some(bracket), _) => Age::Bracket(bracket),
                    (None, true) => Age::Majority { minor: true },
                    (None, false) => Age::Unknown,
                };
                let exploitation =
                    CodeSet::<ExploitationType>::parse_list(&exploitation).map_err(|_| {
                        StoreError::Corrupt(format!("unknown exploitation type in case {id}"))
                    })?;
                let mut lines = lines_by_case.remove(&id).unwrap_or_default();
                lines.sort();
                Ok(CaseFacts {
                    quasi: QuasiIdentifiers {
                        sex,
                        age,
                        citizenship: citizenship.map(|code| code.to_uppercase()),
                        exploitation,
                        year,
                    },
                    age_bracket,
                    lines,
                })
            },
        )
        .collect()
}
