//! Erasure and subject-access requests, and the subject-access export.
//!
//! Staff file a request for a case with a reason; a coordinator of the
//! owning organisation other than the requester approves or rejects it with
//! a reason of their own. The rule that nobody decides their own request is
//! enforced here, in the `UPDATE`'s `WHERE`, as well as by the web layer.
//! Reasons are free text and encrypted; anonymising the case clears them.
//!
//! [`subject_access_export`] gathers, decrypted, everything Procap holds
//! about the person of a case, as one JSON document.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;
use serde_json::{Value, json};

use crate::schema::{audit_log, cases, trafficking_events, users};
use crate::schema_followups::case_followups;
use crate::schema_requests::data_requests;
use crate::{Db, StoreError};

pub const KIND_ERASURE: &str = "erasure";
pub const KIND_SUBJECT_ACCESS: &str = "subject_access";
pub const KINDS: [&str; 2] = [KIND_ERASURE, KIND_SUBJECT_ACCESS];

pub const STATUS_PENDING: &str = "pending";
pub const STATUS_APPROVED: &str = "approved";
pub const STATUS_REJECTED: &str = "rejected";

/// The format name written at the top of every subject-access export.
pub const EXPORT_FORMAT: &str = "procap.subject_access.v1";

fn reason_context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "data_requests",
        column: "reason_enc",
        row_id,
    }
}

fn decision_context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "data_requests",
        column: "decision_reason_enc",
        row_id,
    }
}

/// A request with its reasons decrypted. Holds free text: no `Debug` of it.
#[derive(Clone)]
pub struct DataRequest {
    pub id: String,
    pub case_id: String,
    pub case_code: String,
    pub organisation_id: String,
    pub kind: String,
    pub status: String,
    /// `None` once the case was anonymised.
    pub reason: Option<String>,
    pub requested_by: String,
    pub requested_by_username: String,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_by_username: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reason: Option<String>,
}

impl std::fmt::Debug for DataRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataRequest")
            .field("id", &self.id)
            .field("case_id", &self.case_id)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Files a pending request and returns its id. The caller has checked that
/// `kind` is one of [`KINDS`] and that the user may open the case.
pub fn create(
    db: &mut Db<'_>,
    case_id: &str,
    kind: &str,
    reason: &str,
    requested_by: &str,
) -> Result<String, StoreError> {
    let organisation_id: String = cases::table
        .find(case_id)
        .select(cases::organisation_id)
        .first(db.conn)?;
    let id = crate::new_id();
    let reason_enc = db.keys.encrypt_str(&reason_context(&id), reason);
    diesel::insert_into(data_requests::table)
        .values((
            data_requests::id.eq(&id),
            data_requests::case_id.eq(case_id),
            data_requests::organisation_id.eq(&organisation_id),
            data_requests::kind.eq(kind),
            data_requests::status.eq(STATUS_PENDING),
            data_requests::reason_enc.eq(Some(reason_enc)),
            data_requests::requested_by.eq(requested_by),
            data_requests::requested_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

type RequestRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<Vec<u8>>,
    String,
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
    Option<Vec<u8>>,
);

fn load_rows(
    db: &mut Db<'_>,
    organisation_id: Option<&str>,
    request_id: Option<&str>,
) -> Result<Vec<DataRequest>, StoreError> {
    let mut query = data_requests::table
        .inner_join(cases::table.on(cases::id.eq(data_requests::case_id)))
        .into_boxed();
    if let Some(organisation_id) = organisation_id {
        query = query.filter(data_requests::organisation_id.eq(organisation_id.to_owned()));
    }
    if let Some(request_id) = request_id {
        query = query.filter(data_requests::id.eq(request_id.to_owned()));
    }
    let rows: Vec<RequestRow> = query
        .order(data_requests::requested_at.desc())
        .select((
            data_requests::id,
            data_requests::case_id,
            cases::code,
            data_requests::organisation_id,
            data_requests::kind,
            data_requests::status,
            data_requests::reason_enc,
            data_requests::requested_by,
            data_requests::requested_at,
            data_requests::decided_by,
            data_requests::decided_at,
            data_requests::decision_reason_enc,
        ))
        .load(db.conn)?;
    let mut user_ids: Vec<String> = rows.iter().map(|row| row.7.clone()).collect();
    user_ids.extend(rows.iter().filter_map(|row| row.9.clone()));
    let names: std::collections::HashMap<String, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::username))
        .load::<(String, String)>(db.conn)?
        .into_iter()
        .collect();
    let keys = db.keys;
    rows.into_iter()
        .map(
            |(
                id,
                case_id,
                case_code,
                organisation_id,
                kind,
                status,
                reason,
                requested_by,
                requested_at,
                decided_by,
                decided_at,
                decision,
            )| {
                let reason = reason
                    .map(|value| keys.decrypt_string(&reason_context(&id), &value))
                    .transpose()?
                    .map(|text| text.to_string());
                let decision_reason = decision
                    .map(|value| keys.decrypt_string(&decision_context(&id), &value))
                    .transpose()?
                    .map(|text| text.to_string());
                Ok(DataRequest {
                    requested_by_username: names.get(&requested_by).cloned().unwrap_or_default(),
                    decided_by_username: decided_by
                        .as_ref()
                        .and_then(|user| names.get(user).cloned()),
                    id,
                    case_id,
                    case_code,
                    organisation_id,
                    kind,
                    status,
                    reason,
                    requested_by,
                    requested_at,
                    decided_by,
                    decided_at,
                    decision_reason,
                })
            },
        )
        .collect()
}

