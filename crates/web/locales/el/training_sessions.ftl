# Εκπαιδευτικές συναντήσεις: λίστα του εκπαιδευόμενου, διαχείριση από τους
# εκπαιδευτές, παρουσιολόγιο. Αξιολογήσεις: ερωτηματολόγιο και δείκτες.

## Λίστα του εκπαιδευόμενου
tsession-list-title = Εκπαιδευτικές συναντήσεις
tsession-list-intro = Οι προσεχείς συναντήσεις. Όταν μια συνάντηση είναι πλήρης, μπαίνετε σε λίστα αναμονής και παίρνετε θέση μόλις κάποιος ακυρώσει.
tsession-list-empty = Δεν υπάρχουν προγραμματισμένες συναντήσεις.
tsession-standing-registered = Έχετε θέση
tsession-standing-waiting = Λίστα αναμονής, θέση { $position }
tsession-register = Εγγραφή
tsession-join-waiting = Εγγραφή στη λίστα αναμονής
tsession-unregister = Ακύρωση εγγραφής
tsession-unregister-title = Ακύρωση εγγραφής
tsession-unregister-text = Να ακυρωθεί η εγγραφή σας στη συνάντηση «{ $session }» ({ $when }); Η θέση σας θα δοθεί στον πρώτο της λίστας αναμονής.
tsession-places-left = { $left } ελεύθερες θέσεις από { $capacity }
tsession-places-taken = { $registered } εγγεγραμμένοι από { $capacity }
tsession-waiting-count = { $count } σε αναμονή

## Αποτελέσματα ενεργειών
tsession-done-registered = Η εγγραφή σας έγινε. Έχετε θέση στη συνάντηση.
tsession-done-waiting = Η συνάντηση είναι πλήρης. Μπήκατε στη λίστα αναμονής.
tsession-done-cancelled = Η εγγραφή σας ακυρώθηκε.
tsession-done-created = Η συνάντηση προγραμματίστηκε.
tsession-done-updated = Οι αλλαγές αποθηκεύτηκαν.
tsession-done-session-cancelled = Η συνάντηση ακυρώθηκε.
tsession-done-attendance = Η παρουσία καταγράφηκε.
tsession-error-already = Είστε ήδη εγγεγραμμένοι ή σε αναμονή για αυτή τη συνάντηση.
tsession-error-over = Η συνάντηση έχει ήδη ολοκληρωθεί.
tsession-error-cancelled = Η συνάντηση έχει ακυρωθεί.
tsession-error-not-registered = Δεν υπάρχει εγγραφή με θέση σε αυτή τη συνάντηση.

## Πεδία
tsession-field-title = Τίτλος
tsession-field-title-el = Τίτλος στα ελληνικά
tsession-field-title-en = Τίτλος στα αγγλικά
tsession-field-title-hint = Αν μείνει κενό, χρησιμοποιείται ο τίτλος του μαθήματος.
tsession-field-course = Μάθημα
tsession-no-course = Χωρίς μάθημα
tsession-field-when = Ημερομηνία και ώρα
tsession-field-mode = Τρόπος διεξαγωγής
tsession-mode-in-person = Δια ζώσης
tsession-mode-online = Διαδικτυακά
tsession-field-venue = Τόπος
tsession-field-place = Διεύθυνση
tsession-field-place-hint = Για συναντήσεις δια ζώσης: αίθουσα και διεύθυνση.
tsession-field-link = Σύνδεσμος
tsession-field-link-hint = Για διαδικτυακές συναντήσεις: σύνδεσμος που αρχίζει με https://.
tsession-field-starts-at = Έναρξη
tsession-field-ends-at = Λήξη
tsession-field-time-hint = Ώρα Ελλάδας.
tsession-field-region = Περιφέρεια
tsession-choose = Επιλέξτε
tsession-field-sector = Τομέας
tsession-any-sector = Όλοι οι τομείς
tsession-field-capacity = Θέσεις
tsession-field-capacity-hint = Από 1 έως { $max }.
tsession-field-trainers = Εκπαιδευτές
tsession-field-places = Θέσεις
tsession-field-status = Κατάσταση
tsession-status-scheduled = Προγραμματισμένη
tsession-status-cancelled = Ακυρωμένη

