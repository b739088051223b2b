//! The command line. Settings shared by every command are global flags;
//! server settings are listed under `serve` and `demo`, each with its
//! environment variable, unit and default.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "procap",
    version,
    about = "Case management, training and reporting for anti-trafficking organisations"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives. Accepted before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Folder holding the SQLite database, the key file and attachments
    /// [env: PROCAP_DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// TOML configuration file; settings in it are overridden by PROCAP_*
    /// environment variables and then by flags
    #[arg(long, global = true, value_name = "FILE", env = "PROCAP_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL, sqlite://PATH or postgres://USER:PASSWORD@HOST/DB; also
    /// read from the file named by PROCAP_DATABASE_URL_FILE
    /// [env: PROCAP_DATABASE_URL] [default: sqlite://DATA_DIR/procap.sqlite3]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Key file for field encryption, blind indexes and the audit chain;
    /// created with mode 0600 on first start [env: PROCAP_KEY_FILE]
    /// [default: DATA_DIR/procap.key]
    #[arg(long, global = true, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Load fictional demo organisations and one account per role, then run
    /// the web server with second factors optional.
    Demo(DemoArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Audit log tools.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Key management.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Import records from a file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Reports for funders and the national rapporteur.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Exports for the public.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Write an encrypted backup of the database and the attachments while
    /// the server runs, or check one with --verify.
    Backup(BackupArgs),
    /// Restore a backup into an empty data folder (and, for PostgreSQL, an
    /// empty database).
    Restore(RestoreArgs),
    /// Fill the database with a fictional workload at scale for benchmarks:
    /// the demo data, then cases with services, appointments, consents,
    /// referrals, plans and audit events, and trainees with quiz attempts
    /// and certificates. Never run it on a database with real cases.
    Generate(GenerateArgs),
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The AMIF indicators of a period: participants supported (each person
    /// once), legal and other support, vulnerable persons, minors, and the
    /// training indicators. Reads only unencrypted columns.
    Amif {
        /// First day of the period, YYYY-MM-DD (Athens time)
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day of the period, YYYY-MM-DD, included
        #[arg(long, value_name = "DATE")]
        to: String,
        /// csv (UTF-8 with a byte-order mark), xlsx or pdf
        #[arg(long, value_enum, default_value = "csv")]
        format: ReportFormat,
        /// File to write
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// Only this organisation (id or case code prefix); all when absent
        #[arg(long, value_name = "ORG")]
        organisation: Option<String>,
    },
    /// The NRM statistics of a period: distinct persons with a case open in
    /// the period, by sex, age bracket, citizenship, residence status, NRM
    /// status, form of exploitation, means of control, recruitment method
    /// and line of service. Reads only unencrypted columns.
    Nrm {
        /// First day of the period, YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day of the period, YYYY-MM-DD, included
        #[arg(long, value_name = "DATE")]
        to: String,
        /// csv (UTF-8 with a byte-order mark), xlsx or pdf
        #[arg(long, value_enum, default_value = "csv")]
        format: ReportFormat,
        /// File to write
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// Only this organisation (id or case code prefix); all when absent
        #[arg(long, value_name = "ORG")]
        organisation: Option<String>,
    },
}

/// The file format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Xlsx,
    Pdf,
}

impl ReportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Statistics fit for the public or a rapporteur: tables with no count
    /// from 1 to 4 (shown as "<5") and a record file k-anonymous with
    /// k = 11, plus a note saying what was hidden.
    Published {
        /// Folder to write the CSV files and the note into (created if
        /// missing; existing files of the same names are replaced)
        #[arg(long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Cases as HTCDS 2.0 CSV files, one per entity (organisations,
    /// persons, victim context, cases, trafficking events), zipped and
    /// encrypted with age. Person rows carry only the case code unless
    /// --with-identifiers is given with a --purpose. Every export is
    /// written to the audit log.
    Htcds(HtcdsExportArgs),
}

