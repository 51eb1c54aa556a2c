//! Queries of reports and compliance.

use async_graphql::{Context, ID, Object};

use super::types::{ReportingCompliance, TransparencyReport, TransparencyReportFilter};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, ids, viewer};
use crate::domain::reports::service::{self, ReportFilter};

#[derive(Default)]
pub struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// A report by ID; null when unknown or not visible to you.
    async fn transparency_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report's global ID.")] id: ID,
    ) -> async_graphql::Result<Option<TransparencyReport>> {
        let Some(uuid) = ids::key::<TransparencyReport>(&id) else {
            return Ok(None);
        };
        Ok(service::get(&app(ctx)?.db, viewer(ctx), uuid)
            .await
            .map_err(ApiError::from)?
            .map(TransparencyReport))
    }

    /// Reports you may see, newest first: published ones, and your own State's (all of them
    /// for the ISU).
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn transparency_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `pageInfo.endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Omitted: all you may see.")] filter: Option<TransparencyReportFilter>,
    ) -> async_graphql::Result<Conn<TransparencyReport>> {
        let page = page_request(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = ReportFilter {
            state_code: f.state_code,
            reporting_year: f.reporting_year,
            status: f.status.map(|v| v.into_iter().map(Into::into).collect()),
            kind: f.kind.map(Into::into),
        };
        let page = service::list(&app(ctx)?.db, viewer(ctx), filter, page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |r| r.id.to_string(), TransparencyReport))
    }

    /// Among States owing the annual report covering `year`, who submitted, who on time,
    /// who is missing. Public.
    async fn reporting_compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year covered, 2010 to 2100.")] year: i32,
    ) -> async_graphql::Result<ReportingCompliance> {
        Ok(ReportingCompliance(
            service::compliance(&app(ctx)?.db, year)
                .await
                .map_err(ApiError::from)?,
        ))
    }
}
