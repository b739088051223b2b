//! PDF documents from typst sources.
//!
//! This crate owns typst: the compiler is slow to build and changes its API
//! between minor versions, so no other crate names it. Callers hand over a
//! typst source and a JSON value; [`render`] compiles them in memory with the
//! fonts embedded in the binary (never the host's) and returns PDF bytes.
//!
//! Data reaches a template in one of two ways:
//!
//! - as `sys.inputs`: the JSON object passed to [`render`] becomes a typst
//!   dictionary, so `#sys.inputs.case_code` prints the value as text. Values
//!   passed this way are never parsed as markup or code, whatever they hold.
//!   Prefer this.
//! - spliced into the source: a caller that builds source text must pass
//!   every value through [`escape_markup`] (in markup) or [`string_literal`]
//!   (in code).
//!
//! [`forms`] holds the consent forms and information sheets given to
//! beneficiaries, in nine languages; [`certificate`] the certificates of
//! completed training courses. [`tabular`] writes tables as CSV and XLSX
//! with spreadsheet formulas neutralised. [`nrm`] holds the NRM statistics
//! and the case forms for the National Referral Mechanism.

pub mod amif;
pub mod certificate;
pub mod forms;
pub mod htcds;
pub mod nrm;
pub mod published;
pub mod sealed;
pub mod sign_in;
pub mod tabular;
mod world;

use serde_json::Value as Json;
use typst::foundations::{Array, Dict, Str, Value};
use typst_layout::PagedDocument;

pub use world::font_families;

/// Why a document could not be produced. The messages come from the typst
/// compiler and describe the template; they never quote input values, but
/// callers should still log them only as diagnostics of a template.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// `inputs` was not a JSON object.
    #[error("report inputs must be a JSON object")]
    InputsNotAnObject,
    /// The template did not compile or lay out.
    #[error("the report template failed: {}", .0.join("; "))]
    Template(Vec<String>),
    /// The laid-out document could not be written as PDF.
    #[error("the PDF export failed: {}", .0.join("; "))]
    Export(Vec<String>),
}

/// A rendered document: the PDF and, per page, the text that was laid out
/// (in logical order), for checks that do not want to parse the PDF.
#[derive(Debug, Clone)]
pub struct Report {
    pub pdf: Vec<u8>,
    pub page_text: Vec<String>,
}

impl Report {
    /// The number of pages.
    pub fn page_count(&self) -> usize {
        self.page_text.len()
    }
}

/// Compiles `template` (typst markup) with `inputs` available as
/// `sys.inputs` and returns the PDF bytes.
///
/// `inputs` must be a JSON object; `null` becomes `none`, numbers become
/// integers when they fit and floats otherwise. Compiling takes tens of
/// milliseconds and blocks: call it from a blocking thread in async code.
///
/// # Errors
///
/// [`ReportError::InputsNotAnObject`] for other JSON values,
/// [`ReportError::Template`] when the source does not compile,
/// [`ReportError::Export`] when the PDF writer fails.
pub fn render(template: &str, inputs: &Json) -> Result<Vec<u8>, ReportError> {
    render_report(template, inputs).map(|report| report.pdf)
}

/// Like [`render`], and also returns the text of each page.
///
/// # Errors
///
/// As [`render`].
pub fn render_report(template: &str, inputs: &Json) -> Result<Report, ReportError> {
    let Json::Object(_) = inputs else {
        return Err(ReportError::InputsNotAnObject);
    };
    let Value::Dict(inputs) = to_value(inputs) else {
        return Err(ReportError::InputsNotAnObject);
    };

    let world = world::MemoryWorld::new(template, inputs);
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| ReportError::Template(messages(&errors)))?;
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| ReportError::Export(messages(&errors)))?;
    let page_text = document
        .pages()
        .iter()
        .map(|page| {
            let mut text = String::new();
            collect_text(&page.frame, &mut text);
            text
        })
        .collect();
    Ok(Report { pdf, page_text })
}

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> Vec<String> {
    errors
        .iter()
        .map(|error| error.message.to_string())
        .collect()
}

