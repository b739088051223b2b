//! Lesson Markdown to safe HTML.
//!
//! Trainers write lessons in Markdown. [`render_lesson`] turns it into HTML
//! that keeps headings, paragraphs, lists, emphasis, links, tables, block
//! quotes, code and images of the lesson's own files, and nothing else:
//!
//! - raw HTML in the Markdown is shown as text, never interpreted;
//! - links keep only `http`, `https` and `mailto` targets and open with
//!   `rel="noopener noreferrer"`; any other link becomes its text;
//! - an image is kept only when it names one of the lesson's files (by file
//!   name or by its download path); any other image becomes its alt text;
//! - the result passes through ammonia with an allow-list, which strips
//!   scripts, event handlers, `style`, iframes and unknown URL schemes
//!   whatever the Markdown parser produced.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The files a lesson's Markdown may show as images.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonFiles {
    /// The download path every file of the lesson starts with, ending in
    /// `/` (e.g. `/training/courses/{id}/lessons/{lesson_id}/files/`).
    pub base: String,
    /// (file id, file name) of each file.
    pub files: Vec<(String, String)>,
}

impl LessonFiles {
    /// The download path of the file an image points at, if it is one of
    /// the lesson's: `name.png`, `./name.png` or the full download path.
    fn resolve(&self, dest: &str) -> Option<String> {
        let dest = dest.trim();
        let by_name = dest.strip_prefix("./").unwrap_or(dest);
        if let Some((id, _)) = self.files.iter().find(|(_, name)| name == by_name) {
            return Some(format!("{}{id}", self.base));
        }
        let id = dest.strip_prefix(self.base.as_str())?;
        self.files
            .iter()
            .any(|(file_id, _)| file_id == id)
            .then(|| format!("{}{id}", self.base))
    }
}

/// Whether a link target may stay a link.
fn is_safe_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Returns the video link when it is an `https` URL with a host; `None`
/// for anything else. Videos are shown as links, never embedded.
pub fn safe_video_url(value: &str) -> Option<String> {
    let parsed = url::Url::parse(value.trim()).ok()?;
    (parsed.scheme() == "https" && parsed.host_str().is_some_and(|host| !host.is_empty()))
        .then(|| parsed.to_string())
}

/// Renders a lesson's Markdown as sanitised HTML.
pub fn render_lesson(markdown: &str, files: &LessonFiles) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);

    // Links and images refused below are replaced by their inner text; the
    // stack remembers which end tags to drop.
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut image_depth = 0usize;
    let mut events: Vec<Event<'_>> = Vec::new();
    for event in parser {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = is_safe_link(&dest_url);
                dropped_links.push(!keep);
                if keep {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if dropped_links.pop() == Some(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if image_depth > 0 {
                    image_depth += 1;
                    continue;
                }
                match files.resolve(&dest_url) {
                    Some(src) => events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(src),
                        title,
                        id,
                    })),
                    None => image_depth = 1,
                }
            }
            Event::End(TagEnd::Image) => {
                if image_depth > 0 {
                    image_depth -= 1;
                } else {
                    events.push(Event::End(TagEnd::Image));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html, files)
}

