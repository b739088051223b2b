use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::age::{age_on, is_minor_on};
use super::code::{CaseCode, CaseCodeError};
use super::dates::{DateRuleError, RegistrationDates, validate_registration};
use super::geo::{
    CountryList, GeoListError, LanguageList, countries, country, language, languages,
};
use super::nrm::{
    allowed_next, can_correct, can_transition, reflection_period_end, reminder_date, reminder_due,
};
use super::vocab::*;
use crate::locale::Locale;
use crate::role::Role;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
}

/// Message ids defined in one language's `vocab.ftl` of the web crate.
fn ftl_keys(language: &str) -> BTreeSet<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../web/locales")
        .join(language)
        .join("vocab.ftl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.starts_with(['#', ' ']))
        .filter_map(|line| line.split_once(" = "))
        .map(|(key, _)| key.to_owned())
        .collect()
}

/// Lists every code of every vocabulary as (vocabulary name, code, label key).
fn all_codes() -> Vec<(&'static str, &'static str, &'static str)> {
    fn codes_of<T: Vocabulary>() -> Vec<(&'static str, &'static str, &'static str)> {
        T::ALL
            .iter()
            .map(|&code| (T::NAME, code.as_str(), code.label_key()))
            .collect()
    }
    [
        codes_of::<Sex>(),
        codes_of::<ExploitationType>(),
        codes_of::<MeansOfControl>(),
        codes_of::<ForcedLabourIndustry>(),
        codes_of::<TraffickerRelationship>(),
        codes_of::<AgeBracket>(),
        codes_of::<CaseOrigin>(),
        codes_of::<CaseStatus>(),
        codes_of::<NrmStatus>(),
        codes_of::<Region>(),
        codes_of::<Setting>(),
        codes_of::<ReferralSource>(),
        codes_of::<LegalStatus>(),
        codes_of::<Vulnerability>(),
        codes_of::<RecruitmentMethod>(),
        codes_of::<ServiceLine>(),
        codes_of::<ClosureReason>(),
        codes_of::<ConsentPurpose>(),
        codes_of::<InterpreterGender>(),
    ]
    .concat()
}

fn name_keys() -> Vec<&'static str> {
    vec![
        Sex::NAME_KEY,
        ExploitationType::NAME_KEY,
        MeansOfControl::NAME_KEY,
        ForcedLabourIndustry::NAME_KEY,
        TraffickerRelationship::NAME_KEY,
        AgeBracket::NAME_KEY,
        CaseOrigin::NAME_KEY,
        CaseStatus::NAME_KEY,
        NrmStatus::NAME_KEY,
        Region::NAME_KEY,
        Setting::NAME_KEY,
        ReferralSource::NAME_KEY,
        LegalStatus::NAME_KEY,
        Vulnerability::NAME_KEY,
        RecruitmentMethod::NAME_KEY,
        ServiceLine::NAME_KEY,
        ClosureReason::NAME_KEY,
        ConsentPurpose::NAME_KEY,
        InterpreterGender::NAME_KEY,
    ]
}

fn round_trips<T: Vocabulary>() {
    for &code in T::ALL {
        assert_eq!(T::parse(code.as_str()), Some(code), "{}: {code:?}", T::NAME);
    }
    let stored: BTreeSet<_> = T::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(stored.len(), T::ALL.len(), "{}: duplicate codes", T::NAME);
    assert!(
        T::ALL.windows(2).all(|pair| pair[0] < pair[1]),
        "{}: Ord must follow ALL",
        T::NAME
    );
    assert_eq!(T::parse(""), None);
    assert_eq!(T::parse("no_such_code"), None);
}

#[test]
fn every_vocabulary_round_trips() {
    round_trips::<Sex>();
    round_trips::<ExploitationType>();
    round_trips::<MeansOfControl>();
    round_trips::<ForcedLabourIndustry>();
    round_trips::<TraffickerRelationship>();
    round_trips::<AgeBracket>();
    round_trips::<CaseOrigin>();
    round_trips::<CaseStatus>();
    round_trips::<NrmStatus>();
    round_trips::<Region>();
    round_trips::<Setting>();
    round_trips::<ReferralSource>();
    round_trips::<LegalStatus>();
    round_trips::<Vulnerability>();
    round_trips::<RecruitmentMethod>();
    round_trips::<ServiceLine>();
    round_trips::<ClosureReason>();
    round_trips::<ConsentPurpose>();
    round_trips::<InterpreterGender>();
}

