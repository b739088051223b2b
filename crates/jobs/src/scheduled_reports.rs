//! Scheduled reports: once a month, the AMIF figures of the previous month
//! (Athens calendar) for each subscription, by e-mail.
//!
//! Each subscription and month gets one job with a fixed id
//! (`scheduled-report:<subscription>:<YYYY-MM>`), so however many workers
//! schedule it the job exists once, and the jobs table's locking lets one
//! worker run it. The job sends the message and records the delivery; a
//! delivery already recorded is never sent again.
//!
//! A link message names the period and links to the report page, which
//! asks for a login: its body holds no figure. An attachment message
//! carries the report as CSV encrypted with age to the key the subscriber
//! gave. The texts come from the caller (the web crate's Fluent files)
//! through [`ReportTexts`].

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use procap_domain::locale::Locale;
use procap_domain::stats::amif::Period;
use procap_reports::amif::{AmifReport, amif_csv};
use procap_reports::sealed::{Recipient, seal};
use procap_store::report_subscriptions::{
    self as subscriptions, DELIVERY_ATTACHMENT, Subscription,
};
use procap_store::{Db, Store, StoreError, jobs, organisations, reporting};
use serde_json::json;

use crate::mail::{Attachment, Mailer, Outgoing};

/// Job kind of one subscription's monthly report.
pub const KIND_SCHEDULED_REPORT: &str = "reports.scheduled";
/// Attempts before a report job is marked failed.
const MAX_ATTEMPTS: i32 = 5;

/// What one message says.
pub struct ReportContent<'a> {
    pub locale: Locale,
    /// `true` for a link message, `false` for an attachment.
    pub link_only: bool,
    pub name: &'a str,
    pub organisation: &'a str,
    pub period: Period,
    /// The report page, for a link message.
    pub link: &'a str,
}

/// Writes the subject and body of a scheduled report message. The body
/// must hold no figure of the report.
pub trait ReportTexts: Send + Sync {
    fn compose(&self, content: &ReportContent<'_>) -> (String, String);
}

/// Mail settings the worker needs for scheduled reports.
#[derive(Clone)]
pub struct ScheduledReports {
    pub mailer: Mailer,
    /// Origin of the links, e.g. `https://procap.example.org`.
    pub public_origin: String,
    pub texts: Arc<dyn ReportTexts>,
}

impl std::fmt::Debug for ScheduledReports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScheduledReports")
            .field("mailer", &self.mailer)
            .field("public_origin", &self.public_origin)
            .finish_non_exhaustive()
    }
}

/// The calendar month before the one holding `now` in Athens, and its
/// `YYYY-MM` label.
pub fn previous_month(now: NaiveDateTime) -> (Period, String) {
    let today = now
        .and_utc()
        .with_timezone(&chrono_tz::Europe::Athens)
        .date_naive();
    let first_of_this = today.with_day(1).unwrap_or(today);
    let last = first_of_this.pred_opt().unwrap_or(first_of_this);
    let first = last.with_day(1).unwrap_or(last);
    let period = Period::new(first, last).unwrap_or_else(|_| {
        Period::new(first_of_this, first_of_this).expect("a one-day period is valid")
    });
    (period, format!("{:04}-{:02}", first.year(), first.month()))
}

fn job_id(subscription_id: &str, label: &str) -> String {
    format!("scheduled-report:{subscription_id}:{label}")
}

/// Queues the previous month's report job of every subscription that has
/// none yet; returns how many were queued. Safe to call from every worker.
pub fn schedule(db: &mut Db<'_>, now: NaiveDateTime) -> Result<usize, StoreError> {
    let (_, label) = previous_month(now);
    let mut queued = 0;
    for subscription in subscriptions::due(db, &label)? {
        let payload = json!({ "subscription": subscription.id, "period": label });
        let id = job_id(&subscription.id, &label);
        if jobs::enqueue_once(db, &id, KIND_SCHEDULED_REPORT, &payload, now, MAX_ATTEMPTS)? {
            queued += 1;
        }
    }
    Ok(queued)
}

fn period_of(label: &str) -> Option<Period> {
    let first = NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Period::new(first, next.pred_opt()?).ok()
}

