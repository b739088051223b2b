# Αξιολόγηση αναγκών και κινδύνου επανεμπορίας μιας υπόθεσης.

case-section-assessment = Αξιολόγηση αναγκών και κινδύνου

assessment-title = Αξιολόγηση αναγκών και κινδύνου επανεμπορίας
assessment-back-to-case = Επιστροφή στην υπόθεση
assessment-comparison-title = Τελευταία αξιολόγηση σε σύγκριση με την προηγούμενη
assessment-comparison-caption = Αξιολόγηση της { $latest } σε σύγκριση με αυτή της { $previous }
assessment-comparison-none = Η σύγκριση εμφανίζεται όταν καταχωριστούν δύο αξιολογήσεις.
assessment-col-domain = Ανάγκη
assessment-col-previous = Προηγούμενη
assessment-col-latest = Τελευταία
assessment-col-change = Μεταβολή
assessment-col-level = Επίπεδο
assessment-col-note = Σημείωση
assessment-change-up = Αυξήθηκε
assessment-change-down = Μειώθηκε
assessment-change-same = Αμετάβλητη
assessment-history-title = Αξιολογήσεις
assessment-history-none = Δεν έχει καταχωριστεί ακόμη αξιολόγηση.
assessment-entry-heading = Αξιολόγηση της { $date } από { $name }
assessment-none = Καμία
assessment-new-title = Νέα αξιολόγηση
assessment-needs-title = Ανάγκες ανά τομέα
assessment-field-date = Ημερομηνία αξιολόγησης
assessment-field-note = Σημείωση για τον τομέα: { $domain }
assessment-field-risk-level = Κίνδυνος επανεμπορίας
assessment-field-factors = Παράγοντες κινδύνου
assessment-field-safety-plan = Σχέδιο ασφάλειας
assessment-safety-plan-hint = Συμφωνημένα μέτρα, ασφαλείς επαφές και τι γίνεται σε περίπτωση κινδύνου.
assessment-choose-level = Επιλέξτε επίπεδο
assessment-save = Αποθήκευση αξιολόγησης
assessment-risk-title = Κίνδυνος επανεμπορίας

assessment-domain-safety = Ασφάλεια
assessment-domain-health = Υγεία
assessment-domain-psychosocial = Ψυχοκοινωνική υποστήριξη
assessment-domain-legal = Νομικά ζητήματα
assessment-domain-documents = Έγγραφα
assessment-domain-accommodation = Στέγαση
assessment-domain-livelihood = Βιοπορισμός
assessment-domain-education = Εκπαίδευση
assessment-domain-family = Οικογένεια

assessment-level-no_need = Καμία ανάγκη
assessment-level-low = Χαμηλή
assessment-level-medium = Μέτρια
assessment-level-high = Υψηλή
assessment-level-urgent = Επείγουσα

assessment-risk-low = Χαμηλός
assessment-risk-medium = Μέτριος
assessment-risk-high = Υψηλός

assessment-factor-contact_with_traffickers = Επαφή με τους διακινητές
assessment-factor-debt = Χρέος
assessment-factor-no_income = Έλλειψη εισοδήματος
assessment-factor-no_documents = Έλλειψη εγγράφων
assessment-factor-isolation = Κοινωνική απομόνωση
assessment-factor-substance_use = Χρήση ουσιών
assessment-factor-prior_re_trafficking = Προηγούμενη επανεμπορία
assessment-factor-family_pressure = Πίεση από την οικογένεια

assessment-error-date = Συμπληρώστε την ημερομηνία ως έτος-μήνας-ημέρα.
assessment-error-future = Η ημερομηνία αξιολόγησης δεν μπορεί να είναι μελλοντική.
assessment-error-before-case = Η ημερομηνία αξιολόγησης δεν μπορεί να είναι πριν από το άνοιγμα της υπόθεσης.
assessment-error-level = Επιλέξτε επίπεδο για αυτή την ανάγκη.
assessment-error-risk = Επιλέξτε τον κίνδυνο επανεμπορίας.
assessment-error-factor = Επιλέξτε παράγοντες κινδύνου από τη λίστα.
assessment-error-too-long = Το κείμενο πρέπει να έχει έως { $max } χαρακτήρες.
