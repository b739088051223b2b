//! Attachment file types, recognised by content, and safe file names.
//!
//! Pure functions with no dependency on the rest of the crate, so the
//! `attachment_type` fuzz target can compile this file on its own.

/// Longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// The attachment types Procap accepts, recognised by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Text,
}

impl FileType {
    /// The MIME type sent with the download.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Text => "text/plain; charset=utf-8",
        }
    }

    /// File name extensions that may name this type (lower case).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            FileType::Text => &["txt", "text", "log", "csv", "md"],
        }
    }

    pub fn from_mime(mime: &str) -> Option<FileType> {
        [FileType::Pdf, FileType::Png, FileType::Jpeg, FileType::Text]
            .into_iter()
            .find(|kind| kind.mime() == mime)
    }

    /// The Fluent key of the type's name.
    pub fn label_key(self) -> &'static str {
        match self {
            FileType::Pdf => "attachments-type-pdf",
            FileType::Png => "attachments-type-png",
            FileType::Jpeg => "attachments-type-jpeg",
            FileType::Text => "attachments-type-text",
        }
    }
}

/// Recognises a file's type from its first bytes; `None` for anything
/// else, including binary data that is not one of the image or PDF types.
pub fn detect_type(content: &[u8]) -> Option<FileType> {
    if content.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    let text = std::str::from_utf8(content).ok()?;
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{0c}'));
    (!content.is_empty() && printable).then_some(FileType::Text)
}

/// The last component of a sent file name, without control characters,
/// path separators, or leading dots and spaces; never empty.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    // Dots and spaces can alternate (". .. x"), so strip them together.
    let cleaned = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end()
        .to_owned();
    if cleaned.is_empty() {
        "attachment".to_owned()
    } else {
        cleaned
    }
}

/// Whether the file name's extension, if it has one, fits the detected type.
pub fn name_fits_type(file_name: &str, kind: FileType) -> bool {
    match file_name.rsplit_once('.') {
        None => true,
        Some((_, extension)) => kind
            .extensions()
            .contains(&extension.to_ascii_lowercase().as_str()),
    }
}

/// A `Content-Disposition` value that forces a download: an ASCII fallback
/// name and the UTF-8 name percent-encoded (RFC 6266 and RFC 5987).
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}
