//! `procap import ctdc` against the real binary on both backends: the shipped
//! sample loads completely, an invalid file loads nothing, and the API's
//! case totals follow.

mod common;

use common::{TestServer, each_backend};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/import/data/ctdc_global_kanon_sample.csv"
);

fn api_total(server: &TestServer, token: &str, query: &str) -> i64 {
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?{query}", server.base))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<serde_json::Value>().unwrap()["total"]
        .as_i64()
        .unwrap()
}

fn token(server: &TestServer, user: &str) -> String {
    String::from_utf8(server.cli(&["token", "create", "--user", user]).stdout)
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn ctdc_sample_imports_and_counts() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        let before = api_total(&server, &coordinator, "limit=1&origin=ctdc_import");
        assert_eq!(
            before,
            1522,
            "{}: the demo does not load the sample",
            server.backend()
        );

        let output = server.cli(&["import", "ctdc", SAMPLE]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("100%"),
            "no progress shown"
        );
        let after = api_total(&server, &coordinator, "limit=1&origin=ctdc_import");
        assert_eq!(after - before, 1522);

        let trainee = token(&server, "trainee");
        let refused = reqwest::blocking::Client::new()
            .get(format!("{}/api/v1/cases?limit=1", server.base))
            .bearer_auth(&trainee)
            .send()
            .unwrap();
        assert_eq!(refused.status(), 403);
        assert!(server.cli(&["audit", "verify"]).status.success());
    });
}

#[test]
fn invalid_ctdc_file_imports_nothing() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = token(&server, "coordinator");
        let before = api_total(&server, &coordinator, "limit=1");

        let sample = std::fs::read_to_string(SAMPLE).unwrap();
        let mut lines: Vec<String> = sample.lines().map(str::to_owned).collect();
        lines[10] = lines[10].replacen("Female", "Mystery", 1);
        let broken = server.data_dir.path().join("broken.csv");
        std::fs::write(&broken, lines.join("\n")).unwrap();

        let output = server.cli(&["import", "ctdc", broken.to_str().unwrap()]);
        assert!(
            !output.status.success(),
            "{}: invalid file accepted",
            server.backend()
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("line 11"),
            "error does not name the line: {stderr}"
        );
        assert!(
            stderr.contains("gender"),
            "error does not name the column: {stderr}"
        );
        assert_eq!(
            api_total(&server, &coordinator, "limit=1"),
            before,
            "rows written from an invalid file"
        );
    });
}

#[test]
fn case_api_validates_paging() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let coordinator = token(&server, "coordinator");
    for query in ["limit=0", "limit=501", "offset=-1"] {
        let response = reqwest::blocking::Client::new()
            .get(format!("{}/api/v1/cases?{query}", server.base))
            .bearer_auth(&coordinator)
            .send()
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
    }
    let page: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/cases?limit=2&offset=2", server.base))
        .bearer_auth(&coordinator)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert!(page["total"].as_i64().unwrap() >= 1525);
}
