//! HTCDS export and monthly report subscriptions over the real binary on
//! both backends. An archive with identifiers, decrypted and imported into
//! an empty database, exports again to the same files; an archive without
//! identifiers holds no name, birth date or contact; the export page
//! refuses users without the right (403), never gives the monitoring
//! officer identifiers, checks the recipient key, and every export is
//! audited. A coordinator subscribes, sees the subscription listed and
//! unsubscribes only after confirming.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::{Browser, DEMO_PASSWORD, TestServer, common_args, each_backend};
use procap_store::Backend;
use procap_store::audit::{self, AuditFilter};
use procap_store::testing::TestDatabase;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/import/data/htcds_sample.csv"
);

/// Names, birth dates and contact details in the sample.
const SAMPLE_IDENTIFIERS: [&str; 8] = [
    "Esi",
    "Quartey",
    "Mariam",
    "Sadeghi",
    "Tarek",
    "1999-04-12",
    "6900000101",
    "Sample outreach team",
];

/// A data folder and a database with only the command line's work in it.
struct Installation {
    dir: tempfile::TempDir,
    database: TestDatabase,
}

impl Installation {
    fn empty(backend: Backend) -> Installation {
        let database = match backend {
            Backend::Sqlite => TestDatabase::sqlite(),
            Backend::Postgres => TestDatabase::postgres().expect("PostgreSQL is available"),
        };
        let installation = Installation {
            dir: tempfile::tempdir().unwrap(),
            database,
        };
        let created = installation.cli(&[
            "user",
            "add",
            "admin",
            "--role",
            "admin",
            "--organisation",
            "KA",
        ]);
        assert!(
            created.status.success(),
            "{}",
            String::from_utf8_lossy(&created.stderr)
        );
        installation
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(common::binary())
            .args(args)
            .args(common_args(self.dir.path(), &self.database))
            .output()
            .unwrap()
    }

    fn import(&self, file: &Path) {
        let output = self.cli(&[
            "import",
            "htcds",
            file.to_str().unwrap(),
            "--organisation",
            "KA",
            "--lang",
            "en",
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Exports with the given extra flags and returns the archive's files.
    fn export(&self, identity: &age::x25519::Identity, extra: &[&str]) -> BTreeMap<String, String> {
        let output_path = self.dir.path().join("export.zip.age");
        let key = identity.to_public().to_string();
        let mut args = vec![
            "export",
            "htcds",
            "--output",
            output_path.to_str().unwrap(),
            "--recipient",
            &key,
        ];
        args.extend_from_slice(extra);
        let output = self.cli(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        unzip(&decrypt(&std::fs::read(&output_path).unwrap(), identity))
    }
}

fn decrypt(sealed: &[u8], identity: &age::x25519::Identity) -> Vec<u8> {
    let decryptor = age::Decryptor::new(sealed).unwrap();
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .unwrap();
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).unwrap();
    plain
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        files.insert(entry.name().unwrap().into_owned(), text);
    }
    files
}

/// Each case as the text of its rows in every entity file, with the case
/// code left out, sorted: equal for two exports of the same cases under
/// other codes.
fn case_signatures(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut by_code: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, text) in files {
        if name.starts_with("org_") {
            continue;
        }
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = reader.headers().unwrap().clone();
        for row in reader.records() {
            let row = row.unwrap();
            let code = row.get(0).unwrap().to_owned();
            let rest: Vec<String> = header
                .iter()
                .zip(row.iter())
                .skip(1)
                .map(|(column, value)| format!("{column}={value}"))
                .collect();
            by_code
                .entry(code)
                .or_default()
                .push(format!("{name}: {}", rest.join("|")));
        }
    }
    let mut signatures: Vec<String> = by_code
        .into_values()
        .map(|mut rows| {
            rows.sort();
            rows.join("\n")
        })
        .collect();
    signatures.sort();
    signatures
}

#[test]
fn archive_with_identifiers_round_trips_through_an_empty_database() {
    each_backend(|database| {
        let backend = database.backend();
        drop(database);
        let identity = age::x25519::Identity::generate();

        let first = Installation::empty(backend);
        first.import(Path::new(SAMPLE));
        let exported = first.export(
            &identity,
            &["--with-identifiers", "--purpose", "Transfer to a partner"],
        );
        let names: Vec<&str> = exported.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "cas_cases.csv",
                "hte_events.csv",
                "org_organisations.csv",
                "prs_persons.csv",
                "vic_victims.csv"
            ]
        );
        assert!(exported["prs_persons.csv"].contains("Quartey"));
        assert_eq!(case_signatures(&exported).len(), 6);

        // The archive as a partner would import it: decrypted, zipped.
        let archive = first.dir.path().join("partner.zip");
        let sealed = std::fs::read(first.dir.path().join("export.zip.age")).unwrap();
        std::fs::write(&archive, decrypt(&sealed, &identity)).unwrap();
        let second = Installation::empty(backend);
        second.import(&archive);
        let again = second.export(
            &identity,
            &["--with-identifiers", "--purpose", "Round-trip check"],
        );
        assert_eq!(
            case_signatures(&again),
            case_signatures(&exported),
            "{}",
            backend.as_str()
        );
    });
}

