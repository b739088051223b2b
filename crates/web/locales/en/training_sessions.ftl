# Training sessions: the trainee's list, management by trainers, the
# sign-in sheet. Evaluations: the questionnaire and the indicators.

## The trainee's list
tsession-list-title = Training sessions
tsession-list-intro = Upcoming sessions. When a session is full you join the waiting list and get a place as soon as someone cancels.
tsession-list-empty = No sessions are scheduled.
tsession-standing-registered = You have a place
tsession-standing-waiting = Waiting list, position { $position }
tsession-register = Register
tsession-join-waiting = Join the waiting list
tsession-unregister = Cancel registration
tsession-unregister-title = Cancel registration
tsession-unregister-text = Cancel your registration for "{ $session }" ({ $when })? Your place will go to the first person on the waiting list.
tsession-places-left = { $left } of { $capacity } places free
tsession-places-taken = { $registered } of { $capacity } registered
tsession-waiting-count = { $count } waiting

## Outcomes of actions
tsession-done-registered = You are registered and have a place in the session.
tsession-done-waiting = The session is full. You are on the waiting list.
tsession-done-cancelled = Your registration has been cancelled.
tsession-done-created = The session has been scheduled.
tsession-done-updated = Your changes have been saved.
tsession-done-session-cancelled = The session has been cancelled.
tsession-done-attendance = Attendance recorded.
tsession-error-already = You are already registered or waiting for this session.
tsession-error-over = The session has already ended.
tsession-error-cancelled = The session has been cancelled.
tsession-error-not-registered = There is no registration holding a place in this session.

## Fields
tsession-field-title = Title
tsession-field-title-el = Title in Greek
tsession-field-title-en = Title in English
tsession-field-title-hint = Left empty, the course title is used.
tsession-field-course = Course
tsession-no-course = No course
tsession-field-when = Date and time
tsession-field-mode = Format
tsession-mode-in-person = In person
tsession-mode-online = Online
tsession-field-venue = Venue
tsession-field-place = Address
tsession-field-place-hint = For sessions in person: the room and address.
tsession-field-link = Link
tsession-field-link-hint = For online sessions: a link starting with https://.
tsession-field-starts-at = Starts
tsession-field-ends-at = Ends
tsession-field-time-hint = Greek time.
tsession-field-region = Region
tsession-choose = Choose
tsession-field-sector = Sector
tsession-any-sector = All sectors
tsession-field-capacity = Places
tsession-field-capacity-hint = From 1 to { $max }.
tsession-field-trainers = Trainers
tsession-field-places = Places
tsession-field-status = Status
tsession-status-scheduled = Scheduled
tsession-status-cancelled = Cancelled

## Form errors
tsession-error-course = Choose a course from the list.
tsession-error-title = Enter a title of up to 300 characters.
tsession-error-link = Enter a link that starts with https://.
tsession-error-place = Enter the address, up to 300 characters.
tsession-error-mode = Choose whether the session is in person or online.
tsession-error-time = Enter a date and time.
tsession-error-end-before-start = The end must be after the start.
tsession-error-region = Choose a region.
tsession-error-sector = Choose a sector from the list.
tsession-error-capacity = Places must be a whole number from 1 to { $max }.
tsession-error-capacity-below = Places cannot be fewer than the trainees already registered.
tsession-error-trainers = Choose at least one trainer from the list.

## Management
tsession-manage-title = Manage sessions
tsession-manage-caption = Every session, newest first
tsession-manage-empty = There are no sessions yet.
tsession-new-title = New session
tsession-create = Schedule session
tsession-edit-title = Edit session
tsession-save = Save changes
tsession-back-to-list = Back to sessions
tsession-cancel = Cancel session
tsession-cancel-title = Cancel session
tsession-cancel-text = Cancel the session "{ $session }" ({ $when })? Registered: { $registered }. Registrations are kept so the trainees can be told.
tsession-sign-in-sheet = Sign-in sheet (PDF)
tsession-roster-title = Registered trainees and waiting list
tsession-roster-empty = Nobody has registered yet.
tsession-col-name = Name
tsession-col-organisation = Organisation or employer
tsession-col-attendance = Attendance
tsession-attended-at = Present, { $time }
tsession-not-attended = Attendance not marked yet.
tsession-marked-absent = Marked absent.
tsession-mark-present = Present
tsession-mark-absent = Absent
tsession-mark-present-for = Mark present: { $name }
tsession-mark-absent-for = Mark absent: { $name }
tsession-link-evaluations = Evaluations

## Sign-in sheet (PDF, printed in Greek and English)
tsession-sheet-heading = Sign-in sheet
tsession-sheet-date = Date
tsession-sheet-venue = Venue
tsession-sheet-trainers = Trainers
tsession-sheet-course = Course
tsession-sheet-col-number = No.
tsession-sheet-col-name = Name
tsession-sheet-col-organisation = Organisation
tsession-sheet-col-sector = Sector
tsession-sheet-col-signature = Signature

## Training home page
tsession-home-sessions-title = My sessions
tsession-home-sessions-none = You are not registered for any upcoming session.
tsession-home-line-registered = { $session }, { $when }: you have a place
tsession-home-line-waiting = { $session }, { $when }: on the waiting list
tsession-home-evaluations-title = Evaluations waiting for your answers
tsession-home-evaluation-end = Evaluation of "{ $course }"
tsession-home-evaluation-follow-up = Three months on: "{ $course }"

## Evaluation questionnaire
evaluation-title-end = Course evaluation
evaluation-intro-end = Tell us how useful the course was for your work. You can answer once.
evaluation-title-follow-up = Three months after the course
evaluation-intro-follow-up = Tell us whether you still use what you learned in your work. You can answer once.
evaluation-question-usefulness = The training is useful for my work.
evaluation-question-quality = The quality of the training was good.
evaluation-question-still-using = I still use what I learned in my work.
evaluation-question-comment = Comments
evaluation-comment-hint = Up to { $max } characters. Do not write details of people or cases.
evaluation-scale-1 = Strongly disagree
evaluation-scale-2 = Disagree
evaluation-scale-3 = Neither agree nor disagree
evaluation-scale-4 = Agree
evaluation-scale-5 = Strongly agree
evaluation-submit = Submit answers
evaluation-error-required = Choose one answer from 1 to 5.
evaluation-error-scale = The answer must be a whole number from 1 to 5.
evaluation-error-comment-too-long = The comments are longer than { $max } characters.
evaluation-closed-title = This evaluation is not open
evaluation-already-answered = You have already answered this evaluation. Thank you.
evaluation-not-due = This evaluation has not opened yet.
evaluation-back-to-training = Back to training

## Evaluation indicators
evaluations-title = Evaluations and result indicators
evaluations-intro = The two AMIF result indicators, per course and in total, with the counts behind each share.
evaluations-indicator-useful = Found the training useful for their work
evaluations-indicator-useful-explained = Trainees who answered 4 or 5 to the usefulness question, out of those who answered it.
evaluations-indicator-still-using = Still using the skills after three months
evaluations-indicator-still-using-explained = Trainees who answered 4 or 5 in the follow-up at least three months after completing, out of those who answered in time.
evaluations-caption = Indicators per course
evaluations-col-course = Course
evaluations-col-blank = Blank usefulness answers
evaluations-col-quality = Mean quality rating (1–5)
evaluations-col-invited = Follow-ups sent
evaluations-col-too-early = Early answers
evaluations-share = { $count } of { $of }
evaluations-empty = There are no answered evaluations yet.
evaluations-all-courses = All courses
