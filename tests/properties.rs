//! Property-based tests of the public pure validators that stand between a request and the
//! database: money, e-mail addresses, global IDs, cursors and `first`, the `Date` scalar,
//! the sharing of an assessed total, and Article 17's entry into force.
//!
//! Each property was checked to fail once with its expectation broken. The whole file runs
//! in about a second in a debug build.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_graphql::{Number, ScalarType, Value};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{Datelike, Months, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use ccm_isu::api::ids::{decode, decode_as, encode};
use ccm_isu::api::pagination::{decode_cursor, encode_cursor, page_request};
use ccm_isu::api::scalars::Date;
use ccm_isu::domain::sponsorship::service::looks_like_email;
use ccm_isu::kernel::money::{
    ISO_4217, MAX_AMOUNT, Money, check, decimals, from_cents, is_currency, to_cents,
};
use ccm_isu::kernel::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use ccm_isu::rules::obligations::{
    CONVENTION_ENTRY_INTO_FORCE, LAST_ORIGINAL_DEPOSIT, entry_into_force,
};
use ccm_isu::rules::sharing::{Rate, SharingError, share};

// ------------------------------------------------------------------------------ strategies

/// Any `Decimal` of the full range: 96-bit mantissa, either sign, scale 0..=28; half of them
/// of a size and scale that amounts actually have.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<i64>(), 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s)),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28
        )
            .prop_map(|(lo, mid, hi, negative, scale)| Decimal::from_parts(
                lo, mid, hi, negative, scale
            )),
    ]
}

fn currency() -> impl Strategy<Value = &'static str> {
    prop::sample::select(ISO_4217)
}

/// Characters that `char::is_whitespace` calls white space, ASCII and not.
fn whitespace() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        ' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{85}', '\u{a0}', '\u{1680}', '\u{2003}',
        '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}',
    ])
}

/// Addresses of the usual shape: a local part, one `@`, a domain with at least one dot.
fn plausible_email() -> impl Strategy<Value = String> {
    "[a-z0-9._%+-]{1,30}@[a-z0-9-]{1,20}(\\.[a-z0-9-]{1,20}){1,3}"
}

/// Inserts `c` at `at` (modulo the length + 1), counted in characters.
fn insert_char(s: &str, at: usize, c: char) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    chars.insert(at % (chars.len() + 1), c);
    chars.into_iter().collect()
}

/// Replaces the character at `at` (modulo the length) by `c`.
fn replace_char(s: &str, at: usize, c: char) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if !chars.is_empty() {
        let i = at % chars.len();
        chars[i] = c;
    }
    chars.into_iter().collect()
}

/// GraphQL type names, as `encode` gets them.
fn kind() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z]{0,24}"
}

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

/// Strings a client could send where an ID or a cursor goes: arbitrary text, base64url of
/// arbitrary bytes, of `kind:garbage` and of `cursor:…`, and valid IDs with one character
/// changed.
fn id_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9_=+/-]{0,80}",
        prop::collection::vec(any::<u8>(), 0..60).prop_map(|b| URL_SAFE_NO_PAD.encode(b)),
        (kind(), "[0-9a-fA-F{}:urn-]{0,45}")
            .prop_map(|(k, rest)| URL_SAFE_NO_PAD.encode(format!("{k}:{rest}"))),
        (kind(), uuid()).prop_map(|(k, u)| URL_SAFE_NO_PAD.encode(format!("{k}:{u}"))),
        any::<String>().prop_map(|s| URL_SAFE_NO_PAD.encode(format!("cursor:{s}"))),
        (kind(), uuid(), any::<usize>(), any::<char>()).prop_map(|(k, u, at, c)| replace_char(
            &encode(&k, u),
            at,
            c
        )),
    ]
}

fn date(from: NaiveDate, to: NaiveDate) -> impl Strategy<Value = NaiveDate> {
    (from.num_days_from_ce()..=to.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).expect("in range"))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        ymd(y + 1, 1, 1)
    } else {
        ymd(y, m + 1, 1)
    };
    next.pred_opt().expect("a day before").day()
}

