//! Sealing and break-glass access.
//!
//! - `GET`/`POST /cases/{id}/seal`: a coordinator seals or unseals a case of
//!   their organisation with a required reason. A sealed case is hidden
//!   from lists and search for everyone not assigned to it.
//! - `GET`/`POST /cases/{id}/break-glass`: staff with a case role who open
//!   a case of their own organisation outside their scope are told why and
//!   asked for a written reason; with one they get access for an hour, the
//!   grant is audited and the organisation's coordinators are notified.
//!   Other roles get 403; cases of other organisations stay 404.
//! - `POST /notifications/{id}/acknowledge`: a notification leaves the
//!   home page.
//!
//! Reasons are free text: they are stored encrypted and never logged.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use procap_domain::case::followup::{BREAK_GLASS_MIN_REASON_CHARS, BREAK_GLASS_MINUTES};
use procap_domain::role::{Permission, Role};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases;
use procap_store::protection::{self, BreakGlass, CaseOwner};
use serde::Deserialize;
use serde_json::json;

use crate::api::cases::scope_for;
use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::services::{MAX_TEXT_CHARS, free_text};
use crate::i18n::Translator;
use crate::pages::cases::{DetailItem, case_href};
use crate::pages::protection::{BreakGlassPage, SealPage};
use crate::pages::services::CaseHeading;
use crate::pages::{FieldErrors, paths};
use crate::state::AppState;

#[derive(Default, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
    /// `yes` to seal, `no` to unseal.
    #[serde(default)]
    sealed: String,
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

async fn seal_page(
    state: &AppState,
    user: &CurrentUser,
    case: &cases::Case,
    reason: String,
    errors: FieldErrors,
) -> Result<SealPage, WebError> {
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let case_id = case.id.clone();
    let changes = state
        .store
        .run(move |db| protection::seal_changes(db, &case_id))
        .await?;
    let history = changes
        .into_iter()
        .map(|change| {
            vec![
                DetailItem::new(
                    t.t("seal-history-when"),
                    t.format_datetime(&change.changed_at),
                ),
                DetailItem::new(
                    t.t("seal-history-change"),
                    t.t(if change.sealed {
                        "seal-history-sealed"
                    } else {
                        "seal-history-unsealed"
                    }),
                ),
                DetailItem::new(t.t("seal-history-by"), change.changed_by),
                DetailItem::new(t.t("seal-reason"), change.reason),
            ]
        })
        .collect();
    Ok(SealPage {
        case: CaseHeading::new(&t, case),
        sealed: case.sealed,
        reason,
        errors,
        history,
        ctx,
    })
}

/// `GET /cases/{id}/seal`: the seal form, for coordinators.
pub async fn seal_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    let view = open_case(&state, &user, &case_id, "case.seal.view").await?;
    let page = seal_page(&state, &user, &view.case, String::new(), FieldErrors::new()).await?;
    render(&page)
}

/// `POST /cases/{id}/seal`: seals (`sealed=yes`) or unseals (`sealed=no`)
/// the case with the reason given.
pub async fn seal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    let view = open_case(&state, &user, &case_id, "case.seal.view").await?;
    let t = Translator::new(user.locale);
    let sealed = match form.sealed.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(WebError::BadRequest(crate::error::MessageKey(
                "error-malformed-form",
            )));
        }
    };
    let mut errors = FieldErrors::new();
    let reason = free_text(&mut errors, &t, "reason", &form.reason, MAX_TEXT_CHARS);
    if reason.is_none() && errors.is_empty() {
        errors.add("reason", t.t("form-error-required"));
    }
    let Some(reason) = reason else {
        let page = seal_page(&state, &user, &view.case, form.reason, errors).await?;
        return Ok(with_status(
            render(&page)?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };

    let id = case_id.clone();
    let user_id = user.user.id.clone();
    let result = state
        .store
        .run(move |db| protection::set_sealed(db, &id, sealed, &reason, &user_id))
        .await;
    let change_id = match result {
        Ok(change_id) => change_id,
        Err(StoreError::Conflict("unchanged")) => {
            // Someone else changed it first: show the form as it is now.
            let view = open_case(&state, &user, &case_id, "case.seal.view").await?;
            let mut errors = FieldErrors::new();
            errors.add("reason", t.t("seal-error-unchanged"));
            let page = seal_page(&state, &user, &view.case, form.reason, errors).await?;
            return Ok(with_status(render(&page)?, StatusCode::CONFLICT));
        }
        Err(error) => return Err(error.into()),
    };
    let action = if sealed { "case.seal" } else { "case.unseal" };
    let event = AuditEvent::new(action, Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "seal_change": change_id }));
    record(&state.store, event).await?;

    // A coordinator not assigned to the case loses access once it is sealed.
    let next = if sealed {
        paths::CASES.to_owned()
    } else {
        case_href(&case_id)
    };
    Ok(Redirect::to(&next).into_response())
}