## Σφάλματα της φόρμας
tsession-error-course = Επιλέξτε ένα μάθημα από τη λίστα.
tsession-error-title = Συμπληρώστε τίτλο έως 300 χαρακτήρες.
tsession-error-link = Συμπληρώστε σύνδεσμο που αρχίζει με https://.
tsession-error-place = Συμπληρώστε τη διεύθυνση, έως 300 χαρακτήρες.
tsession-error-mode = Επιλέξτε αν η συνάντηση γίνεται δια ζώσης ή διαδικτυακά.
tsession-error-time = Συμπληρώστε ημερομηνία και ώρα.
tsession-error-end-before-start = Η λήξη πρέπει να είναι μετά την έναρξη.
tsession-error-region = Επιλέξτε περιφέρεια.
tsession-error-sector = Επιλέξτε τομέα από τη λίστα.
tsession-error-capacity = Οι θέσεις είναι ακέραιος αριθμός από 1 έως { $max }.
tsession-error-capacity-below = Οι θέσεις δεν μπορούν να γίνουν λιγότερες από τους ήδη εγγεγραμμένους.
tsession-error-trainers = Επιλέξτε τουλάχιστον έναν εκπαιδευτή από τη λίστα.

## Διαχείριση
tsession-manage-title = Διαχείριση συναντήσεων
tsession-manage-caption = Όλες οι συναντήσεις, οι νεότερες πρώτα
tsession-manage-empty = Δεν υπάρχουν ακόμη συναντήσεις.
tsession-new-title = Νέα συνάντηση
tsession-create = Προγραμματισμός συνάντησης
tsession-edit-title = Επεξεργασία συνάντησης
tsession-save = Αποθήκευση αλλαγών
tsession-back-to-list = Πίσω στις συναντήσεις
tsession-cancel = Ακύρωση συνάντησης
tsession-cancel-title = Ακύρωση συνάντησης
tsession-cancel-text = Να ακυρωθεί η συνάντηση «{ $session }» ({ $when }); Εγγεγραμμένοι: { $registered }. Οι εγγραφές διατηρούνται ώστε να ενημερωθούν οι εκπαιδευόμενοι.
tsession-sign-in-sheet = Παρουσιολόγιο (PDF)
tsession-roster-title = Εγγεγραμμένοι και λίστα αναμονής
tsession-roster-empty = Δεν υπάρχουν ακόμη εγγραφές.
tsession-col-name = Ονοματεπώνυμο
tsession-col-organisation = Φορέας ή εργοδότης
tsession-col-attendance = Παρουσία
tsession-attended-at = Παρών/παρούσα, { $time }
tsession-not-attended = Δεν έχει σημειωθεί ακόμη παρουσία ή απουσία.
tsession-marked-absent = Σημειώθηκε απουσία.
tsession-mark-present = Παρών/παρούσα
tsession-mark-absent = Απών/απούσα
tsession-mark-present-for = Καταγραφή παρουσίας: { $name }
tsession-mark-absent-for = Καταγραφή απουσίας: { $name }
tsession-link-evaluations = Αξιολογήσεις

## Παρουσιολόγιο (PDF, τυπώνεται σε ελληνικά και αγγλικά)
tsession-sheet-heading = Παρουσιολόγιο
tsession-sheet-date = Ημερομηνία
tsession-sheet-venue = Τόπος
tsession-sheet-trainers = Εκπαιδευτές
tsession-sheet-course = Μάθημα
tsession-sheet-col-number = Α/Α
tsession-sheet-col-name = Ονοματεπώνυμο
tsession-sheet-col-organisation = Φορέας
tsession-sheet-col-sector = Τομέας
tsession-sheet-col-signature = Υπογραφή

## Αρχική σελίδα εκπαίδευσης
tsession-home-sessions-title = Οι συναντήσεις μου
tsession-home-sessions-none = Δεν έχετε εγγραφεί σε προσεχείς συναντήσεις.
tsession-home-line-registered = { $session }, { $when }: έχετε θέση
tsession-home-line-waiting = { $session }, { $when }: σε λίστα αναμονής
tsession-home-evaluations-title = Αξιολογήσεις που περιμένουν απάντηση
tsession-home-evaluation-end = Αξιολόγηση του μαθήματος «{ $course }»
tsession-home-evaluation-follow-up = Τρεις μήνες μετά: «{ $course }»