/// A positive rate: of a realistic size, of any scale with an `i64` mantissa, or any
/// positive `Decimal` at all.
fn positive_rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        2 => (1i64..=1_000_000_000, 0u32..=12).prop_map(|(m, s)| Decimal::new(m, s)),
        2 => (1i64..=i64::MAX, 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (any::<u32>(), any::<u32>(), any::<u32>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, s)| Decimal::from_parts(lo, mid, hi, false, s))
            .prop_filter("positive", |d| !d.is_zero()),
    ]
}

/// 1 to 40 States with distinct codes and positive rates.
fn positive_rates() -> impl Strategy<Value = Vec<Rate>> {
    prop::collection::btree_map("[A-Z]{3}", positive_rate(), 1..40).prop_map(|m| {
        m.into_iter()
            .map(|(state_code, rate)| Rate { state_code, rate })
            .collect()
    })
}

// ------------------------------------------------------------------------------ money

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cents_round_trip_through_decimal(cents in any::<i64>()) {
        let amount = from_cents(cents);
        prop_assert_eq!(amount.scale(), 2);
        prop_assert_eq!(to_cents(amount), Some(cents));
    }

    #[test]
    fn amounts_with_at_most_two_decimals_are_exact_cents(mantissa in any::<i64>(), scale in 0u32..=2) {
        let amount = Decimal::new(mantissa, scale);
        let expected = mantissa.checked_mul(10i64.pow(2 - scale));
        prop_assert_eq!(to_cents(amount), expected);
        if let Some(cents) = expected {
            prop_assert_eq!(from_cents(cents), amount);
        }
    }

    #[test]
    fn whatever_converts_to_cents_converts_back_exactly(amount in any_decimal()) {
        if let Some(cents) = to_cents(amount) {
            prop_assert_eq!(from_cents(cents), amount);
        }
    }

    #[test]
    fn more_than_two_decimals_are_refused(
        mantissa in any::<i64>().prop_filter("a last digit", |m| m % 10 != 0),
        scale in 3u32..=28,
        currency in currency(),
        allow_zero in any::<bool>(),
    ) {
        let amount = Decimal::new(mantissa, scale);
        prop_assert_eq!(amount.normalize().scale(), scale);
        prop_assert_eq!(to_cents(amount), None);
        prop_assert!(check(&Money::new(amount.abs(), currency), allow_zero).is_err());
    }

    #[test]
    fn negative_amounts_are_refused(amount in any_decimal(), currency in currency(), allow_zero in any::<bool>()) {
        prop_assume!(!amount.is_zero());
        let negative = -amount.abs();
        prop_assert!(check(&Money::new(negative, currency), allow_zero).is_err());
    }

    #[test]
    fn unknown_currencies_are_refused(
        code in prop_oneof!["[A-Z]{3}", "[A-Za-z]{0,5}", any::<String>()],
        cents in 0i64..,
        allow_zero in any::<bool>(),
    ) {
        prop_assume!(!ISO_4217.contains(&code.as_str()));
        prop_assert!(!is_currency(&code));
        prop_assert!(check(&Money::new(from_cents(cents), &code), allow_zero).is_err());
    }

    #[test]
    fn listed_currencies_with_whole_cents_are_accepted(currency in currency(), cents in 0i64..=MAX_AMOUNT * 100, allow_zero in any::<bool>()) {
        prop_assert!(is_currency(currency));
        // Whole units in a currency without a minor unit.
        let cents = if decimals(currency) == 0 { cents - cents % 100 } else { cents };
        let verdict = check(&Money::new(from_cents(cents), currency), allow_zero);
        prop_assert_eq!(verdict.is_ok(), allow_zero || cents > 0, "{:?}", verdict);
    }

    #[test]
    fn amounts_above_a_trillion_are_refused(currency in currency(), cents in MAX_AMOUNT * 100 + 1.., allow_zero in any::<bool>()) {
        prop_assert!(check(&Money::new(from_cents(cents), currency), allow_zero).is_err());
    }

    #[test]
    fn what_check_accepts_is_non_negative_with_at_most_two_decimals(
        amount in any_decimal(),
        currency in prop_oneof![currency().prop_map(str::to_owned), "[A-Z]{3}"],
        allow_zero in any::<bool>(),
    ) {
        if check(&Money::new(amount, &currency), allow_zero).is_ok() {
            prop_assert!(is_currency(&currency));
            prop_assert!(amount >= Decimal::ZERO);
            prop_assert!(allow_zero || !amount.is_zero());
            prop_assert!(amount.normalize().scale() <= 2);
        }
    }
}

