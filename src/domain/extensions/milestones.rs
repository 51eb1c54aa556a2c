//! `extensionMilestones`: every open (not MET) Article 3 and Article 4 obligation falling due
//! within a window, the meeting that would have to extend it, the last day to submit a
//! request, and the request under way (one the viewer reads), soonest `submitBy` first.
//!
//! The dates are the pure rule [`crate::rules::obligations::milestones::milestone`] over
//! every recorded meeting (a Meeting of States Parties or a Review Conference decides; other
//! meetings do not). The same lines feed the ISU's CSV export and the annual report; the
//! reminders of `submitBy` are planned by `domain::notifications::planner` from the same rule
//! and the same tables, without importing this domain (see there why).
//!
//! Three statements and the obligations' own reads, whatever the number of States: every
//! State's obligations ([`crate::domain::states::obligations::for_all`]), the meetings, and
//! the requests under way that the viewer reads ([`super::visibility::readable`]).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Months, NaiveDate};
use entity::enums::{ExtensionRequestStatus, ObligationKind as StoredKind};
use entity::{extension_request, meeting, state};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::error::{Code, ServiceError};
use crate::rules::obligations::milestones::{self as rule, MeetingFacts};
use crate::rules::obligations::{Obligation, ObligationKind, ObligationStatus};

/// The default window, in months.
pub const DEFAULT_WITHIN_MONTHS: u32 = 36;

/// The widest window, in months: ten years, the longest a clearance deadline runs from entry
/// into force. A wider one is refused (INVALID_INPUT on `withinMonths`).
pub const MAX_WITHIN_MONTHS: u32 = 120;

/// One deadline ahead and what asking to extend it takes.
#[derive(Clone, Debug)]
pub struct Line {
    /// The State that owes it.
    pub state: Arc<state::Model>,
    /// The Article 3 or Article 4 obligation, with its deadline in force.
    pub obligation: Obligation,
    /// The last Meeting of States Parties or Review Conference opening on or before the
    /// deadline; None when none is recorded.
    pub deciding_meeting: Option<meeting::Model>,
    /// Nine calendar months before that meeting opens, never after the deadline.
    pub submit_by: Option<NaiveDate>,
    /// Days from today to `submit_by`; negative once passed.
    pub days_to_submit: Option<i64>,
    /// The request under way (DRAFT, SUBMITTED or UNDER_ANALYSIS) for this State and kind,
    /// when the viewer reads it.
    pub request: Option<extension_request::Model>,
}

/// Every recorded meeting as the rule sees it, ordered by opening day then ID (so that the
/// rule's tie between two meetings opening the same day is always the same one).
pub async fn meeting_facts(
    db: &impl ConnectionTrait,
) -> Result<(Vec<MeetingFacts<Uuid>>, HashMap<Uuid, meeting::Model>), DbErr> {
    let mut rows = meeting::Entity::find().all(db).await?;
    rows.sort_by_key(|m| (m.starts_on, m.id));
    let facts = rows
        .iter()
        .map(|m| MeetingFacts {
            key: m.id,
            decides_extensions: m.kind.decides_extensions(),
            opens_on: m.starts_on,
        })
        .collect();
    Ok((facts, rows.into_iter().map(|m| (m.id, m)).collect()))
}

/// The last day of a window of `months` from `today`; refuses a window outside
/// 0..=[`MAX_WITHIN_MONTHS`] with INVALID_INPUT on `withinMonths`.
pub fn window_end(today: NaiveDate, months: i64) -> Result<NaiveDate, ServiceError> {
    let refused = || {
        ServiceError::refused(
            Code::InvalidInput,
            &["withinMonths"],
            format!("`withinMonths` must lie between 0 and {MAX_WITHIN_MONTHS}."),
        )
    };
    let months = u32::try_from(months)
        .ok()
        .filter(|m| *m <= MAX_WITHIN_MONTHS)
        .ok_or_else(refused)?;
    today
        .checked_add_months(Months::new(months))
        .ok_or_else(refused)
}

