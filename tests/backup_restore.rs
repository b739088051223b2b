//! `procap backup`, `procap backup --verify` and `procap restore` on SQLite
//! and PostgreSQL, through the real binary:
//!
//! - a backup taken while the demo server runs and a client keeps writing
//!   notes verifies, restores, and the restored audit chain verifies;
//! - after the server stops, a backup restored into a fresh folder (and a
//!   fresh PostgreSQL database) has every table's rows and every attachment
//!   byte for byte;
//! - a backup with one byte changed fails verification and restore;
//! - restore refuses a data folder that is not empty and a database that
//!   has tables.
//!
//! All data is the fictional demo data plus invented notes and a one-pixel
//! PNG.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Browser, DEMO_PASSWORD, binary, common_args, each_backend};
use procap_store::backup::{table_names, table_rows};
use procap_store::db::connect;
use procap_store::testing::TestDatabase;
use procap_store::{Backend, DatabaseUrl};

/// The smallest valid PNG: one transparent pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// `procap demo` on a database, stoppable without losing its data folder.
struct Demo {
    base: String,
    data_dir: tempfile::TempDir,
    database: TestDatabase,
    child: Option<Child>,
}

impl Demo {
    fn start(database: TestDatabase) -> Demo {
        let data_dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(data_dir.path().join("server.log")).unwrap();
        let child = Command::new(binary())
            .args(["demo", "--demo-password", DEMO_PASSWORD])
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(common_args(data_dir.path(), &database))
            .env("PROCAP_WORKER_POLL_SECONDS", "1")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let demo = Demo {
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
            database,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        let client = reqwest::blocking::Client::new();
        while Instant::now() < deadline {
            if client
                .get(format!("{}/healthz", demo.base))
                .send()
                .is_ok_and(|r| r.status().is_success())
            {
                return demo;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("demo did not start");
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn backend(&self) -> &'static str {
        self.database.backend().as_str()
    }

    fn cli(&self, args: &[&str]) -> Output {
        run(args, self.data_dir.path(), &self.database.url)
    }

    fn signed_in(&self, username: &str) -> Browser {
        let browser = Browser::new(&self.base);
        let page = browser.login(username, DEMO_PASSWORD);
        assert_eq!(page.status, 200, "{}: {username} signs in", self.backend());
        browser
    }

    fn case_id(&self) -> String {
        let output = self.cli(&["token", "create", "--user", "caseworker"]);
        let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        let json: serde_json::Value = reqwest::blocking::Client::new()
            .get(format!("{}/api/v1/cases?origin=procap", self.base))
            .bearer_auth(token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        json["items"][0]["id"]
            .as_str()
            .expect("a demo case")
            .to_owned()
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(args: &[&str], data_dir: &Path, url: &DatabaseUrl) -> Output {
    Command::new(binary())
        .args(args)
        .args(["--data-dir", &data_dir.display().to_string()])
        .args(["--database-url", url.expose()])
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn upload(browser: &Browser, path: &str, file_name: &str, content: &[u8]) -> u16 {
    let boundary = "procap-backup-test-boundary-4kQ2";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    browser
        .client
        .post(format!("{}{path}", browser.base))
        .header("Origin", &browser.base)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

/// Every table's rows, as the database renders them.
fn all_rows(url: &DatabaseUrl) -> BTreeMap<String, Vec<String>> {
    let mut conn = connect(url).unwrap();
    table_names(&mut conn)
        .unwrap()
        .into_iter()
        .map(|table| {
            let rows = table_rows(&mut conn, &table).unwrap();
            (table, rows)
        })
        .collect()
}

/// Every file under `dir`, by path inside it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                found.insert(path.strip_prefix(dir).unwrap().to_owned(), bytes);
            }
        }
    }
    found
}

/// A fresh database of the same backend, for restoring into.
fn fresh_database(backend: Backend) -> TestDatabase {
    match backend {
        Backend::Sqlite => TestDatabase::sqlite(),
        Backend::Postgres => {
            TestDatabase::postgres().expect("PostgreSQL was reachable a moment ago")
        }
    }
}

/// Restores `file` into a new folder (for SQLite with the default database
/// file in it, as the contract check does) and checks the audit chain there.
fn restore_and_check(backend: Backend, file: &Path, into: &Path) -> (TestDatabase, DatabaseUrl) {
    let target = fresh_database(backend);
    let url = match backend {
        Backend::Sqlite => DatabaseUrl::sqlite_file(&into.join("procap.sqlite3")),
        Backend::Postgres => target.url.clone(),
    };
    let output = run(&["restore", &file.display().to_string()], into, &url);
    assert!(
        output.status.success(),
        "{}: restore\n{}",
        backend.as_str(),
        text(&output)
    );
    let output = run(&["audit", "verify"], into, &url);
    assert!(
        output.status.success(),
        "{}: audit verify after restore\n{}",
        backend.as_str(),
        text(&output)
    );
    (target, url)
}

#[test]
fn online_backup_restores_every_table_and_attachment() {
    each_backend(|database| {
        let backend = database.backend();
        let name = backend.as_str();
        let mut demo = Demo::start(database);
        let case_id = demo.case_id();
        let caseworker = demo.signed_in("caseworker");
        let attachments = format!("/cases/{case_id}/attachments");
        assert_eq!(
            upload(&caseworker, &attachments, "σάρωση-1.png", PNG),
            200,
            "{name}"
        );
        let mut second = PNG.to_vec();
        second.extend_from_slice(b"trailing bytes after IEND");
        assert_eq!(
            upload(&caseworker, &attachments, "σάρωση-2.png", &second),
            200,
            "{name}"
        );
        let stored = files(&demo.data_dir.path().join("attachments"));
        assert!(stored.len() >= 2, "{name}: attachments on disk: {stored:?}");

        // Online: a client keeps writing notes while the backup runs.
        let out = tempfile::tempdir().unwrap();
        let online = out.path().join("online.age");
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let writer = {
            let stop = Arc::clone(&stop);
            let written = Arc::clone(&written);
            let browser = demo.signed_in("caseworker");
            let path = format!("/cases/{case_id}/notes");
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let note = format!("Σημείωση δοκιμής {}", written.load(Ordering::Relaxed));
                    let page = browser.post(&path, &[("body", note.as_str())]);
                    assert_eq!(page.status, 200, "note while backing up");
                    written.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        let output = demo.cli(&["backup", "--output", &online.display().to_string()]);
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        assert!(
            output.status.success(),
            "{name}: online backup\n{}",
            text(&output)
        );
        assert!(
            written.load(Ordering::Relaxed) > 0,
            "{name}: notes written meanwhile"
        );
        let identity = demo.data_dir.path().join("procap-backup.agekey");
        assert!(identity.is_file(), "{name}: identity created");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&identity).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name}: identity mode");
        }
        let bytes = std::fs::read(&online).unwrap();
        assert!(
            bytes.starts_with(b"age-encryption.org/v1"),
            "{name}: an age file"
        );
        assert!(
            !bytes.windows(PNG.len()).any(|w| w == PNG),
            "{name}: attachment readable in the backup"
        );

        let output = demo.cli(&["backup", "--verify", &online.display().to_string()]);
        assert!(output.status.success(), "{name}: verify\n{}", text(&output));
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("is sound"),
            "{name}"
        );
        let (_online_db, _) = restore_and_check(backend, &online, &out.path().join("online"));

        // Quiet: after the server stops, a restore equals the source exactly.
        demo.stop();
        let quiet = out.path().join("quiet.age");
        let output = demo.cli(&["backup", "--output", &quiet.display().to_string()]);
        assert!(output.status.success(), "{name}: backup\n{}", text(&output));
        let into = out.path().join("restored");
        let (_restored_db, url) = restore_and_check(backend, &quiet, &into);

        let source = all_rows(&demo.database.url);
        let restored = all_rows(&url);
        assert!(source.len() > 20, "{name}: tables: {:?}", source.keys());
        assert_eq!(
            source.keys().collect::<Vec<_>>(),
            restored.keys().collect::<Vec<_>>(),
            "{name}: tables"
        );
        for (table, rows) in &source {
            assert_eq!(rows, &restored[table], "{name}: rows of {table}");
        }
        for table in [
            "cases",
            "case_attachments",
            "case_notes",
            "courses",
            "audit_log",
        ] {
            assert!(!source[table].is_empty(), "{name}: {table} has rows");
        }
        let restored_files = files(&into.join("attachments"));
        assert_eq!(stored, restored_files, "{name}: attachments byte for byte");
        let key = std::fs::read(demo.data_dir.path().join("procap.key")).unwrap();
        assert_eq!(
            std::fs::read(into.join("procap.key")).unwrap(),
            key,
            "{name}: key file"
        );
    });
}

#[test]
fn tampered_backup_fails_and_occupied_targets_are_refused() {
    each_backend(|database| {
        let backend = database.backend();
        let name = backend.as_str();
        let demo = Demo::start(database);
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("backup.age");
        let output = demo.cli(&["backup", "--output", &file.display().to_string()]);
        assert!(output.status.success(), "{name}: backup\n{}", text(&output));

        // One byte changed in the payload, then one in the header.
        let original = std::fs::read(&file).unwrap();
        for position in [original.len() / 2, 30] {
            let mut bytes = original.clone();
            bytes[position] ^= 0x01;
            let tampered = out.path().join(format!("tampered-{position}.age"));
            std::fs::write(&tampered, &bytes).unwrap();
            let path = tampered.display().to_string();
            let output = demo.cli(&["backup", "--verify", &path]);
            assert!(
                !output.status.success(),
                "{name}: tampered at {position} verifies"
            );
            let into = out.path().join(format!("from-tampered-{position}"));
            let target = fresh_database(backend);
            let url = match backend {
                Backend::Sqlite => DatabaseUrl::sqlite_file(&into.join("procap.sqlite3")),
                Backend::Postgres => target.url.clone(),
            };
            let output = run(&["restore", &path], &into, &url);
            assert!(
                !output.status.success(),
                "{name}: tampered at {position} restores"
            );
        }

        // A data folder with something in it.
        let occupied = out.path().join("occupied");
        std::fs::create_dir_all(&occupied).unwrap();
        std::fs::write(occupied.join("notes.txt"), "κάτι").unwrap();
        let target = fresh_database(backend);
        let url = match backend {
            Backend::Sqlite => DatabaseUrl::sqlite_file(&occupied.join("procap.sqlite3")),
            Backend::Postgres => target.url.clone(),
        };
        let output = run(&["restore", &file.display().to_string()], &occupied, &url);
        assert!(
            !output.status.success(),
            "{name}: restored into a non-empty folder"
        );
        assert!(
            text(&output).contains("not empty"),
            "{name}: {}",
            text(&output)
        );
        assert!(
            !occupied.join("procap.sqlite3").exists(),
            "{name}: nothing written"
        );

        // A database that already has tables: the demo's own.
        let empty = out.path().join("empty");
        let output = run(
            &["restore", &file.display().to_string()],
            &empty,
            &demo.database.url,
        );
        assert!(
            !output.status.success(),
            "{name}: restored over a live database"
        );

        // An intact copy still verifies.
        let output = demo.cli(&["backup", "--verify", &file.display().to_string()]);
        assert!(output.status.success(), "{name}: verify\n{}", text(&output));
    });
}
