//! The error page: a status, a title and a plain explanation in the user's
//! language. It never shows internals; the request id lets staff find the
//! log entry.

use askama::Template;

use super::{PageContext, paths};
use crate::error::ErrorKind;

#[derive(Debug, Clone, Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageContext,
    /// HTTP status code, shown small above the title.
    pub status: u16,
    /// Translated title.
    pub title: String,
    /// Translated explanation of what happened and what to do.
    pub message: String,
    /// Offer a link to the login page (expired session) instead of home.
    pub login_link: bool,
    /// Request id to quote when reporting the problem.
    pub reference: Option<String>,
}

impl ErrorPage {
    /// Creates the page for `kind` in the context's language.
    pub fn for_kind(ctx: PageContext, kind: ErrorKind, reference: Option<String>) -> Self {
        let title = ctx.t.t(kind.title_key());
        let message = ctx.t.t(kind.message_key());
        ErrorPage {
            ctx,
            status: kind.status().as_u16(),
            title,
            message,
            login_link: kind == ErrorKind::SessionExpired,
            reference,
        }
    }

    pub fn home_href(&self) -> &'static str {
        paths::HOME
    }

    pub fn login_href(&self) -> &'static str {
        paths::LOGIN
    }
}
