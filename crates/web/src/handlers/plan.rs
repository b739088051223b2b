//! The case plan (`/cases/{id}/plan`): goals by HTCDS support-plan type and
//! their actions, submission for approval, the coordinator's approval or
//! return, reviews of progress, and the goal edit form
//! (`/cases/{id}/plan/goals/{goal_id}`), whose stale submissions answer 409
//! with both the current values and what the user typed.
//!
//! Caseworkers and coordinators change the plan; coordinators
//! (`Permission::CoordinateCases`) decide on plans they did not submit.
//! Others with the case in scope read it.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::role::{Permission, Role};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use procap_store::plan::{
    self, GoalFields, NewAction, NewReview, PROGRESS, PlanStatus, ReviewEntry, SUPPORT_TYPES,
    StaffMember,
};
use serde_json::{Value, json};

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::plan::{
    ActionRow, ConflictRow, GoalEditPage, GoalForm, GoalRow, OverdueItem, PlanPage, ReviewEntryRow,
    ReviewRow,
};
use crate::pages::{FieldErrors, Notice, SelectOption, paths};
use crate::state::AppState;

/// Longest accepted description, note or comment, in characters.
const MAX_TEXT_CHARS: usize = 4000;

/// Whether `role` may add and change goals, submit and review the plan.
pub fn edits_plans(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

fn require_editor(user: &CurrentUser) -> Result<(), WebError> {
    if edits_plans(user.role) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

fn type_label(t: &Translator, code: &str) -> String {
    t.t(&format!("plan-type-{code}"))
}

fn progress_label(t: &Translator, code: &str) -> String {
    t.t(&format!("plan-progress-{code}"))
}

fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default()
}

fn with_status(response: impl IntoResponse, status: StatusCode) -> Response {
    let mut response = response.into_response();
    *response.status_mut() = status;
    response
}

async fn audit(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    case_id: &str,
    outcome: Outcome,
    details: Value,
) -> Result<(), WebError> {
    record(
        &state.store,
        AuditEvent::new(action, outcome)
            .actor(&user.user.id, &user.user.username)
            .client_ip(user.client_ip.as_deref())
            .object("case", case_id)
            .details(details),
    )
    .await
}

fn goal_form_from(pairs: &[(String, String)]) -> GoalForm {
    GoalForm {
        support_type: field(pairs, "support_type"),
        description: field(pairs, "description"),
        responsible: field(pairs, "responsible"),
        agreed_on: field(pairs, "agreed_on"),
        due_on: field(pairs, "due_on"),
        next_review_on: field(pairs, "next_review_on"),
    }
}

/// A goal form checked into store fields (owned).
struct CheckedGoal {
    support_type: String,
    description: String,
    responsible: String,
    agreed_on: NaiveDate,
    due_on: NaiveDate,
    next_review_on: Option<NaiveDate>,
}

impl CheckedGoal {
    fn fields(&self) -> GoalFields<'_> {
        GoalFields {
            support_type: &self.support_type,
            description: &self.description,
            responsible_user_id: &self.responsible,
            agreed_on: self.agreed_on,
            due_on: self.due_on,
            next_review_on: self.next_review_on,
        }
    }
}

/// Checks the goal form: known type and responsible person, a description,
/// and dates in order (agreed on or before today; due and review dates not
/// before the agreed date).
fn check_goal(
    t: &Translator,
    form: &GoalForm,
    staff: &[StaffMember],
) -> Result<CheckedGoal, FieldErrors> {
    let mut errors = FieldErrors::new();
    if !SUPPORT_TYPES.contains(&form.support_type.as_str()) {
        errors.add("support_type", t.t("plan-error-type"));
    }
    if form.description.is_empty() {
        errors.add("description", t.t("plan-error-description"));
    } else if form.description.chars().count() > MAX_TEXT_CHARS {
        errors.add(
            "description",
            t.t1("plan-error-too-long", "max", MAX_TEXT_CHARS),
        );
    }
    if !staff.iter().any(|member| member.id == form.responsible) {
        errors.add("responsible", t.t("plan-error-responsible"));
    }
    let agreed_on = parse_date(&form.agreed_on);
    let due_on = parse_date(&form.due_on);
    let next_review_on = if form.next_review_on.is_empty() {
        Some(None)
    } else {
        parse_date(&form.next_review_on).map(Some)
    };
    match agreed_on {
        None => errors.add("agreed_on", t.t("plan-error-date")),
        Some(date) if date > today() => errors.add("agreed_on", t.t("plan-error-agreed-future")),
        Some(_) => {}
    }
    match due_on {
        None => errors.add("due_on", t.t("plan-error-date")),
        Some(due) if agreed_on.is_some_and(|agreed| due < agreed) => {
            errors.add("due_on", t.t("plan-error-due-before-agreed"))
        }
        Some(_) => {}
    }
    match next_review_on {
        None => errors.add("next_review_on", t.t("plan-error-date")),
        Some(Some(review)) if agreed_on.is_some_and(|agreed| review < agreed) => {
            errors.add("next_review_on", t.t("plan-error-review-before-agreed"))
        }
        Some(_) => {}
    }
    match (agreed_on, due_on, next_review_on) {
        (Some(agreed_on), Some(due_on), Some(next_review_on)) if errors.is_empty() => {
            Ok(CheckedGoal {
                support_type: form.support_type.clone(),
                description: form.description.clone(),
                responsible: form.responsible.clone(),
                agreed_on,
                due_on,
                next_review_on,
            })
        }
        _ => Err(errors),
    }
}

