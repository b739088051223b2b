//! Administration: users (`/admin/users`), organisations
//! (`/admin/organisations`) and active sessions (`/admin/sessions`). Only
//! holders of `Permission::ManageUsers` reach these pages. Destructive
//! actions ask for confirmation first; every change is audited.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::account::{Username, UsernameError};
use procap_domain::role::{Permission, Role};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::organisations::ORGANISATION_KINDS;
use procap_store::{StoreError, organisations, sessions, users};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::auth::session_store::session_key;
use crate::error::WebError;
use crate::handlers::render;
use crate::pages::admin::UserAction;
use crate::pages::{
    AdminOrganisationsPage, AdminUserFormPage, AdminUserRolePage, AdminUsersPage, ConfirmPage,
    FieldErrors, Notice, OrganisationForm, OrganisationRow, Pagination, SessionRow, SessionsPage,
    UserForm, UserRow, UserStatus, paths,
};
use crate::state::AppState;

const USERS_PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    page: Option<i64>,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let requested = page.unwrap_or(1).max(1);
    let offset = (requested - 1).saturating_mul(USERS_PER_PAGE);
    let (rows, total) = state
        .store
        .run(move |db| users::list(db, offset, USERS_PER_PAGE))
        .await?;
    let now = procap_store::now();
    let rows = rows
        .into_iter()
        .map(|row| UserRow {
            status: UserStatus::from_flags(row.disabled, row.locked_until, now),
            role: Role::parse(&row.role).unwrap_or(Role::Trainee),
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            organisation: row.organisation_name,
            must_change_password: row.must_change_password,
            totp_enabled: row.totp_enabled,
            last_login_at: row.last_login_at,
        })
        .collect();
    let mut ctx = user.page(paths::ADMIN_USERS);
    ctx.notice = notice;
    let page = AdminUsersPage {
        ctx,
        rows,
        pagination: Pagination::new(Some(requested), USERS_PER_PAGE, total, paths::ADMIN_USERS),
    };
    render(&page)
}

pub async fn list_users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    users_page(&state, &user, query.page, None).await
}

async fn organisation_choices(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    let all = state.store.run(organisations::list).await?;
    Ok(all
        .into_iter()
        .map(|organisation| (organisation.id, organisation.name))
        .collect())
}

