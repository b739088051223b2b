//! `procap report amif`, `procap report nrm` and `procap export published`
//! on the demo data, on both databases: the files are well formed, small
//! counts never appear in the published statistics, and both databases
//! give the same bytes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TestServer, each_backend};

/// Every output of one backend, by file name.
type Outputs = BTreeMap<String, Vec<u8>>;

fn run(server: &TestServer, args: &[&str]) {
    let output = server.cli(args);
    assert!(
        output.status.success(),
        "procap {args:?} failed on {}: {}",
        server.backend(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn amif(server: &TestServer, dir: &Path, format: &str) -> Vec<u8> {
    report(server, dir, "amif", format)
}

/// Runs `procap report {kind}` over the whole demo range and returns the file.
fn report(server: &TestServer, dir: &Path, kind: &str, format: &str) -> Vec<u8> {
    let file = dir.join(format!("{kind}.{format}"));
    let path = file.to_str().expect("UTF-8 path");
    run(
        server,
        &[
            "report",
            kind,
            "--from",
            "2000-01-01",
            "--to",
            "2030-12-31",
            "--format",
            format,
            "--output",
            path,
        ],
    );
    std::fs::read(&file).expect("report written")
}

fn outputs(server: &TestServer) -> Outputs {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut outputs = Outputs::new();
    outputs.insert("amif.csv".to_owned(), amif(server, dir.path(), "csv"));
    let xlsx = amif(server, dir.path(), "xlsx");
    assert!(xlsx.starts_with(b"PK"), "XLSX is a zip");
    let pdf = amif(server, dir.path(), "pdf");
    assert!(pdf.starts_with(b"%PDF"), "PDF header");
    outputs.insert(
        "nrm.csv".to_owned(),
        report(server, dir.path(), "nrm", "csv"),
    );
    let xlsx = report(server, dir.path(), "nrm", "xlsx");
    assert!(xlsx.starts_with(b"PK"), "NRM XLSX is a zip");
    let pdf = report(server, dir.path(), "nrm", "pdf");
    assert!(pdf.starts_with(b"%PDF"), "NRM PDF header");

    let published = dir.path().join("published");
    run(
        server,
        &[
            "export",
            "published",
            "--output",
            published.to_str().expect("UTF-8 path"),
        ],
    );
    for entry in std::fs::read_dir(&published).expect("published folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        outputs.insert(name, std::fs::read(entry.path()).expect("file"));
    }
    outputs
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("byte-order mark");
    text.lines()
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

fn amif_value(outputs: &Outputs, code: &str) -> String {
    csv_rows(&outputs["amif.csv"])
        .into_iter()
        .find(|row| row[0] == code)
        .unwrap_or_else(|| panic!("no row {code}"))[6]
        .clone()
}

#[test]
fn reports_are_the_same_on_both_databases() {
    let runs = std::cell::RefCell::new(Vec::<(&'static str, Outputs)>::new());
    each_backend(|database| {
        let server = TestServer::demo(database);
        runs.borrow_mut().push((server.backend(), outputs(&server)));
    });
    let runs = runs.into_inner();
    let (_, first) = &runs[0];
    for (backend, other) in &runs[1..] {
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "same files on {backend}"
        );
        for (name, bytes) in first {
            // The published note carries the day it was written; the rest
            // must match byte for byte.
            if name != "README.txt" {
                assert_eq!(bytes, &other[name], "{name} differs on {backend}");
            }
        }
    }
}

#[test]
fn amif_counts_each_demo_participant_once() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let outputs = outputs(&server);
    // Two demo cases have services: case management for both, legal
    // assistance for one; the younger person is an unaccompanied minor.
    assert_eq!(amif_value(&outputs, "participants_supported"), "2");
    assert_eq!(amif_value(&outputs, "legal_assistance"), "1");
    assert_eq!(amif_value(&outputs, "other_support"), "2");
    assert_eq!(amif_value(&outputs, "vulnerable_persons"), "2");
    assert_eq!(amif_value(&outputs, "unaccompanied_minors"), "1");
}

#[test]
fn published_files_show_no_count_from_one_to_four() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let outputs = outputs(&server);
    let mut cells = 0;
    for (name, bytes) in outputs.iter().filter(|(name, _)| name.ends_with(".csv")) {
        if name == "amif.csv" || name == "nrm.csv" {
            continue;
        }
        for row in csv_rows(bytes) {
            for cell in row {
                cells += 1;
                if let Ok(count) = cell.parse::<u64>() {
                    assert!(!(1..5).contains(&count), "{name} shows {count}");
                }
            }
        }
    }
    assert!(cells > 0, "the export has cells");
    let note = String::from_utf8(outputs["README.txt"].clone()).expect("UTF-8");
    assert!(note.contains("records.csv"), "the note covers the records");
}

#[test]
fn a_reversed_period_writes_nothing() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("amif.csv");
    let output = server.cli(&[
        "report",
        "amif",
        "--from",
        "2026-12-31",
        "--to",
        "2026-01-01",
        "--output",
        file.to_str().expect("UTF-8 path"),
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("nothing was exported"),
        "says nothing was exported"
    );
    assert!(!file.exists());
}

/// The persons count of one NRM statistics row, found by table and code.
fn nrm_value(outputs: &Outputs, table: &str, code: &str) -> String {
    csv_rows(&outputs["nrm.csv"])
        .into_iter()
        .find(|row| row[0] == table && row[3] == code)
        .unwrap_or_else(|| panic!("no row {table}/{code}"))[9]
        .clone()
}

#[test]
fn nrm_counts_each_demo_person_once() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let outputs = outputs(&server);
    // Three demo cases of three persons; the CTDC sample is left out.
    assert_eq!(nrm_value(&outputs, "total", "persons"), "3");
    assert_eq!(nrm_value(&outputs, "total", "new_persons"), "3");
    assert_eq!(nrm_value(&outputs, "sex", "female"), "2");
    assert_eq!(nrm_value(&outputs, "sex", "male"), "1");
    assert_eq!(nrm_value(&outputs, "citizenship", "NG"), "1");
    assert_eq!(nrm_value(&outputs, "legal_status", "asylum_seeker"), "3");
    assert_eq!(
        nrm_value(&outputs, "exploitation_type", "forced_labour"),
        "2"
    );
    assert_eq!(nrm_value(&outputs, "means_of_control", "threats"), "3");
    assert_eq!(nrm_value(&outputs, "service_line", "case_management"), "2");
    assert_eq!(nrm_value(&outputs, "service_line", "legal"), "1");
    // The newest case has no service yet.
    assert_eq!(nrm_value(&outputs, "service_line", "not_recorded"), "1");
}

#[test]
fn nrm_bad_input_writes_nothing() {
    let server = TestServer::demo(procap_store::testing::TestDatabase::sqlite());
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("nrm.csv");
    let path = file.to_str().expect("UTF-8 path");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--from", "2026-12-31", "--to", "2026-01-01"],
            "ends on 2026-01-01 before it starts",
        ),
        (
            &["--from", "2026-13-01", "--to", "2026-12-31"],
            "--from 2026-13-01",
        ),
        (
            &[
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--organisation",
                "NOPE",
            ],
            "unknown organisation NOPE",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["report", "nrm", "--output", path];
        args.extend_from_slice(flags);
        let output = server.cli(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{flags:?}");
        assert!(stderr.contains(message), "{flags:?}: {stderr}");
        assert!(!file.exists(), "{flags:?}");
    }
}
