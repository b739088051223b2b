//! Administration pages: users, organisations, active sessions, and the
//! generic confirmation step used before destructive actions.

use askama::Template;
use chrono::NaiveDateTime;
use procap_domain::role::Role;
use procap_store::organisations::ORGANISATION_KINDS;

use super::{FieldErrors, HiddenField, PageContext, Pagination, SelectOption, paths};
use crate::i18n::Translator;

/// Whether an account can sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    Disabled,
    /// Locked for a while after too many failed logins.
    Locked,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [UserStatus::Active, UserStatus::Disabled, UserStatus::Locked];

    /// Derives the status from the stored flags; a disabled account counts as
    /// disabled even while it is also locked.
    pub fn from_flags(
        disabled: bool,
        locked_until: Option<NaiveDateTime>,
        now: NaiveDateTime,
    ) -> Self {
        if disabled {
            UserStatus::Disabled
        } else if locked_until.is_some_and(|until| until > now) {
            UserStatus::Locked
        } else {
            UserStatus::Active
        }
    }

    pub fn label_key(&self) -> &'static str {
        match self {
            UserStatus::Active => "user-status-active",
            UserStatus::Disabled => "user-status-disabled",
            UserStatus::Locked => "user-status-locked",
        }
    }

    pub fn css_class(&self) -> &'static str {
        match self {
            UserStatus::Active => "badge badge-ok",
            UserStatus::Disabled => "badge badge-muted",
            UserStatus::Locked => "badge badge-warn",
        }
    }
}

/// Something an administrator can do to an account from the user list. Each
/// posts to `/admin/users/{id}/{slug}`. For destructive ones the handler
/// must first respond with a [`ConfirmPage`] and act only when the form
/// carries `confirmed=yes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Disable,
    Enable,
    Unlock,
    ResetPassword,
}

impl UserAction {
    pub const ALL: [UserAction; 4] = [
        UserAction::Disable,
        UserAction::Enable,
        UserAction::Unlock,
        UserAction::ResetPassword,
    ];

    /// Returns the last path segment of the action's URL.
    pub fn slug(&self) -> &'static str {
        match self {
            UserAction::Disable => "disable",
            UserAction::Enable => "enable",
            UserAction::Unlock => "unlock",
            UserAction::ResetPassword => "reset-password",
        }
    }

    pub fn label_key(&self) -> &'static str {
        match self {
            UserAction::Disable => "user-action-disable",
            UserAction::Enable => "user-action-enable",
            UserAction::Unlock => "user-action-unlock",
            UserAction::ResetPassword => "user-action-reset-password",
        }
    }

    /// Checks whether the action needs the confirmation step, because it
    /// signs the user out or takes away their password.
    pub fn is_destructive(&self) -> bool {
        matches!(self, UserAction::Disable | UserAction::ResetPassword)
    }

    /// Title and question of the confirmation page; the question takes
    /// `$username`.
    pub fn confirm_keys(&self) -> (&'static str, &'static str) {
        match self {
            UserAction::Disable => ("user-confirm-disable-title", "user-confirm-disable"),
            UserAction::Enable => ("user-confirm-enable-title", "user-confirm-enable"),
            UserAction::Unlock => ("user-confirm-unlock-title", "user-confirm-unlock"),
            UserAction::ResetPassword => ("user-confirm-reset-title", "user-confirm-reset"),
        }
    }

    /// Returns the URL the action posts to.
    pub fn href(&self, user_id: &str) -> String {
        format!(
            "{}/{}/{}",
            paths::ADMIN_USERS,
            encode_segment(user_id),
            self.slug()
        )
    }
}

/// One row of the user list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The organisation's name.
    pub organisation: String,
    pub status: UserStatus,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub last_login_at: Option<NaiveDateTime>,
}

impl UserRow {
    /// Returns the actions that make sense for the account's current status.
    pub fn actions(&self) -> Vec<UserAction> {
        let mut actions = Vec::new();
        match self.status {
            UserStatus::Active => actions.push(UserAction::Disable),
            UserStatus::Disabled => actions.push(UserAction::Enable),
            UserStatus::Locked => actions.extend([UserAction::Unlock, UserAction::Disable]),
        }
        actions.push(UserAction::ResetPassword);
        actions
    }

    pub fn action_href(&self, action: &UserAction) -> String {
        action.href(&self.id)
    }

    pub fn role_href(&self) -> String {
        format!("{}/{}/role", paths::ADMIN_USERS, self.id)
    }
}

