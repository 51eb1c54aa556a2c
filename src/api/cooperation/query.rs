//! Queries of needs, offers, matches, allocation and exchange rates.

use crate::api::cost::Objects;
use async_graphql::{Context, ID, Object};

use super::types::{
    AllocationFilter, AssistanceNeed, AssistanceNeedFilter, AssistanceOffer, AssistanceOfferFilter,
    CooperationAllocation, ExchangeRate,
};
use crate::api::error::ApiError;
use crate::api::loaders::loaders;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, ids, viewer};
use crate::domain::cooperation::service::{
    self, AllocationFilter as Filter, NeedFilter, OfferFilter,
};

#[derive(Default)]
pub struct CooperationQuery;

#[Object]
impl CooperationQuery {
    /// A need by ID; null when unknown or not yours to see.
    async fn assistance_need(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The need's global ID.")] id: ID,
    ) -> async_graphql::Result<Option<AssistanceNeed>> {
        let Some(uuid) = ids::key::<AssistanceNeed>(&id) else {
            return Ok(None);
        };
        Ok(service::get_need(&app(ctx)?.db, viewer(ctx), uuid)
            .await
            .map_err(ApiError::from)?
            .map(AssistanceNeed))
    }

    /// Needs you may see, oldest first: all for the ISU and coordinators; for a delegation,
    /// its State's and those of proposals that involve its offers.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn assistance_needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Omitted: all needs you may see.")] filter: Option<AssistanceNeedFilter>,
    ) -> async_graphql::Result<Conn<AssistanceNeed>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = NeedFilter {
            status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
            area: f.thematic_area.map(Into::into),
            state_code: f.state_code,
            region: f.regional_group.map(Into::into),
        };
        let page = service::list_needs(&app(ctx)?.db, viewer(ctx), filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |n| n.id.to_string(), AssistanceNeed))
    }

    /// An offer by ID; null when unknown or not yours to see.
    async fn assistance_offer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The offer's global ID.")] id: ID,
    ) -> async_graphql::Result<Option<AssistanceOffer>> {
        let Some(uuid) = ids::key::<AssistanceOffer>(&id) else {
            return Ok(None);
        };
        let scope = loaders(ctx)?.offer_scope().await?;
        Ok(service::get_offer(&app(ctx)?.db, &scope, uuid)
            .await
            .map_err(ApiError::from)?
            .map(AssistanceOffer))
    }

    /// Offers you may see, oldest first: all for the ISU and coordinators; for a delegation,
    /// its State's, those proposed for its needs, and the open offers that are candidates for
    /// one of its open needs.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn assistance_offers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Omitted: all offers you may see.")] filter: Option<AssistanceOfferFilter>,
    ) -> async_graphql::Result<Conn<AssistanceOffer>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = OfferFilter {
            status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
            area: f.thematic_area.map(Into::into),
            provider_state_code: f.provider_state_code,
        };
        let scope = loaders(ctx)?.offer_scope().await?;
        let page = service::list_offers(&app(ctx)?.db, viewer(ctx), &scope, filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |o| o.id.to_string(), AssistanceOffer))
    }

    /// The optimal allocation of open offers to open needs that state amounts. ISU staff and
    /// coordinators.
    async fn cooperation_allocation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The needs to consider; omitted, all.")] filter: Option<AllocationFilter>,
    ) -> async_graphql::Result<CooperationAllocation> {
        let app = app(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = Filter {
            area: f.thematic_area.map(Into::into),
            region: f.regional_group.map(Into::into),
        };
        Ok(CooperationAllocation(
            service::allocation(
                &app.db,
                &app.cooperation,
                viewer(ctx),
                filter,
                app.clock.today(),
            )
            .await
            .map_err(ApiError::from)?,
        ))
    }

    /// The ISU's exchange rates to the base currency (CHF), newest first per currency.
    async fn exchange_rates(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<ExchangeRate>> {
        Ok(
            crate::domain::cooperation::rates::list(&app(ctx)?.db, viewer(ctx))
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(ExchangeRate)
                .collect(),
        )
    }
}
