//! The API's three custom scalars, named as in the contract, each with a description of its
//! format and an `@specifiedBy` URL.
//!
//! `Date` is defined here because async-graphql calls chrono's date `NaiveDate`.
//! `DateTime` (chrono `DateTime<Utc>`) and `Decimal` (rust_decimal) are async-graphql's own
//! scalars, which come without a description of their format. [`DateTime`] and [`Decimal`]
//! wrap them: the wrapper registers async-graphql's scalar under its usual name and then
//! sets that scalar's description and specification URL. The GraphQL type stays the one
//! scalar, so a field still typed with chrono's or rust_decimal's type directly shares it
//! (a scalar of our own under the same name would clash with such a field).
//!
//! `schema.graphql` shows `@specifiedBy` only when the SDL is exported with
//! `SDLExportOptions::include_specified_by`; introspection always answers `specifiedByURL`.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaType, Registry};
use async_graphql::{
    ContextSelectionSet, InputValueError, InputValueResult, Positioned, Scalar, ScalarType,
    ServerResult, Value,
};
use chrono::{Datelike, NaiveDate, Utc};

/// RFC 3339, section 5.6: `full-date` and `date-time`.
const RFC_3339_FORMATS: &str = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6";

/// Years a `Date` input may fall in: wide enough for any treaty date and deadline, narrow
/// enough that date arithmetic (a deadline plus ten years, say) never leaves chrono's range.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A calendar date in ISO 8601 form, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date, an RFC 3339 `full-date`: `YYYY-MM-DD` (ISO 8601), e.g. `2026-04-30`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            // chrono alone would take `2024-1-5`, ` 2024-01-05` or `+12024-01-05`.
            Value::String(s) => {
                let date = strict_iso(s)
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .ok_or_else(|| {
                        let shown: String = s.chars().take(40).collect();
                        InputValueError::custom(format!(
                            "`{shown}` is not a date: write YYYY-MM-DD, e.g. 2026-04-30."
                        ))
                    })?;
                if !DATE_YEARS.contains(&date.year()) {
                    return Err(InputValueError::custom(format!(
                        "`{s}` is out of range: dates run from {}-01-01 to {}-12-31.",
                        DATE_YEARS.start(),
                        DATE_YEARS.end()
                    )));
                }
                Ok(Date(date))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        // `YYYY-MM-DD` for every year from 0 to 9999: chrono's `Display`, which does not parse
        // a format string per date as `format("%Y-%m-%d")` does.
        Value::String(self.0.to_string())
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

/// Sets the description and specification URL of the scalar registered as `name`.
fn describe_scalar(registry: &mut Registry, name: &str, text: &str, url: &str) {
    if let Some(MetaType::Scalar {
        description,
        specified_by_url,
        ..
    }) = registry.types.get_mut(name)
    {
        *description = Some(text.to_owned());
        *specified_by_url = Some(url.to_owned());
    }
}

/// A wrapper of one of async-graphql's scalars that reads, writes and registers exactly as
/// the wrapped type does, and gives the registered scalar a description and a URL.
macro_rules! described_scalar {
    ($(#[$doc:meta])* $name:ident($inner:ty), $description:expr, $url:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub $inner);

        impl $name {
            /// The scalar's description in the schema.
            pub const DESCRIPTION: &'static str = $description;
            /// Where the scalar's format is specified (`@specifiedBy`).
            pub const SPECIFIED_BY: &'static str = $url;
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                Self(value)
            }
        }

        impl async_graphql::InputType for $name {
            type RawValueType = $inner;

            fn type_name() -> Cow<'static, str> {
                <$inner as async_graphql::InputType>::type_name()
            }

            fn create_type_info(registry: &mut Registry) -> String {
                let name = <$inner as async_graphql::InputType>::create_type_info(registry);
                let scalar = <Self as async_graphql::InputType>::type_name();
                describe_scalar(registry, &scalar, Self::DESCRIPTION, Self::SPECIFIED_BY);
                name
            }

            fn parse(value: Option<Value>) -> InputValueResult<Self> {
                if let Some(v) = &value {
                    Self::refuse(v).map_err(InputValueError::custom)?;
                }
                <$inner as async_graphql::InputType>::parse(value)
                    .map(Self)
                    .map_err(InputValueError::propagate)
            }

            fn to_value(&self) -> Value {
                async_graphql::InputType::to_value(&self.0)
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(&self.0)
            }
        }

        impl async_graphql::OutputType for $name {
            fn type_name() -> Cow<'static, str> {
                <$inner as async_graphql::OutputType>::type_name()
            }

            fn create_type_info(registry: &mut Registry) -> String {
                let name = <$inner as async_graphql::OutputType>::create_type_info(registry);
                let scalar = <Self as async_graphql::OutputType>::type_name();
                describe_scalar(registry, &scalar, Self::DESCRIPTION, Self::SPECIFIED_BY);
                name
            }

            async fn resolve(
                &self,
                ctx: &ContextSelectionSet<'_>,
                field: &Positioned<Field>,
            ) -> ServerResult<Value> {
                async_graphql::OutputType::resolve(&self.0, ctx, field).await
            }
        }
    };
}

