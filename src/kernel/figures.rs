//! Figures as people read them in charts and reports: thousands grouped, money to its
//! currency's decimals, shares with one decimal, dates spelt out. One way everywhere, so a
//! figure in a chart's label, a report's table and its PDF text is the same string.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// `1234567.5` → `1,234,567.5`: the integer part grouped by thousands with commas, the
/// decimals as they are.
pub fn grouped(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if value.is_sign_negative() && !value.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// An amount rounded half away from zero to its currency's decimals and grouped:
/// `money(1234.5, "CHF")` → `CHF 1,234.50`.
pub fn money(amount: Decimal, currency: &str) -> String {
    let dp = super::money::decimals(currency);
    let mut rounded = amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(dp);
    format!("{currency} {}", grouped(rounded))
}

/// A count, grouped: `12 345` → `12,345`.
pub fn count(n: i64) -> String {
    grouped(Decimal::from(n))
}

/// A share in per cent with one decimal: `87.25` → `87.3 %`.
pub fn percent(share: Decimal) -> String {
    let mut rounded = share.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(1);
    format!("{rounded} %")
}

/// `part` of `whole` in per cent (0–100, unrounded); `None` when `whole` is zero.
pub fn share(part: i64, whole: i64) -> Option<Decimal> {
    (whole != 0).then(|| Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month(day: NaiveDate) -> &'static str {
    MONTHS
        .get(day.month0() as usize)
        .copied()
        .unwrap_or_default()
}

/// `2010-08-01` → `1 August 2010`.
pub fn long_date(day: NaiveDate) -> String {
    format!("{} {} {}", day.day(), month(day), day.year())
}

/// `2030-08-01` → `Aug 2030`: where a chart has room for a month, not a date.
pub fn month_year(day: NaiveDate) -> String {
    format!("{} {}", month(day).get(..3).unwrap_or_default(), day.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn figures_read_the_same_everywhere() {
        let cases = [
            (grouped(dec("0")), "0"),
            (grouped(dec("999")), "999"),
            (grouped(dec("1000")), "1,000"),
            (grouped(dec("1234567.5")), "1,234,567.5"),
            (grouped(dec("-1234")), "-1,234"),
            (money(dec("1234.5"), "CHF"), "CHF 1,234.50"),
            (money(dec("1234.005"), "CHF"), "CHF 1,234.01"),
            (money(dec("-0.004"), "CHF"), "CHF 0.00"),
            (money(dec("1500.4"), "JPY"), "JPY 1,500"),
            (count(12_345), "12,345"),
            (percent(dec("87.25")), "87.3 %"),
            (percent(dec("100")), "100.0 %"),
            (percent(dec("0")), "0.0 %"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
        assert_eq!(share(1, 3).map(percent).as_deref(), Some("33.3 %"));
        assert_eq!(share(1, 0), None);
        let d = NaiveDate::from_ymd_opt(2010, 8, 1).unwrap_or_default();
        assert_eq!(long_date(d), "1 August 2010");
        assert_eq!(month_year(d), "Aug 2010");
    }
}
