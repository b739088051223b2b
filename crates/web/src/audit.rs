//! Writing audit events from handlers. A failed audit write fails the
//! request: an action that cannot be recorded is not done silently.

use procap_store::Store;
use procap_store::audit::AuditEvent;

use crate::error::WebError;

/// Records an event that is not part of a database change (a view, an
/// export, a sign-in). It is committed before this returns, and concurrent
/// requests share the commit.
pub async fn record(store: &Store, event: AuditEvent) -> Result<(), WebError> {
    store.audit(event).await?;
    Ok(())
}
