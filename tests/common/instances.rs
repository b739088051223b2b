//! `procap serve` processes the test starts, kills and restarts itself: one
//! data folder and database shared by any number of servers, each on its own
//! port with its own log file, and demo accounts signed in the way `serve`
//! requires (TOTP enrolment, then recovery codes for further sessions).

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use procap_store::testing::TestDatabase;
use totp_rs::{Algorithm, Secret, TOTP};

use super::{Browser, DEMO_PASSWORD, binary, common_args, free_port};

/// A data folder (key file, attachments, logs) and a database that several
/// server processes share.
pub struct Deployment {
    pub data_dir: tempfile::TempDir,
    pub database: TestDatabase,
}

impl Deployment {
    /// Loads the demo organisations and accounts (password
    /// [`DEMO_PASSWORD`]) without starting a server.
    pub fn seeded(database: TestDatabase) -> Deployment {
        let deployment = Deployment {
            data_dir: tempfile::tempdir().unwrap(),
            database,
        };
        let output = deployment.cli(&[
            "generate",
            "--cases",
            "0",
            "--trainees",
            "0",
            "--password",
            DEMO_PASSWORD,
        ]);
        assert!(
            output.status.success(),
            "seeding failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        deployment
    }

    pub fn backend(&self) -> &'static str {
        self.database.backend().as_str()
    }

    /// Runs a `procap` subcommand on this deployment's data.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(binary())
            .args(args)
            .args(common_args(self.data_dir.path(), &self.database))
            .output()
            .unwrap()
    }

    /// Starts `procap serve` on a free port; its output is appended to
    /// `NAME.log` in the data folder.
    pub fn serve(&self, name: &str) -> Instance {
        self.serve_on(name, free_port())
    }

    /// Starts `procap serve` on `port` and waits until it answers.
    pub fn serve_on(&self, name: &str, port: u16) -> Instance {
        let log_path = self.data_dir.path().join(format!("{name}.log"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap();
        let child = Command::new(binary())
            .arg("serve")
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(common_args(self.data_dir.path(), &self.database))
            .env("PROCAP_WORKER_POLL_SECONDS", "1")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let instance = Instance {
            base: format!("http://127.0.0.1:{port}"),
            port,
            child: Some(child),
            log_path,
        };
        instance.wait_ready();
        instance
    }
}

/// One running `procap serve` process.
pub struct Instance {
    pub base: String,
    pub port: u16,
    child: Option<Child>,
    log_path: PathBuf,
}

impl Instance {
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

    /// Ends the process with SIGKILL (what `Child::kill` sends on Unix): no
    /// shutdown code runs, as in a power cut of the process.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Signs `username` in on `browser` with the demo password and enrols
/// TOTP, as `serve` asks of every role with case access at its first login.
/// Returns the recovery codes enrolment showed; each opens one more session.
pub fn enrol(browser: &Browser, username: &str) -> Vec<String> {
    let page = browser.login(username, DEMO_PASSWORD);
    assert!(
        page.url.ends_with("/account/totp"),
        "{username}: expected the enrolment step, got {} ({})",
        page.url,
        page.status
    );
    let marker = "data-totp-secret=\"";
    let start = page.body.find(marker).expect("secret on enrolment page") + marker.len();
    let end = page.body[start..].find('"').unwrap();
    let secret = page.body[start..start + end].replace(' ', "");
    let bytes = Secret::Encoded(secret).to_bytes().unwrap();
    let code = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, None, "x".into())
        .unwrap()
        .generate_current()
        .unwrap();
    let page = browser.post("/account/totp", &[("code", &code)]);
    assert_eq!(page.status, 200, "{username}: enrolment refused");
    let recovery_codes: Vec<String> = page
        .body
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|word| word.len() == 14 && word.matches('-').count() == 2)
        .map(str::to_owned)
        .collect();
    assert!(recovery_codes.len() >= 5, "{username}: no recovery codes");
    recovery_codes
}

/// Opens a new session of an enrolled account on `browser` with one
/// recovery code.
pub fn sign_in_with_recovery(browser: &Browser, username: &str, code: &str) {
    let page = browser.login(username, DEMO_PASSWORD);
    assert!(
        page.url.ends_with("/login/totp"),
        "{username}: {}",
        page.url
    );
    let page = browser.post("/login/totp", &[("recovery_code", code)]);
    assert!(
        page.status == 200 && page.url.ends_with('/'),
        "{username}: recovery code refused ({}, {})",
        page.status,
        page.url
    );
}
