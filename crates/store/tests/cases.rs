//! Case registration, the duplicate check, scoping and anonymised imports on
//! every available backend.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Binary, Nullable, Text};
use procap_store::cases::{self, CaseFilter, CaseScope, PersonDetails, Registration};
use procap_store::testing::TestDatabase;
use procap_store::{Db, Store, organisations, users};

struct Fixture {
    _database: TestDatabase,
    store: Store,
    ngo: organisations::Organisation,
    centre: organisations::Organisation,
    caseworker: users::User,
    colleague: users::User,
    other_caseworker: users::User,
}

fn user(db: &mut Db<'_>, organisation_id: &str, username: &str, role: &str) -> users::User {
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
}

fn fixtures() -> Vec<Fixture> {
    TestDatabase::each_backend()
        .into_iter()
        .map(|database| {
            let store = database.store();
            let (ngo, centre, caseworker, colleague, other_caseworker) = store
                .run_blocking(|db| {
                    let ngo = organisations::create(db, "Οργάνωση Α", "ngo", "OA")?;
                    let centre = organisations::create(db, "Κέντρο Β", "national_centre", "KB")?;
                    let caseworker = user(db, &ngo.id, "cw", "caseworker");
                    let colleague = user(db, &ngo.id, "cw2", "caseworker");
                    let other = user(db, &centre.id, "cw3", "caseworker");
                    Ok((ngo, centre, caseworker, colleague, other))
                })
                .unwrap();
            Fixture {
                _database: database,
                store,
                ngo,
                centre,
                caseworker,
                colleague,
                other_caseworker,
            }
        })
        .collect()
}

fn person(
    name: &str,
    family: &str,
    birth: Option<(i32, u32, u32)>,
    document: Option<&str>,
) -> PersonDetails {
    PersonDetails {
        given_name: name.to_owned(),
        family_name: Some(family.to_owned()),
        birth_date: birth.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        contact: Some("+30 690 000 0000".to_owned()),
        document_numbers: document.map(|d| vec![d.to_owned()]).unwrap_or_default(),
        ..PersonDetails::default()
    }
}

fn register(
    db: &mut Db<'_>,
    organisation: &organisations::Organisation,
    by: &users::User,
    details: PersonDetails,
) -> cases::Case {
    cases::register(
        db,
        Registration {
            organisation_id: &organisation.id,
            case_code_prefix: &organisation.case_code_prefix,
            created_by: &by.id,
            person: details,
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                citizenships: "NG".into(),
                languages: "en".into(),
                legal_status: "asylum_seeker".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: "attica".into(),
                setting: "urban_area".into(),
                exploitation_types: "sexual_exploitation".into(),
                opened_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "police".into(),
                referred_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                referring_contact: Some("Τμήμα Καταπολέμησης Εμπορίας".into()),
                reason: Some("Ενδείξεις εκμετάλλευσης".into()),
            },
        },
    )
    .unwrap()
}

#[test]
fn codes_count_up_per_organisation_and_year() {
    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                let first = register(
                    db,
                    &fixture.ngo,
                    &fixture.caseworker,
                    person("Ada", "Obi", None, None),
                );
                let second = register(
                    db,
                    &fixture.ngo,
                    &fixture.caseworker,
                    person("Bisi", "Eze", None, None),
                );
                let other = register(
                    db,
                    &fixture.centre,
                    &fixture.other_caseworker,
                    person("Chi", "Ude", None, None),
                );
                assert_eq!(first.code, "OA-2026-00001");
                assert_eq!(second.code, "OA-2026-00002");
                assert_eq!(other.code, "KB-2026-00001");
                Ok(())
            })
            .unwrap();
    }
}

#[derive(QueryableByName)]
struct RawPerson {
    #[diesel(sql_type = Binary)]
    given_name_enc: Vec<u8>,
    #[diesel(sql_type = Nullable<Binary>)]
    contact_enc: Option<Vec<u8>>,
}

