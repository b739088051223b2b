//! Diesel tables of training: courses, lessons, the question bank, quizzes
//! and attempts, sessions, certificates and evaluations. The migration
//! `2026-12-05-000100_training` documents each column.

diesel::table! {
    courses (id) {
        id -> Text,
        slug -> Text,
        title_el -> Text,
        title_en -> Text,
        summary_el -> Text,
        summary_en -> Text,
        sectors -> Text,
        status -> Text,
        rule_post_test -> Bool,
        rule_attendance -> Bool,
        rule_evaluation -> Bool,
        pre_test_quiz_id -> Nullable<Text>,
        post_test_quiz_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    course_prerequisites (course_id, required_course_id) {
        course_id -> Text,
        required_course_id -> Text,
    }
}

diesel::table! {
    training_invitations (id) {
        id -> Text,
        code -> Text,
        organisation_id -> Text,
        sector -> Text,
        region -> Text,
        course_id -> Nullable<Text>,
        max_uses -> Nullable<Integer>,
        uses -> Integer,
        expires_on -> Nullable<Date>,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    trainee_profiles (user_id) {
        user_id -> Text,
        sector -> Text,
        region -> Text,
        employer -> Nullable<Text>,
        invitation_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    course_modules (id) {
        id -> Text,
        course_id -> Text,
        position -> Integer,
        title_el -> Text,
        title_en -> Text,
        sector -> Nullable<Text>,
    }
}

diesel::table! {
    lessons (id) {
        id -> Text,
        course_id -> Text,
        module_id -> Text,
        position -> Integer,
        kind -> Text,
        title_el -> Text,
        title_en -> Text,
        body_el -> Text,
        body_en -> Text,
        video_url -> Nullable<Text>,
        required -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    lesson_files (id) {
        id -> Text,
        lesson_id -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        storage_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scorm_packages (id) {
        id -> Text,
        lesson_id -> Text,
        title -> Text,
        storage_prefix -> Text,
        launch_path -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scorm_results (trainee_id, lesson_id) {
        trainee_id -> Text,
        lesson_id -> Text,
        lesson_status -> Text,
        score_raw -> Nullable<Integer>,
        data -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    questions (id) {
        id -> Text,
        course_id -> Text,
        slug -> Text,
        kind -> Text,
        tags -> Text,
        points -> Integer,
        definition -> Text,
        texts -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    quizzes (id) {
        id -> Text,
        course_id -> Text,
        module_id -> Nullable<Text>,
        purpose -> Text,
        slug -> Text,
        title_el -> Text,
        title_en -> Text,
        pass_mark -> Integer,
        time_limit_seconds -> Nullable<Integer>,
        max_attempts -> Nullable<Integer>,
        late_rule -> Text,
        draws -> Text,
        required -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Text,
        course_id -> Text,
        trainee_id -> Text,
        enrolled_by -> Nullable<Text>,
        enrolled_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    lesson_views (trainee_id, lesson_id) {
        trainee_id -> Text,
        lesson_id -> Text,
        course_id -> Text,
        first_viewed_at -> Timestamp,
    }
}

diesel::table! {
    quiz_attempts (id) {
        id -> Text,
        quiz_id -> Text,
        trainee_id -> Text,
        number -> Integer,
        seed -> BigInt,
        question_ids -> Text,
        started_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        answers -> Nullable<Text>,
        grades -> Nullable<Text>,
        points -> Nullable<Integer>,
        max_points -> Nullable<Integer>,
        passed -> Nullable<Bool>,
        timeliness -> Nullable<Text>,
    }
}

diesel::table! {
    training_sessions (id) {
        id -> Text,
        course_id -> Nullable<Text>,
        title_el -> Text,
        title_en -> Text,
        mode -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        place -> Nullable<Text>,
        link -> Nullable<Text>,
        region -> Text,
        sector -> Nullable<Text>,
        capacity -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    session_trainers (session_id, user_id) {
        session_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    session_registrations (id) {
        id -> Text,
        session_id -> Text,
        trainee_id -> Text,
        status -> Text,
        registered_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        attended_at -> Nullable<Timestamp>,
        checked_in_by -> Nullable<Text>,
    }
}

diesel::table! {
    certificates (id) {
        id -> Text,
        code -> Text,
        course_id -> Text,
        trainee_id -> Text,
        holder_name -> Text,
        course_title_el -> Text,
        course_title_en -> Text,
        issued_on -> Date,
        issued_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    evaluations (id) {
        id -> Text,
        course_id -> Text,
        trainee_id -> Text,
        kind -> Text,
        due_on -> Date,
        sent_at -> Nullable<Timestamp>,
        reminder_sent_at -> Nullable<Timestamp>,
        answered_at -> Nullable<Timestamp>,
        usefulness -> Nullable<Integer>,
        quality -> Nullable<Integer>,
        still_using -> Nullable<Integer>,
        comment -> Nullable<Text>,
    }
}

diesel::joinable!(course_modules -> courses (course_id));
diesel::joinable!(lessons -> course_modules (module_id));
diesel::joinable!(lesson_files -> lessons (lesson_id));
diesel::joinable!(questions -> courses (course_id));
diesel::joinable!(quizzes -> courses (course_id));
diesel::joinable!(enrolments -> courses (course_id));
diesel::joinable!(enrolments -> crate::schema::users (trainee_id));
diesel::joinable!(quiz_attempts -> quizzes (quiz_id));
diesel::joinable!(session_registrations -> training_sessions (session_id));
diesel::joinable!(session_registrations -> crate::schema::users (trainee_id));
diesel::joinable!(trainee_profiles -> crate::schema::users (user_id));
diesel::joinable!(certificates -> courses (course_id));
diesel::joinable!(evaluations -> courses (course_id));

diesel::allow_tables_to_appear_in_same_query!(
    courses,
    course_prerequisites,
    training_invitations,
    trainee_profiles,
    course_modules,
    lessons,
    lesson_files,
    scorm_packages,
    scorm_results,
    questions,
    quizzes,
    enrolments,
    lesson_views,
    quiz_attempts,
    training_sessions,
    session_trainers,
    session_registrations,
    certificates,
    evaluations,
);
diesel::allow_tables_to_appear_in_same_query!(enrolments, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(trainee_profiles, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(session_registrations, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(certificates, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(quiz_attempts, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(evaluations, crate::schema::users);
diesel::allow_tables_to_appear_in_same_query!(training_invitations, crate::schema::organisations);
diesel::allow_tables_to_appear_in_same_query!(trainee_profiles, crate::schema::organisations);
