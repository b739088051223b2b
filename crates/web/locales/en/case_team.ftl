## The team of a case: who is assigned, assigning and removing staff.

case-section-team = Case team
team-title = Case team
team-intro = The staff assigned to the case can open it and record their own work on it.
team-empty = Nobody is assigned to this case.
team-caption = Staff assigned to the case
team-col-name = Name
team-col-role = Role
team-col-actions = Actions
team-remove-button = Remove
team-assign-title = Assign staff
team-field-user = Staff member
team-candidate = { $name } – { $role }
team-assign-button = Assign to the case
team-no-candidates = Every social worker, psychologist and lawyer of your organisation is already assigned to this case.
team-error-choose = Choose the staff member to assign.
team-error-not-assignable = Only a social worker, psychologist or lawyer of the organisation that owns the case can be assigned. Choose someone from the list.
team-error-last-caseworker = This is the only social worker assigned to the case, so the assignment stays. Assign another social worker first, then remove this one.
team-remove-title = Remove from the case team
team-remove-message = Remove { $name } ({ $role }) from the team of case { $code }? They will no longer see the case unless they are assigned again.
team-remove-confirm = Remove from the team
