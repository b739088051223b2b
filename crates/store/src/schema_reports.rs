//! Diesel tables of the scheduled reports: subscriptions and deliveries.

diesel::table! {
    report_subscriptions (id) {
        id -> Text,
        user_id -> Text,
        organisation_id -> Text,
        report -> Text,
        delivery -> Text,
        recipient_key -> Nullable<Text>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    report_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        period -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(report_deliveries -> report_subscriptions (subscription_id));
diesel::allow_tables_to_appear_in_same_query!(report_subscriptions, report_deliveries);
diesel::joinable!(report_subscriptions -> crate::schema::users (user_id));
diesel::allow_tables_to_appear_in_same_query!(report_subscriptions, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(report_deliveries, crate::schema::users);
