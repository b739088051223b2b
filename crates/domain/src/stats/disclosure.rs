//! The reader's side of a published table: which hidden values follow from
//! what is shown.
//!
//! The hidden values are unknowns of a system of linear equations (one per
//! row, column and total sum), each with a range from its marker. A hidden
//! value is disclosed when it is the same in every whole-number solution.
//! [`disclosed`] looks for that in two ways and repeats both until nothing
//! changes:
//!
//! - Gaussian elimination brings the equations to reduced row echelon form.
//!   A row with a single unknown fixes it, and the other rows are sums that
//!   the reader can derive by adding and subtracting lines, such as
//!   `b + c + e = 4` from three lines that each hold other unknowns.
//! - Interval narrowing runs on the original and the derived equations: each
//!   unknown's range shrinks to what the other unknowns' ranges leave.
//!
//! Both steps are sound, so a value reported as disclosed really is, but
//! together they are not complete: chained sums over small ranges can pin a
//! value that neither step pins (a 3 × 3 example is in the tests). So a
//! third step searches whole-number solutions exactly: it finds one
//! solution, then for each hidden value asks whether another solution gives
//! it a different value. The search splits ranges in halves and narrows
//! after each split. Where it cannot finish within [`SEARCH_BUDGET`] steps
//! it counts the value as disclosed, so the caller hides more rather than
//! less. A range that narrowing left without an upper end is never pinned.

/// The reader's knowledge of one position before using any sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    /// The published value.
    Value(u64),
    /// A hidden value in `lo..=hi`, or `lo` and over when `hi` is `None`.
    Range { lo: u64, hi: Option<u64> },
}

/// A linear equation over the unknowns: the sum of `coefficient * unknown`
/// equals `constant`.
#[derive(Debug, Clone)]
struct Equation {
    terms: Vec<(usize, i128)>,
    constant: i128,
}

/// A range of whole numbers; `None` ends are unbounded.
#[derive(Debug, Clone, Copy)]
struct Range {
    lo: Option<i128>,
    hi: Option<i128>,
}

/// Returns, per position, whether a reader can work out its exact value.
/// Published positions are never reported. `lines` lists each sum as its
/// members' positions and its total's position.
pub(super) fn disclosed(known: &[Known], lines: &[(Vec<usize>, usize)]) -> Vec<bool> {
    let unknowns: Vec<usize> = (0..known.len())
        .filter(|&position| matches!(known[position], Known::Range { .. }))
        .collect();
    let mut unknown_of = vec![None; known.len()];
    for (unknown, &position) in unknowns.iter().enumerate() {
        unknown_of[position] = Some(unknown);
    }

    let mut equations: Vec<Equation> = lines
        .iter()
        .map(|(members, total)| line_equation(known, &unknown_of, members, *total))
        .filter(|equation| !equation.terms.is_empty())
        .collect();
    let derived = reduce(&equations, unknowns.len());
    equations.extend(derived);

    let mut ranges: Vec<Range> = unknowns
        .iter()
        .map(|&position| match known[position] {
            Known::Range { lo, hi } => Range {
                lo: Some(i128::from(lo)),
                hi: hi.map(i128::from),
            },
            Known::Value(_) => unreachable!("only hidden positions are unknowns"),
        })
        .collect();
    narrow(&equations, &mut ranges);
    let pinned = exact_pins(&equations, &ranges);

    let mut result = vec![false; known.len()];
    for (unknown, &position) in unknowns.iter().enumerate() {
        result[position] = pinned[unknown];
    }
    result
}

/// How many splits one exact search may make before it gives up. Tables in
/// exports have tens of cells, and a search over them takes a few hundred.
const SEARCH_BUDGET: u32 = 20_000;