fn type_options(t: &Translator, chosen: &str) -> Vec<SelectOption> {
    SUPPORT_TYPES
        .iter()
        .map(|code| SelectOption::new(*code, type_label(t, code), *code == chosen))
        .collect()
}

fn staff_options(staff: &[StaffMember], chosen: &str) -> Vec<SelectOption> {
    staff
        .iter()
        .map(|member| {
            SelectOption::new(
                member.id.clone(),
                format!("{} ({})", member.display_name, member.username),
                member.id == chosen,
            )
        })
        .collect()
}

async fn load_staff(state: &AppState, view: &CaseView) -> Result<Vec<StaffMember>, WebError> {
    let organisation_id = view.case.organisation_id.clone();
    Ok(state
        .store
        .run(move |db| plan::organisation_staff(db, &organisation_id))
        .await?)
}

/// Builds the plan page with `goal_form` in the new-goal form.
async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    goal_form: GoalForm,
    errors: FieldErrors,
) -> Result<PlanPage, WebError> {
    let id = view.case.id.clone();
    let (plan, goals, reviews) = state
        .store
        .run(move |db| {
            let plan = plan::get_plan(db, &id)?;
            let goals = plan::list_goals(db, &id)?;
            let reviews = match &plan {
                Some(plan) => plan::list_reviews(db, &plan.id)?,
                None => Vec::new(),
            };
            Ok((plan, goals, reviews))
        })
        .await?;
    let staff = load_staff(state, view).await?;

    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let base = format!("/cases/{}/plan", view.case.id);
    let date_or_dash = |date: &Option<NaiveDate>| {
        date.as_ref()
            .map(|date| t.format_date(date))
            .unwrap_or_else(|| t.t("plan-none"))
    };
    let goal_names: HashMap<String, String> = goals
        .iter()
        .map(|goal| (goal.id.clone(), type_label(&t, &goal.support_type)))
        .collect();
    let goal_rows = goals
        .iter()
        .map(|goal| GoalRow {
            id: goal.id.clone(),
            support_type: type_label(&t, &goal.support_type),
            description: goal.description.clone(),
            responsible: goal.responsible_username.clone(),
            agreed_on: t.format_date(&goal.agreed_on),
            due_on: t.format_date(&goal.due_on),
            next_review_on: date_or_dash(&goal.next_review_on),
            progress_code: goal.progress.clone(),
            progress: progress_label(&t, &goal.progress),
            overdue: plan::is_overdue(goal.due_on, goal.next_review_on, &goal.progress, today()),
            actions: goal
                .actions
                .iter()
                .map(|action| ActionRow {
                    description: action.description.clone(),
                    responsible: action.responsible_username.clone(),
                    due_on: date_or_dash(&action.due_on),
                })
                .collect(),
            edit_href: format!("{base}/goals/{}", goal.id),
            action_href: format!("{base}/goals/{}/actions", goal.id),
            progress_options: PROGRESS
                .iter()
                .map(|code| {
                    SelectOption::new(*code, progress_label(&t, code), *code == goal.progress)
                })
                .collect(),
            progress_field: format!("progress_{}", goal.id),
            note_field: format!("note_{}", goal.id),
        })
        .collect();
    let review_rows = reviews
        .iter()
        .map(|review| ReviewRow {
            reviewed_on: t.format_date(&review.reviewed_on),
            next_review_on: date_or_dash(&review.next_review_on),
            reviewed_by: review.reviewed_by.clone(),
            entries: review
                .entries
                .iter()
                .map(|entry| ReviewEntryRow {
                    goal: goal_names.get(&entry.goal_id).cloned().unwrap_or_default(),
                    progress: progress_label(&t, &entry.progress),
                    note: entry.note.clone(),
                })
                .collect(),
        })
        .collect();

    let status = plan.as_ref().map(|plan| plan.status);
    let editor = edits_plans(user.role);
    let open = view.case.status == "open";
    let submitted = plan
        .as_ref()
        .and_then(|plan| Some((plan.submitted_by_username.clone()?, plan.submitted_at?)))
        .map(|(by, at)| {
            t.t2(
                "plan-submitted-by",
                "name",
                by,
                "at",
                t.format_datetime(&at),
            )
        })
        .unwrap_or_default();
    let decided = plan
        .as_ref()
        .and_then(|plan| Some((plan.decided_by_username.clone()?, plan.decided_at?)))
        .map(|(by, at)| t.t2("plan-decided-by", "name", by, "at", t.format_datetime(&at)))
        .unwrap_or_default();
    let chosen_type = goal_form.support_type.clone();
    let chosen_responsible = if goal_form.responsible.is_empty() {
        user.user.id.clone()
    } else {
        goal_form.responsible.clone()
    };
    Ok(PlanPage {
        case_id: view.case.id.clone(),
        case_code: view.case.code.clone(),
        status_code: status.map(|status| status.as_str().to_owned()),
        status: status
            .map(|status| t.t(&format!("plan-status-{}", status.as_str())))
            .unwrap_or_else(|| t.t("plan-status-none")),
        version: plan.as_ref().map_or(0, |plan| plan.version),
        submitted,
        decided,
        return_comment: plan
            .as_ref()
            .filter(|plan| plan.status == PlanStatus::Returned)
            .and_then(|plan| plan.return_comment.clone()),
        can_edit: editor && open && status.is_none_or(PlanStatus::goals_editable),
        can_submit: editor
            && open
            && !goals.is_empty()
            && status.is_some_and(PlanStatus::can_submit),
        can_decide: user.can(Permission::CoordinateCases)
            && status.is_some_and(PlanStatus::can_decide)
            && plan.as_ref().and_then(|plan| plan.submitted_by.as_deref())
                != Some(user.user.id.as_str()),
        can_review: editor && open && !goals.is_empty(),
        goals: goal_rows,
        reviews: review_rows,
        type_options: type_options(&t, &chosen_type),
        staff_options: staff_options(&staff, &chosen_responsible),
        goal_form: GoalForm {
            agreed_on: if goal_form.agreed_on.is_empty() {
                today().to_string()
            } else {
                goal_form.agreed_on.clone()
            },
            ..goal_form
        },
        errors,
        ctx,
    })
}

