//! Writes of meetings' records: thin wrappers over [`crate::domain::records`].

use async_graphql::{Context, Object};

use super::types::{
    AddMeetingDocumentInput, Decision, DecisionPayload, MeetingDocument, MeetingDocumentPayload,
    RecordDecisionInput, UpdateDecisionStatusInput,
};
use crate::api::errors::{not_found, respond};
use crate::api::sponsorship::types::Meeting;
use crate::api::{app, ids, viewer};
use crate::domain::records::decisions::{self, NewDecision, StatusChange};
use crate::domain::records::documents::{self, NewDocument};

#[derive(Default)]
pub struct RecordsMutation;

#[Object]
impl RecordsMutation {
    /// Records a document of a meeting (its file is uploaded to `downloadPath` with PUT).
    /// ISU staff.
    async fn add_meeting_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document's record.")] input: AddMeetingDocumentInput,
    ) -> async_graphql::Result<MeetingDocumentPayload> {
        let app = app(ctx)?;
        let Some(meeting_id) = ids::key::<Meeting>(&input.meeting_id) else {
            return respond(Err(not_found("meetingId", "meeting")));
        };
        let new = NewDocument {
            meeting_id,
            kind: input.kind.into(),
            symbol: input.symbol,
            title: input.title,
            language: input.language.into(),
            published_on: input.published_on.map(|d| d.0),
            access: input.access.into(),
            submitted_by: input.submitted_by_state_code,
            text: input.text,
        };
        respond(documents::add(&app.db, viewer(ctx), new).await)
    }

    /// Records a decision, recommendation or conclusion of a meeting; the one it supersedes
    /// becomes SUPERSEDED at once. ISU staff.
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision.")] input: RecordDecisionInput,
    ) -> async_graphql::Result<DecisionPayload> {
        let app = app(ctx)?;
        let Some(meeting_id) = ids::key::<Meeting>(&input.meeting_id) else {
            return respond(Err(not_found("meetingId", "meeting")));
        };
        let supersedes = match &input.supersedes_id {
            Some(id) => match ids::key::<Decision>(id) {
                Some(k) => Some(k),
                None => return respond(Err(not_found("supersedesId", "decision"))),
            },
            None => None,
        };
        let new = NewDecision {
            meeting_id,
            kind: input.kind.into(),
            reference: input.reference,
            text: input.text,
            access: input.access.into(),
            responsible: input.responsible,
            responsible_state: input.responsible_state_code,
            due_on: input.due_on.map(|d| d.0),
            management_response: input.management_response,
            action_plan_actions: input.action_plan_actions.unwrap_or_default(),
            supersedes,
        };
        respond(decisions::record(&app.db, viewer(ctx), new).await)
    }

    /// A step of a decision's follow-up: its status (or the same, with a comment or
    /// evidence), and optionally a new management response or due date. ISU staff; out of
    /// IMPLEMENTED, NOT_ACCEPTED or SUPERSEDED, administrators only.
    async fn update_decision_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision, the version you saw and the change.")]
        input: UpdateDecisionStatusInput,
    ) -> async_graphql::Result<DecisionPayload> {
        let app = app(ctx)?;
        let Some(id) = ids::key::<Decision>(&input.id) else {
            return respond(Err(not_found("id", "decision")));
        };
        let evidence = match &input.evidence_document_id {
            Some(d) => match ids::key::<MeetingDocument>(d) {
                Some(k) => Some(k),
                None => return respond(Err(not_found("evidenceDocumentId", "document"))),
            },
            None => None,
        };
        let change = StatusChange {
            id,
            status: input.status.into(),
            expected_version: input.expected_version,
            comment: input.comment,
            evidence,
            management_response: input.management_response,
            due_on: input.due_on.map(|d| d.0),
        };
        respond(decisions::update_status(&app.db, viewer(ctx), change).await)
    }
}
