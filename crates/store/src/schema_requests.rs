//! Diesel tables of case anonymisations and data-protection requests
//! (migration `2026-12-04-000050_retention_requests`).

diesel::table! {
    case_anonymisations (case_id) {
        case_id -> Text,
        cause -> Text,
        request_id -> Nullable<Text>,
        anonymised_at -> Timestamp,
    }
}

diesel::table! {
    data_requests (id) {
        id -> Text,
        case_id -> Text,
        organisation_id -> Text,
        kind -> Text,
        status -> Text,
        reason_enc -> Nullable<Binary>,
        requested_by -> Text,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_reason_enc -> Nullable<Binary>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(case_anonymisations, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(data_requests, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(data_requests, crate::schema::users);