/// `GET /cases/{id}/plan`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    let page = plan_page(
        &state,
        &user,
        &view,
        GoalForm::default(),
        FieldErrors::new(),
    )
    .await?;
    render(&page)
}

/// Renders the plan page with an error notice and `status`.
async fn plan_notice(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    key: &str,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut page = plan_page(state, user, view, GoalForm::default(), FieldErrors::new()).await?;
    let message = page.ctx.t.t(key);
    page.ctx = page.ctx.with_notice(Notice::error(message));
    Ok(with_status(page, status))
}

/// Maps the store's plan conflicts to a notice page (409), other errors up.
async fn conflict_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    error: StoreError,
) -> Result<Response, WebError> {
    let key = match error {
        StoreError::Conflict("stale") => "plan-conflict-stale",
        StoreError::Conflict("plan_locked") => "plan-conflict-locked",
        StoreError::Conflict("empty") => "plan-conflict-empty",
        StoreError::Conflict("status") => "plan-conflict-status",
        StoreError::Conflict("own_plan") => return Err(WebError::Forbidden),
        other => return Err(other.into()),
    };
    plan_notice(state, user, view, key, StatusCode::CONFLICT).await
}

fn redirect_to_plan(case_id: &str) -> Response {
    Redirect::to(&format!("/cases/{case_id}/plan")).into_response()
}

