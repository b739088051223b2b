//! Connecting organisations on a possible duplicate registration.
//!
//! When a user registers a case after confirming that the person may
//! already be registered elsewhere, the coordinators of every other
//! organisation with a matching case get a home-page notification about
//! their own case. The notification carries ids only: the matched case
//! (theirs) and the registering user, through whom the registering
//! organisation and its coordinators are found when the notice is shown.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cases::{INDEX_BIRTH_DATE, INDEX_DOCUMENT, INDEX_NAME, PersonDetails};
use crate::schema::{cases, organisations, person_identifiers, persons, users};
use crate::schema_followups::case_notifications;
use crate::{Db, StoreError};

/// Notification kind: another organisation registered a case that may be
/// the same person as the recipient organisation's case.
pub const NOTIFICATION_DUPLICATE: &str = "duplicate_registration";

/// What [`notify_other_organisations`] did, by id only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connected {
    /// The other organisations' cases that matched.
    pub matched_case_ids: Vec<String>,
    /// How many notifications were written.
    pub notifications: usize,
}

/// Finds the cases of organisations other than `registering_organisation_id`
/// whose person matches `person` strongly (document number, or name
/// together with birth date) and notifies each enabled coordinator of the
/// owning organisation, naming `registered_by` as the actor.
pub fn notify_other_organisations(
    db: &mut Db<'_>,
    registering_organisation_id: &str,
    registered_by: &str,
    person: &PersonDetails,
    at: NaiveDateTime,
) -> Result<Connected, StoreError> {
    let indexes = crate::cases::identifier_indexes(db.keys, person);
    if indexes.is_empty() {
        return Ok(Connected::default());
    }
    db.transaction(|db| {
        let values: Vec<String> = indexes.iter().map(|(_, index)| index.clone()).collect();
        let hits: Vec<(String, String)> = person_identifiers::table
            .inner_join(persons::table.on(persons::id.eq(person_identifiers::person_id)))
            .filter(person_identifiers::blind_index.eq_any(&values))
            .filter(persons::organisation_id.ne(registering_organisation_id))
            .select((person_identifiers::person_id, person_identifiers::kind))
            .load(db.conn)?;
        let mut by_person: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (person_id, kind) in hits {
            by_person.entry(person_id).or_default().push(kind);
        }
        let mut connected = Connected::default();
        for (person_id, kinds) in by_person {
            let has = |purpose: &str| kinds.iter().any(|kind| kind == purpose);
            if !(has(INDEX_DOCUMENT) || (has(INDEX_NAME) && has(INDEX_BIRTH_DATE))) {
                continue;
            }
            let matched: Vec<(String, String)> = cases::table
                .filter(cases::person_id.eq(&person_id))
                .select((cases::id, cases::organisation_id))
                .load(db.conn)?;
            for (case_id, organisation_id) in matched {
                let coordinators: Vec<String> = users::table
                    .filter(users::organisation_id.eq(&organisation_id))
                    .filter(users::role.eq("coordinator"))
                    .filter(users::disabled.eq(false))
                    .select(users::id)
                    .load(db.conn)?;
                for coordinator in &coordinators {
                    diesel::insert_into(case_notifications::table)
                        .values((
                            case_notifications::id.eq(crate::new_id()),
                            case_notifications::recipient_user_id.eq(coordinator),
                            case_notifications::kind.eq(NOTIFICATION_DUPLICATE),
                            case_notifications::case_id.eq(&case_id),
                            case_notifications::actor_user_id.eq(registered_by),
                            case_notifications::created_at.eq(at),
                        ))
                        .execute(db.conn)?;
                }
                connected.notifications += coordinators.len();
                connected.matched_case_ids.push(case_id);
            }
        }
        Ok(connected)
    })
}

/// The organisation of a notification's actor and its enabled
/// coordinators, for a duplicate-registration notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contacts {
    pub organisation_name: String,
    /// Display names, in alphabetical order.
    pub coordinators: Vec<String>,
}

/// Loads the contacts of the organisation `actor_username` works in, or
/// `None` when there is no such user.
pub fn contacts_of(db: &mut Db<'_>, actor_username: &str) -> Result<Option<Contacts>, StoreError> {
    let organisation: Option<(String, String)> = users::table
        .inner_join(organisations::table.on(organisations::id.eq(users::organisation_id)))
        .filter(users::username.eq(actor_username))
        .select((organisations::id, organisations::name))
        .first(db.conn)
        .optional()?;
    let Some((organisation_id, organisation_name)) = organisation else {
        return Ok(None);
    };
    let coordinators: Vec<String> = users::table
        .filter(users::organisation_id.eq(&organisation_id))
        .filter(users::role.eq("coordinator"))
        .filter(users::disabled.eq(false))
        .order(users::display_name.asc())
        .select(users::display_name)
        .load(db.conn)?;
    Ok(Some(Contacts {
        organisation_name,
        coordinators,
    }))
}
