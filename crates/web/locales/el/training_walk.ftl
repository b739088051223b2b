## Σύνδεσμοι της εκπαίδευσης: τα τεστ στη σελίδα του προγράμματος, το
## μάθημα SCORM, τα τεστ ενοτήτων στον επεξεργαστή και η αντίστροφη
## μέτρηση του τεστ.

training-walk-quizzes-title = Τεστ
training-walk-scorm-launch = Έναρξη του διαδραστικού μαθήματος
training-walk-module-quiz = Τεστ ενότητας: { $title }
training-walk-module-quiz-add = Προσθήκη τεστ ενότητας

training-walk-countdown-minutes = { $minutes ->
    [one] Απομένει 1 λεπτό.
   *[other] Απομένουν { $minutes } λεπτά.
}
training-walk-countdown-last-minute = Απομένει λιγότερο από ένα λεπτό.
training-walk-countdown-submitting = Ο χρόνος τελείωσε. Οι απαντήσεις σας υποβάλλονται.
