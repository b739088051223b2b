//! The AMIF indicators on participants supported, as data (id, names and
//! definitions in Greek and English, and the rule that counts them) and as a
//! pure computation over plain rows.
//!
//! A participant is a person who received at least one service in the
//! period. Every indicator counts distinct participants, so a person is
//! counted once however many services, lines or organisations served them.
//! The names and definitions live here, beside the rule they describe, so
//! the definition page and the number can never disagree.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::vocab::ServiceLine;
use crate::locale::Locale;
use crate::training::evaluation::Share;

/// Error of [`Period::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The last day is before the first.
    #[error("the period ends on {to} before it starts on {from}")]
    EndsBeforeStart {
        /// First day given.
        from: NaiveDate,
        /// Last day given.
        to: NaiveDate,
    },
}

/// A reporting period: from the first day to the last day, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// A period of whole days; a single day is allowed.
    ///
    /// # Errors
    ///
    /// [`PeriodError::EndsBeforeStart`] when `to` is before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if to < from {
            return Err(PeriodError::EndsBeforeStart { from, to });
        }
        Ok(Period { from, to })
    }

    /// First day, included.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day, included.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Returns true when `day` is in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The facts about a participant that the vulnerability indicators use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant<Id> {
    /// The caller's id of the person (e.g. the case id).
    pub id: Id,
    /// A victim or presumed victim of trafficking.
    pub victim_of_trafficking: bool,
    /// Under 18 when first served in the period.
    pub minor: bool,
    /// An unaccompanied minor; also counted as a minor.
    pub unaccompanied_minor: bool,
    /// Another vulnerability recognised in the case (pregnancy, disability,
    /// serious illness).
    pub other_vulnerability: bool,
}

/// A set of lines of service, one bit per line of [`ServiceLine::ALL`].
/// A year's report gathers one set per participant, and a `HashSet` for
/// each of 100,000 participants took several megabytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LineSet(u32);

const _: () = assert!(ServiceLine::ALL.len() <= 32, "a LineSet holds 32 lines");

impl LineSet {
    fn bit(line: ServiceLine) -> u32 {
        let position = ServiceLine::ALL
            .iter()
            .position(|known| *known == line)
            .unwrap_or_default();
        1 << position
    }

    /// Adds `line` to the set.
    pub fn insert(&mut self, line: ServiceLine) {
        self.0 |= Self::bit(line);
    }

    /// Returns whether `line` is in the set.
    pub fn contains(self, line: ServiceLine) -> bool {
        self.0 & Self::bit(line) != 0
    }

    /// Returns whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Returns the lines of both sets.
    #[must_use]
    pub fn union(self, other: LineSet) -> LineSet {
        LineSet(self.0 | other.0)
    }

    /// Returns the lines in the set, in the order of [`ServiceLine::ALL`].
    pub fn iter(self) -> impl Iterator<Item = ServiceLine> {
        ServiceLine::ALL
            .iter()
            .copied()
            .filter(move |line| self.contains(*line))
    }
}

impl FromIterator<ServiceLine> for LineSet {
    fn from_iter<I: IntoIterator<Item = ServiceLine>>(lines: I) -> LineSet {
        let mut set = LineSet::default();
        for line in lines {
            set.insert(line);
        }
        set
    }
}

/// One service given to a participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow<Id> {
    /// The participant's id, as in [`Participant::id`].
    pub participant: Id,
    /// The line of service.
    pub line: ServiceLine,
    /// The day the service was given.
    pub on: NaiveDate,
}

/// The AMIF indicators on participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum IndicatorId {
    /// Participants supported.
    ParticipantsSupported,
    /// Of whom received legal assistance.
    LegalAssistance,
    /// Of whom received other support.
    OtherSupport,
    /// Of whom vulnerable persons.
    VulnerablePersons,
    /// Of the vulnerable, minors.
    Minors,
    /// Of the minors, unaccompanied minors.
    UnaccompaniedMinors,
}

/// The selection of participants, among those supported, that an indicator
/// counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every participant with a service in the period.
    AnyService,
    /// Participants with at least one service of these lines in the period.
    ServiceLines(&'static [ServiceLine]),
    /// Victims of trafficking, minors and persons with another
    /// vulnerability.
    Vulnerable,
    /// Minors, unaccompanied or not.
    Minor,
    /// Unaccompanied minors.
    UnaccompaniedMinor,
}