#[test]
fn vocabulary_sizes_match_codes() {
    assert_eq!(Sex::ALL.len(), 4);
    assert_eq!(ExploitationType::ALL.len(), 9);
    assert_eq!(MeansOfControl::ALL.len(), 17);
    assert_eq!(ForcedLabourIndustry::ALL.len(), 12);
    assert_eq!(TraffickerRelationship::ALL.len(), 5);
    assert_eq!(AgeBracket::ALL.len(), 9);
    assert_eq!(CaseOrigin::ALL.len(), 3);
    assert_eq!(CaseStatus::ALL.len(), 2);
    assert_eq!(NrmStatus::ALL.len(), 5);
    assert_eq!(Region::ALL.len(), 3);
    assert_eq!(Setting::ALL.len(), 3);
    assert_eq!(ReferralSource::ALL.len(), 9);
    assert_eq!(LegalStatus::ALL.len(), 7);
    assert_eq!(Vulnerability::ALL.len(), 5);
    assert_eq!(RecruitmentMethod::ALL.len(), 8);
    assert_eq!(ServiceLine::ALL.len(), 7);
    assert_eq!(ClosureReason::ALL.len(), 6);
    assert_eq!(ConsentPurpose::ALL.len(), 4);
    assert_eq!(InterpreterGender::ALL.len(), 3);
}

#[test]
fn label_keys_follow_pattern() {
    assert_eq!(
        ExploitationType::ForcedLabour.label_key(),
        "vocab-exploitation-type-forced-labour"
    );
    assert_eq!(AgeBracket::From48.label_key(), "vocab-age-bracket-48-plus");
    assert_eq!(AgeBracket::From0To8.as_str(), "0_8");
    assert_eq!(ExploitationType::NAME_KEY, "vocab-exploitation-type");

    for (vocabulary, code, key) in all_codes() {
        let expected = format!("vocab-{vocabulary}-{code}").replace('_', "-");
        assert_eq!(key, expected);
    }
}

#[test]
fn label_keys_exist_in_both_languages() {
    for language in ["el", "en"] {
        let defined = ftl_keys(language);
        for (_, _, key) in all_codes() {
            assert!(
                defined.contains(key),
                "{key} missing in {language}/vocab.ftl"
            );
        }
        for key in name_keys() {
            assert!(
                defined.contains(key),
                "{key} missing in {language}/vocab.ftl"
            );
        }
        for error in DateRuleError::ALL {
            let key = error.message_key();
            assert!(
                defined.contains(key),
                "{key} missing in {language}/vocab.ftl"
            );
        }
    }
}

#[test]
fn vocab_ftl_has_no_stray_vocab_keys() {
    let expected: BTreeSet<String> = all_codes()
        .into_iter()
        .map(|(_, _, key)| key.to_owned())
        .chain(name_keys().into_iter().map(str::to_owned))
        .collect();
    for language in ["el", "en"] {
        let stray: Vec<_> = ftl_keys(language)
            .into_iter()
            .filter(|key| key.starts_with("vocab-") && !expected.contains(key))
            .collect();
        assert!(
            stray.is_empty(),
            "{language}: keys without a code: {stray:?}"
        );
    }
}

#[test]
fn code_set_stores_in_vocabulary_order() {
    let set = CodeSet::<MeansOfControl>::parse_list(
        "withholds_documents;;debt_bondage; threats ;debt_bondage",
    )
    .expect("valid list");
    assert_eq!(set.to_stored(), "debt_bondage;threats;withholds_documents");
    assert_eq!(set.len(), 3);
    assert!(set.contains(MeansOfControl::Threats));
    assert!(!set.contains(MeansOfControl::Other));
    assert_eq!(
        set.iter().collect::<Vec<_>>(),
        [
            MeansOfControl::DebtBondage,
            MeansOfControl::Threats,
            MeansOfControl::WithholdsDocuments
        ]
    );
}

