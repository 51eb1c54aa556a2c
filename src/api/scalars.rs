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
use chrono::{NaiveDate, Utc};

/// RFC 3339, section 5.6: `full-date` and `date-time`.
const RFC_3339_FORMATS: &str = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6";

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
     optional `-`, digits, and optionally `.` and more digits; no exponent. Sent with its\n\
     scale (trailing zeros kept). Read as rust_decimal reads it, which also takes `+`, `_`\n\
     between digits and an exponent; more than 28 digits after the point are rounded. A\n\
     JSON number is read too, but through floating point: send a string.",
    "https://docs.rs/rust_decimal/1/rust_decimal/struct.Decimal.html"
);

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
