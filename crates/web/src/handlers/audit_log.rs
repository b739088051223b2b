//! `GET /audit`: the audit log with its filter form.
//!
//! Administrators see every entry. Coordinators see only the entries whose
//! actor belongs to their own organisation. Every reading of the page, and every
//! refused attempt, is itself written to the audit log as `audit.view`.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Europe::Athens;
use procap_domain::role::{Permission, Role};
use procap_store::audit::{self, AuditEvent, AuditFilter, Outcome};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::pages::{
    AUDIT_OUTCOMES, AuditFilterForm, AuditPage, AuditRow, FieldErrors, Pagination, paths,
};
use crate::state::AppState;

/// Entries per page.
pub const PER_PAGE: i64 = 50;

/// The query string of the filter form. Every field is kept as text so a
/// bad value becomes a field error instead of a rejected request.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    page: String,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let t = crate::i18n::Translator::new(user.locale);
    let form = AuditFilterForm {
        from: query.from.trim().to_owned(),
        to: query.to.trim().to_owned(),
        user: query.user.trim().to_owned(),
        action: query.action.trim().to_owned(),
        outcome: query.outcome.trim().to_owned(),
    };
    let page_number = query.page.trim().parse::<i64>().ok();

    if !user.can(Permission::ViewAudit) {
        let event = AuditEvent::new("audit.view", Outcome::Denied)
            .actor(&user.user.id, &user.user.username)
            .client_ip(user.client_ip.as_deref())
            .details(json!({ "role": user.role.as_str() }));
        record(&state.store, event).await?;
        return Err(WebError::Forbidden);
    }
    let organisation_id = match user.role {
        Role::Admin => None,
        _ => Some(user.user.organisation_id.clone()),
    };

    let mut errors = FieldErrors::new();
    let mut filter = AuditFilter {
        organisation_id: organisation_id.clone(),
        ..AuditFilter::default()
    };
    let from = parse_filter_date(&form.from);
    let to = parse_filter_date(&form.to);
    if from.is_err() {
        errors.add("from", t.t("form-error-date"));
    }
    if to.is_err() {
        errors.add("to", t.t("form-error-date"));
    }
    match (from, to) {
        (Ok(Some(from)), Ok(Some(to))) if to < from => {
            errors.add("to", t.t("form-error-date-range"));
            filter.from = Some(start_of_day_utc(from));
        }
        (from, to) => {
            filter.from = from.ok().flatten().map(start_of_day_utc);
            filter.until = to
                .ok()
                .flatten()
                .and_then(|to| to.checked_add_days(Days::new(1)))
                .map(start_of_day_utc);
        }
    }
    filter.actor_user_id = non_empty(&form.user);
    filter.action = non_empty(&form.action);
    filter.outcome = AUDIT_OUTCOMES
        .contains(&form.outcome.as_str())
        .then(|| form.outcome.clone());

    let offset = Pagination::new(page_number, PER_PAGE, 0, paths::AUDIT).offset();
    let (rows, total, users, actions) = state
        .store
        .run(move |db| {
            let (rows, total) = audit::list(db, &filter, offset, PER_PAGE)?;
            let users = audit::filter_users(db, organisation_id.as_deref())?;
            let actions = audit::actions(db)?;
            Ok((rows, total, users, actions))
        })
        .await?;
    let pagination =
        Pagination::new(page_number, PER_PAGE, total, paths::AUDIT).with_params(form.to_params());

    let filters_used: Vec<String> = form
        .to_params()
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, _)| name)
        .collect();
    let event = AuditEvent::new("audit.view", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "page": pagination.page,
            "filters": filters_used,
            "scope": if user.role == Role::Admin { "all" } else { "organisation" },
        }));
    record(&state.store, event).await?;

    let rows = rows
        .into_iter()
        .map(|row| {
            let username = row.actor_username.clone().or_else(|| {
                let actor = row.actor_user_id.as_deref()?;
                users
                    .iter()
                    .find(|(id, _)| id == actor)
                    .map(|(_, name)| name.clone())
            });
            AuditRow {
                occurred_at: row.occurred_at,
                username,
                action: row.action,
                object_type: row.object_type,
                object_id: row.object_id,
                outcome: row.outcome,
                client_ip: row.client_ip,
            }
        })
        .collect();
    let page = AuditPage {
        ctx: user.page(paths::AUDIT),
        filter: form,
        errors,
        users,
        actions: with_group_prefixes(actions),
        rows,
        pagination,
    };
    render(&page)
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// Parses a filter date as the date input sends it (`yyyy-mm-dd`) or as a
/// person types it (`dd/mm/yyyy`). An empty value is `Ok(None)`, and any
/// other value, or a year outside 1900 to 9999, is an error.
fn parse_filter_date(value: &str) -> Result<Option<NaiveDate>, ()> {
    if value.is_empty() {
        return Ok(None);
    }
    ["%Y-%m-%d", "%d/%m/%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(value, format).ok())
        .filter(|date| (1900..=9999).contains(&chrono::Datelike::year(date)))
        .map(Some)
        .ok_or(())
}

/// Converts midnight of `date` in Athens to the naive UTC time the log stores.
fn start_of_day_utc(date: NaiveDate) -> NaiveDateTime {
    let local = date.and_time(NaiveTime::MIN);
    // Greek clocks change at 03:00 and 04:00, so midnight always exists.
    // The fallback only guards against a future rule change.
    Athens
        .from_local_datetime(&local)
        .earliest()
        .map_or(local, |at| at.naive_utc())
}

/// Inserts each group's prefix (`auth.`) before the group's action codes.
/// The prefix filters on every action of the group.
fn with_group_prefixes(actions: Vec<String>) -> Vec<String> {
    let mut choices = Vec::with_capacity(actions.len() + 8);
    for action in actions {
        if let Some((group, _)) = action.split_once('.') {
            let prefix = format!("{group}.");
            if !choices.contains(&prefix) {
                choices.push(prefix);
            }
        }
        choices.push(action);
    }
    choices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_dates_in_both_forms() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 9);
        assert_eq!(parse_filter_date("2026-03-09"), Ok(date));
        assert_eq!(parse_filter_date("09/03/2026"), Ok(date));
        assert_eq!(parse_filter_date(""), Ok(None));
        assert!(parse_filter_date("31/02/2026").is_err());
        assert!(parse_filter_date("χθες").is_err());
        assert!(parse_filter_date("0001-01-01").is_err());
    }

    #[test]
    fn day_starts_at_athens_midnight() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        assert_eq!(start_of_day_utc(winter).to_string(), "2026-01-14 22:00:00");
        assert_eq!(start_of_day_utc(summer).to_string(), "2026-07-14 21:00:00");
    }

    #[test]
    fn group_prefix_comes_before_its_actions() {
        let actions = ["audit.view", "auth.login", "auth.logout", "system"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            with_group_prefixes(actions),
            [
                "audit.",
                "audit.view",
                "auth.",
                "auth.login",
                "auth.logout",
                "system"
            ]
        );
    }
}
