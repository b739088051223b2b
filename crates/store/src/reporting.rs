//! The plain rows behind the AMIF indicators and the published statistics.
//!
//! Every column read here is a plain, unencrypted column of `cases`,
//! `persons` or `service_records`: sex, age bracket, minor flag,
//! citizenship, exploitation types, registration year, vulnerabilities and
//! the line and day of each service. Nothing is decrypted. The counting
//! rules live in `procap_domain::stats`; this module only loads rows.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use procap_domain::case::vocab::{
    AgeBracket, CodeSet, ExploitationType, ServiceLine, Sex, Vulnerability,
};
use procap_domain::stats::amif::{self, AmifFigures, Participant, Period, TrainingFigures};
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

/// The input of `stats::amif::compute_served` for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmifInput {
    /// One row per participant served in the period, ordered by id.
    pub participants: Vec<Participant<String>>,
    /// The lines of service each participant received in the period.
    pub served: HashMap<String, HashSet<ServiceLine>>,
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
/// covers them, and each case's lines are kept as bits. A year has hundreds of thousands of services, and loading
/// each one whole made the yearly report take seconds and hundreds of
/// megabytes (`docs/benchmarks.md`).
pub fn amif_input(
    db: &mut Db<'_>,
    period: Period,
    organisation_id: Option<&str>,
) -> Result<AmifInput, StoreError> {
    // The lines each case received in the period, one bit per line in the
    // order of `ServiceLine::ALL`. Every pair of the period is read, also
    // for one organisation, because joining each service to its case took
    // twice as long. The loop over the organisation's cases below keeps
    // only their lines.
    let mut lines_by_case: HashMap<String, u32> = HashMap::new();
    let in_period = service_records::occurred_on
        .ge(period.from())
        .and(service_records::occurred_on.le(period.to()));
    let mut query = service_records::table
        .filter(in_period)
        .select((service_records::case_id, service_records::line))
        .into_boxed();
    // SQLite removes duplicates through a temporary B-tree, which took
    // longer than reading every pair of the index and keeping each once
    // here; PostgreSQL hashes them faster than it would send them all.
    if matches!(db.conn, DbConnection::Postgresql(_)) {
        query = query.distinct();
    }
    for pair in query.load_iter::<(String, String), DefaultLoadingMode>(db.conn)? {
        let (case_id, line) = pair?;
        let Some(bit) = ServiceLine::parse(&line).and_then(line_bit) else {
            return Err(StoreError::Corrupt(format!(
                "unknown service line in a service record of case {case_id}"
            )));
        };
        *lines_by_case.entry(case_id).or_default() |= bit;
    }

    // The recorded vulnerabilities of people who have any.
    let vulnerable: HashMap<String, String> = persons::table
        .filter(persons::vulnerabilities.ne(""))
        .select((persons::id, persons::vulnerabilities))
        .load_iter::<(String, String), DefaultLoadingMode>(db.conn)?
        .collect::<Result<_, _>>()?;

    // The facts of the cases served, merged per participant.
    let mut participants: HashMap<String, Participant<String>> = HashMap::new();
    let mut served: HashMap<String, u32> = HashMap::new();
    let mut query = cases::table
        .select((cases::id, cases::person_id, cases::is_minor))
        .into_boxed();
    if let Some(organisation_id) = organisation_id {
        query = query.filter(cases::organisation_id.eq(organisation_id.to_owned()));
    }
    let rows = query.load_iter::<(String, Option<String>, bool), DefaultLoadingMode>(db.conn)?;
    for row in rows {
        let (case_id, person_id, is_minor) = row?;
        let Some(lines) = lines_by_case.remove(&case_id) else {
            continue;
        };
        let vulnerabilities = person_id
            .as_ref()
            .and_then(|person| vulnerable.get(person))
            .map(|list| CodeSet::<Vulnerability>::parse_list(list).unwrap_or_default())
            .unwrap_or_default();
        let participant_id = person_id.unwrap_or(case_id);
        let facts = participants
            .entry(participant_id.clone())
            .or_insert_with(|| Participant {
                id: participant_id.clone(),
                victim_of_trafficking: true,
                minor: false,
                unaccompanied_minor: false,
                other_vulnerability: false,
            });
        facts.minor |= is_minor || vulnerabilities.contains(Vulnerability::Minor);
        facts.unaccompanied_minor |= vulnerabilities.contains(Vulnerability::UnaccompaniedMinor);
        facts.other_vulnerability |= [
            Vulnerability::Pregnancy,
            Vulnerability::Disability,
            Vulnerability::HealthCondition,
        ]
        .into_iter()
        .any(|kind| vulnerabilities.contains(kind));
        *served.entry(participant_id).or_default() |= lines;
    }
    let mut participants: Vec<Participant<String>> = participants.into_values().collect();
    participants.sort_by(|a, b| a.id.cmp(&b.id));
    let served = served
        .into_iter()
        .map(|(id, bits)| {
            let lines = ServiceLine::ALL
                .iter()
                .copied()
                .filter(|line| line_bit(*line).is_some_and(|bit| bits & bit != 0))
                .collect();
            (id, lines)
        })
        .collect();
    Ok(AmifInput {
        participants,
        served,
    })
}

/// Returns the bit of `line` in a set of lines kept as a `u32`.
fn line_bit(line: ServiceLine) -> Option<u32> {
    let position = ServiceLine::ALL.iter().position(|known| *known == line)?;
    1u32.checked_shl(u32::try_from(position).ok()?)
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

#[cfg(test)]
mod tests {
    use procap_domain::case::vocab::ServiceLine;

    use super::line_bit;

    #[test]
    fn every_service_line_has_its_own_bit() {
        let bits: Vec<u32> = ServiceLine::ALL
            .iter()
            .map(|line| line_bit(*line).expect("a bit for every line"))
            .collect();
        let all = bits.iter().fold(0u32, |all, bit| all | bit);
        assert_eq!(all.count_ones() as usize, ServiceLine::ALL.len());
    }
}
