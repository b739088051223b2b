//! The home page: a greeting and the cards of the user's role.

use askama::Template;
use procap_domain::role::Role;

use super::{PageContext, paths};

/// One card on the home page. A card without `href` is work that Procap
/// does not offer yet: it is shown with a "coming soon" label and no link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeCard {
    pub title_key: &'static str,
    pub text_key: &'static str,
    pub href: Option<String>,
}

impl HomeCard {
    fn soon(title_key: &'static str, text_key: &'static str) -> Self {
        HomeCard {
            title_key,
            text_key,
            href: None,
        }
    }

    fn link(title_key: &'static str, text_key: &'static str, href: &str) -> Self {
        HomeCard {
            title_key,
            text_key,
            href: Some(href.to_owned()),
        }
    }
}

/// One NRM deadline on the home page: a case code, never a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmDeadlineItem {
    pub case_code: String,
    /// Translated kind: reflection period or residence permit.
    pub kind: String,
    /// The stable kind identifier, for styling and tests.
    pub kind_code: &'static str,
    /// Formatted end date.
    pub ends_on: String,
    /// The deadline has already passed.
    pub overdue: bool,
    /// The case's NRM page.
    pub href: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageContext,
    pub cards: Vec<HomeCard>,
    /// Case-plan goals overdue for the user; empty without case access.
    pub overdue: Vec<super::plan::OverdueItem>,
    /// Follow-up contacts due for the user on cases assigned to them.
    pub followups_due: Vec<super::protection::DueFollowUpItem>,
    /// Notifications the user has not acknowledged (break-glass use).
    pub notifications: Vec<super::protection::NotificationItem>,
    /// Reflection periods and residence permits ending soon or past, on
    /// the cases the user may see.
    pub nrm_deadlines: Vec<NrmDeadlineItem>,
}

impl HomePage {
    /// Creates the home page of the signed-in user with the cards of their
    /// role. Without a user in the context the page has no cards.
    pub fn new(ctx: PageContext) -> Self {
        let cards = ctx
            .user
            .as_ref()
            .map(|user| home_cards(user.role))
            .unwrap_or_default();
        HomePage {
            ctx,
            cards,
            overdue: Vec::new(),
            followups_due: Vec::new(),
            notifications: Vec::new(),
            nrm_deadlines: Vec::new(),
        }
    }

    /// Whether the overdue section is shown: for users with case access.
    pub fn shows_overdue(&self) -> bool {
        self.ctx
            .user
            .as_ref()
            .is_some_and(|user| user.role.can(procap_domain::role::Permission::AccessCases))
    }

    pub fn display_name(&self) -> &str {
        self.ctx
            .user
            .as_ref()
            .map(|user| user.display_name.as_str())
            .unwrap_or_default()
    }
}

/// Returns the cards each role starts from. Cards of the training and
/// reporting areas, which are not built yet, have no link and say so.
pub fn home_cards(role: Role) -> Vec<HomeCard> {
    match role {
        Role::Admin => vec![
            HomeCard::link(
                "home-card-users-title",
                "home-card-users-text",
                paths::ADMIN_USERS,
            ),
            HomeCard::link(
                "home-card-organisations-title",
                "home-card-organisations-text",
                paths::ADMIN_ORGANISATIONS,
            ),
            HomeCard::link(
                "home-card-sessions-title",
                "home-card-sessions-text",
                paths::ADMIN_SESSIONS,
            ),
            HomeCard::link(
                "home-card-audit-title",
                "home-card-audit-text",
                paths::AUDIT,
            ),
        ],
        Role::Coordinator => vec![
            HomeCard::link(
                "home-card-cases-title",
                "home-card-cases-text",
                paths::CASES,
            ),
            HomeCard::link(
                "home-card-referrals-title",
                "home-card-referrals-text",
                super::referrals::REFERRALS_PATH,
            ),
            HomeCard::link(
                "home-card-audit-title",
                "home-card-audit-text",
                paths::AUDIT,
            ),
        ],
        Role::Caseworker => vec![HomeCard::link(
            "home-card-my-cases-title",
            "home-card-my-cases-text",
            paths::CASES,
        )],
        Role::Psychologist | Role::Lawyer => {
            vec![HomeCard::link(
                "home-card-assigned-cases-title",
                "home-card-assigned-cases-text",
                paths::CASES,
            )]
        }
        Role::Interpreter | Role::Escort => {
            vec![HomeCard::link(
                "home-card-my-appointments-title",
                "home-card-my-appointments-text",
                super::appointments::AGENDA,
            )]
        }
        Role::Trainer => vec![
            HomeCard::link(
                "home-card-courses-title",
                "home-card-courses-text",
                super::training_courses::MANAGE_COURSES,
            ),
            HomeCard::link(
                "home-card-training-sessions-title",
                "home-card-training-sessions-text",
                "/training/manage/sessions",
            ),
        ],
        Role::Trainee => vec![
            HomeCard::link(
                "home-card-my-courses-title",
                "home-card-my-courses-text",
                super::training_courses::TRAINING,
            ),
            HomeCard::link(
                "home-card-certificates-title",
                "home-card-certificates-text",
                super::training_courses::CERTIFICATES,
            ),
        ],
        Role::Monitoring => vec![HomeCard::soon(
            "home-card-statistics-title",
            "home-card-statistics-text",
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_cards() {
        for role in Role::ALL {
            assert!(!home_cards(role).is_empty(), "{role} has no home cards");
        }
    }

    #[test]
    fn admin_cards_link_to_admin_pages() {
        let hrefs: Vec<_> = home_cards(Role::Admin)
            .into_iter()
            .filter_map(|card| card.href)
            .collect();
        assert_eq!(
            hrefs,
            [
                "/admin/users",
                "/admin/organisations",
                "/admin/sessions",
                "/audit"
            ]
        );
    }

    #[test]
    fn case_cards_link_to_case_list() {
        for role in [Role::Coordinator, Role::Caseworker] {
            assert_eq!(
                home_cards(role)[0].href.as_deref(),
                Some("/cases"),
                "{role}"
            );
        }
    }

    #[test]
    fn trainee_cards_have_no_case_work() {
        let keys: Vec<_> = home_cards(Role::Trainee)
            .into_iter()
            .map(|card| card.title_key)
            .collect();
        assert!(keys.iter().all(|key| !key.contains("case")), "{keys:?}");
    }
}
