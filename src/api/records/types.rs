//! GraphQL types of meetings' records.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::{decision, decision_update, meeting_document};

use crate::api::auth::types::User;
use crate::api::cost::Objects;
use crate::api::error::ApiError;
use crate::api::loaders::{ById, Decisions, Documents, Meetings, UpdatesOf, loaders};
use crate::api::scalars::{Date, DateTime};
use crate::api::sponsorship::types::Meeting;
use crate::api::states::types::StateParty;
use crate::api::{app, ids};
use crate::domain::records::decisions::{self, DecisionFilter as Filter, Summary};

/// What a meeting document is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::DocumentKind")]
pub enum DocumentKind {
    /// The agenda.
    Agenda,
    /// The programme of work.
    ProgrammeOfWork,
    /// A working paper.
    WorkingPaper,
    /// The meeting's report or final report, e.g. CCM/MSP/2024/7.
    Report,
    /// A summary of conclusions.
    SummaryOfConclusions,
    /// A statement.
    Statement,
    /// A presentation.
    Presentation,
    /// Anything else.
    Other,
}

/// Who may read a document or a decision.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::Access")]
pub enum Access {
    /// Everyone, including delegations and coordinators.
    Public,
    /// ISU staff and administrators only (e.g. informal Coordination Committee records).
    Restricted,
}

/// The six official languages of the United Nations.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::Language")]
pub enum Language {
    /// Arabic.
    Ar,
    /// English.
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Russian.
    Ru,
    /// Chinese.
    Zh,
}

/// What a meeting adopted.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::DecisionKind")]
pub enum DecisionKind {
    /// A decision.
    Decision,
    /// A recommendation.
    Recommendation,
    /// A conclusion.
    Conclusion,
}

/// Where implementation of a decision stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ImplementationStatus")]
pub enum ImplementationStatus {
    /// Nothing done yet.
    NotStarted,
    /// Under way.
    InProgress,
    /// Partly done.
    PartiallyImplemented,
    /// Done. Final: only an administrator moves it.
    Implemented,
    /// The body responsible declined to act on it; the reason is in the update's comment.
    /// Final.
    NotAccepted,
    /// Replaced by a later decision. Final; set by recording the later one.
    Superseded,
}

/// A document of a meeting.
pub struct MeetingDocument(pub meeting_document::Model);

