//! Small-cell suppression for published tables of counts.
//!
//! A [`CountTable`] holds true counts by one dimension (a list) or two (rows
//! by columns). [`publish`] turns it into a [`PublishedTable`] in which:
//!
//! - an inner cell counting 1 to 4 people is shown as "<5" (primary
//!   suppression);
//! - a total counting 1 to 4 is hidden ("x"): totals never say "<5", because
//!   a row of four "<5" cells under a "<5" total would prove that every cell
//!   is exactly 1;
//! - zero is shown as 0: it describes nobody, and hiding every zero would
//!   make sparse tables useless;
//! - more cells are hidden ("x", secondary suppression) until no hidden cell
//!   can be worked out exactly from the published numbers, the markers and
//!   the sums along rows and columns.
//!
//! The check behind the last rule, [`PublishedTable::disclosed_cells`], looks
//! only at the published table, as a reader would. It gives every hidden
//! cell the range a reader can infer from its marker. A "<5" is 1 to 4. An
//! inner "x" is at least 5, because secondary suppression only ever hides
//! counts of 5 or more. A hidden total is at least 1. It then combines the
//! row and column sums and narrows the ranges (see `disclosure`). A hidden
//! cell whose range shrinks to one value is disclosed, and [`publish`] hides
//! the smallest published non-zero count in a line through that cell, then
//! checks again, until no cell is disclosed.
//!
//! NOTE: each table is protected on its own. Two tables from the same data
//! that share a dimension can still be subtracted from each other.

use std::fmt;

use super::disclosure::{self, Known};

/// Smallest count that may be published; counts from 1 to
/// `SMALL_CELL_LIMIT - 1` are hidden.
pub const SMALL_CELL_LIMIT: u64 = 5;

/// Text shown for an inner cell counting 1 to 4.
pub const LESS_THAN_FIVE_MARKER: &str = "<5";

/// Text shown for any other hidden cell: a total counting 1 to 4, or a cell
/// hidden so that a small count cannot be worked out from the totals.
pub const HIDDEN_MARKER: &str = "x";

/// Error of [`CountTable::one_way`] and [`CountTable::two_way`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The number of counts differs from the number of row labels.
    #[error("{labels} row labels but {counts} rows of counts")]
    RowCount {
        /// Number of row labels.
        labels: usize,
        /// Number of rows (or counts) given.
        counts: usize,
    },
    /// A row's length differs from the number of column labels.
    #[error("row {row} has {counts} counts but there are {labels} column labels")]
    ColumnCount {
        /// Zero-based row index.
        row: usize,
        /// Number of column labels.
        labels: usize,
        /// Number of counts in that row.
        counts: usize,
    },
}

/// A table of true counts by one or two dimensions, with labels. Totals are
/// computed from the counts, never supplied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable {
    row_labels: Vec<String>,
    /// Empty for a one-way table.
    column_labels: Vec<String>,
    /// Rows of counts; a one-way table has rows of one count.
    counts: Vec<Vec<u64>>,
    two_way: bool,
}

impl CountTable {
    /// A list of counts by one dimension, e.g. cases by citizenship. Its only
    /// total is the grand total.
    ///
    /// # Errors
    ///
    /// [`TableError::RowCount`] when `labels` and `counts` differ in length.
    pub fn one_way(labels: Vec<String>, counts: Vec<u64>) -> Result<CountTable, TableError> {
        if labels.len() != counts.len() {
            return Err(TableError::RowCount {
                labels: labels.len(),
                counts: counts.len(),
            });
        }
        Ok(CountTable {
            row_labels: labels,
            column_labels: Vec::new(),
            counts: counts.into_iter().map(|count| vec![count]).collect(),
            two_way: false,
        })
    }