pub async fn new_user(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let page = AdminUserFormPage {
        ctx: user.page(paths::ADMIN_USERS_NEW),
        form: UserForm::default(),
        organisations: organisation_choices(&state).await?,
        errors: FieldErrors::new(),
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct UserFormInput {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation_id: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(input): Form<UserFormInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let t = user.page(paths::ADMIN_USERS).t;
    let organisations = organisation_choices(&state).await?;
    let mut errors = FieldErrors::new();

    let username = match Username::parse(&input.username) {
        Ok(username) => Some(username),
        Err(UsernameError::Length) => {
            errors.add("username", t.t("form-error-username-length"));
            None
        }
        Err(UsernameError::Characters) => {
            errors.add("username", t.t("form-error-username-characters"));
            None
        }
    };
    let display_name = input.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 120 {
        errors.add("display_name", t.t("form-error-required"));
    }
    let email = input.email.trim().to_owned();
    if !email.is_empty()
        && (!email.contains('@') || email.len() > 254 || email.contains(char::is_whitespace))
    {
        errors.add("email", t.t("form-error-email"));
    }
    let role = Role::parse(&input.role);
    if role.is_none() {
        errors.add("role", t.t("form-error-choose"));
    }
    if !organisations
        .iter()
        .any(|(id, _)| *id == input.organisation_id)
    {
        errors.add("organisation_id", t.t("form-error-choose"));
    }

    let form = UserForm {
        username: input.username.clone(),
        display_name: input.display_name.clone(),
        email: input.email.clone(),
        role: input.role.clone(),
        organisation_id: input.organisation_id.clone(),
    };
    let (Some(username), Some(role), true) = (username, role, errors.is_empty()) else {
        return form_error(
            user.page(paths::ADMIN_USERS_NEW),
            form,
            organisations,
            errors,
        );
    };

    let password = crate::handlers::admin::one_time_password();
    let password_for_hash = password.clone();
    let hash =
        crate::password::off_thread(move || procap_crypto::hash_password(&password_for_hash))
            .await?;
    let organisation_id = input.organisation_id.clone();
    let name = username.as_str().to_owned();
    let created = state
        .store
        .run(move |db| {
            users::create(
                db,
                &users::NewUser {
                    organisation_id: &organisation_id,
                    username: &name,
                    display_name: &display_name,
                    email: (!email.is_empty()).then_some(email.as_str()),
                    role: role.as_str(),
                    password_hash: &hash,
                    must_change_password: true,
                    locale: "el",
                },
            )
        })
        .await;
    let created = match created {
        Ok(created) => created,
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("username", t.t("form-error-username-taken"));
            return form_error(
                user.page(paths::ADMIN_USERS_NEW),
                form,
                organisations,
                errors,
            );
        }
        Err(other) => return Err(other.into()),
    };
    let event = AuditEvent::new("user.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("user", &created.id)
        .details(json!({ "role": role.as_str(), "organisation_id": created.organisation_id }));
    record(&state.store, event).await?;

    let message = format!(
        "{} {}",
        t.t1("user-created", "username", created.username.as_str()),
        t.t2(
            "user-temporary-password",
            "username",
            created.username.as_str(),
            "password",
            password.as_str()
        )
    );
    users_page(&state, &user, None, Some(Notice::success(message))).await
}

#[derive(Deserialize)]
pub struct RoleInput {
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation_id: String,
}

pub async fn edit_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(target_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let target = state
        .store
        .run(move |db| users::get(db, &target_id))
        .await?;
    let mut page = AdminUserRolePage {
        ctx: user.page(paths::ADMIN_USERS),
        user_id: target.id,
        username: target.username,
        role: target.role,
        organisation_id: target.organisation_id,
        organisations: organisation_choices(&state).await?,
        errors: FieldErrors::new(),
    };
    if page.user_id == user.user.id {
        page.errors.add("role", page.ctx.t.t("user-role-self"));
    }
    render(&page)
}

/// Changes a user's role and organisation, ends their sessions so the new
/// rights (and the second-factor rule of the new role) apply at once, and
/// records the old and new values in the audit log.
pub async fn save_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(target_id): Path<String>,
    Form(input): Form<RoleInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let target = state
        .store
        .run(move |db| users::get(db, &target_id))
        .await?;
    let organisations = organisation_choices(&state).await?;
    let ctx = user.page(paths::ADMIN_USERS);
    let t = ctx.t;
    let mut errors = FieldErrors::new();
    let role = Role::parse(&input.role);
    if target.id == user.user.id {
        // An administrator demoting themselves could leave no administrator.
        errors.add("role", t.t("user-role-self"));
    } else if role.is_none() {
        errors.add("role", t.t("form-error-choose"));
    }
    if !organisations
        .iter()
        .any(|(id, _)| *id == input.organisation_id)
    {
        errors.add("organisation_id", t.t("form-error-choose"));
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        let page = AdminUserRolePage {
            ctx,
            user_id: target.id,
            username: target.username,
            role: input.role,
            organisation_id: input.organisation_id,
            organisations,
            errors,
        };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    if role.as_str() == target.role && input.organisation_id == target.organisation_id {
        let notice =
            Notice::success(t.t1("user-role-unchanged", "username", target.username.as_str()));
        return users_page(&state, &user, None, Some(notice)).await;
    }
    let id = target.id.clone();
    let organisation_id = input.organisation_id.clone();
    state
        .store
        .run(move |db| {
            db.transaction(|db| {
                users::set_role(db, &id, role.as_str(), &organisation_id)?;
                sessions::delete_for_user(db, &id).map(|_| ())
            })
        })
        .await?;
    let event = AuditEvent::new("user.role_change", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("user", &target.id)
        .details(json!({
            "old_role": target.role,
            "new_role": role.as_str(),
            "old_organisation_id": target.organisation_id,
            "new_organisation_id": input.organisation_id,
        }));
    record(&state.store, event).await?;
    let notice = Notice::success(t.t1("user-role-changed", "username", target.username.as_str()));
    users_page(&state, &user, None, Some(notice)).await
}

fn form_error(
    ctx: crate::pages::PageContext,
    form: UserForm,
    organisations: Vec<(String, String)>,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let page = AdminUserFormPage {
        ctx,
        form,
        organisations,
        errors,
    };
    let mut response = render(&page)?;
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// A random password for a new or reset account, shown once to the
/// administrator and changed by the user at first login.
pub fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[derive(Deserialize)]
pub struct ConfirmInput {
    #[serde(default)]
    confirmed: Option<String>,
}

pub async fn user_action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((target_id, action)): Path<(String, String)>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let Some(action) = UserAction::ALL
        .into_iter()
        .find(|candidate| candidate.slug() == action)
    else {
        return Err(WebError::NotFound);
    };
    let id = target_id.clone();
    let target = state.store.run(move |db| users::get(db, &id)).await?;
    let ctx = user.page(paths::ADMIN_USERS);
    let t = ctx.t;

    if input.confirmed.as_deref() != Some("yes") {
        return render(&ConfirmPage::for_user_action(
            ctx,
            action,
            &target.id,
            &target.username,
        ));
    }
    if target.id == user.user.id && action == UserAction::Disable {
        // Disabling oneself would lock the last administrator out.
        return Err(WebError::Forbidden);
    }

    let target_id = target.id.clone();
    let notice = match action {
        UserAction::Disable => {
            state
                .store
                .run(move |db| {
                    users::set_disabled(db, &target_id, true)?;
                    sessions::delete_for_user(db, &target_id).map(|_| ())
                })
                .await?;
            Notice::success(t.t1("user-disabled", "username", target.username.as_str()))
        }
        UserAction::Enable => {
            state
                .store
                .run(move |db| users::set_disabled(db, &target_id, false))
                .await?;
            Notice::success(t.t1("user-enabled", "username", target.username.as_str()))
        }
        UserAction::Unlock => {
            state
                .store
                .run(move |db| users::unlock(db, &target_id))
                .await?;
            Notice::success(t.t1("user-unlocked", "username", target.username.as_str()))
        }
        UserAction::ResetPassword => {
            let password = one_time_password();
            let password_for_hash = password.clone();
            let hash = crate::password::off_thread(move || {
                procap_crypto::hash_password(&password_for_hash)
            })
            .await?;
            state
                .store
                .run(move |db| {
                    users::set_password(db, &target_id, &hash, true)?;
                    sessions::delete_for_user(db, &target_id).map(|_| ())
                })
                .await?;
            Notice::success(t.t2(
                "user-temporary-password",
                "username",
                target.username.as_str(),
                "password",
                password.as_str(),
            ))
        }
    };
    let event = AuditEvent::new(
        &format!("user.{}", action.slug().replace('-', "_")),
        Outcome::Success,
    )
    .actor(&user.user.id, &user.user.username)
    .client_ip(user.client_ip.as_deref())
    .object("user", &target.id)
    .details(json!({}));
    record(&state.store, event).await?;
    users_page(&state, &user, None, Some(notice)).await
}

async fn organisations_page(
    state: &AppState,
    user: &CurrentUser,
    form: OrganisationForm,
    errors: FieldErrors,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let rows = state
        .store
        .run(organisations::list)
        .await?
        .into_iter()
        .map(|organisation| OrganisationRow {
            id: organisation.id,
            name: organisation.name,
            kind: organisation.kind,
            case_code_prefix: organisation.case_code_prefix,
            created_at: organisation.created_at,
        })
        .collect();
    let mut ctx = user.page(paths::ADMIN_ORGANISATIONS);
    ctx.notice = notice;
    let invalid = !errors.is_empty();
    let page = AdminOrganisationsPage {
        ctx,
        rows,
        form,
        errors,
    };
    let mut response = render(&page)?;
    if invalid {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

pub async fn list_organisations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    organisations_page(
        &state,
        &user,
        OrganisationForm::default(),
        FieldErrors::new(),
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct OrganisationInput {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    case_code_prefix: String,
}

pub async fn create_organisation(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(input): Form<OrganisationInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let t = user.page(paths::ADMIN_ORGANISATIONS).t;
    let name = input.name.trim().to_owned();
    let prefix = input.case_code_prefix.trim().to_owned();
    let form = OrganisationForm {
        name: input.name.clone(),
        kind: input.kind.clone(),
        case_code_prefix: input.case_code_prefix.clone(),
    };
    let mut errors = FieldErrors::new();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add("name", t.t("form-error-required"));
    }
    if !ORGANISATION_KINDS.contains(&input.kind.as_str()) {
        errors.add("kind", t.t("form-error-choose"));
    }
    if !(2..=6).contains(&prefix.len()) || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
        errors.add("case_code_prefix", t.t("form-error-case-code-prefix"));
    }
    if !errors.is_empty() {
        return organisations_page(&state, &user, form, errors, None).await;
    }

    let kind = input.kind.clone();
    let (name_for_db, prefix_for_db) = (name.clone(), prefix.clone());
    let created = state
        .store
        .run(move |db| organisations::create(db, &name_for_db, &kind, &prefix_for_db))
        .await;
    let created = match created {
        Ok(created) => created,
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("case_code_prefix", t.t("form-error-case-code-prefix-taken"));
            return organisations_page(&state, &user, form, errors, None).await;
        }
        Err(other) => return Err(other.into()),
    };
    let event = AuditEvent::new("organisation.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("organisation", &created.id)
        .details(json!({ "kind": created.kind }));
    record(&state.store, event).await?;
    let notice = Notice::success(t.t1("organisation-created", "name", name.as_str()));
    organisations_page(
        &state,
        &user,
        OrganisationForm::default(),
        FieldErrors::new(),
        Some(notice),
    )
    .await
}

async fn sessions_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let current = user.session.id().map(|id| session_key(&id));
    let rows = state
        .store
        .run(|db| sessions::list_active(db, procap_store::now()))
        .await?
        .into_iter()
        .map(|session| SessionRow {
            current: current.as_deref() == Some(session.id_hash.as_str()),
            id: session.id_hash,
            username: session.username,
            started_at: session.created_at,
            last_seen_at: session.last_seen_at,
            client_ip: session.client_ip,
        })
        .collect();
    let mut ctx = user.page(paths::ADMIN_SESSIONS);
    ctx.notice = notice;
    render(&SessionsPage { ctx, rows })
}

pub async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    sessions_page(&state, &user, None).await
}

pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id_hash): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let key = id_hash.clone();
    state
        .store
        .run(move |db| sessions::delete(db, &key))
        .await?;
    let event = AuditEvent::new("session.end", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("session", &id_hash[..id_hash.len().min(16)])
        .details(json!({}));
    record(&state.store, event).await?;
    if user.session.id().map(|id| session_key(&id)).as_deref() == Some(id_hash.as_str()) {
        return Ok(Redirect::to(paths::LOGIN).into_response());
    }
    let t = user.page(paths::ADMIN_SESSIONS).t;
    sessions_page(&state, &user, Some(Notice::success(t.t("sessions-ended")))).await
}