#[derive(QueryableByName)]
struct RawIndex {
    #[diesel(sql_type = Text)]
    blind_index: String,
}

#[test]
fn identifiers_are_encrypted_at_rest_and_decrypt_on_the_page() {
    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                let case = register(
                    db,
                    &fixture.ngo,
                    &fixture.caseworker,
                    person(
                        "Zacharoula",
                        "Testopoulou",
                        Some((1999, 4, 5)),
                        Some("AB 123456"),
                    ),
                );
                let raw: Vec<RawPerson> =
                    diesel::sql_query("SELECT given_name_enc, contact_enc FROM persons")
                        .load(db.conn)?;
                let bytes = [
                    raw[0].given_name_enc.clone(),
                    raw[0].contact_enc.clone().unwrap(),
                ]
                .concat();
                assert!(
                    !bytes.windows(6).any(|w| w == b"Zachar"),
                    "name stored in clear"
                );
                assert!(
                    !bytes.windows(7).any(|w| w == b"690 000"),
                    "phone stored in clear"
                );
                let indexes: Vec<RawIndex> =
                    diesel::sql_query("SELECT blind_index FROM person_identifiers")
                        .load(db.conn)?;
                assert_eq!(indexes.len(), 3, "name, birth date and document indexes");
                assert!(
                    indexes
                        .iter()
                        .all(|index| !index.blind_index.contains("123456"))
                );

                let view = cases::get(db, &case.id)?;
                let person = view.person.unwrap();
                assert_eq!(person.details.given_name, "Zacharoula");
                assert_eq!(
                    person.details.birth_date,
                    NaiveDate::from_ymd_opt(1999, 4, 5)
                );
                assert_eq!(
                    view.intake.unwrap().reason.as_deref(),
                    Some("Ενδείξεις εκμετάλλευσης")
                );
                Ok(())
            })
            .unwrap();
    }
}

#[derive(QueryableByName)]
struct RawFacility {
    #[diesel(sql_type = Nullable<Binary>)]
    facility_enc: Option<Vec<u8>>,
}

