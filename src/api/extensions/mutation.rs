//! The State's delegation's and ISU staff's writes: `openExtensionRequest`,
//! `updateExtensionRequest`, `submitExtensionRequest`, `withdrawExtensionRequest`. Each
//! decodes its IDs (a malformed one is NOT_FOUND on its field) and calls one service of
//! `domain::extensions::lifecycle`.

use async_graphql::{Context, Object};

use super::types::{
    ExtensionRequest, ExtensionRequestPayload, OpenExtensionRequestInput,
    SubmitExtensionRequestInput, UpdateExtensionRequestInput, WithdrawExtensionRequestInput,
};
use crate::api::errors::{not_found, respond};
use crate::api::records::types::MeetingDocument;
use crate::api::sponsorship::types::Meeting;
use crate::api::{app, ids, viewer};
use crate::domain::extensions::lifecycle::{self, ElementText, OpenRequest, RequestUpdate};
use crate::kernel::error::{Code, ServiceError};
use crate::rules::obligations;

#[derive(Default)]
pub struct ExtensionsMutation;

#[Object]
impl ExtensionsMutation {
    /// Opens a request as a DRAFT. The State's delegation or ISU staff.
    async fn open_extension_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The State, the obligation, the deadline asked for and the meeting.")]
        input: OpenExtensionRequestInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(meeting_id) = ids::key::<Meeting>(&input.meeting_id) else {
            return respond(Err(not_found("meetingId", "meeting")));
        };
        let app = app(ctx)?;
        let open = OpenRequest {
            state_code: input.state_code,
            kind: obligations::ObligationKind::from(input.kind).into(),
            requested_deadline: input.requested_deadline.0,
            meeting_id,
        };
        respond(lifecycle::open(&app.db, viewer(ctx), app.clock.today(), open).await)
    }

    /// Changes a request. The State's delegation or ISU staff.
    async fn update_extension_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, its version and what changes.")]
        input: UpdateExtensionRequestInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(id) = ids::key::<ExtensionRequest>(&input.id) else {
            return respond(Err(not_found("id", "extension request")));
        };
        let meeting_id = match &input.meeting_id {
            Some(m) => match ids::key::<Meeting>(m) {
                Some(k) => Some(k),
                None => return respond(Err(not_found("meetingId", "meeting"))),
            },
            None => None,
        };
        let document_ids = match &input.document_ids {
            Some(list) => {
                let mut keys = Vec::with_capacity(list.len());
                for (i, d) in list.iter().enumerate() {
                    match ids::key::<MeetingDocument>(d) {
                        Some(k) => keys.push(k),
                        None => {
                            return respond(Err(ServiceError::refused(
                                Code::NotFound,
                                &["input", "documentIds", &i.to_string()],
                                "No such meeting document.",
                            )));
                        }
                    }
                }
                Some(keys)
            }
            None => None,
        };
        let change = RequestUpdate {
            id,
            expected_version: input.expected_version,
            requested_deadline: input.requested_deadline.map(|d| d.0),
            meeting_id,
            elements: input.elements.map(|list| {
                list.into_iter()
                    .map(|e| ElementText {
                        provision: e.provision,
                        text: e.text,
                    })
                    .collect()
            }),
            document_ids,
        };
        let app = app(ctx)?;
        respond(lifecycle::update(&app.db, viewer(ctx), app.clock.today(), change).await)
    }

    /// Submits a complete request to the States parties. The State's delegation or ISU staff.
    async fn submit_extension_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request and its version.")] input: SubmitExtensionRequestInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(id) = ids::key::<ExtensionRequest>(&input.id) else {
            return respond(Err(not_found("id", "extension request")));
        };
        let app = app(ctx)?;
        respond(
            lifecycle::submit(
                &app.db,
                viewer(ctx),
                app.clock.today(),
                id,
                input.expected_version,
            )
            .await,
        )
    }

    /// Withdraws a request before the decision. The State's delegation or ISU staff.
    async fn withdraw_extension_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, its version and why.")] input: WithdrawExtensionRequestInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(id) = ids::key::<ExtensionRequest>(&input.id) else {
            return respond(Err(not_found("id", "extension request")));
        };
        let app = app(ctx)?;
        respond(
            lifecycle::withdraw(
                &app.db,
                viewer(ctx),
                app.clock.today(),
                id,
                input.expected_version,
                input.reason,
            )
            .await,
        )
    }
}
