## Μαθήματα SCORM 1.2 (ανέβασμα, σελίδα μαθήματος, αποτελέσματα) και εξαγωγή xAPI.

scorm-upload-title = Προσθήκη πακέτου SCORM
scorm-upload-intro = Ανεβάστε ένα πακέτο SCORM 1.2 (αρχείο zip). Γίνεται νέο μάθημα στο τέλος της ενότητας που θα επιλέξετε. Οι εκπαιδευόμενοι το ανοίγουν στη σελίδα του μαθήματος και η βαθμολογία και η ολοκλήρωσή του καταγράφονται.
scorm-upload-no-modules = Αυτό το εκπαιδευτικό πρόγραμμα δεν έχει ακόμη ενότητες. Προσθέστε πρώτα μια ενότητα και μετά το πακέτο.
scorm-field-module = Ενότητα
scorm-module-option = { $position }. { $title }
scorm-field-title-el = Τίτλος μαθήματος στα ελληνικά
scorm-field-title-en = Τίτλος μαθήματος στα αγγλικά
scorm-field-title-hint = Αφήστε το κενό για να χρησιμοποιηθεί ο τίτλος του πακέτου.
scorm-field-required = Οι εκπαιδευόμενοι πρέπει να ολοκληρώσουν αυτό το μάθημα για να ολοκληρώσουν το πρόγραμμα
scorm-field-file = Πακέτο (zip)
scorm-field-file-hint = Αρχείο zip SCORM 1.2 έως { $max } MB, με το imsmanifest.xml στο πρώτο επίπεδο.
scorm-upload-submit = Προσθήκη πακέτου

scorm-lesson-preview = Προεπισκόπηση: ως εκπαιδευτής βλέπετε το πακέτο όπως οι εκπαιδευόμενοι, αλλά τίποτα από όσα κάνετε σε αυτό δεν καταγράφεται.
scorm-lesson-status = Η κατάστασή σας σε αυτό το μάθημα: { $status }
scorm-lesson-needs-script = Αυτό το μάθημα είναι διαδραστικό πακέτο και χρειάζεται JavaScript. Ενεργοποιήστε τη JavaScript στον φυλλομετρητή σας για να το παρακολουθήσετε.
scorm-lesson-saved = Η πρόοδός σας αποθηκεύτηκε.
scorm-lesson-save-failed = Η πρόοδός σας δεν αποθηκεύτηκε. Ελέγξτε τη σύνδεσή σας· θα σταλεί ξανά στο επόμενο βήμα.
scorm-lesson-back = Επιστροφή στο εκπαιδευτικό πρόγραμμα

scorm-status-passed = επιτυχία
scorm-status-completed = ολοκληρώθηκε
scorm-status-failed = αποτυχία
scorm-status-incomplete = ξεκίνησε, δεν ολοκληρώθηκε
scorm-status-browsed = περιήγηση
scorm-status-not-attempted = δεν ξεκίνησε

scorm-error-module = Επιλέξτε την ενότητα στην οποία ανήκει το μάθημα.
scorm-error-title-too-long = Ο τίτλος μπορεί να έχει έως { $max } χαρακτήρες.
scorm-error-missing-file = Επιλέξτε το αρχείο zip του πακέτου.
scorm-error-too-large = Το πακέτο είναι μεγαλύτερο από { $max } MB. Μικρύνετέ το, για παράδειγμα συμπιέζοντας τα βίντεό του, και ανεβάστε το ξανά.
scorm-error-not-zip = Το αρχείο δεν είναι αρχείο zip. Εξαγάγετε το μάθημα από το εργαλείο συγγραφής ως πακέτο SCORM 1.2 (zip) και ανεβάστε αυτό.
scorm-error-too-many-entries = Το πακέτο έχει περισσότερα από { $max } αρχεία και φακέλους, περισσότερα από όσα χρειάζεται ένα μάθημα SCORM.
scorm-error-too-large-unpacked = Αποσυμπιεσμένο, το πακέτο θα ξεπερνούσε τα { $max } MB. Δεν αποθηκεύτηκε τίποτα.
scorm-error-unsafe-path = Το πακέτο περιέχει το «{ $path }», μια διαδρομή που οδηγεί έξω από το πακέτο. Τέτοια πακέτα απορρίπτονται.
scorm-error-symlink = Το πακέτο περιέχει το «{ $path }», έναν συμβολικό σύνδεσμο. Οι σύνδεσμοι απορρίπτονται· συμπεριλάβετε το ίδιο το αρχείο.
scorm-error-duplicate = Το πακέτο περιέχει δύο φορές το «{ $path }».
scorm-error-unreadable = Το «{ $path }» στο πακέτο είναι κρυπτογραφημένο ή συμπιεσμένο με τρόπο που το Procap δεν διαβάζει. Εξαγάγετε ξανά το πακέτο χωρίς κωδικό.
scorm-error-no-manifest = Το πακέτο δεν έχει imsmanifest.xml στο πρώτο επίπεδο. Συμπιέστε το περιεχόμενο του φακέλου του μαθήματος, όχι τον ίδιο τον φάκελο.
scorm-error-invalid-manifest = Το imsmanifest.xml του πακέτου δεν είναι έγκυρο XML.
scorm-error-not-scorm-12 = Το πακέτο είναι έκδοσης SCORM «{ $version }». Το Procap δέχεται μόνο SCORM 1.2: εξαγάγετε ξανά το μάθημα ως SCORM 1.2.
scorm-error-no-version = Το manifest δεν δηλώνει ότι είναι SCORM 1.2. Το Procap δέχεται μόνο SCORM 1.2: εξαγάγετε ξανά το μάθημα ως SCORM 1.2.
scorm-error-no-sco = Το manifest δεν ορίζει κανένα SCO (πόρο τύπου «sco»), οπότε δεν υπάρχει τίποτα να ξεκινήσει.
scorm-error-launch-missing = Το manifest ξεκινά το «{ $path }», αλλά αυτό το αρχείο δεν υπάρχει στο πακέτο.

xapi-title = Εξαγωγή εκπαιδευτικών δεδομένων (xAPI)
xapi-intro = Κατεβάστε εγγραφές, προβολές μαθημάτων, προσπάθειες σε τεστ και ολοκληρωμένα προγράμματα ως δηλώσεις xAPI 1.0.3, για ένα σύστημα καταγραφής μάθησης (LRS). Οι εκπαιδευόμενοι εμφανίζονται με το αναγνωριστικό του λογαριασμού τους στο Procap, χωρίς ονόματα ή διευθύνσεις e-mail.
xapi-field-course = Εκπαιδευτικό πρόγραμμα
xapi-all-courses = Όλα τα προγράμματα
xapi-field-from = Από
xapi-field-to = Έως
xapi-field-date-hint = Ημερομηνία, που περιλαμβάνεται. Αφήστε το κενό για χωρίς όριο.
xapi-field-format = Μορφή αρχείου
xapi-format-json = JSON, ένας πίνακας δηλώσεων
xapi-format-ndjson = NDJSON, μία δήλωση ανά γραμμή
xapi-submit = Λήψη δηλώσεων
xapi-error-course = Επιλέξτε ένα πρόγραμμα από τη λίστα ή όλα τα προγράμματα.
xapi-error-date = Γράψτε την ημερομηνία ως ημέρα, για παράδειγμα 2026-12-05.
xapi-error-period = Το τέλος της περιόδου είναι πριν από την αρχή της.
xapi-error-format = Επιλέξτε JSON ή NDJSON.
