//! Group commit for audit events written on their own (page views, exports).
//!
//! Every audit append is serialised, because each row chains onto the one
//! before it, and each commit waits for the disk. With one commit per page
//! view, 32 readers queued on that lock and that flush (see
//! `docs/benchmarks.md`). Here one writer thread takes every event waiting
//! at that moment, appends them in one transaction, and only then replies
//! to each caller. An event is still on disk before its request returns,
//! but concurrent requests share one lock and one flush.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::audit::{self, AuditEvent};
use crate::db::{KeySource, Pool};
use crate::error::StoreError;

/// Maximum number of events committed in one transaction.
const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<i64, StoreError>>;

/// The sending half of the queue. The writer thread ends when the last
/// [`Store`] clone that owns it is dropped.
///
/// [`Store`]: crate::Store
#[derive(Default)]
pub(crate) struct AuditQueue {
    sender: Mutex<Option<mpsc::Sender<(AuditEvent, Reply)>>>,
}

impl AuditQueue {
    /// Queues `event` and returns the channel its sequence number arrives
    /// on once committed. Starts the writer thread on first use.
    pub(crate) fn submit(
        &self,
        pool: &Pool,
        keys: &Arc<KeySource>,
        event: AuditEvent,
    ) -> Result<oneshot::Receiver<Result<i64, StoreError>>, StoreError> {
        let (reply, answer) = oneshot::channel();
        let mut sender = self
            .sender
            .lock()
            .map_err(|_| StoreError::Task("audit queue lock poisoned".to_owned()))?;
        let sender = match &mut *sender {
            Some(sender) => sender,
            empty => {
                let (sender, receiver) = mpsc::channel();
                let (pool, keys) = (pool.clone(), Arc::clone(keys));
                std::thread::Builder::new()
                    .name("procap-audit".to_owned())
                    .spawn(move || write_loop(&pool, &keys, &receiver))
                    .map_err(|error| StoreError::Task(error.to_string()))?;
                empty.insert(sender)
            }
        };
        sender
            .send((event, reply))
            .map_err(|_| StoreError::Task("the audit writer stopped".to_owned()))?;
        Ok(answer)
    }
}

/// Waits for an event, takes every other event already waiting, commits
/// them together and replies to each caller. Returns when every sender is gone.
fn write_loop(pool: &Pool, keys: &KeySource, receiver: &mpsc::Receiver<(AuditEvent, Reply)>) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (events, replies): (Vec<AuditEvent>, Vec<Reply>) = batch.into_iter().unzip();
        for (reply, result) in replies.into_iter().zip(commit(pool, keys, &events)) {
            // A caller that gave up waiting no longer listens; its event is
            // committed all the same.
            let _ = reply.send(result);
        }
    }
}

/// Appends `events` in one transaction and returns each one's sequence
/// number. When the batch fails, appends them one by one, so that each
/// caller gets its own event's outcome.
fn commit(pool: &Pool, keys: &KeySource, events: &[AuditEvent]) -> Vec<Result<i64, StoreError>> {
    let mut connection = match pool.get() {
        Ok(connection) => connection,
        Err(error) => {
            let reason = error.to_string();
            return events
                .iter()
                .map(|_| Err(StoreError::Task(format!("no connection: {reason}"))))
                .collect();
        }
    };
    let keys = keys.current();
    let batch = audit::append_batch(&mut connection.db(&keys), events);
    connection.note(&batch);
    match batch {
        Ok(last) => {
            let first = last - events.len() as i64 + 1;
            (first..=last).map(Ok).collect()
        }
        Err(error) => {
            tracing::warn!(error = %error, events = events.len(), "audit batch failed; appending one by one");
            let mut db = connection.db(&keys);
            let results: Vec<_> = events
                .iter()
                .map(|event| audit::append(&mut db, event))
                .collect();
            if let Some(lost) = results
                .iter()
                .find(|result| result.as_ref().is_err_and(StoreError::is_connection_lost))
            {
                connection.note(lost);
            }
            results
        }
    }
}
