# Ονομασίες των ελεγχόμενων λεξιλογίων του περιστατικού (vocab-<λεξιλόγιο>-<κωδικός>)
# και τα μηνύματα των κανόνων ημερομηνιών κατά την καταχώριση.

vocab-sex = Φύλο
vocab-sex-female = Θήλυ
vocab-sex-male = Άρρεν
vocab-sex-other = Άλλο
vocab-sex-unknown = Άγνωστο

vocab-exploitation-type = Μορφή εκμετάλλευσης
vocab-exploitation-type-sexual-exploitation = Σεξουαλική εκμετάλλευση
vocab-exploitation-type-forced-labour = Καταναγκαστική εργασία
vocab-exploitation-type-forced-marriage = Εξαναγκαστικός γάμος
vocab-exploitation-type-forced-criminality = Εξαναγκασμός σε εγκληματικές δραστηριότητες
vocab-exploitation-type-forced-begging = Εξαναγκασμός σε επαιτεία
vocab-exploitation-type-organ-removal = Αφαίρεση οργάνων
vocab-exploitation-type-slavery-practices = Δουλεία ή πρακτικές παρόμοιες με τη δουλεία
vocab-exploitation-type-forced-military = Εξαναγκαστική στρατολόγηση
vocab-exploitation-type-other = Άλλη μορφή

vocab-means-of-control = Μέσα ελέγχου
vocab-means-of-control-debt-bondage = Δουλεία λόγω χρέους
vocab-means-of-control-takes-earnings = Κατακράτηση των αποδοχών
vocab-means-of-control-restricts-financial-access = Περιορισμός της πρόσβασης σε χρήματα
vocab-means-of-control-threats = Απειλές
vocab-means-of-control-psychological-abuse = Ψυχολογική κακοποίηση
vocab-means-of-control-physical-abuse = Σωματική κακοποίηση
vocab-means-of-control-sexual-abuse = Σεξουαλική κακοποίηση
vocab-means-of-control-false-promises = Ψευδείς υποσχέσεις
vocab-means-of-control-psychoactive-substances = Χορήγηση ψυχοδραστικών ουσιών
vocab-means-of-control-restricts-movement = Περιορισμός της ελευθερίας κινήσεων
vocab-means-of-control-restricts-medical-care = Στέρηση ιατρικής φροντίδας
vocab-means-of-control-excessive-working-hours = Υπερβολικές ώρες εργασίας
vocab-means-of-control-uses-children = Χρήση των παιδιών του θύματος ως μέσου πίεσης
vocab-means-of-control-threat-of-law-enforcement = Απειλή καταγγελίας στις αρχές
vocab-means-of-control-withholds-necessities = Στέρηση βασικών αγαθών
vocab-means-of-control-withholds-documents = Παρακράτηση εγγράφων
vocab-means-of-control-other = Άλλο μέσο

vocab-forced-labour-industry = Κλάδος καταναγκαστικής εργασίας
vocab-forced-labour-industry-agriculture = Γεωργία και κτηνοτροφία
vocab-forced-labour-industry-aquafarming = Αλιεία και υδατοκαλλιέργειες
vocab-forced-labour-industry-begging = Επαιτεία
vocab-forced-labour-industry-construction = Κατασκευές
vocab-forced-labour-industry-domestic-work = Οικιακή εργασία
vocab-forced-labour-industry-hospitality = Τουρισμός και εστίαση
vocab-forced-labour-industry-illicit-activities = Παράνομες δραστηριότητες
vocab-forced-labour-industry-manufacturing = Μεταποίηση
vocab-forced-labour-industry-mining-or-drilling = Ορυχεία και γεωτρήσεις
vocab-forced-labour-industry-peddling = Πλανόδιο εμπόριο
vocab-forced-labour-industry-transportation = Μεταφορές
vocab-forced-labour-industry-other = Άλλος κλάδος

vocab-trafficker-relationship = Σχέση με τον δράστη
vocab-trafficker-relationship-intimate-partner = Σύντροφος
vocab-trafficker-relationship-friend = Φίλος ή φίλη
vocab-trafficker-relationship-family = Μέλος της οικογένειας
vocab-trafficker-relationship-other = Άλλη σχέση
vocab-trafficker-relationship-unknown = Άγνωστη

vocab-age-bracket = Ηλικιακή ομάδα
vocab-age-bracket-0-8 = 0–8 ετών
vocab-age-bracket-9-17 = 9–17 ετών
vocab-age-bracket-18-20 = 18–20 ετών
vocab-age-bracket-21-23 = 21–23 ετών
vocab-age-bracket-24-26 = 24–26 ετών
vocab-age-bracket-27-29 = 27–29 ετών
vocab-age-bracket-30-38 = 30–38 ετών
vocab-age-bracket-39-47 = 39–47 ετών
vocab-age-bracket-48-plus = 48 ετών και άνω

vocab-case-origin = Προέλευση καταχώρισης
vocab-case-origin-procap = Καταχώριση στο Procap
vocab-case-origin-ctdc-import = Εισαγωγή από το CTDC
vocab-case-origin-htcds-import = Εισαγωγή σε μορφή HTCDS

vocab-case-status = Κατάσταση περιστατικού
vocab-case-status-open = Ανοιχτό
vocab-case-status-closed = Κλειστό