    /// A cross-table of counts, `counts[row][column]`, with a total per row,
    /// a total per column and a grand total.
    ///
    /// # Errors
    ///
    /// [`TableError::RowCount`] or [`TableError::ColumnCount`] when the
    /// counts do not match the labels.
    pub fn two_way(
        row_labels: Vec<String>,
        column_labels: Vec<String>,
        counts: Vec<Vec<u64>>,
    ) -> Result<CountTable, TableError> {
        if row_labels.len() != counts.len() {
            return Err(TableError::RowCount {
                labels: row_labels.len(),
                counts: counts.len(),
            });
        }
        if let Some((row, cells)) = counts
            .iter()
            .enumerate()
            .find(|(_, cells)| cells.len() != column_labels.len())
        {
            return Err(TableError::ColumnCount {
                row,
                labels: column_labels.len(),
                counts: cells.len(),
            });
        }
        Ok(CountTable {
            row_labels,
            column_labels,
            counts,
            two_way: true,
        })
    }

    /// Returns true for a cross-table, false for a one-way list.
    pub fn is_two_way(&self) -> bool {
        self.two_way
    }

    /// The row labels (the only labels of a one-way table).
    pub fn row_labels(&self) -> &[String] {
        &self.row_labels
    }

    /// The column labels; empty for a one-way table.
    pub fn column_labels(&self) -> &[String] {
        &self.column_labels
    }

    /// The true count at `row`, `column` (column 0 in a one-way table).
    ///
    /// # Panics
    ///
    /// When the position is outside the table.
    pub fn count(&self, row: usize, column: usize) -> u64 {
        self.counts[row][column]
    }

    /// The true value at a position, totals included.
    ///
    /// # Panics
    ///
    /// When the position is outside the table, or names a row or column
    /// total of a one-way table.
    pub fn value(&self, at: CellRef) -> u64 {
        match at {
            CellRef::Cell { row, column } => self.counts[row][column],
            CellRef::RowTotal(row) => {
                assert!(self.two_way, "a one-way table has no row totals");
                self.counts[row].iter().sum()
            }
            CellRef::ColumnTotal(column) => {
                assert!(self.two_way, "a one-way table has no column totals");
                self.counts.iter().map(|cells| cells[column]).sum()
            }
            CellRef::GrandTotal => self.counts.iter().flatten().sum(),
        }
    }

    fn columns(&self) -> usize {
        if self.two_way {
            self.column_labels.len()
        } else {
            1
        }
    }
}

/// A position in a table, totals included. A one-way table has cells in
/// column 0 and a grand total only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellRef {
    /// An inner cell.
    Cell {
        /// Zero-based row.
        row: usize,
        /// Zero-based column.
        column: usize,
    },
    /// The total of a row (two-way tables).
    RowTotal(usize),
    /// The total of a column (two-way tables).
    ColumnTotal(usize),
    /// The total of the whole table.
    GrandTotal,
}

impl CellRef {
    /// Returns true for a row, column or grand total.
    pub fn is_total(self) -> bool {
        !matches!(self, CellRef::Cell { .. })
    }
}

/// What the published table shows in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublishedCell {
    /// The true count: 0 or at least 5.
    Count(u64),
    /// An inner cell counting 1 to 4, shown as "<5".
    LessThanFive,
    /// A hidden cell, shown as "x": a total counting 1 to 4, or a count of
    /// at least 5 hidden to protect a small one.
    Hidden,
}

impl PublishedCell {
    /// Returns true when the true value is not shown.
    pub fn is_hidden(self) -> bool {
        !matches!(self, PublishedCell::Count(_))
    }

    /// The published count, or `None` when hidden.
    pub fn count(self) -> Option<u64> {
        match self {
            PublishedCell::Count(count) => Some(count),
            _ => None,
        }
    }
}

impl fmt::Display for PublishedCell {
    /// Writes the count, "<5" or "x".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishedCell::Count(count) => write!(f, "{count}"),
            PublishedCell::LessThanFive => f.write_str(LESS_THAN_FIVE_MARKER),
            PublishedCell::Hidden => f.write_str(HIDDEN_MARKER),
        }
    }
}

