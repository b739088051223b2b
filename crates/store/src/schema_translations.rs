//! Diesel tables of translation approvals and signed consent forms.

diesel::table! {
    form_translations (language) {
        language -> Text,
        approved -> Bool,
        changed_by -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    consent_forms (consent_id) {
        consent_id -> Text,
        attachment_id -> Text,
        attached_by -> Text,
        attached_at -> Timestamp,
    }
}

diesel::joinable!(form_translations -> crate::schema::users (changed_by));
diesel::allow_tables_to_appear_in_same_query!(form_translations, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(consent_forms, crate::schema::consents);