described_scalar!(
    /// An instant, as the `DateTime` scalar: chrono's `DateTime<Utc>`, written in RFC 3339.
    DateTime(chrono::DateTime<Utc>),
    "An instant, an RFC 3339 `date-time`, e.g. `2026-04-30T09:15:00+00:00`. Sent in UTC\n\
     (offset `+00:00`), with fractional seconds (3, 6 or 9 digits) only when they are not\n\
     zero; read with any offset, `Z` included, and converted to UTC.",
    RFC_3339_FORMATS
);

described_scalar!(
    /// An exact decimal number, as the `Decimal` scalar: rust_decimal's `Decimal`, written
    /// as a string. Its text form is rust_decimal's (`FromStr` and `Display`), which no
    /// standard defines exactly, so `@specifiedBy` points at rust_decimal's documentation.
    Decimal(rust_decimal::Decimal),
    "An exact decimal number as a string, never floating point, e.g. `\"1234.50\"`: an\n\
     optional `-`, 1 to 15 digits, and optionally `.` and 1 to 12 more digits. Sent with its\n\
     scale (trailing zeros kept). Read only in that form: no `+`, `_` or exponent, and more\n\
     digits are refused, never rounded. A JSON integer of at most 15 digits is read too; a\n\
     JSON number with a fraction or an exponent is refused (it went through floating point).",
    "https://docs.rs/rust_decimal/1/rust_decimal/struct.Decimal.html"
);

/// Most digits of a `Decimal` input before the point.
pub const DECIMAL_WHOLE_DIGITS: usize = 15;
/// Most digits of a `Decimal` input after the point. With [`DECIMAL_WHOLE_DIGITS`], an
/// amount (at most 10^12, `kernel::money`) times a rate stays within rust_decimal's 28
/// exact digits, so no product of inputs overflows.
pub const DECIMAL_FRACTION_DIGITS: usize = 12;

impl Decimal {
    /// Why a `Decimal` input is refused before rust_decimal reads it: rust_decimal alone
    /// takes `+1`, `1_000`, `1e3` and rounds a 40-digit fraction.
    fn refuse(value: &Value) -> Result<(), String> {
        match value {
            Value::String(s) => decimal_shape(s),
            Value::Number(n) if n.is_i64() || n.is_u64() => decimal_shape(n.to_string().as_str()),
            Value::Number(n) => Err(format!(
                "`{n}` is a floating-point number: send the decimal as a string, e.g. \"1234.50\"."
            )),
            _ => Ok(()),
        }
    }
}

impl DateTime {
    /// chrono's RFC 3339 reading is strict already.
    fn refuse(_: &Value) -> Result<(), String> {
        Ok(())
    }
}

