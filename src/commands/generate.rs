//! `procap generate`: fills the configured database with a fictional
//! workload at scale, for benchmarks and load tests.
//!
//! It first loads what `procap demo` loads (organisations, one account per
//! role, the course, the CTDC sample), then adds cases whose sex, age,
//! citizenship, forms of exploitation and means of control are drawn from
//! the shipped CTDC sample, each with about 20 service records across all
//! service lines, appointments, consents, referrals, a plan with a review
//! and audit events, and finally trainees with quiz attempts and
//! certificates. Names are a small fixed list of fictional names with
//! numbers. Everything goes through the store crate, so fields are
//! encrypted and blind-indexed with the real keys and the audit chain
//! verifies.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Days, NaiveDate, NaiveDateTime};
use indicatif::{ProgressBar, ProgressStyle};
use procap_domain::case::vocab::AgeBracket;
use procap_domain::role::Role;
use procap_domain::training::QuestionId;
use procap_domain::training::question::{Answer, QuestionBody};
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::bulk::{
    BulkAppointment, BulkCase, BulkConsent, BulkCounts, BulkGoal, BulkPlan, BulkReferral,
    BulkService,
};
use procap_store::cases::{CaseAttributes, IntakeReferral, PersonAttributes, PersonDetails};
use procap_store::training::{certificates, courses, enrolment, quizzes};
use procap_store::{Store, StoreError, organisations, users};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use super::admin::one_time_password;
use crate::config::Settings;

/// What to generate; see `procap generate --help`.
pub struct Options {
    pub cases: u32,
    pub trainees: u32,
    pub password: Option<String>,
    pub seed: u64,
    pub batch: u32,
}

/// Cases per caseworker: one generated caseworker account per this many cases.
const CASES_PER_CASEWORKER: u32 = 50;

const GIVEN_NAMES: [&str; 12] = [
    "Άννα",
    "Μαρία",
    "Ελένη",
    "Σοφία",
    "Olena",
    "Amara",
    "Γιώργος",
    "Νίκος",
    "Rahim",
    "Yusuf",
    "Ioana",
    "Kofi",
];
const FAMILY_NAMES: [&str; 8] = [
    "Δοκιμαστική",
    "Παράδειγμα",
    "Πλασματική",
    "Υποθετική",
    "Prykladna",
    "Namuna",
    "Exemplu",
    "Sample",
];
const REGIONS: [&str; 3] = ["attica", "central_macedonia", "other"];
const SETTINGS: [&str; 3] = ["hosting_facility", "urban_area", "unknown"];
const SOURCES: [&str; 9] = [
    "police",
    "prosecutor",
    "labour_inspectorate",
    "reception_identification_service",
    "hospital",
    "ngo",
    "national_hotline",
    "self_referral",
    "other",
];
const LEGAL_STATUSES: [&str; 7] = [
    "asylum_seeker",
    "recognised_refugee",
    "subsidiary_protection",
    "temporary_protection",
    "residence_permit_victim",
    "undocumented",
    "other",
];
const NRM_STATUSES: [&str; 5] = [
    "not_referred",
    "referred",
    "presumed_victim",
    "identified",
    "not_identified",
];
const CLOSURE_REASONS: [&str; 4] = [
    "assistance_completed",
    "referred_elsewhere",
    "voluntary_return",
    "lost_contact",
];
const LANGUAGES: [&str; 8] = ["en", "fr", "ar", "uk", "ru", "fa", "ro", "ti"];
const OUTCOMES: [&str; 5] = [
    "completed",
    "completed",
    "partly_completed",
    "postponed",
    "no_show",
];

/// The service lines with the staff role that records them and their
/// typed fields as the service form stores them.
const LINES: [(&str, Role); 7] = [
    ("case_management", Role::Caseworker),
    ("psychosocial", Role::Psychologist),
    ("legal", Role::Lawyer),
    ("interpretation", Role::Interpreter),
    ("escort", Role::Escort),
    ("integration", Role::Caseworker),
    ("material_assistance", Role::Caseworker),
];

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

