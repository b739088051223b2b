//! Learning events as xAPI 1.0.3 statements, for export to a learning
//! record store.
//!
//! [`statement`] turns one [`LearningEvent`] into a [`Statement`] whose
//! serde form is the xAPI JSON:
//!
//! - the actor is an account on Procap (`homePage` is the public base URL,
//!   `name` the user id), never an e-mail address or a name;
//! - verbs come from the ADL vocabulary (`http://adlnet.gov/expapi/verbs/…`);
//! - activity ids are Procap URLs under the public base URL, typed with the
//!   ADL activity types and named in Greek and English;
//! - lesson and quiz statements name their course as the parent activity,
//!   and the enrolment id is the context's `registration` when it is a UUID;
//! - quiz results carry `score.scaled` (points over maximum), `raw`, `min`,
//!   `max`, `success` and the ISO 8601 `duration` from start to submission.
//!
//! Statements carry no `id`: the receiving store assigns one.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The xAPI version the statements follow.
pub const XAPI_VERSION: &str = "1.0.3";

const ADL_VERBS: &str = "http://adlnet.gov/expapi/verbs/";
const ADL_ACTIVITIES: &str = "http://adlnet.gov/expapi/activities/";

/// A Greek and English name, as an xAPI language map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Names {
    pub el: String,
    pub en: String,
}

/// A course, lesson or quiz as the statements name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: String,
    pub names: Names,
}

/// One learning event, loaded by the store.
#[derive(Debug, Clone, PartialEq)]
pub enum LearningEvent {
    /// The trainee was enrolled in a course.
    Registered {
        trainee_id: String,
        enrolment_id: String,
        course: Activity,
        at: DateTime<Utc>,
    },
    /// The trainee viewed a lesson for the first time.
    Experienced {
        trainee_id: String,
        course: Activity,
        lesson: Activity,
        at: DateTime<Utc>,
    },
    /// The trainee started a quiz attempt.
    Attempted {
        trainee_id: String,
        course: Activity,
        quiz: Activity,
        at: DateTime<Utc>,
    },
    /// The trainee submitted a quiz attempt; `passed` decides the verb.
    Graded {
        trainee_id: String,
        course: Activity,
        quiz: Activity,
        /// Points and maximum in hundredths of a point.
        points: u32,
        max_points: u32,
        passed: bool,
        started_at: DateTime<Utc>,
        at: DateTime<Utc>,
    },
    /// The trainee met every completion rule of the course.
    Completed {
        trainee_id: String,
        enrolment_id: String,
        course: Activity,
        at: DateTime<Utc>,
    },
}

impl LearningEvent {
    /// When the event happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            LearningEvent::Registered { at, .. }
            | LearningEvent::Experienced { at, .. }
            | LearningEvent::Attempted { at, .. }
            | LearningEvent::Graded { at, .. }
            | LearningEvent::Completed { at, .. } => *at,
        }
    }
}

/// The ids of a course, lesson and quiz as xAPI activity ids: Procap URLs
/// under the public base URL (`https://procap.example.org`, no trailing
/// slash needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityIds {
    base: String,
}

