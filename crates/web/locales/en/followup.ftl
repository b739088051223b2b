# Follow-up after closure, sealed cases and break-glass access.

## Follow-up contacts

followup-link = Follow-up after closure
followup-title = Follow-up after closure
followup-intro = Contacts with the person after the case was closed. Recording one keeps the date, whether contact was made, the long-term outcomes and a note.
followup-none = No follow-up contacts are scheduled for this case.
followup-caption = Follow-up contacts, earliest first
followup-col-due = Scheduled for
followup-col-months = Months after closure
followup-col-status = Status
followup-col-result = Result
followup-due-badge = Due
followup-record-link = Record this contact
followup-status-scheduled = Scheduled
followup-status-recorded = Recorded
followup-status-cancelled = Cancelled (case reopened)
followup-record-title = Record a follow-up contact
followup-record-intro = Contact scheduled for { $date }, { $months } months after closure.
followup-contacted-on = Date of contact
followup-contacted-on-hint = The day you reached, or tried to reach, the person. Not in the future and not before the closure.
followup-contact-made = Was contact made?
followup-contact-made-yes = Yes, contact was made
followup-contact-made-no = No, contact was not made
followup-outcomes = Long-term outcomes
followup-outcome-safe-accommodation = Safe accommodation
followup-outcome-employed = Employed
followup-outcome-education-or-training = In education or training
followup-outcome-services-elsewhere = Receiving services elsewhere
followup-outcome-legal-proceedings-ongoing = Legal proceedings ongoing
followup-outcome-voluntary-return = Returned to country of origin voluntarily
followup-outcome-re-trafficked = Re-trafficked
followup-outcome-lost-contact = Lost contact
followup-outcome-other = Other outcome
followup-note = Note
followup-note-hint = Kept encrypted. Write only what the follow-up needs.
followup-save = Save the contact
followup-recorded-by = Recorded by
followup-error-before-closure = The contact cannot be before the closure on { $date }.
followup-error-outcome = Choose outcomes from the list.
followup-months = Follow-up contacts (months after closure)
followup-months-hint = Whole months separated by commas, for example 3, 6, 12. Leave empty for no follow-up.
followup-months-error = Write whole months from 1 to { $max }, separated by commas, at most 8 of them.
followup-reopen-note = Reopening cancels the follow-up contacts that have not taken place; the recorded ones are kept.

## Sealed cases

seal-link = Seal or unseal the case
seal-banner-title = Sealed case.
seal-title = Sealing the case
seal-state-sealed = This case is sealed. Only the staff assigned to it see it in lists and searches.
seal-state-open = This case is not sealed.
seal-explain = A sealed case disappears from lists, searches and the duplicate check for everyone not assigned to it, coordinators included. Anyone else who opens it must give a reason, and the coordinators are told.
seal-reason = Reason
seal-reason-hint = Required. Kept encrypted with the sealing history.
seal-seal-button = Seal the case
seal-unseal-button = Unseal the case
seal-error-unchanged = Someone changed the sealing in the meantime. Check the state below and send again if needed.
seal-history-title = Sealing history
seal-history-when = Date
seal-history-change = Change
seal-history-sealed = Sealed
seal-history-unsealed = Unsealed
seal-history-by = By

## Break-glass access

break-glass-title = Case outside your access
break-glass-why-unassigned = This case belongs to your organisation, but it is not assigned to you.
break-glass-why-sealed = This case is sealed: only the staff named on it may open it.
break-glass-explain = If you need it now, for example to protect the person, write why. You will have access for { $minutes } minutes, the access is recorded in the audit log and your organisation's coordinators are notified.
break-glass-reason = Why do you need access?
break-glass-reason-hint = At least { $min } characters. Kept encrypted.
break-glass-button = Open the case
break-glass-cancel = Back to the case list
break-glass-error-short = Write the reason in at least { $min } characters.

## Home page

home-notifications-title = Notifications
home-notification-break-glass = { $user } opened case { $code } with break-glass access.
home-notification-open-case = Open the case
home-notification-acknowledge = Mark as seen
home-followups-title = Follow-up contacts due
home-followups-none = No follow-up contacts are due on your cases.
home-followups-caption = Follow-up contacts due within two weeks or overdue
home-followups-col-due = Scheduled for
home-followups-overdue = Overdue
home-followups-open = Open the follow-up
