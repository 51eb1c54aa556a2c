//! The rules every input obeys, whatever it is for: text within a named limit and without
//! control characters, a year the system accepts, a period that does not end before it
//! starts, and a money amount. Each rule pushes at most one refusal, `INVALID_INPUT` on the
//! field's path, with one message phrased the same way everywhere.
//!
//! Text is judged as it is stored: without the white space around it. Lengths are counted in
//! characters (Unicode scalar values), not bytes.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use crate::kernel::error::{Code, Refusals};
use crate::kernel::money::{self, Money};

/// A place or an occasion, in a few words.
pub const BRIEF_TEXT: usize = 100;
/// A name, a title, a label, a venue, a position, a reference.
pub const SHORT_TEXT: usize = 200;
/// One entry of a list: a location, a type of munition, a recipient.
pub const ENTRY_TEXT: usize = 500;
/// A note, a justification, an expected output, an indicator, a target.
pub const TEXT: usize = 10_000;
/// A description or the free text of a report.
pub const LONG_TEXT: usize = 100_000;

/// Years a workplan, an invoice or a contribution may be for.
pub const YEARS: RangeInclusive<i32> = 2010..=2100;

/// Whether a text may span lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// A name or a title: no control character at all.
    One,
    /// A description or a note: line breaks (`\n`, `\r`) and tabs, no other control character.
    Many,
}

/// The field's name in messages: the last segment of its path.
fn name<'a>(field: &[&'a str]) -> &'a str {
    field.last().copied().unwrap_or("value")
}

/// `n` with a space between groups of three digits, as the messages write numbers.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// True when `text` holds a control character that `lines` does not allow.
pub fn has_control(text: &str, lines: Lines) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(lines == Lines::Many && matches!(c, '\n' | '\r' | '\t')))
}

fn control_message(field: &[&str], lines: Lines) -> String {
    match lines {
        Lines::One => format!("`{}` must not contain control characters.", name(field)),
        Lines::Many => format!(
            "`{}` must not contain control characters other than line breaks and tabs.",
            name(field)
        ),
    }
}

/// A text that must be given: not blank, at most `max` characters once trimmed, and without
/// control characters `lines` does not allow. True when it passes.
pub fn required(r: &mut Refusals, field: &[&str], text: &str, max: usize, lines: Lines) -> bool {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > max {
        r.push(
            Code::InvalidInput,
            field,
            format!(
                "`{}` must be 1 to {} characters.",
                name(field),
                grouped(max)
            ),
        );
        false
    } else if has_control(t, lines) {
        r.push(Code::InvalidInput, field, control_message(field, lines));
        false
    } else {
        true
    }
}

/// A text that may be omitted or blank: when given, at most `max` characters once trimmed,
/// and without control characters `lines` does not allow. True when it passes.
pub fn optional(
    r: &mut Refusals,
    field: &[&str],
    text: Option<&str>,
    max: usize,
    lines: Lines,
) -> bool {
    let Some(t) = text.map(str::trim) else {
        return true;
    };
    if t.chars().count() > max {
        r.push(
            Code::InvalidInput,
            field,
            format!(
                "`{}` must be at most {} characters.",
                name(field),
                grouped(max)
            ),
        );
        false
    } else if has_control(t, lines) {
        r.push(Code::InvalidInput, field, control_message(field, lines));
        false
    } else {
        true
    }
}

/// A year within [`YEARS`]. True when it passes.
pub fn year(r: &mut Refusals, field: &[&str], year: i32) -> bool {
    if YEARS.contains(&year) {
        return true;
    }
    r.push(
        Code::InvalidInput,
        field,
        format!(
            "`{}` must be a year from {} to {}.",
            name(field),
            YEARS.start(),
            YEARS.end()
        ),
    );
    false
}

/// A period that does not end before it starts; either end may be open. The refusal is on
/// the end's field. True when it passes.
pub fn period(
    r: &mut Refusals,
    start_field: &[&str],
    end_field: &[&str],
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> bool {
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            r.push(
                Code::InvalidInput,
                end_field,
                format!(
                    "`{}` must not fall before `{}`.",
                    name(end_field),
                    name(start_field)
                ),
            );
            false
        }
        _ => true,
    }
}