/// Returns whether `role` may request break-glass access. Only the case
/// roles may.
pub fn may_break_glass(role: Role) -> bool {
    matches!(
        role,
        Role::Caseworker | Role::Psychologist | Role::Lawyer | Role::Coordinator
    )
}

/// The result of the break-glass check.
enum Target {
    /// The case is within the user's scope already.
    InScope,
    /// A case of the user's organisation outside their scope.
    OutOfScope(CaseOwner),
}

/// 403 for roles without break-glass, 404 for unknown ids and other
/// organisations' cases (shared cases included).
async fn target(state: &AppState, user: &CurrentUser, case_id: &str) -> Result<Target, WebError> {
    if !may_break_glass(user.role) {
        return Err(WebError::Forbidden);
    }
    let Some(scope) = scope_for(user.role, &user.user.organisation_id, &user.user.id) else {
        return Err(WebError::Forbidden);
    };
    let id = case_id.to_owned();
    let found = state
        .store
        .run(move |db| {
            if cases::in_scope(db, &scope, &id)? {
                return Ok(Some(None));
            }
            Ok(protection::case_owner(db, &id)?.map(Some))
        })
        .await?;
    match found {
        None => Err(WebError::NotFound),
        Some(None) => Ok(Target::InScope),
        Some(Some(owner)) if owner.organisation_id == user.user.organisation_id => {
            Ok(Target::OutOfScope(owner))
        }
        Some(Some(_)) => Err(WebError::NotFound),
    }
}

fn break_glass_page(
    user: &CurrentUser,
    case_id: &str,
    owner: &CaseOwner,
    reason: String,
    errors: FieldErrors,
) -> BreakGlassPage {
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    BreakGlassPage {
        case_id: case_id.to_owned(),
        code: owner.code.clone(),
        sealed: owner.sealed,
        reason,
        errors,
        explain: t.t1("break-glass-explain", "minutes", BREAK_GLASS_MINUTES),
        reason_hint: t.t1(
            "break-glass-reason-hint",
            "min",
            BREAK_GLASS_MIN_REASON_CHARS,
        ),
        ctx,
    }
}

/// Renders the response to opening a case outside one's scope: the
/// break-glass page (403) for staff with a case role and a case of their
/// organisation, 404 otherwise. The caller has audited the rejected view.
pub async fn offer(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
) -> Result<Response, WebError> {
    match target(state, user, case_id).await {
        Ok(Target::OutOfScope(owner)) => {
            let page = break_glass_page(user, case_id, &owner, String::new(), FieldErrors::new());
            Ok(with_status(render(&page)?, StatusCode::FORBIDDEN))
        }
        Ok(Target::InScope) | Err(WebError::Forbidden) => Err(WebError::NotFound),
        Err(error) => Err(error),
    }
}

/// `GET /cases/{id}/break-glass`: the break-glass page, or the case itself
/// when it is within scope.
pub async fn break_glass_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    match target(&state, &user, &case_id).await? {
        Target::InScope => Ok(Redirect::to(&case_href(&case_id)).into_response()),
        Target::OutOfScope(owner) => {
            let page = break_glass_page(&user, &case_id, &owner, String::new(), FieldErrors::new());
            Ok(with_status(render(&page)?, StatusCode::FORBIDDEN))
        }
    }
}

