//! Diesel table of used registration form tokens.

diesel::table! {
    form_submissions (token) {
        token -> Text,
        case_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}
