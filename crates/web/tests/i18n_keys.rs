//! Every message exists in Greek and in English, and every key the code
//! looks up exists in both.
//!
//! Keys are read from the `.ftl` files with a line parser (a message starts
//! a line as `key =`). Keys in use are found two ways: literal keys passed
//! to `t(`, `t_args(`, `t1(`, `t2(` or `MessageKey(` in `src/` and
//! `templates/`, and the keys that the crate's mapping functions return for
//! every role, status, action and error kind.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use procap_domain::account::PasswordPolicyError;
use procap_domain::role::Role;
use procap_web::error::ErrorKind;
use procap_web::i18n::{password_policy_key, role_key};
use procap_web::pages::admin::UserAction;
use procap_web::pages::audit::{AUDIT_OUTCOMES, outcome_key};
use procap_web::pages::{UserStatus, home_cards, nav_for_role, organisation_kind_key};

const LANGUAGES: [&str; 2] = ["el", "en"];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` whose name ends with `extension`, recursively, sorted.
fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", current.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Returns the message ids defined in one `.ftl` text: lines that start
/// with `[a-z][a-z0-9-]*` followed by optional spaces and `=`.
fn message_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let mut chars = id.chars();
            let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
            let rest_valid =
                chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            (starts_with_letter && rest_valid).then(|| id.to_owned())
        })
        .collect()
}

/// Message ids per language, per file name (e.g. `auth.ftl`).
fn keys_by_language() -> BTreeMap<&'static str, BTreeMap<String, Vec<String>>> {
    LANGUAGES
        .iter()
        .map(|language| {
            let dir = crate_dir().join("locales").join(language);
            let files = files_with_extension(&dir, "ftl")
                .into_iter()
                .map(|path| {
                    let name = path
                        .file_name()
                        .expect("file name")
                        .to_string_lossy()
                        .into_owned();
                    let text = fs::read_to_string(&path).expect("readable .ftl file");
                    (name, message_ids(&text))
                })
                .collect();
            (*language, files)
        })
        .collect()
}

fn all_keys(files: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    files.values().flatten().cloned().collect()
}

/// Literal string arguments of the translation calls in `text`.
fn keys_used_in(text: &str) -> Vec<String> {
    const CALLS: [&str; 5] = ["t(", "t_args(", "t1(", "t2(", "MessageKey("];

    let mut keys = Vec::new();
    for call in CALLS {
        let mut search_from = 0;
        while let Some(offset) = text[search_from..].find(call) {
            let start = search_from + offset;
            search_from = start + call.len();

            let preceded_by_identifier = text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if preceded_by_identifier {
                continue;
            }
            let rest = &text[search_from..];
            let Some(literal) = rest.strip_prefix('"') else {
                continue;
            };
            if let Some(end) = literal.find('"') {
                keys.push(literal[..end].to_owned());
            }
        }
    }
    keys
}

/// Keys the crate builds from enums and tables rather than literals.
fn keys_from_mappings() -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut add = |source: &str, key: &str| keys.push((source.to_owned(), key.to_owned()));

    for role in Role::ALL {
        add("role_key", role_key(role));
        for card in home_cards(role) {
            add("home_cards", card.title_key);
            add("home_cards", card.text_key);
        }
        for item in nav_for_role(role, "/") {
            add("nav_for_role", item.label_key);
        }
    }
    for kind in ErrorKind::ALL {
        add("ErrorKind::title_key", kind.title_key());
        add("ErrorKind::message_key", kind.message_key());
    }
    for status in UserStatus::ALL {
        add("UserStatus::label_key", status.label_key());
    }
    for action in UserAction::ALL {
        add("UserAction::label_key", action.label_key());
        let (title, message) = action.confirm_keys();
        add("UserAction::confirm_keys", title);
        add("UserAction::confirm_keys", message);
    }
    for kind in procap_store::organisations::ORGANISATION_KINDS {
        add("organisation_kind_key", organisation_kind_key(kind));
    }
    add("organisation_kind_key", organisation_kind_key("unknown"));
    for outcome in AUDIT_OUTCOMES {
        add("outcome_key", outcome_key(outcome));
    }
    add("outcome_key", outcome_key("unknown"));
    for error in [
        PasswordPolicyError::TooShort,
        PasswordPolicyError::TooLong,
        PasswordPolicyError::Common,
        PasswordPolicyError::ContainsUsername,
    ] {
        add("password_policy_key", password_policy_key(error));
    }
    keys
}

#[test]
fn ftl_files_exist_for_both_languages() {
    let keys = keys_by_language();
    for language in LANGUAGES {
        assert!(
            keys[language].len() >= 6,
            "expected the six area files in locales/{language}, found {:?}",
            keys[language].keys().collect::<Vec<_>>()
        );
    }
    let greek_files: Vec<_> = keys["el"].keys().collect();
    let english_files: Vec<_> = keys["en"].keys().collect();
    assert_eq!(
        greek_files, english_files,
        "locales/el and locales/en must have the same files"
    );
}

#[test]
fn no_duplicate_keys() {
    let mut duplicates = Vec::new();
    for (language, files) in keys_by_language() {
        let mut seen = BTreeSet::new();
        for key in files.values().flatten() {
            if !seen.insert(key.clone()) {
                duplicates.push(format!("{language}: {key}"));
            }
        }
    }
    assert!(
        duplicates.is_empty(),
        "keys defined twice:\n{}",
        duplicates.join("\n")
    );
}

#[test]
fn same_keys_in_each_file() {
    let keys = keys_by_language();
    let mut problems = Vec::new();
    for (file, greek) in &keys["el"] {
        let greek: BTreeSet<_> = greek.iter().collect();
        let english: BTreeSet<_> = keys["en"].get(file).into_iter().flatten().collect();
        for key in greek.difference(&english) {
            problems.push(format!("{file}: {key} is only in Greek"));
        }
        for key in english.difference(&greek) {
            problems.push(format!("{file}: {key} is only in English"));
        }
    }
    assert!(
        problems.is_empty(),
        "keys present in one language only:\n{}",
        problems.join("\n")
    );
}

#[test]
fn literal_keys_exist_in_both_languages() {
    let keys = keys_by_language();
    let greek = all_keys(&keys["el"]);
    let english = all_keys(&keys["en"]);

    let mut sources = files_with_extension(&crate_dir().join("src"), "rs");
    sources.extend(files_with_extension(&crate_dir().join("templates"), "html"));
    assert!(
        sources.len() > 10,
        "expected to scan the crate's sources, found {}",
        sources.len()
    );

    let mut used = 0;
    let mut missing = Vec::new();
    for path in sources {
        let text = fs::read_to_string(&path).expect("readable source file");
        for key in keys_used_in(&text) {
            used += 1;
            for (language, defined) in [("el", &greek), ("en", &english)] {
                if !defined.contains(&key) {
                    let file = path.strip_prefix(crate_dir()).unwrap_or(&path).display();
                    missing.push(format!("{file}: {key:?} missing in {language}"));
                }
            }
        }
    }
    assert!(used > 100, "expected many translation calls, found {used}");
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys used but not defined:\n{}",
        missing.join("\n")
    );
}

#[test]
fn mapped_keys_exist_in_both_languages() {
    let keys = keys_by_language();
    let greek = all_keys(&keys["el"]);
    let english = all_keys(&keys["en"]);

    let mut missing = Vec::new();
    for (source, key) in keys_from_mappings() {
        for (language, defined) in [("el", &greek), ("en", &english)] {
            if !defined.contains(&key) {
                missing.push(format!("{source}: {key:?} missing in {language}"));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys returned by mapping functions but not defined:\n{}",
        missing.join("\n")
    );
}

#[test]
fn key_scanner_finds_calls() {
    let sample = r#"ctx.t.t("a-b") get("not-a-key") t1("c", "n", 1) self.t_args("d", &[]) MessageKey("e") format("f")"#;
    assert_eq!(keys_used_in(sample), ["a-b", "d", "c", "e"]);
}

#[test]
fn ftl_parser_reads_ids() {
    let sample = "# comment\nkey-one = Ένα\nkey-two =\n    { $n ->\n       *[other] x = y\n    }\n-term = z\nBad = no\n";
    assert_eq!(message_ids(sample), ["key-one", "key-two"]);
}