/// A table fit for publication: labels as given, every number either true or
/// hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTable {
    /// Row labels, as in the [`CountTable`].
    pub row_labels: Vec<String>,
    /// Column labels; empty for a one-way table.
    pub column_labels: Vec<String>,
    /// `cells[row][column]`; a one-way table has rows of one cell.
    pub cells: Vec<Vec<PublishedCell>>,
    /// One per row in a two-way table; empty in a one-way table.
    pub row_totals: Vec<PublishedCell>,
    /// One per column in a two-way table; empty in a one-way table.
    pub column_totals: Vec<PublishedCell>,
    /// The total of the whole table.
    pub grand_total: PublishedCell,
    two_way: bool,
}

impl PublishedTable {
    /// Returns true for a cross-table, false for a one-way list.
    pub fn is_two_way(&self) -> bool {
        self.two_way
    }

    /// What is shown at a position.
    ///
    /// # Panics
    ///
    /// When the position is outside the table.
    pub fn get(&self, at: CellRef) -> PublishedCell {
        match at {
            CellRef::Cell { row, column } => self.cells[row][column],
            CellRef::RowTotal(row) => self.row_totals[row],
            CellRef::ColumnTotal(column) => self.column_totals[column],
            CellRef::GrandTotal => self.grand_total,
        }
    }

    /// Every position of the table, inner cells first in row order, then row
    /// totals, column totals and the grand total.
    pub fn positions(&self) -> Vec<CellRef> {
        let shape = Shape::of_published(self);
        shape.refs
    }

    /// The sums a reader can check: each entry is the positions of a line's
    /// members and the position of its total. A one-way table has one line;
    /// a two-way table has one per row, one per column, the row of column
    /// totals and the column of row totals.
    pub fn lines(&self) -> Vec<(Vec<CellRef>, CellRef)> {
        let shape = Shape::of_published(self);
        shape
            .lines
            .iter()
            .map(|line| {
                (
                    line.members
                        .iter()
                        .map(|&index| shape.refs[index])
                        .collect(),
                    shape.refs[line.total],
                )
            })
            .collect()
    }

    /// Returns the hidden positions whose exact value a reader can work out
    /// from this table alone (see the module documentation for the reader's
    /// knowledge). [`publish`] guarantees this is empty.
    pub fn disclosed_cells(&self) -> Vec<CellRef> {
        let shape = Shape::of_published(self);
        let disclosed = disclosure::disclosed(&self.known(&shape), &shape.line_positions());
        shape
            .refs
            .iter()
            .zip(disclosed)
            .filter(|(_, disclosed)| *disclosed)
            .map(|(at, _)| *at)
            .collect()
    }

    /// Returns the reader's knowledge of each position from its marker alone.
    fn known(&self, shape: &Shape) -> Vec<Known> {
        shape
            .refs
            .iter()
            .map(|&at| match self.get(at) {
                PublishedCell::Count(count) => Known::Value(count),
                PublishedCell::LessThanFive => Known::Range {
                    lo: 1,
                    hi: Some(SMALL_CELL_LIMIT - 1),
                },
                PublishedCell::Hidden if at.is_total() => Known::Range { lo: 1, hi: None },
                PublishedCell::Hidden => Known::Range {
                    lo: SMALL_CELL_LIMIT,
                    hi: None,
                },
            })
            .collect()
    }
}

/// The reason a cell was hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuppressionKind {
    /// The cell counts 1 to 4.
    Primary,
    /// The cell was hidden so that a small count cannot be worked out.
    Secondary,
}

/// What [`publish`] hid, for the export to state.
///
/// The positions are for the people who run the export; a public export
/// should state only [`SuppressionReport::primary_count`] and
/// [`SuppressionReport::secondary_count`] with the rule, because saying which
/// hidden cell is which narrows what the hidden cells can be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SuppressionReport {
    /// Cells and totals counting 1 to 4, in position order.
    pub primary: Vec<CellRef>,
    /// Cells and totals hidden to protect them, in the order they were
    /// chosen.
    pub secondary: Vec<CellRef>,
}

