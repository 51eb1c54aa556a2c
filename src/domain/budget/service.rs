//! Workplans, budget lines, expenditure, invoices and payments over the database. No
//! GraphQL types here.
//!
//! Every amount is integer cents of the ISU's accounting currency; shares are computed in
//! `Decimal` by [`crate::rules::sharing`]. Two invariants are kept by conditional updates, so
//! they hold under concurrent requests: a line's spent amount never passes its budget,
//! and an invoice's received amount never passes its amount.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{BudgetCategory, StateStatus, UserRole, WorkplanStatus};
use entity::{budget_line, expenditure, invoice, payment, state, workplan, workplan_activity};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;
use uuid::Uuid;

use super::BudgetConfig;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::{self, Money, from_cents, to_cents};
use crate::kernel::uow::{Change, bounded_add, record};
use crate::rules::sharing::{self, Rate, SharingError};

const ISU: [UserRole; 2] = [UserRole::IsuAdmin, UserRole::IsuStaff];
/// Longest title or description.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest output, indicator, target or note.
pub const MAX_TEXT: usize = 10_000;
/// Years a workplan or invoice may be for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2010..=2100;

fn refused(code: Code, field: &[&str], message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, field, message)
}

fn check_year(year: i32, field: &[&str]) -> Result<(), ServiceError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(refused(
            Code::InvalidInput,
            field,
            format!("Give a year from {} to {}.", YEARS.start(), YEARS.end()),
        ))
    }
}

fn check_text(r: &mut Refusals, text: &str, max: usize, field: &[&str], what: &str) {
    if text.trim().is_empty() || text.chars().count() > max {
        r.push(
            Code::InvalidInput,
            field,
            format!("Give {what} of 1 to {max} characters."),
        );
    }
}

fn check_optional(r: &mut Refusals, text: Option<&str>, max: usize, field: &[&str]) {
    if text.is_some_and(|t| t.chars().count() > max) {
        r.push(
            Code::InvalidInput,
            field,
            format!("At most {max} characters."),
        );
    }
}

fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A positive amount in `currency`, as cents.
fn checked_amount(m: &Money, currency: &str, field: &[&str], r: &mut Refusals) -> Option<i64> {
    if let Err(msg) = money::check(m, false) {
        r.push(Code::InvalidInput, field, msg);
        return None;
    }
    if m.currency != currency {
        let mut f: Vec<&str> = field.to_vec();
        f.push("currency");
        r.push(
            Code::InvalidInput,
            &f,
            format!("The ISU keeps these accounts in {currency}."),
        );
        return None;
    }
    let cents = to_cents(m.amount);
    if cents.is_none() {
        r.push(Code::InvalidInput, field, "The amount is too large.");
    }
    cents
}

fn money_text(cents: i64, currency: &str) -> String {
    format!("{} {currency}", from_cents(cents))
}

// ------------------------------------------------------------------------------ workplans

/// The lifecycle (docs/domain.md §7): one step at a time, and the Coordination Committee may
/// send a submitted plan back to DRAFT for revision.
pub fn can_transition(from: WorkplanStatus, to: WorkplanStatus) -> bool {
    use WorkplanStatus::*;
    matches!(
        (from, to),
        (Draft, Submitted)
            | (Submitted, Draft)
            | (Submitted, Endorsed)
            | (Endorsed, Approved)
            | (Approved, Closed)
    )
}

/// Endorsement (Coordination Committee), approval (Meeting of States Parties) and closing
/// are recorded by an ISU administrator only.
pub fn admin_only(to: WorkplanStatus) -> bool {
    matches!(
        to,
        WorkplanStatus::Endorsed | WorkplanStatus::Approved | WorkplanStatus::Closed
    )
}

pub fn workplan_json(w: &workplan::Model) -> serde_json::Value {
    json!({
        "id": w.id, "year": w.year, "title": w.title, "currency": w.currency,
        "status": w.status, "version": w.version,
    })
}

fn activity_json(a: &workplan_activity::Model) -> serde_json::Value {
    json!({
        "id": a.id, "workplanId": a.workplan_id, "title": a.title, "output": a.output,
        "indicator": a.indicator, "target": a.target,
        "actionPlanReference": a.action_plan_reference,
    })
}

fn line_json(l: &budget_line::Model) -> serde_json::Value {
    json!({
        "id": l.id, "workplanId": l.workplan_id, "activityId": l.activity_id,
        "category": l.category, "description": l.description, "amountCents": l.amount_cents,
        "spentCents": l.spent_cents,
    })
}

/// A workplan with its activities and lines, loaded together (three queries) because
/// every figure of the plan is computed from its lines.
#[derive(Clone, Debug)]
pub struct WorkplanView {
    pub workplan: workplan::Model,
    pub activities: Vec<Arc<workplan_activity::Model>>,
    pub lines: Vec<budget_line::Model>,
}

impl WorkplanView {
    pub fn total_budget(&self) -> i64 {
        self.lines.iter().map(|l| l.amount_cents).sum()
    }

    pub fn total_spent(&self) -> i64 {
        self.lines.iter().map(|l| l.spent_cents).sum()
    }

    /// Budget and spent by category, in the contract's order, categories without lines
    /// left out.
    pub fn by_category(&self) -> Vec<(BudgetCategory, i64, i64)> {
        use sea_orm::Iterable;
        BudgetCategory::iter()
            .filter_map(|c| {
                let lines: Vec<&budget_line::Model> =
                    self.lines.iter().filter(|l| l.category == c).collect();
                (!lines.is_empty()).then(|| {
                    (
                        c,
                        lines.iter().map(|l| l.amount_cents).sum(),
                        lines.iter().map(|l| l.spent_cents).sum(),
                    )
                })
            })
            .collect()
    }

