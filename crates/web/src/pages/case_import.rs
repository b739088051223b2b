//! The HTCDS import pages: the upload form with the problems of a refused
//! file, and the progress page of a running import.

use askama::Template;

use super::PageContext;
use super::paths;
use crate::handlers::case_import::ImportState;

/// The upload form (`GET`) and the upload itself (`POST`).
pub const IMPORT_PATH: &str = "/cases/import";

/// Returns the path of an import's progress page.
pub fn progress_href(import_id: &str) -> String {
    format!("{IMPORT_PATH}/{import_id}")
}

/// One problem of a refused file, already translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrorRow {
    pub line: u64,
    /// The column's name in the file, or empty for the whole row.
    pub column: String,
    pub message: String,
}

/// The upload form; after a refused upload, the reason or the list of
/// problems by line and column.
#[derive(Clone, Template)]
#[template(path = "case_import.html")]
pub struct ImportPage {
    pub ctx: PageContext,
    pub max_megabytes: usize,
    /// Why the upload itself was refused (no file, too large).
    pub form_error: Option<String>,
    pub errors: Vec<ImportErrorRow>,
    /// The list stopped at its limit; the file may hold more problems.
    pub more_errors: bool,
}

impl ImportPage {
    pub fn action(&self) -> &'static str {
        IMPORT_PATH
    }
}

/// How far an import has come.
#[derive(Clone, Template)]
#[template(path = "case_import_progress.html")]
pub struct ImportProgressPage {
    pub ctx: PageContext,
    /// This page's own path, for the reload button.
    pub href: String,
    /// Rows in the file.
    pub total: usize,
    pub state: ImportState,
}

impl ImportProgressPage {
    /// Cases written so far.
    pub fn done(&self) -> usize {
        match self.state {
            ImportState::Running { done } => done,
            ImportState::Finished { written } => written,
            ImportState::Failed => 0,
        }
    }

    pub fn running(&self) -> bool {
        matches!(self.state, ImportState::Running { .. })
    }

    pub fn finished(&self) -> bool {
        matches!(self.state, ImportState::Finished { .. })
    }

    /// The case list showing imported cases.
    pub fn cases_href(&self) -> String {
        format!("{}?origin=htcds_import", paths::CASES)
    }

    pub fn import_href(&self) -> &'static str {
        IMPORT_PATH
    }
}
