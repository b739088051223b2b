# Case pages: the list, registering a new case, the case page.

nav-cases = Cases

cases-title = Cases
cases-intro = The cases you may see. The list shows only the case code and details that do not identify the person.
cases-new-link = New case
cases-import-link = Import from an HTCDS file
cases-filters = Case filters
cases-filter-status = Status
cases-filter-nrm-status = NRM status
cases-filter-region = Region
cases-filter-origin = Record origin
cases-filter-code = Case code
cases-filter-any = All
cases-total =
    { $total ->
        [one] { $total } case found.
       *[other] { $total } cases found.
    }
cases-caption = Case list
cases-col-code = Case code
cases-col-status = Status
cases-col-nrm-status = NRM status
cases-col-region = Region
cases-col-sex = Sex
cases-col-age = Age bracket
cases-col-exploitation = Forms of exploitation
cases-col-opened-on = Opened on
cases-anonymised-import = anonymised import
cases-minor = Minor
cases-empty = No cases found.

case-not-recorded = Not recorded
case-not-recorded-yet = Not recorded yet.
case-no-person = Anonymised historical record: there are no personal details.
case-back-to-list = Back to cases
case-anonymised-text = Anonymised historical record from a data import. It serves statistics only.
case-sealed-text = This case is sealed and hidden from searches.
case-section-screening = Screening
case-section-nrm = National Referral Mechanism
case-section-services = Services

case-form-title = New case
case-form-intro = Record the referral, the person's details and the case details. The case code is assigned automatically.
case-form-section-intake = Referral
case-form-section-person = Personal details
case-form-section-case = Case details
case-form-submit = Register case
case-form-date-hint = Format: dd/mm/yyyy.
case-form-referring-contact-hint = Name and service of the person who made the referral.
case-form-aliases-hint = Other names or nicknames the person uses, separated by commas.
case-form-birth-date-hint = If it is not known, enter the estimated age instead.
case-form-estimated-age-hint = In years, only when the birth date is not known.
case-form-countries-hint = Two-letter ISO country codes separated by semicolons, e.g. NG; GH.
case-form-languages-hint = ISO language codes separated by semicolons, e.g. en; fr; prs.
case-form-country-codes = Country codes
case-form-language-codes = Language codes
case-form-household-hint = Family members and children living with the person.
case-form-document-numbers-hint = One identity or travel document number per line. They are used only to check for earlier registrations.
case-form-error-token = The form has expired or was already sent. Check the details and send it again.
case-form-error-date = Enter a valid date.
case-form-error-unknown-code = Choose from the values in the list.
case-form-error-country = One of the country codes does not exist. See the list of country codes.
case-form-error-language = One of the language codes does not exist. See the list of language codes.
case-form-error-too-long = The text is too long (at most { $max } characters).
case-form-error-age-twice = Enter either the birth date or the estimated age, not both.

case-duplicate-title = Possible duplicate registration
case-duplicate-intro = This person may already be registered:
case-duplicate-item = a possible earlier registration in organisation “{ $organisation }” (matched: { $matched })
case-duplicate-own-case = — case
case-duplicate-matched-name-birth-date = name and birth date
case-duplicate-matched-document = document number
case-duplicate-advice = Contact that organisation before registering. If this is a different person or a new referral, confirm below.
case-duplicate-confirm = I checked the possible duplicate; register as a new case.
case-duplicate-confirm-required = Tick the confirmation box to register the case.

case-field-code = Case code
case-field-status = Status
case-field-nrm-status = National Referral Mechanism status
case-field-referral-source = Referral source
case-field-referred-on = Referral date
case-field-referring-contact = Referring contact
case-field-referral-reason = Reason for referral
case-field-given-name = Given name
case-field-family-name = Family name
case-field-aliases = Other names
case-field-birth-date = Birth date
case-field-estimated-age = Estimated age
case-field-estimated-birth-year = Estimated year of birth
case-field-sex = Sex
case-field-gender-identity = Gender identity
case-field-citizenships = Citizenship
case-field-languages = Languages
case-field-interpreter-gender = Preferred interpreter gender
case-field-legal-status = Legal status
case-field-contact = Contact details
case-field-household = Household
case-field-vulnerabilities = Vulnerabilities
case-field-document-numbers = Document numbers
case-field-region = Region
case-field-setting = Setting
case-field-facility = Hosting facility
case-field-exploitation-types = Forms of exploitation
case-field-forced-labour-industry = Forced labour industry
case-field-means-of-control = Means of control
case-field-recruitment-method = Recruitment method
case-field-trafficker-relationship = Relationship to the trafficker
case-field-countries-recruitment = Countries of recruitment
case-field-countries-transit = Countries of transit
case-field-countries-exploitation = Countries of exploitation
case-field-opened-on = Opened on
case-field-age-bracket = Age bracket
case-field-minor = Minor
case-section-work = Work on the case
case-section-consents = Consents
case-section-closure = Closure and reopening