    pub fn activity(&self, id: Option<Uuid>) -> Option<Arc<workplan_activity::Model>> {
        let id = id?;
        self.activities.iter().find(|a| a.id == id).cloned()
    }
}

async fn view(db: &impl ConnectionTrait, w: workplan::Model) -> Result<WorkplanView, DbErr> {
    let activities = workplan_activity::Entity::find()
        .filter(workplan_activity::Column::WorkplanId.eq(w.id))
        .order_by_asc(workplan_activity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::WorkplanId.eq(w.id))
        .order_by_asc(budget_line::Column::Id)
        .all(db)
        .await?;
    Ok(WorkplanView {
        workplan: w,
        activities,
        lines,
    })
}

/// Workplans and financial figures are for logged-in users: the ISU, coordinators (read
/// only) and the delegations of the States parties that adopt and fund them.
fn require_reader(viewer: &Viewer) -> Result<(), ServiceError> {
    viewer.require().map(|_| ())
}

/// `workplan(year:)`.
pub async fn workplan_of_year(
    db: &DatabaseConnection,
    viewer: &Viewer,
    year: i32,
) -> Result<Option<WorkplanView>, ServiceError> {
    require_reader(viewer)?;
    match workplan::Entity::find()
        .filter(workplan::Column::Year.eq(year))
        .one(db)
        .await?
    {
        Some(w) => Ok(Some(view(db, w).await?)),
        None => Ok(None),
    }
}

