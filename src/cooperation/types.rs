//! GraphQL types of cooperation and assistance.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::assistance_need;
use entity::enums::split_values;
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::graphql::enums::ThematicArea;
use crate::graphql::money::Money;
use crate::graphql::scalars::Date;
use crate::graphql::{app, ids, viewer};
use crate::reports::types::TransparencyReport;
use crate::states::types::StateParty;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::NeedStatus")]
pub enum NeedStatus {
    Open,
    /// Agreed or delivered proposals cover part of the amount.
    PartiallyMet,
    Met,
    Withdrawn,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::AssistanceType")]
pub enum AssistanceType {
    Financial,
    TechnicalExpertise,
    Equipment,
    Training,
}

/// An amount stored in cents, as Money.
pub fn money_of(cents: Option<i64>, currency: Option<&str>) -> Option<Money> {
    Some(Money {
        amount: Decimal::new(cents?, 2),
        currency: currency?.to_owned(),
    })
}

/// A need for assistance declared by a State.
pub struct AssistanceNeed(pub assistance_need::Model);

impl AssistanceNeed {
    pub const KIND: &'static str = "AssistanceNeed";
}

#[Object]
impl AssistanceNeed {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        crate::states::service::by_code(&app(ctx)?.db, &self.0.state_code)
            .await
            .map_err(ApiError::from)?
            .map(StateParty)
            .ok_or_else(|| ApiError::Internal("need without State".into()).into())
    }
    async fn thematic_area(&self) -> ThematicArea {
        self.0.thematic_area.into()
    }
    async fn assistance_types(&self) -> Vec<AssistanceType> {
        split_values::<entity::enums::AssistanceType>(&self.0.assistance_types)
            .into_iter()
            .map(Into::into)
            .collect()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn amount(&self) -> Option<Money> {
        money_of(self.0.amount_cents, self.0.currency.as_deref())
    }
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }
    async fn status(&self) -> NeedStatus {
        self.0.status.into()
    }
    /// The Article 7 report that declared it, when you may see that report.
    async fn source_report(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<TransparencyReport>> {
        let Some(id) = self.0.source_report_id else {
            return Ok(None);
        };
        Ok(crate::reports::service::get(&app(ctx)?.db, viewer(ctx), id)
            .await
            .map_err(ApiError::from)?
            .map(TransparencyReport))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
