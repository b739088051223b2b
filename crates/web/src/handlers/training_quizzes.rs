//! The question bank, quizzes, attempts and the learning-gain report.
//!
//! Trainers and coordinators (`ManageTraining`):
//! - `GET /training/manage/courses/{id}/questions` (by tag, paginated),
//!   `GET`/`POST .../questions/new?kind=…`, `GET`/`POST
//!   .../questions/{question_id}`, `POST .../questions/{question_id}/retire`.
//! - `GET`/`POST /training/manage/courses/{id}/quizzes`, `GET`/`POST
//!   .../quizzes/{quiz_id}`: the quiz editor; draws the bank cannot fill are
//!   shown with the tags short or as an overlap.
//! - `GET /training/manage/courses/{id}/gain` and `.../gain.csv`.
//!
//! Trainees (`TakeTraining`): `GET`/`POST /training/quizzes/{quiz_id}`
//! (rules, attempts left, start or resume), `GET`/`POST
//! /training/attempts/{attempt_id}` (the form, the submission, the result).
//! A rejected submission changes nothing and shows the form as sent.

use std::collections::{BTreeMap, BTreeSet};

use crate::routes::{Routes, get, post};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::gain::{GroupGain, IndividualGain};
use procap_domain::training::question::{
    Answer, AnswerError, MultipleChoiceScoring, Outcome, Question, QuestionBody, QuestionKind,
};
use procap_domain::training::quiz::{
    AttemptError, LateRule, QuizRules, SelectionError, TagDraw, Timeliness,
};
use procap_domain::training::{Points, QuestionId, QuestionTexts, QuestionWording};
use procap_store::audit::{AuditEvent, Outcome as AuditOutcome};
use procap_store::training::courses;
use procap_store::training::quizzes::{
    self, AttemptRecord, GainReport, QuizError, QuizInput, QuizPurpose, StoredGrade, StoredQuiz,
};
use serde::Deserialize;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::training_quizzes::{
    FormField, FormSection, GainPage, GainTable, LinkRow, QuestionListPage, QuizFormPage,
    QuizResultPage, QuizStartPage, ResultRow,
};
use crate::pages::{FieldErrors, Pagination, SelectOption};
use crate::state::AppState;

const PER_PAGE: i64 = 25;
const OPTION_ROWS: usize = 6;
const PAIR_ROWS: usize = 5;
const DISTRACTOR_ROWS: usize = 2;
const SUB_QUESTIONS: usize = 3;
const SUB_OPTION_ROWS: usize = 4;
const DRAW_ROWS: usize = 5;
const OUTCOMES: [Outcome; 4] = [
    Outcome::Correct,
    Outcome::PartiallyCorrect,
    Outcome::Incorrect,
    Outcome::Unanswered,
];
const KINDS: [QuestionKind; 8] = [
    QuestionKind::SingleChoice,
    QuestionKind::MultipleChoice,
    QuestionKind::TrueFalse,
    QuestionKind::ShortText,
    QuestionKind::Numeric,
    QuestionKind::Matching,
    QuestionKind::Ordering,
    QuestionKind::Scenario,
];
/// Kinds a scenario's sub-question may have in the form.
const SUB_KINDS: [QuestionKind; 4] = [
    QuestionKind::SingleChoice,
    QuestionKind::TrueFalse,
    QuestionKind::ShortText,
    QuestionKind::Numeric,
];

/// The routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route("/training/manage/courses/{id}/questions", get(bank))
        .route(
            "/training/manage/courses/{id}/questions/new",
            get(new_question).post(create_question),
        )
        .route(
            "/training/manage/courses/{id}/questions/{question_id}",
            get(edit_question).post(save_question),
        )
        .route(
            "/training/manage/courses/{id}/questions/{question_id}/retire",
            post(retire_question),
        )
        .route(
            "/training/manage/courses/{id}/quizzes",
            get(quiz_editor).post(create_quiz),
        )
        .route(
            "/training/manage/courses/{id}/quizzes/{quiz_id}",
            get(edit_quiz).post(save_quiz),
        )
        .route("/training/manage/courses/{id}/gain", get(gain))
        .route("/training/manage/courses/{id}/gain.csv", get(gain_csv))
        .route("/training/quizzes/{quiz_id}", get(quiz_start).post(start))
        .route("/training/attempts/{attempt_id}", get(attempt).post(submit))
}

fn manage_href(course_id: &str) -> String {
    format!("/training/manage/courses/{course_id}")
}

fn bank_href(course_id: &str) -> String {
    format!("{}/questions", manage_href(course_id))
}

fn quizzes_href(course_id: &str) -> String {
    format!("{}/quizzes", manage_href(course_id))
}

fn gain_href(course_id: &str) -> String {
    format!("{}/gain", manage_href(course_id))
}

fn quiz_href(quiz_id: &str) -> String {
    format!("/training/quizzes/{quiz_id}")
}

fn attempt_href(attempt_id: &str) -> String {
    format!("/training/attempts/{attempt_id}")
}

/// Form values by name; repeated names (checkbox groups) keep every value.
#[derive(Debug, Clone, Default)]
struct Values(BTreeMap<String, Vec<String>>);

impl Values {
    fn from_pairs(pairs: Vec<(String, String)>) -> Values {
        let mut values = Values::default();
        for (name, value) in pairs {
            values.0.entry(name).or_default().push(value);
        }
        values
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .get(name)
            .and_then(|values| values.last())
            .map_or("", String::as_str)
    }

    fn trimmed(&self, name: &str) -> String {
        self.get(name).trim().to_owned()
    }

    fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), vec![value.into()]);
    }

    fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.entry(name.into()).or_default().push(value.into());
    }
}

fn kind_key(kind: QuestionKind) -> String {
    format!("training-quiz-kind-{}", kind.as_str().replace('_', "-"))
}

fn parse_kind(value: &str) -> Option<QuestionKind> {
    KINDS.into_iter().find(|kind| kind.as_str() == value)
}

fn outcome_key(outcome: Outcome) -> String {
    format!(
        "training-quiz-outcome-{}",
        outcome.as_str().replace('_', "-")
    )
}

fn wording(texts: &QuestionTexts, locale: Locale) -> &QuestionWording {
    texts.wording(locale)
}

fn title_in(locale: Locale, el: &str, en: &str) -> String {
    match locale {
        Locale::El => el.to_owned(),
        Locale::En => en.to_owned(),
    }
}

// --- Question form: values <-> question -------------------------------------------

/// Fills form values from a stored question, under `prefix`.
fn question_values(values: &mut Values, prefix: &str, question: &Question, texts: &QuestionTexts) {
    let label = |id: &str, locale: Locale| -> String {
        texts
            .wording(locale)
            .labels
            .get(id)
            .cloned()
            .unwrap_or_default()
    };
    let p = |name: &str| format!("{prefix}{name}");
    values.set(p("kind"), question.kind().as_str());
    values.set(p("points"), question.max_points().to_string());
    values.set(p("prompt_el"), texts.el.prompt.clone());
    values.set(p("prompt_en"), texts.en.prompt.clone());
    for outcome in OUTCOMES {
        for (lang, wording) in [("el", &texts.el), ("en", &texts.en)] {
            if let Some(text) = wording.feedback.get(outcome.as_str()) {
                values.set(p(&format!("fb_{}_{lang}", outcome.as_str())), text.clone());
            }
        }
    }
    let mut set_rows = |row: &str, ids: &[String]| {
        for (index, id) in ids.iter().enumerate() {
            let n = index + 1;
            values.set(p(&format!("{row}{n}_id")), id.clone());
            values.set(p(&format!("{row}{n}_el")), label(id, Locale::El));
            values.set(p(&format!("{row}{n}_en")), label(id, Locale::En));
        }
    };
    match question.body() {
        QuestionBody::SingleChoice { options, correct } => {
            set_rows("opt", options);
            if let Some(index) = options.iter().position(|option| option == correct) {
                values.set(p("correct"), (index + 1).to_string());
            }
        }
        QuestionBody::MultipleChoice {
            options,
            correct,
            scoring,
        } => {
            set_rows("opt", options);
            for (index, option) in options.iter().enumerate() {
                if correct.contains(option) {
                    values.push(p("correct"), (index + 1).to_string());
                }
            }
            let scoring = match scoring {
                MultipleChoiceScoring::AllOrNothing => "all_or_nothing",
                MultipleChoiceScoring::Partial => "partial",
            };
            values.set(p("scoring"), scoring);
        }
        QuestionBody::TrueFalse { correct } => {
            values.set(p("correct"), if *correct { "true" } else { "false" });
        }
        QuestionBody::ShortText { accepted } => values.set(p("accepted"), accepted.join("\n")),
        QuestionBody::Numeric { value, tolerance } => {
            values.set(p("value"), value.to_string());
            values.set(p("tolerance"), tolerance.to_string());
        }
        QuestionBody::Matching { pairs, distractors } => {
            let lefts: Vec<String> = pairs.keys().cloned().collect();
            set_rows("left", &lefts);
            let rights: Vec<String> = pairs.values().cloned().collect();
            set_rows("right", &rights);
            let distractors: Vec<String> = distractors.iter().cloned().collect();
            set_rows("distractor", &distractors);
        }
        QuestionBody::Ordering { correct } => set_rows("item", correct),
        QuestionBody::Scenario { questions } => {
            for (index, sub) in questions.iter().enumerate() {
                let sub_prefix = format!("{prefix}sub{}_", index + 1);
                let sub_texts = QuestionTexts {
                    el: texts
                        .el
                        .parts
                        .get(sub.id().as_str())
                        .cloned()
                        .unwrap_or_default(),
                    en: texts
                        .en
                        .parts
                        .get(sub.id().as_str())
                        .cloned()
                        .unwrap_or_default(),
                };
                values.set(format!("{sub_prefix}id"), sub.id().as_str());
                question_values(values, &sub_prefix, sub, &sub_texts);
            }
        }
    }
}

