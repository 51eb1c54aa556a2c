//! Reads of the States registry.

use chrono::NaiveDate;
use entity::enums::{
    DepositType, IncomeGroup, ObligationKind as StoredKind, RegionalGroup, StateStatus, UserRole,
};
use entity::{deadline_extension, state};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::snapshot::Registry;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow, unchanged};
use crate::kernel::validate::{self, BRIEF_TEXT, Lines, SHORT_TEXT};
use crate::rules::obligations::{self, ExtensionRefusal, ObligationKind, Rules};

#[derive(Debug, Default)]
pub struct StateFilter {
    pub status: Option<Vec<StateStatus>>,
    pub regional_group: Option<RegionalGroup>,
    /// Case-insensitive substring of the name or the code.
    pub search: Option<String>,
    /// States bound by an obligation of this kind.
    pub has_obligation: Option<ObligationKind>,
}

impl StateFilter {
    /// Whether `s` passes the filter; `search` is the search trimmed and in lower case,
    /// None when empty. Extensions come from `registry`.
    fn admits(&self, s: &state::Model, search: Option<&str>, registry: &Registry) -> bool {
        self.status
            .as_ref()
            .is_none_or(|list| list.is_empty() || list.contains(&s.status))
            && self
                .regional_group
                .is_none_or(|g| s.regional_group == Some(g))
            && search.is_none_or(|q| {
                s.name.to_lowercase().contains(q) || s.code.to_lowercase().contains(q)
            })
            && self
                .has_obligation
                .is_none_or(|kind| has_obligation(s, kind, registry))
    }
}

/// Whether the engine lists an obligation of `kind` for `s` (see `obligations::engine`):
/// a bound State, and for Articles 3 and 4 the State's situation (the flag, a completion or
/// an extension, which shows it owes it).
fn has_obligation(s: &state::Model, kind: ObligationKind, registry: &Registry) -> bool {
    let bound = matches!(s.status, StateStatus::StateParty | StateStatus::Withdrawn)
        && s.deposit_date.is_some();
    let extended = |stored: StoredKind| {
        registry
            .extensions(&s.code)
            .iter()
            .any(|e| e.kind == stored)
    };
    bound
        && match kind {
            ObligationKind::InitialTransparencyReport
            | ObligationKind::AnnualTransparencyReport => true,
            ObligationKind::StockpileDestruction => {
                s.holds_stockpiles
                    || s.stockpile_destruction_completed_on.is_some()
                    || extended(StoredKind::StockpileDestruction)
            }
            ObligationKind::Clearance => {
                s.contaminated
                    || s.clearance_completed_on.is_some()
                    || extended(StoredKind::Clearance)
            }
        }
}

/// States ordered by code, from the registry as a request reads it (kept by the server,
/// [`super::snapshot`]): filtered and paged in memory, no statement.
pub fn list(registry: &Registry, filter: &StateFilter, page: &PageRequest) -> Page<state::Model> {
    let search = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    pagination::slice(
        registry
            .states()
            .filter(|s| filter.admits(s, search.as_deref(), registry)),
        |s| s.code.as_str(),
        pagination::Direction::Ascending,
        page.after.as_deref(),
        page.limit,
    )
    .map(Clone::clone)
}

pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<state::Model>, DbErr> {
    state::Entity::find()
        .filter(state::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await
}

pub async fn by_id(db: &DatabaseConnection, id: Uuid) -> Result<Option<state::Model>, DbErr> {
    state::Entity::find_by_id(id).one(db).await
}

/// The States of `ids` that exist, in one statement. The registry is public.
pub async fn by_ids(db: &DatabaseConnection, ids: &[Uuid]) -> Result<Vec<state::Model>, DbErr> {
    state::Entity::find()
        .filter(state::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Every State in the registry, by code, in one statement.
pub async fn all_by_code(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<String, state::Model>, DbErr> {
    Ok(state::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect())
}

/// The States of `codes` that exist, in one statement.
pub async fn by_codes(
    db: &DatabaseConnection,
    codes: &[String],
) -> Result<Vec<state::Model>, DbErr> {
    state::Entity::find()
        .filter(state::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await
}

/// The extensions of `ids` that exist, in one statement. Extensions are public, as the
/// deadlines they move are.
pub async fn extensions_by_ids(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<deadline_extension::Model>, DbErr> {
    deadline_extension::Entity::find()
        .filter(deadline_extension::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// A field of an update: keep it, clear it, or set it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    fn apply(self, current: &mut Option<T>) {
        match self {
            Self::Keep => {}
            Self::Clear => *current = None,
            Self::Set(v) => *current = Some(v),
        }
    }
}

/// `updateStateParty`'s input, in service terms.
#[derive(Debug, Default)]
pub struct StateUpdate {
    pub code: String,
    pub name: Option<String>,
    pub status: Option<StateStatus>,
    pub regional_group: Patch<RegionalGroup>,
    pub income_group: Patch<IncomeGroup>,
    pub signature_date: Patch<NaiveDate>,
    pub deposit_date: Patch<NaiveDate>,
    pub deposit_type: Patch<DepositType>,
    pub withdrawal_effective_date: Patch<NaiveDate>,
    pub holds_stockpiles: Option<bool>,
    pub contaminated: Option<bool>,
    pub has_victims: Option<bool>,
    pub stockpile_destruction_completed_on: Patch<NaiveDate>,
    pub clearance_completed_on: Patch<NaiveDate>,
}

/// The Convention was opened for signature on 3 December 2008 (Article 15).
pub const OPENED_FOR_SIGNATURE: NaiveDate = match NaiveDate::from_ymd_opt(2008, 12, 3) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Checks a State row as a whole, after an update; `today` bounds dates that cannot lie ahead.
pub fn validate_state(s: &state::Model, today: NaiveDate) -> Result<(), ServiceError> {
    let mut r = Refusals::default();
    let field = |f: &'static str| ["input", f];
    validate::required(&mut r, &field("name"), &s.name, SHORT_TEXT, Lines::One);
    if let Some(sig) = s.signature_date {
        if sig < OPENED_FOR_SIGNATURE {
            r.push(
                Code::InvalidInput,
                &field("signatureDate"),
                "The Convention was opened for signature on 2008-12-03.",
            );
        }
        if sig > today {
            r.push(
                Code::InvalidInput,
                &field("signatureDate"),
                "The signature date lies in the future.",
            );
        }
    }
    if let Some(dep) = s.deposit_date {
        if s.signature_date.is_some_and(|sig| dep < sig) {
            r.push(
                Code::InvalidInput,
                &field("depositDate"),
                "The deposit date cannot precede the signature date.",
            );
        }
        if dep > today {
            r.push(
                Code::InvalidInput,
                &field("depositDate"),
                "The deposit date lies in the future.",
            );
        }
    }
    match s.status {
        StateStatus::StateParty if s.deposit_date.is_none() => r.push(
            Code::InvalidInput,
            &field("depositDate"),
            "A STATE_PARTY has deposited an instrument: give its deposit date.",
        ),
        StateStatus::Withdrawn if s.withdrawal_effective_date.is_none() => r.push(
            Code::InvalidInput,
            &field("withdrawalEffectiveDate"),
            "A WITHDRAWN State needs the date its withdrawal took effect.",
        ),
        StateStatus::Withdrawn if s.deposit_date.is_none() => r.push(
            Code::InvalidInput,
            &field("depositDate"),
            "A WITHDRAWN State was a State party: give its deposit date.",
        ),
        StateStatus::Signatory if s.deposit_date.is_some() => r.push(
            Code::InvalidInput,
            &field("depositDate"),
            "A SIGNATORY has not deposited an instrument: clear depositDate or make it a STATE_PARTY.",
        ),
        _ => {}
    }
    if let (Some(w), Some(dep)) = (s.withdrawal_effective_date, s.deposit_date)
        && w <= dep
    {
        r.push(
            Code::InvalidInput,
            &field("withdrawalEffectiveDate"),
            "A withdrawal takes effect after the deposit.",
        );
    }
    for (f, d) in [
        (
            "stockpileDestructionCompletedOn",
            s.stockpile_destruction_completed_on,
        ),
        ("clearanceCompletedOn", s.clearance_completed_on),
    ] {
        if d.is_some_and(|d| d > today) {
            r.push(
                Code::InvalidInput,
                &field(f),
                "A completion date cannot lie in the future.",
            );
        }
    }
    r.finish()
}

/// A State in the audit log: all its fields, under its code.
impl Audited for state::Model {
    const ENTITY_TYPE: &'static str = "StateParty";
    fn audit_id(&self) -> String {
        self.code.clone()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!(self)
    }
}

impl Audited for deadline_extension::Model {
    const ENTITY_TYPE: &'static str = "DeadlineExtension";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({
            "stateCode": self.state_code,
            "kind": self.kind,
            "previousDeadline": self.previous_deadline,
            "newDeadline": self.new_deadline,
            "grantedOn": self.granted_on,
            "grantedAt": self.granted_at,
            "decisionId": self.decision_id,
        })
    }
}

fn state_not_found(code: &str, field: &[&str]) -> ServiceError {
    ServiceError::refused(
        Code::NotFound,
        field,
        format!("No State has the code {code}."),
    )
}

/// `updateStateParty`: ISU_ADMIN only. Entry into force is never entered: it follows from
/// the deposit date.
pub async fn update_state(
    db: &DatabaseConnection,
    viewer: &Viewer,
    update: StateUpdate,
    today: NaiveDate,
) -> Result<state::Model, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    apply_update(db, Some(admin.user_id), "updateStateParty", update, today).await
}

/// Validates and applies an update; `actor` is None for the system (seeding).
pub async fn apply_update(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    update: StateUpdate,
    today: NaiveDate,
) -> Result<state::Model, ServiceError> {
    let Some(current) = by_code(db, &update.code).await? else {
        return Err(state_not_found(&update.code, &["input", "code"]));
    };
    let mut next = current.clone();
    if let Some(name) = update.name {
        next.name = name.trim().to_owned();
    }
    if let Some(status) = update.status {
        next.status = status;
    }
    update.regional_group.apply(&mut next.regional_group);
    update.income_group.apply(&mut next.income_group);
    update.signature_date.apply(&mut next.signature_date);
    update.deposit_date.apply(&mut next.deposit_date);
    update.deposit_type.apply(&mut next.deposit_type);
    update
        .withdrawal_effective_date
        .apply(&mut next.withdrawal_effective_date);
    if let Some(v) = update.holds_stockpiles {
        next.holds_stockpiles = v;
    }
    if let Some(v) = update.contaminated {
        next.contaminated = v;
    }
    if let Some(v) = update.has_victims {
        next.has_victims = v;
    }
    update
        .stockpile_destruction_completed_on
        .apply(&mut next.stockpile_destruction_completed_on);
    update
        .clearance_completed_on
        .apply(&mut next.clearance_completed_on);
    validate_state(&next, today)?;
    if unchanged(&current, &next) {
        return Ok(current);
    }
    next.updated_at = now();
    let uow = Uow::begin(db, actor, action).await?;
    let updated = state::ActiveModel::from(next)
        .reset_all()
        .update(uow.txn())
        .await?;
    uow.changed(&current, &updated).await?;
    uow.commit().await?;
    Ok(updated)
}

/// `recordDeadlineExtension`'s input, in service terms.
#[derive(Debug)]
pub struct NewExtension {
    pub state_code: String,
    pub kind: ObligationKind,
    pub new_deadline: NaiveDate,
    pub granted_on: NaiveDate,
    pub granted_at: Option<String>,
    /// The meeting's decision that granted it.
    pub decision_id: Option<Uuid>,
}

/// `recordDeadlineExtension`: ISU_ADMIN only. The engine checks that the State has the
/// obligation and that the new deadline is later, within the treaty's maximum step.
pub async fn record_extension(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewExtension,
    today: NaiveDate,
) -> Result<deadline_extension::Model, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    add_extension(
        db,
        Some(admin.user_id),
        "recordDeadlineExtension",
        new,
        today,
    )
    .await
}

/// An extension that [`check_extension`] accepted, for [`insert_extension`] to write: the
/// row's fields, with the deadline in force that it moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedExtension {
    pub state_code: String,
    pub kind: StoredKind,
    /// The deadline in force when it was checked: the one the extension moves.
    pub previous_deadline: NaiveDate,
    pub new_deadline: NaiveDate,
    pub granted_on: NaiveDate,
    /// Trimmed; None when blank.
    pub granted_at: Option<String>,
    pub decision_id: Option<Uuid>,
}

