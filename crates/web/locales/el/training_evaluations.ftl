# Μηνύματα αξιολόγησης που στέλνει η εργασία παρασκηνίου. Περιέχουν μόνο το
# όνομα του εκπαιδευόμενου, τον τίτλο του μαθήματος και τον σύνδεσμο.
evaluation-mail-subject-end = Η αξιολόγησή σας για το μάθημα «{ $course }»
evaluation-mail-subject-follow-up = Τρεις μήνες μετά: «{ $course }»
evaluation-mail-subject-reminder = Υπενθύμιση: η αξιολόγησή σας για το μάθημα «{ $course }»
evaluation-mail-greeting = Αγαπητή/Αγαπητέ { $name },
evaluation-mail-body-end = Σας ευχαριστούμε που ολοκληρώσατε το μάθημα «{ $course }». Πείτε μας πόσο χρήσιμο είναι για την εργασία σας. Χρειάζονται δύο λεπτά.
evaluation-mail-body-follow-up = Έχουν περάσει τρεις μήνες από την ολοκλήρωση του μαθήματος «{ $course }». Πείτε μας αν χρησιμοποιείτε ακόμη όσα μάθατε.
evaluation-mail-body-reminder = Δεν έχουμε λάβει ακόμη τις απαντήσεις σας για το μάθημα «{ $course }». Η γνώμη σας μας βοηθά να βελτιώσουμε την εκπαίδευση.
evaluation-mail-link = Συνδεθείτε στο Procap και απαντήστε εδώ: { $link }
evaluation-mail-signature = Η ομάδα εκπαίδευσης του Procap