/// Returns, per unknown, whether every whole-number solution within the
/// narrowed `ranges` gives it the same value. Unknown ends and an exhausted
/// search count as pinned (the cautious answer).
fn exact_pins(equations: &[Equation], ranges: &[Range]) -> Vec<bool> {
    let fixed = |range: &Range| range.lo.is_some() && range.lo == range.hi;
    if ranges.iter().all(fixed) {
        return vec![true; ranges.len()];
    }
    // A range with no upper end stays open for the reader (narrowing found
    // nothing that bounds it), so it is never pinned. For the search it
    // gets an end far above anything the published numbers could add up to.
    let open: Vec<bool> = ranges.iter().map(|range| range.hi.is_none()).collect();
    let cap = equations
        .iter()
        .map(|equation| equation.constant.abs())
        .chain(ranges.iter().filter_map(|range| range.hi))
        .sum::<i128>()
        * 2
        + 16;
    let bounds: Vec<(i128, i128)> = ranges
        .iter()
        .map(|range| {
            let lo = range.lo.unwrap_or(0);
            (lo, range.hi.unwrap_or(lo + cap))
        })
        .collect();
    let mut budget = SEARCH_BUDGET;
    let Some(Some(first)) = solve(equations, bounds.clone(), &mut budget) else {
        // No solution inside the ranges means contradictory input; an
        // exhausted search means too big to tell. Both: hide more.
        return open.iter().map(|&open| !open).collect();
    };

    // Values seen per unknown across the solutions found so far.
    let mut seen: Vec<Vec<i128>> = first.iter().map(|&value| vec![value]).collect();
    let mut pinned = vec![false; ranges.len()];
    for unknown in 0..bounds.len() {
        if open[unknown] || seen[unknown].len() > 1 {
            continue;
        }
        let value = seen[unknown][0];
        let (lo, hi) = bounds[unknown];
        let mut alternative = None;
        for (from, to) in [(lo, value - 1), (value + 1, hi)] {
            if from > to {
                continue;
            }
            let mut narrowed = bounds.clone();
            narrowed[unknown] = (from, to);
            let mut budget = SEARCH_BUDGET;
            match solve(equations, narrowed, &mut budget) {
                Some(Some(solution)) => {
                    alternative = Some(solution);
                    break;
                }
                Some(None) => {}
                None => {
                    // Too big to settle: count it as pinned.
                    alternative = None;
                    break;
                }
            }
        }
        match alternative {
            Some(solution) => {
                for (values, found) in seen.iter_mut().zip(solution) {
                    if !values.contains(&found) {
                        values.push(found);
                    }
                }
            }
            None => pinned[unknown] = true,
        }
    }
    pinned
}

/// Finds one whole-number solution of `equations` with every unknown inside
/// its bounds: `Some(Some(values))`, `Some(None)` when there is none, and
/// `None` when the budget ran out first.
fn solve(
    equations: &[Equation],
    bounds: Vec<(i128, i128)>,
    budget: &mut u32,
) -> Option<Option<Vec<i128>>> {
    if *budget == 0 {
        return None;
    }
    *budget -= 1;
    let mut ranges: Vec<Range> = bounds
        .iter()
        .map(|&(lo, hi)| Range {
            lo: Some(lo),
            hi: Some(hi),
        })
        .collect();
    narrow(equations, &mut ranges);
    let mut narrowed = Vec::with_capacity(ranges.len());
    for range in &ranges {
        match (range.lo, range.hi) {
            (Some(lo), Some(hi)) if lo <= hi => narrowed.push((lo, hi)),
            _ => return Some(None),
        }
    }
    // Split the widest open range; when all are single values, narrowing
    // has checked every equation (a broken one would have emptied a range).
    let widest = (0..narrowed.len())
        .filter(|&unknown| narrowed[unknown].0 < narrowed[unknown].1)
        .max_by_key(|&unknown| narrowed[unknown].1 - narrowed[unknown].0);
    let Some(split) = widest else {
        return Some(Some(narrowed.iter().map(|&(lo, _)| lo).collect()));
    };
    let (lo, hi) = narrowed[split];
    let middle = lo + (hi - lo) / 2;
    for half in [(lo, middle), (middle + 1, hi)] {
        let mut next = narrowed.clone();
        next[split] = half;
        match solve(equations, next, budget)? {
            Some(solution) => return Some(Some(solution)),
            None => continue,
        }
    }
    Some(None)
}

/// Turns "members add up to total" into an equation over the unknowns, with
/// the published values moved to the constant.
fn line_equation(
    known: &[Known],
    unknown_of: &[Option<usize>],
    members: &[usize],
    total: usize,
) -> Equation {
    let mut terms = Vec::new();
    let mut constant: i128 = 0;
    let signed = members
        .iter()
        .map(|&member| (member, 1))
        .chain(std::iter::once((total, -1)));
    for (position, sign) in signed {
        match (known[position], unknown_of[position]) {
            (_, Some(unknown)) => terms.push((unknown, sign)),
            (Known::Value(value), None) => constant -= sign * i128::from(value),
            (Known::Range { .. }, None) => unreachable!("every hidden position is an unknown"),
        }
    }
    Equation { terms, constant }
}

