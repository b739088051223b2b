//! Connecting to SQLite or PostgreSQL, the connection pool, migrations, and
//! [`Store`], the handle the rest of Procap holds.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use procap_crypto::Keyring;

use crate::audit::AuditEvent;
use crate::audit_queue::AuditQueue;
use crate::error::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. Queries written against this type run on
/// both; backend-specific SQL matches on the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database URL: `sqlite://PATH` (or `sqlite:PATH`) or
/// `postgres://USER:PASSWORD@HOST:PORT/DB`. `Display` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    raw: String,
}

impl DatabaseUrl {
    /// Parses a URL, choosing the backend from its scheme.
    pub fn parse(value: &str) -> Result<DatabaseUrl, String> {
        let value = value.trim();
        if let Some(path) = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(
                    "the sqlite URL names no file; use sqlite:///path/to/procap.sqlite3".into(),
                );
            }
            return Ok(DatabaseUrl {
                backend: Backend::Sqlite,
                raw: value.to_owned(),
            });
        }
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            url::Url::parse(value).map_err(|error| format!("invalid PostgreSQL URL: {error}"))?;
            return Ok(DatabaseUrl {
                backend: Backend::Postgres,
                raw: value.to_owned(),
            });
        }
        Err("the database URL must start with sqlite:// or postgres://".into())
    }

    /// A URL for an SQLite file.
    pub fn sqlite_file(path: &Path) -> DatabaseUrl {
        DatabaseUrl {
            backend: Backend::Sqlite,
            raw: format!("sqlite://{}", path.display()),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite file path, for SQLite URLs.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let path = self
            .raw
            .strip_prefix("sqlite://")
            .or_else(|| self.raw.strip_prefix("sqlite:"))?;
        Some(PathBuf::from(path))
    }

    /// The full URL including any password. Use only to connect.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The URL with its password replaced by `***`, safe for logs and messages.
    pub fn redacted(&self) -> String {
        match url::Url::parse(&self.raw) {
            Ok(mut parsed) if parsed.password().is_some() => {
                let _ = parsed.set_password(Some("***"));
                parsed.to_string()
            }
            _ => self.raw.clone(),
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

/// Opens one connection, choosing the backend from the URL, and applies the
/// SQLite settings Procap relies on. The error names the URL without its
/// password and keeps the driver's own message.
pub fn connect(url: &DatabaseUrl) -> Result<DbConnection, StoreError> {
    let failed = |reason: String| StoreError::Connection {
        url: url.redacted(),
        reason,
    };
    match url.backend {
        Backend::Postgres => {
            let connection =
                PgConnection::establish(url.expose()).map_err(|error| failed(error.to_string()))?;
            Ok(DbConnection::Postgresql(connection))
        }
        Backend::Sqlite => {
            let path = url.sqlite_path().expect("sqlite URL has a path");
            if let Some(parent) = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                && !parent.is_dir()
            {
                return Err(failed(format!(
                    "folder {} does not exist",
                    parent.display()
                )));
            }
            let mut connection = SqliteConnection::establish(&path.to_string_lossy())
                .map_err(|error| failed(error.to_string()))?;
            // WAL lets readers work while one writer commits; FULL makes each
            // commit durable across power loss, not only across a crash of
            // this process; the busy timeout makes writers queue instead of
            // failing at once.
            connection
                .batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA busy_timeout = 10000;",
                )
                .map_err(|error| failed(error.to_string()))?;
            Ok(DbConnection::Sqlite(connection))
        }
    }
}

/// r2d2 manager for [`DbConnection`]; written here because the derived
/// `establish` hides the real connection error.
pub(crate) struct Manager {
    url: DatabaseUrl,
}

/// The connection pool.
pub(crate) type Pool = r2d2::Pool<Manager>;

/// How long a PostgreSQL connection may sit unused before the pool checks it
/// with `SELECT 1` on checkout. A connection in steady use is tested by each
/// query, so checking it too cost one round trip per unit of work. An idle
/// one may have been closed by a server restart or a network timeout.
const IDLE_BEFORE_CHECK: Duration = Duration::from_secs(2);

/// A pooled connection with the state the pool uses to check its health.
pub(crate) struct Pooled {
    conn: DbConnection,
    /// When a query on the connection last completed without losing it.
    last_used: Instant,
    /// Set when a query found the connection lost, so that the pool closes
    /// it instead of lending it out again.
    lost: bool,
}

impl Pooled {
    fn new(conn: DbConnection) -> Pooled {
        Pooled {
            conn,
            last_used: Instant::now(),
            lost: false,
        }
    }

    pub(crate) fn db<'a>(&'a mut self, keys: &'a Keyring) -> Db<'a> {
        Db {
            conn: &mut self.conn,
            keys,
        }
    }

    /// Records whether a unit of work found this connection lost.
    pub(crate) fn note<T>(&mut self, result: &Result<T, StoreError>) {
        match result {
            Err(error) if error.is_connection_lost() => self.lost = true,
            _ => self.last_used = Instant::now(),
        }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = Pooled;
    type Error = StoreError;

    fn connect(&self) -> Result<Pooled, StoreError> {
        connect(&self.url).map(Pooled::new)
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), StoreError> {
        // An SQLite connection is a file handle in this process and cannot
        // be cut off.
        if self.url.backend == Backend::Sqlite || pooled.last_used.elapsed() < IDLE_BEFORE_CHECK {
            return Ok(());
        }
        pooled.conn.batch_execute("SELECT 1")?;
        pooled.last_used = Instant::now();
        Ok(())
    }

    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        pooled.lost
    }
}

/// Pool sizing and timeouts.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Maximum open connections.
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// What a store function receives: one pooled connection and the key ring.
pub struct Db<'a> {
    pub conn: &'a mut DbConnection,
    pub keys: &'a Keyring,
}

impl Db<'_> {
    /// Runs `work` in one transaction: all of its writes land or none do.
    /// Store functions that open their own transaction nest inside it.
    pub fn transaction<T>(
        &mut self,
        work: impl FnOnce(&mut Db<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let keys = self.keys;
        write_transaction(self.conn, |conn| work(&mut Db { conn, keys }))
    }
}

/// Runs `work` in a transaction meant to write. On SQLite the outermost
/// one starts with `BEGIN IMMEDIATE`, taking the write lock first: a plain
/// `BEGIN` reads under a snapshot and then fails at once with "database is
/// locked" when it tries to write after another connection did, whatever
/// the busy timeout. Nested calls become savepoints, as with
/// `Connection::transaction`, which PostgreSQL uses throughout.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Transactions = <DbConnection as Connection>::TransactionManager;

    let DbConnection::Sqlite(inner) = conn else {
        return conn.transaction(work);
    };
    match AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE") {
        Ok(()) => {}
        Err(diesel::result::Error::AlreadyInTransaction) => return conn.transaction(work),
        Err(error) => return Err(error.into()),
    }
    match work(conn) {
        Ok(value) => {
            Transactions::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Transactions::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// The handle to the database and the keys. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    keys: Arc<KeySource>,
    url: DatabaseUrl,
    audit_queue: Arc<AuditQueue>,
}

/// The key ring in use and, when it came from a file, that file.
///
/// `procap key rotate` rewrites the key file while servers keep running;
/// rows it re-encrypted carry the new key id. Each unit of work therefore
/// checks the file's modification time (one `stat`) and reloads the key ring
/// when it changed, so a running server reads rotated rows without a restart.
pub(crate) struct KeySource {
    current: RwLock<Arc<Keyring>>,
    file: Option<WatchedFile>,
}

struct WatchedFile {
    path: PathBuf,
    modified: Mutex<Option<SystemTime>>,
}

impl KeySource {
    pub(crate) fn current(&self) -> Arc<Keyring> {
        if let Some(file) = &self.file {
            self.reload_if_changed(file);
        }
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn reload_if_changed(&self, file: &WatchedFile) {
        let Ok(modified) = std::fs::metadata(&file.path).and_then(|m| m.modified()) else {
            return;
        };
        let mut seen = file.modified.lock().unwrap_or_else(|e| e.into_inner());
        if *seen == Some(modified) {
            return;
        }
        match Keyring::load(&file.path) {
            Ok(keys) => {
                tracing::info!(
                    current_key_id = keys.current_key_id(),
                    "key file changed; key ring reloaded"
                );
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
                *seen = Some(modified);
            }
            // A half-written file: keep the keys in use and try again on
            // the next unit of work.
            Err(error) => tracing::warn!(%error, "key file changed but could not be read"),
        }
    }
}

impl Store {
    /// Connects, checking that the database answers, without migrating.
    pub fn open(
        url: &DatabaseUrl,
        keys: Arc<Keyring>,
        options: &PoolOptions,
    ) -> Result<Store, StoreError> {
        // Connect once directly so an unreachable database fails with the
        // driver's message rather than r2d2's timeout.
        drop(connect(url)?);
        let pool = r2d2::Pool::builder()
            .max_size(options.max_connections)
            .min_idle(Some(1))
            // See `Manager::is_valid`: only idle PostgreSQL connections
            // are checked.
            .test_on_check_out(url.backend == Backend::Postgres)
            .connection_timeout(options.acquire_timeout)
            .error_handler(Box::new(PoolErrorLogger))
            .build(Manager { url: url.clone() })?;
        Ok(Store {
            pool,
            keys: Arc::new(KeySource {
                current: RwLock::new(keys),
                file: None,
            }),
            url: url.clone(),
            audit_queue: Arc::new(AuditQueue::default()),
        })
    }

    /// Reloads the key ring whenever `path` changes (see [`KeySource`]).
    /// `path` must be the file the key ring given to [`Store::open`] came
    /// from.
    pub fn watch_key_file(mut self, path: &Path) -> Store {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let current = self.keys.current();
        self.keys = Arc::new(KeySource {
            current: RwLock::new(current),
            file: Some(WatchedFile {
                path: path.to_owned(),
                modified: Mutex::new(modified),
            }),
        });
        self
    }

    pub fn backend(&self) -> Backend {
        self.url.backend
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Returns the key ring in use now. Hold it for one unit of work only,
    /// so that the next unit picks up a rotation.
    pub fn keys(&self) -> Arc<Keyring> {
        self.keys.current()
    }

    /// Applies pending migrations and returns the names of those applied.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let mut connection = self.pool.get()?;
        let applied = run_migrations(&mut connection.conn)?;
        // Data moves that need the key ring, which SQL migrations lack.
        let keys = self.keys.current();
        let mut db = connection.db(&keys);
        let moved = crate::cases::encrypt_plain_facilities(&mut db)?;
        if moved > 0 {
            tracing::info!(cases = moved, "encrypted hosting-facility names");
        }
        Ok(applied)
    }

    /// Runs `work` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Db<'_>) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let store = self.clone();
        tokio_spawn_blocking(move || store.run_blocking(work)).await
    }

    /// Appends `event` to the audit log and returns its sequence number once
    /// it is committed. Events from concurrent callers share one transaction
    /// (the group commit of `audit_queue.rs`). Use this for events that
    /// stand alone. An event that must commit together with the change it
    /// records goes through [`crate::audit::append`] in that transaction.
    pub async fn audit(&self, event: AuditEvent) -> Result<i64, StoreError> {
        let answer = self.audit_queue.submit(&self.pool, &self.keys, event)?;
        answer
            .await
            .map_err(|_| StoreError::Task("the audit writer stopped".to_owned()))?
    }

    /// Runs `work` with a pooled connection on the current thread. For the
    /// command line and for code already on a blocking thread.
    pub fn run_blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Db<'_>) -> Result<T, StoreError>,
    {
        let mut connection = self.pool.get()?;
        let keys = self.keys.current();
        let result = work(&mut connection.db(&keys));
        connection.note(&result);
        result
    }
}

fn run_migrations(connection: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let applied = match connection {
        DbConnection::Sqlite(inner) => inner.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Postgresql(inner) => inner.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|error| StoreError::Migration(error.to_string()))?;
    Ok(applied
        .into_iter()
        .map(|version| version.to_string())
        .collect())
}

async fn tokio_spawn_blocking<T, F>(work: F) -> Result<T, StoreError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(error) => Err(StoreError::Task(error.to_string())),
    }
}

#[derive(Debug)]
struct PoolErrorLogger;

impl r2d2::HandleError<StoreError> for PoolErrorLogger {
    fn handle_error(&self, error: StoreError) {
        tracing::error!(error = %error, "database connection failed");
    }
}

/// Whether the database at `url` already holds Procap data (any user). Used
/// at start-up to refuse creating a new key over data encrypted with a lost
/// one. A database that cannot be reached is an error; one without tables
/// holds no data.
pub fn has_existing_data(url: &DatabaseUrl) -> Result<bool, StoreError> {
    if let Some(path) = url.sqlite_path()
        && !path.exists()
    {
        return Ok(false);
    }
    let mut connection = connect(url)?;
    let count: Result<i64, diesel::result::Error> = crate::schema::users::table
        .count()
        .get_result(&mut connection);
    Ok(count.is_ok_and(|users| users > 0))
}

/// Runs a trivial query, for health checks.
pub fn ping(db: &mut Db<'_>) -> Result<(), StoreError> {
    db.conn.batch_execute("SELECT 1")?;
    Ok(())
}
