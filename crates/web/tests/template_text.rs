//! Templates hold no user-visible text of their own: every word comes from
//! the `.ftl` files through `t(...)`.
//!
//! Each template is reduced to what a reader would see if all expressions
//! printed nothing: askama comments, blocks and expressions, HTML comments,
//! tags and character references are blanked out (keeping line numbers).
//! Any letter (Latin, Greek or other) left over is reported, as is a letter
//! inside an attribute that browsers show or read aloud (`title`, `alt`,
//! `placeholder`, `aria-label`, `value`). Only the product name "Procap"
//! may appear as literal text.

use std::fs;
use std::path::{Path, PathBuf};

const ALLOWED_WORDS: [&str; 1] = ["Procap"];
const VISIBLE_ATTRIBUTES: [&str; 5] = ["title", "alt", "placeholder", "aria-label", "value"];

fn templates_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates")
}

fn template_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("readable templates directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Replaces every `open … close` span with spaces, keeping newlines so that
/// line numbers stay right. An unclosed span runs to the end.
fn blank_spans(text: &str, open: &str, close: &str) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        result.push_str(&rest[..start]);
        let after_open = &rest[start + open.len()..];
        let end = after_open
            .find(close)
            .map_or(rest.len(), |end| start + open.len() + end + close.len());
        result.extend(
            rest[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
}

/// Blanks character references such as `&middot;` and `&#8212;`.
fn blank_character_references(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c == '&' {
            let tail = &text[index + 1..];
            let length = tail.find(';').filter(|&end| {
                end > 0
                    && end <= 10
                    && tail[..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '#')
            });
            if let Some(length) = length {
                result.extend(std::iter::repeat_n(' ', length + 2));
                for _ in 0..=length {
                    chars.next();
                }
                continue;
            }
        }
        result.push(c);
    }
    result
}

/// Removes the allowed words, then reports whether letters remain.
fn has_letters(text: &str) -> bool {
    let mut text = text.to_owned();
    for word in ALLOWED_WORDS {
        text = text.replace(word, "");
    }
    text.chars().any(char::is_alphabetic)
}

/// Values of the visible attributes inside the tags of `text`, with the
/// line they start on.
fn visible_attribute_values(text: &str) -> Vec<(usize, String, String)> {
    let mut values = Vec::new();
    for attribute in VISIBLE_ATTRIBUTES {
        let pattern = format!(" {attribute}=\"");
        let mut search_from = 0;
        while let Some(offset) = text[search_from..].find(&pattern) {
            let start = search_from + offset + pattern.len();
            let end = text[start..]
                .find('"')
                .map_or(text.len(), |end| start + end);
            let line = text[..start].matches('\n').count() + 1;
            values.push((line, attribute.to_owned(), text[start..end].to_owned()));
            search_from = end;
        }
    }
    values
}

/// Reduces a template to its literal text, line numbers kept.
fn without_code(template: &str) -> String {
    let text = blank_spans(template, "{#", "#}");
    let text = blank_spans(&text, "{%", "%}");
    let text = blank_spans(&text, "{{", "}}");
    blank_spans(&text, "<!--", "-->")
}

/// Problems in one template: literal text between tags and in visible
/// attributes.
fn literal_text_problems(name: &str, template: &str) -> Vec<String> {
    let code_free = without_code(template);
    let mut problems = Vec::new();

    for (line, attribute, value) in visible_attribute_values(&code_free) {
        if has_letters(&blank_character_references(&value)) {
            problems.push(format!("{name}:{line}: {attribute}=\"{}\"", value.trim()));
        }
    }

    let text = blank_character_references(&blank_spans(&code_free, "<", ">"));
    for (index, line) in text.lines().enumerate() {
        if has_letters(line) {
            problems.push(format!("{name}:{}: {}", index + 1, line.trim()));
        }
    }
    problems
}

#[test]
fn templates_have_no_literal_text() {
    let files = template_files(&templates_dir());
    assert!(
        files.len() >= 15,
        "expected the page templates, found {}",
        files.len()
    );

    let mut problems = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(templates_dir())
            .unwrap_or(&path)
            .display()
            .to_string();
        let template = fs::read_to_string(&path).expect("readable template");
        problems.extend(literal_text_problems(&name, &template));
    }
    assert!(
        problems.is_empty(),
        "user-visible text outside the .ftl files (use ctx.t.t(\"key\")):\n{}",
        problems.join("\n")
    );
}

#[test]
fn detector_flags_literal_text() {
    let template =
        "<p>{{ ctx.t.t(\"ok\") }}</p>\n<p>Hello</p>\n<button title=\"Κλείσιμο\">{{ x }}</button>\n";
    let problems = literal_text_problems("sample.html", template);
    assert_eq!(
        problems,
        ["sample.html:3: title=\"Κλείσιμο\"", "sample.html:2: Hello"]
    );
}

#[test]
fn detector_allows_code_symbols_and_product_name() {
    let template = "{# Notes for developers #}\n<title>{% block title %}{% endblock %} · Procap</title>\n\
                    <p>{{ a }} &middot; — → 12 {% if x %}{{ y }}{% endif %}</p>\n<!-- note -->\n\
                    <input type=\"hidden\" value=\"{{ v }}\">\n";
    assert_eq!(
        literal_text_problems("sample.html", template),
        Vec::<String>::new()
    );
}
