# Πιστοποιητικά ολοκλήρωσης μαθημάτων: δημόσια επαλήθευση, τα πιστοποιητικά
# του εκπαιδευόμενου, η λίστα των εκπαιδευτών και η ανάκληση.

certificate-holder = Κάτοχος
certificate-course = Μάθημα
certificate-issued-on = Ημερομηνία έκδοσης
certificate-code = Κωδικός επαλήθευσης
certificate-status = Κατάσταση
certificate-status-valid = Σε ισχύ
certificate-status-revoked = Ανακλήθηκε
certificate-status-revoked-on = Ανακλήθηκε στις { $date }
certificate-downloads = Λήψη
certificate-download-pdf = Πιστοποιητικό (PDF)
certificate-download-badge = Ψηφιακό σήμα (Open Badges)
certificate-actions = Ενέργειες
certificate-revoke = Ανάκληση πιστοποιητικού

certificate-verify-title = Επαλήθευση πιστοποιητικού
certificate-verify-valid = Το πιστοποιητικό είναι γνήσιο και σε ισχύ.
certificate-verify-revoked = Το πιστοποιητικό είναι γνήσιο αλλά ανακλήθηκε στις { $date } και δεν ισχύει πλέον.
certificate-verify-unknown = Ο κωδικός επαλήθευσης δεν είναι γνωστός.
certificate-verify-unknown-hint = Ελέγξτε ότι πληκτρολογήσατε τον κωδικό όπως είναι τυπωμένος στο πιστοποιητικό, με 16 χαρακτήρες σε τέσσερις ομάδες.

certificates-mine-title = Τα πιστοποιητικά μου
certificates-mine-intro = Κάθε μάθημα που ολοκληρώνετε σας δίνει πιστοποιητικό. Μπορείτε να το κατεβάσετε ως PDF ή ως ψηφιακό σήμα Open Badges.
certificates-mine-caption = Πιστοποιητικά, πιο πρόσφατα πρώτα
certificates-mine-empty = Δεν έχετε ακόμη πιστοποιητικά.

certificates-manage-title = Πιστοποιητικά
certificates-manage-filters = Φίλτρα πιστοποιητικών
certificates-manage-caption = Πιστοποιητικά, πιο πρόσφατα πρώτα
certificates-manage-empty = Κανένα πιστοποιητικό δεν ταιριάζει με τα φίλτρα.
certificates-filter-any-course = Όλα τα μαθήματα
certificates-filter-any-status = Όλα

certificate-revoke-title = Ανάκληση πιστοποιητικού
certificate-revoke-reason = Λόγος ανάκλησης
certificate-revoke-reason-hint = Υποχρεωτικό, έως { $max } χαρακτήρες. Ο λόγος καταγράφεται και δεν εμφανίζεται στη σελίδα επαλήθευσης.
certificate-revoke-continue = Συνέχεια
certificate-revoke-error-empty = Γράψτε τον λόγο της ανάκλησης.
certificate-revoke-error-too-long = Ο λόγος ξεπερνά τους { $max } χαρακτήρες.
certificate-revoke-confirm-title = Επιβεβαίωση ανάκλησης
certificate-revoke-confirm-text = Να ανακληθεί το πιστοποιητικό του/της { $name } για το μάθημα «{ $course }»; Η ανάκληση δεν αναιρείται.

certificate-pdf-heading = Πιστοποιητικό ολοκλήρωσης
certificate-pdf-statement = Βεβαιώνεται ότι
certificate-pdf-completed = ολοκλήρωσε το πρόγραμμα κατάρτισης
certificate-pdf-issuer = Φορέας έκδοσης
certificate-pdf-verify-hint = Σαρώστε τον κωδικό QR ή ανοίξτε τη διεύθυνση για να επαληθεύσετε το πιστοποιητικό.
