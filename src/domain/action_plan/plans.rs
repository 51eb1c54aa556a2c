//! Action plans, their actions and indicators, and the values the ISU records: writing them
//! (ISU staff, audited) and reading them (everyone: they are published in the progress
//! report).

use std::collections::{BTreeSet, HashMap};

use entity::enums::{IndicatorComputation, IndicatorUnit, UserRole};
use entity::{
    action_indicator, action_plan, action_plan_year, indicator_value, meeting, plan_action,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::values::Value;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow, unchanged};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};

/// The most years one plan may cover (plans run five years).
pub const MAX_PLAN_YEARS: i32 = 10;
/// Highest action number (as for the actions a decision serves).
pub const MAX_ACTION: i32 = 100;
/// Longest indicator code, e.g. "43.1".
pub const CODE_TEXT: usize = 32;
/// Largest baseline, target or recorded count.
pub const MAX_FIGURE: i64 = 1_000_000;
/// Most States one recorded value may name.
pub const MAX_STATES: usize = 300;

fn isu(viewer: &Viewer) -> Result<Uuid, ServiceError> {
    Ok(viewer
        .require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?
        .user_id)
}

impl Audited for action_plan::Model {
    const ENTITY_TYPE: &'static str = "ActionPlan";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"title": self.title, "adoptedAtMeetingId": self.adopted_at_meeting_id,
               "firstYear": self.first_year, "lastYear": self.last_year})
    }
}

impl Audited for plan_action::Model {
    const ENTITY_TYPE: &'static str = "PlanAction";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"planId": self.plan_id, "number": self.number, "section": self.section,
               "text": self.text})
    }
}

impl Audited for action_indicator::Model {
    const ENTITY_TYPE: &'static str = "ActionIndicator";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"actionId": self.action_id, "code": self.code, "text": self.text,
               "unit": self.unit, "computation": self.computation,
               "population": self.population, "baselineYear": self.baseline_year,
               "baselineTenths": self.baseline_tenths, "targetTenths": self.target_tenths})
    }
}

impl Audited for indicator_value::Model {
    const ENTITY_TYPE: &'static str = "IndicatorValue";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"indicatorId": self.indicator_id, "year": self.year,
               "numerator": self.numerator, "denominator": self.denominator,
               "stateCodes": self.state_codes, "note": self.note})
    }
}

/// `createActionPlan`'s input.
#[derive(Clone, Debug)]
pub struct NewPlan {
    pub title: String,
    pub adopted_at_meeting_id: Option<Uuid>,
    pub first_year: i32,
    pub last_year: i32,
}

/// The plan that covers one of `first..=last`, if any.
pub(super) async fn overlapping<C: ConnectionTrait>(
    db: &C,
    first: i32,
    last: i32,
) -> Result<Option<action_plan::Model>, DbErr> {
    let Some(year) = action_plan_year::Entity::find()
        .filter(action_plan_year::Column::Year.between(first, last))
        .order_by_asc(action_plan_year::Column::Year)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    action_plan::Entity::find_by_id(year.plan_id).one(db).await
}

fn overlap_refusal(other: &action_plan::Model) -> ServiceError {
    ServiceError::refused(
        Code::AlreadyExists,
        &["input", "firstYear"],
        format!(
            "The years overlap {} ({}–{}): plans do not overlap.",
            other.title, other.first_year, other.last_year
        ),
    )
}

/// Where the checks of a plan's, an action's or an indicator's own fields put their
/// refusals: under `prefix`, each field as `name` calls it (the API's input fields as they
/// are; an import file's columns, [`super::import`]). Messages name the field the same way.
#[derive(Clone, Copy)]
pub(super) struct Fields<'a> {
    pub prefix: &'a [&'a str],
    pub name: fn(&'static str) -> &'static str,
}

