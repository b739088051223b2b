# Αρχική αξιολόγηση ενδείξεων εμπορίας ανθρώπων και κατάσταση περιστατικού στον ΕΜΑ.
# Το αποτέλεσμα της αξιολόγησης είναι καθοδήγηση για τον/την κοινωνικό λειτουργό·
# κανένα κείμενο δεν δηλώνει ότι το άτομο είναι θύμα.

screening-title = Αρχική αξιολόγηση
screening-back-to-case = Επιστροφή στο περιστατικό
screening-back-to-history = Επιστροφή στις αξιολογήσεις
screening-intro = Αρχικές αξιολογήσεις με τις λειτουργικές ενδείξεις εμπορίας ανθρώπων της ΔΟΕ και της Ευρωπαϊκής Επιτροπής. Το αποτέλεσμα καθοδηγεί την παραπομπή· δεν αποτελεί αναγνώριση θύματος.
screening-new-link = Νέα αξιολόγηση
screening-none-yet = Δεν έχει καταχωριστεί αρχική αξιολόγηση για αυτό το περιστατικό.
screening-history-caption = Ιστορικό αρχικών αξιολογήσεων
screening-col-date = Ημερομηνία
screening-col-by = Από
screening-col-list = Κατάλογος ενδείξεων
screening-col-result = Αποτέλεσμα
screening-col-positive-dimensions = Θετικές διαστάσεις
screening-no-positive-dimension = Καμία θετική διάσταση
screening-result-indicated = Υπάρχουν ενδείξεις εμπορίας ανθρώπων — καθοδήγηση αρχικής αξιολόγησης, όχι αναγνώριση
screening-result-not-indicated = Δεν προκύπτουν ενδείξεις εμπορίας ανθρώπων
screening-guidance-indicated = Οι ενδείξεις που καταγράφηκαν πληρούν τον συνδυασμό διαστάσεων του καταλόγου. Εξετάστε την παραπομπή του ατόμου στον Εθνικό Μηχανισμό Αναφοράς (ΕΜΑ) και συνεχίστε τη συλλογή πληροφοριών.
screening-guidance-not-indicated = Οι ενδείξεις που καταγράφηκαν δεν πληρούν τον συνδυασμό διαστάσεων του καταλόγου. Αυτό δεν αποκλείει την εμπορία ανθρώπων: καταγράψτε νέες πληροφορίες όταν προκύψουν και επαναλάβετε την αξιολόγηση.
screening-guidance-not-identification = Η αρχική αξιολόγηση δεν αποτελεί αναγνώριση. Θύμα εμπορίας ανθρώπων αναγνωρίζεται τυπικά μόνο με πράξη εισαγγελέα.

screening-new-title = Νέα αρχική αξιολόγηση
screening-new-intro = Σημειώστε μόνο τις ενδείξεις που υπάρχουν σύμφωνα με όσα γνωρίζετε. Κάθε ένδειξη έχει βαθμό (ισχυρή, μέτρια, αδύναμη) ανάλογα με τον κατάλογο.
screening-list-choice = Κατάλογος ενδείξεων
screening-field-age = Ηλικιακή ομάδα
screening-field-form = Μορφή εκμετάλλευσης
screening-show-list = Εμφάνιση καταλόγου
screening-list-unavailable = Αυτός ο κατάλογος δεν περιέχει ακόμη ενδείξεις, γιατί η πηγή του δεν έχει καταχωριστεί στο Procap. Δεν μπορεί να χρησιμοποιηθεί για αρχική αξιολόγηση.
screening-available-lists = Διαθέσιμοι κατάλογοι:
screening-grades-unverified = Οι βαθμοί των ενδείξεων αυτού του καταλόγου δεν έχουν ακόμη επαληθευτεί με την αρχική δημοσίευση. Χρησιμοποιήστε το αποτέλεσμα με επιφύλαξη.
screening-checklist-hint = Οι ενδείξεις ομαδοποιούνται στις έξι διαστάσεις του ορισμού της εμπορίας ανθρώπων.
screening-field-notes = Σημειώσεις
screening-field-notes-hint = Πηγή των πληροφοριών και ό,τι χρειάζεται διευκρίνιση. Αποθηκεύονται κρυπτογραφημένες.
screening-submit = Αξιολόγηση και αποθήκευση
screening-error-list = Ο κατάλογος ενδείξεων δεν είναι έγκυρος. Επιλέξτε ηλικιακή ομάδα και μορφή εκμετάλλευσης.
screening-error-list-unavailable = Ο κατάλογος που επιλέξατε δεν περιέχει ενδείξεις. Επιλέξτε έναν από τους διαθέσιμους καταλόγους.
screening-error-unknown-indicator = Μία από τις ενδείξεις που στάλθηκαν δεν ανήκει στον κατάλογο. Ελέγξτε τις επιλογές σας και υποβάλετε ξανά.
screening-error-notes-too-long = Οι σημειώσεις ξεπερνούν τους { $max } χαρακτήρες.

screening-result-title = Αποτέλεσμα αρχικής αξιολόγησης
screening-dimensions-title = Ενδείξεις ανά διάσταση
screening-dimension-positive = θετική
screening-dimension-not-positive = όχι θετική
screening-dimension-counts = Ισχυρές: { $strong } · μέτριες: { $medium } · αδύναμες: { $weak }
screening-details-unavailable = Οι ενδείξεις αυτής της αξιολόγησης δεν αντιστοιχούν πλέον στον τρέχοντα κατάλογο, οπότε εμφανίζεται μόνο το αποτέλεσμα όπως αποθηκεύτηκε.
screening-print = Εκτύπωση
screening-print-back = Επιστροφή στην κανονική προβολή

