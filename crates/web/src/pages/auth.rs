//! Pages of signing in and of the credentials a user manages: login, the
//! second factor at login, password change, TOTP enrolment and recovery
//! codes.

use askama::Template;

use super::{FieldErrors, PageContext, paths};

/// The login form. On a failed attempt the handler sends back the username
/// (never the password) with a message that does not reveal whether the
/// account exists.
#[derive(Debug, Clone, Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ctx: PageContext,
    /// Echoed back after a failed attempt; empty on first display.
    pub username: String,
    /// Translated error, e.g. wrong credentials or too many attempts.
    pub error: Option<String>,
    /// Translated information, e.g. "You have signed out".
    pub info: Option<String>,
    /// Local path to continue to after signing in, sent back as a hidden
    /// field; the handler must accept only paths on this site.
    pub next: Option<String>,
}

impl LoginPage {
    pub fn new(ctx: PageContext) -> Self {
        LoginPage {
            ctx,
            username: String::new(),
            error: None,
            info: None,
            next: None,
        }
    }

    pub fn action(&self) -> &'static str {
        paths::LOGIN
    }
}

/// The password change form, also shown when the account must change its
/// password before going on. Fields: `current_password`, `new_password`,
/// `confirm_password`. Passwords are never echoed back.
#[derive(Debug, Clone, Template)]
#[template(path = "change_password.html")]
pub struct ChangePasswordPage {
    pub ctx: PageContext,
    /// The account must set a new password before using Procap.
    pub must_change: bool,
    /// Minimum length, shown in the hint.
    pub min_length: i64,
    pub errors: FieldErrors,
}

impl ChangePasswordPage {
    pub fn new(ctx: PageContext, must_change: bool) -> Self {
        let min_length = i64::try_from(procap_domain::account::MIN_PASSWORD_CHARS).unwrap_or(12);
        ChangePasswordPage {
            ctx,
            must_change,
            min_length,
            errors: FieldErrors::new(),
        }
    }

    pub fn action(&self) -> &'static str {
        paths::ACCOUNT_PASSWORD
    }
}

/// TOTP enrolment: a QR code, the same secret for typing in by hand, and a
/// field (`code`) for the first code from the app.
#[derive(Debug, Clone, Template)]
#[template(path = "totp_enrol.html")]
pub struct TotpEnrolPage {
    pub ctx: PageContext,
    /// An SVG document made by the server (the `qrcode` crate); inserted
    /// unescaped, so it must never contain user input.
    pub qr_svg: String,
    /// The base32 secret, shown in groups of four.
    pub secret: String,
    pub errors: FieldErrors,
}

impl TotpEnrolPage {
    pub fn action(&self) -> &'static str {
        paths::ACCOUNT_TOTP
    }

    /// Returns the secret split into groups of four characters for manual
    /// entry.
    pub fn secret_groups(&self) -> String {
        group_by_four(&self.secret)
    }
}

/// Splits `value` into space-separated groups of four characters, ignoring
/// the spaces it already has.
pub fn group_by_four(value: &str) -> String {
    let characters: Vec<char> = value.chars().filter(|c| !c.is_whitespace()).collect();
    characters
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The second step of signing in: a TOTP `code`, or a `recovery_code` in the
/// second form. Both forms post to the same path.
#[derive(Debug, Clone, Template)]
#[template(path = "totp_verify.html")]
pub struct TotpVerifyPage {
    pub ctx: PageContext,
    pub errors: FieldErrors,
    /// Opens the recovery-code form, e.g. after a wrong recovery code.
    pub show_recovery: bool,
    /// Offers the code and recovery-code forms.
    pub totp_enabled: bool,
    /// Offers signing in with a passkey.
    pub has_passkey: bool,
}

impl TotpVerifyPage {
    pub fn action(&self) -> &'static str {
        paths::LOGIN_TOTP
    }
}

/// The recovery codes, shown once right after they are made.
#[derive(Debug, Clone, Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub ctx: PageContext,
    pub codes: Vec<String>,
    /// Target of the continue button, usually the account page.
    pub continue_href: String,
}

impl RecoveryCodesPage {
    /// Returns the codes one per line, for the copy button.
    pub fn codes_text(&self) -> String {
        self.codes.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_grouped_by_four() {
        assert_eq!(group_by_four("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(group_by_four("ABCDEF"), "ABCD EF");
        assert_eq!(group_by_four("AB CD EF"), "ABCD EF");
        assert_eq!(group_by_four(""), "");
    }
}