fn as_is(field: &'static str) -> &'static str {
    field
}

impl<'a> Fields<'a> {
    /// The API's: `input.<field>`.
    const INPUT: Fields<'static> = Fields {
        prefix: &["input"],
        name: as_is,
    };

    fn path(&self, field: &'static str) -> Vec<&'a str> {
        let mut p = self.prefix.to_vec();
        p.push((self.name)(field));
        p
    }

    fn push(&self, r: &mut Refusals, code: Code, field: &'static str, message: String) {
        r.push(code, &self.path(field), message);
    }
}

/// The checks of a plan's own fields (the API's names): the title; years within the
/// accepted range, the last not before the first, at most [`MAX_PLAN_YEARS`].
pub(super) fn check_plan(r: &mut Refusals, title: &str, first_year: i32, last_year: i32) {
    validate::required(r, &["input", "title"], title, SHORT_TEXT, Lines::One);
    let years_ok = validate::year(r, &["input", "firstYear"], first_year)
        & validate::year(r, &["input", "lastYear"], last_year);
    if years_ok && last_year < first_year {
        r.push(
            Code::InvalidInput,
            &["input", "lastYear"],
            "`lastYear` must not be before `firstYear`.",
        );
    } else if years_ok && last_year - first_year >= MAX_PLAN_YEARS {
        r.push(
            Code::InvalidInput,
            &["input", "lastYear"],
            format!("A plan covers at most {MAX_PLAN_YEARS} years."),
        );
    }
}

/// The checks of an action's own fields: section, text, a number from 1 to [`MAX_ACTION`].
pub(super) fn check_action(
    r: &mut Refusals,
    at: Fields<'_>,
    number: i32,
    section: &str,
    text: &str,
) {
    validate::required(r, &at.path("section"), section, SHORT_TEXT, Lines::One);
    validate::required(r, &at.path("text"), text, TEXT, Lines::Many);
    if !(1..=MAX_ACTION).contains(&number) {
        let name = (at.name)("number");
        at.push(
            r,
            Code::InvalidInput,
            "number",
            format!("`{name}` must be from 1 to {MAX_ACTION}."),
        );
    }
}

/// An indicator's fields as they are stored, once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CheckedIndicator {
    /// Trimmed.
    pub code: String,
    pub population: Option<String>,
    pub baseline_tenths: Option<i64>,
    pub target_tenths: Option<i64>,
}

/// The checks of an indicator's own fields (all of `new` but its action): the code
/// (letters, digits, `.`, `-`), the text, the population, the baseline year, baseline and
/// target ([`tenths`]); NEW_STATES_PARTIES is a count.
pub(super) fn check_indicator(
    r: &mut Refusals,
    at: Fields<'_>,
    new: &NewIndicator,
) -> CheckedIndicator {
    let code = new.code.trim().to_owned();
    if validate::required(r, &at.path("code"), &code, CODE_TEXT, Lines::One)
        && !code
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
    {
        let name = (at.name)("code");
        at.push(
            r,
            Code::InvalidInput,
            "code",
            format!("`{name}` is letters, digits, `.` and `-`, e.g. \"43.1\"."),
        );
    }
    validate::required(r, &at.path("text"), &new.text, TEXT, Lines::Many);
    let population = validate::trimmed(new.population.clone());
    validate::optional(
        r,
        &at.path("population"),
        population.as_deref(),
        SHORT_TEXT,
        Lines::One,
    );
    if let Some(y) = new.baseline_year {
        validate::year(r, &at.path("baselineYear"), y);
    }
    let baseline_tenths = tenths(r, at, "baseline", new.baseline, new.unit);
    let target_tenths = tenths(r, at, "target", new.target, new.unit);
    if new.computation == IndicatorComputation::NewStatesParties && new.unit != IndicatorUnit::Count
    {
        at.push(
            r,
            Code::InvalidInput,
            "unit",
            "NEW_STATES_PARTIES counts States: its unit is COUNT.".into(),
        );
    }
    CheckedIndicator {
        code,
        population,
        baseline_tenths,
        target_tenths,
    }
}

/// `createActionPlan`: ISU staff. Years within the accepted range, the last not before the
/// first, at most [`MAX_PLAN_YEARS`], none covered by another plan; the meeting must exist.
pub async fn create_plan(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewPlan,
) -> Result<action_plan::Model, ServiceError> {
    let actor = isu(viewer)?;
    create_plan_as(db, Some(actor), "createActionPlan", new).await
}

