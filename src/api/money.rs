//! `Money` and `MoneyInput`: a Decimal amount (a string on the wire) and an ISO 4217 code.

use async_graphql::{InputObject, SimpleObject};

use crate::api::scalars::Decimal;

/// An amount of money. The amount is exact (a Decimal string), never floating point.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Money {
    /// In units of `currency`, not cents, e.g. "1234.50".
    pub amount: Decimal,
    /// ISO 4217 code, e.g. "CHF".
    pub currency: String,
}

impl Money {
    /// An amount (in units, not cents) in a currency.
    pub fn new(amount: rust_decimal::Decimal, currency: impl Into<String>) -> Self {
        Self {
            amount: Decimal(amount),
            currency: currency.into(),
        }
    }
}

/// An amount of money as input: an exact Decimal amount and an ISO 4217 currency code.
#[derive(InputObject, Clone, Debug)]
pub struct MoneyInput {
    /// In units of `currency`, not cents, e.g. "1234.50"; never negative, and at most 2
    /// decimals (trailing zeros aside).
    pub amount: Decimal,
    /// ISO 4217 code, e.g. "CHF"; case and surrounding spaces are ignored.
    pub currency: String,
}

impl From<crate::kernel::money::Money> for Money {
    fn from(m: crate::kernel::money::Money) -> Self {
        Self::new(m.amount, m.currency)
    }
}

impl From<MoneyInput> for crate::kernel::money::Money {
    /// Currency codes are compared upper-cased; validation happens in the services.
    fn from(m: MoneyInput) -> Self {
        Self {
            amount: m.amount.0,
            currency: m.currency.trim().to_uppercase(),
        }
    }
}
