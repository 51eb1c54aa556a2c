//! Action plans, their actions, indicators and values, and the workplan activities that name
//! an action, through `domain::action_plan` (everyone reads plans) and `domain::budget` (its
//! rule for activities).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{action_indicator, action_plan, plan_action, workplan_activity};
use uuid::Uuid;

use super::keys::RowsById;
use super::{Batch, LoadError, fault};
use crate::domain::action_plan::{plans, values};
use crate::kernel::error::ServiceError;

/// Action plans by ID.
pub enum Plans {}

impl RowsById for Plans {
    type Row = action_plan::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(plans::get_plans(&batch.app.db, &ids).await?)
    }
}

/// Plans' actions by ID.
pub enum Actions {}

impl RowsById for Actions {
    type Row = plan_action::Model;
    fn id(row: &Self::Row) -> Uuid {
        row.id
    }
    async fn fetch(batch: &Batch, ids: Vec<Uuid>) -> Result<Vec<Self::Row>, ServiceError> {
        Ok(plans::get_actions(&batch.app.db, &ids).await?)
    }
}

/// The actions of a plan, by number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActionsOf(pub Uuid);

impl Loader<ActionsOf> for Batch {
    type Value = Vec<plan_action::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ActionsOf]) -> Result<HashMap<ActionsOf, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(plans::actions_of(&self.app.db, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (ActionsOf(id), list))
            .collect())
    }
}

/// The indicators of an action, by code.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IndicatorsOf(pub Uuid);

impl Loader<IndicatorsOf> for Batch {
    type Value = Vec<action_indicator::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[IndicatorsOf],
    ) -> Result<HashMap<IndicatorsOf, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(plans::indicators_of(&self.app.db, &ids)
            .await
            .map_err(fault)?
            .into_iter()
            .map(|(id, list)| (IndicatorsOf(id), list))
            .collect())
    }
}

/// An indicator's values from its plan's first year to the given year (or today's year,
/// if earlier): one grouped computation for every indicator asked in the same tick.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ValuesOf(pub Uuid, pub i32);

impl Loader<ValuesOf> for Batch {
    type Value = Vec<values::Value>;
    type Error = LoadError;

    async fn load(&self, keys: &[ValuesOf]) -> Result<HashMap<ValuesOf, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let until = keys.iter().map(|k| k.1).max().unwrap_or_default();
        let today = self.app.clock.today();
        let mut all = values::values_of(&self.app.db, &ids, until, today)
            .await
            .map_err(fault)?;
        Ok(keys
            .iter()
            .map(|k| {
                let list = all
                    .get_mut(&k.0)
                    .map(|l| l.iter().filter(|v| v.year <= k.1).cloned().collect())
                    .unwrap_or_default();
                (k.clone(), list)
            })
            .collect())
    }
}

/// The workplan activities that name each action of a plan, by action number, in the
/// workplans of the plan's years the viewer may read.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActivitiesOfPlan(pub Uuid);

impl Loader<ActivitiesOfPlan> for Batch {
    type Value = HashMap<i32, Vec<workplan_activity::Model>>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ActivitiesOfPlan],
    ) -> Result<HashMap<ActivitiesOfPlan, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(
            values::activities_by_action(&self.app.db, &self.viewer, &ids)
                .await
                .map_err(fault)?
                .into_iter()
                .map(|(id, map)| (ActivitiesOfPlan(id), map))
                .collect(),
        )
    }
}
