//! k-anonymity for record-level releases.
//!
//! A release is k-anonymous when every combination of quasi-identifier
//! values it shows is shared by at least k records. [`anonymise`] reaches
//! that by full-domain generalisation (one level per attribute for all
//! records, see [`super::hierarchy`]) and then by leaving out the records
//! that are still in groups smaller than k.
//!
//! It tries every combination of levels (384 of them) and keeps the one
//! with the lowest information loss among those that leave out at most the
//! allowed share of records. Information loss is the average, over records
//! and attributes, of the share of recorded detail a released value hides.
//! A recorded value hides 0, and "*" or a left-out record hides 1. A value
//! covering `c` of the `d` distinct recorded values in the data hides
//! (c - 1) / (d - 1), so a region holding 3 of the 12 countries in the data
//! hides 2/11.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

use super::hierarchy::{
    GeneralisedRecord, Levels, QuasiIdentifiers, generalise, generalise_age,
    generalise_citizenship, generalise_exploitation, generalise_sex, generalise_year,
};

/// The k used for published record-level releases.
pub const DEFAULT_K: usize = 11;

/// The share of records that may be left out, by default.
pub const DEFAULT_MAX_SUPPRESSED_SHARE: f64 = 0.05;

/// Error of [`KAnonymityRule::new`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// k must be at least 1.
    #[error("k must be at least 1")]
    KTooSmall,
    /// The share must be a number from 0 to 1.
    #[error("the share of records left out must be from 0 to 1, not {0}")]
    ShareOutOfRange(f64),
}

/// The strictness of a release: the group size and the share of records
/// that may be left out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KAnonymityRule {
    k: usize,
    max_suppressed_share: f64,
}

impl KAnonymityRule {
    /// A rule with group size `k` that may leave out at most
    /// `max_suppressed_share` (0 to 1) of the records to avoid generalising
    /// further.
    ///
    /// # Errors
    ///
    /// [`RuleError::KTooSmall`] for k = 0; [`RuleError::ShareOutOfRange`] for
    /// a share outside 0 to 1 or not a number.
    pub fn new(k: usize, max_suppressed_share: f64) -> Result<KAnonymityRule, RuleError> {
        if k == 0 {
            return Err(RuleError::KTooSmall);
        }
        if !(0.0..=1.0).contains(&max_suppressed_share) {
            return Err(RuleError::ShareOutOfRange(max_suppressed_share));
        }
        Ok(KAnonymityRule {
            k,
            max_suppressed_share,
        })
    }

    /// The minimum group size.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The share of records that may be left out.
    pub fn max_suppressed_share(&self) -> f64 {
        self.max_suppressed_share
    }

    /// Returns the maximum number of records that may be left out of `total`.
    pub fn max_suppressed(&self, total: usize) -> usize {
        // Exact for any realistic count, because f64 represents every integer
        // up to 2^53.
        (self.max_suppressed_share * total as f64).floor() as usize
    }
}

impl Default for KAnonymityRule {
    /// k = 11, at most 5 % left out.
    fn default() -> KAnonymityRule {
        KAnonymityRule {
            k: DEFAULT_K,
            max_suppressed_share: DEFAULT_MAX_SUPPRESSED_SHARE,
        }
    }
}

/// One released record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ReleasedRecord {
    /// Position of the record in the input, so the caller can attach the
    /// attributes that are not quasi-identifiers.
    pub index: usize,
    /// The generalised quasi-identifiers.
    pub values: GeneralisedRecord,
}

/// The outcome of [`anonymise`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// The levels applied to every record.
    pub levels: Levels,
    /// Released records, in input order.
    pub records: Vec<ReleasedRecord>,
    /// Input positions of the records left out, in input order.
    pub suppressed: Vec<usize>,
    /// Information loss from 0 (nothing hidden) to 1 (nothing shown).
    pub information_loss: f64,
    /// False when no combination of levels kept the records left out within
    /// the allowed share; this happens only when there are fewer than k
    /// records, and then every record is left out.
    pub within_budget: bool,
}

