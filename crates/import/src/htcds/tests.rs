use chrono::NaiveDate;
use procap_domain::case::dates::DateRuleError;
use procap_domain::case::vocab::{
    AgeBracket, ClosureReason, ExploitationType, ForcedLabourIndustry, LegalStatus, MeansOfControl,
    NrmStatus, RecruitmentMethod, ReferralSource, Region, Setting, Sex, TraffickerRelationship,
};
use proptest::prelude::*;

use super::*;

const SAMPLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/htcds_sample.csv");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn parse(text: &str) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    parse_htcds(text.as_bytes(), today())
}

fn errors_of(text: &str) -> Vec<HtcdsError> {
    match parse(text) {
        Ok(records) => panic!("accepted {} records", records.len()),
        Err(errors) => errors,
    }
}

const HEADER: &str = "prs_FirstName,prs_SecondName,prs_Birthdate,prs_Gender,prs_Citizenship,\
                      cas_IncomingReferralDate,vic_TypeOfExploitation";

fn file(rows: &[&str]) -> String {
    let mut text = HEADER.to_owned();
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text
}

#[test]
fn sample_parses_completely() {
    let bytes = std::fs::read(SAMPLE_PATH).unwrap();
    let records = parse_htcds(bytes.as_slice(), today()).unwrap();
    assert_eq!(records.len(), 6);

    let esi = &records[0];
    assert_eq!(esi.line, 2);
    assert_eq!(esi.given_name, "Esi");
    assert_eq!(esi.family_name.as_deref(), Some("Quartey"));
    assert_eq!(esi.sex, Sex::Female);
    assert_eq!(esi.citizenships, "GH");
    assert_eq!(esi.document_numbers, vec!["FX-100201".to_owned()]);
    assert_eq!(esi.contact.as_deref(), Some("+30 6900000101\nAthens"));
    assert_eq!(esi.nrm_status, NrmStatus::PresumedVictim);
    assert_eq!(esi.age_bracket, Some(AgeBracket::From24To26));
    assert!(!esi.is_minor);
    assert_eq!(esi.region, Region::Attica);
    assert_eq!(esi.setting, Setting::HostingFacility);
    assert_eq!(esi.legal_status, LegalStatus::AsylumSeeker);
    assert_eq!(esi.referral_source, ReferralSource::Ngo);
    assert_eq!(esi.countries_exploitation, "GR");
    assert_eq!(
        esi.means_of_control.to_stored(),
        "debt_bondage;withholds_documents"
    );
    assert!(esi.closure.is_none());

    let mariam = &records[1];
    assert!(mariam.is_minor, "17 on the referral date");
    assert_eq!(mariam.age_bracket, Some(AgeBracket::From9To17));
    assert_eq!(mariam.exploitation_types.to_stored(), "forced_labour");
    assert_eq!(
        mariam.forced_labour_industry,
        Some(ForcedLabourIndustry::DomesticWork)
    );
    assert_eq!(
        mariam.recruitment_method,
        Some(RecruitmentMethod::FamilyArrangement)
    );
    assert_eq!(
        mariam.trafficker_relationship,
        Some(TraffickerRelationship::Family)
    );
    assert_eq!(mariam.countries_recruitment, "AF");
    assert_eq!(mariam.countries_exploitation, "");

    let tarek = &records[2];
    assert_eq!(tarek.given_name, "Tarek Sami");
    assert_eq!(tarek.citizenships, "LB;SY");
    assert_eq!(tarek.languages, "ar;en");
    assert_eq!(tarek.nrm_status, NrmStatus::Identified);
    assert_eq!(
        tarek.closure,
        Some((
            NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            ClosureReason::AssistanceCompleted
        ))
    );
    assert_eq!(
        tarek.referring_contact.as_deref(),
        Some("Fictional labour inspection office")
    );

    let olena = &records[3];
    assert_eq!(
        olena.closure.map(|(_, reason)| reason),
        Some(ClosureReason::ReferredElsewhere)
    );
    assert_eq!(olena.countries_transit, "PL");

    let chinedu = &records[4];
    assert_eq!(chinedu.birth_date, None);
    assert_eq!(chinedu.age_bracket, None);
    assert_eq!(chinedu.nrm_status, NrmStatus::PresumedVictim);

    let leyla = &records[5];
    assert_eq!(leyla.sex, Sex::Other);
    assert_eq!(
        leyla.gender_identity.as_deref(),
        Some("TransgenderFeminine")
    );
    assert_eq!(leyla.countries_exploitation, "GR;TR");
    assert!(leyla.means_of_control.contains(MeansOfControl::Other));
}

