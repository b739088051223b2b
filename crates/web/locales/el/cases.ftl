# Σελίδες περιστατικών: λίστα, καταχώριση νέου περιστατικού, καρτέλα περιστατικού.

nav-cases = Περιστατικά

cases-title = Περιστατικά
cases-intro = Τα περιστατικά που έχετε δικαίωμα να δείτε. Η λίστα δείχνει μόνο τον κωδικό περιστατικού και στοιχεία που δεν ταυτοποιούν το άτομο.
cases-new-link = Νέο περιστατικό
cases-import-link = Εισαγωγή από αρχείο HTCDS
cases-filters = Φίλτρα περιστατικών
cases-filter-status = Κατάσταση
cases-filter-nrm-status = Κατάσταση στον ΕΜΑ
cases-filter-region = Περιφέρεια
cases-filter-origin = Προέλευση εγγραφής
cases-filter-code = Κωδικός περιστατικού
cases-filter-any = Όλα
cases-total =
    { $total ->
        [one] Βρέθηκε { $total } περιστατικό.
       *[other] Βρέθηκαν { $total } περιστατικά.
    }
cases-caption = Λίστα περιστατικών
cases-col-code = Κωδικός περιστατικού
cases-col-status = Κατάσταση
cases-col-nrm-status = Κατάσταση στον ΕΜΑ
cases-col-region = Περιφέρεια
cases-col-sex = Φύλο
cases-col-age = Ηλικιακή ομάδα
cases-col-exploitation = Μορφές εκμετάλλευσης
cases-col-opened-on = Ημερομηνία ανοίγματος
cases-anonymised-import = ανωνυμοποιημένη εισαγωγή
cases-minor = Ανήλικος/η
cases-empty = Δεν βρέθηκαν περιστατικά.

case-not-recorded = Δεν έχει καταγραφεί
case-not-recorded-yet = Δεν έχει καταγραφεί ακόμη.
case-no-person = Ιστορική ανωνυμοποιημένη εγγραφή: δεν υπάρχουν στοιχεία ατόμου.
case-back-to-list = Επιστροφή στα περιστατικά
case-anonymised-text = Ανωνυμοποιημένη ιστορική εγγραφή από εισαγωγή δεδομένων. Χρησιμεύει μόνο για στατιστικά.
case-sealed-text = Το περιστατικό είναι σφραγισμένο και δεν εμφανίζεται στις αναζητήσεις.
case-section-screening = Αρχική αξιολόγηση
case-section-nrm = Εθνικός Μηχανισμός Αναφοράς
case-section-services = Υπηρεσίες

case-form-title = Νέο περιστατικό
case-form-intro = Καταχωρίστε την παραπομπή, τα στοιχεία του ατόμου και τα στοιχεία του περιστατικού. Ο κωδικός περιστατικού δίνεται αυτόματα.
case-form-section-intake = Παραπομπή
case-form-section-person = Στοιχεία ατόμου
case-form-section-case = Στοιχεία περιστατικού
case-form-submit = Καταχώριση περιστατικού
case-form-date-hint = Μορφή: ηη/μμ/εεεε.
case-form-referring-contact-hint = Όνομα και υπηρεσία του προσώπου που έκανε την παραπομπή.
case-form-aliases-hint = Άλλα ονόματα ή παρατσούκλια που χρησιμοποιεί, χωρισμένα με κόμμα.
case-form-birth-date-hint = Αν δεν είναι γνωστή, συμπληρώστε την εκτιμώμενη ηλικία.
case-form-estimated-age-hint = Σε έτη, μόνο όταν η ημερομηνία γέννησης δεν είναι γνωστή.
case-form-countries-hint = Κωδικοί χωρών ISO με δύο γράμματα, χωρισμένοι με ερωτηματικό, π.χ. NG; GH.
case-form-languages-hint = Κωδικοί γλωσσών ISO, χωρισμένοι με ερωτηματικό, π.χ. en; fr; prs.
case-form-country-codes = Κωδικοί χωρών
case-form-language-codes = Κωδικοί γλωσσών
case-form-household-hint = Μέλη της οικογένειας και παιδιά που ζουν μαζί του/της.
case-form-document-numbers-hint = Ένας αριθμός εγγράφου ταυτότητας ή ταξιδιωτικού εγγράφου σε κάθε γραμμή. Χρησιμοποιούνται μόνο για τον έλεγχο διπλής καταχώρισης.
case-form-error-token = Η φόρμα έληξε ή έχει ήδη υποβληθεί. Ελέγξτε τα στοιχεία και υποβάλετέ την ξανά.
case-form-error-date = Γράψτε μια έγκυρη ημερομηνία.
case-form-error-unknown-code = Επιλέξτε από τις τιμές της λίστας.
case-form-error-country = Ένας από τους κωδικούς χωρών δεν υπάρχει. Δείτε τη λίστα κωδικών χωρών.
case-form-error-language = Ένας από τους κωδικούς γλωσσών δεν υπάρχει. Δείτε τη λίστα κωδικών γλωσσών.
case-form-error-too-long = Το κείμενο είναι πολύ μεγάλο (έως { $max } χαρακτήρες).
case-form-error-age-twice = Συμπληρώστε είτε την ημερομηνία γέννησης είτε την εκτιμώμενη ηλικία, όχι και τα δύο.

