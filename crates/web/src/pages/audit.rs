//! The audit log page: a filter form (GET) and one page of entries.

use askama::Template;
use chrono::NaiveDateTime;

use super::{FieldErrors, PageContext, Pagination, SelectOption, paths};

/// The outcomes an audit entry can have, as stored.
pub const AUDIT_OUTCOMES: [&str; 3] = ["success", "failure", "denied"];

/// The filter values as the user typed them, echoed back into the form.
/// Query parameters: `from` and `to` (`yyyy-mm-dd` or `dd/mm/yyyy`, both
/// inclusive, days in Athens time), `user` (a user id), `action` (an action
/// code or a group prefix such as `auth.`), `outcome`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilterForm {
    pub from: String,
    pub to: String,
    pub user: String,
    pub action: String,
    pub outcome: String,
}

impl AuditFilterForm {
    /// Returns the filters as query parameters, for the pagination links.
    pub fn to_params(&self) -> Vec<(String, String)> {
        [
            ("from", &self.from),
            ("to", &self.to),
            ("user", &self.user),
            ("action", &self.action),
            ("outcome", &self.outcome),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.to_params().iter().all(|(_, value)| value.is_empty())
    }
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub occurred_at: NaiveDateTime,
    /// Username of the actor; `None` for actions of the system itself.
    pub username: Option<String>,
    /// Dotted action code, e.g. `auth.login`, shown as it is.
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub client_ip: Option<String>,
}

impl AuditRow {
    /// Returns the object as `type id`, or an empty string.
    pub fn object_label(&self) -> String {
        match (&self.object_type, &self.object_id) {
            (Some(kind), Some(id)) => format!("{kind} {id}"),
            (Some(kind), None) => kind.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => String::new(),
        }
    }

    pub fn outcome_key(&self) -> &'static str {
        outcome_key(&self.outcome)
    }

    pub fn outcome_class(&self) -> &'static str {
        match self.outcome.as_str() {
            "success" => "badge badge-ok",
            "denied" => "badge badge-warn",
            _ => "badge badge-muted",
        }
    }
}

/// Returns the message key of an audit outcome.
pub fn outcome_key(outcome: &str) -> &'static str {
    match outcome {
        "success" => "audit-outcome-success",
        "failure" => "audit-outcome-failure",
        "denied" => "audit-outcome-denied",
        _ => "audit-outcome-other",
    }
}

#[derive(Debug, Clone, Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub ctx: PageContext,
    pub filter: AuditFilterForm,
    /// Errors of the filter values (`from`, `to`), e.g. a date range that
    /// ends before it starts.
    pub errors: FieldErrors,
    /// `(user id, username)` for the user filter.
    pub users: Vec<(String, String)>,
    /// The action codes present in the log, for the action filter. A code
    /// ending in `.` (e.g. `auth.`) is a prefix that matches its whole group.
    pub actions: Vec<String>,
    pub rows: Vec<AuditRow>,
    /// Build it with `filter.to_params()` so the links keep the filters.
    pub pagination: Pagination,
}

impl AuditPage {
    pub fn action(&self) -> &'static str {
        paths::AUDIT
    }

    pub fn user_options(&self) -> Vec<SelectOption> {
        self.users
            .iter()
            .map(|(id, username)| SelectOption::new(id, username, *id == self.filter.user))
            .collect()
    }

    pub fn action_options(&self) -> Vec<SelectOption> {
        self.actions
            .iter()
            .map(|action| {
                let label = if action.ends_with('.') {
                    format!("{action}*")
                } else {
                    action.clone()
                };
                SelectOption::new(action, label, *action == self.filter.action)
            })
            .collect()
    }

    pub fn outcome_options(&self) -> Vec<SelectOption> {
        AUDIT_OUTCOMES
            .iter()
            .map(|outcome| {
                SelectOption::new(
                    *outcome,
                    self.ctx.t.t(outcome_key(outcome)),
                    self.filter.outcome == *outcome,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_params_in_form_order() {
        let filter = AuditFilterForm {
            from: "2026-01-01".to_owned(),
            outcome: "denied".to_owned(),
            ..Default::default()
        };
        let names: Vec<_> = filter
            .to_params()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["from", "to", "user", "action", "outcome"]);
        assert!(!filter.is_empty());
        assert!(AuditFilterForm::default().is_empty());
    }

    #[test]
    fn object_label_joins_type_and_id() {
        let row = AuditRow {
            occurred_at: NaiveDateTime::default(),
            username: None,
            action: "user.disable".to_owned(),
            object_type: Some("user".to_owned()),
            object_id: Some("u-7".to_owned()),
            outcome: "success".to_owned(),
            client_ip: None,
        };
        assert_eq!(row.object_label(), "user u-7");
        assert_eq!(row.outcome_key(), "audit-outcome-success");
        assert_eq!(outcome_key("strange"), "audit-outcome-other");
    }
}