/// The requests of an organisation's cases, newest first.
pub fn list_for_organisation(
    db: &mut Db<'_>,
    organisation_id: &str,
) -> Result<Vec<DataRequest>, StoreError> {
    load_rows(db, Some(organisation_id), None)
}

/// One request; `NotFound` when there is none with this id.
pub fn get(db: &mut Db<'_>, request_id: &str) -> Result<DataRequest, StoreError> {
    load_rows(db, None, Some(request_id))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)
}

/// Records the decision on a pending request. Fails with
/// `Conflict("own_request")` when `decided_by` filed it, and with
/// `Conflict("decided")` when it is no longer pending.
pub fn decide(
    db: &mut Db<'_>,
    request_id: &str,
    decided_by: &str,
    approve: bool,
    reason: &str,
) -> Result<(), StoreError> {
    let requested_by: String = data_requests::table
        .find(request_id)
        .select(data_requests::requested_by)
        .first(db.conn)?;
    if requested_by == decided_by {
        return Err(StoreError::Conflict("own_request"));
    }
    let decision_enc = db.keys.encrypt_str(&decision_context(request_id), reason);
    let status = if approve {
        STATUS_APPROVED
    } else {
        STATUS_REJECTED
    };
    let updated = diesel::update(
        data_requests::table
            .find(request_id)
            .filter(data_requests::status.eq(STATUS_PENDING))
            .filter(data_requests::requested_by.ne(decided_by)),
    )
    .set((
        data_requests::status.eq(status),
        data_requests::decided_by.eq(Some(decided_by)),
        data_requests::decided_at.eq(Some(crate::now())),
        data_requests::decision_reason_enc.eq(Some(decision_enc)),
    ))
    .execute(db.conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict("decided"))
    }
}

fn date(value: &NaiveDate) -> Value {
    Value::from(value.to_string())
}

fn opt_date(value: &Option<NaiveDate>) -> Value {
    value.as_ref().map_or(Value::Null, date)
}

