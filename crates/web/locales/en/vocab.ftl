# Labels of the case record's controlled vocabularies (vocab-<vocabulary>-<code>)
# and the messages of the date rules checked at registration.

vocab-sex = Sex
vocab-sex-female = Female
vocab-sex-male = Male
vocab-sex-other = Other
vocab-sex-unknown = Unknown

vocab-exploitation-type = Exploitation type
vocab-exploitation-type-sexual-exploitation = Sexual exploitation
vocab-exploitation-type-forced-labour = Forced labour
vocab-exploitation-type-forced-marriage = Forced marriage
vocab-exploitation-type-forced-criminality = Forced criminality
vocab-exploitation-type-forced-begging = Forced begging
vocab-exploitation-type-organ-removal = Organ removal
vocab-exploitation-type-slavery-practices = Slavery or practices similar to slavery
vocab-exploitation-type-forced-military = Forced military service
vocab-exploitation-type-other = Other form

vocab-means-of-control = Means of control
vocab-means-of-control-debt-bondage = Debt bondage
vocab-means-of-control-takes-earnings = Takes the person's earnings
vocab-means-of-control-restricts-financial-access = Restricts access to money
vocab-means-of-control-threats = Threats
vocab-means-of-control-psychological-abuse = Psychological abuse
vocab-means-of-control-physical-abuse = Physical abuse
vocab-means-of-control-sexual-abuse = Sexual abuse
vocab-means-of-control-false-promises = False promises
vocab-means-of-control-psychoactive-substances = Psychoactive substances
vocab-means-of-control-restricts-movement = Restricts movement
vocab-means-of-control-restricts-medical-care = Restricts medical care
vocab-means-of-control-excessive-working-hours = Excessive working hours
vocab-means-of-control-uses-children = Uses the person's children as leverage
vocab-means-of-control-threat-of-law-enforcement = Threat of reporting to the authorities
vocab-means-of-control-withholds-necessities = Withholds necessities
vocab-means-of-control-withholds-documents = Withholds documents
vocab-means-of-control-other = Other means

vocab-forced-labour-industry = Forced labour industry
vocab-forced-labour-industry-agriculture = Agriculture
vocab-forced-labour-industry-aquafarming = Fishing and aquafarming
vocab-forced-labour-industry-begging = Begging
vocab-forced-labour-industry-construction = Construction
vocab-forced-labour-industry-domestic-work = Domestic work
vocab-forced-labour-industry-hospitality = Hospitality
vocab-forced-labour-industry-illicit-activities = Illicit activities
vocab-forced-labour-industry-manufacturing = Manufacturing
vocab-forced-labour-industry-mining-or-drilling = Mining or drilling
vocab-forced-labour-industry-peddling = Peddling
vocab-forced-labour-industry-transportation = Transportation
vocab-forced-labour-industry-other = Other industry

vocab-trafficker-relationship = Relationship to the trafficker
vocab-trafficker-relationship-intimate-partner = Intimate partner
vocab-trafficker-relationship-friend = Friend
vocab-trafficker-relationship-family = Family member
vocab-trafficker-relationship-other = Other relationship
vocab-trafficker-relationship-unknown = Unknown

vocab-age-bracket = Age bracket
vocab-age-bracket-0-8 = 0–8 years
vocab-age-bracket-9-17 = 9–17 years
vocab-age-bracket-18-20 = 18–20 years
vocab-age-bracket-21-23 = 21–23 years
vocab-age-bracket-24-26 = 24–26 years
vocab-age-bracket-27-29 = 27–29 years
vocab-age-bracket-30-38 = 30–38 years
vocab-age-bracket-39-47 = 39–47 years
vocab-age-bracket-48-plus = 48 years or over

vocab-case-origin = Case origin
vocab-case-origin-procap = Registered in Procap
vocab-case-origin-ctdc-import = Imported from CTDC
vocab-case-origin-htcds-import = Imported in HTCDS format

vocab-case-status = Case status
vocab-case-status-open = Open
vocab-case-status-closed = Closed

