//! Page view models: one askama template per struct, each holding the common
//! [`PageContext`] that `base.html` reads (language, user, navigation,
//! notice). Handlers fill the structs; the templates hold no text of their
//! own, only translation calls such as `ctx.t.t(…)`.

pub mod account;
pub mod admin;
pub mod appointments;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod case_import;
pub mod case_team;
pub mod cases;
pub mod charts;
pub mod closure;
pub mod consent_forms;
pub mod consents;
pub mod error;
pub mod followup;
pub mod home;
pub mod notes;
pub mod nrm;
pub mod nrm_forms;
pub mod plan;
pub mod protection;
pub mod referrals;
pub mod reports;
pub mod requests;
pub mod screening;
pub mod services;
pub mod timeline;
pub mod training_certificates;
pub mod training_courses;
pub mod training_dashboard;
pub mod training_markdown;
pub mod training_quizzes;
pub mod training_scorm;
pub mod training_sessions;
pub mod witness;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use procap_domain::locale::Locale;
use procap_domain::role::{Permission, Role};

use crate::error::{ErrorKind, ErrorMarker};
use crate::i18n::Translator;

pub use account::{AccountPage, ApiTokensPage, PasskeyRow, PasskeysPage, TokenForm, TokenRow};
pub use admin::{
    AdminOrganisationsPage, AdminUserFormPage, AdminUserRolePage, AdminUsersPage, ConfirmPage,
    OrganisationForm, OrganisationRow, SessionRow, SessionsPage, UserAction, UserForm, UserRow,
    UserStatus, organisation_kind_key,
};
pub use audit::{AUDIT_OUTCOMES, AuditFilterForm, AuditPage, AuditRow};
pub use auth::{ChangePasswordPage, LoginPage, RecoveryCodesPage, TotpEnrolPage, TotpVerifyPage};
pub use error::ErrorPage;
pub use home::{HomeCard, HomePage, home_cards};

/// The URL paths the templates link to and post to. Handlers must be
/// mounted at these paths; per-row actions are built by methods on the row
/// types (for example [`UserRow::action_href`]).
pub mod paths {
    pub const HOME: &str = "/";
    pub const LOGIN: &str = "/login";
    /// Second step of the login: TOTP code or recovery code.
    pub const LOGIN_TOTP: &str = "/login/totp";
    pub const LOGOUT: &str = "/logout";
    /// Takes the form fields `locale` and `return_to`.
    pub const LOCALE: &str = "/locale";
    pub const ACCOUNT: &str = "/account";
    pub const ACCOUNT_PASSWORD: &str = "/account/password";
    pub const ACCOUNT_TOTP: &str = "/account/totp";
    pub const ACCOUNT_PASSKEYS: &str = "/account/passkeys";
    pub const ACCOUNT_TOKENS: &str = "/account/tokens";
    pub const ADMIN_USERS: &str = "/admin/users";
    pub const ADMIN_USERS_NEW: &str = "/admin/users/new";
    pub const ADMIN_ORGANISATIONS: &str = "/admin/organisations";
    pub const ADMIN_SESSIONS: &str = "/admin/sessions";
    pub const AUDIT: &str = "/audit";
    /// The case list; a case page is `/cases/{id}`.
    pub const CASES: &str = "/cases";
    /// The registration form (`GET`) and its submission (`POST`).
    pub const CASES_NEW: &str = "/cases/new";
}

/// The data every page needs besides its own content.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub t: Translator,
    pub locale: Locale,
    /// The signed-in user; `None` on the login page and for anonymous errors.
    pub user: Option<NavUser>,
    pub nav: Vec<NavItem>,
    /// Path of the current page without the query string; the language
    /// switch returns here.
    pub current_path: String,
    pub notice: Option<Notice>,
}

/// The signed-in user as the page header shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label_key: &'static str,
    pub href: String,
    /// Marks the entry with `aria-current="page"`.
    pub current: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Error,
}

/// A one-line message above the page content, e.g. "User created". The
/// message is already translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub message: String,
}

impl Notice {
    pub fn info(message: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Info,
            message: message.into(),
        }
    }

    pub fn success(message: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Success,
            message: message.into(),
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Notice {
            kind: NoticeKind::Error,
            message: message.into(),
        }
    }

    /// Returns the CSS classes of the notice box.
    pub fn css_class(&self) -> &'static str {
        match self.kind {
            NoticeKind::Info => "notice notice-info",
            NoticeKind::Success => "notice notice-success",
            NoticeKind::Error => "notice notice-error",
        }
    }

    /// Errors interrupt screen readers (`alert`); the rest wait (`status`).
    pub fn aria_role(&self) -> &'static str {
        match self.kind {
            NoticeKind::Error => "alert",
            NoticeKind::Info | NoticeKind::Success => "status",
        }
    }
}

