# Error pages and error messages. No message reveals internal details or
# whether an account exists.

error-status = Error { $status }
error-reference = Reference: { $reference }. Quote it to your system administrator if the problem persists.
error-back-home = Back to the home page
error-go-login = Go to sign-in

error-400-title = Invalid request
error-400-text = The request was not valid. Go back to the previous page and try again.
error-403-title = Access not allowed
error-403-text = You do not have permission to open this page. If you need it for your work, ask your organisation's coordinator or system administrator.
error-404-title = Page not found
error-404-text = The page you asked for does not exist or has moved. Check the address or start from the home page.
error-405-title = Request not accepted
error-405-text = This address does not accept this kind of request. Start from the home page.
error-413-title = Request too large
error-413-text = The data you sent is larger than allowed. Make it smaller, for example by choosing a smaller file, and try again.
error-429-title = Too many attempts
error-429-text = Too many requests were sent in a short time. Wait a few minutes and try again.
error-500-title = System error
error-500-text = An unexpected error occurred and your request was not completed. Try again in a little while.
error-session-expired-title = Session expired
error-session-expired-text = Your session has expired, probably after a period of inactivity. Sign in again to continue.
error-csrf-title = Request rejected
error-csrf-text = The request seems to come from another website and was rejected for your protection. Open the page from Procap again and retry.
error-malformed-form = The form was not submitted correctly. Open the page again and fill in the form from the start.

# The same message for an unknown username and for a wrong password.
login-error-invalid = Wrong username or password.
# Show only when the password was right, so that it does not reveal that the account exists.
login-error-locked =
    The account is locked for a while after too many failed sign-in attempts. Try again in { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    } or contact your system administrator.
login-error-rate-limited = Too many sign-in attempts came from this network address. Wait a few minutes and try again.

password-error-too-short = The password must have at least { $min } characters.
password-error-too-long = The password cannot have more than { $max } characters.
password-error-common = This password is one of the most common ones and is easy to guess. Choose another.
password-error-contains-username = The password must not contain the username.
password-error-mismatch = The two new passwords are not the same.
password-error-current-wrong = The current password is not correct.
password-error-same-as-current = The new password must be different from the current one.

totp-error-invalid = The verification code is wrong or has expired. Enter the code the app shows now.
recovery-error-invalid = The recovery code is not valid.
recovery-error-used = This recovery code has already been used. Use another one from your list.

form-error-required = Fill in this field.
form-error-choose = Choose one of the values in the list.
form-error-username-length = The username must have 3 to 64 characters.
form-error-username-characters = The username may contain only lower-case Latin letters, digits, full stop, underscore or hyphen, and must start with a letter.
form-error-username-taken = This username is already taken.
form-error-email = The email address is not valid.
form-error-case-code-prefix = The prefix must have 2 to 6 capital Latin letters.
form-error-case-code-prefix-taken = Another organisation already uses this prefix.
form-error-expiry-days = The validity must be from 1 to 365 days.
form-error-token-name-length = The name must have at most 80 characters.
form-error-date = The date is not valid.
form-error-date-range = The “To” date cannot be before the “From” date.
