//! Attachment type detection and file name cleaning, compiled from their
//! source file in procap-web. The first byte splits the input: the rest is
//! either file content or a file name as a browser might send it.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/web/src/handlers/notes/file_type.rs"]
#[allow(dead_code, reason = "the target uses only the pure checks")]
mod file_type;

use file_type::{
    FileType, MAX_FILE_NAME_CHARS, clean_file_name, content_disposition, detect_type,
    name_fits_type,
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        if let Some(kind) = detect_type(rest) {
            assert!(!rest.is_empty());
            assert_eq!(FileType::from_mime(kind.mime()), Some(kind));
            if kind == FileType::Text {
                let text = std::str::from_utf8(rest).expect("text is UTF-8");
                assert!(
                    text.chars()
                        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{0c}'))
                );
            }
        }
        return;
    }
    let raw = String::from_utf8_lossy(rest);
    let name = clean_file_name(&raw);
    assert!(!name.is_empty(), "empty file name");
    assert!(!name.contains(['/', '\\']), "path separator kept");
    assert!(!name.starts_with('.'), "leading dot kept");
    assert!(
        !name.chars().any(char::is_control),
        "control character kept"
    );
    assert!(name.chars().count() <= MAX_FILE_NAME_CHARS, "name too long");
    assert!(name != ".." && name != ".");
    let disposition = content_disposition(&name);
    assert!(
        disposition.bytes().all(|b| (0x20..0x7f).contains(&b)),
        "header value not visible ASCII"
    );
    assert_eq!(
        disposition.matches('"').count(),
        2,
        "quote escaped the name"
    );
    for kind in [FileType::Pdf, FileType::Png, FileType::Jpeg, FileType::Text] {
        let _ = name_fits_type(&name, kind);
    }
});