/// By ID, for `node(id:)`: None for anonymous viewers.
pub async fn workplan_by_id(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<WorkplanView>, DbErr> {
    if viewer.principal().is_none() {
        return Ok(None);
    }
    match workplan::Entity::find_by_id(id).one(db).await? {
        Some(w) => Ok(Some(view(db, w).await?)),
        None => Ok(None),
    }
}

pub async fn activity_by_id(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<workplan_activity::Model>, DbErr> {
    if viewer.principal().is_none() {
        return Ok(None);
    }
    workplan_activity::Entity::find_by_id(id).one(db).await
}

/// A line with its activity, for `node(id:)` and mutation payloads.
pub async fn line_by_id(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<LineView>, DbErr> {
    if viewer.principal().is_none() {
        return Ok(None);
    }
    match budget_line::Entity::find_by_id(id).one(db).await? {
        Some(l) => Ok(Some(line_view(db, l).await?)),
        None => Ok(None),
    }
}

/// The workplans of `ids` with their activities and lines, for logged-in viewers (the rule
/// of [`workplan_by_id`]): three statements whatever their number.
pub async fn workplans_by_ids(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<WorkplanView>, DbErr> {
    if viewer.principal().is_none() || ids.is_empty() {
        return Ok(Vec::new());
    }
    let plans = workplan::Entity::find()
        .filter(workplan::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let plan_ids: Vec<Uuid> = plans.iter().map(|w| w.id).collect();
    let mut activities: HashMap<Uuid, Vec<Arc<workplan_activity::Model>>> = HashMap::new();
    for a in workplan_activity::Entity::find()
        .filter(workplan_activity::Column::WorkplanId.is_in(plan_ids.iter().copied()))
        .order_by_asc(workplan_activity::Column::Id)
        .all(db)
        .await?
    {
        activities
            .entry(a.workplan_id)
            .or_default()
            .push(Arc::new(a));
    }
    let mut lines: HashMap<Uuid, Vec<budget_line::Model>> = HashMap::new();
    for l in budget_line::Entity::find()
        .filter(budget_line::Column::WorkplanId.is_in(plan_ids))
        .order_by_asc(budget_line::Column::Id)
        .all(db)
        .await?
    {
        lines.entry(l.workplan_id).or_default().push(l);
    }
    Ok(plans
        .into_iter()
        .map(|w| WorkplanView {
            activities: activities.remove(&w.id).unwrap_or_default(),
            lines: lines.remove(&w.id).unwrap_or_default(),
            workplan: w,
        })
        .collect())
}

/// The activities of `ids`, for logged-in viewers, in one statement.
pub async fn activities_by_ids(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<workplan_activity::Model>, DbErr> {
    if viewer.principal().is_none() || ids.is_empty() {
        return Ok(Vec::new());
    }
    workplan_activity::Entity::find()
        .filter(workplan_activity::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The lines of `ids` with their currencies and activities, for logged-in viewers (the
/// rule of [`line_by_id`]): three statements whatever their number.
pub async fn lines_by_ids(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<LineView>, DbErr> {
    if viewer.principal().is_none() || ids.is_empty() {
        return Ok(Vec::new());
    }
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let currencies: HashMap<Uuid, String> = workplan::Entity::find()
        .filter(workplan::Column::Id.is_in(lines.iter().map(|l| l.workplan_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.currency))
        .collect();
    let activities: HashMap<Uuid, Arc<workplan_activity::Model>> =
        workplan_activity::Entity::find()
            .filter(workplan_activity::Column::Id.is_in(lines.iter().filter_map(|l| l.activity_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, Arc::new(a)))
            .collect();
    Ok(lines
        .into_iter()
        .map(|line| LineView {
            currency: currencies
                .get(&line.workplan_id)
                .cloned()
                .unwrap_or_default(),
            activity: line.activity_id.and_then(|id| activities.get(&id).cloned()),
            line,
        })
        .collect())
}

/// A budget line with its currency and activity.
#[derive(Clone, Debug)]
pub struct LineView {
    pub line: budget_line::Model,
    pub currency: String,
    pub activity: Option<Arc<workplan_activity::Model>>,
}

async fn line_view(db: &impl ConnectionTrait, line: budget_line::Model) -> Result<LineView, DbErr> {
    let currency = workplan::Entity::find_by_id(line.workplan_id)
        .one(db)
        .await?
        .map(|w| w.currency)
        .unwrap_or_default();
    let activity = match line.activity_id {
        Some(id) => workplan_activity::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(Arc::new),
        None => None,
    };
    Ok(LineView {
        line,
        currency,
        activity,
    })
}

/// `createWorkplan`'s input.
#[derive(Debug, Clone)]
pub struct NewWorkplan {
    pub year: i32,
    pub title: String,
    pub currency: Option<String>,
}

/// `createWorkplan`: ISU staff draft it; one per year (`ALREADY_EXISTS`).
pub async fn create_workplan(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    new: NewWorkplan,
) -> Result<WorkplanView, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let mut r = Refusals::default();
    if !YEARS.contains(&new.year) {
        r.push(
            Code::InvalidInput,
            &["input", "year"],
            format!("Give a year from {} to {}.", YEARS.start(), YEARS.end()),
        );
    }
    check_text(
        &mut r,
        &new.title,
        MAX_SHORT_TEXT,
        &["input", "title"],
        "a title",
    );
    let currency = new
        .currency
        .map(|c| c.trim().to_uppercase())
        .unwrap_or_else(|| cfg.currency.clone());
    if currency != cfg.currency {
        r.push(
            Code::InvalidInput,
            &["input", "currency"],
            format!(
                "The ISU keeps its accounts in {}: one currency keeps the figures exact across years.",
                cfg.currency
            ),
        );
    }
    r.finish()?;
    let t = now();
    let txn = db.begin().await?;
    let inserted = workplan::ActiveModel {
        id: Set(Uuid::now_v7()),
        year: Set(new.year),
        title: Set(new.title.trim().to_owned()),
        currency: Set(currency),
        status: Set(WorkplanStatus::Draft),
        version: Set(1),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&txn)
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Ok(w) => w,
        Err(e) if e.is_unique_violation() => {
            txn.rollback().await?;
            return Err(refused(
                Code::AlreadyExists,
                &["input", "year"],
                format!("There is already a workplan for {}.", new.year),
            ));
        }
        Err(e) => return Err(e),
    };
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "createWorkplan",
            entity_type: "Workplan",
            entity_id: created.id.to_string(),
            before: None,
            after: Some(workplan_json(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(WorkplanView {
        workplan: created,
        activities: vec![],
        lines: vec![],
    })
}

/// The workplan of an ID, for a change that is allowed in DRAFT only.
async fn draft_workplan(
    db: &DatabaseConnection,
    id: Option<Uuid>,
) -> Result<workplan::Model, ServiceError> {
    let w = match id {
        Some(id) => workplan::Entity::find_by_id(id).one(db).await?,
        None => None,
    }
    .ok_or_else(|| {
        refused(
            Code::NotFound,
            &["input", "workplanId"],
            "No such workplan.",
        )
    })?;
    if w.status != WorkplanStatus::Draft {
        return Err(frozen(w.status));
    }
    Ok(w)
}

fn frozen(status: WorkplanStatus) -> ServiceError {
    refused(
        Code::InvalidStateTransition,
        &["input", "workplanId"],
        format!("The workplan is {status:?}: activities and lines change only in DRAFT."),
    )
}

/// Bumps the version of a workplan that is still a DRAFT, in the caller's transaction.
/// False when it left DRAFT meanwhile.
async fn touch_draft(conn: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    let res = workplan::Entity::update_many()
        .col_expr(
            workplan::Column::Version,
            Expr::col(workplan::Column::Version).add(1),
        )
        .col_expr(workplan::Column::UpdatedAt, Expr::value(now()))
        .filter(workplan::Column::Id.eq(id))
        .filter(workplan::Column::Status.eq(WorkplanStatus::Draft))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// `addWorkplanActivity`'s input.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub workplan_id: Option<Uuid>,
    pub title: String,
    pub output: String,
    pub indicator: Option<String>,
    pub target: Option<String>,
    pub action_plan_reference: Option<String>,
}

/// `addWorkplanActivity`: ISU staff, while the workplan is a DRAFT.
pub async fn add_activity(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewActivity,
) -> Result<workplan_activity::Model, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let w = draft_workplan(db, new.workplan_id).await?;
    let mut r = Refusals::default();
    check_text(
        &mut r,
        &new.title,
        MAX_SHORT_TEXT,
        &["input", "title"],
        "a title",
    );
    check_text(
        &mut r,
        &new.output,
        MAX_TEXT,
        &["input", "output"],
        "the expected output",
    );
    let indicator = trimmed(new.indicator);
    let target = trimmed(new.target);
    let reference = trimmed(new.action_plan_reference);
    check_optional(
        &mut r,
        indicator.as_deref(),
        MAX_TEXT,
        &["input", "indicator"],
    );
    check_optional(&mut r, target.as_deref(), MAX_TEXT, &["input", "target"]);
    check_optional(
        &mut r,
        reference.as_deref(),
        MAX_SHORT_TEXT,
        &["input", "actionPlanReference"],
    );
    r.finish()?;
    let txn = db.begin().await?;
    if !touch_draft(&txn, w.id).await? {
        txn.rollback().await?;
        return Err(frozen(WorkplanStatus::Submitted));
    }
    let created = workplan_activity::ActiveModel {
        id: Set(Uuid::now_v7()),
        workplan_id: Set(w.id),
        title: Set(new.title.trim().to_owned()),
        output: Set(new.output.trim().to_owned()),
        indicator: Set(indicator),
        target: Set(target),
        action_plan_reference: Set(reference),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "addWorkplanActivity",
            entity_type: "WorkplanActivity",
            entity_id: created.id.to_string(),
            before: None,
            after: Some(activity_json(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// `addBudgetLine`'s input; IDs are None (or `Err`) when they were not IDs of the right
/// kind.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub workplan_id: Option<Uuid>,
    pub category: BudgetCategory,
    pub description: String,
    pub amount: Money,
    pub activity_id: Option<Result<Uuid, String>>,
}

/// `addBudgetLine`: ISU staff, while the workplan is a DRAFT.
pub async fn add_line(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewLine,
) -> Result<LineView, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let w = draft_workplan(db, new.workplan_id).await?;
    let mut r = Refusals::default();
    check_text(
        &mut r,
        &new.description,
        MAX_SHORT_TEXT,
        &["input", "description"],
        "a description",
    );
    let amount = checked_amount(&new.amount, &w.currency, &["input", "amount"], &mut r);
    let activity = match new.activity_id {
        None => None,
        Some(Err(_)) => {
            r.push(
                Code::NotFound,
                &["input", "activityId"],
                "No such activity.",
            );
            None
        }
        Some(Ok(id)) => match workplan_activity::Entity::find_by_id(id).one(db).await? {
            Some(a) if a.workplan_id == w.id => Some(Arc::new(a)),
            Some(_) => {
                r.push(
                    Code::InvalidInput,
                    &["input", "activityId"],
                    "The activity belongs to another workplan.",
                );
                None
            }
            None => {
                r.push(
                    Code::NotFound,
                    &["input", "activityId"],
                    "No such activity.",
                );
                None
            }
        },
    };
    r.finish()?;
    let txn = db.begin().await?;
    if !touch_draft(&txn, w.id).await? {
        txn.rollback().await?;
        return Err(frozen(WorkplanStatus::Submitted));
    }
    let created = budget_line::ActiveModel {
        id: Set(Uuid::now_v7()),
        workplan_id: Set(w.id),
        activity_id: Set(activity.as_ref().map(|a| a.id)),
        category: Set(new.category),
        description: Set(new.description.trim().to_owned()),
        amount_cents: Set(amount.unwrap_or(0)),
        spent_cents: Set(0),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "addBudgetLine",
            entity_type: "BudgetLine",
            entity_id: created.id.to_string(),
            before: None,
            after: Some(line_json(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(LineView {
        line: created,
        currency: w.currency,
        activity,
    })
}

/// `transitionWorkplan`'s input.
#[derive(Debug, Clone)]
pub struct Transition {
    pub id: Option<Uuid>,
    pub to: WorkplanStatus,
    pub expected_version: i32,
    pub note: Option<String>,
}

/// `transitionWorkplan`: one step of the lifecycle, naming the version it saw. ISU staff
/// submit (and take back to DRAFT); ENDORSED, APPROVED and CLOSED are ISU_ADMIN's.
pub async fn transition(
    db: &DatabaseConnection,
    viewer: &Viewer,
    t: Transition,
    today: NaiveDate,
) -> Result<WorkplanView, ServiceError> {
    let actor = if admin_only(t.to) {
        viewer.require_role(&[UserRole::IsuAdmin])?
    } else {
        viewer.require_role(&ISU)?
    }
    .user_id;
    let w = match t.id {
        Some(id) => workplan::Entity::find_by_id(id).one(db).await?,
        None => None,
    }
    .ok_or_else(|| refused(Code::NotFound, &["input", "id"], "No such workplan."))?;
    if w.version != t.expected_version {
        return Err(stale(w.version));
    }
    if !can_transition(w.status, t.to) {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "to"],
            format!(
                "A {:?} workplan cannot become {:?}: the steps are DRAFT, SUBMITTED, ENDORSED, APPROVED, CLOSED.",
                w.status, t.to
            ),
        ));
    }
    let note = trimmed(t.note);
    let mut r = Refusals::default();
    check_optional(&mut r, note.as_deref(), MAX_TEXT, &["input", "note"]);
    if t.to == WorkplanStatus::Closed && chrono::Datelike::year(&today) <= w.year {
        r.push(
            Code::InvalidInput,
            &["input", "to"],
            format!("The {} workplan closes after the year ends.", w.year),
        );
    }
    if t.to == WorkplanStatus::Submitted
        && budget_line::Entity::find()
            .filter(budget_line::Column::WorkplanId.eq(w.id))
            .count(db)
            .await?
            == 0
    {
        r.push(
            Code::InvalidInput,
            &["input", "to"],
            "A workplan without budget lines cannot be submitted.",
        );
    }
    r.finish()?;
    let txn = db.begin().await?;
    let moved = workplan::Entity::update_many()
        .col_expr(workplan::Column::Status, Expr::value(t.to))
        .col_expr(
            workplan::Column::Version,
            Expr::col(workplan::Column::Version).add(1),
        )
        .col_expr(workplan::Column::UpdatedAt, Expr::value(now()))
        .filter(workplan::Column::Id.eq(w.id))
        .filter(workplan::Column::Version.eq(t.expected_version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        let current = workplan::Entity::find_by_id(w.id)
            .one(db)
            .await?
            .map_or(w.version, |x| x.version);
        return Err(stale(current));
    }
    let updated = workplan::Entity::find_by_id(w.id)
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("workplan vanished".into()))?;
    let mut after = workplan_json(&updated);
    after["note"] = json!(note);
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "transitionWorkplan",
            entity_type: "Workplan",
            entity_id: w.id.to_string(),
            before: Some(workplan_json(&w)),
            after: Some(after),
        },
    )
    .await?;
    let v = view(&txn, updated).await?;
    txn.commit().await?;
    Ok(v)
}

fn stale(current: i32) -> ServiceError {
    refused(
        Code::Conflict,
        &["input", "expectedVersion"],
        format!("The workplan changed meanwhile: it is at version {current}. Reload it."),
    )
}

/// `recordExpenditure`'s input.
#[derive(Debug, Clone)]
pub struct NewExpenditure {
    pub line_id: Option<Uuid>,
    pub amount: Money,
    pub spent_on: NaiveDate,
    pub description: String,
}

/// `recordExpenditure`: ISU staff, against a line of an APPROVED workplan, within its
/// year and never past today; a line is never overspent (`OVER_BUDGET`).
pub async fn record_expenditure(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewExpenditure,
    today: NaiveDate,
) -> Result<LineView, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let line = match new.line_id {
        Some(id) => budget_line::Entity::find_by_id(id).one(db).await?,
        None => None,
    }
    .ok_or_else(|| {
        refused(
            Code::NotFound,
            &["input", "budgetLineId"],
            "No such budget line.",
        )
    })?;
    let w = workplan::Entity::find_by_id(line.workplan_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal("line without workplan".into()))?;
    if w.status != WorkplanStatus::Approved {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "budgetLineId"],
            format!(
                "The {} workplan is {:?}: expenditure is recorded against an APPROVED workplan.",
                w.year, w.status
            ),
        ));
    }
    let mut r = Refusals::default();
    check_text(
        &mut r,
        &new.description,
        MAX_SHORT_TEXT,
        &["input", "description"],
        "a description",
    );
    let cents = checked_amount(&new.amount, &w.currency, &["input", "amount"], &mut r);
    if chrono::Datelike::year(&new.spent_on) != w.year {
        r.push(
            Code::InvalidInput,
            &["input", "spentOn"],
            format!(
                "Spending against the {} workplan falls in {}.",
                w.year, w.year
            ),
        );
    } else if new.spent_on > today {
        r.push(
            Code::InvalidInput,
            &["input", "spentOn"],
            "Expenditure is recorded once made, not ahead.",
        );
    }
    r.finish()?;
    let cents = cents.unwrap_or(0);
    let txn = db.begin().await?;
    use budget_line::Column as L;
    if !bounded_add(
        &txn,
        L::Id,
        line.id,
        L::SpentCents,
        L::AmountCents,
        None,
        cents,
    )
    .await?
    {
        txn.rollback().await?;
        let current = budget_line::Entity::find_by_id(line.id)
            .one(db)
            .await?
            .unwrap_or(line);
        return Err(refused(
            Code::OverBudget,
            &["input", "amount"],
            format!(
                "{} would overspend the line: {} remains of {}.",
                money_text(cents, &w.currency),
                money_text(current.amount_cents - current.spent_cents, &w.currency),
                money_text(current.amount_cents, &w.currency)
            ),
        ));
    }
    let e = expenditure::ActiveModel {
        id: Set(Uuid::now_v7()),
        budget_line_id: Set(line.id),
        amount_cents: Set(cents),
        spent_on: Set(new.spent_on),
        description: Set(new.description.trim().to_owned()),
        recorded_by: Set(Some(actor)),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "recordExpenditure",
            entity_type: "Expenditure",
            entity_id: e.id.to_string(),
            before: None,
            after: Some(json!({
                "id": e.id, "budgetLineId": e.budget_line_id, "amountCents": e.amount_cents,
                "spentOn": e.spent_on, "description": e.description,
            })),
        },
    )
    .await?;
    let updated = budget_line::Entity::find_by_id(line.id)
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("line vanished".into()))?;
    let v = line_view(&txn, updated).await?;
    txn.commit().await?;
    Ok(v)
}

// -------------------------------------------------------------------------- contributions

/// One State's contribution for a year.
#[derive(Clone, Debug)]
pub struct Contribution {
    pub state: Arc<state::Model>,
    /// Its rate on the scale used.
    pub rate: Decimal,
    /// Its part of the scale, 0 to 1.
    pub share: f64,
    pub invoiced: i64,
    pub received: i64,
}

/// `financialStatus`, in cents of `currency`.
#[derive(Clone, Debug)]
pub struct FinancialStatus {
    pub year: i32,
    pub currency: String,
    pub invoiced: i64,
    pub received: i64,
    pub reserve: i64,
    pub reserve_target: i64,
    /// By State code.
    pub contributions: Vec<Contribution>,
}

/// The States parties bound on some day of `year`, by code.
async fn in_force(db: &DatabaseConnection, year: i32) -> Result<Vec<state::Model>, DbErr> {
    Ok(state::Entity::find()
        .filter(state::Column::Status.is_in([StateStatus::StateParty, StateStatus::Withdrawn]))
        .order_by_asc(state::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| sharing::in_force_during(s.deposit_date, s.withdrawal_effective_date, year))
        .collect())
}

/// `financialStatus(year:)`: for logged-in users. The Working Capital Reserve is every
/// contribution received up to the end of the year minus every expenditure up to then;
/// its target is `reserve_months` of the year's approved budget.
pub async fn financial_status(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    year: i32,
) -> Result<FinancialStatus, ServiceError> {
    require_reader(viewer)?;
    check_year(year, &["year"])?;
    status_of(db, cfg, year).await
}

async fn status_of(
    db: &impl ConnectionTrait,
    cfg: &BudgetConfig,
    year: i32,
) -> Result<FinancialStatus, ServiceError> {
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(year))
        .order_by_asc(invoice::Column::StateCode)
        .all(db)
        .await?;
    let codes: Vec<&str> = invoices.iter().map(|i| i.state_code.as_str()).collect();
    let states: HashMap<String, Arc<state::Model>> = state::Entity::find()
        .filter(state::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), Arc::new(s)))
        .collect();
    let rates: Vec<Decimal> = invoices
        .iter()
        .map(|i| i.rate.parse::<Decimal>().unwrap_or_default())
        .collect();
    let total_rate: Decimal = rates.iter().copied().sum();
    let mut contributions = Vec::with_capacity(invoices.len());
    for (inv, rate) in invoices.iter().zip(&rates) {
        let state = states
            .get(&inv.state_code)
            .cloned()
            .ok_or_else(|| ServiceError::Internal("invoice without State".into()))?;
        let share = if total_rate.is_zero() {
            0.0
        } else {
            use rust_decimal::prelude::ToPrimitive;
            (*rate / total_rate).to_f64().unwrap_or(0.0)
        };
        contributions.push(Contribution {
            state,
            rate: *rate,
            share,
            invoiced: inv.amount_cents,
            received: inv.received_cents,
        });
    }
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| refused(Code::InvalidInput, &["year"], "Not a calendar year."))?;
    let received_to_date = sum_of(
        payment::Entity::find()
            .filter(payment::Column::ReceivedOn.lte(end))
            .select_only()
            .column_as(total_of(payment::Column::AmountCents), "total"),
        db,
    )
    .await?;
    let spent_to_date = sum_of(
        expenditure::Entity::find()
            .filter(expenditure::Column::SpentOn.lte(end))
            .select_only()
            .column_as(total_of(expenditure::Column::AmountCents), "total"),
        db,
    )
    .await?;
    let approved_budget = match workplan::Entity::find()
        .filter(workplan::Column::Year.eq(year))
        .filter(workplan::Column::Status.is_in([WorkplanStatus::Approved, WorkplanStatus::Closed]))
        .one(db)
        .await?
    {
        Some(w) => {
            sum_of(
                budget_line::Entity::find()
                    .filter(budget_line::Column::WorkplanId.eq(w.id))
                    .select_only()
                    .column_as(total_of(budget_line::Column::AmountCents), "total"),
                db,
            )
            .await?
        }
        None => 0,
    };
    Ok(FinancialStatus {
        year,
        currency: invoices
            .first()
            .map_or_else(|| cfg.currency.clone(), |i| i.currency.clone()),
        invoiced: invoices.iter().map(|i| i.amount_cents).sum(),
        received: invoices.iter().map(|i| i.received_cents).sum(),
        reserve: received_to_date - spent_to_date,
        reserve_target: sharing::reserve_target(approved_budget, cfg.reserve_months),
        contributions,
    })
}

/// `CAST(SUM(col) AS BIGINT)`: PostgreSQL sums a BIGINT into NUMERIC, SQLite into
/// INTEGER; the cast gives both the same type.
fn total_of(col: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::Expr {
    Expr::col(col).sum().cast_as("BIGINT")
}

/// The value of a `… AS total` query; 0 when no row matches.
async fn sum_of<E: EntityTrait>(
    q: sea_orm::Select<E>,
    db: &impl ConnectionTrait,
) -> Result<i64, DbErr> {
    #[derive(sea_orm::FromQueryResult)]
    struct Total {
        total: Option<i64>,
    }
    let row = q.into_model::<Total>().one(db).await?;
    Ok(row.and_then(|r| r.total).unwrap_or(0))
}

/// `issueInvoices`' input.
#[derive(Debug, Clone)]
pub struct NewInvoices {
    pub year: i32,
    pub total: Money,
    /// (State code, rate); None to reuse the last scale.
    pub rates: Option<Vec<(String, Decimal)>>,
}

/// `issueInvoices`: ISU_ADMIN. Shares the total by the scale, to the cent (see
/// [`sharing::share`]); replaces the year's invoices until a payment is recorded.
pub async fn issue_invoices(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    new: NewInvoices,
) -> Result<FinancialStatus, ServiceError> {
    let actor = viewer.require_role(&[UserRole::IsuAdmin])?.user_id;
    check_year(new.year, &["input", "year"])?;
    let mut r = Refusals::default();
    let total = checked_amount(&new.total, &cfg.currency, &["input", "total"], &mut r);
    let bound: HashMap<String, state::Model> = in_force(db, new.year)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let scale: Vec<Rate> = match new.rates {
        Some(given) => {
            let mut scale = Vec::with_capacity(given.len());
            if given.is_empty() {
                r.push(
                    Code::InvalidInput,
                    &["input", "rates"],
                    "Give at least one rate, or omit the scale.",
                );
            }
            for (i, (code, rate)) in given.into_iter().enumerate() {
                let code = code.trim().to_uppercase();
                let index = i.to_string();
                let field = ["input", "rates", index.as_str(), "stateCode"];
                if !bound.contains_key(&code) {
                    if crate::domain::states::service::by_code(db, &code)
                        .await?
                        .is_none()
                    {
                        r.push(
                            Code::NotFound,
                            &field,
                            format!("No State has the code {code}."),
                        );
                    } else {
                        r.push(
                            Code::InvalidInput,
                            &field,
                            format!("{code} was not a State party in force during {}.", new.year),
                        );
                    }
                }
                if rate <= Decimal::ZERO || rate.normalize().scale() > 10 {
                    r.push(
                        Code::InvalidInput,
                        &["input", "rates", index.as_str(), "rate"],
                        "A rate is positive, with at most 10 decimals.",
                    );
                }
                if scale.iter().any(|x: &Rate| x.state_code == code) {
                    r.push(
                        Code::InvalidInput,
                        &field,
                        format!("{code} appears twice in the scale."),
                    );
                }
                scale.push(Rate {
                    state_code: code,
                    rate: rate.normalize(),
                });
            }
            scale
        }
        None => match last_scale(db).await? {
            Some((from_year, scale)) => {
                for x in &scale {
                    if !bound.contains_key(&x.state_code) {
                        r.push(
                            Code::InvalidInput,
                            &["input", "rates"],
                            format!(
                                "The last scale (used for {from_year}) includes {}, which was not a State party in force during {}: give a scale.",
                                x.state_code, new.year
                            ),
                        );
                    }
                }
                scale
            }
            None => {
                let mut codes: Vec<String> = bound.keys().cloned().collect();
                codes.sort();
                sharing::equal_rates(&codes)
            }
        },
    };
    r.finish()?;
    let total = total.unwrap_or(0);
    let shares = sharing::share(total, &scale).map_err(|e| match e {
        SharingError::NoStates => refused(
            Code::InvalidInput,
            &["input", "rates"],
            format!("No State party was in force during {}.", new.year),
        ),
        SharingError::NotPositive(c) | SharingError::Duplicate(c) => refused(
            Code::InvalidInput,
            &["input", "rates"],
            format!("The rate of {c} is not usable."),
        ),
        SharingError::Overflow => refused(
            Code::InvalidInput,
            &["input", "total"],
            "The total or the rates are too large.",
        ),
    })?;
    let paid = payment::Entity::find()
        .filter(payment::Column::Year.eq(new.year))
        .count(db)
        .await?;
    if paid > 0 {
        return Err(paid_refusal(new.year));
    }
    let txn = db.begin().await?;
    match replace_invoices(&txn, cfg, actor, new.year, total, &scale, &shares).await {
        Ok(status) => match txn.commit().await {
            Ok(()) => Ok(status),
            Err(e) => Err(contention_or(e, new.year)),
        },
        Err(e) => {
            let _ = txn.rollback().await;
            Err(match e {
                ServiceError::Db(e) => contention_or(e, new.year),
                other => other,
            })
        }
    }
}

fn paid_refusal(year: i32) -> ServiceError {
    refused(
        Code::InvalidInput,
        &["input", "year"],
        format!("Payments are recorded for {year}: its invoices can no longer be reissued."),
    )
}

/// True when a write lost a race with another request rather than failing: a unique or
/// foreign key that another transaction just claimed, a deadlock, or SQLite's busy lock.
fn is_contention(e: &DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(
            sea_orm::SqlErr::UniqueConstraintViolation(_)
                | sea_orm::SqlErr::ForeignKeyConstraintViolation(_)
        )
    ) || {
        let text = e.to_string();
        text.contains("database is locked")
            || text.contains("deadlock detected")
            || text.contains("could not serialize")
    }
}

fn contention_or(e: DbErr, year: i32) -> ServiceError {
    if is_contention(&e) {
        refused(
            Code::Conflict,
            &["input", "year"],
            format!(
                "The invoices for {year} changed meanwhile (reissued or paid): reload and try again."
            ),
        )
    } else {
        e.into()
    }
}

/// Replaces a year's invoices in `txn`. The first statement writes, so that concurrent
/// reissues and payments of the year queue behind it (PostgreSQL row locks, SQLite's
/// write lock) instead of interleaving.
async fn replace_invoices(
    txn: &sea_orm::DatabaseTransaction,
    cfg: &BudgetConfig,
    actor: Uuid,
    year: i32,
    total: i64,
    scale: &[Rate],
    shares: &[i64],
) -> Result<FinancialStatus, ServiceError> {
    invoice::Entity::update_many()
        .col_expr(invoice::Column::Year, Expr::col(invoice::Column::Year))
        .filter(invoice::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let paid = payment::Entity::find()
        .filter(payment::Column::Year.eq(year))
        .count(txn)
        .await?;
    if paid > 0 {
        return Err(paid_refusal(year));
    }
    let before = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(year))
        .order_by_asc(invoice::Column::StateCode)
        .all(txn)
        .await?;
    invoice::Entity::delete_many()
        .filter(invoice::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let t = now();
    let issued: Vec<invoice::ActiveModel> = scale
        .iter()
        .zip(shares)
        .map(|(rate, cents)| invoice::ActiveModel {
            id: Set(Uuid::now_v7()),
            year: Set(year),
            state_code: Set(rate.state_code.clone()),
            rate: Set(rate.rate.to_string()),
            amount_cents: Set(*cents),
            received_cents: Set(0),
            currency: Set(cfg.currency.clone()),
            issued_at: Set(t),
        })
        .collect();
    invoice::Entity::insert_many(issued).exec(txn).await?;
    let summary = |rows: Vec<(String, String, i64)>| {
        json!(
            rows.into_iter()
                .map(|(c, r, a)| json!({"stateCode": c, "rate": r, "amountCents": a}))
                .collect::<Vec<_>>()
        )
    };
    let old: Vec<(String, String, i64)> = before
        .into_iter()
        .map(|i| (i.state_code, i.rate, i.amount_cents))
        .collect();
    let had_any = !old.is_empty();
    let new_rows: Vec<(String, String, i64)> = scale
        .iter()
        .zip(shares)
        .map(|(r, c)| (r.state_code.clone(), r.rate.to_string(), *c))
        .collect();
    record(
        txn,
        Change {
            actor: Some(actor),
            action: "issueInvoices",
            entity_type: "Invoices",
            entity_id: year.to_string(),
            before: had_any.then(|| json!({"year": year, "invoices": summary(old)})),
            after: Some(json!({"year": year, "totalCents": total, "invoices": summary(new_rows)})),
        },
    )
    .await?;
    status_of(txn, cfg, year).await
}

/// The scale of the most recently issued invoices: (its year, its rates).
async fn last_scale(db: &DatabaseConnection) -> Result<Option<(i32, Vec<Rate>)>, DbErr> {
    let Some(latest) = invoice::Entity::find()
        .order_by_desc(invoice::Column::IssuedAt)
        .order_by_desc(invoice::Column::Year)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let rows = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(latest.year))
        .order_by_asc(invoice::Column::StateCode)
        .all(db)
        .await?;
    Ok(Some((
        latest.year,
        rows.into_iter()
            .map(|i| Rate {
                state_code: i.state_code,
                rate: i.rate.parse().unwrap_or(Decimal::ONE),
            })
            .collect(),
    )))
}

/// `recordPayment`'s input.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub state_code: String,
    pub year: i32,
    pub amount: Money,
    pub received_on: NaiveDate,
}