/// One indicator: its id, the indicator it is a part of, its names and
/// definition in both languages, and the rule that counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorDefinition {
    /// The indicator.
    pub id: IndicatorId,
    /// Stable code for URLs and exports, e.g. `participants_supported`.
    pub code: &'static str,
    /// The indicator this one is a part of ("of whom").
    pub part_of: Option<IndicatorId>,
    /// Greek name.
    pub name_el: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Greek definition.
    pub definition_el: &'static str,
    /// English definition.
    pub definition_en: &'static str,
    /// The selection of participants it counts.
    pub rule: Rule,
}

impl IndicatorDefinition {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::El => self.name_el,
            Locale::En => self.name_en,
        }
    }

    /// The definition in `locale`.
    pub fn definition(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::El => self.definition_el,
            Locale::En => self.definition_en,
        }
    }
}

/// Lines that count as support other than legal assistance: every line but
/// the legal one. Information and counselling are given under case
/// management.
pub const OTHER_SUPPORT_LINES: &[ServiceLine] = &[
    ServiceLine::CaseManagement,
    ServiceLine::Psychosocial,
    ServiceLine::Interpretation,
    ServiceLine::Escort,
    ServiceLine::Integration,
    ServiceLine::MaterialAssistance,
];

const DEFINITIONS: &[IndicatorDefinition] = &[
    IndicatorDefinition {
        id: IndicatorId::ParticipantsSupported,
        code: "participants_supported",
        part_of: None,
        name_el: "Συμμετέχοντες που υποστηρίχθηκαν",
        name_en: "Participants supported",
        definition_el: "Ο αριθμός των διαφορετικών προσώπων που έλαβαν τουλάχιστον μία υπηρεσία, \
            οποιουδήποτε είδους, μέσα στην περίοδο. Κάθε πρόσωπο μετράται μία φορά, όσες \
            υπηρεσίες κι αν έλαβε και από όσους φορείς κι αν τις έλαβε.",
        definition_en: "The number of distinct persons who received at least one service, of \
            any kind, within the period. Each person is counted once, however many services \
            they received and from however many organisations.",
        rule: Rule::AnyService,
    },
    IndicatorDefinition {
        id: IndicatorId::LegalAssistance,
        code: "legal_assistance",
        part_of: Some(IndicatorId::ParticipantsSupported),
        name_el: "Από αυτούς: έλαβαν νομική συνδρομή",
        name_en: "Of whom: received legal assistance",
        definition_el: "Οι συμμετέχοντες που έλαβαν μέσα στην περίοδο τουλάχιστον μία υπηρεσία \
            νομικής συνδρομής ή νομικής εκπροσώπησης. Κάθε πρόσωπο μετράται μία φορά.",
        definition_en: "Participants who received at least one service of legal assistance or \
            legal representation within the period. Each person is counted once.",
        rule: Rule::ServiceLines(&[ServiceLine::Legal]),
    },
    IndicatorDefinition {
        id: IndicatorId::OtherSupport,
        code: "other_support",
        part_of: Some(IndicatorId::ParticipantsSupported),
        name_el: "Από αυτούς: έλαβαν άλλη υποστήριξη",
        name_en: "Of whom: received other support",
        definition_el: "Οι συμμετέχοντες που έλαβαν μέσα στην περίοδο τουλάχιστον μία υπηρεσία \
            άλλη από τη νομική συνδρομή: ενημέρωση και διαχείριση περιστατικού, ψυχοκοινωνική \
            υποστήριξη, διερμηνεία, συνοδεία, ένταξη ή υλική βοήθεια. Κάθε πρόσωπο μετράται μία \
            φορά· όποιος έλαβε και νομική συνδρομή μετράται και στους δύο δείκτες.",
        definition_en: "Participants who received at least one service other than legal \
            assistance within the period: information and case management, psychosocial \
            support, interpretation, escort, integration or material assistance. Each person \
            is counted once; a person who also received legal assistance counts in both \
            indicators.",
        rule: Rule::ServiceLines(OTHER_SUPPORT_LINES),
    },
    IndicatorDefinition {
        id: IndicatorId::VulnerablePersons,
        code: "vulnerable_persons",
        part_of: Some(IndicatorId::ParticipantsSupported),
        name_el: "Από αυτούς: ευάλωτα πρόσωπα",
        name_en: "Of whom: vulnerable persons",
        definition_el: "Οι συμμετέχοντες που ανήκουν σε ευάλωτη ομάδα: κάθε θύμα ή πιθανό θύμα \
            εμπορίας ανθρώπων, κάθε ανήλικος και κάθε πρόσωπο με άλλη αναγνωρισμένη ευαλωτότητα \
            (κύηση, αναπηρία, σοβαρή ασθένεια). Κάθε πρόσωπο μετράται μία φορά.",
        definition_en: "Participants who belong to a vulnerable group: every victim or presumed \
            victim of trafficking in human beings, every minor and every person with another \
            recognised vulnerability (pregnancy, disability, serious illness). Each person is \
            counted once.",
        rule: Rule::Vulnerable,
    },
    IndicatorDefinition {
        id: IndicatorId::Minors,
        code: "minors",
        part_of: Some(IndicatorId::VulnerablePersons),
        name_el: "Από τα ευάλωτα πρόσωπα: ανήλικοι",
        name_en: "Of the vulnerable persons: minors",
        definition_el: "Οι συμμετέχοντες που ήταν κάτω των 18 ετών όταν έλαβαν την πρώτη \
            υπηρεσία τους μέσα στην περίοδο, μαζί με τους ασυνόδευτους ανηλίκους.",
        definition_en: "Participants who were under 18 when they received their first service \
            in the period, unaccompanied minors included.",
        rule: Rule::Minor,
    },
    IndicatorDefinition {
        id: IndicatorId::UnaccompaniedMinors,
        code: "unaccompanied_minors",
        part_of: Some(IndicatorId::Minors),
        name_el: "Από τους ανηλίκους: ασυνόδευτοι ανήλικοι",
        name_en: "Of the minors: unaccompanied minors",
        definition_el: "Οι ανήλικοι συμμετέχοντες που ήταν ασυνόδευτοι, δηλαδή χωρίς γονέα ή \
            άλλο ενήλικο υπεύθυνο για αυτούς κατά τον νόμο ή την πρακτική.",
        definition_en: "Minor participants who were unaccompanied, that is without a parent or \
            another adult responsible for them by law or practice.",
        rule: Rule::UnaccompaniedMinor,
    },
];

