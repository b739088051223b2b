//! `GET /`: the home page, with the cards of the user's role and, for
//! users with case access, the case-plan goals overdue for them, the
//! follow-up contacts due on their cases and their open notifications.

use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::pages::{HomePage, home_cards, paths};
use crate::state::AppState;

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let mut page = HomePage::new(user.page(paths::HOME));
    page.cards = home_cards(user.role);
    page.overdue = crate::handlers::plan::overdue_items(&state, &user).await?;
    page.followups_due = crate::handlers::followup::due_items(&state, &user).await?;
    page.notifications = crate::handlers::protection::notification_items(&state, &user).await?;
    render(&page)
}
