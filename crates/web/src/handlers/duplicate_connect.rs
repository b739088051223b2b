//! The home-page text of a duplicate-registration notification: which
//! organisation registered a case that may be the same person as the
//! recipient's own case, and whom to contact there. Nothing of the new
//! case's person is shown.

use procap_store::duplicate_connect;
use procap_store::protection::Notification;

use crate::error::WebError;
use crate::i18n::Translator;
use crate::state::AppState;

/// The notice for one open duplicate-registration notification.
pub async fn notice_text(
    state: &AppState,
    t: &Translator,
    item: &Notification,
) -> Result<String, WebError> {
    let actor = item.actor.clone();
    let contacts = state
        .store
        .run(move |db| duplicate_connect::contacts_of(db, &actor))
        .await?;
    let (organisation, coordinators) = match contacts {
        Some(contacts) => (contacts.organisation_name, contacts.coordinators),
        None => (String::new(), Vec::new()),
    };
    let coordinators = if coordinators.is_empty() {
        t.t("duplicate-connect-no-coordinator")
    } else {
        coordinators.join(", ")
    };
    Ok(t.t_args(
        "duplicate-connect-notice",
        &[
            ("organisation", organisation.into()),
            ("code", item.case_code.clone().into()),
            ("coordinators", coordinators.into()),
        ],
    ))
}
