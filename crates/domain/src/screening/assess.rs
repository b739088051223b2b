//! The screening rule: count the indicators present in each dimension, decide
//! which dimensions are positive, and combine them for an adult or a child.

use std::collections::BTreeSet;

use serde::Serialize;

use super::catalogue::{IndicatorList, indicator_list, list_key};
use super::{AgeGroup, Dimension, ExploitationForm, Strength};

/// Decides whether one dimension is positive from the number of indicators
/// of each strength present in it. The rule is the publication's: at least
/// 2 strong, or 1 strong plus 1 medium or weak, or 3 medium, or 2 medium
/// plus 1 weak. Weak indicators alone, or one medium with any number of weak
/// ones, are never enough.
pub fn dimension_positive(strong: usize, medium: usize, weak: usize) -> bool {
    strong >= 2 || (strong >= 1 && medium + weak >= 1) || medium >= 3 || (medium >= 2 && weak >= 1)
}

/// The indicators a caseworker recorded as present for one person, checked
/// against the list for their age group and form of exploitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningInput {
    age: AgeGroup,
    form: ExploitationForm,
    present: BTreeSet<String>,
}

/// Rejection of a screening input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreeningError {
    #[error("unknown indicator id `{id}` for the list `{list}`")]
    UnknownIndicator { id: String, list: &'static str },
    #[error(
        "the indicator list `{list}` has no indicators yet, so it cannot be used for screening"
    )]
    ListUnavailable { list: &'static str },
}

impl ScreeningInput {
    /// Builds an input from indicator ids. Repeated ids count once.
    ///
    /// # Errors
    ///
    /// [`ScreeningError::ListUnavailable`] when the list for `age` and `form`
    /// has no indicators; [`ScreeningError::UnknownIndicator`] for the first
    /// id that is not in that list, including an id from another list.
    pub fn parse<I>(
        age: AgeGroup,
        form: ExploitationForm,
        ids: I,
    ) -> Result<ScreeningInput, ScreeningError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let list = indicator_list(age, form);
        if !list.is_available() {
            return Err(ScreeningError::ListUnavailable { list: list.key() });
        }

        let mut present = BTreeSet::new();
        for id in ids {
            let id = id.as_ref();
            if list.indicator(id).is_none() {
                return Err(ScreeningError::UnknownIndicator {
                    id: id.to_owned(),
                    list: list.key(),
                });
            }
            present.insert(id.to_owned());
        }

        Ok(ScreeningInput { age, form, present })
    }

    pub fn age(&self) -> AgeGroup {
        self.age
    }

    pub fn form(&self) -> ExploitationForm {
        self.form
    }

    /// Returns the ids of the indicators recorded as present, sorted.
    pub fn present(&self) -> &BTreeSet<String> {
        &self.present
    }

    /// Returns the stable identifier of the list this input uses, for example
    /// `child_labour`.
    pub fn list_key(&self) -> &'static str {
        list_key(self.age, self.form)
    }
}

/// The tally for one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionResult {
    pub dimension: Dimension,
    pub positive: bool,
    pub strong: usize,
    pub medium: usize,
    pub weak: usize,
    /// The present indicators of this dimension, in list order.
    pub indicator_ids: Vec<String>,
}

/// Screening guidance for one person. `trafficking_indicated` means the
/// indicators meet the publication's combination for the age group; it is
/// not an identification, which only the public prosecutor makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningResult {
    pub age: AgeGroup,
    pub form: ExploitationForm,
    pub trafficking_indicated: bool,
    /// At least one of the three recruitment dimensions is positive.
    pub recruitment_positive: bool,
    /// The exploitative conditions dimension is positive.
    pub exploitation_positive: bool,
    /// At least one of the two destination dimensions is positive. The child
    /// combination does not use it.
    pub destination_positive: bool,
    /// All six dimensions, in [`Dimension::ALL`] order.
    pub dimensions: Vec<DimensionResult>,
    /// Whether every grade of the list used has been checked against the
    /// publication. The interface should show that the grades are
    /// provisional when it is false.
    pub list_verified: bool,
}

impl ScreeningResult {
    /// Returns the tally for one dimension. The result is `None` only if
    /// `dimensions` was edited after [`assess`] built it.
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionResult> {
        self.dimensions
            .iter()
            .find(|result| result.dimension == dimension)
    }
}

/// Applies the screening rule to an input.
///
/// Adult: a recruitment dimension (deceptive, coercive or by abuse of
/// vulnerability) AND exploitative conditions AND a destination dimension
/// (coercion or abuse of vulnerability at destination) must be positive.
/// Child: the means at destination are not required, so a recruitment
/// dimension AND exploitative conditions suffice.
pub fn assess(input: &ScreeningInput) -> ScreeningResult {
    let list = indicator_list(input.age, input.form);
    let dimensions: Vec<DimensionResult> = Dimension::ALL
        .into_iter()
        .map(|dimension| tally(list, dimension, &input.present))
        .collect();

    let any_positive = |selects: fn(Dimension) -> bool| {
        dimensions
            .iter()
            .any(|result| selects(result.dimension) && result.positive)
    };
    let recruitment_positive = any_positive(Dimension::is_recruitment);
    let exploitation_positive =
        any_positive(|dimension| dimension == Dimension::ExploitativeConditions);
    let destination_positive = any_positive(Dimension::is_destination);

    // NOTE: the child combination could not be checked against the
    // publication's own wording (see data/ILO-INDICATORS.md).
    let trafficking_indicated = match input.age {
        AgeGroup::Adult => recruitment_positive && exploitation_positive && destination_positive,
        AgeGroup::Child => recruitment_positive && exploitation_positive,
    };

    ScreeningResult {
        age: input.age,
        form: input.form,
        trafficking_indicated,
        recruitment_positive,
        exploitation_positive,
        destination_positive,
        dimensions,
        list_verified: list.is_verified(),
    }
}

fn tally(
    list: &IndicatorList,
    dimension: Dimension,
    present: &BTreeSet<String>,
) -> DimensionResult {
    let mut result = DimensionResult {
        dimension,
        positive: false,
        strong: 0,
        medium: 0,
        weak: 0,
        indicator_ids: Vec::new(),
    };

    for indicator in list.in_dimension(dimension) {
        if !present.contains(&indicator.id) {
            continue;
        }
        match indicator.strength {
            Strength::Strong => result.strong += 1,
            Strength::Medium => result.medium += 1,
            Strength::Weak => result.weak += 1,
        }
        result.indicator_ids.push(indicator.id.clone());
    }

    result.positive = dimension_positive(result.strong, result.medium, result.weak);
    result
}
