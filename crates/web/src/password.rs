//! Password hashing off the async threads, a few hashes at a time.
//!
//! `procap_crypto` lets only [`procap_crypto::CONCURRENT_HASHES`] hashes
//! run at once and makes the others wait on their thread. A burst of
//! sign-ins (a training session whose trainees all sign in at the start)
//! would then fill the blocking threads, which the server keeps few, with
//! waiting hashes, and pages would wait for a thread to read the database.
//! Requests therefore wait for their turn here, without a thread, and take
//! one only to hash.

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
