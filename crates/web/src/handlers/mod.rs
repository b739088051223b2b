//! HTTP handlers, one module per area. Each handler parses its input,
//! checks permissions, calls the store, writes the audit log and renders.

pub mod account;
pub mod admin;
pub mod appointments;
pub mod assessment;
pub mod audit_log;
pub mod case_access;
pub mod case_dashboard;
pub mod case_import;
pub mod case_team;
pub mod cases;
pub mod closure;
pub mod consent_forms;
pub mod consents;
pub mod duplicate_connect;
pub mod followup;
pub mod health;
pub mod home;
pub mod htcds_export;
pub mod locale;
pub mod login;
pub mod notes;
pub mod nrm;
pub mod nrm_forms;
pub mod nrm_statistics;
pub mod passkeys;
pub mod plan;
pub mod protection;
pub mod referrals;
pub mod report_context;
pub mod report_schedule;
pub mod reports;
pub mod requests;
pub mod screening;
pub mod services;
pub mod timeline;
pub mod tokens;
pub mod totp;
pub mod training_certificates;
pub mod training_courses;
pub mod training_dashboard;
pub mod training_evaluations;
pub mod training_quizzes;
pub mod training_scorm;
pub mod training_sessions;
pub mod training_xapi;
pub mod witness;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::error::WebError;

/// Renders a template into an HTML response.
pub fn render(template: &impl Template) -> Result<Response, WebError> {
    let html = template
        .render()
        .map_err(|error| WebError::Internal(anyhow::anyhow!("template: {error}")))?;
    Ok(Html(html).into_response())
}

impl From<procap_store::StoreError> for WebError {
    fn from(error: procap_store::StoreError) -> Self {
        match error {
            procap_store::StoreError::NotFound => WebError::NotFound,
            other => WebError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Returns today's date in Athens, the date staff see on their calendar.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Athens)
        .date_naive()
}
