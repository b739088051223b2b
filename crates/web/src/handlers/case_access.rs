//! The one check every case sub-page makes: is this case within the user's
//! scope? Out-of-scope and unknown ids both answer 404, so ids cannot be
//! probed, and every refusal is audited.

use procap_domain::role::Role;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::{self, CaseView};
use procap_store::users::User;
use serde_json::json;

use crate::api::cases::scope_for;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::state::AppState;

/// Loads a case the user may open and audits `action` (e.g.
/// `case.screening.view`) as a success, or as denied with a 404.
pub async fn open_case(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    action: &str,
) -> Result<CaseView, WebError> {
    open_case_as(
        state,
        user.role,
        &user.user,
        user.client_ip.as_deref(),
        case_id,
        action,
        json!({}),
    )
    .await
}

/// The check of [`open_case`] for any kind of caller (a signed-in session
/// or an API token): 403 when `role` reaches no cases, 404 when the case is
/// outside the actor's scope or unknown. The audit event carries `details`.
pub async fn open_case_as(
    state: &AppState,
    role: Role,
    actor: &User,
    client_ip: Option<&str>,
    case_id: &str,
    action: &str,
    details: serde_json::Value,
) -> Result<CaseView, WebError> {
    let Some(scope) = scope_for(role, &actor.organisation_id, &actor.id) else {
        return Err(WebError::Forbidden);
    };
    let case_id = case_id.to_owned();
    let action = action.to_owned();
    let actor = actor.clone();
    let client_ip = client_ip.map(str::to_owned);
    let view = state
        .store
        .run(move |db| {
            let allowed = cases::in_scope(db, &scope, &case_id)?;
            let outcome = if allowed {
                Outcome::Success
            } else {
                Outcome::Denied
            };
            let event = AuditEvent::new(&action, outcome)
                .actor(&actor.id, &actor.username)
                .client_ip(client_ip.as_deref())
                .object("case", &case_id)
                .details(details);
            procap_store::audit::append(db, &event)?;
            if allowed {
                Ok(Some(cases::get(db, &case_id)?))
            } else {
                Ok(None)
            }
        })
        .await?;
    view.ok_or(WebError::NotFound)
}
