# NRM deadlines on the home page, and the service lines each profession records.

deadlines-title = NRM deadlines
deadlines-none = No reflection period or residence permit on your cases ends in the next 30 days.
deadlines-caption = Reflection periods and residence permits that end in the next 30 days or have already ended
deadlines-col-case = Case
deadlines-col-kind = Deadline
deadlines-col-date = Ends on
deadlines-col-link = NRM page
deadlines-kind-reflection = End of the reflection period
deadlines-kind-permit = Expiry of the residence permit
deadlines-passed = Passed
deadlines-open = Open the NRM page

service-line-refused-title = Service not allowed for your role
service-line-refused-text = Your role does not record this kind of service. Psychologists record psychosocial support and lawyers legal assistance. Ask the case's caseworker to record it.
