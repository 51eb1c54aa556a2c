//! Mutations of meetings and sponsorship applications: thin wrappers over the service.

use async_graphql::{Context, Object};

use super::types::{
    CreateMeetingInput, Meeting, MeetingPayload, SponsorshipApplication,
    SponsorshipApplicationInput, SponsorshipApplicationPayload, SponsorshipDecisionInput,
};
use crate::api::cooperation::types::WithdrawInput;
use crate::api::errors::respond;
use crate::api::{app, ids, viewer};
use crate::domain::sponsorship::service::{
    self, Decision, NewApplication, NewDelegate, NewMeeting,
};

#[derive(Default)]
pub struct SponsorshipMutation;

#[Object]
impl SponsorshipMutation {
    /// Creates a meeting, with its sponsorship budget and daily allowance. ISU staff.
    async fn create_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting, its budget and daily allowance.")] input: CreateMeetingInput,
    ) -> async_graphql::Result<MeetingPayload> {
        let new = NewMeeting {
            kind: input.kind.into(),
            title: input.title,
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.0,
            venue: input.venue,
            application_deadline: input.application_deadline.map(|d| d.0),
            budget: input.sponsorship_budget.map(Into::into),
            dsa: input.daily_subsistence_allowance.map(Into::into),
        };
        respond(service::create_meeting(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Applies for sponsorship of one delegate. A delegation for its own State; ISU staff
    /// for any State. Closed after the application deadline.
    async fn apply_for_sponsorship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting, the State, the delegate and the costs.")]
        input: SponsorshipApplicationInput,
    ) -> async_graphql::Result<SponsorshipApplicationPayload> {
        let app = app(ctx)?;
        let new = NewApplication {
            meeting_id: ids::key::<Meeting>(&input.meeting_id),
            state_code: input.state_code,
            delegate: NewDelegate {
                full_name: input.delegate.full_name,
                gender: input.delegate.gender.into(),
                position: input.delegate.position,
                email: input.delegate.email,
            },
            travel: input.requested_travel.into(),
            days: input.requested_days,
            justification: input.justification,
        };
        respond(
            service::apply(
                &app.db,
                &app.sponsorship,
                viewer(ctx),
                new,
                app.clock.today(),
            )
            .await,
        )
    }

    /// Records the ISU's decision: UNDER_REVIEW, APPROVED (within the remaining budget),
    /// WAITLISTED or REJECTED. ISU staff.
    async fn decide_sponsorship_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application and the decision.")] input: SponsorshipDecisionInput,
    ) -> async_graphql::Result<SponsorshipApplicationPayload> {
        let app = app(ctx)?;
        let decision = Decision {
            application_id: ids::key::<SponsorshipApplication>(&input.application_id),
            decision: input.decision.into(),
            approved: input.approved_amount.map(Into::into),
            note: input.note,
        };
        respond(
            service::decide(
                &app.db,
                &app.sponsorship,
                &app.notifications,
                viewer(ctx),
                decision,
                app.clock.today(),
            )
            .await,
        )
    }

    /// By the applicant's delegation or the ISU; an approved amount returns to the budget.
    async fn withdraw_sponsorship_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application to withdraw.")] input: WithdrawInput,
    ) -> async_graphql::Result<SponsorshipApplicationPayload> {
        let app = app(ctx)?;
        respond(
            service::withdraw(
                &app.db,
                &app.sponsorship,
                viewer(ctx),
                ids::key::<SponsorshipApplication>(&input.id),
                app.clock.today(),
            )
            .await,
        )
    }
}