#[test]
fn archive_without_identifiers_names_nobody() {
    each_backend(|database| {
        let backend = database.backend();
        drop(database);
        let identity = age::x25519::Identity::generate();
        let installation = Installation::empty(backend);
        installation.import(Path::new(SAMPLE));

        let files = installation.export(&identity, &[]);
        assert_eq!(case_signatures(&files).len(), 6);
        for (name, text) in &files {
            for identifier in SAMPLE_IDENTIFIERS {
                assert!(
                    !text.contains(identifier),
                    "{}: {identifier} in {name}",
                    backend.as_str()
                );
            }
        }
        assert!(!files["prs_persons.csv"].contains("prs_FirstName"));
        assert!(files["prs_persons.csv"].contains("KA-"));

        // Asking for identifiers without a purpose exports nothing.
        let refused = installation.cli(&[
            "export",
            "htcds",
            "--output",
            installation.dir.path().join("x.age").to_str().unwrap(),
            "--recipient",
            &identity.to_public().to_string(),
            "--with-identifiers",
        ]);
        assert!(!refused.status.success());
        assert!(!installation.dir.path().join("x.age").exists());

        // A period that ends before it starts, an unknown organisation and
        // a bad key export nothing either.
        for bad in [
            vec!["--from", "2025-05-01", "--to", "2025-04-01"],
            vec!["--organisation", "NOPE"],
        ] {
            let mut args = vec![
                "export",
                "htcds",
                "--output",
                "/nonexistent/never-written.age",
                "--recipient",
            ];
            let key = identity.to_public().to_string();
            args.push(&key);
            args.extend(bad.iter().copied());
            let output = installation.cli(&args);
            assert!(!output.status.success());
            assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was exported"));
        }
        let output = installation.cli(&[
            "export",
            "htcds",
            "--output",
            "/nonexistent/x.age",
            "--recipient",
            "age1bogus",
        ]);
        assert!(String::from_utf8_lossy(&output.stderr).contains("not an age public key"));
    });
}

fn signed_in(server: &TestServer, username: &str) -> Browser {
    let browser = server.browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert_eq!(page.status, 200, "{}: {username}", server.backend());
    browser
}

fn htcds_exports(server: &TestServer) -> Vec<(String, String)> {
    server
        .database
        .store()
        .run_blocking(|db| {
            let filter = AuditFilter {
                action: Some("export.htcds".to_owned()),
                ..AuditFilter::default()
            };
            let (rows, _) = audit::list(db, &filter, 0, 100)?;
            Ok(rows
                .into_iter()
                .map(|row| (row.outcome, row.details))
                .collect())
        })
        .unwrap()
}