/// A problem with the question form, as a Fluent key.
type FormProblem = &'static str;

fn parse_points(value: &str) -> Option<Points> {
    let value = value.trim().replace(',', ".");
    let number: f64 = value.parse().ok()?;
    if !number.is_finite() || number <= 0.0 || number > 10_000.0 {
        return None;
    }
    let hundredths = (number * 100.0).round();
    Some(Points::from_hundredths(hundredths as u32))
}

fn parse_number(value: &str) -> Option<f64> {
    let number: f64 = value.trim().replace(',', ".").parse().ok()?;
    number.is_finite().then_some(number)
}

/// Reads rows `{row}{n}_id/_el/_en`, skipping blank ones; returns the ids
/// with their positions (1-based) and fills the labels.
fn read_rows(
    values: &Values,
    prefix: &str,
    row: &str,
    count: usize,
    texts: &mut QuestionTexts,
) -> Vec<(usize, String)> {
    let mut ids = Vec::new();
    for n in 1..=count {
        let id = values.trimmed(&format!("{prefix}{row}{n}_id"));
        if id.is_empty() {
            continue;
        }
        let el = values.trimmed(&format!("{prefix}{row}{n}_el"));
        let en = values.trimmed(&format!("{prefix}{row}{n}_en"));
        texts.el.labels.insert(id.clone(), el);
        texts.en.labels.insert(id.clone(), en);
        ids.push((n, id));
    }
    ids
}

/// Builds a question (and its wording) from the form under `prefix`.
fn parse_question(
    values: &Values,
    prefix: &str,
    kind: QuestionKind,
    id: QuestionId,
    tags: Vec<String>,
) -> Result<(Question, QuestionTexts), FormProblem> {
    let p = |name: &str| format!("{prefix}{name}");
    let mut texts = QuestionTexts::default();
    texts.el.prompt = values.trimmed(&p("prompt_el"));
    texts.en.prompt = values.trimmed(&p("prompt_en"));
    if texts.el.prompt.is_empty() || texts.en.prompt.is_empty() {
        return Err("training-quiz-error-prompt");
    }
    for outcome in OUTCOMES {
        for (lang, wording) in [("el", &mut texts.el), ("en", &mut texts.en)] {
            let text = values.trimmed(&p(&format!("fb_{}_{lang}", outcome.as_str())));
            if !text.is_empty() {
                wording.feedback.insert(outcome.as_str().to_owned(), text);
            }
        }
    }
    let points = if kind == QuestionKind::Scenario {
        Points::whole(1)
    } else {
        parse_points(values.get(&p("points"))).ok_or("training-quiz-error-points")?
    };
    let body = match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let rows = if prefix.is_empty() {
                OPTION_ROWS
            } else {
                SUB_OPTION_ROWS
            };
            let options = read_rows(values, prefix, "opt", rows, &mut texts);
            let chosen: BTreeSet<String> = values
                .all(&p("correct"))
                .iter()
                .filter_map(|n| {
                    options
                        .iter()
                        .find(|(position, _)| position.to_string() == *n)
                        .map(|(_, id)| id.clone())
                })
                .collect();
            let ids: Vec<String> = options.into_iter().map(|(_, id)| id).collect();
            if kind == QuestionKind::SingleChoice {
                let correct = chosen
                    .into_iter()
                    .next()
                    .ok_or("training-quiz-error-correct")?;
                QuestionBody::SingleChoice {
                    options: ids,
                    correct,
                }
            } else {
                let scoring = if values.get(&p("scoring")) == "partial" {
                    MultipleChoiceScoring::Partial
                } else {
                    MultipleChoiceScoring::AllOrNothing
                };
                QuestionBody::MultipleChoice {
                    options: ids,
                    correct: chosen,
                    scoring,
                }
            }
        }
        QuestionKind::TrueFalse => match values.get(&p("correct")) {
            "true" => QuestionBody::TrueFalse { correct: true },
            "false" => QuestionBody::TrueFalse { correct: false },
            _ => return Err("training-quiz-error-correct"),
        },
        QuestionKind::ShortText => QuestionBody::ShortText {
            accepted: values
                .get(&p("accepted"))
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        QuestionKind::Numeric => QuestionBody::Numeric {
            value: parse_number(values.get(&p("value"))).ok_or("training-quiz-error-number")?,
            tolerance: parse_number(values.get(&p("tolerance")))
                .or_else(|| values.get(&p("tolerance")).trim().is_empty().then_some(0.0))
                .ok_or("training-quiz-error-number")?,
        },
        QuestionKind::Matching => {
            let lefts = read_rows(values, prefix, "left", PAIR_ROWS, &mut texts);
            let rights = read_rows(values, prefix, "right", PAIR_ROWS, &mut texts);
            let mut pairs = BTreeMap::new();
            for (position, left) in lefts {
                let right = rights
                    .iter()
                    .find(|(n, _)| *n == position)
                    .map(|(_, id)| id.clone())
                    .ok_or("training-quiz-error-pairs")?;
                pairs.insert(left, right);
            }
            let distractors = read_rows(values, prefix, "distractor", DISTRACTOR_ROWS, &mut texts)
                .into_iter()
                .map(|(_, id)| id)
                .collect();
            QuestionBody::Matching { pairs, distractors }
        }
        QuestionKind::Ordering => QuestionBody::Ordering {
            correct: read_rows(values, prefix, "item", OPTION_ROWS, &mut texts)
                .into_iter()
                .map(|(_, id)| id)
                .collect(),
        },
        QuestionKind::Scenario => {
            let mut questions = Vec::new();
            for n in 1..=SUB_QUESTIONS {
                let sub_prefix = format!("{prefix}sub{n}_");
                let Some(sub_kind) = parse_kind(values.get(&format!("{sub_prefix}kind"))) else {
                    continue;
                };
                let mut sub_id = values.trimmed(&format!("{sub_prefix}id"));
                if sub_id.is_empty() {
                    sub_id = format!("part{n}");
                }
                let (sub, sub_texts) = parse_question(
                    values,
                    &sub_prefix,
                    sub_kind,
                    QuestionId::new(sub_id.clone()),
                    Vec::new(),
                )?;
                texts.el.parts.insert(sub_id.clone(), sub_texts.el);
                texts.en.parts.insert(sub_id, sub_texts.en);
                questions.push(sub);
            }
            QuestionBody::Scenario { questions }
        }
    };
    let question =
        Question::new(id, tags, points, body).map_err(|_| "training-quiz-error-definition")?;
    Ok((question, texts))
}

fn t_lang(t: &Translator, key: &str, lang: &str) -> String {
    t.t1(key, "lang", t.t(&format!("training-quiz-lang-{lang}")))
}