fn service_details(rng: &mut StdRng, line: &str) -> serde_json::Value {
    match line {
        "case_management" => json!({
            "session_type": pick(rng, &["intake", "follow_up", "crisis", "home_visit"]),
        }),
        "psychosocial" => json!({
            "format": pick(rng, &["individual", "group"]),
            "modality": pick(rng, &["in_person", "phone", "video"]),
            "sessions": rng.gen_range(1..4),
        }),
        "legal" => json!({
            "legal_kind": pick(rng, &["consultation", "representation", "documents_filed"]),
            "court": pick(rng, &["criminal_first_instance", "civil", "administrative", "asylum_appeals"]),
        }),
        "interpretation" => json!({
            "language": pick(rng, &LANGUAGES),
            "mode": pick(rng, &["in_person", "phone", "video"]),
        }),
        "escort" => json!({
            "destination": pick(rng, &["hospital", "police", "prosecutor", "court", "asylum_service"]),
            "escort_purpose": pick(rng, &["medical_appointment", "statement", "hearing", "documents"]),
        }),
        "integration" => json!({
            "activity": pick(rng, &["language_course", "vocational_training", "job_placement", "housing_support"]),
        }),
        _ => json!({
            "assistance_kind": pick(rng, &["food", "clothing", "hygiene", "transport"]),
            "value_cents": rng.gen_range(500..15000),
        }),
    }
}

/// Staff the generated cases are spread over.
struct Staff {
    caseworkers: Vec<(String, String)>,
    by_role: BTreeMap<&'static str, String>,
    coordinator: String,
    receiving_organisation: String,
    receiving_user: String,
}

/// A birth date that falls in `bracket` on `on`.
fn birth_date_for(rng: &mut StdRng, bracket: Option<&str>, on: NaiveDate) -> Option<NaiveDate> {
    let (low, high) = match bracket? {
        "0_8" => (3, 8),
        "9_17" => (9, 17),
        "18_20" => (18, 20),
        "21_23" => (21, 23),
        "24_26" => (24, 26),
        "27_29" => (27, 29),
        "30_38" => (30, 38),
        "39_47" => (39, 47),
        _ => (48, 60),
    };
    let age: u32 = rng.gen_range(low..=high);
    let days = u64::from(age) * 365 + rng.gen_range(30..330);
    let birth = on.checked_sub_days(Days::new(days))?;
    // Keep the bracket exact: recompute and reject a date that slips.
    let age_now = procap_domain::case::age::age_on(birth, on);
    (AgeBracket::for_age(age_now).as_str() == bracket?).then_some(birth)
}

