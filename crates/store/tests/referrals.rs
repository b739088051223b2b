//! Referrals between organisations: the consent rule, the override, the
//! answers of the receiving organisation, sharing and transfer, on every
//! available backend.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_store::case_records::{self, NewConsent};
use procap_store::cases::{self, CaseFilter, CaseScope, PersonDetails, Registration};
use procap_store::referrals::{self, NewReferral};
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Setup {
    case: cases::Case,
    from_org: String,
    to_org: String,
    caseworker: String,
    receiver: String,
}

fn user(db: &mut Db<'_>, organisation_id: &str, username: &str, role: &str) -> String {
    users::create(
        db,
        &users::NewUser {
            organisation_id,
            username,
            display_name: username,
            email: None,
            role,
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
    .id
}

fn setup(db: &mut Db<'_>) -> Setup {
    let from = organisations::create(db, "Αποστολέας", "ngo", "AP").unwrap();
    let to = organisations::create(db, "Παραλήπτης", "national_centre", "PA").unwrap();
    let caseworker = user(db, &from.id, "cw", "caseworker");
    let receiver = user(db, &to.id, "coord2", "coordinator");
    let case = cases::register(
        db,
        Registration {
            organisation_id: &from.id,
            case_code_prefix: "AP",
            created_by: &caseworker,
            person: PersonDetails {
                given_name: "Δοκιμαστική".into(),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                legal_status: "other".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: "attica".into(),
                setting: "urban_area".into(),
                opened_on: date(2026, 1, 10),
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "ngo".into(),
                referred_on: date(2026, 1, 9),
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap();
    Setup {
        case,
        from_org: from.id,
        to_org: to.id,
        caseworker,
        receiver,
    }
}

fn referral<'a>(s: &'a Setup, transfer: bool, override_reason: Option<&'a str>) -> NewReferral<'a> {
    NewReferral {
        case_id: &s.case.id,
        from_organisation_id: &s.from_org,
        to_organisation_id: &s.to_org,
        service_line: "legal",
        is_transfer: transfer,
        reason: Some("Χρειάζεται νομική εκπροσώπηση"),
        override_reason,
        referred_on: date(2026, 3, 1),
        referred_by: &s.caseworker,
    }
}

fn consent(db: &mut Db<'_>, s: &Setup) {
    case_records::record_consent(
        db,
        &NewConsent {
            case_id: &s.case.id,
            purpose: "sharing",
            recipient_organisation_id: Some(&s.to_org),
            given: true,
            recorded_on: date(2026, 2, 1),
            language: "el",
            recorded_by: &s.caseworker,
        },
    )
    .unwrap();
}

fn receiving_scope(s: &Setup) -> CaseScope {
    CaseScope::Organisation {
        organisation_id: s.to_org.clone(),
        user_id: s.receiver.clone(),
    }
}

#[test]
fn referral_without_consent_is_refused_and_stores_nothing() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let s = setup(db);
                let refused = referrals::send(db, &referral(&s, false, None));
                assert!(matches!(refused, Err(StoreError::Conflict("no_consent"))));
                let blank = referrals::send(db, &referral(&s, false, Some("   ")));
                assert!(matches!(blank, Err(StoreError::Conflict("no_consent"))));
                assert!(referrals::list_for_case(db, &s.case.id)?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn accepted_referral_shares_the_case_with_the_receiving_organisation() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let s = setup(db);
                consent(db, &s);
                let sent = referrals::send(db, &referral(&s, false, None))?;
                assert!(!sent.consent_overridden);

                let scope = receiving_scope(&s);
                assert!(!cases::in_scope(db, &scope, &s.case.id)?);
                let (incoming, _) = referrals::list_for_organisation(db, &s.to_org)?;
                assert_eq!(incoming.len(), 1);
                assert_eq!(incoming[0].case_code, s.case.code);
                assert_eq!(incoming[0].status, "sent");

                // Only the recipient may answer.
                let wrong = referrals::accept(db, &sent.referral_id, &s.from_org, &s.caseworker);
                assert!(matches!(wrong, Err(StoreError::NotFound)));

                let accepted = referrals::accept(db, &sent.referral_id, &s.to_org, &s.receiver)?;
                assert_eq!(accepted.status, "accepted");
                assert!(referrals::is_shared_with(db, &s.case.id, &s.to_org)?);
                assert!(cases::in_scope(db, &scope, &s.case.id)?);
                let (rows, total) = cases::list(db, &scope, &CaseFilter::default(), 0, 50)?;
                assert_eq!(total, 1);
                assert_eq!(rows[0].id, s.case.id);
                // The owner does not change for a plain referral.
                assert_eq!(cases::get(db, &s.case.id)?.case.organisation_id, s.from_org);

                // A second answer finds the referral already answered.
                let again = referrals::accept(db, &sent.referral_id, &s.to_org, &s.receiver);
                assert!(matches!(again, Err(StoreError::Conflict("stale"))));

                // Revoking ends the share.
                let revoked =
                    referrals::revoke(db, &sent.referral_id, &s.from_org, &s.caseworker, "Λάθος")?;
                assert_eq!(revoked.status, "revoked");
                assert_eq!(revoked.response_reason.as_deref(), Some("Λάθος"));
                assert!(!cases::in_scope(db, &scope, &s.case.id)?);
                let (_, total) = cases::list(db, &scope, &CaseFilter::default(), 0, 50)?;
                assert_eq!(total, 0);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn override_reason_is_stored_encrypted() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let s = setup(db);
                let sent =
                    referrals::send(db, &referral(&s, false, Some("Κίνδυνος για τη ζωή της")))?;
                assert!(sent.consent_overridden);
                let stored = referrals::get(db, &sent.referral_id)?;
                assert_eq!(
                    stored.override_reason.as_deref(),
                    Some("Κίνδυνος για τη ζωή της")
                );
                use procap_store::schema_referrals::referrals as table;
                let raw: Option<Vec<u8>> = table::table
                    .find(&sent.referral_id)
                    .select(table::override_reason_enc)
                    .first(db.conn)?;
                let raw = raw.unwrap();
                let needle = "Κίνδυνος".as_bytes();
                assert!(!raw.windows(needle.len()).any(|w| w == needle));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn declined_referral_keeps_its_reason_and_shares_nothing() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let s = setup(db);
                consent(db, &s);
                let sent = referrals::send(db, &referral(&s, false, None))?;
                let declined = referrals::decline(
                    db,
                    &sent.referral_id,
                    &s.to_org,
                    &s.receiver,
                    "Δεν υπάρχει διαθέσιμη θέση",
                )?;
                assert_eq!(declined.status, "declined");
                assert_eq!(
                    declined.response_reason.as_deref(),
                    Some("Δεν υπάρχει διαθέσιμη θέση")
                );
                assert!(!cases::in_scope(db, &receiving_scope(&s), &s.case.id)?);
                let complete = referrals::complete(db, &sent.referral_id, &s.to_org, &s.receiver);
                assert!(matches!(complete, Err(StoreError::Conflict("stale"))));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn accepted_transfer_moves_the_case_and_keeps_its_code() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let s = setup(db);
                consent(db, &s);
                let sent = referrals::send(db, &referral(&s, true, None))?;
                referrals::accept(db, &sent.referral_id, &s.to_org, &s.receiver)?;

                let view = cases::get(db, &s.case.id)?;
                assert_eq!(view.case.organisation_id, s.to_org);
                assert_eq!(view.case.code, s.case.code);
                assert_eq!(view.case.version, s.case.version + 1);
                assert!(view.assigned_user_ids.contains(&s.receiver));
                assert!(cases::in_scope(db, &receiving_scope(&s), &s.case.id)?);
                let sender_scope = CaseScope::Assigned {
                    organisation_id: s.from_org.clone(),
                    user_id: s.caseworker.clone(),
                };
                assert!(!cases::in_scope(db, &sender_scope, &s.case.id)?);
                // The history stays with the case.
                assert_eq!(referrals::list_for_case(db, &s.case.id)?.len(), 1);
                // An accepted transfer cannot be revoked.
                let revoke =
                    referrals::revoke(db, &sent.referral_id, &s.from_org, &s.caseworker, "x");
                assert!(matches!(revoke, Err(StoreError::Conflict("stale"))));
                let done = referrals::complete(db, &sent.referral_id, &s.to_org, &s.receiver)?;
                assert_eq!(done.status, "completed");
                Ok(())
            })
            .unwrap();
    }
}
