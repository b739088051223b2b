//! Settings, merged from defaults, a TOML file, `PROCAP_*` environment
//! variables and command-line flags, in rising order of precedence. A secret
//! setting can also come from a file named by `PROCAP_<NAME>_FILE`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::cli::{CommonArgs, LogFormat, ServeArgs};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// `None` means the SQLite file in the data folder.
    pub database_url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub bind: SocketAddr,
    pub public_url: Option<String>,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub body_limit_kib: u32,
    pub request_timeout_seconds: u32,
    pub db_max_connections: u32,
    pub worker_poll_seconds: u32,
    /// Years after closure after which the daily job anonymises a case.
    pub retention_years: u32,
    /// Trainees the training programme aims to reach; the progress
    /// dashboard measures against it.
    pub training_target_trainees: u32,
    /// `none` (no e-mail), `smtp`, or `file` (`.eml` files in `mail_dir`).
    pub mail_transport: String,
    /// `None` means the `mail` folder in the data folder.
    pub mail_dir: Option<PathBuf>,
    /// Sender of Procap's e-mail, e.g. `Procap <procap@example.org>`.
    pub mail_from: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_user: Option<String>,
    /// Secret: from `PROCAP_SMTP_PASSWORD` or the file named by
    /// `PROCAP_SMTP_PASSWORD_FILE`.
    pub smtp_password: Option<String>,
    /// `starttls`, `tls` or `none`.
    pub smtp_tls: String,
    pub log_format: LogFormat,
    pub log: String,
    /// age public keys (`age1...`) that backups are encrypted to; from the
    /// TOML file as a list or from `PROCAP_BACKUP_RECIPIENTS` separated by
    /// commas. Empty means Procap's own identity file in the data folder.
    #[serde(deserialize_with = "list_or_commas")]
    pub backup_recipients: Vec<String>,
    /// age public keys the HTCDS export page offers, each `PREFIX=age1…`
    /// for the organisation with that case code prefix or a bare `age1…`
    /// for every organisation; from the TOML file as a list or from
    /// `PROCAP_EXPORT_RECIPIENTS` separated by commas.
    #[serde(deserialize_with = "list_or_commas")]
    pub export_recipients: Vec<String>,
}

/// A list of strings, given as a list or as one comma-separated string.
fn list_or_commas<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    let items = match ListOrText::deserialize(deserializer)? {
        ListOrText::List(items) => items,
        ListOrText::Text(text) => text.split(',').map(str::to_owned).collect(),
    };
    Ok(items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("data"),
            database_url: None,
            key_file: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            body_limit_kib: 2048,
            request_timeout_seconds: 30,
            db_max_connections: 4,
            worker_poll_seconds: 5,
            retention_years: 5,
            training_target_trainees: 180,
            mail_transport: "none".to_owned(),
            mail_dir: None,
            mail_from: None,
            smtp_host: None,
            smtp_port: 587,
            smtp_user: None,
            smtp_password: None,
            smtp_tls: "starttls".to_owned(),
            log_format: LogFormat::Text,
            log: "info".to_owned(),
            backup_recipients: Vec::new(),
            export_recipients: Vec::new(),
        }
    }
}

/// Settings names whose values are secrets and may come from a file.
const SECRET_SETTINGS: [&str; 2] = ["database_url", "smtp_password"];

