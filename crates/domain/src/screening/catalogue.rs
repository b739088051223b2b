//! The four indicator lists, parsed once from `data/ilo-indicators.csv`, which
//! is compiled into the binary.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use super::{AgeGroup, Dimension, ExploitationForm, Strength};

const DATA: &str = include_str!("../../data/ilo-indicators.csv");

/// The column names the data file must start with.
pub(crate) const HEADER: &str = "id,strength,verified,label_en,label_el";

const FIELD_COUNT: usize = 5;

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    parse_catalogue(DATA)
        .unwrap_or_else(|error| panic!("the built-in ILO indicator data is invalid: {error}"))
});

/// One indicator as graded in one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable identifier, `<list>.<dimension>.<key>`, for example
    /// `adult_labour.deceptive_recruitment.about_nature_of_job`. Stored with
    /// a screening, so it never changes once released.
    pub id: String,
    pub dimension: Dimension,
    pub strength: Strength,
    pub label_en: String,
    pub label_el: String,
    /// Whether this row's grade has been checked against the publication.
    /// The rows sourced so far come from a secondary transcription.
    pub verified_against_publication: bool,
}

/// The indicators for one age group and one form of exploitation, in the
/// order of the data file (grouped by dimension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorList {
    age: AgeGroup,
    form: ExploitationForm,
    indicators: Vec<Indicator>,
}

impl IndicatorList {
    pub fn age(&self) -> AgeGroup {
        self.age
    }

    pub fn form(&self) -> ExploitationForm {
        self.form
    }

    /// Returns the stable list identifier that starts every indicator id of
    /// the list, for example `adult_labour`.
    pub fn key(&self) -> &'static str {
        list_key(self.age, self.form)
    }

    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Iterates over the indicators of one dimension, in data file order.
    pub fn in_dimension(&self, dimension: Dimension) -> impl Iterator<Item = &Indicator> {
        self.indicators
            .iter()
            .filter(move |indicator| indicator.dimension == dimension)
    }

    /// Looks an indicator up by its full id. Returns `None` when this list has
    /// no indicator with that id, which includes every id of another list.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|indicator| indicator.id == id)
    }

    /// False while the list has no indicators, because its source could not
    /// be obtained. Such a list cannot be screened.
    pub fn is_available(&self) -> bool {
        !self.indicators.is_empty()
    }

    /// True when the list has indicators and every grade has been checked
    /// against the publication.
    pub fn is_verified(&self) -> bool {
        self.is_available()
            && self
                .indicators
                .iter()
                .all(|indicator| indicator.verified_against_publication)
    }
}

/// Returns the built-in list for an age group and a form of exploitation.
/// The list may be empty: check [`IndicatorList::is_available`].
pub fn indicator_list(age: AgeGroup, form: ExploitationForm) -> &'static IndicatorList {
    CATALOGUE.list(age, form)
}

pub(crate) fn list_key(age: AgeGroup, form: ExploitationForm) -> &'static str {
    match (age, form) {
        (AgeGroup::Adult, ExploitationForm::Labour) => "adult_labour",
        (AgeGroup::Adult, ExploitationForm::Sexual) => "adult_sexual",
        (AgeGroup::Child, ExploitationForm::Labour) => "child_labour",
        (AgeGroup::Child, ExploitationForm::Sexual) => "child_sexual",
    }
}

fn parse_list_key(value: &str) -> Option<(AgeGroup, ExploitationForm)> {
    let (age, form) = value.split_once('_')?;
    Some((AgeGroup::parse(age)?, ExploitationForm::parse(form)?))
}

/// All four lists, in the order adult labour, adult sexual, child labour,
/// child sexual.
#[derive(Debug)]
pub(crate) struct Catalogue {
    lists: [IndicatorList; 4],
}

impl Catalogue {
    pub(crate) fn list(&self, age: AgeGroup, form: ExploitationForm) -> &IndicatorList {
        &self.lists[list_index(age, form)]
    }
}

/// Returns the position of a list in [`Catalogue::lists`].
fn list_index(age: AgeGroup, form: ExploitationForm) -> usize {
    match (age, form) {
        (AgeGroup::Adult, ExploitationForm::Labour) => 0,
        (AgeGroup::Adult, ExploitationForm::Sexual) => 1,
        (AgeGroup::Child, ExploitationForm::Labour) => 2,
        (AgeGroup::Child, ExploitationForm::Sexual) => 3,
    }
}

