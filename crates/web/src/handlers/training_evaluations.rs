//! Evaluation questionnaires and their indicators.
//!
//! - `GET`/`POST /training/evaluations/{id}`: the trainee's end-of-course
//!   or three-month follow-up questionnaire (five-point scales and a
//!   comment). Only the trainee it belongs to may open it (anyone else gets
//!   404); it is answered once, a second answer gets a 409 page saying so.
//!   Answering is audited without the answers.
//! - `GET /training/manage/evaluations`: for trainers and coordinators, the
//!   two AMIF result indicators per course and in total, with the counts
//!   behind each share.

use crate::routes::{Routes, get};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::evaluation::{Likert, LikertSummary, Share};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::training::evaluations::{self, Answer, Evaluation, Indicators, Kind};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::{render, today};
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::training_courses::TRAINING;
use crate::pages::training_sessions::{
    EvaluationClosedPage, EvaluationIndicatorsPage, EvaluationPage, IndicatorRow, LikertChoice,
    LikertQuestion, MANAGE_EVALUATIONS, evaluation_href,
};
use crate::state::AppState;

/// Longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// The page routes.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/training/evaluations/{id}",
            get(evaluation_form).post(evaluation_answer),
        )
        .route(MANAGE_EVALUATIONS, get(indicators))
}

fn course_title(locale: Locale, evaluation: &Evaluation) -> String {
    match locale {
        Locale::En => evaluation.course_title_en.clone(),
        _ => evaluation.course_title_el.clone(),
    }
}

/// The Likert questions of a questionnaire, with their form names and
/// message keys.
fn questions_of(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::EndOfCourse => &[
            ("usefulness", "evaluation-question-usefulness"),
            ("quality", "evaluation-question-quality"),
        ],
        Kind::FollowUp => &[("still_using", "evaluation-question-still-using")],
    }
}

/// The answers as submitted, echoed back on an error.
#[derive(Debug, Default, Deserialize)]
pub struct AnswerInput {
    #[serde(default)]
    usefulness: String,
    #[serde(default)]
    quality: String,
    #[serde(default)]
    still_using: String,
    #[serde(default)]
    comment: String,
}

impl AnswerInput {
    fn value(&self, name: &str) -> &str {
        match name {
            "usefulness" => &self.usefulness,
            "quality" => &self.quality,
            "still_using" => &self.still_using,
            _ => "",
        }
    }
}

