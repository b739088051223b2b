# Needs assessment and re-trafficking risk of a case.

case-section-assessment = Needs assessment and risk

assessment-title = Needs assessment and re-trafficking risk
assessment-back-to-case = Back to the case
assessment-comparison-title = Latest against previous assessment
assessment-comparison-caption = Assessment of { $latest } compared with { $previous }
assessment-comparison-none = A comparison appears once two assessments are recorded.
assessment-col-domain = Need
assessment-col-previous = Previous
assessment-col-latest = Latest
assessment-col-change = Change
assessment-col-level = Level
assessment-col-note = Note
assessment-change-up = Higher
assessment-change-down = Lower
assessment-change-same = Unchanged
assessment-history-title = Assessments
assessment-history-none = No assessment has been recorded yet.
assessment-entry-heading = Assessment of { $date } by { $name }
assessment-none = None
assessment-new-title = New assessment
assessment-needs-title = Needs by area
assessment-field-date = Date of assessment
assessment-field-note = Note on { $domain }
assessment-field-risk-level = Risk of re-trafficking
assessment-field-factors = Risk factors
assessment-field-safety-plan = Safety plan
assessment-safety-plan-hint = Agreed measures, safe contacts and what to do in an emergency.
assessment-choose-level = Choose a level
assessment-save = Save the assessment
assessment-risk-title = Re-trafficking risk

assessment-domain-safety = Safety
assessment-domain-health = Health
assessment-domain-psychosocial = Psychosocial support
assessment-domain-legal = Legal matters
assessment-domain-documents = Documents
assessment-domain-accommodation = Accommodation
assessment-domain-livelihood = Livelihood
assessment-domain-education = Education
assessment-domain-family = Family

assessment-level-no_need = No need
assessment-level-low = Low
assessment-level-medium = Medium
assessment-level-high = High
assessment-level-urgent = Urgent

assessment-risk-low = Low
assessment-risk-medium = Medium
assessment-risk-high = High

assessment-factor-contact_with_traffickers = Contact with the traffickers
assessment-factor-debt = Debt
assessment-factor-no_income = No income
assessment-factor-no_documents = No documents
assessment-factor-isolation = Isolation
assessment-factor-substance_use = Substance use
assessment-factor-prior_re_trafficking = Earlier re-trafficking
assessment-factor-family_pressure = Pressure from the family

assessment-error-date = Enter the date as year-month-day.
assessment-error-future = The date of the assessment cannot be in the future.
assessment-error-before-case = The date of the assessment cannot be before the case was opened.
assessment-error-level = Choose a level for this need.
assessment-error-risk = Choose the risk of re-trafficking.
assessment-error-factor = Choose risk factors from the list.
assessment-error-too-long = Keep the text under { $max } characters.
