//! Needs assessments of a case: a level per need domain with an encrypted
//! note, the re-trafficking risk with its factors, and the safety plan.
//!
//! Assessments are never edited: a new one is recorded each time the
//! situation is assessed again, and the page compares the latest with the
//! one before it ([`compare`]).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::users;
use crate::schema_assessment::{needs_assessment_domains, needs_assessments};
use crate::{Db, StoreError};

/// The need domains, in the order forms and tables show them.
pub const DOMAINS: [&str; 9] = [
    "safety",
    "health",
    "psychosocial",
    "legal",
    "documents",
    "accommodation",
    "livelihood",
    "education",
    "family",
];

/// Need levels from none to most pressing; the position is the rank.
pub const LEVELS: [&str; 5] = ["no_need", "low", "medium", "high", "urgent"];

/// Re-trafficking risk levels from lowest to highest.
pub const RISK_LEVELS: [&str; 3] = ["low", "medium", "high"];

/// Re-trafficking risk factors, in their stored order.
pub const RISK_FACTORS: [&str; 8] = [
    "contact_with_traffickers",
    "debt",
    "no_income",
    "no_documents",
    "isolation",
    "substance_use",
    "prior_re_trafficking",
    "family_pressure",
];

/// How a level moved from the previous assessment to the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Up,
    Down,
    Same,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Up => "up",
            Change::Down => "down",
            Change::Same => "same",
        }
    }

    fn between(previous: Option<usize>, latest: Option<usize>) -> Change {
        match (previous, latest) {
            (Some(previous), Some(latest)) if latest > previous => Change::Up,
            (Some(previous), Some(latest)) if latest < previous => Change::Down,
            _ => Change::Same,
        }
    }
}

/// One domain of an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainLevel {
    pub domain: String,
    pub level: String,
    pub note: Option<String>,
}

pub struct NewAssessment<'a> {
    pub case_id: &'a str,
    pub assessed_on: NaiveDate,
    /// One entry per domain of [`DOMAINS`]; the caller has checked the codes.
    pub domains: &'a [DomainLevel],
    pub risk_level: &'a str,
    /// Factor codes of [`RISK_FACTORS`], ';'-joined in that order.
    pub risk_factors: &'a str,
    pub safety_plan: Option<&'a str>,
    pub assessed_by: &'a str,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: String,
    pub assessed_on: NaiveDate,
    /// In the order of [`DOMAINS`].
    pub domains: Vec<DomainLevel>,
    pub risk_level: String,
    pub risk_factors: String,
    pub safety_plan: Option<String>,
    /// Username of the person who recorded it.
    pub assessed_by: String,
    pub created_at: NaiveDateTime,
}

impl Assessment {
    /// The level recorded for `domain`, if any.
    pub fn level(&self, domain: &str) -> Option<&str> {
        self.domains
            .iter()
            .find(|entry| entry.domain == domain)
            .map(|entry| entry.level.as_str())
    }
}

/// The rank of a need level in [`LEVELS`]; `None` for an unknown code.
pub fn level_rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|known| *known == level)
}

/// The rank of a risk level in [`RISK_LEVELS`]; `None` for an unknown code.
pub fn risk_rank(level: &str) -> Option<usize> {
    RISK_LEVELS.iter().position(|known| *known == level)
}

