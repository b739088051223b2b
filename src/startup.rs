//! Opening the data folder, the key file and the database, with the checks
//! that keep encrypted data safe: a missing or unreadable key file is never
//! replaced by a new key while the database holds data.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use procap_crypto::Keyring;
use procap_store::{DatabaseUrl, PoolOptions, Store};

use crate::config::Settings;

/// Opens the store, creating the data folder and key file on first start,
/// and applies pending migrations.
pub fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let url =
        DatabaseUrl::parse(&settings.database_url()).map_err(|error| anyhow::anyhow!(error))?;
    create_data_dir(settings)?;
    let keys = open_keyring(settings, &url)?;
    let options = PoolOptions {
        max_connections: settings.db_max_connections,
        acquire_timeout: Duration::from_secs(10),
    };
    let store = Store::open(&url, Arc::new(keys), &options)?.watch_key_file(&settings.key_file());
    let applied = store.migrate()?;
    if !applied.is_empty() {
        tracing::info!(
            count = applied.len(),
            backend = store.backend().as_str(),
            "database migrations applied"
        );
    }
    Ok(store)
}

fn create_data_dir(settings: &Settings) -> anyhow::Result<()> {
    let dir = settings.data_dir();
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create data folder {}", dir.display()))?;
    tracing::info!(path = %dir.display(), "data folder created");
    Ok(())
}

fn open_keyring(settings: &Settings, url: &DatabaseUrl) -> anyhow::Result<Keyring> {
    let path = settings.key_file();
    if path.exists() {
        return Keyring::load(&path)
            .map_err(|error| anyhow::anyhow!("{error}; Procap will not start without it"));
    }
    if procap_store::db::has_existing_data(url)? {
        bail!(
            "key file {} is missing but the database {url} already holds data; restore the key file from its \
             backup (a new key could not read the encrypted fields, so Procap refuses to create one)",
            path.display()
        );
    }
    let keys = Keyring::create(&path).map_err(|error| anyhow::anyhow!("{error}"))?;
    tracing::info!(path = %path.display(), "new key file created; back it up separately from the database");
    Ok(keys)
}