#[test]
fn code_set_empty_list() {
    let set = CodeSet::<Vulnerability>::parse_list("").expect("empty list");
    assert!(set.is_empty());
    assert_eq!(set.to_stored(), "");
    assert_eq!(
        CodeSet::<Vulnerability>::parse_list(" ; ;"),
        Ok(CodeSet::new())
    );
}

#[test]
fn code_set_rejects_unknown_code() {
    let error = CodeSet::<ExploitationType>::parse_list("forced_labour;forced_labor")
        .expect_err("misspelt code");
    assert_eq!(
        error,
        UnknownCode {
            vocabulary: "exploitation_type",
            code: "forced_labor".to_owned()
        }
    );
    assert!(error.to_string().contains("forced_labor"));
    assert!(CodeSet::<ExploitationType>::parse_list("Forced_Labour").is_err());
}

proptest! {
    #[test]
    fn code_set_round_trips(picks in proptest::collection::vec(0..MeansOfControl::ALL.len(), 0..40)) {
        let codes: Vec<MeansOfControl> = picks.iter().map(|&index| MeansOfControl::ALL[index]).collect();
        let input = codes.iter().map(|code| code.as_str()).collect::<Vec<_>>().join(";");

        let parsed = CodeSet::<MeansOfControl>::parse_list(&input).expect("known codes");
        let stored = parsed.to_stored();
        let reparsed = CodeSet::<MeansOfControl>::parse_list(&stored).expect("stored form");

        prop_assert_eq!(&reparsed, &parsed);
        prop_assert_eq!(reparsed.to_stored(), stored.clone());
        let expected: BTreeSet<MeansOfControl> = codes.into_iter().collect();
        prop_assert_eq!(parsed.iter().collect::<BTreeSet<_>>(), expected);
        let in_order: Vec<&str> = MeansOfControl::ALL
            .iter()
            .filter(|code| parsed.contains(**code))
            .map(|code| code.as_str())
            .collect();
        prop_assert_eq!(stored, in_order.join(";"));
    }
}

#[test]
fn case_code_accepts_valid() {
    let code = CaseCode::new("ATH", 2026, 42).expect("valid parts");
    assert_eq!(code.as_str(), "ATH-2026-00042");
    assert_eq!(code.to_string(), "ATH-2026-00042");
    assert_eq!(code.prefix(), "ATH");
    assert_eq!(code.year(), 2026);
    assert_eq!(code.sequence(), 42);

    for text in ["AB-2025-00001", "EKKAGR-2030-99999", "THES-1999-12345"] {
        let parsed = CaseCode::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"));
        assert_eq!(parsed.as_str(), text);
    }
    assert_eq!(CaseCode::parse("ATH-2026-00042"), Ok(code));
}

#[test]
fn case_code_rejects_invalid() {
    let cases = [
        ("", CaseCodeError::Format),
        ("ATH-2026", CaseCodeError::Format),
        ("ATH-2026-00042-1", CaseCodeError::Format),
        ("A-2026-00042", CaseCodeError::Prefix),
        ("ABCDEFG-2026-00042", CaseCodeError::Prefix),
        ("ath-2026-00042", CaseCodeError::Prefix),
        ("ΑΘΗ-2026-00042", CaseCodeError::Prefix),
        ("AT1-2026-00042", CaseCodeError::Prefix),
        ("ATH-26-00042", CaseCodeError::Year),
        ("ATH-0999-00042", CaseCodeError::Year),
        ("ATH-20x6-00042", CaseCodeError::Year),
        ("ATH-2026-42", CaseCodeError::Sequence),
        ("ATH-2026-00000", CaseCodeError::Sequence),
        ("ATH-2026-+0042", CaseCodeError::Sequence),
        ("ATH-2026-000042", CaseCodeError::Sequence),
        (" ATH-2026-00042", CaseCodeError::Prefix),
    ];
    for (text, expected) in cases {
        assert_eq!(CaseCode::parse(text), Err(expected), "{text:?}");
    }
    assert_eq!(CaseCode::new("ATH", 2026, 0), Err(CaseCodeError::Sequence));
    assert_eq!(
        CaseCode::new("ATH", 2026, 100_000),
        Err(CaseCodeError::Sequence)
    );
    assert_eq!(CaseCode::new("ATH", 999, 1), Err(CaseCodeError::Year));
    assert_eq!(CaseCode::new("ATH", 10_000, 1), Err(CaseCodeError::Year));
    assert_eq!(CaseCode::new("A", 2026, 1), Err(CaseCodeError::Prefix));
}

