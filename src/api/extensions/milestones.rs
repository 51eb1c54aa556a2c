//! `extensionMilestones(withinMonths:)` and its `ExtensionMilestone` type: a thin wrapper over
//! `domain::extensions::milestones`, which applies who reads which request. A window outside
//! 0 to 120 months is a malformed argument: a top-level `BAD_USER_INPUT` error, as
//! `upcomingDeadlines` answers a `withinDays` out of range. The list is one line per open
//! Article 3 or 4 deadline (a few dozen at most); it needs no cost annotation of its own, as
//! the cost model counts an unbounded list as 100 and `Objects` counts what it holds.

use async_graphql::{Context, Object};

use super::types::ExtensionRequest;
use crate::api::cost::Objects;
use crate::api::error::ApiError;
use crate::api::scalars::Date;
use crate::api::sponsorship::types::Meeting;
use crate::api::states::types::Obligation;
use crate::api::{app, viewer};
use crate::domain::extensions::milestones::{self, DEFAULT_WITHIN_MONTHS, Line};

/// An open Article 3 or Article 4 deadline, the meeting that would have to extend it, and the
/// day a request is due.
pub struct ExtensionMilestone(pub Line);

/// An open Article 3 or Article 4 deadline, the meeting that would have to extend it, and the
/// day a request is due.
#[Object]
impl ExtensionMilestone {
    /// The State's Article 3 or Article 4 obligation, with its deadline in force.
    async fn obligation(&self) -> Obligation {
        Obligation {
            state: self.0.state.clone(),
            inner: self.0.obligation.clone(),
        }
    }
    /// The last Meeting of States Parties or Review Conference that opens on or before the
    /// deadline; null when none is recorded.
    async fn deciding_meeting(&self) -> Option<Meeting> {
        self.0.deciding_meeting.clone().map(Meeting)
    }
    /// Nine calendar months before decidingMeeting opens, never after the deadline; null
    /// without a deciding meeting.
    async fn submit_by(&self) -> Option<Date> {
        self.0.submit_by.map(Date)
    }
    /// Days from today to submitBy; negative when it has passed.
    async fn days_to_submit(&self) -> Option<i32> {
        self.0.days_to_submit.and_then(|d| i32::try_from(d).ok())
    }
    /// The request under way for this deadline (not WITHDRAWN, not DECIDED), if any.
    async fn request(&self) -> Option<ExtensionRequest> {
        self.0.request.clone().map(ExtensionRequest)
    }
}

/// The root field `extensionMilestones`.
#[derive(Default)]
pub struct MilestonesQuery;

#[Object]
impl MilestonesQuery {
    /// Open Article 3 and 4 obligations falling due within withinMonths (default 36) of
    /// today, soonest submitBy first.
    async fn extension_milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The window, in months from today: 0 to 120; 36 if omitted.")]
        within_months: Option<i32>,
    ) -> async_graphql::Result<Objects<ExtensionMilestone>> {
        let app = app(ctx)?;
        let months = within_months.map_or(i64::from(DEFAULT_WITHIN_MONTHS), i64::from);
        let lines = milestones::milestones(&app.db, viewer(ctx), app.clock.today(), months)
            .await
            .map_err(ApiError::from)?;
        Ok(lines.into_iter().map(ExtensionMilestone).collect())
    }
}
