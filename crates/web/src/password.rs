//! Password hashing off the async threads, a few hashes at a time.
//!
//! `procap_crypto` runs at most [`procap_crypto::CONCURRENT_HASHES`] hashes
//! at once, and the others block their thread while they wait. The server
//! has few blocking threads, so a burst of sign-ins would fill them with
//! waiting hashes and stall every page's database work. Requests therefore
//! wait here without a thread, and take one only to hash.

use tokio::sync::Semaphore;

use crate::error::WebError;

static TURNS: Semaphore = Semaphore::const_new(procap_crypto::CONCURRENT_HASHES);

/// Runs `work` (a password hash or verification) on a blocking thread once
/// a turn is free.
pub async fn off_thread<T, F>(work: F) -> Result<T, WebError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _turn = TURNS
        .acquire()
        .await
        .map_err(|error| WebError::Internal(error.into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| WebError::Internal(error.into()))
}
