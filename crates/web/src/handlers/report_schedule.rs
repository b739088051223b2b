//! `GET /reports/schedule`: a coordinator's monthly report subscriptions
//! and the form to add one; `POST /reports/schedule` subscribes;
//! `POST /reports/schedule/{id}/cancel` asks for confirmation, then
//! unsubscribes. The monthly AMIF report of the coordinator's organisation
//! goes to the account's e-mail address, either as a CSV file encrypted
//! with age to a key the coordinator gives, or as a link to the report
//! page that asks for a login. The background worker sends them.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::role::Permission;
use procap_reports::sealed::Recipient;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::report_subscriptions::{
    self as subscriptions, DELIVERY_ATTACHMENT, DELIVERY_LINK, REPORT_AMIF_MONTHLY,
};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::admin::ConfirmPage;
use crate::pages::reports::{SCHEDULE_PATH, ScheduleForm, SchedulePage, ScheduleRow, cancel_href};
use crate::pages::{FieldErrors, HiddenField, Notice, Pagination};
use crate::state::AppState;

const PER_PAGE: i64 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct ScheduleQuery {
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    recipient_key: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    confirmed: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    page: Option<i64>,
    form: ScheduleForm,
    errors: FieldErrors,
) -> Result<SchedulePage, WebError> {
    let t = Translator::new(user.locale);
    let requested = page.unwrap_or(1).max(1);
    let offset = (requested - 1).saturating_mul(PER_PAGE);
    let user_id = user.user.id.clone();
    let (listed, total) = state
        .store
        .run(move |db| subscriptions::list_for_user(db, &user_id, offset, PER_PAGE))
        .await?;
    let rows = listed
        .into_iter()
        .map(|listed| {
            let subscription = listed.subscription;
            ScheduleRow {
                report: t.t("reports-schedule-report-amif"),
                delivery: if subscription.delivery == DELIVERY_ATTACHMENT {
                    t.t("reports-schedule-delivery-attachment")
                } else {
                    t.t("reports-schedule-delivery-link")
                },
                since: t.format_datetime(&subscription.created_at),
                last_delivery: listed.last_delivery.map_or_else(
                    || t.t("reports-schedule-never"),
                    |(period, at)| {
                        t.t2(
                            "reports-schedule-sent",
                            "period",
                            period,
                            "at",
                            t.format_datetime(&at),
                        )
                    },
                ),
                cancel_href: cancel_href(&subscription.id),
            }
        })
        .collect();
    Ok(SchedulePage {
        ctx: user.page(SCHEDULE_PATH),
        rows,
        pagination: Pagination::new(Some(requested), PER_PAGE, total, SCHEDULE_PATH),
        form,
        errors,
        email: user.user.email.clone().unwrap_or_default(),
    })
}

/// `GET /reports/schedule`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ScheduleQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ScheduleReports)?;
    let t = Translator::new(user.locale);
    let mut page = page(
        &state,
        &user,
        query.page,
        ScheduleForm::default(),
        FieldErrors::new(),
    )
    .await?;
    match query.done.as_deref() {
        Some("subscribed") => {
            page.ctx.notice = Some(Notice::success(t.t("reports-schedule-subscribed")))
        }
        Some("cancelled") => {
            page.ctx.notice = Some(Notice::success(t.t("reports-schedule-cancelled")))
        }
        _ => {}
    }
    render(&page)
}

/// `POST /reports/schedule`.
pub async fn subscribe(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(input): Form<SubscribeForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ScheduleReports)?;
    let t = Translator::new(user.locale);
    let form = ScheduleForm {
        delivery: input.delivery.trim().to_owned(),
        recipient_key: input.recipient_key.trim().to_owned(),
    };
    let mut errors = FieldErrors::new();
    if user
        .user
        .email
        .as_deref()
        .is_none_or(|email| email.trim().is_empty())
    {
        errors.add("delivery", t.t("reports-schedule-no-email"));
    }
    let key = match form.delivery.as_str() {
        DELIVERY_LINK => None,
        DELIVERY_ATTACHMENT => match Recipient::parse(&form.recipient_key) {
            Ok(recipient) => Some(recipient.to_text()),
            Err(_) if form.recipient_key.is_empty() => {
                errors.add("recipient_key", t.t("reports-schedule-error-key-missing"));
                None
            }
            Err(_) => {
                errors.add("recipient_key", t.t("reports-htcds-error-recipient"));
                None
            }
        },
        _ => {
            errors.add("delivery", t.t("form-error-choose"));
            None
        }
    };
    if !errors.is_empty() {
        let mut response = render(&page(&state, &user, None, form, errors).await?)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }

    let user_id = user.user.id.clone();
    let organisation_id = user.user.organisation_id.clone();
    let delivery = form.delivery.clone();
    let subscription = state
        .store
        .run(move |db| {
            subscriptions::create(
                db,
                &user_id,
                &organisation_id,
                REPORT_AMIF_MONTHLY,
                &delivery,
                key.as_deref(),
            )
        })
        .await?;
    let event = AuditEvent::new("report.schedule.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("report_subscription", &subscription.id)
        .details(json!({ "report": REPORT_AMIF_MONTHLY, "delivery": subscription.delivery }));
    record(&state.store, event).await?;
    Ok(Redirect::to(&format!("{SCHEDULE_PATH}?done=subscribed")).into_response())
}

/// `POST /reports/schedule/{id}/cancel`: the confirmation page, then,
/// with `confirmed=yes`, the end of the subscription.
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(input): Form<CancelForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ScheduleReports)?;
    let lookup = id.clone();
    let found = state
        .store
        .run(move |db| match subscriptions::get(db, &lookup) {
            Ok(found) => Ok(Some(found)),
            Err(procap_store::StoreError::NotFound) => Ok(None),
            Err(error) => Err(error),
        })
        .await?;
    let Some(subscription) =
        found.filter(|s| s.user_id == user.user.id && s.cancelled_at.is_none())
    else {
        return Err(WebError::NotFound);
    };

    if input.confirmed != "yes" {
        let ctx = user.page(SCHEDULE_PATH);
        let title = ctx.t.t("reports-schedule-cancel-title");
        let message = ctx.t.t("reports-schedule-cancel-question");
        let confirm_label = ctx.t.t("reports-schedule-cancel");
        return render(&ConfirmPage {
            ctx,
            title,
            message,
            action: cancel_href(&subscription.id),
            hidden: vec![HiddenField {
                name: "confirmed".to_owned(),
                value: "yes".to_owned(),
            }],
            confirm_label,
            cancel_href: SCHEDULE_PATH.to_owned(),
            destructive: true,
        });
    }

    let user_id = user.user.id.clone();
    let cancel_id = subscription.id.clone();
    state
        .store
        .run(move |db| subscriptions::cancel(db, &cancel_id, &user_id))
        .await?;
    let event = AuditEvent::new("report.schedule.cancel", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("report_subscription", &subscription.id);
    record(&state.store, event).await?;
    Ok(Redirect::to(&format!("{SCHEDULE_PATH}?done=cancelled")).into_response())
}
