## Εισαγωγή περιστατικών από αρχείο HTCDS (σελίδα και γραμμή εντολών)

import-title = Εισαγωγή περιστατικών από αρχείο HTCDS
import-intro = Ανεβάστε αρχείο CSV στη μορφή του προτύπου Human Trafficking Case Data Standard (HTCDS 2.0), με μία γραμμή ανά πρόσωπο και τα ονόματα των πεδίων στην πρώτη γραμμή, ή μια αποκρυπτογραφημένη εξαγωγή HTCDS από το Procap (αρχείο zip με ένα αρχείο ανά οντότητα). Το Procap ελέγχει πρώτα κάθε γραμμή και δεν εισάγει τίποτα αν δεν είναι έγκυρο όλο το αρχείο. Τα περιστατικά που εισάγονται ανήκουν στον φορέα σας και επισημαίνονται ως εισαγόμενα.
import-field-file = Αρχείο CSV
import-field-file-hint = Έως { $max } MB. Ημερομηνίες στη μορφή ΕΕΕΕ-ΜΜ-ΗΗ· πολλές τιμές στο ίδιο κελί χωρίζονται με ερωτηματικό (;).
import-submit = Έλεγχος και εισαγωγή
import-errors-title = { $count ->
    [one] Το αρχείο έχει { $count } πρόβλημα
   *[other] Το αρχείο έχει { $count } προβλήματα
}
import-errors-nothing-written = Δεν εισήχθη τίποτα. Διορθώστε το αρχείο και ανεβάστε το ξανά.
import-errors-caption = Προβλήματα ανά γραμμή και στήλη
import-errors-line = Γραμμή
import-errors-column = Στήλη
import-errors-message = Πρόβλημα
import-errors-whole-row = Όλη η γραμμή
import-errors-more = Η λίστα σταματά εδώ· το αρχείο μπορεί να έχει κι άλλα προβλήματα πιο κάτω.
import-error-no-file = Επιλέξτε αρχείο CSV για μεταφόρτωση.
import-error-too-large = Το αρχείο είναι μεγαλύτερο από { $max } MB. Χωρίστε το σε μικρότερα αρχεία και εισαγάγετέ τα το ένα μετά το άλλο.

import-progress-title = Εισαγωγή περιστατικών
import-progress-running = Καταχωρίστηκαν { $done } από { $total } περιστατικά…
import-progress-refresh-hint = Η σελίδα ανανεώνεται μόνη της κάθε λίγα δευτερόλεπτα.
import-progress-refresh = Έλεγχος προόδου
import-progress-finished = { $count ->
    [one] Η εισαγωγή ολοκληρώθηκε: εισήχθη { $count } περιστατικό.
   *[other] Η εισαγωγή ολοκληρώθηκε: εισήχθησαν { $count } περιστατικά.
}
import-progress-show-cases = Εμφάνιση των περιστατικών που εισήχθησαν
import-progress-failed = Η εισαγωγή απέτυχε και δεν καταχωρίστηκε τίποτα. Δοκιμάστε ξανά· αν αποτύχει πάλι, ενημερώστε τον διαχειριστή.
import-progress-again = Μεταφόρτωση του αρχείου ξανά

import-error-empty-file = Το αρχείο είναι κενό: η πρώτη γραμμή πρέπει να περιέχει τα ονόματα των πεδίων HTCDS.
import-error-no-rows = Το αρχείο έχει γραμμή επικεφαλίδων αλλά καμία γραμμή για εισαγωγή.
import-error-unreadable = Η γραμμή αυτή δεν διαβάζεται ως κείμενο CSV σε UTF-8.
import-error-missing-column = Η στήλη αυτή είναι υποχρεωτική και λείπει από την πρώτη γραμμή.
import-error-duplicate-column = Η στήλη αυτή εμφανίζεται δύο φορές στην πρώτη γραμμή.
import-error-unknown-field = Αυτό δεν είναι όνομα πεδίου του HTCDS· ελέγξτε την ορθογραφία του.
import-error-field-count = Η γραμμή έχει { $found } κελιά, ενώ η πρώτη γραμμή έχει { $expected }.
import-error-required = Η τιμή αυτή είναι υποχρεωτική.
import-error-date = Το «{ $value }» δεν είναι ημερομηνία· γράψτε τις ημερομηνίες ως ΕΕΕΕ-ΜΜ-ΗΗ, για παράδειγμα 2025-03-14.
import-error-code = Το «{ $value }» δεν είναι επιτρεπόμενη τιμή. Επιτρέπονται: { $allowed }.
import-error-country = Το «{ $value }» δεν είναι διψήφιος κωδικός χώρας ISO 3166, όπως GR.
import-error-language = Το «{ $value }» δεν είναι κωδικός γλώσσας που γνωρίζει το Procap, όπως el, en, ar ή fa.
import-error-too-long = Το κείμενο ξεπερνά τους { $max } χαρακτήρες.
import-error-closure-date-missing = Ένα κλειστό περιστατικό χρειάζεται την ημερομηνία κλεισίματος στο procap_ClosedOn.
import-error-closure-on-open-case = Ημερομηνία ή λόγο κλεισίματος μπορεί να έχει μόνο κλειστό περιστατικό.

import-cli-checking = Έλεγχος του { $file } …
import-cli-invalid = Το { $file } έχει προβλήματα· δεν εισήχθη τίποτα.
import-cli-problem = γραμμή { $line }, στήλη { $column }: { $message }
import-cli-problem-row = γραμμή { $line }: { $message }
import-cli-more = … και { $count } ακόμη
import-cli-writing = Καταχώριση { $count } περιστατικών …
import-cli-done = Εισήχθησαν { $count } περιστατικά στον φορέα { $prefix }.
import-cli-no-organisation = Δεν υπάρχει φορέας με πρόθεμα κωδικού περιστατικού { $prefix }.
import-cli-no-organisations = Δεν υπάρχει φορέας για την εισαγωγή· δημιουργήστε πρώτα έναν.
import-error-event-count = Τα { $types } είδη γεγονότων δεν αντιστοιχούν στις { $countries } χώρες· δώστε μία χώρα για κάθε είδος.
import-error-missing-file = Το αρχείο αυτό λείπει από το συμπιεσμένο αρχείο zip.
import-error-case-code = Ο κωδικός περιστατικού «{ $value }» δεν υπάρχει στο αρχείο των περιστατικών ή εμφανίζεται δύο φορές.