#[derive(Debug, Args)]
pub struct HtcdsExportArgs {
    /// File to write (an age-encrypted zip)
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
    /// age public key (age1...) to encrypt to; repeat for several
    #[arg(long, value_name = "AGE_PUBKEY", required = true)]
    pub recipient: Vec<String>,
    /// Only cases opened on or after this day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only cases opened on or before this day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this organisation (id or case code prefix)
    #[arg(long, value_name = "ORG")]
    pub organisation: Option<String>,
    /// Only cases with this status: open or closed
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Include names, birth dates, contact details and referral texts
    #[arg(long, requires = "purpose")]
    pub with_identifiers: bool,
    /// Why identifiers are exported; recorded in the audit log
    #[arg(long, value_name = "TEXT", requires = "with_identifiers")]
    pub purpose: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// File to write the backup to (an age-encrypted tar stream)
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "verify",
        conflicts_with = "verify"
    )]
    pub output: Option<PathBuf>,
    /// Check a backup instead of writing one: decrypt it, compare every
    /// entry with the manifest and check the database dump; exits non-zero
    /// on any problem
    #[arg(long, value_name = "FILE")]
    pub verify: Option<PathBuf>,
    /// age public key (age1...) to encrypt to, in addition to the
    /// backup_recipients setting [env: PROCAP_BACKUP_RECIPIENTS, comma-separated].
    /// Without any, Procap encrypts to its own identity file
    /// DATA_DIR/procap-backup.agekey, created on first use
    #[arg(long, value_name = "AGE_PUBKEY", conflicts_with = "verify")]
    pub recipient: Vec<String>,
    /// age identity file that decrypts the backup, for --verify
    /// [default: DATA_DIR/procap-backup.agekey]
    #[arg(long, value_name = "FILE", requires = "verify")]
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file
    pub file: PathBuf,
    /// age identity file that decrypts the backup [default:
    /// DATA_DIR/procap-backup.agekey, else the identity file the backup
    /// was made with when it is still on this machine]
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of cases to add (about 20 service records each)
    #[arg(long, value_name = "COUNT")]
    pub cases: u32,
    /// Number of trainees to add, each with quiz attempts
    #[arg(long, value_name = "COUNT", default_value_t = 5000)]
    pub trainees: u32,
    /// Password of every demo and generated account; a random one is
    /// generated and printed when omitted
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// Seed of the random generator, for a repeatable dataset
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Cases written per transaction
    #[arg(long, value_name = "COUNT", default_value_t = 250)]
    pub batch: u32,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Load CTDC k-anonymised victim records (CSV, -99 = missing) as
    /// anonymised, closed historical cases that count in statistics. The
    /// whole file is checked first; nothing is written if any row is invalid.
    Ctdc {
        /// The CTDC CSV file
        file: std::path::PathBuf,
        /// Case code prefix of the organisation that receives the records
        /// [default: the first organisation created]
        #[arg(long, value_name = "PREFIX")]
        organisation: Option<String>,
    },
    /// Load a course from a folder of TOML files (course.toml and one file
    /// per module, as in data/training/trafficking-basics). Every file is
    /// checked first; nothing is written if any is invalid. A course whose
    /// slug exists is updated in place.
    Course {
        /// The course folder
        dir: std::path::PathBuf,
    },
    /// Import cases from a CSV file in the HTCDS 2.0 layout (one row per
    /// person, HTCDS field names in the header) as open or closed cases
    /// with encrypted identifiers. Every row is checked first; nothing is
    /// written if any row is invalid.
    Htcds {
        /// The HTCDS CSV file
        file: std::path::PathBuf,
        /// Case code prefix of the organisation that receives the cases
        /// [default: the first organisation created]
        #[arg(long, value_name = "PREFIX")]
        organisation: Option<String>,
        /// Language of the messages: el or en [default: from LANG, else el]
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
}