#[test]
fn export_page_keeps_identifiers_to_coordinators() {
    each_backend(|database| {
        let server = TestServer::demo(database);
        let identity = age::x25519::Identity::generate();
        let key = identity.to_public().to_string();

        let caseworker = signed_in(&server, "caseworker");
        assert_eq!(caseworker.get("/reports/htcds").status, 403);
        let refused = caseworker.post("/reports/htcds", &[("pasted_recipient", &key)]);
        assert_eq!(refused.status, 403);

        let monitoring = signed_in(&server, "monitoring");
        let page = monitoring.get("/reports/htcds");
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("with_identifiers"),
            "no identifiers option"
        );
        let refused = monitoring.post(
            "/reports/htcds",
            &[
                ("pasted_recipient", &key),
                ("with_identifiers", "1"),
                ("purpose", "curiosity"),
            ],
        );
        assert_eq!(refused.status, 403, "{}", server.backend());

        // A bad key: a clear message in Greek, the typed value kept.
        let bad = monitoring.post("/reports/htcds", &[("pasted_recipient", "age1notakey")]);
        assert_eq!(bad.status, 422);
        assert!(
            bad.body.contains("δεν είναι δημόσιο κλειδί age"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("value=\"age1notakey\""));

        let response = monitoring
            .client
            .post(format!("{}/reports/htcds", monitoring.base))
            .header("Origin", &monitoring.base)
            .form(&[("pasted_recipient", key.as_str())])
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{}", server.backend());
        let files = unzip(&decrypt(&response.bytes().unwrap(), &identity));
        assert!(!files["prs_persons.csv"].contains("prs_FirstName"));

        // The coordinator needs a purpose for identifiers.
        let coordinator = signed_in(&server, "coordinator");
        let missing = coordinator.post(
            "/reports/htcds",
            &[("pasted_recipient", &key), ("with_identifiers", "1")],
        );
        assert_eq!(missing.status, 422);
        let response = coordinator
            .client
            .post(format!("{}/reports/htcds", coordinator.base))
            .header("Origin", &coordinator.base)
            .form(&[
                ("pasted_recipient", key.as_str()),
                ("with_identifiers", "1"),
                ("purpose", "Transfer to the partner shelter"),
            ])
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let files = unzip(&decrypt(&response.bytes().unwrap(), &identity));
        assert!(files["prs_persons.csv"].contains("prs_FirstName"));

        let exports = htcds_exports(&server);
        let denied = exports
            .iter()
            .filter(|(outcome, _)| outcome == "denied")
            .count();
        let done: Vec<&String> = exports
            .iter()
            .filter(|(outcome, _)| outcome == "success")
            .map(|(_, details)| details)
            .collect();
        assert_eq!(denied, 1, "{exports:?}");
        assert_eq!(done.len(), 2, "{exports:?}");
        assert!(
            done.iter()
                .any(|d| d.contains("Transfer to the partner shelter"))
        );
    });
}

#[test]
fn coordinator_subscribes_and_unsubscribes_after_confirming() {
    use diesel::prelude::*;
    use procap_store::schema::users;

    each_backend(|database| {
        let server = TestServer::demo(database);
        let coordinator = signed_in(&server, "coordinator");

        // Without an e-mail address there is nothing to subscribe with.
        let page = coordinator.get("/reports/schedule");
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("δεν έχει διεύθυνση e-mail"),
            "{}",
            page.body
        );

        server
            .database
            .store()
            .run_blocking(|db| {
                diesel::update(users::table.filter(users::username.eq("coordinator")))
                    .set(users::email.eq(Some("coordinator@example.invalid")))
                    .execute(db.conn)?;
                Ok(())
            })
            .unwrap();
        let coordinator = signed_in(&server, "coordinator");

        let bad = coordinator.post(
            "/reports/schedule",
            &[("delivery", "attachment"), ("recipient_key", "age1nope")],
        );
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("value=\"age1nope\""));

        let identity = age::x25519::Identity::generate();
        let key = identity.to_public().to_string();
        let done = coordinator.post(
            "/reports/schedule",
            &[("delivery", "attachment"), ("recipient_key", &key)],
        );
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(done.url.contains("done=subscribed"));
        assert!(done.body.contains("Κρυπτογραφημένο συνημμένο"));
        let cancel = done
            .body
            .split("action=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .find(|action| action.ends_with("/cancel"))
            .expect("an unsubscribe form")
            .to_owned();

        // The first post shows the confirmation. Only the confirmed post
        // unsubscribes.
        let asked = coordinator.post(&cancel, &[]);
        assert_eq!(asked.status, 200);
        assert!(asked.body.contains("name=\"confirmed\" value=\"yes\""));
        assert!(coordinator.get("/reports/schedule").body.contains(&cancel));
        let cancelled = coordinator.post(&cancel, &[("confirmed", "yes")]);
        assert!(cancelled.url.contains("done=cancelled"));
        assert!(!cancelled.body.contains(&cancel));

        // Other roles have no such page.
        let monitoring = signed_in(&server, "monitoring");
        assert_eq!(monitoring.get("/reports/schedule").status, 403);
    });
}
