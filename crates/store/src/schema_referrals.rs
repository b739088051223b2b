//! Diesel tables of referrals between organisations and the cases they share.

diesel::table! {
    referrals (id) {
        id -> Text,
        case_id -> Text,
        from_organisation_id -> Text,
        to_organisation_id -> Text,
        service_line -> Text,
        is_transfer -> Bool,
        status -> Text,
        reason_enc -> Nullable<Binary>,
        consent_overridden -> Bool,
        override_reason_enc -> Nullable<Binary>,
        response_reason_enc -> Nullable<Binary>,
        referred_on -> Date,
        referred_by -> Text,
        responded_by -> Nullable<Text>,
        responded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_shares (case_id, organisation_id) {
        case_id -> Text,
        organisation_id -> Text,
        referral_id -> Text,
        shared_at -> Timestamp,
    }
}

diesel::joinable!(referrals -> crate::schema::cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(referrals, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(case_shares, crate::schema::cases);
diesel::allow_tables_to_appear_in_same_query!(case_shares, crate::schema::case_assignments);
diesel::allow_tables_to_appear_in_same_query!(referrals, crate::schema::organisations);
diesel::allow_tables_to_appear_in_same_query!(referrals, crate::schema::users);
