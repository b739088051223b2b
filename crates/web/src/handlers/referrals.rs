//! Referrals and transfers between organisations.
//!
//! - `GET`/`POST /cases/{id}/referrals`: a case's referrals and the form
//!   that sends one. A referral needs a `sharing` consent for the recipient;
//!   without one it is refused with 422 and nothing is stored, unless a
//!   coordinator writes why it must go anyway (audited as
//!   `case.referral.override`; the reason is encrypted, never audited).
//! - `POST /cases/{id}/referrals/{referral_id}/revoke`: the sender
//!   withdraws a referral, with a reason.
//! - `GET /referrals`: a coordinator's incoming and outgoing referrals with
//!   the minimum (case code, organisation, date, service, status); and
//!   `POST /referrals/{id}/accept|decline|complete`, the recipient's answers.
//!
//! The receiving organisation gets the case only once it accepts: a plain
//! referral shares the case with it (a case share that the case scope
//! honours) and assigns the accepting coordinator; a transfer moves the
//! case to it.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::case::vocab::ServiceLine;
use procap_domain::role::{Permission, Role};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use procap_store::organisations::{self, Organisation};
use procap_store::referrals::{
    self, NewReferral, Referral, ReferralSummary, STATUS_ACCEPTED, STATUS_COMPLETED, STATUS_SENT,
};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::{MessageKey, WebError};
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::referrals::{
    CaseReferralRow, CaseReferralsPage, REFERRALS_PATH, ReferralForm, ReferralListPage,
    ReferralListRow, case_referrals_href,
};
use crate::pages::{FieldErrors, SelectOption, paths};
use crate::state::AppState;

/// Longest accepted reason, in characters.
const MAX_REASON_CHARS: usize = 4000;

/// Whether `role` sends and revokes referrals.
pub fn may_refer(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

fn status_label(t: &Translator, status: &str) -> String {
    t.t(&format!("referrals-status-{status}"))
}

fn service_label(t: &Translator, code: &str) -> String {
    ServiceLine::parse(code).map_or_else(|| code.to_owned(), |line| t.t(line.label_key()))
}

fn kind_label(t: &Translator, is_transfer: bool) -> String {
    t.t(if is_transfer {
        "referrals-kind-transfer"
    } else {
        "referrals-kind-referral"
    })
}

async fn audit(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    outcome: Outcome,
    case_id: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", case_id)
        .details(details);
    record(&state.store, event).await
}

// --- A case's referrals ---------------------------------------------------------

/// `GET /cases/{id}/referrals`: the case's referrals and the send form.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.referrals.view").await?;
    let page = case_page(
        &state,
        &user,
        &view,
        ReferralForm::default(),
        FieldErrors::new(),
    )
    .await?;
    render(&page)
}

async fn case_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    form: ReferralForm,
    errors: FieldErrors,
) -> Result<CaseReferralsPage, WebError> {
    let case_id = view.case.id.clone();
    let (referrals, organisations) = state
        .store
        .run(move |db| {
            Ok((
                referrals::list_for_case(db, &case_id)?,
                organisations::list(db)?,
            ))
        })
        .await?;
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let own = &user.user.organisation_id;
    let rows = referrals
        .iter()
        .map(|referral| case_row(&t, own, referral))
        .collect();
    let organisations = recipients(&organisations, own)
        .map(|organisation| {
            SelectOption::new(
                organisation.id.as_str(),
                organisation.name.as_str(),
                organisation.id == form.to_organisation_id,
            )
        })
        .collect();
    let services = ServiceLine::ALL
        .iter()
        .map(|line| {
            SelectOption::new(
                line.as_str(),
                t.t(line.label_key()),
                line.as_str() == form.service_line,
            )
        })
        .collect();
    Ok(CaseReferralsPage {
        case_id: view.case.id.clone(),
        case_code: view.case.code.clone(),
        referrals: rows,
        can_send: may_refer(user.role) && &view.case.organisation_id == own,
        can_override: user.can(Permission::CoordinateCases),
        organisations,
        services,
        form,
        errors,
        ctx,
    })
}

/// The organisations a case can be referred to: all but the user's own.
fn recipients<'a>(
    organisations: &'a [Organisation],
    own: &'a str,
) -> impl Iterator<Item = &'a Organisation> {
    organisations
        .iter()
        .filter(move |organisation| organisation.id != own)
}

