//! The key ring: the keys loaded from the key file, the file's creation,
//! loading and rotation, and the two MACs keyed by it (blind indexes and the
//! audit chain). Field encryption with these keys lives in `field.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use rand::rngs::OsRng;
use sha2::{Digest as _, Sha256};
use thiserror::Error;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::keyfile::{self, KeyFileError};
use crate::secret::constant_time_eq;

/// Length in bytes of every key in the key ring.
pub(crate) const KEY_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// 32 bytes of key material, kept on the heap so that moving the owner does
/// not leave copies behind, and zeroed when dropped. Neither `Clone` nor
/// `Debug`.
pub(crate) struct SecretKey(Box<[u8; KEY_LEN]>);

impl SecretKey {
    fn random() -> SecretKey {
        let mut key = SecretKey(Box::new([0; KEY_LEN]));
        OsRng.fill_bytes(&mut key.0[..]);
        key
    }

    /// Copies a key out of `bytes`. Returns `None` unless `bytes` is exactly
    /// [`KEY_LEN`] long.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<SecretKey> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        let mut key = SecretKey(Box::new([0; KEY_LEN]));
        key.0.copy_from_slice(bytes);
        Some(key)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for SecretKey {}

/// Procap's keys: the field-encryption keys by key id, the blind-index key
/// and the audit-chain key.
///
/// A key ring is neither `Clone` nor serialisable, its `Debug` output shows
/// key ids only, and every key is zeroed when the key ring is dropped. Share
/// one key ring between threads behind an `Arc`.
pub struct Keyring {
    pub(crate) field_keys: BTreeMap<u32, SecretKey>,
    /// Always a key of `field_keys`.
    pub(crate) current_field_key_id: u32,
    pub(crate) index_key: SecretKey,
    pub(crate) audit_key: SecretKey,
}

/// Failure to create, load or rewrite the key file. Every message names the
/// file and the fix, and none contains key material.
#[derive(Debug, Error)]
pub enum KeyError {
    /// The key file does not exist.
    #[error(
        "key file {} not found: restore it from your backup, or correct the configured key file path",
        path.display()
    )]
    NotFound { path: PathBuf },
    /// [`Keyring::create`] found a file already at the path.
    #[error(
        "key file {} already exists and is never overwritten: load it instead, or move it away first if you \
         really want new keys (anything encrypted with the old keys then becomes unreadable)",
        path.display()
    )]
    AlreadyExists { path: PathBuf },
    /// The file's Unix permissions let group or others read or write it.
    /// `mode` contains the permission bits.
    #[error(
        "key file {} is accessible to group or others (mode {mode:03o}): run `chmod 600 {}` and make sure \
         only the account that runs Procap owns it",
        path.display(),
        path.display()
    )]
    Permissions { path: PathBuf, mode: u32 },
    /// An operating-system error while reading or writing the file or its
    /// directory. `action` names the failed step ("read", "create", …).
    #[error(
        "failed to {action} key file {}: {error}. Check that the directory exists and that the account \
         running Procap has access to it",
        path.display()
    )]
    Io {
        path: PathBuf,
        action: &'static str,
        error: io::Error,
    },
    /// The file's text is not a valid key file.
    #[error("key file {} is invalid: {problem}. Restore it from your backup", path.display())]
    Malformed {
        path: PathBuf,
        problem: KeyFileError,
    },
    /// [`Keyring::rotate`] found keys in the file that differ from the ones
    /// in memory, for example because another Procap instance rotated first.
    #[error(
        "key file {} has changed since Procap loaded it, so rotating now could drop a key: restart Procap \
         so that it loads the current file, then rotate again",
        path.display()
    )]
    ChangedOnDisk { path: PathBuf },
    /// All key ids up to `u32::MAX` are taken.
    #[error(
        "key file {} already uses the highest possible field key id, so it cannot be rotated again",
        path.display()
    )]
    KeyIdsExhausted { path: PathBuf },
}

