//! The timeline of trafficking events of a case: the events in date order
//! and the form that adds one. The event kinds follow the HTCDS `hte_`
//! fields.

use askama::Template;
use procap_domain::case::geo;

use super::cases::case_href;
use super::services::CaseHeading;
use super::{FieldErrors, PageContext, SelectOption};

/// Returns the path of a case's timeline.
pub fn timeline_href(case_id: &str) -> String {
    format!("{}/timeline", case_href(case_id))
}

/// The event kinds, in the order a trafficking story usually runs, each
/// with the Fluent key of its label.
pub const EVENT_KINDS: &[(&str, &str)] = &[
    ("recruitment", "timeline-kind-recruitment"),
    ("transport", "timeline-kind-transport"),
    ("exploitation", "timeline-kind-exploitation"),
    ("exit", "timeline-kind-exit"),
    ("identification", "timeline-kind-identification"),
    ("other", "timeline-kind-other"),
];

/// Returns the stored code of a known event kind.
pub fn event_kind(code: &str) -> Option<&'static str> {
    EVENT_KINDS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(known, _)| *known)
}

/// Returns the Fluent key of an event kind's label; an unknown code gets
/// the label of `other`.
pub fn event_kind_key(code: &str) -> &'static str {
    EVENT_KINDS
        .iter()
        .find(|(known, _)| *known == code)
        .map_or("timeline-kind-other", |(_, key)| *key)
}

/// The add form as typed. The description is free text: no `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TimelineForm {
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub started_on: String,
    /// `YYYY-MM-DD`, the end of an approximate period; may be empty.
    pub ended_on: String,
    /// ISO 3166-1 alpha-2 code; may be empty.
    pub country: String,
    pub description: String,
}

/// One event as listed, already translated. Holds decrypted text: no `Debug`.
#[derive(Clone)]
pub struct TimelineRow {
    /// The date, or the period `from – to`.
    pub when: String,
    pub kind: String,
    /// The country's name, empty when not known.
    pub country: String,
    pub description: String,
}

/// The timeline page. With errors it is the 422 page keeping the values typed.
#[derive(Clone, Template)]
#[template(path = "case_timeline.html")]
pub struct TimelinePage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub events: Vec<TimelineRow>,
    /// Whether the user may add events.
    pub may_add: bool,
    pub form: TimelineForm,
    pub errors: FieldErrors,
}

impl TimelinePage {
    pub fn action(&self) -> String {
        timeline_href(&self.case.id)
    }

    pub fn kind_options(&self) -> Vec<SelectOption> {
        EVENT_KINDS
            .iter()
            .map(|(code, key)| SelectOption::new(*code, self.ctx.t.t(key), self.form.kind == *code))
            .collect()
    }

    pub fn country_options(&self) -> Vec<SelectOption> {
        geo::countries()
            .iter()
            .map(|country| {
                SelectOption::new(
                    country.code,
                    country.name(self.ctx.locale),
                    self.form.country == country.code,
                )
            })
            .collect()
    }
}
