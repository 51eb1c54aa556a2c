//! Exchange rates to the base currency, kept by the ISU (e.g. the UN operational rates).
//! Comparisons across currencies use the latest rate valid on the day T.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::UserRole;
use entity::exchange_rate;
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::is_currency;
use crate::kernel::uow::{Audited, Uow, unchanged};

/// Every rate to the base currency, by currency, newest first.
#[derive(Clone, Debug, Default)]
pub struct Rates {
    base: String,
    by_currency: HashMap<String, Vec<(NaiveDate, Decimal)>>,
}

impl Rates {
    pub fn from_rows(rows: &[exchange_rate::Model], base: &str) -> Self {
        let mut by_currency: HashMap<String, Vec<(NaiveDate, Decimal)>> = HashMap::new();
        for r in rows {
            if let Ok(rate) = r.rate_to_base.parse::<Decimal>() {
                by_currency
                    .entry(r.currency.clone())
                    .or_default()
                    .push((r.valid_from, rate));
            }
        }
        for v in by_currency.values_mut() {
            v.sort_by_key(|(from, _)| std::cmp::Reverse(*from));
        }
        Self {
            base: base.to_owned(),
            by_currency,
        }
    }

    /// Units of the base currency for one unit of `currency` on `day`.
    pub fn rate_on(&self, currency: &str, day: NaiveDate) -> Option<Decimal> {
        if currency == self.base {
            return Some(Decimal::ONE);
        }
        self.by_currency
            .get(currency)?
            .iter()
            .find(|(from, _)| *from <= day)
            .map(|(_, r)| *r)
    }

    /// Converts cents of `from` into cents of `to` on `day`, rounding half to even; `None`
    /// without a rate or when the result does not fit.
    pub fn convert(&self, cents: i64, from: &str, to: &str, day: NaiveDate) -> Option<i64> {
        if from == to {
            return Some(cents);
        }
        // Rates are unbounded positive decimals: a product past `Decimal::MAX` is no
        // conversion, never a panic.
        let base = Decimal::from(cents).checked_mul(self.rate_on(from, day)?)?;
        let target = base.checked_div(self.rate_on(to, day)?)?;
        i64::try_from(
            target
                .round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)
                .mantissa(),
        )
        .ok()
    }

    pub fn to_base(&self, cents: i64, from: &str, day: NaiveDate) -> Option<i64> {
        self.convert(cents, from, &self.base, day)
    }
}

pub async fn load(db: &DatabaseConnection, base: &str) -> Result<Rates, ServiceError> {
    Ok(Rates::from_rows(
        &exchange_rate::Entity::find().all(db).await?,
        base,
    ))
}

/// `exchangeRates`: ISU_ADMIN only, like setting them (issue 5).
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> Result<Vec<exchange_rate::Model>, ServiceError> {
    viewer.require_role(&[UserRole::IsuAdmin])?;
    Ok(exchange_rate::Entity::find()
        .order_by_asc(exchange_rate::Column::Currency)
        .order_by_desc(exchange_rate::Column::ValidFrom)
        .all(db)
        .await?)
}

pub fn rate_json(e: &exchange_rate::Model) -> serde_json::Value {
    json!({"currency": e.currency, "rateToBase": e.rate_to_base, "validFrom": e.valid_from})
}

impl Audited for exchange_rate::Model {
    const ENTITY_TYPE: &'static str = "ExchangeRate";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        rate_json(self)
    }
}

/// `setExchangeRate`: ISU_ADMIN only. A rate for a day that already has one replaces it.
pub async fn set(
    db: &DatabaseConnection,
    viewer: &Viewer,
    base: &str,
    currency: &str,
    rate: Decimal,
    valid_from: NaiveDate,
) -> Result<exchange_rate::Model, ServiceError> {
    let admin = viewer.require_role(&[UserRole::IsuAdmin])?;
    let actor = Some(admin.user_id);
    set_by(
        db,
        actor,
        "setExchangeRate",
        base,
        currency,
        rate,
        valid_from,
    )
    .await
}

/// Validates and sets a rate; `actor` is None for the system (seeding).
pub async fn set_by(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    base: &str,
    currency: &str,
    rate: Decimal,
    valid_from: NaiveDate,
) -> Result<exchange_rate::Model, ServiceError> {
    let currency = currency.trim().to_uppercase();
    let mut r = Refusals::default();
    if !is_currency(&currency) {
        r.push(
            Code::InvalidInput,
            &["input", "currency"],
            format!("`{currency}` is not an ISO 4217 currency code."),
        );
    } else if currency == base {
        r.push(
            Code::InvalidInput,
            &["input", "currency"],
            format!("{base} is the base currency: its rate is 1."),
        );
    }
    if rate <= Decimal::ZERO {
        r.push(
            Code::InvalidInput,
            &["input", "rateToBase"],
            "A rate must be greater than zero.",
        );
    }
    r.finish()?;
    let existing = exchange_rate::Entity::find()
        .filter(exchange_rate::Column::Currency.eq(currency.as_str()))
        .filter(exchange_rate::Column::ValidFrom.eq(valid_from))
        .one(db)
        .await?;
    let rate_to_base = rate.normalize().to_string();
    // The same rate again changes nothing: nothing is written.
    if let Some(before) = &existing {
        let next = exchange_rate::Model {
            rate_to_base: rate_to_base.clone(),
            ..before.clone()
        };
        if unchanged(before, &next) {
            return Ok(next);
        }
    }
    let uow = Uow::begin(db, actor, action).await?;
    let saved = match existing {
        Some(before) => {
            let mut am: exchange_rate::ActiveModel = before.clone().into();
            am.rate_to_base = Set(rate_to_base);
            let saved = am.update(uow.txn()).await?;
            uow.changed(&before, &saved).await?;
            saved
        }
        None => {
            let saved = exchange_rate::ActiveModel {
                id: Set(Uuid::now_v7()),
                currency: Set(currency.clone()),
                rate_to_base: Set(rate_to_base),
                valid_from: Set(valid_from),
                created_at: Set(now()),
            }
            .insert(uow.txn())
            .await?;
            uow.created(&saved).await?;
            saved
        }
    };
    uow.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: &str, rate: &str, from: &str) -> exchange_rate::Model {
        exchange_rate::Model {
            id: Uuid::nil(),
            currency: c.into(),
            rate_to_base: rate.into(),
            valid_from: from.parse().expect("date"),
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_latest_rate_valid_on_the_day_applies() {
        let rates = Rates::from_rows(
            &[
                row("USD", "0.90", "2025-01-01"),
                row("USD", "0.80", "2026-01-01"),
                row("EUR", "0.95", "2025-01-01"),
            ],
            "CHF",
        );
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(
            rates.rate_on("USD", day("2025-06-01")),
            Some("0.90".parse().expect("d"))
        );
        assert_eq!(
            rates.rate_on("USD", day("2026-06-01")),
            Some("0.80".parse().expect("d"))
        );
        assert_eq!(rates.rate_on("USD", day("2024-12-31")), None);
        assert_eq!(rates.rate_on("CHF", day("2000-01-01")), Some(Decimal::ONE));
        assert_eq!(rates.to_base(10_000, "USD", day("2026-06-01")), Some(8_000));
        // 100.00 USD at 0.80 = 80 CHF = 84.21 EUR at 0.95 (rounded half to even).
        assert_eq!(
            rates.convert(10_000, "USD", "EUR", day("2026-06-01")),
            Some(8_421)
        );
        assert_eq!(rates.convert(10_000, "JPY", "CHF", day("2026-06-01")), None);
    }
}
