//! Diesel tables of interpretation and escort appointments, staff skills and
//! calendar feed tokens (migration `2026-12-04-000020_appointments`).

diesel::table! {
    staff_skills (user_id) {
        user_id -> Text,
        gender -> Text,
        languages -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appointments (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        staff_user_id -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        duration_minutes -> Integer,
        place_enc -> Binary,
        language -> Nullable<Text>,
        dialect -> Nullable<Text>,
        preferred_gender -> Nullable<Text>,
        status -> Text,
        service_record_id -> Nullable<Text>,
        requested_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appointment_feeds (user_id) {
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(appointments, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(appointments, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(staff_skills, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(appointment_feeds, crate::schema::users);
