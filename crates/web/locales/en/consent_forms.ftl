## Printed consent forms and information sheets, signed forms, and the
## approval of their translations.

nav-translations = Translations

consent-forms-print-title = Print a consent form
consent-forms-print-intro = The PDF holds the information sheet and the consent form for one purpose, filled with the case code, your organisation and today's date. It never shows the person's name.
consent-forms-language = Language of the form
consent-forms-language-hint = Languages marked as draft print with a "draft translation" mark until an administrator approves them.
consent-forms-language-draft = { $language } – draft translation
consent-forms-print-button = Print the form (PDF)
consent-forms-col-signed = Signed form
consent-forms-download-signed = Download the signed form
consent-forms-none = Not attached
consent-forms-attach-label = Signed form for “{ $purpose }” (PDF, PNG or JPEG)
consent-forms-attach-button = Attach
consent-forms-attached = The signed form was attached to the consent.
consent-forms-error-type = The signed form must be a PDF file or a PNG or JPEG image.

translations-title = Translations of consent forms
translations-intro = Consent forms and information sheets for beneficiaries exist in nine languages. Greek and English are approved. The other languages print with a "draft translation" mark on every page until you approve them, after a qualified translator has checked the text. You can set an approved language back to draft at any time.
translations-caption = Languages of consent forms and information sheets
translations-col-language = Language
translations-col-status = Status
translations-col-changed = Last change
translations-status-approved = Approved
translations-status-default = approved as written
translations-status-draft = Draft translation
translations-approve = Approve { $language }
translations-revoke = Set { $language } back to draft
translations-changed = { $user }, { $at }
translations-approved = The { $language } forms are approved and print without the draft mark.
translations-revoked = The { $language } forms are a draft translation again.