fn time(value: &NaiveDateTime) -> Value {
    Value::from(value.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn opt_time(value: &Option<NaiveDateTime>) -> Value {
    value.as_ref().map_or(Value::Null, time)
}

/// Everything held about the person of a case, decrypted: the person, the
/// case, intake, trafficking events, screenings, NRM history, assessments,
/// plan with reviews, services, consents, referrals, notes, attachment
/// records (not their bytes), appointments, follow-up contacts and the
/// audit events about the case. Field names are stable; values are codes, dates and text as
/// stored.
pub fn subject_access_export(db: &mut Db<'_>, case_id: &str) -> Result<Value, StoreError> {
    let view = crate::cases::get(db, case_id)?;
    let anonymisation = crate::retention::anonymisation(db, case_id)?;
    let case = &view.case;

    let person = view.person.as_ref().map_or(Value::Null, |person| {
        let details = &person.details;
        let attributes = &person.attributes;
        json!({
            "given_name": details.given_name,
            "family_name": details.family_name,
            "aliases": details.aliases,
            "birth_date": opt_date(&details.birth_date),
            "estimated_birth_year": attributes.estimated_birth_year,
            "sex": attributes.sex,
            "gender_identity": attributes.gender_identity,
            "citizenships": attributes.citizenships,
            "languages": attributes.languages,
            "interpreter_gender": attributes.interpreter_gender,
            "legal_status": attributes.legal_status,
            "contact": details.contact,
            "household": details.household,
            "vulnerabilities": attributes.vulnerabilities,
        })
    });
    let case_json = json!({
        "code": case.code,
        "status": case.status,
        "origin": case.origin,
        "sex": case.sex,
        "age_bracket": case.age_bracket,
        "is_minor": case.is_minor,
        "citizenship": case.citizenship,
        "region": case.region,
        "setting": case.setting,
        "facility": view.facility,
        "exploitation_types": case.exploitation_types,
        "forced_labour_industry": case.forced_labour_industry,
        "means_of_control": case.means_of_control,
        "recruitment_method": case.recruitment_method,
        "trafficker_relationship": case.trafficker_relationship,
        "countries_recruitment": case.countries_recruitment,
        "countries_transit": case.countries_transit,
        "countries_exploitation": case.countries_exploitation,
        "nrm_status": case.nrm_status,
        "reflection_period_ends_on": opt_date(&case.reflection_period_ends_on),
        "residence_permit_expires_on": opt_date(&case.residence_permit_expires_on),
        "sealed": case.sealed,
        "opened_on": date(&case.opened_on),
        "closed_on": opt_date(&case.closed_on),
        "closure_reason": case.closure_reason,
        "anonymised_at": anonymisation.as_ref().map_or(Value::Null, |a| time(&a.anonymised_at)),
    });
    let intake = view.intake.as_ref().map_or(Value::Null, |intake| {
        json!({
            "source": intake.source,
            "referred_on": date(&intake.referred_on),
            "referring_contact": intake.referring_contact,
            "reason": intake.reason,
        })
    });

    type EventRow = (
        String,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<String>,
        Option<Vec<u8>>,
    );
    let event_rows: Vec<EventRow> = trafficking_events::table
        .filter(trafficking_events::case_id.eq(case_id))
        .order(trafficking_events::started_on.asc())
        .select((
            trafficking_events::id,
            trafficking_events::kind,
            trafficking_events::started_on,
            trafficking_events::ended_on,
            trafficking_events::country,
            trafficking_events::description_enc,
        ))
        .load(db.conn)?;
    let mut events = Vec::new();
    for (id, kind, started_on, ended_on, country, description) in event_rows {
        let description = description
            .map(|value| {
                db.keys.decrypt_string(
                    &FieldContext {
                        table: "trafficking_events",
                        column: "description_enc",
                        row_id: &id,
                    },
                    &value,
                )
            })
            .transpose()?
            .map(|text| text.to_string());
        events.push(json!({
            "kind": kind,
            "started_on": opt_date(&started_on),
            "ended_on": opt_date(&ended_on),
            "country": country,
            "description": description,
        }));
    }

    let screenings: Vec<Value> = crate::case_records::list_screenings(db, case_id)?
        .iter()
        .map(|screening| {
            json!({
                "screened_at": time(&screening.screened_at),
                "screened_by": screening.screened_by,
                "age_group": screening.age_group,
                "exploitation_form": screening.exploitation_form,
                "indicators": screening.indicators,
                "positive_dimensions": screening.positive_dimensions,
                "trafficking_indicated": screening.trafficking_indicated,
                "notes": screening.notes,
            })
        })
        .collect();
    let nrm_events: Vec<Value> = crate::case_records::list_nrm_events(db, case_id)?
        .iter()
        .map(|event| {
            json!({
                "status": event.status,
                "occurred_on": date(&event.occurred_on),
                "reference": event.reference,
                "recorded_by": event.recorded_by,
                "recorded_at": time(&event.recorded_at),
            })
        })
        .collect();
    let assessments: Vec<Value> = crate::assessment::list_assessments(db, case_id)?
        .iter()
        .map(|assessment| {
            json!({
                "assessed_on": date(&assessment.assessed_on),
                "assessed_by": assessment.assessed_by,
                "risk_level": assessment.risk_level,
                "risk_factors": assessment.risk_factors,
                "safety_plan": assessment.safety_plan,
                "domains": assessment.domains.iter().map(|domain| json!({
                    "domain": domain.domain,
                    "level": domain.level,
                    "note": domain.note,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();

    let plan = match crate::plan::get_plan(db, case_id)? {
        None => Value::Null,
        Some(plan) => {
            let goals: Vec<Value> = crate::plan::list_goals(db, case_id)?
                .iter()
                .map(|goal| {
                    json!({
                        "support_type": goal.support_type,
                        "description": goal.description,
                        "responsible": goal.responsible_username,
                        "agreed_on": date(&goal.agreed_on),
                        "due_on": date(&goal.due_on),
                        "next_review_on": opt_date(&goal.next_review_on),
                        "progress": goal.progress,
                        "actions": goal.actions.iter().map(|action| json!({
                            "description": action.description,
                            "responsible": action.responsible_username,
                            "due_on": opt_date(&action.due_on),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let reviews: Vec<Value> = crate::plan::list_reviews(db, &plan.id)?
                .iter()
                .map(|review| {
                    json!({
                        "reviewed_on": date(&review.reviewed_on),
                        "next_review_on": opt_date(&review.next_review_on),
                        "reviewed_by": review.reviewed_by,
                        "entries": review.entries.iter().map(|entry| json!({
                            "progress": entry.progress,
                            "note": entry.note,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "status": plan.status.as_str(),
                "return_comment": plan.return_comment,
                "submitted_by": plan.submitted_by_username,
                "submitted_at": opt_time(&plan.submitted_at),
                "decided_by": plan.decided_by_username,
                "decided_at": opt_time(&plan.decided_at),
                "goals": goals,
                "reviews": reviews,
            })
        }
    };

    let (records, _) = crate::case_records::list_service_records(db, case_id, 0, i64::MAX / 2)?;
    let services: Vec<Value> = records
        .iter()
        .map(|record| {
            json!({
                "line": record.line,
                "occurred_on": date(&record.occurred_on),
                "duration_minutes": record.duration_minutes,
                "staff": record.staff_username,
                "beneficiary_present": record.beneficiary_present,
                "details": record.details,
                "outcome": record.outcome,
                "notes": record.notes,
            })
        })
        .collect();
    let consents: Vec<Value> = crate::case_records::list_consents(db, case_id)?
        .iter()
        .map(|consent| {
            json!({
                "purpose": consent.purpose,
                "recipient_organisation_id": consent.recipient_organisation_id,
                "given": consent.given,
                "recorded_on": date(&consent.recorded_on),
                "language": consent.language,
                "withdrawn_on": opt_date(&consent.withdrawn_on),
            })
        })
        .collect();
    let referrals: Vec<Value> = crate::referrals::list_for_case(db, case_id)?
        .iter()
        .map(|referral| {
            json!({
                "from_organisation": referral.from_organisation_name,
                "to_organisation": referral.to_organisation_name,
                "service_line": referral.service_line,
                "is_transfer": referral.is_transfer,
                "status": referral.status,
                "reason": referral.reason,
                "consent_overridden": referral.consent_overridden,
                "override_reason": referral.override_reason,
                "response_reason": referral.response_reason,
                "referred_on": date(&referral.referred_on),
                "responded_at": opt_time(&referral.responded_at),
            })
        })
        .collect();
    let notes: Vec<Value> = crate::notes::list_notes(db, case_id)?
        .iter()
        .map(|note| {
            json!({
                "created_at": time(&note.created_at),
                "author": note.author,
                "body": note.body,
            })
        })
        .collect();
    let attachments: Vec<Value> = crate::notes::list_attachments(db, case_id)?
        .iter()
        .map(|attachment| {
            json!({
                "file_name": attachment.file_name,
                "content_type": attachment.content_type,
                "size_bytes": attachment.size_bytes,
                "uploaded_by": attachment.uploaded_by,
                "uploaded_at": time(&attachment.uploaded_at),
            })
        })
        .collect();
    let appointments: Vec<Value> = crate::appointments::list_for_case(db, case_id)?
        .iter()
        .map(|appointment| {
            json!({
                "kind": appointment.kind,
                "staff": appointment.staff_display_name,
                "starts_at": time(&appointment.starts_at),
                "ends_at": time(&appointment.ends_at),
                "place": appointment.place,
                "language": appointment.language,
                "dialect": appointment.dialect,
                "status": appointment.status,
            })
        })
        .collect();
    type FollowupRow = (
        String,
        NaiveDate,
        String,
        Option<NaiveDate>,
        Option<bool>,
        String,
        Option<Vec<u8>>,
    );
    let followup_rows: Vec<FollowupRow> = case_followups::table
        .filter(case_followups::case_id.eq(case_id))
        .order(case_followups::due_on.asc())
        .select((
            case_followups::id,
            case_followups::due_on,
            case_followups::status,
            case_followups::contacted_on,
            case_followups::contact_made,
            case_followups::outcomes,
            case_followups::note_enc,
        ))
        .load(db.conn)?;
    let mut followups = Vec::new();
    for (id, due_on, status, contacted_on, contact_made, outcomes, note) in followup_rows {
        let note = note
            .map(|value| {
                db.keys.decrypt_string(
                    &FieldContext {
                        table: "case_followups",
                        column: "note_enc",
                        row_id: &id,
                    },
                    &value,
                )
            })
            .transpose()?
            .map(|text| text.to_string());
        followups.push(json!({
            "due_on": date(&due_on),
            "status": status,
            "contacted_on": opt_date(&contacted_on),
            "contact_made": contact_made,
            "outcomes": outcomes,
            "note": note,
        }));
    }

    let witness: Vec<Value> = crate::witness::history(db, case_id)?
        .into_iter()
        .map(|entry| {
            json!({
                "status": entry.status,
                "status_on": date(&entry.status_on),
                "note": entry.note,
                "recorded_by": entry.recorded_by,
            })
        })
        .collect();

    let audit_rows: Vec<(NaiveDateTime, Option<String>, String, String)> = audit_log::table
        .filter(audit_log::object_type.eq("case"))
        .filter(audit_log::object_id.eq(case_id))
        .order(audit_log::seq.asc())
        .select((
            audit_log::occurred_at,
            audit_log::actor_username,
            audit_log::action,
            audit_log::outcome,
        ))
        .load(db.conn)?;
    let audit_events: Vec<Value> = audit_rows
        .iter()
        .map(|(occurred_at, actor, action, outcome)| {
            json!({
                "occurred_at": time(occurred_at),
                "actor": actor,
                "action": action,
                "outcome": outcome,
            })
        })
        .collect();

    Ok(json!({
        "format": EXPORT_FORMAT,
        "generated_at": time(&crate::now()),
        "person": person,
        "case": case_json,
        "intake": intake,
        "trafficking_events": events,
        "screenings": screenings,
        "nrm_events": nrm_events,
        "assessments": assessments,
        "plan": plan,
        "services": services,
        "consents": consents,
        "referrals": referrals,
        "notes": notes,
        "attachments": attachments,
        "appointments": appointments,
        "followups": followups,
        "witness_statuses": witness,
        "audit_events": audit_events,
    }))
}
