# Ημερολόγιο υπηρεσιών, συναινέσεις, κλείσιμο και επανενεργοποίηση περιστατικού.

service-back-to-case = Επιστροφή στο περιστατικό
service-case-status = Κατάσταση περιστατικού
service-log-title = Ημερολόγιο υπηρεσιών
service-log-caption = Παρεχόμενες υπηρεσίες, με τις πιο πρόσφατες πρώτες
service-log-empty = Δεν έχουν καταγραφεί υπηρεσίες.
service-total =
    { $total ->
        [one] { $total } καταγεγραμμένη υπηρεσία
       *[other] { $total } καταγεγραμμένες υπηρεσίες
    }
service-new-title = Καταγραφή υπηρεσίας
service-choose-line = Επιλέξτε το είδος της υπηρεσίας που θέλετε να καταγράψετε.
service-col-date = Ημερομηνία
service-col-line = Είδος υπηρεσίας
service-col-duration = Διάρκεια
service-col-staff = Επαγγελματίας
service-col-present = Παρουσία ωφελούμενου
service-col-outcome = Αποτέλεσμα
service-col-details = Στοιχεία
service-minutes =
    { $minutes ->
        [one] { $minutes } λεπτό
       *[other] { $minutes } λεπτά
    }
service-not-recorded = Δεν καταγράφηκε
service-occurred-on = Ημερομηνία παροχής
service-date-hint = Όχι μελλοντική και όχι πριν από το άνοιγμα του περιστατικού.
service-duration = Διάρκεια σε λεπτά
service-duration-hint = Από 1 έως 1440 λεπτά.
service-present = Παρών/παρούσα ο/η ωφελούμενος/η
service-outcome = Αποτέλεσμα
service-notes = Σημειώσεις
service-notes-hint = Αποθηκεύονται κρυπτογραφημένες. Τις βλέπουν μόνο όσοι καταγράφουν αυτό το είδος υπηρεσίας.
service-encrypted-hint = Αποθηκεύεται κρυπτογραφημένο μαζί με τις σημειώσεις.
service-save = Αποθήκευση υπηρεσίας
service-reopening = Επανενεργοποίηση περιστατικού

service-session-type = Είδος συνεδρίας
service-session-type-intake = Αρχική συνέντευξη
service-session-type-follow-up = Συνεδρία παρακολούθησης
service-session-type-crisis = Παρέμβαση σε κρίση
service-session-type-home-visit = Κατ’ οίκον επίσκεψη

service-format = Μορφή
service-format-individual = Ατομική
service-format-group = Ομαδική
service-modality = Τρόπος
service-modality-in-person = Δια ζώσης
service-modality-phone = Τηλεφωνικά
service-modality-video = Με βιντεοκλήση
service-sessions = Αριθμός συνεδριών

service-legal-kind = Είδος νομικής συνδρομής
service-legal-kind-consultation = Νομική συμβουλευτική
service-legal-kind-representation = Εκπροσώπηση
service-legal-kind-documents-filed = Κατάθεση εγγράφων
service-proceeding = Διαδικασία
service-court = Δικαστήριο ή αρχή
service-court-criminal-first-instance = Ποινικό δικαστήριο πρώτου βαθμού
service-court-criminal-appeal = Ποινικό δικαστήριο δεύτερου βαθμού
service-court-civil = Πολιτικό δικαστήριο
service-court-administrative = Διοικητικό δικαστήριο
service-court-asylum-appeals = Αρχή Προσφυγών
service-court-other = Άλλο
service-case-number = Αριθμός υπόθεσης
service-hearing-on = Ημερομηνία δικασίμου
service-hearing-outcome = Έκβαση δικασίμου
service-hearing-outcome-adjourned = Αναβολή
service-hearing-outcome-heard = Συζητήθηκε
service-hearing-outcome-decision-pending = Αναμένεται απόφαση
service-hearing-outcome-conviction = Καταδικαστική απόφαση
service-hearing-outcome-acquittal = Αθωωτική απόφαση
service-hearing-outcome-other = Άλλη

service-language = Γλώσσα
service-dialect = Διάλεκτος
service-mode = Τρόπος διερμηνείας

service-destination = Προορισμός
service-destination-hospital = Νοσοκομείο
service-destination-police = Αστυνομία
service-destination-prosecutor = Εισαγγελία
service-destination-court = Δικαστήριο
service-destination-asylum-service = Υπηρεσία Ασύλου
service-destination-embassy = Πρεσβεία ή προξενείο
service-destination-other = Άλλος
service-escort-purpose = Σκοπός συνοδείας
service-escort-purpose-medical-appointment = Ιατρικό ραντεβού
service-escort-purpose-statement = Κατάθεση
service-escort-purpose-hearing = Δικάσιμος
service-escort-purpose-asylum-interview = Συνέντευξη ασύλου
service-escort-purpose-documents = Έκδοση εγγράφων
service-escort-purpose-other = Άλλος

service-activity = Δράση
service-activity-language-course = Μαθήματα γλώσσας
service-activity-vocational-training = Επαγγελματική κατάρτιση
service-activity-job-placement = Τοποθέτηση σε εργασία
service-activity-school-enrolment = Εγγραφή σε σχολείο
service-activity-housing-support = Στήριξη στη στέγαση
service-activity-awareness-activity = Δράση ενημέρωσης

