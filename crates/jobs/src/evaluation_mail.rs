//! The evaluation e-mails: an invitation once an evaluation is due, and one
//! reminder [`REMINDER_AFTER_DAYS`] days later while it is unanswered.
//!
//! A message holds the trainee's name, the course title and a link to
//! `/training/evaluations/{id}`, which asks for a login: the link carries
//! no token. It is written in the trainee's interface language. The texts
//! come from the caller (the web crate's Fluent files) through
//! [`EvaluationTexts`].

use std::sync::Arc;

use chrono::NaiveDateTime;
use procap_domain::locale::Locale;
use procap_store::Store;
use procap_store::training::evaluations::{self, Kind, Mailing};

pub use procap_store::training::evaluations::REMINDER_AFTER_DAYS;

use crate::mail::{Mailer, Outgoing};

/// Job kind of the evaluation mail run, queued hourly when mail is set up.
pub const KIND_EVALUATION_MAIL: &str = "training.evaluation_mail";

/// What one message says.
pub struct MailContent<'a> {
    pub locale: Locale,
    pub kind: Kind,
    pub reminder: bool,
    pub name: &'a str,
    pub course_title: &'a str,
    pub link: &'a str,
}

/// Writes the subject and body of an evaluation e-mail.
pub trait EvaluationTexts: Send + Sync {
    fn compose(&self, content: &MailContent<'_>) -> (String, String);
}

/// Mail settings the worker needs.
#[derive(Clone)]
pub struct EvaluationMail {
    pub mailer: Mailer,
    /// Origin of the links, e.g. `https://procap.example.org`.
    pub public_origin: String,
    pub texts: Arc<dyn EvaluationTexts>,
}

impl std::fmt::Debug for EvaluationMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvaluationMail")
            .field("mailer", &self.mailer)
            .field("public_origin", &self.public_origin)
            .finish_non_exhaustive()
    }
}

/// How many messages one run sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRun {
    pub invitations: usize,
    pub reminders: usize,
    pub failed: usize,
}

fn message(mail: &EvaluationMail, mailing: &Mailing, reminder: bool) -> Outgoing {
    let locale = Locale::parse(&mailing.locale).unwrap_or_default();
    let course_title = match locale {
        Locale::El => &mailing.course_title_el,
        Locale::En => &mailing.course_title_en,
    };
    let link = format!(
        "{}/training/evaluations/{}",
        mail.public_origin.trim_end_matches('/'),
        mailing.evaluation_id
    );
    let (subject, body) = mail.texts.compose(&MailContent {
        locale,
        kind: mailing.kind,
        reminder,
        name: &mailing.display_name,
        course_title,
        link: &link,
    });
    Outgoing {
        to_name: mailing.display_name.clone(),
        to_address: mailing.email.clone(),
        subject,
        body,
        attachment: None,
    }
}

/// Sends the invitations and reminders due at `now` and records each as
/// soon as it went out, so a later run never sends it again. A message that
/// fails is logged by evaluation id and tried on the next run.
///
/// # Errors
///
/// A message when the database cannot be read or any message failed (the
/// job is then retried; sent messages are not sent again).
pub fn run(store: &Store, mail: &EvaluationMail, now: NaiveDateTime) -> Result<MailRun, String> {
    let today = now
        .and_utc()
        .with_timezone(&chrono_tz::Europe::Athens)
        .date_naive();
    let mut result = MailRun::default();

    let invitations = store
        .run_blocking(|db| evaluations::invitations_due(db, today))
        .map_err(|error| error.to_string())?;
    for mailing in &invitations {
        if deliver(store, mail, mailing, false, now) {
            result.invitations += 1;
        } else {
            result.failed += 1;
        }
    }

    let reminders = store
        .run_blocking(|db| evaluations::reminders_due(db, now))
        .map_err(|error| error.to_string())?;
    for mailing in &reminders {
        if deliver(store, mail, mailing, true, now) {
            result.reminders += 1;
        } else {
            result.failed += 1;
        }
    }

    tracing::info!(
        invitations = result.invitations,
        reminders = result.reminders,
        failed = result.failed,
        "evaluation e-mails sent"
    );
    if result.failed > 0 {
        return Err(format!("{} evaluation e-mails failed", result.failed));
    }
    Ok(result)
}

fn deliver(
    store: &Store,
    mail: &EvaluationMail,
    mailing: &Mailing,
    reminder: bool,
    now: NaiveDateTime,
) -> bool {
    let id = mailing.evaluation_id.as_str();
    if let Err(error) = mail.mailer.send(&message(mail, mailing, reminder)) {
        tracing::warn!(evaluation_id = id, reminder, error = %error, "evaluation e-mail failed");
        return false;
    }
    let recorded = store.run_blocking(|db| {
        if reminder {
            evaluations::mark_reminded(db, id, now)
        } else {
            evaluations::mark_invited(db, id, now)
        }
    });
    match recorded {
        Ok(true) => true,
        Ok(false) => {
            tracing::warn!(
                evaluation_id = id,
                reminder,
                "evaluation e-mail was sent twice"
            );
            true
        }
        Err(error) => {
            tracing::error!(evaluation_id = id, reminder, error = %error, "evaluation e-mail sent but not recorded");
            false
        }
    }
}
