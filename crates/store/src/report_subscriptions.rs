//! Monthly reports delivered by e-mail: a coordinator's subscriptions and
//! the deliveries made. A delivery row is unique per subscription and
//! month; the worker records it as soon as the message went out.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::users;
use crate::schema_reports::{report_deliveries, report_subscriptions};
use crate::{Db, StoreError};

/// The AMIF figures of the previous calendar month.
pub const REPORT_AMIF_MONTHLY: &str = "amif_monthly";
/// The report as a CSV file encrypted with age, attached to the message.
pub const DELIVERY_ATTACHMENT: &str = "attachment";
/// A message with a link to the report page, which requires a login.
pub const DELIVERY_LINK: &str = "link";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = report_subscriptions)]
pub struct Subscription {
    pub id: String,
    pub user_id: String,
    pub organisation_id: String,
    pub report: String,
    pub delivery: String,
    /// The age public key of an attachment subscription.
    pub recipient_key: Option<String>,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

/// Adds a subscription. The caller checks the report, delivery and key.
pub fn create(
    db: &mut Db<'_>,
    user_id: &str,
    organisation_id: &str,
    report: &str,
    delivery: &str,
    recipient_key: Option<&str>,
) -> Result<Subscription, StoreError> {
    let subscription = Subscription {
        id: crate::new_id(),
        user_id: user_id.to_owned(),
        organisation_id: organisation_id.to_owned(),
        report: report.to_owned(),
        delivery: delivery.to_owned(),
        recipient_key: recipient_key.map(str::to_owned),
        created_at: crate::now(),
        cancelled_at: None,
    };
    diesel::insert_into(report_subscriptions::table)
        .values(&subscription)
        .execute(db.conn)?;
    Ok(subscription)
}

/// A subscription with its newest delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub subscription: Subscription,
    /// The month (`YYYY-MM`) and time of the newest delivery.
    pub last_delivery: Option<(String, NaiveDateTime)>,
}

/// The user's active subscriptions, oldest first, with their newest
/// delivery; `offset` and `limit` page the list, and the total is returned.
pub fn list_for_user(
    db: &mut Db<'_>,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Listed>, i64), StoreError> {
    let active = || {
        report_subscriptions::table
            .filter(report_subscriptions::user_id.eq(user_id.to_owned()))
            .filter(report_subscriptions::cancelled_at.is_null())
    };
    let total: i64 = active().count().get_result(db.conn)?;
    let subscriptions: Vec<Subscription> = active()
        .order((
            report_subscriptions::created_at.asc(),
            report_subscriptions::id.asc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(Subscription::as_select())
        .load(db.conn)?;
    let mut listed = Vec::with_capacity(subscriptions.len());
    for subscription in subscriptions {
        let last_delivery = report_deliveries::table
            .filter(report_deliveries::subscription_id.eq(&subscription.id))
            .order(report_deliveries::sent_at.desc())
            .select((report_deliveries::period, report_deliveries::sent_at))
            .first(db.conn)
            .optional()?;
        listed.push(Listed {
            subscription,
            last_delivery,
        });
    }
    Ok((listed, total))
}

pub fn get(db: &mut Db<'_>, id: &str) -> Result<Subscription, StoreError> {
    Ok(report_subscriptions::table
        .find(id)
        .select(Subscription::as_select())
        .first(db.conn)?)
}

/// Cancels the user's own active subscription; `false` when there is none
/// with that id.
pub fn cancel(db: &mut Db<'_>, id: &str, user_id: &str) -> Result<bool, StoreError> {
    let changed = diesel::update(
        report_subscriptions::table
            .find(id)
            .filter(report_subscriptions::user_id.eq(user_id))
            .filter(report_subscriptions::cancelled_at.is_null()),
    )
    .set(report_subscriptions::cancelled_at.eq(Some(crate::now())))
    .execute(db.conn)?;
    Ok(changed > 0)
}

/// Every active subscription of an enabled user, with no delivery for
/// `period` (`YYYY-MM`).
pub fn due(db: &mut Db<'_>, period: &str) -> Result<Vec<Subscription>, StoreError> {
    let delivered = report_deliveries::table
        .filter(report_deliveries::period.eq(period.to_owned()))
        .select(report_deliveries::subscription_id);
    Ok(report_subscriptions::table
        .inner_join(users::table)
        .filter(report_subscriptions::cancelled_at.is_null())
        .filter(users::disabled.eq(false))
        .filter(report_subscriptions::id.ne_all(delivered))
        .order(report_subscriptions::created_at.asc())
        .select(Subscription::as_select())
        .load(db.conn)?)
}

/// Whether the subscription's report for `period` went out.
pub fn delivered(db: &mut Db<'_>, subscription_id: &str, period: &str) -> Result<bool, StoreError> {
    let count: i64 = report_deliveries::table
        .filter(report_deliveries::subscription_id.eq(subscription_id))
        .filter(report_deliveries::period.eq(period))
        .count()
        .get_result(db.conn)?;
    Ok(count > 0)
}

/// Records the delivery of `period`; `false` when it was already recorded.
pub fn record_delivery(
    db: &mut Db<'_>,
    subscription_id: &str,
    period: &str,
    sent_at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let inserted = diesel::insert_into(report_deliveries::table)
        .values((
            report_deliveries::id.eq(crate::new_id()),
            report_deliveries::subscription_id.eq(subscription_id),
            report_deliveries::period.eq(period),
            report_deliveries::sent_at.eq(crate::truncate_to_micros(sent_at)),
        ))
        .execute(db.conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(error) => match StoreError::from(error) {
            StoreError::Conflict(_) => Ok(false),
            other => Err(other),
        },
    }
}

/// The subscriber's address, name and interface language; `None` when
/// the account has no e-mail address.
pub fn subscriber(
    db: &mut Db<'_>,
    user_id: &str,
) -> Result<Option<(String, String, String)>, StoreError> {
    let (email, name, locale): (Option<String>, String, String) = users::table
        .find(user_id)
        .select((users::email, users::display_name, users::locale))
        .first(db.conn)?;
    Ok(email
        .filter(|email| !email.trim().is_empty())
        .map(|email| (email, name, locale)))
}