impl SuppressionReport {
    /// Number of cells and totals hidden because they count 1 to 4.
    pub fn primary_count(&self) -> usize {
        self.primary.len()
    }

    /// Number of cells and totals hidden to protect a small count.
    pub fn secondary_count(&self) -> usize {
        self.secondary.len()
    }

    /// Returns the reason `at` was hidden, or `None` when it is published.
    pub fn kind(&self, at: CellRef) -> Option<SuppressionKind> {
        if self.primary.contains(&at) {
            Some(SuppressionKind::Primary)
        } else if self.secondary.contains(&at) {
            Some(SuppressionKind::Secondary)
        } else {
            None
        }
    }
}

/// The published table and what was hidden in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The table that may be shown.
    pub table: PublishedTable,
    /// The hidden positions and the reason for each.
    pub report: SuppressionReport,
}

/// Applies primary and secondary suppression to `table`. Totals are computed
/// from the true counts. The result never shows a count from 1 to 4, and
/// [`PublishedTable::disclosed_cells`] finds no hidden cell that a reader
/// can work out (`disclosure` describes the reader it assumes).
pub fn publish(table: &CountTable) -> Publication {
    let shape = Shape::of_counts(table);
    let values: Vec<u64> = shape.refs.iter().map(|&at| table.value(at)).collect();

    let mut hidden: Vec<Option<SuppressionKind>> = values
        .iter()
        .map(|&value| is_small(value).then_some(SuppressionKind::Primary))
        .collect();
    let mut report = SuppressionReport {
        primary: shape
            .refs
            .iter()
            .zip(&hidden)
            .filter(|(_, kind)| kind.is_some())
            .map(|(at, _)| *at)
            .collect(),
        secondary: Vec::new(),
    };

    loop {
        let published = render(table, &shape, &values, &hidden);
        let disclosed = disclosure::disclosed(&published.known(&shape), &shape.line_positions());
        let Some(exposed) = disclosed.iter().position(|&disclosed| disclosed) else {
            return Publication {
                table: published,
                report,
            };
        };

        let Some(chosen) = choose_secondary(&shape, &values, &hidden, exposed) else {
            // Not expected: once every non-zero count is hidden, the only
            // equations left have no published numbers in them, and no test
            // has found a table where those still pin a cell. Stop rather
            // than loop.
            debug_assert!(false, "no cell left to hide");
            return Publication {
                table: published,
                report,
            };
        };
        hidden[chosen] = Some(SuppressionKind::Secondary);
        report.secondary.push(shape.refs[chosen]);
    }
}

fn is_small(value: u64) -> bool {
    (1..SMALL_CELL_LIMIT).contains(&value)
}

/// Picks the next cell to hide: the smallest published non-zero count
/// (inner cells before totals, then position order) in the first line with
/// exactly one hidden cell; when no line has one, in the line through the
/// disclosed cell `exposed` with the fewest hidden cells, then its other
/// lines, then anywhere in the table.
fn choose_secondary(
    shape: &Shape,
    values: &[u64],
    hidden: &[Option<SuppressionKind>],
    exposed: usize,
) -> Option<usize> {
    let candidate_key = |index: usize| (values[index], shape.refs[index].is_total(), index);
    let is_candidate = |index: usize| hidden[index].is_none() && values[index] > 0;
    let hidden_in = |line: &Line| line.all().filter(|&index| hidden[index].is_some()).count();

    let lonely = shape.lines.iter().filter(|line| hidden_in(line) == 1);
    let mut through: Vec<&Line> = shape
        .lines
        .iter()
        .filter(|line| line.total == exposed || line.members.contains(&exposed))
        .collect();
    through.sort_by_key(|line| hidden_in(line));
    let through = lonely.chain(through);

    through
        .into_iter()
        .find_map(|line| {
            line.all()
                .filter(|&index| is_candidate(index))
                .min_by_key(|&index| candidate_key(index))
        })
        .or_else(|| {
            (0..values.len())
                .filter(|&index| is_candidate(index))
                .min_by_key(|&index| candidate_key(index))
        })
}