/// Builds the kind-specific sections of the question form under `prefix`.
fn question_sections(
    t: &Translator,
    values: &Values,
    prefix: &str,
    kind: QuestionKind,
    heading: String,
) -> Vec<FormSection> {
    let p = |name: &str| format!("{prefix}{name}");
    let text = |name: &str, key: &str, lang: &str| {
        FormField::textarea(&p(name), t_lang(t, key, lang), values.get(&p(name)))
    };
    let mut main = vec![
        text("prompt_el", "training-quiz-field-prompt", "el"),
        text("prompt_en", "training-quiz-field-prompt", "en"),
    ];
    if kind != QuestionKind::Scenario {
        main.push(FormField::number(
            &p("points"),
            t.t("training-quiz-field-points"),
            values.get(&p("points")),
        ));
    }
    let rows_fields = |row: &str, count: usize, key: &str| -> Vec<FormField> {
        let mut fields = Vec::new();
        for n in 1..=count {
            let id = format!("{row}{n}_id");
            fields.push(FormField::text(
                &p(&id),
                t.t1(&format!("{key}-id"), "n", n),
                values.get(&p(&id)),
            ));
            for lang in ["el", "en"] {
                let name = format!("{row}{n}_{lang}");
                fields.push(FormField::text(
                    &p(&name),
                    t.t2(
                        &format!("{key}-label"),
                        "n",
                        n,
                        "lang",
                        t.t(&format!("training-quiz-lang-{lang}")),
                    ),
                    values.get(&p(&name)),
                ));
            }
        }
        fields
    };
    let mut answer = Vec::new();
    match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let rows = if prefix.is_empty() {
                OPTION_ROWS
            } else {
                SUB_OPTION_ROWS
            };
            answer.extend(rows_fields("opt", rows, "training-quiz-field-option"));
            let chosen = values.all(&p("correct"));
            let options = (1..=rows)
                .map(|n| {
                    SelectOption::new(
                        n.to_string(),
                        t.t1("training-quiz-field-option-n", "n", n),
                        chosen.contains(&n.to_string()),
                    )
                })
                .collect();
            let group = if kind == QuestionKind::SingleChoice {
                "radio"
            } else {
                "checkboxes"
            };
            answer.push(FormField::choices(
                group,
                &p("correct"),
                t.t("training-quiz-field-correct"),
                options,
            ));
            if kind == QuestionKind::MultipleChoice {
                let scoring = values.get(&p("scoring"));
                answer.push(FormField::select(
                    &p("scoring"),
                    t.t("training-quiz-field-scoring"),
                    ["all_or_nothing", "partial"]
                        .into_iter()
                        .map(|value| {
                            SelectOption::new(
                                value,
                                t.t(&format!(
                                    "training-quiz-scoring-{}",
                                    value.replace('_', "-")
                                )),
                                scoring == value,
                            )
                        })
                        .collect(),
                ));
            }
        }
        QuestionKind::TrueFalse => {
            let chosen = values.get(&p("correct"));
            answer.push(FormField::choices(
                "radio",
                &p("correct"),
                t.t("training-quiz-field-correct"),
                vec![
                    SelectOption::new("true", t.t("training-quiz-true"), chosen == "true"),
                    SelectOption::new("false", t.t("training-quiz-false"), chosen == "false"),
                ],
            ));
        }
        QuestionKind::ShortText => answer.push(FormField::textarea(
            &p("accepted"),
            t.t("training-quiz-field-accepted"),
            values.get(&p("accepted")),
        )),
        QuestionKind::Numeric => {
            answer.push(FormField::number(
                &p("value"),
                t.t("training-quiz-field-value"),
                values.get(&p("value")),
            ));
            answer.push(FormField::number(
                &p("tolerance"),
                t.t("training-quiz-field-tolerance"),
                values.get(&p("tolerance")),
            ));
        }
        QuestionKind::Matching => {
            answer.extend(rows_fields("left", PAIR_ROWS, "training-quiz-field-left"));
            answer.extend(rows_fields("right", PAIR_ROWS, "training-quiz-field-right"));
            answer.extend(rows_fields(
                "distractor",
                DISTRACTOR_ROWS,
                "training-quiz-field-distractor",
            ));
        }
        QuestionKind::Ordering => {
            answer.extend(rows_fields("item", OPTION_ROWS, "training-quiz-field-item"));
        }
        QuestionKind::Scenario => {}
    }
    let mut feedback = Vec::new();
    for outcome in OUTCOMES {
        for lang in ["el", "en"] {
            let name = format!("fb_{}_{lang}", outcome.as_str());
            feedback.push(FormField::text(
                &p(&name),
                t.t2(
                    "training-quiz-field-feedback",
                    "outcome",
                    t.t(&outcome_key(outcome)),
                    "lang",
                    t.t(&format!("training-quiz-lang-{lang}")),
                ),
                values.get(&p(&name)),
            ));
        }
    }
    let mut sections = vec![FormSection {
        legend: heading,
        intro: String::new(),
        fields: main,
    }];
    if !answer.is_empty() {
        sections.push(FormSection {
            legend: t.t("training-quiz-section-answer"),
            intro: t.t("training-quiz-section-answer-hint"),
            fields: answer,
        });
    }
    sections.push(FormSection {
        legend: t.t("training-quiz-section-feedback"),
        intro: String::new(),
        fields: feedback,
    });
    if kind == QuestionKind::Scenario {
        for n in 1..=SUB_QUESTIONS {
            let sub_prefix = format!("{prefix}sub{n}_");
            let sub_kind_value = values.get(&format!("{sub_prefix}kind"));
            let mut kind_fields = vec![FormField::select(
                &format!("{sub_prefix}kind"),
                t.t("training-quiz-field-sub-kind"),
                SUB_KINDS
                    .into_iter()
                    .map(|kind| {
                        SelectOption::new(
                            kind.as_str(),
                            t.t(&kind_key(kind)),
                            sub_kind_value == kind.as_str(),
                        )
                    })
                    .collect(),
            )];
            kind_fields.push(FormField::text(
                &format!("{sub_prefix}id"),
                t.t("training-quiz-field-sub-id"),
                values.get(&format!("{sub_prefix}id")),
            ));
            sections.push(FormSection {
                legend: t.t1("training-quiz-section-sub", "n", n),
                intro: t.t("training-quiz-section-sub-hint"),
                fields: kind_fields,
            });
            // Every sub-question shows the fields of every kind it may
            // have, so the form works without a script.
            let mut shown = BTreeSet::new();
            for sub_kind in SUB_KINDS {
                for section in question_sections(
                    t,
                    values,
                    &sub_prefix,
                    sub_kind,
                    t.t1("training-quiz-section-sub-texts", "n", n),
                ) {
                    let fields: Vec<FormField> = section
                        .fields
                        .into_iter()
                        .filter(|field| shown.insert(field.name.clone()))
                        .collect();
                    if !fields.is_empty() {
                        sections.push(FormSection {
                            legend: format!(
                                "{} · {}",
                                t.t1("training-quiz-section-sub", "n", n),
                                section.legend
                            ),
                            intro: String::new(),
                            fields,
                        });
                    }
                }
            }
        }
    }
    sections
}

fn question_form_page(
    user: &CurrentUser,
    course_id: &str,
    kind: QuestionKind,
    values: &Values,
    action: String,
    problem: Option<String>,
) -> QuizFormPage {
    let ctx = user.page(&bank_href(course_id));
    let t = ctx.t;
    let mut errors = FieldErrors::new();
    if let Some(problem) = problem {
        errors.add("", problem);
    }
    let mut sections = vec![FormSection {
        legend: t.t("training-quiz-section-question"),
        intro: String::new(),
        fields: vec![
            FormField::text("slug", t.t("training-quiz-field-slug"), values.get("slug")),
            FormField::text("tags", t.t("training-quiz-field-tags"), values.get("tags")),
        ],
    }];
    sections.extend(question_sections(
        &t,
        values,
        "",
        kind,
        t.t(&kind_key(kind)),
    ));
    QuizFormPage {
        title: t.t1("training-quiz-question-title", "kind", t.t(&kind_key(kind))),
        intro: vec![t.t("training-quiz-question-intro")],
        back_href: bank_href(course_id),
        action,
        submit_label: t.t("training-quiz-save"),
        errors,
        messages: Vec::new(),
        sections,
        deadline_iso: None,
        rows: Vec::new(),
        rows_title: String::new(),
        ctx,
    }
}

fn parse_tags(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|tag| tag.trim().to_lowercase())
        .filter(|tag| !tag.is_empty())
        .collect()
}

async fn load_course(state: &AppState, course_id: &str) -> Result<courses::Course, WebError> {
    let id = course_id.to_owned();
    Ok(state
        .store
        .run(move |db| courses::get_course(db, &id))
        .await?)
}

// --- Bank handlers ----------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct BankQuery {
    tag: Option<String>,
    retired: Option<String>,
    page: Option<i64>,
    kind: Option<String>,
}

/// `GET /training/manage/courses/{id}/questions`.
pub async fn bank(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Query(query): Query<BankQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let course = load_course(&state, &course_id).await?;
    let tag = query.tag.clone().filter(|tag| !tag.is_empty());
    let include_retired = query.retired.as_deref() == Some("1");
    let mut pagination = Pagination::new(query.page, PER_PAGE, 0, bank_href(&course_id));
    let (id, filter, offset) = (course_id.clone(), tag.clone(), pagination.offset());
    let page = state
        .store
        .run(move |db| {
            quizzes::list_questions(
                db,
                &id,
                filter.as_deref(),
                include_retired,
                offset,
                PER_PAGE,
            )
        })
        .await?;
    pagination.total = page.total;
    let pagination = pagination.with_params(vec![
        ("tag".to_owned(), tag.clone().unwrap_or_default()),
        (
            "retired".to_owned(),
            if include_retired { "1" } else { "" }.to_owned(),
        ),
    ]);
    let ctx = user.page(&bank_href(&course_id));
    let t = ctx.t;
    let locale = ctx.locale;
    let rows = page
        .questions
        .iter()
        .map(|stored| {
            let retired = stored.retired_at.is_some();
            LinkRow {
                label: format!(
                    "{} · {}",
                    stored.slug,
                    wording(&stored.texts, locale).prompt
                ),
                detail: format!(
                    "{} · {} · {}{}",
                    t.t(&kind_key(stored.kind())),
                    stored
                        .question
                        .tags()
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    t.t1(
                        "training-quiz-points",
                        "points",
                        t.format_points(stored.question.max_points())
                    ),
                    if retired {
                        format!(" · {}", t.t("training-quiz-retired"))
                    } else {
                        String::new()
                    }
                ),
                href: format!("{}/{}", bank_href(&course_id), stored.id),
                action_href: format!("{}/{}/retire", bank_href(&course_id), stored.id),
                action_label: if retired {
                    t.t("training-quiz-restore")
                } else {
                    t.t("training-quiz-retire")
                },
            }
        })
        .collect();
    let page = QuestionListPage {
        course_title: title_in(locale, &course.title_el, &course.title_en),
        course_href: manage_href(&course_id),
        tags: page
            .tags
            .iter()
            .map(|value| SelectOption::new(value, value, tag.as_deref() == Some(value)))
            .collect(),
        filter_action: bank_href(&course_id),
        include_retired,
        rows,
        new_links: KINDS
            .into_iter()
            .map(|kind| {
                (
                    t.t(&kind_key(kind)),
                    format!("{}/new?kind={}", bank_href(&course_id), kind.as_str()),
                )
            })
            .collect(),
        quizzes_href: quizzes_href(&course_id),
        gain_href: gain_href(&course_id),
        pagination,
        ctx,
    };
    render(&page)
}

