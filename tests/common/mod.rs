//! Test harness: runs the real `procap` binary on a free port against a
//! fresh database (SQLite file or PostgreSQL database) and drives it over
//! HTTP like a browser would (cookies, Origin header, forms).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use procap_store::testing::TestDatabase;

pub mod instances;
pub mod walk;

pub const DEMO_PASSWORD: &str = "Test-demo-pass-2026";

/// Today in Athens, the day the server dates forms and records by. Between
/// midnight in Athens and midnight UTC the UTC date is still yesterday.
pub fn athens_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Athens)
        .date_naive()
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_procap")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running Procap server and what it runs on.
pub struct TestServer {
    pub base: String,
    pub data_dir: tempfile::TempDir,
    pub database: TestDatabase,
    child: Child,
    log_path: PathBuf,
}

impl TestServer {
    /// `procap demo` with the demo password on `database`.
    pub fn demo(database: TestDatabase) -> TestServer {
        TestServer::start(database, &["demo", "--demo-password", DEMO_PASSWORD])
    }

    /// `procap serve` (second factors required) after seeding the demo
    /// accounts through `procap demo`'s seeding, which the caller does with
    /// [`TestServer::cli`] where needed.
    pub fn serve(database: TestDatabase) -> TestServer {
        TestServer::start(database, &["serve"])
    }

    pub fn start(database: TestDatabase, args: &[&str]) -> TestServer {
        let data_dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let log_path = data_dir.path().join("server.log");
        let log = std::fs::File::create(&log_path).unwrap();
        let child = Command::new(binary())
            .args(args)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(common_args(data_dir.path(), &database))
            .env("PROCAP_WORKER_POLL_SECONDS", "1")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let server = TestServer {
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
            database,
            child,
            log_path,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::blocking::Client::new();
        while Instant::now() < deadline {
            if client
                .get(format!("{}/healthz", self.base))
                .send()
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("server did not become ready; log:\n{}", self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Runs a `procap` subcommand on this server's data.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(binary())
            .args(args)
            .args(common_args(self.data_dir.path(), &self.database))
            .output()
            .unwrap()
    }

    /// A browser-like client: keeps cookies, sends this site's Origin.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    pub fn backend(&self) -> &'static str {
        self.database.backend().as_str()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn common_args(data_dir: &Path, database: &TestDatabase) -> Vec<String> {
    vec![
        "--data-dir".into(),
        data_dir.display().to_string(),
        "--database-url".into(),
        database.url.expose().to_owned(),
    ]
}

/// A cookie-keeping HTTP client that behaves like a same-origin browser.
pub struct Browser {
    pub base: String,
    pub client: reqwest::blocking::Client,
}

pub struct Page {
    pub status: u16,
    pub url: String,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::blocking::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .unwrap();
        Browser {
            base: base.to_owned(),
            client,
        }
    }

    pub fn get(&self, path: &str) -> Page {
        page(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .unwrap(),
        )
    }

    /// Posts a form with this site's Origin, as a browser submitting one of
    /// Procap's own forms does.
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_from(path, form, &self.base.clone())
    }

    pub fn post_from(&self, path: &str, form: &[(&str, &str)], origin: &str) -> Page {
        page(
            self.client
                .post(format!("{}{path}", self.base))
                .header("Origin", origin)
                .form(form)
                .send()
                .unwrap(),
        )
    }

    pub fn login(&self, username: &str, password: &str) -> Page {
        self.post("/login", &[("username", username), ("password", password)])
    }
}

fn page(response: reqwest::blocking::Response) -> Page {
    let status = response.status().as_u16();
    let url = response.url().to_string();
    let headers = response.headers().clone();
    let body = response.text().unwrap();
    Page {
        status,
        url,
        body,
        headers,
    }
}

/// Whether the text contains a run of Greek letters.
pub fn has_greek(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if ('\u{0370}'..='\u{03ff}').contains(&c) || ('\u{1f00}'..='\u{1fff}').contains(&c) {
            run += 1;
            if run >= 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Runs `test` once per available backend.
pub fn each_backend(test: impl Fn(TestDatabase)) {
    for database in TestDatabase::each_backend() {
        test(database);
    }
}

/// Reads lines of a child's output until one matches.
pub fn read_until(reader: &mut impl BufRead, needle: &str) -> Option<String> {
    let mut line = String::new();
    while reader.read_line(&mut line).ok()? > 0 {
        if line.contains(needle) {
            return Some(line);
        }
        line.clear();
    }
    None
}

pub fn buffered(child: &mut Child) -> BufReader<std::process::ChildStdout> {
    BufReader::new(child.stdout.take().unwrap())
}