#[test]
fn facility_is_encrypted_and_old_plain_names_are_moved() {
    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                let case = register(
                    db,
                    &fixture.ngo,
                    &fixture.caseworker,
                    person("Fotini", "Dokimaki", None, None),
                );
                // A name the migration set aside from the old plain column.
                diesel::sql_query(format!(
                    "INSERT INTO facility_plain_moves (case_id, facility) \
                     VALUES ('{}', 'Domi Filoxenias Dokimis')",
                    case.id
                ))
                .execute(db.conn)?;
                assert_eq!(cases::encrypt_plain_facilities(db)?, 1);
                assert_eq!(cases::encrypt_plain_facilities(db)?, 0, "moved once");
                let raw: Vec<RawFacility> =
                    diesel::sql_query("SELECT facility_enc FROM cases").load(db.conn)?;
                let stored = raw[0].facility_enc.clone().expect("encrypted name");
                assert!(
                    !stored.windows(6).any(|w| w == b"Filoxe"),
                    "facility stored in clear"
                );
                let view = cases::get(db, &case.id)?;
                assert_eq!(view.facility.as_deref(), Some("Domi Filoxenias Dokimis"));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn duplicate_found_across_organisations_without_details() {
    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                register(
                    db,
                    &fixture.centre,
                    &fixture.other_caseworker,
                    person("Μαρία", "Δοκιμή", Some((2001, 1, 2)), None),
                );
                register(
                    db,
                    &fixture.centre,
                    &fixture.other_caseworker,
                    person("Ελένη", "Άλλη", None, Some("X-99/1")),
                );

                // Accents, case and spacing do not hide a match.
                let same = person("ΜΑΡΙΑ", "  δοκιμη ", Some((2001, 1, 2)), None);
                let matches = cases::find_duplicates(db, &fixture.ngo.id, &same)?;
                assert_eq!(matches.len(), 1);
                assert_eq!(matches[0].organisation_id, fixture.centre.id);
                assert_eq!(
                    matches[0].own_case_code, None,
                    "another organisation's case code revealed"
                );

                let by_document = person("Someone", "Else", None, Some("x99 1"));
                assert_eq!(
                    cases::find_duplicates(db, &fixture.ngo.id, &by_document)?.len(),
                    1
                );

                // A name alone is not a match.
                let name_only = person("Μαρία", "Δοκιμή", Some((2001, 1, 3)), None);
                assert!(cases::find_duplicates(db, &fixture.ngo.id, &name_only)?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn scope_limits_lists_and_pages() {
    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                let mine = register(
                    db,
                    &fixture.ngo,
                    &fixture.caseworker,
                    person("Ada", "Obi", None, None),
                );
                register(
                    db,
                    &fixture.ngo,
                    &fixture.colleague,
                    person("Bisi", "Eze", None, None),
                );
                let foreign = register(
                    db,
                    &fixture.centre,
                    &fixture.other_caseworker,
                    person("Chi", "Ude", None, None),
                );

                let assigned = CaseScope::Assigned {
                    organisation_id: fixture.ngo.id.clone(),
                    user_id: fixture.caseworker.id.clone(),
                };
                let (rows, total) = cases::list(db, &assigned, &CaseFilter::default(), 0, 50)?;
                assert_eq!(total, 1);
                assert_eq!(rows[0].code, mine.code);
                assert!(cases::in_scope(db, &assigned, &mine.id)?);
                assert!(!cases::in_scope(db, &assigned, &foreign.id)?);

                let organisation = CaseScope::Organisation {
                    organisation_id: fixture.ngo.id.clone(),
                    user_id: "coordinator".into(),
                };
                assert_eq!(
                    cases::list(db, &organisation, &CaseFilter::default(), 0, 50)?.1,
                    2
                );
                assert!(!cases::in_scope(db, &organisation, &foreign.id)?);
                assert!(!cases::in_scope(db, &organisation, "no-such-id")?);

                let filter = CaseFilter {
                    code: Some(mine.code.clone()),
                    ..CaseFilter::default()
                };
                assert_eq!(cases::list(db, &organisation, &filter, 0, 50)?.1, 1);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn anonymised_records_import_as_closed_cases() {
    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                let records: Vec<cases::AnonymisedCase> = (0..1200)
                    .map(|index| cases::AnonymisedCase {
                        registration_year: 2016 + (index % 3),
                        sex: if index % 2 == 0 {
                            "female".into()
                        } else {
                            "male".into()
                        },
                        age_bracket: Some("18_20".into()),
                        is_minor: false,
                        citizenship: Some("UA".into()),
                        exploitation_types: "forced_labour".into(),
                        means_of_control: "debt_bondage".into(),
                        forced_labour_industry: Some("construction".into()),
                        trafficker_relationship: None,
                        countries_exploitation: "PL".into(),
                    })
                    .collect();
                let mut reported = Vec::new();
                let inserted = cases::import_anonymised(
                    db,
                    &fixture.centre.id,
                    "KB",
                    "ctdc_import",
                    &records,
                    |done| reported.push(done),
                )?;
                assert_eq!(inserted, 1200);
                assert_eq!(reported.last(), Some(&1200));
                let scope = CaseScope::Organisation {
                    organisation_id: fixture.centre.id.clone(),
                    user_id: "x".into(),
                };
                let filter = CaseFilter {
                    origin: Some("ctdc_import".into()),
                    status: Some("closed".into()),
                    ..CaseFilter::default()
                };
                assert_eq!(cases::list(db, &scope, &filter, 0, 1)?.1, 1200);
                Ok(())
            })
            .unwrap();
    }
}

/// The whole-organisation totals come from `case_counts`, which triggers
/// keep. After every kind of change to `cases` they must equal a count of
/// the rows themselves, for each filter and for a user assigned to a
/// sealed case as well as one who is not.
#[test]
fn list_totals_follow_case_changes() {
    use procap_store::schema::cases as table;

    for fixture in fixtures() {
        fixture
            .store
            .run_blocking(|db| {
                let mut ids = Vec::new();
                for (n, name) in ["Ada", "Bisi", "Chi", "Dayo", "Ebele", "Femi"]
                    .into_iter()
                    .enumerate()
                {
                    let by = if n % 2 == 0 {
                        &fixture.caseworker
                    } else {
                        &fixture.colleague
                    };
                    ids.push(register(db, &fixture.ngo, by, person(name, "Obi", None, None)).id);
                }
                register(
                    db,
                    &fixture.centre,
                    &fixture.other_caseworker,
                    person("Gozie", "Ude", None, None),
                );

                let filters = [
                    CaseFilter::default(),
                    CaseFilter {
                        status: Some("open".into()),
                        ..CaseFilter::default()
                    },
                    CaseFilter {
                        status: Some("closed".into()),
                        region: Some("attica".into()),
                        ..CaseFilter::default()
                    },
                    CaseFilter {
                        region: Some("central_macedonia".into()),
                        ..CaseFilter::default()
                    },
                    CaseFilter {
                        nrm_status: Some("referred".into()),
                        origin: Some("procap".into()),
                        ..CaseFilter::default()
                    },
                ];
                let check = |db: &mut Db<'_>, step: &str| -> Result<(), procap_store::StoreError> {
                    for organisation in [&fixture.ngo, &fixture.centre] {
                        for user in [&fixture.caseworker, &fixture.colleague] {
                            let scope = CaseScope::Organisation {
                                organisation_id: organisation.id.clone(),
                                user_id: user.id.clone(),
                            };
                            for filter in &filters {
                                let listed = cases::list(db, &scope, filter, 0, 50)?;
                                let counted = cases::count_own_directly(
                                    db,
                                    &organisation.id,
                                    &user.id,
                                    filter,
                                )?;
                                assert_eq!(listed.1, counted, "{step}: {filter:?}");
                                assert_eq!(
                                    i64::try_from(listed.0.len()).unwrap(),
                                    counted,
                                    "{step}: rows of {filter:?}"
                                );
                            }
                        }
                    }
                    Ok(())
                };
                check(db, "registered")?;

                diesel::update(table::table.find(&ids[0]))
                    .set((
                        table::status.eq("closed"),
                        table::region.eq("central_macedonia"),
                    ))
                    .execute(db.conn)?;
                diesel::update(table::table.find(&ids[1]))
                    .set(table::nrm_status.eq("referred"))
                    .execute(db.conn)?;
                check(db, "status, region and NRM status changed")?;

                // Sealed: the caseworker assigned to it still counts it, the
                // colleague does not.
                diesel::update(table::table.find(&ids[2]))
                    .set(table::sealed.eq(true))
                    .execute(db.conn)?;
                assert_eq!(
                    cases::list(
                        db,
                        &CaseScope::Organisation {
                            organisation_id: fixture.ngo.id.clone(),
                            user_id: fixture.colleague.id.clone(),
                        },
                        &CaseFilter::default(),
                        0,
                        50
                    )?
                    .1,
                    5
                );
                check(db, "sealed")?;

                // Transferred to the other organisation.
                diesel::update(table::table.find(&ids[3]))
                    .set(table::organisation_id.eq(&fixture.centre.id))
                    .execute(db.conn)?;
                // A change to a column the list does not filter on.
                diesel::update(table::table.find(&ids[4]))
                    .set(table::setting.eq("hosting_facility"))
                    .execute(db.conn)?;
                check(db, "transferred")?;

                // Several rows in one statement, then a deletion.
                diesel::update(table::table.filter(table::organisation_id.eq(&fixture.ngo.id)))
                    .set(table::status.eq("closed"))
                    .execute(db.conn)?;
                check(db, "all closed")?;
                diesel::delete(table::table.find(&ids[5])).execute(db.conn)?;
                check(db, "deleted")?;
                Ok(())
            })
            .unwrap();
    }
}