screening-age-adult = Ενήλικας
screening-age-child = Παιδί (κάτω των 18)
screening-form-labour = Εργασιακή εκμετάλλευση
screening-form-sexual = Σεξουαλική εκμετάλλευση
screening-list-adult-labour = Ενήλικες — εργασιακή εκμετάλλευση
screening-list-adult-sexual = Ενήλικες — σεξουαλική εκμετάλλευση
screening-list-child-labour = Παιδιά — εργασιακή εκμετάλλευση
screening-list-child-sexual = Παιδιά — σεξουαλική εκμετάλλευση
screening-strength-strong = ισχυρή
screening-strength-medium = μέτρια
screening-strength-weak = αδύναμη
screening-dimension-deceptive-recruitment = Στρατολόγηση με εξαπάτηση
screening-dimension-coercive-recruitment = Στρατολόγηση με εξαναγκασμό
screening-dimension-recruitment-by-abuse-of-vulnerability = Στρατολόγηση με κατάχρηση ευάλωτης θέσης
screening-dimension-exploitative-conditions = Συνθήκες εκμετάλλευσης
screening-dimension-coercion-at-destination = Εξαναγκασμός στον τόπο προορισμού
screening-dimension-abuse-of-vulnerability-at-destination = Κατάχρηση ευάλωτης θέσης στον τόπο προορισμού

nrm-title = Εθνικός Μηχανισμός Αναφοράς (ΕΜΑ)
nrm-back-to-case = Επιστροφή στο περιστατικό
nrm-current-status = Τρέχουσα κατάσταση στον ΕΜΑ
nrm-clocks-title = Προθεσμίες
nrm-clocks-none = Δεν υπάρχει καταχωρισμένη προθεσμία.
nrm-clock-reflection-end = Λήξη περιόδου περίσκεψης
nrm-clock-residence-permit = Λήξη άδειας διαμονής
nrm-clock-due-soon =
    { $days ->
        [0] Λήγει σήμερα
        [one] Λήγει σε { $days } ημέρα
       *[other] Λήγει σε { $days } ημέρες
    }
nrm-clock-overdue = Έληξε στις { $date }
nrm-history-title = Ιστορικό
nrm-history-none = Δεν έχει καταχωριστεί αλλαγή κατάστασης.
nrm-history-caption = Ιστορικό κατάστασης στον ΕΜΑ
nrm-col-by = Καταχώριση από
nrm-no-reference = Χωρίς αριθμό
nrm-change-title = Αλλαγή κατάστασης
nrm-field-status = Κατάσταση
nrm-field-status-new = Νέα κατάσταση
nrm-choose-status = Επιλέξτε κατάσταση
nrm-field-occurred-on = Ημερομηνία
nrm-field-occurred-on-hint = Η ημερομηνία του εντύπου παραπομπής ή της πράξης του εισαγγελέα.
nrm-field-reference = Αριθμός αναφοράς
nrm-field-reference-hint = Αριθμός εντύπου παραπομπής ή αριθμός πράξης εισαγγελέα. Αποθηκεύεται κρυπτογραφημένος.
nrm-reflection-legend = Περίοδος περίσκεψης (μόνο για «Πιθανό θύμα»)
nrm-field-reflection-start = Έναρξη περιόδου περίσκεψης
nrm-field-reflection-start-hint = Υποχρεωτική για «Πιθανό θύμα». Η λήξη υπολογίζεται αυτόματα: τρεις μήνες μετά.
nrm-field-extended = Παράταση για ανήλικο
nrm-field-extended-hint = Για ανήλικο η περίοδος περίσκεψης μπορεί να παραταθεί κατά δύο μήνες.
nrm-field-residence-permit = Λήξη άδειας διαμονής
nrm-field-residence-permit-hint = Συμπληρώστε μόνο αν εκδόθηκε ή ανανεώθηκε άδεια διαμονής.
nrm-submit = Καταχώριση αλλαγής
nrm-final-status = Η κατάσταση στον ΕΜΑ είναι οριστική· δεν προβλέπεται άλλη αλλαγή.
nrm-error-status-missing = Επιλέξτε τη νέα κατάσταση.
nrm-error-transition = Η μετάβαση από «{ $from }» σε «{ $to }» δεν επιτρέπεται.
nrm-error-date-missing = Συμπληρώστε την ημερομηνία.
nrm-error-date-invalid = Η ημερομηνία δεν είναι έγκυρη.
nrm-error-date-future = Η ημερομηνία δεν μπορεί να είναι μεταγενέστερη της σημερινής.
nrm-error-date-before-last = Η ημερομηνία είναι προγενέστερη της τελευταίας καταχωρισμένης αλλαγής.
nrm-error-reference-too-long = Ο αριθμός αναφοράς ξεπερνά τους { $max } χαρακτήρες.
nrm-conflict-title = Το περιστατικό άλλαξε στο μεταξύ
nrm-conflict-text = Άλλος χρήστης άλλαξε το περιστατικό αφού ανοίξατε τη φόρμα, οπότε η αλλαγή σας δεν αποθηκεύτηκε. Η σελίδα δείχνει τώρα την τρέχουσα κατάσταση. Οι τιμές που είχατε συμπληρώσει είναι παρακάτω και στη φόρμα· ελέγξτε τις και υποβάλετε ξανά.
nrm-conflict-nothing-entered = (δεν συμπληρώθηκε τίποτα)
