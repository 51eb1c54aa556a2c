//! Money: a `Decimal` amount and an ISO 4217 currency code, never floating point.
//! Rounding happens only for display.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Active ISO 4217 currency codes (list of 2024), plus the fund codes of the IMF (XDR).
pub const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XDR", "XOF", "XPF", "YER", "ZAR",
    "ZMW", "ZWG",
];

/// ISO 4217 currencies without a minor unit (amounts in whole units).
const NO_MINOR_UNIT: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];

/// Largest amount accepted, in any currency: above the budget of any mine action programme,
/// and small enough that sums of many amounts in cents stay exact in an `i64`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Decimals an amount in `currency` may have: its ISO 4217 minor unit, at most 2 because
/// amounts are kept in cents (the three-decimal dinars take 2).
pub fn decimals(currency: &str) -> u32 {
    if NO_MINOR_UNIT.contains(&currency) {
        0
    } else {
        2
    }
}

/// True for an active ISO 4217 code, upper case.
pub fn is_currency(code: &str) -> bool {
    ISO_4217.binary_search(&code).is_ok()
}

/// An amount in a currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub currency: String,
}

impl Money {
    pub fn new(amount: Decimal, currency: &str) -> Self {
        Self {
            amount,
            currency: currency.to_owned(),
        }
    }
}

/// Why a money value is refused, as a sentence for the user.
pub fn check(money: &Money, allow_zero: bool) -> Result<(), String> {
    if !is_currency(&money.currency) {
        return Err(format!(
            "`{}` is not an ISO 4217 currency code.",
            money.currency
        ));
    }
    if money.amount.is_sign_negative() && !money.amount.is_zero() {
        return Err("The amount must not be negative.".into());
    }
    if !allow_zero && money.amount.is_zero() {
        return Err("The amount must be greater than zero.".into());
    }
    if money.amount.abs() > Decimal::from(MAX_AMOUNT) {
        return Err("The amount must be at most 1 000 000 000 000.".into());
    }
    let decimals = decimals(&money.currency);
    if money.amount.normalize().scale() > decimals {
        return Err(match decimals {
            0 => format!("An amount in {} has no decimals.", money.currency),
            n => format!("The amount has at most {n} decimals."),
        });
    }
    Ok(())
}

/// The amount in integer cents, when it has at most 2 decimals and fits in an `i64`.
/// Amounts are stored in cents so that every database keeps them exact.
pub fn to_cents(amount: Decimal) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive;
    let cents = amount.checked_mul(Decimal::from(100))?;
    if !cents.fract().is_zero() {
        return None;
    }
    cents.to_i64()
}

/// Cents as a Decimal amount with two decimals.
pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_currency_list_is_sorted_unique_and_upper_case() {
        assert!(
            ISO_4217.windows(2).all(|w| w[0] < w[1]),
            "sorted and unique"
        );
        assert!(
            ISO_4217
                .iter()
                .all(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()))
        );
        for c in ["CHF", "USD", "EUR", "LAK", "XOF"] {
            assert!(is_currency(c), "{c}");
        }
        for c in ["chf", "US", "XXX", "ABC", "EURO"] {
            assert!(!is_currency(c), "{c}");
        }
    }

    #[test]
    fn cents_are_exact_or_refused() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(to_cents(d("1500.25")), Some(150_025));
        assert_eq!(to_cents(d("0.10")), Some(10));
        assert_eq!(to_cents(d("-3")), Some(-300));
        assert_eq!(to_cents(d("0.105")), None);
        assert_eq!(to_cents(d("99999999999999999999")), None);
        assert_eq!(from_cents(150_025).to_string(), "1500.25");
    }

    #[test]
    fn money_needs_a_currency_a_sign_and_cents() {
        let m = |a: &str, c: &str| Money::new(a.parse().expect("decimal"), c);
        assert!(check(&m("10.50", "CHF"), false).is_ok());
        assert!(
            check(&m("10.500", "CHF"), false).is_ok(),
            "trailing zeros are not decimals"
        );
        assert!(check(&m("10.505", "CHF"), false).is_err());
        assert!(check(&m("-1", "CHF"), true).is_err());
        assert!(check(&m("0", "CHF"), false).is_err());
        assert!(check(&m("0", "CHF"), true).is_ok());
        assert!(check(&m("1", "ZZZ"), true).is_err());
    }

    #[test]
    fn amounts_are_bounded_and_have_the_currencys_decimals() {
        let m = |a: &str, c: &str| Money::new(a.parse().expect("decimal"), c);
        assert!(check(&m("1000000000000", "CHF"), false).is_ok());
        assert!(check(&m("1000000000000.01", "CHF"), false).is_err());
        assert!(check(&m("92233720368547758.07", "CHF"), false).is_err());
        assert!(check(&Money::new(Decimal::MAX, "CHF"), false).is_err());
        assert!(check(&m("1500", "JPY"), false).is_ok());
        assert!(
            check(&m("1500.00", "JPY"), false).is_ok(),
            "zeros are not decimals"
        );
        assert!(check(&m("1500.5", "JPY"), false).is_err());
        assert!(check(&m("1.25", "KWD"), false).is_ok());
        assert!(check(&m("1.255", "KWD"), false).is_err(), "kept in cents");
        assert!(NO_MINOR_UNIT.iter().all(|c| is_currency(c)));
        assert!(
            to_cents(Decimal::from(MAX_AMOUNT))
                .and_then(|c| c.checked_mul(90_000))
                .is_some(),
            "90 000 maximal amounts add up in cents"
        );
    }
}
