# Course certificates: public verification, the trainee's certificates, the
# trainers' list and revocation.

certificate-holder = Holder
certificate-course = Course
certificate-issued-on = Date of issue
certificate-code = Verification code
certificate-status = Status
certificate-status-valid = Valid
certificate-status-revoked = Revoked
certificate-status-revoked-on = Revoked on { $date }
certificate-downloads = Download
certificate-download-pdf = Certificate (PDF)
certificate-download-badge = Digital badge (Open Badges)
certificate-actions = Actions
certificate-revoke = Revoke certificate

certificate-verify-title = Certificate verification
certificate-verify-valid = This certificate is genuine and valid.
certificate-verify-revoked = This certificate is genuine but was revoked on { $date } and is no longer valid.
certificate-verify-unknown = This verification code is not known.
certificate-verify-unknown-hint = Check that you typed the code as printed on the certificate: 16 characters in four groups.

certificates-mine-title = My certificates
certificates-mine-intro = Each course you complete gives you a certificate. Download it as a PDF or as an Open Badges digital badge.
certificates-mine-caption = Certificates, newest first
certificates-mine-empty = You have no certificates yet.

certificates-manage-title = Certificates
certificates-manage-filters = Certificate filters
certificates-manage-caption = Certificates, newest first
certificates-manage-empty = No certificate matches the filters.
certificates-filter-any-course = All courses
certificates-filter-any-status = All

certificate-revoke-title = Revoke a certificate
certificate-revoke-reason = Reason for revoking
certificate-revoke-reason-hint = Required, up to { $max } characters. The reason is recorded and never shown on the verification page.
certificate-revoke-continue = Continue
certificate-revoke-error-empty = Write the reason for revoking.
certificate-revoke-error-too-long = The reason is longer than { $max } characters.
certificate-revoke-confirm-title = Confirm the revocation
certificate-revoke-confirm-text = Revoke the certificate of { $name } for the course “{ $course }”? A revocation cannot be undone.

certificate-pdf-heading = Certificate of completion
certificate-pdf-statement = This is to certify that
certificate-pdf-completed = has completed the training course
certificate-pdf-issuer = Issued by
certificate-pdf-verify-hint = Scan the QR code or open the address to verify this certificate.