/// Ok when `s` is `-?D{1,15}(.D{1,12})?`.
fn decimal_shape(s: &str) -> Result<(), String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let shown: String = s.chars().take(40).collect();
    if !all_digits(whole) || !fraction.is_none_or(all_digits) {
        return Err(format!(
            "`{shown}` is not a decimal: write digits with an optional `-` and `.`, e.g. \"1234.50\" (no `+`, `_` or exponent)."
        ));
    }
    if whole.len() > DECIMAL_WHOLE_DIGITS
        || fraction.is_some_and(|f| f.len() > DECIMAL_FRACTION_DIGITS)
    {
        return Err(format!(
            "`{shown}` has too many digits: at most {DECIMAL_WHOLE_DIGITS} before the point and {DECIMAL_FRACTION_DIGITS} after it."
        ));
    }
    Ok(())
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
        assert!(Date::parse(Value::from("1900-01-01")).is_ok());
        assert!(Date::parse(Value::from("2200-12-31")).is_ok());
        assert!(Date::parse(Value::from("1899-12-31")).is_err());
        assert!(Date::parse(Value::from("2201-01-01")).is_err());
        assert!(Date::parse(Value::from("9999-12-31")).is_err());
    }

    #[test]
    fn decimals_are_read_only_in_their_plain_form() {
        use async_graphql::InputType;
        let read = |v: Value| <Decimal as InputType>::parse(Some(v)).map(|d| d.0.to_string());
        for (text, expected) in [
            ("1234.50", "1234.50"),
            ("-3", "-3"),
            ("0.000000000001", "0.000000000001"),
            ("999999999999999", "999999999999999"),
            (
                "999999999999999.999999999999",
                "999999999999999.999999999999",
            ),
        ] {
            assert_eq!(
                read(Value::from(text)).ok().as_deref(),
                Some(expected),
                "{text}"
            );
        }
        assert_eq!(read(Value::from(1500)).ok().as_deref(), Some("1500"));
        for refused in [
            "+1",
            "1_000",
            "1e3",
            "1E3",
            "1.",
            ".5",
            "",
            " 1",
            "1 ",
            "--1",
            "0x10",
            "NaN",
            "1000000000000000",
            "0.1234567890123",
            "79228162514264337593543950335",
            "0.1234567890123456789012345678901234567890",
        ] {
            assert!(read(Value::from(refused)).is_err(), "{refused}");
        }
        assert!(read(Value::from(1e30)).is_err());
        assert!(read(Value::from(1.5)).is_err());
        assert!(read(Value::from(u64::MAX)).is_err());
    }

    /// A schema in which a field typed with chrono's and rust_decimal's own types is
    /// registered before the wrappers.
    fn wrapped_schema() -> async_graphql::Schema<
        WrapperQuery,
        async_graphql::EmptyMutation,
        async_graphql::EmptySubscription,
    > {
        async_graphql::Schema::new(
            WrapperQuery,
            async_graphql::EmptyMutation,
            async_graphql::EmptySubscription,
        )
    }

    struct WrapperQuery;

    #[async_graphql::Object]
    impl WrapperQuery {
        async fn a_raw_instant(&self) -> chrono::DateTime<Utc> {
            instant()
        }
        async fn a_raw_amount(&self) -> rust_decimal::Decimal {
            rust_decimal::Decimal::new(123_450, 2)
        }
        async fn instant(&self) -> DateTime {
            DateTime(instant())
        }
        async fn amount(&self, amount: Decimal) -> Decimal {
            amount
        }
        async fn day(&self) -> Date {
            Date(instant().date_naive())
        }
    }

    fn instant() -> chrono::DateTime<Utc> {
        chrono::DateTime::parse_from_rfc3339("2026-04-30T09:15:00.5Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_scalars_are_described_and_specified_even_when_registered_unwrapped_first() {
        let sdl = wrapped_schema()
            .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by());
        for (name, description, url) in [
            ("DateTime", DateTime::DESCRIPTION, DateTime::SPECIFIED_BY),
            ("Decimal", Decimal::DESCRIPTION, Decimal::SPECIFIED_BY),
        ] {
            let first_line = description.lines().next().expect("a description");
            assert!(sdl.contains(first_line), "{name}: {sdl}");
            assert!(
                sdl.contains(&format!("scalar {name} @specifiedBy(url: \"{url}\")")),
                "{name}: {sdl}"
            );
        }
        assert!(
            sdl.contains(&format!(
                "scalar Date @specifiedBy(url: \"{RFC_3339_FORMATS}\")"
            )),
            "{sdl}"
        );
    }

    #[tokio::test]
    async fn the_wrapped_scalars_read_and_write_as_the_wrapped_types() {
        let response = wrapped_schema()
            .execute(r#"{ aRawInstant aRawAmount instant amount(amount: "1234.50") day }"#)
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        assert_eq!(
            response.data.into_json().expect("json"),
            serde_json::json!({
                "aRawInstant": "2026-04-30T09:15:00.500+00:00",
                "aRawAmount": "1234.50",
                "instant": "2026-04-30T09:15:00.500+00:00",
                "amount": "1234.50",
                "day": "2026-04-30",
            })
        );
    }
}
