//! The counts behind the NRM statistics of a period, and the service
//! summary printed on a case's NRM forms.
//!
//! The statistics are counted in SQL over plain columns of `cases`,
//! `persons` and `service_records`; nothing is decrypted. The same SQL text
//! runs on SQLite and PostgreSQL. The counting rules are those of
//! `procap_domain::stats::nrm`, which also shapes the rows into tables.
//!
//! Records imported from the CTDC sample are left out: they are global
//! comparison data, not persons the organisation knows.

use chrono::NaiveDate;
use diesel::dsl::{count_star, max, min, sum};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use procap_domain::case::vocab::{ExploitationType, MeansOfControl, Vocabulary};
use procap_domain::stats::amif::Period;
use procap_domain::stats::nrm::{NrmDimension, NrmStatistics, RawCount};

use crate::schema::service_records;
use crate::{Db, DbConnection, StoreError};

/// The cases of the period, one row per case, with the person key and the
/// row number of the case among the person's cases (1 = most recently
/// opened). Parameters: `$1` last day, `$2` first day, `$3` organisation id
/// or `''` for all.
const SCOPED_CASES: &str = "\
WITH scoped AS (
  SELECT c.id AS case_id,
         COALESCE(c.person_id, c.id) AS person_key,
         c.opened_on AS opened_on,
         COALESCE(c.sex, '') AS sex,
         COALESCE(c.age_bracket, CASE WHEN c.is_minor THEN 'minor' ELSE '' END) AS age_bracket,
         UPPER(COALESCE(c.citizenship, '')) AS citizenship,
         COALESCE(p.legal_status, '') AS legal_status,
         c.nrm_status AS nrm_status,
         COALESCE(c.recruitment_method, '') AS recruitment_method,
         c.exploitation_types AS exploitation_types,
         c.means_of_control AS means_of_control,
         ROW_NUMBER() OVER (
           PARTITION BY COALESCE(c.person_id, c.id)
           ORDER BY c.opened_on DESC, c.id DESC
         ) AS person_rank
  FROM cases c
  LEFT JOIN persons p ON p.id = c.person_id
  WHERE c.origin <> 'ctdc_import'
    AND c.opened_on <= $1
    AND (c.closed_on IS NULL OR c.closed_on >= $2)
    AND ($3 = '' OR c.organisation_id = $3)
)
";

/// The columns of `scoped` that hold one code per case, by table.
const SINGLE_VALUED: [(NrmDimension, &str); 6] = [
    (NrmDimension::Sex, "sex"),
    (NrmDimension::AgeBracket, "age_bracket"),
    (NrmDimension::Citizenship, "citizenship"),
    (NrmDimension::LegalStatus, "legal_status"),
    (NrmDimension::NrmStatus, "nrm_status"),
    (NrmDimension::RecruitmentMethod, "recruitment_method"),
];

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Text)]
    dimension: String,
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = BigInt)]
    persons: i64,
}

#[derive(QueryableByName)]
struct TotalsRow {
    #[diesel(sql_type = BigInt)]
    persons: i64,
    #[diesel(sql_type = BigInt)]
    new_persons: i64,
}

/// Returns the SQL that counts every table; see [`NrmDimension`] for the
/// rules. Only constant column names and vocabulary codes reach the text.
fn counts_sql() -> String {
    let mut parts: Vec<String> = SINGLE_VALUED
        .iter()
        .map(|(dimension, column)| {
            format!(
                "SELECT '{table}' AS dimension, {column} AS code, COUNT(*) AS persons \
                 FROM scoped WHERE person_rank = 1 GROUP BY {column}",
                table = dimension.as_str()
            )
        })
        .collect();
    parts.extend(multi_valued_sql::<ExploitationType>(
        NrmDimension::ExploitationType,
        "exploitation_types",
    ));
    parts.extend(multi_valued_sql::<MeansOfControl>(
        NrmDimension::MeansOfControl,
        "means_of_control",
    ));
    parts.push(format!(
        "SELECT '{table}' AS dimension, sr.line AS code, COUNT(DISTINCT s.person_key) AS persons \
         FROM service_records sr JOIN scoped s ON s.case_id = sr.case_id \
         WHERE sr.occurred_on >= $2 AND sr.occurred_on <= $1 GROUP BY sr.line",
        table = NrmDimension::ServiceLine.as_str()
    ));
    parts.push(format!(
        "SELECT '{table}' AS dimension, '' AS code, COUNT(*) AS persons \
         FROM scoped s WHERE s.person_rank = 1 AND NOT EXISTS (\
           SELECT 1 FROM service_records sr JOIN scoped t ON t.case_id = sr.case_id \
           WHERE t.person_key = s.person_key AND sr.occurred_on >= $2 AND sr.occurred_on <= $1)",
        table = NrmDimension::ServiceLine.as_str()
    ));
    format!("{SCOPED_CASES}{}", parts.join("\nUNION ALL\n"))
}