#[test]
fn minimal_file_uses_defaults() {
    let records = parse("prs_FirstName,cas_IncomingReferralDate\nAnna,2026-01-02\n").unwrap();
    let record = &records[0];
    assert_eq!(record.sex, Sex::Unknown);
    assert_eq!(record.region, Region::Other);
    assert_eq!(record.setting, Setting::Unknown);
    assert_eq!(record.legal_status, LegalStatus::Other);
    assert_eq!(record.referral_source, ReferralSource::Other);
    assert_eq!(record.nrm_status, NrmStatus::NotReferred);
    assert!(record.exploitation_types.is_empty());
    assert!(record.contact.is_none());
}

#[test]
fn error_names_line_and_column() {
    let errors = errors_of(&file(&[
        "Anna,Test,1990-01-01,Feminine,GR,2026-01-02,ForcedLabour",
        "Bea,Test,1991-02-02,Feminine,GR,2026-01-02,ForcedLabour",
        "Cleo,Test,1992-13-40,Feminine,GR,2026-01-02,ForcedLabour",
    ]));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 4);
    assert_eq!(errors[0].column, "prs_Birthdate");
    assert_eq!(
        errors[0].problem,
        Problem::InvalidDate {
            value: "1992-13-40".to_owned()
        }
    );
}

#[test]
fn every_bad_cell_of_a_row_is_reported() {
    let errors = errors_of(&file(&[",Test,12/01/1990,Female,XX,,Kidnapping"]));
    let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(
        columns,
        [
            "prs_FirstName",
            "prs_Birthdate",
            "prs_Gender",
            "prs_Citizenship",
            "cas_IncomingReferralDate",
            "vic_TypeOfExploitation"
        ]
    );
    assert_eq!(errors[0].problem, Problem::Required);
    assert!(matches!(
        &errors[2].problem,
        Problem::UnknownCode { value, allowed } if value == "Female" && allowed.contains("Feminine")
    ));
    assert_eq!(
        errors[3].problem,
        Problem::UnknownCountry {
            value: "XX".to_owned()
        }
    );
}

#[test]
fn impossible_dates_are_refused() {
    let errors = errors_of(&file(&[
        "Anna,Test,2026-03-01,Feminine,GR,2026-01-02,",
        "Bea,Test,1990-01-01,Feminine,GR,2027-01-02,",
    ]));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        (
            errors[0].line,
            errors[0].column.as_str(),
            &errors[0].problem
        ),
        (
            2,
            "prs_Birthdate",
            &Problem::DateRule(DateRuleError::BirthDateAfterReferral)
        )
    );
    assert_eq!(
        (
            errors[1].line,
            errors[1].column.as_str(),
            &errors[1].problem
        ),
        (
            3,
            "cas_IncomingReferralDate",
            &Problem::DateRule(DateRuleError::ReferralDateInFuture)
        )
    );
}

#[test]
fn closure_rules() {
    let header = "prs_FirstName,cas_IncomingReferralDate,cas_Status,procap_ClosedOn";
    let closed_before = format!("{header}\nAnna,2026-01-02,Closed,2025-12-31\n");
    let errors = errors_of(&closed_before);
    assert_eq!(errors[0].column, "procap_ClosedOn");
    assert_eq!(
        errors[0].problem,
        Problem::DateRule(DateRuleError::ClosedBeforeOpened)
    );

    let no_date = format!("{header}\nAnna,2026-01-02,Closed,\n");
    assert_eq!(errors_of(&no_date)[0].problem, Problem::ClosureDateMissing);

    let open_with_date = format!("{header}\nAnna,2026-01-02,Active,2026-02-01\n");
    assert_eq!(
        errors_of(&open_with_date)[0].problem,
        Problem::ClosureOnOpenCase
    );
}

#[test]
fn header_problems_are_on_line_one() {
    let errors = errors_of("prs_Firstname,prs_FirstName,prs_FirstName,Notes\nA,B,C,D\n");
    let found: Vec<(u64, &str, &Problem)> = errors
        .iter()
        .map(|e| (e.line, e.column.as_str(), &e.problem))
        .collect();
    assert_eq!(
        found,
        [
            (1, "prs_Firstname", &Problem::UnknownField),
            (1, "prs_FirstName", &Problem::DuplicateColumn),
            (1, "cas_IncomingReferralDate", &Problem::MissingColumn),
        ]
    );
}

