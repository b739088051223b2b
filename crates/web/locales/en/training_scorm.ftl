## SCORM 1.2 lessons (upload, lesson page, results) and the xAPI export.

scorm-upload-title = Add a SCORM package
scorm-upload-intro = Upload a SCORM 1.2 package (a zip file). It becomes a new lesson at the end of the module you choose. Trainees open it on the lesson page, and its score and completion are recorded.
scorm-upload-no-modules = This course has no modules yet. Add a module first, then the package.
scorm-field-module = Module
scorm-module-option = { $position }. { $title }
scorm-field-title-el = Lesson title in Greek
scorm-field-title-en = Lesson title in English
scorm-field-title-hint = Leave empty to use the title in the package.
scorm-field-required = Trainees must complete this lesson to complete the course
scorm-field-file = Package (zip)
scorm-field-file-hint = A SCORM 1.2 zip file of at most { $max } MB, with imsmanifest.xml at its top level.
scorm-upload-submit = Add the package

scorm-lesson-preview = Preview: as a trainer you see the package as trainees do, but nothing you do in it is recorded.
scorm-lesson-status = Your status in this lesson: { $status }
scorm-lesson-needs-script = This lesson is an interactive package and needs JavaScript. Turn JavaScript on in your browser to take it.
scorm-lesson-saved = Your progress is saved.
scorm-lesson-save-failed = Your progress could not be saved. Check your connection; it will be sent again at the next step.
scorm-lesson-back = Back to the course

scorm-status-passed = passed
scorm-status-completed = completed
scorm-status-failed = failed
scorm-status-incomplete = started, not finished
scorm-status-browsed = browsed
scorm-status-not-attempted = not started

scorm-error-module = Choose the module the lesson belongs to.
scorm-error-title-too-long = The title can be at most { $max } characters long.
scorm-error-missing-file = Choose the zip file of the package.
scorm-error-too-large = The package is larger than { $max } MB. Make it smaller, for example by compressing its videos, and upload it again.
scorm-error-not-zip = The file is not a zip archive. Export the course from your authoring tool as a SCORM 1.2 package (zip) and upload that.
scorm-error-too-many-entries = The package has more than { $max } files and folders, more than a SCORM lesson needs.
scorm-error-too-large-unpacked = Unpacked, the package would take more than { $max } MB. Nothing was stored.
scorm-error-unsafe-path = The package contains “{ $path }”, a path that points outside the package. Such packages are refused.
scorm-error-symlink = The package contains “{ $path }”, a symbolic link. Links are refused; include the file itself.
scorm-error-duplicate = The package contains “{ $path }” twice.
scorm-error-unreadable = “{ $path }” in the package is encrypted or compressed in a way Procap cannot read. Export the package again without a password.
scorm-error-no-manifest = The package has no imsmanifest.xml at its top level. Zip the contents of the course folder, not the folder itself.
scorm-error-invalid-manifest = The imsmanifest.xml of the package is not valid XML.
scorm-error-not-scorm-12 = The package is SCORM version “{ $version }”. Procap accepts SCORM 1.2 only: export the course again as SCORM 1.2.
scorm-error-no-version = The manifest does not say it is SCORM 1.2. Procap accepts SCORM 1.2 only: export the course again as SCORM 1.2.
scorm-error-no-sco = The manifest names no SCO (a resource of type “sco”), so there is nothing to launch.
scorm-error-launch-missing = The manifest launches “{ $path }”, but that file is not in the package.

xapi-title = Export learning records (xAPI)
xapi-intro = Download enrolments, lesson views, test attempts and completed courses as xAPI 1.0.3 statements, for a learning record store. Trainees appear by their Procap account id, without names or e-mail addresses.
xapi-field-course = Course
xapi-all-courses = All courses
xapi-field-from = From
xapi-field-to = Until
xapi-field-date-hint = A day, included. Leave empty for no limit.
xapi-field-format = File format
xapi-format-json = JSON, one array of statements
xapi-format-ndjson = NDJSON, one statement per line
xapi-submit = Download statements
xapi-error-course = Choose a course from the list, or all courses.
xapi-error-date = Enter the date as a day, for example 2026-12-05.
xapi-error-period = The end of the period is before its start.
xapi-error-format = Choose JSON or NDJSON.
