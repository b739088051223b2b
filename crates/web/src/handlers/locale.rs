//! `POST /locale`: switches the interface language, remembered in a cookie
//! and, for a signed-in user, in their account.

use axum::Form;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::locale::Locale;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::SESSION_USER_ID;
use crate::error::{MessageKey, WebError};
use crate::middleware::{locale_cookie, safe_return_path};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LocaleForm {
    locale: String,
    #[serde(default)]
    return_to: String,
}

pub async fn switch(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<LocaleForm>,
) -> Result<Response, WebError> {
    let Some(locale) = Locale::parse(&form.locale) else {
        return Err(WebError::BadRequest(MessageKey("error-malformed-form")));
    };
    let user_id: Option<String> = session
        .get(SESSION_USER_ID)
        .await
        .map_err(|error| WebError::Internal(anyhow::anyhow!("session store: {error}")))?;
    if let Some(user_id) = user_id {
        state
            .store
            .run(move |db| procap_store::users::set_locale(db, &user_id, locale.as_str()))
            .await?;
    }
    let target = safe_return_path(&form.return_to).to_owned();
    Ok((
        [(
            header::SET_COOKIE,
            locale_cookie(locale, state.config.https),
        )],
        Redirect::to(&target),
    )
        .into_response())
}
