//! Countries (ISO 3166-1 alpha-2, upper case) and languages (ISO 639-1, or
//! ISO 639-3 where no two-letter code exists, lower case) with their English
//! and Greek names.
//!
//! Both lists are compiled in from `data/countries.csv` and
//! `data/languages.csv` (columns `code,name_en,name_el`, no quoting, so a
//! name never contains a comma) and parsed once on first use.

use std::sync::OnceLock;

use crate::locale::Locale;

const COUNTRIES_CSV: &str = include_str!("../../data/countries.csv");
const LANGUAGES_CSV: &str = include_str!("../../data/languages.csv");

/// A country or territory with an ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    /// Upper-case alpha-2 code, e.g. `GR`.
    pub code: &'static str,
    /// English short name.
    pub name_en: &'static str,
    /// Greek short name.
    pub name_el: &'static str,
}

impl Country {
    /// Returns the name in `locale`.
    pub fn name(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::El => self.name_el,
            Locale::En => self.name_en,
        }
    }
}

/// A language with an ISO 639-1 code, or an ISO 639-3 code where ISO 639-1
/// has none (e.g. `prs` Dari, `pcm` Nigerian Pidgin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language {
    /// Lower-case code of two or three letters, e.g. `uk`, `ckb`.
    pub code: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Greek name.
    pub name_el: &'static str,
}

impl Language {
    /// Returns the name in `locale`.
    pub fn name(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::El => self.name_el,
            Locale::En => self.name_en,
        }
    }
}

/// Splits one of the compiled-in CSV files into `(code, name_en, name_el)`
/// rows, skipping the header and blank lines. The files are part of the
/// source tree and tested, so a malformed row is a build mistake and panics.
fn csv_rows(csv: &'static str, file: &str) -> impl Iterator<Item = [&'static str; 3]> {
    csv.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(move |line| {
            let fields: Vec<&'static str> = line.split(',').collect();
            match fields[..] {
                [code, name_en, name_el] => [code, name_en, name_el],
                _ => panic!("{file}: expected three fields in {line:?}"),
            }
        })
}

/// Returns every country and territory, sorted by code (249 entries).
pub fn countries() -> &'static [Country] {
    static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        csv_rows(COUNTRIES_CSV, "countries.csv")
            .map(|[code, name_en, name_el]| Country {
                code,
                name_en,
                name_el,
            })
            .collect()
    })
}

/// Returns every language of the list, in the file's order (most used first).
pub fn languages() -> &'static [Language] {
    static LANGUAGES: OnceLock<Vec<Language>> = OnceLock::new();
    LANGUAGES.get_or_init(|| {
        csv_rows(LANGUAGES_CSV, "languages.csv")
            .map(|[code, name_en, name_el]| Language {
                code,
                name_en,
                name_el,
            })
            .collect()
    })
}

/// Looks up a country by its exact upper-case alpha-2 code.
pub fn country(code: &str) -> Option<&'static Country> {
    countries().iter().find(|country| country.code == code)
}

/// Looks up a language by its exact lower-case code.
pub fn language(code: &str) -> Option<&'static Language> {
    languages().iter().find(|language| language.code == code)
}

/// Error of [`CountryList::parse`] and [`LanguageList::parse`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoListError {
    /// A code that is not in the country list; codes are upper case.
    #[error("unknown country code {0:?}")]
    UnknownCountry(String),
    /// A code that is not in the language list; codes are lower case.
    #[error("unknown language code {0:?}")]
    UnknownLanguage(String),
}

/// A set of countries, e.g. the countries of exploitation. Stored as the
/// ';'-joined codes in alphabetical order without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CountryList(Vec<&'static Country>);

impl CountryList {
    /// Parses ';'-separated codes. Whitespace around a code, empty items and
    /// duplicates are ignored.
    ///
    /// # Errors
    ///
    /// [`GeoListError::UnknownCountry`] naming the first unknown code.
    pub fn parse(list: &str) -> Result<CountryList, GeoListError> {
        let mut found = Vec::new();
        for code in list
            .split(';')
            .map(str::trim)
            .filter(|code| !code.is_empty())
        {
            let country =
                country(code).ok_or_else(|| GeoListError::UnknownCountry(code.to_owned()))?;
            found.push(country);
        }
        found.sort_by_key(|country| country.code);
        found.dedup();
        Ok(CountryList(found))
    }

    /// Returns the stored form: codes joined with ';', or `""` when empty.
    pub fn to_stored(&self) -> String {
        join_codes(self.0.iter().map(|country| country.code))
    }

    /// Iterates over the countries in code order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Country> + '_ {
        self.0.iter().copied()
    }

    /// Returns true when the list contains the country with `code`.
    pub fn contains(&self, code: &str) -> bool {
        self.0.iter().any(|country| country.code == code)
    }

    /// Returns true when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A set of languages, e.g. the languages a person speaks. Stored as the
/// ';'-joined codes in alphabetical order without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LanguageList(Vec<&'static Language>);

impl LanguageList {
    /// Parses ';'-separated codes. Whitespace around a code, empty items and
    /// duplicates are ignored.
    ///
    /// # Errors
    ///
    /// [`GeoListError::UnknownLanguage`] naming the first unknown code.
    pub fn parse(list: &str) -> Result<LanguageList, GeoListError> {
        let mut found = Vec::new();
        for code in list
            .split(';')
            .map(str::trim)
            .filter(|code| !code.is_empty())
        {
            let language =
                language(code).ok_or_else(|| GeoListError::UnknownLanguage(code.to_owned()))?;
            found.push(language);
        }
        found.sort_by_key(|language| language.code);
        found.dedup();
        Ok(LanguageList(found))
    }

    /// Returns the stored form: codes joined with ';', or `""` when empty.
    pub fn to_stored(&self) -> String {
        join_codes(self.0.iter().map(|language| language.code))
    }

    /// Iterates over the languages in code order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Language> + '_ {
        self.0.iter().copied()
    }

    /// Returns true when the list contains the language with `code`.
    pub fn contains(&self, code: &str) -> bool {
        self.0.iter().any(|language| language.code == code)
    }

    /// Returns true when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn join_codes(codes: impl Iterator<Item = &'static str>) -> String {
    codes.collect::<Vec<_>>().join(";")
}
