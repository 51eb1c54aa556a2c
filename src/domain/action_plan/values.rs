//! Indicators' values: recorded by the ISU, or computed by `rules::indicators` from the
//! facts the system holds ([`super::facts`]); a year's progress; the workplan activities
//! that name an action.
//!
//! However many indicators and years are asked for, the values cost a constant number of
//! statements: the indicators and their plans, the recorded values, and the facts (read once,
//! then every computed indicator and year is pure work).

use std::collections::{BTreeSet, HashMap};
use std::ops::RangeInclusive;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{IndicatorComputation, IndicatorUnit};
use entity::{action_indicator, action_plan, indicator_value, plan_action, workplan_activity};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{facts, plans};
use crate::auth::Viewer;
use crate::kernel::error::ServiceError;
use crate::rules::indicators::{self, Facts, Period};
use crate::rules::plan_reference;

/// An indicator's value in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub indicator_id: Uuid,
    pub year: i32,
    pub numerator: i32,
    /// None for COUNT.
    pub denominator: Option<i32>,
    /// As the contract says: PERCENT to one decimal, COUNT the numerator.
    pub value: f64,
    /// In tenths, exactly, to compare with baselines and targets.
    pub tenths: i64,
    pub computed: bool,
    /// The States counted in the numerator, and those in the denominator that are not.
    pub states: Vec<String>,
    pub missing: Vec<String>,
    pub note: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: Option<DateTime<Utc>>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A stored count as the rules take it (negative counts are refused on the way in).
fn size(n: i32) -> usize {
    usize::try_from(n).unwrap_or_default()
}

impl Value {
    /// A recorded value as `indicator` reads it.
    pub fn recorded(indicator: &action_indicator::Model, row: &indicator_value::Model) -> Self {
        let t = indicators::tenths(
            indicator.unit,
            size(row.numerator),
            row.denominator.map(size),
        );
        Self {
            indicator_id: indicator.id,
            year: row.year,
            numerator: row.numerator,
            denominator: match indicator.unit {
                IndicatorUnit::Percent => row.denominator,
                IndicatorUnit::Count => None,
            },
            value: indicators::tenths_to_value(t),
            tenths: t,
            computed: false,
            states: plans::split_codes(&row.state_codes),
            missing: Vec::new(),
            note: row.note.clone(),
            recorded_by: row.recorded_by,
            recorded_at: Some(row.recorded_at),
        }
    }

    /// A computed figure as `indicator` reads it.
    fn computed(indicator: &action_indicator::Model, year: i32, f: &indicators::Figure) -> Self {
        let t = f.tenths(indicator.unit);
        Self {
            indicator_id: indicator.id,
            year,
            numerator: count(f.numerator),
            denominator: match indicator.unit {
                IndicatorUnit::Percent => Some(count(f.denominator.unwrap_or_default())),
                IndicatorUnit::Count => None,
            },
            value: indicators::tenths_to_value(t),
            tenths: t,
            computed: true,
            states: f.states.iter().cloned().collect(),
            missing: f.missing.iter().cloned().collect(),
            note: None,
            recorded_by: None,
            recorded_at: None,
        }
    }
}

