//! `procap backup`, `procap backup --verify` and `procap restore`.
//!
//! A backup is one file: an age-encrypted tar stream holding the database
//! (an SQLite copy made with `VACUUM INTO`, or a `pg_dump` custom-format
//! dump), every file under `DATA_DIR/attachments`, and last `manifest.json`
//! with the format version, the time, the backend, each table's row count
//! and digest, and the size and SHA-256 of every other entry.
//!
//! The key file is never in a backup: whoever holds a backup and the age
//! identity that opens it must still get the key file, kept elsewhere, to
//! read the encrypted fields. `restore` copies the key file from where the
//! backup recorded it only when it is still there on this machine (see
//! docs/security.md, "Backups").

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use anyhow::{Context, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use procap_store::backup::{self as db_backup, TableSummary};
use procap_store::{Backend, DatabaseUrl, audit};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::startup::open_store;

/// The manifest format this version writes and reads.
const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const SQLITE_ENTRY: &str = "database/procap.sqlite3";
const POSTGRES_ENTRY: &str = "database/procap.pgdump";
const ATTACHMENTS: &str = "attachments";
/// The age identity Procap creates when no recipient is configured.
pub const IDENTITY_FILE: &str = "procap-backup.agekey";
/// Tag of the header stanza that names where that identity file was. It
/// wraps no key; age ignores stanzas it does not know.
const HINT_TAG: &str = "procap-identity-path";
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    created_at: String,
    procap_version: String,
    backend: String,
    /// The entry holding the database.
    database: String,
    tables: BTreeMap<String, TableSummary>,
    entries: Vec<Entry>,
    /// Where the key file was when the backup was made. The key itself is
    /// never in the backup.
    key_file: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    path: String,
    size: u64,
    sha256: String,
}

// ---------------------------------------------------------------- backup

