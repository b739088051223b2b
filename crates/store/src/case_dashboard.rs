//! The counts behind the case dashboard and the context page, each a SQL
//! aggregate: rows per code, per combination of codes or per day, never one
//! row per case. Only plain columns are read: codes, dates, durations and
//! the codes inside a service record's `details`. Nothing is decrypted, and
//! no case code or name leaves this module. `procap_domain::stats::dashboard`
//! shapes the rows for the page.
//!
//! What counts:
//! - the caseload: cases open at some time in the period (opened on or
//!   before its last day, not closed before its first), described as they
//!   are recorded today;
//! - new cases by the day they were opened, closures by the day they were
//!   closed, services by the day they took place;
//! - hearings by the hearing date recorded in a legal service;
//! - overdue items on the period's last day (or today, if earlier): goals of
//!   open cases whose next review date has passed and that are neither
//!   achieved nor dropped, and scheduled follow-up contacts of closed cases
//!   whose due date has passed.
//!
//! Every count can be narrowed to one organisation and one region (the
//! case's region).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::dsl::{count, count_star};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use procap_domain::stats::amif::Period;

use crate::schema::{cases, organisations, service_records};
use crate::schema_followups::case_followups;
use crate::schema_plan::case_plan_goals;
use crate::{Db, DbConnection, StoreError};

/// Origin of the CTDC records imported as anonymised historical cases: the
/// context page compares with CTDC, so it leaves them out of the
/// organisation's own numbers.
pub const CTDC_ORIGIN: &str = "ctdc_import";

/// The filter of the dashboard: period, organisation, region and the day
/// overdue items are counted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardScope {
    pub period: Period,
    /// One organisation, or `None` for all.
    pub organisation_id: Option<String>,
    /// One case region code, or `None` for all.
    pub region: Option<String>,
    /// The day overdue items are counted on: the period's last day, or an
    /// earlier day when the period runs past today.
    pub as_of: NaiveDate,
}

/// Rows of one code, or of a combination of codes joined with `;`, and
/// their count. `None` for a `NULL` column.
pub type CodeRows = Vec<(Option<String>, i64)>;

/// The caseload of the period by each recorded attribute.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Caseload {
    pub total: i64,
    pub status: CodeRows,
    pub nrm_status: CodeRows,
    pub region: CodeRows,
    pub setting: CodeRows,
    /// Per stored combination of exploitation types.
    pub exploitation_types: CodeRows,
    pub citizenship: CodeRows,
    pub sex: CodeRows,
    pub age_bracket: CodeRows,
}

/// Services of one code found in a service record's `details`.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DetailGroup {
    /// The code, e.g. a language or a hearing outcome; `None` when the
    /// record has none.
    #[diesel(sql_type = Nullable<Text>)]
    pub code: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub services: i64,
    /// Distinct cases among those services.
    #[diesel(sql_type = BigInt)]
    pub cases: i64,
    #[diesel(sql_type = BigInt)]
    pub minutes: i64,
}

/// Overdue items of one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueLine {
    pub organisation_id: String,
    pub organisation_name: String,
    /// Plan goals whose review is overdue.
    pub reviews: i64,
    /// Open cases with at least one such goal.
    pub review_cases: i64,
    /// Follow-up contacts past their due date.
    pub followups: i64,
}

/// Every count of the case dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDashboard {
    pub caseload: Caseload,
    /// Cases opened, per day.
    pub opened: Vec<(NaiveDate, i64)>,
    /// Cases closed, per day.
    pub closed: Vec<(NaiveDate, i64)>,
    /// Services per line and day.
    pub services: Vec<(String, NaiveDate, i64)>,
    /// Interpretation services per language, with their minutes.
    pub interpretation: Vec<DetailGroup>,
    /// Legal services per kind of legal assistance.
    pub legal: Vec<DetailGroup>,
    /// Legal services whose hearing date is in the period, per outcome.
    pub hearings: Vec<DetailGroup>,
    /// By organisation name; organisations with nothing overdue are left out.
    pub overdue: Vec<OverdueLine>,
}

