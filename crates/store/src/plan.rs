//! The case plan: goals by HTCDS support-plan type with their actions,
//! the approval by a coordinator, and reviews that record progress per goal.
//!
//! A case has at most one plan, created with its first goal. The plan moves
//! draft → submitted → approved, or submitted → returned (with a comment)
//! → submitted again. Goals cannot change while the plan waits for a
//! decision; changing a goal of an approved plan puts the plan back to
//! draft, because the change needs approval again. Goals and the plan use
//! optimistic locking: an edit based on an old version fails with
//! `StoreError::Conflict("stale")`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::{cases, users};
use crate::schema_plan::{
    case_plan_actions, case_plan_goals, case_plan_review_goals, case_plan_reviews, case_plans,
};
use crate::{Db, StoreError};

/// HTCDS support-plan types, the kinds of goal a plan holds.
pub const SUPPORT_TYPES: [&str; 8] = [
    "education",
    "financial",
    "health",
    "rehabilitation",
    "legal",
    "livelihood",
    "rights_based_training",
    "social_care",
];

/// Progress of a goal, as the latest review recorded it.
pub const PROGRESS: [&str; 4] = ["not_started", "in_progress", "achieved", "dropped"];

/// Roles whose users may be responsible for a goal or an action.
const CASE_ROLES: [&str; 4] = ["coordinator", "caseworker", "psychologist", "lawyer"];

/// The stage of a plan's approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::Approved,
        PlanStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Approved => "approved",
            PlanStatus::Returned => "returned",
        }
    }

    pub fn parse(value: &str) -> Option<PlanStatus> {
        PlanStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    /// Whether the plan may be submitted for approval from this status.
    pub fn can_submit(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }

    /// Whether a coordinator may approve or return the plan now.
    pub fn can_decide(self) -> bool {
        self == PlanStatus::Submitted
    }

    /// Whether goals and actions may be added or changed.
    pub fn goals_editable(self) -> bool {
        self != PlanStatus::Submitted
    }
}

/// Whether a goal is overdue on `today`: its due date or next review date
/// has passed and it is neither achieved nor dropped.
pub fn is_overdue(
    due_on: NaiveDate,
    next_review_on: Option<NaiveDate>,
    progress: &str,
    today: NaiveDate,
) -> bool {
    let open = !matches!(progress, "achieved" | "dropped");
    open && (due_on < today || next_review_on.is_some_and(|review| review < today))
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub case_id: String,
    pub status: PlanStatus,
    /// The coordinator's comment when the plan was returned.
    pub return_comment: Option<String>,
    pub submitted_by: Option<String>,
    pub submitted_by_username: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub decided_by_username: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub description: String,
    pub responsible_user_id: String,
    pub responsible_username: String,
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Goal {
    pub id: String,
    pub support_type: String,
    pub description: String,
    pub responsible_user_id: String,
    pub responsible_username: String,
    /// The date the goal was agreed with the person; due and review dates
    /// cannot come before it.
    pub agreed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub progress: String,
    pub version: i32,
    pub actions: Vec<Action>,
}

/// The fields of a goal that a user types, for a new goal or an edit.
#[derive(Debug, Clone)]
pub struct GoalFields<'a> {
    pub support_type: &'a str,
    pub description: &'a str,
    pub responsible_user_id: &'a str,
    pub agreed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
}

pub struct NewAction<'a> {
    pub case_id: &'a str,
    pub goal_id: &'a str,
    pub description: &'a str,
    pub responsible_user_id: &'a str,
    pub due_on: Option<NaiveDate>,
}

/// One goal's line of a review.
#[derive(Debug, Clone)]
pub struct ReviewEntry {
    pub goal_id: String,
    pub progress: String,
    pub note: Option<String>,
}

pub struct NewReview<'a> {
    pub case_id: &'a str,
    pub reviewed_on: NaiveDate,
    /// Becomes the next review date of every goal not achieved or dropped.
    pub next_review_on: Option<NaiveDate>,
    pub reviewed_by: &'a str,
    pub entries: &'a [ReviewEntry],
}

