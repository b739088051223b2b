//! SCORM 1.2 packages: reads an uploaded zip in memory, checks it and
//! returns its files with the launch file of its first SCO.
//!
//! The reader trusts nothing in the archive:
//!
//! - the archive itself, the number of entries and the total size of the
//!   unpacked files are limited ([`Limits`]); sizes are counted while
//!   inflating, so a header that understates a file's size does not help
//!   a zip bomb;
//! - every entry name must be a plain relative path: no `..` or `.`
//!   segment, no leading `/`, no backslash, no drive letter, no control
//!   character, no empty segment; symbolic links are refused;
//! - `imsmanifest.xml` must sit at the root, be well-formed XML and declare
//!   SCORM 1.2 (`<schemaversion>1.2</schemaversion>`, or, without that
//!   element, the SCORM 1.2 `adlcp` namespace);
//! - the first item of the default organisation that points to a resource
//!   of type `sco` gives the launch file, which must be in the package.
//!
//! Nothing is written anywhere: the caller stores the returned files.

use std::collections::HashSet;
use std::fmt;
use std::io::{Cursor, Read};

/// The manifest's file name, at the package root.
pub const MANIFEST: &str = "imsmanifest.xml";

/// The SCORM 1.2 namespace of the `adlcp` attributes.
const ADLCP_12_NAMESPACE: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

/// Longest package title kept, in characters.
const MAX_TITLE_CHARS: usize = 200;

/// Longest entry path accepted, in bytes.
const MAX_PATH_BYTES: usize = 512;

/// How large a package may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The zip file as uploaded, in bytes.
    pub max_archive_bytes: usize,
    /// All unpacked files together, in bytes.
    pub max_total_bytes: u64,
    /// Entries in the archive, folders included.
    pub max_entries: usize,
}

impl Default for Limits {
    /// 50 MiB packed, 200 MiB unpacked, 2,000 entries: room for a course
    /// with audio and images, not for a video library.
    fn default() -> Self {
        Limits {
            max_archive_bytes: 50 * 1024 * 1024,
            max_total_bytes: 200 * 1024 * 1024,
            max_entries: 2_000,
        }
    }
}

/// One file of a package.
#[derive(Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// The checked relative path, with `/` separators.
    pub path: String,
    pub content: Vec<u8>,
}

impl fmt::Debug for PackageFile {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("PackageFile")
            .field("path", &self.path)
            .field("bytes", &self.content.len())
            .finish()
    }
}

/// A checked SCORM 1.2 package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScormPackage {
    /// The organisation's title, or the first SCO's, or the manifest
    /// identifier; trimmed and at most 200 characters.
    pub title: String,
    /// The first SCO's launch file relative to the package root, with any
    /// query string the manifest gives. Its path part is one of `files`.
    pub launch_path: String,
    /// Every file of the package (folders left out), manifest included.
    pub files: Vec<PackageFile>,
}

impl ScormPackage {
    /// The unpacked size of all files, in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files
            .iter()
            .map(|file| file.content.len() as u64)
            .sum()
    }
}

/// Why a package was refused. `Display` is English for logs; the web layer
/// words each case for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScormError {
    /// The upload is larger than `max_archive_bytes`.
    ArchiveTooLarge { max_bytes: usize },
    /// Not a readable zip archive.
    NotZip,
    /// More entries than `max_entries`.
    TooManyEntries { max: usize },
    /// The unpacked files would exceed `max_total_bytes`.
    TooLargeUnpacked { max_bytes: u64 },
    /// An entry name that is absolute, climbs out with `..` or is otherwise
    /// not a plain relative path.
    UnsafePath { path: String },
    /// An entry is a symbolic link.
    Symlink { path: String },
    /// Two entries with the same path.
    DuplicatePath { path: String },
    /// An entry is encrypted or uses a compression method not supported.
    UnreadableEntry { path: String },
    /// No `imsmanifest.xml` at the root.
    MissingManifest,
    /// The manifest is not well-formed XML.
    InvalidManifest { detail: String },
    /// The manifest declares another SCORM version (or none).
    NotScorm12 { found: Option<String> },
    /// No item of the organisation points to a SCO resource.
    NoSco,
    /// The first SCO's launch file is not in the package.
    LaunchFileMissing { path: String },
}

