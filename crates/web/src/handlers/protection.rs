//! Sealing and break-glass access.
//!
//! - `GET`/`POST /cases/{id}/seal`: a coordinator seals or unseals a case of
//!   their organisation with a required reason. A sealed case is hidden
//!   from lists and search for everyone not assigned to it.
//! - `GET`/`POST /cases/{id}/break-glass`: staff with a case role who open
//!   a case of their own organisation outside their scope are told why and
//!   asked for a written reason; with one they get access for an hour, the
//!   grant is audited and the organisation's coordinators are notified.
//!   Other roles get 403; cases of other organisations stay 404. Work pages
//!   under the case show the same page through [`offer_page`], and `next`
//!   returns the user there after the grant.
//! - `POST /notifications/{id}/acknowledge`: a notification leaves the
//!   home page.
//!
//! Reasons are free text: they are stored encrypted and never logged.

use axum::Form;
use axum::extract::{Path, Query, State};
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
use crate::error::{OutOfScope, WebError};
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::services::{MAX_TEXT_CHARS, free_text};
use crate::i18n::Translator;
use crate::pages::cases::{DetailItem, case_href};
use crate::pages::protection::{BreakGlassPage, SealPage};
use crate::pages::services::CaseHeading;
use crate::pages::{FieldErrors, PageContext, paths};
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

/// The query of the break-glass form: where to go after the grant.
#[derive(Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Returns `next` when it is a same-site path under `/cases/{case_id}/`
/// (query allowed), and `None` for anything else: other cases, other
/// sites, protocol-relative or dot-segment paths, the break-glass form
/// itself.
pub fn safe_next(case_id: &str, next: Option<&str>) -> Option<String> {
    let next = next?;
    let prefix = format!("{}/", case_href(case_id));
    let rest = next.strip_prefix(&prefix)?;
    let (path, _query) = rest.split_once('?').unwrap_or((rest, ""));
    let bad_char = |c: char| c.is_control() || c.is_whitespace() || c == '\\' || c == '#';
    let bad_segment = |segment: &str| {
        let lower = segment.to_ascii_lowercase();
        segment.is_empty()
            || lower.contains("%2e")
            || lower.contains("%2f")
            || lower.contains("%5c")
            || segment == "."
            || segment == ".."
    };
    let ok = next.len() <= 2000
        && !next.chars().any(bad_char)
        && !path.is_empty()
        && !path.split('/').any(bad_segment)
        && path != "break-glass";
    ok.then(|| next.to_owned())
}

fn break_glass_page(
    user: &CurrentUser,
    case_id: &str,
    owner: &CaseOwner,
    reason: String,
    errors: FieldErrors,
    next: Option<String>,
) -> BreakGlassPage {
    page_for(
        user.page(paths::CASES),
        case_id,
        owner,
        reason,
        errors,
        next,
    )
}

fn page_for(
    ctx: PageContext,
    case_id: &str,
    owner: &CaseOwner,
    reason: String,
    errors: FieldErrors,
    next: Option<String>,
) -> BreakGlassPage {
    let t = ctx.t;
    BreakGlassPage {
        next,
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

/// Renders the break-glass page (403) for a work page under a case that
/// answered [`WebError::OutOfScope`]; the error-page layer calls it with the
/// request's path and, for a GET, the path and query to return to.
pub fn offer_page(
    offer: &OutOfScope,
    path: &str,
    wanted: Option<&str>,
) -> Result<Response, WebError> {
    let owner = CaseOwner {
        organisation_id: String::new(),
        code: offer.code.clone(),
        sealed: offer.sealed,
    };
    let ctx = PageContext::for_user(offer.locale, offer.user.clone(), path);
    let next = safe_next(&offer.case_id, wanted);
    let page = page_for(
        ctx,
        &offer.case_id,
        &owner,
        String::new(),
        FieldErrors::new(),
        next,
    );
    Ok(with_status(render(&page)?, StatusCode::FORBIDDEN))
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
            let page = break_glass_page(
                user,
                case_id,
                &owner,
                String::new(),
                FieldErrors::new(),
                None,
            );
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
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(&case_id, query.next.as_deref());
    match target(&state, &user, &case_id).await? {
        Target::InScope => {
            Ok(Redirect::to(&next.unwrap_or_else(|| case_href(&case_id))).into_response())
        }
        Target::OutOfScope(owner) => {
            let page = break_glass_page(
                &user,
                &case_id,
                &owner,
                String::new(),
                FieldErrors::new(),
                next,
            );
            Ok(with_status(render(&page)?, StatusCode::FORBIDDEN))
        }
    }
}

/// `POST /cases/{id}/break-glass`: with a reason of at least
/// [`BREAK_GLASS_MIN_REASON_CHARS`] characters, grants access for
/// [`BREAK_GLASS_MINUTES`] minutes, audits it, notifies the coordinators
/// and opens the page the user asked for (`next`, when it is one under
/// the case) or else the case.
pub async fn break_glass(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<NextQuery>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    let next = safe_next(&case_id, query.next.as_deref());
    let after = next.clone().unwrap_or_else(|| case_href(&case_id));
    let owner = match target(&state, &user, &case_id).await? {
        Target::InScope => return Ok(Redirect::to(&after).into_response()),
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
        let page = break_glass_page(&user, &case_id, &owner, form.reason, errors, next);
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

    Ok(Redirect::to(&after).into_response())
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
    let mut items = Vec::with_capacity(open.len());
    for item in open {
        let text = if item.kind == procap_store::duplicate_connect::NOTIFICATION_DUPLICATE {
            crate::handlers::duplicate_connect::notice_text(state, &t, &item).await?
        } else {
            t.t_args(
                "home-notification-break-glass",
                &[
                    ("user", item.actor.clone().into()),
                    ("code", item.case_code.clone().into()),
                ],
            )
        };
        items.push((text, item));
    }
    Ok(items
        .into_iter()
        .map(|(text, item)| crate::pages::protection::NotificationItem {
            text,
            at: t.format_datetime(&item.created_at),
            case_href: case_href(&item.case_id),
            acknowledge_href: crate::pages::protection::acknowledge_href(&item.id),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_under_the_case_are_kept() {
        let id = "c1";
        let keep = |next: &str| safe_next(id, Some(next));
        assert_eq!(keep("/cases/c1/plan").as_deref(), Some("/cases/c1/plan"));
        assert_eq!(
            keep("/cases/c1/plan/reviews?tab=2").as_deref(),
            Some("/cases/c1/plan/reviews?tab=2")
        );
        for bad in [
            "/cases/c1",
            "/cases/c1/",
            "/cases/c10/plan",
            "/cases/c2/plan",
            "//example.invalid/cases/c1/plan",
            "https://example.invalid/cases/c1/plan",
            "/cases/c1/../../admin",
            "/cases/c1/%2e%2e/admin",
            "/cases/c1//plan",
            "/cases/c1/plan\\x",
            "/cases/c1/plan#x",
            "/cases/c1/pl an",
            "/cases/c1/break-glass",
        ] {
            assert_eq!(keep(bad), None, "{bad}");
        }
        assert_eq!(safe_next(id, None), None);
    }
}