/// Every indicator on participants, parents before their parts.
pub fn definitions() -> &'static [IndicatorDefinition] {
    DEFINITIONS
}

/// Looks up an indicator by its stable code.
pub fn definition_by_code(code: &str) -> Option<&'static IndicatorDefinition> {
    DEFINITIONS
        .iter()
        .find(|definition| definition.code == code)
}

/// The definition of `id`.
pub fn definition(id: IndicatorId) -> &'static IndicatorDefinition {
    DEFINITIONS
        .iter()
        .find(|definition| definition.id == id)
        .expect("every indicator has a definition")
}

/// An AMIF indicator on training: its stable code, names and definition in
/// both languages. The counts come from the training records (enrolments,
/// completions and evaluations); the rules that compute the two result
/// shares live in `training::evaluation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingIndicatorDefinition {
    pub code: &'static str,
    pub name_el: &'static str,
    pub name_en: &'static str,
    pub definition_el: &'static str,
    pub definition_en: &'static str,
}

impl TrainingIndicatorDefinition {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::El => self.name_el,
            Locale::En => self.name_en,
        }
    }

    /// The definition in `locale`.
    pub fn definition(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::El => self.definition_el,
            Locale::En => self.definition_en,
        }
    }
}

/// The training figures of one period: trainees enrolled, of whom
/// completed, and the two result shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TrainingFigures {
    /// Distinct trainees enrolled in the period.
    pub trainees: u64,
    /// Of those, trainees who completed a course by the period's end.
    pub completed: u64,
    /// End-of-course answers of 4 or 5 on usefulness, out of answers.
    pub useful: Share,
    /// Follow-up answers of 4 or 5 on still using the skills, out of
    /// answers given at least three months after completion.
    pub still_using: Share,
}