/// `POST /cases/{id}/plan/goals`: adds a goal (creating the plan).
pub async fn add_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    require_editor(&user)?;
    let t = Translator::new(user.locale);
    let staff = load_staff(&state, &view).await?;

    let form = goal_form_from(&pairs);
    let goal = match check_goal(&t, &form, &staff) {
        Ok(goal) => goal,
        Err(errors) => {
            let page = plan_page(&state, &user, &view, form, errors).await?;
            return Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let id = case_id.clone();
    let by = user.user.id.clone();
    let support_type = goal.support_type.clone();
    let result = state
        .store
        .run(move |db| plan::add_goal(db, &id, &by, &goal.fields()))
        .await;
    match result {
        Ok(goal_id) => {
            audit(
                &state,
                &user,
                "case.plan.goal.create",
                &case_id,
                Outcome::Success,
                json!({ "goal_id": goal_id, "support_type": support_type }),
            )
            .await?;
            Ok(redirect_to_plan(&case_id))
        }
        Err(error) => conflict_page(&state, &user, &view, error).await,
    }
}

/// `GET /cases/{id}/plan/goals/{goal_id}`: the goal edit form.
pub async fn edit_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, goal_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    require_editor(&user)?;
    let (id, goal) = (case_id.clone(), goal_id.clone());
    let current = state
        .store
        .run(move |db| plan::get_goal(db, &id, &goal))
        .await?;
    let staff = load_staff(&state, &view).await?;

    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let form = GoalForm {
        support_type: current.support_type.clone(),
        description: current.description.clone(),
        responsible: current.responsible_user_id.clone(),
        agreed_on: current.agreed_on.to_string(),
        due_on: current.due_on.to_string(),
        next_review_on: current
            .next_review_on
            .map(|date| date.to_string())
            .unwrap_or_default(),
    };
    let page = GoalEditPage {
        case_id,
        case_code: view.case.code.clone(),
        goal_id,
        version: current.version,
        type_options: type_options(&t, &form.support_type),
        staff_options: staff_options(&staff, &form.responsible),
        form,
        conflict: Vec::new(),
        errors: FieldErrors::new(),
        ctx,
    };
    render(&page)
}

