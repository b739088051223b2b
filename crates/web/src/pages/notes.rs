//! The notes page of a case: notes newest first, attachments, and the forms
//! to add either.

use askama::Template;

use super::{FieldErrors, PageContext};

/// Returns the path of a case's notes page; the note form posts there.
pub fn notes_href(case_id: &str) -> String {
    format!("/cases/{case_id}/notes")
}

/// Returns the path the attachment form posts to.
pub fn attachments_href(case_id: &str) -> String {
    format!("/cases/{case_id}/attachments")
}

#[derive(Debug, Clone)]
pub struct NoteRow {
    pub body: String,
    pub author: String,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub file_name: String,
    pub kind: String,
    pub size: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "case_notes.html")]
pub struct NotesPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub notes: Vec<NoteRow>,
    pub attachments: Vec<AttachmentRow>,
    /// The note as typed, kept when the form comes back with an error.
    pub note: String,
    pub errors: FieldErrors,
    /// The largest accepted attachment, already formatted (e.g. "10 MiB").
    pub max_size: String,
}

impl NotesPage {
    pub fn action(&self) -> String {
        notes_href(&self.case_id)
    }

    pub fn upload_action(&self) -> String {
        attachments_href(&self.case_id)
    }

    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }
}