// ------------------------------------------------------------------------------ e-mail

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_looks_like_an_email_has_one_at_no_white_space_and_a_dotted_domain(
        email in prop_oneof![any::<String>(), "[a-z@. \t\u{a0}]{0,30}", plausible_email()],
    ) {
        if looks_like_email(&email) {
            prop_assert_eq!(email.matches('@').count(), 1);
            prop_assert!(!email.chars().any(char::is_whitespace));
            prop_assert!(email.len() <= 254);
            let (local, domain) = email.split_once('@').expect("an @");
            prop_assert!(!local.is_empty());
            prop_assert!(domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
        }
    }

    #[test]
    fn plausible_addresses_are_accepted(email in plausible_email()) {
        prop_assert!(looks_like_email(&email));
    }

    #[test]
    fn white_space_anywhere_is_refused(email in plausible_email(), at in any::<usize>(), space in whitespace()) {
        prop_assert!(space.is_whitespace());
        let spaced = insert_char(&email, at, space);
        prop_assert!(!looks_like_email(&spaced), "{:?}", spaced);
    }

    #[test]
    fn a_second_at_anywhere_is_refused(email in plausible_email(), at in any::<usize>()) {
        let twice = insert_char(&email, at, '@');
        prop_assert!(!looks_like_email(&twice), "{:?}", twice);
    }

    #[test]
    fn no_at_is_refused(email in plausible_email(), c in "[a-z.]") {
        let without = email.replace('@', &c);
        prop_assert!(!looks_like_email(&without), "{:?}", without);
    }

    #[test]
    fn addresses_longer_than_254_bytes_are_refused(local in "[a-z]{250,300}", domain in "[a-z]{1,10}\\.[a-z]{2,4}") {
        let email = format!("{local}@{domain}");
        prop_assert!(email.len() > 254);
        prop_assert!(!looks_like_email(&email));
    }
}

// ------------------------------------------------------------------------------ global IDs

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ids_round_trip(kind in kind(), id in uuid()) {
        let global = encode(&kind, id);
        prop_assert_eq!(decode(&global), Some((kind.clone(), id)));
        prop_assert_eq!(decode_as(&global, &kind), Some(id));
    }

    #[test]
    fn an_id_never_decodes_as_another_kind(kind in kind(), other in kind(), id in uuid()) {
        let global = encode(&kind, id);
        if other != kind {
            prop_assert_eq!(decode_as(&global, &other), None);
        }
        // Nor as a kind that only shares a prefix with it.
        prop_assert_eq!(decode_as(&global, &format!("{kind}x")), None);
        prop_assert_eq!(decode_as(&global, &kind[..kind.len() - 1]), None);
        prop_assert_eq!(decode_as(&global, ""), None);
    }

    #[test]
    fn arbitrary_strings_never_decode_to_a_wrong_kind(s in id_like(), asked in kind()) {
        let decoded = decode(&s);
        if let Some((k, _)) = &decoded {
            prop_assert!(!k.contains(':'));
        }
        // decode_as answers only for the kind inside, and with the same UUID as decode.
        for kind in [asked.as_str(), decoded.as_ref().map_or("", |(k, _)| k.as_str())] {
            match decode_as(&s, kind) {
                Some(u) => prop_assert_eq!(decoded.clone(), Some((kind.to_owned(), u))),
                None => prop_assert!(decoded.as_ref().is_none_or(|(k, _)| k != kind)),
            }
        }
    }
}

