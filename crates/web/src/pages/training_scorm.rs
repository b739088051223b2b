//! Pages of SCORM lessons and the xAPI export: the package upload form, the
//! lesson page that frames a package, and the export form.

use askama::Template;

use super::{FieldErrors, PageContext, SelectOption};

/// The xAPI export form.
pub const XAPI_PATH: &str = "/training/manage/xapi";
/// The statements download the export form submits to (`GET`).
pub const XAPI_DOWNLOAD_PATH: &str = "/training/manage/xapi/statements";

/// The upload form of a course: `/training/manage/courses/{id}/scorm`.
pub fn upload_href(course_id: &str) -> String {
    format!("/training/manage/courses/{course_id}/scorm")
}

/// The lesson page of a SCORM lesson: `/training/scorm/{lesson_id}`.
pub fn lesson_href(lesson_id: &str) -> String {
    format!("/training/scorm/{lesson_id}")
}

/// Where the runtime sends commits: `/training/scorm/{lesson_id}/commit`.
pub fn commit_href(lesson_id: &str) -> String {
    format!("/training/scorm/{lesson_id}/commit")
}

/// The URL of a package file, each path segment percent-encoded; a query
/// string from the manifest is kept as written.
pub fn file_href(lesson_id: &str, path: &str) -> String {
    let (path, query) = match path.find(['?', '#']) {
        Some(at) => path.split_at(at),
        None => (path, ""),
    };
    let mut href = format!("/training/scorm/{lesson_id}/");
    for (index, segment) in path.split('/').enumerate() {
        if index > 0 {
            href.push('/');
        }
        for byte in segment.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                href.push(char::from(byte));
            } else {
                href.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    href.push_str(query);
    href
}

/// What the trainer typed on the upload form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadForm {
    pub module_id: String,
    pub title_el: String,
    pub title_en: String,
    pub required: bool,
}

/// The upload form, with the refusal reason after a bad package.
#[derive(Clone, Template)]
#[template(path = "training_scorm_upload.html")]
pub struct UploadPage {
    pub ctx: PageContext,
    pub course_title: String,
    pub action: String,
    pub modules: Vec<SelectOption>,
    pub form: UploadForm,
    pub errors: FieldErrors,
    pub max_megabytes: usize,
}

impl UploadPage {
    /// The value a ticked checkbox sends.
    pub fn yes(&self) -> &'static str {
        "yes"
    }
}

/// The lesson page: the package in a frame, and the values the runtime
/// script starts from.
#[derive(Clone, Template)]
#[template(path = "training_scorm_lesson.html")]
pub struct LessonPage {
    pub ctx: PageContext,
    pub title: String,
    /// The launch file's URL.
    pub launch_href: String,
    pub commit_href: String,
    /// `normal` for a trainee, `browse` for a trainer's preview, whose
    /// commits are not stored.
    pub lesson_mode: &'static str,
    pub credit: &'static str,
    pub student_id: String,
    pub student_name: String,
    pub status: String,
    pub score: String,
    pub suspend_data: String,
    pub lesson_location: String,
    /// The translated status, for the line above the frame.
    pub status_label: String,
    pub preview: bool,
    /// The course page, for the link back.
    pub course_href: String,
}

/// What the trainer chose on the export form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XapiForm {
    pub course: String,
    pub from: String,
    pub to: String,
    /// `json` or `ndjson`.
    pub format: String,
}

/// The export form.
#[derive(Clone, Template)]
#[template(path = "training_xapi.html")]
pub struct XapiPage {
    pub ctx: PageContext,
    pub courses: Vec<SelectOption>,
    pub form: XapiForm,
    pub errors: FieldErrors,
}

impl XapiPage {
    pub fn action(&self) -> &'static str {
        XAPI_DOWNLOAD_PATH
    }

    pub fn format_json(&self) -> &'static str {
        "json"
    }

    pub fn format_ndjson(&self) -> &'static str {
        "ndjson"
    }

    pub fn is_ndjson(&self) -> bool {
        self.form.format == "ndjson"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_hrefs_encode_segments_and_keep_the_query() {
        assert_eq!(
            file_href("l1", "lesson/index.html?page=2"),
            "/training/scorm/l1/lesson/index.html?page=2"
        );
        assert_eq!(
            file_href("l1", "μάθημα 1/α.html"),
            "/training/scorm/l1/%CE%BC%CE%AC%CE%B8%CE%B7%CE%BC%CE%B1%201/%CE%B1.html"
        );
    }
}