fn generate_case(
    rng: &mut StdRng,
    number: u32,
    sample: &procap_import::CtdcRecord,
    staff: &Staff,
    today: NaiveDate,
) -> BulkCase {
    let caseworker = &staff.caseworkers[number as usize % staff.caseworkers.len()].0;
    // Cases opened over the last six years, more of them recently.
    let age_days = (rng.gen_range(0.0f64..1.0).powf(1.5) * 6.0 * 365.0) as u64 + 1;
    let opened_on = today - Days::new(age_days);
    let birth_date = birth_date_for(rng, sample.age_bracket, opened_on);
    let is_minor = sample.is_minor;
    let citizenship = sample.citizenship.clone().unwrap_or_default();
    let given = pick(rng, &GIVEN_NAMES);
    let family = format!("{} {number:06}", pick(rng, &FAMILY_NAMES));
    let language = pick(rng, &LANGUAGES);
    let closed = (age_days > 365 && rng.gen_bool(0.6)).then(|| {
        let closed_on = opened_on + Days::new(rng.gen_range(90..age_days.max(91)));
        (closed_on.min(today), pick(rng, &CLOSURE_REASONS))
    });
    let last_day = closed.map(|(on, _)| on).unwrap_or(today);
    let span = (last_day - opened_on).num_days().max(1) as u64;
    let day_in_case = |rng: &mut StdRng| opened_on + Days::new(rng.gen_range(0..=span));

    let mut services = Vec::with_capacity(24);
    let count = rng.gen_range(14..=26);
    for index in 0..count {
        // Every line appears; case management most often.
        let (line, role) = if let Some(&first_round) = LINES.get(index) {
            first_round
        } else if rng.gen_bool(0.4) {
            LINES[0]
        } else {
            pick(rng, &LINES)
        };
        let staff_user_id = if role == Role::Caseworker {
            caseworker.clone()
        } else {
            staff.by_role[role.as_str()].clone()
        };
        services.push(BulkService {
            line,
            occurred_on: day_in_case(rng),
            duration_minutes: pick(rng, &[30, 45, 60, 90, 120]),
            staff_user_id,
            beneficiary_present: rng.gen_bool(0.9),
            details: service_details(rng, line),
            outcome: Some(pick(rng, &OUTCOMES)),
            notes: rng
                .gen_bool(0.3)
                .then(|| format!("Σημείωση συνεδρίας {index} (δοκιμαστικά δεδομένα)")),
        });
    }

    let mut appointments = Vec::new();
    for _ in 0..rng.gen_range(1..=3) {
        let interpretation = rng.gen_bool(0.6);
        let day = day_in_case(rng);
        let starts_at: NaiveDateTime = day
            .and_hms_opt(rng.gen_range(9..16), pick(rng, &[0, 30]), 0)
            .unwrap_or_default();
        appointments.push(BulkAppointment {
            kind: if interpretation {
                "interpretation"
            } else {
                "escort"
            },
            staff_user_id: staff.by_role[if interpretation {
                "interpreter"
            } else {
                "escort"
            }]
            .clone(),
            starts_at,
            duration_minutes: 60,
            place: "Γραφείο επίδειξης, αίθουσα 2".to_owned(),
            language: interpretation.then(|| language.to_owned()),
            status: if day >= today {
                "booked"
            } else if rng.gen_bool(0.9) {
                "completed"
            } else {
                "cancelled"
            },
        });
    }

    let mut consents = vec![BulkConsent {
        purpose: "data_processing",
        recipient_organisation_id: None,
        given: true,
        recorded_on: opened_on,
        language: language.to_owned(),
    }];
    let mut referrals = Vec::new();
    if rng.gen_bool(0.3) {
        consents.push(BulkConsent {
            purpose: "sharing",
            recipient_organisation_id: Some(staff.receiving_organisation.clone()),
            given: true,
            recorded_on: opened_on,
            language: language.to_owned(),
        });
        let status = pick(
            rng,
            &["sent", "accepted", "accepted", "completed", "declined"],
        );
        referrals.push(BulkReferral {
            to_organisation_id: staff.receiving_organisation.clone(),
            service_line: pick(rng, &LINES).0,
            status,
            reason: "Παραπομπή για εξειδικευμένη υποστήριξη (δοκιμαστικά δεδομένα)".to_owned(),
            referred_on: day_in_case(rng),
            responded_by: (status != "sent").then(|| staff.receiving_user.clone()),
        });
    }
    if rng.gen_bool(0.2) {
        consents.push(BulkConsent {
            purpose: "research",
            recipient_organisation_id: None,
            given: rng.gen_bool(0.7),
            recorded_on: opened_on,
            language: language.to_owned(),
        });
    }

    let plan = rng.gen_bool(0.7).then(|| {
        let goals = (0..rng.gen_range(2..=4))
            .map(|index| BulkGoal {
                support_type: pick(rng, &procap_store::plan::SUPPORT_TYPES),
                description: format!("Στόχος {} του σχεδίου (δοκιμαστικά δεδομένα)", index + 1),
                responsible_user_id: caseworker.clone(),
                agreed_on: opened_on,
                due_on: opened_on + Days::new(rng.gen_range(60..365)),
                progress: pick(rng, &procap_store::plan::PROGRESS),
            })
            .collect();
        BulkPlan {
            approved_by: staff.coordinator.clone(),
            goals,
            reviewed_on: rng
                .gen_bool(0.6)
                .then(|| (opened_on + Days::new(90)).min(last_day)),
        }
    });

    let exploitation_types = sample.exploitation_types.join(";");
    BulkCase {
        person: PersonDetails {
            given_name: given.to_owned(),
            family_name: Some(family),
            aliases: None,
            birth_date,
            contact: Some(format!("Δομή φιλοξενίας {}", number % 40 + 1)),
            household: None,
            document_numbers: if rng.gen_bool(0.5) {
                vec![format!("X{number:08}")]
            } else {
                Vec::new()
            },
        },
        attributes: PersonAttributes {
            estimated_birth_year: None,
            sex: sample.sex.to_owned(),
            gender_identity: None,
            citizenships: citizenship.clone(),
            languages: language.to_owned(),
            interpreter_gender: None,
            legal_status: (pick(rng, &LEGAL_STATUSES)).to_owned(),
            vulnerabilities: if is_minor {
                "minor".to_owned()
            } else {
                String::new()
            },
        },
        case: CaseAttributes {
            age_bracket: sample.age_bracket.map(str::to_owned),
            is_minor,
            region: (pick(rng, &REGIONS)).to_owned(),
            setting: (pick(rng, &SETTINGS)).to_owned(),
            facility: None,
            exploitation_types: if exploitation_types.is_empty() {
                "other".to_owned()
            } else {
                exploitation_types
            },
            forced_labour_industry: sample.forced_labour_industry.map(str::to_owned),
            means_of_control: sample.means_of_control.join(";"),
            recruitment_method: None,
            trafficker_relationship: sample.trafficker_relationship.map(str::to_owned),
            countries_recruitment: citizenship,
            countries_transit: String::new(),
            countries_exploitation: "GR".to_owned(),
            opened_on,
        },
        intake: IntakeReferral {
            source: (pick(rng, &SOURCES)).to_owned(),
            referred_on: opened_on,
            referring_contact: None,
            reason: Some("Φανταστικό περιστατικό για δοκιμές φόρτου".to_owned()),
        },
        caseworker_id: caseworker.clone(),
        nrm_status: pick(rng, &NRM_STATUSES),
        closed,
        services,
        appointments,
        consents,
        referrals,
        plan,
    }
}

