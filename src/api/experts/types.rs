//! GraphQL types of the roster: `Expert`, its inputs, filter and payloads. Who reads an
//! expert is `domain::experts::visibility`'s rule, applied by the services before a row
//! reaches these types; `Expert.email` and `Expert.phone` ask it again.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::split_values;
use entity::expert;

use crate::api::cooperation::types::AssistanceType;
use crate::api::enums::{RegionalGroup, ThematicArea};
use crate::api::errors::{Payload, UserError};
use crate::api::ids;
use crate::api::loaders::loaders;
use crate::api::records::types::Language;
use crate::api::scalars::Date;
use crate::api::sponsorship::types::Gender;
use crate::api::states::types::StateParty;
use crate::domain::experts::{service, visibility};

/// An expert of the resource base.
pub struct Expert(pub expert::Model);

impl ids::Kind for Expert {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl Expert {
    pub const KIND: &'static str = "Expert";
}

/// The values of a comma-separated column, as the API's enum.
fn values<E, A>(column: &str) -> Vec<A>
where
    E: sea_orm::ActiveEnum<Value = String>,
    A: From<E>,
{
    split_values::<E>(column).into_iter().map(A::from).collect()
}

/// An expert of the resource base, listed with their consent. Contact details are ISU
/// staff's only.
#[Object]
impl Expert {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The expert's name, 1 to 200 characters.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    /// As the expert states it.
    async fn gender(&self) -> Gender {
        self.0.gender.into()
    }
    /// The State whose national the expert is.
    async fn nationality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.nationality_code else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.state(code).await?.map(StateParty))
    }
    /// The organization the expert works for, if any.
    async fn organization(&self) -> Option<&str> {
        self.0.organization.as_deref()
    }
    /// The thematic areas the expert works in; at least one.
    async fn areas(&self) -> Vec<ThematicArea> {
        values::<entity::enums::ThematicArea, _>(&self.0.areas)
    }
    /// The kinds of assistance the expert offers.
    async fn assistance_types(&self) -> Vec<AssistanceType> {
        values::<entity::enums::AssistanceType, _>(&self.0.assistance_types)
    }
    /// The UN languages the expert works in.
    async fn languages(&self) -> Vec<Language> {
        values::<entity::enums::Language, _>(&self.0.languages)
    }
    /// Regions the expert has worked in.
    async fn regions(&self) -> Vec<RegionalGroup> {
        values::<entity::enums::RegionalGroup, _>(&self.0.regions)
    }
    /// Years of experience in mine action, 0 to 70.
    async fn years_of_experience(&self) -> Option<i32> {
        self.0.years_of_experience
    }
    /// What the expert has done, in their words; at most 10 000 characters.
    async fn biography(&self) -> Option<&str> {
        self.0.biography.as_deref()
    }
    /// The first day the expert is available; open when null.
    async fn available_from(&self) -> Option<Date> {
        self.0.available_from.map(Date)
    }
    /// The last day the expert is available; open when null.
    async fn available_until(&self) -> Option<Date> {
        self.0.available_until.map(Date)
    }
    /// ISU staff only; null for everyone else.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        visibility::may_read_contact(crate::api::viewer(ctx))
            .then_some(self.0.email.as_deref())
            .flatten()
    }
    /// ISU staff only; null for everyone else.
    async fn phone(&self, ctx: &Context<'_>) -> Option<&str> {
        visibility::may_read_contact(crate::api::viewer(ctx))
            .then_some(self.0.phone.as_deref())
            .flatten()
    }
    /// The expert comes from a State that is itself affected or has completed an obligation
    /// in one of the expert's areas.
    async fn south_south(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(code) = &self.0.nationality_code else {
            return Ok(false);
        };
        let state = loaders(ctx)?.state(code).await?;
        Ok(service::south_south(&self.0, state.as_ref()))
    }
    /// Consent to be listed was given on this day; no consent, no listing.
    async fn consent_given_on(&self) -> Date {
        Date(self.0.consent_given_on)
    }
    /// Inactive experts are seen by ISU staff only, and never suggested.
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// Narrows `experts`; filters combine.
#[derive(InputObject, Default)]
pub struct ExpertFilter {
    /// Works in this thematic area.
    pub area: Option<ThematicArea>,
    /// Offers this kind of assistance.
    pub assistance_type: Option<AssistanceType>,
    /// Works in this language.
    pub language: Option<Language>,
    /// Has worked in this region.
    pub regional_group: Option<RegionalGroup>,
    /// Available on this day.
    pub available_on: Option<Date>,
    /// True: South-South experts only (as `Expert.southSouth` says); false: the others.
    pub south_south: Option<bool>,
    /// Case-insensitive match on name, organization or biography.
    #[graphql(validator(max_length = 200))]
    pub search: Option<String>,
}

