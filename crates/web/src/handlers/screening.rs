//! Screening of a case with the ILO / European Commission indicators: the
//! history (`GET /cases/{id}/screening`), the checklist and its submission
//! (`GET`/`POST /cases/{id}/screening/new`) and one result
//! (`GET /cases/{id}/screening/{screening_id}`).
//!
//! Every page opens the case through [`open_case`], so a case outside the
//! user's scope returns 404 and every access is audited. Only caseworkers
//! and coordinators record screenings; others with the case in scope read.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::role::Role;
use procap_domain::screening::{
    AgeGroup, Dimension, ExploitationForm, ScreeningError, ScreeningInput, ScreeningResult, assess,
    indicator_list,
};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_records::{self, NewScreening, Screening};
use procap_store::cases::CaseView;
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::i18n::{Arg, Translator};
use crate::pages::screening::{
    DimensionSummary, IndicatorGroup, IndicatorItem, ListLink, ScreeningFormPage,
    ScreeningListPage, ScreeningPrintPage, ScreeningResultPage, ScreeningRow, age_key,
    dimension_key, dimension_names, form_key, indicator_label, list_key, new_screening_href,
    screening_result_href, strength_key,
};
use crate::pages::{FieldErrors, SelectOption, paths};
use crate::state::AppState;

/// Longest accepted screening note, in characters.
const MAX_NOTES_CHARS: usize = 4000;

