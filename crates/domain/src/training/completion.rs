//! Course completion and prerequisites between courses.
//!
//! Completion is a pure function of the course's rules and the trainee's
//! progress, so the web layer can recompute it the moment an activity
//! finishes instead of waiting for a batch job.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{CourseId, LessonId, QuizId};

/// One condition of completing a course.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "rule", content = "id", rename_all = "snake_case")]
pub enum Rule {
    /// The trainee opened this required lesson.
    LessonViewed(LessonId),
    /// The trainee passed this required quiz (a submitted attempt met its
    /// pass mark).
    QuizPassed(QuizId),
    /// The trainee submitted the course's post-test, whatever the score.
    PostTestTaken,
    /// The trainee was marked present at one of the course's in-person
    /// sessions.
    SessionAttended,
    /// The trainee submitted the end-of-course evaluation.
    EvaluationSubmitted,
}

/// The completion rules of one course, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseRules {
    required_lessons: Vec<LessonId>,
    required_quizzes: Vec<QuizId>,
    post_test: bool,
    attendance: bool,
    evaluation: bool,
}

/// Rejection of course rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CourseRulesError {
    /// A course with no rule would be complete at enrolment and issue a
    /// certificate for nothing.
    #[error("a course needs at least one completion rule")]
    NoRules,
    #[error("the lesson `{0}` is listed twice")]
    DuplicateLesson(LessonId),
    #[error("the quiz `{0}` is listed twice")]
    DuplicateQuiz(QuizId),
}

impl CourseRules {
    /// Builds the rules. Lessons and quizzes are listed in course order,
    /// which is the order [`completion`] reports them missing in.
    ///
    /// # Errors
    ///
    /// [`CourseRulesError::NoRules`] when nothing is required;
    /// [`CourseRulesError::DuplicateLesson`] or
    /// [`CourseRulesError::DuplicateQuiz`] for an id listed twice.
    pub fn new(
        required_lessons: Vec<LessonId>,
        required_quizzes: Vec<QuizId>,
        post_test: bool,
        attendance: bool,
        evaluation: bool,
    ) -> Result<CourseRules, CourseRulesError> {
        if let Some(lesson) = first_repeat(&required_lessons) {
            return Err(CourseRulesError::DuplicateLesson(lesson.clone()));
        }
        if let Some(quiz) = first_repeat(&required_quizzes) {
            return Err(CourseRulesError::DuplicateQuiz(quiz.clone()));
        }
        if required_lessons.is_empty()
            && required_quizzes.is_empty()
            && !post_test
            && !attendance
            && !evaluation
        {
            return Err(CourseRulesError::NoRules);
        }
        Ok(CourseRules {
            required_lessons,
            required_quizzes,
            post_test,
            attendance,
            evaluation,
        })
    }

    /// Returns every rule, in the order lessons, quizzes, post-test,
    /// attendance, evaluation.
    pub fn rules(&self) -> Vec<Rule> {
        let mut rules: Vec<Rule> = self
            .required_lessons
            .iter()
            .cloned()
            .map(Rule::LessonViewed)
            .collect();
        rules.extend(self.required_quizzes.iter().cloned().map(Rule::QuizPassed));
        if self.post_test {
            rules.push(Rule::PostTestTaken);
        }
        if self.attendance {
            rules.push(Rule::SessionAttended);
        }
        if self.evaluation {
            rules.push(Rule::EvaluationSubmitted);
        }
        rules
    }
}

fn first_repeat<T: Ord>(items: &[T]) -> Option<&T> {
    let mut seen = BTreeSet::new();
    items.iter().find(|item| !seen.insert(*item))
}

/// A trainee's progress in one course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub viewed_lessons: BTreeSet<LessonId>,
    pub passed_quizzes: BTreeSet<QuizId>,
    pub post_test_taken: bool,
    pub session_attended: bool,
    pub evaluation_submitted: bool,
}

impl Progress {
    fn meets(&self, rule: &Rule) -> bool {
        match rule {
            Rule::LessonViewed(lesson) => self.viewed_lessons.contains(lesson),
            Rule::QuizPassed(quiz) => self.passed_quizzes.contains(quiz),
            Rule::PostTestTaken => self.post_test_taken,
            Rule::SessionAttended => self.session_attended,
            Rule::EvaluationSubmitted => self.evaluation_submitted,
        }
    }
}

