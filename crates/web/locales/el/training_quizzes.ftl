# Τράπεζα ερωτήσεων, κουίζ, προσπάθειες και έκθεση μαθησιακού κέρδους.

training-quiz-back = Πίσω
training-quiz-save = Αποθήκευση
training-quiz-bank-title = Τράπεζα ερωτήσεων
training-quiz-bank-empty = Καμία ερώτηση δεν ταιριάζει σε αυτό το φίλτρο.
training-quiz-new-question = Προσθήκη ερώτησης
training-quiz-filter-tag = Ετικέτα
training-quiz-all-tags = Όλες οι ετικέτες
training-quiz-show-retired = Εμφάνιση αποσυρμένων ερωτήσεων
training-quiz-filter = Φιλτράρισμα
training-quiz-col-question = Ερώτηση
training-quiz-col-details = Είδος, ετικέτες και μονάδες
training-quiz-col-actions = Ενέργειες
training-quiz-retired = αποσυρμένη
training-quiz-retire = Απόσυρση
training-quiz-restore = Επαναφορά στην τράπεζα
training-quiz-points = Μονάδες: { $points }
training-quiz-points-of = Μονάδες: { $points } από { $max }

training-quiz-kind-single-choice = Μία σωστή επιλογή
training-quiz-kind-multiple-choice = Πολλαπλές επιλογές
training-quiz-kind-true-false = Σωστό ή λάθος
training-quiz-kind-short-text = Σύντομη απάντηση
training-quiz-kind-numeric = Αριθμός
training-quiz-kind-matching = Αντιστοίχιση
training-quiz-kind-ordering = Σειρά
training-quiz-kind-scenario = Σενάριο

training-quiz-lang-el = Ελληνικά
training-quiz-lang-en = Αγγλικά

training-quiz-question-title = Ερώτηση: { $kind }
training-quiz-question-intro = Γράψτε κάθε κείμενο στα ελληνικά και στα αγγλικά. Οι κωδικοί επιλογών και στοιχείων είναι σύντομοι, π.χ. a, b ή c· οι εκπαιδευόμενοι δεν τους βλέπουν.
training-quiz-section-question = Αναγνωριστικό και ετικέτες
training-quiz-section-answer = Σωστή απάντηση
training-quiz-section-answer-hint = Αφήστε κενές τις γραμμές που δεν χρειάζεστε.
training-quiz-section-feedback = Ανατροφοδότηση ανά αποτέλεσμα
training-quiz-section-sub = Μέρος { $n }
training-quiz-section-sub-hint = Επιλέξτε είδος για να χρησιμοποιήσετε αυτό το μέρος ή αφήστε το κενό.
training-quiz-section-sub-texts = Μέρος { $n }
training-quiz-field-slug = Αναγνωριστικό (σύντομο και μοναδικό)
training-quiz-field-tags = Ετικέτες, χωρισμένες με κόμμα
training-quiz-field-prompt = Ερώτηση ή περιγραφή περίπτωσης ({ $lang })
training-quiz-field-points = Μονάδες
training-quiz-field-option-id = Επιλογή { $n }: κωδικός
training-quiz-field-option-label = Επιλογή { $n }: κείμενο ({ $lang })
training-quiz-field-option-n = Επιλογή { $n }
training-quiz-field-correct = Σωστή απάντηση
training-quiz-field-scoring = Βαθμολόγηση
training-quiz-scoring-all-or-nothing = Όλα ή τίποτα
training-quiz-scoring-partial = Μερική βαθμολογία
training-quiz-field-accepted = Αποδεκτές απαντήσεις, μία ανά γραμμή
training-quiz-field-value = Σωστός αριθμός
training-quiz-field-tolerance = Ανοχή (συν ή πλην)
training-quiz-field-left-id = Αριστερό στοιχείο { $n }: κωδικός
training-quiz-field-left-label = Αριστερό στοιχείο { $n }: κείμενο ({ $lang })
training-quiz-field-right-id = Αντιστοιχία του αριστερού στοιχείου { $n }: κωδικός
training-quiz-field-right-label = Αντιστοιχία του αριστερού στοιχείου { $n }: κείμενο ({ $lang })
training-quiz-field-distractor-id = Επιπλέον δεξί στοιχείο { $n }: κωδικός
training-quiz-field-distractor-label = Επιπλέον δεξί στοιχείο { $n }: κείμενο ({ $lang })
training-quiz-field-item-id = Στοιχείο { $n } στη σωστή σειρά: κωδικός
training-quiz-field-item-label = Στοιχείο { $n } στη σωστή σειρά: κείμενο ({ $lang })
training-quiz-field-feedback = Ανατροφοδότηση όταν η απάντηση είναι { $outcome } ({ $lang })
training-quiz-field-sub-kind = Είδος αυτού του μέρους
training-quiz-field-sub-id = Κωδικός αυτού του μέρους
training-quiz-true = Σωστό
training-quiz-false = Λάθος