impl ids::Kind for MeetingDocument {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl MeetingDocument {
    pub const KIND: &'static str = "MeetingDocument";
}

async fn meeting_of(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Meeting> {
    loaders(ctx)?
        .load_one(ById::<Meetings>::new(id))
        .await?
        .map(Meeting)
        .ok_or_else(|| ApiError::Internal("a record without its meeting".into()).into())
}

/// A document of a meeting: PUBLIC ones for everyone, RESTRICTED ones for the ISU.
#[Object]
impl MeetingDocument {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The meeting it belongs to.
    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Meeting> {
        meeting_of(ctx, self.0.meeting_id).await
    }
    /// What it is.
    async fn kind(&self) -> DocumentKind {
        self.0.kind.into()
    }
    /// The official symbol, e.g. "CCM/MSP/2024/7"; unique together with language.
    async fn symbol(&self) -> Option<&str> {
        self.0.symbol.as_deref()
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Its language.
    async fn language(&self) -> Language {
        self.0.language.into()
    }
    /// When it was published.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }
    /// Who may read it.
    async fn access(&self) -> Access {
        self.0.access.into()
    }
    /// The State that submitted it (working papers, statements).
    async fn submitted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.submitted_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.state(code).await?.map(StateParty))
    }
    /// Media type of the stored file, e.g. "application/pdf"; null until a file is
    /// uploaded.
    async fn media_type(&self) -> Option<&str> {
        self.0.media_type.as_deref()
    }
    /// Size of the stored file in bytes.
    async fn byte_size(&self) -> Option<i32> {
        self.0.byte_size.and_then(|n| i32::try_from(n).ok())
    }
    /// Hex SHA-256 of the stored file.
    async fn sha256(&self) -> Option<&str> {
        self.0.sha256.as_deref()
    }
    /// Path of the file download on this server, e.g. "/documents/<id>/file"; null without
    /// a file.
    async fn download_path(&self) -> Option<String> {
        self.0
            .blob_id
            .map(|_| format!("/documents/{}/file", ids::encode(Self::KIND, self.0.id).0))
    }
    /// The searchable text: extracted from the uploaded file where possible, else as given.
    async fn text(&self) -> Option<&str> {
        self.0.text.as_deref()
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A decision, recommendation or conclusion of a meeting.
pub struct Decision(pub decision::Model);

impl ids::Kind for Decision {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl Decision {
    pub const KIND: &'static str = "Decision";
}

/// One step of a decision's follow-up.
pub struct DecisionUpdate(pub decision_update::Model);

/// One step of a decision's follow-up.
#[Object]
impl DecisionUpdate {
    /// When.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// Who; null for the system, or an account you may not see.
    async fn by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.by_user else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(crate::api::loaders::ById::<crate::api::loaders::Users>::new(id))
            .await?
            .map(User))
    }
    /// The status it set.
    async fn status(&self) -> ImplementationStatus {
        self.0.status.into()
    }
    /// Why, or what was done.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// A document that shows the progress (a report, a letter), when you may read it.
    async fn evidence(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<MeetingDocument>> {
        let Some(id) = self.0.evidence_document_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Documents>::new(id))
            .await?
            .map(MeetingDocument))
    }
}

/// A decision, recommendation or conclusion of a meeting, with its follow-up: PUBLIC ones
/// for everyone, RESTRICTED ones for the ISU.
#[Object]
impl Decision {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The meeting that adopted it.
    async fn meeting(&self, ctx: &Context<'_>) -> async_graphql::Result<Meeting> {
        meeting_of(ctx, self.0.meeting_id).await
    }
    /// Decision, recommendation or conclusion.
    async fn kind(&self) -> DecisionKind {
        self.0.kind.into()
    }
    /// Where it stands in the meeting's record, e.g. "para. 27(c)" of the final report.
    async fn reference(&self) -> &str {
        &self.0.reference
    }
    /// Its text.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Who may read it.
    async fn access(&self) -> Access {
        self.0.access.into()
    }
    /// Who must act, in the meeting's words: "ISU", "President", "Coordination
    /// Committee", "States parties".
    async fn responsible(&self) -> &str {
        &self.0.responsible
    }
    /// The State that must act, when it is one State.
    async fn responsible_state(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.responsible_state else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.state(code).await?.map(StateParty))
    }
    /// By when.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    /// Where its implementation stands.
    async fn status(&self) -> ImplementationStatus {
        self.0.status.into()
    }
    /// dueOn is past and status is neither IMPLEMENTED, NOT_ACCEPTED nor SUPERSEDED.
    async fn overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(crate::rules::follow_up::overdue(
            self.0.due_on,
            self.0.status,
            app(ctx)?.clock.today(),
        ))
    }
    /// The management response: how the responsible body intends to act.
    async fn management_response(&self) -> Option<&str> {
        self.0.management_response.as_deref()
    }
    /// Numbers of the action plan actions it serves.
    async fn action_plan_actions(&self) -> Vec<i32> {
        decisions::actions(&self.0)
    }
    /// Oldest first; the first entry is the decision's recording.
    async fn updates(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<DecisionUpdate>> {
        Ok(loaders(ctx)?
            .load_one(UpdatesOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(DecisionUpdate)
            .collect())
    }
    /// The decision that replaced it, when you may read it.
    async fn superseded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decision>> {
        let Some(id) = self.0.superseded_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Decisions>::new(id))
            .await?
            .map(Decision))
    }
    /// Incremented by every change; updates must send it back.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// Narrows `decisions` and `implementationSummary`; the filters given combine.
#[derive(InputObject, Default, Clone)]
pub struct DecisionFilter {
    /// Decisions of this meeting.
    pub meeting_id: Option<ID>,
    /// Of this kind.
    pub kind: Option<DecisionKind>,
    /// With any of these statuses; an empty list is ignored.
    #[graphql(validator(max_items = 100))]
    pub status: Option<Vec<ImplementationStatus>>,
    /// Case-insensitive match on responsible.
    #[graphql(validator(max_length = 200))]
    pub responsible: Option<String>,
    /// Of this State (ISO alpha-3).
    #[graphql(validator(max_length = 3))]
    pub responsible_state_code: Option<String>,
    /// Overdue ones only (true) or the others (false).
    pub overdue: Option<bool>,
    /// Serving this action plan action.
    pub action_plan_action: Option<i32>,
    /// Due before this day.
    pub due_before: Option<Date>,
}

impl DecisionFilter {
    /// In service terms; None when `meetingId` names no meeting (nothing matches).
    pub fn to_service(&self) -> Option<Filter> {
        let meeting_id = match &self.meeting_id {
            Some(id) => Some(ids::key::<Meeting>(id)?),
            None => None,
        };
        Some(Filter {
            meeting_id,
            kind: self.kind.map(Into::into),
            status: self
                .status
                .as_ref()
                .map(|s| s.iter().map(|s| (*s).into()).collect()),
            responsible: self.responsible.clone(),
            responsible_state: self.responsible_state_code.clone(),
            overdue: self.overdue,
            action_plan_action: self.action_plan_action,
            due_before: self.due_before.map(|d| d.0),
            meeting_years: None,
        })
    }
}

