//! Course content as files: the TOML layout a course is written in, and the
//! parser that checks a whole course before anything is written.
//!
//! A course is a folder of TOML files: `course.toml` (the course, its
//! pre-test and post-test, and the list of modules in order), one
//! `NAME.toml` per module (its lessons and optional module quiz) and an
//! optional `NAME.questions.toml` beside it (the module's questions).
//! `data/training/README.md` describes every field.
//!
//! [`parse_course`] is pure: it takes the files' names and texts and returns
//! a [`CourseContent`] in which every question has passed the domain's
//! [`Question`] checks, every text exists in Greek and English, and every
//! quiz draw can be filled from the bank with
//! [`select_questions`](procap_domain::training::quiz::select_questions).
//! [`super::content_store::load_course`] then writes it in one transaction.
//! Every error names the file and the slug of the module, lesson, question
//! or quiz it is about, and all errors are reported together.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::TimeDelta;
use procap_domain::training::question::{MultipleChoiceScoring, Question, QuestionBody};
use procap_domain::training::quiz::{LateRule, QuizRules, TagDraw, select_questions};
use procap_domain::training::{Points, QuestionId, QuestionTexts, QuestionWording};
use serde::Deserialize;

/// The name of the course file inside a course folder.
pub const COURSE_FILE: &str = "course.toml";

/// The suffix of a module's questions file (`NAME.questions.toml`).
pub const QUESTIONS_SUFFIX: &str = ".questions.toml";

/// Sector codes a course or module may name (the schema's list).
pub const SECTORS: [&str; 8] = [
    "airport",
    "public_transport",
    "tourism",
    "labour_inspection",
    "school",
    "reception_identification",
    "ngo",
    "other",
];

/// One file of a course folder: its name relative to the folder and its
/// text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// The course shipped with Procap, "Trafficking in human beings: recognise,
/// protect, refer", compiled into the binary so that `procap demo` and the
/// tests load it from anywhere.
pub fn trafficking_basics() -> Vec<SourceFile> {
    macro_rules! shipped {
        ($($name:literal),* $(,)?) => {
            vec![$(SourceFile::new(
                $name,
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../data/training/trafficking-basics/",
                    $name
                )),
            )),*]
        };
    }
    shipped![
        "course.toml",
        "m01-what-is-trafficking.toml",
        "m01-what-is-trafficking.questions.toml",
        "m02-signs.toml",
        "m02-signs.questions.toml",
        "m03-what-to-do.toml",
        "m03-what-to-do.questions.toml",
        "m04-culture-interpreters.toml",
        "m04-culture-interpreters.questions.toml",
        "m05-airports.toml",
        "m05-airports.questions.toml",
        "m06-public-transport.toml",
        "m06-public-transport.questions.toml",
        "m07-tourism.toml",
        "m07-tourism.questions.toml",
        "m08-labour-inspection.toml",
        "m08-labour-inspection.questions.toml",
        "m09-school-communities.toml",
        "m09-school-communities.questions.toml",
        "m10-reception-identification.toml",
        "m10-reception-identification.questions.toml",
    ]
}

/// A text in both languages of the interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub el: String,
    pub en: String,
}

impl Bilingual {
    /// Returns whether both languages have a text that is not blank.
    pub fn is_complete(&self) -> bool {
        !self.el.trim().is_empty() && !self.en.trim().is_empty()
    }
}

/// A checked course, ready to be written.
#[derive(Debug, Clone)]
pub struct CourseContent {
    pub slug: String,
    pub title: Bilingual,
    pub summary: Bilingual,
    /// Sector codes the course is meant for; empty for all.
    pub sectors: Vec<String>,
    /// draft or published; used only when the course is first created.
    pub status: String,
    pub rule_post_test: bool,
    pub rule_attendance: bool,
    pub rule_evaluation: bool,
    pub modules: Vec<ModuleContent>,
    /// Every question of the bank, module by module in file order.
    pub questions: Vec<QuestionContent>,
    /// The course's quizzes: pre-test, post-test and module quizzes.
    pub quizzes: Vec<QuizContent>,
}