impl Keyring {
    /// Creates a new key file at `path` with mode 0600 on Unix, holding one
    /// field-encryption key (id 1, current), one blind-index key and one
    /// audit-chain key, each 32 random bytes from the operating system.
    ///
    /// Never overwrites: an existing file gives [`KeyError::AlreadyExists`].
    /// The directory must exist. The file and its directory are fsynced
    /// before this returns.
    pub fn create(path: &Path) -> Result<Keyring, KeyError> {
        let keyring = Keyring {
            field_keys: BTreeMap::from([(1, SecretKey::random())]),
            current_field_key_id: 1,
            index_key: SecretKey::random(),
            audit_key: SecretKey::random(),
        };
        let text = keyfile::write(&keyring);

        let mut file = open_new_private(path).map_err(|error| match error.kind() {
            io::ErrorKind::AlreadyExists => KeyError::AlreadyExists {
                path: path.to_owned(),
            },
            _ => io_error(path, "create", error),
        })?;
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(error) = written {
            drop(file);
            // An empty or partial key file would fail later as invalid. This
            // call created it, so removing it loses nothing.
            let _ = fs::remove_file(path);
            return Err(io_error(path, "write", error));
        }
        sync_parent_directory(path)?;
        Ok(keyring)
    }

    /// Loads the key file at `path`.
    ///
    /// Errors: [`KeyError::NotFound`] if it does not exist,
    /// [`KeyError::Permissions`] if on Unix its mode grants group or others
    /// any access, [`KeyError::Malformed`] if its text is not a valid key
    /// file, [`KeyError::Io`] for other operating-system errors.
    pub fn load(path: &Path) -> Result<Keyring, KeyError> {
        let mut file = File::open(path).map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => KeyError::NotFound {
                path: path.to_owned(),
            },
            _ => io_error(path, "read", error),
        })?;
        let metadata = file
            .metadata()
            .map_err(|error| io_error(path, "read", error))?;
        check_private(path, &metadata)?;

        // Sized up front so that reading never reallocates and leaves a copy
        // of the keys in freed memory.
        let expected_len = usize::try_from(metadata.len()).unwrap_or(0);
        let mut bytes = Zeroizing::new(Vec::with_capacity(expected_len.saturating_add(1)));
        file.read_to_end(&mut bytes)
            .map_err(|error| io_error(path, "read", error))?;

        keyfile::parse(&bytes).map_err(|problem| KeyError::Malformed {
            path: path.to_owned(),
            problem,
        })
    }

    /// Adds a new random field-encryption key with the next key id, makes it
    /// current, and rewrites the key file at `path` atomically. The text goes
    /// to a temporary file (mode 0600) in the same directory, which is
    /// fsynced and then renamed over `path`. Returns the new key id. Older
    /// keys stay, so older ciphertexts still decrypt.
    ///
    /// If `path` exists, its keys must equal this key ring's
    /// ([`KeyError::ChangedOnDisk`] otherwise), so that a rotation never
    /// drops a key that another process added. If it does not exist, it is
    /// written afresh.
    ///
    /// On error the key ring is unchanged, and so is the file, with one
    /// exception: if only the final fsync of the directory failed, the file
    /// may already contain the new key. Restarting Procap then loads it.
    ///
    /// NOTE: no lock serialises two processes that rotate the same file at the
    /// same moment, so rotate from one process at a time.
    pub fn rotate(&mut self, path: &Path) -> Result<u32, KeyError> {
        match Keyring::load(path) {
            Ok(on_disk) if !on_disk.same_keys_as(self) => {
                return Err(KeyError::ChangedOnDisk {
                    path: path.to_owned(),
                });
            }
            Ok(_) | Err(KeyError::NotFound { .. }) => {}
            Err(error) => return Err(error),
        }
        let last_id = self.field_keys.keys().next_back().copied().unwrap_or(0);
        let new_id = last_id
            .checked_add(1)
            .ok_or_else(|| KeyError::KeyIdsExhausted {
                path: path.to_owned(),
            })?;

        let previous_id = self.current_field_key_id;
        self.field_keys.insert(new_id, SecretKey::random());
        self.current_field_key_id = new_id;
        let text = keyfile::write(self);
        if let Err(error) = replace_file(path, text.as_bytes()) {
            self.field_keys.remove(&new_id);
            self.current_field_key_id = previous_id;
            return Err(error);
        }
        Ok(new_id)
    }

    /// Returns the id of the field-encryption key that new ciphertexts use.
    pub fn current_key_id(&self) -> u32 {
        self.current_field_key_id
    }

    /// Builds an in-memory key ring whose keys are derived from `seed`, so
    /// that equal seeds give equal keys. For tests only: the keys are
    /// predictable and must never protect real data. Nothing is written
    /// anywhere.
    pub fn for_tests(seed: u8) -> Keyring {
        let derive = |label: &[u8]| {
            let mut digest = Sha256::new();
            digest.update(b"procap test key\0");
            digest.update(label);
            digest.update([0, seed]);
            let mut bytes = digest.finalize();
            let key = SecretKey::from_slice(&bytes).expect("SHA-256 output is 32 bytes");
            bytes.zeroize();
            key
        };
        Keyring {
            field_keys: BTreeMap::from([(1, derive(b"field.1"))]),
            current_field_key_id: 1,
            index_key: derive(b"index"),
            audit_key: derive(b"audit"),
        }
    }

    /// Computes a blind index: lower-case hex of HMAC-SHA256 with the index
    /// key over `purpose`, a zero byte and `procap_domain::text::normalise(value)`.
    ///
    /// Values that differ only in case, accents, final sigma or surrounding
    /// and repeated whitespace get the same index. Equal values of different
    /// `purpose` (for example `"person.name"` and `"person.birth_date"`) get
    /// different indexes, and so do equal values under different key rings.
    /// The result is 64 characters long.
    ///
    /// # Panics
    ///
    /// Panics if `purpose` is empty or contains a NUL character. Purposes are
    /// constants in the code, so this is a programming error.
    pub fn blind_index(&self, purpose: &str, value: &str) -> String {
        assert!(
            !purpose.is_empty() && !purpose.contains('\0'),
            "blind index purpose must be non-empty and free of NUL characters"
        );
        let normalised = Zeroizing::new(procap_domain::text::normalise(value));

        let mut mac = HmacSha256::new_from_slice(self.index_key.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Computes HMAC-SHA256 with the audit-chain key over `data`. The audit log
    /// chains each row to the previous one with this MAC, so a forged or
    /// altered row cannot be given a valid MAC without the key.
    pub fn audit_mac(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(self.audit_key.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// Returns the field-encryption key with `id`, if the key ring has it.
    pub(crate) fn field_key(&self, id: u32) -> Option<&SecretKey> {
        self.field_keys.get(&id)
    }

    /// Returns the current field-encryption key and its id.
    pub(crate) fn current_field_key(&self) -> (u32, &SecretKey) {
        let key = self
            .field_keys
            .get(&self.current_field_key_id)
            .expect("the current field key is in the key ring");
        (self.current_field_key_id, key)
    }

    /// Compares key ids, key bytes and the current key id of both key rings.
    pub(crate) fn same_keys_as(&self, other: &Keyring) -> bool {
        let same_field_keys = self.field_keys.len() == other.field_keys.len()
            && self.field_keys.iter().zip(&other.field_keys).all(
                |((id, key), (other_id, other_key))| {
                    id == other_id && constant_time_eq(key.as_bytes(), other_key.as_bytes())
                },
            );
        same_field_keys
            && self.current_field_key_id == other.current_field_key_id
            && constant_time_eq(self.index_key.as_bytes(), other.index_key.as_bytes())
            && constant_time_eq(self.audit_key.as_bytes(), other.audit_key.as_bytes())
    }

    /// Adds a derived field key with `id` and makes it current, for tests that
    /// need a particular key id without a file.
    #[cfg(test)]
    pub(crate) fn insert_test_field_key(&mut self, id: u32) {
        let key = SecretKey::from_slice(&[u8::try_from(id % 251).expect("below 251"); KEY_LEN])
            .expect("32 bytes");
        self.field_keys.insert(id, key);
        self.current_field_key_id = id;
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("field_key_ids", &self.field_keys.keys().collect::<Vec<_>>())
            .field("current_field_key_id", &self.current_field_key_id)
            .finish_non_exhaustive()
    }
}

fn io_error(path: &Path, action: &'static str, error: io::Error) -> KeyError {
    KeyError::Io {
        path: path.to_owned(),
        action,
        error,
    }
}

/// Opens a new file for writing that only its owner may read or write.
fn open_new_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(unix)]
fn check_private(path: &Path, metadata: &fs::Metadata) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt as _;

    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Permissions {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

// NOTE: on platforms other than Unix the file's access rights are not checked.
#[cfg(not(unix))]
fn check_private(_path: &Path, _metadata: &fs::Metadata) -> Result<(), KeyError> {
    Ok(())
}

/// Replaces `path` with `contents` through a fsynced temporary file in the
/// same directory and a rename, so that readers see the old or the new file,
/// never a partial one.
fn replace_file(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    let file_name = path.file_name().ok_or_else(|| {
        io_error(
            path,
            "replace",
            io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"),
        )
    })?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(format!(".{:016x}.tmp", OsRng.next_u64()));
    let temporary_path = path.with_file_name(temporary_name);

    let written = open_new_private(&temporary_path).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| fs::rename(&temporary_path, path));
    if let Err(error) = renamed {
        let _ = fs::remove_file(&temporary_path);
        return Err(io_error(path, "replace", error));
    }
    sync_parent_directory(path)
}

/// Fsyncs the directory that contains `path`, so that a new or renamed entry
/// survives a crash.
#[cfg(unix)]
fn sync_parent_directory(path: &Path) -> Result<(), KeyError> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|directory| directory.sync_all())
        .map_err(|error| io_error(path, "sync the directory of", error))
}