impl ActivityIds {
    pub fn new(public_base_url: &str) -> ActivityIds {
        ActivityIds {
            base: public_base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The public base URL, also the actor accounts' `homePage`.
    pub fn home_page(&self) -> &str {
        &self.base
    }

    pub fn course(&self, course_id: &str) -> String {
        format!("{}/training/courses/{course_id}", self.base)
    }

    pub fn lesson(&self, course_id: &str, lesson_id: &str) -> String {
        format!(
            "{}/training/courses/{course_id}/lessons/{lesson_id}",
            self.base
        )
    }

    pub fn quiz(&self, quiz_id: &str) -> String {
        format!("{}/training/quizzes/{quiz_id}", self.base)
    }
}

/// An xAPI statement, serialised as the xAPI JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub actor: Actor,
    pub verb: Verb,
    pub object: Object,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<StatementResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// RFC 3339 in UTC, e.g. `2026-12-05T09:30:00Z`.
    pub timestamp: String,
    pub version: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    #[serde(rename = "objectType")]
    pub object_type: &'static str,
    pub account: Account,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    #[serde(rename = "homePage")]
    pub home_page: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verb {
    pub id: String,
    pub display: VerbDisplay,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerbDisplay {
    #[serde(rename = "en-US")]
    pub en_us: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Object {
    #[serde(rename = "objectType")]
    pub object_type: &'static str,
    pub id: String,
    pub definition: Definition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub name: Names,
    #[serde(rename = "type")]
    pub activity_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementResult {
    pub score: Score,
    pub success: bool,
    pub completion: bool,
    /// ISO 8601 duration, e.g. `PT12M30S`.
    pub duration: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Points over maximum, from 0 to 1.
    pub scaled: f64,
    pub raw: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Context {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    #[serde(rename = "contextActivities", skip_serializing_if = "Option::is_none")]
    pub context_activities: Option<ContextActivities>,
    pub platform: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextActivities {
    pub parent: Vec<ParentActivity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParentActivity {
    #[serde(rename = "objectType")]
    pub object_type: &'static str,
    pub id: String,
}

/// The ADL verbs the export uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbKind {
    Registered,
    Experienced,
    Attempted,
    Passed,
    Failed,
    Completed,
}

impl VerbKind {
    pub fn word(self) -> &'static str {
        match self {
            VerbKind::Registered => "registered",
            VerbKind::Experienced => "experienced",
            VerbKind::Attempted => "attempted",
            VerbKind::Passed => "passed",
            VerbKind::Failed => "failed",
            VerbKind::Completed => "completed",
        }
    }

    fn verb(self) -> Verb {
        Verb {
            id: format!("{ADL_VERBS}{}", self.word()),
            display: VerbDisplay { en_us: self.word() },
        }
    }
}

/// The xAPI `platform` of every statement.
const PLATFORM: &str = "Procap";

/// Builds the statement of one event. `ids` gives the actor's `homePage`.
pub fn statement(ids: &ActivityIds, event: &LearningEvent) -> Statement {
    let (trainee_id, verb, object, result, context) = match event {
        LearningEvent::Registered {
            trainee_id,
            enrolment_id,
            course,
            ..
        } => (
            trainee_id,
            VerbKind::Registered,
            object(course, "course"),
            None,
            context(Some(enrolment_id), None),
        ),
        LearningEvent::Experienced {
            trainee_id,
            course,
            lesson,
            ..
        } => (
            trainee_id,
            VerbKind::Experienced,
            object(lesson, "lesson"),
            None,
            context(None, Some(course)),
        ),
        LearningEvent::Attempted {
            trainee_id,
            course,
            quiz,
            ..
        } => (
            trainee_id,
            VerbKind::Attempted,
            object(quiz, "assessment"),
            None,
            context(None, Some(course)),
        ),
        LearningEvent::Graded {
            trainee_id,
            course,
            quiz,
            points,
            max_points,
            passed,
            started_at,
            at,
        } => {
            let verb = if *passed {
                VerbKind::Passed
            } else {
                VerbKind::Failed
            };
            let scaled = if *max_points == 0 {
                0.0
            } else {
                (f64::from(*points) / f64::from(*max_points)).clamp(0.0, 1.0)
            };
            let result = StatementResult {
                score: Score {
                    scaled: round4(scaled),
                    raw: f64::from(*points) / 100.0,
                    min: 0.0,
                    max: f64::from(*max_points) / 100.0,
                },
                success: *passed,
                completion: true,
                duration: iso_duration(*at - *started_at),
            };
            (
                trainee_id,
                verb,
                object(quiz, "assessment"),
                Some(result),
                context(None, Some(course)),
            )
        }
        LearningEvent::Completed {
            trainee_id,
            enrolment_id,
            course,
            ..
        } => (
            trainee_id,
            VerbKind::Completed,
            object(course, "course"),
            None,
            context(Some(enrolment_id), None),
        ),
    };
    Statement {
        actor: Actor {
            object_type: "Agent",
            account: Account {
                home_page: ids.home_page().to_owned(),
                name: trainee_id.clone(),
            },
        },
        verb: verb.verb(),
        object,
        result,
        context: Some(context),
        timestamp: event
            .at()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        version: XAPI_VERSION,
    }
}

fn object(activity: &Activity, kind: &str) -> Object {
    Object {
        object_type: "Activity",
        id: activity.id.clone(),
        definition: Definition {
            name: activity.names.clone(),
            activity_type: format!("{ADL_ACTIVITIES}{kind}"),
        },
    }
}

fn context(enrolment_id: Option<&String>, parent: Option<&Activity>) -> Context {
    Context {
        registration: enrolment_id
            .filter(|id| is_uuid(id))
            .map(|id| id.to_ascii_lowercase()),
        context_activities: parent.map(|course| ContextActivities {
            parent: vec![ParentActivity {
                object_type: "Activity",
                id: course.id.clone(),
            }],
        }),
        platform: PLATFORM,
    }
}

/// Whether `value` is a UUID in its hyphenated form, as xAPI requires for
/// `registration`.
fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// An ISO 8601 duration in hours, minutes and seconds (`PT1H2M3S`,
/// `PT0S`); negative spans count as zero.
pub fn iso_duration(span: chrono::Duration) -> String {
    let total = span.num_seconds().max(0);
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    let mut text = String::from("PT");
    if hours > 0 {
        text.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        text.push_str(&format!("{minutes}M"));
    }
    if seconds > 0 || (hours == 0 && minutes == 0) {
        text.push_str(&format!("{seconds}S"));
    }
    text
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::{Value, json};

    use super::*;

    const TRAINEE: &str = "7d0c8d4e-3f7a-4c57-9b1a-2f8e6f0a1b2c";
    const ENROLMENT: &str = "0f3c2a1b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    fn ids() -> ActivityIds {
        ActivityIds::new("https://procap.example.org/")
    }

    fn course() -> Activity {
        Activity {
            id: ids().course("c1"),
            names: Names {
                el: "Εμπορία ανθρώπων".to_owned(),
                en: "Trafficking in human beings".to_owned(),
            },
        }
    }

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 9, minute, 0).unwrap()
    }

    fn json_of(event: &LearningEvent) -> Value {
        serde_json::to_value(statement(&ids(), event)).unwrap()
    }

    fn assert_required(value: &Value) {
        assert_eq!(value["actor"]["objectType"], "Agent");
        assert_eq!(
            value["actor"]["account"]["homePage"],
            "https://procap.example.org"
        );
        assert_eq!(value["actor"]["account"]["name"], TRAINEE);
        assert!(value["actor"].get("mbox").is_none());
        assert!(
            value["verb"]["id"]
                .as_str()
                .unwrap()
                .starts_with("http://adlnet.gov/expapi/verbs/")
        );
        assert_eq!(value["object"]["objectType"], "Activity");
        assert!(
            value["object"]["id"]
                .as_str()
                .unwrap()
                .starts_with("https://procap.example.org/training/")
        );
        assert_eq!(value["version"], "1.0.3");
        assert!(value["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn registration_names_the_course_and_the_enrolment() {
        let value = json_of(&LearningEvent::Registered {
            trainee_id: TRAINEE.to_owned(),
            enrolment_id: ENROLMENT.to_owned(),
            course: course(),
            at: at(0),
        });
        assert_required(&value);
        assert_eq!(
            value["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/registered"
        );
        assert_eq!(value["verb"]["display"]["en-US"], "registered");
        assert_eq!(
            value["object"]["id"],
            "https://procap.example.org/training/courses/c1"
        );
        assert_eq!(
            value["object"]["definition"],
            json!({
                "name": {"el": "Εμπορία ανθρώπων", "en": "Trafficking in human beings"},
                "type": "http://adlnet.gov/expapi/activities/course"
            })
        );
        assert_eq!(value["context"]["registration"], ENROLMENT);
        assert_eq!(value["timestamp"], "2026-12-05T09:00:00.000Z");
        assert!(value.get("result").is_none());
    }

    #[test]
    fn a_lesson_view_has_its_course_as_parent() {
        let value = json_of(&LearningEvent::Experienced {
            trainee_id: TRAINEE.to_owned(),
            course: course(),
            lesson: Activity {
                id: ids().lesson("c1", "l1"),
                names: Names {
                    el: "Ενδείξεις".to_owned(),
                    en: "Signs".to_owned(),
                },
            },
            at: at(5),
        });
        assert_required(&value);
        assert_eq!(
            value["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/experienced"
        );
        assert_eq!(
            value["object"]["definition"]["type"],
            "http://adlnet.gov/expapi/activities/lesson"
        );
        assert_eq!(
            value["context"]["contextActivities"]["parent"],
            json!([{"objectType": "Activity", "id": "https://procap.example.org/training/courses/c1"}])
        );
        assert!(value["context"].get("registration").is_none());
    }

    #[test]
    fn a_graded_attempt_carries_score_success_and_duration() {
        let quiz = Activity {
            id: ids().quiz("q1"),
            names: Names {
                el: "Τελικό τεστ".to_owned(),
                en: "Post-test".to_owned(),
            },
        };
        let graded = |points, passed| LearningEvent::Graded {
            trainee_id: TRAINEE.to_owned(),
            course: course(),
            quiz: quiz.clone(),
            points,
            max_points: 2_000,
            passed,
            started_at: at(10),
            at: at(22) + chrono::Duration::seconds(30),
        };
        let value = json_of(&graded(1_500, true));
        assert_required(&value);
        assert_eq!(value["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
        assert_eq!(
            value["result"],
            json!({
                "score": {"scaled": 0.75, "raw": 15.0, "min": 0.0, "max": 20.0},
                "success": true,
                "completion": true,
                "duration": "PT12M30S"
            })
        );
        assert_eq!(
            value["object"]["definition"]["type"],
            "http://adlnet.gov/expapi/activities/assessment"
        );
        let value = json_of(&graded(500, false));
        assert_eq!(value["verb"]["id"], "http://adlnet.gov/expapi/verbs/failed");
        assert_eq!(value["result"]["success"], false);
        assert_eq!(value["result"]["score"]["scaled"], 0.25);

        let value = json_of(&LearningEvent::Attempted {
            trainee_id: TRAINEE.to_owned(),
            course: course(),
            quiz,
            at: at(10),
        });
        assert_eq!(
            value["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/attempted"
        );
        assert!(value.get("result").is_none());
    }

    #[test]
    fn completion_and_non_uuid_enrolments() {
        let value = json_of(&LearningEvent::Completed {
            trainee_id: TRAINEE.to_owned(),
            enrolment_id: "not-a-uuid".to_owned(),
            course: course(),
            at: at(30),
        });
        assert_required(&value);
        assert_eq!(
            value["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/completed"
        );
        assert!(value["context"].get("registration").is_none());
    }

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(iso_duration(chrono::Duration::seconds(0)), "PT0S");
        assert_eq!(iso_duration(chrono::Duration::seconds(-5)), "PT0S");
        assert_eq!(iso_duration(chrono::Duration::seconds(59)), "PT59S");
        assert_eq!(iso_duration(chrono::Duration::seconds(3600)), "PT1H");
        assert_eq!(iso_duration(chrono::Duration::seconds(3723)), "PT1H2M3S");
    }
}