/// Whether a trainee completed a course and, if not, what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// True exactly when `missing` is empty.
    pub complete: bool,
    /// The rules not met yet, in the order of [`CourseRules::rules`].
    pub missing: Vec<Rule>,
}

/// Computes a trainee's completion of a course. Progress on lessons or
/// quizzes the rules do not require is ignored.
pub fn completion(rules: &CourseRules, progress: &Progress) -> Completion {
    let missing: Vec<Rule> = rules
        .rules()
        .into_iter()
        .filter(|rule| !progress.meets(rule))
        .collect();
    Completion {
        complete: missing.is_empty(),
        missing,
    }
}

/// Prerequisites between courses: a directed graph from each course to the
/// courses that must be completed before enrolling in it. The graph never
/// has a cycle, since no one could then enrol in any course on it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prerequisites {
    required: BTreeMap<CourseId, BTreeSet<CourseId>>,
}

/// Rejection of a change to the prerequisites.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrerequisiteError {
    #[error("the course `{0}` cannot be its own prerequisite")]
    SelfPrerequisite(CourseId),
    /// `path` starts and ends at the same course, each course requiring the
    /// next, e.g. `[A, B, C, A]` for A requires B, B requires C, C requires
    /// A.
    #[error("the prerequisites would form a cycle: {}", path.iter().map(CourseId::as_str).collect::<Vec<_>>().join(" → "))]
    Cycle { path: Vec<CourseId> },
}

impl Prerequisites {
    /// Builds the graph from (course, prerequisite) pairs, as loaded from
    /// the store.
    ///
    /// # Errors
    ///
    /// [`PrerequisiteError::SelfPrerequisite`] or
    /// [`PrerequisiteError::Cycle`] when the pairs are not acyclic.
    pub fn new(
        pairs: impl IntoIterator<Item = (CourseId, CourseId)>,
    ) -> Result<Prerequisites, PrerequisiteError> {
        let mut graph = Prerequisites::default();
        for (course, prerequisite) in pairs {
            if course == prerequisite {
                return Err(PrerequisiteError::SelfPrerequisite(course));
            }
            graph
                .required
                .entry(course)
                .or_default()
                .insert(prerequisite);
        }
        if let Some(path) = graph.find_cycle() {
            return Err(PrerequisiteError::Cycle { path });
        }
        Ok(graph)
    }

    /// Replaces the prerequisites of `course`, as when a trainer saves the
    /// course. On error the graph is left as it was.
    ///
    /// # Errors
    ///
    /// [`PrerequisiteError::SelfPrerequisite`] when `prerequisites` contains
    /// `course`; [`PrerequisiteError::Cycle`] when the change would close a
    /// cycle, with the cycle's path.
    pub fn set(
        &mut self,
        course: CourseId,
        prerequisites: BTreeSet<CourseId>,
    ) -> Result<(), PrerequisiteError> {
        if prerequisites.contains(&course) {
            return Err(PrerequisiteError::SelfPrerequisite(course));
        }
        let previous = self.required.insert(course.clone(), prerequisites);
        if let Some(path) = self.find_cycle() {
            match previous {
                Some(previous) => self.required.insert(course, previous),
                None => self.required.remove(&course),
            };
            return Err(PrerequisiteError::Cycle { path });
        }
        Ok(())
    }

    /// Returns the direct prerequisites of `course`.
    pub fn of(&self, course: &CourseId) -> BTreeSet<CourseId> {
        self.required.get(course).cloned().unwrap_or_default()
    }

    /// Returns the direct prerequisites of `course` that are not in
    /// `completed`, sorted by id. Earlier prerequisites are not checked
    /// again: completing a course already required its own.
    pub fn unmet(&self, course: &CourseId, completed: &BTreeSet<CourseId>) -> Vec<CourseId> {
        self.required
            .get(course)
            .into_iter()
            .flatten()
            .filter(|prerequisite| !completed.contains(*prerequisite))
            .cloned()
            .collect()
    }

