//! Diesel tables of needs assessments, written by hand to match the
//! `2026-12-04-000010_plan_assessment` migrations of both backends.

diesel::table! {
    needs_assessments (id) {
        id -> Text,
        case_id -> Text,
        assessed_on -> Date,
        risk_level -> Text,
        risk_factors -> Text,
        safety_plan_enc -> Nullable<Binary>,
        assessed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    needs_assessment_domains (id) {
        id -> Text,
        assessment_id -> Text,
        domain -> Text,
        level -> Text,
        note_enc -> Nullable<Binary>,
    }
}

diesel::joinable!(needs_assessment_domains -> needs_assessments (assessment_id));
diesel::allow_tables_to_appear_in_same_query!(needs_assessments, needs_assessment_domains);
diesel::allow_tables_to_appear_in_same_query!(needs_assessments, crate::schema::users);
