# Αρχική σελίδα: καλωσόρισμα και κάρτες ανά ρόλο.

home-title = Αρχική
home-welcome = Καλώς ορίσατε, { $name }
home-role = Ρόλος: { $role }
home-cards-label = Οι εργασίες σας
home-soon = Σύντομα διαθέσιμο

home-card-users-title = Χρήστες
home-card-users-text = Δημιουργία λογαριασμών, απενεργοποίηση, ξεκλείδωμα και επαναφορά κωδικού πρόσβασης.
home-card-organisations-title = Οργανισμοί
home-card-organisations-text = Οι οργανισμοί της εγκατάστασης και τα προθέματα των κωδικών περιστατικών τους.
home-card-sessions-title = Ενεργές συνεδρίες
home-card-sessions-text = Ποιοι είναι συνδεδεμένοι τώρα, με δυνατότητα τερματισμού μιας συνεδρίας.
home-card-audit-title = Αρχείο καταγραφής ενεργειών
home-card-audit-text = Συνδέσεις, προσβάσεις και αλλαγές, με φίλτρα ανά χρήστη, ενέργεια και ημερομηνία.
home-card-cases-title = Περιστατικά του οργανισμού
home-card-cases-text = Όλα τα περιστατικά του οργανισμού σας, η πορεία τους και οι προθεσμίες.
home-card-my-cases-title = Τα περιστατικά μου
home-card-my-cases-text = Τα περιστατικά που χειρίζεστε: αρχική αξιολόγηση, αξιολόγηση αναγκών, εξατομικευμένο σχέδιο παρέμβασης και υπηρεσίες.
home-card-referrals-title = Παραπομπές και μεταφορές
home-card-referrals-text = Οι παραπομπές που έστειλε ή δέχθηκε ο οργανισμός σας: αποδοχή, απόρριψη, ολοκλήρωση.
home-card-assigned-cases-title = Ανατεθειμένα περιστατικά
home-card-assigned-cases-text = Τα περιστατικά που σας έχουν ανατεθεί και οι υπηρεσίες που καταγράφετε σε αυτά.
home-card-my-appointments-title = Τα ραντεβού μου
home-card-my-appointments-text = Οι διερμηνείες και οι συνοδείες που σας έχουν ανατεθεί, με τόπο, ώρα και γλώσσα.
home-card-courses-title = Εκπαιδευτικά προγράμματα
home-card-courses-text = Μαθήματα ηλεκτρονικής μάθησης (e-learning), τράπεζες ερωτήσεων και τεστ.
home-card-training-sessions-title = Εκπαιδευτικές συναντήσεις
home-card-training-sessions-text = Προγραμματισμός δια ζώσης συναντήσεων και καταγραφή παρουσιών.
home-card-my-courses-title = Τα εκπαιδευτικά μου προγράμματα
home-card-my-courses-text = Τα μαθήματα που παρακολουθείτε, με το αρχικό και το τελικό τεστ.
home-card-certificates-title = Πιστοποιητικά
home-card-certificates-text = Οι βεβαιώσεις παρακολούθησης που έχετε λάβει.
home-card-statistics-title = Στατιστικά και αναφορές
home-card-statistics-text = Συγκεντρωτικά στοιχεία και δείκτες, χωρίς στοιχεία που ταυτοποιούν πρόσωπα.