/// Code of the indicator on participants in training.
pub const TRAINEES: &str = "participants_in_training";
/// Code of the trainees among them who completed a course.
pub const TRAINEES_COMPLETED: &str = "participants_in_training_completed";
/// Code of the first result indicator: training found useful for work.
pub const TRAINING_USEFUL: &str = "training_useful";
/// Code of the second result indicator: skills still in use after three
/// months.
pub const SKILLS_IN_USE: &str = "skills_in_use";

const TRAINING_DEFINITIONS: &[TrainingIndicatorDefinition] = &[
    TrainingIndicatorDefinition {
        code: TRAINEES,
        name_el: "Συμμετέχοντες σε δράσεις κατάρτισης",
        name_en: "Participants in training",
        definition_el: "Ο αριθμός των διαφορετικών εκπαιδευομένων που εγγράφηκαν μέσα στην \
            περίοδο σε τουλάχιστον ένα μάθημα, δια ζώσης ή ηλεκτρονικό. Κάθε πρόσωπο μετράται \
            μία φορά, σε όσα μαθήματα κι αν εγγράφηκε.",
        definition_en: "The number of distinct trainees enrolled within the period in at least \
            one course, in person or online. Each person is counted once, however many courses \
            they enrolled in.",
    },
    TrainingIndicatorDefinition {
        code: TRAINEES_COMPLETED,
        name_el: "Από αυτούς: ολοκλήρωσαν μάθημα",
        name_en: "Of whom: completed a course",
        definition_el: "Οι συμμετέχοντες σε δράσεις κατάρτισης της περιόδου που ολοκλήρωσαν \
            τουλάχιστον ένα από τα μαθήματα αυτά έως το τέλος της περιόδου, σύμφωνα με τους \
            κανόνες ολοκλήρωσης του μαθήματος. Κάθε πρόσωπο μετράται μία φορά.",
        definition_en: "Participants in the period's training who completed at least one of \
            those courses by the end of the period, by the course's completion rules. Each \
            person is counted once.",
    },
    TrainingIndicatorDefinition {
        code: TRAINING_USEFUL,
        name_el: "Ποσοστό που βρήκε την κατάρτιση χρήσιμη για την εργασία του",
        name_en: "Share who found the training useful for their work",
        definition_el: "Από τους εκπαιδευομένους της περιόδου που υπέβαλαν την αξιολόγηση στο \
            τέλος του μαθήματος και απάντησαν στην ερώτηση για τη χρησιμότητα της κατάρτισης \
            στην εργασία τους, όσοι απάντησαν 4 ή 5 στην κλίμακα 1 έως 5. Όσοι άφησαν την ερώτηση \
            κενή δεν μετρώνται ούτε στον αριθμητή ούτε στον παρονομαστή.",
        definition_en: "Of the period's trainees who submitted the end-of-course evaluation and \
            answered the question on how useful the training is for their work, those who \
            answered 4 or 5 on the scale from 1 to 5. Trainees who left the question blank are in neither the \
            numerator nor the denominator.",
    },
    TrainingIndicatorDefinition {
        code: SKILLS_IN_USE,
        name_el: "Ποσοστό που εφαρμόζει όσα έμαθε τρεις μήνες μετά",
        name_en: "Share still using the skills three months later",
        definition_el: "Από τους εκπαιδευομένους της περιόδου που απάντησαν στο ερωτηματολόγιο \
            παρακολούθησης τουλάχιστον τρεις μήνες μετά την ολοκλήρωση του μαθήματος, όσοι \
            απάντησαν 4 ή 5 στην ερώτηση αν εξακολουθούν να εφαρμόζουν στην εργασία τους όσα \
            έμαθαν. \
            Δίπλα δίνεται το ποσοστό απόκρισης επί όσων έλαβαν το ερωτηματολόγιο.",
        definition_en: "Of the period's trainees who answered the follow-up questionnaire at \
            least three months after completing the course, those who answered 4 or 5 to the \
            question whether they still use what they learned in their work. Beside it: the response rate among \
            those who were sent the questionnaire.",
    },
];

/// The AMIF indicators on training, in report order.
pub fn training_definitions() -> &'static [TrainingIndicatorDefinition] {
    TRAINING_DEFINITIONS
}

