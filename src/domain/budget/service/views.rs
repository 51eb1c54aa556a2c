//! Reads: a workplan with its activities and lines, a line with its activity and currency.

use std::collections::HashMap;
use std::sync::Arc;

use entity::enums::BudgetCategory;
use entity::{budget_line, workplan, workplan_activity};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::require_reader;
use crate::auth::Viewer;
use crate::kernel::error::ServiceError;

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

pub(super) async fn view(
    db: &impl ConnectionTrait,
    w: workplan::Model,
) -> Result<WorkplanView, DbErr> {
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

/// The activities of the workplans of `years`, each with its workplan's year, for
/// logged-in viewers (the rule of [`activities_by_ids`]): two statements.
pub async fn activities_of_years(
    db: &DatabaseConnection,
    viewer: &Viewer,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<(i32, workplan_activity::Model)>, DbErr> {
    if viewer.principal().is_none() {
        return Ok(Vec::new());
    }
    let plans: HashMap<Uuid, i32> = workplan::Entity::find()
        .filter(workplan::Column::Year.between(*years.start(), *years.end()))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.year))
        .collect();
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    Ok(workplan_activity::Entity::find()
        .filter(workplan_activity::Column::WorkplanId.is_in(plans.keys().copied()))
        .order_by_asc(workplan_activity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| plans.get(&a.workplan_id).map(|y| (*y, a)))
        .collect())
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

pub(super) async fn line_view(
    db: &impl ConnectionTrait,
    line: budget_line::Model,
) -> Result<LineView, DbErr> {
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
