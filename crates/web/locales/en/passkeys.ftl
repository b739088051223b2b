# Passkeys (WebAuthn) as a second factor: the account page and the login step.

passkeys-intro-second-factor = After your password, a passkey confirms that it is you with your device's fingerprint, face or PIN, or with a security key. It takes the place of the code from the authenticator app; you can have both.
passkeys-name-hint = A name that tells you which device this is, such as “Work laptop”. Up to 60 characters.
passkeys-default-name = Passkey
passkeys-totp-remains = You can still sign in with a code from an authenticator app.
passkeys-remove-title = Remove passkey
passkeys-remove-confirm = Remove the passkey “{ $name }”? You will no longer be able to sign in with it.
passkeys-login-intro = Or confirm with a passkey on this device or a security key.
passkeys-login-button = Use a passkey
passkeys-login-no-js = Signing in with a passkey needs JavaScript, which is turned off in your browser. Enter the code from your authenticator app instead.
passkeys-error-failed = The passkey could not be checked. Try again, or use another passkey.
passkeys-error-expired = This passkey request has expired. Reload the page and try again.
passkeys-error-none = You have not registered a passkey.
passkeys-error-name-long = The name can be up to 60 characters.
passkeys-error-unsupported = This browser cannot use passkeys. Use a recent browser, or the code from your authenticator app.
passkeys-error-unavailable = Passkeys are not available at this address. They need Procap to be reached at a host name, not an IP address. Ask your administrator.