/// `GET .../questions/new?kind=…`.
pub async fn new_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Query(query): Query<BankQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    load_course(&state, &course_id).await?;
    let kind = query
        .kind
        .as_deref()
        .and_then(parse_kind)
        .unwrap_or(QuestionKind::SingleChoice);
    let mut values = Values::default();
    values.set("kind", kind.as_str());
    values.set("points", "1");
    let action = format!("{}/new?kind={}", bank_href(&course_id), kind.as_str());
    render(&question_form_page(
        &user, &course_id, kind, &values, action, None,
    ))
}

fn problem_response(page: QuizFormPage, status: StatusCode) -> Result<Response, WebError> {
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// `POST .../questions/new?kind=…`.
pub async fn create_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Query(query): Query<BankQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    load_course(&state, &course_id).await?;
    let kind = query
        .kind
        .as_deref()
        .and_then(parse_kind)
        .unwrap_or(QuestionKind::SingleChoice);
    let values = Values::from_pairs(pairs);
    let action = format!("{}/new?kind={}", bank_href(&course_id), kind.as_str());
    save(&state, &user, &course_id, None, kind, values, action).await
}

async fn save(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
    existing: Option<String>,
    kind: QuestionKind,
    values: Values,
    action: String,
) -> Result<Response, WebError> {
    let t = Translator::new(user.locale);
    let slug = values.trimmed("slug");
    let fail = |key: &str| {
        problem_response(
            question_form_page(
                user,
                course_id,
                kind,
                &values,
                action.clone(),
                Some(t.t(key)),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if slug.is_empty() {
        return fail("training-quiz-error-slug");
    }
    let id = existing.clone().unwrap_or_else(procap_store::new_id);
    let (question, texts) = match parse_question(
        &values,
        "",
        kind,
        QuestionId::new(id),
        parse_tags(values.get("tags")),
    ) {
        Ok(parsed) => parsed,
        Err(key) => return fail(key),
    };
    let course = course_id.to_owned();
    let author = user.user.id.clone();
    let result = state
        .store
        .run(move |db| {
            let outcome = match existing {
                Some(_) => quizzes::update_question(db, &course, &slug, &question, &texts),
                None => quizzes::add_question(db, &course, &slug, &question, &texts, Some(&author))
                    .map(|_| ()),
            };
            Ok(outcome)
        })
        .await?;
    match result {
        Ok(()) => Ok(Redirect::to(&bank_href(course_id)).into_response()),
        Err(QuizError::SlugTaken) => fail("training-quiz-error-slug-taken"),
        Err(QuizError::Store(error)) => Err(error.into()),
        Err(other) => Err(WebError::Internal(anyhow::Error::new(other))),
    }
}

/// `GET .../questions/{question_id}`.
pub async fn edit_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, question_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let (course, id) = (course_id.clone(), question_id.clone());
    let stored = state
        .store
        .run(move |db| quizzes::get_question(db, &course, &id))
        .await?;
    let mut values = Values::default();
    values.set("slug", stored.slug.clone());
    values.set(
        "tags",
        stored
            .question
            .tags()
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    );
    question_values(&mut values, "", &stored.question, &stored.texts);
    let action = format!("{}/{question_id}", bank_href(&course_id));
    render(&question_form_page(
        &user,
        &course_id,
        stored.kind(),
        &values,
        action,
        None,
    ))
}

/// `POST .../questions/{question_id}`.
pub async fn save_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, question_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let (course, id) = (course_id.clone(), question_id.clone());
    let stored = state
        .store
        .run(move |db| quizzes::get_question(db, &course, &id))
        .await?;
    let action = format!("{}/{question_id}", bank_href(&course_id));
    save(
        &state,
        &user,
        &course_id,
        Some(question_id),
        stored.kind(),
        Values::from_pairs(pairs),
        action,
    )
    .await
}

/// `POST .../questions/{question_id}/retire`: retires an active question
/// or puts a retired one back. Retiring keeps past attempts intact, so it
/// needs no confirmation and can be undone.
pub async fn retire_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, question_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let course = course_id.clone();
    state
        .store
        .run(move |db| {
            let stored = quizzes::get_question(db, &course, &question_id)?;
            quizzes::set_retired(db, &course, &question_id, stored.retired_at.is_none())
        })
        .await?;
    Ok(Redirect::to(&bank_href(&course_id)).into_response())
}

// --- Quiz editor ------------------------------------------------------------------

fn quiz_values(quiz: &StoredQuiz) -> Values {
    let mut values = Values::default();
    values.set("purpose", quiz.purpose.as_str());
    values.set("slug", quiz.slug.clone());
    values.set("title_el", quiz.title_el.clone());
    values.set("title_en", quiz.title_en.clone());
    values.set("pass_mark", quiz.rules.pass_mark_percent().to_string());
    if let Some(limit) = quiz.rules.time_limit() {
        values.set("time_limit", (limit.num_seconds() / 60).to_string());
    }
    if let Some(limit) = quiz.rules.max_attempts() {
        values.set("max_attempts", limit.to_string());
    }
    values.set("late_rule", quiz.rules.late_rule().as_str());
    if quiz.required {
        values.set("required", "yes");
    }
    for (index, draw) in quiz.draws.iter().enumerate() {
        values.set(format!("draw{}_tag", index + 1), draw.tag.clone());
        values.set(format!("draw{}_count", index + 1), draw.count.to_string());
    }
    values
}

fn parse_quiz(values: &Values) -> Result<QuizInput, &'static str> {
    let purpose = QuizPurpose::parse(values.get("purpose")).ok_or("training-quiz-error-purpose")?;
    let slug = values.trimmed("slug");
    let title_el = values.trimmed("title_el");
    let title_en = values.trimmed("title_en");
    if slug.is_empty() || title_el.is_empty() || title_en.is_empty() {
        return Err("training-quiz-error-title");
    }
    let pass_mark: u8 = values
        .trimmed("pass_mark")
        .parse()
        .ok()
        .filter(|mark| *mark <= 100)
        .ok_or("training-quiz-error-pass-mark")?;
    let optional = |name: &str| -> Result<Option<u32>, &'static str> {
        let value = values.trimmed(name);
        if value.is_empty() {
            return Ok(None);
        }
        value
            .parse::<u32>()
            .ok()
            .filter(|number| *number > 0)
            .map(Some)
            .ok_or("training-quiz-error-limits")
    };
    let time_limit =
        optional("time_limit")?.map(|minutes| chrono::TimeDelta::minutes(i64::from(minutes)));
    let max_attempts = optional("max_attempts")?;
    let late_rule = LateRule::parse(values.get("late_rule")).unwrap_or_default();
    let rules = QuizRules::new(pass_mark, time_limit, max_attempts, late_rule)
        .map_err(|_| "training-quiz-error-limits")?;
    let mut draws = Vec::new();
    for n in 1..=DRAW_ROWS {
        let tag = values.trimmed(&format!("draw{n}_tag")).to_lowercase();
        let count = values.trimmed(&format!("draw{n}_count"));
        if tag.is_empty() && count.is_empty() {
            continue;
        }
        let count: usize = count
            .parse()
            .ok()
            .filter(|count| *count > 0)
            .ok_or("training-quiz-error-draws")?;
        if tag.is_empty() {
            return Err("training-quiz-error-draws");
        }
        draws.push(TagDraw { tag, count });
    }
    if draws.is_empty() {
        return Err("training-quiz-error-draws");
    }
    Ok(QuizInput {
        purpose,
        module_id: None,
        slug,
        title_el,
        title_en,
        rules,
        draws,
        required: values.get("required") == "yes",
    })
}

