# Messages of the JSON API (/api/v1/). Programs read the stable `code`;
# these messages are for the person behind the program.

api-error-forbidden = Your role does not allow this action.
api-error-not-found = Not found, or outside the cases you may open.
api-error-internal = An unexpected error occurred and the request was not completed. Try again in a little while.
api-error-invalid = Some fields are not valid. Each one is listed in `errors`.
api-error-page = The limit must be from 1 to 500, the offset 0 or more and the page 1 or more. Use either offset or page, not both.
api-error-period = The period is not valid. Give dates as YYYY-MM-DD, the end not before the start, at most 92 days in all.
api-error-body = The request body is not valid JSON with the fields this address accepts.
api-error-content-type = Send the request body as JSON, with the header Content-Type: application/json.
api-error-no-consent = The referral was not sent: there is no sharing consent in force for this organisation.