#[test]
fn nrm_transition_table() {
    use NrmStatus::*;

    let allowed = [
        (NotReferred, Referred),
        (Referred, PresumedVictim),
        (Referred, NotIdentified),
        (PresumedVictim, Identified),
        (PresumedVictim, NotIdentified),
    ];
    for &from in NrmStatus::ALL {
        for &to in NrmStatus::ALL {
            assert_eq!(
                can_transition(from, to),
                allowed.contains(&(from, to)),
                "{from:?} -> {to:?}"
            );
        }
    }
}

#[test]
fn nrm_allowed_next() {
    use NrmStatus::*;

    assert_eq!(allowed_next(NotReferred), [Referred]);
    assert_eq!(allowed_next(Referred), [PresumedVictim, NotIdentified]);
    assert_eq!(allowed_next(PresumedVictim), [Identified, NotIdentified]);
    assert!(allowed_next(Identified).is_empty());
    assert!(allowed_next(NotIdentified).is_empty());
}

#[test]
fn nrm_only_coordinator_corrects() {
    use NrmStatus::*;

    assert!(can_correct(Role::Coordinator, Identified, PresumedVictim));
    assert!(can_correct(Role::Coordinator, NotIdentified, NotReferred));
    assert!(!can_correct(Role::Coordinator, Referred, Referred));
    for role in Role::ALL
        .into_iter()
        .filter(|&role| role != Role::Coordinator)
    {
        assert!(!can_correct(role, Identified, PresumedVictim), "{role:?}");
    }
}

#[test]
fn reflection_period_month_ends() {
    assert_eq!(
        reflection_period_end(date(2025, 11, 30), false, false),
        date(2026, 2, 28)
    );
    assert_eq!(
        reflection_period_end(date(2027, 11, 30), false, false),
        date(2028, 2, 29)
    );
    assert_eq!(
        reflection_period_end(date(2026, 5, 31), false, false),
        date(2026, 8, 31)
    );
    assert_eq!(
        reflection_period_end(date(2026, 3, 31), false, false),
        date(2026, 6, 30)
    );
    assert_eq!(
        reflection_period_end(date(2026, 1, 15), false, false),
        date(2026, 4, 15)
    );
}

#[test]
fn reflection_period_minor_extension() {
    let start = date(2026, 1, 15);
    assert_eq!(reflection_period_end(start, true, false), date(2026, 4, 15));
    assert_eq!(reflection_period_end(start, true, true), date(2026, 6, 15));
    assert_eq!(reflection_period_end(start, false, true), date(2026, 4, 15));
    assert_eq!(
        reflection_period_end(date(2025, 9, 30), true, true),
        date(2026, 2, 28)
    );
}

#[test]
fn reminder_due_window() {
    let expiry = date(2026, 6, 30);
    assert!(!reminder_due(expiry, date(2026, 4, 30), 60));
    assert!(reminder_due(expiry, date(2026, 5, 1), 60));
    assert!(reminder_due(expiry, date(2026, 6, 30), 60));
    assert!(!reminder_due(expiry, date(2026, 7, 1), 60));
    assert!(!reminder_due(expiry, date(2026, 5, 30), 30));
    assert!(reminder_due(expiry, date(2026, 5, 31), 30));
    assert!(reminder_due(expiry, expiry, 0));
    assert!(!reminder_due(expiry, expiry, -1));

    assert_eq!(reminder_date(expiry, 60), Some(date(2026, 5, 1)));
    assert_eq!(reminder_date(expiry, 30), Some(date(2026, 5, 31)));
    assert_eq!(reminder_date(expiry, -1), None);
}