impl CourseContent {
    /// Returns the questions carrying `tag`.
    pub fn questions_tagged<'a>(
        &'a self,
        tag: &'a str,
    ) -> impl Iterator<Item = &'a QuestionContent> + 'a {
        self.questions
            .iter()
            .filter(move |question| question.question.has_tag(tag))
    }
}

/// A checked module.
#[derive(Debug, Clone)]
pub struct ModuleContent {
    /// The module's stable handle, unique in the course.
    pub slug: String,
    /// The bank tag every question of the module carries (e.g. `m1`,
    /// `airport`).
    pub tag: String,
    pub title: Bilingual,
    /// The sector of a sector module; `None` for a module for everyone.
    pub sector: Option<String>,
    pub lessons: Vec<LessonContent>,
}

/// A checked text lesson.
#[derive(Debug, Clone)]
pub struct LessonContent {
    /// The lesson's stable handle, unique in its module.
    pub slug: String,
    pub title: Bilingual,
    /// Markdown.
    pub body: Bilingual,
    pub video_url: Option<String>,
    pub required: bool,
}

/// A checked question. The [`Question`]'s id is the slug until the store
/// gives it its row id.
#[derive(Debug, Clone)]
pub struct QuestionContent {
    pub slug: String,
    /// The file it came from, for messages.
    pub file: String,
    pub question: Question,
    pub texts: QuestionTexts,
}

/// What a quiz is for (the `quizzes.purpose` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizPurpose {
    PreTest,
    PostTest,
    Module,
}

impl QuizPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            QuizPurpose::PreTest => "pre_test",
            QuizPurpose::PostTest => "post_test",
            QuizPurpose::Module => "module",
        }
    }
}

/// A checked quiz.
#[derive(Debug, Clone)]
pub struct QuizContent {
    pub slug: String,
    pub purpose: QuizPurpose,
    /// The slug of the module a module quiz closes.
    pub module: Option<String>,
    pub title: Bilingual,
    pub rules: QuizRules,
    pub draws: Vec<TagDraw>,
    pub required: bool,
}

/// One problem found in a course folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file, relative to the course folder.
    pub file: String,
    /// What in the file: `question m1-elements`, `lesson definition`, …;
    /// empty for the file as a whole.
    pub item: String,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.item.is_empty() {
            write!(formatter, "{}: {}", self.file, self.message)
        } else {
            write!(formatter, "{}: {}: {}", self.file, self.item, self.message)
        }
    }
}

/// Every problem found in a course folder; nothing may be written while
/// there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str("\n")?;
            }
            write!(formatter, "{error}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------
// The files as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseFile {
    slug: String,
    title: Bilingual,
    summary: Bilingual,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default = "default_status")]
    status: String,
    modules: Vec<String>,
    #[serde(default)]
    rules: RulesFile,
    #[serde(default)]
    quizzes: Vec<QuizFile>,
}