fn bar(length: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(length);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>9} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_owned());
    bar
}

/// Creates `count` caseworker accounts beyond the demo caseworker, named
/// `caseworker-0002` and on, and returns all of them as (id, username).
fn caseworkers(
    store: &Store,
    organisation_id: &str,
    count: u32,
    password_hash: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let organisation_id = organisation_id.to_owned();
    let password_hash = password_hash.to_owned();
    Ok(store.run_blocking(move |db| {
        db.transaction(|db| {
            let first = users::find_by_username(db, Role::Caseworker.as_str())?
                .ok_or(StoreError::NotFound)?;
            let mut all = vec![(first.id, first.username)];
            for number in 2..=count.max(1) {
                let username = format!("caseworker-{number:04}");
                let user = match users::find_by_username(db, &username)? {
                    Some(user) => user,
                    None => users::create(
                        db,
                        &users::NewUser {
                            organisation_id: &organisation_id,
                            username: &username,
                            display_name: &format!("Κοινωνικός Λειτουργός {number}"),
                            email: None,
                            role: Role::Caseworker.as_str(),
                            password_hash: &password_hash,
                            must_change_password: false,
                            locale: "el",
                        },
                    )?,
                };
                all.push((user.id, user.username));
            }
            Ok(all)
        })
    })?)
}