case-duplicate-title = Πιθανή διπλή καταχώριση
case-duplicate-intro = Το άτομο ίσως έχει ήδη καταχωριστεί:
case-duplicate-item = πιθανή προηγούμενη καταχώριση στον οργανισμό «{ $organisation }» (ταυτίζονται: { $matched })
case-duplicate-own-case = — περιστατικό
case-duplicate-matched-name-birth-date = ονοματεπώνυμο και ημερομηνία γέννησης
case-duplicate-matched-document = αριθμός εγγράφου
case-duplicate-advice = Επικοινωνήστε με τον οργανισμό πριν από την καταχώριση. Αν πρόκειται για διαφορετικό άτομο ή για νέα παραπομπή, επιβεβαιώστε παρακάτω.
case-duplicate-confirm = Έλεγξα την πιθανή διπλή καταχώριση· να καταχωριστεί ως νέο περιστατικό.
case-duplicate-confirm-required = Επιλέξτε το πλαίσιο επιβεβαίωσης για να καταχωριστεί το περιστατικό.

case-field-code = Κωδικός περιστατικού
case-field-status = Κατάσταση
case-field-nrm-status = Κατάσταση στον Εθνικό Μηχανισμό Αναφοράς
case-field-referral-source = Πηγή παραπομπής
case-field-referred-on = Ημερομηνία παραπομπής
case-field-referring-contact = Πρόσωπο επικοινωνίας της παραπομπής
case-field-referral-reason = Λόγος παραπομπής
case-field-given-name = Όνομα
case-field-family-name = Επώνυμο
case-field-aliases = Άλλα ονόματα
case-field-birth-date = Ημερομηνία γέννησης
case-field-estimated-age = Εκτιμώμενη ηλικία
case-field-estimated-birth-year = Εκτιμώμενο έτος γέννησης
case-field-sex = Φύλο
case-field-gender-identity = Ταυτότητα φύλου
case-field-citizenships = Υπηκοότητα
case-field-languages = Γλώσσες
case-field-interpreter-gender = Προτιμώμενο φύλο διερμηνέα
case-field-legal-status = Νομικό καθεστώς
case-field-contact = Στοιχεία επικοινωνίας
case-field-household = Νοικοκυριό
case-field-vulnerabilities = Ευάλωτες ομάδες
case-field-document-numbers = Αριθμοί εγγράφων
case-field-region = Περιφέρεια
case-field-setting = Τόπος διαμονής
case-field-facility = Δομή φιλοξενίας
case-field-exploitation-types = Μορφές εκμετάλλευσης
case-field-forced-labour-industry = Κλάδος καταναγκαστικής εργασίας
case-field-means-of-control = Μέσα ελέγχου
case-field-recruitment-method = Τρόπος στρατολόγησης
case-field-trafficker-relationship = Σχέση με τον/τη διακινητή
case-field-countries-recruitment = Χώρες στρατολόγησης
case-field-countries-transit = Χώρες διέλευσης
case-field-countries-exploitation = Χώρες εκμετάλλευσης
case-field-opened-on = Ημερομηνία ανοίγματος
case-field-age-bracket = Ηλικιακή ομάδα
case-field-minor = Ανήλικος/η
case-section-work = Εργασία στο περιστατικό
case-section-consents = Συναινέσεις
case-section-closure = Κλείσιμο και επανάνοιγμα
