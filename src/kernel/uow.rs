//! The unit of work of a change: what every mutation does besides its business logic, in the
//! transaction that makes the change.
//!
//! - [`record`] writes the audit entry (who, what, which entity, before and after) and, through
//!   it, the request's idempotency claim: a change exists exactly when its entry and its key do.
//! - [`bounded_add`] moves a counter within its cap in one conditional statement, so that
//!   concurrent writers can never push it past the cap or below zero (budgets, coverage,
//!   commitments, expenditure, payments).

use entity::audit_entry;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

/// One change, as the service that made it describes it.
#[derive(Debug)]
pub struct Change {
    /// None for the system itself (first start, seeding from the command line).
    pub actor: Option<Uuid>,
    /// The mutation's name, e.g. `createUser`.
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Writes the entry on `conn`, which must be the transaction making the change.
pub async fn record(conn: &impl ConnectionTrait, change: Change) -> Result<(), DbErr> {
    // Every write passes here in its transaction: the request's Idempotency-Key, if any,
    // is stored in the same one.
    super::idempotency::claim_in(conn, change.action).await?;
    audit_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(super::clock::now()),
        actor_id: Set(change.actor),
        action: Set(change.action.to_owned()),
        entity_type: Set(change.entity_type.to_owned()),
        entity_id: Set(change.entity_id),
        before: Set(change.before.map(|v| v.to_string())),
        after: Set(change.after.map(|v| v.to_string())),
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