pub fn run(settings: Settings, options: Options) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let password = options.password.unwrap_or_else(one_time_password);
    let store = crate::startup::open_store(&settings)?;
    println!("Loading the demo organisations, accounts and course…");
    super::demo::seed(&store, &password)?;

    let records =
        procap_import::parse_ctdc(super::demo::CTDC_SAMPLE.as_bytes()).map_err(|errors| {
            anyhow::anyhow!(
                "the shipped CTDC sample is invalid: {} errors",
                errors.len()
            )
        })?;
    let password_hash = procap_crypto::hash_password(&password);

    let (organisation, receiving, staff_by_role) = store.run_blocking(|db| {
        let all = organisations::list(db)?;
        let find = |prefix: &str| {
            all.iter()
                .find(|organisation| organisation.case_code_prefix == prefix)
                .cloned()
                .ok_or(StoreError::NotFound)
        };
        let mut by_role = BTreeMap::new();
        for role in Role::ALL {
            let user = users::find_by_username(db, role.as_str())?.ok_or(StoreError::NotFound)?;
            by_role.insert(role.as_str(), user.id);
        }
        Ok((find("KA")?, find("EKA")?, by_role))
    })?;
    let caseworkers = caseworkers(
        &store,
        &organisation.id,
        options.cases.div_ceil(CASES_PER_CASEWORKER),
        &password_hash,
    )?;
    let staff = Staff {
        caseworkers,
        coordinator: staff_by_role["coordinator"].clone(),
        receiving_user: staff_by_role["monitoring"].clone(),
        by_role: staff_by_role,
        receiving_organisation: receiving.id.clone(),
    };

    let usernames: std::collections::HashMap<&str, &str> = staff
        .caseworkers
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let mut rng = StdRng::seed_from_u64(options.seed);
    let today = chrono::Utc::now().date_naive();
    let mut totals = BulkCounts::default();
    let mut audit_events: u64 = 0;
    let cases_started = Instant::now();
    let progress = bar(u64::from(options.cases), "cases");
    let batch_size = options.batch.max(1);
    let mut done = 0u32;
    while done < options.cases {
        let size = batch_size.min(options.cases - done);
        let batch: Vec<BulkCase> = (done..done + size)
            .map(|number| {
                let sample = &records[rng.gen_range(0..records.len())];
                generate_case(&mut rng, number + 1, sample, &staff, today)
            })
            .collect();
        let (inserted, counts) = store.run_blocking(|db| {
            procap_store::bulk::insert_cases(
                db,
                &organisation.id,
                &organisation.case_code_prefix,
                &batch,
            )
        })?;
        totals += counts;
        // Audit events as the pages would have written them: registration,
        // one per service line used, and a few case page views.
        let mut events = Vec::with_capacity(inserted.len() * 4);
        for (case, generated) in inserted.iter().zip(&batch) {
            let caseworker = usernames
                .get(generated.caseworker_id.as_str())
                .map(|name| (generated.caseworker_id.as_str(), *name))
                .unwrap_or(("", ""));
            events.push(
                AuditEvent::new("case.register", Outcome::Success)
                    .actor(caseworker.0, caseworker.1)
                    .object("case", &case.id)
                    .details(json!({ "code": case.code, "generated": true })),
            );
            for service in generated.services.iter().take(2) {
                events.push(
                    AuditEvent::new("service.record", Outcome::Success)
                        .actor(caseworker.0, caseworker.1)
                        .object("case", &case.id)
                        .details(json!({ "line": service.line })),
                );
            }
            events.push(
                AuditEvent::new("case.view", Outcome::Success)
                    .actor(caseworker.0, caseworker.1)
                    .object("case", &case.id),
            );
        }
        audit_events += events.len() as u64;
        store.run_blocking(|db| audit::append_batch(db, &events))?;
        done += size;
        progress.set_position(u64::from(done));
    }
    progress.finish();
    let cases_seconds = cases_started.elapsed().as_secs_f64();

    let trainees_started = Instant::now();
    let training = generate_training(&store, &mut rng, options.trainees, &password_hash)?;
    let trainees_seconds = trainees_started.elapsed().as_secs_f64();

    println!();
    println!(
        "Generated on {}: {} cases, {} service records, {} appointments, {} consents, {} referrals, \
         {} plans ({} reviews), {} audit events in {:.1} s ({:.0} cases/s)",
        store.backend().as_str(),
        totals.cases,
        totals.services,
        totals.appointments,
        totals.consents,
        totals.referrals,
        totals.plans,
        totals.reviews,
        audit_events,
        cases_seconds,
        f64::from(totals.cases as u32) / cases_seconds.max(0.001),
    );
    println!(
        "Training: {} trainees, {} quiz attempts, {} certificates in {:.1} s",
        training.trainees, training.attempts, training.certificates, trainees_seconds
    );
    if let Some(quiz) = &training.module_quiz {
        println!("Module quiz for load tests: /training/quizzes/{quiz}");
    }
    println!("Total time: {:.1} s", started.elapsed().as_secs_f64());
    println!(
        "Accounts: the demo accounts (admin, coordinator, caseworker, …), caseworker-0002… and \
         trainee-00001…, password: {password}"
    );
    Ok(ExitCode::SUCCESS)
}