/// Brings the equations to reduced row echelon form with whole-number
/// coefficients, each row divided by the greatest common divisor of its
/// entries, and returns the non-zero rows.
fn reduce(equations: &[Equation], unknowns: usize) -> Vec<Equation> {
    let mut rows: Vec<Vec<i128>> = equations
        .iter()
        .map(|equation| {
            let mut row = vec![0; unknowns + 1];
            for &(unknown, coefficient) in &equation.terms {
                row[unknown] += coefficient;
            }
            row[unknowns] = equation.constant;
            row
        })
        .collect();

    let mut pivot_row = 0;
    for column in 0..unknowns {
        let Some(found) = (pivot_row..rows.len()).find(|&row| rows[row][column] != 0) else {
            continue;
        };
        rows.swap(pivot_row, found);
        let pivot = rows[pivot_row].clone();
        for (index, row) in rows.iter_mut().enumerate() {
            let factor = row[column];
            if index == pivot_row || factor == 0 {
                continue;
            }
            for (entry, pivot_entry) in row.iter_mut().zip(&pivot) {
                *entry = *entry * pivot[column] - factor * pivot_entry;
            }
            divide_by_gcd(row);
        }
        pivot_row += 1;
        if pivot_row == rows.len() {
            break;
        }
    }

    rows.into_iter()
        .filter(|row| row[..unknowns].iter().any(|&entry| entry != 0))
        .map(|row| Equation {
            terms: row[..unknowns]
                .iter()
                .enumerate()
                .filter(|(_, coefficient)| **coefficient != 0)
                .map(|(unknown, coefficient)| (unknown, *coefficient))
                .collect(),
            constant: row[unknowns],
        })
        .collect()
}

fn divide_by_gcd(row: &mut [i128]) {
    let divisor = row.iter().fold(0, |acc, &entry| gcd(acc, entry.abs()));
    if divisor > 1 {
        for entry in row.iter_mut() {
            *entry /= divisor;
        }
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Narrows every range with every equation until nothing changes. Each
/// change moves a bound by at least one towards the true value, so the loop
/// ends. It also stops if a range empties, which only contradictory input
/// can cause.
fn narrow(equations: &[Equation], ranges: &mut [Range]) {
    loop {
        let mut changed = false;
        for equation in equations {
            changed |= narrow_one(equation, ranges);
        }
        let empty = ranges
            .iter()
            .any(|range| matches!((range.lo, range.hi), (Some(lo), Some(hi)) if lo > hi));
        if !changed || empty {
            return;
        }
    }
}

/// Narrows the ranges of the unknowns of one equation and returns whether
/// any range changed.
fn narrow_one(equation: &Equation, ranges: &mut [Range]) -> bool {
    let mut changed = false;
    for (position, &(unknown, coefficient)) in equation.terms.iter().enumerate() {
        // The other terms add up to something in `others`.
        let mut others = Range {
            lo: Some(0),
            hi: Some(0),
        };
        for (other_position, &(other, other_coefficient)) in equation.terms.iter().enumerate() {
            if other_position == position {
                continue;
            }
            let term = scale(ranges[other], other_coefficient);
            others.lo = others.lo.zip(term.lo).map(|(a, b)| a + b);
            others.hi = others.hi.zip(term.hi).map(|(a, b)| a + b);
        }

        // coefficient * unknown = constant - others.
        let product = Range {
            lo: others.hi.map(|hi| equation.constant - hi),
            hi: others.lo.map(|lo| equation.constant - lo),
        };
        let (product, divisor) = if coefficient < 0 {
            (scale(product, -1), -coefficient)
        } else {
            (product, coefficient)
        };
        let lo = product.lo.map(|value| ceil_div(value, divisor));
        let hi = product.hi.map(|value| value.div_euclid(divisor));

        let range = &mut ranges[unknown];
        if let Some(lo) = lo
            && range.lo.is_none_or(|current| lo > current)
        {
            range.lo = Some(lo);
            changed = true;
        }
        if let Some(hi) = hi
            && range.hi.is_none_or(|current| hi < current)
        {
            range.hi = Some(hi);
            changed = true;
        }
    }
    changed
}

/// The range of `coefficient * x` for `x` in `range`.
fn scale(range: Range, coefficient: i128) -> Range {
    let lo = range.lo.map(|value| value * coefficient);
    let hi = range.hi.map(|value| value * coefficient);
    if coefficient >= 0 {
        Range { lo, hi }
    } else {
        Range { lo: hi, hi: lo }
    }
}

/// Rounds `value / divisor` up, for a positive divisor.
fn ceil_div(value: i128, divisor: i128) -> i128 {
    -((-value).div_euclid(divisor))
}
