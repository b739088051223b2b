//! The shipped course and the content loader on every available backend:
//! the course parses and loads, its counts meet the course's own promises,
//! a second load updates in place, and a broken file is reported by file
//! and slug with nothing written.

use std::collections::BTreeSet;

use diesel::prelude::*;
use procap_domain::training::QuestionTexts;
use procap_domain::training::question::{Question, QuestionKind};
use procap_domain::training::quiz::{TagDraw, select_questions};
use procap_store::schema_training::{course_modules, courses, lessons, questions, quizzes};
use procap_store::testing::TestDatabase;
use procap_store::training::content::{
    CourseContent, QuizPurpose, SourceFile, parse_course, trafficking_basics,
};
use procap_store::training::content_store::load_course;
use procap_store::{Db, StoreError};

const SECTOR_TAGS: [&str; 6] = [
    "airport",
    "public-transport",
    "tourism",
    "labour-inspection",
    "school",
    "reception-identification",
];

fn shipped() -> CourseContent {
    match parse_course(&trafficking_basics()) {
        Ok(course) => course,
        Err(errors) => panic!("the shipped course is invalid:\n{errors}"),
    }
}

#[test]
fn the_shipped_course_keeps_its_promises() {
    let course = shipped();

    assert_eq!(course.modules.len(), 10);
    assert!(
        course.questions.len() >= 60,
        "{} questions",
        course.questions.len()
    );
    for tag in SECTOR_TAGS {
        let module = course
            .modules
            .iter()
            .find(|module| module.tag == tag)
            .unwrap_or_else(|| panic!("no module tagged {tag}"));
        assert!(module.sector.is_some(), "{tag} names its sector");
        let scenarios = course
            .questions_tagged(tag)
            .filter(|question| question.question.kind() == QuestionKind::Scenario)
            .count();
        assert!(scenarios >= 2, "{tag} has {scenarios} scenario questions");
    }

    let kinds: BTreeSet<&str> = course
        .questions
        .iter()
        .map(|question| question.question.kind().as_str())
        .collect();
    assert_eq!(kinds.len(), 8, "every question kind is used: {kinds:?}");

    for question in &course.questions {
        let texts = &question.texts;
        assert!(!texts.el.prompt.trim().is_empty());
        assert!(!texts.en.prompt.trim().is_empty());
        assert_eq!(
            texts.el.labels.keys().collect::<Vec<_>>(),
            texts.en.labels.keys().collect::<Vec<_>>(),
            "{} has the same labels in both languages",
            question.slug
        );
        if question.question.kind() != QuestionKind::Scenario {
            assert!(
                !texts.el.feedback.is_empty() && !texts.en.feedback.is_empty(),
                "{} has feedback",
                question.slug
            );
        }
    }
    for module in &course.modules {
        for lesson in &module.lessons {
            assert!(lesson.title.is_complete());
            assert!(lesson.body.is_complete());
        }
    }

    let pre = course
        .quizzes
        .iter()
        .find(|quiz| quiz.purpose == QuizPurpose::PreTest)
        .expect("a pre-test");
    let post = course
        .quizzes
        .iter()
        .find(|quiz| quiz.purpose == QuizPurpose::PostTest)
        .expect("a post-test");
    assert_eq!(pre.draws, post.draws, "both tests draw from the same pool");
    let bank: Vec<Question> = course
        .questions
        .iter()
        .map(|question| question.question.clone())
        .collect();
    for seed in 0..20 {
        let drawn = select_questions(&bank, &post.draws, seed).unwrap();
        let wanted: usize = post.draws.iter().map(|draw: &TagDraw| draw.count).sum();
        assert_eq!(drawn.len(), wanted);
    }
}

fn counts(db: &mut Db<'_>, course_id: &str) -> Result<(i64, i64, i64, i64, i64), StoreError> {
    let modules = course_modules::table
        .filter(course_modules::course_id.eq(course_id))
        .count()
        .get_result(db.conn)?;
    let lesson_count = lessons::table
        .filter(lessons::course_id.eq(course_id))
        .count()
        .get_result(db.conn)?;
    let question_count = questions::table
        .filter(questions::course_id.eq(course_id))
        .count()
        .get_result(db.conn)?;
    let retired = questions::table
        .filter(questions::course_id.eq(course_id))
        .filter(questions::retired_at.is_not_null())
        .count()
        .get_result(db.conn)?;
    let quiz_count = quizzes::table
        .filter(quizzes::course_id.eq(course_id))
        .count()
        .get_result(db.conn)?;
    Ok((modules, lesson_count, question_count, retired, quiz_count))
}