fn default_status() -> String {
    "published".to_owned()
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    post_test: bool,
    #[serde(default)]
    attendance: bool,
    #[serde(default)]
    evaluation: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFile {
    slug: String,
    /// pre_test or post_test in the course file; module quizzes leave it
    /// out.
    purpose: Option<String>,
    title: Bilingual,
    #[serde(default = "default_pass_mark")]
    pass_mark: u8,
    time_limit_minutes: Option<u32>,
    max_attempts: Option<u32>,
    #[serde(default)]
    late_rule: Option<String>,
    draws: Vec<DrawFile>,
    #[serde(default)]
    required: bool,
}

fn default_pass_mark() -> u8 {
    60
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DrawFile {
    tag: String,
    count: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    slug: String,
    tag: String,
    title: Bilingual,
    sector: Option<String>,
    #[serde(default)]
    lessons: Vec<LessonFile>,
    quiz: Option<QuizFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    slug: String,
    title: Bilingual,
    body: Bilingual,
    video_url: Option<String>,
    #[serde(default = "yes")]
    required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    #[serde(default)]
    questions: Vec<QuestionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    slug: String,
    kind: String,
    #[serde(default)]
    tags: Vec<String>,
    points: Option<u32>,
    prompt: Bilingual,
    #[serde(default)]
    options: Vec<ItemFile>,
    #[serde(default)]
    items: Vec<ItemFile>,
    #[serde(default)]
    left: Vec<ItemFile>,
    #[serde(default)]
    right: Vec<ItemFile>,
    correct: Option<toml::Value>,
    scoring: Option<String>,
    value: Option<f64>,
    tolerance: Option<f64>,
    #[serde(default)]
    accepted: Vec<String>,
    /// Feedback for every outcome without its own text.
    explanation: Option<Bilingual>,
    #[serde(default)]
    feedback: BTreeMap<String, Bilingual>,
    #[serde(default)]
    parts: Vec<QuestionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    id: String,
    el: String,
    en: String,
    /// On a left-hand item of a matching question: the right-hand item id
    /// it matches.
    #[serde(rename = "match")]
    matches: Option<String>,
}

const OUTCOMES: [&str; 4] = ["correct", "partially_correct", "incorrect", "unanswered"];

// ---------------------------------------------------------------------
// Parsing.

/// Collects errors for one file.
struct Problems<'a> {
    file: &'a str,
    errors: &'a mut Vec<ContentError>,
}

impl Problems<'_> {
    fn add(&mut self, item: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ContentError {
            file: self.file.to_owned(),
            item: item.into(),
            message: message.into(),
        });
    }

    fn bilingual(&mut self, item: &str, field: &str, text: &Bilingual) {
        if text.el.trim().is_empty() {
            self.add(item, format!("{field}: the Greek text (el) is empty"));
        }
        if text.en.trim().is_empty() {
            self.add(item, format!("{field}: the English text (en) is empty"));
        }
    }
}

