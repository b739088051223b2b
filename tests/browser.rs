//! The flow a person clicks through, in headless Chromium: open the login
//! page, sign in as a demo user, switch the language to English and back,
//! sign out. Screenshots go to `target/screenshots/` (or the folder in
//! `PROCAP_SCREENSHOT_DIR`).
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test is
//! skipped with a message, except under CI (`CI=true`), where it fails.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{DEMO_PASSWORD, TestServer};
use fantoccini::{ClientBuilder, Locator};
use procap_store::testing::{TestDatabase, is_ci};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| PathBuf::from(dir).join(name))
        .find(|path| path.is_file())
}

fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("PROCAP_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("screenshots")
        });
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_switch_language_logout_in_chromium() {
    let (Some(chromium), Some(chromedriver)) =
        (find_program("chromium"), find_program("chromedriver"))
    else {
        assert!(
            !is_ci(),
            "CI=true but chromium or chromedriver is not installed"
        );
        eprintln!("SKIPPED browser test: install Debian's chromium and chromium-driver to run it");
        return;
    };
    let server = tokio::task::spawn_blocking(|| TestServer::demo(TestDatabase::sqlite()))
        .await
        .unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = tempfile::tempdir().unwrap();
    let capabilities: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    }))
    .unwrap();
    let webdriver = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&webdriver)
            .await
        {
            Ok(client) => break client,
            Err(error) if Instant::now() < deadline => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("cannot start a Chromium session: {error}"),
        }
    };
    let shots = screenshot_dir();

    client
        .goto(&format!("{}/login", server.base))
        .await
        .unwrap();
    let lang = client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("el"));
    std::fs::write(
        shots.join("login-el.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    client
        .find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("coordinator")
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(DEMO_PASSWORD)
        .await
        .unwrap();
    client
        .find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("form[action='/logout']"))
        .await
        .unwrap();
    let url = client.current_url().await.unwrap();
    assert_eq!(url.path(), "/", "after login the browser is at {url}");
    let body = client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("Ελένη Παπαδοπούλου"),
        "home page does not show the user: {body}"
    );
    std::fs::write(
        shots.join("home-el.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    client
        .find(Locator::Css("form[action='/locale'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("html[lang=en]"))
        .await
        .unwrap();
    std::fs::write(
        shots.join("home-en.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    client
        .find(Locator::Css("form[action='/locale'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("html[lang=el]"))
        .await
        .unwrap();
    std::fs::write(
        shots.join("home-el-again.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    client
        .find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("input[name=username]"))
        .await
        .unwrap();
    let url = client.current_url().await.unwrap();
    assert_eq!(url.path(), "/login");
    client.close().await.unwrap();
    drop(server);
}
