# Screening with the indicators of trafficking and the case's NRM status.
# A screening result is guidance for the caseworker; no text says that the
# person is a victim.

screening-title = Screening
screening-back-to-case = Back to the case
screening-back-to-history = Back to the screenings
screening-intro = Screenings with the ILO and European Commission operational indicators of trafficking in human beings. The result guides referral; it is not the identification of a victim.
screening-new-link = New screening
screening-none-yet = No screening has been recorded for this case.
screening-history-caption = Screening history
screening-col-date = Date
screening-col-by = By
screening-col-list = Indicator list
screening-col-result = Result
screening-col-positive-dimensions = Positive dimensions
screening-no-positive-dimension = No positive dimension
screening-result-indicated = Indicators of trafficking present — screening guidance, not identification
screening-result-not-indicated = Not indicated
screening-guidance-indicated = The indicators recorded meet the list's combination of dimensions. Consider referring the person to the National Referral Mechanism (NRM) and keep gathering information.
screening-guidance-not-indicated = The indicators recorded do not meet the list's combination of dimensions. This does not rule out trafficking: record new information as it emerges and screen again.
screening-guidance-not-identification = A screening is not an identification. Only an act of the public prosecutor formally identifies a victim of trafficking.

screening-new-title = New screening
screening-new-intro = Tick only the indicators that are present as far as you know. Each indicator has a grade (strong, medium, weak) that depends on the list.
screening-list-choice = Indicator list
screening-field-age = Age group
screening-field-form = Form of exploitation
screening-show-list = Show list
screening-list-unavailable = This list has no indicators yet, because its source has not been entered in Procap. It cannot be used for screening.
screening-available-lists = Lists available:
screening-grades-unverified = The grades of this list's indicators have not yet been verified against the original publication. Use the result with caution.
screening-checklist-hint = The indicators are grouped by the six dimensions of the definition of trafficking.
screening-field-notes = Notes
screening-field-notes-hint = Source of the information and anything that needs clarifying. Stored encrypted.
screening-submit = Assess and save
screening-error-list = The indicator list is invalid. Choose an age group and a form of exploitation.
screening-error-list-unavailable = The list you chose has no indicators. Choose one of the lists available.
screening-error-unknown-indicator = One of the indicators sent is not in the list. Check your choices and submit again.
screening-error-notes-too-long = The notes are longer than { $max } characters.

screening-result-title = Screening result
screening-dimensions-title = Indicators by dimension
screening-dimension-positive = positive
screening-dimension-not-positive = not positive
screening-dimension-counts = Strong: { $strong } · medium: { $medium } · weak: { $weak }
screening-details-unavailable = This screening's indicators no longer match the current list, so only the result as stored is shown.
screening-print = Print
screening-print-back = Back to the normal view

screening-age-adult = Adult
screening-age-child = Child (under 18)
screening-form-labour = Labour exploitation
screening-form-sexual = Sexual exploitation
screening-list-adult-labour = Adults — labour exploitation
screening-list-adult-sexual = Adults — sexual exploitation
screening-list-child-labour = Children — labour exploitation
screening-list-child-sexual = Children — sexual exploitation
screening-strength-strong = strong
screening-strength-medium = medium
screening-strength-weak = weak
screening-dimension-deceptive-recruitment = Deceptive recruitment
screening-dimension-coercive-recruitment = Coercive recruitment
screening-dimension-recruitment-by-abuse-of-vulnerability = Recruitment by abuse of vulnerability
screening-dimension-exploitative-conditions = Exploitative conditions
screening-dimension-coercion-at-destination = Coercion at destination
screening-dimension-abuse-of-vulnerability-at-destination = Abuse of vulnerability at destination

nrm-title = National Referral Mechanism (NRM)
nrm-back-to-case = Back to the case
nrm-current-status = Current NRM status
nrm-clocks-title = Deadlines
nrm-clocks-none = No deadline recorded.
nrm-clock-reflection-end = End of the reflection period
nrm-clock-residence-permit = Residence permit expiry
nrm-clock-due-soon =
    { $days ->
        [0] Ends today
        [one] Ends in { $days } day
       *[other] Ends in { $days } days
    }
nrm-clock-overdue = Ended on { $date }
nrm-history-title = History
nrm-history-none = No status change has been recorded.
nrm-history-caption = NRM status history
nrm-col-by = Recorded by
nrm-no-reference = No number
nrm-change-title = Change the status
nrm-field-status = Status
nrm-field-status-new = New status
nrm-choose-status = Choose a status
nrm-field-occurred-on = Date
nrm-field-occurred-on-hint = The date of the referral form or of the prosecutor's act.
nrm-field-reference = Reference number
nrm-field-reference-hint = Referral form number or prosecutor's act number. Stored encrypted.
nrm-reflection-legend = Reflection period (presumed victim only)
nrm-field-reflection-start = Start of the reflection period
nrm-field-reflection-start-hint = Required for presumed victim. The end is computed: three months later.
nrm-field-extended = Extension for a minor
nrm-field-extended-hint = For a minor the reflection period can be extended by two months.
nrm-field-residence-permit = Residence permit expiry
nrm-field-residence-permit-hint = Fill in only when a residence permit was issued or renewed.
nrm-submit = Record the change
nrm-final-status = The NRM status is final; no further change is provided for.
nrm-error-status-missing = Choose the new status.
nrm-error-transition = The move from “{ $from }” to “{ $to }” is not allowed.
nrm-error-date-missing = Enter the date.
nrm-error-date-invalid = The date is invalid.
nrm-error-date-future = The date cannot be later than today.
nrm-error-date-before-last = The date is earlier than the last recorded change.
nrm-error-reference-too-long = The reference number is longer than { $max } characters.
nrm-conflict-title = The case changed in the meantime
nrm-conflict-text = Another user changed the case after you opened the form, so your change was not saved. The page now shows the current state. The values you entered are listed below and kept in the form; check them and submit again.
nrm-conflict-nothing-entered = (nothing entered)
