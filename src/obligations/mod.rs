//! Pure treaty date rules: no database, no GraphQL. See domain.md §2 and §3.

use chrono::{Datelike, NaiveDate};

/// The Convention entered into force on 1 August 2010 for the first 30 States.
pub const CONVENTION_ENTRY_INTO_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2010, 8, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The last day on which an instrument counted towards the first 30 (the 30th was deposited
/// on 16 February 2010).
pub const LAST_ORIGINAL_DEPOSIT: NaiveDate = match NaiveDate::from_ymd_opt(2010, 2, 16) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Article 17: entry into force for a State that deposits its instrument on `deposit`.
///
/// Deposits up to 16 February 2010 took effect with the Convention on 1 August 2010; later
/// ones on the first day of the sixth month after the month of deposit.
pub fn entry_into_force(deposit: NaiveDate) -> NaiveDate {
    if deposit <= LAST_ORIGINAL_DEPOSIT {
        return CONVENTION_ENTRY_INTO_FORCE;
    }
    // Months counted from year 0: the month of deposit plus six.
    let months = deposit.year() * 12 + deposit.month0() as i32 + 6;
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12));
    NaiveDate::from_ymd_opt(year, month0 as u32 + 1, 1).unwrap_or(CONVENTION_ENTRY_INTO_FORCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn article_17_examples_from_the_domain() {
        for (deposit, eif) in [
            ("2008-12-03", "2010-08-01"),
            ("2010-02-16", "2010-08-01"),
            ("2010-02-17", "2010-08-01"),
            ("2010-03-01", "2010-09-01"),
            ("2011-09-08", "2012-03-01"),
            ("2012-07-17", "2013-01-01"),
            ("2023-08-03", "2024-02-01"),
            ("2025-09-05", "2026-03-01"),
            ("2020-01-01", "2020-07-01"),
            ("2020-01-31", "2020-07-01"),
            ("2019-12-31", "2020-06-01"),
            ("2019-12-01", "2020-06-01"),
            ("2021-07-15", "2022-01-01"),
        ] {
            assert_eq!(entry_into_force(d(deposit)), d(eif), "deposit {deposit}");
        }
    }

    #[test]
    fn every_row_of_the_shipped_registry_follows_article_17() {
        let rows = crate::states::registry::parse(crate::states::registry::EMBEDDED_CSV)
            .expect("registry parses");
        assert_eq!(rows.len(), 125);
        for r in rows {
            if let (Some(deposit), Some(eif)) = (r.deposit_date, r.entry_into_force_date) {
                assert_eq!(entry_into_force(deposit), eif, "{}", r.code);
            }
        }
    }
}