fn valid_registration() -> RegistrationDates {
    RegistrationDates {
        birth_date: Some(date(1998, 4, 12)),
        estimated_age: None,
        referral_date: Some(date(2026, 3, 2)),
        opened_on: Some(date(2026, 3, 3)),
        closed_on: None,
    }
}

#[test]
fn date_rules_accept_valid() {
    let today = date(2026, 3, 10);
    assert_eq!(validate_registration(&valid_registration(), today), Ok(()));

    let same_days = RegistrationDates {
        birth_date: Some(today),
        referral_date: Some(today),
        opened_on: Some(today),
        closed_on: Some(today),
        estimated_age: Some(120),
    };
    assert_eq!(validate_registration(&same_days, today), Ok(()));

    let empty = RegistrationDates {
        birth_date: None,
        estimated_age: Some(0),
        referral_date: None,
        opened_on: None,
        closed_on: None,
    };
    assert_eq!(validate_registration(&empty, today), Ok(()));
}

#[test]
fn date_rules_report_each_error() {
    let today = date(2026, 3, 10);
    let cases = [
        (
            RegistrationDates {
                birth_date: Some(date(2026, 3, 11)),
                referral_date: None,
                ..valid_registration()
            },
            vec![DateRuleError::BirthDateInFuture],
        ),
        (
            RegistrationDates {
                birth_date: Some(date(2026, 3, 5)),
                ..valid_registration()
            },
            vec![DateRuleError::BirthDateAfterReferral],
        ),
        (
            RegistrationDates {
                referral_date: Some(date(2026, 3, 11)),
                ..valid_registration()
            },
            vec![DateRuleError::ReferralDateInFuture],
        ),
        (
            RegistrationDates {
                closed_on: Some(date(2026, 3, 2)),
                ..valid_registration()
            },
            vec![DateRuleError::ClosedBeforeOpened],
        ),
        (
            RegistrationDates {
                estimated_age: Some(121),
                ..valid_registration()
            },
            vec![DateRuleError::EstimatedAgeOutOfRange],
        ),
        (
            RegistrationDates {
                birth_date: Some(date(2026, 4, 1)),
                estimated_age: Some(500),
                referral_date: Some(date(2026, 3, 20)),
                opened_on: Some(date(2026, 3, 3)),
                closed_on: Some(date(2026, 3, 1)),
            },
            DateRuleError::ALL.to_vec(),
        ),
    ];
    for (dates, expected) in cases {
        assert_eq!(
            validate_registration(&dates, today),
            Err(expected),
            "{dates:?}"
        );
    }
}

#[test]
fn date_rule_keys() {
    let keys: Vec<_> = DateRuleError::ALL
        .iter()
        .map(|error| error.message_key())
        .collect();
    assert_eq!(
        keys,
        [
            "case-error-birth-date-in-future",
            "case-error-birth-date-after-referral",
            "case-error-referral-date-in-future",
            "case-error-closed-before-opened",
            "case-error-estimated-age-out-of-range",
        ]
    );
}

#[test]
fn age_on_birthdays() {
    let birth = date(2008, 6, 15);
    assert_eq!(age_on(birth, date(2026, 6, 14)), 17);
    assert_eq!(age_on(birth, date(2026, 6, 15)), 18);
    assert!(is_minor_on(birth, date(2026, 6, 14)));
    assert!(!is_minor_on(birth, date(2026, 6, 15)));
    assert_eq!(age_on(birth, date(2000, 1, 1)), 0);

    let leap = date(2008, 2, 29);
    assert_eq!(age_on(leap, date(2026, 2, 28)), 17);
    assert_eq!(age_on(leap, date(2026, 3, 1)), 18);
}

#[test]
fn age_bracket_boundaries() {
    use AgeBracket::*;

    let cases = [
        (0, From0To8),
        (8, From0To8),
        (9, From9To17),
        (17, From9To17),
        (18, From18To20),
        (20, From18To20),
        (21, From21To23),
        (23, From21To23),
        (24, From24To26),
        (26, From24To26),
        (27, From27To29),
        (29, From27To29),
        (30, From30To38),
        (38, From30To38),
        (39, From39To47),
        (47, From39To47),
        (48, From48),
        (120, From48),
    ];
    for (age, bracket) in cases {
        assert_eq!(AgeBracket::for_age(age), bracket, "age {age}");
        assert_eq!(bracket.is_minor(), age < 18, "age {age}");
    }
}