/// Checks whether `role` may record screenings and NRM status changes: the
/// caseworker who runs the case and the coordinator. Psychologists and
/// lawyers read them on the cases assigned to them.
pub fn records_case_steps(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

fn require_recorder(user: &CurrentUser) -> Result<(), WebError> {
    if records_case_steps(user.role) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// `GET /cases/{id}/screening`: the case's screenings, newest first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.screening.view").await?;

    let id = case_id.clone();
    let screenings = state
        .store
        .run(move |db| case_records::list_screenings(db, &id))
        .await?;

    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let rows = screenings
        .iter()
        .map(|screening| ScreeningRow {
            href: screening_result_href(&case_id, &screening.id),
            screened_at: t.format_datetime(&screening.screened_at),
            screened_by: screening.screened_by_name.clone(),
            list: stored_list_name(&t, screening),
            trafficking_indicated: screening.trafficking_indicated,
            positive_dimensions: dimension_names(&t, &screening.positive_dimensions).join(", "),
        })
        .collect();
    let page = ScreeningListPage {
        ctx,
        new_href: new_screening_href(&case_id, default_age(&view), ExploitationForm::Labour),
        case_id,
        case_code: view.case.code,
        rows,
        can_record: records_case_steps(user.role),
    };
    render(&page)
}

fn default_age(view: &CaseView) -> AgeGroup {
    if view.case.is_minor {
        AgeGroup::Child
    } else {
        AgeGroup::Adult
    }
}

pub(crate) fn stored_list_name(t: &Translator, screening: &Screening) -> String {
    match (
        AgeGroup::parse(&screening.age_group),
        ExploitationForm::parse(&screening.exploitation_form),
    ) {
        (Some(age), Some(form)) => t.t(list_key(age, form)),
        _ => format!("{} {}", screening.age_group, screening.exploitation_form),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ChecklistQuery {
    #[serde(default)]
    age: String,
    #[serde(default)]
    form: String,
}

/// `GET /cases/{id}/screening/new?age=adult|child&form=labour|sexual`: the
/// checklist of one list. The age group defaults to the case's, the form to
/// labour; unknown values fall back to those defaults.
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<ChecklistQuery>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.screening.view").await?;
    require_recorder(&user)?;

    let age = AgeGroup::parse(&query.age).unwrap_or_else(|| default_age(&view));
    let form = ExploitationForm::parse(&query.form).unwrap_or(ExploitationForm::Labour);
    let page = checklist_page(
        &user,
        &view,
        age,
        form,
        &[],
        String::new(),
        FieldErrors::new(),
    );
    render(&page)
}

fn checklist_page(
    user: &CurrentUser,
    view: &CaseView,
    age: AgeGroup,
    form: ExploitationForm,
    checked: &[String],
    notes: String,
    errors: FieldErrors,
) -> ScreeningFormPage {
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let locale = ctx.locale;
    let list = indicator_list(age, form);

    let groups = Dimension::ALL
        .into_iter()
        .map(|dimension| IndicatorGroup {
            code: dimension.as_str(),
            title: t.t(dimension_key(dimension)),
            items: list
                .in_dimension(dimension)
                .enumerate()
                .map(|(index, indicator)| IndicatorItem {
                    id: indicator.id.clone(),
                    html_id: format!("indicator-{}-{index}", dimension.as_str()),
                    label: indicator_label(locale, indicator),
                    strength: t.t(strength_key(indicator.strength)),
                    strength_code: indicator.strength.as_str(),
                    checked: checked.contains(&indicator.id),
                })
                .collect(),
        })
        .filter(|group| !group.items.is_empty())
        .collect();

    let available_lists = AgeGroup::ALL
        .into_iter()
        .flat_map(|age| {
            ExploitationForm::ALL
                .into_iter()
                .map(move |form| (age, form))
        })
        .filter(|&(age, form)| indicator_list(age, form).is_available())
        .map(|(age, form)| ListLink {
            label: t.t(list_key(age, form)),
            href: new_screening_href(&view.case.id, age, form),
        })
        .collect();

    ScreeningFormPage {
        case_id: view.case.id.clone(),
        case_code: view.case.code.clone(),
        age: age.as_str(),
        form: form.as_str(),
        list_name: t.t(list_key(age, form)),
        available: list.is_available(),
        verified: list.is_verified(),
        available_lists,
        age_options: AgeGroup::ALL
            .into_iter()
            .map(|value| SelectOption::new(value.as_str(), t.t(age_key(value)), value == age))
            .collect(),
        form_options: ExploitationForm::ALL
            .into_iter()
            .map(|value| SelectOption::new(value.as_str(), t.t(form_key(value)), value == form))
            .collect(),
        groups,
        notes,
        errors,
        ctx,
    }
}

/// `POST /cases/{id}/screening/new`: assesses the ticked indicators, stores
/// the screening and redirects to its result. A wrong list or indicator
/// answers 422 with the checklist as it was sent.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.screening.view").await?;
    require_recorder(&user)?;
    let t = Translator::new(user.locale);

    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    };
    let indicators: Vec<String> = pairs
        .iter()
        .filter(|(key, _)| key == "indicator")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .collect();
    let notes = field("notes");
    let age = AgeGroup::parse(&field("age"));
    let form = ExploitationForm::parse(&field("form"));

    let mut errors = FieldErrors::new();
    if age.is_none() || form.is_none() {
        errors.add("", t.t("screening-error-list"));
    }
    if notes.chars().count() > MAX_NOTES_CHARS {
        errors.add(
            "notes",
            t.t1("screening-error-notes-too-long", "max", MAX_NOTES_CHARS),
        );
    }
    let age = age.unwrap_or_else(|| default_age(&view));
    let form = form.unwrap_or(ExploitationForm::Labour);
    let input = match ScreeningInput::parse(age, form, &indicators) {
        Ok(input) => Some(input),
        Err(ScreeningError::ListUnavailable { .. }) => {
            errors.add("", t.t("screening-error-list-unavailable"));
            None
        }
        Err(ScreeningError::UnknownIndicator { .. }) => {
            errors.add("", t.t("screening-error-unknown-indicator"));
            None
        }
    };
    let (Some(input), true) = (input, errors.is_empty()) else {
        let page = checklist_page(&user, &view, age, form, &indicators, notes, errors);
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };

    let result = assess(&input);
    let stored_indicators = input
        .present()
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    let positive = positive_dimension_codes(&result);
    let user_id = user.user.id.clone();
    let id = case_id.clone();
    let screening_id = state
        .store
        .run(move |db| {
            case_records::record_screening(
                db,
                &NewScreening {
                    case_id: &id,
                    age_group: input.age().as_str(),
                    exploitation_form: input.form().as_str(),
                    indicators: &stored_indicators,
                    trafficking_indicated: result.trafficking_indicated,
                    positive_dimensions: &positive,
                    notes: (!notes.is_empty()).then_some(notes.as_str()),
                    screened_by: &user_id,
                },
            )
        })
        .await?;

    let event = AuditEvent::new("case.screening.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "screening_id": screening_id,
            "list": list_key_code(age, form),
            "indicators": result.dimensions.iter().map(|d| d.indicator_ids.len()).sum::<usize>(),
            "trafficking_indicated": result.trafficking_indicated,
        }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&screening_result_href(&case_id, &screening_id)).into_response())
}