#[derive(Debug, Clone)]
pub struct Review {
    pub id: String,
    pub reviewed_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub reviewed_by: String,
    pub entries: Vec<ReviewEntry>,
}

/// A goal that is overdue for the user responsible for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueGoal {
    pub case_id: String,
    pub case_code: String,
    pub goal_id: String,
    pub support_type: String,
    pub due_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
}

/// A user who may be responsible for goals: id, username, display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: String,
    pub username: String,
    pub display_name: String,
}

fn context<'a>(table: &'a str, column: &'a str, row_id: &'a str) -> FieldContext<'a> {
    FieldContext {
        table,
        column,
        row_id,
    }
}

fn decrypt(
    db: &Db<'_>,
    table: &str,
    column: &str,
    row_id: &str,
    value: &[u8],
) -> Result<String, StoreError> {
    Ok(db
        .keys
        .decrypt_string(&context(table, column, row_id), value)?
        .to_string())
}

type PlanRow = (
    String,
    String,
    String,
    Option<Vec<u8>>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<NaiveDateTime>,
    i32,
    NaiveDateTime,
);

/// The case's plan, or `None` before its first goal.
pub fn get_plan(db: &mut Db<'_>, case_id: &str) -> Result<Option<Plan>, StoreError> {
    let row: Option<PlanRow> = case_plans::table
        .filter(case_plans::case_id.eq(case_id))
        .select((
            case_plans::id,
            case_plans::case_id,
            case_plans::status,
            case_plans::return_comment_enc,
            case_plans::submitted_by,
            case_plans::submitted_at,
            case_plans::decided_by,
            case_plans::decided_at,
            case_plans::version,
            case_plans::created_at,
        ))
        .first(db.conn)
        .optional()?;
    let Some((
        id,
        case_id,
        status,
        comment,
        submitted_by,
        submitted_at,
        decided_by,
        decided_at,
        version,
        created_at,
    )) = row
    else {
        return Ok(None);
    };
    let status = PlanStatus::parse(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("plan status {status}")))?;
    let return_comment = match &comment {
        Some(value) => Some(decrypt(db, "case_plans", "return_comment_enc", &id, value)?),
        None => None,
    };
    let username =
        |db: &mut Db<'_>, user_id: &Option<String>| -> Result<Option<String>, StoreError> {
            match user_id {
                Some(user_id) => Ok(users::table
                    .find(user_id)
                    .select(users::username)
                    .first(db.conn)
                    .optional()?),
                None => Ok(None),
            }
        };
    let submitted_by_username = username(db, &submitted_by)?;
    let decided_by_username = username(db, &decided_by)?;
    Ok(Some(Plan {
        id,
        case_id,
        status,
        return_comment,
        submitted_by,
        submitted_by_username,
        submitted_at,
        decided_by_username,
        decided_at,
        version,
        created_at,
    }))
}