#[test]
fn the_shipped_course_loads_and_a_second_load_updates_in_place() {
    let course = shipped();
    let lesson_total: usize = course
        .modules
        .iter()
        .map(|module| module.lessons.len())
        .sum();
    for database in TestDatabase::each_backend() {
        let course = course.clone();
        database
            .store()
            .run_blocking(move |db| {
                let first = load_course(db, &course)?;
                assert!(first.created);
                assert_eq!(first.questions_inserted, course.questions.len());
                let before = counts(db, &first.course_id)?;
                assert_eq!(
                    before,
                    (
                        10,
                        lesson_total as i64,
                        course.questions.len() as i64,
                        0,
                        course.quizzes.len() as i64
                    )
                );

                // Stored questions read back through the domain's checks,
                // with their row id inside the definition.
                let stored: Vec<(String, String, String)> = questions::table
                    .filter(questions::course_id.eq(&first.course_id))
                    .select((questions::id, questions::definition, questions::texts))
                    .load(db.conn)?;
                for (id, definition, texts) in &stored {
                    let question: Question = serde_json::from_str(definition).unwrap();
                    assert_eq!(question.id().as_str(), id);
                    let _: QuestionTexts = serde_json::from_str(texts).unwrap();
                }
                let (pre, post): (Option<String>, Option<String>) = courses::table
                    .find(&first.course_id)
                    .select((courses::pre_test_quiz_id, courses::post_test_quiz_id))
                    .first(db.conn)?;
                let purpose_of = |db: &mut Db<'_>, id: &str| -> Result<String, StoreError> {
                    Ok(quizzes::table
                        .find(id)
                        .select(quizzes::purpose)
                        .first(db.conn)?)
                };
                assert_eq!(purpose_of(db, &pre.clone().unwrap())?, "pre_test");
                assert_eq!(purpose_of(db, &post.clone().unwrap())?, "post_test");

                let second = load_course(db, &course)?;
                assert!(!second.created);
                assert_eq!(second.course_id, first.course_id);
                assert_eq!(second.questions_inserted, 0);
                assert_eq!(second.questions_updated, course.questions.len());
                assert_eq!(counts(db, &first.course_id)?, before);
                let ids_again: BTreeSet<String> = questions::table
                    .filter(questions::course_id.eq(&first.course_id))
                    .select(questions::id)
                    .load::<String>(db.conn)?
                    .into_iter()
                    .collect();
                let ids_before: BTreeSet<String> =
                    stored.iter().map(|(id, _, _)| id.clone()).collect();
                assert_eq!(ids_again, ids_before, "questions keep their ids");
                let (pre_again, post_again): (Option<String>, Option<String>) = courses::table
                    .find(&first.course_id)
                    .select((courses::pre_test_quiz_id, courses::post_test_quiz_id))
                    .first(db.conn)?;
                assert_eq!((pre_again, post_again), (pre, post));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_question_dropped_from_the_files_is_retired_not_deleted() {
    let course = shipped();
    let mut smaller = course.clone();
    let dropped = smaller
        .questions
        .iter()
        .position(|question| !question.question.has_tag("prepost"))
        .unwrap();
    let dropped = smaller.questions.remove(dropped);
    for database in TestDatabase::each_backend() {
        let (course, smaller, dropped) = (course.clone(), smaller.clone(), dropped.clone());
        database
            .store()
            .run_blocking(move |db| {
                let first = load_course(db, &course)?;
                let second = load_course(db, &smaller)?;
                assert_eq!(second.questions_retired, 1);
                let retired: Option<chrono::NaiveDateTime> = questions::table
                    .filter(questions::course_id.eq(&first.course_id))
                    .filter(questions::slug.eq(&dropped.slug))
                    .select(questions::retired_at)
                    .first(db.conn)?;
                assert!(retired.is_some());

                // Back in the files, it is drawn again.
                let third = load_course(db, &course)?;
                assert_eq!(third.questions_retired, 0);
                let retired: Option<chrono::NaiveDateTime> = questions::table
                    .filter(questions::course_id.eq(&first.course_id))
                    .filter(questions::slug.eq(&dropped.slug))
                    .select(questions::retired_at)
                    .first(db.conn)?;
                assert!(retired.is_none());
                Ok(())
            })
            .unwrap();
    }
}

/// The shipped files with one file's text changed by `edit`.
fn shipped_with(name: &str, edit: impl Fn(&str) -> String) -> Vec<SourceFile> {
    trafficking_basics()
        .into_iter()
        .map(|file| {
            if file.name == name {
                SourceFile::new(file.name.clone(), edit(&file.text))
            } else {
                file
            }
        })
        .collect()
}

#[test]
fn a_broken_file_is_reported_by_file_and_slug() {
    // A correct answer that is not one of the options.
    let files = shipped_with("m01-what-is-trafficking.questions.toml", |text| {
        text.replacen(
            "correct = \"act-means-purpose\"",
            "correct = \"no-such-option\"",
            1,
        )
    });
    let errors = parse_course(&files).unwrap_err();
    let shown = errors.to_string();
    assert!(
        shown.contains("m01-what-is-trafficking.questions.toml: question m1-three-elements:"),
        "{shown}"
    );
    assert!(shown.contains("no-such-option"), "{shown}");

    // A lesson without its English body.
    let files = shipped_with("m01-what-is-trafficking.toml", |text| {
        let start = text.find("body.en = '''").unwrap();
        let end = text[start + 13..].find("'''").unwrap() + start + 16;
        format!("{}body.en = \"\"{}", &text[..start], &text[end..])
    });
    let shown = parse_course(&files).unwrap_err().to_string();
    assert!(
        shown.contains(
            "m01-what-is-trafficking.toml: lesson definition: body: the English text (en) is empty"
        ),
        "{shown}"
    );

    // A draw the bank cannot fill.
    let files = shipped_with("course.toml", |text| {
        text.replace(
            "draws = [{ tag = \"prepost\", count = 10 }]",
            "draws = [{ tag = \"prepost\", count = 500 }]",
        )
    });
    let shown = parse_course(&files).unwrap_err().to_string();
    assert!(
        shown.contains("course.toml: quiz pre-test: the draws cannot be filled"),
        "{shown}"
    );

    // A script in a lesson, a stray file and TOML that does not parse.
    let mut files = shipped_with("m01-what-is-trafficking.toml", |text| {
        text.replacen(
            "## Ένας ορισμός",
            "<script>alert(1)</script>\n## Ένας ορισμός",
            1,
        )
    });
    files.push(SourceFile::new("m11-typo.toml", "slug = "));
    let errors = parse_course(&files).unwrap_err();
    let shown = errors.to_string();
    assert!(
        shown.contains("lesson definition: body.el: the HTML element `<script>` is not allowed"),
        "{shown}"
    );
    assert!(
        shown.contains("m11-typo.toml: the file is not a module listed in course.toml"),
        "{shown}"
    );
    let files = shipped_with("m02-signs.toml", |_| "slug = ".to_owned());
    let shown = parse_course(&files).unwrap_err().to_string();
    assert!(shown.starts_with("m02-signs.toml: "), "{shown}");
}

#[test]
fn a_broken_course_writes_nothing() {
    let files = shipped_with("m01-what-is-trafficking.questions.toml", |text| {
        text.replacen("value = 18", "value = nan", 1)
    });
    assert!(parse_course(&files).is_err());

    // A database error half-way leaves nothing behind either: a question
    // slug repeated inside one load breaks the (course_id, slug) rule after
    // the course, modules and lessons were written.
    let mut course = shipped();
    let copy = course.questions[0].clone();
    course.questions.push(copy);
    for database in TestDatabase::each_backend() {
        let course = course.clone();
        database
            .store()
            .run_blocking(move |db| {
                let result = load_course(db, &course);
                assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
                let left: i64 = courses::table.count().get_result(db.conn)?;
                assert_eq!(left, 0);
                let left: i64 = lessons::table.count().get_result(db.conn)?;
                assert_eq!(left, 0);
                Ok(())
            })
            .unwrap();
    }
}