/// Defect in the indicator data file. `line` counts from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DataError {
    #[error("the data file has no header line; expected `{HEADER}`")]
    MissingHeader,
    #[error("line {line}: invalid header; expected `{HEADER}`")]
    InvalidHeader { line: usize },
    #[error("line {line}: unterminated or misplaced double quote")]
    InvalidQuoting { line: usize },
    #[error("line {line}: expected {FIELD_COUNT} fields, found {found}")]
    WrongFieldCount { line: usize, found: usize },
    #[error(
        "line {line}: invalid indicator id `{id}`; expected <list>.<dimension>.<key> in lower-case snake_case"
    )]
    InvalidId { line: usize, id: String },
    #[error("line {line}: duplicate indicator id `{id}`")]
    DuplicateId { line: usize, id: String },
    #[error("line {line}: invalid strength `{value}`; expected strong, medium or weak")]
    InvalidStrength { line: usize, value: String },
    #[error("line {line}: invalid verified flag `{value}`; expected yes or no")]
    InvalidVerifiedFlag { line: usize, value: String },
    #[error("line {line}: the {column} label is empty")]
    EmptyLabel { line: usize, column: &'static str },
}

/// Parses the whole data file. Lists with no rows come out empty.
pub(crate) fn parse_catalogue(text: &str) -> Result<Catalogue, DataError> {
    let mut lists = [
        empty_list(AgeGroup::Adult, ExploitationForm::Labour),
        empty_list(AgeGroup::Adult, ExploitationForm::Sexual),
        empty_list(AgeGroup::Child, ExploitationForm::Labour),
        empty_list(AgeGroup::Child, ExploitationForm::Sexual),
    ];
    let mut seen_ids = BTreeSet::new();
    let mut header_seen = false;

    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if !header_seen {
            if raw != HEADER {
                return Err(DataError::InvalidHeader { line });
            }
            header_seen = true;
            continue;
        }

        let (age, form, indicator) = parse_row(raw, line)?;
        if !seen_ids.insert(indicator.id.clone()) {
            return Err(DataError::DuplicateId {
                line,
                id: indicator.id,
            });
        }
        lists[list_index(age, form)].indicators.push(indicator);
    }

    if !header_seen {
        return Err(DataError::MissingHeader);
    }
    Ok(Catalogue { lists })
}

fn empty_list(age: AgeGroup, form: ExploitationForm) -> IndicatorList {
    IndicatorList {
        age,
        form,
        indicators: Vec::new(),
    }
}

fn parse_row(raw: &str, line: usize) -> Result<(AgeGroup, ExploitationForm, Indicator), DataError> {
    let fields = split_fields(raw).ok_or(DataError::InvalidQuoting { line })?;
    let [id, strength, verified, label_en, label_el]: [String; FIELD_COUNT] = fields
        .try_into()
        .map_err(|fields: Vec<String>| DataError::WrongFieldCount {
            line,
            found: fields.len(),
        })?;

    let (age, form, dimension) = parse_id(&id).ok_or_else(|| DataError::InvalidId {
        line,
        id: id.clone(),
    })?;
    let strength = Strength::parse(&strength).ok_or_else(|| DataError::InvalidStrength {
        line,
        value: strength.clone(),
    })?;
    let verified_against_publication = match verified.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(DataError::InvalidVerifiedFlag {
                line,
                value: verified,
            });
        }
    };
    if label_en.trim().is_empty() {
        return Err(DataError::EmptyLabel {
            line,
            column: "label_en",
        });
    }
    if label_el.trim().is_empty() {
        return Err(DataError::EmptyLabel {
            line,
            column: "label_el",
        });
    }

    let indicator = Indicator {
        id,
        dimension,
        strength,
        label_en,
        label_el,
        verified_against_publication,
    };
    Ok((age, form, indicator))
}

/// Splits `<list>.<dimension>.<key>` and checks each part.
fn parse_id(id: &str) -> Option<(AgeGroup, ExploitationForm, Dimension)> {
    let mut parts = id.split('.');
    let (list, dimension, key) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_snake_case(key) {
        return None;
    }
    let (age, form) = parse_list_key(list)?;
    Some((age, form, Dimension::parse(dimension)?))
}

fn is_snake_case(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits one line into comma-separated fields. A field wrapped in double
/// quotes may contain commas, and `""` inside it stands for one double quote.
/// Returns `None` for an unterminated quote, a quote inside an unquoted field,
/// or text after a closing quote.
pub(crate) fn split_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();

    loop {
        let mut field = String::new();

        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    other => field.push(other),
                }
            }
            fields.push(field);
            match chars.next() {
                None => return Some(fields),
                Some(',') => continue,
                Some(_) => return None,
            }
        }

        loop {
            match chars.next() {
                None => {
                    fields.push(field);
                    return Some(fields);
                }
                Some(',') => {
                    fields.push(field);
                    break;
                }
                Some('"') => return None,
                Some(other) => field.push(other),
            }
        }
    }
}
