# Editing a registered case: the form, the document numbers and the
# conflict page when someone else saved the case in the meantime.

case-edit-link = Edit the person and case details
case-edit-title = Edit case { $code }
case-edit-intro = Change the person's details and the case details. The referral that opened the case is kept as it was recorded.
case-edit-submit = Save changes
case-edit-documents-hint = { $count ->
    [0] No document number is on record. Enter one per line to add them to the check for earlier registrations.
    [one] One document number is on record; for protection it is not shown. Leave this field empty to keep it, or enter every number again, one per line, to replace it.
   *[other] { $count } document numbers are on record; for protection they are not shown. Leave this field empty to keep them, or enter every number again, one per line, to replace them.
}
case-edit-error-version = The form did not say which version of the case it was based on. Open the case again and repeat your changes.
case-edit-conflict-title = Someone else saved this case while you were editing it
case-edit-conflict-intro = Nothing has been lost. The table shows the details that differ between the version now saved and the values you sent. Your values are still in the form below.
case-edit-conflict-advice = To keep your values, check them and save again. To keep the saved version, leave without saving.
case-edit-conflict-field = Detail
case-edit-conflict-theirs = Saved now
case-edit-conflict-yours = Your values
case-edit-conflict-keep-theirs = Keep the saved version
