//! Which reminder of a deadline is due on a day: a lead reminder some days before it, or an
//! overdue reminder after it was missed; for a meeting's decision and for the last day to
//! submit an extension request, the lead reminders only. Pure: plain data in, plain data
//! out.

use chrono::NaiveDate;

use crate::rules::obligations::ObligationKind;

/// The reminder policy (`setReminderPolicy`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Days before a due date on which a reminder goes out, distinct, each 0..=365,
    /// largest first.
    pub lead_days: Vec<u16>,
    /// After a missed due date: the first reminder the next day, then every this many days
    /// (0: once).
    pub overdue_every_days: u16,
    /// The kinds of obligation reminded of.
    pub kinds: Vec<ObligationKind>,
    /// Whether overdue reminders are copied to the ISU's own address.
    pub escalate_to_isu: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            lead_days: vec![90, 30, 7],
            overdue_every_days: 30,
            kinds: ObligationKind::ALL.to_vec(),
            escalate_to_isu: false,
        }
    }
}

impl Policy {
    /// Whether obligations of `kind` are reminded of.
    pub fn covers(&self, kind: ObligationKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// A reminder of one deadline: which one it is in its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Round {
    /// This many days before the due date (a lead day of the policy).
    Lead(u16),
    /// The n-th reminder after the due date was missed, from 1.
    Overdue(u32),
}

impl Round {
    /// Whether the deadline was missed.
    pub fn is_overdue(self) -> bool {
        matches!(self, Self::Overdue(_))
    }