fn quiz_form_page(
    user: &CurrentUser,
    course_id: &str,
    values: &Values,
    action: String,
    problems: Vec<String>,
    quizzes: &[StoredQuiz],
) -> QuizFormPage {
    let ctx = user.page(&quizzes_href(course_id));
    let t = ctx.t;
    let locale = ctx.locale;
    let purpose = values.get("purpose");
    let late = values.get("late_rule");
    let mut draw_fields = Vec::new();
    for n in 1..=DRAW_ROWS {
        let tag = format!("draw{n}_tag");
        let count = format!("draw{n}_count");
        draw_fields.push(FormField::text(
            &tag,
            t.t1("training-quiz-field-draw-tag", "n", n),
            values.get(&tag),
        ));
        draw_fields.push(FormField::number(
            &count,
            t.t1("training-quiz-field-draw-count", "n", n),
            values.get(&count),
        ));
    }
    let sections = vec![
        FormSection {
            legend: t.t("training-quiz-section-quiz"),
            intro: String::new(),
            fields: vec![
                FormField::select(
                    "purpose",
                    t.t("training-quiz-field-purpose"),
                    QuizPurpose::ALL
                        .into_iter()
                        .map(|value| {
                            SelectOption::new(
                                value.as_str(),
                                t.t(&format!(
                                    "training-quiz-purpose-{}",
                                    value.as_str().replace('_', "-")
                                )),
                                purpose == value.as_str(),
                            )
                        })
                        .collect(),
                ),
                FormField::text("slug", t.t("training-quiz-field-slug"), values.get("slug")),
                FormField::text(
                    "title_el",
                    t_lang(&t, "training-quiz-field-title", "el"),
                    values.get("title_el"),
                ),
                FormField::text(
                    "title_en",
                    t_lang(&t, "training-quiz-field-title", "en"),
                    values.get("title_en"),
                ),
                FormField::number(
                    "pass_mark",
                    t.t("training-quiz-field-pass-mark"),
                    values.get("pass_mark"),
                ),
                FormField::number(
                    "time_limit",
                    t.t("training-quiz-field-time-limit"),
                    values.get("time_limit"),
                ),
                FormField::number(
                    "max_attempts",
                    t.t("training-quiz-field-max-attempts"),
                    values.get("max_attempts"),
                ),
                FormField::select(
                    "late_rule",
                    t.t("training-quiz-field-late-rule"),
                    [LateRule::ScoreZero, LateRule::Accept]
                        .into_iter()
                        .map(|rule| {
                            SelectOption::new(
                                rule.as_str(),
                                t.t(&format!(
                                    "training-quiz-late-{}",
                                    rule.as_str().replace('_', "-")
                                )),
                                late == rule.as_str(),
                            )
                        })
                        .collect(),
                ),
                FormField::checkbox(
                    "required",
                    t.t("training-quiz-field-required"),
                    values.get("required") == "yes",
                ),
            ],
        },
        FormSection {
            legend: t.t("training-quiz-section-draws"),
            intro: t.t("training-quiz-section-draws-hint"),
            fields: draw_fields,
        },
    ];
    QuizFormPage {
        title: t.t("training-quiz-editor-title"),
        intro: Vec::new(),
        back_href: bank_href(course_id),
        action,
        submit_label: t.t("training-quiz-save"),
        errors: FieldErrors::new(),
        messages: problems,
        sections,
        deadline_iso: None,
        rows: quizzes
            .iter()
            .map(|quiz| LinkRow {
                label: title_in(locale, &quiz.title_el, &quiz.title_en),
                detail: format!(
                    "· {} · {}",
                    t.t(&format!(
                        "training-quiz-purpose-{}",
                        quiz.purpose.as_str().replace('_', "-")
                    )),
                    quiz_href(&quiz.id)
                ),
                href: format!("{}/{}", quizzes_href(course_id), quiz.id),
                action_href: String::new(),
                action_label: String::new(),
            })
            .collect(),
        rows_title: t.t("training-quiz-list-title"),
        ctx,
    }
}

fn selection_messages(t: &Translator, error: &SelectionError) -> Vec<String> {
    match error {
        SelectionError::TooFew { shortages } if shortages.is_empty() => {
            vec![t.t("training-quiz-error-draws")]
        }
        SelectionError::TooFew { shortages } => shortages
            .iter()
            .map(|shortage| {
                t.t_args(
                    "training-quiz-error-shortage",
                    &[
                        ("tag", shortage.tag.clone().into()),
                        ("wanted", shortage.wanted.into()),
                        ("available", shortage.available.into()),
                    ],
                )
            })
            .collect(),
        SelectionError::Overlap { wanted, available } => vec![t.t2(
            "training-quiz-error-overlap",
            "wanted",
            *wanted,
            "available",
            *available,
        )],
        SelectionError::DuplicateQuestion(_) => vec![t.t("training-quiz-error-definition")],
    }
}

async fn course_quizzes(state: &AppState, course_id: &str) -> Result<Vec<StoredQuiz>, WebError> {
    let id = course_id.to_owned();
    Ok(state
        .store
        .run(move |db| quizzes::list_quizzes(db, &id))
        .await?)
}

/// `GET /training/manage/courses/{id}/quizzes`: the list and a new quiz.
pub async fn quiz_editor(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    load_course(&state, &course_id).await?;
    let list = course_quizzes(&state, &course_id).await?;
    let mut values = Values::default();
    values.set("purpose", "module");
    values.set("pass_mark", "60");
    values.set("late_rule", "score_zero");
    render(&quiz_form_page(
        &user,
        &course_id,
        &values,
        quizzes_href(&course_id),
        Vec::new(),
        &list,
    ))
}

/// `GET .../quizzes/{quiz_id}`.
pub async fn edit_quiz(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, quiz_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let id = quiz_id.clone();
    let quiz = state
        .store
        .run(move |db| quizzes::get_quiz(db, &id))
        .await?;
    if quiz.course_id != course_id {
        return Err(WebError::NotFound);
    }
    let list = course_quizzes(&state, &course_id).await?;
    render(&quiz_form_page(
        &user,
        &course_id,
        &quiz_values(&quiz),
        format!("{}/{quiz_id}", quizzes_href(&course_id)),
        Vec::new(),
        &list,
    ))
}

/// `POST /training/manage/courses/{id}/quizzes`.
pub async fn create_quiz(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    load_course(&state, &course_id).await?;
    store_quiz(&state, &user, &course_id, None, Values::from_pairs(pairs)).await
}

/// `POST .../quizzes/{quiz_id}`.
pub async fn save_quiz(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, quiz_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    store_quiz(
        &state,
        &user,
        &course_id,
        Some(quiz_id),
        Values::from_pairs(pairs),
    )
    .await
}

