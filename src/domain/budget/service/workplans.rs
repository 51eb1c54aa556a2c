//! The lifecycle of a workplan: creating it, and moving it one step at a time.

use chrono::NaiveDate;
use entity::enums::{UserRole, WorkplanStatus};
use entity::{budget_line, workplan};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;
use uuid::Uuid;

use super::views::view;
use super::{ISU, WorkplanView, refused, trimmed};
use crate::auth::Viewer;
use crate::domain::budget::BudgetConfig;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};

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

impl Audited for workplan::Model {
    const ENTITY_TYPE: &'static str = "Workplan";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        workplan_json(self)
    }
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
    validate::year(&mut r, &["input", "year"], new.year);
    validate::required(
        &mut r,
        &["input", "title"],
        &new.title,
        SHORT_TEXT,
        Lines::One,
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
    let uow = Uow::begin(db, Some(actor), "createWorkplan").await?;
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
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Ok(w) => w,
        Err(e) if e.is_unique_violation() => {
            uow.rollback().await?;
            return Err(refused(
                Code::AlreadyExists,
                &["input", "year"],
                format!("There is already a workplan for {}.", new.year),
            ));
        }
        Err(e) => return Err(e),
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(WorkplanView {
        workplan: created,
        activities: vec![],
        lines: vec![],
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
    transition_by(db, Some(actor), "transitionWorkplan", t, today).await
}

/// Validates and makes one step of the lifecycle; `actor` is None for the system (seeding).
pub async fn transition_by(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    t: Transition,
    today: NaiveDate,
) -> Result<WorkplanView, ServiceError> {
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
    validate::optional(
        &mut r,
        &["input", "note"],
        note.as_deref(),
        TEXT,
        Lines::Many,
    );
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
    let uow = Uow::begin(db, actor, action).await?;
    let moved = workplan::Entity::update_many()
        .col_expr(workplan::Column::Status, Expr::value(t.to))
        .col_expr(
            workplan::Column::Version,
            Expr::col(workplan::Column::Version).add(1),
        )
        .col_expr(workplan::Column::UpdatedAt, Expr::value(now()))
        .filter(workplan::Column::Id.eq(w.id))
        .filter(workplan::Column::Version.eq(t.expected_version))
        .exec(uow.txn())
        .await?;
    if moved.rows_affected != 1 {
        uow.rollback().await?;
        let current = workplan::Entity::find_by_id(w.id)
            .one(db)
            .await?
            .map_or(w.version, |x| x.version);
        return Err(stale(current));
    }
    let updated = workplan::Entity::find_by_id(w.id)
        .one(uow.txn())
        .await?
        .ok_or_else(|| ServiceError::Internal("workplan vanished".into()))?;
    let mut after = workplan_json(&updated);
    after["note"] = json!(note);
    uow.record(
        workplan::Model::ENTITY_TYPE,
        w.audit_id(),
        Some(workplan_json(&w)),
        Some(after),
    )
    .await?;
    let v = view(uow.txn(), updated).await?;
    uow.commit().await?;
    Ok(v)
}

fn stale(current: i32) -> ServiceError {
    refused(
        Code::Conflict,
        &["input", "expectedVersion"],
        format!("The workplan changed meanwhile: it is at version {current}. Reload it."),
    )
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
