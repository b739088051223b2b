# Κοινά κείμενα της διεπαφής: κεφαλίδα, πλοήγηση, ρόλοι, φόρμες, πίνακες.

skip-to-content = Μετάβαση στο περιεχόμενο
site-tagline = Διαχείριση περιστατικών, εκπαίδευση και αναφορές
footer-text = Procap · Σύστημα για οργανώσεις που προστατεύουν θύματα εμπορίας ανθρώπων

nav-label = Κύρια πλοήγηση
nav-home = Αρχική
nav-users = Χρήστες
nav-organisations = Οργανισμοί
nav-sessions = Συνεδρίες
nav-audit = Αρχείο καταγραφής
nav-api = API
nav-account = Ο λογαριασμός μου

user-box-label = Συνδεδεμένος χρήστης
logout = Αποσύνδεση
locale-switch-hint = Αλλαγή γλώσσας:
locale-switch-label = English

role-admin = Διαχειριστής συστήματος
role-coordinator = Συντονιστής/τρια
role-caseworker = Κοινωνικός λειτουργός
role-psychologist = Ψυχολόγος
role-lawyer = Νομικός
role-interpreter = Διερμηνέας
role-escort = Συνοδός
role-trainer = Εκπαιδευτής/τρια
role-trainee = Εκπαιδευόμενος/η
role-monitoring = Υπεύθυνος παρακολούθησης και αξιολόγησης

yes = Ναι
no = Όχι
never = Ποτέ
none = Κανένα

form-error-summary-title = Η φόρμα έχει λάθη
form-error-summary-intro = Διορθώστε τα παρακάτω και υποβάλετε ξανά τη φόρμα:
form-error-prefix = Σφάλμα:
form-required = υποχρεωτικό
form-optional = προαιρετικό
select-placeholder = Επιλέξτε…

pagination-label = Σελίδες
pagination-previous = Προηγούμενη σελίδα
pagination-next = Επόμενη σελίδα
pagination-page-of = Σελίδα { $page } από { $pages }
pagination-total =
    { $total ->
        [one] { $total } εγγραφή
       *[other] { $total } εγγραφές
    }

table-actions = Ενέργειες
button-cancel = Ακύρωση
button-confirm = Επιβεβαίωση
button-continue = Συνέχεια
button-filter = Εφαρμογή φίλτρων
button-clear-filters = Καθαρισμός φίλτρων
copy-button = Αντιγραφή
copy-done = Αντιγράφηκε
confirm-warning = Η ενέργεια αυτή καταγράφεται στο αρχείο καταγραφής ενεργειών.