training-quiz-outcome-correct = σωστή
training-quiz-outcome-partially-correct = εν μέρει σωστή
training-quiz-outcome-incorrect = λανθασμένη
training-quiz-outcome-unanswered = χωρίς απάντηση

training-quiz-error-slug = Συμπληρώστε αναγνωριστικό.
training-quiz-error-slug-taken = Το αναγνωριστικό χρησιμοποιείται ήδη σε αυτό το μάθημα.
training-quiz-error-prompt = Γράψτε την ερώτηση στα ελληνικά και στα αγγλικά.
training-quiz-error-points = Γράψτε τις μονάδες ως αριθμό μεγαλύτερο από το μηδέν.
training-quiz-error-correct = Επιλέξτε τη σωστή απάντηση.
training-quiz-error-number = Γράψτε τον αριθμό και την ανοχή ως αριθμούς.
training-quiz-error-pairs = Δώστε σε κάθε αριστερό στοιχείο την αντιστοιχία του.
training-quiz-error-definition = Η σωστή απάντηση δεν είναι πλήρης: ελέγξτε ότι υπάρχουν αρκετές επιλογές ή στοιχεία, ότι οι κωδικοί δεν επαναλαμβάνονται και ότι η σωστή απάντηση είναι ανάμεσά τους.

training-quiz-editor-title = Κουίζ και τεστ
training-quiz-list-title = Τα κουίζ αυτού του μαθήματος
training-quiz-section-quiz = Κουίζ
training-quiz-section-draws = Ερωτήσεις από την τράπεζα
training-quiz-section-draws-hint = Κάθε γραμμή επιλέγει τυχαία τον αριθμό ερωτήσεων με μία ετικέτα. Καμία ερώτηση δεν επιλέγεται δύο φορές.
training-quiz-field-purpose = Σκοπός
training-quiz-purpose-pre-test = Αρχικό τεστ
training-quiz-purpose-post-test = Τελικό τεστ
training-quiz-purpose-module = Κουίζ ενότητας
training-quiz-field-title = Τίτλος ({ $lang })
training-quiz-field-pass-mark = Βάση επιτυχίας (ποσοστό)
training-quiz-field-time-limit = Χρονικό όριο σε λεπτά (κενό για κανένα)
training-quiz-field-max-attempts = Επιτρεπόμενες προσπάθειες (κενό για χωρίς όριο)
training-quiz-field-late-rule = Υποβολή μετά το χρονικό όριο
training-quiz-late-score-zero = μετρά ως προσπάθεια και βαθμολογείται με μηδέν
training-quiz-late-accept = βαθμολογείται κανονικά και σημειώνεται ως εκπρόθεσμη
training-quiz-field-required = Η επιτυχία σε αυτό χρειάζεται για την ολοκλήρωση του μαθήματος
training-quiz-field-draw-tag = Γραμμή { $n }: ετικέτα
training-quiz-field-draw-count = Γραμμή { $n }: αριθμός ερωτήσεων
training-quiz-error-purpose = Επιλέξτε τον σκοπό του κουίζ.
training-quiz-error-title = Συμπληρώστε αναγνωριστικό και τίτλο στα ελληνικά και στα αγγλικά.
training-quiz-error-pass-mark = Γράψτε τη βάση ως ακέραιο από 0 έως 100.
training-quiz-error-limits = Γράψτε το χρονικό όριο και τις προσπάθειες ως ακέραιους μεγαλύτερους από το μηδέν ή αφήστε τα κενά.
training-quiz-error-draws = Προσθέστε τουλάχιστον μία γραμμή με ετικέτα και αριθμό ερωτήσεων μεγαλύτερο από το μηδέν.
training-quiz-error-shortage = Η ετικέτα «{ $tag }» έχει { $available } ενεργές ερωτήσεις στην τράπεζα, αλλά το κουίζ ζητά { $wanted }.
training-quiz-error-overlap = Κάθε ετικέτα έχει αρκετές ερωτήσεις από μόνη της, αλλά κάποιες ερωτήσεις έχουν περισσότερες από μία ετικέτες: χρειάζονται { $wanted } διαφορετικές ερωτήσεις και η τράπεζα καλύπτει μόνο { $available }.

