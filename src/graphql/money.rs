//! `Money` and `MoneyInput`: a Decimal amount (a string on the wire) and an ISO 4217 code.

use async_graphql::{InputObject, SimpleObject};
use rust_decimal::Decimal;

/// An amount of money. The amount is exact (a Decimal string), never floating point.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    /// ISO 4217 code, e.g. "CHF".
    pub currency: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct MoneyInput {
    pub amount: Decimal,
    /// ISO 4217 code, e.g. "CHF".
    pub currency: String,
}

impl From<crate::money::Money> for Money {
    fn from(m: crate::money::Money) -> Self {
        Self {
            amount: m.amount,
            currency: m.currency,
        }
    }
}

impl From<MoneyInput> for crate::money::Money {
    /// Currency codes are compared upper-cased; validation happens in the services.
    fn from(m: MoneyInput) -> Self {
        Self {
            amount: m.amount,
            currency: m.currency.trim().to_uppercase(),
        }
    }
}