impl PageContext {
    /// Creates a context for pages seen before signing in (login, errors).
    pub fn anonymous(locale: Locale, current_path: impl Into<String>) -> Self {
        PageContext {
            t: Translator::new(locale),
            locale,
            user: None,
            nav: Vec::new(),
            current_path: current_path.into(),
            notice: None,
        }
    }

    /// Creates a context for a signed-in user, with the navigation of their
    /// role.
    pub fn for_user(locale: Locale, user: NavUser, current_path: impl Into<String>) -> Self {
        let current_path = current_path.into();
        let nav = nav_for_role(user.role, &current_path);
        PageContext {
            t: Translator::new(locale),
            locale,
            user: Some(user),
            nav,
            current_path,
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: Notice) -> Self {
        self.notice = Some(notice);
        self
    }

    /// Returns the `lang` tag of the language the header's switch offers.
    pub fn other_locale(&self) -> &'static str {
        self.locale.other().as_str()
    }
}

/// Builds the main navigation for `role`: staff with case access have the
/// case list, interpreters and escorts their agenda, administrators manage
/// users, organisations, sessions and translations, coordinators see
/// referrals, caseworkers and coordinators data requests, administrators and
/// coordinators the audit log, and everyone the home page, API tokens and
/// their account.
/// The entry whose path is the longest prefix of `current_path` is marked
/// current.
pub fn nav_for_role(role: Role, current_path: &str) -> Vec<NavItem> {
    let mut entries: Vec<(&'static str, &'static str)> = vec![("nav-home", paths::HOME)];
    if role.can(Permission::AccessCases) {
        entries.push(("nav-cases", paths::CASES));
    }
    if role.can(Permission::AccessAssignedAppointments) {
        entries.push(("nav-agenda", appointments::AGENDA));
    }
    if role == Role::Admin {
        entries.extend([
            ("nav-users", paths::ADMIN_USERS),
            ("nav-organisations", paths::ADMIN_ORGANISATIONS),
            ("nav-sessions", paths::ADMIN_SESSIONS),
            ("nav-translations", consent_forms::ADMIN_TRANSLATIONS),
        ]);
    }
    if role.can(Permission::CoordinateCases) {
        entries.push(("nav-referrals", referrals::REFERRALS_PATH));
    }
    if matches!(role, Role::Caseworker | Role::Coordinator) {
        entries.push(("nav-requests", requests::REQUESTS));
    }
    if matches!(role, Role::Admin | Role::Coordinator) {
        entries.push(("nav-audit", paths::AUDIT));
    }
    if role.can(Permission::ManageTraining) || role.can(Permission::TakeTraining) {
        entries.push(("nav-training", training_courses::TRAINING));
    }
    if role.can(Permission::ManageTraining) {
        entries.push(("nav-training-dashboard", training_dashboard::DASHBOARD_PATH));
    }
    if role.can(Permission::ViewStatistics) {
        entries.push(("nav-case-dashboard", reports::DASHBOARD_PATH));
        entries.push(("nav-reports", reports::AMIF_PATH));
    }
    entries.extend([
        ("nav-api", paths::ACCOUNT_TOKENS),
        ("nav-account", paths::ACCOUNT),
    ]);

    let current_href = entries
        .iter()
        .map(|(_, href)| *href)
        .filter(|href| path_is_within(current_path, href))
        .max_by_key(|href| href.len());

    entries
        .into_iter()
        .map(|(label_key, href)| NavItem {
            label_key,
            href: href.to_owned(),
            current: Some(href) == current_href,
        })
        .collect()
}

/// Checks whether `path` is `section` or lies below it (`/admin/users/7` is within
/// `/admin/users`, `/admin/usersx` is not). The home page `/` only matches
/// itself.
fn path_is_within(path: &str, section: &str) -> bool {
    if section == "/" {
        return path == "/";
    }
    match path.strip_prefix(section) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// A page of a long list, counted from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub page: i64,
    pub per_page: i64,
    /// Number of rows in the whole list.
    pub total: i64,
    /// Path the previous/next links point to, without a query string.
    pub base_path: String,
    /// Filters to keep in the previous/next links; empty values are dropped.
    pub params: Vec<(String, String)>,
}