service-assistance-kind = Είδος βοήθειας
service-assistance-kind-food = Τρόφιμα
service-assistance-kind-clothing = Ρουχισμός
service-assistance-kind-hygiene = Είδη υγιεινής
service-assistance-kind-cash = Χρηματική βοήθεια
service-assistance-kind-transport = Μετακίνηση
service-assistance-kind-other = Άλλο
service-value = Αξία σε ευρώ
service-value-hint = Για παράδειγμα 25,50.

service-outcome-completed = Ολοκληρώθηκε
service-outcome-partly-completed = Ολοκληρώθηκε εν μέρει
service-outcome-postponed = Αναβλήθηκε
service-outcome-cancelled = Ακυρώθηκε
service-outcome-no-show = Ο/η ωφελούμενος/η δεν προσήλθε

service-error-date = Γράψτε μια έγκυρη ημερομηνία.
service-error-date-future = Η ημερομηνία δεν μπορεί να είναι μελλοντική.
service-error-date-before-opening = Η ημερομηνία δεν μπορεί να είναι πριν από το άνοιγμα του περιστατικού ({ $date }).
service-error-duration = Γράψτε τη διάρκεια σε λεπτά, από 1 έως { $max }.
service-error-sessions = Γράψτε τον αριθμό των συνεδριών, από 1 έως { $max }.
service-error-value = Γράψτε ένα ποσό σε ευρώ μεγαλύτερο από μηδέν, με έως δύο δεκαδικά.
service-error-too-long = Το κείμενο είναι πολύ μεγάλο (έως { $max } χαρακτήρες).

consent-title = Συναινέσεις
consent-caption = Καταγεγραμμένες συναινέσεις, με τις πιο πρόσφατες πρώτες
consent-empty = Δεν έχουν καταγραφεί συναινέσεις.
consent-col-purpose = Σκοπός
consent-col-recipient = Αποδέκτης
consent-col-given = Απάντηση
consent-col-recorded-on = Ημερομηνία
consent-col-language = Γλώσσα εντύπου
consent-col-withdrawn-on = Ανάκληση
consent-in-force = Σε ισχύ
consent-given = Απάντηση του/της ωφελούμενου/ης
consent-given-yes = Συναινεί
consent-given-no = Δεν συναινεί
consent-form-title = Καταγραφή συναίνεσης
consent-recipient = Φορέας αποδέκτης
consent-recipient-hint = Μόνο για τη διαβίβαση δεδομένων σε άλλους φορείς.
consent-recorded-on = Ημερομηνία υπογραφής
consent-language = Γλώσσα του εντύπου
consent-save = Καταγραφή συναίνεσης
consent-recorded = Η συναίνεση καταγράφηκε.
consent-withdrawn = Η ανάκληση της συναίνεσης καταγράφηκε.
consent-withdraw-button = Ανάκληση
consent-withdraw-title = Ανάκληση συναίνεσης
consent-withdraw-message = Να καταγραφεί η ανάκληση της συναίνεσης «{ $purpose }» στο περιστατικό { $code } από σήμερα;
consent-error-recipient-required = Επιλέξτε τον φορέα στον οποίο διαβιβάζονται τα δεδομένα.
consent-error-recipient-only-sharing = Ο φορέας αποδέκτης συμπληρώνεται μόνο για τη διαβίβαση δεδομένων.

closure-title = Κλείσιμο περιστατικού
closure-closed-on = Ημερομηνία κλεισίματος
closure-date-hint = Όχι μελλοντική και όχι πριν από το άνοιγμα του περιστατικού.
closure-continue = Συνέχεια στο κλείσιμο
closure-confirm-title = Επιβεβαίωση κλεισίματος
closure-confirm-message = Να κλείσει το περιστατικό { $code } στις { $date } με λόγο «{ $reason }»;
closure-confirm-button = Κλείσιμο περιστατικού
closure-conflict-title = Το περιστατικό άλλαξε στο μεταξύ
closure-conflict-text = Κάποιος άλλος χρήστης άλλαξε το περιστατικό αφού ανοίξατε τη φόρμα, γι’ αυτό η αλλαγή σας δεν αποθηκεύτηκε. Δείτε την τρέχουσα κατάσταση και υποβάλετε ξανά αν χρειάζεται.
closure-conflict-entered = Όσα συμπληρώσατε
closure-current-status = Τρέχουσα κατάσταση
closure-current-version = Έκδοση εγγραφής

reopen-title = Επανενεργοποίηση περιστατικού
reopen-intro = Το περιστατικό είναι κλειστό. Για να ανοίξει ξανά, γράψτε τον λόγο· καταγράφεται κρυπτογραφημένος ως υπηρεσία διαχείρισης περιστατικού.
reopen-reason = Λόγος επανενεργοποίησης
reopen-reason-hint = Για παράδειγμα, νέα ανάγκη υποστήριξης ή νέα παραπομπή.
reopen-button = Επανενεργοποίηση