/// Checks a whole course folder and returns the course.
///
/// # Errors
///
/// [`ContentErrors`] listing every problem: a file missing, unreadable as
/// TOML or not listed in `course.toml`; a field of the wrong type or an
/// unknown field; a text missing in one language; a slug or tag that is not
/// lower-case letters, digits and hyphens, or is used twice; a question the
/// domain rejects; lesson Markdown with a script or an unsafe link; quiz
/// rules out of range; and a quiz whose draws the bank cannot fill.
pub fn parse_course(files: &[SourceFile]) -> Result<CourseContent, ContentErrors> {
    let mut errors = Vec::new();
    let by_name: BTreeMap<&str, &SourceFile> = files
        .iter()
        .map(|file| (file.name.as_str(), file))
        .collect();

    let Some(course_file) = by_name.get(COURSE_FILE) else {
        return Err(ContentErrors(vec![ContentError {
            file: COURSE_FILE.to_owned(),
            item: String::new(),
            message: "the course folder has no course.toml".to_owned(),
        }]));
    };
    let course: CourseFile = match toml::from_str(&course_file.text) {
        Ok(course) => course,
        Err(error) => {
            return Err(ContentErrors(vec![toml_error(COURSE_FILE, &error)]));
        }
    };

    let mut problems = Problems {
        file: COURSE_FILE,
        errors: &mut errors,
    };
    check_slug(&mut problems, "course", &course.slug);
    problems.bilingual("course", "title", &course.title);
    problems.bilingual("course", "summary", &course.summary);
    for sector in &course.sectors {
        if !SECTORS.contains(&sector.as_str()) {
            problems.add("course", format!("unknown sector `{sector}`"));
        }
    }
    if !["draft", "published"].contains(&course.status.as_str()) {
        problems.add("course", "status must be draft or published");
    }
    if course.modules.is_empty() {
        problems.add("course", "modules lists no module");
    }

    // Every file must be the course file or belong to a listed module, so
    // a misspelt name is not skipped in silence.
    let listed: BTreeSet<String> = course
        .modules
        .iter()
        .flat_map(|name| [format!("{name}.toml"), format!("{name}{QUESTIONS_SUFFIX}")])
        .chain([COURSE_FILE.to_owned()])
        .collect();
    for file in files {
        if !listed.contains(&file.name) {
            errors.push(ContentError {
                file: file.name.clone(),
                item: String::new(),
                message: "the file is not a module listed in course.toml".to_owned(),
            });
        }
    }

    let mut modules = Vec::new();
    let mut questions = Vec::new();
    let mut quizzes = Vec::new();
    let mut module_slugs = BTreeSet::new();
    let mut module_tags = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for name in &course.modules {
        let file_name = format!("{name}.toml");
        if !seen_names.insert(name.clone()) {
            errors.push(ContentError {
                file: COURSE_FILE.to_owned(),
                item: String::new(),
                message: format!("the module `{name}` is listed twice"),
            });
            continue;
        }
        let Some(file) = by_name.get(file_name.as_str()) else {
            errors.push(ContentError {
                file: file_name,
                item: String::new(),
                message: "the module listed in course.toml has no file".to_owned(),
            });
            continue;
        };
        let module: ModuleFile = match toml::from_str(&file.text) {
            Ok(module) => module,
            Err(error) => {
                errors.push(toml_error(&file_name, &error));
                continue;
            }
        };
        let mut problems = Problems {
            file: &file_name,
            errors: &mut errors,
        };
        let parsed = parse_module(&mut problems, module, &mut quizzes);
        if !module_slugs.insert(parsed.slug.clone()) {
            problems.add(
                format!("module {}", parsed.slug),
                "another module has this slug",
            );
        }
        if !module_tags.insert(parsed.tag.clone()) {
            problems.add(
                format!("module {}", parsed.slug),
                "another module has this tag",
            );
        }

        let questions_name = format!("{name}{QUESTIONS_SUFFIX}");
        if let Some(file) = by_name.get(questions_name.as_str()) {
            match toml::from_str::<QuestionsFile>(&file.text) {
                Ok(bank) => {
                    let mut problems = Problems {
                        file: &questions_name,
                        errors: &mut errors,
                    };
                    for raw in bank.questions {
                        if let Some(question) =
                            parse_question(&mut problems, raw, Some(&parsed.tag))
                        {
                            questions.push(QuestionContent {
                                file: questions_name.clone(),
                                ..question
                            });
                        }
                    }
                }
                Err(error) => errors.push(toml_error(&questions_name, &error)),
            }
        }
        modules.push(parsed);
    }

    let mut problems = Problems {
        file: COURSE_FILE,
        errors: &mut errors,
    };
    for quiz in course.quizzes {
        let purpose = match quiz.purpose.as_deref() {
            Some("pre_test") => QuizPurpose::PreTest,
            Some("post_test") => QuizPurpose::PostTest,
            _ => {
                problems.add(
                    format!("quiz {}", quiz.slug),
                    "purpose must be pre_test or post_test in course.toml",
                );
                continue;
            }
        };
        if let Some(parsed) = parse_quiz(&mut problems, quiz, purpose, None) {
            quizzes.push((COURSE_FILE.to_owned(), parsed));
        }
    }
    for purpose in [QuizPurpose::PreTest, QuizPurpose::PostTest] {
        let count = quizzes
            .iter()
            .filter(|(_, quiz)| quiz.purpose == purpose)
            .count();
        if count > 1 {
            problems.add(
                "course",
                format!("more than one quiz is a {}", purpose.as_str()),
            );
        }
    }
    if course.rules.post_test
        && !quizzes
            .iter()
            .any(|(_, q)| q.purpose == QuizPurpose::PostTest)
    {
        problems.add(
            "course",
            "rules.post_test is set but the course has no post_test quiz",
        );
    }

    check_bank(&mut errors, &questions, &quizzes);

    if !errors.is_empty() {
        return Err(ContentErrors(errors));
    }
    Ok(CourseContent {
        slug: course.slug,
        title: course.title,
        summary: course.summary,
        sectors: course.sectors,
        status: course.status,
        rule_post_test: course.rules.post_test,
        rule_attendance: course.rules.attendance,
        rule_evaluation: course.rules.evaluation,
        modules,
        questions,
        quizzes: quizzes.into_iter().map(|(_, quiz)| quiz).collect(),
    })
}

fn toml_error(file: &str, error: &toml::de::Error) -> ContentError {
    ContentError {
        file: file.to_owned(),
        item: String::new(),
        message: error.to_string().trim().replace('\n', " "),
    }
}

/// Slugs and tags: lower-case ASCII letters, digits and single hyphens.
fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--")
}

