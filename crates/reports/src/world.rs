//! The in-memory typst `World`: one source file, the embedded fonts, no
//! file system, no packages and no clock.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts every document may use, parsed once: typst's bundled fonts
/// (Libertinus Serif for Latin, Greek and Cyrillic; New Computer Modern;
/// DejaVu Sans Mono, the only one with Arabic-script glyphs).
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// The family names of the embedded fonts, sorted, for documentation and
/// tests.
pub fn font_families() -> Vec<String> {
    let mut families: Vec<String> = FONTS
        .fonts
        .iter()
        .map(|font| font.info().family.clone())
        .collect();
    families.sort();
    families.dedup();
    families
}

/// A world holding one main source and the inputs dictionary.
pub(crate) struct MemoryWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl MemoryWorld {
    pub(crate) fn new(source: &str, inputs: Dict) -> MemoryWorld {
        let path = VirtualPath::new("/main.typ").expect("a valid constant path");
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        MemoryWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, source.to_owned()),
        }
    }
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// Documents carry the dates their caller passes in; `datetime.today()`
    /// is an error so that output never depends on the clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
