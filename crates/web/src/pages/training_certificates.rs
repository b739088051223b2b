//! Certificate pages: the public verification page, the trainee's list and
//! the trainers' list with revocation.

use askama::Template;

use super::{FieldErrors, PageContext, Pagination, SelectOption};

/// The trainee's own certificates.
pub const MY_CERTIFICATES: &str = "/training/certificates";
/// The trainers' list.
pub const MANAGE_CERTIFICATES: &str = "/training/manage/certificates";
/// The public issuer profile with the badge signing key.
pub const BADGE_ISSUER: &str = "/badges/issuer";

/// The public verification page of a code (compact form).
pub fn verify_href(code: &str) -> String {
    format!("/verify/{code}")
}

pub fn pdf_href(id: &str) -> String {
    format!("/training/certificates/{id}/pdf")
}

pub fn badge_href(id: &str) -> String {
    format!("/training/certificates/{id}/badge")
}

pub fn revoke_href(id: &str) -> String {
    format!("/training/manage/certificates/{id}/revoke")
}

/// What the public verification page shows about a known code: only the
/// name, the course, the date and the status.
#[derive(Debug, Clone)]
pub struct Verified {
    pub holder_name: String,
    pub course_title: String,
    pub issued_on: String,
    /// The revocation date when revoked.
    pub revoked_on: Option<String>,
    /// The code in its printed form.
    pub code: String,
}

/// `/verify/{code}`: a known code, or the "not known" message (status 404).
#[derive(Template)]
#[template(path = "training_verify.html")]
pub struct VerifyPage {
    pub ctx: PageContext,
    pub found: Option<Verified>,
}

/// One of the trainee's certificates.
#[derive(Debug, Clone)]
pub struct MyCertificateRow {
    pub course_title: String,
    pub issued_on: String,
    pub code: String,
    pub revoked_on: Option<String>,
    pub pdf_href: String,
    pub badge_href: String,
    pub verify_href: String,
}

#[derive(Template)]
#[template(path = "training_certificates.html")]
pub struct MyCertificatesPage {
    pub ctx: PageContext,
    pub rows: Vec<MyCertificateRow>,
}

/// One row of the trainers' list.
#[derive(Debug, Clone)]
pub struct ManagedCertificateRow {
    pub holder_name: String,
    pub course_title: String,
    pub issued_on: String,
    pub code: String,
    pub revoked_on: Option<String>,
    pub revoke_href: String,
    pub verify_href: String,
}

/// The filters as typed, echoed back into the form.
#[derive(Debug, Clone, Default)]
pub struct ManageFilter {
    pub course: String,
    /// `valid`, `revoked` or empty.
    pub status: String,
}

impl ManageFilter {
    pub fn to_params(&self) -> Vec<(String, String)> {
        vec![
            ("course".to_owned(), self.course.clone()),
            ("status".to_owned(), self.status.clone()),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.course.is_empty() && self.status.is_empty()
    }
}

#[derive(Template)]
#[template(path = "training_manage_certificates.html")]
pub struct ManageCertificatesPage {
    pub ctx: PageContext,
    pub rows: Vec<ManagedCertificateRow>,
    pub filter: ManageFilter,
    pub course_options: Vec<SelectOption>,
    pub status_options: Vec<SelectOption>,
    pub pagination: Pagination,
}

impl ManageCertificatesPage {
    pub fn action(&self) -> &'static str {
        MANAGE_CERTIFICATES
    }
}

/// The first step of a revocation: what is revoked and the reason.
#[derive(Template)]
#[template(path = "training_certificate_revoke.html")]
pub struct RevokePage {
    pub ctx: PageContext,
    pub action: String,
    pub holder_name: String,
    pub course_title: String,
    pub issued_on: String,
    pub code: String,
    /// The reason as typed, kept on a validation error.
    pub reason: String,
    pub errors: FieldErrors,
    /// Characters allowed in the reason.
    pub max_reason: usize,
}

impl RevokePage {
    pub fn cancel_href(&self) -> &'static str {
        MANAGE_CERTIFICATES
    }
}