/// The plan's goals in due-date order, each with its actions.
pub fn list_goals(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Goal>, StoreError> {
    type Row = (
        String,
        String,
        Vec<u8>,
        String,
        String,
        NaiveDate,
        NaiveDate,
        Option<NaiveDate>,
        String,
        i32,
    );
    let rows: Vec<Row> = case_plan_goals::table
        .inner_join(users::table.on(users::id.eq(case_plan_goals::responsible_user_id)))
        .filter(case_plan_goals::case_id.eq(case_id))
        .order((
            case_plan_goals::due_on.asc(),
            case_plan_goals::created_at.asc(),
        ))
        .select((
            case_plan_goals::id,
            case_plan_goals::support_type,
            case_plan_goals::description_enc,
            case_plan_goals::responsible_user_id,
            users::username,
            case_plan_goals::agreed_on,
            case_plan_goals::due_on,
            case_plan_goals::next_review_on,
            case_plan_goals::progress,
            case_plan_goals::version,
        ))
        .load(db.conn)?;
    let goal_ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    type ActionRow = (String, String, Vec<u8>, String, String, Option<NaiveDate>);
    let action_rows: Vec<ActionRow> = case_plan_actions::table
        .inner_join(users::table.on(users::id.eq(case_plan_actions::responsible_user_id)))
        .filter(case_plan_actions::goal_id.eq_any(goal_ids))
        .order(case_plan_actions::created_at.asc())
        .select((
            case_plan_actions::id,
            case_plan_actions::goal_id,
            case_plan_actions::description_enc,
            case_plan_actions::responsible_user_id,
            users::username,
            case_plan_actions::due_on,
        ))
        .load(db.conn)?;
    let mut actions: HashMap<String, Vec<Action>> = HashMap::new();
    for (id, goal_id, description, responsible, username, due_on) in action_rows {
        let description = decrypt(
            db,
            "case_plan_actions",
            "description_enc",
            &id,
            &description,
        )?;
        actions.entry(goal_id).or_default().push(Action {
            id,
            description,
            responsible_user_id: responsible,
            responsible_username: username,
            due_on,
        });
    }
    rows.into_iter()
        .map(
            |(
                id,
                support_type,
                description,
                responsible,
                username,
                agreed_on,
                due_on,
                review,
                progress,
                version,
            )| {
                Ok(Goal {
                    description: decrypt(
                        db,
                        "case_plan_goals",
                        "description_enc",
                        &id,
                        &description,
                    )?,
                    actions: actions.remove(&id).unwrap_or_default(),
                    id,
                    support_type,
                    responsible_user_id: responsible,
                    responsible_username: username,
                    agreed_on,
                    due_on,
                    next_review_on: review,
                    progress,
                    version,
                })
            },
        )
        .collect()
}

/// One goal of the case; `NotFound` when it belongs to another case.
pub fn get_goal(db: &mut Db<'_>, case_id: &str, goal_id: &str) -> Result<Goal, StoreError> {
    list_goals(db, case_id)?
        .into_iter()
        .find(|goal| goal.id == goal_id)
        .ok_or(StoreError::NotFound)
}

/// Makes the plan editable for a goal change. A submitted plan fails with
/// `Conflict("plan_locked")`, and an approved one goes back to draft.
fn open_for_change(conn: &mut crate::DbConnection, plan: &Plan) -> Result<(), StoreError> {
    match plan.status {
        PlanStatus::Submitted => Err(StoreError::Conflict("plan_locked")),
        PlanStatus::Approved => {
            diesel::update(case_plans::table.find(&plan.id))
                .set((
                    case_plans::status.eq(PlanStatus::Draft.as_str()),
                    case_plans::version.eq(plan.version + 1),
                    case_plans::updated_at.eq(crate::now()),
                ))
                .execute(conn)?;
            Ok(())
        }
        PlanStatus::Draft | PlanStatus::Returned => Ok(()),
    }
}

/// Adds a goal, creating the case's plan as a draft when it has none.
/// Returns the goal id. The caller has checked the codes and dates.
pub fn add_goal(
    db: &mut Db<'_>,
    case_id: &str,
    created_by: &str,
    fields: &GoalFields<'_>,
) -> Result<String, StoreError> {
    let goal_id = crate::new_id();
    let description = db.keys.encrypt_str(
        &context("case_plan_goals", "description_enc", &goal_id),
        fields.description,
    );
    let plan = get_plan(db, case_id)?;
    crate::db::write_transaction(db.conn, |conn| {
        let now = crate::now();
        let plan_id = match &plan {
            Some(plan) => {
                open_for_change(conn, plan)?;
                plan.id.clone()
            }
            None => {
                let plan_id = crate::new_id();
                diesel::insert_into(case_plans::table)
                    .values((
                        case_plans::id.eq(&plan_id),
                        case_plans::case_id.eq(case_id),
                        case_plans::status.eq(PlanStatus::Draft.as_str()),
                        case_plans::version.eq(1),
                        case_plans::created_by.eq(created_by),
                        case_plans::created_at.eq(now),
                        case_plans::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                plan_id
            }
        };
        diesel::insert_into(case_plan_goals::table)
            .values((
                case_plan_goals::id.eq(&goal_id),
                case_plan_goals::plan_id.eq(&plan_id),
                case_plan_goals::case_id.eq(case_id),
                case_plan_goals::support_type.eq(fields.support_type),
                case_plan_goals::description_enc.eq(&description),
                case_plan_goals::responsible_user_id.eq(fields.responsible_user_id),
                case_plan_goals::agreed_on.eq(fields.agreed_on),
                case_plan_goals::due_on.eq(fields.due_on),
                case_plan_goals::next_review_on.eq(fields.next_review_on),
                case_plan_goals::progress.eq("not_started"),
                case_plan_goals::version.eq(1),
                case_plan_goals::created_at.eq(now),
                case_plan_goals::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok::<_, StoreError>(())
    })?;
    Ok(goal_id)
}

/// Changes a goal if it is still at `expected_version`; otherwise fails with
/// `Conflict("stale")` and changes nothing.
pub fn update_goal(
    db: &mut Db<'_>,
    case_id: &str,
    goal_id: &str,
    expected_version: i32,
    fields: &GoalFields<'_>,
) -> Result<(), StoreError> {
    let plan = get_plan(db, case_id)?.ok_or(StoreError::NotFound)?;
    let description = db.keys.encrypt_str(
        &context("case_plan_goals", "description_enc", goal_id),
        fields.description,
    );
    crate::db::write_transaction(db.conn, |conn| {
        let exists: i64 = case_plan_goals::table
            .filter(case_plan_goals::id.eq(goal_id))
            .filter(case_plan_goals::case_id.eq(case_id))
            .count()
            .get_result(conn)?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        let updated = diesel::update(
            case_plan_goals::table
                .find(goal_id)
                .filter(case_plan_goals::version.eq(expected_version)),
        )
        .set((
            case_plan_goals::support_type.eq(fields.support_type),
            case_plan_goals::description_enc.eq(&description),
            case_plan_goals::responsible_user_id.eq(fields.responsible_user_id),
            case_plan_goals::agreed_on.eq(fields.agreed_on),
            case_plan_goals::due_on.eq(fields.due_on),
            case_plan_goals::next_review_on.eq(fields.next_review_on),
            case_plan_goals::version.eq(expected_version + 1),
            case_plan_goals::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(StoreError::Conflict("stale"));
        }
        open_for_change(conn, &plan)
    })
}

/// Adds an action to a goal of the case and returns its id.
pub fn add_action(db: &mut Db<'_>, new: &NewAction<'_>) -> Result<String, StoreError> {
    let plan = get_plan(db, new.case_id)?.ok_or(StoreError::NotFound)?;
    let id = crate::new_id();
    let description = db.keys.encrypt_str(
        &context("case_plan_actions", "description_enc", &id),
        new.description,
    );
    crate::db::write_transaction(db.conn, |conn| {
        let exists: i64 = case_plan_goals::table
            .filter(case_plan_goals::id.eq(new.goal_id))
            .filter(case_plan_goals::case_id.eq(new.case_id))
            .count()
            .get_result(conn)?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        open_for_change(conn, &plan)?;
        diesel::insert_into(case_plan_actions::table)
            .values((
                case_plan_actions::id.eq(&id),
                case_plan_actions::goal_id.eq(new.goal_id),
                case_plan_actions::description_enc.eq(&description),
                case_plan_actions::responsible_user_id.eq(new.responsible_user_id),
                case_plan_actions::due_on.eq(new.due_on),
                case_plan_actions::created_at.eq(crate::now()),
            ))
            .execute(conn)?;
        Ok(())
    })?;
    Ok(id)
}

/// Runs `set` on the plan if it is at `expected_version` and `allowed`
/// accepts its status. `set` returns the number of rows it updated.
fn transition(
    db: &mut Db<'_>,
    case_id: &str,
    expected_version: i32,
    allowed: fn(PlanStatus) -> bool,
    set: impl FnOnce(&mut crate::DbConnection, &str) -> Result<usize, StoreError>,
) -> Result<(), StoreError> {
    let plan = get_plan(db, case_id)?.ok_or(StoreError::NotFound)?;
    if plan.version != expected_version {
        return Err(StoreError::Conflict("stale"));
    }
    if !allowed(plan.status) {
        return Err(StoreError::Conflict("status"));
    }
    if set(db.conn, &plan.id)? == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict("stale"))
    }
}

/// Submits a draft or returned plan for approval. A plan without goals
/// cannot be submitted (`Conflict("empty")`).
pub fn submit(
    db: &mut Db<'_>,
    case_id: &str,
    expected_version: i32,
    user_id: &str,
) -> Result<(), StoreError> {
    let goals: i64 = case_plan_goals::table
        .filter(case_plan_goals::case_id.eq(case_id))
        .count()
        .get_result(db.conn)?;
    if goals == 0 {
        return Err(StoreError::Conflict("empty"));
    }
    transition(
        db,
        case_id,
        expected_version,
        PlanStatus::can_submit,
        |conn, plan_id| {
            Ok(diesel::update(
                case_plans::table
                    .find(plan_id)
                    .filter(case_plans::version.eq(expected_version)),
            )
            .set((
                case_plans::status.eq(PlanStatus::Submitted.as_str()),
                case_plans::submitted_by.eq(Some(user_id)),
                case_plans::submitted_at.eq(Some(crate::now())),
                case_plans::decided_by.eq(None::<String>),
                case_plans::decided_at.eq(None::<NaiveDateTime>),
                case_plans::return_comment_enc.eq(None::<Vec<u8>>),
                case_plans::version.eq(expected_version + 1),
                case_plans::updated_at.eq(crate::now()),
            ))
            .execute(conn)?)
        },
    )
}

/// Approves a submitted plan. The user who submitted it cannot approve it
/// (`Conflict("own_plan")`); the caller has checked the coordinator's
/// permission.
pub fn approve(
    db: &mut Db<'_>,
    case_id: &str,
    expected_version: i32,
    user_id: &str,
) -> Result<(), StoreError> {
    decide(
        db,
        case_id,
        expected_version,
        user_id,
        PlanStatus::Approved,
        None,
    )
}

/// Returns a submitted plan to its author with a comment (encrypted).
pub fn return_plan(
    db: &mut Db<'_>,
    case_id: &str,
    expected_version: i32,
    user_id: &str,
    comment: &str,
) -> Result<(), StoreError> {
    decide(
        db,
        case_id,
        expected_version,
        user_id,
        PlanStatus::Returned,
        Some(comment),
    )
}

fn decide(
    db: &mut Db<'_>,
    case_id: &str,
    expected_version: i32,
    user_id: &str,
    to: PlanStatus,
    comment: Option<&str>,
) -> Result<(), StoreError> {
    let plan = get_plan(db, case_id)?.ok_or(StoreError::NotFound)?;
    if plan.submitted_by.as_deref() == Some(user_id) {
        return Err(StoreError::Conflict("own_plan"));
    }
    let comment = comment.map(|comment| {
        db.keys.encrypt_str(
            &context("case_plans", "return_comment_enc", &plan.id),
            comment,
        )
    });
    transition(
        db,
        case_id,
        expected_version,
        PlanStatus::can_decide,
        |conn, plan_id| {
            Ok(diesel::update(
                case_plans::table
                    .find(plan_id)
                    .filter(case_plans::version.eq(expected_version)),
            )
            .set((
                case_plans::status.eq(to.as_str()),
                case_plans::decided_by.eq(Some(user_id)),
                case_plans::decided_at.eq(Some(crate::now())),
                case_plans::return_comment_enc.eq(comment),
                case_plans::version.eq(expected_version + 1),
                case_plans::updated_at.eq(crate::now()),
            ))
            .execute(conn)?)
        },
    )
}

/// Records a review: per goal its progress and an encrypted note. Each
/// reviewed goal takes the new progress; goals still open take the
/// review's next review date. Returns the review id.
pub fn record_review(db: &mut Db<'_>, new: &NewReview<'_>) -> Result<String, StoreError> {
    let plan = get_plan(db, new.case_id)?.ok_or(StoreError::NotFound)?;
    let review_id = crate::new_id();
    let entries: Vec<(String, &ReviewEntry, Option<Vec<u8>>)> = new
        .entries
        .iter()
        .map(|entry| {
            let row_id = crate::new_id();
            let note = entry
                .note
                .as_deref()
                .filter(|note| !note.trim().is_empty())
                .map(|note| {
                    db.keys.encrypt_str(
                        &context("case_plan_review_goals", "note_enc", &row_id),
                        note,
                    )
                });
            (row_id, entry, note)
        })
        .collect();
    crate::db::write_transaction(db.conn, |conn| {
        let now = crate::now();
        diesel::insert_into(case_plan_reviews::table)
            .values((
                case_plan_reviews::id.eq(&review_id),
                case_plan_reviews::plan_id.eq(&plan.id),
                case_plan_reviews::reviewed_on.eq(new.reviewed_on),
                case_plan_reviews::next_review_on.eq(new.next_review_on),
                case_plan_reviews::reviewed_by.eq(new.reviewed_by),
                case_plan_reviews::created_at.eq(now),
            ))
            .execute(conn)?;
        for (row_id, entry, note) in &entries {
            let goal_version: i32 = case_plan_goals::table
                .filter(case_plan_goals::id.eq(&entry.goal_id))
                .filter(case_plan_goals::plan_id.eq(&plan.id))
                .select(case_plan_goals::version)
                .first(conn)?;
            diesel::insert_into(case_plan_review_goals::table)
                .values((
                    case_plan_review_goals::id.eq(row_id),
                    case_plan_review_goals::review_id.eq(&review_id),
                    case_plan_review_goals::goal_id.eq(&entry.goal_id),
                    case_plan_review_goals::progress.eq(&entry.progress),
                    case_plan_review_goals::note_enc.eq(note),
                ))
                .execute(conn)?;
            let closed = matches!(entry.progress.as_str(), "achieved" | "dropped");
            let next_review = if closed { None } else { new.next_review_on };
            diesel::update(case_plan_goals::table.find(&entry.goal_id))
                .set((
                    case_plan_goals::progress.eq(&entry.progress),
                    case_plan_goals::next_review_on.eq(next_review),
                    case_plan_goals::version.eq(goal_version + 1),
                    case_plan_goals::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(review_id)
}

/// The plan's reviews, newest first, with their notes decrypted.
pub fn list_reviews(db: &mut Db<'_>, plan_id: &str) -> Result<Vec<Review>, StoreError> {
    let rows: Vec<(String, NaiveDate, Option<NaiveDate>, String)> = case_plan_reviews::table
        .inner_join(users::table.on(users::id.eq(case_plan_reviews::reviewed_by)))
        .filter(case_plan_reviews::plan_id.eq(plan_id))
        .order((
            case_plan_reviews::reviewed_on.desc(),
            case_plan_reviews::created_at.desc(),
        ))
        .select((
            case_plan_reviews::id,
            case_plan_reviews::reviewed_on,
            case_plan_reviews::next_review_on,
            users::username,
        ))
        .load(db.conn)?;
    let review_ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    let entry_rows: Vec<EncryptedEntryRow> = case_plan_review_goals::table
        .filter(case_plan_review_goals::review_id.eq_any(review_ids))
        .select((
            case_plan_review_goals::id,
            case_plan_review_goals::review_id,
            case_plan_review_goals::goal_id,
            case_plan_review_goals::progress,
            case_plan_review_goals::note_enc,
        ))
        .load(db.conn)?;
    let mut entries: HashMap<String, Vec<ReviewEntry>> = HashMap::new();
    for (row_id, review_id, goal_id, progress, note) in entry_rows {
        let note = match &note {
            Some(value) => Some(decrypt(
                db,
                "case_plan_review_goals",
                "note_enc",
                &row_id,
                value,
            )?),
            None => None,
        };
        entries.entry(review_id).or_default().push(ReviewEntry {
            goal_id,
            progress,
            note,
        });
    }
    Ok(rows
        .into_iter()
        .map(|(id, reviewed_on, next_review_on, reviewed_by)| Review {
            entries: entries.remove(&id).unwrap_or_default(),
            id,
            reviewed_on,
            next_review_on,
            reviewed_by,
        })
        .collect())
}

/// Goals of open cases that `user_id` is responsible for and that are
/// overdue on `today` (see [`is_overdue`]), earliest due date first.
pub fn overdue_for_user(
    db: &mut Db<'_>,
    user_id: &str,
    today: NaiveDate,
) -> Result<Vec<OverdueGoal>, StoreError> {
    let rows: Vec<(String, String, String, String, NaiveDate, Option<NaiveDate>)> =
        case_plan_goals::table
            .inner_join(cases::table.on(cases::id.eq(case_plan_goals::case_id)))
            .filter(case_plan_goals::responsible_user_id.eq(user_id))
            .filter(cases::status.eq("open"))
            .filter(case_plan_goals::progress.ne_all(["achieved", "dropped"]))
            .filter(
                case_plan_goals::due_on
                    .lt(today)
                    .or(case_plan_goals::next_review_on.lt(today)),
            )
            .order((case_plan_goals::due_on.asc(), cases::code.asc()))
            .select((
                cases::id,
                cases::code,
                case_plan_goals::id,
                case_plan_goals::support_type,
                case_plan_goals::due_on,
                case_plan_goals::next_review_on,
            ))
            .load(db.conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(case_id, case_code, goal_id, support_type, due_on, next_review_on)| OverdueGoal {
                case_id,
                case_code,
                goal_id,
                support_type,
                due_on,
                next_review_on,
            },
        )
        .collect())
}

/// Enabled users of the organisation with a case-work role, by username.
pub fn organisation_staff(
    db: &mut Db<'_>,
    organisation_id: &str,
) -> Result<Vec<StaffMember>, StoreError> {
    let rows: Vec<(String, String, String)> = users::table
        .filter(users::organisation_id.eq(organisation_id))
        .filter(users::disabled.eq(false))
        .filter(users::role.eq_any(CASE_ROLES))
        .order(users::username.asc())
        .select((users::id, users::username, users::display_name))
        .load(db.conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name)| StaffMember {
            id,
            username,
            display_name,
        })
        .collect())
}

/// `(id, parent id, code, value, encrypted note)` of a child row.
type EncryptedEntryRow = (String, String, String, String, Option<Vec<u8>>);

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn overdue_needs_open_goal_and_past_date() {
        let today = date("2026-06-10");
        assert!(is_overdue(date("2026-06-09"), None, "in_progress", today));
        assert!(is_overdue(
            date("2026-07-01"),
            Some(date("2026-06-01")),
            "not_started",
            today
        ));
        assert!(!is_overdue(
            date("2026-06-10"),
            Some(date("2026-06-10")),
            "not_started",
            today
        ));
        assert!(!is_overdue(date("2026-01-01"), None, "achieved", today));
        assert!(!is_overdue(date("2026-01-01"), None, "dropped", today));
    }

    #[test]
    fn approval_flow_follows_statuses() {
        assert!(PlanStatus::Draft.can_submit());
        assert!(PlanStatus::Returned.can_submit());
        assert!(!PlanStatus::Submitted.can_submit());
        assert!(PlanStatus::Submitted.can_decide());
        assert!(!PlanStatus::Approved.can_decide());
        assert!(!PlanStatus::Submitted.goals_editable());
        for status in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(status.as_str()), Some(status));
        }
    }
}
