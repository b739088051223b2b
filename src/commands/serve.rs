//! `procap serve` (and the server half of `procap demo`): start-up, the
//! background worker, and a graceful stop on SIGINT or SIGTERM.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use procap_store::Store;
use procap_web::WebConfig;

use crate::config::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Production,
    Demo,
}

/// Builds the runtime, opens the store and serves until stopped.
pub fn run(settings: Settings, mode: Mode) -> anyhow::Result<ExitCode> {
    crate::logging::init(settings.log_format, &settings.log)?;
    let started = Instant::now();
    let store = crate::startup::open_store(&settings)?;
    serve_store(settings, store, mode, started)
}

/// Serves an already opened store (the demo seeds it first).
pub fn serve_store(
    settings: Settings,
    store: Store,
    mode: Mode,
    started: Instant,
) -> anyhow::Result<ExitCode> {
    // Database work runs on blocking threads, which wait there for a pooled
    // connection. Four more threads hash passwords and render PDFs. With a
    // limit of 16, all 16 stayed alive under 32 clients, most of them
    // waiting for a connection and each keeping its own stack and allocator
    // memory (docs/benchmarks.md).
    let blocking_threads = (settings.db_max_connections as usize).saturating_add(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let config = web_config(&settings, mode);
        let app = procap_web::router(store.clone(), config)?;
        let listener = tokio::net::TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let address = listener.local_addr()?;

        let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(procap_jobs::run_with(
            store.clone(),
            Duration::from_secs(u64::from(settings.worker_poll_seconds)),
            procap_jobs::WorkerSettings {
                retention_years: Some(settings.retention_years),
                attachments_dir: Some(settings.data_dir().join("attachments")),
                evaluation_mail: evaluation_mail(&settings, mode)?,
                scheduled_reports: scheduled_reports(&settings, mode)?,
            },
            worker_stopped,
        ));

        tracing::info!(
            address = %address,
            backend = store.backend().as_str(),
            demo = mode == Mode::Demo,
            ready_ms = started.elapsed().as_millis() as u64,
            "procap serving"
        );
        procap_web::serve(listener, app, shutdown_signal())
            .await
            .context("server failed")?;
        let _ = stop_worker.send(true);
        if let Err(error) = worker.await {
            tracing::error!(error = %error, "background worker ended abnormally");
        }
        tracing::info!("procap stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// The evaluation e-mail settings, `None` when e-mail is off. The demo
/// writes `.eml` files into the mail folder unless told otherwise.
fn evaluation_mail(
    settings: &Settings,
    mode: Mode,
) -> anyhow::Result<Option<procap_jobs::evaluation_mail::EvaluationMail>> {
    use procap_jobs::mail::{MailTransport, Mailer, TlsMode};

    let transport = match (settings.mail_transport.as_str(), mode) {
        ("none", Mode::Production) => return Ok(None),
        ("none" | "file", _) => MailTransport::File(settings.mail_dir()),
        _ => MailTransport::Smtp {
            host: settings.smtp_host.clone().unwrap_or_default(),
            port: settings.smtp_port,
            credentials: settings
                .smtp_user
                .clone()
                .map(|user| (user, settings.smtp_password.clone().unwrap_or_default())),
            tls: TlsMode::parse(&settings.smtp_tls).unwrap_or(TlsMode::StartTls),
        },
    };
    let from = settings
        .mail_from
        .clone()
        .unwrap_or_else(|| "Procap <procap@localhost>".to_owned());
    let mailer = Mailer::new(transport, &from).map_err(anyhow::Error::msg)?;
    Ok(Some(procap_jobs::evaluation_mail::EvaluationMail {
        mailer,
        public_origin: public_origin(settings),
        texts: std::sync::Arc::new(FluentMailTexts),
    }))
}

/// The scheduled report settings, `None` when e-mail is off.
fn scheduled_reports(
    settings: &Settings,
    mode: Mode,
) -> anyhow::Result<Option<procap_jobs::scheduled_reports::ScheduledReports>> {
    Ok(evaluation_mail(settings, mode)?.map(|mail| {
        procap_jobs::scheduled_reports::ScheduledReports {
            mailer: mail.mailer,
            public_origin: mail.public_origin,
            texts: std::sync::Arc::new(FluentReportTexts),
        }
    }))
}

/// Scheduled report texts from the web crate's Fluent files.
struct FluentReportTexts;

impl procap_jobs::scheduled_reports::ReportTexts for FluentReportTexts {
    fn compose(
        &self,
        content: &procap_jobs::scheduled_reports::ReportContent<'_>,
    ) -> (String, String) {
        let t = procap_web::i18n::Translator::new(content.locale);
        let from = t.format_date(&content.period.from());
        let to = t.format_date(&content.period.to());
        let period = |key: &str| {
            t.t_args(
                key,
                &[
                    ("from", from.clone().into()),
                    ("to", to.clone().into()),
                    ("organisation", content.organisation.to_owned().into()),
                ],
            )
        };
        let mut parts = vec![
            t.t1("schedule-mail-greeting", "name", content.name.to_owned()),
            period("schedule-mail-ready"),
        ];
        if content.link_only {
            parts.push(t.t1("schedule-mail-link", "link", content.link.to_owned()));
        } else {
            parts.push(t.t("schedule-mail-attached"));
        }
        parts.push(t.t("schedule-mail-signature"));
        (period("schedule-mail-subject"), parts.join("\n\n"))
    }
}

/// Evaluation e-mail texts from the web crate's Fluent files.
struct FluentMailTexts;

impl procap_jobs::evaluation_mail::EvaluationTexts for FluentMailTexts {
    fn compose(&self, content: &procap_jobs::evaluation_mail::MailContent<'_>) -> (String, String) {
        use procap_store::training::evaluations::Kind;
        let t = procap_web::i18n::Translator::new(content.locale);
        let course = content.course_title.to_owned();
        let (subject, body) = match (content.reminder, content.kind) {
            (true, _) => (
                "evaluation-mail-subject-reminder",
                "evaluation-mail-body-reminder",
            ),
            (false, Kind::EndOfCourse) => {
                ("evaluation-mail-subject-end", "evaluation-mail-body-end")
            }
            (false, Kind::FollowUp) => (
                "evaluation-mail-subject-follow-up",
                "evaluation-mail-body-follow-up",
            ),
        };
        let text = [
            t.t1("evaluation-mail-greeting", "name", content.name.to_owned()),
            t.t1(body, "course", course.clone()),
            t.t1("evaluation-mail-link", "link", content.link.to_owned()),
            t.t("evaluation-mail-signature"),
        ]
        .join("\n\n");
        (t.t1(subject, "course", course), text)
    }
}

fn public_origin(settings: &Settings) -> String {
    match &settings.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://{}", settings.bind),
    }
}

fn web_config(settings: &Settings, mode: Mode) -> WebConfig {
    let public_origin = match &settings.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://{}", settings.bind),
    };
    WebConfig {
        https: public_origin.starts_with("https://"),
        public_origin,
        session_idle: Duration::from_secs(u64::from(settings.session_idle_minutes) * 60),
        session_absolute: Duration::from_secs(u64::from(settings.session_absolute_hours) * 3600),
        body_limit_bytes: settings.body_limit_kib as usize * 1024,
        request_timeout: Duration::from_secs(u64::from(settings.request_timeout_seconds)),
        demo_mode: mode == Mode::Demo,
        attachments: procap_web::handlers::notes::AttachmentSettings::in_dir(
            settings.data_dir().join("attachments"),
        ),
        training_target_trainees: settings.training_target_trainees,
        // Checked when the settings were loaded.
        export_recipients: settings.export_recipients().unwrap_or_default(),
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(error = %error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => tracing::info!("interrupt received, stopping"),
        _ = terminate => tracing::info!("SIGTERM received, stopping"),
    }
}

#[cfg(test)]
mod tests {
    use procap_domain::locale::Locale;
    use procap_jobs::evaluation_mail::{EvaluationTexts, MailContent};
    use procap_store::training::evaluations::Kind;

    use super::FluentMailTexts;

    fn compose(locale: Locale, kind: Kind, reminder: bool) -> (String, String) {
        FluentMailTexts.compose(&MailContent {
            locale,
            kind,
            reminder,
            name: "Δοκιμαστική Εκπαιδευόμενη",
            course_title: "Ενδείξεις στην πράξη",
            link: "https://procap.example.org/training/evaluations/abc",
        })
    }

    #[test]
    fn evaluation_mail_is_written_in_the_trainees_language() {
        let (subject, body) = compose(Locale::El, Kind::EndOfCourse, false);
        assert_eq!(
            subject,
            "Η αξιολόγησή σας για το μάθημα «Ενδείξεις στην πράξη»"
        );
        assert!(body.starts_with("Αγαπητή/Αγαπητέ Δοκιμαστική Εκπαιδευόμενη,"));
        assert!(body.contains("https://procap.example.org/training/evaluations/abc"));
        let (subject, _) = compose(Locale::El, Kind::FollowUp, false);
        assert!(subject.starts_with("Τρεις μήνες μετά"), "{subject}");
        let (subject, _) = compose(Locale::El, Kind::EndOfCourse, true);
        assert!(subject.starts_with("Υπενθύμιση"), "{subject}");
        let (subject, body) = compose(Locale::En, Kind::FollowUp, false);
        assert_eq!(subject, "Three months on: Ενδείξεις στην πράξη");
        assert!(
            body.starts_with("Dear Δοκιμαστική Εκπαιδευόμενη,"),
            "{body}"
        );
        assert!(body.contains("evaluations/abc"));
    }
}
