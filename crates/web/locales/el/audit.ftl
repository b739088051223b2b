# Αρχείο καταγραφής ενεργειών.

audit-title = Αρχείο καταγραφής ενεργειών
audit-intro = Κάθε σύνδεση, κάθε πρόσβαση σε περιστατικό και κάθε αλλαγή καταγράφεται εδώ. Οι εγγραφές δεν αλλάζουν και δεν διαγράφονται.
audit-filters = Φίλτρα
audit-filter-from = Από ημερομηνία
audit-filter-to = Έως ημερομηνία
audit-filter-user = Χρήστης
audit-filter-action = Ενέργεια
audit-filter-outcome = Αποτέλεσμα
audit-filter-any-user = Όλοι οι χρήστες
audit-filter-any-action = Όλες οι ενέργειες
audit-filter-any-outcome = Όλα τα αποτελέσματα
audit-caption = Εγγραφές του αρχείου καταγραφής, νεότερες πρώτα
audit-col-time = Ημερομηνία και ώρα
audit-col-user = Χρήστης
audit-col-action = Ενέργεια
audit-col-object = Αντικείμενο
audit-col-outcome = Αποτέλεσμα
audit-col-ip = Διεύθυνση IP
audit-outcome-success = Επιτυχία
audit-outcome-failure = Αποτυχία
audit-outcome-denied = Άρνηση πρόσβασης
audit-outcome-other = Άλλο
audit-system-user = Σύστημα
audit-empty = Δεν βρέθηκαν εγγραφές με αυτά τα φίλτρα.
