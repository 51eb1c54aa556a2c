//! The unit of work of a change: what every mutation does besides its business logic, in the
//! transaction that makes the change.
//!
//! - [`Uow`] is the transaction of one mutation, with who makes it and under which action
//!   name: a service begins it, writes through [`Uow::txn`], says what changed
//!   ([`Uow::created`], [`Uow::changed`], or [`Uow::record`] for what is not one entity) and
//!   commits. The audit entry is the unit of work's, not the service's.
//! - `record`, under the unit of work and nowhere else, writes the audit entry (who, what,
//!   which entity, before and after) and, through it, the request's idempotency claim: a
//!   change exists exactly when its entry and its key do. An entry keeps what changed, each
//!   value bounded ([`super::audit_json`]): a long edit stores a digest, not its text twice.
//! - [`unchanged`] says whether an update would change anything: when it would not, the
//!   service writes nothing (no row, no version, no entry) and answers the entity as it is.
//! - [`Audited`] is how an entity describes itself in the audit log; each domain implements it
//!   for its rows, next to their JSON.
//! - [`bounded_add`] moves a counter within its cap in one conditional statement, so that
//!   concurrent writers can never push it past the cap or below zero (budgets, coverage,
//!   commitments, expenditure, payments).

use std::fmt::Display;

use entity::audit_entry;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

/// An entity as the audit log shows it: its type (`User`, `AssistanceNeed`…), its ID there,
/// and its JSON. Implemented by each domain for its rows, next to the JSON function.
pub trait Audited {
    /// The `entityType` of its entries.
    const ENTITY_TYPE: &'static str;
    /// The `entityId` of its entries (usually the row's ID; a State's code for States).
    fn audit_id(&self) -> String;
    /// What the entry's `before` or `after` holds.
    fn audit_json(&self) -> serde_json::Value;
}

/// True when `after` changes nothing of `before` that its audit JSON shows, bookkeeping
/// aside (the version and the time of the last write, [`super::audit_json::BOOKKEEPING`]).
/// A service calls it before writing an update and, when it is true, writes nothing and
/// answers `before`: an empty edit bumps no version and stores no entry. The audit JSON of
/// an entity must therefore show every field an update may change.
pub fn unchanged<E: Audited>(before: &E, after: &E) -> bool {
    super::audit_json::same(&before.audit_json(), &after.audit_json())
}

/// The unit of work of one mutation: its transaction, who makes it (None for the system
/// itself) and the action's name. Every entry it records carries that actor and action and
/// is written in that transaction, with the request's idempotency claim (`record`).
/// Dropped without [`Uow::commit`], it rolls back.
#[derive(Debug)]
pub struct Uow {
    txn: DatabaseTransaction,
    actor: Option<Uuid>,
    action: &'static str,
}

impl Uow {
    /// Begins the transaction of `action`, made by `actor`.
    pub async fn begin(
        db: &DatabaseConnection,
        actor: Option<Uuid>,
        action: &'static str,
    ) -> Result<Self, DbErr> {
        Ok(Self {
            txn: super::db::begin_write(db).await?,
            actor,
            action,
        })
    }

    /// The transaction, for the change's own statements.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Records that `after` was created: the entry's `after` is its JSON, bounded.
    pub async fn created<E: Audited>(&self, after: &E) -> Result<(), DbErr> {
        self.record(
            E::ENTITY_TYPE,
            after.audit_id(),
            None,
            Some(after.audit_json()),
        )
        .await
    }

    /// Records that `before` became `after`: the entry keeps the fields that differ, and the
    /// `id`. Call it only for a change: [`unchanged`] says whether there is one.
    pub async fn changed<E: Audited>(&self, before: &E, after: &E) -> Result<(), DbErr> {
        self.record(
            E::ENTITY_TYPE,
            after.audit_id(),
            Some(before.audit_json()),
            Some(after.audit_json()),
        )
        .await
    }

    /// Records a change that is not one entity's as it is (a session, a year's invoices, the
    /// registry), or whose JSON says more than the entity (a note with a transition).
    pub async fn record(
        &self,
        entity_type: &'static str,
        entity_id: impl Display,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), DbErr> {
        record(
            &self.txn,
            Change {
                actor: self.actor,
                action: self.action,
                entity_type,
                entity_id: entity_id.to_string(),
                before,
                after,
            },
        )
        .await
    }

    /// Commits the change with its entries.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    /// Rolls the change back, entries and all (a refusal found inside the transaction).
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

/// One change, as the unit of work that made it describes it.
#[derive(Debug)]
struct Change {
    /// None for the system itself (first start, seeding from the command line).
    actor: Option<Uuid>,
    /// The mutation's name, e.g. `createUser`.
    action: &'static str,
    entity_type: &'static str,
    entity_id: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

/// Writes the entry on `conn`, which must be the transaction making the change: of a change
/// to an entity, the fields that differ; every side bounded ([`super::audit_json`]).
async fn record(conn: &impl ConnectionTrait, change: Change) -> Result<(), DbErr> {
    // Every write passes here in its transaction: the request's Idempotency-Key, if any,
    // is stored in the same one.
    super::idempotency::claim_in(conn).await?;
    let (before, after) = match (change.before, change.after) {
        (Some(b), Some(a)) => {
            let (b, a) = super::audit_json::delta(&b, &a);
            (Some(b), Some(a))
        }
        other => other,
    };
    let bounded =
        |side: Option<serde_json::Value>| side.map(|v| super::audit_json::bound(v).to_string());
    audit_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(super::clock::now()),
        actor_id: Set(change.actor),
        action: Set(change.action.to_owned()),
        entity_type: Set(change.entity_type.to_owned()),
        entity_id: Set(change.entity_id),
        before: Set(bounded(before)),
        after: Set(bounded(after)),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Adds `delta` to the `value` column of the row whose `key` column is `id`, unless the sum
/// would pass the row's `cap` column or fall below zero; sets `touched` (an `updated_at`
/// column) to now when given. True when it applied. A null cap refuses every change.
pub async fn bounded_add<C, E>(
    conn: &impl ConnectionTrait,
    key: C,
    id: Uuid,
    value: C,
    cap: C,
    touched: Option<C>,
    delta: i64,
) -> Result<bool, DbErr>
where
    C: ColumnTrait<EntityName = E> + IntoColumnRef + Copy,
    E: EntityTrait<Column = C>,
{
    let next = || Expr::col(value).add(delta);
    let mut update = E::update_many()
        .col_expr(value, next())
        .filter(key.eq(id))
        .filter(next().lte(Expr::col(cap)))
        .filter(next().gte(0));
    if let Some(t) = touched {
        update = update.col_expr(t, Expr::value(super::clock::now()));
    }
    Ok(update.exec(conn).await?.rows_affected == 1)
}
