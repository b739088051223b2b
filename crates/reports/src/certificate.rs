//! The certificate of a completed course: one A4 landscape page with the
//! Greek text on the left and the English text on the right, the holder's
//! name, the course, the date, the issuing organisation, the verification
//! code and a QR code that opens the public verification page.
//!
//! The fixed wording comes from the caller in both languages (the web layer
//! takes it from its Fluent files); the layout is
//! `templates/certificate.typ`. The QR code is drawn here as SVG and
//! embedded in the document, so the PDF holds vector graphics only.

use qrcode::QrCode;
use qrcode::render::svg;
use serde::Serialize;
use serde_json::json;

use crate::{Report, ReportError, render_report};

const TEMPLATE: &str = include_str!("../templates/certificate.typ");

/// The texts of one language's half of the certificate, already
/// translated and with the values filled in.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateSide<'a> {
    /// "Certificate of completion".
    pub heading: &'a str,
    /// "This is to certify that".
    pub statement: &'a str,
    /// "has completed the training course".
    pub completed: &'a str,
    /// The course title in this language.
    pub course_title: &'a str,
    pub date_label: &'a str,
    /// The issue date, formatted for this language.
    pub date: &'a str,
    pub issuer_label: &'a str,
    pub code_label: &'a str,
    /// One line telling the reader to scan the code or open the address.
    pub verify_hint: &'a str,
}

/// What to print.
#[derive(Debug, Clone)]
pub struct CertificateRequest<'a> {
    /// The title of the PDF document (its metadata).
    pub document_title: &'a str,
    pub holder_name: &'a str,
    /// The issuing organisation's name.
    pub organisation: &'a str,
    /// The code in its printed form (`K7WX-3MPA-9HCT-F2RC`).
    pub code: &'a str,
    /// The public verification address the QR code opens.
    pub verify_url: &'a str,
    pub greek: CertificateSide<'a>,
    pub english: CertificateSide<'a>,
}

/// Why a certificate could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    /// The address is too long for a QR code.
    #[error("the verification address does not fit a QR code: {0}")]
    QrCode(String),
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// Renders the certificate: one A4 landscape page.
///
/// # Errors
///
/// [`CertificateError::QrCode`] when the address cannot be encoded,
/// [`CertificateError::Report`] when rendering fails.
pub fn certificate(request: &CertificateRequest<'_>) -> Result<Report, CertificateError> {
    let qr_svg = qr_svg(request.verify_url)?;
    let inputs = json!({
        "document_title": request.document_title,
        "holder_name": request.holder_name,
        "organisation": request.organisation,
        "code": request.code,
        "verify_url": request.verify_url,
        "qr_svg": qr_svg,
        "el": request.greek,
        "en": request.english,
    });
    Ok(render_report(TEMPLATE, &inputs)?)
}

/// The QR code of `url` as an SVG document, black on white with the quiet
/// zone the standard asks for.
///
/// # Errors
///
/// [`CertificateError::QrCode`] when the text is too long for a QR code.
pub fn qr_svg(url: &str) -> Result<String, CertificateError> {
    let code =
        QrCode::new(url.as_bytes()).map_err(|error| CertificateError::QrCode(error.to_string()))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> CertificateRequest<'static> {
        CertificateRequest {
            document_title: "Πιστοποιητικό",
            holder_name: "Δοκιμαστική Εκπαιδευόμενη",
            organisation: "Κέντρο Δοκιμών",
            code: "K7WX-3MPA-9HCT-F2RC",
            verify_url: "http://127.0.0.1:8080/verify/K7WX3MPA9HCTF2RC",
            greek: CertificateSide {
                heading: "Πιστοποιητικό ολοκλήρωσης",
                statement: "Βεβαιώνεται ότι",
                completed: "ολοκλήρωσε το πρόγραμμα κατάρτισης",
                course_title: "Αναγνώριση θυμάτων εμπορίας",
                date_label: "Ημερομηνία",
                date: "5 Δεκεμβρίου 2026",
                issuer_label: "Φορέας",
                code_label: "Κωδικός επαλήθευσης",
                verify_hint: "Σαρώστε τον κωδικό QR για επαλήθευση.",
            },
            english: CertificateSide {
                heading: "Certificate of completion",
                statement: "This is to certify that",
                completed: "has completed the training course",
                course_title: "Identifying victims of trafficking",
                date_label: "Date",
                date: "5 December 2026",
                issuer_label: "Issued by",
                code_label: "Verification code",
                verify_hint: "Scan the QR code to verify.",
            },
        }
    }

    #[test]
    fn certificate_is_one_page_with_both_languages() {
        let report = certificate(&sample()).unwrap();
        assert!(report.pdf.starts_with(b"%PDF-"));
        assert_eq!(report.page_count(), 1);
        let text = report.page_text.concat();
        for expected in [
            "Πιστοποιητικό",
            "Certificate",
            "Κέντρο",
            "K7WX-3MPA-9HCT-F2RC",
        ] {
            assert!(text.contains(expected), "{expected} missing from {text}");
        }
    }

    #[test]
    fn qr_code_is_svg() {
        let svg = qr_svg("http://127.0.0.1/verify/K7WX3MPA9HCTF2RC").unwrap();
        assert!(svg.contains("<svg"));
        assert!(matches!(
            qr_svg(&"x".repeat(8000)),
            Err(CertificateError::QrCode(_))
        ));
    }
}
