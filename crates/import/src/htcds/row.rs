//! Checking and mapping one HTCDS data row. Each reader records an error
//! and returns `None` when its value is invalid, so one pass over a row
//! reports every invalid cell.

use chrono::NaiveDate;
use procap_domain::case::age::age_on;
use procap_domain::case::dates::{RegistrationDates, validate_registration};
use procap_domain::case::geo;
use procap_domain::case::vocab::{
    AgeBracket, ClosureReason, CodeSet, LegalStatus, NrmStatus, ReferralSource, Region, Setting,
    Sex, Vocabulary,
};

use super::fields::{self, EventType, allowed, lookup};
use super::{Header, HtcdsError, HtcdsRecord, Problem};

/// Longest accepted name, identity number or other one-line value.
const MAX_LINE_CHARS: usize = 200;
/// Longest accepted free text (referral details).
const MAX_TEXT_CHARS: usize = 5_000;

/// Every column the reader looks at, by standard name.
pub(super) const READ_COLUMNS: [&str; 39] = [
    fields::FIRST_NAME,
    fields::MIDDLE_NAME,
    fields::SECOND_NAME,
    fields::BIRTHDATE,
    fields::GENDER,
    fields::CITIZENSHIP,
    fields::PRIMARY_LANGUAGE,
    fields::SECONDARY_LANGUAGE,
    fields::IDENTITY_NUMBER,
    fields::CONTACT_COLUMNS[0],
    fields::CONTACT_COLUMNS[1],
    fields::CONTACT_COLUMNS[2],
    fields::CONTACT_COLUMNS[3],
    fields::CONTACT_COLUMNS[4],
    fields::CONTACT_COLUMNS[5],
    fields::CONTACT_COLUMNS[6],
    fields::CONTACT_COLUMNS[7],
    fields::TRAFFICKING_STATUS,
    fields::TYPE_OF_EXPLOITATION,
    fields::METHODS_OF_CONTROL,
    fields::FORCED_LABOUR_INDUSTRY,
    fields::RELATIONSHIP_TO_TRAFFICKER,
    fields::METHOD_OF_RECRUITMENT,
    fields::CASE_STATUS,
    fields::REFERRAL_DATE,
    fields::REFERRING_ORGANISATION,
    fields::REFERRING_CASE_WORKER,
    fields::REFERRAL_REASON,
    fields::REFERRAL_DETAILS,
    fields::EVENT_COUNTRY,
    fields::EVENT_TYPE,
    fields::REGION,
    fields::SETTING,
    fields::LEGAL_STATUS,
    fields::REFERRAL_SOURCE,
    fields::CLOSED_ON,
    fields::CLOSURE_REASON,
    fields::CONTACT,
    fields::AGE_BRACKET,
];

pub(super) struct Row<'a> {
    fields: &'a csv::StringRecord,
    header: &'a Header,
    line: u64,
    today: NaiveDate,
    errors: Vec<HtcdsError>,
}

/// Removes the apostrophe a spreadsheet export puts before a cell that
/// would otherwise read as a formula (`'+30 …`, `'-`), so such files read
/// back as they were written.
fn without_formula_guard(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

/// Splits a multi-valued cell on `;`, `,` and whitespace.
fn split_values(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| c == ';' || c == ',' || c.is_whitespace())
        .filter(|item| !item.is_empty())
}

impl<'a> Row<'a> {
    pub(super) fn new(
        fields: &'a csv::StringRecord,
        header: &'a Header,
        line: u64,
        today: NaiveDate,
    ) -> Self {
        Self {
            fields,
            header,
            line,
            today,
            errors: Vec::new(),
        }
    }

    /// Checks every cell of the row and maps it, or returns every error
    /// found in the row.
    pub(super) fn parse(mut self) -> Result<HtcdsRecord, Vec<HtcdsError>> {
        match self.map() {
            Some(record) if self.errors.is_empty() => Ok(record),
            _ => {
                // Report the row's errors from left to right, as the file reads.
                let header = self.header;
                self.errors.sort_by_key(|error| {
                    header
                        .positions
                        .values()
                        .find(|(_, raw)| *raw == error.column)
                        .map_or(0, |(position, _)| position + 1)
                });
                Err(self.errors)
            }
        }
    }