/// Server settings. Every flag can also come from the TOML file (key in
/// snake_case, e.g. `session_idle_minutes = 30`) or a PROCAP_* variable.
#[derive(Debug, Clone, Args, Default)]
pub struct ServeArgs {
    /// Address and port to listen on [env: PROCAP_BIND] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// Public address users type, e.g. https://procap.example.org; requests
    /// that change data must come from it. An https address also turns on
    /// Secure cookies and HSTS [env: PROCAP_PUBLIC_URL] [default: the bind address over http]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Minutes of inactivity after which a session ends [env: PROCAP_SESSION_IDLE_MINUTES] [default: 30]
    #[arg(long, value_name = "MINUTES")]
    pub session_idle_minutes: Option<u32>,
    /// Hours after login at which a session ends however active it is
    /// [env: PROCAP_SESSION_ABSOLUTE_HOURS] [default: 12]
    #[arg(long, value_name = "HOURS")]
    pub session_absolute_hours: Option<u32>,
    /// Largest accepted request body, in kibibytes [env: PROCAP_BODY_LIMIT_KIB] [default: 2048]
    #[arg(long, value_name = "KIB")]
    pub body_limit_kib: Option<u32>,
    /// Seconds after which a request is abandoned with an error page
    /// [env: PROCAP_REQUEST_TIMEOUT_SECONDS] [default: 30]
    #[arg(long, value_name = "SECONDS")]
    pub request_timeout_seconds: Option<u32>,
    /// Maximum open database connections [env: PROCAP_DB_MAX_CONNECTIONS] [default: 4]
    #[arg(long, value_name = "COUNT")]
    pub db_max_connections: Option<u32>,
    /// Seconds between checks of the jobs queue [env: PROCAP_WORKER_POLL_SECONDS] [default: 5]
    #[arg(long, value_name = "SECONDS")]
    pub worker_poll_seconds: Option<u32>,
    /// Years after a case's closure after which the daily retention job
    /// anonymises it [env: PROCAP_RETENTION_YEARS] [default: 5]
    #[arg(long, value_name = "YEARS")]
    pub retention_years: Option<u32>,
    /// How e-mail (evaluation invitations and reminders) is sent: none,
    /// smtp, or file (one .eml file per message in --mail-dir, for tests and
    /// the demo) [env: PROCAP_MAIL_TRANSPORT] [default: none; file in the demo]
    #[arg(long, value_name = "TRANSPORT")]
    pub mail_transport: Option<String>,
    /// Folder of the file transport [env: PROCAP_MAIL_DIR] [default: DATA_DIR/mail]
    #[arg(long, value_name = "DIR")]
    pub mail_dir: Option<PathBuf>,
    /// Sender address, e.g. "Procap <procap@example.org>"; required for smtp
    /// [env: PROCAP_MAIL_FROM]
    #[arg(long, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// SMTP server host name [env: PROCAP_SMTP_HOST]
    #[arg(long, value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP server port [env: PROCAP_SMTP_PORT] [default: 587]
    #[arg(long, value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// SMTP user name; the password is read only from PROCAP_SMTP_PASSWORD
    /// or the file named by PROCAP_SMTP_PASSWORD_FILE [env: PROCAP_SMTP_USER]
    #[arg(long, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// SMTP encryption: starttls (required STARTTLS, port 587), tls (port
    /// 465) or none (a relay on this machine only) [env: PROCAP_SMTP_TLS]
    /// [default: starttls]
    #[arg(long, value_name = "MODE")]
    pub smtp_tls: Option<String>,
    /// Trainees the training programme aims to reach, shown on the progress
    /// dashboard [env: PROCAP_TRAINING_TARGET_TRAINEES] [default: 180]
    #[arg(long, value_name = "TRAINEES")]
    pub training_target_trainees: Option<u32>,
    /// Log format [env: PROCAP_LOG_FORMAT] [default: text]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Log filter in tracing syntax, e.g. info or procap_web=debug [env: PROCAP_LOG] [default: info]
    #[arg(long, value_name = "FILTER")]
    pub log: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Password for every demo account; a random one is generated and
    /// printed when omitted
    #[arg(long, value_name = "PASSWORD")]
    pub demo_password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a one-time password that must be changed at first login.
    Add {
        /// Login name: lower-case letters, digits, '.', '_' or '-'
        username: String,
        /// Role: admin, coordinator, caseworker, psychologist, lawyer,
        /// interpreter, escort, trainer, trainee or monitoring
        #[arg(long)]
        role: String,
        /// Case code prefix of the user's organisation (e.g. NGO); the first
        /// organisation is used when omitted. On a database without any
        /// organisation, one named "Procap" is created with this prefix
        /// (default ORG)
        #[arg(long, value_name = "PREFIX")]
        organisation: Option<String>,
        /// Full name shown in the interface [default: the username]
        #[arg(long)]
        name: Option<String>,
    },
    /// Disable a user and end their sessions.
    Disable { username: String },
    /// Set a new one-time password; the user must change it at next login.
    ResetPassword { username: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it once.
    Create {
        /// Username of the token's owner; the token acts with their permissions
        #[arg(long)]
        user: String,
        /// Days until the token expires (1 to 365)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=365))]
        expires_days: u32,
        /// Label to recognise the token by
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exits non-zero and names the first
    /// broken row when it was altered.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Add a new field-encryption key and re-encrypt every encrypted field
    /// with it, in batches. Back up the key file afterwards.
    Rotate,
}