/// Creates a plan; `actor` is None for the system (seeding, the command line).
pub async fn create_plan_as(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewPlan,
) -> Result<action_plan::Model, ServiceError> {
    let mut r = Refusals::default();
    check_plan(&mut r, &new.title, new.first_year, new.last_year);
    if let Some(m) = new.adopted_at_meeting_id
        && meeting::Entity::find_by_id(m).one(db).await?.is_none()
    {
        r.push(
            Code::NotFound,
            &["input", "adoptedAtMeetingId"],
            "No such meeting.",
        );
    }
    r.finish()?;
    if let Some(other) = overlapping(db, new.first_year, new.last_year).await? {
        return Err(overlap_refusal(&other));
    }
    let t = now();
    let uow = Uow::begin(db, actor, action).await?;
    let plan = action_plan::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(new.title.trim().to_owned()),
        adopted_at_meeting_id: Set(new.adopted_at_meeting_id),
        first_year: Set(new.first_year),
        last_year: Set(new.last_year),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await?;
    // One row per year, keyed by the year: a plan written at the same time over one of
    // these years fails here, whichever commits first.
    let years = (new.first_year..=new.last_year).map(|year| action_plan_year::ActiveModel {
        year: Set(year),
        plan_id: Set(plan.id),
    });
    match action_plan_year::Entity::insert_many(years)
        .exec_without_returning(uow.txn())
        .await
        .map_err(ServiceError::from)
    {
        Err(e) if e.is_unique_violation() => {
            uow.rollback().await?;
            return Err(
                match overlapping(db, new.first_year, new.last_year).await? {
                    Some(other) => overlap_refusal(&other),
                    None => ServiceError::refused(
                        Code::Conflict,
                        &["input", "firstYear"],
                        "Another plan was being written for these years: try again.",
                    ),
                },
            );
        }
        other => other?,
    };
    uow.created(&plan).await?;
    uow.commit().await?;
    Ok(plan)
}

/// `addPlanAction`'s input.
#[derive(Clone, Debug)]
pub struct NewAction {
    pub plan_id: Uuid,
    pub number: i32,
    pub section: String,
    pub text: String,
}

/// `addPlanAction`: ISU staff. The plan must exist; the number (1 to [`MAX_ACTION`]) is
/// unique in it.
pub async fn add_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewAction,
) -> Result<plan_action::Model, ServiceError> {
    let actor = isu(viewer)?;
    add_action_as(db, Some(actor), "addPlanAction", new).await
}