/// `POST /cases/{id}/plan/goals/{goal_id}`: saves the goal if nobody changed
/// it since the form was opened (field `version`). Invalid input answers
/// 422; a stale version answers 409 with the current values beside the typed
/// ones and the form still holding what the user typed.
pub async fn update_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, goal_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    require_editor(&user)?;
    let t = Translator::new(user.locale);
    let staff = load_staff(&state, &view).await?;

    let form = goal_form_from(&pairs);
    let expected_version: Option<i32> = field(&pairs, "version").parse().ok();
    let edit_page =
        |form: GoalForm, version: i32, conflict: Vec<ConflictRow>, errors: FieldErrors| {
            let ctx = user.page(paths::CASES);
            GoalEditPage {
                case_id: case_id.clone(),
                case_code: view.case.code.clone(),
                goal_id: goal_id.clone(),
                version,
                type_options: type_options(&t, &form.support_type),
                staff_options: staff_options(&staff, &form.responsible),
                form,
                conflict,
                errors,
                ctx,
            }
        };
    let Some(expected_version) = expected_version else {
        return Err(WebError::BadRequest(crate::error::MessageKey(
            "error-malformed-form",
        )));
    };
    let checked = match check_goal(&t, &form, &staff) {
        Ok(checked) => checked,
        Err(errors) => {
            return Ok(with_status(
                edit_page(form, expected_version, Vec::new(), errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };

    let (id, goal) = (case_id.clone(), goal_id.clone());
    let result = state
        .store
        .run(move |db| plan::update_goal(db, &id, &goal, expected_version, &checked.fields()))
        .await;
    match result {
        Ok(()) => {
            audit(
                &state,
                &user,
                "case.plan.goal.update",
                &case_id,
                Outcome::Success,
                json!({ "goal_id": goal_id, "version": expected_version + 1 }),
            )
            .await?;
            Ok(redirect_to_plan(&case_id))
        }
        Err(StoreError::Conflict("stale")) => {
            audit(
                &state,
                &user,
                "case.plan.goal.update",
                &case_id,
                Outcome::Failure,
                json!({ "goal_id": goal_id, "reason": "stale" }),
            )
            .await?;
            let (id, goal) = (case_id.clone(), goal_id.clone());
            let current = state
                .store
                .run(move |db| plan::get_goal(db, &id, &goal))
                .await?;
            let name = |id: &str| {
                staff
                    .iter()
                    .find(|member| member.id == id)
                    .map(|member| member.username.clone())
                    .unwrap_or_default()
            };
            let row = |key: &str, current: String, typed: String| ConflictRow {
                label: t.t(key),
                current,
                typed,
            };
            let conflict = vec![
                row(
                    "plan-field-type",
                    type_label(&t, &current.support_type),
                    type_label(&t, &form.support_type),
                ),
                row(
                    "plan-field-description",
                    current.description.clone(),
                    form.description.clone(),
                ),
                row(
                    "plan-field-responsible",
                    current.responsible_username.clone(),
                    name(&form.responsible),
                ),
                row(
                    "plan-field-agreed-on",
                    current.agreed_on.to_string(),
                    form.agreed_on.clone(),
                ),
                row(
                    "plan-field-due-on",
                    current.due_on.to_string(),
                    form.due_on.clone(),
                ),
                row(
                    "plan-field-next-review-on",
                    current
                        .next_review_on
                        .map(|date| date.to_string())
                        .unwrap_or_default(),
                    form.next_review_on.clone(),
                ),
            ];
            // The form keeps what the user typed and carries the version just
            // shown, so saving again overwrites only what the user has seen.
            Ok(with_status(
                edit_page(form, current.version, conflict, FieldErrors::new()),
                StatusCode::CONFLICT,
            ))
        }
        Err(error) => conflict_page(&state, &user, &view, error).await,
    }
}

/// `POST /cases/{id}/plan/goals/{goal_id}/actions`: adds an action to a goal.
pub async fn add_action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, goal_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    require_editor(&user)?;
    let staff = load_staff(&state, &view).await?;

    let description = field(&pairs, "description");
    let responsible = field(&pairs, "responsible");
    let due_text = field(&pairs, "due_on");
    let due_on = parse_date(&due_text);
    let valid = !description.is_empty()
        && description.chars().count() <= MAX_TEXT_CHARS
        && staff.iter().any(|member| member.id == responsible)
        && (due_text.is_empty() || due_on.is_some());
    if !valid {
        return plan_notice(
            &state,
            &user,
            &view,
            "plan-error-action",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (id, goal) = (case_id.clone(), goal_id.clone());
    let result = state
        .store
        .run(move |db| {
            plan::add_action(
                db,
                &NewAction {
                    case_id: &id,
                    goal_id: &goal,
                    description: &description,
                    responsible_user_id: &responsible,
                    due_on,
                },
            )
        })
        .await;
    match result {
        Ok(action_id) => {
            audit(
                &state,
                &user,
                "case.plan.action.create",
                &case_id,
                Outcome::Success,
                json!({ "goal_id": goal_id, "action_id": action_id }),
            )
            .await?;
            Ok(redirect_to_plan(&case_id))
        }
        Err(error) => conflict_page(&state, &user, &view, error).await,
    }
}

/// Which decision a plan form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Submit,
    Approve,
    Return,
}

impl Step {
    fn action(self) -> &'static str {
        match self {
            Step::Submit => "case.plan.submit",
            Step::Approve => "case.plan.approve",
            Step::Return => "case.plan.return",
        }
    }
}

async fn change_status(
    state: AppState,
    user: CurrentUser,
    case_id: String,
    pairs: Vec<(String, String)>,
    step: Step,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    match step {
        Step::Submit => require_editor(&user)?,
        Step::Approve | Step::Return => {
            if !user.can(Permission::CoordinateCases) {
                audit(
                    &state,
                    &user,
                    step.action(),
                    &case_id,
                    Outcome::Denied,
                    json!({ "reason": "permission" }),
                )
                .await?;
                return Err(WebError::Forbidden);
            }
        }
    }
    let Ok(version) = field(&pairs, "version").parse::<i32>() else {
        return Err(WebError::BadRequest(crate::error::MessageKey(
            "error-malformed-form",
        )));
    };
    let comment = field(&pairs, "comment");
    if step == Step::Return && (comment.is_empty() || comment.chars().count() > MAX_TEXT_CHARS) {
        return plan_notice(
            &state,
            &user,
            &view,
            "plan-error-comment",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    let (id, by) = (case_id.clone(), user.user.id.clone());
    let result = state
        .store
        .run(move |db| match step {
            Step::Submit => plan::submit(db, &id, version, &by),
            Step::Approve => plan::approve(db, &id, version, &by),
            Step::Return => plan::return_plan(db, &id, version, &by, &comment),
        })
        .await;
    match result {
        Ok(()) => {
            audit(
                &state,
                &user,
                step.action(),
                &case_id,
                Outcome::Success,
                json!({ "version": version + 1 }),
            )
            .await?;
            Ok(redirect_to_plan(&case_id))
        }
        Err(StoreError::Conflict("own_plan")) => {
            audit(
                &state,
                &user,
                step.action(),
                &case_id,
                Outcome::Denied,
                json!({ "reason": "own_plan" }),
            )
            .await?;
            Err(WebError::Forbidden)
        }
        Err(error) => conflict_page(&state, &user, &view, error).await,
    }
}

/// `POST /cases/{id}/plan/submit`: submits the plan for approval.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    change_status(state, user, case_id, pairs, Step::Submit).await
}

/// `POST /cases/{id}/plan/approve`: a coordinator approves a plan they did
/// not submit; anyone else gets 403.
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    change_status(state, user, case_id, pairs, Step::Approve).await
}

/// `POST /cases/{id}/plan/return`: a coordinator returns the plan with a
/// comment (field `comment`, required).
pub async fn return_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    change_status(state, user, case_id, pairs, Step::Return).await
}

/// `POST /cases/{id}/plan/reviews`: records a review with the progress of
/// every goal (`progress_{goal_id}`, `note_{goal_id}`). The review date must
/// lie between the plan's creation and today, the next review after it.
pub async fn add_review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.plan.view").await?;
    require_editor(&user)?;
    let id = case_id.clone();
    let (plan, goals) = state
        .store
        .run(move |db| Ok((plan::get_plan(db, &id)?, plan::list_goals(db, &id)?)))
        .await?;
    let Some(plan) = plan else {
        return Err(WebError::NotFound);
    };

    let reviewed_on = parse_date(&field(&pairs, "reviewed_on"));
    let next_text = field(&pairs, "review_next_on");
    let next_review_on = parse_date(&next_text);
    let created_on = plan.created_at.date();
    let dates_valid = reviewed_on.is_some_and(|date| date >= created_on && date <= today())
        && (next_text.is_empty()
            || next_review_on.is_some_and(|next| reviewed_on.is_some_and(|date| next > date)));
    let mut entries = Vec::new();
    let mut entries_valid = true;
    for goal in &goals {
        let progress = field(&pairs, &format!("progress_{}", goal.id));
        let note = field(&pairs, &format!("note_{}", goal.id));
        if !PROGRESS.contains(&progress.as_str()) || note.chars().count() > MAX_TEXT_CHARS {
            entries_valid = false;
        }
        entries.push(ReviewEntry {
            goal_id: goal.id.clone(),
            progress,
            note: Some(note).filter(|note| !note.is_empty()),
        });
    }
    let Some(reviewed_on) =
        reviewed_on.filter(|_| dates_valid && entries_valid && !entries.is_empty())
    else {
        let key = if dates_valid {
            "plan-error-review"
        } else {
            "plan-error-review-dates"
        };
        return plan_notice(&state, &user, &view, key, StatusCode::UNPROCESSABLE_ENTITY).await;
    };

    let (id, by) = (case_id.clone(), user.user.id.clone());
    let goal_count = entries.len();
    let review_id = state
        .store
        .run(move |db| {
            plan::record_review(
                db,
                &NewReview {
                    case_id: &id,
                    reviewed_on,
                    next_review_on: next_review_on.filter(|_| !next_text.is_empty()),
                    reviewed_by: &by,
                    entries: &entries,
                },
            )
        })
        .await?;
    audit(
        &state,
        &user,
        "case.plan.review.create",
        &case_id,
        Outcome::Success,
        json!({ "review_id": review_id, "goals": goal_count }),
    )
    .await?;
    Ok(redirect_to_plan(&case_id))
}

/// The overdue goals the user is responsible for, for the home page; empty
/// for roles without case access.
pub async fn overdue_items(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<OverdueItem>, WebError> {
    if !user.can(Permission::AccessCases) {
        return Ok(Vec::new());
    }
    let user_id = user.user.id.clone();
    let goals = state
        .store
        .run(move |db| plan::overdue_for_user(db, &user_id, today()))
        .await?;
    let t = Translator::new(user.locale);
    Ok(goals
        .into_iter()
        .map(|goal| OverdueItem {
            case_code: goal.case_code,
            goal_type: type_label(&t, &goal.support_type),
            due_on: t.format_date(&goal.due_on),
            href: format!("/cases/{}/plan", goal.case_id),
        })
        .collect())
}
