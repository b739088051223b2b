//! `GET /reports/htcds` and `POST /reports/htcds`: the HTCDS export form
//! and the sealed archive it returns. Coordinators export their own
//! organisation's cases and may add identifiers for a stated purpose; the
//! monitoring officer exports any organisation or all, never with
//! identifiers. The archive is encrypted to the organisation's configured
//! recipients the user ticks and to a key the user pastes; Procap keeps no
//! copy. Every export, and every refused request for identifiers, is
//! written to the audit log with the filter, the number of cases and the
//! purpose.

use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use procap_domain::role::{Permission, Role};
use procap_reports::htcds::htcds_archive;
use procap_reports::sealed::Recipient;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::htcds_export::{self, ExportFilter};
use procap_store::organisations::{self, Organisation};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::reports::{HTCDS_PATH, HtcdsForm, HtcdsPage, RecipientOption};
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// Longest purpose accepted, in characters.
const MAX_PURPOSE_CHARS: usize = 500;

/// Whether the user may pick any organisation (or all).
fn may_choose(user: &CurrentUser) -> bool {
    user.role == Role::Monitoring
}

fn recipients_for(state: &AppState, organisation: Option<&Organisation>) -> Vec<String> {
    state
        .config
        .export_recipients
        .iter()
        .filter(
            |recipient| match (&recipient.organisation_prefix, organisation) {
                (None, _) => true,
                (Some(prefix), Some(organisation)) => {
                    prefix.eq_ignore_ascii_case(&organisation.case_code_prefix)
                }
                (Some(_), None) => false,
            },
        )
        .map(|recipient| recipient.key.clone())
        .collect()
}

fn form_from_pairs(pairs: &[(String, String)]) -> HtcdsForm {
    let mut form = HtcdsForm::default();
    for (name, value) in pairs {
        let value = value.trim().to_owned();
        match name.as_str() {
            "from" => form.from = value,
            "to" => form.to = value,
            "organisation" => form.organisation = value,
            "status" => form.status = value,
            "recipient" => form.chosen.push(value),
            "pasted_recipient" => form.pasted_recipient = value,
            "with_identifiers" => form.with_identifiers = value == "1",
            "purpose" => form.purpose = value,
            _ => {}
        }
    }
    form
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: HtcdsForm,
    errors: FieldErrors,
) -> Result<HtcdsPage, WebError> {
    let t = Translator::new(user.locale);
    let all = state.store.run(organisations::list).await?;
    let own = all
        .iter()
        .find(|o| o.id == user.user.organisation_id)
        .cloned();
    let chosen_organisation = if may_choose(user) {
        all.iter().find(|o| o.id == form.organisation).cloned()
    } else {
        own
    };
    let recipients = recipients_for(state, chosen_organisation.as_ref())
        .into_iter()
        .enumerate()
        .map(|(index, key)| RecipientOption {
            id: format!("recipient-{index}"),
            checked: form.chosen.contains(&key),
            key,
        })
        .collect();
    let organisations = all
        .iter()
        .map(|o| SelectOption::new(o.id.clone(), o.name.clone(), o.id == form.organisation))
        .collect();
    let statuses = [
        ("open", "reports-htcds-status-open"),
        ("closed", "reports-htcds-status-closed"),
    ]
    .into_iter()
    .map(|(value, key)| SelectOption::new(value, t.t(key), form.status == value))
    .collect();
    Ok(HtcdsPage {
        ctx: user.page(HTCDS_PATH),
        form,
        errors,
        organisations,
        statuses,
        recipients,
        all_allowed: may_choose(user),
        identifiers_allowed: user.can(Permission::ExportIdentifiers),
    })
}

/// `GET /reports/htcds`.
pub async fn form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Permission::ExportCases)?;
    render(&page(&state, &user, HtcdsForm::default(), FieldErrors::new()).await?)
}

/// A checked request.
struct Checked {
    filter: ExportFilter,
    recipients: Vec<Recipient>,
    with_identifiers: bool,
    purpose: Option<String>,
}

