//! Diesel tables of the case plan, written by hand to match the
//! `2026-12-04-000010_plan_assessment` migrations of both backends.

diesel::table! {
    case_plans (id) {
        id -> Text,
        case_id -> Text,
        status -> Text,
        return_comment_enc -> Nullable<Binary>,
        submitted_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_plan_goals (id) {
        id -> Text,
        plan_id -> Text,
        case_id -> Text,
        support_type -> Text,
        description_enc -> Binary,
        responsible_user_id -> Text,
        agreed_on -> Date,
        due_on -> Date,
        next_review_on -> Nullable<Date>,
        progress -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_plan_actions (id) {
        id -> Text,
        goal_id -> Text,
        description_enc -> Binary,
        responsible_user_id -> Text,
        due_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_plan_reviews (id) {
        id -> Text,
        plan_id -> Text,
        reviewed_on -> Date,
        next_review_on -> Nullable<Date>,
        reviewed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_plan_review_goals (id) {
        id -> Text,
        review_id -> Text,
        goal_id -> Text,
        progress -> Text,
        note_enc -> Nullable<Binary>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(case_plan_goals, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(case_plan_goals, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(case_plan_goals, case_plans);
diesel::allow_tables_to_appear_in_same_query!(case_plan_actions, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(case_plan_reviews, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(case_plan_review_goals, case_plan_reviews);