/// Looks up a training indicator by its stable code.
pub fn training_definition_by_code(code: &str) -> Option<&'static TrainingIndicatorDefinition> {
    TRAINING_DEFINITIONS
        .iter()
        .find(|definition| definition.code == code)
}

/// One computed indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndicatorValue {
    /// The indicator.
    pub id: IndicatorId,
    /// Number of distinct participants.
    pub value: u64,
}

/// The indicators for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmifFigures {
    /// The period counted.
    pub period: Period,
    /// One value per definition, in the order of [`definitions`].
    pub values: Vec<IndicatorValue>,
    /// Participants served in the period for whom no [`Participant`] row
    /// was given; they count as supported but never as vulnerable.
    pub participants_without_facts: u64,
}

impl AmifFigures {
    /// The value of `id`.
    pub fn get(&self, id: IndicatorId) -> u64 {
        self.values
            .iter()
            .find(|value| value.id == id)
            .map_or(0, |value| value.value)
    }
}

/// Counts every indicator over the services given in `period`. Services
/// outside the period are ignored; `participants` may hold more people than
/// were served. When a participant appears twice, the first row counts.
pub fn compute<Id: Eq + Hash>(
    period: Period,
    participants: &[Participant<Id>],
    services: &[ServiceRow<Id>],
) -> AmifFigures {
    let mut lines_by_participant: HashMap<&Id, LineSet> = HashMap::new();
    for service in services
        .iter()
        .filter(|service| period.contains(service.on))
    {
        lines_by_participant
            .entry(&service.participant)
            .or_default()
            .insert(service.line);
    }
    count(
        period,
        participants,
        lines_by_participant.iter().map(|(id, lines)| (*id, *lines)),
    )
}

/// Counts every indicator from the lines of service each participant
/// received in `period`, already gathered (for instance by the database,
/// which then need not return every service). Gives the same figures as
/// [`compute`] over the services behind `served`.
pub fn compute_served<Id: Eq + Hash>(
    period: Period,
    participants: &[Participant<Id>],
    served: &HashMap<Id, LineSet>,
) -> AmifFigures {
    count(
        period,
        participants,
        served
            .iter()
            .map(|(id, lines)| (id, *lines))
            .filter(|(_, lines)| !lines.is_empty()),
    )
}

/// Counts every indicator over the participants served, each given once
/// with the lines they received. Each participant's facts are looked up
/// once for all the indicators.
fn count<'a, Id: Eq + Hash + 'a>(
    period: Period,
    participants: &[Participant<Id>],
    served: impl Iterator<Item = (&'a Id, LineSet)>,
) -> AmifFigures {
    let mut facts: HashMap<&Id, &Participant<Id>> = HashMap::with_capacity(participants.len());
    for participant in participants {
        facts.entry(&participant.id).or_insert(participant);
    }

    let mut counts = vec![0u64; DEFINITIONS.len()];
    let mut participants_without_facts = 0;
    for (id, lines) in served {
        let found = facts.get(id).copied();
        if found.is_none() {
            participants_without_facts += 1;
        }
        for (count, definition) in counts.iter_mut().zip(DEFINITIONS.iter()) {
            if selects(definition.rule, lines, found) {
                *count += 1;
            }
        }
    }

    let values = DEFINITIONS
        .iter()
        .zip(counts)
        .map(|(definition, value)| IndicatorValue {
            id: definition.id,
            value,
        })
        .collect();

    AmifFigures {
        period,
        values,
        participants_without_facts,
    }
}

fn selects<Id>(rule: Rule, lines: LineSet, facts: Option<&Participant<Id>>) -> bool {
    let minor = |facts: &Participant<Id>| facts.minor || facts.unaccompanied_minor;
    match rule {
        Rule::AnyService => true,
        Rule::ServiceLines(wanted) => wanted.iter().any(|line| lines.contains(*line)),
        Rule::Vulnerable => facts.is_some_and(|facts| {
            facts.victim_of_trafficking || minor(facts) || facts.other_vulnerability
        }),
        Rule::Minor => facts.is_some_and(minor),
        Rule::UnaccompaniedMinor => facts.is_some_and(|facts| facts.unaccompanied_minor),
    }
}