training-quiz-rules-title = Κανόνες
training-quiz-rule-questions = { $count ->
    [one] Μία ερώτηση.
   *[other] { $count } ερωτήσεις.
}
training-quiz-rule-pass-mark = Βάση επιτυχίας: { $percent } %.
training-quiz-rule-time-limit = Χρονικό όριο: { $minutes } λεπτά από την έναρξη.
training-quiz-rule-no-time-limit = Χωρίς χρονικό όριο.
training-quiz-rule-attempts-left = { $count ->
    [one] Απομένει μία προσπάθεια.
   *[other] Απομένουν { $count } προσπάθειες.
}
training-quiz-rule-no-attempts-limit = Χωρίς όριο προσπαθειών.
training-quiz-rule-late-score-zero = Υποβολή περισσότερο από ένα λεπτό μετά το χρονικό όριο μετρά ως προσπάθεια και βαθμολογείται με μηδέν.
training-quiz-rule-late-accept = Υποβολή μετά το χρονικό όριο βαθμολογείται κανονικά και σημειώνεται ως εκπρόθεσμη.
training-quiz-start = Έναρξη
training-quiz-resume = Συνέχεια της προσπάθειας που ξεκινήσατε
training-quiz-no-attempts-left = Έχετε χρησιμοποιήσει όλες τις προσπάθειες που επιτρέπει αυτό το κουίζ.
training-quiz-attempts-title = Οι προσπάθειές σας
training-quiz-attempt-n = Προσπάθεια { $n }
training-quiz-deadline = Υποβάλετε έως τις { $time }.
training-quiz-question-n = Ερώτηση { $n } (μονάδες: { $points })
training-quiz-choose-one = Επιλέξτε μία απάντηση
training-quiz-choose-many = Επιλέξτε όλες τις απαντήσεις που ισχύουν
training-quiz-your-answer = Η απάντησή σας
training-quiz-your-number = Η απάντησή σας (αριθμός)
training-quiz-match-with = Αντιστοιχίστε το «{ $item }» με
training-quiz-position-of = Θέση του «{ $item }» (το 1 είναι πρώτο)
training-quiz-part = Μέρος
training-quiz-submit = Υποβολή απαντήσεων
training-quiz-answer-malformed = Η απάντηση δεν είναι μία από τις επιλογές. Επιλέξτε ξανά.
training-quiz-answer-not-a-number = Γράψτε αριθμό, για παράδειγμα 12 ή 2,5.
training-quiz-answer-order = Δώστε σε κάθε στοιχείο διαφορετική θέση, από το 1 έως τον αριθμό των στοιχείων.
training-quiz-error-answers = Κάποιες απαντήσεις χρειάζονται διόρθωση. Δεν υποβλήθηκε τίποτα ακόμη· οι υπόλοιπες απαντήσεις σας διατηρούνται παρακάτω.
training-quiz-error-unknown-question = Η φόρμα έστειλε απάντηση σε ερώτηση που δεν ανήκει σε αυτή την προσπάθεια ({ $id }). Δεν υποβλήθηκε τίποτα· υποβάλετε τη φόρμα που εμφανίζεται εδώ.
training-quiz-error-already-submitted = Η προσπάθεια αυτή έχει ήδη υποβληθεί. Μετρά η πρώτη υποβολή, που εμφανίζεται παρακάτω.

