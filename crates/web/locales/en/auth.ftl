# Signing in, passwords, two-factor authentication and the user's own account.

login-title = Sign in
login-intro = Sign in with your account details.
login-username = Username
login-password = Password
login-submit = Sign in
login-help = If you have forgotten your password or your account is locked, contact your organisation's system administrator.
login-logged-out = You have signed out.
login-session-expired = Your session has expired. Sign in again to continue.
login-password-changed = Your password has been changed. Sign in with the new password.

password-change-title = Change password
password-change-must = Before you continue, set a new password that only you know.
password-current = Current password
password-new = New password
password-confirm = Confirm new password
password-new-hint = At least { $min } characters. A phrase of several words with spaces is a good choice. Do not use your username or a password you use elsewhere.
password-change-submit = Change password
password-changed = Your password has been changed.

totp-enrol-title = Two-factor authentication
totp-enrol-intro = With two-factor authentication, signing in needs a six-digit code from an authenticator app on your phone as well as your password.
totp-enrol-step-scan = Open your authenticator app and scan the QR code.
totp-enrol-step-manual = If you cannot scan the QR code, type the key below into the app.
totp-enrol-step-code = Enter the six-digit code the app shows.
totp-qr-label = QR code for the authenticator app
totp-secret-label = Key for manual entry
totp-code = Verification code
totp-code-hint = Six digits, without spaces.
totp-enrol-submit = Turn on
totp-enabled = Two-factor authentication is now on.

totp-verify-title = Two-factor authentication
totp-verify-intro = Enter the code your authenticator app shows now.
totp-verify-submit = Verify
recovery-code-toggle = No access to the app? Use a recovery code
recovery-code = Recovery code
recovery-code-hint = Each recovery code works only once.
recovery-code-submit = Sign in with recovery code

recovery-codes-title = Recovery codes
recovery-codes-warning = These codes are shown only this once. Save or print them now and keep them somewhere safe.
recovery-codes-intro = If you lose your phone, you can sign in with one of these codes instead of the app's code. Each code can be used once.
recovery-codes-list-label = Your recovery codes
recovery-codes-continue = I have saved them, continue

account-title = My account
account-intro = The security settings of your account.
account-password-heading = Password
account-password-text = Change your password if you suspect someone else knows it.
account-password-link = Change password
account-totp-heading = Two-factor authentication
account-totp-on = On
account-totp-off = Off
account-totp-link-enrol = Turn on
account-totp-link-manage = Set up the app again
account-recovery-left =
    { $count ->
        [0] You have no recovery codes left.
        [one] You have { $count } recovery code left.
       *[other] You have { $count } recovery codes left.
    }
account-passkeys-heading = Passkeys
account-passkeys-count =
    { $count ->
        [0] You have not registered a passkey.
        [one] You have registered { $count } passkey.
       *[other] You have registered { $count } passkeys.
    }
account-passkeys-link = Manage passkeys
account-tokens-heading = API tokens
account-tokens-count =
    { $count ->
        [0] You have no active tokens.
        [one] You have { $count } active token.
       *[other] You have { $count } active tokens.
    }
account-tokens-link = Manage API tokens

passkeys-title = Passkeys
passkeys-intro = A passkey lets you sign in with your device's fingerprint, face or PIN instead of typing a password.
passkeys-caption = Your passkeys
passkeys-name = Name
passkeys-created = Registered
passkeys-last-used = Last used
passkeys-remove = Remove
passkeys-empty = You have not registered a passkey.
passkeys-add = Add a passkey
passkeys-no-js = Adding a passkey needs JavaScript, which is turned off in your browser. Everything else on this page works without it.
passkeys-removed = The passkey has been removed.

tokens-title = API tokens
tokens-intro = Tokens let other programs use the Procap API with your account's permissions. Treat them like your password.
tokens-caption = Your tokens
tokens-name = Name
tokens-name-hint = To remember where you use it, e.g. “Statistics export”.
tokens-created = Created
tokens-expires = Expires
tokens-last-used = Last used
tokens-revoke = Revoke
tokens-empty = You have no active tokens.
tokens-create-heading = New token
tokens-expiry-days = Valid for (days)
tokens-expiry-hint = From 1 to 365 days.
tokens-create-submit = Create token
tokens-new-heading = Your new token
tokens-new-once = Copy the token now: it will not be shown again.
tokens-new-copy-hint = Select the text and copy it, or press “Copy”.
tokens-new-label = Token
tokens-revoked = The token has been revoked.