fn check_slug(problems: &mut Problems<'_>, what: &str, slug: &str) {
    if !is_slug(slug) {
        problems.add(
            format!("{what} {slug}"),
            "a slug must be lower-case letters, digits and single hyphens",
        );
    }
}

fn parse_module(
    problems: &mut Problems<'_>,
    module: ModuleFile,
    quizzes: &mut Vec<(String, QuizContent)>,
) -> ModuleContent {
    let item = format!("module {}", module.slug);
    check_slug(problems, "module", &module.slug);
    if !is_slug(&module.tag) {
        problems.add(
            &item,
            format!("the tag `{}` is not a valid tag", module.tag),
        );
    }
    problems.bilingual(&item, "title", &module.title);
    if let Some(sector) = &module.sector
        && !SECTORS.contains(&sector.as_str())
    {
        problems.add(&item, format!("unknown sector `{sector}`"));
    }
    if module.lessons.is_empty() {
        problems.add(&item, "the module has no lesson");
    }

    let mut lessons = Vec::new();
    let mut lesson_slugs = BTreeSet::new();
    for lesson in module.lessons {
        let item = format!("lesson {}", lesson.slug);
        check_slug(problems, "lesson", &lesson.slug);
        if !lesson_slugs.insert(lesson.slug.clone()) {
            problems.add(&item, "another lesson of the module has this slug");
        }
        problems.bilingual(&item, "title", &lesson.title);
        problems.bilingual(&item, "body", &lesson.body);
        for (language, body) in [("el", &lesson.body.el), ("en", &lesson.body.en)] {
            if let Some(problem) = unsafe_markdown(body) {
                problems.add(&item, format!("body.{language}: {problem}"));
            }
        }
        if let Some(url) = &lesson.video_url
            && !url.starts_with("https://")
        {
            problems.add(&item, "video_url must be an https:// link");
        }
        lessons.push(LessonContent {
            slug: lesson.slug,
            title: lesson.title,
            body: lesson.body,
            video_url: lesson.video_url,
            required: lesson.required,
        });
    }

    if let Some(quiz) = module.quiz {
        if quiz.purpose.is_some() {
            problems.add(
                format!("quiz {}", quiz.slug),
                "a module quiz has no purpose field",
            );
        }
        if let Some(parsed) = parse_quiz(problems, quiz, QuizPurpose::Module, Some(&module.slug)) {
            quizzes.push((problems.file.to_owned(), parsed));
        }
    }

    ModuleContent {
        slug: module.slug,
        tag: module.tag,
        title: module.title,
        sector: module.sector,
        lessons,
    }
}

/// Finds what the web page's sanitiser would have to strip: raw script or
/// frame elements, event-handler attributes and links with a scheme other
/// than https, http or mailto. Content files must not rely on the sanitiser.
fn unsafe_markdown(body: &str) -> Option<String> {
    let lower = body.to_lowercase();
    for tag in ["<script", "<iframe", "<object", "<embed", "<style", "<form"] {
        if lower.contains(tag) {
            return Some(format!("the HTML element `{tag}>` is not allowed"));
        }
    }
    if lower.contains(" on") && lower.contains('<') {
        for event in ["onload=", "onerror=", "onclick=", "onmouseover="] {
            if lower.contains(event) {
                return Some(format!("the attribute `{event}` is not allowed"));
            }
        }
    }
    for scheme in ["javascript:", "vbscript:", "data:", "file:"] {
        if lower.contains(&format!("]({scheme}")) || lower.contains(&format!("<{scheme}")) {
            return Some(format!("links with `{scheme}` are not allowed"));
        }
    }
    None
}