/// `POST /cases/{id}/break-glass`: with a reason of at least
/// [`BREAK_GLASS_MIN_REASON_CHARS`] characters, grants access for
/// [`BREAK_GLASS_MINUTES`] minutes, audits it, notifies the coordinators
/// and opens the case.
pub async fn break_glass(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    let owner = match target(&state, &user, &case_id).await? {
        Target::InScope => return Ok(Redirect::to(&case_href(&case_id)).into_response()),
        Target::OutOfScope(owner) => owner,
    };
    let t = Translator::new(user.locale);
    let mut errors = FieldErrors::new();
    let reason = free_text(&mut errors, &t, "reason", &form.reason, MAX_TEXT_CHARS);
    let reason = match reason {
        Some(reason) if reason.chars().count() >= BREAK_GLASS_MIN_REASON_CHARS => Some(reason),
        Some(_) | None if errors.is_empty() => {
            errors.add(
                "reason",
                t.t1(
                    "break-glass-error-short",
                    "min",
                    BREAK_GLASS_MIN_REASON_CHARS,
                ),
            );
            None
        }
        _ => None,
    };
    let Some(reason) = reason else {
        let event = AuditEvent::new("case.break_glass", Outcome::Denied)
            .actor(&user.user.id, &user.user.username)
            .client_ip(user.client_ip.as_deref())
            .object("case", &case_id)
            .details(json!({ "why": "reason_missing" }));
        record(&state.store, event).await?;
        let page = break_glass_page(&user, &case_id, &owner, form.reason, errors);
        return Ok(with_status(
            render(&page)?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };

    let id = case_id.clone();
    let user_id = user.user.id.clone();
    let (grant_id, notified) = state
        .store
        .run(move |db| {
            protection::grant_break_glass(
                db,
                &BreakGlass {
                    case_id: &id,
                    user_id: &user_id,
                    reason: &reason,
                    granted_at: procap_store::now(),
                    lasts: Duration::minutes(BREAK_GLASS_MINUTES),
                },
            )
        })
        .await?;
    let event = AuditEvent::new("case.break_glass", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "grant": grant_id,
            "minutes": BREAK_GLASS_MINUTES,
            "sealed": owner.sealed,
            "coordinators_notified": notified,
        }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&case_href(&case_id)).into_response())
}

/// `POST /notifications/{id}/acknowledge`: removes one of the user's
/// notifications from their home page.
pub async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(notification_id): Path<String>,
) -> Result<Response, WebError> {
    let id = notification_id.clone();
    let user_id = user.user.id.clone();
    let done = state
        .store
        .run(move |db| protection::acknowledge(db, &id, &user_id))
        .await?;
    if !done {
        return Err(WebError::NotFound);
    }
    let event = AuditEvent::new("notification.acknowledge", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("notification", &notification_id)
        .details(json!({}));
    record(&state.store, event).await?;
    Ok(Redirect::to(paths::HOME).into_response())
}

/// Loads the user's open notifications for the home page.
pub async fn notification_items(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<crate::pages::protection::NotificationItem>, WebError> {
    let user_id = user.user.id.clone();
    let open = state
        .store
        .run(move |db| protection::open_notifications(db, &user_id))
        .await?;
    let t = Translator::new(user.locale);
    Ok(open
        .into_iter()
        .map(|item| crate::pages::protection::NotificationItem {
            text: t.t_args(
                "home-notification-break-glass",
                &[
                    ("user", item.actor.clone().into()),
                    ("code", item.case_code.clone().into()),
                ],
            ),
            at: t.format_datetime(&item.created_at),
            case_href: case_href(&item.case_id),
            acknowledge_href: crate::pages::protection::acknowledge_href(&item.id),
        })
        .collect())
}