vocab-nrm-status = Κατάσταση στον ΕΜΑ
vocab-nrm-status-not-referred = Δεν έχει παραπεμφθεί
vocab-nrm-status-referred = Έχει παραπεμφθεί στον ΕΜΑ
vocab-nrm-status-presumed-victim = Πιθανό θύμα
vocab-nrm-status-identified = Αναγνωρισμένο θύμα
vocab-nrm-status-not-identified = Δεν αναγνωρίστηκε ως θύμα

vocab-region = Περιφέρεια
vocab-region-attica = Αττική
vocab-region-central-macedonia = Κεντρική Μακεδονία
vocab-region-other = Άλλη περιφέρεια

vocab-setting = Πλαίσιο διαμονής
vocab-setting-hosting-facility = Δομή φιλοξενίας
vocab-setting-urban-area = Αστική περιοχή
vocab-setting-unknown = Άγνωστο

vocab-referral-source = Φορέας παραπομπής
vocab-referral-source-police = Ελληνική Αστυνομία
vocab-referral-source-prosecutor = Εισαγγελέας
vocab-referral-source-labour-inspectorate = Επιθεώρηση Εργασίας
vocab-referral-source-reception-identification-service = Υπηρεσία Υποδοχής και Ταυτοποίησης
vocab-referral-source-hospital = Νοσοκομείο
vocab-referral-source-ngo = Μη κυβερνητική οργάνωση (ΜΚΟ)
vocab-referral-source-national-hotline = Εθνική γραμμή βοήθειας
vocab-referral-source-self-referral = Αυτοπροσέλευση
vocab-referral-source-other = Άλλος φορέας

vocab-legal-status = Νομικό καθεστώς
vocab-legal-status-asylum-seeker = Αιτών/αιτούσα άσυλο
vocab-legal-status-recognised-refugee = Αναγνωρισμένος/η πρόσφυγας
vocab-legal-status-subsidiary-protection = Δικαιούχος επικουρικής προστασίας
vocab-legal-status-temporary-protection = Δικαιούχος προσωρινής προστασίας
vocab-legal-status-residence-permit-victim = Άδεια διαμονής θύματος εμπορίας ανθρώπων
vocab-legal-status-undocumented = Χωρίς νομιμοποιητικά έγγραφα
vocab-legal-status-other = Άλλο καθεστώς

vocab-vulnerability = Ευαλωτότητα
vocab-vulnerability-minor = Ανήλικος/η
vocab-vulnerability-unaccompanied-minor = Ασυνόδευτος ανήλικος
vocab-vulnerability-pregnancy = Εγκυμοσύνη
vocab-vulnerability-disability = Αναπηρία
vocab-vulnerability-health-condition = Πρόβλημα υγείας

vocab-recruitment-method = Τρόπος στρατολόγησης
vocab-recruitment-method-job-offer = Προσφορά εργασίας
vocab-recruitment-method-romantic-relationship = Ερωτική σχέση
vocab-recruitment-method-family-arrangement = Μέσω της οικογένειας
vocab-recruitment-method-abduction = Απαγωγή
vocab-recruitment-method-education-offer = Προσφορά σπουδών
vocab-recruitment-method-migration-assistance = Υπόσχεση βοήθειας για μετανάστευση
vocab-recruitment-method-other = Άλλος τρόπος
vocab-recruitment-method-unknown = Άγνωστος

vocab-service-line = Είδος υπηρεσίας
vocab-service-line-case-management = Διαχείριση περιστατικού
vocab-service-line-psychosocial = Ψυχοκοινωνική υποστήριξη
vocab-service-line-legal = Νομική συνδρομή και εκπροσώπηση
vocab-service-line-interpretation = Διερμηνεία
vocab-service-line-escort = Συνοδεία
vocab-service-line-integration = Ένταξη
vocab-service-line-material-assistance = Υλική βοήθεια

vocab-closure-reason = Λόγος κλεισίματος
vocab-closure-reason-assistance-completed = Ολοκλήρωση της υποστήριξης
vocab-closure-reason-referred-elsewhere = Παραπομπή σε άλλο φορέα
vocab-closure-reason-voluntary-return = Εθελοντική επιστροφή
vocab-closure-reason-lost-contact = Απώλεια επικοινωνίας
vocab-closure-reason-death = Θάνατος
vocab-closure-reason-other = Άλλος λόγος

vocab-consent-purpose = Σκοπός συναίνεσης
vocab-consent-purpose-data-processing = Επεξεργασία προσωπικών δεδομένων
vocab-consent-purpose-sharing = Διαβίβαση δεδομένων σε άλλους φορείς
vocab-consent-purpose-photographs = Λήψη φωτογραφιών
vocab-consent-purpose-research = Χρήση για έρευνα

vocab-interpreter-gender = Φύλο διερμηνέα
vocab-interpreter-gender-female = Γυναίκα
vocab-interpreter-gender-male = Άνδρας
vocab-interpreter-gender-any = Αδιάφορο

case-error-birth-date-in-future = Η ημερομηνία γέννησης δεν μπορεί να είναι μεταγενέστερη της σημερινής.
case-error-birth-date-after-referral = Η ημερομηνία γέννησης είναι μεταγενέστερη της ημερομηνίας παραπομπής. Ελέγξτε τις δύο ημερομηνίες.
case-error-referral-date-in-future = Η ημερομηνία παραπομπής δεν μπορεί να είναι μεταγενέστερη της σημερινής.
case-error-closed-before-opened = Η ημερομηνία κλεισίματος δεν μπορεί να είναι προγενέστερη της ημερομηνίας ανοίγματος του περιστατικού.
case-error-estimated-age-out-of-range = Η εκτιμώμενη ηλικία πρέπει να είναι από 0 έως 120 έτη.
