## Importing cases from an HTCDS file (page and command line)

import-title = Import cases from an HTCDS file
import-intro = Upload a CSV file in the Human Trafficking Case Data Standard (HTCDS 2.0) layout, one row per person, with the field names as the first line, or a decrypted HTCDS export from Procap (a zip of one file per entity). Procap checks every row first and imports nothing unless the whole file is valid. Imported cases join your organisation and are marked as imported.
import-field-file = CSV file
import-field-file-hint = Up to { $max } MB. Dates as YYYY-MM-DD; several values in one cell separated by semicolons.
import-submit = Check and import
import-errors-title = { $count ->
    [one] The file has { $count } problem
   *[other] The file has { $count } problems
}
import-errors-nothing-written = Nothing was imported. Correct the file and upload it again.
import-errors-caption = Problems by line and column
import-errors-line = Line
import-errors-column = Column
import-errors-message = Problem
import-errors-whole-row = Whole row
import-errors-more = The list stops here; the file may have more problems further down.
import-error-no-file = Choose a CSV file to upload.
import-error-too-large = The file is larger than { $max } MB. Split it into smaller files and import them one after the other.

import-progress-title = Case import
import-progress-running = { $done } of { $total } cases written…
import-progress-refresh-hint = This page reloads by itself every few seconds.
import-progress-refresh = Check progress
import-progress-finished = { $count ->
    [one] Import finished: { $count } case imported.
   *[other] Import finished: { $count } cases imported.
}
import-progress-show-cases = Show the imported cases
import-progress-failed = The import failed and nothing was written. Try again; if it fails again, tell your administrator.
import-progress-again = Upload the file again

import-error-empty-file = The file is empty: the first line must name the HTCDS fields.
import-error-no-rows = The file has a header but no rows to import.
import-error-unreadable = This line cannot be read as CSV text in UTF-8.
import-error-missing-column = This column is required and is missing from the first line.
import-error-duplicate-column = This column appears twice in the first line.
import-error-unknown-field = This is not an HTCDS field name; check its spelling.
import-error-field-count = The row has { $found } cells but the first line has { $expected }.
import-error-required = This value is required.
import-error-date = “{ $value }” is not a date; write dates as YYYY-MM-DD, for example 2025-03-14.
import-error-code = “{ $value }” is not an allowed value. Allowed: { $allowed }.
import-error-country = “{ $value }” is not a two-letter ISO 3166 country code such as GR.
import-error-language = “{ $value }” is not a language code Procap knows, such as el, en, ar or fa.
import-error-too-long = The text is longer than { $max } characters.
import-error-closure-date-missing = A closed case needs its closure date in procap_ClosedOn.
import-error-closure-on-open-case = Only a closed case can have a closure date or reason.

import-cli-checking = Checking { $file } …
import-cli-invalid = { $file } has problems; nothing was imported.
import-cli-problem = line { $line }, column { $column }: { $message }
import-cli-problem-row = line { $line }: { $message }
import-cli-more = … and { $count } more
import-cli-writing = Writing { $count } cases …
import-cli-done = Imported { $count } cases into { $prefix }.
import-cli-no-organisation = There is no organisation with the case code prefix { $prefix }.
import-cli-no-organisations = There is no organisation to import into; create one first.
import-error-event-count = The { $types } event types do not match the { $countries } countries; give one country for each type.
import-error-missing-file = This file is missing from the zip archive.
import-error-case-code = The case code “{ $value }” is not in the case file, or appears there twice.
