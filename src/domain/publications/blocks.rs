//! The pieces the reports are made of ([`super::annual`], [`super::progress`],
//! [`super::profile`]): sections, facts, tables and figures with their cells already
//! written by [`crate::kernel::figures`], so a figure reads the same in every report, chart
//! and format; and the names people read for the stored vocabulary.

use chrono::NaiveDate;
use entity::enums::{IndicatorUnit, RegionalGroup};
use rust_decimal::Decimal;

use super::AUTHOR;
use crate::kernel::charts::{self, Chart};
use crate::kernel::figures;
use crate::kernel::typeset::{Block, Column, Document, Fact, Figure, Section, Table};

/// A document issued today, its data as of today, in English.
pub(super) fn document(
    title: String,
    subtitle: Option<String>,
    today: NaiveDate,
    sections: Vec<Section>,
) -> Document {
    Document {
        title,
        subtitle,
        author: AUTHOR.to_owned(),
        issued_on: today,
        as_of: today,
        lang: "en".to_owned(),
        sections,
    }
}

/// A section without subsections.
pub(super) fn section(heading: impl Into<String>, blocks: Vec<Block>) -> Section {
    Section {
        heading: heading.into(),
        blocks,
        subsections: Vec::new(),
    }
}

pub(super) fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph { text: text.into() }
}

/// Label–value pairs.
pub(super) fn facts<L: Into<String>>(items: impl IntoIterator<Item = (L, String)>) -> Block {
    Block::Facts {
        items: items
            .into_iter()
            .map(|(label, value)| Fact {
                label: label.into(),
                value,
            })
            .collect(),
    }
}

/// A column of text (`false`) or of figures (`true`, right-aligned).
pub(super) type Col<'a> = (&'a str, bool);

/// A table; `empty` is said instead of it when there are no rows.
pub(super) fn table<S: AsRef<str>>(
    caption: impl Into<String>,
    columns: &[(S, bool)],
    rows: Vec<Vec<String>>,
    empty: impl Into<String>,
) -> Block {
    Block::Table(Table {
        caption: caption.into(),
        columns: columns
            .iter()
            .map(|(title, numeric)| Column {
                title: title.as_ref().to_owned(),
                numeric: *numeric,
            })
            .collect(),
        rows,
        empty: empty.into(),
    })
}

/// A chart drawn as SVG, with its caption.
pub(super) fn figure(chart: &Chart, caption: impl Into<String>) -> Block {
    Block::Figure(Figure {
        caption: caption.into(),
        svg: charts::svg(chart),
    })
}

/// An amount in cents of `currency`.
pub(super) fn money(cents: i64, currency: &str) -> String {
    figures::money(crate::kernel::money::from_cents(cents), currency)
}

/// A count of anything.
pub(super) fn count(n: usize) -> String {
    figures::count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `part` of `whole` in per cent, or a dash when there is no whole.
pub(super) fn share(part: usize, whole: usize) -> String {
    let (part, whole) = (
        i64::try_from(part).unwrap_or(i64::MAX),
        i64::try_from(whole).unwrap_or(i64::MAX),
    );
    figures::share(part, whole).map_or_else(|| "–".to_owned(), figures::percent)
}

/// `part` of `whole` (cents) in per cent, or a dash when there is no whole.
pub(super) fn share_of_amount(part: i64, whole: i64) -> String {
    figures::share(part, whole).map_or_else(|| "–".to_owned(), figures::percent)
}

/// A day spelt out, or a dash.
pub(super) fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "–".to_owned(), figures::long_date)
}

/// An indicator's figure kept in tenths: a share with one decimal, a count grouped (with a
/// decimal only when it has one).
pub(super) fn tenths(unit: IndicatorUnit, t: i64) -> String {
    let value = Decimal::new(t, 1);
    match unit {
        IndicatorUnit::Percent => figures::percent(value),
        IndicatorUnit::Count => figures::grouped(value.normalize()),
    }
}