/// Checks and records an extension; `actor` is None for the system (seeding). The deadline
/// in force is read again in the unit of work, the State's row locked: an extension recorded
/// meanwhile answers CONFLICT instead of a second extension of the same deadline.
pub async fn add_extension(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewExtension,
    today: NaiveDate,
) -> Result<deadline_extension::Model, ServiceError> {
    let checked = check_extension(db, new, today).await?;
    let uow = Uow::begin(db, actor, action).await?;
    let in_force = deadline_in_force(uow.txn(), &checked.state_code, checked.kind, today).await?;
    if in_force != Some(checked.previous_deadline) {
        uow.rollback().await?;
        return Err(ServiceError::refused(
            Code::Conflict,
            &["input", "newDeadline"],
            "Another extension of this deadline was recorded meanwhile: reload the deadline in force.",
        ));
    }
    let created = insert_extension(&uow, checked).await?;
    uow.commit().await?;
    Ok(created)
}

/// Checks an extension as `recordDeadlineExtension` does, on `conn` (the database, or a unit
/// of work's transaction), and answers what to insert: the State exists, `grantedOn` is not
/// in the future, `grantedAt` fits, the decision exists, and the engine allows the new
/// deadline (the State has the obligation; later than the deadline in force, within the
/// treaty's step). Refusals name `recordDeadlineExtension`'s fields.
pub async fn check_extension(
    conn: &impl ConnectionTrait,
    new: NewExtension,
    today: NaiveDate,
) -> Result<CheckedExtension, ServiceError> {
    let Some(s) = by_code(conn, &new.state_code).await? else {
        return Err(state_not_found(&new.state_code, &["input", "stateCode"]));
    };
    let mut r = Refusals::default();
    if new.granted_on > today {
        r.push(
            Code::InvalidInput,
            &["input", "grantedOn"],
            "An extension cannot be granted in the future.",
        );
    }
    let granted_at = new
        .granted_at
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty());
    validate::optional(
        &mut r,
        &["input", "grantedAt"],
        granted_at.as_deref(),
        BRIEF_TEXT,
        Lines::One,
    );
    if let Some(d) = new.decision_id
        && entity::decision::Entity::find_by_id(d)
            .one(conn)
            .await?
            .is_none()
    {
        r.push(
            Code::NotFound,
            &["input", "decisionId"],
            "No such decision.",
        );
    }
    r.finish()?;

    let existing = crate::domain::states::obligations::extensions_of(conn, &s.code).await?;
    let facts = crate::domain::states::obligations::facts(&s, Default::default());
    let extension_facts: Vec<_> = existing
        .iter()
        .map(crate::domain::states::obligations::extension_fact)
        .collect();
    let stored_kind: StoredKind = new.kind.into();
    let kind_name = sea_orm::ActiveEnum::to_value(&stored_kind);
    let not_applicable = || {
        ServiceError::refused(
            Code::InvalidInput,
            &["input", "kind"],
            format!(
                "{} has no {kind_name} obligation that can be extended.",
                s.name
            ),
        )
    };
    match obligations::extension_allowed(&facts, &extension_facts, new.kind, new.new_deadline) {
        Ok(()) => {}
        Err(ExtensionRefusal::NotApplicable) => return Err(not_applicable()),
        Err(ExtensionRefusal::NotLater { current }) => {
            return Err(ServiceError::refused(
                Code::InvalidInput,
                &["input", "newDeadline"],
                format!("The new deadline must lie after the deadline in force, {current}."),
            ));
        }
        Err(ExtensionRefusal::TooLong {
            current,
            latest_allowed,
        }) => {
            return Err(ServiceError::refused(
                Code::InvalidInput,
                &["input", "newDeadline"],
                format!(
                    "One extension may move the deadline in force ({current}) to {latest_allowed} at the latest."
                ),
            ));
        }
    }
    let previous = in_force(&s, &existing, new.kind, today).ok_or_else(not_applicable)?;
    Ok(CheckedExtension {
        state_code: s.code.clone(),
        kind: stored_kind,
        previous_deadline: previous,
        new_deadline: new.new_deadline,
        granted_on: new.granted_on,
        granted_at,
        decision_id: new.decision_id,
    })
}