vocab-nrm-status = NRM status
vocab-nrm-status-not-referred = Not referred
vocab-nrm-status-referred = Referred to the NRM
vocab-nrm-status-presumed-victim = Presumed victim
vocab-nrm-status-identified = Formally identified victim
vocab-nrm-status-not-identified = Not identified as a victim

vocab-region = Region
vocab-region-attica = Attica
vocab-region-central-macedonia = Central Macedonia
vocab-region-other = Other region

vocab-setting = Setting
vocab-setting-hosting-facility = Hosting facility
vocab-setting-urban-area = Urban area
vocab-setting-unknown = Unknown

vocab-referral-source = Referral source
vocab-referral-source-police = Police
vocab-referral-source-prosecutor = Public prosecutor
vocab-referral-source-labour-inspectorate = Labour Inspectorate
vocab-referral-source-reception-identification-service = Reception and Identification Service
vocab-referral-source-hospital = Hospital
vocab-referral-source-ngo = Non-governmental organisation (NGO)
vocab-referral-source-national-hotline = National helpline
vocab-referral-source-self-referral = Self-referral
vocab-referral-source-other = Other source

vocab-legal-status = Legal status
vocab-legal-status-asylum-seeker = Asylum seeker
vocab-legal-status-recognised-refugee = Recognised refugee
vocab-legal-status-subsidiary-protection = Subsidiary protection
vocab-legal-status-temporary-protection = Temporary protection
vocab-legal-status-residence-permit-victim = Residence permit for victims of trafficking
vocab-legal-status-undocumented = Undocumented
vocab-legal-status-other = Other status

vocab-vulnerability = Vulnerability
vocab-vulnerability-minor = Minor
vocab-vulnerability-unaccompanied-minor = Unaccompanied minor
vocab-vulnerability-pregnancy = Pregnancy
vocab-vulnerability-disability = Disability
vocab-vulnerability-health-condition = Health condition

vocab-recruitment-method = Recruitment method
vocab-recruitment-method-job-offer = Job offer
vocab-recruitment-method-romantic-relationship = Romantic relationship
vocab-recruitment-method-family-arrangement = Family arrangement
vocab-recruitment-method-abduction = Abduction
vocab-recruitment-method-education-offer = Education offer
vocab-recruitment-method-migration-assistance = Migration assistance
vocab-recruitment-method-other = Other method
vocab-recruitment-method-unknown = Unknown

vocab-service-line = Service line
vocab-service-line-case-management = Case management
vocab-service-line-psychosocial = Psychosocial support
vocab-service-line-legal = Legal assistance and representation
vocab-service-line-interpretation = Interpretation
vocab-service-line-escort = Escort
vocab-service-line-integration = Integration
vocab-service-line-material-assistance = Material assistance

vocab-closure-reason = Closure reason
vocab-closure-reason-assistance-completed = Assistance completed
vocab-closure-reason-referred-elsewhere = Referred elsewhere
vocab-closure-reason-voluntary-return = Voluntary return
vocab-closure-reason-lost-contact = Lost contact
vocab-closure-reason-death = Death
vocab-closure-reason-other = Other reason

vocab-consent-purpose = Consent purpose
vocab-consent-purpose-data-processing = Processing of personal data
vocab-consent-purpose-sharing = Sharing data with other organisations
vocab-consent-purpose-photographs = Photographs
vocab-consent-purpose-research = Research

vocab-interpreter-gender = Interpreter gender
vocab-interpreter-gender-female = Female
vocab-interpreter-gender-male = Male
vocab-interpreter-gender-any = Either

case-error-birth-date-in-future = The date of birth cannot be later than today.
case-error-birth-date-after-referral = The date of birth is later than the referral date. Check both dates.
case-error-referral-date-in-future = The referral date cannot be later than today.
case-error-closed-before-opened = The closure date cannot be earlier than the date the case was opened.
case-error-estimated-age-out-of-range = The estimated age must be from 0 to 120 years.