/// A change kept in tenths, signed: `+2.5 %`, `-1`, `0`.
pub(super) fn change(unit: IndicatorUnit, t: i64) -> String {
    let text = tenths(unit, t);
    if t > 0 { format!("+{text}") } else { text }
}

/// A stored value (`PARTIALLY_MET`) as people read it (`Partially met`).
pub(super) fn label<E: sea_orm::ActiveEnum<Value = String>>(value: &E) -> String {
    sentence(&value.to_value())
}

/// `PARTIALLY_MET` → `Partially met`.
pub(super) fn sentence(stored: &str) -> String {
    let lower = stored.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A regional group's name as the Convention's documents write it.
pub(super) fn region(group: Option<RegionalGroup>) -> String {
    match group {
        Some(RegionalGroup::Africa) => "Africa",
        Some(RegionalGroup::AsiaPacific) => "Asia-Pacific",
        Some(RegionalGroup::EasternEurope) => "Eastern Europe",
        Some(RegionalGroup::LatinAmericaCaribbean) => "Latin America and the Caribbean",
        Some(RegionalGroup::WesternEuropeOthers) => "Western Europe and others",
        None => "–",
    }
    .to_owned()
}

/// The treaty's name of an obligation.
pub(super) fn obligation(kind: crate::rules::obligations::ObligationKind) -> &'static str {
    use crate::rules::obligations::ObligationKind as K;
    match kind {
        K::InitialTransparencyReport => "Initial Article 7 report",
        K::AnnualTransparencyReport => "Annual Article 7 report",
        K::StockpileDestruction => "Stockpile destruction (Article 3)",
        K::Clearance => "Clearance (Article 4)",
    }
}

/// An obligation's status as a report states it.
pub(super) fn obligation_status(o: &crate::rules::obligations::Obligation) -> String {
    use crate::rules::obligations::ObligationStatus as S;
    match o.status {
        S::Met => match o.fulfilled_on {
            Some(d) => format!("Completed on {}", figures::long_date(d)),
            None => "Completed".to_owned(),
        },
        S::Overdue => "Overdue".to_owned(),
        S::DueSoon => "Due soon".to_owned(),
        S::Upcoming => "Upcoming".to_owned(),
        S::NotRecorded => "Not recorded".to_owned(),
    }
}

/// What a meeting decided on an extension request, as a report states it.
pub(super) fn outcome(o: Option<entity::enums::ExtensionOutcome>) -> &'static str {
    use entity::enums::ExtensionOutcome as O;
    match o {
        Some(O::Granted) => "Granted",
        Some(O::GrantedShorter) => "Granted for a shorter period",
        Some(O::Refused) => "Refused",
        None => "–",
    }
}

/// Where an extension request stands, as a report states it, with "late" when it was
/// submitted after its last day.
pub(super) fn request_status(status: entity::enums::ExtensionRequestStatus, late: bool) -> String {
    let text = label(&status);
    if late { format!("{text} (late)") } else { text }
}

/// Yes, no, or a dash when not known.
pub(super) fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "–",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_the_figures_module_writes_them() {
        use IndicatorUnit::{Count, Percent};
        let cases = [
            (tenths(Percent, 667), "66.7 %"),
            (tenths(Count, 120), "12"),
            (tenths(Count, 123_450), "12,345"),
            (tenths(Count, 25), "2.5"),
            (change(Percent, 25), "+2.5 %"),
            (change(Count, -10), "-1"),
            (change(Count, 0), "0"),
            (money(123_456_789, "CHF"), "CHF 1,234,567.89"),
            (count(12_345), "12,345"),
            (share(1, 3), "33.3 %"),
            (share(1, 0), "–"),
            (share_of_amount(50, 200), "25.0 %"),
            (sentence("PARTIALLY_MET"), "Partially met"),
            (sentence(""), ""),
            (
                region(Some(RegionalGroup::LatinAmericaCaribbean)),
                "Latin America and the Caribbean",
            ),
            (day(NaiveDate::from_ymd_opt(2026, 4, 30)), "30 April 2026"),
            (day(None), "–"),
            (yes_no(Some(false)), "No"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }
}
