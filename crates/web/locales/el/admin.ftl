# Διαχείριση: χρήστες, οργανισμοί, ενεργές συνεδρίες.

users-title = Χρήστες
users-intro = Οι λογαριασμοί όλων των οργανισμών. Οι αλλαγές καταγράφονται στο αρχείο καταγραφής ενεργειών.
users-caption = Λογαριασμοί χρηστών
users-create-link = Νέος χρήστης
users-col-username = Όνομα χρήστη
users-col-name = Ονοματεπώνυμο
users-col-role = Ρόλος
users-col-organisation = Οργανισμός
users-col-status = Κατάσταση
users-col-must-change = Εκκρεμεί αλλαγή κωδικού
users-col-totp = Δύο παράγοντες
users-col-last-login = Τελευταία σύνδεση
users-empty = Δεν υπάρχουν χρήστες.

user-status-active = Ενεργός
user-status-disabled = Απενεργοποιημένος
user-status-locked = Κλειδωμένος

user-action-disable = Απενεργοποίηση
user-action-enable = Ενεργοποίηση
user-action-unlock = Ξεκλείδωμα
user-action-reset-password = Επαναφορά κωδικού

user-confirm-disable-title = Απενεργοποίηση λογαριασμού
user-confirm-disable = Να απενεργοποιηθεί ο λογαριασμός «{ $username }»; Ο χρήστης θα αποσυνδεθεί από όλες τις συσκευές και δεν θα μπορεί να συνδεθεί μέχρι να ενεργοποιηθεί ξανά ο λογαριασμός.
user-confirm-enable-title = Ενεργοποίηση λογαριασμού
user-confirm-enable = Να ενεργοποιηθεί ξανά ο λογαριασμός «{ $username }»;
user-confirm-unlock-title = Ξεκλείδωμα λογαριασμού
user-confirm-unlock = Να ξεκλειδωθεί ο λογαριασμός «{ $username }» πριν λήξει το κλείδωμα;
user-confirm-reset-title = Επαναφορά κωδικού πρόσβασης
user-confirm-reset = Να οριστεί νέος προσωρινός κωδικός για τον λογαριασμό «{ $username }»; Ο χρήστης θα αποσυνδεθεί από όλες τις συσκευές και θα πρέπει να ορίσει δικό του κωδικό στην επόμενη σύνδεση.

user-disabled = Ο λογαριασμός «{ $username }» απενεργοποιήθηκε.
user-enabled = Ο λογαριασμός «{ $username }» ενεργοποιήθηκε.
user-unlocked = Ο λογαριασμός «{ $username }» ξεκλειδώθηκε.
user-temporary-password = Προσωρινός κωδικός για τον λογαριασμό «{ $username }»: { $password } — Δώστε τον στον χρήστη με ασφαλή τρόπο. Θα του ζητηθεί να τον αλλάξει στην πρώτη σύνδεση.
user-created = Ο λογαριασμός «{ $username }» δημιουργήθηκε.

user-form-title = Νέος χρήστης
user-form-intro = Ο νέος χρήστης παίρνει προσωρινό κωδικό πρόσβασης, που θα εμφανιστεί μία φορά μετά τη δημιουργία.
user-form-username = Όνομα χρήστη
user-form-username-hint = 3 έως 64 χαρακτήρες: πεζά λατινικά γράμματα, ψηφία, τελεία, κάτω παύλα ή παύλα. Πρέπει να αρχίζει με γράμμα.
user-form-display-name = Ονοματεπώνυμο
user-form-email = Διεύθυνση ηλεκτρονικού ταχυδρομείου
user-form-role = Ρόλος
user-form-organisation = Οργανισμός
user-form-submit = Δημιουργία χρήστη

organisations-title = Οργανισμοί
organisations-intro = Οι οργανισμοί που χρησιμοποιούν αυτή την εγκατάσταση του Procap. Κάθε χρήστης ανήκει σε έναν οργανισμό.
organisations-caption = Οργανισμοί
organisations-col-name = Επωνυμία
organisations-col-kind = Είδος
organisations-col-prefix = Πρόθεμα κωδικών περιστατικών
organisations-col-created = Δημιουργήθηκε
organisations-empty = Δεν υπάρχουν οργανισμοί.
organisations-create-heading = Νέος οργανισμός
organisations-form-name = Επωνυμία
organisations-form-kind = Είδος
organisations-form-prefix = Πρόθεμα κωδικών περιστατικών
organisations-form-prefix-hint = 2 έως 6 κεφαλαία λατινικά γράμματα, π.χ. ATH. Οι κωδικοί των περιστατικών του οργανισμού θα αρχίζουν με αυτά.
organisations-form-submit = Δημιουργία οργανισμού
organisation-created = Ο οργανισμός «{ $name }» δημιουργήθηκε.

organisation-kind-ngo = Μη κυβερνητική οργάνωση (ΜΚΟ)
organisation-kind-national-centre = Εθνικό κέντρο ή δημόσιος φορέας
organisation-kind-training-organisation = Φορέας εκπαίδευσης και κατάρτισης
organisation-kind-other = Άλλο

sessions-title = Ενεργές συνεδρίες
sessions-intro = Οι χρήστες που είναι συνδεδεμένοι αυτή τη στιγμή. Με τον τερματισμό μιας συνεδρίας ο χρήστης αποσυνδέεται αμέσως από τη συγκεκριμένη συσκευή.
sessions-caption = Ενεργές συνεδρίες χρηστών
sessions-col-user = Χρήστης
sessions-col-started = Έναρξη
sessions-col-last-seen = Τελευταία δραστηριότητα
sessions-col-ip = Διεύθυνση IP
sessions-end = Τερματισμός συνεδρίας
sessions-current = Η δική σας συνεδρία
sessions-empty = Δεν υπάρχουν ενεργές συνεδρίες.
sessions-ended = Η συνεδρία τερματίστηκε.

user-action-change-role = Αλλαγή ρόλου
user-role-title = Ρόλος και οργανισμός χρήστη
user-role-intro = Η αλλαγή τερματίζει όλες τις συνδέσεις του χρήστη. Στην επόμενη σύνδεση ισχύουν τα νέα δικαιώματα· αν ο νέος ρόλος έχει πρόσβαση σε υποθέσεις, ζητείται και δεύτερος παράγοντας.
user-role-submit = Αποθήκευση αλλαγής
user-role-changed = Ο ρόλος του χρήστη { $username } άλλαξε. Οι συνδέσεις του τερματίστηκαν.
user-role-unchanged = Δεν άλλαξε τίποτα για τον χρήστη { $username }.
user-role-self = Δεν μπορείτε να αλλάξετε τον δικό σας ρόλο. Ζητήστε το από άλλον διαχειριστή.
