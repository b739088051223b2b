//! Lesson Markdown to HTML. The renderer is compiled from its source file
//! in procap-web, which depends only on pulldown-cmark, ammonia and url;
//! building the whole web crate instrumented would take too long.
//!
//! Beyond "no panic", every tag and attribute in the output must be on the
//! allow-list, links must use http, https or mailto, and images must be
//! the lesson's own files.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/web/src/pages/training_markdown.rs"]
#[allow(dead_code, reason = "the target uses only the renderer")]
mod training_markdown;

use training_markdown::{LessonFiles, render_lesson};

const BASE: &str = "/training/courses/c1/lessons/l1/files/";

const TAGS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

/// Checks one tag's text (between `<` and `>`, without them).
fn check_tag(tag: &str) {
    let tag = tag.strip_prefix('/').unwrap_or(tag);
    let name_end = tag
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(tag.len());
    let name = &tag[..name_end];
    assert!(TAGS.contains(&name), "tag <{name}> not allowed");
    let mut rest = &tag[name_end..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return;
        }
        let eq = rest.find('=').expect("an attribute without a value");
        let attribute = &rest[..eq];
        let after = rest[eq + 1..].strip_prefix('"').expect("an unquoted value");
        let close = after.find('"').expect("an unterminated value");
        let value = &after[..close];
        rest = &after[close + 1..];
        let allowed = match name {
            "a" => ["href", "title", "rel"].contains(&attribute),
            "img" => ["src", "alt", "title"].contains(&attribute),
            "th" | "td" => attribute == "align",
            "ol" => attribute == "start",
            _ => false,
        };
        assert!(allowed, "attribute {attribute} on <{name}>");
        match attribute {
            "href" => {
                let lower = value.to_ascii_lowercase();
                assert!(
                    ["http://", "https://", "mailto:"]
                        .iter()
                        .any(|scheme| lower.starts_with(scheme)),
                    "unsafe link target {value}"
                );
            }
            "src" => assert_eq!(value, format!("{BASE}f1"), "image outside the lesson"),
            "rel" => assert_eq!(value, "noopener noreferrer"),
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let files = LessonFiles {
        base: BASE.to_owned(),
        files: vec![("f1".to_owned(), "map.png".to_owned())],
    };
    let html = render_lesson(markdown, &files);
    // Text is escaped, so every `<` opens a tag; a `>` may sit inside a
    // quoted attribute value.
    let mut rest = html.as_str();
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let mut quoted = false;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map(|(index, _)| index)
            .expect("an unclosed tag");
        check_tag(&after[..end]);
        rest = &after[end + 1..];
    }
});