#[test]
fn header_errors_are_capped() {
    // Found by the htcds_csv fuzz target: 240 unknown columns gave 240
    // errors, over the documented cap.
    let header: Vec<String> = (0..MAX_HTCDS_ERRORS + 50)
        .map(|index| format!("prs_Unknown{index}"))
        .collect();
    let errors = errors_of(&format!("{}\nA\n", header.join(",")));
    assert_eq!(errors.len(), MAX_HTCDS_ERRORS);
    assert_eq!(errors[0].column, "prs_Unknown0");
    assert_eq!(errors[0].problem, Problem::UnknownField);
}

#[test]
fn aliases_from_iom_templates_are_accepted() {
    let text = "prs_First_Name,cas_IncomingReferralDate,vic_Methods_of_Control,\
                vic_TraffickinStatusDecisionMakingOrg\nAnna,2026-01-02,DebtBondage,Police\n";
    let records = parse(text).unwrap();
    assert_eq!(records[0].given_name, "Anna");
    assert!(
        records[0]
            .means_of_control
            .contains(MeansOfControl::DebtBondage)
    );
}

#[test]
fn empty_and_header_only_files_are_refused() {
    assert_eq!(errors_of("")[0].problem, Problem::EmptyFile);
    assert_eq!(errors_of(&file(&[]))[0].problem, Problem::NoRows);
}

#[test]
fn short_row_is_refused() {
    let errors = errors_of(&file(&["Anna,Test"]));
    assert_eq!(
        errors[0].problem,
        Problem::FieldCount {
            found: 2,
            expected: 7
        }
    );
    assert_eq!(errors[0].column, "");
}

#[test]
fn unknown_language_and_long_text_are_refused() {
    let text = format!(
        "prs_FirstName,cas_IncomingReferralDate,prs_PrimaryLanguage\n{},2026-01-02,xx\n",
        "A".repeat(201)
    );
    let errors = errors_of(&text);
    assert_eq!(errors[0].problem, Problem::TooLong { max: 200 });
    assert_eq!(
        errors[1].problem,
        Problem::UnknownLanguage {
            value: "xx".to_owned()
        }
    );
}

#[test]
fn errors_stop_at_the_limit() {
    let rows: Vec<String> = (0..MAX_HTCDS_ERRORS + 50)
        .map(|_| "Anna,Test,bad,Feminine,GR,2026-01-02,".to_owned())
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    assert_eq!(errors_of(&file(&rows)).len(), MAX_HTCDS_ERRORS);
}

#[test]
fn shipped_field_list_has_every_field() {
    let names = htcds_field_names();
    assert_eq!(names.len(), 83, "84 fields, one without a prefixed name");
    for name in [
        "prs_FirstName",
        "vic_MethodsOfControl",
        "cas_Status",
        "hte_Country",
    ] {
        assert!(names.contains(name), "{name}");
    }
}

#[test]
fn progress_counts_rows() {
    let mut seen = Vec::new();
    let text = file(&[
        "Anna,Test,1990-01-01,Feminine,GR,2026-01-02,",
        "Bea,Test,1990-01-01,Masculine,GR,2026-01-02,",
    ]);
    parse_htcds_with_progress(text.as_bytes(), today(), |done| seen.push(done)).unwrap();
    assert_eq!(seen, [1, 2]);
}

#[test]
fn debug_output_hides_personal_data() {
    let records = parse("prs_FirstName,cas_IncomingReferralDate\nZenobia,2026-01-02\n").unwrap();
    assert!(!format!("{records:?}").contains("Zenobia"));
}

#[test]
fn every_problem_has_a_message_key() {
    let problems = [
        Problem::EmptyFile,
        Problem::NoRows,
        Problem::Unreadable,
        Problem::MissingColumn,
        Problem::DuplicateColumn,
        Problem::UnknownField,
        Problem::Required,
        Problem::ClosureDateMissing,
        Problem::ClosureOnOpenCase,
    ];
    for problem in problems {
        assert!(problem.message_key().starts_with("import-error-"));
    }
    assert_eq!(
        Problem::DateRule(DateRuleError::BirthDateInFuture).message_key(),
        "case-error-birth-date-in-future"
    );
}