impl Pagination {
    /// Creates a pagination for the requested `page` (missing or below 1
    /// means the first page; `per_page` below 1 is treated as 1). A page
    /// past the end is kept, so the table shows no rows and a link back.
    pub fn new(page: Option<i64>, per_page: i64, total: i64, base_path: impl Into<String>) -> Self {
        Pagination {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.max(1),
            total: total.max(0),
            base_path: base_path.into(),
            params: Vec::new(),
        }
    }

    /// Adds filters that the previous/next links must keep.
    pub fn with_params(mut self, params: Vec<(String, String)>) -> Self {
        self.params = params;
        self
    }

    /// Number of pages; an empty list still has one page.
    pub fn pages(&self) -> i64 {
        let per_page = self.per_page.max(1);
        ((self.total + per_page - 1) / per_page).max(1)
    }

    /// Rows to skip for this page, for the store's `offset`.
    pub fn offset(&self) -> i64 {
        (self.page.max(1) - 1).saturating_mul(self.per_page.max(1))
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    pub fn prev_href(&self) -> String {
        self.href_for(self.page.saturating_sub(1).clamp(1, self.pages()))
    }

    pub fn next_href(&self) -> String {
        self.href_for(self.page.saturating_add(1).min(self.pages()))
    }

    /// Builds the link to `page`, keeping the non-empty filters in their
    /// order and URL-encoding them.
    pub fn href_for(&self, page: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.params {
            if !value.is_empty() && name != "page" {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("{}?{}", self.base_path, query.finish())
    }
}

/// One validation message of a form. `field` is the input's `name` and `id`;
/// an empty `field` marks a message about the whole form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The validation messages of a submitted form, in the order the fields
/// appear. Templates show them in a summary at the top (`role="alert"`) and
/// next to each field (`aria-describedby`, `aria-invalid`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors(Vec::new())
    }

    /// Adds a message for `field`; use `""` for a message about the form.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Returns the first message for `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
}

/// An `<option>` of a `<select>`; the label is already translated or is data
/// (an organisation's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl SelectOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        SelectOption {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// A hidden form field carried through a confirmation step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenField {
    pub name: String,
    pub value: String,
}

/// Renders a page as `text/html`. A template error is logged and becomes a
/// plain 500 response marked for the error-page middleware.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = html.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(error) => {
            tracing::error!(error = %error, template = std::any::type_name::<T>(), "template rendering failed");
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response
                .extensions_mut()
                .insert(ErrorMarker(ErrorKind::Internal));
            response
        }
    }
}

/// Implements `IntoResponse` for page structs by rendering them with
/// [`render`].
macro_rules! impl_into_response {
    ($($page:ty),+ $(,)?) => {
        $(
            impl axum::response::IntoResponse for $page {
                fn into_response(self) -> axum::response::Response {
                    $crate::pages::render(&self)
                }
            }
        )+
    };
}

impl_into_response!(
    LoginPage,
    HomePage,
    ErrorPage,
    ChangePasswordPage,
    TotpEnrolPage,
    TotpVerifyPage,
    RecoveryCodesPage,
    AccountPage,
    AdminUsersPage,
    AdminUserFormPage,
    ConfirmPage,
    AdminOrganisationsPage,
    SessionsPage,
    AuditPage,
    ApiTokensPage,
    PasskeysPage,
    cases::CaseListPage,
    cases::CaseFormPage,
    cases::CaseViewPage,
    assessment::AssessmentPage,
    plan::PlanPage,
    plan::GoalEditPage,
    appointments::CaseAppointmentsPage,
    appointments::AgendaPage,
    appointments::StaffSkillsPage,
    services::ServiceListPage,
    services::ServiceFormPage,
    consents::ConsentsPage,
    closure::ClosurePage,
);

#[cfg(test)]
mod tests {
    use super::*;

