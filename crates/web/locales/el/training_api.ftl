# Το τμήμα εκπαίδευσης του JSON API: μηνύματα ελέγχου.
training-api-error-trainee-missing = Δώστε το αναγνωριστικό χρήστη του εκπαιδευόμενου στο trainee_id.
training-api-error-trainee-unknown = Κανένας ενεργός λογαριασμός εκπαιδευόμενου δεν έχει αυτό το αναγνωριστικό χρήστη.
training-api-error-period = Η περίοδος πρέπει να είναι upcoming ή all.
training-api-error-status = Η κατάσταση πρέπει να είναι valid, revoked ή all.
