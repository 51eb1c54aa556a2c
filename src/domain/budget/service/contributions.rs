//! The financial status of a year (contributions, the Working Capital Reserve) and payments.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{StateStatus, WorkplanStatus};
use entity::{budget_line, expenditure, invoice, payment, state, workplan};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;
use uuid::Uuid;

use super::{ISU, checked_amount, money_text, refused, require_reader};
use crate::auth::Viewer;
use crate::domain::budget::BudgetConfig;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::uow::{Audited, Uow, bounded_add};
use crate::kernel::validate;
use crate::rules::sharing;

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
pub(super) async fn in_force(
    db: &DatabaseConnection,
    year: i32,
) -> Result<Vec<state::Model>, DbErr> {
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
    let mut r = Refusals::default();
    validate::year(&mut r, &["year"], year);
    r.finish()?;
    status_of(db, cfg, year).await
}

pub(super) async fn status_of(
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

fn payment_json(p: &payment::Model) -> serde_json::Value {
    json!({
        "id": p.id, "stateCode": p.state_code, "year": p.year,
        "amountCents": p.amount_cents, "receivedOn": p.received_on,
    })
}

impl Audited for payment::Model {
    const ENTITY_TYPE: &'static str = "Payment";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        payment_json(self)
    }
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
    let uow = Uow::begin(db, Some(actor), "recordPayment").await?;
    use invoice::Column as I;
    if !bounded_add(
        uow.txn(),
        I::Id,
        inv.id,
        I::ReceivedCents,
        I::AmountCents,
        None,
        cents,
    )
    .await?
    {
        uow.rollback().await?;
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
    .insert(uow.txn())
    .await?;
    uow.created(&p).await?;
    let status = status_of(uow.txn(), cfg, new.year).await?;
    uow.commit().await?;
    Ok(status)
}
