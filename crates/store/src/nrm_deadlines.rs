//! NRM deadlines across the cases a user may see: the reflection periods and
//! residence permits that end on or before a date, in one query.
//!
//! Only codes and dates leave this module, never a name.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_domain::case::nrm::{NrmDeadlineKind, reflection_reminder_applies};
use procap_domain::case::vocab::NrmStatus;

use crate::cases::CaseScope;
use crate::schema::{case_assignments, cases};
use crate::schema_referrals::case_shares;
use crate::{Db, StoreError};

/// Status of a case that no longer needs reminders.
const CLOSED: &str = "closed";

/// Case id, code, NRM status, reflection end and permit expiry.
type DeadlineRow = (String, String, String, Option<NaiveDate>, Option<NaiveDate>);

/// One legal clock of a case that ends on or before the asked date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmDeadline {
    pub case_id: String,
    pub case_code: String,
    pub kind: NrmDeadlineKind,
    pub ends_on: NaiveDate,
}

/// The deadlines of the open cases in `scope` that end on or before
/// `until`, earliest first: reflection periods of presumed victims and
/// residence permits. Sealed cases count only for the staff assigned to
/// them, as in the case list.
pub fn due_in_scope(
    db: &mut Db<'_>,
    scope: &CaseScope,
    until: NaiveDate,
) -> Result<Vec<NrmDeadline>, StoreError> {
    let (organisation_id, user_id, assigned_only) = match scope {
        CaseScope::Organisation {
            organisation_id,
            user_id,
        } => (organisation_id, user_id, false),
        CaseScope::Assigned {
            organisation_id,
            user_id,
        } => (organisation_id, user_id, true),
    };
    let assigned = case_assignments::table
        .filter(case_assignments::user_id.eq(user_id.clone()))
        .select(case_assignments::case_id);
    let shared = case_shares::table
        .filter(case_shares::organisation_id.eq(organisation_id.clone()))
        .select(case_shares::case_id);
    let mut query = cases::table
        .filter(
            cases::organisation_id
                .eq(organisation_id.clone())
                .or(cases::id.eq_any(shared)),
        )
        .filter(cases::status.ne(CLOSED))
        .filter(
            cases::reflection_period_ends_on
                .le(until)
                .or(cases::residence_permit_expires_on.le(until)),
        )
        .into_boxed();
    if assigned_only {
        query = query.filter(cases::id.eq_any(assigned));
    } else {
        query = query.filter(cases::sealed.eq(false).or(cases::id.eq_any(assigned)));
    }
    let rows: Vec<DeadlineRow> = query
        .select((
            cases::id,
            cases::code,
            cases::nrm_status,
            cases::reflection_period_ends_on,
            cases::residence_permit_expires_on,
        ))
        .load(db.conn)?;

    let mut deadlines = Vec::new();
    for (case_id, case_code, status, reflection, permit) in rows {
        let reflection_runs = NrmStatus::parse(&status).is_some_and(reflection_reminder_applies);
        if let Some(ends_on) = reflection.filter(|date| reflection_runs && *date <= until) {
            deadlines.push(NrmDeadline {
                case_id: case_id.clone(),
                case_code: case_code.clone(),
                kind: NrmDeadlineKind::ReflectionPeriod,
                ends_on,
            });
        }
        if let Some(ends_on) = permit.filter(|date| *date <= until) {
            deadlines.push(NrmDeadline {
                case_id,
                case_code,
                kind: NrmDeadlineKind::ResidencePermit,
                ends_on,
            });
        }
    }
    deadlines.sort_by(|a, b| {
        (a.ends_on, &a.case_code, a.kind.as_str()).cmp(&(b.ends_on, &b.case_code, b.kind.as_str()))
    });
    Ok(deadlines)
}