// ------------------------------------------------------------------------------ pagination

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cursors_round_trip(key in any::<String>()) {
        prop_assert_eq!(decode_cursor(&encode_cursor(&key)), Some(key.clone()));
        let page = page_request(None, Some(encode_cursor(&key))).expect("a valid cursor");
        prop_assert_eq!(page.after, Some(key));
    }

    #[test]
    fn only_the_cursors_the_server_made_are_accepted(s in id_like()) {
        // Cursors are canonical: whatever decodes is exactly what encode_cursor makes of it,
        // so garbage (padding, other alphabets, non-zero trailing bits, other prefixes) is
        // refused, and page_request refuses it too.
        match decode_cursor(&s) {
            Some(key) => prop_assert_eq!(encode_cursor(&key), s),
            None => prop_assert!(page_request(Some(10), Some(s)).is_err()),
        }
    }

    #[test]
    fn text_that_is_not_base64url_is_never_a_cursor(s in "[A-Za-z0-9_-]{0,20}", at in any::<usize>(), bad in "[^A-Za-z0-9_-]") {
        let garbage = insert_char(&s, at, bad.chars().next().expect("one char"));
        prop_assert_eq!(decode_cursor(&garbage), None);
        prop_assert!(page_request(None, Some(garbage)).is_err());
    }

    #[test]
    fn base64_of_anything_but_the_prefix_is_never_a_cursor(text in any::<String>()) {
        prop_assume!(!text.starts_with("cursor:"));
        prop_assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode(&text)), None);
    }

    #[test]
    fn first_is_taken_from_0_to_100_and_refused_otherwise(first in any::<i32>()) {
        let page = page_request(Some(first), None);
        if (0..=100).contains(&first) {
            let limit = page.expect("first within 0..=100").limit;
            prop_assert_eq!(limit, u64::try_from(first).expect("non-negative"));
            prop_assert!(limit <= MAX_PAGE_SIZE);
        } else {
            prop_assert!(page.is_err());
        }
    }
}

#[test]
fn first_defaults_to_20() {
    assert_eq!(DEFAULT_PAGE_SIZE, 20);
    assert_eq!(MAX_PAGE_SIZE, 100);
    assert_eq!(page_request(None, None).expect("default").limit, 20);
}