struct TrainingCounts {
    trainees: u32,
    attempts: u32,
    certificates: u32,
    /// A module quiz without an attempt limit, for the load generator.
    module_quiz: Option<String>,
}

/// An answer to `body` that is correct with probability `skill`.
fn answer(rng: &mut StdRng, body: &QuestionBody, skill: f64) -> Option<Answer> {
    let right = rng.gen_bool(skill);
    match body {
        QuestionBody::SingleChoice { options, correct } => Some(Answer::SingleChoice(if right {
            correct.clone()
        } else {
            options.choose(rng)?.clone()
        })),
        QuestionBody::MultipleChoice {
            options, correct, ..
        } => Some(Answer::MultipleChoice(if right {
            correct.clone()
        } else {
            options.iter().take(1).cloned().collect()
        })),
        QuestionBody::TrueFalse { correct } => Some(Answer::TrueFalse(if right {
            *correct
        } else {
            rng.gen_bool(0.5)
        })),
        _ => None,
    }
}

/// Trainees `trainee-00001`… enrolled in the shipped course, each with a
/// pre-test and a post-test attempt; those who pass the post-test get a
/// certificate.
fn generate_training(
    store: &Store,
    rng: &mut StdRng,
    count: u32,
    password_hash: &str,
) -> anyhow::Result<TrainingCounts> {
    let mut counts = TrainingCounts {
        trainees: 0,
        attempts: 0,
        certificates: 0,
        module_quiz: None,
    };
    let (organisation_id, course_id, quiz_ids, module_quiz) = store.run_blocking(|db| {
        let trainer =
            users::find_by_username(db, Role::Trainer.as_str())?.ok_or(StoreError::NotFound)?;
        let (courses, _) = courses::list_courses(db, None, 0, 1)?;
        let course = courses.into_iter().next().ok_or(StoreError::NotFound)?;
        let all = quizzes::list_quizzes(db, &course.id)?;
        let module_quiz = all
            .iter()
            .find(|quiz| quiz.module_id.is_some() && quiz.rules.max_attempts().is_none())
            .map(|quiz| quiz.id.clone());
        let tests: Vec<String> = all
            .into_iter()
            .filter(|quiz| quiz.module_id.is_none())
            .map(|quiz| quiz.id)
            .collect();
        Ok((trainer.organisation_id, course.id, tests, module_quiz))
    })?;
    counts.module_quiz = module_quiz;
    if count == 0 {
        return Ok(counts);
    }
    let progress = bar(u64::from(count), "trainees");
    let sectors = courses::SECTORS;
    for chunk_start in (1..=count).step_by(100) {
        let chunk_end = (chunk_start + 99).min(count);
        let skills: Vec<f64> = (chunk_start..=chunk_end)
            .map(|_| rng.gen_range(0.3..1.0))
            .collect();
        let seeds: Vec<u64> = (chunk_start..=chunk_end).map(|_| rng.r#gen()).collect();
        let mut answer_rng = StdRng::seed_from_u64(rng.r#gen());
        let chunk = store.run_blocking(|db| {
            let mut chunk = TrainingCounts {
                trainees: 0,
                attempts: 0,
                certificates: 0,
                module_quiz: None,
            };
            for (offset, number) in (chunk_start..=chunk_end).enumerate() {
                let username = format!("trainee-{number:05}");
                if users::find_by_username(db, &username)?.is_some() {
                    continue;
                }
                let user = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &organisation_id,
                        username: &username,
                        display_name: &format!(
                            "{} Εκπαιδευόμενη {number}",
                            GIVEN_NAMES[number as usize % GIVEN_NAMES.len()]
                        ),
                        email: None,
                        role: Role::Trainee.as_str(),
                        password_hash,
                        must_change_password: false,
                        locale: "el",
                    },
                )?;
                enrolment::create_profile(
                    db,
                    &enrolment::NewProfile {
                        user_id: &user.id,
                        sector: sectors[number as usize % sectors.len()],
                        region: REGIONS[number as usize % REGIONS.len()],
                        employer: None,
                        invitation_id: None,
                    },
                )?;
                enrolment::enrol(db, &course_id, &user.id, None)?;
                chunk.trainees += 1;
                let mut passed_all = !quiz_ids.is_empty();
                for (index, quiz_id) in quiz_ids.iter().enumerate() {
                    let now = chrono::Utc::now();
                    let attempt_id =
                        quizzes::start_attempt(db, quiz_id, &user.id, seeds[offset], now)
                            .map_err(|error| StoreError::Corrupt(format!("{error:?}")))?;
                    let attempt = quizzes::get_attempt(db, &attempt_id)?;
                    // Later tests go better: the post-test after the course.
                    let skill = (skills[offset] + 0.15 * index as f64).min(0.98);
                    let answers: BTreeMap<QuestionId, Answer> = attempt
                        .questions
                        .iter()
                        .filter_map(|stored| {
                            answer(&mut answer_rng, stored.question.body(), skill)
                                .map(|answer| (stored.question.id().clone(), answer))
                        })
                        .collect();
                    let submitted =
                        quizzes::submit_attempt(db, &attempt_id, &user.id, &answers, now)
                            .map_err(|error| StoreError::Corrupt(format!("{error:?}")))?;
                    passed_all &= submitted.result.passed;
                    chunk.attempts += 1;
                }
                if passed_all {
                    match certificates::issue(
                        db,
                        &user.id,
                        &course_id,
                        chrono::Utc::now().date_naive(),
                    ) {
                        Ok(_) => chunk.certificates += 1,
                        Err(StoreError::Conflict(_)) => {}
                        Err(error) => return Err(error),
                    }
                }
            }
            Ok(chunk)
        })?;
        counts.trainees += chunk.trainees;
        counts.attempts += chunk.attempts;
        counts.certificates += chunk.certificates;
        progress.set_position(u64::from(chunk_end));
    }
    progress.finish();
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn birth_dates_fall_in_their_bracket() {
        let mut rng = StdRng::seed_from_u64(7);
        let on = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
        for bracket in ["0_8", "9_17", "18_20", "30_38", "48_plus"] {
            for _ in 0..50 {
                if let Some(birth) = birth_date_for(&mut rng, Some(bracket), on) {
                    let age = procap_domain::case::age::age_on(birth, on);
                    assert_eq!(AgeBracket::for_age(age).as_str(), bracket);
                    assert!(birth.year() < on.year());
                }
            }
        }
        assert_eq!(birth_date_for(&mut rng, None, on), None);
    }
}