impl fmt::Display for ScormError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScormError::ArchiveTooLarge { max_bytes } => {
                write!(formatter, "the package is larger than {max_bytes} bytes")
            }
            ScormError::NotZip => formatter.write_str("the file is not a zip archive"),
            ScormError::TooManyEntries { max } => {
                write!(formatter, "the archive has more than {max} entries")
            }
            ScormError::TooLargeUnpacked { max_bytes } => {
                write!(formatter, "the unpacked files exceed {max_bytes} bytes")
            }
            ScormError::UnsafePath { path } => write!(formatter, "unsafe entry path {path:?}"),
            ScormError::Symlink { path } => write!(formatter, "entry {path:?} is a symbolic link"),
            ScormError::DuplicatePath { path } => write!(formatter, "entry {path:?} appears twice"),
            ScormError::UnreadableEntry { path } => {
                write!(formatter, "entry {path:?} cannot be read")
            }
            ScormError::MissingManifest => write!(formatter, "no {MANIFEST} at the root"),
            ScormError::InvalidManifest { detail } => {
                write!(formatter, "the manifest is not well-formed XML: {detail}")
            }
            ScormError::NotScorm12 { found } => match found {
                Some(version) => write!(formatter, "schema version {version:?} is not SCORM 1.2"),
                None => formatter.write_str("the manifest does not declare SCORM 1.2"),
            },
            ScormError::NoSco => formatter.write_str("no item launches a SCO"),
            ScormError::LaunchFileMissing { path } => {
                write!(formatter, "launch file {path:?} is not in the package")
            }
        }
    }
}

impl std::error::Error for ScormError {}

/// Checks a relative path from an archive or a URL: non-empty segments
/// separated by `/`, none of them `.` or `..`, no backslash, colon, control
/// character or leading `/`. Returns the path unchanged when it is safe.
pub fn safe_relative_path(path: &str) -> Option<&str> {
    if path.is_empty() || path.len() > MAX_PATH_BYTES || path.starts_with('/') {
        return None;
    }
    if path
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == ':')
    {
        return None;
    }
    let safe = path
        .split('/')
        .all(|segment| !segment.is_empty() && segment != "." && segment != "..");
    safe.then_some(path)
}

/// Reads and checks a SCORM 1.2 package from the uploaded bytes.
pub fn read_package(bytes: &[u8], limits: &Limits) -> Result<ScormPackage, ScormError> {
    if bytes.len() > limits.max_archive_bytes {
        return Err(ScormError::ArchiveTooLarge {
            max_bytes: limits.max_archive_bytes,
        });
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ScormError::NotZip)?;
    if archive.len() > limits.max_entries {
        return Err(ScormError::TooManyEntries {
            max: limits.max_entries,
        });
    }

    // Names and declared sizes first, so a bomb is refused before any
    // inflating starts.
    let mut declared: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| ScormError::NotZip)?;
        let name = entry.name().map_err(|_| ScormError::NotZip)?.into_owned();
        if entry.is_symlink() {
            return Err(ScormError::Symlink { path: name });
        }
        let path = name.strip_suffix('/').unwrap_or(&name);
        if safe_relative_path(path).is_none() {
            return Err(ScormError::UnsafePath { path: name });
        }
        declared = declared.saturating_add(entry.size());
        if declared > limits.max_total_bytes {
            return Err(ScormError::TooLargeUnpacked {
                max_bytes: limits.max_total_bytes,
            });
        }
    }

    let mut files = Vec::new();
    let mut seen = HashSet::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|_| ScormError::NotZip)?;
        let name = entry.name().map_err(|_| ScormError::NotZip)?.into_owned();
        if entry.is_dir() {
            continue;
        }
        if !seen.insert(name.clone()) {
            return Err(ScormError::DuplicatePath { path: name });
        }
        let room = limits.max_total_bytes - total;
        let mut content = Vec::new();
        entry
            .take(room.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|_| ScormError::UnreadableEntry { path: name.clone() })?;
        total += content.len() as u64;
        if total > limits.max_total_bytes {
            return Err(ScormError::TooLargeUnpacked {
                max_bytes: limits.max_total_bytes,
            });
        }
        files.push(PackageFile {
            path: name,
            content,
        });
    }

    let manifest = files
        .iter()
        .find(|file| file.path == MANIFEST)
        .ok_or(ScormError::MissingManifest)?;
    let (title, launch_path) = read_manifest(&manifest.content)?;
    let launch_file = launch_path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_owned();
    if !files.iter().any(|file| file.path == launch_file) {
        return Err(ScormError::LaunchFileMissing { path: launch_path });
    }
    Ok(ScormPackage {
        title,
        launch_path,
        files,
    })
}

