//! GraphQL types of meetings and the Sponsorship Programme.

use crate::api::cost::Objects;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::meeting;

use crate::api::enums::RegionalGroup;
use crate::api::error::ApiError;
use crate::api::errors::payload;
use crate::api::money::{Money, MoneyInput};
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::scalars::{Date, DateTime};
use crate::api::states::types::StateParty;
use crate::api::{app, ids, viewer};
use crate::domain::sponsorship::service::{self, Application, Stats, SuggestionResult};
use crate::kernel::money::from_cents;

/// What kind of meeting.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::MeetingKind")]
pub enum MeetingKind {
    /// The annual Meeting of States Parties (MSP).
    MeetingOfStatesParties,
    /// Held every five years or more.
    ReviewConference,
    /// An intersessional meeting, between Meetings of States Parties.
    Intersessional,
    /// The monthly Coordination Committee.
    CoordinationCommittee,
    /// Any other meeting.
    Other,
}

/// As the delegate states it.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::Gender")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Another gender.
    Other,
    /// Not disclosed.
    Undisclosed,
}

/// SUBMITTED → UNDER_REVIEW → APPROVED, WAITLISTED or REJECTED (a waitlisted application
/// may be reviewed again); the applicant may withdraw any application not yet rejected.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ApplicationStatus")]
pub enum ApplicationStatus {
    /// Received; not yet reviewed.
    Submitted,
    /// Being reviewed by the ISU.
    UnderReview,
    /// Its approved amount counts against the meeting's budget.
    Approved,
    /// Waiting for funds: may be reviewed again, approved or rejected later.
    Waitlisted,
    /// Refused by the ISU; final.
    Rejected,
    /// By the applicant; an approved amount returned to the budget.
    Withdrawn,
}

fn money(cents: i64, currency: &str) -> Money {
    Money::new(from_cents(cents), currency)
}

/// A meeting of the Convention. Anyone may read it; its sponsorship figures need a login,
/// and its applications follow the privacy rules of the programme.
pub struct Meeting(pub meeting::Model);

