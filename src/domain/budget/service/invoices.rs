//! Issuing a year's invoices by the scale, and reissuing them until a payment is recorded.

use std::collections::HashMap;

use entity::enums::UserRole;
use entity::{invoice, payment, state};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::contributions::{in_force, status_of};
use super::{FinancialStatus, checked_amount, refused};
use crate::auth::Viewer;
use crate::domain::budget::BudgetConfig;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::uow::Uow;
use crate::kernel::validate;
use crate::rules::sharing::{self, Rate, SharingError};

/// `issueInvoices`' input.
#[derive(Debug, Clone)]
pub struct NewInvoices {
    pub year: i32,
    pub total: Money,
    /// (State code, rate); None to reuse the last scale.
    pub rates: Option<Vec<(String, Decimal)>>,
}

/// `issueInvoices`: ISU_ADMIN. Shares the total by the scale, to the cent (see
/// [`sharing::share`]); replaces the year's invoices until a payment is recorded.
pub async fn issue_invoices(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    new: NewInvoices,
) -> Result<FinancialStatus, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    issue_invoices_by(db, cfg, Some(admin.user_id), "issueInvoices", new).await
}

/// Validates and issues the invoices; `actor` is None for the system (seeding).
pub async fn issue_invoices_by(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewInvoices,
) -> Result<FinancialStatus, ServiceError> {
    let mut r = Refusals::default();
    validate::year(&mut r, &["input", "year"], new.year);
    r.finish()?;
    let mut r = Refusals::default();
    let total = checked_amount(&new.total, &cfg.currency, &["input", "total"], &mut r);
    let bound: HashMap<String, state::Model> = in_force(db, new.year)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let scale: Vec<Rate> = match new.rates {
        Some(given) => {
            let mut scale = Vec::with_capacity(given.len());
            if given.is_empty() {
                r.push(
                    Code::InvalidInput,
                    &["input", "rates"],
                    "Give at least one rate, or omit the scale.",
                );
            }
            for (i, (code, rate)) in given.into_iter().enumerate() {
                let code = code.trim().to_uppercase();
                let index = i.to_string();
                let field = ["input", "rates", index.as_str(), "stateCode"];
                if !bound.contains_key(&code) {
                    if crate::domain::states::service::by_code(db, &code)
                        .await?
                        .is_none()
                    {
                        r.push(
                            Code::NotFound,
                            &field,
                            format!("No State has the code {code}."),
                        );
                    } else {
                        r.push(
                            Code::InvalidInput,
                            &field,
                            format!("{code} was not a State party in force during {}.", new.year),
                        );
                    }
                }
                if rate <= Decimal::ZERO || rate.normalize().scale() > 10 {
                    r.push(
                        Code::InvalidInput,
                        &["input", "rates", index.as_str(), "rate"],
                        "A rate is positive, with at most 10 decimals.",
                    );
                }
                if scale.iter().any(|x: &Rate| x.state_code == code) {
                    r.push(
                        Code::InvalidInput,
                        &field,
                        format!("{code} appears twice in the scale."),
                    );
                }
                scale.push(Rate {
                    state_code: code,
                    rate: rate.normalize(),
                });
            }
            scale
        }
        None => match last_scale(db).await? {
            Some((from_year, scale)) => {
                for x in &scale {
                    if !bound.contains_key(&x.state_code) {
                        r.push(
                            Code::InvalidInput,
                            &["input", "rates"],
                            format!(
                                "The last scale (used for {from_year}) includes {}, which was not a State party in force during {}: give a scale.",
                                x.state_code, new.year
                            ),
                        );
                    }
                }
                scale
            }
            None => {
                let mut codes: Vec<String> = bound.keys().cloned().collect();
                codes.sort();
                sharing::equal_rates(&codes)
            }
        },
    };
    r.finish()?;
    let total = total.unwrap_or(0);
    let shares = sharing::share(total, &scale).map_err(|e| match e {
        SharingError::NoStates => refused(
            Code::InvalidInput,
            &["input", "rates"],
            format!("No State party was in force during {}.", new.year),
        ),
        SharingError::NotPositive(c) | SharingError::Duplicate(c) => refused(
            Code::InvalidInput,
            &["input", "rates"],
            format!("The rate of {c} is not usable."),
        ),
        SharingError::Overflow => refused(
            Code::InvalidInput,
            &["input", "total"],
            "The total or the rates are too large.",
        ),
    })?;
    let paid = payment::Entity::find()
        .filter(payment::Column::Year.eq(new.year))
        .count(db)
        .await?;
    if paid > 0 {
        return Err(paid_refusal(new.year));
    }
    let uow = Uow::begin(db, actor, action).await?;
    match replace_invoices(&uow, cfg, new.year, total, &scale, &shares).await {
        Ok(status) => match uow.commit().await {
            Ok(()) => Ok(status),
            Err(e) => Err(contention_or(e, new.year)),
        },
        Err(e) => {
            let _ = uow.rollback().await;
            Err(match e {
                ServiceError::Db(e) => contention_or(e, new.year),
                other => other,
            })
        }
    }
}

