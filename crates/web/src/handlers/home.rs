//! `GET /`: the home page, with the cards of the user's role. Users with
//! case access also see their overdue case-plan goals, the follow-up
//! contacts due on their cases, the NRM deadlines of the cases they may see
//! and their open notifications.

use axum::extract::State;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use chrono_tz::Europe::Athens;
use procap_domain::case::nrm::{
    DEADLINE_WINDOW_DAYS, NrmDeadlineKind, deadline_listed, deadline_window_end,
};
use procap_domain::role::Permission;
use procap_store::nrm_deadlines;

use crate::api::cases::scope_for;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::home::NrmDeadlineItem;
use crate::pages::nrm::nrm_href;
use crate::pages::{HomePage, home_cards, paths};
use crate::state::AppState;

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let mut page = HomePage::new(user.page(paths::HOME));
    page.cards = home_cards(user.role);
    page.overdue = crate::handlers::plan::overdue_items(&state, &user).await?;
    page.followups_due = crate::handlers::followup::due_items(&state, &user).await?;
    page.nrm_deadlines = nrm_deadline_items(&state, &user).await?;
    page.notifications = crate::handlers::protection::notification_items(&state, &user).await?;
    render(&page)
}

/// Lists the reflection periods and residence permits that end within
/// [`DEADLINE_WINDOW_DAYS`] days or have passed. Coordinators see those of
/// their organisation's cases, other staff those of their assigned cases.
async fn nrm_deadline_items(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<NrmDeadlineItem>, WebError> {
    if !user.can(Permission::AccessCases) {
        return Ok(Vec::new());
    }
    let Some(scope) = scope_for(user.role, &user.user.organisation_id, &user.user.id) else {
        return Ok(Vec::new());
    };
    let today: NaiveDate = Utc::now().with_timezone(&Athens).date_naive();
    let until = deadline_window_end(today, DEADLINE_WINDOW_DAYS);
    let deadlines = state
        .store
        .run(move |db| nrm_deadlines::due_in_scope(db, &scope, until))
        .await?;
    let t = Translator::new(user.locale);
    Ok(deadlines
        .into_iter()
        .filter(|deadline| deadline_listed(deadline.ends_on, today, DEADLINE_WINDOW_DAYS))
        .map(|deadline| NrmDeadlineItem {
            kind: t.t(match deadline.kind {
                NrmDeadlineKind::ReflectionPeriod => "deadlines-kind-reflection",
                NrmDeadlineKind::ResidencePermit => "deadlines-kind-permit",
            }),
            kind_code: deadline.kind.as_str(),
            ends_on: t.format_date(&deadline.ends_on),
            overdue: deadline.ends_on < today,
            href: nrm_href(&deadline.case_id),
            case_code: deadline.case_code,
        })
        .collect())
}