impl ids::Kind for Meeting {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl Meeting {
    pub const KIND: &'static str = "Meeting";
}

/// A meeting of the Convention. Anyone may read it; its sponsorship figures need a login,
/// and its applications follow the privacy rules of the programme.
#[Object]
impl Meeting {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// What kind of meeting it is.
    async fn kind(&self) -> MeetingKind {
        self.0.kind.into()
    }
    /// The meeting's name, e.g. "Thirteenth Meeting of States Parties".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The meeting's first day.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// The meeting's last day.
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// The meeting's documents you may read, oldest first.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Only documents of this kind.")] kind: Option<
            crate::api::records::types::DocumentKind,
        >,
    ) -> async_graphql::Result<
        crate::api::pagination::Conn<crate::api::records::types::MeetingDocument>,
    > {
        crate::api::records::query::documents_page(ctx, self.0.id, kind, first, after).await
    }
    /// The meeting's decisions, recommendations and conclusions you may read, oldest first.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn decisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<crate::api::pagination::Conn<crate::api::records::types::Decision>>
    {
        crate::api::records::query::decisions_page(ctx, None, Some(self.0.id), first, after).await
    }
    /// Requests this meeting is asked to decide, that you may read, oldest first.
    async fn extension_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<
        crate::api::cost::Objects<crate::api::extensions::types::ExtensionRequest>,
    > {
        Ok(crate::api::loaders::loaders(ctx)?
            .load_one(crate::api::loaders::RequestsOfMeeting(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(crate::api::extensions::types::ExtensionRequest)
            .collect())
    }
    /// The follow-up table of the meeting's decisions you may read.
    async fn implementation_summary(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::api::records::types::ImplementationSummary> {
        crate::api::records::query::summary(ctx, None, Some(self.0.id)).await
    }
    /// Where it is held, e.g. "Geneva".
    async fn venue(&self) -> Option<&str> {
        self.0.venue.as_deref()
    }
    /// Last day on which applications for sponsorship are accepted. Without one,
    /// applications close when the meeting begins.
    async fn application_deadline(&self) -> Option<Date> {
        self.0.application_deadline.map(Date)
    }
    /// The Sponsorship Programme's budget for the meeting. Null when the meeting has no
    /// sponsorship programme, or you are not logged in.
    async fn sponsorship_budget(&self, ctx: &Context<'_>) -> Option<Money> {
        viewer(ctx).principal()?;
        Some(money(
            self.0.sponsorship_budget_cents?,
            self.0.currency.as_deref()?,
        ))
    }
    /// Daily subsistence allowance per delegate; null as for the budget.
    async fn daily_subsistence_allowance(&self, ctx: &Context<'_>) -> Option<Money> {
        viewer(ctx).principal()?;
        Some(money(self.0.dsa_cents?, self.0.currency.as_deref()?))
    }
    /// Sum of approved amounts, in the budget's currency (the base currency without a
    /// budget). For logged-in users.
    async fn sponsorship_committed(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        let f = service::figures(viewer(ctx), &self.0, &app(ctx)?.cooperation.base_currency)
            .map_err(ApiError::from)?;
        Ok(money(f.committed, &f.currency))
    }
    /// Budget minus committed: what further approvals may use. For logged-in users.
    async fn sponsorship_remaining(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        let f = service::figures(viewer(ctx), &self.0, &app(ctx)?.cooperation.base_currency)
            .map_err(ApiError::from)?;
        Ok(money(f.remaining, &f.currency))
    }
    /// Applications you may see, oldest first: all for the ISU, your State's for a
    /// delegation, none for others (coordinators see statistics only).
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "With any of these statuses.", validator(max_items = 100))] status: Option<
            Vec<ApplicationStatus>,
        >,
    ) -> async_graphql::Result<Conn<SponsorshipApplication>> {
        let page = page_request(first, after)?;
        let key = crate::api::loaders::ApplicationsOf(
            crate::api::loaders::ByRow(Arc::new(self.0.clone()), self.0.id),
            status.map(|s| s.into_iter().map(Into::into).collect()),
            page,
        );
        let page = crate::api::loaders::loaders(ctx)?
            .load_one(key)
            .await?
            .unwrap_or_else(crate::kernel::pagination::Page::empty);
        Ok(connection(
            page,
            |a| a.row.id.to_string(),
            SponsorshipApplication,
        ))
    }
    /// Balance of the approved delegates, without personal data. ISU staff and
    /// coordinators.
    async fn sponsorship_stats(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<SponsorshipStats> {
        crate::api::loaders::loaders(ctx)?
            .load_one(crate::api::loaders::StatsOf(self.0.id))
            .await?
            .map(SponsorshipStats::from)
            .ok_or_else(|| ApiError::Internal("no statistics for a meeting".into()).into())
    }
    /// Which pending eligible applications to approve next, within the remaining budget.
    /// ISU staff. The objective is in the README ("Sponsorship suggestion").
    async fn sponsorship_suggestion(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<SponsorshipSuggestion> {
        let app = app(ctx)?;
        Ok(SponsorshipSuggestion(
            service::suggestion(
                &app.db,
                &app.sponsorship,
                viewer(ctx),
                &Arc::new(self.0.clone()),
                &app.cooperation.base_currency,
                app.clock.today(),
            )
            .await
            .map_err(ApiError::from)?,
        ))
    }
}

/// The delegate an application is for. Personal data: only the ISU and the delegate's own
/// State see applications at all.
#[derive(SimpleObject)]
pub struct Delegate {
    /// The delegate's full name.
    pub full_name: String,
    /// The delegate's gender.
    pub gender: Gender,
    /// The delegate's position, e.g. in a ministry.
    pub position: Option<String>,
    /// The delegate's email address.
    pub email: Option<String>,
}

/// An application for sponsorship of one delegate to one meeting.
pub struct SponsorshipApplication(pub Application);

impl ids::Kind for SponsorshipApplication {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl SponsorshipApplication {
    pub const KIND: &'static str = "SponsorshipApplication";
}

/// An application for sponsorship of one delegate to one meeting. Visible to the ISU and
/// to the delegation of the delegate's State.
#[Object]
impl SponsorshipApplication {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.row.id)
    }
    /// The meeting the delegate would attend.
    async fn meeting(&self) -> Meeting {
        Meeting((*self.0.meeting).clone())
    }
    /// The State the delegate represents.
    async fn state(&self) -> StateParty {
        StateParty((*self.0.state).clone())
    }
    /// Who would be sponsored.
    async fn delegate(&self) -> Delegate {
        let r = &self.0.row;
        Delegate {
            full_name: r.delegate_name.clone(),
            gender: r.delegate_gender.into(),
            position: r.delegate_position.clone(),
            email: r.delegate_email.clone(),
        }
    }
    /// Where the application stands.
    async fn status(&self) -> ApplicationStatus {
        self.0.row.status.into()
    }
    /// The travel cost asked for, in the meeting's currency.
    async fn requested_travel(&self) -> Money {
        money(self.0.row.travel_cents, self.0.currency())
    }
    /// Days of allowance asked for: the meeting's days and up to two days of travel.
    async fn requested_days(&self) -> i32 {
        self.0.row.requested_days
    }
    /// requestedTravel plus requestedDays times the meeting's daily allowance.
    async fn requested_total(&self) -> Money {
        money(self.0.requested_total_cents(), self.0.currency())
    }
    /// What the ISU approved; null unless APPROVED.
    async fn approved_amount(&self) -> Option<Money> {
        Some(money(self.0.row.approved_cents?, self.0.currency()))
    }
    /// Under the configured policy, assessed on today's registry and obligations.
    async fn eligible(&self) -> bool {
        self.0.eligibility.eligible
    }
    /// One sentence per criterion, met or not, then the verdict.
    async fn eligibility_reasons(&self) -> &[String] {
        &self.0.eligibility.reasons
    }
    /// Why the delegate should be sponsored, in the applicant's words.
    async fn justification(&self) -> Option<&str> {
        self.0.row.justification.as_deref()
    }
    /// When the application was made.
    async fn submitted_at(&self) -> DateTime {
        DateTime(self.0.row.submitted_at)
    }
    /// When the ISU last decided on it.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.row.decided_at.map(DateTime)
    }
    /// The ISU's note on its latest decision that gave one.
    async fn decision_note(&self) -> Option<&str> {
        self.0.row.decision_note.as_deref()
    }
}