fn collect_text(frame: &typst::layout::Frame, out: &mut String) {
    use typst::layout::FrameItem;
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_text(&group.frame, out),
            FrameItem::Text(text) => {
                out.push_str(&text.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}

/// Converts JSON into the typst value it reads as.
fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::None,
        Json::Bool(value) => Value::Bool(*value),
        Json::Number(number) => match number.as_i64() {
            Some(int) => Value::Int(int),
            None => Value::Float(number.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(text) => Value::Str(Str::from(text.as_str())),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect::<Array>()),
        Json::Object(map) => Value::Dict(
            map.iter()
                .map(|(key, value)| (Str::from(key.as_str()), to_value(value)))
                .collect::<Dict>(),
        ),
    }
}

/// Escapes `text` for insertion into typst markup, so that it prints as
/// itself and cannot start code (`#`), maths, markup, comments, labels or
/// references. Every ASCII punctuation character is preceded by a
/// backslash; a line break becomes a typst line break (`\` at the end of a
/// line); other control characters are dropped.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\\n");
            }
            '\n' => out.push_str("\\\n"),
            c if c.is_control() => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Returns `text` as a typst string literal, quotes included, for insertion
/// into typst code (`#let name = ...`).
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Inputs meant to break out of markup: code, maths, markup, comments,
    /// raw blocks, labels, references and typst's own string escapes.
    const HOSTILE: &[&str] = &[
        "#panic(\"injected\")",
        "#read(\"/etc/passwd\")",
        "] #panic() [",
        "$ x^2 $",
        "*bold* _emph_ `raw` ```rust fn``` ",
        "= Heading",
        "- item\n+ item\n/ term: description",
        "// comment /* block",
        "<label> @reference",
        "\\#panic() \\",
        "\\u{41} ~ -- ... 'quoted' \"double\"",
        "1. enumerated",
        "https://example.invalid/path",
        "Καλημέρα · مرحبا",
    ];

    fn text_of(source: &str) -> String {
        let report = render_report(source, &json!({})).expect("renders");
        report.page_text.concat()
    }

    fn squash(text: &str) -> String {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn escaped_markup_prints_itself() {
        for value in HOSTILE {
            let source = format!("{}\n", escape_markup(value));
            let printed = text_of(&source);
            assert_eq!(
                squash(&printed),
                squash(value),
                "value {value:?} was not printed literally"
            );
        }
    }

    #[test]
    fn unescaped_markup_is_interpreted() {
        // The check above can fail: without escaping, the same input runs.
        let error = render("#panic(\"injected\")", &json!({})).unwrap_err();
        assert!(matches!(error, ReportError::Template(_)));
        assert_ne!(squash(&text_of("*bold*")), squash("*bold*"));
    }

    #[test]
    fn string_literals_stay_strings() {
        for value in HOSTILE {
            let source = format!("#let value = {}\n#value\n", string_literal(value));
            assert_eq!(squash(&text_of(&source)), squash(value), "value {value:?}");
        }
    }

    #[test]
    fn inputs_print_as_text() {
        let report = render_report(
            "#sys.inputs.code #sys.inputs.count #sys.inputs.list.at(1)",
            &json!({ "code": "#panic() *x*", "count": 3, "list": [1, "two"] }),
        )
        .unwrap();
        assert_eq!(squash(&report.page_text.concat()), "#panic()*x*3two");
    }

    #[test]
    fn greek_document_is_a_pdf_with_its_pages() {
        let report = render_report(
            "#set text(lang: \"el\")\nΣυναίνεση για την επεξεργασία δεδομένων\n#pagebreak()\nΔεύτερη σελίδα",
            &json!({}),
        )
        .unwrap();
        assert!(report.pdf.starts_with(b"%PDF"));
        assert_eq!(report.page_count(), 2);
        assert!(report.page_text[0].contains("Συναίνεση"));
        assert!(report.page_text[1].contains("Δεύτερη"));
    }

    #[test]
    fn inputs_must_be_an_object() {
        assert!(matches!(
            render("x", &json!([1])),
            Err(ReportError::InputsNotAnObject)
        ));
    }
}
