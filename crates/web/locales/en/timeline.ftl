# Timeline of trafficking events of a case.

case-section-timeline = Timeline of events
timeline-title = Timeline of trafficking events
timeline-intro = What happened to the person, in date order: recruitment, transport, exploitation, exit and identification.
timeline-empty = No events have been recorded.
timeline-add-title = New event
timeline-kind = Event
timeline-kind-recruitment = Recruitment
timeline-kind-transport = Transport or transit
timeline-kind-exploitation = Exploitation
timeline-kind-exit = Exit or escape
timeline-kind-identification = Identification
timeline-kind-other = Other event
timeline-started-on = Date or start of the period
timeline-started-on-hint = When the exact date is not known, enter the earliest likely date and fill in the end of the period.
timeline-ended-on = End of the period
timeline-ended-on-hint = Leave empty for an event on a single date.
timeline-country = Country
timeline-description = Description
timeline-description-hint = What happened and where, as the person described it.
timeline-add-button = Add event
timeline-period = { $from } to { $to }
timeline-error-before-birth = The date cannot be before the person's birth date ({ $date }).
timeline-error-end-before-start = The end of the period cannot be before its start.
timeline-error-country = Choose a country from the list.

# Victim-witness status in criminal proceedings, on the NRM page.
witness-title = Witness in criminal proceedings
witness-current = Current status
witness-history = History of the status
witness-none = No status has been recorded.
witness-field-status = Status
witness-field-date = Date
witness-field-note = Note
witness-field-note-hint = For example the court or the protection measures ordered.
witness-recorded-by = Recorded by
witness-submit = Record status
witness-status-not-witness = Not a witness
witness-status-witness = Witness
witness-status-protected = Victim-witness with protection measures