pub async fn add_action_as(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewAction,
) -> Result<plan_action::Model, ServiceError> {
    let mut r = Refusals::default();
    check_action(&mut r, Fields::INPUT, new.number, &new.section, &new.text);
    if action_plan::Entity::find_by_id(new.plan_id)
        .one(db)
        .await?
        .is_none()
    {
        r.push(Code::NotFound, &["input", "planId"], "No such action plan.");
    }
    r.finish()?;
    let taken = || {
        ServiceError::refused(
            Code::AlreadyExists,
            &["input", "number"],
            format!("The plan already has an action {}.", new.number),
        )
    };
    if plan_action::Entity::find()
        .filter(plan_action::Column::PlanId.eq(new.plan_id))
        .filter(plan_action::Column::Number.eq(new.number))
        .one(db)
        .await?
        .is_some()
    {
        return Err(taken());
    }
    let uow = Uow::begin(db, actor, action).await?;
    let inserted = plan_action::ActiveModel {
        id: Set(Uuid::now_v7()),
        plan_id: Set(new.plan_id),
        number: Set(new.number),
        section: Set(new.section.trim().to_owned()),
        text: Set(new.text.trim().to_owned()),
        created_at: Set(now()),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Err(e) if e.is_unique_violation() => return Err(taken()),
        other => other?,
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// `addActionIndicator`'s input. Baseline and target as given (one decimal is kept).
#[derive(Clone, Debug)]
pub struct NewIndicator {
    pub action_id: Uuid,
    pub code: String,
    pub text: String,
    pub unit: IndicatorUnit,
    pub computation: IndicatorComputation,
    pub population: Option<String>,
    pub baseline_year: Option<i32>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

/// A baseline or target in tenths: finite, from 0 to [`MAX_FIGURE`] (100 for a percentage).
fn tenths(
    r: &mut Refusals,
    at: Fields<'_>,
    field: &'static str,
    value: Option<f64>,
    unit: IndicatorUnit,
) -> Option<i64> {
    let v = value?;
    let max = match unit {
        IndicatorUnit::Percent => 100.0,
        IndicatorUnit::Count => MAX_FIGURE as f64,
    };
    if !v.is_finite() || !(0.0..=max).contains(&v) {
        let name = (at.name)(field);
        at.push(
            r,
            Code::InvalidInput,
            field,
            format!("`{name}` must be a number from 0 to {max}."),
        );
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // Within ±10^7: exact.
    Some((v * 10.0).round() as i64)
}

/// `addActionIndicator`: ISU staff. The action must exist; the code (letters, digits, `.`,
/// `-`) is unique in the plan; NEW_STATES_PARTIES is a count.
pub async fn add_indicator(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewIndicator,
) -> Result<action_indicator::Model, ServiceError> {
    let actor = isu(viewer)?;
    add_indicator_as(db, Some(actor), "addActionIndicator", new).await
}

pub async fn add_indicator_as(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewIndicator,
) -> Result<action_indicator::Model, ServiceError> {
    let mut r = Refusals::default();
    let CheckedIndicator {
        code,
        population,
        baseline_tenths: baseline,
        target_tenths: target,
    } = check_indicator(&mut r, Fields::INPUT, &new);
    let parent = plan_action::Entity::find_by_id(new.action_id)
        .one(db)
        .await?;
    if parent.is_none() {
        r.push(Code::NotFound, &["input", "actionId"], "No such action.");
    }
    r.finish()?;
    let Some(parent) = parent else {
        return Err(ServiceError::Internal("checked above".into()));
    };
    let taken = || {
        ServiceError::refused(
            Code::AlreadyExists,
            &["input", "code"],
            format!("The plan already has an indicator {code}."),
        )
    };
    if action_indicator::Entity::find()
        .filter(action_indicator::Column::PlanId.eq(parent.plan_id))
        .filter(action_indicator::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(taken());
    }
    let uow = Uow::begin(db, actor, action).await?;
    let inserted = action_indicator::ActiveModel {
        id: Set(Uuid::now_v7()),
        plan_id: Set(parent.plan_id),
        action_id: Set(parent.id),
        code: Set(code.clone()),
        text: Set(new.text.trim().to_owned()),
        unit: Set(new.unit),
        computation: Set(new.computation),
        population: Set(population),
        baseline_year: Set(new.baseline_year),
        baseline_tenths: Set(baseline),
        target_tenths: Set(target),
        created_at: Set(now()),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    let created = match inserted {
        Err(e) if e.is_unique_violation() => return Err(taken()),
        other => other?,
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// `recordIndicatorValue`'s input.
#[derive(Clone, Debug)]
pub struct NewValue {
    pub indicator_id: Uuid,
    pub year: i32,
    pub numerator: i32,
    pub denominator: Option<i32>,
    pub state_codes: Option<Vec<String>>,
    pub note: Option<String>,
}

/// `",AFG,ALB,"` of the codes, or `""`.
pub fn join_codes(codes: &BTreeSet<String>) -> String {
    if codes.is_empty() {
        return String::new();
    }
    let mut out = String::from(",");
    for c in codes {
        out.push_str(c);
        out.push(',');
    }
    out
}

/// The codes of a stored value's `state_codes`.
pub fn split_codes(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `recordIndicatorValue`: ISU staff, for a RECORDED indicator, a year of its plan. A
/// PERCENT value has a denominator not below its numerator; a COUNT has none. The States,
/// when given, are known, distinct and as many as the numerator. Recording a year again
/// replaces its value; the audit log keeps both.
pub async fn record_value(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewValue,
) -> Result<Value, ServiceError> {
    let actor = isu(viewer)?;
    record_value_as(db, Some(actor), "recordIndicatorValue", new).await
}

pub async fn record_value_as(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewValue,
) -> Result<Value, ServiceError> {
    let field = |f: &'static str| ["input", f];
    let Some(indicator) = action_indicator::Entity::find_by_id(new.indicator_id)
        .one(db)
        .await?
    else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &field("indicatorId"),
            "No such indicator.",
        ));
    };
    let mut r = Refusals::default();
    if indicator.computation != IndicatorComputation::Recorded {
        r.push(
            Code::InvalidInput,
            &field("indicatorId"),
            "This indicator is computed from the system's data: its values are not recorded.",
        );
    }
    let plan = action_plan::Entity::find_by_id(indicator.plan_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal("an indicator without its plan".into()))?;
    if !(plan.first_year..=plan.last_year).contains(&new.year) {
        r.push(
            Code::InvalidInput,
            &field("year"),
            format!(
                "`year` must be one of the plan's years, {} to {}.",
                plan.first_year, plan.last_year
            ),
        );
    }
    let limit = i32::try_from(MAX_FIGURE).unwrap_or(i32::MAX);
    if !(0..=limit).contains(&new.numerator) {
        r.push(
            Code::InvalidInput,
            &field("numerator"),
            format!("`numerator` must be from 0 to {limit}."),
        );
    }
    match (indicator.unit, new.denominator) {
        (IndicatorUnit::Percent, None) => r.push(
            Code::InvalidInput,
            &field("denominator"),
            "A PERCENT indicator's value needs a denominator.",
        ),
        (IndicatorUnit::Percent, Some(d)) if !(0..=limit).contains(&d) => r.push(
            Code::InvalidInput,
            &field("denominator"),
            format!("`denominator` must be from 0 to {limit}."),
        ),
        (IndicatorUnit::Percent, Some(d)) if new.numerator > d => r.push(
            Code::InvalidInput,
            &field("numerator"),
            "`numerator` must not be above `denominator`.",
        ),
        (IndicatorUnit::Count, Some(_)) => r.push(
            Code::InvalidInput,
            &field("denominator"),
            "A COUNT indicator's value has no denominator.",
        ),
        _ => {}
    }
    let note = validate::trimmed(new.note);
    validate::optional(&mut r, &field("note"), note.as_deref(), TEXT, Lines::Many);
    let mut codes = BTreeSet::new();
    if let Some(list) = &new.state_codes {
        if list.len() > MAX_STATES {
            r.push(
                Code::InvalidInput,
                &field("stateCodes"),
                format!("At most {MAX_STATES} States."),
            );
        } else {
            codes = list.iter().map(|c| c.trim().to_uppercase()).collect();
            if codes.len() != list.len() {
                r.push(
                    Code::InvalidInput,
                    &field("stateCodes"),
                    "`stateCodes` names a State twice.",
                );
            } else if i32::try_from(codes.len()).ok() != Some(new.numerator) {
                r.push(
                    Code::InvalidInput,
                    &field("stateCodes"),
                    format!(
                        "`stateCodes` names {} States but `numerator` is {}: they must agree.",
                        codes.len(),
                        new.numerator
                    ),
                );
            } else {
                let list: Vec<String> = codes.iter().cloned().collect();
                let known = crate::domain::states::service::by_codes(db, &list).await?;
                let unknown: Vec<&str> = list
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !known.iter().any(|s| s.code == *c))
                    .collect();
                if !unknown.is_empty() {
                    r.push(
                        Code::NotFound,
                        &field("stateCodes"),
                        format!("No State has the code {}.", unknown.join(", ")),
                    );
                }
            }
        }
    }
    r.finish()?;
    let existing = indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.eq(indicator.id))
        .filter(indicator_value::Column::Year.eq(new.year))
        .one(db)
        .await?;
    let next = indicator_value::Model {
        id: existing.as_ref().map_or_else(Uuid::now_v7, |e| e.id),
        indicator_id: indicator.id,
        year: new.year,
        numerator: new.numerator,
        denominator: new.denominator,
        state_codes: join_codes(&codes),
        note,
        recorded_by: actor,
        recorded_at: now(),
    };
    if let Some(before) = &existing
        && unchanged(before, &next)
    {
        return Ok(Value::recorded(&indicator, before));
    }
    let uow = Uow::begin(db, actor, action).await?;
    let written = match &existing {
        Some(before) => {
            let after = indicator_value::ActiveModel::from(next)
                .reset_all()
                .update(uow.txn())
                .await?;
            uow.changed(before, &after).await?;
            Ok(after)
        }
        None => indicator_value::ActiveModel::from(next)
            .insert(uow.txn())
            .await
            .map_err(ServiceError::from),
    };
    let saved = match written {
        Err(e) if e.is_unique_violation() => {
            return Err(ServiceError::refused(
                Code::Conflict,
                &field("year"),
                "This year's value was being recorded at the same time: try again.",
            ));
        }
        other => other?,
    };
    if existing.is_none() {
        uow.created(&saved).await?;
    }
    uow.commit().await?;
    Ok(Value::recorded(&indicator, &saved))
}

/// Every plan, oldest first.
pub async fn plans(db: &DatabaseConnection) -> Result<Vec<action_plan::Model>, DbErr> {
    action_plan::Entity::find()
        .order_by_asc(action_plan::Column::FirstYear)
        .all(db)
        .await
}

/// The plan whose years include `year`.
pub async fn plan_for_year(
    db: &DatabaseConnection,
    year: i32,
) -> Result<Option<action_plan::Model>, DbErr> {
    let Some(row) = action_plan_year::Entity::find_by_id(year).one(db).await? else {
        return Ok(None);
    };
    action_plan::Entity::find_by_id(row.plan_id).one(db).await
}

/// The plans of `ids`.
pub async fn get_plans(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<action_plan::Model>, DbErr> {
    action_plan::Entity::find()
        .filter(action_plan::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The actions of `ids`.
pub async fn get_actions(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<plan_action::Model>, DbErr> {
    plan_action::Entity::find()
        .filter(plan_action::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The indicators of `ids`.
pub async fn get_indicators(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<action_indicator::Model>, DbErr> {
    action_indicator::Entity::find()
        .filter(action_indicator::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The actions of each of `plans`, by number.
pub async fn actions_of(
    db: &DatabaseConnection,
    plans: &[Uuid],
) -> Result<HashMap<Uuid, Vec<plan_action::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<plan_action::Model>> = HashMap::new();
    for a in plan_action::Entity::find()
        .filter(plan_action::Column::PlanId.is_in(plans.iter().copied()))
        .order_by_asc(plan_action::Column::Number)
        .all(db)
        .await?
    {
        out.entry(a.plan_id).or_default().push(a);
    }
    Ok(out)
}

/// The indicators of each of `actions`, by code as written.
pub async fn indicators_of(
    db: &DatabaseConnection,
    actions: &[Uuid],
) -> Result<HashMap<Uuid, Vec<action_indicator::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<action_indicator::Model>> = HashMap::new();
    for i in action_indicator::Entity::find()
        .filter(action_indicator::Column::ActionId.is_in(actions.iter().copied()))
        .order_by_asc(action_indicator::Column::Code)
        .all(db)
        .await?
    {
        out.entry(i.action_id).or_default().push(i);
    }
    Ok(out)
}

/// Every indicator of `plan`, in action order, then by code.
pub async fn indicators_of_plan(
    db: &DatabaseConnection,
    plan: Uuid,
) -> Result<Vec<(plan_action::Model, action_indicator::Model)>, DbErr> {
    let actions = actions_of(db, &[plan])
        .await?
        .remove(&plan)
        .unwrap_or_default();
    let ids: Vec<Uuid> = actions.iter().map(|a| a.id).collect();
    let mut by_action = indicators_of(db, &ids).await?;
    Ok(actions
        .into_iter()
        .flat_map(|a| {
            let list = by_action.remove(&a.id).unwrap_or_default();
            list.into_iter().map(move |i| (a.clone(), i))
        })
        .collect())
}

/// The recorded values of `indicators` in `years`.
pub async fn recorded_values(
    db: &DatabaseConnection,
    indicators: &[Uuid],
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<indicator_value::Model>, DbErr> {
    indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.is_in(indicators.iter().copied()))
        .filter(indicator_value::Column::Year.between(*years.start(), *years.end()))
        .order_by_asc(indicator_value::Column::Year)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_are_stored_between_commas() {
        let codes: BTreeSet<String> = ["LAO", "AFG"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(join_codes(&codes), ",AFG,LAO,");
        assert_eq!(split_codes(",AFG,LAO,"), ["AFG", "LAO"]);
        assert_eq!(join_codes(&BTreeSet::new()), "");
        assert!(split_codes("").is_empty());
    }
}
