//! Diesel table of the victim-witness status history of a case.

diesel::table! {
    witness_statuses (id) {
        id -> Text,
        case_id -> Text,
        status -> Text,
        status_on -> Date,
        note_enc -> Nullable<Binary>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(witness_statuses -> crate::schema::cases (case_id));
diesel::allow_tables_to_appear_in_same_query!(witness_statuses, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(witness_statuses, crate::schema::users);