training-quiz-score = Βαθμολογία: { $points } από { $max }
training-quiz-passed = Επιτυχία
training-quiz-failed = Χωρίς επιτυχία
training-quiz-in-grace = Υποβλήθηκε λίγο μετά το χρονικό όριο, μέσα στο περιθώριο του ενός λεπτού: βαθμολογείται κανονικά.
training-quiz-late-scored-zero = Υποβλήθηκε μετά το χρονικό όριο: η προσπάθεια μετρά και βαθμολογείται με μηδέν. Οι απαντήσεις σας και η βαθμολογία τους φαίνονται παρακάτω.
training-quiz-late-accepted = Υποβλήθηκε μετά το χρονικό όριο: βαθμολογείται κανονικά και σημειώνεται ως εκπρόθεσμη.
training-quiz-no-answer = χωρίς απάντηση
training-quiz-back-to-quiz = Επιστροφή στο κουίζ

training-feedback-correct = Σωστά.
training-feedback-partially-correct = Εν μέρει σωστά.
training-feedback-incorrect = Δεν είναι σωστό.
training-feedback-unanswered = Δεν απαντήσατε σε αυτή την ερώτηση.

training-quiz-gain-title = Μαθησιακό κέρδος
training-quiz-gain-page-title = Μαθησιακό κέρδος: { $course }
training-quiz-gain-intro = Το κανονικοποιημένο κέρδος είναι (τελικό − αρχικό) / (100 − αρχικό): το μέρος του περιθωρίου βελτίωσης που κάλυψε η εκπαίδευση. Για τις ομάδες προηγείται το κέρδος των μέσων όρων· δίπλα φαίνεται ο μέσος όρος των ατομικών κερδών.
training-quiz-gain-which-tests = Για κάθε εκπαιδευόμενο συγκρίνεται το πρώτο αρχικό τεστ που υπέβαλε με το τελευταίο τελικό τεστ. Όσοι έχουν μόνο το ένα από τα δύο εμφανίζονται στη λίστα αλλά δεν μετρούν στα στοιχεία των ομάδων.
training-quiz-gain-csv = Λήψη σε CSV
training-quiz-gain-trainees = Εκπαιδευόμενοι
training-quiz-gain-groups = Μάθημα και τομείς
training-quiz-gain-sessions = Εκπαιδευτικές συναντήσεις με παρουσία
training-quiz-gain-whole-course = Όλο το μάθημα
training-quiz-gain-at-ceiling = αρχικό τεστ 100
training-quiz-gain-col-trainee = Εκπαιδευόμενος
training-quiz-gain-col-sector = Τομέας
training-quiz-gain-col-pre = Αρχικό τεστ %
training-quiz-gain-col-post = Τελικό τεστ %
training-quiz-gain-col-gain = Κέρδος
training-quiz-gain-col-group = Ομάδα
training-quiz-gain-col-members = Εκπαιδευόμενοι
training-quiz-gain-col-both = Με τα δύο τεστ
training-quiz-gain-col-ceiling = Αρχικό τεστ 100
training-quiz-gain-col-mean-pre = Μέσο αρχικό τεστ %
training-quiz-gain-col-mean-post = Μέσο τελικό τεστ %
training-quiz-gain-col-gain-of-means = Κέρδος των μέσων όρων
training-quiz-gain-col-mean-of-gains = Μέσος όρος κερδών

training-quiz-sector-airport = Αεροδρόμια
training-quiz-sector-public-transport = Δημόσιες συγκοινωνίες
training-quiz-sector-tourism = Τουρισμός
training-quiz-sector-labour-inspection = Επιθεώρηση Εργασίας
training-quiz-sector-school = Σχολική κοινότητα
training-quiz-sector-reception-identification = Υπηρεσία Υποδοχής και Ταυτοποίησης
training-quiz-sector-ngo = Μη κυβερνητικές οργανώσεις
training-quiz-sector-other = Άλλο
training-quiz-sector-unknown = Δεν έχει καταγραφεί
