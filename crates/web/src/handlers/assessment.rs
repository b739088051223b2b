//! Needs assessment and re-trafficking risk of a case
//! (`GET`/`POST /cases/{id}/assessment`): the history, the comparison of the
//! latest with the previous assessment, and recording a new one.
//!
//! Caseworkers, coordinators and psychologists record assessments; lawyers
//! with the case in scope read them.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::role::Role;
use procap_store::assessment::{
    self, Assessment, DOMAINS, DomainLevel, LEVELS, NewAssessment, RISK_FACTORS, RISK_LEVELS,
};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::assessment::{
    AssessmentPage, AssessmentRow, Comparison, ComparisonRow, DomainInput, DomainRow,
};
use crate::pages::{FieldErrors, SelectOption, paths};
use crate::state::AppState;

/// Longest accepted note or safety plan, in characters.
const MAX_TEXT_CHARS: usize = 4000;

/// Form field names of the level and note of each domain, in [`DOMAINS`] order.
const LEVEL_FIELDS: [&str; 9] = [
    "level_safety",
    "level_health",
    "level_psychosocial",
    "level_legal",
    "level_documents",
    "level_accommodation",
    "level_livelihood",
    "level_education",
    "level_family",
];
const NOTE_FIELDS: [&str; 9] = [
    "note_safety",
    "note_health",
    "note_psychosocial",
    "note_legal",
    "note_documents",
    "note_accommodation",
    "note_livelihood",
    "note_education",
    "note_family",
];

/// Whether `role` may record assessments.
pub fn records_assessments(role: Role) -> bool {
    matches!(
        role,
        Role::Caseworker | Role::Coordinator | Role::Psychologist
    )
}

fn domain_label(t: &Translator, domain: &str) -> String {
    t.t(&format!("assessment-domain-{domain}"))
}

fn level_label(t: &Translator, level: &str) -> String {
    t.t(&format!("assessment-level-{level}"))
}

fn risk_label(t: &Translator, level: &str) -> String {
    t.t(&format!("assessment-risk-{level}"))
}

/// The values of the form as typed.
#[derive(Debug, Default)]
struct Typed {
    assessed_on: String,
    levels: Vec<String>,
    notes: Vec<String>,
    risk_level: String,
    factors: Vec<String>,
    safety_plan: String,
}

/// `GET /cases/{id}/assessment`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.assessment.view").await?;
    let typed = Typed {
        assessed_on: crate::handlers::today().to_string(),
        ..Typed::default()
    };
    let page = assessment_page(&state, &user, &view, typed, FieldErrors::new()).await?;
    render(&page)
}

async fn assessment_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    typed: Typed,
    errors: FieldErrors,
) -> Result<AssessmentPage, WebError> {
    let id = view.case.id.clone();
    let history = state
        .store
        .run(move |db| assessment::list_assessments(db, &id))
        .await?;

    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let comparison = match history.as_slice() {
        [latest, previous, ..] => Some(comparison(&t, latest, previous)),
        _ => None,
    };
    let rows = history.iter().map(|entry| history_row(&t, entry)).collect();
    let domains = DOMAINS
        .iter()
        .enumerate()
        .map(|(index, domain)| {
            let chosen = typed.levels.get(index).map(String::as_str).unwrap_or("");
            DomainInput {
                label: domain_label(&t, domain),
                level_field: LEVEL_FIELDS[index],
                note_field: NOTE_FIELDS[index],
                options: LEVELS
                    .iter()
                    .map(|level| {
                        SelectOption::new(*level, level_label(&t, level), *level == chosen)
                    })
                    .collect(),
                note: typed.notes.get(index).cloned().unwrap_or_default(),
            }
        })
        .collect();
    Ok(AssessmentPage {
        case_id: view.case.id.clone(),
        case_code: view.case.code.clone(),
        can_record: records_assessments(user.role),
        history: rows,
        comparison,
        assessed_on: typed.assessed_on,
        domains,
        risk_options: RISK_LEVELS
            .iter()
            .map(|level| {
                SelectOption::new(*level, risk_label(&t, level), *level == typed.risk_level)
            })
            .collect(),
        factor_options: RISK_FACTORS
            .iter()
            .map(|factor| {
                SelectOption::new(
                    *factor,
                    t.t(&format!("assessment-factor-{factor}")),
                    typed.factors.iter().any(|chosen| chosen == factor),
                )
            })
            .collect(),
        safety_plan: typed.safety_plan,
        errors,
        ctx,
    })
}

fn history_row(t: &Translator, entry: &Assessment) -> AssessmentRow {
    AssessmentRow {
        assessed_on: t.format_date(&entry.assessed_on),
        assessed_by: entry.assessed_by.clone(),
        risk_level: risk_label(t, &entry.risk_level),
        risk_factors: entry
            .risk_factors
            .split(';')
            .filter(|code| !code.is_empty())
            .map(|code| t.t(&format!("assessment-factor-{code}")))
            .collect::<Vec<_>>()
            .join(", "),
        safety_plan: entry.safety_plan.clone(),
        domains: entry
            .domains
            .iter()
            .map(|domain| DomainRow {
                label: domain_label(t, &domain.domain),
                level: level_label(t, &domain.level),
                level_code: domain.level.clone(),
                note: domain.note.clone(),
            })
            .collect(),
    }
}

