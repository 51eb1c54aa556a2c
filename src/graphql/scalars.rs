//! Scalars named as in the contract. `DateTime` (chrono `DateTime<Utc>`, RFC 3339) and
//! `Decimal` (rust_decimal, as a string) come from async-graphql under those names; `Date`
//! is defined here because async-graphql calls chrono's date `NaiveDate`.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date in ISO 8601 form, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date in ISO 8601 form, `YYYY-MM-DD`, e.g. `2026-04-30`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            // chrono alone would take `2024-1-5`, ` 2024-01-05` or `+12024-01-05`.
            Value::String(s) => strict_iso(s)
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or(())
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "`{s}` is not a date: write YYYY-MM-DD, e.g. 2026-04-30."
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// `s` when it has exactly the shape `DDDD-DD-DD`.
fn strict_iso(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    shaped.then_some(s)
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Self(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_in_iso_form() {
        let d = Date::parse(Value::from("2010-08-01")).expect("valid");
        assert_eq!(d.to_value(), Value::from("2010-08-01"));
        assert!(Date::parse(Value::from("2010-02-30")).is_err());
        assert!(Date::parse(Value::from("01/08/2010")).is_err());
        for loose in [
            "2024-1-5",
            " 2024-01-05",
            "+2024-01-05",
            "+12024-01-05",
            "0-1-1",
            "2024-01-05 ",
        ] {
            assert!(Date::parse(Value::from(loose)).is_err(), "{loose}");
        }
        assert!(Date::parse(Value::from(20100801)).is_err());
    }
}