/// The values of `indicators` in `years`, by indicator and year: recorded ones as stored,
/// computed ones for years up to `today`'s (a year to come has no value yet; the current
/// year's is the year so far). Facts are read only when a computed indicator is asked for.
async fn values_in(
    db: &DatabaseConnection,
    indicators: &[action_indicator::Model],
    years: impl Fn(&action_indicator::Model) -> RangeInclusive<i32>,
    today: NaiveDate,
) -> Result<HashMap<(Uuid, i32), Value>, ServiceError> {
    let mut out = HashMap::new();
    let recorded: Vec<&action_indicator::Model> = indicators
        .iter()
        .filter(|i| i.computation == IndicatorComputation::Recorded)
        .collect();
    if !recorded.is_empty() {
        let ids: Vec<Uuid> = recorded.iter().map(|i| i.id).collect();
        let first = recorded
            .iter()
            .map(|i| *years(i).start())
            .min()
            .unwrap_or_default();
        let last = recorded
            .iter()
            .map(|i| *years(i).end())
            .max()
            .unwrap_or_default();
        let by_id: HashMap<Uuid, &action_indicator::Model> =
            recorded.iter().map(|i| (i.id, *i)).collect();
        for row in plans::recorded_values(db, &ids, first..=last).await? {
            if let Some(i) = by_id.get(&row.indicator_id)
                && years(i).contains(&row.year)
            {
                out.insert((i.id, row.year), Value::recorded(i, &row));
            }
        }
    }
    let computed: Vec<&action_indicator::Model> = indicators
        .iter()
        .filter(|i| i.computation != IndicatorComputation::Recorded)
        .collect();
    if !computed.is_empty() {
        // Held until the figures are computed and the facts dropped.
        let _gate = COMPUTING
            .acquire()
            .await
            .map_err(|_| ServiceError::Internal("the computing gate closed".into()))?;
        let facts: Facts = facts::load(db).await?;
        let mut figures: HashMap<(IndicatorComputation, i32), indicators::Figure> = HashMap::new();
        for i in computed {
            for year in years(i) {
                let figure = match figures.get(&(i.computation, year)) {
                    Some(f) => f,
                    None => {
                        // The current year as far as today: what falls due later this year
                        // is not missing yet. A year to come has no value.
                        let Some(period) = Period::so_far(year, today) else {
                            continue;
                        };
                        let Some(f) = indicators::compute_in(i.computation, period, &facts) else {
                            continue;
                        };
                        figures.entry((i.computation, year)).or_insert(f)
                    }
                };
                out.insert((i.id, year), Value::computed(i, year, figure));
            }
        }
    }
    Ok(out)
}

/// Computations of indicators that may run at once. Each holds the whole history the
/// indicators read (every bound State's reports, every need and match, every approved
/// delegate: a few MB at a few thousand rows each), so a burst of requests waits here
/// rather than holding one copy each: memory stays bounded whatever the concurrency, and
/// two at a time keep a small machine's cores and the database busy.
pub const MAX_CONCURRENT_COMPUTATIONS: usize = 2;

static COMPUTING: tokio::sync::Semaphore =
    tokio::sync::Semaphore::const_new(MAX_CONCURRENT_COMPUTATIONS);

/// The values of each of `ids` from its plan's first year to `until` (and not past the
/// plan's last year), oldest first.
pub async fn values_of(
    db: &DatabaseConnection,
    ids: &[Uuid],
    until: i32,
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<Value>>, ServiceError> {
    let indicators = plans::get_indicators(db, ids).await?;
    let plan_ids: Vec<Uuid> = indicators.iter().map(|i| i.plan_id).collect();
    let plans: HashMap<Uuid, action_plan::Model> = plans::get_plans(db, &plan_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    // An indicator without its plan (impossible: the plan is a foreign key) has no years.
    let years = |i: &action_indicator::Model| match plans.get(&i.plan_id) {
        Some(p) => p.first_year..=until.min(p.last_year),
        None => RangeInclusive::new(1, 0),
    };
    let found = values_in(db, &indicators, years, today).await?;
    let mut out: HashMap<Uuid, Vec<Value>> = HashMap::new();
    for ((id, _), v) in found {
        out.entry(id).or_default().push(v);
    }
    for list in out.values_mut() {
        list.sort_by_key(|v| v.year);
    }
    Ok(out)
}

/// One indicator in a year's progress.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorProgress {
    /// The action the indicator measures.
    pub action: plan_action::Model,
    pub indicator: action_indicator::Model,
    pub current: Option<Value>,
    pub previous: Option<Value>,
    /// current − previous, in tenths.
    pub change_tenths: Option<i64>,
    pub target_met: Option<bool>,
}

/// Every indicator of a plan in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub year: i32,
    /// In action order, then by code.
    pub indicators: Vec<IndicatorProgress>,
    /// Indicators with a value for the year / all indicators, 0 to 1 (0 without any).
    pub coverage: f64,
}

impl Progress {
    /// Indicators with a value for the year.
    pub fn with_value(&self) -> usize {
        self.indicators
            .iter()
            .filter(|p| p.current.is_some())
            .count()
    }