/// Reads the title and the first SCO's launch path from the manifest.
fn read_manifest(content: &[u8]) -> Result<(String, String), ScormError> {
    let text = std::str::from_utf8(content).map_err(|_| ScormError::InvalidManifest {
        detail: "not UTF-8".to_owned(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|error| {
        ScormError::InvalidManifest {
            detail: error.to_string(),
        }
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "manifest" {
        return Err(ScormError::InvalidManifest {
            detail: "the root element is not <manifest>".to_owned(),
        });
    }
    check_version(&document, root)?;

    let organizations = child(root, "organizations");
    let organization = organizations.and_then(|organizations| {
        let default = organizations.attribute("default");
        let mut all = children(organizations, "organization");
        match default {
            Some(id) => all.find(|node| node.attribute("identifier") == Some(id)),
            None => all.next(),
        }
    });
    let resources = child(root, "resources").ok_or(ScormError::NoSco)?;
    let resources_base = xml_base(resources);
    let organization = organization.ok_or(ScormError::NoSco)?;

    let mut sco = None;
    for item in organization
        .descendants()
        .filter(|node| node.is_element() && node.tag_name().name() == "item")
    {
        let Some(reference) = item.attribute("identifierref") else {
            continue;
        };
        let resource = children(resources, "resource")
            .find(|resource| resource.attribute("identifier") == Some(reference));
        if let Some(resource) = resource.filter(|resource| is_sco(*resource)) {
            sco = Some((item, resource));
            break;
        }
    }
    let (item, resource) = sco.ok_or(ScormError::NoSco)?;
    let href = resource
        .attribute("href")
        .map(str::trim)
        .filter(|href| !href.is_empty())
        .ok_or(ScormError::NoSco)?;
    let parameters = item.attribute("parameters").unwrap_or_default().trim();
    let launch_path = format!("{resources_base}{}{href}{parameters}", xml_base(resource));
    let path_part = launch_path.split(['?', '#']).next().unwrap_or_default();
    if safe_relative_path(path_part).is_none() {
        return Err(ScormError::UnsafePath { path: launch_path });
    }

    let title = [child(organization, "title"), child(item, "title")]
        .into_iter()
        .flatten()
        .filter_map(|node| node.text())
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|text| !text.is_empty())
        .or_else(|| root.attribute("identifier").map(str::to_owned))
        .unwrap_or_default();
    let title: String = title.chars().take(MAX_TITLE_CHARS).collect();
    Ok((title, launch_path))
}

/// Accepts `<metadata><schemaversion>1.2</schemaversion>`; without that
/// element, the SCORM 1.2 `adlcp` namespace declared anywhere.
fn check_version(
    document: &roxmltree::Document<'_>,
    root: roxmltree::Node<'_, '_>,
) -> Result<(), ScormError> {
    let version = child(root, "metadata")
        .and_then(|metadata| child(metadata, "schemaversion"))
        .map(|node| node.text().unwrap_or_default().trim().to_owned());
    match version {
        Some(version) if version == "1.2" => Ok(()),
        Some(version) => Err(ScormError::NotScorm12 {
            found: Some(version),
        }),
        None => {
            let declares_12 = document
                .descendants()
                .flat_map(|node| node.namespaces())
                .any(|namespace| namespace.uri() == ADLCP_12_NAMESPACE);
            if declares_12 {
                Ok(())
            } else {
                Err(ScormError::NotScorm12 { found: None })
            }
        }
    }
}

/// Whether a resource is a SCO (`adlcp:scormtype="sco"`; the attribute's
/// prefix and case vary between authoring tools).
fn is_sco(resource: roxmltree::Node<'_, '_>) -> bool {
    resource.attributes().any(|attribute| {
        attribute.name().eq_ignore_ascii_case("scormtype")
            && attribute.value().trim().eq_ignore_ascii_case("sco")
    })
}

/// A node's `xml:base`, with a trailing `/` when it is not empty.
fn xml_base(node: roxmltree::Node<'_, '_>) -> String {
    let base = node
        .attribute((roxmltree::NS_XML_URI, "base"))
        .unwrap_or_default()
        .trim();
    if base.is_empty() || base.ends_with('/') {
        base.to_owned()
    } else {
        format!("{base}/")
    }
}

fn children<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children()
        .filter(move |child| child.is_element() && child.tag_name().name() == name)
}

fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'static str,
) -> Option<roxmltree::Node<'a, 'input>> {
    children(node, name).next()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    const MANIFEST_12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="demo" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Signs at the airport</title>
      <item identifier="i0" identifierref="assets"><title>Assets</title></item>
      <item identifier="i1" identifierref="sco1"><title>Lesson</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="assets" type="webcontent" adlcp:scormtype="asset" href="shared/a.css"/>
    <resource identifier="sco1" type="webcontent" adlcp:scormtype="sco" href="lesson/index.html">
      <file href="lesson/index.html"/>
    </resource>
  </resources>
</manifest>"#;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn good() -> Vec<(&'static str, &'static [u8])> {
        vec![
            ("imsmanifest.xml", MANIFEST_12.as_bytes()),
            ("lesson/index.html", b"<html></html>".as_slice()),
            ("shared/a.css", b"body{}".as_slice()),
        ]
    }

    #[test]
    fn a_scorm_12_package_gives_its_first_sco() {
        let package = read_package(&zip_of(&good()), &Limits::default()).unwrap();
        assert_eq!(package.title, "Signs at the airport");
        assert_eq!(package.launch_path, "lesson/index.html");
        assert_eq!(package.files.len(), 3);
    }

    #[test]
    fn paths_must_be_plain_and_relative() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\b",
            "C:/x",
            "a//b",
            "./a",
            "a/.",
            "",
            "a\u{0}b",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_relative_path("a/b.html"), Some("a/b.html"));
        assert_eq!(safe_relative_path("ε/αρχείο.html"), Some("ε/αρχείο.html"));
    }

    #[test]
    fn traversal_and_absolute_entries_are_refused() {
        for name in ["../evil.html", "/abs.html", "a/../../b.html"] {
            let mut entries = good();
            entries.push((name, b"x"));
            assert_eq!(
                read_package(&zip_of(&entries), &Limits::default()),
                Err(ScormError::UnsafePath {
                    path: name.to_owned()
                }),
            );
        }
    }

    #[test]
    fn symlinks_are_refused() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in good() {
            writer
                .start_file(name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content).unwrap();
        }
        writer
            .add_symlink("link", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        assert_eq!(
            read_package(&bytes, &Limits::default()),
            Err(ScormError::Symlink {
                path: "link".to_owned()
            })
        );
    }

    #[test]
    fn bombs_and_crowds_are_refused() {
        let mut entries = good();
        let zeros = vec![0_u8; 200_000];
        entries.push(("big.bin", &zeros));
        let bytes = zip_of(&entries);
        let limits = Limits {
            max_total_bytes: 100_000,
            ..Limits::default()
        };
        assert_eq!(
            read_package(&bytes, &limits),
            Err(ScormError::TooLargeUnpacked { max_bytes: 100_000 })
        );
        let limits = Limits {
            max_entries: 2,
            ..Limits::default()
        };
        assert_eq!(
            read_package(&bytes, &limits),
            Err(ScormError::TooManyEntries { max: 2 })
        );
        let limits = Limits {
            max_archive_bytes: 10,
            ..Limits::default()
        };
        assert_eq!(
            read_package(&bytes, &limits),
            Err(ScormError::ArchiveTooLarge { max_bytes: 10 })
        );
    }

    #[test]
    fn manifest_problems_are_named() {
        assert_eq!(
            read_package(b"not a zip", &Limits::default()),
            Err(ScormError::NotZip)
        );
        let entries = [("lesson/index.html", b"x".as_slice())];
        assert_eq!(
            read_package(&zip_of(&entries), &Limits::default()),
            Err(ScormError::MissingManifest)
        );
        let entries = [("imsmanifest.xml", b"<manifest>".as_slice())];
        assert!(matches!(
            read_package(&zip_of(&entries), &Limits::default()),
            Err(ScormError::InvalidManifest { .. })
        ));
        let scorm_2004 = MANIFEST_12.replace(
            "<schemaversion>1.2</schemaversion>",
            "<schemaversion>2004 4th Edition</schemaversion>",
        );
        let entries = [
            ("imsmanifest.xml", scorm_2004.as_bytes()),
            ("lesson/index.html", b"x".as_slice()),
        ];
        assert_eq!(
            read_package(&zip_of(&entries), &Limits::default()),
            Err(ScormError::NotScorm12 {
                found: Some("2004 4th Edition".to_owned())
            })
        );
        let entries = [("imsmanifest.xml", MANIFEST_12.as_bytes())];
        assert_eq!(
            read_package(&zip_of(&entries), &Limits::default()),
            Err(ScormError::LaunchFileMissing {
                path: "lesson/index.html".to_owned()
            })
        );
        let no_sco = MANIFEST_12.replace("scormtype=\"sco\"", "scormtype=\"asset\"");
        let entries = [
            ("imsmanifest.xml", no_sco.as_bytes()),
            ("lesson/index.html", b"x".as_slice()),
        ];
        assert_eq!(
            read_package(&zip_of(&entries), &Limits::default()),
            Err(ScormError::NoSco)
        );
    }

    #[test]
    fn the_namespace_stands_in_for_a_missing_version() {
        let bare = MANIFEST_12.replace(
            "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>",
            "",
        );
        let entries = [
            ("imsmanifest.xml", bare.as_bytes()),
            ("lesson/index.html", b"x".as_slice()),
        ];
        assert!(read_package(&zip_of(&entries), &Limits::default()).is_ok());
        let other = bare.replace("adlcp_rootv1p2", "adlcp_v1p3");
        let entries = [
            ("imsmanifest.xml", other.as_bytes()),
            ("lesson/index.html", b"x".as_slice()),
        ];
        assert_eq!(
            read_package(&zip_of(&entries), &Limits::default()),
            Err(ScormError::NotScorm12 { found: None })
        );
    }
}