fn case_row(t: &Translator, own: &str, referral: &Referral) -> CaseReferralRow {
    let outgoing = referral.from_organisation_id == own;
    let can_revoke = outgoing
        && (referral.status == STATUS_SENT
            || (referral.status == STATUS_ACCEPTED && !referral.is_transfer));
    CaseReferralRow {
        id: referral.id.clone(),
        direction: t.t(if outgoing {
            "referrals-direction-to"
        } else {
            "referrals-direction-from"
        }),
        organisation: if outgoing {
            referral.to_organisation_name.clone()
        } else {
            referral.from_organisation_name.clone()
        },
        service: service_label(t, &referral.service_line),
        kind: kind_label(t, referral.is_transfer),
        status: status_label(t, &referral.status),
        referred_on: t.format_date(&referral.referred_on),
        reason: referral.reason.clone().unwrap_or_default(),
        override_reason: referral.override_reason.clone().unwrap_or_default(),
        response_reason: referral.response_reason.clone().unwrap_or_default(),
        can_revoke,
        revoke_action: format!(
            "{}/{}/revoke",
            case_referrals_href(&referral.case_id),
            referral.id
        ),
    }
}

/// A send form that passed every check.
pub struct ParsedReferral {
    pub to_organisation_id: String,
    pub service_line: ServiceLine,
    pub reason: Option<String>,
    pub override_reason: Option<String>,
}

fn check_length(errors: &mut FieldErrors, t: &Translator, field: &'static str, value: &str) {
    if value.chars().count() > MAX_REASON_CHARS {
        errors.add(
            field,
            t.t1("referrals-error-too-long", "max", MAX_REASON_CHARS),
        );
    }
}

/// Checks a send form: the recipient is another known organisation, the
/// service line exists and the texts are not too long; an override reason
/// counts only when `can_override`.
pub fn parse_referral(
    form: &ReferralForm,
    organisations: &[Organisation],
    own: &str,
    can_override: bool,
    t: &Translator,
) -> Result<ParsedReferral, FieldErrors> {
    let mut errors = FieldErrors::new();
    let to = form.to_organisation_id.trim();
    if !recipients(organisations, own).any(|organisation| organisation.id == to) {
        errors.add("to_organisation_id", t.t("referrals-error-recipient"));
    }
    let service_line = ServiceLine::parse(form.service_line.trim());
    if service_line.is_none() {
        errors.add("service_line", t.t("referrals-error-service"));
    }
    let reason = form.reason.trim();
    check_length(&mut errors, t, "reason", reason);
    let override_reason = if can_override {
        form.override_reason.trim()
    } else {
        ""
    };
    check_length(&mut errors, t, "override_reason", override_reason);
    match (service_line, errors.is_empty()) {
        (Some(service_line), true) => Ok(ParsedReferral {
            to_organisation_id: to.to_owned(),
            service_line,
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
            override_reason: (!override_reason.is_empty()).then(|| override_reason.to_owned()),
        }),
        _ => Err(errors),
    }
}

