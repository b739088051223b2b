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

fn certificate_request() -> procap_reports::certificate::CertificateRequest<'static> {
    use procap_reports::certificate::{CertificateRequest, CertificateSide};
    CertificateRequest {
        document_title: "Πιστοποιητικό ολοκλήρωσης",
        holder_name: "Δοκιμαστική Εκπαιδευόμενη",
        organisation: "Κέντρο Δοκιμών",
        code: "K7WX-3MPA-9HCT-F2RC",
        verify_url: "http://127.0.0.1:8080/verify/K7WX3MPA9HCTF2RC",
        greek: CertificateSide {
            heading: "Πιστοποιητικό ολοκλήρωσης",
            statement: "Βεβαιώνεται ότι",
            completed: "ολοκλήρωσε το πρόγραμμα κατάρτισης",
            course_title: "Αναγνώριση θυμάτων εμπορίας ανθρώπων",
            date_label: "Ημερομηνία",
            date: "5 Δεκεμβρίου 2026",
            issuer_label: "Φορέας",
            code_label: "Κωδικός επαλήθευσης",
            verify_hint: "Σαρώστε τον κωδικό QR ή ανοίξτε τη διεύθυνση για επαλήθευση.",
        },
        english: CertificateSide {
            heading: "Certificate of completion",
            statement: "This is to certify that",
            completed: "has completed the training course",
            course_title: "Identifying victims of human trafficking",
            date_label: "Date",
            date: "5 December 2026",
            issuer_label: "Issued by",
            code_label: "Verification code",
            verify_hint: "Scan the QR code or open the address to verify.",
        },
    }
}

#[test]
fn certificate_reads_back_in_greek_and_english() {
    let pdf = procap_reports::certificate::certificate(&certificate_request())
        .unwrap()
        .pdf;
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 1);
    let text = squash(&pages[0]);
    for expected in [
        "Πιστοποιητικόολοκλήρωσης",
        "ΔοκιμαστικήΕκπαιδευόμενη",
        "Αναγνώρισηθυμάτωνεμπορίαςανθρώπων",
        "5Δεκεμβρίου2026",
        "ΚέντροΔοκιμών",
        "Certificateofcompletion",
        "Identifyingvictimsofhumantrafficking",
        "K7WX-3MPA-9HCT-F2RC",
        "http://127.0.0.1:8080/verify/K7WX3MPA9HCTF2RC",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

/// Renders the certificate to PNG with poppler's `pdftoppm`, as a viewer
/// would, and checks that the page is landscape. Skipped outside CI when
/// `pdftoppm` is missing; `.ci/run` installs it. Set
/// `PROCAP_KEEP_CERTIFICATE_PNG=path` to keep the image for a look.
#[test]
fn certificate_renders_as_a_landscape_image() {
    let ci = std::env::var_os("CI").is_some();
    let pdf = procap_reports::certificate::certificate(&certificate_request())
        .unwrap()
        .pdf;
    let dir = tempfile_dir();
    let pdf_path = dir.join("certificate.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.join("certificate"))
        .status();
    match status {
        Ok(status) => assert!(status.success(), "pdftoppm failed: {status}"),
        Err(error) if !ci && error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: pdftoppm is not installed");
            return;
        }
        Err(error) => panic!("pdftoppm did not run: {error}"),
    }
    let png = std::fs::read(dir.join("certificate.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // The IHDR chunk holds the width and height, big-endian, at 16..24.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert!(width > height, "not landscape: {width}×{height}");
    if let Some(keep) = std::env::var_os("PROCAP_KEEP_CERTIFICATE_PNG") {
        std::fs::write(keep, &png).unwrap();
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A fresh folder under the system's temporary folder.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "procap-certificate-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos())
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
