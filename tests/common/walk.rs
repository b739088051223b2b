//! A headless Chromium session for the browser tests: starts ChromeDriver
//! and Chromium with the flags that keep it off the network, and offers the
//! steps a person takes (go, fill, submit, screenshot).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use procap_store::testing::is_ci;

use super::DEMO_PASSWORD;

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn find_program(name: &str) -> Option<PathBuf> {
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

/// The browser session and where its screenshots go.
pub struct Walk {
    pub client: Client,
    pub base: String,
    pub shots: PathBuf,
    /// Screenshot file names start with this, e.g. `walk`.
    pub prefix: &'static str,
    pub step: usize,
}

impl Walk {
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    pub async fn body(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn shot(&mut self, name: &str) {
        self.step += 1;
        let file = self
            .shots
            .join(format!("{}-{:02}-{name}.png", self.prefix, self.step));
        std::fs::write(file, self.client.screenshot().await.unwrap()).unwrap();
    }

    /// Fills the named fields of the form matched by `form`: text by
    /// typing, selects by value, checkboxes and radios by ticking the one
    /// with that value, and date and time fields by setting their value.
    pub async fn fill(&self, form: &str, fields: &[(&str, &str)]) {
        for (name, value) in fields {
            let selector = format!("{form} [name='{name}']");
            let found = self.client.find_all(Locator::Css(&selector)).await.unwrap();
            let element = found
                .first()
                .unwrap_or_else(|| panic!("no field {selector}"));
            let tag = element.tag_name().await.unwrap();
            let kind = element.attr("type").await.unwrap().unwrap_or_default();
            match (tag.as_str(), kind.as_str()) {
                ("select", _) => element.select_by_value(value).await.unwrap(),
                (_, "checkbox" | "radio") => {
                    let option = self
                        .client
                        .find(Locator::Css(&format!("{selector}[value='{value}']")))
                        .await
                        .unwrap();
                    if !option.is_selected().await.unwrap() {
                        option.click().await.unwrap();
                    }
                }
                (_, "date" | "datetime-local" | "time" | "number") => {
                    let element = serde_json::to_value(element).unwrap();
                    self.client
                        .execute(
                            "arguments[0].value = arguments[1];",
                            vec![element, serde_json::Value::String((*value).to_owned())],
                        )
                        .await
                        .unwrap();
                }
                _ => {
                    element.clear().await.unwrap();
                    element.send_keys(value).await.unwrap();
                }
            }
        }
    }

    /// Clicks `button` and waits until the next page has loaded.
    pub async fn click_and_wait(&self, button: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.client
            .find(Locator::Css(button))
            .await
            .unwrap_or_else(|_| panic!("no button {button}"))
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while old.tag_name().await.is_ok() {
            assert!(Instant::now() < deadline, "no new page after {button}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.client
            .wait()
            .for_element(Locator::Css("footer, main"))
            .await
            .unwrap();
    }

    pub async fn submit(&self, form: &str) {
        self.click_and_wait(&format!("{form} button[type=submit]"))
            .await;
    }

    pub async fn sign_in(&self, username: &str) {
        self.client.delete_all_cookies().await.unwrap();
        self.goto("/login").await;
        self.fill(
            "form[action='/login']",
            &[("username", username), ("password", DEMO_PASSWORD)],
        )
        .await;
        self.submit("form[action='/login']").await;
        assert_eq!(self.path().await, "/", "{username} could not sign in");
    }
}

/// A running browser: the session, its driver process and its profile
/// folder, kept together so they end together.
pub struct Browser {
    pub walk: Walk,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// Starts Chromium for `base`, or returns `None` (with a message) when
/// Debian's chromium and chromium-driver are not installed. Under CI
/// (`CI=true`) a missing browser fails the test instead.
pub async fn start(base: &str, prefix: &'static str) -> Option<Browser> {
    let (Some(chromium), Some(chromedriver)) =
        (find_program("chromium"), find_program("chromedriver"))
    else {
        assert!(
            !is_ci(),
            "CI=true but chromium or chromedriver is not installed"
        );
        eprintln!("SKIPPED browser test: install Debian's chromium and chromium-driver to run it");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
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
                "--window-size=1280,1600", format!("--user-data-dir={}", profile.path().display()),
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
    Some(Browser {
        walk: Walk {
            client,
            base: base.to_owned(),
            shots: screenshot_dir(),
            prefix,
            step: 0,
        },
        _driver: driver,
        _profile: profile,
    })
}
