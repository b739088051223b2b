//! Reads the PDF bytes back with a PDF parser: the file is a PDF, has the
//! expected pages, and its Greek and Arabic text can be extracted (so the
//! fonts are embedded with a Unicode mapping, not only laid out).

use chrono::NaiveDate;
use procap_reports::forms::{FormRequest, consent_form, draft_mark};

fn form(language: &str, purpose: &str, approved: bool) -> Vec<u8> {
    consent_form(&FormRequest {
        language,
        purpose,
        case_code: "THS-2026-0101",
        organisation: "Κέντρο Δοκιμών",
        recipient: Some("Test Shelter"),
        date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        approved,
    })
    .unwrap()
    .pdf
}

fn page_texts(pdf: &[u8]) -> Vec<String> {
    let document = lopdf::Document::load_mem(pdf).expect("a PDF that parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|page| document.extract_text(&[*page]).expect("extractable text"))
        .collect()
}

/// Removes whitespace and the bidi controls an extractor may add, so words
/// compare regardless of line breaks.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !('\u{200e}'..='\u{202e}').contains(c))
        .collect()
}

/// Whether `haystack` holds right-to-left `needle` in logical order or, as
/// extractors that read glyphs left to right return it, in visual order.
fn contains_rtl(haystack: &str, needle: &str) -> bool {
    let needle = squash(needle);
    let visual: String = needle.chars().rev().collect();
    haystack.contains(&needle) || haystack.contains(&visual)
}

#[test]
fn greek_form_reads_back() {
    let pdf = form("el", "data_processing", true);
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 2);
    let first = squash(&pages[0]);
    assert!(first.contains("Καταγραφήκαιχρήση"), "page 1: {first}");
    assert!(squash(&pages[1]).contains("THS-2026-0101"));
    assert!(first.contains("ΚέντροΔοκιμών"));
}

#[test]
fn arabic_form_reads_back_with_its_draft_mark() {
    let pdf = form("ar", "sharing", false);
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 2);
    let all = squash(&pages.concat());
    assert!(contains_rtl(&all, "معلوماتك"), "no Arabic word in {all}");
    assert!(contains_rtl(&all, draft_mark("ar").unwrap()));

    let approved = squash(&page_texts(&form("ar", "sharing", true)).concat());
    assert!(contains_rtl(&approved, "معلوماتك"));
    assert!(!contains_rtl(&approved, draft_mark("ar").unwrap()));
}