fn unprocessable(page: &CaseReferralsPage) -> Result<Response, WebError> {
    let mut response = render(page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /cases/{id}/referrals`: sends a referral and returns to the
/// case's referral page.
pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.referrals.view").await?;
    let own = user.user.organisation_id.clone();
    if !may_refer(user.role) || view.case.organisation_id != own {
        return Err(WebError::Forbidden);
    }
    let t = Translator::new(user.locale);
    let form = ReferralForm::from_pairs(&pairs);
    let organisations = state.store.run(organisations::list).await?;
    let can_override = user.can(Permission::CoordinateCases);

    let parsed = match parse_referral(&form, &organisations, &own, can_override, &t) {
        Ok(parsed) => parsed,
        Err(errors) => {
            audit(
                &state,
                &user,
                "case.referral.send",
                Outcome::Failure,
                &case_id,
                json!({ "reason": "invalid" }),
            )
            .await?;
            let page = case_page(&state, &user, &view, form, errors).await?;
            return unprocessable(&page);
        }
    };

    let id = case_id.clone();
    let from = own.clone();
    let to = parsed.to_organisation_id.clone();
    let referred_by = user.user.id.clone();
    let service_line = parsed.service_line;
    let is_transfer = form.is_transfer;
    let outcome = state
        .store
        .run(move |db| {
            referrals::send(
                db,
                &NewReferral {
                    case_id: &id,
                    from_organisation_id: &from,
                    to_organisation_id: &to,
                    service_line: service_line.as_str(),
                    is_transfer,
                    reason: parsed.reason.as_deref(),
                    override_reason: parsed.override_reason.as_deref(),
                    referred_on: today(),
                    referred_by: &referred_by,
                },
            )
        })
        .await;
    let sent = match outcome {
        Ok(sent) => sent,
        Err(StoreError::Conflict("no_consent")) => {
            audit(
                &state,
                &user,
                "case.referral.send",
                Outcome::Denied,
                &case_id,
                json!({
                    "reason": "no_consent",
                    "to_organisation_id": parsed.to_organisation_id,
                }),
            )
            .await?;
            let mut errors = FieldErrors::new();
            let key = if can_override {
                "referrals-error-no-consent-override"
            } else {
                "referrals-error-no-consent"
            };
            errors.add("to_organisation_id", t.t(key));
            let page = case_page(&state, &user, &view, form, errors).await?;
            return unprocessable(&page);
        }
        Err(error) => return Err(error.into()),
    };

    if sent.consent_overridden {
        audit(
            &state,
            &user,
            "case.referral.override",
            Outcome::Success,
            &case_id,
            json!({
                "referral_id": sent.referral_id,
                "to_organisation_id": parsed.to_organisation_id,
            }),
        )
        .await?;
    }
    audit(
        &state,
        &user,
        "case.referral.send",
        Outcome::Success,
        &case_id,
        json!({
            "referral_id": sent.referral_id,
            "to_organisation_id": parsed.to_organisation_id,
            "service_line": service_line.as_str(),
            "transfer": is_transfer,
            "consent_overridden": sent.consent_overridden,
        }),
    )
    .await?;
    Ok(Redirect::to(&case_referrals_href(&case_id)).into_response())
}

/// Reads the one `reason` field of an answer form, trimmed.
fn reason_of(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .find(|(name, _)| name == "reason")
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default()
}

/// Checks a required reason; the error key explains what is wrong.
fn check_reason(reason: &str) -> Result<(), &'static str> {
    if reason.is_empty() {
        Err("referrals-error-reason-missing")
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Err("referrals-error-reason-too-long")
    } else {
        Ok(())
    }
}

/// Maps a store error of an answer: a referral answered meanwhile is a
/// plain 400 explaining so; an unknown one is 404.
fn answer_error(error: StoreError) -> WebError {
    match error {
        StoreError::Conflict(_) => {
            WebError::BadRequest(MessageKey("referrals-error-already-answered"))
        }
        other => other.into(),
    }
}

/// `POST /cases/{id}/referrals/{referral_id}/revoke`: the sender withdraws
/// a referral that waits or was accepted without transfer.
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, referral_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let _view = open_case(&state, &user, &case_id, "case.referrals.view").await?;
    if !may_refer(user.role) {
        return Err(WebError::Forbidden);
    }
    let reason = reason_of(&pairs);
    if let Err(key) = check_reason(&reason) {
        return Err(WebError::BadRequest(MessageKey(key)));
    }
    let organisation_id = user.user.organisation_id.clone();
    let user_id = user.user.id.clone();
    let id = referral_id.clone();
    let expected_case = case_id.clone();
    let revoked = state
        .store
        .run(move |db| {
            let referral = referrals::get(db, &id)?;
            if referral.case_id != expected_case {
                return Err(StoreError::NotFound);
            }
            referrals::revoke(db, &id, &organisation_id, &user_id, &reason)
        })
        .await
        .map_err(answer_error)?;
    audit(
        &state,
        &user,
        "case.referral.revoke",
        Outcome::Success,
        &case_id,
        json!({ "referral_id": revoked.id }),
    )
    .await?;
    Ok(Redirect::to(&case_referrals_href(&case_id)).into_response())
}

// --- The organisation's referrals ---------------------------------------------

/// `GET /referrals`: incoming and outgoing referrals of the coordinator's
/// organisation.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    let page = list_page(&state, &user, FieldErrors::new()).await?;
    let event = AuditEvent::new("referrals.list.view", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "incoming": page.incoming.len(),
            "outgoing": page.outgoing.len(),
        }));
    record(&state.store, event).await?;
    render(&page)
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    errors: FieldErrors,
) -> Result<ReferralListPage, WebError> {
    let organisation_id = user.user.organisation_id.clone();
    let (incoming, outgoing) = state
        .store
        .run(move |db| referrals::list_for_organisation(db, &organisation_id))
        .await?;
    let ctx = user.page(REFERRALS_PATH);
    let t = ctx.t;
    Ok(ReferralListPage {
        incoming: incoming
            .iter()
            .map(|summary| list_row(&t, summary, true))
            .collect(),
        outgoing: outgoing
            .iter()
            .map(|summary| list_row(&t, summary, false))
            .collect(),
        errors,
        ctx,
    })
}

fn list_row(t: &Translator, summary: &ReferralSummary, incoming: bool) -> ReferralListRow {
    let accepted = summary.status == STATUS_ACCEPTED || summary.status == STATUS_COMPLETED;
    // The recipient opens the case once it accepted; the sender while it
    // still owns the case.
    let can_open = if incoming {
        accepted
    } else {
        !(summary.is_transfer && accepted)
    };
    ReferralListRow {
        id: summary.id.clone(),
        case_code: summary.case_code.clone(),
        case_href: if can_open {
            format!("{}/{}", paths::CASES, summary.case_id)
        } else {
            String::new()
        },
        organisation: if incoming {
            summary.from_organisation_name.clone()
        } else {
            summary.to_organisation_name.clone()
        },
        referred_on: t.format_date(&summary.referred_on),
        service: service_label(t, &summary.service_line),
        kind: kind_label(t, summary.is_transfer),
        status: status_label(t, &summary.status),
        can_answer: incoming && summary.status == STATUS_SENT,
        can_complete: incoming && summary.status == STATUS_ACCEPTED,
    }
}

/// Which answer a coordinator gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accept,
    Decline,
    Complete,
}

/// `POST /referrals/{id}/accept`: the recipient accepts; the case opens.
pub async fn accept(
    state: State<AppState>,
    user: CurrentUser,
    path: Path<String>,
) -> Result<Response, WebError> {
    answer(state, user, path, Answer::Accept, Vec::new()).await
}

/// `POST /referrals/{id}/decline`: the recipient declines with a reason.
pub async fn decline(
    state: State<AppState>,
    user: CurrentUser,
    path: Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    answer(state, user, path, Answer::Decline, pairs).await
}

/// `POST /referrals/{id}/complete`: the recipient marks the service done.
pub async fn complete(
    state: State<AppState>,
    user: CurrentUser,
    path: Path<String>,
) -> Result<Response, WebError> {
    answer(state, user, path, Answer::Complete, Vec::new()).await
}

async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(referral_id): Path<String>,
    answer: Answer,
    pairs: Vec<(String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    let reason = reason_of(&pairs);
    if answer == Answer::Decline
        && let Err(key) = check_reason(&reason)
    {
        let t = Translator::new(user.locale);
        let mut errors = FieldErrors::new();
        // The decline forms are one per row, so the message goes to the
        // summary at the top of the page.
        errors.add("", t.t(key));
        let page = list_page(&state, &user, errors).await?;
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }

    let organisation_id = user.user.organisation_id.clone();
    let user_id = user.user.id.clone();
    let id = referral_id.clone();
    let answered = state
        .store
        .run(move |db| match answer {
            Answer::Accept => referrals::accept(db, &id, &organisation_id, &user_id),
            Answer::Decline => referrals::decline(db, &id, &organisation_id, &user_id, &reason),
            Answer::Complete => referrals::complete(db, &id, &organisation_id, &user_id),
        })
        .await
        .map_err(answer_error)?;
    let action = match answer {
        Answer::Accept => "case.referral.accept",
        Answer::Decline => "case.referral.decline",
        Answer::Complete => "case.referral.complete",
    };
    audit(
        &state,
        &user,
        action,
        Outcome::Success,
        &answered.case_id,
        json!({ "referral_id": answered.id, "transfer": answered.is_transfer }),
    )
    .await?;
    let target = match answer {
        Answer::Accept => format!("{}/{}", paths::CASES, answered.case_id),
        Answer::Decline | Answer::Complete => REFERRALS_PATH.to_owned(),
    };
    Ok(Redirect::to(&target).into_response())
}
