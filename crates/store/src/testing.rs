//! Throw-away databases for tests: a fresh SQLite file or a fresh PostgreSQL
//! database per test, so tests never share state and can run in parallel.
//!
//! PostgreSQL comes from `PROCAP_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it cannot be reached,
//! PostgreSQL tests are skipped with a message on stderr, except under CI
//! (`CI=true`), where a missing server is a failure.

use std::sync::Arc;

use diesel::connection::SimpleConnection;
use procap_crypto::Keyring;

use crate::db::{Backend, DatabaseUrl, PoolOptions, Store, connect};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for the life of this value.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(DatabaseUrl, String)>,
}

impl TestDatabase {
    /// A new SQLite file in a temporary folder.
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let url = DatabaseUrl::sqlite_file(&dir.path().join("procap.sqlite3"));
        TestDatabase {
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }

    /// A new, empty PostgreSQL database, or `None` when the server is not
    /// reachable outside CI. Panics under CI when it is not reachable.
    pub fn postgres() -> Option<TestDatabase> {
        let server = std::env::var("PROCAP_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let admin_url =
            DatabaseUrl::parse(&server).expect("PROCAP_TEST_POSTGRES_URL is a postgres:// URL");
        let mut admin = match connect(&admin_url) {
            Ok(connection) => connection,
            Err(error) => {
                if is_ci() {
                    panic!("CI=true but PostgreSQL is not reachable: {error}");
                }
                eprintln!(
                    "SKIPPED on PostgreSQL: {error} (set PROCAP_TEST_POSTGRES_URL or start the server)"
                );
                return None;
            }
        };
        let name = format!("procap_test_{}", uuid::Uuid::new_v4().simple());
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let mut url = url::Url::parse(admin_url.expose()).expect("valid URL");
        url.set_path(&name);
        let url = DatabaseUrl::parse(url.as_str()).expect("valid URL");
        Some(TestDatabase {
            url,
            _dir: None,
            postgres: Some((admin_url, name)),
        })
    }

    /// One database per backend available: SQLite always, PostgreSQL when
    /// reachable (always under CI).
    pub fn each_backend() -> Vec<TestDatabase> {
        let mut databases = vec![TestDatabase::sqlite()];
        databases.extend(TestDatabase::postgres());
        databases
    }

    pub fn backend(&self) -> Backend {
        self.url.backend()
    }

    /// A migrated store on this database with a deterministic test key ring.
    pub fn store(&self) -> Store {
        let store = Store::open(
            &self.url,
            Arc::new(Keyring::for_tests(7)),
            &PoolOptions::default(),
        )
        .expect("open the test database");
        store.migrate().expect("migrate the test database");
        store
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres {
            match connect(admin_url) {
                Ok(mut admin) => {
                    if let Err(error) =
                        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    {
                        eprintln!("could not drop test database {name}: {error}");
                    }
                }
                Err(error) => eprintln!("could not drop test database {name}: {error}"),
            }
        }
    }
}

/// Whether tests run under CI, where skipping a backend is not allowed.
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}