proptest! {
    /// Any text in any cell either parses or yields errors with a line in
    /// the file; it never panics.
    #[test]
    fn arbitrary_cells_never_panic(cells in proptest::collection::vec("[ -~]{0,12}", 7)) {
        let row = cells
            .iter()
            .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(",");
        if let Err(errors) = parse(&file(&[&row])) {
            prop_assert!(errors.iter().all(|error| error.line <= 2));
        }
    }

    /// Valid birth dates on or before the referral date always parse, and
    /// the minor flag agrees with the age bracket.
    #[test]
    fn valid_dates_parse(days_before in 0i64..40_000) {
        let referral = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let birth = referral - chrono::Duration::days(days_before);
        let text = format!(
            "prs_FirstName,prs_Birthdate,cas_IncomingReferralDate\nAnna,{birth},{referral}\n"
        );
        let records = parse(&text).unwrap();
        let bracket = records[0].age_bracket.unwrap();
        prop_assert_eq!(records[0].is_minor, bracket.is_minor());
    }
}

#[test]
fn exploitation_codes_map_into_the_vocabulary() {
    let records = parse(
        "prs_FirstName,cas_IncomingReferralDate,vic_TypeOfExploitation\n\
         Anna,2026-01-02,servitude organremoval SURROGACY\n",
    )
    .unwrap();
    assert_eq!(
        records[0].exploitation_types.iter().collect::<Vec<_>>(),
        [
            ExploitationType::OrganRemoval,
            ExploitationType::SlaveryPractices,
            ExploitationType::Other
        ]
    );
}

#[test]
fn several_event_types_pair_with_countries() {
    let text = "prs_FirstName,cas_IncomingReferralDate,hte_Type,hte_Country\n\
                Ana,2025-01-02,Recruitment;Exploitation;Exploitation,NG;GR;IT\n";
    let records = parse(text).unwrap();
    assert_eq!(records[0].countries_recruitment, "NG");
    assert!(records[0].countries_transit.is_empty());
    assert!(records[0].countries_exploitation.contains("GR"));
    assert!(records[0].countries_exploitation.contains("IT"));
}

#[test]
fn unpaired_event_types_are_rejected() {
    let text = "prs_FirstName,cas_IncomingReferralDate,hte_Type,hte_Country\n\
                Ana,2025-01-02,Recruitment;Exploitation,NG;GR;IT\n";
    let errors = errors_of(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].problem,
        Problem::EventCount {
            types: 2,
            countries: 3
        }
    );
}

#[test]
fn formula_guard_and_procap_columns_read_back() {
    let text = "prs_FirstName,cas_IncomingReferralDate,procap_Contact,procap_AgeBracket,procap_CaseCode\n\
                Ana,2025-01-02,'+30 6900000000,9_17,KA-2025-00001\n";
    let records = parse(text).unwrap();
    assert_eq!(records[0].contact.as_deref(), Some("+30 6900000000"));
    assert_eq!(records[0].age_bracket, Some(AgeBracket::From9To17));
    assert!(records[0].is_minor);
}

#[test]
fn archive_without_case_file_is_rejected() {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file(
            names::PERSONS_FILE,
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    std::io::Write::write_all(&mut writer, b"procap_CaseCode,prs_FirstName\nKA-1,Ana\n").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let errors = parse_htcds_bytes(&bytes, today()).unwrap_err();
    assert_eq!(errors[0].problem, Problem::MissingFile);
    assert_eq!(errors[0].column, names::CASES_FILE);
}

#[test]
fn archive_rows_join_by_case_code() {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let files: [(&str, &str); 3] = [
        (
            names::CASES_FILE,
            "procap_CaseCode,cas_Status,cas_IncomingReferralDate\nKA-2,Active,2025-02-01\nKA-1,Active,2025-01-01\n",
        ),
        (
            names::PERSONS_FILE,
            "\u{feff}procap_CaseCode,prs_FirstName,prs_Gender\nKA-1,Ana,Feminine\nKA-2,Bo,Masculine\n",
        ),
        (
            names::EVENTS_FILE,
            "procap_CaseCode,hte_Type,hte_Country\nKA-1,Recruitment,NG\nKA-1,Exploitation,GR\n",
        ),
    ];
    for (name, text) in files {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, text.as_bytes()).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    let records = parse_htcds_bytes(&bytes, today()).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].given_name, "Bo");
    assert_eq!(records[0].sex, Sex::Male);
    assert_eq!(records[1].given_name, "Ana");
    assert_eq!(records[1].countries_recruitment, "NG");
    assert_eq!(records[1].countries_exploitation, "GR");
}