/// Narrows a query that joins `cases` to the scope's organisation and
/// region. A bound `true` stands for "all", so the query keeps one type.
macro_rules! within_scope {
    ($query:expr, $scope:expr) => {{
        let all_organisations = $scope.organisation_id.is_none();
        let organisation = $scope.organisation_id.clone().unwrap_or_default();
        let all_regions = $scope.region.is_none();
        let region = $scope.region.clone().unwrap_or_default();
        $query
            .filter(
                all_organisations
                    .into_sql::<Bool>()
                    .or(cases::organisation_id.eq(organisation)),
            )
            .filter(all_regions.into_sql::<Bool>().or(cases::region.eq(region)))
    }};
}

/// Sorts rows in Rust: the two databases order `NULL` and text differently
/// (PostgreSQL by its collation, SQLite by bytes).
fn sorted<T: Ord>(mut rows: Vec<T>) -> Vec<T> {
    rows.sort();
    rows
}

/// Counts the cases open at some time in the period, grouped by `$column`.
macro_rules! caseload_by {
    ($db:expr, $scope:expr, $column:expr) => {{
        let from = $scope.period.from();
        let to = $scope.period.to();
        within_scope!(cases::table, $scope)
            .filter(cases::opened_on.le(to))
            .filter(cases::closed_on.is_null().or(cases::closed_on.ge(from)))
            .group_by($column)
            .select(($column.nullable(), count_star()))
            .load::<(Option<String>, i64)>($db.conn)
            .map(sorted)
    }};
}

/// Counts cases per day of `$column` (a date) within the period.
macro_rules! cases_per_day {
    ($db:expr, $scope:expr, $column:expr) => {{
        let from = $scope.period.from();
        let to = $scope.period.to();
        within_scope!(cases::table, $scope)
            .filter($column.ge(from))
            .filter($column.le(to))
            .group_by($column)
            .select(($column.nullable(), count_star()))
            .load::<(Option<NaiveDate>, i64)>($db.conn)
            .map(|rows| {
                sorted(
                    rows.into_iter()
                        .filter_map(|(day, count)| day.map(|day| (day, count)))
                        .collect::<Vec<_>>(),
                )
            })
    }};
}

fn caseload(db: &mut Db<'_>, scope: &DashboardScope) -> Result<Caseload, StoreError> {
    let from = scope.period.from();
    let to = scope.period.to();
    let total = within_scope!(cases::table, scope)
        .filter(cases::opened_on.le(to))
        .filter(cases::closed_on.is_null().or(cases::closed_on.ge(from)))
        .count()
        .get_result(db.conn)?;
    Ok(Caseload {
        total,
        status: caseload_by!(db, scope, cases::status)?,
        nrm_status: caseload_by!(db, scope, cases::nrm_status)?,
        region: caseload_by!(db, scope, cases::region)?,
        setting: caseload_by!(db, scope, cases::setting)?,
        exploitation_types: caseload_by!(db, scope, cases::exploitation_types)?,
        citizenship: caseload_by!(db, scope, cases::citizenship)?,
        sex: caseload_by!(db, scope, cases::sex)?,
        age_bracket: caseload_by!(db, scope, cases::age_bracket)?,
    })
}

fn services_per_day(
    db: &mut Db<'_>,
    scope: &DashboardScope,
) -> Result<Vec<(String, NaiveDate, i64)>, StoreError> {
    Ok(sorted(
        within_scope!(service_records::table.inner_join(cases::table), scope)
            .filter(service_records::occurred_on.ge(scope.period.from()))
            .filter(service_records::occurred_on.le(scope.period.to()))
            .group_by((service_records::line, service_records::occurred_on))
            .select((
                service_records::line,
                service_records::occurred_on,
                count_star(),
            ))
            .load(db.conn)?,
    ))
}

/// The services [`detail_groups`] counts and the `details` key that groups
/// them.
struct DetailQuery {
    line: &'static str,
    /// The key whose code groups the services.
    group_by: &'static str,
    /// A date key that must fall in the period (instead of the service's
    /// own date), e.g. the hearing date.
    dated_by: Option<&'static str>,
}

