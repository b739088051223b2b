//! Scheduled reports through the file transport, on both backends: a link
//! message carries no figure, an attachment opens with the subscriber's
//! age identity and holds the AMIF report, and a second run in the same
//! month sends nothing, even from a second worker.

use std::io::Read;
use std::sync::Arc;

use base64::Engine;
use procap_jobs::mail::{MailTransport, Mailer};
use procap_jobs::scheduled_reports::{self, ReportContent, ReportTexts, ScheduledReports};
use procap_jobs::{WorkerSettings, tick_with};
use procap_store::report_subscriptions::{
    self as subscriptions, DELIVERY_ATTACHMENT, DELIVERY_LINK, REPORT_AMIF_MONTHLY,
};
use procap_store::testing::TestDatabase;
use procap_store::{Store, organisations, users};

struct Texts;

impl ReportTexts for Texts {
    fn compose(&self, content: &ReportContent<'_>) -> (String, String) {
        let body = if content.link_only {
            format!(
                "Dear {}, the report is ready: {}",
                content.name, content.link
            )
        } else {
            format!("Dear {}, the report is attached.", content.name)
        };
        (
            format!("AMIF {} to {}", content.period.from(), content.period.to()),
            body,
        )
    }
}

fn settings(dir: &std::path::Path) -> WorkerSettings {
    let mailer = Mailer::new(
        MailTransport::File(dir.to_owned()),
        "Procap <procap@example.invalid>",
    )
    .unwrap();
    WorkerSettings {
        scheduled_reports: Some(ScheduledReports {
            mailer,
            public_origin: "https://procap.example.invalid".to_owned(),
            texts: Arc::new(Texts),
        }),
        ..WorkerSettings::default()
    }
}

fn eml_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "eml"))
                .map(|entry| std::fs::read_to_string(entry.path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A coordinator with an e-mail address subscribed with `delivery`.
fn subscribe(store: &Store, delivery: &str, key: Option<&str>) -> String {
    let key = key.map(str::to_owned);
    let delivery = delivery.to_owned();
    store
        .run_blocking(move |db| {
            let org = organisations::create(db, "Φορέας Δοκιμής", "ngo", "FD")?.id;
            let user = users::create(
                db,
                &users::NewUser {
                    organisation_id: &org,
                    username: "coord",
                    display_name: "Coordinator Test",
                    email: Some("coord@example.invalid"),
                    role: "coordinator",
                    password_hash: "x",
                    must_change_password: false,
                    locale: "en",
                },
            )?
            .id;
            Ok(subscriptions::create(
                db,
                &user,
                &org,
                REPORT_AMIF_MONTHLY,
                &delivery,
                key.as_deref(),
            )?
            .id)
        })
        .unwrap()
}

/// Runs workers until the queue is empty.
async fn drain(store: &Store, worker: &str, settings: &WorkerSettings) {
    for _ in 0..10 {
        if !tick_with(store, worker, settings).await.unwrap() {
            return;
        }
    }
}

/// The body of the single text part, for a message without attachment.
fn plain_body(message: &str) -> String {
    let start = message.find("\r\n\r\n").unwrap() + 4;
    // Undo quoted-printable's soft line breaks and escaped equals signs.
    message[start..].replace("=\r\n", "").replace("=3D", "=")
}

/// The decoded bytes of the message's attachment.
fn attachment(message: &str) -> Vec<u8> {
    let disposition = message
        .find("Content-Disposition: attachment")
        .expect("an attachment");
    let rest = &message[disposition..];
    let start = rest.find("\r\n\r\n").unwrap() + 4;
    let end = rest[start..].find("\r\n--").unwrap() + start;
    let encoded: String = rest[start..end].split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_message_has_no_figures_and_goes_once() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(dir.path());
        let id = subscribe(&store, DELIVERY_LINK, None);

        drain(&store, "worker-a", &settings).await;
        // A second server and a second run in the same month send nothing.
        drain(&store, "worker-b", &settings).await;
        drain(&store, "worker-a", &settings).await;

        let messages = eml_files(dir.path());
        assert_eq!(messages.len(), 1, "{:?}", database.backend());
        let message = &messages[0];
        assert!(!message.contains("Content-Disposition: attachment"));
        let body = plain_body(message);
        assert!(body.contains("https://procap.example.invalid/reports/amif?from="));
        let (period, label) = scheduled_reports::previous_month(procap_store::now());
        assert!(body.contains(&period.from().to_string()));
        // No figure: the body has no digit outside the link.
        let outside_link: String = body
            .split_whitespace()
            .filter(|word| !word.starts_with("https://"))
            .collect();
        assert!(
            !outside_link.chars().any(|c| c.is_ascii_digit()),
            "{outside_link}"
        );

        let delivered = store
            .run_blocking(move |db| subscriptions::delivered(db, &id, &label))
            .unwrap();
        assert!(delivered, "{:?}", database.backend());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachment_opens_with_the_subscriber_identity() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(dir.path());
        let identity = age::x25519::Identity::generate();
        let key = identity.to_public().to_string();
        subscribe(&store, DELIVERY_ATTACHMENT, Some(&key));

        drain(&store, "worker-a", &settings).await;
        drain(&store, "worker-b", &settings).await;

        let messages = eml_files(dir.path());
        assert_eq!(messages.len(), 1, "{:?}", database.backend());
        let sealed = attachment(&messages[0]);
        let decryptor = age::Decryptor::new(sealed.as_slice()).unwrap();
        let mut reader = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .unwrap();
        let mut csv = String::new();
        reader.read_to_string(&mut csv).unwrap();
        assert!(csv.starts_with('\u{feff}'), "a byte-order mark");
        assert!(csv.contains("Φορέας Δοκιμής"), "{csv}");
        assert!(csv.lines().count() > 5, "{csv}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_subscription_gets_nothing() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(dir.path());
        let id = subscribe(&store, DELIVERY_LINK, None);
        let user = store
            .run_blocking({
                let id = id.clone();
                move |db| Ok(subscriptions::get(db, &id)?.user_id)
            })
            .unwrap();
        let cancelled = store
            .run_blocking(move |db| subscriptions::cancel(db, &id, &user))
            .unwrap();
        assert!(cancelled);

        drain(&store, "worker-a", &settings).await;
        assert!(eml_files(dir.path()).is_empty(), "{:?}", database.backend());
    }
}