impl ExpertFilter {
    /// The filter as the service takes it.
    pub fn to_service(self) -> service::ExpertFilter {
        service::ExpertFilter {
            area: self.area.map(Into::into),
            assistance_type: self.assistance_type.map(Into::into),
            language: self.language.map(Into::into),
            regional_group: self.regional_group.map(Into::into),
            available_on: self.available_on.map(|d| d.0),
            south_south: self.south_south,
            search: self.search,
        }
    }
}

/// An expert, as `addExpert` lists them and `updateExpert` replaces them.
#[derive(InputObject)]
pub struct ExpertInput {
    /// 1 to 200 characters, on one line.
    pub full_name: String,
    /// As the expert states it.
    pub gender: Gender,
    /// The State whose national the expert is (ISO alpha-3); omit when unknown.
    pub nationality_code: Option<String>,
    /// At most 200 characters, on one line.
    pub organization: Option<String>,
    /// At least one; each once.
    #[graphql(validator(max_items = 20))]
    pub areas: Vec<ThematicArea>,
    /// Each once.
    #[graphql(validator(max_items = 20))]
    pub assistance_types: Vec<AssistanceType>,
    /// Each once.
    #[graphql(validator(max_items = 20))]
    pub languages: Vec<Language>,
    /// Regions the expert has worked in; each once.
    #[graphql(validator(max_items = 20))]
    pub regions: Option<Vec<RegionalGroup>>,
    /// From 0 to 70.
    pub years_of_experience: Option<i32>,
    /// At most 10 000 characters.
    pub biography: Option<String>,
    /// The first day the expert is available; omit for now.
    pub available_from: Option<Date>,
    /// The last day the expert is available, not before `availableFrom`; omit for open.
    pub available_until: Option<Date>,
    /// An email address; seen by ISU staff only.
    pub email: Option<String>,
    /// At most 40 characters of digits, spaces and +-(). with 6 digits at least; seen by
    /// ISU staff only.
    pub phone: Option<String>,
    /// The day the expert consented to be listed; not after today.
    pub consent_given_on: Date,
}

impl ExpertInput {
    /// The input as the service takes it.
    pub fn to_service(self) -> service::ExpertInput {
        service::ExpertInput {
            full_name: self.full_name,
            gender: self.gender.into(),
            nationality_code: self.nationality_code,
            organization: self.organization,
            areas: self.areas.into_iter().map(Into::into).collect(),
            assistance_types: self.assistance_types.into_iter().map(Into::into).collect(),
            languages: self.languages.into_iter().map(Into::into).collect(),
            regions: self
                .regions
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            years_of_experience: self.years_of_experience,
            biography: self.biography,
            available_from: self.available_from.map(|d| d.0),
            available_until: self.available_until.map(|d| d.0),
            email: self.email,
            phone: self.phone,
            consent_given_on: Some(self.consent_given_on.0),
        }
    }
}

/// A new version of an expert: the whole of `expert` replaces their fields.
#[derive(InputObject)]
pub struct UpdateExpertInput {
    /// Global ID of the expert.
    pub id: ID,
    /// The expert's fields, all of them.
    pub expert: ExpertInput,
    /// False: no longer listed for others nor suggested. Omit to keep.
    pub active: Option<bool>,
}

/// The expert to erase, at their request.
#[derive(InputObject)]
pub struct EraseExpertInput {
    /// Global ID of the expert.
    pub id: ID,
}

crate::api::errors::payload!(ExpertPayload, expert, Expert, expert::Model);

/// What `eraseExpert` did.
#[derive(SimpleObject)]
pub struct EraseExpertPayload {
    /// The erased expert's global ID; null when `userErrors` is not empty.
    pub erased_id: Option<ID>,
    /// Why the input was refused; empty on success. When not empty, nothing was erased.
    pub user_errors: Vec<UserError>,
}

impl Payload for EraseExpertPayload {
    type Value = uuid::Uuid;
    fn ok(id: uuid::Uuid) -> Self {
        Self {
            erased_id: Some(ids::encode(Expert::KIND, id)),
            user_errors: vec![],
        }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self {
            erased_id: None,
            user_errors,
        }
    }
}