/// The paginated user list.
#[derive(Debug, Clone, Template)]
#[template(path = "admin_users.html")]
pub struct AdminUsersPage {
    pub ctx: PageContext,
    pub rows: Vec<UserRow>,
    pub pagination: Pagination,
}

impl AdminUsersPage {
    pub fn new_user_href(&self) -> &'static str {
        paths::ADMIN_USERS_NEW
    }
}

/// The values of the create-user form, kept as typed when it is sent back
/// with errors. Field names: `username`, `display_name`, `email`, `role`
/// (a role identifier such as `caseworker`), `organisation_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub organisation_id: String,
}

/// The create-user form.
#[derive(Debug, Clone, Template)]
#[template(path = "admin_user_form.html")]
pub struct AdminUserFormPage {
    pub ctx: PageContext,
    pub form: UserForm,
    /// `(id, name)` of every organisation the user may belong to.
    pub organisations: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl AdminUserFormPage {
    pub fn action(&self) -> &'static str {
        paths::ADMIN_USERS
    }

    pub fn cancel_href(&self) -> &'static str {
        paths::ADMIN_USERS
    }

    pub fn role_options(&self) -> Vec<SelectOption> {
        Role::ALL
            .into_iter()
            .map(|role| {
                SelectOption::new(
                    role.as_str(),
                    self.ctx.t.role_label(&role),
                    self.form.role == role.as_str(),
                )
            })
            .collect()
    }

    pub fn organisation_options(&self) -> Vec<SelectOption> {
        self.organisations
            .iter()
            .map(|(id, name)| SelectOption::new(id, name, *id == self.form.organisation_id))
            .collect()
    }
}

/// The form that changes an existing user's role and organisation.
#[derive(Debug, Clone, Template)]
#[template(path = "admin_user_role.html")]
pub struct AdminUserRolePage {
    pub ctx: PageContext,
    pub user_id: String,
    pub username: String,
    pub role: String,
    pub organisation_id: String,
    /// `(id, name)` of every organisation the user may belong to.
    pub organisations: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl AdminUserRolePage {
    pub fn action(&self) -> String {
        format!("{}/{}/role", paths::ADMIN_USERS, self.user_id)
    }

    pub fn cancel_href(&self) -> &'static str {
        paths::ADMIN_USERS
    }

    pub fn role_options(&self) -> Vec<SelectOption> {
        Role::ALL
            .into_iter()
            .map(|role| {
                SelectOption::new(
                    role.as_str(),
                    self.ctx.t.role_label(&role),
                    self.role == role.as_str(),
                )
            })
            .collect()
    }

    pub fn organisation_options(&self) -> Vec<SelectOption> {
        self.organisations
            .iter()
            .map(|(id, name)| SelectOption::new(id, name, *id == self.organisation_id))
            .collect()
    }
}

/// A generic "are you sure?" page: the question and a form that posts the
/// hidden fields to `action`, next to a cancel link.
#[derive(Debug, Clone, Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub ctx: PageContext,
    /// Translated title.
    pub title: String,
    /// Translated question, naming what will happen.
    pub message: String,
    /// Path the confirm button posts to.
    pub action: String,
    pub hidden: Vec<HiddenField>,
    /// Translated label of the confirm button.
    pub confirm_label: String,
    pub cancel_href: String,
    /// Styles the confirm button as dangerous.
    pub destructive: bool,
}

impl ConfirmPage {
    /// Creates the confirmation of `action` on the account `username`. The
    /// form posts back to the action's URL with `confirmed=yes`.
    pub fn for_user_action(
        ctx: PageContext,
        action: UserAction,
        user_id: &str,
        username: &str,
    ) -> Self {
        let (title_key, message_key) = action.confirm_keys();
        let title = ctx.t.t(title_key);
        let message = ctx.t.t1(message_key, "username", username);
        let confirm_label = ctx.t.t(action.label_key());
        ConfirmPage {
            ctx,
            title,
            message,
            action: action.href(user_id),
            hidden: vec![HiddenField {
                name: "confirmed".to_owned(),
                value: "yes".to_owned(),
            }],
            confirm_label,
            cancel_href: paths::ADMIN_USERS.to_owned(),
            destructive: action.is_destructive(),
        }
    }
}

/// One organisation in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    /// One of `ngo`, `national_centre`, `training_organisation`, `other`.
    pub kind: String,
    pub case_code_prefix: String,
    pub created_at: NaiveDateTime,
}

/// The values of the create-organisation form. Field names: `name`, `kind`,
/// `case_code_prefix`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: String,
    pub case_code_prefix: String,
}

