//! Diesel tables of case notes and attachments.

diesel::table! {
    case_notes (id) {
        id -> Text,
        case_id -> Text,
        body_enc -> Binary,
        author_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_attachments (id) {
        id -> Text,
        case_id -> Text,
        file_name_enc -> Binary,
        content_type -> Text,
        size_bytes -> BigInt,
        object_key -> Text,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(case_notes, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(case_attachments, crate::schema::users);