/// How many decisions have one status.
#[derive(SimpleObject)]
pub struct ImplementationStatusCount {
    /// The status.
    pub status: ImplementationStatus,
    /// How many.
    pub count: i32,
}

/// The follow-up table of a set of decisions, counted by status.
pub struct ImplementationSummary(pub Summary);

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The follow-up table of a set of decisions, counted by status.
#[Object]
impl ImplementationSummary {
    /// Decisions you may read in the set.
    async fn total(&self) -> i32 {
        int(self.0.total)
    }
    /// Of those, the overdue ones.
    async fn overdue(&self) -> i32 {
        int(self.0.overdue)
    }
    /// Per status that has any, in the enum's order.
    async fn by_status(&self) -> Vec<ImplementationStatusCount> {
        self.0
            .by_status
            .iter()
            .map(|(s, n)| ImplementationStatusCount {
                status: (*s).into(),
                count: int(*n),
            })
            .collect()
    }
}

/// A document of a meeting, for `addMeetingDocument`.
#[derive(InputObject)]
pub struct AddMeetingDocumentInput {
    /// Global ID of the meeting.
    pub meeting_id: ID,
    /// What it is.
    pub kind: DocumentKind,
    /// The official symbol; unique in its language; at most 100 characters.
    pub symbol: Option<String>,
    /// 1 to 200 characters.
    pub title: String,
    /// Its language.
    pub language: Language,
    /// When it was published.
    pub published_on: Option<Date>,
    /// Who may read it.
    pub access: Access,
    /// The State that submitted it (ISO alpha-3).
    pub submitted_by_state_code: Option<String>,
    /// Searchable text, when no file will be uploaded or the file has no extractable text;
    /// at most 100 000 characters.
    pub text: Option<String>,
}

crate::api::errors::payload!(
    MeetingDocumentPayload,
    document,
    MeetingDocument,
    meeting_document::Model
);

/// A decision of a meeting, for `recordDecision`.
#[derive(InputObject)]
pub struct RecordDecisionInput {
    /// Global ID of the meeting.
    pub meeting_id: ID,
    /// Decision, recommendation or conclusion.
    pub kind: DecisionKind,
    /// Where it stands in the record, e.g. "para. 27(c)"; 1 to 200 characters.
    pub reference: String,
    /// Its text; 1 to 10 000 characters.
    pub text: String,
    /// Who may read it.
    pub access: Access,
    /// Who must act, in the meeting's words; 1 to 200 characters.
    pub responsible: String,
    /// The State that must act, when it is one State (ISO alpha-3).
    pub responsible_state_code: Option<String>,
    /// By when; not before the meeting.
    pub due_on: Option<Date>,
    /// How the responsible body intends to act.
    pub management_response: Option<String>,
    /// Numbers of the action plan actions it serves (1 to 100, at most 50).
    #[graphql(validator(max_items = 50))]
    pub action_plan_actions: Option<Vec<i32>>,
    /// The decision this one replaces: that one becomes SUPERSEDED.
    pub supersedes_id: Option<ID>,
}

/// A step of a decision's follow-up, for `updateDecisionStatus`.
#[derive(InputObject)]
pub struct UpdateDecisionStatusInput {
    /// Global ID of the decision.
    pub id: ID,
    /// The status it now has (the same, to add a comment or evidence).
    pub status: ImplementationStatus,
    /// The version you saw; CONFLICT when it changed since.
    pub expected_version: i32,
    /// Why, or what was done; required for NOT_ACCEPTED.
    pub comment: Option<String>,
    /// A document that shows the progress.
    pub evidence_document_id: Option<ID>,
    /// Replaces the management response when given.
    pub management_response: Option<String>,
    /// Replaces the due date when given.
    pub due_on: Option<Date>,
}

crate::api::errors::payload!(DecisionPayload, decision, Decision, decision::Model);

/// A document or a decision that a search found.
#[derive(async_graphql::Union)]
pub enum SearchHit {
    MeetingDocument(MeetingDocument),
    Decision(Decision),
}

/// One hit of a search.
#[derive(SimpleObject)]
pub struct SearchResult {
    /// What was found.
    pub hit: SearchHit,
    /// Relevance, higher is better; comparable within one search only.
    pub score: f64,
    /// A short excerpt around the matched words, HTML-escaped, matched words wrapped in
    /// <mark></mark>.
    pub snippet: String,
}