    fn map(&mut self) -> Option<HtcdsRecord> {
        if self.fields.len() != self.header.width {
            let problem = Problem::FieldCount {
                found: self.fields.len(),
                expected: self.header.width,
            };
            self.reject_row(problem);
            return None;
        }

        let first_name = self.required_line(fields::FIRST_NAME);
        let middle_name = self.line_text(fields::MIDDLE_NAME);
        let family_name = self.line_text(fields::SECOND_NAME);
        let birth_date = self.date(fields::BIRTHDATE);
        let stated_bracket = self.procap_code_opt::<AgeBracket>(fields::AGE_BRACKET);
        let (sex, gender_identity) = self.gender();
        let citizenships = self.countries(&[fields::CITIZENSHIP]);
        let languages = self.languages();
        let document = self.line_text(fields::IDENTITY_NUMBER);
        let contact = self.contact();
        let nrm_status = self
            .code(fields::TRAFFICKING_STATUS, &fields::TRAFFICKING)
            .map(|status| status.unwrap_or(NrmStatus::NotReferred));
        let exploitation_types = self.code_set(fields::TYPE_OF_EXPLOITATION, &fields::EXPLOITATION);
        let means_of_control = self.code_set(fields::METHODS_OF_CONTROL, &fields::CONTROL);
        let forced_labour_industry = self.code(fields::FORCED_LABOUR_INDUSTRY, &fields::INDUSTRY);
        let trafficker_relationship =
            self.code(fields::RELATIONSHIP_TO_TRAFFICKER, &fields::RELATIONSHIP);
        let recruitment_method =
            self.first_code(fields::METHOD_OF_RECRUITMENT, &fields::RECRUITMENT);
        let closed = self.code(fields::CASE_STATUS, &fields::CASE_STATUSES);
        let referred_on = self.required_date(fields::REFERRAL_DATE);
        let referring_organisation = self.line_text(fields::REFERRING_ORGANISATION);
        let referring_worker = self.line_text(fields::REFERRING_CASE_WORKER);
        let reason_known = self.referral_reason();
        let referral_details = self.text(fields::REFERRAL_DETAILS, MAX_TEXT_CHARS);
        let event_countries = self.event_countries();
        let region = self.procap_code::<Region>(fields::REGION, Region::Other);
        let setting = self.procap_code::<Setting>(fields::SETTING, Setting::Unknown);
        let legal_status =
            self.procap_code::<LegalStatus>(fields::LEGAL_STATUS, LegalStatus::Other);
        let referral_source =
            self.procap_code::<ReferralSource>(fields::REFERRAL_SOURCE, ReferralSource::Other);
        let closure = self.closure(closed);

        let (
            Some(first_name),
            Some(middle_name),
            Some(family_name),
            Some(birth_date),
            Some(citizenships),
            Some(languages),
            Some(document),
            Some(contact),
            Some(nrm_status),
            Some(exploitation_types),
            Some(means_of_control),
            Some(forced_labour_industry),
            Some(trafficker_relationship),
            Some(recruitment_method),
            Some(referred_on),
            Some(referring_organisation),
            Some(referring_worker),
            Some(()),
            Some(referral_details),
            Some(event_countries),
            Some(region),
            Some(setting),
            Some(legal_status),
            Some(referral_source),
            Some(closure),
            Some(stated_bracket),
        ) = (
            first_name,
            middle_name,
            family_name,
            birth_date,
            citizenships,
            languages,
            document,
            contact,
            nrm_status,
            exploitation_types,
            means_of_control,
            forced_labour_industry,
            trafficker_relationship,
            recruitment_method,
            referred_on,
            referring_organisation,
            referring_worker,
            reason_known,
            referral_details,
            event_countries,
            region,
            setting,
            legal_status,
            referral_source,
            closure,
            stated_bracket,
        )
        else {
            return None;
        };
        let (sex, gender_identity) = (sex?, gender_identity);

        let dates = RegistrationDates {
            birth_date,
            estimated_age: None,
            referral_date: Some(referred_on),
            opened_on: Some(referred_on),
            closed_on: closure.map(|(closed_on, _)| closed_on),
        };
        if let Err(broken) = validate_registration(&dates, self.today) {
            for rule in broken {
                let column = match rule {
                    procap_domain::case::dates::DateRuleError::ReferralDateInFuture => {
                        fields::REFERRAL_DATE
                    }
                    procap_domain::case::dates::DateRuleError::ClosedBeforeOpened => {
                        fields::CLOSED_ON
                    }
                    _ => fields::BIRTHDATE,
                };
                self.reject(column, Problem::DateRule(rule));
            }
            return None;
        }

        let age = birth_date.map(|birth| age_on(birth, referred_on));
        let given_name = match middle_name {
            Some(middle) => format!("{first_name} {middle}"),
            None => first_name,
        };
        let referring_contact = [referring_organisation, referring_worker]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        let (recruitment, transit, exploitation) = event_countries;
        Some(HtcdsRecord {
            line: self.line,
            given_name,
            family_name,
            birth_date,
            document_numbers: document.into_iter().collect(),
            contact,
            sex,
            gender_identity,
            citizenships,
            languages,
            legal_status,
            age_bracket: age.map(AgeBracket::for_age).or(stated_bracket),
            is_minor: match age {
                Some(age) => age < procap_domain::case::age::AGE_OF_MAJORITY,
                None => matches!(
                    stated_bracket,
                    Some(AgeBracket::From0To8 | AgeBracket::From9To17)
                ),
            },
            region,
            setting,
            exploitation_types,
            means_of_control,
            forced_labour_industry,
            recruitment_method,
            trafficker_relationship,
            countries_recruitment: recruitment,
            countries_transit: transit,
            countries_exploitation: exploitation,
            nrm_status,
            referral_source,
            referred_on,
            referring_contact: (!referring_contact.is_empty()).then_some(referring_contact),
            referral_details,
            closure,
        })
    }