impl Settings {
    /// Merges every source. `serve` carries the server flags when the command has them.
    pub fn load(common: &CommonArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = &common.config {
            if !path.is_file() {
                bail!("configuration file {} does not exist", path.display());
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(
            Env::prefixed("PROCAP_")
                .ignore(&["config"])
                .filter(|key| !key.as_str().ends_with("_file")),
        );
        for name in SECRET_SETTINGS {
            let variable = format!("PROCAP_{}_FILE", name.to_ascii_uppercase());
            if let Ok(path) = std::env::var(&variable) {
                let value = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {variable} file {path}"))?;
                figment = figment.merge(Serialized::default(name, value.trim().to_owned()));
            }
        }
        figment = figment.merge(Serialized::defaults(CommonOverrides::from(common)));
        if let Some(serve) = serve {
            figment = figment.merge(Serialized::defaults(ServeOverrides::from(serve)));
        }
        let settings: Settings = figment.extract().context("invalid configuration")?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.session_idle_minutes == 0 || self.session_absolute_hours == 0 {
            bail!("session_idle_minutes and session_absolute_hours must be at least 1");
        }
        if self.body_limit_kib < 16 {
            bail!("body_limit_kib must be at least 16");
        }
        if self.request_timeout_seconds == 0
            || self.db_max_connections == 0
            || self.worker_poll_seconds == 0
        {
            bail!(
                "request_timeout_seconds, db_max_connections and worker_poll_seconds must be at least 1"
            );
        }
        if self.retention_years == 0 || self.retention_years > 100 {
            bail!("retention_years must be between 1 and 100");
        }
        if self.training_target_trainees == 0 || self.training_target_trainees > 1_000_000 {
            bail!("training_target_trainees must be between 1 and 1000000");
        }
        match self.mail_transport.as_str() {
            "none" | "file" => {}
            "smtp" => {
                if self.smtp_host.as_deref().is_none_or(str::is_empty) {
                    bail!("mail_transport = \"smtp\" needs smtp_host");
                }
                if self.mail_from.is_none() {
                    bail!("mail_transport = \"smtp\" needs mail_from");
                }
            }
            other => bail!("mail_transport must be none, smtp or file, not {other}"),
        }
        if procap_jobs::mail::TlsMode::parse(&self.smtp_tls).is_none() {
            bail!("smtp_tls must be starttls, tls or none");
        }
        self.export_recipients()?;
        if let Some(public_url) = &self.public_url {
            let parsed = url::Url::parse(public_url)
                .with_context(|| format!("invalid public_url {public_url}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("public_url must start with http:// or https://");
            }
        }
        Ok(())
    }

    /// The export recipients, checked.
    pub fn export_recipients(&self) -> anyhow::Result<Vec<procap_web::state::ExportRecipient>> {
        self.export_recipients
            .iter()
            .map(|entry| {
                let (prefix, key) = match entry.split_once('=') {
                    Some((prefix, key)) => (Some(prefix.trim().to_ascii_uppercase()), key.trim()),
                    None => (None, entry.trim()),
                };
                if procap_reports::sealed::Recipient::parse(key).is_err() {
                    bail!("export_recipients: {key} is not an age public key (age1…)");
                }
                Ok(procap_web::state::ExportRecipient {
                    organisation_prefix: prefix,
                    key: key.to_owned(),
                })
            })
            .collect()
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("procap.sqlite3").display()
            ),
        }
    }

    pub fn key_file(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("procap.key"))
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.mail_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("mail"))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// Only the flags that were given, so absent flags do not hide the file or
/// the environment.
#[derive(Serialize)]
struct CommonOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_file: Option<PathBuf>,
}

impl From<&CommonArgs> for CommonOverrides {
    fn from(args: &CommonArgs) -> Self {
        CommonOverrides {
            data_dir: args.data_dir.clone(),
            database_url: args.database_url.clone(),
            key_file: args.key_file.clone(),
        }
    }
}

#[derive(Serialize)]
struct ServeOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    bind: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_idle_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_absolute_hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_limit_kib: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_timeout_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    db_max_connections: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    worker_poll_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention_years: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    training_target_trainees: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mail_transport: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mail_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mail_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_tls: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_format: Option<LogFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log: Option<String>,
}

impl From<&ServeArgs> for ServeOverrides {
    fn from(args: &ServeArgs) -> Self {
        ServeOverrides {
            bind: args.bind,
            public_url: args.public_url.clone(),
            session_idle_minutes: args.session_idle_minutes,
            session_absolute_hours: args.session_absolute_hours,
            body_limit_kib: args.body_limit_kib,
            request_timeout_seconds: args.request_timeout_seconds,
            db_max_connections: args.db_max_connections,
            worker_poll_seconds: args.worker_poll_seconds,
            retention_years: args.retention_years,
            training_target_trainees: args.training_target_trainees,
            mail_transport: args.mail_transport.clone(),
            mail_dir: args.mail_dir.clone(),
            mail_from: args.mail_from.clone(),
            smtp_host: args.smtp_host.clone(),
            smtp_port: args.smtp_port,
            smtp_user: args.smtp_user.clone(),
            smtp_tls: args.smtp_tls.clone(),
            log_format: args.log_format,
            log: args.log.clone(),
        }
    }
}