/// Sends one subscription's report for the job's month and records it.
///
/// # Errors
///
/// A message with ids only when the database or the mail transport fails
/// (the job is then retried; a recorded delivery is never sent again).
pub fn run(store: &Store, settings: &ScheduledReports, payload: &str) -> Result<(), String> {
    let payload: serde_json::Value =
        serde_json::from_str(payload).map_err(|_| "invalid report job payload".to_owned())?;
    let (Some(id), Some(label)) = (
        payload["subscription"].as_str().map(str::to_owned),
        payload["period"].as_str().map(str::to_owned),
    ) else {
        return Err("invalid report job payload".to_owned());
    };
    let period = period_of(&label).ok_or_else(|| format!("invalid report period {label}"))?;

    let loaded = store
        .run_blocking(|db| {
            let subscription = subscriptions::get(db, &id)?;
            let delivered = subscriptions::delivered(db, &id, &label)?;
            let subscriber = subscriptions::subscriber(db, &subscription.user_id)?;
            let organisation = organisations::get(db, &subscription.organisation_id)?;
            Ok((subscription, delivered, subscriber, organisation))
        })
        .map_err(|error| error.to_string())?;
    let (subscription, delivered, subscriber, organisation) = loaded;
    if subscription.cancelled_at.is_some() || delivered {
        tracing::info!(subscription_id = %id, period = %label, "scheduled report not due");
        return Ok(());
    }
    let Some((address, name, locale)) = subscriber else {
        tracing::warn!(subscription_id = %id, "scheduled report skipped: the subscriber has no e-mail address");
        return Ok(());
    };
    let locale = Locale::parse(&locale).unwrap_or_default();

    let message = compose(
        store,
        settings,
        &subscription,
        period,
        &label,
        (address.as_str(), name.as_str(), locale),
        &organisation,
    )?;
    settings.mailer.send(&message)?;
    let recorded = store
        .run_blocking(|db| subscriptions::record_delivery(db, &id, &label, procap_store::now()))
        .map_err(|error| error.to_string())?;
    if !recorded {
        tracing::warn!(subscription_id = %id, period = %label, "scheduled report was sent twice");
    }
    tracing::info!(subscription_id = %id, period = %label, "scheduled report sent");
    Ok(())
}

fn compose(
    store: &Store,
    settings: &ScheduledReports,
    subscription: &Subscription,
    period: Period,
    label: &str,
    (address, name, locale): (&str, &str, Locale),
    organisation: &organisations::Organisation,
) -> Result<Outgoing, String> {
    let link_only = subscription.delivery != DELIVERY_ATTACHMENT;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("from", &period.from().to_string())
        .append_pair("to", &period.to().to_string())
        .append_pair("organisation", &organisation.id)
        .finish();
    let link = format!(
        "{}/reports/amif?{query}",
        settings.public_origin.trim_end_matches('/')
    );
    let (subject, body) = settings.texts.compose(&ReportContent {
        locale,
        link_only,
        name,
        organisation: &organisation.name,
        period,
        link: &link,
    });
    let attachment = if link_only {
        None
    } else {
        let key = subscription
            .recipient_key
            .as_deref()
            .ok_or_else(|| format!("subscription {} has no recipient key", subscription.id))?;
        let recipient = Recipient::parse(key)
            .map_err(|_| format!("subscription {} has an invalid key", subscription.id))?;
        let organisation_id = organisation.id.clone();
        let (figures, training) = store
            .run_blocking(move |db| reporting::amif_figures(db, period, Some(&organisation_id)))
            .map_err(|error| error.to_string())?;
        let report = AmifReport::new(&figures, &training, organisation.name.clone());
        let sealed = seal(&[recipient], &amif_csv(&report)).map_err(|error| error.to_string())?;
        Some(Attachment {
            file_name: format!("amif-{label}.csv.age"),
            content_type: "application/octet-stream".to_owned(),
            bytes: sealed,
        })
    };
    Ok(Outgoing {
        to_name: name.to_owned(),
        to_address: address.to_owned(),
        subject,
        body,
        attachment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_month_follows_athens_calendar() {
        let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        let (period, label) = previous_month(at("2026-12-05 06:00"));
        assert_eq!(label, "2026-11");
        assert_eq!(period.from().to_string(), "2026-11-01");
        assert_eq!(period.to().to_string(), "2026-11-30");
        // 23:30 UTC on 31 December is already January in Athens.
        let (_, label) = previous_month(at("2026-12-31 23:30"));
        assert_eq!(label, "2026-12");
        let (period, label) = previous_month(at("2027-01-15 12:00"));
        assert_eq!(label, "2026-12");
        assert_eq!(period.to().to_string(), "2026-12-31");
    }

    #[test]
    fn labels_read_back_as_periods() {
        let period = period_of("2028-02").unwrap();
        assert_eq!(period.to().to_string(), "2028-02-29");
        assert!(period_of("2028-13").is_none());
    }
}