#[test]
fn country_list_complete() {
    let all = countries();
    assert_eq!(all.len(), 249);
    assert!(
        all.windows(2).all(|pair| pair[0].code < pair[1].code),
        "countries.csv must be sorted by code without duplicates"
    );
    for entry in all {
        assert!(
            entry.code.len() == 2 && entry.code.bytes().all(|byte| byte.is_ascii_uppercase()),
            "{entry:?}"
        );
        assert!(
            !entry.name_en.is_empty() && !entry.name_el.is_empty(),
            "{entry:?}"
        );
        assert!(
            entry
                .name_el
                .chars()
                .any(|c| ('\u{0370}'..='\u{03FF}').contains(&c)
                    || ('\u{1F00}'..='\u{1FFF}').contains(&c)),
            "Greek name expected: {entry:?}"
        );
    }

    let greece = country("GR").expect("GR");
    assert_eq!(greece.name_en, "Greece");
    assert_eq!(greece.name(Locale::El), "Ελλάδα");
    assert_eq!(country("UA").map(|entry| entry.name_el), Some("Ουκρανία"));
    assert_eq!(country("NG").map(|entry| entry.name_el), Some("Νιγηρία"));
    assert_eq!(
        country("GB").map(|entry| entry.name_el),
        Some("Ηνωμένο Βασίλειο")
    );
    assert_eq!(country("gr"), None);
    assert_eq!(country("XX"), None);
}

#[test]
fn language_list_covers_interpreting() {
    let required = [
        "el", "en", "fr", "ar", "fa", "prs", "ps", "ur", "pa", "bn", "so", "ti", "am", "uk", "ru",
        "ro", "bg", "sq", "ka", "tr", "ku", "kmr", "ckb", "ln", "sw", "bin", "ig", "yo", "ha",
        "pcm", "es", "pt", "zh", "tl", "hi", "wo", "bm", "ff",
    ];
    for code in required {
        assert!(language(code).is_some(), "language {code} missing");
    }
    let all = languages();
    let unique: BTreeSet<_> = all.iter().map(|entry| entry.code).collect();
    assert_eq!(unique.len(), all.len(), "duplicate language codes");
    for entry in all {
        assert!(
            (2..=3).contains(&entry.code.len())
                && entry.code.bytes().all(|byte| byte.is_ascii_lowercase()),
            "{entry:?}"
        );
        assert!(
            !entry.name_en.is_empty() && !entry.name_el.is_empty(),
            "{entry:?}"
        );
    }
    assert_eq!(
        language("uk").map(|entry| entry.name(Locale::En)),
        Some("Ukrainian")
    );
    assert_eq!(language("UK"), None);
}

#[test]
fn country_list_parses_and_stores() {
    let list = CountryList::parse("UA; NG;;GR;NG").expect("known codes");
    assert_eq!(list.to_stored(), "GR;NG;UA");
    assert!(list.contains("NG"));
    assert!(!list.contains("AF"));
    assert_eq!(
        list.iter().map(|entry| entry.code).collect::<Vec<_>>(),
        ["GR", "NG", "UA"]
    );
    assert!(CountryList::parse("").expect("empty").is_empty());
    assert_eq!(
        CountryList::parse("GR;XK"),
        Err(GeoListError::UnknownCountry("XK".to_owned()))
    );
    assert_eq!(
        CountryList::parse("gr"),
        Err(GeoListError::UnknownCountry("gr".to_owned()))
    );
}

#[test]
fn language_list_parses_and_stores() {
    let list = LanguageList::parse("ur;ar;ckb;ar").expect("known codes");
    assert_eq!(list.to_stored(), "ar;ckb;ur");
    assert!(list.contains("ckb"));
    assert_eq!(
        LanguageList::parse("ar;xx"),
        Err(GeoListError::UnknownLanguage("xx".to_owned()))
    );
}