impl Release {
    /// Number of records left out.
    pub fn suppressed_count(&self) -> usize {
        self.suppressed.len()
    }
}

/// Returns true when every distinct value in `records` occurs at least `k`
/// times. An empty set is k-anonymous. Runs in O(n) expected time.
pub fn is_k_anonymous<T: Hash + Eq>(records: &[T], k: usize) -> bool {
    let mut sizes: HashMap<&T, usize> = HashMap::with_capacity(records.len() / k.max(1) + 1);
    for record in records {
        *sizes.entry(record).or_insert(0) += 1;
    }
    sizes.values().all(|&size| size >= k)
}

/// Generalises and suppresses `records` into a k-anonymous release with the
/// least information loss allowed by `rule` (see the module documentation).
/// Every input record is either released or listed as suppressed.
///
/// Ties are broken by fewer records left out, then by fewer generalisation
/// steps, then by the lower levels in the order sex, age, citizenship,
/// exploitation, year, so the result does not depend on hashing.
pub fn anonymise(records: &[QuasiIdentifiers], rule: &KAnonymityRule) -> Release {
    let total = records.len();
    let budget = rule.max_suppressed(total);
    let coded = CodedRecords::new(records);

    let mut best: Option<Candidate> = None;
    for levels in Levels::all() {
        let candidate = coded.evaluate(levels, rule.k);
        let better = match &best {
            None => true,
            Some(current) => candidate.rank(budget) < current.rank(budget),
        };
        if better {
            best = Some(candidate);
        }
    }
    let best = best.expect("the lattice is never empty");

    let mut released = Vec::with_capacity(total - best.suppressed.len());
    let mut suppressed = Vec::with_capacity(best.suppressed.len());
    for (index, record) in records.iter().enumerate() {
        if best.suppressed.get(index).copied().unwrap_or(false) {
            suppressed.push(index);
        } else {
            released.push(ReleasedRecord {
                index,
                values: generalise(record, best.levels),
            });
        }
    }
    Release {
        levels: best.levels,
        records: released,
        information_loss: best.loss,
        within_budget: suppressed.len() <= budget,
        suppressed,
    }
}

/// The outcome of one combination of levels.
struct Candidate {
    levels: Levels,
    /// Per input record: true when left out.
    suppressed: Vec<bool>,
    suppressed_count: usize,
    loss: f64,
}

impl Candidate {
    /// Sort key: within budget first, then lowest loss, fewest left out,
    /// fewest steps, lowest levels.
    fn rank(&self, budget: usize) -> (bool, LossKey, usize, u32, Levels) {
        let over_budget = self.suppressed_count > budget;
        let loss = if over_budget {
            // Over budget, the fewest left out matter most.
            LossKey(self.suppressed_count as f64)
        } else {
            LossKey(self.loss)
        };
        (
            over_budget,
            loss,
            self.suppressed_count,
            self.levels.height(),
            self.levels,
        )
    }
}

/// A loss that orders totally; losses are finite and never NaN.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LossKey(f64);

impl Eq for LossKey {}

