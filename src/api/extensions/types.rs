//! GraphQL types of extension requests: `ExtensionRequest` with its elements and questions,
//! the filter, the inputs and the payload. Who reads a request is
//! `domain::extensions::visibility`'s rule, applied by the services and loaders before a row
//! reaches these types; nested rows come through loaders that apply it again.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::{extension_request, extension_request_question};

use crate::api::cost::Objects;
use crate::api::error::ApiError;
use crate::api::ids;
use crate::api::loaders::{
    ById, Decisions, ElementsOf, Extensions, Meetings, QuestionsOf, RequestDocuments, Requests,
    loaders,
};
use crate::api::records::types::{Decision, MeetingDocument};
use crate::api::scalars::{Date, DateTime};
use crate::api::sponsorship::types::Meeting;
use crate::api::states::types::{DeadlineExtension, ObligationKind, StateParty};
use crate::domain::extensions::service;
use crate::rules::obligations::{self, milestones};

/// Where an extension request is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ExtensionRequestStatus")]
pub enum ExtensionRequestStatus {
    /// Being prepared by the State's delegation with the ISU; visible to them only.
    Draft,
    /// Submitted to the States parties; readable by every signed-in user.
    Submitted,
    /// Being examined by the analysis group.
    UnderAnalysis,
    /// The meeting has decided it; see outcome.
    Decided,
    /// Withdrawn by the State before a decision.
    Withdrawn,
}

/// What the meeting decided.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ExtensionOutcome")]
pub enum ExtensionOutcome {
    /// Granted as requested.
    Granted,
    /// Granted for a shorter period than requested (Article 3(5), Article 4(7)).
    GrantedShorter,
    /// Refused: the deadline in force stays.
    Refused,
}

/// One element the article requires a request to set out, and this request's text for it.
#[derive(SimpleObject)]
pub struct ExtensionRequestElement {
    /// The provision, e.g. "Article 4(6)(d)".
    pub provision: String,
    /// What the provision asks for, in one line.
    pub requirement: String,
    /// The request's text for it; null while missing.
    pub text: Option<String>,
    /// The request has text for it.
    pub provided: bool,
}

impl From<service::Element> for ExtensionRequestElement {
    fn from(e: service::Element) -> Self {
        Self {
            provision: e.provision.to_owned(),
            requirement: e.requirement.to_owned(),
            provided: e.text.is_some(),
            text: e.text,
        }
    }
}

/// A question of the analysis group to the requesting State, and the State's answer.
pub struct AnalysisQuestion(pub extension_request_question::Model);

/// A question of the analysis group to the requesting State, and the State's answer.
#[Object]
impl AnalysisQuestion {
    /// Position in the request's list, from 1.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// The day the analysis group asked it.
    async fn asked_on(&self) -> Date {
        Date(self.0.asked_on)
    }
    /// The question, as the analysis group put it.
    async fn question(&self) -> &str {
        &self.0.question
    }
    /// The State's answer; null until it answers.
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    /// The day of the latest answer.
    async fn answered_on(&self) -> Option<Date> {
        self.0.answered_on.map(Date)
    }
}

/// A request to extend an Article 3 or Article 4 deadline.
pub struct ExtensionRequest(pub extension_request::Model);

impl ids::Kind for ExtensionRequest {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl ExtensionRequest {
    pub const KIND: &'static str = "ExtensionRequest";