/// Groups the services of one line by a code inside their `details` JSON.
/// The JSON operators differ: `json_extract` on SQLite, `->>` on
/// PostgreSQL; the rest of the statement is the same.
fn detail_groups(
    db: &mut Db<'_>,
    scope: &DashboardScope,
    query: &DetailQuery,
) -> Result<Vec<DetailGroup>, StoreError> {
    let is_key = |key: &str| key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    debug_assert!(is_key(query.group_by) && query.dated_by.is_none_or(is_key));
    let field = |key: &str| match db.conn {
        DbConnection::Sqlite(_) => format!("json_extract(s.details, '$.{key}')"),
        DbConnection::Postgresql(_) => format!("(s.details::jsonb ->> '{key}')"),
    };
    let dated = match (query.dated_by, &*db.conn) {
        (Some(key), _) => format!("{0} >= $2 AND {0} <= $3", field(key)),
        // SQLite keeps dates as `YYYY-MM-DD` text, so text bounds compare.
        (None, DbConnection::Sqlite(_)) => "s.occurred_on >= $2 AND s.occurred_on <= $3".to_owned(),
        (None, DbConnection::Postgresql(_)) => {
            "s.occurred_on >= $2::date AND s.occurred_on <= $3::date".to_owned()
        }
    };
    let statement = format!(
        "SELECT {code} AS code, COUNT(*) AS services, COUNT(DISTINCT s.case_id) AS cases, \
         COALESCE(SUM(s.duration_minutes), 0) AS minutes \
         FROM service_records s INNER JOIN cases c ON c.id = s.case_id \
         WHERE s.line = $1 AND {dated} \
         AND ($4 OR c.organisation_id = $5) AND ($6 OR c.region = $7) \
         GROUP BY {code}",
        code = field(query.group_by),
    );
    let from = scope.period.from().to_string();
    let to = scope.period.to().to_string();
    let organisation = scope.organisation_id.clone().unwrap_or_default();
    let region = scope.region.clone().unwrap_or_default();
    macro_rules! run {
        ($conn:expr) => {
            diesel::sql_query(&statement)
                .bind::<Text, _>(query.line)
                .bind::<Text, _>(&from)
                .bind::<Text, _>(&to)
                .bind::<Bool, _>(scope.organisation_id.is_none())
                .bind::<Text, _>(&organisation)
                .bind::<Bool, _>(scope.region.is_none())
                .bind::<Text, _>(&region)
                .load::<DetailGroup>($conn)
        };
    }
    let mut rows = match db.conn {
        DbConnection::Sqlite(inner) => run!(inner)?,
        DbConnection::Postgresql(inner) => run!(inner)?,
    };
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(rows)
}

fn overdue(db: &mut Db<'_>, scope: &DashboardScope) -> Result<Vec<OverdueLine>, StoreError> {
    let reviews: Vec<(String, i64, i64)> = within_scope!(
        case_plan_goals::table.inner_join(cases::table.on(cases::id.eq(case_plan_goals::case_id))),
        scope
    )
    .filter(cases::status.eq("open"))
    .filter(case_plan_goals::progress.ne_all(["achieved", "dropped"]))
    .filter(case_plan_goals::next_review_on.lt(scope.as_of))
    .group_by(cases::organisation_id)
    .select((
        cases::organisation_id,
        count_star(),
        count(cases::id).aggregate_distinct(),
    ))
    .load(db.conn)?;
    let followups: Vec<(String, i64)> = within_scope!(
        case_followups::table.inner_join(cases::table.on(cases::id.eq(case_followups::case_id))),
        scope
    )
    .filter(cases::status.eq("closed"))
    .filter(case_followups::status.eq(crate::followups::SCHEDULED))
    .filter(case_followups::due_on.lt(scope.as_of))
    .group_by(cases::organisation_id)
    .select((cases::organisation_id, count_star()))
    .load(db.conn)?;

    let names: BTreeMap<String, String> = organisations::table
        .select((organisations::id, organisations::name))
        .load::<(String, String)>(db.conn)?
        .into_iter()
        .collect();
    let blank = |organisation_id: &str| OverdueLine {
        organisation_id: organisation_id.to_owned(),
        organisation_name: names.get(organisation_id).cloned().unwrap_or_default(),
        reviews: 0,
        review_cases: 0,
        followups: 0,
    };
    let mut by_organisation: BTreeMap<String, OverdueLine> = BTreeMap::new();
    for (organisation_id, goals, open_cases) in reviews {
        let entry = by_organisation
            .entry(organisation_id.clone())
            .or_insert_with(|| blank(&organisation_id));
        entry.reviews = goals;
        entry.review_cases = open_cases;
    }
    for (organisation_id, contacts) in followups {
        by_organisation
            .entry(organisation_id.clone())
            .or_insert_with(|| blank(&organisation_id))
            .followups = contacts;
    }
    let mut merged: Vec<OverdueLine> = by_organisation.into_values().collect();
    merged.sort_by(|a, b| {
        a.organisation_name
            .cmp(&b.organisation_name)
            .then_with(|| a.organisation_id.cmp(&b.organisation_id))
    });
    Ok(merged)
}

