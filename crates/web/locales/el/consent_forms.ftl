## Έντυπα συναίνεσης και φύλλα ενημέρωσης, υπογεγραμμένα έντυπα και
## έγκριση των μεταφράσεών τους.

nav-translations = Μεταφράσεις

consent-forms-print-title = Εκτύπωση εντύπου συναίνεσης
consent-forms-print-intro = Το PDF περιέχει το φύλλο ενημέρωσης και το έντυπο συναίνεσης για έναν σκοπό, συμπληρωμένα με τον κωδικό περιστατικού, τον φορέα σας και τη σημερινή ημερομηνία. Δεν εμφανίζει ποτέ το όνομα του ατόμου.
consent-forms-language = Γλώσσα του εντύπου
consent-forms-language-hint = Οι γλώσσες με την ένδειξη προσχεδίου εκτυπώνονται με τη σήμανση «μετάφραση σε μορφή προσχεδίου» μέχρι να τις εγκρίνει ο διαχειριστής.
consent-forms-language-draft = { $language } – μετάφραση σε μορφή προσχεδίου
consent-forms-print-button = Εκτύπωση εντύπου (PDF)
consent-forms-col-signed = Υπογεγραμμένο έντυπο
consent-forms-download-signed = Λήψη υπογεγραμμένου εντύπου
consent-forms-none = Δεν έχει επισυναφθεί
consent-forms-attach-label = Υπογεγραμμένο έντυπο για «{ $purpose }» (PDF, PNG ή JPEG)
consent-forms-attach-button = Επισύναψη
consent-forms-attached = Το υπογεγραμμένο έντυπο επισυνάφθηκε στη συναίνεση.
consent-forms-error-type = Το υπογεγραμμένο έντυπο πρέπει να είναι αρχείο PDF ή εικόνα PNG ή JPEG.

translations-title = Μεταφράσεις εντύπων συναίνεσης
translations-intro = Τα έντυπα συναίνεσης και τα φύλλα ενημέρωσης για τους ωφελούμενους υπάρχουν σε εννέα γλώσσες. Τα ελληνικά και τα αγγλικά είναι εγκεκριμένα. Οι υπόλοιπες γλώσσες εκτυπώνονται με τη σήμανση «μετάφραση σε μορφή προσχεδίου» σε κάθε σελίδα μέχρι να τις εγκρίνετε, αφού ελέγξει το κείμενο έμπειρος μεταφραστής. Μπορείτε οποτεδήποτε να επαναφέρετε μια εγκεκριμένη γλώσσα σε προσχέδιο.
translations-caption = Γλώσσες των εντύπων συναίνεσης και των φύλλων ενημέρωσης
translations-col-language = Γλώσσα
translations-col-status = Κατάσταση
translations-col-changed = Τελευταία αλλαγή
translations-status-approved = Εγκεκριμένη
translations-status-default = εγκεκριμένη από την αρχή
translations-status-draft = Μετάφραση σε μορφή προσχεδίου
translations-approve = Έγκριση: { $language }
translations-revoke = Επαναφορά σε προσχέδιο: { $language }
translations-changed = { $user }, { $at }
translations-approved = Τα έντυπα στη γλώσσα «{ $language }» εγκρίθηκαν και εκτυπώνονται χωρίς τη σήμανση προσχεδίου.
translations-revoked = Τα έντυπα στη γλώσσα «{ $language }» είναι ξανά μετάφραση σε μορφή προσχεδίου.
