# Shared interface texts: header, navigation, roles, forms, tables.

skip-to-content = Skip to content
site-tagline = Case management, training and reporting
footer-text = Procap · A system for organisations that protect victims of human trafficking

nav-label = Main navigation
nav-home = Home
nav-users = Users
nav-organisations = Organisations
nav-sessions = Sessions
nav-audit = Audit log
nav-api = API
nav-account = My account

user-box-label = Signed-in user
logout = Sign out
locale-switch-hint = Change language:
locale-switch-label = Ελληνικά

role-admin = System administrator
role-coordinator = Coordinator
role-caseworker = Social worker
role-psychologist = Psychologist
role-lawyer = Lawyer
role-interpreter = Interpreter
role-escort = Escort
role-trainer = Trainer
role-trainee = Trainee
role-monitoring = Monitoring and evaluation officer

yes = Yes
no = No
never = Never
none = None

form-error-summary-title = There is a problem with the form
form-error-summary-intro = Correct the following and submit the form again:
form-error-prefix = Error:
form-required = required
form-optional = optional
select-placeholder = Choose…

pagination-label = Pages
pagination-previous = Previous page
pagination-next = Next page
pagination-page-of = Page { $page } of { $pages }
pagination-total =
    { $total ->
        [one] { $total } record
       *[other] { $total } records
    }

table-actions = Actions
button-cancel = Cancel
button-confirm = Confirm
button-continue = Continue
button-filter = Apply filters
button-clear-filters = Clear filters
copy-button = Copy
copy-done = Copied
confirm-warning = This action is recorded in the audit log.
