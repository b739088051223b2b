# Service log, consents, closing and reopening a case.

service-back-to-case = Back to the case
service-case-status = Case status
service-log-title = Service log
service-log-caption = Services provided, latest first
service-log-empty = No services recorded yet.
service-total =
    { $total ->
        [one] { $total } service recorded
       *[other] { $total } services recorded
    }
service-new-title = Record a service
service-choose-line = Choose the kind of service to record.
service-col-date = Date
service-col-line = Service line
service-col-duration = Duration
service-col-staff = Staff member
service-col-present = Beneficiary present
service-col-outcome = Outcome
service-col-details = Details
service-minutes =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
service-not-recorded = Not recorded
service-occurred-on = Date of service
service-date-hint = Not in the future and not before the case was opened.
service-duration = Duration in minutes
service-duration-hint = From 1 to 1440 minutes.
service-present = Beneficiary present
service-outcome = Outcome
service-notes = Notes
service-notes-hint = Stored encrypted. Only staff who record this service line can read them.
service-encrypted-hint = Stored encrypted with the notes.
service-save = Save service
service-reopening = Case reopened

service-session-type = Session type
service-session-type-intake = Intake interview
service-session-type-follow-up = Follow-up session
service-session-type-crisis = Crisis intervention
service-session-type-home-visit = Home visit

service-format = Format
service-format-individual = Individual
service-format-group = Group
service-modality = Modality
service-modality-in-person = In person
service-modality-phone = By phone
service-modality-video = By video call
service-sessions = Number of sessions

service-legal-kind = Kind of legal assistance
service-legal-kind-consultation = Legal consultation
service-legal-kind-representation = Representation
service-legal-kind-documents-filed = Documents filed
service-proceeding = Proceeding
service-court = Court or authority
service-court-criminal-first-instance = Criminal court of first instance
service-court-criminal-appeal = Criminal court of appeal
service-court-civil = Civil court
service-court-administrative = Administrative court
service-court-asylum-appeals = Appeals Authority (asylum)
service-court-other = Other
service-case-number = Case number
service-hearing-on = Hearing date
service-hearing-outcome = Hearing outcome
service-hearing-outcome-adjourned = Adjourned
service-hearing-outcome-heard = Heard
service-hearing-outcome-decision-pending = Decision pending
service-hearing-outcome-conviction = Conviction
service-hearing-outcome-acquittal = Acquittal
service-hearing-outcome-other = Other

service-language = Language
service-dialect = Dialect
service-mode = Interpretation mode

service-destination = Destination
service-destination-hospital = Hospital
service-destination-police = Police
service-destination-prosecutor = Prosecutor's office
service-destination-court = Court
service-destination-asylum-service = Asylum Service
service-destination-embassy = Embassy or consulate
service-destination-other = Other
service-escort-purpose = Purpose of the escort
service-escort-purpose-medical-appointment = Medical appointment
service-escort-purpose-statement = Statement
service-escort-purpose-hearing = Court hearing
service-escort-purpose-asylum-interview = Asylum interview
service-escort-purpose-documents = Issue of documents
service-escort-purpose-other = Other

service-activity = Activity
service-activity-language-course = Language course
service-activity-vocational-training = Vocational training
service-activity-job-placement = Job placement
service-activity-school-enrolment = School enrolment
service-activity-housing-support = Housing support
service-activity-awareness-activity = Awareness activity

service-assistance-kind = Kind of assistance
service-assistance-kind-food = Food
service-assistance-kind-clothing = Clothing
service-assistance-kind-hygiene = Hygiene items
service-assistance-kind-cash = Cash assistance
service-assistance-kind-transport = Transport
service-assistance-kind-other = Other
service-value = Value in euro
service-value-hint = For example 25.50.

service-outcome-completed = Completed
service-outcome-partly-completed = Partly completed
service-outcome-postponed = Postponed
service-outcome-cancelled = Cancelled
service-outcome-no-show = Beneficiary did not attend

service-error-date = Enter a valid date.
service-error-date-future = The date cannot be in the future.
service-error-date-before-opening = The date cannot be before the case was opened ({ $date }).
service-error-duration = Enter the duration in minutes, from 1 to { $max }.
service-error-sessions = Enter the number of sessions, from 1 to { $max }.
service-error-value = Enter an amount in euro above zero, with at most two decimals.
service-error-too-long = The text is too long (at most { $max } characters).

consent-title = Consents
consent-caption = Recorded consents, latest first
consent-empty = No consents recorded yet.
consent-col-purpose = Purpose
consent-col-recipient = Recipient
consent-col-given = Answer
consent-col-recorded-on = Date
consent-col-language = Form language
consent-col-withdrawn-on = Withdrawal
consent-in-force = In force
consent-given = The beneficiary's answer
consent-given-yes = Consents
consent-given-no = Does not consent
consent-form-title = Record a consent
consent-recipient = Recipient organisation
consent-recipient-hint = Only for sharing data with other organisations.
consent-recorded-on = Date signed
consent-language = Language of the form
consent-save = Record consent
consent-recorded = The consent was recorded.
consent-withdrawn = The withdrawal of the consent was recorded.
consent-withdraw-button = Withdraw
consent-withdraw-title = Withdraw consent
consent-withdraw-message = Record that the consent "{ $purpose }" on case { $code } is withdrawn from today?
consent-error-recipient-required = Choose the organisation the data is shared with.
consent-error-recipient-only-sharing = A recipient organisation applies only to sharing data.

closure-title = Close the case
closure-closed-on = Closure date
closure-date-hint = Not in the future and not before the case was opened.
closure-continue = Continue to closing
closure-confirm-title = Confirm closing
closure-confirm-message = Close case { $code } on { $date } with the reason "{ $reason }"?
closure-confirm-button = Close the case
closure-conflict-title = The case changed in the meantime
closure-conflict-text = Another user changed the case after you opened the form, so your change was not saved. Check the current state and submit again if needed.
closure-conflict-entered = What you entered
closure-current-status = Current status
closure-current-version = Record version

reopen-title = Reopen the case
reopen-intro = The case is closed. To reopen it, write the reason; it is kept encrypted as a case management service record.
reopen-reason = Reason for reopening
reopen-reason-hint = For example, a new support need or a new referral.
reopen-button = Reopen
