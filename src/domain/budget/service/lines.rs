//! A DRAFT's activities and budget lines, and expenditure against an APPROVED plan's lines.

use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{BudgetCategory, WorkplanStatus};
use entity::{budget_line, expenditure, workplan, workplan_activity};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;
use uuid::Uuid;

use super::views::line_view;
use super::{ISU, LineView, checked_amount, money_text, refused, trimmed};
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::uow::{Audited, Uow, bounded_add};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};

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

fn expenditure_json(e: &expenditure::Model) -> serde_json::Value {
    json!({
        "id": e.id, "budgetLineId": e.budget_line_id, "amountCents": e.amount_cents,
        "spentOn": e.spent_on, "description": e.description,
    })
}

impl Audited for workplan_activity::Model {
    const ENTITY_TYPE: &'static str = "WorkplanActivity";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        activity_json(self)
    }
}

impl Audited for budget_line::Model {
    const ENTITY_TYPE: &'static str = "BudgetLine";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        line_json(self)
    }
}

impl Audited for expenditure::Model {
    const ENTITY_TYPE: &'static str = "Expenditure";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        expenditure_json(self)
    }
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
    validate::required(
        &mut r,
        &["input", "title"],
        &new.title,
        SHORT_TEXT,
        Lines::One,
    );
    validate::required(&mut r, &["input", "output"], &new.output, TEXT, Lines::Many);
    let indicator = trimmed(new.indicator);
    let target = trimmed(new.target);
    let reference = trimmed(new.action_plan_reference);
    validate::optional(
        &mut r,
        &["input", "indicator"],
        indicator.as_deref(),
        TEXT,
        Lines::Many,
    );
    validate::optional(
        &mut r,
        &["input", "target"],
        target.as_deref(),
        TEXT,
        Lines::Many,
    );
    validate::optional(
        &mut r,
        &["input", "actionPlanReference"],
        reference.as_deref(),
        SHORT_TEXT,
        Lines::One,
    );
    r.finish()?;
    let uow = Uow::begin(db, Some(actor), "addWorkplanActivity").await?;
    if !touch_draft(uow.txn(), w.id).await? {
        uow.rollback().await?;
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
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    uow.commit().await?;
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
    validate::required(
        &mut r,
        &["input", "description"],
        &new.description,
        SHORT_TEXT,
        Lines::One,
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
    let uow = Uow::begin(db, Some(actor), "addBudgetLine").await?;
    if !touch_draft(uow.txn(), w.id).await? {
        uow.rollback().await?;
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
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(LineView {
        line: created,
        currency: w.currency,
        activity,
    })
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
    validate::required(
        &mut r,
        &["input", "description"],
        &new.description,
        SHORT_TEXT,
        Lines::One,
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
    let uow = Uow::begin(db, Some(actor), "recordExpenditure").await?;
    use budget_line::Column as L;
    if !bounded_add(
        uow.txn(),
        L::Id,
        line.id,
        L::SpentCents,
        L::AmountCents,
        None,
        cents,
    )
    .await?
    {
        uow.rollback().await?;
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
    .insert(uow.txn())
    .await?;
    uow.created(&e).await?;
    let updated = budget_line::Entity::find_by_id(line.id)
        .one(uow.txn())
        .await?
        .ok_or_else(|| ServiceError::Internal("line vanished".into()))?;
    let v = line_view(uow.txn(), updated).await?;
    uow.commit().await?;
    Ok(v)
}