fn list_key_code(age: AgeGroup, form: ExploitationForm) -> String {
    format!("{}_{}", age.as_str(), form.as_str())
}

/// Returns the codes of the positive dimensions, ';'-joined in
/// [`Dimension::ALL`] order.
fn positive_dimension_codes(result: &ScreeningResult) -> String {
    result
        .dimensions
        .iter()
        .filter(|dimension| dimension.positive)
        .map(|dimension| dimension.dimension.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

#[derive(Debug, Default, Deserialize)]
pub struct ResultQuery {
    #[serde(default)]
    print: Option<String>,
}

/// `GET /cases/{id}/screening/{screening_id}`: the guidance of one
/// screening with the indicators behind each dimension. `?print=1` renders
/// it without the site's header and navigation.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, screening_id)): Path<(String, String)>,
    Query(query): Query<ResultQuery>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.screening.view").await?;

    let id = case_id.clone();
    let screenings = state
        .store
        .run(move |db| case_records::list_screenings(db, &id))
        .await?;
    let Some(screening) = screenings.into_iter().find(|s| s.id == screening_id) else {
        return Err(WebError::NotFound);
    };

    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let locale = ctx.locale;
    let age = AgeGroup::parse(&screening.age_group);
    let form = ExploitationForm::parse(&screening.exploitation_form);
    // The stored indicators are assessed again to show which ones made each
    // dimension positive. If the built-in list no longer contains them, only
    // the stored outcome is shown.
    let assessed = match (age, form) {
        (Some(age), Some(form)) => ScreeningInput::parse(
            age,
            form,
            screening.indicators.split(';').filter(|id| !id.is_empty()),
        )
        .ok()
        .map(|input| assess(&input)),
        _ => None,
    };
    let dimensions = assessed
        .as_ref()
        .map(|result| {
            let list = indicator_list(result.age, result.form);
            result
                .dimensions
                .iter()
                .map(|dimension| DimensionSummary {
                    title: t.t(dimension_key(dimension.dimension)),
                    positive: dimension.positive,
                    counts: t.t_args(
                        "screening-dimension-counts",
                        &[
                            ("strong", Arg::from(dimension.strong)),
                            ("medium", Arg::from(dimension.medium)),
                            ("weak", Arg::from(dimension.weak)),
                        ],
                    ),
                    indicators: dimension
                        .indicator_ids
                        .iter()
                        .filter_map(|id| list.indicator(id))
                        .map(|indicator| {
                            (
                                indicator_label(locale, indicator),
                                t.t(strength_key(indicator.strength)),
                            )
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();

    let page = ScreeningResultPage {
        case_id,
        case_code: view.case.code,
        screening_id: screening.id.clone(),
        screened_at: t.format_datetime(&screening.screened_at),
        screened_by: screening.screened_by_name.clone(),
        list: stored_list_name(&t, &screening),
        trafficking_indicated: screening.trafficking_indicated,
        verified: assessed.as_ref().is_some_and(|result| result.list_verified),
        details_unavailable: assessed.is_none(),
        dimensions,
        positive_dimensions: dimension_names(&t, &screening.positive_dimensions),
        notes: screening.notes.clone().unwrap_or_default(),
        ctx,
    };
    if query.print.is_some_and(|value| !value.is_empty()) {
        render(&ScreeningPrintPage(page))
    } else {
        render(&page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_codes_follow_dimension_order() {
        let input = ScreeningInput::parse(
            AgeGroup::Adult,
            ExploitationForm::Labour,
            [
                "adult_labour.coercion_at_destination.confiscation_of_documents",
                "adult_labour.coercion_at_destination.debt_bondage",
                "adult_labour.deceptive_recruitment.about_nature_of_job",
                "adult_labour.deceptive_recruitment.about_conditions_of_work",
            ],
        )
        .unwrap();

        assert_eq!(
            positive_dimension_codes(&assess(&input)),
            "deceptive_recruitment;coercion_at_destination"
        );
    }

    #[test]
    fn only_caseworker_and_coordinator_record() {
        let recorders: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|role| records_case_steps(*role))
            .collect();
        assert_eq!(recorders, [Role::Coordinator, Role::Caseworker]);
    }
}