/// A money value as [`money::check`] wants it. True when it passes.
pub fn money(r: &mut Refusals, field: &[&str], m: &Money, allow_zero: bool) -> bool {
    match money::check(m, allow_zero) {
        Ok(()) => true,
        Err(msg) => {
            r.push(Code::InvalidInput, field, msg);
            false
        }
    }
}

/// A money value as [`money::check`] wants it, in integer cents that fit an `i64`.
pub fn amount(r: &mut Refusals, field: &[&str], m: &Money, allow_zero: bool) -> Option<i64> {
    if !money(r, field, m, allow_zero) {
        return None;
    }
    let cents = money::to_cents(m.amount);
    if cents.is_none() {
        r.push(Code::InvalidInput, field, "The amount is too large.");
    }
    cents
}

/// A text that may be omitted, trimmed; None when blank.
pub fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A case-insensitive "contains `search`" pattern for `LIKE` over a lower-cased column, its
/// wildcards escaped so that a search for "_" finds an underscore.
pub fn contains_pattern(search: &str) -> sea_orm::sea_query::LikeExpr {
    contains_literal(&search.to_lowercase())
}

/// A "contains `text`" pattern for `LIKE`, its case kept and its wildcards escaped.
pub fn contains_literal(text: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::error::ServiceError;

    const F: &[&str] = &["input", "title"];

    /// The refusals `check` pushes: (field, message) pairs.
    fn run(check: impl FnOnce(&mut Refusals) -> bool) -> (bool, Vec<(Vec<String>, String)>) {
        let mut r = Refusals::default();
        let ok = check(&mut r);
        let refusals = match r.finish() {
            Ok(()) => Vec::new(),
            Err(ServiceError::Refused(v)) => v
                .into_iter()
                .map(|x| {
                    assert_eq!(x.code, Code::InvalidInput);
                    (x.field.unwrap_or_default(), x.message)
                })
                .collect(),
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(ok, refusals.is_empty(), "the result says what was pushed");
        assert!(refusals.len() <= 1, "one refusal per rule: {refusals:?}");
        (ok, refusals)
    }

    #[test]
    fn required_text_is_trimmed_counted_in_characters_and_bounded() {
        let cases: &[(String, usize, Lines, bool)] = &[
            ("a".into(), 1, Lines::One, true),
            ("".into(), 5, Lines::One, false),
            ("   ".into(), 5, Lines::One, false),
            ("\t\n ".into(), 5, Lines::Many, false),
            ("\u{3000}".into(), 5, Lines::One, false),
            ("x".repeat(SHORT_TEXT), SHORT_TEXT, Lines::One, true),
            ("x".repeat(SHORT_TEXT + 1), SHORT_TEXT, Lines::One, false),
            ("é".repeat(SHORT_TEXT), SHORT_TEXT, Lines::One, true),
            ("日本".repeat(SHORT_TEXT / 2), SHORT_TEXT, Lines::One, true),
            ("🦀".repeat(SHORT_TEXT + 1), SHORT_TEXT, Lines::One, false),
            (format!("  {}  ", "x".repeat(5)), 5, Lines::One, true),
            (" Mine\tAction ".into(), SHORT_TEXT, Lines::One, false),
            ("Mine\nAction".into(), SHORT_TEXT, Lines::One, false),
            ("Mine\u{0}Action".into(), SHORT_TEXT, Lines::One, false),
            ("Mine\u{7f}Action".into(), SHORT_TEXT, Lines::One, false),
            ("Mine\u{85}Action".into(), SHORT_TEXT, Lines::One, false),
            (" Mine Action\n".into(), SHORT_TEXT, Lines::One, true),
            ("line\none\r\n\tdone".into(), TEXT, Lines::Many, true),
            ("bell\u{7}".into(), TEXT, Lines::Many, false),
            ("escape\u{1b}[0m".into(), TEXT, Lines::Many, false),
            (
                "\u{200b}zero width is no control".into(),
                TEXT,
                Lines::One,
                true,
            ),
        ];
        for (text, max, lines, ok) in cases {
            let (got, refusals) = run(|r| required(r, F, text, *max, *lines));
            assert_eq!(got, *ok, "{text:?} within {max}");
            for (field, _) in refusals {
                assert_eq!(field, ["input", "title"]);
            }
        }
    }

    #[test]
    fn optional_text_may_be_absent_or_blank_but_not_too_long() {
        let long = "é".repeat(TEXT + 1);
        let cases: &[(Option<&str>, Lines, bool)] = &[
            (None, Lines::One, true),
            (Some(""), Lines::One, true),
            (Some("   "), Lines::Many, true),
            (Some(&long[..]), Lines::Many, false),
            (Some(&long[2..]), Lines::Many, true),
            (Some("two\nlines"), Lines::Many, true),
            (Some("two\nlines"), Lines::One, false),
            (Some("form\u{c}feed"), Lines::Many, false),
        ];
        for (text, lines, ok) in cases {
            let (got, _) = run(|r| optional(r, &["input", "note"], *text, TEXT, *lines));
            assert_eq!(got, *ok, "{text:?}");
        }
    }

    #[test]
    fn messages_name_the_field_and_the_limit() {
        let (_, r) = run(|r| required(r, F, "", SHORT_TEXT, Lines::One));
        assert_eq!(r[0].1, "`title` must be 1 to 200 characters.");
        let (_, r) = run(|r| {
            optional(
                r,
                &["input", "note"],
                Some(&"x".repeat(TEXT + 1)),
                TEXT,
                Lines::Many,
            )
        });
        assert_eq!(r[0].0, ["input", "note"]);
        assert_eq!(r[0].1, "`note` must be at most 10 000 characters.");
        let (_, r) = run(|r| required(r, F, "a\u{1}", SHORT_TEXT, Lines::One));
        assert_eq!(r[0].1, "`title` must not contain control characters.");
        assert_eq!(grouped(100_000), "100 000");
        assert_eq!(grouped(500), "500");
        assert_eq!(grouped(1_000), "1 000");
    }

    #[test]
    fn years_lie_within_the_accepted_range() {
        for (y, ok) in [
            (2009, false),
            (2010, true),
            (2024, true),
            (2100, true),
            (2101, false),
            (-1, false),
        ] {
            let (got, r) = run(|r| year(r, &["input", "year"], y));
            assert_eq!(got, ok, "{y}");
            if !ok {
                assert_eq!(r[0].1, "`year` must be a year from 2010 to 2100.");
            }
        }
    }

    #[test]
    fn a_period_does_not_end_before_it_starts() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2025, m, day);
        let s = &["input", "periodStart"][..];
        let e = &["input", "periodEnd"][..];
        for (start, end, ok) in [
            (d(1, 1), d(1, 1), true),
            (d(1, 1), d(12, 31), true),
            (d(1, 2), d(1, 1), false),
            (None, d(1, 1), true),
            (d(1, 1), None, true),
            (None, None, true),
        ] {
            let (got, r) = run(|r| period(r, s, e, start, end));
            assert_eq!(got, ok, "{start:?}..{end:?}");
            if !ok {
                assert_eq!(r[0].0, ["input", "periodEnd"]);
                assert_eq!(r[0].1, "`periodEnd` must not fall before `periodStart`.");
            }
        }
    }

    #[test]
    fn amounts_are_checked_by_money_and_kept_in_cents() {
        let m = |a: &str, c: &str| Money::new(a.parse().expect("decimal"), c);
        let f = &["input", "amount"][..];
        let cases = [
            (m("10.50", "CHF"), false, Some(1_050)),
            (m("0", "CHF"), true, Some(0)),
            (m("0", "CHF"), false, None),
            (m("-1", "CHF"), true, None),
            (m("1.005", "CHF"), true, None),
            (m("1", "XXX"), true, None),
            (m("79228162514264337593543950335", "CHF"), true, None),
        ];
        for (money, allow_zero, cents) in cases {
            let mut r = Refusals::default();
            assert_eq!(amount(&mut r, f, &money, allow_zero), cents, "{money:?}");
            assert_eq!(r.is_empty(), cents.is_some(), "{money:?}");
        }
    }
}