    /// Returns a cycle as a path that starts and ends at the same course, or
    /// `None` when the graph is acyclic. Depth-first search over courses in
    /// id order, so the same graph always reports the same cycle.
    fn find_cycle(&self) -> Option<Vec<CourseId>> {
        let mut finished: BTreeSet<&CourseId> = BTreeSet::new();
        for start in self.required.keys() {
            let mut path: Vec<&CourseId> = Vec::new();
            if let Some(cycle) = self.visit(start, &mut path, &mut finished) {
                return Some(cycle);
            }
        }
        None
    }

    fn visit<'graph>(
        &'graph self,
        course: &'graph CourseId,
        path: &mut Vec<&'graph CourseId>,
        finished: &mut BTreeSet<&'graph CourseId>,
    ) -> Option<Vec<CourseId>> {
        if finished.contains(course) {
            return None;
        }
        if let Some(position) = path.iter().position(|on_path| *on_path == course) {
            let mut cycle: Vec<CourseId> =
                path[position..].iter().map(|id| (*id).clone()).collect();
            cycle.push(course.clone());
            return Some(cycle);
        }
        path.push(course);
        for prerequisite in self.required.get(course).into_iter().flatten() {
            if let Some(cycle) = self.visit(prerequisite, path, finished) {
                return Some(cycle);
            }
        }
        path.pop();
        finished.insert(course);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lessons(ids: &[&str]) -> Vec<LessonId> {
        ids.iter().map(|id| LessonId::from(*id)).collect()
    }

    fn course(id: &str) -> CourseId {
        CourseId::from(id)
    }

    fn courses(ids: &[&str]) -> BTreeSet<CourseId> {
        ids.iter().map(|id| course(id)).collect()
    }

    fn full_rules() -> CourseRules {
        CourseRules::new(
            lessons(&["l-intro", "l-signs"]),
            vec![QuizId::from("quiz-1")],
            true,
            true,
            true,
        )
        .expect("valid")
    }

    #[test]
    fn nothing_done_lists_every_rule_in_order() {
        let result = completion(&full_rules(), &Progress::default());
        assert!(!result.complete);
        assert_eq!(
            result.missing,
            vec![
                Rule::LessonViewed(LessonId::from("l-intro")),
                Rule::LessonViewed(LessonId::from("l-signs")),
                Rule::QuizPassed(QuizId::from("quiz-1")),
                Rule::PostTestTaken,
                Rule::SessionAttended,
                Rule::EvaluationSubmitted,
            ]
        );
    }

    #[test]
    fn everything_done_is_complete() {
        let progress = Progress {
            viewed_lessons: lessons(&["l-intro", "l-signs", "l-extra"])
                .into_iter()
                .collect(),
            passed_quizzes: [QuizId::from("quiz-1")].into_iter().collect(),
            post_test_taken: true,
            session_attended: true,
            evaluation_submitted: true,
        };
        let result = completion(&full_rules(), &progress);
        assert!(result.complete);
        assert!(result.missing.is_empty());
    }

    #[test]
    fn one_rule_missing_is_reported() {
        let progress = Progress {
            viewed_lessons: lessons(&["l-intro"]).into_iter().collect(),
            passed_quizzes: [QuizId::from("quiz-1")].into_iter().collect(),
            post_test_taken: true,
            session_attended: true,
            evaluation_submitted: true,
        };
        assert_eq!(
            completion(&full_rules(), &progress).missing,
            vec![Rule::LessonViewed(LessonId::from("l-signs"))]
        );
    }

    #[test]
    fn rules_that_are_off_are_not_required() {
        let rules = CourseRules::new(Vec::new(), Vec::new(), false, true, false).expect("valid");
        let progress = Progress {
            session_attended: true,
            ..Progress::default()
        };
        assert!(completion(&rules, &progress).complete);
    }

    #[test]
    fn invalid_course_rules() {
        assert_eq!(
            CourseRules::new(Vec::new(), Vec::new(), false, false, false),
            Err(CourseRulesError::NoRules)
        );
        assert_eq!(
            CourseRules::new(lessons(&["a", "b", "a"]), Vec::new(), false, false, false),
            Err(CourseRulesError::DuplicateLesson(LessonId::from("a")))
        );
        assert_eq!(
            CourseRules::new(
                Vec::new(),
                vec![QuizId::from("q"), QuizId::from("q")],
                false,
                false,
                false
            ),
            Err(CourseRulesError::DuplicateQuiz(QuizId::from("q")))
        );
    }

    #[test]
    fn prerequisites_and_unmet() {
        let graph = Prerequisites::new([
            (course("sector-airports"), course("basics")),
            (course("sector-airports"), course("signs")),
            (course("signs"), course("basics")),
        ])
        .expect("acyclic");
        assert_eq!(
            graph.of(&course("sector-airports")),
            courses(&["basics", "signs"])
        );
        assert_eq!(
            graph.unmet(&course("sector-airports"), &courses(&["basics"])),
            vec![course("signs")]
        );
        assert!(graph.unmet(&course("basics"), &BTreeSet::new()).is_empty());
    }

    #[test]
    fn cycles_are_rejected_with_their_path() {
        assert_eq!(
            Prerequisites::new([
                (course("a"), course("b")),
                (course("b"), course("c")),
                (course("c"), course("a")),
            ]),
            Err(PrerequisiteError::Cycle {
                path: vec![course("a"), course("b"), course("c"), course("a")],
            })
        );
        assert_eq!(
            Prerequisites::new([(course("a"), course("a"))]),
            Err(PrerequisiteError::SelfPrerequisite(course("a")))
        );
    }

    #[test]
    fn rejected_save_keeps_the_graph() {
        let mut graph =
            Prerequisites::new([(course("b"), course("a")), (course("c"), course("b"))])
                .expect("acyclic");
        let before = graph.clone();

        let error = graph
            .set(course("a"), courses(&["c"]))
            .expect_err("a → c → b → a");
        assert_eq!(
            error,
            PrerequisiteError::Cycle {
                path: vec![course("a"), course("c"), course("b"), course("a")],
            }
        );
        assert_eq!(graph, before);

        let error = graph
            .set(course("b"), courses(&["c"]))
            .expect_err("b → c → b");
        assert!(matches!(error, PrerequisiteError::Cycle { .. }));
        assert_eq!(graph, before, "the earlier prerequisites of b are back");

        assert_eq!(
            graph.set(course("c"), courses(&["c"])),
            Err(PrerequisiteError::SelfPrerequisite(course("c")))
        );
        graph
            .set(course("c"), courses(&["a"]))
            .expect("still acyclic");
        assert_eq!(graph.of(&course("c")), courses(&["a"]));
    }

    proptest! {
        #[test]
        fn edges_only_towards_lower_ids_never_cycle(
            edges in proptest::collection::vec((0u8..12, 0u8..12), 0..40),
        ) {
            // Every edge from a higher to a lower number: a topological
            // order exists, so the graph must be accepted.
            let pairs = edges
                .iter()
                .filter(|(from, to)| from > to)
                .map(|(from, to)| (course(&format!("c{from:02}")), course(&format!("c{to:02}"))));
            prop_assert!(Prerequisites::new(pairs).is_ok());
        }

        #[test]
        fn reported_cycles_are_real(
            edges in proptest::collection::vec((0u8..6, 0u8..6), 0..15),
        ) {
            let pairs: Vec<(CourseId, CourseId)> = edges
                .iter()
                .filter(|(from, to)| from != to)
                .map(|(from, to)| (course(&format!("c{from}")), course(&format!("c{to}"))))
                .collect();
            match Prerequisites::new(pairs.clone()) {
                Err(PrerequisiteError::Cycle { path }) => {
                    prop_assert!(path.len() >= 3);
                    prop_assert_eq!(path.first(), path.last());
                    for step in path.windows(2) {
                        prop_assert!(pairs.contains(&(step[0].clone(), step[1].clone())));
                    }
                }
                Err(other) => prop_assert!(false, "unexpected error {other}"),
                Ok(_) => {
                    // An accepted graph has a topological order: repeatedly
                    // removing courses with no remaining prerequisite
                    // empties it.
                    let mut remaining = pairs.clone();
                    let mut courses: BTreeSet<CourseId> = pairs
                        .iter()
                        .flat_map(|(from, to)| [from.clone(), to.clone()])
                        .collect();
                    while let Some(free) = courses
                        .iter()
                        .find(|course| remaining.iter().all(|(from, _)| from != *course))
                        .cloned()
                    {
                        courses.remove(&free);
                        remaining.retain(|(_, to)| *to != free);
                    }
                    prop_assert!(courses.is_empty());
                }
            }
        }
    }
}