/// The milestones of the deadlines due from `today` to `within_months` calendar months later
/// (both included), soonest `submit_by` first; lines without one last; then by deadline,
/// State code and kind. Signed-in users only; a window outside 0..=120 months is refused
/// with INVALID_INPUT on `withinMonths`.
pub async fn milestones(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    within_months: i64,
) -> Result<Vec<Line>, ServiceError> {
    viewer.require()?;
    window_end(today, within_months)?;
    let all = crate::domain::states::obligations::for_all(db, today).await?;
    milestones_among(db, viewer, today, within_months, &all).await
}

/// [`milestones`] among `all`, every State's obligations as of `today` already read
/// ([`crate::domain::states::obligations::for_all`]), for a caller that reads them anyway.
pub async fn milestones_among(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    within_months: i64,
    all: &[(Arc<state::Model>, Obligation)],
) -> Result<Vec<Line>, ServiceError> {
    viewer.require()?;
    let until = window_end(today, within_months)?;
    let due: Vec<(Arc<state::Model>, Obligation)> = all
        .iter()
        .filter(|(_, o)| {
            matches!(
                o.kind,
                ObligationKind::StockpileDestruction | ObligationKind::Clearance
            ) && o.status != ObligationStatus::Met
                && (today..=until).contains(&o.due_date)
        })
        .cloned()
        .collect();
    // Read whatever the lines: the reports that show milestones cost the same statements
    // for every State.
    let (facts, meetings) = meeting_facts(db).await?;
    let codes: Vec<String> = due.iter().map(|(s, _)| s.code.clone()).collect();
    let mut under_way: HashMap<(String, StoredKind), extension_request::Model> =
        extension_request::Entity::find()
            .filter(extension_request::Column::StateCode.is_in(codes))
            .filter(extension_request::Column::Status.is_in(ExtensionRequestStatus::UNDER_WAY))
            .filter(visibility::readable(viewer))
            .all(db)
            .await?
            .into_iter()
            .map(|r| ((r.state_code.clone(), r.kind), r))
            .collect();
    let mut lines: Vec<Line> = due
        .into_iter()
        .map(|(s, o)| {
            let m = rule::milestone(o.due_date, &facts, today);
            let request = under_way.remove(&(s.code.clone(), o.kind.into()));
            Line {
                deciding_meeting: m.deciding_meeting.and_then(|id| meetings.get(&id).cloned()),
                submit_by: m.submit_by,
                days_to_submit: m.days_to_submit,
                request,
                state: s,
                obligation: o,
            }
        })
        .collect();
    lines.sort_by(|a, b| order(a).cmp(&order(b)));
    Ok(lines)
}

/// The order of the lines: a `submit_by` first (soonest first), then the deadline, the
/// State's code and the kind.
fn order(l: &Line) -> (bool, Option<NaiveDate>, NaiveDate, &str, ObligationKind) {
    (
        l.submit_by.is_none(),
        l.submit_by,
        l.obligation.due_date,
        l.state.code.as_str(),
        l.obligation.kind,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_window_is_calendar_months_from_today_and_bounded() {
        let today = day(2026, 11, 30);
        let cases = [
            (0, Some(today)),
            (3, Some(day(2027, 2, 28))),
            (36, Some(day(2029, 11, 30))),
            (120, Some(day(2036, 11, 30))),
            (121, None),
            (-1, None),
            (i64::MAX, None),
        ];
        for (months, want) in cases {
            assert_eq!(window_end(today, months).ok(), want, "{months}");
        }
    }

    #[test]
    fn only_meetings_of_states_parties_and_review_conferences_decide() {
        use entity::enums::MeetingKind;
        assert!(MeetingKind::MeetingOfStatesParties.decides_extensions());
        assert!(MeetingKind::ReviewConference.decides_extensions());
        assert!(!MeetingKind::Intersessional.decides_extensions());
        assert!(!MeetingKind::CoordinationCommittee.decides_extensions());
        assert!(!MeetingKind::Other.decides_extensions());
    }
}
