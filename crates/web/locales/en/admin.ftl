# Administration: users, organisations, active sessions.

users-title = Users
users-intro = The accounts of all organisations. Changes are recorded in the audit log.
users-caption = User accounts
users-create-link = New user
users-col-username = Username
users-col-name = Full name
users-col-role = Role
users-col-organisation = Organisation
users-col-status = Status
users-col-must-change = Password change pending
users-col-totp = Two-factor
users-col-last-login = Last sign-in
users-empty = There are no users.

user-status-active = Active
user-status-disabled = Disabled
user-status-locked = Locked

user-action-disable = Disable
user-action-enable = Enable
user-action-unlock = Unlock
user-action-reset-password = Reset password

user-confirm-disable-title = Disable account
user-confirm-disable = Disable the account “{ $username }”? The user will be signed out on every device and cannot sign in until the account is enabled again.
user-confirm-enable-title = Enable account
user-confirm-enable = Enable the account “{ $username }” again?
user-confirm-unlock-title = Unlock account
user-confirm-unlock = Unlock the account “{ $username }” before the lock expires?
user-confirm-reset-title = Reset password
user-confirm-reset = Set a new temporary password for the account “{ $username }”? The user will be signed out on every device and must choose their own password at the next sign-in.

user-disabled = The account “{ $username }” has been disabled.
user-enabled = The account “{ $username }” has been enabled.
user-unlocked = The account “{ $username }” has been unlocked.
user-temporary-password = Temporary password for the account “{ $username }”: { $password } — Give it to the user in a secure way. They will be asked to change it at the first sign-in.
user-created = The account “{ $username }” has been created.

user-form-title = New user
user-form-intro = The new user gets a temporary password, shown once after the account is created.
user-form-username = Username
user-form-username-hint = 3 to 64 characters: lower-case Latin letters, digits, full stop, underscore or hyphen. Must start with a letter.
user-form-display-name = Full name
user-form-email = Email address
user-form-role = Role
user-form-organisation = Organisation
user-form-submit = Create user

organisations-title = Organisations
organisations-intro = The organisations that use this Procap installation. Every user belongs to one organisation.
organisations-caption = Organisations
organisations-col-name = Name
organisations-col-kind = Kind
organisations-col-prefix = Case code prefix
organisations-col-created = Created
organisations-empty = There are no organisations.
organisations-create-heading = New organisation
organisations-form-name = Name
organisations-form-kind = Kind
organisations-form-prefix = Case code prefix
organisations-form-prefix-hint = 2 to 6 capital Latin letters, e.g. ATH. The organisation's case codes will start with them.
organisations-form-submit = Create organisation
organisation-created = The organisation “{ $name }” has been created.

organisation-kind-ngo = Non-governmental organisation (NGO)
organisation-kind-national-centre = National centre or public body
organisation-kind-training-organisation = Training organisation
organisation-kind-other = Other

sessions-title = Active sessions
sessions-intro = The users signed in right now. Ending a session signs the user out of that device at once.
sessions-caption = Active user sessions
sessions-col-user = User
sessions-col-started = Started
sessions-col-last-seen = Last activity
sessions-col-ip = IP address
sessions-end = End session
sessions-current = Your own session
sessions-empty = There are no active sessions.
sessions-ended = The session has been ended.

user-action-change-role = Change role
user-role-title = User role and organisation
user-role-intro = The change ends all of the user's sessions. The new rights apply at the next sign-in; if the new role has access to cases, a second factor is also required.
user-role-submit = Save change
user-role-changed = The role of { $username } was changed. Their sessions were ended.
user-role-unchanged = Nothing changed for { $username }.
user-role-self = You cannot change your own role. Ask another administrator.
