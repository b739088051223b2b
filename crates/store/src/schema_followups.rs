//! Diesel tables of follow-up contacts, sealing changes, break-glass grants
//! and case notifications.

diesel::table! {
    case_followups (id) {
        id -> Text,
        case_id -> Text,
        closed_on -> Date,
        offset_months -> Integer,
        due_on -> Date,
        status -> Text,
        contacted_on -> Nullable<Date>,
        contact_made -> Nullable<Bool>,
        outcomes -> Text,
        note_enc -> Nullable<Binary>,
        recorded_by -> Nullable<Text>,
        recorded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_seal_changes (id) {
        id -> Text,
        case_id -> Text,
        sealed -> Bool,
        reason_enc -> Binary,
        changed_by -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    break_glass_grants (id) {
        id -> Text,
        case_id -> Text,
        user_id -> Text,
        reason_enc -> Binary,
        granted_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    case_notifications (id) {
        id -> Text,
        recipient_user_id -> Text,
        kind -> Text,
        case_id -> Text,
        actor_user_id -> Text,
        created_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(case_followups, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(case_followups, crate::schema::case_assignments);
diesel::allow_tables_to_appear_in_same_query!(case_followups, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(case_seal_changes, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(case_notifications, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(case_notifications, crate::schema::users);
