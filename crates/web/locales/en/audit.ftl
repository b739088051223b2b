# Audit log.

audit-title = Audit log
audit-intro = Every sign-in, every access to a case and every change is recorded here. Entries are never changed or deleted.
audit-filters = Filters
audit-filter-from = From date
audit-filter-to = To date
audit-filter-user = User
audit-filter-action = Action
audit-filter-outcome = Outcome
audit-filter-any-user = All users
audit-filter-any-action = All actions
audit-filter-any-outcome = All outcomes
audit-caption = Audit log entries, newest first
audit-col-time = Date and time
audit-col-user = User
audit-col-action = Action
audit-col-object = Object
audit-col-outcome = Outcome
audit-col-ip = IP address
audit-outcome-success = Success
audit-outcome-failure = Failure
audit-outcome-denied = Access denied
audit-outcome-other = Other
audit-system-user = System
audit-empty = No entries match these filters.
