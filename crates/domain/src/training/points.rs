//! Points awarded for answers, kept as a whole number of hundredths of a
//! point so that sums are exact, partial credit rounds the same way on every
//! machine, and the value fits an integer database column.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use serde::{Deserialize, Serialize};

/// A non-negative number of points with two decimal places. The type has no
/// negative values, so no total can go below zero.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Points(u32);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Builds a value of `points` whole points, saturating at the largest
    /// value (about 42.9 million points).
    pub const fn whole(points: u32) -> Points {
        Points(points.saturating_mul(100))
    }

    /// Builds a value from hundredths of a point, the stored form.
    pub const fn from_hundredths(hundredths: u32) -> Points {
        Points(hundredths)
    }

    /// Returns the stored form: hundredths of a point.
    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// Returns `numerator / denominator` of these points, rounded down to a
    /// hundredth. A zero denominator or a numerator of zero gives zero, and a
    /// numerator above the denominator is capped at the whole value.
    pub fn fraction(self, numerator: u64, denominator: u64) -> Points {
        if denominator == 0 {
            return Points::ZERO;
        }
        let numerator = numerator.min(denominator);
        let scaled = u64::from(self.0) * numerator / denominator;
        // `scaled` is at most `self.0` because numerator <= denominator.
        Points(u32::try_from(scaled).unwrap_or(self.0))
    }

    /// Returns the sum, saturating at the largest value instead of wrapping.
    pub fn saturating_add(self, other: Points) -> Points {
        Points(self.0.saturating_add(other.0))
    }

    /// Returns `self` as a percentage of `max`, or `None` when `max` is zero.
    /// Meant for display; decisions such as the pass mark compare integers.
    pub fn percent_of(self, max: Points) -> Option<f64> {
        if max.0 == 0 {
            None
        } else {
            Some(f64::from(self.0) * 100.0 / f64::from(max.0))
        }
    }
}

impl Add for Points {
    type Output = Points;

    fn add(self, other: Points) -> Points {
        self.saturating_add(other)
    }
}

impl Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Points::saturating_add)
    }
}

impl fmt::Display for Points {
    /// Writes the value with two decimals and a point, e.g. `1.50`. Pages
    /// format numbers per locale themselves.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fraction_rounds_down_to_a_hundredth() {
        assert_eq!(Points::whole(1).fraction(1, 3), Points::from_hundredths(33));
        assert_eq!(
            Points::whole(2).fraction(2, 3),
            Points::from_hundredths(133)
        );
        assert_eq!(Points::whole(1).fraction(0, 3), Points::ZERO);
        assert_eq!(Points::whole(1).fraction(1, 0), Points::ZERO);
        assert_eq!(Points::whole(1).fraction(5, 3), Points::whole(1));
    }

    #[test]
    fn display_has_two_decimals() {
        assert_eq!(Points::from_hundredths(150).to_string(), "1.50");
        assert_eq!(Points::from_hundredths(7).to_string(), "0.07");
        assert_eq!(Points::whole(12).to_string(), "12.00");
    }

    #[test]
    fn percent_of_zero_max_is_none() {
        assert_eq!(Points::whole(1).percent_of(Points::ZERO), None);
        assert_eq!(Points::whole(1).percent_of(Points::whole(4)), Some(25.0));
    }

    proptest! {
        #[test]
        fn fraction_never_exceeds_the_whole(
            hundredths in 0u32..1_000_000,
            numerator in 0u64..1000,
            denominator in 0u64..1000,
        ) {
            let points = Points::from_hundredths(hundredths);
            prop_assert!(points.fraction(numerator, denominator) <= points);
        }
    }
}