fn render(
    table: &CountTable,
    shape: &Shape,
    values: &[u64],
    hidden: &[Option<SuppressionKind>],
) -> PublishedTable {
    let shown = |index: usize| -> PublishedCell {
        match hidden[index] {
            None => PublishedCell::Count(values[index]),
            Some(SuppressionKind::Primary) if !shape.refs[index].is_total() => {
                PublishedCell::LessThanFive
            }
            Some(_) => PublishedCell::Hidden,
        }
    };
    let columns = table.columns();
    let rows = table.row_labels.len();
    let cells = (0..rows)
        .map(|row| {
            (0..columns)
                .map(|column| shown(row * columns + column))
                .collect()
        })
        .collect();
    let (row_totals, column_totals) = if table.two_way {
        let first_row_total = rows * columns;
        let first_column_total = first_row_total + rows;
        (
            (0..rows).map(|row| shown(first_row_total + row)).collect(),
            (0..columns)
                .map(|column| shown(first_column_total + column))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    PublishedTable {
        row_labels: table.row_labels.clone(),
        column_labels: table.column_labels.clone(),
        cells,
        row_totals,
        column_totals,
        grand_total: shown(values.len() - 1),
        two_way: table.two_way,
    }
}

/// The positions of a table in a flat order and the sums that tie them:
/// inner cells row by row, then row totals, column totals, grand total.
struct Shape {
    refs: Vec<CellRef>,
    lines: Vec<Line>,
}

/// One sum: the members add up to the total.
struct Line {
    members: Vec<usize>,
    total: usize,
}

impl Line {
    fn all(&self) -> impl Iterator<Item = usize> + '_ {
        self.members
            .iter()
            .copied()
            .chain(std::iter::once(self.total))
    }
}

impl Shape {
    fn line_positions(&self) -> Vec<(Vec<usize>, usize)> {
        self.lines
            .iter()
            .map(|line| (line.members.clone(), line.total))
            .collect()
    }

    fn of_counts(table: &CountTable) -> Shape {
        Shape::new(table.row_labels.len(), table.columns(), table.two_way)
    }

    fn of_published(table: &PublishedTable) -> Shape {
        let columns = if table.two_way {
            table.column_labels.len()
        } else {
            1
        };
        Shape::new(table.row_labels.len(), columns, table.two_way)
    }

    fn new(rows: usize, columns: usize, two_way: bool) -> Shape {
        let mut refs: Vec<CellRef> = (0..rows)
            .flat_map(|row| (0..columns).map(move |column| CellRef::Cell { row, column }))
            .collect();
        let cell = |row: usize, column: usize| row * columns + column;

        if !two_way {
            refs.push(CellRef::GrandTotal);
            let grand = refs.len() - 1;
            return Shape {
                lines: vec![Line {
                    members: (0..rows).map(|row| cell(row, 0)).collect(),
                    total: grand,
                }],
                refs,
            };
        }

        let first_row_total = refs.len();
        refs.extend((0..rows).map(CellRef::RowTotal));
        let first_column_total = refs.len();
        refs.extend((0..columns).map(CellRef::ColumnTotal));
        refs.push(CellRef::GrandTotal);
        let grand = refs.len() - 1;

        let mut lines = Vec::with_capacity(rows + columns + 2);
        for row in 0..rows {
            lines.push(Line {
                members: (0..columns).map(|column| cell(row, column)).collect(),
                total: first_row_total + row,
            });
        }
        for column in 0..columns {
            lines.push(Line {
                members: (0..rows).map(|row| cell(row, column)).collect(),
                total: first_column_total + column,
            });
        }
        lines.push(Line {
            members: (0..columns)
                .map(|column| first_column_total + column)
                .collect(),
            total: grand,
        });
        lines.push(Line {
            members: (0..rows).map(|row| first_row_total + row).collect(),
            total: grand,
        });
        Shape { refs, lines }
    }
}