## Ερωτηματολόγιο αξιολόγησης
evaluation-title-end = Αξιολόγηση μαθήματος
evaluation-intro-end = Πείτε μας πόσο χρήσιμο ήταν το μάθημα για την εργασία σας. Οι απαντήσεις δίνονται μία φορά.
evaluation-title-follow-up = Τρεις μήνες μετά το μάθημα
evaluation-intro-follow-up = Πείτε μας αν χρησιμοποιείτε ακόμη στην εργασία σας όσα μάθατε. Οι απαντήσεις δίνονται μία φορά.
evaluation-question-usefulness = Η εκπαίδευση είναι χρήσιμη για την εργασία μου.
evaluation-question-quality = Η ποιότητα της εκπαίδευσης ήταν καλή.
evaluation-question-still-using = Χρησιμοποιώ ακόμη στην εργασία μου όσα έμαθα.
evaluation-question-comment = Σχόλια
evaluation-comment-hint = Έως { $max } χαρακτήρες. Μη γράφετε στοιχεία για πρόσωπα ή υποθέσεις.
evaluation-scale-1 = Διαφωνώ απόλυτα
evaluation-scale-2 = Διαφωνώ
evaluation-scale-3 = Ούτε συμφωνώ ούτε διαφωνώ
evaluation-scale-4 = Συμφωνώ
evaluation-scale-5 = Συμφωνώ απόλυτα
evaluation-submit = Υποβολή απαντήσεων
evaluation-error-required = Επιλέξτε μία απάντηση από το 1 έως το 5.
evaluation-error-scale = Η απάντηση πρέπει να είναι ακέραιος αριθμός από το 1 έως το 5.
evaluation-error-comment-too-long = Τα σχόλια ξεπερνούν τους { $max } χαρακτήρες.
evaluation-closed-title = Η αξιολόγηση δεν είναι ανοιχτή
evaluation-already-answered = Έχετε ήδη απαντήσει σε αυτή την αξιολόγηση. Σας ευχαριστούμε.
evaluation-not-due = Αυτή η αξιολόγηση δεν έχει ανοίξει ακόμη.
evaluation-back-to-training = Πίσω στην εκπαίδευση

## Δείκτες αξιολόγησης
evaluations-title = Αξιολογήσεις και δείκτες αποτελέσματος
evaluations-intro = Οι δύο δείκτες αποτελέσματος του AMIF, ανά μάθημα και συνολικά, με τους αριθμούς πίσω από κάθε ποσοστό.
evaluations-indicator-useful = Βρήκαν την εκπαίδευση χρήσιμη για την εργασία τους
evaluations-indicator-useful-explained = Εκπαιδευόμενοι που απάντησαν 4 ή 5 στην ερώτηση χρησιμότητας, από όσους απάντησαν σε αυτήν.
evaluations-indicator-still-using = Χρησιμοποιούν ακόμη τις δεξιότητες μετά από τρεις μήνες
evaluations-indicator-still-using-explained = Εκπαιδευόμενοι που απάντησαν 4 ή 5 στο ερωτηματολόγιο παρακολούθησης τουλάχιστον τρεις μήνες μετά την ολοκλήρωση, από όσους απάντησαν εγκαίρως.
evaluations-caption = Δείκτες ανά μάθημα
evaluations-col-course = Μάθημα
evaluations-col-blank = Κενές απαντήσεις χρησιμότητας
evaluations-col-quality = Μέση βαθμολογία ποιότητας (1–5)
evaluations-col-invited = Προσκλήσεις παρακολούθησης
evaluations-col-too-early = Πρόωρες απαντήσεις
evaluations-share = { $count } από { $of }
evaluations-empty = Δεν υπάρχουν ακόμη απαντημένες αξιολογήσεις.
evaluations-all-courses = Όλα τα μαθήματα