fn parse_quiz(
    problems: &mut Problems<'_>,
    quiz: QuizFile,
    purpose: QuizPurpose,
    module: Option<&str>,
) -> Option<QuizContent> {
    let item = format!("quiz {}", quiz.slug);
    check_slug(problems, "quiz", &quiz.slug);
    problems.bilingual(&item, "title", &quiz.title);
    let late_rule = match quiz.late_rule.as_deref() {
        None => LateRule::default(),
        Some(value) => match LateRule::parse(value) {
            Some(rule) => rule,
            None => {
                problems.add(&item, "late_rule must be score_zero or accept");
                return None;
            }
        },
    };
    let time_limit = quiz
        .time_limit_minutes
        .map(|minutes| TimeDelta::minutes(i64::from(minutes)));
    let rules = match QuizRules::new(quiz.pass_mark, time_limit, quiz.max_attempts, late_rule) {
        Ok(rules) => rules,
        Err(error) => {
            problems.add(&item, error.to_string());
            return None;
        }
    };
    if quiz.draws.is_empty() {
        problems.add(&item, "the quiz draws no question");
    }
    let mut draws = Vec::new();
    for draw in quiz.draws {
        if !is_slug(&draw.tag) || draw.count == 0 {
            problems.add(
                &item,
                format!(
                    "the draw of tag `{}` needs a valid tag and a count above zero",
                    draw.tag
                ),
            );
        }
        draws.push(TagDraw {
            tag: draw.tag,
            count: draw.count,
        });
    }
    Some(QuizContent {
        slug: quiz.slug,
        purpose,
        module: module.map(str::to_owned),
        title: quiz.title,
        rules,
        draws,
        required: quiz.required,
    })
}

/// Parses one question or scenario part. `module_tag` is `None` for a
/// scenario part, which carries no tags of its own.
fn parse_question(
    problems: &mut Problems<'_>,
    raw: QuestionFile,
    module_tag: Option<&str>,
) -> Option<QuestionContent> {
    let item = match module_tag {
        Some(_) => format!("question {}", raw.slug),
        None => format!("part {}", raw.slug),
    };
    let before = problems.errors.len();
    check_slug(problems, "question", &raw.slug);
    problems.bilingual(&item, "prompt", &raw.prompt);

    let mut tags: BTreeSet<String> = raw.tags.iter().cloned().collect();
    for tag in &raw.tags {
        if !is_slug(tag) {
            problems.add(&item, format!("the tag `{tag}` is not a valid tag"));
        }
    }
    if let Some(tag) = module_tag {
        tags.insert(tag.to_owned());
    } else if !raw.tags.is_empty() {
        problems.add(&item, "a scenario part has no tags of its own");
    }

    let mut el = QuestionWording {
        prompt: raw.prompt.el.clone(),
        ..QuestionWording::default()
    };
    let mut en = QuestionWording {
        prompt: raw.prompt.en.clone(),
        ..QuestionWording::default()
    };

    // Labels of options, items and matching sides, in both languages.
    let mut label_ids = Vec::new();
    for list in [&raw.options, &raw.items, &raw.left, &raw.right] {
        for entry in list {
            if entry.el.trim().is_empty() || entry.en.trim().is_empty() {
                problems.add(
                    &item,
                    format!("the item `{}` needs a text in el and en", entry.id),
                );
            }
            if el
                .labels
                .insert(entry.id.clone(), entry.el.clone())
                .is_some()
            {
                problems.add(&item, format!("the item id `{}` is used twice", entry.id));
            }
            en.labels.insert(entry.id.clone(), entry.en.clone());
            label_ids.push(entry.id.clone());
        }
    }

    // Feedback: outcome texts, with the explanation filling the rest.
    for (outcome, text) in &raw.feedback {
        if !OUTCOMES.contains(&outcome.as_str()) {
            problems.add(&item, format!("unknown feedback outcome `{outcome}`"));
            continue;
        }
        problems.bilingual(&item, &format!("feedback.{outcome}"), text);
        el.feedback.insert(outcome.clone(), text.el.clone());
        en.feedback.insert(outcome.clone(), text.en.clone());
    }
    if let Some(explanation) = &raw.explanation {
        problems.bilingual(&item, "explanation", explanation);
        for outcome in OUTCOMES {
            el.feedback
                .entry(outcome.to_owned())
                .or_insert_with(|| explanation.el.clone());
            en.feedback
                .entry(outcome.to_owned())
                .or_insert_with(|| explanation.en.clone());
        }
    }
    let is_scenario = raw.kind == "scenario";
    if !is_scenario && raw.explanation.is_none() && raw.feedback.is_empty() {
        problems.add(
            &item,
            "the question needs feedback (explanation or feedback)",
        );
    }

    let body = build_body(problems, &item, &raw, &mut el, &mut en)?;
    let points = Points::whole(raw.points.unwrap_or(1));
    let question = match Question::new(QuestionId::new(raw.slug.clone()), tags, points, body) {
        Ok(question) => question,
        Err(error) => {
            problems.add(&item, error.to_string());
            return None;
        }
    };
    if problems.errors.len() > before {
        return None;
    }
    Some(QuestionContent {
        slug: raw.slug,
        file: problems.file.to_owned(),
        question,
        texts: QuestionTexts { el, en },
    })
}