/// Compares the latest assessment with the previous one: per domain of
/// [`DOMAINS`] whether the need went up, down or stayed, and the same for
/// the re-trafficking risk (the last element of the tuple).
pub fn compare(
    latest: &Assessment,
    previous: &Assessment,
) -> (Vec<(&'static str, Change)>, Change) {
    let domains = DOMAINS
        .iter()
        .map(|domain| {
            let change = Change::between(
                previous.level(domain).and_then(level_rank),
                latest.level(domain).and_then(level_rank),
            );
            (*domain, change)
        })
        .collect();
    let risk = Change::between(
        risk_rank(&previous.risk_level),
        risk_rank(&latest.risk_level),
    );
    (domains, risk)
}

fn encrypt_opt(
    db: &Db<'_>,
    table: &str,
    column: &str,
    row_id: &str,
    value: Option<&str>,
) -> Option<Vec<u8>> {
    value.filter(|value| !value.trim().is_empty()).map(|value| {
        db.keys.encrypt_str(
            &FieldContext {
                table,
                column,
                row_id,
            },
            value,
        )
    })
}

fn decrypt_opt(
    db: &Db<'_>,
    table: &str,
    column: &str,
    row_id: &str,
    value: &Option<Vec<u8>>,
) -> Result<Option<String>, StoreError> {
    match value {
        None => Ok(None),
        Some(ciphertext) => Ok(Some(
            db.keys
                .decrypt_string(
                    &FieldContext {
                        table,
                        column,
                        row_id,
                    },
                    ciphertext,
                )?
                .to_string(),
        )),
    }
}

/// Stores an assessment with its domain levels in one transaction and
/// returns its id.
pub fn record_assessment(db: &mut Db<'_>, new: &NewAssessment<'_>) -> Result<String, StoreError> {
    let id = crate::new_id();
    let safety_plan = encrypt_opt(
        db,
        "needs_assessments",
        "safety_plan_enc",
        &id,
        new.safety_plan,
    );
    let domain_rows: Vec<(String, &DomainLevel, Option<Vec<u8>>)> = new
        .domains
        .iter()
        .map(|entry| {
            let row_id = crate::new_id();
            let note = encrypt_opt(
                db,
                "needs_assessment_domains",
                "note_enc",
                &row_id,
                entry.note.as_deref(),
            );
            (row_id, entry, note)
        })
        .collect();
    crate::db::write_transaction(db.conn, |conn| {
        diesel::insert_into(needs_assessments::table)
            .values((
                needs_assessments::id.eq(&id),
                needs_assessments::case_id.eq(new.case_id),
                needs_assessments::assessed_on.eq(new.assessed_on),
                needs_assessments::risk_level.eq(new.risk_level),
                needs_assessments::risk_factors.eq(new.risk_factors),
                needs_assessments::safety_plan_enc.eq(&safety_plan),
                needs_assessments::assessed_by.eq(new.assessed_by),
                needs_assessments::created_at.eq(crate::now()),
            ))
            .execute(conn)?;
        for (row_id, entry, note) in &domain_rows {
            diesel::insert_into(needs_assessment_domains::table)
                .values((
                    needs_assessment_domains::id.eq(row_id),
                    needs_assessment_domains::assessment_id.eq(&id),
                    needs_assessment_domains::domain.eq(&entry.domain),
                    needs_assessment_domains::level.eq(&entry.level),
                    needs_assessment_domains::note_enc.eq(note),
                ))
                .execute(conn)?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(id)
}

/// A case's assessments, newest first (by assessment date, then by the
/// time they were recorded), with their domains decrypted.
pub fn list_assessments(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Assessment>, StoreError> {
    type Row = (
        String,
        NaiveDate,
        String,
        String,
        Option<Vec<u8>>,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Row> = needs_assessments::table
        .inner_join(users::table.on(users::id.eq(needs_assessments::assessed_by)))
        .filter(needs_assessments::case_id.eq(case_id))
        .order((
            needs_assessments::assessed_on.desc(),
            needs_assessments::created_at.desc(),
        ))
        .select((
            needs_assessments::id,
            needs_assessments::assessed_on,
            needs_assessments::risk_level,
            needs_assessments::risk_factors,
            needs_assessments::safety_plan_enc,
            users::username,
            needs_assessments::created_at,
        ))
        .load(db.conn)?;
    let ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    let domain_rows: Vec<EncryptedEntryRow> = needs_assessment_domains::table
        .filter(needs_assessment_domains::assessment_id.eq_any(ids))
        .select((
            needs_assessment_domains::id,
            needs_assessment_domains::assessment_id,
            needs_assessment_domains::domain,
            needs_assessment_domains::level,
            needs_assessment_domains::note_enc,
        ))
        .load(db.conn)?;
    let mut domains: HashMap<String, Vec<DomainLevel>> = HashMap::new();
    for (row_id, assessment_id, domain, level, note) in domain_rows {
        let note = decrypt_opt(db, "needs_assessment_domains", "note_enc", &row_id, &note)?;
        domains.entry(assessment_id).or_default().push(DomainLevel {
            domain,
            level,
            note,
        });
    }
    rows.into_iter()
        .map(
            |(id, assessed_on, risk_level, risk_factors, safety_plan, by, created_at)| {
                let mut entries = domains.remove(&id).unwrap_or_default();
                entries.sort_by_key(|entry| {
                    DOMAINS
                        .iter()
                        .position(|known| *known == entry.domain)
                        .unwrap_or(DOMAINS.len())
                });
                Ok(Assessment {
                    safety_plan: decrypt_opt(
                        db,
                        "needs_assessments",
                        "safety_plan_enc",
                        &id,
                        &safety_plan,
                    )?,
                    id,
                    assessed_on,
                    domains: entries,
                    risk_level,
                    risk_factors,
                    assessed_by: by,
                    created_at,
                })
            },
        )
        .collect()
}

/// `(id, parent id, code, value, encrypted note)` of a child row.
type EncryptedEntryRow = (String, String, String, String, Option<Vec<u8>>);

#[cfg(test)]
mod tests {
    use super::*;

    fn assessment(levels: &[(&str, &str)], risk: &str) -> Assessment {
        Assessment {
            id: "a".into(),
            assessed_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            domains: levels
                .iter()
                .map(|(domain, level)| DomainLevel {
                    domain: (*domain).into(),
                    level: (*level).into(),
                    note: None,
                })
                .collect(),
            risk_level: risk.into(),
            risk_factors: String::new(),
            safety_plan: None,
            assessed_by: "x".into(),
            created_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn compare_reports_direction_per_domain_and_risk() {
        let previous = assessment(
            &[("safety", "high"), ("health", "low"), ("legal", "medium")],
            "high",
        );
        let latest = assessment(
            &[
                ("safety", "medium"),
                ("health", "urgent"),
                ("legal", "medium"),
            ],
            "low",
        );
        let (domains, risk) = compare(&latest, &previous);
        let find = |name: &str| {
            domains
                .iter()
                .find(|(domain, _)| *domain == name)
                .unwrap()
                .1
        };
        assert_eq!(find("safety"), Change::Down);
        assert_eq!(find("health"), Change::Up);
        assert_eq!(find("legal"), Change::Same);
        assert_eq!(find("family"), Change::Same, "missing on both sides");
        assert_eq!(risk, Change::Down);
    }

    #[test]
    fn ranks_follow_the_code_lists() {
        assert!(level_rank("urgent") > level_rank("no_need"));
        assert_eq!(level_rank("severe"), None);
        assert_eq!(risk_rank("high"), Some(2));
    }
}