    /// Indicators whose target is met (`met`), or not met (`!met`); those without a value
    /// or a target are neither.
    pub fn targets(&self, met: bool) -> usize {
        self.indicators
            .iter()
            .filter(|p| p.target_met == Some(met))
            .count()
    }
}

/// Whether `current` (tenths) meets `target`: at or above it, or at or below it when the
/// target is below the baseline (an indicator meant to fall).
pub fn target_met(current: i64, target: i64, baseline: Option<i64>) -> bool {
    if baseline.is_some_and(|b| target < b) {
        current <= target
    } else {
        current >= target
    }
}

/// `plan`'s progress in `year`: every indicator's value in the year and the year before
/// (the year before may precede the plan for a computed indicator), the change, whether the
/// target is met, and the share of indicators with a value. The year is one the system
/// accepts (`kernel::validate::YEARS`).
pub async fn progress(
    db: &DatabaseConnection,
    plan: &action_plan::Model,
    year: i32,
    today: NaiveDate,
) -> Result<Progress, ServiceError> {
    let mut r = crate::kernel::error::Refusals::default();
    crate::kernel::validate::year(&mut r, &["year"], year);
    r.finish()?;
    let list = plans::indicators_of_plan(db, plan.id).await?;
    let indicators: Vec<action_indicator::Model> = list.iter().map(|(_, i)| i.clone()).collect();
    let found = values_in(db, &indicators, |_| (year - 1)..=year, today).await?;
    let mut with_value = 0usize;
    let rows: Vec<IndicatorProgress> = list
        .into_iter()
        .map(|(action, i)| {
            let current = found.get(&(i.id, year)).cloned();
            let previous = found.get(&(i.id, year - 1)).cloned();
            if current.is_some() {
                with_value += 1;
            }
            let change_tenths = match (&current, &previous) {
                (Some(c), Some(p)) => Some(c.tenths - p.tenths),
                _ => None,
            };
            let target_met = match (&current, i.target_tenths) {
                (Some(c), Some(t)) => Some(target_met(c.tenths, t, i.baseline_tenths)),
                _ => None,
            };
            IndicatorProgress {
                action,
                indicator: i,
                current,
                previous,
                change_tenths,
                target_met,
            }
        })
        .collect();
    #[allow(clippy::cast_precision_loss)] // Counts of indicators: small.
    let coverage = if rows.is_empty() {
        0.0
    } else {
        with_value as f64 / rows.len() as f64
    };
    Ok(Progress {
        year,
        indicators: rows,
        coverage,
    })
}

/// For each of `plans`, the workplan activities of its years that `viewer` may read, by the
/// action numbers their `actionPlanReference` names.
pub async fn activities_by_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    plan_ids: &[Uuid],
) -> Result<HashMap<Uuid, HashMap<i32, Vec<workplan_activity::Model>>>, ServiceError> {
    let plans = plans::get_plans(db, plan_ids).await?;
    let (Some(first), Some(last)) = (
        plans.iter().map(|p| p.first_year).min(),
        plans.iter().map(|p| p.last_year).max(),
    ) else {
        return Ok(HashMap::new());
    };
    let activities =
        crate::domain::budget::service::activities_of_years(db, viewer, first..=last).await?;
    let mut out: HashMap<Uuid, HashMap<i32, Vec<workplan_activity::Model>>> = HashMap::new();
    for (year, a) in activities {
        let Some(plan) = plans
            .iter()
            .find(|p| (p.first_year..=p.last_year).contains(&year))
        else {
            continue;
        };
        let numbers: BTreeSet<i32> = a
            .action_plan_reference
            .as_deref()
            .map(plan_reference::actions)
            .unwrap_or_default()
            .into_iter()
            .collect();
        for n in numbers {
            out.entry(plan.id)
                .or_default()
                .entry(n)
                .or_default()
                .push(a.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_below_the_baseline_is_met_from_below() {
        let cases = [
            (800, 900, Some(500), false),
            (900, 900, Some(500), true),
            (950, 900, None, true),
            (100, 50, Some(200), false),
            (50, 50, Some(200), true),
            (20, 50, Some(200), true),
        ];
        for (current, target, baseline, met) in cases {
            assert_eq!(
                target_met(current, target, baseline),
                met,
                "{current} {target} {baseline:?}"
            );
        }
    }
}
