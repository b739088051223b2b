//! The signed-in user's own account: overview, API tokens and passkeys.

use askama::Template;
use chrono::NaiveDateTime;

use super::admin::encode_segment;
use super::{FieldErrors, PageContext, paths};

/// The account overview with links to the password, two-factor, passkey and
/// token pages.
#[derive(Debug, Clone, Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub ctx: PageContext,
    pub totp_enabled: bool,
    /// Unused recovery codes; shown only when TOTP is on.
    pub recovery_codes_left: i64,
    pub passkey_count: i64,
    pub token_count: i64,
}

impl AccountPage {
    pub fn password_href(&self) -> &'static str {
        paths::ACCOUNT_PASSWORD
    }

    pub fn totp_href(&self) -> &'static str {
        paths::ACCOUNT_TOTP
    }

    pub fn passkeys_href(&self) -> &'static str {
        paths::ACCOUNT_PASSKEYS
    }

    pub fn tokens_href(&self) -> &'static str {
        paths::ACCOUNT_TOKENS
    }
}

/// One personal API token (never its secret value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

impl TokenRow {
    /// Returns the URL the revoke button posts to.
    pub fn revoke_href(&self) -> String {
        format!(
            "{}/{}/revoke",
            paths::ACCOUNT_TOKENS,
            encode_segment(&self.id)
        )
    }
}

/// The values of the create-token form. Field names: `name`,
/// `expires_in_days` (1 to 365).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenForm {
    pub name: String,
    pub expires_in_days: String,
}

impl Default for TokenForm {
    fn default() -> Self {
        TokenForm {
            name: String::new(),
            expires_in_days: "90".to_owned(),
        }
    }
}

/// The user's API tokens, the create form and, right after creation, the new
/// token's value (shown this once).
#[derive(Debug, Clone, Template)]
#[template(path = "api_tokens.html")]
pub struct ApiTokensPage {
    pub ctx: PageContext,
    pub tokens: Vec<TokenRow>,
    pub form: TokenForm,
    pub errors: FieldErrors,
    /// The secret of a token created by this request; never stored.
    pub new_token: Option<String>,
}

impl ApiTokensPage {
    pub fn action(&self) -> &'static str {
        paths::ACCOUNT_TOKENS
    }
}

/// Takes a POST and answers the registration challenge as JSON.
pub const PASSKEYS_REGISTER_START: &str = "/account/passkeys/register/start";
/// Takes the new credential as JSON (`name`, `credential`).
pub const PASSKEYS_REGISTER_FINISH: &str = "/account/passkeys/register/finish";
/// Takes a POST at the second-factor step and answers the login challenge.
pub const LOGIN_PASSKEY_START: &str = "/login/passkey/start";
/// Takes the browser's signed answer to the login challenge as JSON.
pub const LOGIN_PASSKEY_FINISH: &str = "/login/passkey/finish";

/// One registered passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRow {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

impl PasskeyRow {
    /// Returns the URL the remove button posts to.
    pub fn remove_href(&self) -> String {
        format!(
            "{}/{}/remove",
            paths::ACCOUNT_PASSKEYS,
            encode_segment(&self.id)
        )
    }
}

/// The user's passkeys. Adding one needs the browser's WebAuthn API, so the
/// add form is shown only when scripts run (`procap.js` marks the page and
/// drives the form through the JSON endpoints); without scripts the page
/// shows a note instead.
#[derive(Debug, Clone, Template)]
#[template(path = "passkeys.html")]
pub struct PasskeysPage {
    pub ctx: PageContext,
    pub passkeys: Vec<PasskeyRow>,
    pub errors: FieldErrors,
    /// Whether the public address allows passkeys (a host name, not an IP
    /// address); when not, the page says so instead of offering the form.
    pub available: bool,
}

impl PasskeysPage {
    /// Returns where the script fetches the registration challenge.
    pub fn register_start_href(&self) -> &'static str {
        PASSKEYS_REGISTER_START
    }

    /// Returns where the script posts the new credential.
    pub fn register_finish_href(&self) -> &'static str {
        PASSKEYS_REGISTER_FINISH
    }
}