// ------------------------------------------------------------------------------ Date scalar

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dates_outside_1900_to_2200_are_refused(
        d in prop_oneof![date(ymd(1, 1, 1), ymd(1899, 12, 31)), date(ymd(2201, 1, 1), ymd(9999, 12, 31))]
    ) {
        let text = d.format("%Y-%m-%d").to_string();
        prop_assert!(Date::parse(Value::String(text)).is_err());
    }

    #[test]
    fn valid_dates_round_trip(d in date(ymd(1900, 1, 1), ymd(2200, 12, 31))) {
        let text = d.format("%Y-%m-%d").to_string();
        prop_assert_eq!(text.len(), 10);
        let parsed = Date::parse(Value::String(text.clone()));
        prop_assert_eq!(parsed.as_ref().ok(), Some(&Date(d)));
        prop_assert_eq!(parsed.expect("a date").to_value(), Value::String(text));
    }

    #[test]
    fn days_past_the_end_of_the_month_are_refused(y in 0i32..=9999, m in 1u32..=12, extra in 1u32..=68) {
        let day = days_in_month(y, m) + extra;
        let text = format!("{y:04}-{m:02}-{day:02}");
        prop_assert!(Date::parse(Value::String(text)).is_err());
    }

    #[test]
    fn month_and_day_zero_and_months_past_12_are_refused(y in 0i32..=9999, m in 13u32..=99, d in 1u32..=28) {
        for text in [
            format!("{y:04}-{m:02}-{d:02}"),
            format!("{y:04}-00-{d:02}"),
            format!("{y:04}-01-00"),
        ] {
            prop_assert!(Date::parse(Value::String(text.clone())).is_err(), "{}", text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_what_is_accepted_round_trips(
        text in prop_oneof![
            any::<String>(),
            "[0-9+ -]{0,14}",
            "[+ -]?[0-9]{1,5}-[ 0-9]{1,2}-[ 0-9]{1,2}",
            (date(ymd(1, 1, 1), ymd(9999, 12, 31)), ".{0,2}", ".{0,2}")
                .prop_map(|(d, before, after)| format!("{before}{}{after}", d.format("%Y-%m-%d"))),
        ],
    ) {
        if let Ok(d) = Date::parse(Value::String(text)) {
            prop_assert_eq!(Date::parse(d.to_value()).ok(), Some(d));
        }
    }

    // chrono's `%Y-%m-%d` alone also takes `2024-1-5`, ` 2024-01-05`, `+2024-01-05`,
    // `2024-01- 5`, `-0001-01-01` and `+12024-01-05`; the scalar takes exactly YYYY-MM-DD.
    #[test]
    fn only_yyyy_mm_dd_is_accepted(
        text in prop_oneof![any::<String>(), "[0-9+ -]{0,14}", "[+ -]?[0-9]{1,5}-[ 0-9]{1,2}-[ 0-9]{1,2}"],
    ) {
        if let Ok(d) = Date::parse(Value::String(text.clone())) {
            prop_assert_eq!(d.to_value(), Value::String(text));
        }
    }

    #[test]
    fn values_that_are_not_strings_are_refused(n in any::<i64>(), b in any::<bool>()) {
        prop_assert!(Date::parse(Value::Number(Number::from(n))).is_err());
        prop_assert!(Date::parse(Value::Boolean(b)).is_err());
        prop_assert!(Date::parse(Value::Null).is_err());
        prop_assert!(Date::parse(Value::List(vec![Value::String("2024-01-01".into())])).is_err());
    }
}

// ------------------------------------------------------------------------------ sharing

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sharing_never_panics_and_sums_exactly(
        total in prop_oneof![0i64..=10_000_000_000_000, 0i64..=i64::MAX],
        rates in positive_rates(),
    ) {
        match share(total, &rates) {
            Ok(shares) => {
                prop_assert_eq!(shares.len(), rates.len());
                let sum: i128 = shares.iter().map(|&s| i128::from(s)).sum();
                prop_assert_eq!(sum, i128::from(total));
                prop_assert!(shares.iter().all(|&s| s >= 0));
            }
            // Only absurd totals or rates overflow `Decimal`; nothing else may be refused.
            Err(e) => prop_assert_eq!(e, SharingError::Overflow),
        }
    }

    #[test]
    fn rates_of_any_scale_share_exactly(
        total in 0i64..=1_000_000_000_000_000,
        rates in prop::collection::btree_map("[A-Z]{3}", (1i64..=1_000_000_000_000, 0u32..=28), 1..130),
    ) {
        // 1 to 130 States (the Convention has about 110 parties), rates with up to 28
        // decimals: nothing near Decimal's limits, so every scale shares, to the cent.
        let rates: Vec<Rate> = rates
            .into_iter()
            .map(|(state_code, (m, s))| Rate { state_code, rate: Decimal::new(m, s) })
            .collect();
        let shares = share(total, &rates).expect("a scale far from Decimal's limits shares");
        prop_assert_eq!(shares.iter().sum::<i64>(), total);
        prop_assert!(shares.iter().all(|&s| s >= 0));
    }
}

// ------------------------------------------------------------------------------ Article 17

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn entry_into_force_is_a_first_of_the_month_from_1_august_2010(deposit in date(NaiveDate::MIN, NaiveDate::MAX)) {
        let eif = entry_into_force(deposit);
        prop_assert_eq!(eif.day(), 1);
        prop_assert!(eif >= ymd(2010, 8, 1));
        prop_assert_eq!(CONVENTION_ENTRY_INTO_FORCE, ymd(2010, 8, 1));
    }

    #[test]
    fn the_first_30_took_effect_with_the_convention(deposit in date(ymd(2008, 12, 3), LAST_ORIGINAL_DEPOSIT)) {
        prop_assert_eq!(entry_into_force(deposit), ymd(2010, 8, 1));
    }

    #[test]
    fn later_deposits_take_effect_5_to_6_months_after(deposit in date(ymd(2010, 2, 17), ymd(9999, 12, 31))) {
        let eif = entry_into_force(deposit);
        prop_assert_eq!(eif.day(), 1);
        prop_assert!(eif > deposit.checked_add_months(Months::new(5)).expect("in range"));
        prop_assert!(eif <= deposit.checked_add_months(Months::new(6)).expect("in range"));
        // The first day of the sixth month after the month of deposit.
        let month = deposit.with_day(1).expect("a first").checked_add_months(Months::new(6)).expect("in range");
        prop_assert_eq!(eif, month);
    }

    #[test]
    fn a_later_deposit_never_takes_effect_earlier(
        a in date(ymd(2000, 1, 1), ymd(2100, 12, 31)),
        b in date(ymd(2000, 1, 1), ymd(2100, 12, 31)),
    ) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(entry_into_force(early) <= entry_into_force(late));
    }
}