/// Cleans HTML with an allow-list of tags and attributes.
fn sanitise(html: &str, files: &LessonFiles) -> String {
    let tags: HashSet<&str> = [
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
    ]
    .into_iter()
    .collect();
    let base = files.base.clone();
    let file_ids: HashSet<String> = files.files.iter().map(|(id, _)| id.clone()).collect();
    ammonia::Builder::default()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect::<HashSet<_>>()),
                ("img", ["src", "alt", "title"].into_iter().collect()),
                ("th", ["align"].into_iter().collect()),
                ("td", ["align"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                ("a", "href") => is_safe_link(value).then(|| value.into()),
                ("img", "src") => value
                    .strip_prefix(base.as_str())
                    .filter(|id| file_ids.contains(*id))
                    .map(|_| value.into()),
                _ => Some(value.into()),
            },
        )
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> LessonFiles {
        LessonFiles {
            base: "/training/courses/c1/lessons/l1/files/".into(),
            files: vec![("f1".into(), "chart.png".into())],
        }
    }

    fn render(markdown: &str) -> String {
        render_lesson(markdown, &files())
    }

    #[test]
    fn keeps_headings_lists_emphasis_tables_and_quotes() {
        let html = render(
            "# Τίτλος\n\n## Sub\n\n- one\n- *two*\n\n1. **three**\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        for fragment in [
            "<h1>Τίτλος</h1>",
            "<h2>Sub</h2>",
            "<ul>",
            "<em>two</em>",
            "<ol>",
            "<strong>three</strong>",
            "<blockquote>",
            "<table>",
            "<td>1</td>",
        ] {
            assert!(html.contains(fragment), "{fragment} missing in {html}");
        }
    }

    #[test]
    fn links_keep_safe_schemes_with_rel() {
        let html = render("[site](https://example.org/a) [mail](mailto:info@example.org)");
        assert!(html.contains(r#"href="https://example.org/a""#), "{html}");
        assert!(html.contains(r#"href="mailto:info@example.org""#), "{html}");
        assert_eq!(html.matches(r#"rel="noopener noreferrer""#).count(), 2);
    }

    #[test]
    fn unsafe_links_become_text() {
        for markdown in [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click](vbscript:msgbox)",
            "<a href=\"javascript:alert(1)\">click</a>",
        ] {
            let html = render(markdown);
            assert!(!html.contains("<a "), "{markdown} kept a link: {html}");
            assert!(html.contains("click"), "{markdown} lost its text: {html}");
        }
    }

    #[test]
    fn scripts_handlers_and_iframes_never_survive() {
        for markdown in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p onclick=\"alert(1)\">x</p>",
            "<svg onload=alert(1)>",
            "text <b style=\"x\" onmouseover=\"alert(1)\">bold</b>",
        ] {
            let html = render(markdown);
            assert!(!html.contains("<script"), "{markdown}: {html}");
            assert!(!html.contains("<iframe"), "{markdown}: {html}");
            assert!(!html.contains("<img"), "{markdown}: {html}");
            assert!(!html.contains("<svg"), "{markdown}: {html}");
            assert!(!html.contains("<p onclick"), "{markdown}: {html}");
            assert!(!html.contains("<b "), "{markdown}: {html}");
        }
    }

    #[test]
    fn images_only_from_the_lesson_files() {
        let html = render("![Chart](chart.png)");
        assert!(
            html.contains(r#"<img src="/training/courses/c1/lessons/l1/files/f1" alt="Chart">"#),
            "{html}"
        );
        let html = render("![Chart](/training/courses/c1/lessons/l1/files/f1)");
        assert!(html.contains("<img"), "{html}");
        for markdown in [
            "![Tracker](https://evil.example/pixel.gif)",
            "![Other](/training/courses/c2/lessons/l9/files/f9)",
            "![Data](data:image/png;base64,iVBORw0KGgo=)",
            "![Js](javascript:alert(1))",
        ] {
            let html = render(markdown);
            assert!(!html.contains("<img"), "{markdown}: {html}");
        }
        assert!(render("![Tracker](https://evil.example/p.gif)").contains("Tracker"));
    }

    #[test]
    fn video_links_must_be_https() {
        assert_eq!(
            safe_video_url(" https://video.example/watch?v=1 ").as_deref(),
            Some("https://video.example/watch?v=1")
        );
        assert_eq!(safe_video_url("http://video.example/v"), None);
        assert_eq!(safe_video_url("javascript:alert(1)"), None);
        assert_eq!(safe_video_url("data:text/html,x"), None);
        assert_eq!(safe_video_url("not a url"), None);
    }
}