    async fn meeting_row(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<entity::meeting::Model> {
        loaders(ctx)?
            .load_one(ById::<Meetings>::new(self.0.meeting_id))
            .await?
            .ok_or_else(|| {
                ApiError::Internal("an extension request without its meeting".into()).into()
            })
    }

    async fn element_list(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<service::Element>> {
        let rows = loaders(ctx)?
            .load_one(ElementsOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(service::elements(&self.0, &rows))
    }
}

/// A State's request for more time to destroy its stockpiles (Article 3) or clear its land
/// (Article 4), from the first draft to the meeting's decision. Drafts are read by the
/// State's delegation and ISU staff; submitted requests by every signed-in user.
#[Object]
impl ExtensionRequest {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The requesting State.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        loaders(ctx)?
            .state(&self.0.state_code)
            .await?
            .map(StateParty)
            .ok_or_else(|| {
                ApiError::Internal("an extension request without its State".into()).into()
            })
    }
    /// STOCKPILE_DESTRUCTION (Article 3) or CLEARANCE (Article 4).
    async fn kind(&self) -> ObligationKind {
        obligations::ObligationKind::from(self.0.kind).into()
    }
    /// The deadline in force when the request was opened.
    async fn current_deadline(&self) -> Date {
        Date(self.0.current_deadline)
    }
    /// The deadline the State asks for.
    async fn requested_deadline(&self) -> Date {
        Date(self.0.requested_deadline)
    }
    /// Whole calendar months from currentDeadline to requestedDeadline.
    async fn requested_months(&self) -> i32 {
        let months =
            milestones::requested_months(self.0.current_deadline, self.0.requested_deadline);
        i32::try_from(months).unwrap_or(i32::MAX)
    }
    /// The longest single extension the article allows, in months: 48 (Article 3) or 60
    /// (Article 4).
    async fn maximum_months(&self) -> i32 {
        milestones::maximum_months(self.0.kind.into())
            .and_then(|m| i32::try_from(m).ok())
            .unwrap_or(0)
    }
    /// The Meeting of States Parties or Review Conference asked to decide it.
    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Meeting> {
        Ok(Meeting(self.meeting_row(ctx).await?))
    }
    /// The latest day to submit it: nine calendar months before the meeting opens, and
    /// never after currentDeadline.
    async fn submit_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Date> {
        Ok(Date(service::submit_by(
            &self.0,
            &self.meeting_row(ctx).await?,
        )))
    }
    /// The day it was submitted; null while a draft.
    async fn submitted_on(&self) -> Option<Date> {
        self.0.submitted_on.map(Date)
    }
    /// Submitted after submitBy (the meeting may still consider it).
    async fn late(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        if self.0.submitted_on.is_none() {
            return Ok(false);
        }
        Ok(service::late(&self.0, &self.meeting_row(ctx).await?))
    }
    /// Where the request is, from DRAFT to DECIDED or WITHDRAWN.
    async fn status(&self) -> ExtensionRequestStatus {
        self.0.status.into()
    }
    /// Article 3(4)(a)-(f) or Article 4(6)(a)-(i), in that order.
    async fn elements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<ExtensionRequestElement>> {
        Ok(self
            .element_list(ctx)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// Every element is provided.
    async fn complete(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(service::missing(&self.element_list(ctx).await?).is_empty())
    }
    /// In the order asked.
    async fn questions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<AnalysisQuestion>> {
        Ok(loaders(ctx)?
            .load_one(QuestionsOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(AnalysisQuestion)
            .collect())
    }
    /// The request, its annexes, the analysis group's report: those you may read.
    async fn documents(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<MeetingDocument>> {
        Ok(loaders(ctx)?
            .load_one(RequestDocuments(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MeetingDocument)
            .collect())
    }
    /// What the meeting decided; null before the decision.
    async fn outcome(&self) -> Option<ExtensionOutcome> {
        self.0.outcome.map(Into::into)
    }
    /// The deadline the meeting granted; null unless GRANTED or GRANTED_SHORTER.
    async fn granted_deadline(&self) -> Option<Date> {
        self.0.granted_deadline.map(Date)
    }
    /// The day the meeting decided it.
    async fn decided_on(&self) -> Option<Date> {
        self.0.decided_on.map(Date)
    }
    /// The meeting's decision on it, in the meetings' records, when you may read it.
    async fn decision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decision>> {
        let Some(id) = self.0.decision_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Decisions>::new(id))
            .await?
            .map(Decision))
    }
    /// The extension that the decision granted; it moves the obligation's due date.
    async fn extension(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DeadlineExtension>> {
        let Some(id) = self.0.extension_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Extensions>::new(id))
            .await?
            .map(DeadlineExtension))
    }
    /// The earlier granted request for the same obligation (a further request reports on
    /// it, Article 4(8)).
    async fn previous(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ExtensionRequest>> {
        let Some(id) = self.0.previous_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Requests>::new(id))
            .await?
            .map(ExtensionRequest))
    }
    /// Incremented by every change; updates must send it back.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the draft was opened.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// Narrows `extensionRequests`; filters combine.
#[derive(InputObject, Default)]
pub struct ExtensionRequestFilter {
    /// The requesting State's ISO alpha-3 code.
    #[graphql(validator(max_length = 3))]
    pub state_code: Option<String>,
    /// STOCKPILE_DESTRUCTION or CLEARANCE.
    pub kind: Option<ObligationKind>,
    /// Any of these; all when omitted or empty.
    #[graphql(validator(max_items = 5))]
    pub status: Option<Vec<ExtensionRequestStatus>>,
    /// The meeting asked to decide.
    pub meeting_id: Option<ID>,
}

/// One element's text.
#[derive(InputObject)]
pub struct ExtensionElementInput {
    /// As listed in elements, e.g. "Article 4(6)(d)".
    pub provision: String,
    /// Empty or null clears it.
    pub text: Option<String>,
}

/// A new request, as a draft.
#[derive(InputObject)]
pub struct OpenExtensionRequestInput {
    /// The requesting State's ISO alpha-3 code.
    pub state_code: String,
    /// STOCKPILE_DESTRUCTION or CLEARANCE.
    pub kind: ObligationKind,
    /// After the deadline in force, at most 48 (Article 3) or 60 (Article 4) months later.
    pub requested_deadline: Date,
    /// A Meeting of States Parties or Review Conference opening on or before the deadline in
    /// force.
    pub meeting_id: ID,
}

/// Changes to a request; omitted fields are kept.
#[derive(InputObject)]
pub struct UpdateExtensionRequestInput {
    /// The request's global ID.
    pub id: ID,
    /// The `version` you read; CONFLICT when it changed since.
    pub expected_version: i32,
    /// After the deadline in force, within the article's longest step.
    pub requested_deadline: Option<Date>,
    /// Another Meeting of States Parties or Review Conference opening on or before the
    /// deadline in force.
    pub meeting_id: Option<ID>,
    /// Texts of the elements named; the others are kept. Each provision once.
    #[graphql(validator(max_items = 20))]
    pub elements: Option<Vec<ExtensionElementInput>>,
    /// Meeting documents to attach (the request itself, annexes): replaces the list.
    #[graphql(validator(max_items = 50))]
    pub document_ids: Option<Vec<ID>>,
}

/// The request to submit.
#[derive(InputObject)]
pub struct SubmitExtensionRequestInput {
    /// The request's global ID.
    pub id: ID,
    /// The `version` you read; CONFLICT when it changed since.
    pub expected_version: i32,
}

/// A question of the analysis group.
#[derive(InputObject)]
pub struct AskAnalysisQuestionInput {
    /// The request's global ID.
    pub request_id: ID,
    /// 1 to 10 000 characters.
    pub question: String,
    /// Not after today, not before the request was submitted.
    pub asked_on: Date,
}

/// The State's answer to a question.
#[derive(InputObject)]
pub struct AnswerAnalysisQuestionInput {
    /// The request's global ID.
    pub request_id: ID,
    /// The question's `number`.
    pub number: i32,
    /// 1 to 10 000 characters; replaces an earlier answer.
    pub answer: String,
}

/// The meeting's decision.
#[derive(InputObject)]
pub struct DecideExtensionRequestInput {
    /// The request's global ID.
    pub id: ID,
    /// The `version` you read; CONFLICT when it changed since.
    pub expected_version: i32,
    /// GRANTED, GRANTED_SHORTER or REFUSED.
    pub outcome: ExtensionOutcome,
    /// Required for GRANTED_SHORTER; for GRANTED it is the requested deadline; none for
    /// REFUSED.
    pub granted_deadline: Option<Date>,
    /// Not in the future, not before the meeting opens.
    pub decided_on: Date,
    /// The decision in the meetings' records, when recorded.
    pub decision_id: Option<ID>,
}

/// The request to withdraw, and why.
#[derive(InputObject)]
pub struct WithdrawExtensionRequestInput {
    /// The request's global ID.
    pub id: ID,
    /// The `version` you read; CONFLICT when it changed since.
    pub expected_version: i32,
    /// Why, 1 to 500 characters.
    pub reason: String,
}

crate::api::errors::payload!(
    ExtensionRequestPayload,
    request,
    ExtensionRequest,
    extension_request::Model
);
