//! The team of a case: `GET`/`POST /cases/{id}/team` and
//! `POST /cases/{id}/team/{user_id}/remove`.
//!
//! Everyone who may open the case can see who is assigned to it (display
//! name and role). Only a coordinator of the organisation that owns the
//! case may assign a caseworker, psychologist or lawyer of that
//! organisation, or remove an assignment after a confirmation. The store
//! rejects any other user and the removal of the case's last caseworker.
//! Every change and every rejection is audited with ids only.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::role::Role;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::{self, Case, TeamMember};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::case_team::{TeamPage, TeamRow, team_href, team_remove_href};
use crate::pages::services::CaseHeading;
use crate::pages::{ConfirmPage, FieldErrors, HiddenField, SelectOption};
use crate::state::AppState;

/// Returns whether `user` may change the team of `case`: only a coordinator
/// of the organisation that owns it, not of one it was shared with.
fn may_manage(user: &CurrentUser, case: &Case) -> bool {
    user.role == Role::Coordinator && case.organisation_id == user.user.organisation_id
}

fn form_value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(field, _)| field == name)
        .map_or("", |(_, value)| value.as_str())
}

fn role_label(t: &Translator, role: &str) -> String {
    match Role::parse(role) {
        Some(role) => t.role_label(&role),
        None => role.to_owned(),
    }
}

/// Loads the team and, for a coordinator, the staff who may join.
async fn load(
    state: &AppState,
    case: &Case,
    manage: bool,
) -> Result<(Vec<TeamMember>, Vec<TeamMember>), WebError> {
    let case_id = case.id.clone();
    let organisation_id = case.organisation_id.clone();
    Ok(state
        .store
        .run(move |db| {
            let team = cases::team(db, &case_id)?;
            let staff = if manage {
                cases::assignable_staff(db, &organisation_id)?
            } else {
                Vec::new()
            };
            Ok((team, staff))
        })
        .await?)
}

/// Builds the page; `selected` is the user id the form sent, kept on errors.
async fn team_page(
    state: &AppState,
    user: &CurrentUser,
    case: &Case,
    selected: &str,
    errors: FieldErrors,
) -> Result<TeamPage, WebError> {
    let manage = may_manage(user, case);
    let (team, staff) = load(state, case, manage).await?;
    let ctx = user.page(&team_href(&case.id));
    let t = ctx.t;
    let members = team
        .iter()
        .map(|member| TeamRow {
            name: member.display_name.clone(),
            role: role_label(&t, &member.role),
            remove_href: team_remove_href(&case.id, &member.user_id),
        })
        .collect();
    let candidates = staff
        .iter()
        .filter(|candidate| {
            !team
                .iter()
                .any(|member| member.user_id == candidate.user_id)
        })
        .map(|candidate| {
            SelectOption::new(
                candidate.user_id.clone(),
                t.t_args(
                    "team-candidate",
                    &[
                        ("name", candidate.display_name.clone().into()),
                        ("role", role_label(&t, &candidate.role).into()),
                    ],
                ),
                candidate.user_id == selected,
            )
        })
        .collect();
    Ok(TeamPage {
        case: CaseHeading::new(&t, case),
        members,
        manage,
        candidates,
        errors,
        ctx,
    })
}

