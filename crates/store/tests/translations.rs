//! Translation approvals and signed consent forms on every available
//! backend.

use procap_store::testing::TestDatabase;
use procap_store::translations;
use procap_store::{StoreError, organisations, users};

#[test]
fn approval_is_recorded_replaced_and_reversible() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let organisation = organisations::create(db, "Διοίκηση", "other", "ADM").unwrap();
                let admin = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &organisation.id,
                        username: "admin1",
                        display_name: "admin1",
                        email: None,
                        role: "admin",
                        password_hash: "x",
                        must_change_password: false,
                        locale: "el",
                    },
                )
                .unwrap();

                assert_eq!(translations::decision(db, "ar")?, None);
                translations::set_approved(db, "ar", true, &admin.id)?;
                assert_eq!(translations::decision(db, "ar")?, Some(true));
                translations::set_approved(db, "ar", false, &admin.id)?;
                translations::set_approved(db, "fa", true, &admin.id)?;

                let decisions = translations::list_decisions(db)?;
                let summary: Vec<(&str, bool, &str)> = decisions
                    .iter()
                    .map(|d| (d.language.as_str(), d.approved, d.changed_by.as_str()))
                    .collect();
                assert_eq!(summary, [("ar", false, "admin1"), ("fa", true, "admin1")]);

                let missing = translations::attach_consent_form(
                    db,
                    "no-case",
                    "no-consent",
                    "no-file",
                    &admin.id,
                );
                assert!(matches!(missing, Err(StoreError::NotFound)));
                assert!(translations::consent_forms_of_case(db, "no-case")?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}
