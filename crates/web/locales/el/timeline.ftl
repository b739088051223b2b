# Χρονολόγιο γεγονότων εμπορίας ανθρώπων ενός περιστατικού.

case-section-timeline = Χρονολόγιο γεγονότων
timeline-title = Χρονολόγιο γεγονότων εμπορίας ανθρώπων
timeline-intro = Τι συνέβη στο άτομο, με χρονολογική σειρά: στρατολόγηση, μεταφορά, εκμετάλλευση, διαφυγή και αναγνώριση.
timeline-empty = Δεν έχουν καταγραφεί γεγονότα.
timeline-add-title = Νέο γεγονός
timeline-kind = Γεγονός
timeline-kind-recruitment = Στρατολόγηση
timeline-kind-transport = Μεταφορά ή διέλευση
timeline-kind-exploitation = Εκμετάλλευση
timeline-kind-exit = Έξοδος ή διαφυγή
timeline-kind-identification = Αναγνώριση
timeline-kind-other = Άλλο γεγονός
timeline-started-on = Ημερομηνία ή αρχή της περιόδου
timeline-started-on-hint = Αν η ακριβής ημερομηνία δεν είναι γνωστή, γράψτε την πιθανή αρχή και συμπληρώστε το τέλος της περιόδου.
timeline-ended-on = Τέλος της περιόδου
timeline-ended-on-hint = Αφήστε το κενό για γεγονός μίας ημέρας.
timeline-country = Χώρα
timeline-description = Περιγραφή
timeline-description-hint = Τι συνέβη και πού, όπως το περιέγραψε το άτομο.
timeline-add-button = Προσθήκη γεγονότος
timeline-period = { $from } έως { $to }
timeline-error-before-birth = Η ημερομηνία δεν μπορεί να είναι πριν από την ημερομηνία γέννησης του ατόμου ({ $date }).
timeline-error-end-before-start = Το τέλος της περιόδου δεν μπορεί να είναι πριν από την αρχή της.
timeline-error-country = Επιλέξτε χώρα από τον κατάλογο.

# Ιδιότητα μάρτυρα στην ποινική διαδικασία, στη σελίδα του ΕΜΑ.
witness-title = Μάρτυρας στην ποινική διαδικασία
witness-current = Τρέχουσα κατάσταση
witness-history = Ιστορικό της κατάστασης
witness-none = Δεν έχει καταγραφεί κατάσταση.
witness-field-status = Κατάσταση
witness-field-date = Ημερομηνία
witness-field-note = Σημείωση
witness-field-note-hint = Για παράδειγμα το δικαστήριο ή τα μέτρα προστασίας που διατάχθηκαν.
witness-recorded-by = Καταχωρίστηκε από
witness-submit = Καταχώριση κατάστασης
witness-status-not-witness = Δεν είναι μάρτυρας
witness-status-witness = Μάρτυρας
witness-status-protected = Θύμα-μάρτυρας με μέτρα προστασίας
