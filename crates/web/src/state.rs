//! Shared application state and the web settings the binary passes in.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use procap_store::Store;

/// Web settings, already validated by the binary.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// `scheme://host[:port]` users reach Procap at; state-changing requests
    /// must come from it.
    pub public_origin: String,
    /// Served over HTTPS: Secure cookies and HSTS.
    pub https: bool,
    /// Inactivity after which a session ends.
    pub session_idle: Duration,
    /// Time after login at which a session ends however active it is.
    pub session_absolute: Duration,
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    /// Demo mode: second factors are offered but not required.
    pub demo_mode: bool,
    /// Where case attachments are stored and their size limit.
    pub attachments: crate::handlers::notes::AttachmentSettings,
    /// The training programme's target in trainees, shown on the progress
    /// dashboard.
    pub training_target_trainees: u32,
    /// age public keys the HTCDS export page offers.
    pub export_recipients: Vec<ExportRecipient>,
}

/// An age public key offered on the HTCDS export page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecipient {
    /// The case code prefix of the organisation it serves; `None` for all.
    pub organisation_prefix: Option<String>,
    /// `age1…`.
    pub key: String,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}
