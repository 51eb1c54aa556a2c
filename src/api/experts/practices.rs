//! Good practices: the `GoodPractice` type, its connection, `goodPractices(...)` and
//! `addGoodPractice`. Thin wrappers over `domain::experts::practices`, which applies who
//! reads what: a practice's documents and experts come through the request's loaders, each
//! filtered by its own rule.

use async_graphql::{Context, ID, InputObject, Object};
use entity::good_practice;
use uuid::Uuid;

use super::types::Expert;
use crate::api::cost::Objects;
use crate::api::enums::ThematicArea;
use crate::api::error::ApiError;
use crate::api::errors::respond;
use crate::api::ids;
use crate::api::loaders::{PracticeDocuments, PracticeExperts, loaders};
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::records::types::MeetingDocument;
use crate::api::scalars::DateTime;
use crate::api::states::types::StateParty;
use crate::api::{app, viewer};
use crate::domain::experts::practices::{self, NewPractice};

/// A good practice of the resource base.
pub struct GoodPractice(pub good_practice::Model);

impl ids::Kind for GoodPractice {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl GoodPractice {
    pub const KIND: &'static str = "GoodPractice";
}

/// A State's experience in a thematic area, written up in meeting documents, with the
/// experts who can speak to it. Every signed-in user reads good practices.
#[Object]
impl GoodPractice {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// A short name of the practice.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The thematic area it belongs to.
    async fn area(&self) -> ThematicArea {
        self.0.area.into()
    }
    /// The State whose experience it is.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.state_code else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.state(code).await?.map(StateParty))
    }
    /// What was done, and what others can take from it.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// Where it is written up: the documents you may read (RESTRICTED ones are the ISU's).
    async fn documents(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<MeetingDocument>> {
        Ok(loaders(ctx)?
            .load_one(PracticeDocuments(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(MeetingDocument)
            .collect())
    }
    /// The experts who can speak to it, those you may read, by name.
    async fn experts(&self, ctx: &Context<'_>) -> async_graphql::Result<Objects<Expert>> {
        Ok(loaders(ctx)?
            .load_one(PracticeExperts(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Expert)
            .collect())
    }
    /// When it was added.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

#[derive(Default)]
pub struct PracticesQuery;

#[Object]
impl PracticesQuery {
    /// Good practices, newest first, in `area` and matching `search` when given. Signed-in
    /// users.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn good_practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Only those of this thematic area.")] area: Option<ThematicArea>,
        #[graphql(
            desc = "Words that must all appear in the title or the summary, at most 500 characters; a blank search is no search."
        )]
        search: Option<String>,
    ) -> async_graphql::Result<Conn<GoodPractice>> {
        let page = page_request(first, after)?;
        let page = practices::list(
            &app(ctx)?.db,
            viewer(ctx),
            area.map(Into::into),
            search,
            page,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(connection(page, |p| p.id.to_string(), GoodPractice))
    }
}

/// A good practice, for `addGoodPractice`.
#[derive(InputObject)]
pub struct AddGoodPracticeInput {
    /// 1 to 200 characters, without line breaks.
    pub title: String,
    /// The thematic area it belongs to.
    pub area: ThematicArea,
    /// The State whose experience it is (ISO alpha-3), if any.
    pub state_code: Option<String>,
    /// 1 to 10 000 characters.
    pub summary: String,
    /// Global IDs of the meeting documents where it is written up, at most 50.
    #[graphql(validator(max_items = 100))]
    pub document_ids: Option<Vec<ID>>,
    /// Global IDs of the experts who can speak to it, at most 50.
    #[graphql(validator(max_items = 100))]
    pub expert_ids: Option<Vec<ID>>,
}

crate::api::errors::payload!(
    GoodPracticePayload,
    good_practice,
    GoodPractice,
    good_practice::Model
);

/// The keys of global IDs of kind `K`; an ID of another kind (or none) as the nil UUID,
/// which names no row: the service refuses it with the others as NOT_FOUND.
fn keys_of<K: ids::Kind<Key = Uuid>>(list: Option<Vec<ID>>) -> Vec<Uuid> {
    list.unwrap_or_default()
        .iter()
        .map(|id| ids::key::<K>(id).unwrap_or(Uuid::nil()))
        .collect()
}

#[derive(Default)]
pub struct PracticesMutation;

#[Object]
impl PracticesMutation {
    /// Adds a good practice, with the documents and experts it names. ISU staff.
    async fn add_good_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice.")] input: AddGoodPracticeInput,
    ) -> async_graphql::Result<GoodPracticePayload> {
        let new = NewPractice {
            title: input.title,
            area: input.area.into(),
            state_code: input.state_code,
            summary: input.summary,
            document_ids: keys_of::<MeetingDocument>(input.document_ids),
            expert_ids: keys_of::<Expert>(input.expert_ids),
        };
        respond(practices::add(&app(ctx)?.db, viewer(ctx), new).await)
    }
}