// NOTE: on platforms other than Unix the directory is not fsynced, so a crash
// right after creating or rotating may lose the new key file.
#[cfg(not(unix))]
fn sync_parent_directory(_path: &Path) -> Result<(), KeyError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    use super::*;
    use crate::field::FieldContext;

    const CONTEXT: FieldContext<'static> = FieldContext {
        table: "person",
        column: "full_name",
        row_id: "p-1",
    };

    #[cfg(unix)]
    fn mode_of(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    fn all_key_bytes(keyring: &Keyring) -> Vec<[u8; KEY_LEN]> {
        let mut keys: Vec<[u8; KEY_LEN]> = keyring
            .field_keys
            .values()
            .map(|key| *key.as_bytes())
            .collect();
        keys.push(*keyring.index_key.as_bytes());
        keys.push(*keyring.audit_key.as_bytes());
        keys
    }

    #[test]
    fn create_then_load_gives_same_keys() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");

        let created = Keyring::create(&path).unwrap();
        let loaded = Keyring::load(&path).unwrap();

        assert!(loaded.same_keys_as(&created));
        assert_eq!(loaded.current_key_id(), 1);
        let ciphertext = created.encrypt(&CONTEXT, b"Maria");
        assert_eq!(
            &loaded.decrypt(&CONTEXT, &ciphertext).unwrap()[..],
            b"Maria"
        );
    }

    #[test]
    fn created_keys_are_random_and_distinct() {
        let directory = tempfile::tempdir().unwrap();
        let first = Keyring::create(&directory.path().join("a.key")).unwrap();
        let second = Keyring::create(&directory.path().join("b.key")).unwrap();

        let mut keys = all_key_bytes(&first);
        keys.extend(all_key_bytes(&second));
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count);
        assert!(!keys.contains(&[0; KEY_LEN]));
    }

    #[test]
    fn created_file_has_comment_header_and_format_line() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        Keyring::create(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();

        assert!(text.contains("keep secret, back up separately from the database"));
        assert!(text.contains("losing it makes encrypted fields unreadable"));
        assert!(text.lines().any(|line| line == "format = 1"));
    }

    #[cfg(unix)]
    #[test]
    fn created_file_has_mode_0600() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        Keyring::create(&path).unwrap();

        assert_eq!(mode_of(&path), 0o600);
    }

    #[test]
    fn create_never_overwrites() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        fs::write(&path, "keep me").unwrap();

        let error = Keyring::create(&path).unwrap_err();
        assert!(matches!(error, KeyError::AlreadyExists { .. }), "{error:?}");
        assert!(error.to_string().contains(&path.display().to_string()));
        assert_eq!(fs::read_to_string(&path).unwrap(), "keep me");
    }

    #[test]
    fn create_in_missing_directory_is_io_error() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("missing").join("procap.key");

        let error = Keyring::create(&path).unwrap_err();
        assert!(
            matches!(
                error,
                KeyError::Io {
                    action: "create",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains(&path.display().to_string()));
    }

    #[test]
    fn load_of_missing_file_names_path() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("absent.key");

        let error = Keyring::load(&path).unwrap_err();
        assert!(matches!(error, KeyError::NotFound { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("backup"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn load_rejects_group_or_other_access() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        Keyring::create(&path).unwrap();

        for mode in [0o640, 0o604, 0o620, 0o660, 0o644] {
            set_mode(&path, mode);
            let error = Keyring::load(&path).unwrap_err();
            assert!(
                matches!(error, KeyError::Permissions { mode: found, .. } if found == mode),
                "{error:?}"
            );
            let message = error.to_string();
            assert!(
                message.contains(&format!("chmod 600 {}", path.display())),
                "{message}"
            );
        }

        set_mode(&path, 0o400);
        assert!(Keyring::load(&path).is_ok());
    }

    #[test]
    fn load_of_invalid_file_names_path_and_line() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        Keyring::create(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let broken = text.replace("index_key = ", "index_key = !");
        fs::write(&path, &broken).unwrap();
        #[cfg(unix)]
        set_mode(&path, 0o600);

        let error = Keyring::load(&path).unwrap_err();
        assert!(matches!(error, KeyError::Malformed { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("index_key"), "{message}");
        let index_line = broken
            .lines()
            .find(|line| line.starts_with("index_key"))
            .unwrap();
        assert!(!message.contains(&index_line[14..30]), "{message}");
    }

    #[test]
    fn rotate_keeps_old_keys_and_switches_current() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        let mut keyring = Keyring::create(&path).unwrap();
        let old = keyring.encrypt(&CONTEXT, b"before rotation");

        let new_id = keyring.rotate(&path).unwrap();

        assert_eq!(new_id, 2);
        assert_eq!(keyring.current_key_id(), 2);
        let reloaded = Keyring::load(&path).unwrap();
        assert!(reloaded.same_keys_as(&keyring));
        assert_eq!(
            &reloaded.decrypt(&CONTEXT, &old).unwrap()[..],
            b"before rotation"
        );

        let new = reloaded.encrypt(&CONTEXT, b"after rotation");
        assert_eq!(Keyring::key_id_of(&new), Some(2));
        let moved = reloaded.reencrypt(&CONTEXT, &old).unwrap();
        assert_eq!(Keyring::key_id_of(&old), Some(1));
        assert_eq!(Keyring::key_id_of(&moved), Some(2));
        assert_eq!(
            &reloaded.decrypt(&CONTEXT, &moved).unwrap()[..],
            b"before rotation"
        );

        let mut reloaded = reloaded;
        assert_eq!(reloaded.rotate(&path).unwrap(), 3);
        let third = Keyring::load(&path).unwrap();
        assert_eq!(
            third.field_keys.keys().copied().collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(
            &third.decrypt(&CONTEXT, &old).unwrap()[..],
            b"before rotation"
        );
        assert_eq!(
            &third.decrypt(&CONTEXT, &new).unwrap()[..],
            b"after rotation"
        );
    }

    #[test]
    fn rotate_leaves_no_temporary_files() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        let mut keyring = Keyring::create(&path).unwrap();
        keyring.rotate(&path).unwrap();

        let names: Vec<_> = fs::read_dir(directory.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("procap.key")]);
        #[cfg(unix)]
        assert_eq!(mode_of(&path), 0o600);
    }

    #[test]
    fn rotate_refuses_file_changed_by_another_process() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        let mut first = Keyring::create(&path).unwrap();
        let mut second = Keyring::load(&path).unwrap();
        first.rotate(&path).unwrap();

        let error = second.rotate(&path).unwrap_err();

        assert!(matches!(error, KeyError::ChangedOnDisk { .. }), "{error:?}");
        assert_eq!(second.current_key_id(), 1);
        let on_disk = Keyring::load(&path).unwrap();
        assert!(on_disk.same_keys_as(&first));
    }

    #[test]
    fn rotate_failure_leaves_key_ring_unchanged() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("missing").join("procap.key");
        let mut keyring = Keyring::for_tests(3);

        let error = keyring.rotate(&path).unwrap_err();

        assert!(matches!(error, KeyError::Io { .. }), "{error:?}");
        assert_eq!(keyring.current_key_id(), 1);
        assert_eq!(keyring.field_keys.len(), 1);
    }

    #[test]
    fn rotate_of_test_key_ring_writes_new_file() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        let mut keyring = Keyring::for_tests(3);

        assert_eq!(keyring.rotate(&path).unwrap(), 2);
        assert!(Keyring::load(&path).unwrap().same_keys_as(&keyring));
    }

    #[test]
    fn rotate_reports_exhausted_key_ids() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("procap.key");
        let mut keyring = Keyring::for_tests(3);
        keyring.insert_test_field_key(u32::MAX);

        let error = keyring.rotate(&path).unwrap_err();
        assert!(
            matches!(error, KeyError::KeyIdsExhausted { .. }),
            "{error:?}"
        );
        assert_eq!(keyring.current_key_id(), u32::MAX);
    }

    #[test]
    fn debug_shows_ids_but_no_key_material() {
        let mut keyring = Keyring::for_tests(9);
        keyring.insert_test_field_key(4);
        let debug = format!("{keyring:?}");

        assert!(debug.contains("field_key_ids: [1, 4]"), "{debug}");
        assert!(debug.contains("current_field_key_id: 4"), "{debug}");
        for key in all_key_bytes(&keyring) {
            assert!(!debug.contains(&hex::encode(key)), "{debug}");
            assert!(!debug.contains(&STANDARD.encode(key)[..16]), "{debug}");
            assert!(
                !debug.contains(&URL_SAFE_NO_PAD.encode(key)[..16]),
                "{debug}"
            );
        }
        let pretty = format!("{keyring:#?}");
        for key in all_key_bytes(&keyring) {
            assert!(!pretty.contains(&hex::encode(&key[..8])), "{pretty}");
        }
    }

    #[test]
    fn test_key_rings_are_deterministic_per_seed() {
        assert!(Keyring::for_tests(1).same_keys_as(&Keyring::for_tests(1)));
        assert!(!Keyring::for_tests(1).same_keys_as(&Keyring::for_tests(2)));
        let keyring = Keyring::for_tests(1);
        assert!(!constant_time_eq(
            keyring.index_key.as_bytes(),
            keyring.audit_key.as_bytes()
        ));
    }

    #[test]
    fn blind_index_ignores_case_accents_and_spaces() {
        let keyring = Keyring::for_tests(1);

        let index = keyring.blind_index("person.name", "Μαρία");
        assert_eq!(index, keyring.blind_index("person.name", "ΜΑΡΙΑ "));
        assert_eq!(index, keyring.blind_index("person.name", "  μαρια"));
        assert_eq!(
            keyring.blind_index("person.name", "Νικόλαος  Παπαδόπουλος"),
            keyring.blind_index("person.name", "ΝΙΚΟΛΑΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ")
        );
        assert_eq!(index.len(), 64);
        assert!(
            index
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        );
    }

    #[test]
    fn blind_index_differs_by_purpose_value_and_key() {
        let keyring = Keyring::for_tests(1);
        let index = keyring.blind_index("person.name", "Μαρία");

        assert_ne!(index, keyring.blind_index("person.birth_date", "Μαρία"));
        assert_ne!(index, keyring.blind_index("person.name", "Μαρίνα"));
        assert_ne!(
            index,
            Keyring::for_tests(2).blind_index("person.name", "Μαρία")
        );
        // The separator keeps purpose and value apart.
        assert_ne!(
            keyring.blind_index("a", "bc"),
            keyring.blind_index("ab", "c")
        );
    }

    #[test]
    fn blind_index_matches_hmac_definition() {
        let keyring = Keyring::for_tests(1);
        let mut mac = HmacSha256::new_from_slice(keyring.index_key.as_bytes()).unwrap();
        mac.update(b"person.name\0\xce\xbc\xce\xb1\xcf\x81\xce\xb9\xce\xb1");

        assert_eq!(
            keyring.blind_index("person.name", "Μαρία"),
            hex::encode(mac.finalize().into_bytes())
        );
    }

    #[test]
    #[should_panic(expected = "blind index purpose")]
    fn blind_index_rejects_nul_in_purpose() {
        Keyring::for_tests(1).blind_index("person\0name", "x");
    }

    #[test]
    fn audit_mac_is_keyed_and_deterministic() {
        let keyring = Keyring::for_tests(1);
        let mac = keyring.audit_mac(b"row 1");

        assert_eq!(mac, Keyring::for_tests(1).audit_mac(b"row 1"));
        assert_ne!(mac, keyring.audit_mac(b"row 2"));
        assert_ne!(mac, Keyring::for_tests(2).audit_mac(b"row 1"));
        let mut expected = HmacSha256::new_from_slice(keyring.audit_key.as_bytes()).unwrap();
        expected.update(b"row 1");
        assert_eq!(mac[..], expected.finalize().into_bytes()[..]);
    }
}