/// The deadline in force of `s`'s obligation of `kind` as of `today`, given its extensions.
fn in_force(
    s: &state::Model,
    extensions: &[deadline_extension::Model],
    kind: ObligationKind,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let facts = crate::domain::states::obligations::facts(s, Default::default());
    let extension_facts: Vec<_> = extensions
        .iter()
        .map(crate::domain::states::obligations::extension_fact)
        .collect();
    obligations::obligations(&facts, &[], &extension_facts, today, &Rules::default())
        .into_iter()
        .find(|o| o.kind == kind)
        .map(|o| o.due_date)
}

/// The deadline in force of the State `code`'s obligation of `kind` as of `today`; None when
/// the State has no such obligation. Read in a unit of work's transaction, it locks the
/// State's row (`FOR UPDATE` on PostgreSQL; SQLite's write transaction holds the whole
/// database): no other extension of the State can be recorded before the unit of work ends.
pub async fn deadline_in_force(
    txn: &impl ConnectionTrait,
    code: &str,
    kind: StoredKind,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, DbErr> {
    let Some(s) = state::Entity::find()
        .filter(state::Column::Code.eq(code))
        .lock_exclusive()
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let existing = crate::domain::states::obligations::extensions_of(txn, code).await?;
    Ok(in_force(&s, &existing, kind.into(), today))
}

/// Writes `checked` in `uow` and records its creation. The caller has read the deadline in
/// force in the same unit of work ([`deadline_in_force`]) and found it unchanged.
pub async fn insert_extension(
    uow: &Uow,
    checked: CheckedExtension,
) -> Result<deadline_extension::Model, DbErr> {
    let created = deadline_extension::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(checked.state_code),
        kind: Set(checked.kind),
        previous_deadline: Set(checked.previous_deadline),
        new_deadline: Set(checked.new_deadline),
        granted_on: Set(checked.granted_on),
        granted_at: Set(checked.granted_at),
        imported: Set(false),
        decision_reference: Set(None),
        precision: Set(None),
        granted_on_precision: Set(None),
        confidence: Set(None),
        sources: Set(None),
        decision_id: Set(checked.decision_id),
        created_at: Set(now()),
    }
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    Ok(created)
}
