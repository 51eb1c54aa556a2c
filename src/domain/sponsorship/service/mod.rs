//! Meetings and sponsorship applications over the database. No GraphQL types here.
//!
//! The budget invariant (committed ≤ budget) is kept by the database: an approval adds its
//! amount to `meetings.committed_cents` with an update conditional on the result staying
//! within the budget, in the same transaction as the application's own conditional status
//! change. Two concurrent approvals cannot both pass: the second sees the first's total.
//!
//! The parts, one file each:
//! - `meetings`: creating and listing meetings, and a meeting's budget figures.
//! - `applications`: an application with its meeting, State and eligibility verdict; the
//!   reads, and applying.
//! - `decisions`: the ISU's decisions (the budget invariant) and the applicant's withdrawal.
//! - `statistics`: a meeting's statistics, the suggestion and the export.

mod applications;
mod decisions;
mod meetings;
mod statistics;

pub use applications::{
    Application, NewApplication, NewDelegate, application_json, applications_readable, apply,
    get_application, get_applications, list_applications, requested_total,
};
pub use decisions::{Decision, decide, withdraw};
pub use meetings::{
    Figures, MeetingFilter, NewMeeting, create_meeting, figures, get_meeting, get_meetings,
    list_meetings, meeting_json,
};
pub use statistics::{Stats, SuggestionResult, export, stats, suggestion};

use entity::enums::{ApplicationStatus, UserRole};

use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::validate;

/// ISU staff: they run meetings and decide applications.
const ISU: [UserRole; 2] = [UserRole::IsuAdmin, UserRole::IsuStaff];
/// Days of travel a delegate may claim beyond the meeting's own days.
pub const TRAVEL_DAYS: i64 = 2;

/// Applications not yet decided for good: the suggestion chooses among them.
pub const PENDING: [ApplicationStatus; 3] = [
    ApplicationStatus::Submitted,
    ApplicationStatus::UnderReview,
    ApplicationStatus::Waitlisted,
];

/// The decisions the ISU may record from each status (docs/domain.md §6). Withdrawal is the
/// applicant's, through `withdrawSponsorshipApplication`.
pub fn can_decide(from: ApplicationStatus, to: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    matches!(
        (from, to),
        (Submitted, UnderReview | Approved | Waitlisted | Rejected)
            | (UnderReview, Approved | Waitlisted | Rejected)
            | (Waitlisted, UnderReview | Approved | Rejected)
    )
}

/// Statuses from which an application may be withdrawn.
pub fn can_withdraw(from: ApplicationStatus) -> bool {
    PENDING.contains(&from) || from == ApplicationStatus::Approved
}

fn refused(code: Code, field: &[&str], message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, field, message)
}

/// Checks a budget or allowance: ≥ 0, as `validate::amount` wants it. Returns cents.
fn checked_cents(m: &Money, field: &[&str], r: &mut Refusals) -> Option<i64> {
    validate::amount(r, field, m, true)
}

/// A plausible email address: one `@`, something before it, a dotted domain after it, no
/// spaces. Delivery is the travel agent's test; this catches typing slips.
pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_follow_the_documented_transitions() {
        use ApplicationStatus::*;
        let all = [
            Submitted,
            UnderReview,
            Approved,
            Waitlisted,
            Rejected,
            Withdrawn,
        ];
        let allowed: Vec<_> = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| can_decide(*a, *b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Submitted, UnderReview),
                (Submitted, Approved),
                (Submitted, Waitlisted),
                (Submitted, Rejected),
                (UnderReview, Approved),
                (UnderReview, Waitlisted),
                (UnderReview, Rejected),
                (Waitlisted, UnderReview),
                (Waitlisted, Approved),
                (Waitlisted, Rejected),
            ]
        );
        let withdrawable: Vec<_> = all.iter().copied().filter(|s| can_withdraw(*s)).collect();
        assert_eq!(
            withdrawable,
            vec![Submitted, UnderReview, Approved, Waitlisted]
        );
    }

    #[test]
    fn the_requested_total_is_travel_plus_days_of_allowance() {
        assert_eq!(requested_total(120_000, 4, 35_000), 260_000);
        assert_eq!(requested_total(0, 0, 35_000), 0);
        assert_eq!(requested_total(i64::MAX, 2, 1), i64::MAX);
    }

    #[test]
    fn emails_are_checked_for_typing_slips() {
        for ok in ["a.b@mofa.gov.la", "x@y.org"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ab",
            "@x.org",
            "a@b",
            "a@.org",
            "a@org.",
            "a b@x.org",
            "a@b@c.org",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
