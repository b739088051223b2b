//! Tables as spreadsheet files: CSV (UTF-8 with a byte-order mark, so Greek
//! opens correctly in spreadsheet programs) and XLSX.
//!
//! Every text cell is neutralised: a cell a spreadsheet program would read
//! as a formula (starting with `=`, `+`, `-` or `@`, or a tab or carriage
//! return) gets a leading apostrophe, whatever its source. Numbers are
//! written as numbers only in XLSX and only when the caller says so.

/// One cell of a [`Sheet`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A whole number, written as a number in XLSX.
    Count(u64),
}

impl Cell {
    fn as_text(&self) -> String {
        match self {
            Cell::Text(text) => neutralise(text),
            Cell::Count(count) => count.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<u64> for Cell {
    fn from(count: u64) -> Cell {
        Cell::Count(count)
    }
}

/// A named table: the first row is the header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name in XLSX (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Why a spreadsheet could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("the table has more rows or columns than a spreadsheet holds")]
    TooLarge,
}

/// Returns `cell` with a leading apostrophe when a spreadsheet program
/// would read it as a formula.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// Writes `rows` as CSV: a UTF-8 byte-order mark, CRLF line ends, every
/// cell neutralised and quoted when it holds a comma, quote or line break.
pub fn csv(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let line: Vec<String> = row.iter().map(|cell| csv_field(&cell.as_text())).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Writes `sheets` as one XLSX workbook. Text is written as strings, never
/// as formulas; the header row is bold.
///
/// # Errors
///
/// [`TabularError`] when the workbook cannot be built.
pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, TabularError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r).map_err(|_| TabularError::TooLarge)?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).map_err(|_| TabularError::TooLarge)?;
                match cell {
                    Cell::Count(count) => {
                        // Counts of people stay far below 2^53.
                        worksheet.write_number(r, c, *count as f64)?;
                    }
                    Cell::Text(text) if r == 0 => {
                        worksheet.write_string_with_format(r, c, neutralise(text), &bold)?;
                    }
                    Cell::Text(text) => {
                        worksheet.write_string(r, c, neutralise(text))?;
                    }
                }
            }
        }
        worksheet.autofit();
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_starts_with_a_byte_order_mark() {
        let doc = csv(&[vec!["Ελλάδα".into()]]);
        assert_eq!(&doc[..3], &[0xEF, 0xBB, 0xBF]);
    }

    #[test]
    fn csv_quotes_and_neutralises() {
        let doc = csv(&[vec!["=SUM(A1)".into(), "a,b".into(), Cell::Count(7)]]);
        let text = String::from_utf8(doc).expect("UTF-8");
        assert_eq!(text, "\u{feff}'=SUM(A1),\"a,b\",7\r\n");
    }

    #[test]
    fn every_formula_lead_is_neutralised() {
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = format!("{lead}1+1");
            assert_eq!(neutralise(&cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("12"), "12");
    }

    #[test]
    fn xlsx_is_a_zip_with_the_text() {
        let bytes = xlsx(&[Sheet {
            name: "AMIF".to_owned(),
            rows: vec![vec!["=cmd".into(), Cell::Count(3)]],
        }])
        .expect("writes");
        assert_eq!(&bytes[..2], b"PK");
    }
}