/// How many approved delegates have one gender.
#[derive(SimpleObject)]
pub struct GenderCount {
    /// The gender.
    pub gender: Gender,
    /// How many approved delegates have it.
    pub count: i32,
}

/// How many approved delegates come from one regional group.
#[derive(SimpleObject)]
pub struct RegionCount {
    /// The regional group.
    pub regional_group: RegionalGroup,
    /// How many approved delegates come from its States.
    pub count: i32,
}

/// Figures over a meeting's applications; no personal data.
#[derive(SimpleObject)]
pub struct SponsorshipStats {
    /// Applications received, whatever their status.
    pub applications: i32,
    /// Applications approved.
    pub approved: i32,
    /// Share of women among approved delegates, 0 to 1; 0 when none is approved.
    pub female_share_approved: f64,
    /// Approved delegates by gender; every gender is listed.
    pub by_gender: Vec<GenderCount>,
    /// Approved delegates by regional group; every group is listed.
    pub by_regional_group: Vec<RegionCount>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<Stats> for SponsorshipStats {
    fn from(s: Stats) -> Self {
        Self {
            applications: count(s.applications),
            approved: count(s.approved),
            female_share_approved: s.female_share_approved,
            by_gender: s
                .by_gender
                .into_iter()
                .map(|(g, n)| GenderCount {
                    gender: g.into(),
                    count: count(n),
                })
                .collect(),
            by_regional_group: s
                .by_region
                .into_iter()
                .map(|(g, n)| RegionCount {
                    regional_group: g.into(),
                    count: count(n),
                })
                .collect(),
        }
    }
}

/// A proposed selection of pending applications that fits the remaining budget.
pub struct SponsorshipSuggestion(pub SuggestionResult);

/// A proposed selection of pending applications that fits the remaining budget.
#[Object]
impl SponsorshipSuggestion {
    /// Pending eligible applications to approve at their requested totals, oldest first.
    async fn applications(&self) -> Objects<SponsorshipApplication> {
        self.0
            .applications
            .iter()
            .cloned()
            .map(SponsorshipApplication)
            .collect()
    }
    /// Sum of their requested totals; never more than the remaining budget.
    async fn total(&self) -> Money {
        money(self.0.total_cents, &self.0.currency)
    }
    /// Share of women among approved and suggested delegates together, 0 to 1: the balance
    /// the meeting would have if the suggestion were followed.
    async fn female_share(&self) -> f64 {
        self.0.female_share
    }
    /// Regional groups among approved and suggested delegates together.
    async fn regional_groups_covered(&self) -> i32 {
        count(self.0.regional_groups_covered)
    }
    /// True when the search proved no better selection exists (it always does at the sizes
    /// meetings have; a search cut short by its limit says false).
    async fn proven_optimal(&self) -> bool {
        self.0.proven_optimal
    }
}

/// Narrows `meetings`; the filters given combine.
#[derive(InputObject, Default)]
pub struct MeetingFilter {
    /// Meetings of this kind.
    pub kind: Option<MeetingKind>,
    /// Meetings that start in this year.
    pub year: Option<i32>,
}

/// A new meeting, for `createMeeting`.
#[derive(InputObject)]
pub struct CreateMeetingInput {
    /// What kind of meeting it is.
    pub kind: MeetingKind,
    /// The meeting's name; 1 to 200 characters.
    pub title: String,
    /// The meeting's first day.
    pub starts_on: Date,
    /// The meeting's last day: on or after `startsOn`.
    pub ends_on: Date,
    /// Where it is held; at most 200 characters.
    pub venue: Option<String>,
    /// Last day of applications for sponsorship: on or before `startsOn`.
    pub application_deadline: Option<Date>,
    /// ≥ 0. Without one the meeting has no sponsorship programme.
    pub sponsorship_budget: Option<MoneyInput>,
    /// ≥ 0, in the budget's currency; 0 when omitted.
    pub daily_subsistence_allowance: Option<MoneyInput>,
}

payload!(MeetingPayload, meeting, Meeting, meeting::Model);

/// The delegate to sponsor.
#[derive(InputObject)]
pub struct DelegateInput {
    /// The delegate's full name; 1 to 200 characters.
    pub full_name: String,
    /// The delegate's gender, as the delegate states it.
    pub gender: Gender,
    /// The delegate's position, e.g. in a ministry; at most 200 characters.
    pub position: Option<String>,
    /// The delegate's email address.
    pub email: Option<String>,
}

/// An application for sponsorship, for `applyForSponsorship`.
#[derive(InputObject)]
pub struct SponsorshipApplicationInput {
    /// Global ID of a meeting with a sponsorship programme, still open for applications.
    pub meeting_id: ID,
    /// ISO alpha-3 of the State the delegate represents.
    pub state_code: String,
    /// Who would be sponsored.
    pub delegate: DelegateInput,
    /// ≥ 0, in the meeting's currency.
    pub requested_travel: MoneyInput,
    /// 0 to the meeting's days plus two days of travel.
    pub requested_days: i32,
    /// Why the delegate should be sponsored; at most 10 000 characters.
    pub justification: Option<String>,
}

/// The ISU's decision on an application, for `decideSponsorshipApplication`.
#[derive(InputObject)]
pub struct SponsorshipDecisionInput {
    /// Global ID of the application.
    pub application_id: ID,
    /// UNDER_REVIEW, APPROVED, WAITLISTED or REJECTED.
    pub decision: ApplicationStatus,
    /// APPROVED only: at most the requested total; defaults to it.
    pub approved_amount: Option<MoneyInput>,
    /// Kept with the decision; required to approve an ineligible application.
    pub note: Option<String>,
}

payload!(
    SponsorshipApplicationPayload,
    application,
    SponsorshipApplication,
    Application
);