fn build_body(
    problems: &mut Problems<'_>,
    item: &str,
    raw: &QuestionFile,
    el: &mut QuestionWording,
    en: &mut QuestionWording,
) -> Option<QuestionBody> {
    let ids =
        |list: &[ItemFile]| -> Vec<String> { list.iter().map(|entry| entry.id.clone()).collect() };
    let needs_only = |problems: &mut Problems<'_>, allowed: &[&str]| {
        let present = [
            ("options", !raw.options.is_empty()),
            ("items", !raw.items.is_empty()),
            ("left", !raw.left.is_empty()),
            ("right", !raw.right.is_empty()),
            ("correct", raw.correct.is_some()),
            ("scoring", raw.scoring.is_some()),
            ("value", raw.value.is_some()),
            ("tolerance", raw.tolerance.is_some()),
            ("accepted", !raw.accepted.is_empty()),
            ("parts", !raw.parts.is_empty()),
        ];
        for (field, is_set) in present {
            if is_set && !allowed.contains(&field) {
                problems.add(
                    item,
                    format!("`{field}` does not belong to a {} question", raw.kind),
                );
            }
        }
    };
    match raw.kind.as_str() {
        "single_choice" => {
            needs_only(problems, &["options", "correct"]);
            let Some(toml::Value::String(correct)) = &raw.correct else {
                problems.add(item, "correct must be the id of one option");
                return None;
            };
            Some(QuestionBody::SingleChoice {
                options: ids(&raw.options),
                correct: correct.clone(),
            })
        }
        "multiple_choice" => {
            needs_only(problems, &["options", "correct", "scoring"]);
            let correct: Option<BTreeSet<String>> = match &raw.correct {
                Some(toml::Value::Array(values)) => values
                    .iter()
                    .map(|value| value.as_str().map(str::to_owned))
                    .collect(),
                _ => None,
            };
            let Some(correct) = correct else {
                problems.add(item, "correct must be a list of option ids");
                return None;
            };
            let scoring = match raw.scoring.as_deref() {
                None | Some("partial") => MultipleChoiceScoring::Partial,
                Some("all_or_nothing") => MultipleChoiceScoring::AllOrNothing,
                Some(_) => {
                    problems.add(item, "scoring must be partial or all_or_nothing");
                    return None;
                }
            };
            Some(QuestionBody::MultipleChoice {
                options: ids(&raw.options),
                correct,
                scoring,
            })
        }
        "true_false" => {
            needs_only(problems, &["correct"]);
            let Some(toml::Value::Boolean(correct)) = raw.correct else {
                problems.add(item, "correct must be true or false");
                return None;
            };
            Some(QuestionBody::TrueFalse { correct })
        }
        "matching" => {
            needs_only(problems, &["left", "right"]);
            let right: BTreeSet<String> = ids(&raw.right).into_iter().collect();
            let mut pairs = BTreeMap::new();
            for left in &raw.left {
                match &left.matches {
                    Some(target) if right.contains(target) => {
                        pairs.insert(left.id.clone(), target.clone());
                    }
                    Some(target) => problems.add(
                        item,
                        format!(
                            "the left item `{}` matches `{target}`, which is not a right item",
                            left.id
                        ),
                    ),
                    None => {
                        problems.add(item, format!("the left item `{}` needs a `match`", left.id))
                    }
                }
            }
            let matched: BTreeSet<&String> = pairs.values().collect();
            let distractors = right
                .iter()
                .filter(|id| !matched.contains(id))
                .cloned()
                .collect();
            Some(QuestionBody::Matching { pairs, distractors })
        }
        "ordering" => {
            needs_only(problems, &["items"]);
            let correct: Vec<String> = ids(&raw.items);
            let mut sorted = correct.clone();
            sorted.sort();
            if correct.len() > 1 && sorted == correct {
                // The wording's labels are keyed and listed by id, so ids
                // in alphabetical order would show the answer.
                problems.add(
                    item,
                    "the item ids are in alphabetical order, which gives the answer away; rename them",
                );
            }
            Some(QuestionBody::Ordering { correct })
        }
        "numeric" => {
            needs_only(problems, &["value", "tolerance"]);
            let Some(value) = raw.value else {
                problems.add(item, "a numeric question needs a value");
                return None;
            };
            Some(QuestionBody::Numeric {
                value,
                tolerance: raw.tolerance.unwrap_or(0.0),
            })
        }
        "short_text" => {
            needs_only(problems, &["accepted"]);
            Some(QuestionBody::ShortText {
                accepted: raw.accepted.clone(),
            })
        }
        "scenario" => {
            needs_only(problems, &["parts"]);
            let mut questions = Vec::new();
            for part in &raw.parts {
                let part = clone_question_file(part);
                if let Some(parsed) = parse_question(problems, part, None) {
                    el.parts.insert(parsed.slug.clone(), parsed.texts.el);
                    en.parts.insert(parsed.slug.clone(), parsed.texts.en);
                    questions.push(parsed.question);
                }
            }
            Some(QuestionBody::Scenario { questions })
        }
        other => {
            problems.add(item, format!("unknown question kind `{other}`"));
            None
        }
    }
}

