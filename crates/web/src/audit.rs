//! Writing audit events from handlers. A failed audit write fails the
//! request: an action that cannot be recorded is not done silently.

use procap_store::Store;
use procap_store::audit::{self, AuditEvent};

use crate::error::WebError;

pub async fn record(store: &Store, event: AuditEvent) -> Result<(), WebError> {
    store.run(move |db| audit::append(db, &event)).await?;
    Ok(())
}