fn comparison(t: &Translator, latest: &Assessment, previous: &Assessment) -> Comparison {
    let (domains, risk) = assessment::compare(latest, previous);
    let show = |level: Option<&str>, label: fn(&Translator, &str) -> String| {
        level.map(|level| label(t, level)).unwrap_or_default()
    };
    let rows = domains
        .into_iter()
        .map(|(domain, change)| ComparisonRow {
            label: domain_label(t, domain),
            previous: show(previous.level(domain), level_label),
            latest: show(latest.level(domain), level_label),
            change_code: change.as_str(),
            change: t.t(&format!("assessment-change-{}", change.as_str())),
        })
        .collect();
    Comparison {
        previous_on: t.format_date(&previous.assessed_on),
        latest_on: t.format_date(&latest.assessed_on),
        rows,
        risk: ComparisonRow {
            label: t.t("assessment-risk-title"),
            previous: risk_label(t, &previous.risk_level),
            latest: risk_label(t, &latest.risk_level),
            change_code: risk.as_str(),
            change: t.t(&format!("assessment-change-{}", risk.as_str())),
        },
    }
}

/// `POST /cases/{id}/assessment`: checks and stores a new assessment, then
/// returns to the page. Invalid input answers 422 with the form as typed.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.assessment.view").await?;
    if !records_assessments(user.role) {
        return Err(WebError::Forbidden);
    }
    let t = Translator::new(user.locale);

    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    };
    let typed = Typed {
        assessed_on: field("assessed_on"),
        levels: LEVEL_FIELDS.iter().map(|name| field(name)).collect(),
        notes: NOTE_FIELDS.iter().map(|name| field(name)).collect(),
        risk_level: field("risk_level"),
        factors: pairs
            .iter()
            .filter(|(key, _)| key == "risk_factors")
            .map(|(_, value)| value.trim().to_owned())
            .collect(),
        safety_plan: field("safety_plan"),
    };

    let mut errors = FieldErrors::new();
    let today = crate::handlers::today();
    let assessed_on = NaiveDate::parse_from_str(&typed.assessed_on, "%Y-%m-%d").ok();
    match assessed_on {
        None => errors.add("assessed_on", t.t("assessment-error-date")),
        Some(date) if date > today => errors.add("assessed_on", t.t("assessment-error-future")),
        Some(date) if date < view.case.opened_on => {
            errors.add("assessed_on", t.t("assessment-error-before-case"))
        }
        Some(_) => {}
    }
    for (index, level) in typed.levels.iter().enumerate() {
        if !LEVELS.contains(&level.as_str()) {
            errors.add(LEVEL_FIELDS[index], t.t("assessment-error-level"));
        }
        if typed.notes[index].chars().count() > MAX_TEXT_CHARS {
            errors.add(
                NOTE_FIELDS[index],
                t.t1("assessment-error-too-long", "max", MAX_TEXT_CHARS),
            );
        }
    }
    if !RISK_LEVELS.contains(&typed.risk_level.as_str()) {
        errors.add("risk_level", t.t("assessment-error-risk"));
    }
    if typed
        .factors
        .iter()
        .any(|factor| !RISK_FACTORS.contains(&factor.as_str()))
    {
        errors.add("risk_factors", t.t("assessment-error-factor"));
    }
    if typed.safety_plan.chars().count() > MAX_TEXT_CHARS {
        errors.add(
            "safety_plan",
            t.t1("assessment-error-too-long", "max", MAX_TEXT_CHARS),
        );
    }
    let Some(assessed_on) = assessed_on.filter(|_| errors.is_empty()) else {
        let page = assessment_page(&state, &user, &view, typed, errors).await?;
        let mut response = page.into_response();
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };

    let domains: Vec<DomainLevel> = DOMAINS
        .iter()
        .enumerate()
        .map(|(index, domain)| DomainLevel {
            domain: (*domain).to_owned(),
            level: typed.levels[index].clone(),
            note: Some(typed.notes[index].clone()).filter(|note| !note.is_empty()),
        })
        .collect();
    let factors = RISK_FACTORS
        .iter()
        .filter(|factor| typed.factors.iter().any(|chosen| chosen == *factor))
        .copied()
        .collect::<Vec<_>>()
        .join(";");
    let risk_level = typed.risk_level.clone();
    let safety_plan = Some(typed.safety_plan).filter(|text| !text.is_empty());
    let id = case_id.clone();
    let by = user.user.id.clone();
    let stored_factors = factors.clone();
    let stored_risk = risk_level.clone();
    let assessment_id = state
        .store
        .run(move |db| {
            assessment::record_assessment(
                db,
                &NewAssessment {
                    case_id: &id,
                    assessed_on,
                    domains: &domains,
                    risk_level: &stored_risk,
                    risk_factors: &stored_factors,
                    safety_plan: safety_plan.as_deref(),
                    assessed_by: &by,
                },
            )
        })
        .await?;

    record(
        &state.store,
        AuditEvent::new("case.assessment.create", Outcome::Success)
            .actor(&user.user.id, &user.user.username)
            .client_ip(user.client_ip.as_deref())
            .object("case", &case_id)
            .details(json!({ "assessment_id": assessment_id, "risk_level": risk_level, "risk_factors": factors })),
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{case_id}/assessment")).into_response())
}