fn evaluation_page(
    user: &CurrentUser,
    evaluation: &Evaluation,
    input: &AnswerInput,
    errors: FieldErrors,
) -> EvaluationPage {
    let ctx = user.page(TRAINING);
    let t = ctx.t;
    let scale: Vec<String> = (1..=5)
        .map(|value| t.t(&format!("evaluation-scale-{value}")))
        .collect();
    let questions = questions_of(evaluation.kind)
        .iter()
        .map(|(name, key)| {
            let typed = input.value(name).trim();
            LikertQuestion {
                name,
                label: t.t(key),
                choices: (1u8..=5)
                    .map(|value| LikertChoice {
                        value,
                        label: scale[usize::from(value) - 1].clone(),
                        checked: typed == value.to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    let (title, intro) = match evaluation.kind {
        Kind::EndOfCourse => ("evaluation-title-end", "evaluation-intro-end"),
        Kind::FollowUp => ("evaluation-title-follow-up", "evaluation-intro-follow-up"),
    };
    EvaluationPage {
        title: t.t(title),
        intro: t.t(intro),
        course_title: course_title(user.locale, evaluation),
        questions,
        comment: input.comment.clone(),
        max_comment: MAX_COMMENT_CHARS,
        errors,
        action: evaluation_href(&evaluation.id),
        ctx,
    }
}

fn closed_page(
    user: &CurrentUser,
    evaluation: &Evaluation,
    key: &str,
    status: StatusCode,
) -> Result<Response, WebError> {
    let ctx = user.page(TRAINING);
    let message = ctx.t.t(key);
    let mut response = render(&EvaluationClosedPage {
        course_title: course_title(user.locale, evaluation),
        message,
        back_href: TRAINING,
        ctx,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Loads the trainee's own evaluation; any other id is 404.
async fn own_evaluation(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<Evaluation, WebError> {
    user.require(Permission::TakeTraining)?;
    let evaluation = state.store.run(move |db| evaluations::get(db, &id)).await?;
    if evaluation.trainee_id != user.user.id {
        return Err(WebError::NotFound);
    }
    Ok(evaluation)
}

/// `GET /training/evaluations/{id}`: the questionnaire, or why it is
/// closed.
pub async fn evaluation_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let evaluation = own_evaluation(&state, &user, id).await?;
    if evaluation.answered_at.is_some() {
        return closed_page(
            &user,
            &evaluation,
            "evaluation-already-answered",
            StatusCode::OK,
        );
    }
    if evaluation.due_on > today() {
        return closed_page(&user, &evaluation, "evaluation-not-due", StatusCode::OK);
    }
    render(&evaluation_page(
        &user,
        &evaluation,
        &AnswerInput::default(),
        FieldErrors::new(),
    ))
}

/// Checks the answers against the questionnaire.
fn check_answers(t: &Translator, kind: Kind, input: &AnswerInput) -> Result<Answer, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut scale = |name: &'static str| match Likert::parse(input.value(name)) {
        Ok(value) => Some(value),
        Err(_) => {
            let key = if input.value(name).trim().is_empty() {
                "evaluation-error-required"
            } else {
                "evaluation-error-scale"
            };
            errors.add(name, t.t(key));
            None
        }
    };
    let answers: Vec<Option<Likert>> = questions_of(kind)
        .iter()
        .map(|(name, _)| scale(name))
        .collect();
    let comment = input.comment.trim();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        errors.add(
            "comment",
            t.t1(
                "evaluation-error-comment-too-long",
                "max",
                MAX_COMMENT_CHARS,
            ),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let comment = (!comment.is_empty()).then(|| comment.to_owned());
    match (kind, answers.as_slice()) {
        (Kind::EndOfCourse, [Some(usefulness), Some(quality)]) => Ok(Answer::EndOfCourse {
            usefulness: *usefulness,
            quality: *quality,
            comment,
        }),
        (Kind::FollowUp, [Some(still_using)]) => Ok(Answer::FollowUp {
            still_using: *still_using,
            comment,
        }),
        _ => Err(errors),
    }
}

/// `POST /training/evaluations/{id}`: records the answers once.
pub async fn evaluation_answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(input): Form<AnswerInput>,
) -> Result<Response, WebError> {
    let evaluation = own_evaluation(&state, &user, id).await?;
    if evaluation.answered_at.is_some() {
        return closed_page(
            &user,
            &evaluation,
            "evaluation-already-answered",
            StatusCode::CONFLICT,
        );
    }
    let t = Translator::new(user.locale);
    let answer = match check_answers(&t, evaluation.kind, &input) {
        Ok(answer) => answer,
        Err(errors) => {
            let mut response = render(&evaluation_page(&user, &evaluation, &input, errors))?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let evaluation_id = evaluation.id.clone();
    let trainee = user.user.id.clone();
    let result = state
        .store
        .run(move |db| {
            Ok(evaluations::answer(
                db,
                &evaluation_id,
                &trainee,
                &answer,
                today(),
            ))
        })
        .await?;
    let recomputed = match result {
        Ok(recomputed) => recomputed,
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(StoreError::Conflict("already_answered")) => {
            return closed_page(
                &user,
                &evaluation,
                "evaluation-already-answered",
                StatusCode::CONFLICT,
            );
        }
        Err(StoreError::Conflict("not_due")) => {
            return closed_page(
                &user,
                &evaluation,
                "evaluation-not-due",
                StatusCode::CONFLICT,
            );
        }
        Err(error) => return Err(error.into()),
    };
    let event = AuditEvent::new("training.evaluation.answer", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("evaluation", &evaluation.id)
        .details(json!({
            "course_id": evaluation.course_id,
            "kind": evaluation.kind.as_str(),
            "completed_now": recomputed.completed_now,
        }));
    record(&state.store, event).await?;
    Ok(Redirect::to(TRAINING).into_response())
}

// --- Indicators ---------------------------------------------------------------

fn percent(locale: Locale, share: Share) -> String {
    match share.percent() {
        Some(value) => {
            let text = format!("{value:.0}%");
            match locale {
                Locale::En => text,
                _ => text.replace('.', ","),
            }
        }
        None => "—".to_owned(),
    }
}

fn mean(locale: Locale, summary: &LikertSummary) -> String {
    match summary.mean {
        Some(value) => {
            let text = format!("{value:.1}");
            match locale {
                Locale::En => text,
                _ => text.replace('.', ","),
            }
        }
        None => "—".to_owned(),
    }
}

fn indicator_row(locale: Locale, course: String, indicators: &Indicators) -> IndicatorRow {
    let useful = indicators.usefulness.useful;
    let still_using = indicators.skills_in_use.still_using;
    IndicatorRow {
        course,
        useful: useful.numerator,
        useful_of: useful.denominator,
        useful_percent: percent(locale, useful),
        useful_blank: indicators.usefulness.blank,
        quality_mean: mean(locale, &indicators.quality_summary),
        still_using: still_using.numerator,
        still_using_of: still_using.denominator,
        still_using_percent: percent(locale, still_using),
        follow_up_invited: indicators.skills_in_use.response_rate.denominator,
        too_early: indicators.skills_in_use.too_early,
    }
}

/// `GET /training/manage/evaluations`: the two result indicators.
pub async fn indicators(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let report = state.store.run(evaluations::indicators).await?;
    let ctx = user.page(MANAGE_EVALUATIONS);
    let t = ctx.t;
    let locale = user.locale;
    let rows = report
        .courses
        .iter()
        .map(|course| {
            let title = match locale {
                Locale::En => course.title_en.clone(),
                _ => course.title_el.clone(),
            };
            indicator_row(locale, title, &course.indicators)
        })
        .collect();
    let total = indicator_row(locale, t.t("evaluations-all-courses"), &report.total);
    render(&EvaluationIndicatorsPage { ctx, rows, total })
}