/// `recordPayment`: ISU staff. A payment never exceeds what is outstanding.
pub async fn record_payment(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    new: NewPayment,
    today: NaiveDate,
) -> Result<FinancialStatus, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let code = new.state_code.trim().to_uppercase();
    let inv = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(new.year))
        .filter(invoice::Column::StateCode.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            refused(
                Code::NotFound,
                &["input", "stateCode"],
                format!("{code} has no invoice for {}.", new.year),
            )
        })?;
    let mut r = Refusals::default();
    let cents = checked_amount(&new.amount, &inv.currency, &["input", "amount"], &mut r);
    if new.received_on > today {
        r.push(
            Code::InvalidInput,
            &["input", "receivedOn"],
            "A payment is recorded once received, not ahead.",
        );
    }
    if let Some(c) = cents
        && c > inv.amount_cents - inv.received_cents
    {
        r.push(
            Code::InvalidInput,
            &["input", "amount"],
            format!(
                "That is more than {code} owes for {}: {} is outstanding.",
                new.year,
                money_text(inv.amount_cents - inv.received_cents, &inv.currency)
            ),
        );
    }
    r.finish()?;
    let cents = cents.unwrap_or(0);
    let txn = db.begin().await?;
    use invoice::Column as I;
    if !bounded_add(
        &txn,
        I::Id,
        inv.id,
        I::ReceivedCents,
        I::AmountCents,
        None,
        cents,
    )
    .await?
    {
        txn.rollback().await?;
        return Err(refused(
            Code::InvalidInput,
            &["input", "amount"],
            format!(
                "{code}'s invoice for {} changed meanwhile (another payment, or the invoices were reissued): reload and try again.",
                new.year
            ),
        ));
    }
    let p = payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(inv.id),
        state_code: Set(code.clone()),
        year: Set(new.year),
        amount_cents: Set(cents),
        received_on: Set(new.received_on),
        recorded_by: Set(Some(actor)),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "recordPayment",
            entity_type: "Payment",
            entity_id: p.id.to_string(),
            before: None,
            after: Some(json!({
                "id": p.id, "stateCode": p.state_code, "year": p.year,
                "amountCents": p.amount_cents, "receivedOn": p.received_on,
            })),
        },
    )
    .await?;
    let status = status_of(&txn, cfg, new.year).await?;
    txn.commit().await?;
    Ok(status)
}

/// Lines of the workplan of `year` with their activities, for the CSV export. ISU staff.
pub async fn export_workplan(
    db: &DatabaseConnection,
    viewer: &Viewer,
    year: i32,
) -> Result<Option<WorkplanView>, ServiceError> {
    viewer.require_role(&ISU)?;
    workplan_of_year(db, viewer, year).await
}

/// The contributions of `year`, for the CSV export. ISU staff.
pub async fn export_contributions(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    year: i32,
) -> Result<FinancialStatus, ServiceError> {
    viewer.require_role(&ISU)?;
    financial_status(db, cfg, viewer, year).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_allows_one_step_at_a_time() {
        use WorkplanStatus::*;
        let all = [Draft, Submitted, Endorsed, Approved, Closed];
        let allowed: Vec<_> = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| can_transition(*a, *b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Draft, Submitted),
                (Submitted, Draft),
                (Submitted, Endorsed),
                (Endorsed, Approved),
                (Approved, Closed)
            ]
        );
        assert_eq!(
            all.iter()
                .copied()
                .filter(|s| admin_only(*s))
                .collect::<Vec<_>>(),
            vec![Endorsed, Approved, Closed]
        );
    }
}