fn clone_question_file(raw: &QuestionFile) -> QuestionFile {
    let items = |list: &[ItemFile]| {
        list.iter()
            .map(|entry| ItemFile {
                id: entry.id.clone(),
                el: entry.el.clone(),
                en: entry.en.clone(),
                matches: entry.matches.clone(),
            })
            .collect()
    };
    QuestionFile {
        slug: raw.slug.clone(),
        kind: raw.kind.clone(),
        tags: raw.tags.clone(),
        points: raw.points,
        prompt: raw.prompt.clone(),
        options: items(&raw.options),
        items: items(&raw.items),
        left: items(&raw.left),
        right: items(&raw.right),
        correct: raw.correct.clone(),
        scoring: raw.scoring.clone(),
        value: raw.value,
        tolerance: raw.tolerance,
        accepted: raw.accepted.clone(),
        explanation: raw.explanation.clone(),
        feedback: raw.feedback.clone(),
        parts: raw.parts.iter().map(clone_question_file).collect(),
    }
}

/// Checks slugs across the bank and that every quiz's draws can be filled.
fn check_bank(
    errors: &mut Vec<ContentError>,
    questions: &[QuestionContent],
    quizzes: &[(String, QuizContent)],
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for question in questions {
        if let Some(first) = seen.insert(&question.slug, &question.file) {
            errors.push(ContentError {
                file: question.file.clone(),
                item: format!("question {}", question.slug),
                message: format!("the slug is already used in {first}"),
            });
        }
    }
    let mut quiz_slugs = BTreeSet::new();
    let bank: Vec<Question> = questions
        .iter()
        .map(|question| question.question.clone())
        .collect();
    for (file, quiz) in quizzes {
        let item = format!("quiz {}", quiz.slug);
        if !quiz_slugs.insert(quiz.slug.as_str()) {
            errors.push(ContentError {
                file: file.clone(),
                item: item.clone(),
                message: "another quiz has this slug".to_owned(),
            });
        }
        if let Err(error) = select_questions(&bank, &quiz.draws, 0) {
            let detail = match &error {
                procap_domain::training::quiz::SelectionError::TooFew { shortages } => shortages
                    .iter()
                    .map(|shortage| {
                        format!(
                            "tag `{}` wants {} but the bank has {}",
                            shortage.tag, shortage.wanted, shortage.available
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            errors.push(ContentError {
                file: file.clone(),
                item,
                message: format!("the draws cannot be filled: {detail}"),
            });
        }
    }
}
