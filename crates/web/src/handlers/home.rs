//! `GET /`: the home page, with the cards of the user's role.

use axum::response::Response;

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::pages::{HomePage, home_cards, paths};

pub async fn home(user: CurrentUser) -> Result<Response, WebError> {
    let mut page = HomePage::new(user.page(paths::HOME));
    page.cards = home_cards(user.role);
    render(&page)
}