async fn page_with_error(
    state: &AppState,
    user: &CurrentUser,
    case: &Case,
    selected: &str,
    field: &'static str,
    message_key: &str,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    errors.add(field, Translator::new(user.locale).t(message_key));
    let page = team_page(state, user, case, selected, errors).await?;
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

fn event(user: &CurrentUser, action: &str, outcome: Outcome, case_id: &str) -> AuditEvent {
    AuditEvent::new(action, outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", case_id)
}

/// Audits a rejected change by role and returns 403.
async fn forbidden(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    case_id: &str,
) -> Result<Response, WebError> {
    tracing::info!(
        user_id = %user.user.id,
        case_id,
        action,
        "case team change rejected: role may not manage the team"
    );
    record(
        &state.store,
        event(user, action, Outcome::Denied, case_id).details(json!({ "reason": "role" })),
    )
    .await?;
    Err(WebError::Forbidden)
}

/// `GET /cases/{id}/team`: the assigned staff, and the assignment form for
/// coordinators of the owning organisation.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.team.view").await?;
    let page = team_page(&state, &user, &view.case, "", FieldErrors::new()).await?;
    render(&page)
}

/// `POST /cases/{id}/team`: assigns the user in `user_id`. A user who is
/// not a caseworker, psychologist or lawyer of the case's organisation gets
/// 422 with the form as sent.
pub async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.team.view").await?;
    if !may_manage(&user, &view.case) {
        return forbidden(&state, &user, "case.team.assign", &case_id).await;
    }
    let selected = form_value(&pairs, "user_id").trim().to_owned();
    if selected.is_empty() {
        return page_with_error(
            &state,
            &user,
            &view.case,
            "",
            "user_id",
            "team-error-choose",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    let id = case_id.clone();
    let member = selected.clone();
    let result = state
        .store
        .run(move |db| cases::assign(db, &id, &member))
        .await;
    let added = match result {
        Ok(added) => added,
        Err(StoreError::Conflict("not_assignable")) => {
            tracing::info!(
                case_id = %case_id,
                "case team assignment rejected: user not assignable to this case"
            );
            record(
                &state.store,
                event(&user, "case.team.assign", Outcome::Denied, &case_id)
                    .details(json!({ "reason": "not_assignable" })),
            )
            .await?;
            return page_with_error(
                &state,
                &user,
                &view.case,
                "",
                "user_id",
                "team-error-not-assignable",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(error) => return Err(error.into()),
    };
    if added {
        record(
            &state.store,
            event(&user, "case.team.assign", Outcome::Success, &case_id)
                .details(json!({ "user": selected })),
        )
        .await?;
    }

    Ok(Redirect::to(&team_href(&case_id)).into_response())
}

/// `POST /cases/{id}/team/{user_id}/remove`: shows a confirmation page
/// unless `confirmed=yes` is sent, then removes the assignment. Removing
/// the case's last caseworker is rejected with a 409 page that explains why.
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, member_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.team.view").await?;
    if !may_manage(&user, &view.case) {
        return forbidden(&state, &user, "case.team.unassign", &case_id).await;
    }
    let confirmed = form_value(&pairs, "confirmed") == "yes";

    if !confirmed {
        let id = case_id.clone();
        let team = state.store.run(move |db| cases::team(db, &id)).await?;
        let Some(member) = team.iter().find(|member| member.user_id == member_id) else {
            return Err(WebError::NotFound);
        };
        let ctx = user.page(&team_href(&case_id));
        let t = ctx.t;
        let page = ConfirmPage {
            title: t.t("team-remove-title"),
            message: t.t_args(
                "team-remove-message",
                &[
                    ("name", member.display_name.clone().into()),
                    ("role", role_label(&t, &member.role).into()),
                    ("code", view.case.code.clone().into()),
                ],
            ),
            action: team_remove_href(&case_id, &member_id),
            hidden: vec![HiddenField {
                name: "confirmed".to_owned(),
                value: "yes".to_owned(),
            }],
            confirm_label: t.t("team-remove-confirm"),
            cancel_href: team_href(&case_id),
            destructive: true,
            ctx,
        };
        return render(&page);
    }

    let id = case_id.clone();
    let member = member_id.clone();
    let result = state
        .store
        .run(move |db| cases::unassign(db, &id, &member))
        .await;
    match result {
        Ok(()) => {}
        Err(StoreError::Conflict("last_caseworker")) => {
            tracing::info!(
                case_id = %case_id,
                user_id = %member_id,
                "case team removal rejected: last caseworker of the case"
            );
            record(
                &state.store,
                event(&user, "case.team.unassign", Outcome::Denied, &case_id)
                    .details(json!({ "user": member_id, "reason": "last_caseworker" })),
            )
            .await?;
            return page_with_error(
                &state,
                &user,
                &view.case,
                "",
                "",
                "team-error-last-caseworker",
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(error) => return Err(error.into()),
    }
    record(
        &state.store,
        event(&user, "case.team.unassign", Outcome::Success, &case_id)
            .details(json!({ "user": member_id })),
    )
    .await?;

    Ok(Redirect::to(&team_href(&case_id)).into_response())
}
