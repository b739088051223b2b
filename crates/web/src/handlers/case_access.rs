//! The one check every case sub-page makes: is this case within the user's
//! scope? Unknown ids and other organisations' cases answer 404, so ids
//! cannot be probed, and every refusal is audited. A signed-in user whose
//! role may ask for break-glass access gets [`WebError::OutOfScope`] for a
//! case of their own organisation instead, which the error-page layer turns
//! into the break-glass page. API callers always get 404.

use procap_domain::role::Role;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::{self, CaseView};
use procap_store::protection::{self, CaseOwner};
use procap_store::users::User;
use serde_json::json;

use crate::api::cases::scope_for;
use crate::auth::CurrentUser;
use crate::error::{OutOfScope, WebError};
use crate::handlers::protection::may_break_glass;
use crate::state::AppState;

/// Loads a case the user may open and audits `action` (e.g.
/// `case.screening.view`) as a success, or as denied. A denied case of the
/// user's organisation is offered through break-glass when the role
/// allows it; anything else denied is a 404.
pub async fn open_case(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    action: &str,
) -> Result<CaseView, WebError> {
    let offer = may_break_glass(user.role);
    let checked = check(
        state,
        user.role,
        &user.user,
        user.client_ip.as_deref(),
        case_id,
        action,
        json!({}),
        offer,
    )
    .await?;
    match checked {
        Checked::Allowed(view) => Ok(*view),
        Checked::Denied(Some(owner)) if owner.organisation_id == user.user.organisation_id => {
            Err(WebError::OutOfScope(Box::new(OutOfScope {
                case_id: case_id.to_owned(),
                code: owner.code,
                sealed: owner.sealed,
                locale: user.locale,
                user: user.nav_user(),
            })))
        }
        Checked::Denied(_) => Err(WebError::NotFound),
    }
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
    match check(
        state, role, actor, client_ip, case_id, action, details, false,
    )
    .await?
    {
        Checked::Allowed(view) => Ok(*view),
        Checked::Denied(_) => Err(WebError::NotFound),
    }
}

enum Checked {
    Allowed(Box<CaseView>),
    /// Denied; with the owner when it was asked for and the case exists.
    Denied(Option<CaseOwner>),
}

#[expect(
    clippy::too_many_arguments,
    reason = "the two public checks differ only in these"
)]
async fn check(
    state: &AppState,
    role: Role,
    actor: &User,
    client_ip: Option<&str>,
    case_id: &str,
    action: &str,
    details: serde_json::Value,
    want_owner: bool,
) -> Result<Checked, WebError> {
    let Some(scope) = scope_for(role, &actor.organisation_id, &actor.id) else {
        return Err(WebError::Forbidden);
    };
    let event = |outcome| {
        AuditEvent::new(action, outcome)
            .actor(&actor.id, &actor.username)
            .client_ip(client_ip)
            .object("case", audited_id(case_id))
            .details(details)
    };
    let id = case_id.to_owned();
    let checked = state
        .store
        .run(move |db| {
            if cases::in_scope(db, &scope, &id)? {
                Ok(Checked::Allowed(Box::new(cases::get(db, &id)?)))
            } else if want_owner {
                Ok(Checked::Denied(protection::case_owner(db, &id)?))
            } else {
                Ok(Checked::Denied(None))
            }
        })
        .await?;
    // The view changes nothing, so its event joins the shared audit commit
    // (`Store::audit`); the page is only sent once the event is on disk.
    let outcome = match checked {
        Checked::Allowed(_) => Outcome::Success,
        Checked::Denied(_) => Outcome::Denied,
    };
    state.store.audit(event(outcome)).await?;
    Ok(checked)
}

/// The id to write into an audit row for an id taken from a URL: the id
/// itself when it has the form of a Procap id (a UUID), otherwise a fixed
/// marker. The audit log cannot be erased, and whatever someone typed or
/// pasted into the address bar (a name, a phone number) must not stay in it.
pub fn audited_id(id: &str) -> &str {
    if uuid::Uuid::try_parse(id).is_ok() {
        id
    } else {
        MALFORMED_ID
    }
}

/// What [`audited_id`] writes for a string that is not an id.
pub const MALFORMED_ID: &str = "malformed";

#[cfg(test)]
mod tests {
    use super::{MALFORMED_ID, audited_id};

    #[test]
    fn only_ids_reach_the_audit_log() {
        let id = "5f0c7f52-6a7e-4a4f-9d1c-2f0b8c1e9a10";
        assert_eq!(audited_id(id), id);
        assert_eq!(audited_id("Κρυφογιαννάκη"), MALFORMED_ID);
        assert_eq!(audited_id("+30 697 314 8852"), MALFORMED_ID);
        assert_eq!(audited_id(""), MALFORMED_ID);
    }
}
