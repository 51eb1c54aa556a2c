//! The analysis and the decision: `askAnalysisQuestion`, `answerAnalysisQuestion`,
//! `decideExtensionRequest`. Thin wrappers over `domain::extensions::analysis`: IDs are
//! decoded here (a malformed one is NOT_FOUND on its field), everything else is the
//! service's.

use async_graphql::{Context, Object};

use super::types::{
    AnswerAnalysisQuestionInput, AskAnalysisQuestionInput, DecideExtensionRequestInput,
    ExtensionRequest, ExtensionRequestPayload,
};
use crate::api::errors::{not_found, respond};
use crate::api::records::types::Decision;
use crate::api::{app, ids, viewer};
use crate::domain::extensions::analysis;

/// The analysis group's questions, the State's answers and the meeting's decision.
#[derive(Default)]
pub struct AnalysisMutation;

#[Object]
impl AnalysisMutation {
    /// Records a question of the analysis group. ISU staff.
    async fn ask_analysis_question(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, the question and the day it was asked.")]
        input: AskAnalysisQuestionInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(id) = ids::key::<ExtensionRequest>(&input.request_id) else {
            return respond(Err(not_found("requestId", "extension request")));
        };
        let app = app(ctx)?;
        respond(
            analysis::ask(
                &app.db,
                viewer(ctx),
                app.clock.today(),
                id,
                input.question,
                input.asked_on.0,
            )
            .await,
        )
    }

    /// Records the State's answer. The State's delegation or ISU staff.
    async fn answer_analysis_question(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, the question's number and the answer.")]
        input: AnswerAnalysisQuestionInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(id) = ids::key::<ExtensionRequest>(&input.request_id) else {
            return respond(Err(not_found("requestId", "extension request")));
        };
        let app = app(ctx)?;
        respond(
            analysis::answer(
                &app.db,
                viewer(ctx),
                app.clock.today(),
                id,
                input.number,
                input.answer,
            )
            .await,
        )
    }

    /// Records the meeting's decision. ISU staff.
    async fn decide_extension_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, its version and the decision.")]
        input: DecideExtensionRequestInput,
    ) -> async_graphql::Result<ExtensionRequestPayload> {
        let Some(id) = ids::key::<ExtensionRequest>(&input.id) else {
            return respond(Err(not_found("id", "extension request")));
        };
        let decision_id = match &input.decision_id {
            None => None,
            Some(d) => match ids::key::<Decision>(d) {
                Some(d) => Some(d),
                None => return respond(Err(not_found("decisionId", "decision"))),
            },
        };
        let app = app(ctx)?;
        respond(
            analysis::decide(
                &app.db,
                viewer(ctx),
                app.clock.today(),
                analysis::Decision {
                    id,
                    expected_version: input.expected_version,
                    outcome: input.outcome.into(),
                    granted_deadline: input.granted_deadline.map(|d| d.0),
                    decided_on: input.decided_on.0,
                    decision_id,
                },
            )
            .await,
        )
    }
}