/// One count per code of `T` over the ';'-joined list in `column`, and one
/// for persons none of whose cases records any code.
fn multi_valued_sql<T: Vocabulary>(dimension: NrmDimension, column: &str) -> Vec<String> {
    let table = dimension.as_str();
    let mut parts: Vec<String> = T::ALL
        .iter()
        .map(|code| {
            let code = code.as_str();
            debug_assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            // `_` is a LIKE wildcard, so it is escaped.
            let pattern = code.replace('_', "\\_");
            format!(
                "SELECT '{table}' AS dimension, '{code}' AS code, COUNT(DISTINCT person_key) AS persons \
                 FROM scoped WHERE ';' || {column} || ';' LIKE '%;{pattern};%' ESCAPE '\\'"
            )
        })
        .collect();
    parts.push(format!(
        "SELECT '{table}' AS dimension, '' AS code, COUNT(*) AS persons \
         FROM scoped s WHERE s.person_rank = 1 AND NOT EXISTS (\
           SELECT 1 FROM scoped t WHERE t.person_key = s.person_key AND t.{column} <> '')"
    ));
    parts
}

fn totals_sql() -> String {
    format!(
        "{SCOPED_CASES}SELECT \
           (SELECT COUNT(DISTINCT person_key) FROM scoped) AS persons, \
           (SELECT COUNT(DISTINCT person_key) FROM scoped WHERE opened_on >= $2) AS new_persons"
    )
}

fn load_rows<R>(
    conn: &mut DbConnection,
    sql: &str,
    period: Period,
    organisation_id: &str,
) -> Result<Vec<R>, StoreError>
where
    R: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    let rows = match conn {
        DbConnection::Sqlite(inner) => diesel::sql_query(sql)
            .bind::<Date, _>(period.to())
            .bind::<Date, _>(period.from())
            .bind::<Text, _>(organisation_id)
            .load(inner)?,
        DbConnection::Postgresql(inner) => diesel::sql_query(sql)
            .bind::<Date, _>(period.to())
            .bind::<Date, _>(period.from())
            .bind::<Text, _>(organisation_id)
            .load(inner)?,
    };
    Ok(rows)
}

/// Counts the NRM statistics of `period` for one organisation or, with
/// `organisation_id` `None`, for all.
///
/// A person counts when one of their cases was open on at least one day of
/// the period (opened on or before its last day, not closed before its
/// first). Lines of service count services given within the period.
///
/// # Errors
///
/// [`StoreError::Corrupt`] when a stored code is outside its vocabulary;
/// database errors as they come.
pub fn nrm_statistics(
    db: &mut Db<'_>,
    period: Period,
    organisation_id: Option<&str>,
) -> Result<NrmStatistics, StoreError> {
    let organisation_id = organisation_id.unwrap_or("");
    let totals: Vec<TotalsRow> = load_rows(db.conn, &totals_sql(), period, organisation_id)?;
    let (persons, new_persons) = totals
        .first()
        .map_or((0, 0), |row| (row.persons, row.new_persons));
    let counts: Vec<CountRow> = load_rows(db.conn, &counts_sql(), period, organisation_id)?;
    let counts: Vec<RawCount> = counts
        .into_iter()
        .filter(|row| row.persons > 0)
        .map(|row| RawCount {
            dimension: row.dimension,
            code: row.code,
            persons: u64::try_from(row.persons).unwrap_or(0),
        })
        .collect();
    NrmStatistics::assemble(
        period,
        u64::try_from(persons).unwrap_or(0),
        u64::try_from(new_persons).unwrap_or(0),
        &counts,
    )
    .map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// The services of one line that a case received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSummary {
    /// The service line code.
    pub line: String,
    /// Number of service records.
    pub services: i64,
    pub first_on: Option<NaiveDate>,
    pub last_on: Option<NaiveDate>,
    /// Total recorded duration, in minutes.
    pub minutes: i64,
    /// Every day with a service of this line, oldest first.
    pub days: Vec<NaiveDate>,
}

/// Summarises a case's service records by line, in line-code order. Reads
/// no encrypted column. The caller checks access to the case first.
pub fn services_by_line(db: &mut Db<'_>, case_id: &str) -> Result<Vec<LineSummary>, StoreError> {
    type Row = (
        String,
        i64,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<i64>,
    );
    let rows: Vec<Row> = service_records::table
        .filter(service_records::case_id.eq(case_id))
        .group_by(service_records::line)
        .select((
            service_records::line,
            count_star(),
            min(service_records::occurred_on),
            max(service_records::occurred_on),
            sum(service_records::duration_minutes),
        ))
        .order(service_records::line)
        .load(db.conn)?;
    let days: Vec<(String, NaiveDate)> = service_records::table
        .filter(service_records::case_id.eq(case_id))
        .select((service_records::line, service_records::occurred_on))
        .distinct()
        .order((service_records::line, service_records::occurred_on))
        .load(db.conn)?;
    Ok(rows
        .into_iter()
        .map(|(line, services, first_on, last_on, minutes)| LineSummary {
            days: days
                .iter()
                .filter(|(day_line, _)| *day_line == line)
                .map(|(_, day)| *day)
                .collect(),
            line,
            services,
            first_on,
            last_on,
            minutes: minutes.unwrap_or(0),
        })
        .collect())
}