    /// The label stored with a reminder and used in its key: "L30", "O2".
    pub fn label(self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for Round {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Lead(days) => write!(f, "L{days}"),
            Self::Overdue(n) => write!(f, "O{n}"),
        }
    }
}

/// The lead round of a deadline `days_remaining` away: the smallest lead day `L` of the
/// policy with `0 <= days_remaining <= L`. Only the latest threshold crossed counts, so a
/// planner that first runs 25 days before a deadline sends the 30-day reminder, not the
/// 90-day one late; and since the round stays the same from one lead day to the next, the
/// planner running every day finds the same round (and the same key) until the next
/// threshold. None when the deadline is further than every lead day, or passed.
fn lead(policy: &Policy, days_remaining: i64) -> Option<Round> {
    if days_remaining < 0 {
        return None;
    }
    policy
        .lead_days
        .iter()
        .copied()
        .filter(|&l| days_remaining <= i64::from(l))
        .min()
        .map(Round::Lead)
}

/// The round of an open obligation due in `days_remaining` days (negative: overdue by that
/// many), if one is due:
///
/// - from the largest lead day to the due date: `Lead(l)`, `l` the smallest lead day with
///   `days_remaining <= l` (only the latest threshold crossed counts); on the due date
///   itself (0 days) the smallest lead day, when the policy has one;
/// - from the day after the due date (1 day overdue): `Overdue(n)` with
///   `n = 1 + (overdue − 1) / every`, i.e. O1 on the first day, O2 `every` days later, and
///   so on; with `every` = 0 only O1, once.
pub fn round(policy: &Policy, days_remaining: i64) -> Option<Round> {
    if days_remaining >= 0 {
        return lead(policy, days_remaining);
    }
    let overdue = days_remaining.unsigned_abs();
    let n = match policy.overdue_every_days {
        0 => 1,
        every => 1 + (overdue - 1) / u64::from(every),
    };
    Some(Round::Overdue(u32::try_from(n).unwrap_or(u32::MAX)))
}

/// [`round`] for a deadline on `due`, as of `today`.
pub fn round_on(policy: &Policy, due: NaiveDate, today: NaiveDate) -> Option<Round> {
    round(policy, (due - today).num_days())
}

/// The follow-up of a meeting's decision due on `due`, as of `today`: the lead rounds of
/// the policy only (a decision is followed up before its date; what happens after it is
/// the meeting's business, not a reminder's).
pub fn decision_round(policy: &Policy, due: NaiveDate, today: NaiveDate) -> Option<Round> {
    lead(policy, (due - today).num_days())
}

/// The reminder of `submit_by`, the last day to submit a request to extend a deadline
/// (docs/domain.md §3a), as of `today`: the lead rounds of the policy only. After that day a
/// request is late (the meeting may still consider it) and the deadline's own reminders go
/// on; a reminder that the day has passed would tell the State nothing it can still do in
/// time.
pub fn submission_round(policy: &Policy, submit_by: NaiveDate, today: NaiveDate) -> Option<Round> {
    lead(policy, (submit_by - today).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn policy(leads: &[u16], every: u16) -> Policy {
        Policy {
            lead_days: leads.to_vec(),
            overdue_every_days: every,
            ..Policy::default()
        }
    }

    #[test]
    fn the_default_policy_reminds_90_30_and_7_days_before_and_every_30_days_after() {
        let p = Policy::default();
        for (days, expected) in [
            (400, None),
            (91, None),
            (90, Some(Round::Lead(90))),
            (89, Some(Round::Lead(90))),
            (31, Some(Round::Lead(90))),
            (30, Some(Round::Lead(30))),
            (25, Some(Round::Lead(30))),
            (8, Some(Round::Lead(30))),
            (7, Some(Round::Lead(7))),
            (1, Some(Round::Lead(7))),
            // Due today: still the last lead round, not yet overdue.
            (0, Some(Round::Lead(7))),
            // The day after: the first overdue reminder.
            (-1, Some(Round::Overdue(1))),
            (-2, Some(Round::Overdue(1))),
            (-30, Some(Round::Overdue(1))),
            (-31, Some(Round::Overdue(2))),
            (-60, Some(Round::Overdue(2))),
            (-61, Some(Round::Overdue(3))),
            (-3650, Some(Round::Overdue(122))),
        ] {
            assert_eq!(round(&p, days), expected, "{days} days remaining");
        }
    }

    #[test]
    fn exactly_on_a_lead_day_that_round_is_due_and_between_leads_the_latest_crossed() {
        let p = policy(&[60, 14], 10);
        for (days, expected) in [
            (61, None),
            (60, Some(Round::Lead(60))),
            (15, Some(Round::Lead(60))),
            (14, Some(Round::Lead(14))),
            (0, Some(Round::Lead(14))),
            (-1, Some(Round::Overdue(1))),
            (-10, Some(Round::Overdue(1))),
            (-11, Some(Round::Overdue(2))),
            (-20, Some(Round::Overdue(2))),
            (-21, Some(Round::Overdue(3))),
        ] {
            assert_eq!(round(&p, days), expected, "{days} days remaining");
        }
    }

    #[test]
    fn a_lead_day_of_zero_reminds_on_the_due_date_only() {
        let p = policy(&[0], 30);
        assert_eq!(round(&p, 1), None);
        assert_eq!(round(&p, 0), Some(Round::Lead(0)));
        assert_eq!(round(&p, -1), Some(Round::Overdue(1)));
    }

    #[test]
    fn without_lead_days_only_overdue_reminders_go_out() {
        let p = policy(&[], 30);
        for days in [365, 30, 7, 0] {
            assert_eq!(round(&p, days), None, "{days}");
        }
        assert_eq!(round(&p, -1), Some(Round::Overdue(1)));
        assert_eq!(round(&p, -31), Some(Round::Overdue(2)));
    }

    #[test]
    fn the_order_of_lead_days_and_duplicates_do_not_matter() {
        let sorted = policy(&[90, 30, 7], 30);
        for leads in [
            &[7u16, 90, 30][..],
            &[30, 30, 7, 90, 7],
            &[90, 90, 30, 7, 7, 7],
        ] {
            let p = policy(leads, 30);
            for days in -40..=100 {
                assert_eq!(round(&p, days), round(&sorted, days), "{leads:?} {days}");
            }
        }
    }

    #[test]
    fn an_interval_of_zero_sends_one_overdue_reminder() {
        let p = policy(&[30], 0);
        for days in [-1, -2, -30, -31, -1000] {
            assert_eq!(round(&p, days), Some(Round::Overdue(1)), "{days}");
        }
    }

    #[test]
    fn an_interval_of_one_counts_every_day() {
        let p = policy(&[30], 1);
        for (days, n) in [(-1, 1), (-2, 2), (-3, 3), (-365, 365)] {
            assert_eq!(round(&p, days), Some(Round::Overdue(n)), "{days}");
        }
    }

    #[test]
    fn an_absurdly_old_deadline_saturates_instead_of_overflowing() {
        let p = policy(&[30], 1);
        assert_eq!(round(&p, i64::MIN), Some(Round::Overdue(u32::MAX)));
        assert_eq!(round(&p, i64::MAX), None);
    }

    #[test]
    fn rounds_on_dates_count_calendar_days() {
        let p = Policy::default();
        // 2024 is a leap year: 30 April is 60 days after 1 March.
        assert_eq!(
            round_on(&p, d("2024-04-30"), d("2024-03-31")),
            Some(Round::Lead(30))
        );
        assert_eq!(
            round_on(&p, d("2024-04-30"), d("2024-03-01")),
            Some(Round::Lead(90))
        );
        assert_eq!(round_on(&p, d("2024-04-30"), d("2024-01-30")), None);
        assert_eq!(
            round_on(&p, d("2024-04-30"), d("2024-04-30")),
            Some(Round::Lead(7))
        );
        assert_eq!(
            round_on(&p, d("2024-04-30"), d("2024-05-01")),
            Some(Round::Overdue(1))
        );
        assert_eq!(
            round_on(&p, d("2024-04-30"), d("2024-05-31")),
            Some(Round::Overdue(2))
        );
    }

    #[test]
    fn decisions_are_followed_up_before_their_date_only() {
        let p = Policy::default();
        let due = d("2026-06-30");
        assert_eq!(decision_round(&p, due, d("2026-03-01")), None);
        assert_eq!(
            decision_round(&p, due, d("2026-04-01")),
            Some(Round::Lead(90))
        );
        assert_eq!(
            decision_round(&p, due, d("2026-06-23")),
            Some(Round::Lead(7))
        );
        assert_eq!(decision_round(&p, due, due), Some(Round::Lead(7)));
        assert_eq!(decision_round(&p, due, d("2026-07-01")), None);
        assert_eq!(decision_round(&policy(&[], 30), due, due), None);
    }

    #[test]
    fn the_last_day_to_submit_a_request_is_announced_90_30_and_7_days_before_never_after() {
        let p = Policy::default();
        let submit_by = d("2028-12-11");
        for (today, want) in [
            ("2028-09-11", None),
            ("2028-09-12", Some(Round::Lead(90))),
            ("2028-11-10", Some(Round::Lead(90))),
            ("2028-11-11", Some(Round::Lead(30))),
            ("2028-12-04", Some(Round::Lead(7))),
            ("2028-12-11", Some(Round::Lead(7))),
            ("2028-12-12", None),
            ("2029-06-01", None),
        ] {
            assert_eq!(submission_round(&p, submit_by, d(today)), want, "{today}");
        }
    }

    #[test]
    fn labels_name_the_round() {
        assert_eq!(Round::Lead(90).label(), "L90");
        assert_eq!(Round::Lead(0).label(), "L0");
        assert_eq!(Round::Overdue(2).label(), "O2");
        assert!(Round::Overdue(1).is_overdue());
        assert!(!Round::Lead(7).is_overdue());
    }

    #[test]
    fn the_policy_covers_its_kinds() {
        let p = Policy {
            kinds: vec![ObligationKind::Clearance],
            ..Policy::default()
        };
        assert!(p.covers(ObligationKind::Clearance));
        assert!(!p.covers(ObligationKind::AnnualTransparencyReport));
        assert!(Policy::default().covers(ObligationKind::StockpileDestruction));
    }
}
