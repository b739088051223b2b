# Παρακολούθηση μετά το κλείσιμο, σφραγισμένα περιστατικά και πρόσβαση έκτακτης ανάγκης.

## Επαφές παρακολούθησης

followup-link = Παρακολούθηση μετά το κλείσιμο
followup-title = Παρακολούθηση μετά το κλείσιμο
followup-intro = Επαφές με το άτομο μετά το κλείσιμο του περιστατικού. Για κάθε επαφή καταγράφονται η ημερομηνία, αν επιτεύχθηκε επικοινωνία, τα μακροπρόθεσμα αποτελέσματα και μια σημείωση.
followup-none = Δεν έχουν προγραμματιστεί επαφές παρακολούθησης για αυτό το περιστατικό.
followup-caption = Επαφές παρακολούθησης, με χρονική σειρά
followup-col-due = Προγραμματισμένη για
followup-col-months = Μήνες μετά το κλείσιμο
followup-col-status = Κατάσταση
followup-col-result = Αποτέλεσμα
followup-due-badge = Εκκρεμεί
followup-record-link = Καταγραφή της επαφής
followup-status-scheduled = Προγραμματισμένη
followup-status-recorded = Καταγεγραμμένη
followup-status-cancelled = Ακυρώθηκε (το περιστατικό άνοιξε ξανά)
followup-record-title = Καταγραφή επαφής παρακολούθησης
followup-record-intro = Επαφή προγραμματισμένη για { $date }, { $months } μήνες μετά το κλείσιμο.
followup-contacted-on = Ημερομηνία επαφής
followup-contacted-on-hint = Η ημέρα που επικοινωνήσατε ή προσπαθήσατε να επικοινωνήσετε με το άτομο. Όχι μελλοντική και όχι πριν από το κλείσιμο.
followup-contact-made = Επιτεύχθηκε επικοινωνία;
followup-contact-made-yes = Ναι, επιτεύχθηκε επικοινωνία
followup-contact-made-no = Όχι, δεν επιτεύχθηκε επικοινωνία
followup-outcomes = Μακροπρόθεσμα αποτελέσματα
followup-outcome-safe-accommodation = Ασφαλής στέγαση
followup-outcome-employed = Εργάζεται
followup-outcome-education-or-training = Σε εκπαίδευση ή κατάρτιση
followup-outcome-services-elsewhere = Λαμβάνει υπηρεσίες από άλλον φορέα
followup-outcome-legal-proceedings-ongoing = Εκκρεμεί δικαστική διαδικασία
followup-outcome-voluntary-return = Εθελοντική επιστροφή στη χώρα καταγωγής
followup-outcome-re-trafficked = Επαναθυματοποίηση
followup-outcome-lost-contact = Χάθηκε η επικοινωνία
followup-outcome-other = Άλλο αποτέλεσμα
followup-note = Σημείωση
followup-note-hint = Φυλάσσεται κρυπτογραφημένη. Γράψτε μόνο ό,τι χρειάζεται για την παρακολούθηση.
followup-save = Αποθήκευση της επαφής
followup-recorded-by = Καταγραφή από
followup-error-before-closure = Η επαφή δεν μπορεί να είναι πριν από το κλείσιμο στις { $date }.
followup-error-outcome = Επιλέξτε αποτελέσματα από τη λίστα.
followup-months = Επαφές παρακολούθησης (μήνες μετά το κλείσιμο)
followup-months-hint = Ακέραιοι μήνες χωρισμένοι με κόμμα, για παράδειγμα 3, 6, 12. Αφήστε το κενό αν δεν χρειάζεται παρακολούθηση.
followup-months-error = Γράψτε ακέραιους μήνες από 1 έως { $max }, χωρισμένους με κόμμα, το πολύ 8.
followup-reopen-note = Με το άνοιγμα ακυρώνονται οι επαφές παρακολούθησης που δεν έγιναν· όσες καταγράφηκαν διατηρούνται.

## Σφραγισμένα περιστατικά

seal-link = Σφράγιση ή άρση σφράγισης
seal-banner-title = Σφραγισμένο περιστατικό.
seal-title = Σφράγιση περιστατικού
seal-state-sealed = Το περιστατικό είναι σφραγισμένο. Εμφανίζεται σε λίστες και αναζητήσεις μόνο στο προσωπικό που του έχει ανατεθεί.
seal-state-open = Το περιστατικό δεν είναι σφραγισμένο.
seal-explain = Ένα σφραγισμένο περιστατικό δεν εμφανίζεται σε λίστες, αναζητήσεις και στον έλεγχο διπλοεγγραφής για όσους δεν του έχουν ανατεθεί, ούτε για τους συντονιστές. Όποιος άλλος το ανοίξει πρέπει να δηλώσει λόγο και ενημερώνονται οι συντονιστές.
seal-reason = Λόγος
seal-reason-hint = Υποχρεωτικό. Φυλάσσεται κρυπτογραφημένος στο ιστορικό σφράγισης.
seal-seal-button = Σφράγιση του περιστατικού
seal-unseal-button = Άρση της σφράγισης
seal-error-unchanged = Κάποιος άλλος άλλαξε στο μεταξύ τη σφράγιση. Ελέγξτε την τρέχουσα κατάσταση και υποβάλετε ξανά αν χρειάζεται.
seal-history-title = Ιστορικό σφράγισης
seal-history-when = Ημερομηνία
seal-history-change = Αλλαγή
seal-history-sealed = Σφράγιση
seal-history-unsealed = Άρση σφράγισης
seal-history-by = Από

## Πρόσβαση έκτακτης ανάγκης

break-glass-title = Περιστατικό εκτός της πρόσβασής σας
break-glass-why-unassigned = Το περιστατικό ανήκει στον οργανισμό σας, αλλά δεν σας έχει ανατεθεί.
break-glass-why-sealed = Το περιστατικό είναι σφραγισμένο: το ανοίγει μόνο το προσωπικό που του έχει ανατεθεί.
break-glass-explain = Αν το χρειάζεστε τώρα, για παράδειγμα για την προστασία του ατόμου, γράψτε τον λόγο. Θα έχετε πρόσβαση για { $minutes } λεπτά, η πρόσβαση καταγράφεται στο αρχείο καταγραφής ενεργειών και ενημερώνονται οι συντονιστές του οργανισμού σας.
break-glass-reason = Γιατί χρειάζεστε πρόσβαση;
break-glass-reason-hint = Τουλάχιστον { $min } χαρακτήρες. Φυλάσσεται κρυπτογραφημένος.
break-glass-button = Άνοιγμα του περιστατικού
break-glass-cancel = Επιστροφή στη λίστα περιστατικών
break-glass-error-short = Γράψτε τον λόγο με τουλάχιστον { $min } χαρακτήρες.

## Αρχική σελίδα

home-notifications-title = Ειδοποιήσεις
home-notification-break-glass = Ο χρήστης { $user } άνοιξε το περιστατικό { $code } με πρόσβαση έκτακτης ανάγκης.
home-notification-open-case = Άνοιγμα του περιστατικού
home-notification-acknowledge = Σήμανση ως αναγνωσμένης
home-followups-title = Επαφές παρακολούθησης σε εκκρεμότητα
home-followups-none = Δεν εκκρεμούν επαφές παρακολούθησης στα περιστατικά σας.
home-followups-caption = Επαφές παρακολούθησης μέσα στις επόμενες δύο εβδομάδες ή εκπρόθεσμες
home-followups-col-due = Προγραμματισμένη για
home-followups-overdue = Εκπρόθεσμη
home-followups-open = Άνοιγμα της παρακολούθησης
