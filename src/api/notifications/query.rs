//! Reads of reminders and notifications; what a viewer may read follows
//! `domain::notifications::visibility`.

use async_graphql::{Context, Object};

use super::types::{Notification, NotificationFilter, ReminderPolicy};
use crate::api::error::ApiError;
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::{app, viewer};
use crate::domain::notifications::{outbox, policy};

#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// The reminder policy in force (the default until an administrator sets one). Signed-in
    /// users.
    async fn reminder_policy(&self, ctx: &Context<'_>) -> async_graphql::Result<ReminderPolicy> {
        viewer(ctx).require().map_err(ApiError::from)?;
        let policy = policy::current(&app(ctx)?.db)
            .await
            .map_err(ApiError::from)?;
        Ok(ReminderPolicy(policy))
    }

    /// ISU staff: every notification; others: their State's and their own. Newest first.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Narrows the list; omit for all.")] filter: Option<NotificationFilter>,
    ) -> async_graphql::Result<Conn<Notification>> {
        let page = page_request(first, after)?;
        let filter = filter.unwrap_or_default().to_service();
        let page = outbox::list(&app(ctx)?.db, viewer(ctx), &filter, &page)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, |n| n.id.to_string(), Notification))
    }

    /// The viewer's IN_APP notifications, newest first.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Only those not marked read.")] unread_only: Option<bool>,
    ) -> async_graphql::Result<Conn<Notification>> {
        let page = page_request(first, after)?;
        let page = outbox::mine(
            &app(ctx)?.db,
            viewer(ctx),
            unread_only.unwrap_or(false),
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(connection(page, |n| n.id.to_string(), Notification))
    }

    /// How many of the viewer's IN_APP notifications are not marked read.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let n = outbox::unread_count(&app(ctx)?.db, viewer(ctx))
            .await
            .map_err(ApiError::from)?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
