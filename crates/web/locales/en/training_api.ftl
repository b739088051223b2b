# The training part of the JSON API: validation messages.
training-api-error-trainee-missing = Give the trainee's user id in trainee_id.
training-api-error-trainee-unknown = No active trainee account has this user id.
training-api-error-period = The period must be upcoming or all.
training-api-error-status = The status must be valid, revoked or all.