/// The organisation list with the create form below it.
#[derive(Debug, Clone, Template)]
#[template(path = "admin_organisations.html")]
pub struct AdminOrganisationsPage {
    pub ctx: PageContext,
    pub rows: Vec<OrganisationRow>,
    pub form: OrganisationForm,
    pub errors: FieldErrors,
}

impl AdminOrganisationsPage {
    pub fn action(&self) -> &'static str {
        paths::ADMIN_ORGANISATIONS
    }

    pub fn kind_options(&self) -> Vec<SelectOption> {
        ORGANISATION_KINDS
            .iter()
            .map(|kind| {
                SelectOption::new(
                    *kind,
                    self.ctx.t.t(organisation_kind_key(kind)),
                    self.form.kind == *kind,
                )
            })
            .collect()
    }

    pub fn kind_label(&self, kind: &str) -> String {
        self.ctx.t.t(organisation_kind_key(kind))
    }
}

/// Returns the message key of an organisation kind. Unknown kinds read as
/// "other".
pub fn organisation_kind_key(kind: &str) -> &'static str {
    match kind {
        "ngo" => "organisation-kind-ngo",
        "national_centre" => "organisation-kind-national-centre",
        "training_organisation" => "organisation-kind-training-organisation",
        _ => "organisation-kind-other",
    }
}

/// One signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The session's stored id (a hash, never the cookie value).
    pub id: String,
    pub username: String,
    pub started_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub client_ip: Option<String>,
    /// The administrator's own session, marked in the list.
    pub current: bool,
}

impl SessionRow {
    /// Returns the URL the "end session" button posts to.
    pub fn end_href(&self) -> String {
        format!("{}/{}/end", paths::ADMIN_SESSIONS, encode_segment(&self.id))
    }
}

/// The active sessions of all users.
#[derive(Debug, Clone, Template)]
#[template(path = "admin_sessions.html")]
pub struct SessionsPage {
    pub ctx: PageContext,
    pub rows: Vec<SessionRow>,
}

/// Percent-encodes one path segment; ids are UUIDs or hex, so this only
/// guards against surprises.
pub(crate) fn encode_segment(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Returns the label of a Yes/No cell.
pub(crate) fn yes_no(t: &Translator, value: bool) -> String {
    t.t(if value { "yes" } else { "no" })
}

impl AdminUsersPage {
    pub fn yes_no(&self, value: &bool) -> String {
        yes_no(&self.ctx.t, *value)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 5, 1)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn status_from_flags() {
        assert_eq!(
            UserStatus::from_flags(false, None, at(10)),
            UserStatus::Active
        );
        assert_eq!(
            UserStatus::from_flags(false, Some(at(11)), at(10)),
            UserStatus::Locked
        );
        assert_eq!(
            UserStatus::from_flags(false, Some(at(9)), at(10)),
            UserStatus::Active
        );
        assert_eq!(
            UserStatus::from_flags(true, Some(at(11)), at(10)),
            UserStatus::Disabled
        );
    }

    #[test]
    fn row_actions_follow_status() {
        let mut row = UserRow {
            id: "u-1".to_owned(),
            username: "maria".to_owned(),
            display_name: "Μαρία Παπαδοπούλου".to_owned(),
            role: Role::Caseworker,
            organisation: "Οργάνωση Α".to_owned(),
            status: UserStatus::Active,
            must_change_password: false,
            totp_enabled: true,
            last_login_at: None,
        };
        assert_eq!(
            row.actions(),
            [UserAction::Disable, UserAction::ResetPassword]
        );
        row.status = UserStatus::Disabled;
        assert_eq!(
            row.actions(),
            [UserAction::Enable, UserAction::ResetPassword]
        );
        row.status = UserStatus::Locked;
        assert_eq!(
            row.actions(),
            [
                UserAction::Unlock,
                UserAction::Disable,
                UserAction::ResetPassword
            ]
        );
        assert_eq!(
            row.action_href(&UserAction::ResetPassword),
            "/admin/users/u-1/reset-password"
        );
    }

    #[test]
    fn destructive_actions_need_confirmation() {
        assert!(UserAction::Disable.is_destructive());
        assert!(UserAction::ResetPassword.is_destructive());
        assert!(!UserAction::Enable.is_destructive());
        assert!(!UserAction::Unlock.is_destructive());
    }

    #[test]
    fn session_end_href_encodes_id() {
        let row = SessionRow {
            id: "ab/cd".to_owned(),
            username: "admin".to_owned(),
            started_at: at(8),
            last_seen_at: at(9),
            client_ip: None,
            current: false,
        };
        assert_eq!(row.end_href(), "/admin/sessions/ab%2Fcd/end");
    }
}