/// Loads every count of the case dashboard for `scope`.
pub fn load(db: &mut Db<'_>, scope: &DashboardScope) -> Result<CaseDashboard, StoreError> {
    let caseload = caseload(db, scope)?;
    let opened = cases_per_day!(db, scope, cases::opened_on)?;
    let closed = cases_per_day!(db, scope, cases::closed_on)?;
    let services = services_per_day(db, scope)?;
    let interpretation = detail_groups(
        db,
        scope,
        &DetailQuery {
            line: "interpretation",
            group_by: "language",
            dated_by: None,
        },
    )?;
    let legal = detail_groups(
        db,
        scope,
        &DetailQuery {
            line: "legal",
            group_by: "legal_kind",
            dated_by: None,
        },
    )?;
    let hearings = detail_groups(
        db,
        scope,
        &DetailQuery {
            line: "legal",
            group_by: "hearing_outcome",
            dated_by: Some("hearing_on"),
        },
    )?;
    let overdue = overdue(db, scope)?;
    Ok(CaseDashboard {
        caseload,
        opened,
        closed,
        services,
        interpretation,
        legal,
        hearings,
        overdue,
    })
}

/// The organisation's own numbers for the context page, from every case
/// except the imported CTDC records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnContext {
    /// Cases per registration year.
    pub per_year: Vec<(i32, i64)>,
    /// Cases per registration year and stored combination of exploitation
    /// types.
    pub exploitation_per_year: Vec<(i32, String, i64)>,
    /// Cases per stored combination of means of control, every year.
    pub means_of_control: Vec<(String, i64)>,
}

/// Loads the organisation's own numbers for the context page, for one
/// organisation or all and one case region or all.
pub fn own_context(
    db: &mut Db<'_>,
    organisation_id: Option<&str>,
    region: Option<&str>,
) -> Result<OwnContext, StoreError> {
    let scope = OwnScope {
        organisation_id: organisation_id.map(str::to_owned),
        region: region.map(str::to_owned),
    };
    let per_year = within_scope!(cases::table, scope)
        .filter(cases::origin.ne(CTDC_ORIGIN))
        .group_by(cases::registration_year)
        .select((cases::registration_year, count_star()))
        .load(db.conn)
        .map(sorted)?;
    let exploitation_per_year = within_scope!(cases::table, scope)
        .filter(cases::origin.ne(CTDC_ORIGIN))
        .group_by((cases::registration_year, cases::exploitation_types))
        .select((
            cases::registration_year,
            cases::exploitation_types,
            count_star(),
        ))
        .load(db.conn)
        .map(sorted)?;
    let means_of_control = within_scope!(cases::table, scope)
        .filter(cases::origin.ne(CTDC_ORIGIN))
        .group_by(cases::means_of_control)
        .select((cases::means_of_control, count_star()))
        .load(db.conn)
        .map(sorted)?;
    Ok(OwnContext {
        per_year,
        exploitation_per_year,
        means_of_control,
    })
}

/// The organisation and region of [`own_context`], in the shape
/// `within_scope!` reads.
struct OwnScope {
    organisation_id: Option<String>,
    region: Option<String>,
}