    fn current_keys(nav: &[NavItem]) -> Vec<&'static str> {
        nav.iter()
            .filter(|item| item.current)
            .map(|item| item.label_key)
            .collect()
    }

    #[test]
    fn admin_nav_has_management_entries() {
        let nav = nav_for_role(Role::Admin, "/");
        let keys: Vec<_> = nav.iter().map(|item| item.label_key).collect();
        assert_eq!(
            keys,
            [
                "nav-home",
                "nav-users",
                "nav-organisations",
                "nav-sessions",
                "nav-translations",
                "nav-audit",
                "nav-case-dashboard",
                "nav-reports",
                "nav-api",
                "nav-account"
            ]
        );
        assert_eq!(current_keys(&nav), ["nav-home"]);
    }

    #[test]
    fn coordinator_nav_has_audit_only() {
        let keys: Vec<_> = nav_for_role(Role::Coordinator, "/")
            .iter()
            .map(|item| item.label_key)
            .collect();
        assert_eq!(
            keys,
            [
                "nav-home",
                "nav-cases",
                "nav-referrals",
                "nav-requests",
                "nav-audit",
                "nav-training",
                "nav-training-dashboard",
                "nav-case-dashboard",
                "nav-reports",
                "nav-api",
                "nav-account"
            ]
        );
    }

    #[test]
    fn monitoring_nav_has_the_reports() {
        let keys: Vec<_> = nav_for_role(Role::Monitoring, "/")
            .iter()
            .map(|item| item.label_key)
            .collect();
        assert_eq!(
            keys,
            [
                "nav-home",
                "nav-case-dashboard",
                "nav-reports",
                "nav-api",
                "nav-account"
            ]
        );
        assert_eq!(
            current_keys(&nav_for_role(Role::Monitoring, "/reports/dashboard")),
            ["nav-case-dashboard"]
        );
        assert_eq!(
            current_keys(&nav_for_role(
                Role::Monitoring,
                "/reports/amif/definitions/x"
            )),
            ["nav-reports"]
        );
    }

    #[test]
    fn caseworker_nav_has_cases() {
        let keys: Vec<_> = nav_for_role(Role::Caseworker, "/")
            .iter()
            .map(|item| item.label_key)
            .collect();
        assert_eq!(
            keys,
            [
                "nav-home",
                "nav-cases",
                "nav-requests",
                "nav-api",
                "nav-account"
            ]
        );
        assert_eq!(
            current_keys(&nav_for_role(Role::Caseworker, "/cases/new")),
            ["nav-cases"]
        );
    }

    #[test]
    fn roles_without_case_access_have_no_cases_entry() {
        for role in [Role::Trainee, Role::Trainer, Role::Monitoring, Role::Admin] {
            assert!(
                nav_for_role(role, "/")
                    .iter()
                    .all(|item| item.label_key != "nav-cases"),
                "{role}"
            );
        }
    }

    #[test]
    fn nav_current_is_longest_prefix() {
        assert_eq!(
            current_keys(&nav_for_role(Role::Admin, "/account/tokens")),
            ["nav-api"]
        );
        assert_eq!(
            current_keys(&nav_for_role(Role::Admin, "/account/password")),
            ["nav-account"]
        );
        assert_eq!(
            current_keys(&nav_for_role(Role::Admin, "/admin/users/new")),
            ["nav-users"]
        );
        assert!(current_keys(&nav_for_role(Role::Admin, "/admin/usersx")).is_empty());
    }

    #[test]
    fn pagination_counts_pages() {
        assert_eq!(Pagination::new(None, 20, 0, "/x").pages(), 1);
        assert_eq!(Pagination::new(None, 20, 20, "/x").pages(), 1);
        assert_eq!(Pagination::new(None, 20, 21, "/x").pages(), 2);
        let last = Pagination::new(Some(2), 20, 21, "/x");
        assert!(last.has_prev());
        assert!(!last.has_next());
        assert_eq!(last.offset(), 20);
        let first = Pagination::new(Some(0), 20, 21, "/x");
        assert_eq!(first.page, 1);
        assert!(!first.has_prev());
        assert!(first.has_next());
    }

    #[test]
    fn pagination_links_keep_filters() {
        let pagination = Pagination::new(Some(2), 10, 100, "/audit").with_params(vec![
            ("from".to_owned(), "2026-01-01".to_owned()),
            ("user".to_owned(), String::new()),
            ("action".to_owned(), "login failed&x=1".to_owned()),
            ("page".to_owned(), "9".to_owned()),
        ]);
        assert_eq!(
            pagination.next_href(),
            "/audit?from=2026-01-01&action=login+failed%26x%3D1&page=3"
        );
        assert_eq!(
            pagination.prev_href(),
            "/audit?from=2026-01-01&action=login+failed%26x%3D1&page=1"
        );
    }

    #[test]
    fn field_errors_lookup_by_field() {
        let mut errors = FieldErrors::new();
        assert!(errors.is_empty());
        errors.add("username", "taken");
        errors.add("", "form");
        assert_eq!(errors.get("username"), Some("taken"));
        assert!(errors.has(""));
        assert!(!errors.has("email"));
    }
}