impl PartialOrd for LossKey {
    fn partial_cmp(&self, other: &LossKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for LossKey {
    fn cmp(&self, other: &LossKey) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Number of quasi-identifiers.
const ATTRIBUTES: usize = 5;

/// One attribute at one level: a small id per record and the loss of each
/// id.
struct Coded {
    ids: Vec<u32>,
    loss: Vec<f64>,
}

/// Every record's values at every level of every attribute, as ids, so that
/// each combination of levels is evaluated by sorting integers.
struct CodedRecords {
    total: usize,
    /// `attributes[a][level]`.
    attributes: [Vec<Coded>; ATTRIBUTES],
}

impl CodedRecords {
    fn new(records: &[QuasiIdentifiers]) -> CodedRecords {
        let top = Levels::TOP;
        CodedRecords {
            total: records.len(),
            attributes: [
                code_levels(records, top.sex, |record, level| {
                    generalise_sex(record.sex, level)
                }),
                code_levels(records, top.age, |record, level| {
                    generalise_age(record.age, level)
                }),
                code_levels(records, top.citizenship, |record, level| {
                    generalise_citizenship(record.citizenship.as_deref(), level)
                }),
                code_levels(records, top.exploitation, |record, level| {
                    generalise_exploitation(&record.exploitation, level)
                }),
                code_levels(records, top.year, |record, level| {
                    generalise_year(record.year, level)
                }),
            ],
        }
    }

    fn evaluate(&self, levels: Levels, k: usize) -> Candidate {
        let chosen: [&Coded; ATTRIBUTES] = [
            &self.attributes[0][usize::from(levels.sex)],
            &self.attributes[1][usize::from(levels.age)],
            &self.attributes[2][usize::from(levels.citizenship)],
            &self.attributes[3][usize::from(levels.exploitation)],
            &self.attributes[4][usize::from(levels.year)],
        ];

        let mut keyed: Vec<([u32; ATTRIBUTES], u32)> = (0..self.total)
            .map(|index| {
                let key = chosen.map(|coded| coded.ids[index]);
                (key, index as u32)
            })
            .collect();
        keyed.sort_unstable();

        let mut suppressed = vec![false; self.total];
        let mut suppressed_count = 0;
        let mut kept_loss = 0.0;
        for group in keyed.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < k {
                suppressed_count += group.len();
                for &(_, index) in group {
                    suppressed[index as usize] = true;
                }
            } else {
                let key = group[0].0;
                let per_record: f64 = chosen
                    .iter()
                    .zip(key)
                    .map(|(coded, id)| coded.loss[id as usize])
                    .sum();
                kept_loss += per_record * group.len() as f64;
            }
        }

        let loss = if self.total == 0 {
            0.0
        } else {
            let cells = (self.total * ATTRIBUTES) as f64;
            (kept_loss + (suppressed_count * ATTRIBUTES) as f64) / cells
        };
        Candidate {
            levels,
            suppressed,
            suppressed_count,
            loss,
        }
    }
}

/// Codes one attribute at levels 0 to `top`. The loss of a value is the
/// share of the distinct level-0 values in the data it covers:
/// (covered - 1) / (distinct - 1), or 0 when the data has one value.
fn code_levels<V: Hash + Eq>(
    records: &[QuasiIdentifiers],
    top: u8,
    value_at: impl Fn(&QuasiIdentifiers, u8) -> V,
) -> Vec<Coded> {
    let base = intern(records.iter().map(|record| value_at(record, 0)));
    let distinct_base = base.distinct;

    (0..=top)
        .map(|level| {
            let interned = if level == 0 {
                Interned {
                    ids: base.ids.clone(),
                    distinct: base.distinct,
                }
            } else {
                intern(records.iter().map(|record| value_at(record, level)))
            };

            let mut pairs: Vec<(u32, u32)> = interned
                .ids
                .iter()
                .copied()
                .zip(base.ids.iter().copied())
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            let mut covered = vec![0usize; interned.distinct];
            for (id, _) in pairs {
                covered[id as usize] += 1;
            }
            let loss = covered
                .iter()
                .map(|&count| {
                    if distinct_base <= 1 {
                        0.0
                    } else {
                        (count - 1) as f64 / (distinct_base - 1) as f64
                    }
                })
                .collect();
            Coded {
                ids: interned.ids,
                loss,
            }
        })
        .collect()
}

struct Interned {
    ids: Vec<u32>,
    distinct: usize,
}

/// Gives each distinct value an id from 0, in order of first appearance.
fn intern<V: Hash + Eq>(values: impl Iterator<Item = V>) -> Interned {
    let mut seen: HashMap<V, u32> = HashMap::new();
    let ids = values
        .map(|value| {
            let next = seen.len() as u32;
            *seen.entry(value).or_insert(next)
        })
        .collect();
    Interned {
        distinct: seen.len(),
        ids,
    }
}