async fn store_quiz(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
    quiz_id: Option<String>,
    values: Values,
) -> Result<Response, WebError> {
    let t = Translator::new(user.locale);
    let action = match &quiz_id {
        Some(id) => format!("{}/{id}", quizzes_href(course_id)),
        None => quizzes_href(course_id),
    };
    let list = course_quizzes(state, course_id).await?;
    let input = match parse_quiz(&values) {
        Ok(input) => input,
        Err(key) => {
            return problem_response(
                quiz_form_page(user, course_id, &values, action, vec![t.t(key)], &list),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let course = course_id.to_owned();
    let result = state
        .store
        .run(move |db| {
            Ok(match quiz_id {
                Some(id) => quizzes::update_quiz(db, &course, &id, &input),
                None => quizzes::create_quiz(db, &course, &input).map(|_| ()),
            })
        })
        .await?;
    let problems = match result {
        Ok(()) => return Ok(Redirect::to(&quizzes_href(course_id)).into_response()),
        Err(QuizError::Selection(error)) => selection_messages(&t, &error),
        Err(QuizError::SlugTaken) => vec![t.t("training-quiz-error-slug-taken")],
        Err(QuizError::Store(error)) => return Err(error.into()),
        Err(other) => return Err(WebError::Internal(anyhow::Error::new(other))),
    };
    problem_response(
        quiz_form_page(user, course_id, &values, action, problems, &list),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

// --- Taking a quiz ----------------------------------------------------------------

fn rules_lines(t: &Translator, quiz: &StoredQuiz, attempts_left: Option<u32>) -> Vec<String> {
    let rules = &quiz.rules;
    let mut lines = vec![
        t.t1(
            "training-quiz-rule-questions",
            "count",
            quiz.question_count(),
        ),
        t.t1(
            "training-quiz-rule-pass-mark",
            "percent",
            u32::from(rules.pass_mark_percent()),
        ),
    ];
    lines.push(match rules.time_limit() {
        Some(limit) => t.t1(
            "training-quiz-rule-time-limit",
            "minutes",
            limit.num_minutes(),
        ),
        None => t.t("training-quiz-rule-no-time-limit"),
    });
    lines.push(match attempts_left {
        Some(left) => t.t1("training-quiz-rule-attempts-left", "count", left),
        None => t.t("training-quiz-rule-no-attempts-limit"),
    });
    if rules.time_limit().is_some() {
        lines.push(t.t(&format!(
            "training-quiz-rule-late-{}",
            rules.late_rule().as_str().replace('_', "-")
        )));
    }
    lines
}

/// `GET /training/quizzes/{quiz_id}`.
pub async fn quiz_start(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(quiz_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    let (id, trainee) = (quiz_id.clone(), user.user.id.clone());
    let (quiz, standing) = state
        .store
        .run(move |db| {
            let quiz = quizzes::get_quiz(db, &id)?;
            let standing = quizzes::standing(db, &quiz, &trainee)?;
            Ok((quiz, standing))
        })
        .await?;
    if !standing.enrolled {
        return Err(WebError::NotFound);
    }
    let ctx = user.page(&quiz_href(&quiz_id));
    let t = ctx.t;
    let no_attempts = standing.open_attempt.is_none() && standing.attempts_left == Some(0);
    let page = QuizStartPage {
        title: title_in(ctx.locale, &quiz.title_el, &quiz.title_en),
        rules: rules_lines(&t, &quiz, standing.attempts_left),
        start_action: (!no_attempts).then(|| quiz_href(&quiz_id)),
        start_label: if standing.open_attempt.is_some() {
            t.t("training-quiz-resume")
        } else {
            t.t("training-quiz-start")
        },
        blocked: no_attempts.then(|| t.t("training-quiz-no-attempts-left")),
        attempts: standing
            .submitted
            .iter()
            .map(|summary| LinkRow {
                label: t.t1("training-quiz-attempt-n", "n", summary.number),
                detail: format!(
                    "· {} · {}",
                    percent_text(summary.points.percent_of(summary.max_points).unwrap_or(0.0)),
                    if summary.passed {
                        t.t("training-quiz-passed")
                    } else {
                        t.t("training-quiz-failed")
                    }
                ),
                href: attempt_href(&summary.id),
                action_href: String::new(),
                action_label: String::new(),
            })
            .collect(),
        ctx,
    };
    render(&page)
}

/// `POST /training/quizzes/{quiz_id}`: starts or resumes an attempt.
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(quiz_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    let seed: u64 = rand::random();
    let (id, trainee) = (quiz_id.clone(), user.user.id.clone());
    let result = state
        .store
        .run(move |db| {
            Ok(quizzes::start_attempt(
                db,
                &id,
                &trainee,
                seed,
                chrono::Utc::now(),
            ))
        })
        .await?;
    match result {
        Ok(attempt_id) => {
            audit_attempt(
                &state,
                &user,
                "training.quiz.start",
                &attempt_id,
                serde_json::json!({ "quiz_id": quiz_id }),
            )
            .await?;
            Ok(Redirect::to(&attempt_href(&attempt_id)).into_response())
        }
        Err(QuizError::NotEnrolled) => Err(WebError::NotFound),
        Err(QuizError::Attempt(AttemptError::NoAttemptsLeft { .. })) => {
            Ok(Redirect::to(&quiz_href(&quiz_id)).into_response())
        }
        Err(QuizError::Selection(error)) => {
            tracing::error!(quiz_id = %quiz_id, error = %error, "quiz draws cannot be filled");
            Err(WebError::Internal(anyhow::anyhow!(
                "quiz draws cannot be filled"
            )))
        }
        Err(QuizError::Store(error)) => Err(error.into()),
        Err(other) => Err(WebError::Internal(anyhow::Error::new(other))),
    }
}

async fn load_attempt(
    state: &AppState,
    user: &CurrentUser,
    attempt_id: &str,
) -> Result<AttemptRecord, WebError> {
    user.require(Permission::TakeTraining)?;
    let id = attempt_id.to_owned();
    let record = state
        .store
        .run(move |db| quizzes::get_attempt(db, &id))
        .await?;
    if record.trainee_id != user.user.id {
        return Err(WebError::NotFound);
    }
    Ok(record)
}

/// The name of the answer input of a question (or sub-question).
fn answer_name(prefix: &str, id: &str) -> String {
    format!("{prefix}{id}")
}

/// Builds the inputs of one question, filled from `values`.
fn answer_fields(
    t: &Translator,
    values: &Values,
    name: &str,
    question: &Question,
    wording: &QuestionWording,
    errors: &BTreeMap<String, String>,
) -> Vec<FormField> {
    let label = |id: &str| {
        wording
            .labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    };
    let error = errors.get(name).cloned();
    match question.body() {
        QuestionBody::SingleChoice { options, .. } => {
            let chosen = values.get(name);
            vec![
                FormField::choices(
                    "radio",
                    name,
                    t.t("training-quiz-choose-one"),
                    options
                        .iter()
                        .map(|option| SelectOption::new(option, label(option), chosen == option))
                        .collect(),
                )
                .with_error(error),
            ]
        }
        QuestionBody::MultipleChoice { options, .. } => {
            let chosen = values.all(name);
            vec![
                FormField::choices(
                    "checkboxes",
                    name,
                    t.t("training-quiz-choose-many"),
                    options
                        .iter()
                        .map(|option| {
                            SelectOption::new(option, label(option), chosen.contains(option))
                        })
                        .collect(),
                )
                .with_error(error),
            ]
        }
        QuestionBody::TrueFalse { .. } => {
            let chosen = values.get(name);
            vec![
                FormField::choices(
                    "radio",
                    name,
                    t.t("training-quiz-choose-one"),
                    vec![
                        SelectOption::new("true", t.t("training-quiz-true"), chosen == "true"),
                        SelectOption::new("false", t.t("training-quiz-false"), chosen == "false"),
                    ],
                )
                .with_error(error),
            ]
        }
        QuestionBody::ShortText { .. } => {
            vec![
                FormField::text(name, t.t("training-quiz-your-answer"), values.get(name))
                    .with_error(error),
            ]
        }
        QuestionBody::Numeric { .. } => {
            vec![
                FormField::number(name, t.t("training-quiz-your-number"), values.get(name))
                    .with_error(error),
            ]
        }
        QuestionBody::Matching { pairs, distractors } => {
            let mut rights: Vec<&String> = pairs
                .values()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            rights.extend(distractors.iter());
            rights.sort_by_key(|id| label(id));
            let mut fields: Vec<FormField> = pairs
                .keys()
                .map(|left| {
                    let field_name = format!("{name}.{left}");
                    let chosen = values.get(&field_name);
                    FormField::select(
                        &field_name,
                        t.t1("training-quiz-match-with", "item", label(left)),
                        rights
                            .iter()
                            .map(|right| SelectOption::new(*right, label(right), chosen == *right))
                            .collect(),
                    )
                })
                .collect();
            if let Some(first) = fields.first_mut() {
                first.error = error;
            }
            fields
        }
        QuestionBody::Ordering { correct } => {
            // Items are shown sorted by label, so the order on the page does
            // not give the answer away.
            let mut items: Vec<&String> = correct.iter().collect();
            items.sort_by_key(|id| label(id));
            let mut fields: Vec<FormField> = items
                .into_iter()
                .map(|item| {
                    let field_name = format!("{name}.{item}");
                    FormField::number(
                        &field_name,
                        t.t1("training-quiz-position-of", "item", label(item)),
                        values.get(&field_name),
                    )
                })
                .collect();
            if let Some(first) = fields.first_mut() {
                first.error = error;
            }
            fields
        }
        QuestionBody::Scenario { questions } => {
            let mut fields = Vec::new();
            for (index, sub) in questions.iter().enumerate() {
                let sub_wording = wording
                    .parts
                    .get(sub.id().as_str())
                    .cloned()
                    .unwrap_or_default();
                let sub_name = format!("{name}.{}", sub.id());
                let mut sub_fields = answer_fields(t, values, &sub_name, sub, &sub_wording, errors);
                if let Some(first) = sub_fields.first_mut() {
                    first.label = format!(
                        "{} {}. {} — {}",
                        t.t("training-quiz-part"),
                        index + 1,
                        sub_wording.prompt,
                        first.label
                    );
                }
                fields.extend(sub_fields);
            }
            fields
        }
    }
}

fn attempt_form_page(
    user: &CurrentUser,
    record: &AttemptRecord,
    values: &Values,
    errors: &BTreeMap<String, String>,
    messages: Vec<String>,
) -> QuizFormPage {
    let ctx = user.page(&attempt_href(&record.id));
    let t = ctx.t;
    let locale = ctx.locale;
    let sections = record
        .questions
        .iter()
        .enumerate()
        .map(|(index, stored)| {
            let wording = stored.texts.wording(locale);
            FormSection {
                legend: t.t2(
                    "training-quiz-question-n",
                    "n",
                    index + 1,
                    "points",
                    t.format_points(stored.question.max_points()),
                ),
                intro: wording.prompt.clone(),
                fields: answer_fields(
                    &t,
                    values,
                    &answer_name("a.", &stored.id),
                    &stored.question,
                    wording,
                    errors,
                ),
            }
        })
        .collect();
    let mut intro = rules_lines(&t, &record.quiz, None);
    intro.truncate(3);
    if let Some(deadline) = record.deadline() {
        intro.push(t.t1(
            "training-quiz-deadline",
            "time",
            t.format_datetime(&deadline),
        ));
    }
    QuizFormPage {
        title: title_in(locale, &record.quiz.title_el, &record.quiz.title_en),
        intro,
        back_href: quiz_href(&record.quiz.id),
        action: attempt_href(&record.id),
        submit_label: t.t("training-quiz-submit"),
        errors: FieldErrors::new(),
        messages,
        sections,
        deadline_iso: record
            .deadline()
            .map(|deadline| deadline.and_utc().to_rfc3339()),
        rows: Vec::new(),
        rows_title: String::new(),
        ctx,
    }
}

/// Reads the answer to `question` from the form, under `name`. `Ok(None)`
/// when nothing was given; `Err(key)` for a value that is not well formed.
fn read_answer(
    values: &Values,
    name: &str,
    question: &Question,
) -> Result<Option<Answer>, &'static str> {
    let text = values.trimmed(name);
    Ok(match question.body() {
        QuestionBody::SingleChoice { .. } => {
            (!text.is_empty()).then_some(Answer::SingleChoice(text))
        }
        QuestionBody::MultipleChoice { .. } => {
            let chosen: BTreeSet<String> = values
                .all(name)
                .iter()
                .filter(|value| !value.is_empty())
                .cloned()
                .collect();
            (!chosen.is_empty()).then_some(Answer::MultipleChoice(chosen))
        }
        QuestionBody::TrueFalse { .. } => match text.as_str() {
            "" => None,
            "true" => Some(Answer::TrueFalse(true)),
            "false" => Some(Answer::TrueFalse(false)),
            _ => return Err("training-quiz-answer-malformed"),
        },
        QuestionBody::ShortText { .. } => (!text.is_empty()).then_some(Answer::ShortText(text)),
        QuestionBody::Numeric { .. } => {
            if text.is_empty() {
                None
            } else {
                Some(Answer::Numeric(
                    parse_number(&text).ok_or("training-quiz-answer-not-a-number")?,
                ))
            }
        }
        QuestionBody::Matching { pairs, .. } => {
            let matched: BTreeMap<String, String> = pairs
                .keys()
                .filter_map(|left| {
                    let value = values.trimmed(&format!("{name}.{left}"));
                    (!value.is_empty()).then(|| (left.clone(), value))
                })
                .collect();
            (!matched.is_empty()).then_some(Answer::Matching(matched))
        }
        QuestionBody::Ordering { correct } => {
            let mut positions = Vec::new();
            for item in correct {
                let value = values.trimmed(&format!("{name}.{item}"));
                if value.is_empty() {
                    positions.push(None);
                } else {
                    let position: usize = value
                        .parse()
                        .ok()
                        .filter(|position| (1..=correct.len()).contains(position))
                        .ok_or("training-quiz-answer-order")?;
                    positions.push(Some((position, item.clone())));
                }
            }
            if positions.iter().all(Option::is_none) {
                None
            } else {
                let mut given: Vec<(usize, String)> = positions
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .ok_or("training-quiz-answer-order")?;
                given.sort();
                if given.windows(2).any(|pair| pair[0].0 == pair[1].0) {
                    return Err("training-quiz-answer-order");
                }
                Some(Answer::Ordering(
                    given.into_iter().map(|(_, item)| item).collect(),
                ))
            }
        }
        QuestionBody::Scenario { questions } => {
            let mut answers = BTreeMap::new();
            for sub in questions {
                if let Some(answer) = read_answer(values, &format!("{name}.{}", sub.id()), sub)? {
                    answers.insert(sub.id().clone(), answer);
                }
            }
            (!answers.is_empty()).then_some(Answer::Scenario(answers))
        }
    })
}

fn answer_error_key(error: &AnswerError) -> &'static str {
    match error {
        AnswerError::NotANumber => "training-quiz-answer-not-a-number",
        AnswerError::NotAPermutation => "training-quiz-answer-order",
        _ => "training-quiz-answer-malformed",
    }
}

/// `GET /training/attempts/{attempt_id}`: the form, or the result once
/// submitted.
pub async fn attempt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(attempt_id): Path<String>,
) -> Result<Response, WebError> {
    let record = load_attempt(&state, &user, &attempt_id).await?;
    if record.submission.is_some() {
        return render(&result_page(&user, &record, None));
    }
    render(&attempt_form_page(
        &user,
        &record,
        &Values::default(),
        &BTreeMap::new(),
        Vec::new(),
    ))
}

/// `POST /training/attempts/{attempt_id}`: grades and records the answers.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(attempt_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let record = load_attempt(&state, &user, &attempt_id).await?;
    let t = Translator::new(user.locale);
    if record.submission.is_some() {
        return already_submitted(&user, &record);
    }
    let values = Values::from_pairs(pairs);

    // Answers to questions that are not part of this attempt.
    let known: BTreeSet<&str> = record.questions.iter().map(|q| q.id.as_str()).collect();
    let stray = values.0.keys().find_map(|name| {
        let rest = name.strip_prefix("a.")?;
        let id = rest.split('.').next().unwrap_or(rest);
        (!known.contains(id)).then(|| id.to_owned())
    });
    let mut answers = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for stored in &record.questions {
        let name = answer_name("a.", &stored.id);
        match read_answer(&values, &name, &stored.question) {
            Ok(Some(answer)) => {
                answers.insert(QuestionId::new(stored.id.as_str()), answer);
            }
            Ok(None) => {}
            Err(key) => {
                errors.insert(name, t.t(key));
            }
        }
    }
    if let Some(stray) = stray {
        tracing::info!(attempt_id = %attempt_id, "submission names a question not in the attempt");
        let message = t.t1("training-quiz-error-unknown-question", "id", stray);
        return form_error(&user, &record, &values, &errors, vec![message]);
    }
    if !errors.is_empty() {
        return form_error(
            &user,
            &record,
            &values,
            &errors,
            vec![t.t("training-quiz-error-answers")],
        );
    }

    let (id, trainee) = (attempt_id.clone(), user.user.id.clone());
    let result = state
        .store
        .run(move |db| {
            Ok(quizzes::submit_attempt(
                db,
                &id,
                &trainee,
                &answers,
                chrono::Utc::now(),
            ))
        })
        .await?;
    match result {
        Ok(submitted) => {
            // The score and whether it was in time; never the answers.
            let result = &submitted.result;
            audit_attempt(
                &state,
                &user,
                "training.quiz.submit",
                &attempt_id,
                serde_json::json!({
                    "quiz_id": record.quiz.id,
                    "points": result.points.to_string(),
                    "max_points": result.max_points.to_string(),
                    "passed": result.passed,
                    "timeliness": timeliness_key(result.timeliness),
                }),
            )
            .await?;
            Ok(Redirect::to(&attempt_href(&attempt_id)).into_response())
        }
        Err(QuizError::Attempt(AttemptError::AlreadySubmitted)) => {
            let record = load_attempt(&state, &user, &attempt_id).await?;
            already_submitted(&user, &record)
        }
        Err(QuizError::Attempt(AttemptError::QuestionNotInAttempt(id))) => form_error(
            &user,
            &record,
            &values,
            &errors,
            vec![t.t1("training-quiz-error-unknown-question", "id", id.to_string())],
        ),
        Err(QuizError::Attempt(AttemptError::MalformedAnswer { question, error })) => {
            let mut errors = errors;
            errors.insert(
                answer_name("a.", question.as_str()),
                t.t(answer_error_key(&error)),
            );
            form_error(
                &user,
                &record,
                &values,
                &errors,
                vec![t.t("training-quiz-error-answers")],
            )
        }
        Err(QuizError::Store(error)) => Err(error.into()),
        Err(other) => Err(WebError::Internal(anyhow::Error::new(other))),
    }
}

fn timeliness_key(timeliness: Timeliness) -> &'static str {
    match timeliness {
        Timeliness::OnTime => "on_time",
        Timeliness::InGrace => "in_grace",
        Timeliness::Late => "late",
    }
}

/// Records a trainee's start or submission of an attempt.
async fn audit_attempt(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    attempt_id: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, AuditOutcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("quiz_attempt", attempt_id)
        .details(details);
    record(&state.store, event).await
}

fn form_error(
    user: &CurrentUser,
    record: &AttemptRecord,
    values: &Values,
    errors: &BTreeMap<String, String>,
    messages: Vec<String>,
) -> Result<Response, WebError> {
    problem_response(
        attempt_form_page(user, record, values, errors, messages),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

fn already_submitted(user: &CurrentUser, record: &AttemptRecord) -> Result<Response, WebError> {
    let t = Translator::new(user.locale);
    let page = result_page(
        user,
        record,
        Some(t.t("training-quiz-error-already-submitted")),
    );
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}

fn percent_text(percent: f64) -> String {
    format!("{:.0} %", percent)
}

fn answer_text(t: &Translator, answer: Option<&Answer>, wording: &QuestionWording) -> String {
    let label = |id: &str| {
        wording
            .labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    };
    match answer {
        None => t.t("training-quiz-no-answer"),
        Some(Answer::SingleChoice(id)) => label(id),
        // Options are often whole sentences: drop their full stops so the
        // list does not read ".;".
        Some(Answer::MultipleChoice(ids)) => ids
            .iter()
            .map(|id| label(id).trim_end_matches('.').to_owned())
            .collect::<Vec<_>>()
            .join("; "),
        Some(Answer::TrueFalse(true)) => t.t("training-quiz-true"),
        Some(Answer::TrueFalse(false)) => t.t("training-quiz-false"),
        Some(Answer::ShortText(text)) => text.clone(),
        Some(Answer::Numeric(number)) => number.to_string(),
        Some(Answer::Matching(pairs)) => pairs
            .iter()
            .map(|(left, right)| format!("{} → {}", label(left), label(right)))
            .collect::<Vec<_>>()
            .join("; "),
        Some(Answer::Ordering(items)) => items
            .iter()
            .map(|id| label(id))
            .collect::<Vec<_>>()
            .join(" → "),
        Some(Answer::Scenario(_)) => String::new(),
    }
}

fn feedback_text(t: &Translator, wording: &QuestionWording, outcome: Outcome) -> String {
    wording
        .feedback
        .get(outcome.as_str())
        .filter(|text| !text.is_empty())
        .cloned()
        .unwrap_or_else(|| t.t(outcome.feedback_key()))
}

fn result_row(
    t: &Translator,
    number: usize,
    stored_question: &Question,
    wording: &QuestionWording,
    answer: Option<&Answer>,
    grade: Option<&StoredGrade>,
) -> ResultRow {
    let outcome = grade.map_or(Outcome::Unanswered, |grade| grade.outcome);
    let points = grade.map_or(Points::ZERO, |grade| grade.points);
    let parts = match stored_question.body() {
        QuestionBody::Scenario { questions } => questions
            .iter()
            .enumerate()
            .map(|(index, sub)| {
                let sub_wording = wording
                    .parts
                    .get(sub.id().as_str())
                    .cloned()
                    .unwrap_or_default();
                let sub_answer = match answer {
                    Some(Answer::Scenario(answers)) => answers.get(sub.id()),
                    _ => None,
                };
                let sub_grade = grade.and_then(|grade| grade.parts.get(sub.id()));
                result_row(t, index + 1, sub, &sub_wording, sub_answer, sub_grade)
            })
            .collect(),
        _ => Vec::new(),
    };
    ResultRow {
        number,
        prompt: wording.prompt.clone(),
        answer: answer_text(t, answer, wording),
        outcome: t.t(&outcome_key(outcome)),
        points: t.t2(
            "training-quiz-points-of",
            "points",
            t.format_points(points),
            "max",
            t.format_points(stored_question.max_points()),
        ),
        feedback: feedback_text(t, wording, outcome),
        parts,
    }
}

fn result_page(
    user: &CurrentUser,
    record: &AttemptRecord,
    error: Option<String>,
) -> QuizResultPage {
    let mut ctx = user.page(&attempt_href(&record.id));
    if let Some(error) = error {
        ctx = ctx.with_notice(crate::pages::Notice::error(error));
    }
    let t = ctx.t;
    let locale = ctx.locale;
    let Some(submission) = &record.submission else {
        unreachable_result();
        return QuizResultPage {
            title: String::new(),
            summary: Vec::new(),
            passed: false,
            verdict: String::new(),
            rows: Vec::new(),
            quiz_href: quiz_href(&record.quiz.id),
            ctx,
        };
    };
    let mut summary = vec![
        t.t2(
            "training-quiz-score",
            "points",
            t.format_points(submission.points),
            "max",
            t.format_points(submission.max_points),
        ) + &format!(" ({})", percent_text(submission.percent())),
    ];
    summary.push(t.t1(
        "training-quiz-rule-pass-mark",
        "percent",
        u32::from(record.quiz.rules.pass_mark_percent()),
    ));
    match submission.timeliness {
        Timeliness::OnTime => {}
        Timeliness::InGrace => summary.push(t.t("training-quiz-in-grace")),
        Timeliness::Late => summary.push(t.t(match record.quiz.rules.late_rule() {
            LateRule::ScoreZero => "training-quiz-late-scored-zero",
            LateRule::Accept => "training-quiz-late-accepted",
        })),
    }
    let rows = record
        .questions
        .iter()
        .enumerate()
        .map(|(index, stored)| {
            let id = QuestionId::new(stored.id.as_str());
            result_row(
                &t,
                index + 1,
                &stored.question,
                stored.texts.wording(locale),
                submission.answers.get(&id),
                submission.grades.get(&id),
            )
        })
        .collect();
    QuizResultPage {
        title: title_in(locale, &record.quiz.title_el, &record.quiz.title_en),
        summary,
        passed: submission.passed,
        verdict: if submission.passed {
            t.t("training-quiz-passed")
        } else {
            t.t("training-quiz-failed")
        },
        rows,
        quiz_href: quiz_href(&record.quiz.id),
        ctx,
    }
}

fn unreachable_result() {
    tracing::warn!("result page asked for an attempt that is not submitted");
}

// --- Learning gain ------------------------------------------------------------------

fn gain_value(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |value| format!("{value:.2}"))
}

fn score_value(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |value| format!("{value:.1}"))
}

fn sector_label(t: &Translator, code: &str) -> String {
    t.t(&format!("training-quiz-sector-{}", code.replace('_', "-")))
}

fn group_row(label: String, members: usize, gain: &GroupGain) -> Vec<String> {
    vec![
        label,
        members.to_string(),
        gain.trainees.to_string(),
        gain.at_ceiling.to_string(),
        score_value(gain.mean_pre),
        score_value(gain.mean_post),
        gain_value(gain.gain_of_means),
        gain_value(gain.mean_of_gains),
    ]
}

/// The report as tables: trainees, course, sectors, sessions.
fn gain_tables(t: &Translator, locale: Locale, report: &GainReport) -> Vec<GainTable> {
    let individual = |gain: Option<IndividualGain>| match gain {
        None => "–".to_owned(),
        Some(IndividualGain::AtCeiling) => t.t("training-quiz-gain-at-ceiling"),
        Some(IndividualGain::Gain(value)) => format!("{value:.2}"),
    };
    let group_headers = vec![
        t.t("training-quiz-gain-col-group"),
        t.t("training-quiz-gain-col-members"),
        t.t("training-quiz-gain-col-both"),
        t.t("training-quiz-gain-col-ceiling"),
        t.t("training-quiz-gain-col-mean-pre"),
        t.t("training-quiz-gain-col-mean-post"),
        t.t("training-quiz-gain-col-gain-of-means"),
        t.t("training-quiz-gain-col-mean-of-gains"),
    ];
    vec![
        GainTable {
            caption: t.t("training-quiz-gain-trainees"),
            headers: vec![
                t.t("training-quiz-gain-col-trainee"),
                t.t("training-quiz-gain-col-sector"),
                t.t("training-quiz-gain-col-pre"),
                t.t("training-quiz-gain-col-post"),
                t.t("training-quiz-gain-col-gain"),
            ],
            rows: report
                .trainees
                .iter()
                .map(|trainee| {
                    vec![
                        trainee.display_name.clone(),
                        sector_label(
                            t,
                            trainee.sector.as_deref().unwrap_or(quizzes::UNKNOWN_SECTOR),
                        ),
                        score_value(trainee.pre),
                        score_value(trainee.post),
                        individual(trainee.gain),
                    ]
                })
                .collect(),
        },
        GainTable {
            caption: t.t("training-quiz-gain-groups"),
            headers: group_headers.clone(),
            rows: std::iter::once(group_row(
                t.t("training-quiz-gain-whole-course"),
                report.trainees.len(),
                &report.course,
            ))
            .chain(
                report
                    .by_sector
                    .iter()
                    .map(|line| group_row(sector_label(t, &line.key), line.members, &line.gain)),
            )
            .collect(),
        },
        GainTable {
            caption: t.t("training-quiz-gain-sessions"),
            headers: group_headers,
            rows: report
                .by_session
                .iter()
                .map(|line| {
                    group_row(
                        title_in(locale, &line.title_el, &line.title_en),
                        line.members,
                        &line.gain,
                    )
                })
                .collect(),
        },
    ]
}

async fn load_gain(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
) -> Result<(courses::Course, GainReport), WebError> {
    user.require(Permission::ManageTraining)?;
    let course = load_course(state, course_id).await?;
    let id = course_id.to_owned();
    let report = state
        .store
        .run(move |db| quizzes::gain_report(db, &id))
        .await?;
    Ok((course, report))
}

/// `GET /training/manage/courses/{id}/gain`.
pub async fn gain(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    let (course, report) = load_gain(&state, &user, &course_id).await?;
    let ctx = user.page(&gain_href(&course_id));
    let t = ctx.t;
    let page = GainPage {
        title: t.t1(
            "training-quiz-gain-page-title",
            "course",
            title_in(ctx.locale, &course.title_el, &course.title_en),
        ),
        intro: vec![
            t.t("training-quiz-gain-intro"),
            t.t("training-quiz-gain-which-tests"),
        ],
        tables: gain_tables(&t, ctx.locale, &report),
        csv_href: format!("{}.csv", gain_href(&course_id)),
        back_href: bank_href(&course_id),
        ctx,
    };
    render(&page)
}

/// Appends one CSV line: every cell neutralised and quoted, quotes doubled.
fn write_csv_row(out: &mut String, cells: &[String]) {
    let line: Vec<String> = cells
        .iter()
        .map(|cell| format!("\"{}\"", csv_cell(cell).replace('"', "\"\"")))
        .collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// Neutralises a CSV cell that a spreadsheet would read as a formula.
pub fn csv_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// `GET /training/manage/courses/{id}/gain.csv`: the same tables, one after
/// the other, each headed by its caption.
pub async fn gain_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    let (_, report) = load_gain(&state, &user, &course_id).await?;
    let t = Translator::new(user.locale);
    let mut body = String::new();
    for table in gain_tables(&t, user.locale, &report) {
        write_csv_row(&mut body, std::slice::from_ref(&table.caption));
        write_csv_row(&mut body, &table.headers);
        for row in &table.rows {
            write_csv_row(&mut body, row);
        }
    }
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"learning-gain.csv\""),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_sentences_are_listed_without_their_full_stops() {
        let mut wording = QuestionWording::default();
        wording
            .labels
            .insert("a".into(), "Εξηγώ ποιος είμαι.".into());
        wording
            .labels
            .insert("b".into(), "Ρωτώ αν θέλει διερμηνέα".into());
        let chosen = Answer::MultipleChoice(["a".to_owned(), "b".to_owned()].into());
        assert_eq!(
            answer_text(&Translator::new(Locale::El), Some(&chosen), &wording),
            "Εξηγώ ποιος είμαι; Ρωτώ αν θέλει διερμηνέα"
        );
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for value in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(value).starts_with('\''), "{value:?}");
        }
        assert_eq!(csv_cell("Άννα"), "Άννα");
        assert_eq!(csv_cell("0.50"), "0.50");
    }

    #[test]
    fn ordering_answers_need_distinct_positions() {
        let question = Question::new(
            QuestionId::new("q"),
            Vec::<String>::new(),
            Points::whole(1),
            QuestionBody::Ordering {
                correct: vec!["a".into(), "b".into()],
            },
        )
        .unwrap();
        let mut values = Values::default();
        values.set("a.q.a", "2");
        values.set("a.q.b", "1");
        assert_eq!(
            read_answer(&values, "a.q", &question),
            Ok(Some(Answer::Ordering(vec!["b".into(), "a".into()])))
        );
        values.set("a.q.b", "2");
        assert_eq!(
            read_answer(&values, "a.q", &question),
            Err("training-quiz-answer-order")
        );
    }
}
