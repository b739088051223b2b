//! Account rules: usernames and the password policy.
//!
//! The password policy follows NIST SP 800-63B: a minimum length, a check
//! against passwords known to be common, and no composition rules.

use thiserror::Error;

/// Minimum password length in characters (Unicode scalar values).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Maximum password length in characters; longer input is rejected so that
/// hashing cost stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 256;

const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// A login name: 3 to 64 characters of lower-case ASCII letters, digits,
/// `.`, `_` or `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UsernameError {
    #[error("username must be 3 to 64 characters long")]
    Length,
    #[error(
        "username may contain only lower-case letters, digits, '.', '_' and '-', starting with a letter"
    )]
    Characters,
}

impl Username {
    /// Parses a username, lower-casing and trimming it first.
    pub fn parse(value: &str) -> Result<Username, UsernameError> {
        let value = value.trim().to_ascii_lowercase();
        if !(3..=64).contains(&value.chars().count()) {
            return Err(UsernameError::Length);
        }
        let mut chars = value.chars();
        let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_valid = chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !first_is_letter || !rest_valid {
            return Err(UsernameError::Characters);
        }
        Ok(Username(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password was rejected. The variants map to messages in the
/// user's language; none of them echoes the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PasswordPolicyError {
    #[error("password is shorter than {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("password is longer than {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("password is on the list of common passwords")]
    Common,
    #[error("password contains the username")]
    ContainsUsername,
}

/// Checks a new password against the policy. `username` is the account's
/// login name; a password that contains it is rejected.
pub fn check_new_password(password: &str, username: &str) -> Result<(), PasswordPolicyError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(PasswordPolicyError::TooShort);
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(PasswordPolicyError::TooLong);
    }
    let lowered = password.to_lowercase();
    if !username.is_empty() && lowered.contains(&username.to_lowercase()) {
        return Err(PasswordPolicyError::ContainsUsername);
    }
    if is_common_password(&lowered) {
        return Err(PasswordPolicyError::Common);
    }
    Ok(())
}

/// Whether `password` (compared in lower case) is on the shipped list.
pub fn is_common_password(password: &str) -> bool {
    let lowered = password.to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|line| line == lowered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_accepts_role_names_and_rejects_symbols() {
        assert_eq!(
            Username::parse(" Caseworker ").unwrap().as_str(),
            "caseworker"
        );
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse("1abc"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("a b c"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("μαρία"), Err(UsernameError::Characters));
    }

    #[test]
    fn password_policy_checks_length_list_and_username() {
        assert_eq!(
            check_new_password("short", "x"),
            Err(PasswordPolicyError::TooShort)
        );
        assert_eq!(
            check_new_password(&"a".repeat(257), "x"),
            Err(PasswordPolicyError::TooLong)
        );
        assert_eq!(
            check_new_password("password1234", "x"),
            Err(PasswordPolicyError::Common)
        );
        assert_eq!(
            check_new_password("maria-caseworker-77", "caseworker"),
            Err(PasswordPolicyError::ContainsUsername)
        );
        assert_eq!(
            check_new_password("ελιά και θάλασσα στη Χαλκιδική", "maria"),
            Ok(())
        );
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        // Twelve Greek letters are 24 bytes but twelve characters.
        assert_eq!(check_new_password("αβγδεζηθικλμ", "x"), Ok(()));
        assert_eq!(
            check_new_password("αβγδεζηθικλ", "x"),
            Err(PasswordPolicyError::TooShort)
        );
    }
}