fn paid_refusal(year: i32) -> ServiceError {
    refused(
        Code::InvalidInput,
        &["input", "year"],
        format!("Payments are recorded for {year}: its invoices can no longer be reissued."),
    )
}

/// True when a write lost a race with another request rather than failing: a unique or
/// foreign key that another transaction just claimed, a deadlock, or SQLite's busy lock.
fn is_contention(e: &DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(
            sea_orm::SqlErr::UniqueConstraintViolation(_)
                | sea_orm::SqlErr::ForeignKeyConstraintViolation(_)
        )
    ) || {
        let text = e.to_string();
        text.contains("database is locked")
            || text.contains("deadlock detected")
            || text.contains("could not serialize")
    }
}

fn contention_or(e: DbErr, year: i32) -> ServiceError {
    if is_contention(&e) {
        refused(
            Code::Conflict,
            &["input", "year"],
            format!(
                "The invoices for {year} changed meanwhile (reissued or paid): reload and try again."
            ),
        )
    } else {
        e.into()
    }
}

/// Replaces a year's invoices in `uow`. The first statement writes, so that concurrent
/// reissues and payments of the year queue behind it (PostgreSQL row locks, SQLite's
/// write lock) instead of interleaving.
async fn replace_invoices(
    uow: &Uow,
    cfg: &BudgetConfig,
    year: i32,
    total: i64,
    scale: &[Rate],
    shares: &[i64],
) -> Result<FinancialStatus, ServiceError> {
    let txn = uow.txn();
    invoice::Entity::update_many()
        .col_expr(invoice::Column::Year, Expr::col(invoice::Column::Year))
        .filter(invoice::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let paid = payment::Entity::find()
        .filter(payment::Column::Year.eq(year))
        .count(txn)
        .await?;
    if paid > 0 {
        return Err(paid_refusal(year));
    }
    let before = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(year))
        .order_by_asc(invoice::Column::StateCode)
        .all(txn)
        .await?;
    let new_rows: Vec<(String, String, i64)> = scale
        .iter()
        .zip(shares)
        .map(|(r, c)| (r.state_code.clone(), r.rate.to_string(), *c))
        .collect();
    // The same invoices again change nothing: nothing is written, and they keep their date.
    let mut reissued: Vec<_> = new_rows.iter().collect();
    reissued.sort();
    let same = before.len() == reissued.len()
        && before.iter().zip(reissued).all(|(i, (code, rate, cents))| {
            (&i.state_code, &i.rate, i.amount_cents, &i.currency)
                == (code, rate, *cents, &cfg.currency)
        });
    if same {
        return status_of(txn, cfg, year).await;
    }
    invoice::Entity::delete_many()
        .filter(invoice::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let t = now();
    let issued: Vec<invoice::ActiveModel> = scale
        .iter()
        .zip(shares)
        .map(|(rate, cents)| invoice::ActiveModel {
            id: Set(Uuid::now_v7()),
            year: Set(year),
            state_code: Set(rate.state_code.clone()),
            rate: Set(rate.rate.to_string()),
            amount_cents: Set(*cents),
            received_cents: Set(0),
            currency: Set(cfg.currency.clone()),
            issued_at: Set(t),
        })
        .collect();
    invoice::Entity::insert_many(issued).exec(txn).await?;
    let summary = |rows: Vec<(String, String, i64)>| {
        json!(
            rows.into_iter()
                .map(|(c, r, a)| json!({"stateCode": c, "rate": r, "amountCents": a}))
                .collect::<Vec<_>>()
        )
    };
    let old: Vec<(String, String, i64)> = before
        .into_iter()
        .map(|i| (i.state_code, i.rate, i.amount_cents))
        .collect();
    let had_any = !old.is_empty();
    uow.record(
        "Invoices",
        year,
        had_any.then(|| json!({"year": year, "invoices": summary(old)})),
        Some(json!({"year": year, "totalCents": total, "invoices": summary(new_rows)})),
    )
    .await?;
    status_of(txn, cfg, year).await
}

/// The scale of the most recently issued invoices: (its year, its rates).
async fn last_scale(db: &DatabaseConnection) -> Result<Option<(i32, Vec<Rate>)>, DbErr> {
    let Some(latest) = invoice::Entity::find()
        .order_by_desc(invoice::Column::IssuedAt)
        .order_by_desc(invoice::Column::Year)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let rows = invoice::Entity::find()
        .filter(invoice::Column::Year.eq(latest.year))
        .order_by_asc(invoice::Column::StateCode)
        .all(db)
        .await?;
    Ok(Some((
        latest.year,
        rows.into_iter()
            .map(|i| Rate {
                state_code: i.state_code,
                rate: i.rate.parse().unwrap_or(Decimal::ONE),
            })
            .collect(),
    )))
}
