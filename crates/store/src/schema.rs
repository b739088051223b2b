//! Diesel table definitions, written by hand to match both migration folders.
//! The schema-parity test checks the two backends against each other.

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        case_code_prefix -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organisation_id -> Text,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        disabled -> Bool,
        locale -> Text,
        totp_secret -> Nullable<Binary>,
        totp_enabled -> Bool,
        totp_last_step -> Nullable<BigInt>,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        credential_id -> Text,
        credential -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Nullable<Text>,
        data -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        client_ip -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        client_ip -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        occurred_at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        actor_username -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        action -> Text,
        object_type -> Nullable<Text>,
        object_id -> Nullable<Text>,
        outcome -> Text,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        status -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        max_attempts -> Integer,
        locked_by -> Nullable<Text>,
        locked_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        organisation_id -> Text,
        given_name_enc -> Binary,
        family_name_enc -> Nullable<Binary>,
        aliases_enc -> Nullable<Binary>,
        birth_date_enc -> Nullable<Binary>,
        estimated_birth_year -> Nullable<Integer>,
        sex -> Text,
        gender_identity -> Nullable<Text>,
        citizenships -> Text,
        languages -> Text,
        interpreter_gender -> Nullable<Text>,
        legal_status -> Text,
        contact_enc -> Nullable<Binary>,
        household_enc -> Nullable<Binary>,
        vulnerabilities -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    person_identifiers (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        blind_index -> Text,
    }
}

diesel::table! {
    case_counters (organisation_id, year) {
        organisation_id -> Text,
        year -> Integer,
        next_sequence -> Integer,
    }
}

diesel::table! {
    /// Cases per organisation and list filter value, kept by triggers on
    /// `cases` (migration 2026-12-09-000200_case_counts).
    case_counts (organisation_id, status, nrm_status, region, origin, sealed) {
        organisation_id -> Text,
        status -> Text,
        nrm_status -> Text,
        region -> Text,
        origin -> Text,
        sealed -> Bool,
        n -> BigInt,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        code -> Text,
        person_id -> Nullable<Text>,
        organisation_id -> Text,
        status -> Text,
        origin -> Text,
        sex -> Text,
        age_bracket -> Nullable<Text>,
        is_minor -> Bool,
        citizenship -> Nullable<Text>,
        region -> Text,
        setting -> Text,
        exploitation_types -> Text,
        forced_labour_industry -> Nullable<Text>,
        means_of_control -> Text,
        recruitment_method -> Nullable<Text>,
        trafficker_relationship -> Nullable<Text>,
        countries_recruitment -> Text,
        countries_transit -> Text,
        countries_exploitation -> Text,
        nrm_status -> Text,
        reflection_period_ends_on -> Nullable<Date>,
        residence_permit_expires_on -> Nullable<Date>,
        sealed -> Bool,
        registration_year -> Integer,
        opened_on -> Date,
        closed_on -> Nullable<Date>,
        closure_reason -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        facility_enc -> Nullable<Binary>,
    }
}

diesel::table! {
    /// Hosting-facility names from before they were encrypted, waiting for
    /// `cases::encrypt_plain_facilities`; empty once it has run.
    facility_plain_moves (case_id) {
        case_id -> Text,
        facility -> Text,
    }
}

diesel::table! {
    case_assignments (case_id, user_id) {
        case_id -> Text,
        user_id -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    intake_referrals (id) {
        id -> Text,
        case_id -> Text,
        source -> Text,
        referred_on -> Date,
        referring_contact_enc -> Nullable<Binary>,
        reason_enc -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    trafficking_events (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        started_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        country -> Nullable<Text>,
        description_enc -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    screenings (id) {
        id -> Text,
        case_id -> Text,
        age_group -> Text,
        exploitation_form -> Text,
        indicators -> Text,
        trafficking_indicated -> Bool,
        positive_dimensions -> Text,
        notes_enc -> Nullable<Binary>,
        screened_by -> Text,
        screened_at -> Timestamp,
    }
}

diesel::table! {
    nrm_events (id) {
        id -> Text,
        case_id -> Text,
        status -> Text,
        occurred_on -> Date,
        reference_enc -> Nullable<Binary>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    service_records (id) {
        id -> Text,
        case_id -> Text,
        line -> Text,
        occurred_on -> Date,
        duration_minutes -> Integer,
        staff_user_id -> Text,
        beneficiary_present -> Bool,
        details -> Text,
        outcome -> Nullable<Text>,
        notes_enc -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        case_id -> Text,
        purpose -> Text,
        recipient_organisation_id -> Nullable<Text>,
        given -> Bool,
        recorded_on -> Date,
        language -> Text,
        withdrawn_on -> Nullable<Date>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(passkeys -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(cases -> organisations (organisation_id));
diesel::joinable!(cases -> persons (person_id));
diesel::joinable!(persons -> organisations (organisation_id));
diesel::joinable!(person_identifiers -> persons (person_id));
diesel::joinable!(case_assignments -> cases (case_id));
diesel::joinable!(case_assignments -> users (user_id));
diesel::joinable!(intake_referrals -> cases (case_id));
diesel::joinable!(trafficking_events -> cases (case_id));
diesel::joinable!(screenings -> cases (case_id));
diesel::joinable!(nrm_events -> cases (case_id));
diesel::joinable!(service_records -> cases (case_id));
diesel::joinable!(consents -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    recovery_codes,
    passkeys,
    sessions,
    api_tokens,
    login_failures,
    audit_log,
    jobs,
    persons,
    person_identifiers,
    case_counters,
    cases,
    case_assignments,
    intake_referrals,
    trafficking_events,
    screenings,
    nrm_events,
    service_records,
    consents,
);
