//! The follow-up of a meeting's decisions (docs/domain.md §10): which status changes are
//! allowed, and when a decision is overdue.

use crate::kernel::vocabulary::ImplementationStatus as S;
use chrono::NaiveDate;

/// A status nobody but an administrator moves a decision out of.
pub fn is_final(s: S) -> bool {
    matches!(s, S::Implemented | S::NotAccepted | S::Superseded)
}

/// Overdue: a due date is set and past, and the decision is not final.
pub fn overdue(due_on: Option<NaiveDate>, status: S, today: NaiveDate) -> bool {
    due_on.is_some_and(|d| d < today) && !is_final(status)
}

/// Why a status change is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Out of IMPLEMENTED, NOT_ACCEPTED or SUPERSEDED: an administrator's act only.
    FinalStatus,
    /// SUPERSEDED is set by recording the decision that replaces it, never by hand.
    SupersededByRecording,
    /// NOT_ACCEPTED says why in its comment.
    CommentRequired,
}

/// Whether a decision in `from` may go to `to`: from any open status to any other; out of
/// a final status only by an administrator; never by hand to SUPERSEDED; NOT_ACCEPTED with
/// a comment. Staying in the same status (a comment, new evidence) is a change like any
/// other.
pub fn change_allowed(from: S, to: S, admin: bool, has_comment: bool) -> Result<(), Refusal> {
    if to == S::Superseded && from != S::Superseded {
        return Err(Refusal::SupersededByRecording);
    }
    if is_final(from) && !admin {
        return Err(Refusal::FinalStatus);
    }
    if to == S::NotAccepted && !has_comment {
        return Err(Refusal::CommentRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn overdue_needs_a_past_due_date_and_an_open_status() {
        let today = d("2026-12-06");
        for (due, status, expected, case) in [
            (Some("2026-12-05"), S::InProgress, true, "due yesterday"),
            (Some("2026-12-06"), S::InProgress, false, "due today"),
            (None, S::NotStarted, false, "no due date"),
            (
                Some("2020-01-01"),
                S::PartiallyImplemented,
                true,
                "partly done",
            ),
            (Some("2020-01-01"), S::Implemented, false, "done"),
            (Some("2020-01-01"), S::NotAccepted, false, "declined"),
            (Some("2020-01-01"), S::Superseded, false, "replaced"),
        ] {
            assert_eq!(overdue(due.map(d), status, today), expected, "{case}");
        }
    }

    #[test]
    fn status_changes_follow_the_table() {
        use Refusal::*;
        let table = [
            (
                S::NotStarted,
                S::Implemented,
                false,
                false,
                Ok(()),
                "open to done",
            ),
            (
                S::InProgress,
                S::NotStarted,
                false,
                false,
                Ok(()),
                "back to not started",
            ),
            (
                S::InProgress,
                S::InProgress,
                false,
                true,
                Ok(()),
                "a comment only",
            ),
            (
                S::InProgress,
                S::NotAccepted,
                false,
                false,
                Err(CommentRequired),
                "declined, no reason",
            ),
            (
                S::InProgress,
                S::NotAccepted,
                false,
                true,
                Ok(()),
                "declined with a reason",
            ),
            (
                S::Implemented,
                S::InProgress,
                false,
                true,
                Err(FinalStatus),
                "staff reopen",
            ),
            (
                S::Implemented,
                S::InProgress,
                true,
                true,
                Ok(()),
                "an administrator reopens",
            ),
            (
                S::NotAccepted,
                S::NotAccepted,
                false,
                true,
                Err(FinalStatus),
                "staff comment a final one",
            ),
            (
                S::InProgress,
                S::Superseded,
                true,
                true,
                Err(SupersededByRecording),
                "superseded by hand",
            ),
            (
                S::Superseded,
                S::InProgress,
                false,
                true,
                Err(FinalStatus),
                "staff revive",
            ),
            (
                S::Superseded,
                S::Superseded,
                true,
                true,
                Ok(()),
                "an administrator comments",
            ),
        ];
        for (from, to, admin, comment, expected, case) in table {
            assert_eq!(change_allowed(from, to, admin, comment), expected, "{case}");
        }
    }
}