fn check(
    t: &Translator,
    user: &CurrentUser,
    form: &HtcdsForm,
    all: &[Organisation],
    offered: &[String],
) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let day = |text: &str, field: &'static str, errors: &mut FieldErrors| {
        if text.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.add(field, t.t("reports-error-date"));
        }
        parsed
    };
    let from = day(&form.from, "from", &mut errors);
    let to = day(&form.to, "to", &mut errors);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", t.t("reports-error-order"));
    }
    let organisation_id = if may_choose(user) {
        if form.organisation.is_empty() {
            None
        } else if all.iter().any(|o| o.id == form.organisation) {
            Some(form.organisation.clone())
        } else {
            errors.add("organisation", t.t("reports-error-organisation"));
            None
        }
    } else {
        Some(user.user.organisation_id.clone())
    };
    let status = match form.status.as_str() {
        "" => None,
        "open" | "closed" => Some(form.status.clone()),
        _ => {
            errors.add("status", t.t("form-error-choose"));
            None
        }
    };

    let mut recipients = Vec::new();
    for key in &form.chosen {
        // Only the keys the page offered may be ticked.
        match offered.iter().find(|offered| *offered == key) {
            Some(key) => recipients.extend(Recipient::parse(key).ok()),
            None => errors.add("recipients", t.t("form-error-choose")),
        }
    }
    if !form.pasted_recipient.is_empty() {
        match Recipient::parse(&form.pasted_recipient) {
            Ok(recipient) => recipients.push(recipient),
            Err(_) => errors.add("pasted_recipient", t.t("reports-htcds-error-recipient")),
        }
    }
    if recipients.is_empty() && !errors.has("pasted_recipient") {
        errors.add("pasted_recipient", t.t("reports-htcds-error-no-recipient"));
    }

    let purpose = if form.with_identifiers {
        if form.purpose.is_empty() {
            errors.add("purpose", t.t("reports-htcds-error-purpose"));
            None
        } else if form.purpose.chars().count() > MAX_PURPOSE_CHARS {
            errors.add(
                "purpose",
                t.t1("reports-htcds-error-purpose-long", "max", MAX_PURPOSE_CHARS),
            );
            None
        } else {
            Some(form.purpose.clone())
        }
    } else {
        None
    };

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Checked {
        filter: ExportFilter {
            from,
            to,
            organisation_id,
            status,
        },
        recipients,
        with_identifiers: form.with_identifiers,
        purpose,
    })
}

fn filter_json(filter: &ExportFilter) -> serde_json::Value {
    json!({
        "from": filter.from.map(|d| d.to_string()),
        "to": filter.to.map(|d| d.to_string()),
        "organisation": filter.organisation_id,
        "status": filter.status,
    })
}

async fn show_errors(
    state: &AppState,
    user: &CurrentUser,
    form: HtcdsForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let mut response = render(&page(state, user, form, errors).await?)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /reports/htcds`: the sealed archive as a download, or the form
/// with its messages.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ExportCases)?;
    let form = form_from_pairs(&pairs);
    if form.with_identifiers && !user.can(Permission::ExportIdentifiers) {
        let event = AuditEvent::new("export.htcds", Outcome::Denied)
            .actor(&user.user.id, &user.user.username)
            .client_ip(user.client_ip.as_deref())
            .details(json!({ "via": "web", "with_identifiers": true }));
        record(&state.store, event).await?;
        return Err(WebError::Forbidden);
    }

    let t = Translator::new(user.locale);
    let all = state.store.run(organisations::list).await?;
    let scope = if may_choose(&user) {
        all.iter().find(|o| o.id == form.organisation)
    } else {
        all.iter().find(|o| o.id == user.user.organisation_id)
    };
    let offered = recipients_for(&state, scope);
    let checked = match check(&t, &user, &form, &all, &offered) {
        Ok(checked) => checked,
        Err(errors) => return show_errors(&state, &user, form, errors).await,
    };

    let filter = checked.filter.clone();
    let with_identifiers = checked.with_identifiers;
    let (cases, names) = state
        .store
        .run(move |db| {
            let cases = htcds_export::load(db, &filter, with_identifiers)?;
            let names = htcds_export::organisations_of(db, &cases)?;
            Ok((cases, names))
        })
        .await?;
    if cases.is_empty() {
        let mut errors = FieldErrors::new();
        errors.add("from", t.t("reports-htcds-error-empty"));
        return show_errors(&state, &user, form, errors).await;
    }
    let recipients = checked.recipients.clone();
    let count = cases.len();
    let (bytes, files) = tokio::task::spawn_blocking(move || {
        htcds_archive(&cases, &names, with_identifiers, &recipients)
    })
    .await
    .map_err(|error| WebError::Internal(anyhow::anyhow!("HTCDS export failed: {error}")))?
    .map_err(|error| WebError::Internal(error.into()))?;

    let event = AuditEvent::new("export.htcds", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "via": "web",
            "filter": filter_json(&checked.filter),
            "cases": count,
            "with_identifiers": with_identifiers,
            "purpose": checked.purpose,
            "recipients": checked.recipients.iter().map(Recipient::to_text).collect::<Vec<_>>(),
            "files": files.iter().map(|(name, rows)| json!({ "name": name, "rows": rows })).collect::<Vec<_>>(),
        }));
    record(&state.store, event).await?;

    let name = format!(
        "htcds-{}.zip.age",
        chrono::Utc::now().date_naive().format("%Y-%m-%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