pub fn backup(settings: &Settings, output: &Path, flags: &[String]) -> anyhow::Result<ExitCode> {
    let mut recipients: Vec<Box<dyn age::Recipient>> = Vec::new();
    for key in settings.backup_recipients.iter().chain(flags) {
        let recipient = age::x25519::Recipient::from_str(key)
            .map_err(|error| anyhow!("invalid backup recipient {key}: {error}"))?;
        recipients.push(Box::new(recipient));
    }
    if recipients.is_empty() {
        let path = identity_path(settings);
        let identity = load_or_create_identity(&path)?;
        recipients.push(Box::new(identity.to_public()));
        let absolute = std::path::absolute(&path)?;
        recipients.push(Box::new(IdentityHint(
            URL_SAFE_NO_PAD.encode(absolute.to_string_lossy().as_bytes()),
        )));
    }

    let store = open_store(settings)?;
    let work = tempfile::Builder::new()
        .prefix(".procap-backup-")
        .tempdir_in(settings.data_dir())
        .context("cannot create a temporary folder in the data folder")?;
    let (database_entry, dump, tables) = match store.backend() {
        Backend::Sqlite => {
            let dump = work.path().join("procap.sqlite3");
            store.run_blocking(|db| db_backup::sqlite_snapshot(db.conn, &dump))?;
            let mut copy = db_backup::open_sqlite_file(&dump)?;
            let tables = db_backup::summarise(&mut copy)?;
            (SQLITE_ENTRY, dump, tables)
        }
        Backend::Postgres => {
            let dump = work.path().join("procap.pgdump");
            let tables = db_backup::with_postgres_snapshot(store.url(), |snapshot, tables| {
                pg_dump(store.url(), snapshot, &dump).map(|()| tables.clone())
            })??;
            (POSTGRES_ENTRY, dump, tables)
        }
    };
    let backend = store.backend();
    drop(store);

    // The database first, then the attachments: a file is written before
    // the row that names it, so every attachment the copy names is there.
    let attachments = attachment_files(&settings.data_dir().join(ATTACHMENTS))?;
    let total: u64 = fs::metadata(&dump)?.len() + attachments.iter().map(|a| a.2).sum::<u64>();
    let bar = progress_bar(total);

    let folder = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let partial = tempfile::Builder::new()
        .prefix(".procap-backup-")
        .tempfile_in(&folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r.as_ref() as _))?;
    let writer = encryptor.wrap_output(BufWriter::new(partial.as_file().try_clone()?))?;
    let mut archive = tar::Builder::new(writer);
    let mut entries = vec![append_file(&mut archive, database_entry, &dump, &bar)?];
    for (relative, path, _) in &attachments {
        let name = format!("{ATTACHMENTS}/{relative}");
        entries.push(append_file(&mut archive, &name, path, &bar)?);
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: chrono::Utc::now().to_rfc3339(),
        procap_version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: backend.as_str().to_owned(),
        database: database_entry.to_owned(),
        tables,
        entries,
        key_file: std::path::absolute(settings.key_file())?,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    let mut header = tar_header(json.len() as u64);
    archive.append_data(&mut header, MANIFEST, json.as_slice())?;
    let writer = archive.into_inner()?;
    let mut buffered = writer.finish()?;
    buffered.flush()?;
    drop(buffered);
    partial.as_file().sync_all()?;
    partial
        .persist(output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    bar.finish_and_clear();
    drop(work);

    let rows: i64 = manifest.tables.values().map(|t| t.rows).sum();
    println!(
        "Backup written to {}: {} tables ({rows} rows), {} attachment file(s), {} recipient(s).",
        output.display(),
        manifest.tables.len(),
        attachments.len(),
        (settings.backup_recipients.len() + flags.len()).max(1),
    );
    println!(
        "The key file {} is not in the backup: keep its own copy, apart from the backups.",
        manifest.key_file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A stanza naming the identity file's path, so that `restore` on the same
/// machine can find it without flags. It wraps no key.
struct IdentityHint(String);

impl age::Recipient for IdentityHint {
    fn wrap_file_key(
        &self,
        _file_key: &age_core::format::FileKey,
    ) -> Result<(Vec<age_core::format::Stanza>, HashSet<String>), age::EncryptError> {
        let stanza = age_core::format::Stanza {
            tag: HINT_TAG.to_owned(),
            args: vec![self.0.clone()],
            body: Vec::new(),
        };
        Ok((vec![stanza], HashSet::new()))
    }
}

fn identity_path(settings: &Settings) -> PathBuf {
    settings.data_dir().join(IDENTITY_FILE)
}

/// Reads the identity file, or creates it (mode 0600) on first use.
fn load_or_create_identity(path: &Path) -> anyhow::Result<age::x25519::Identity> {
    if path.exists() {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the backup identity {}", path.display()))?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("AGE-SECRET-KEY-"))
            .with_context(|| format!("{} holds no age identity", path.display()))?;
        return age::x25519::Identity::from_str(line)
            .map_err(|error| anyhow!("{} holds an invalid age identity: {error}", path.display()));
    }
    let identity = age::x25519::Identity::generate();
    let text = format!(
        "# Procap backup identity: it decrypts every backup of this installation.\n\
         # Keep a copy off this machine, apart from the key file and the backups.\n\
         # public key: {}\n{}\n",
        identity.to_public(),
        identity.to_string().expose_secret()
    );
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create the backup identity {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    eprintln!(
        "Created the backup identity {} (public key {}). Copy it off this machine now and \
         keep it apart from the key file: without it no backup can be restored.",
        path.display(),
        identity.to_public()
    );
    Ok(identity)
}

/// Runs `pg_dump` on the exported snapshot. The password goes through the
/// environment, never the command line.
fn pg_dump(url: &DatabaseUrl, snapshot: &str, target: &Path) -> anyhow::Result<()> {
    let mut command = pg_command("pg_dump", url)?;
    command
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(target);
    run_tool(command, "pg_dump")
}

fn pg_command(program: &str, url: &DatabaseUrl) -> anyhow::Result<Command> {
    let mut parsed = url::Url::parse(url.expose())?;
    let mut command = Command::new(program);
    if let Some(password) = parsed.password() {
        command.env("PGPASSWORD", percent_decode(password));
        let _ = parsed.set_password(None);
    }
    command.arg("--dbname").arg(parsed.as_str());
    Ok(command)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(digits) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(value) = u8::from_str_radix(digits, 16)
        {
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn run_tool(mut command: Command, name: &str) -> anyhow::Result<()> {
    let output = match command.output() {
        Ok(output) => output,
        Err(error) if error.kind() == io::ErrorKind::NotFound => bail!(
            "{name} was not found; install the PostgreSQL client tools (the server's major \
             version or newer) so that {name} is on the PATH"
        ),
        Err(error) => return Err(error).with_context(|| format!("cannot run {name}")),
    };
    if !output.status.success() {
        bail!(
            "{name} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Every regular file under `dir`: (path inside the folder with `/`, path,
/// size), sorted. Links are left out: the object store writes none.
fn attachment_files(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf, u64)>> {
    let mut found = Vec::new();
    if !dir.is_dir() {
        return Ok(found);
    }
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let relative = path
                    .strip_prefix(dir)?
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((relative, path.clone(), entry.metadata()?.len()));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    if !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

fn tar_header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mtime(0);
    header
}

/// Counts and hashes what passes through.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    count: u64,
    bar: Option<indicatif::ProgressBar>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hash.update(&buf[..read]);
        self.count += read as u64;
        if let Some(bar) = &self.bar {
            bar.inc(read as u64);
        }
        Ok(read)
    }
}

fn append_file<W: Write>(
    archive: &mut tar::Builder<W>,
    name: &str,
    path: &Path,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Entry> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let size = file.metadata()?.len();
    let mut reader = Hashing {
        inner: file.take(size),
        hash: Sha256::new(),
        count: 0,
        bar: Some(bar.clone()),
    };
    let mut header = tar_header(size);
    archive.append_data(&mut header, name, &mut reader)?;
    if reader.count != size {
        bail!("{} changed while it was being backed up", path.display());
    }
    Ok(Entry {
        path: name.to_owned(),
        size,
        sha256: hex::encode(reader.hash.finalize()),
    })
}

// ------------------------------------------------------- reading a backup

/// The identity file to decrypt with: the one given, else the one in the
/// data folder, else the one the backup names when it is on this machine.
fn find_identity(file: &Path, given: Option<&Path>, data_dir: &Path) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_owned());
    }
    let default = data_dir.join(IDENTITY_FILE);
    if default.is_file() {
        return Ok(default);
    }
    if let Some(hinted) = identity_hint(file)
        && hinted.is_file()
    {
        return Ok(hinted);
    }
    bail!(
        "no age identity to decrypt {}: give --identity FILE (the backup identity, {IDENTITY_FILE}, \
         kept apart from the backups)",
        file.display()
    )
}

/// The identity path named in the backup's header, if any.
fn identity_hint(file: &Path) -> Option<PathBuf> {
    let reader = BufReader::new(File::open(file).ok()?.take(64 * 1024));
    let prefix = format!("-> {HINT_TAG} ");
    for line in reader.split(b'\n') {
        let line = line.ok()?;
        if line.starts_with(b"---") {
            break;
        }
        if let Some(encoded) = line.strip_prefix(prefix.as_bytes()) {
            let bytes = URL_SAFE_NO_PAD.decode(encoded).ok()?;
            return Some(PathBuf::from(String::from_utf8(bytes).ok()?));
        }
    }
    None
}

fn decrypt(file: &Path, identity: &Path) -> anyhow::Result<impl Read> {
    let identities = age::IdentityFile::from_file(identity.to_string_lossy().into_owned())
        .with_context(|| format!("cannot read the identity file {}", identity.display()))?
        .into_identities()
        .map_err(|error| anyhow!("invalid identity file {}: {error}", identity.display()))?;
    let input = BufReader::new(
        File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
    );
    let decryptor = age::Decryptor::new_buffered(input)
        .map_err(|error| anyhow!("{} is not an age-encrypted backup: {error}", file.display()))?;
    decryptor
        .decrypt(identities.iter().map(|identity| identity.as_ref() as _))
        .map_err(|error| anyhow!("cannot decrypt {}: {error}", file.display()))
}

/// An entry name that stays inside the folder it is unpacked into.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && Path::new(name)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

/// Reads every entry, hashing it and writing it where `place` says (or
/// nowhere), and returns the manifest with what was actually read.
fn read_archive(
    reader: impl Read,
    mut place: impl FnMut(&str) -> Option<PathBuf>,
) -> anyhow::Result<(Manifest, Vec<Entry>)> {
    let mut archive = tar::Archive::new(reader);
    let mut manifest = None;
    let mut seen = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry.context("the backup is damaged")?;
        let name = entry
            .path()?
            .to_str()
            .context("an entry name is not UTF-8")?
            .to_owned();
        if !safe_name(&name) || entry.header().entry_type() != tar::EntryType::Regular {
            bail!("the backup holds an unexpected entry {name:?}");
        }
        if name == MANIFEST {
            let mut json = Vec::new();
            (&mut entry)
                .take(MAX_MANIFEST_BYTES)
                .read_to_end(&mut json)?;
            manifest = Some(
                serde_json::from_slice::<Manifest>(&json)
                    .context("the backup's manifest is unreadable")?,
            );
            continue;
        }
        let mut reader = Hashing {
            inner: &mut entry,
            hash: Sha256::new(),
            count: 0,
            bar: None,
        };
        match place(&name) {
            Some(target) => {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                let mut file = new_private_file(&target)?;
                io::copy(&mut reader, &mut file)?;
                file.sync_all()?;
            }
            None => {
                io::copy(&mut reader, &mut io::sink())?;
            }
        }
        seen.push(Entry {
            path: name,
            size: reader.count,
            sha256: hex::encode(reader.hash.finalize()),
        });
    }
    let manifest = manifest.context("the backup has no manifest")?;
    if manifest.format != FORMAT {
        bail!(
            "the backup has manifest format {}; this version of Procap reads format {FORMAT}",
            manifest.format
        );
    }
    Ok((manifest, seen))
}

fn new_private_file(path: &Path) -> anyhow::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// Differences between what the manifest lists and what was read.
fn entry_problems(manifest: &Manifest, seen: &[Entry]) -> Vec<String> {
    let mut problems = Vec::new();
    let read: BTreeMap<&str, &Entry> = seen.iter().map(|e| (e.path.as_str(), e)).collect();
    let listed: BTreeMap<&str, &Entry> = manifest
        .entries
        .iter()
        .map(|e| (e.path.as_str(), e))
        .collect();
    for (path, expected) in &listed {
        match read.get(path) {
            None => problems.push(format!("{path} is listed but missing")),
            Some(actual) if actual != expected => {
                problems.push(format!("{path} does not match its SHA-256 in the manifest"))
            }
            Some(_) => {}
        }
    }
    for path in read.keys() {
        if !listed.contains_key(path) {
            problems.push(format!("{path} is not listed in the manifest"));
        }
    }
    if !listed.contains_key(manifest.database.as_str()) {
        problems.push("the manifest lists no database".to_owned());
    }
    problems
}

/// Differences between the manifest's tables and a database's.
fn table_problems(
    expected: &BTreeMap<String, TableSummary>,
    actual: &BTreeMap<String, TableSummary>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (table, summary) in expected {
        match actual.get(table) {
            None => problems.push(format!("table {table} is missing")),
            Some(found) if found.rows != summary.rows => problems.push(format!(
                "table {table} has {} rows, the manifest says {}",
                found.rows, summary.rows
            )),
            Some(found) if found.sha256 != summary.sha256 => {
                problems.push(format!("table {table} differs from the manifest"))
            }
            Some(_) => {}
        }
    }
    for table in actual.keys() {
        if !expected.contains_key(table) {
            problems.push(format!("table {table} is not in the manifest"));
        }
    }
    problems
}

fn scratch_dir(settings: &Settings, prefix: &str) -> anyhow::Result<tempfile::TempDir> {
    let dir = settings.data_dir();
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    let made = if dir.is_dir() {
        builder.tempdir_in(dir)
    } else {
        builder.tempdir()
    };
    made.context("cannot create a temporary folder")
}

// ---------------------------------------------------------------- verify

pub fn verify(
    settings: &Settings,
    file: &Path,
    identity: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let identity = find_identity(file, identity, settings.data_dir())?;
    let work = scratch_dir(settings, ".procap-verify-")?;
    let reader = decrypt(file, &identity)?;
    let (manifest, seen) = read_archive(reader, |name| {
        name.starts_with("database/")
            .then(|| work.path().join(name))
    })?;
    let mut problems = entry_problems(&manifest, &seen);
    let dump = work.path().join(&manifest.database);
    if problems.is_empty() {
        match manifest.backend.as_str() {
            "sqlite" => {
                let mut copy = db_backup::open_sqlite_file(&dump)?;
                problems.extend(
                    db_backup::sqlite_integrity_problems(&mut copy)?
                        .into_iter()
                        .map(|line| format!("integrity_check: {line}")),
                );
                let tables = db_backup::summarise(&mut copy)?;
                problems.extend(table_problems(&manifest.tables, &tables));
            }
            "postgres" => {
                let mut command = Command::new("pg_restore");
                command.arg("--list").arg(&dump);
                if let Err(error) = run_tool(command, "pg_restore") {
                    problems.push(format!("the PostgreSQL dump is unreadable: {error:#}"));
                }
            }
            other => problems.push(format!("unknown backend {other:?}")),
        }
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("problem: {problem}");
        }
        println!(
            "Backup {} FAILED verification: {} problem(s).",
            file.display(),
            problems.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    report(file, &manifest);
    Ok(ExitCode::SUCCESS)
}

fn report(file: &Path, manifest: &Manifest) {
    let rows: i64 = manifest.tables.values().map(|t| t.rows).sum();
    let attachments: Vec<&Entry> = manifest
        .entries
        .iter()
        .filter(|e| e.path.starts_with("attachments/"))
        .collect();
    println!(
        "Backup {} is sound: made {} by Procap {} from {}; {} tables ({rows} rows); \
         {} attachment file(s), {} bytes.",
        file.display(),
        manifest.created_at,
        manifest.procap_version,
        manifest.backend,
        manifest.tables.len(),
        attachments.len(),
        attachments.iter().map(|e| e.size).sum::<u64>(),
    );
    for (table, summary) in &manifest.tables {
        println!("  {table}: {}", summary.rows);
    }
}

// --------------------------------------------------------------- restore

pub fn restore(
    settings: &Settings,
    file: &Path,
    identity: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let url = DatabaseUrl::parse(&settings.database_url()).map_err(|error| anyhow!(error))?;
    let data_dir = settings.data_dir();
    let key_path = settings.key_file();
    check_empty_target(settings, &url, &key_path)?;
    let identity = find_identity(file, identity, data_dir)?;

    create_private_dir(data_dir)?;
    let staging = tempfile::Builder::new()
        .prefix(".procap-restore-")
        .tempdir_in(data_dir)?;
    let reader = decrypt(file, &identity)?;
    let (manifest, seen) = read_archive(reader, |name| Some(staging.path().join(name)))?;
    let problems = entry_problems(&manifest, &seen);
    if !problems.is_empty() {
        bail!(
            "the backup does not match its manifest: {}",
            problems.join("; ")
        );
    }
    if manifest.backend != url.backend().as_str() {
        bail!(
            "this is a backup of a {} database; restore it with a {} database URL",
            manifest.backend,
            manifest.backend
        );
    }
    let dump = staging.path().join(&manifest.database);
    match url.backend() {
        Backend::Sqlite => {
            let mut copy = db_backup::open_sqlite_file(&dump)?;
            let mut problems = db_backup::sqlite_integrity_problems(&mut copy)?;
            problems.extend(table_problems(
                &manifest.tables,
                &db_backup::summarise(&mut copy)?,
            ));
            drop(copy);
            if !problems.is_empty() {
                bail!(
                    "the database in the backup is damaged: {}",
                    problems.join("; ")
                );
            }
            let target = url.sqlite_path().context("sqlite URL without a path")?;
            move_file(&dump, &target)?;
        }
        Backend::Postgres => {
            let mut command = pg_command("pg_restore", &url)?;
            command
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg("--exit-on-error")
                .arg("--single-transaction")
                .arg(&dump);
            run_tool(command, "pg_restore")?;
            let mut conn = procap_store::db::connect(&url)?;
            let problems = table_problems(&manifest.tables, &db_backup::summarise(&mut conn)?);
            if !problems.is_empty() {
                bail!(
                    "the restored database differs from the backup: {}",
                    problems.join("; ")
                );
            }
        }
    }
    let attachments = staging.path().join(ATTACHMENTS);
    if attachments.is_dir() {
        fs::rename(&attachments, data_dir.join(ATTACHMENTS))?;
    }
    drop(staging);
    let rows: i64 = manifest.tables.values().map(|t| t.rows).sum();
    println!(
        "Restored {} tables ({rows} rows) and {} attachment file(s) into {}.",
        manifest.tables.len(),
        seen.iter()
            .filter(|e| e.path.starts_with("attachments/"))
            .count(),
        data_dir.display()
    );

    // The key file: never in the backup. Use the one in place, or copy it
    // from where the backup recorded it when it is still on this machine.
    let mut copied = false;
    if !key_path.exists() {
        if manifest.key_file.is_file() {
            copy_private(&manifest.key_file, &key_path)?;
            copied = true;
            println!(
                "Copied the key file from {} to {}.",
                manifest.key_file.display(),
                key_path.display()
            );
        } else {
            println!(
                "The key file is not in the backup. Copy the key file of the backed-up \
                 installation (it was {}) from its own backup to {} with mode 0600 before \
                 starting Procap; without it the encrypted fields cannot be read.",
                manifest.key_file.display(),
                key_path.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
    }
    let store = open_store(settings)?;
    let report = store.run_blocking(audit::verify)?;
    if let Some(broken) = report.first_break {
        drop(store);
        if copied {
            let _ = fs::remove_file(&key_path);
        }
        bail!(
            "the audit chain of the restored data does not verify with the key file {} \
             ({broken}); it is probably not the key of this backup",
            key_path.display()
        );
    }
    println!(
        "Key file {} checked: audit chain intact ({} rows).",
        key_path.display(),
        report.rows
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuses a data folder holding anything but the key file and the backup
/// identity, an existing SQLite file, or a PostgreSQL database with tables.
fn check_empty_target(
    settings: &Settings,
    url: &DatabaseUrl,
    key_path: &Path,
) -> anyhow::Result<()> {
    let dir = settings.data_dir();
    if dir.exists() {
        let allowed = [
            std::path::absolute(key_path)?,
            std::path::absolute(dir.join(IDENTITY_FILE))?,
        ];
        for entry in fs::read_dir(dir)
            .with_context(|| format!("cannot read the data folder {}", dir.display()))?
        {
            let path = std::path::absolute(entry?.path())?;
            if !allowed.contains(&path) {
                bail!(
                    "the data folder {} is not empty ({} is there); restore into an empty folder",
                    dir.display(),
                    path.display()
                );
            }
        }
    }
    if let Some(path) = url.sqlite_path()
        && path.exists()
    {
        bail!(
            "the database file {} exists; restore into a new one",
            path.display()
        );
    }
    if url.backend() == Backend::Postgres && db_backup::has_tables(url)? {
        bail!("the database {url} has tables; restore into an empty database");
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}

fn move_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    if fs::rename(from, to).is_err() {
        copy_private(from, to)?;
    }
    Ok(())
}

fn copy_private(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut source = File::open(from).with_context(|| format!("cannot read {}", from.display()))?;
    let mut target = new_private_file(to)?;
    io::copy(&mut source, &mut target)?;
    target.sync_all()?;
    Ok(())
}