    // --- Cells ------------------------------------------------------------

    /// The column's name as the file writes it.
    fn column_name(&self, column: &'static str) -> String {
        self.header
            .positions
            .get(column)
            .map_or_else(|| column.to_owned(), |(_, raw)| raw.clone())
    }

    fn reject(&mut self, column: &'static str, problem: Problem) {
        let name = self.column_name(column);
        self.errors.push(HtcdsError::new(self.line, &name, problem));
    }

    fn reject_row(&mut self, problem: Problem) {
        self.errors.push(HtcdsError::new(self.line, "", problem));
    }

    /// The trimmed cell, or `None` when the column is absent or the cell
    /// is empty.
    fn value(&self, column: &'static str) -> Option<&'a str> {
        let (position, _) = self.header.positions.get(column)?;
        let fields: &'a csv::StringRecord = self.fields;
        fields
            .get(*position)
            .map(str::trim)
            .map(without_formula_guard)
            .filter(|value| !value.is_empty())
    }

    /// Optional text of at most `max` characters: `Some(None)` when empty,
    /// `None` when too long.
    fn text(&mut self, column: &'static str, max: usize) -> Option<Option<String>> {
        match self.value(column) {
            None => Some(None),
            Some(value) if value.chars().count() > max => {
                self.reject(column, Problem::TooLong { max });
                None
            }
            Some(value) => Some(Some(value.to_owned())),
        }
    }

    fn line_text(&mut self, column: &'static str) -> Option<Option<String>> {
        self.text(column, MAX_LINE_CHARS)
    }

    fn required_line(&mut self, column: &'static str) -> Option<String> {
        match self.line_text(column)? {
            Some(value) => Some(value),
            None => {
                self.reject(column, Problem::Required);
                None
            }
        }
    }

    /// Optional `YYYY-MM-DD` date: `Some(None)` when empty.
    fn date(&mut self, column: &'static str) -> Option<Option<NaiveDate>> {
        let Some(value) = self.value(column) else {
            return Some(None);
        };
        let well_formed = value.len() == 10
            && value.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) if well_formed => Some(Some(date)),
            _ => {
                let problem = Problem::InvalidDate {
                    value: value.to_owned(),
                };
                self.reject(column, problem);
                None
            }
        }
    }

    fn required_date(&mut self, column: &'static str) -> Option<NaiveDate> {
        match self.date(column)? {
            Some(date) => Some(date),
            None => {
                self.reject(column, Problem::Required);
                None
            }
        }
    }

    /// Optional picklist value: `Some(None)` when empty.
    fn code<T: Copy>(&mut self, column: &'static str, table: &[(&str, T)]) -> Option<Option<T>> {
        let Some(value) = self.value(column) else {
            return Some(None);
        };
        match lookup(table, value) {
            Some(code) => Some(Some(code)),
            None => {
                self.unknown_code(column, value, allowed(table));
                None
            }
        }
    }

    fn unknown_code(&mut self, column: &'static str, value: &str, allowed: String) {
        let problem = Problem::UnknownCode {
            value: value.to_owned(),
            allowed,
        };
        self.reject(column, problem);
    }

    /// Every value of a multi-valued picklist cell, each checked.
    fn codes<T: Copy>(&mut self, column: &'static str, table: &[(&str, T)]) -> Option<Vec<T>> {
        let Some(value) = self.value(column) else {
            return Some(Vec::new());
        };
        let mut codes = Vec::new();
        for item in split_values(value) {
            match lookup(table, item) {
                Some(code) => codes.push(code),
                None => {
                    self.unknown_code(column, item, allowed(table));
                    return None;
                }
            }
        }
        Some(codes)
    }

    fn code_set<T: Vocabulary>(
        &mut self,
        column: &'static str,
        table: &[(&str, T)],
    ) -> Option<CodeSet<T>> {
        self.codes(column, table)
            .map(|codes| codes.into_iter().collect())
    }

    /// The code of the first value of a multi-valued cell, all checked.
    fn first_code<T: Copy>(
        &mut self,
        column: &'static str,
        table: &[(&str, T)],
    ) -> Option<Option<T>> {
        self.codes(column, table)
            .map(|codes| codes.first().copied())
    }

    /// A Procap code column, `default` when empty.
    fn procap_code<T: Vocabulary>(&mut self, column: &'static str, default: T) -> Option<T> {
        let Some(value) = self.value(column) else {
            return Some(default);
        };
        match T::parse(&value.to_ascii_lowercase()) {
            Some(code) => Some(code),
            None => {
                let allowed = T::ALL
                    .iter()
                    .map(|code| code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.unknown_code(column, value, allowed);
                None
            }
        }
    }

    fn gender(&mut self) -> (Option<Sex>, Option<String>) {
        let Some(value) = self.value(fields::GENDER) else {
            return (Some(Sex::Unknown), None);
        };
        let found = fields::GENDERS
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(value));
        match found {
            Some((name, sex, keep)) => (Sex::parse(sex), keep.then(|| (*name).to_owned())),
            None => {
                let allowed = fields::GENDERS
                    .iter()
                    .map(|(name, _, _)| *name)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.unknown_code(fields::GENDER, value, allowed);
                (None, None)
            }
        }
    }

    /// The stored country list of the ISO 3166-1 alpha-2 codes in `columns`.
    fn countries(&mut self, columns: &[&'static str]) -> Option<String> {
        let mut codes = Vec::new();
        for &column in columns {
            let Some(value) = self.value(column) else {
                continue;
            };
            for item in split_values(value) {
                let code = item.to_ascii_uppercase();
                if geo::country(&code).is_none() {
                    let problem = Problem::UnknownCountry {
                        value: item.to_owned(),
                    };
                    self.reject(column, problem);
                    return None;
                }
                codes.push(code);
            }
        }
        geo::CountryList::parse(&codes.join(";"))
            .ok()
            .map(|list| list.to_stored())
    }

    fn languages(&mut self) -> Option<String> {
        let mut codes = Vec::new();
        let mut valid = true;
        for column in [fields::PRIMARY_LANGUAGE, fields::SECONDARY_LANGUAGE] {
            let Some(value) = self.value(column) else {
                continue;
            };
            for item in split_values(value) {
                let code = item.to_ascii_lowercase();
                if geo::language(&code).is_none() {
                    let problem = Problem::UnknownLanguage {
                        value: item.to_owned(),
                    };
                    self.reject(column, problem);
                    valid = false;
                    break;
                }
                codes.push(code);
            }
        }
        if !valid {
            return None;
        }
        geo::LanguageList::parse(&codes.join(";"))
            .ok()
            .map(|list| list.to_stored())
    }

    fn contact(&mut self) -> Option<Option<String>> {
        let mut parts = Vec::new();
        let mut valid = true;
        for column in fields::CONTACT_COLUMNS {
            match self.line_text(column) {
                Some(Some(value)) => parts.push(value),
                Some(None) => {}
                None => valid = false,
            }
        }
        match self.text(fields::CONTACT, MAX_TEXT_CHARS) {
            Some(Some(value)) => parts.push(value),
            Some(None) => {}
            None => valid = false,
        }
        if !valid {
            return None;
        }
        Some((!parts.is_empty()).then(|| parts.join("\n")))
    }

    fn referral_reason(&mut self) -> Option<()> {
        let Some(value) = self.value(fields::REFERRAL_REASON) else {
            return Some(());
        };
        if fields::REFERRAL_REASONS
            .iter()
            .any(|reason| reason.eq_ignore_ascii_case(value))
        {
            Some(())
        } else {
            let allowed = fields::REFERRAL_REASONS.join(", ");
            self.unknown_code(fields::REFERRAL_REASON, value, allowed);
            None
        }
    }

    /// `hte_Country` as the countries of recruitment, transit or
    /// exploitation according to `hte_Type` (exploitation when empty). One
    /// type applies to every country; several types pair with the
    /// countries in order (`Recruitment;Exploitation` with `NG;GR`), as an
    /// archive's event rows are joined.
    fn event_countries(&mut self) -> Option<(String, String, String)> {
        let kinds = self.codes(fields::EVENT_TYPE, &fields::EVENT_TYPES)?;
        if kinds.len() <= 1 {
            let countries = self.countries(&[fields::EVENT_COUNTRY])?;
            let kind = kinds.first().copied();
            return Some(match kind.unwrap_or(EventType::Exploitation) {
                EventType::Recruitment => (countries, String::new(), String::new()),
                EventType::Transit => (String::new(), countries, String::new()),
                EventType::Exploitation => (String::new(), String::new(), countries),
            });
        }
        let countries: Vec<String> = self
            .value(fields::EVENT_COUNTRY)
            .map(|value| split_values(value).map(str::to_ascii_uppercase).collect())
            .unwrap_or_default();
        if countries.len() != kinds.len() {
            let problem = Problem::EventCount {
                types: kinds.len(),
                countries: countries.len(),
            };
            self.reject(fields::EVENT_COUNTRY, problem);
            return None;
        }
        let mut lists: [Vec<&str>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (kind, code) in kinds.iter().zip(&countries) {
            if geo::country(code).is_none() {
                let problem = Problem::UnknownCountry {
                    value: code.clone(),
                };
                self.reject(fields::EVENT_COUNTRY, problem);
                return None;
            }
            let slot = match kind {
                EventType::Recruitment => 0,
                EventType::Transit => 1,
                EventType::Exploitation => 2,
            };
            lists[slot].push(code);
        }
        let stored = |codes: &[&str]| {
            geo::CountryList::parse(&codes.join(";"))
                .map(|list| list.to_stored())
                .unwrap_or_default()
        };
        Some((stored(&lists[0]), stored(&lists[1]), stored(&lists[2])))
    }

    /// The closure date and reason: required for a closed case, refused
    /// for an open one. A reason left empty is `other`, or `referred
    /// elsewhere` for `ClosedReferred`.
    fn closure(
        &mut self,
        closed: Option<Option<bool>>,
    ) -> Option<Option<(NaiveDate, ClosureReason)>> {
        let closed_on = self.date(fields::CLOSED_ON)?;
        let reason = self.procap_code_opt::<ClosureReason>(fields::CLOSURE_REASON)?;
        let closed = closed?;
        match (closed, closed_on) {
            (Some(true), Some(date)) => {
                let referred = self
                    .value(fields::CASE_STATUS)
                    .is_some_and(|value| value.eq_ignore_ascii_case("ClosedReferred"));
                let default = if referred {
                    ClosureReason::ReferredElsewhere
                } else {
                    ClosureReason::Other
                };
                Some(Some((date, reason.unwrap_or(default))))
            }
            (Some(true), None) => {
                self.reject(fields::CLOSED_ON, Problem::ClosureDateMissing);
                None
            }
            (_, Some(_)) => {
                self.reject(fields::CLOSED_ON, Problem::ClosureOnOpenCase);
                None
            }
            (_, None) if reason.is_some() => {
                self.reject(fields::CLOSURE_REASON, Problem::ClosureOnOpenCase);
                None
            }
            (_, None) => Some(None),
        }
    }

    fn procap_code_opt<T: Vocabulary>(&mut self, column: &'static str) -> Option<Option<T>> {
        if self.value(column).is_none() {
            return Some(None);
        }
        // The default is never used: the cell is not empty.
        self.procap_code(column, T::ALL[0]).map(Some)
    }
}
