//! Writes of reminders and notifications: thin wrappers over `domain::notifications`. Every
//! write is audited.

use async_graphql::{Context, Object};

use super::types::{
    AddContactPointInput, ContactPoint, ContactPointPayload, MarkNotificationsReadInput,
    MarkNotificationsReadPayload, Notification, NotificationPayload, ReminderPolicyPayload,
    RetryNotificationInput, SetReminderPolicyInput, UpdateContactPointInput,
};
use crate::api::errors::{not_found, respond};
use crate::api::{app, ids, viewer};
use crate::domain::notifications::contacts::{self, ContactPatch, NewContact};
use crate::domain::notifications::outbox;
use crate::domain::notifications::policy::{self, PolicyInput};

#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Names a contact point of a State. ISU staff for any State; a delegation for its own.
    async fn add_contact_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact point.")] input: AddContactPointInput,
    ) -> async_graphql::Result<ContactPointPayload> {
        let new = NewContact {
            state_code: input.state_code,
            name: input.name,
            function: input.function.into(),
            email: input.email,
            language: input.language.into(),
        };
        respond(contacts::add(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Corrects a contact point; only the fields given change. Who may add the State's.
    async fn update_contact_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateContactPointInput,
    ) -> async_graphql::Result<ContactPointPayload> {
        let Some(id) = ids::key::<ContactPoint>(&input.id) else {
            return respond(Err(not_found("id", "contact point")));
        };
        let patch = ContactPatch {
            name: input.name,
            function: input.function.map(Into::into),
            email: input.email,
            language: input.language.map(Into::into),
            active: input.active,
        };
        respond(contacts::update(&app(ctx)?.db, viewer(ctx), id, patch).await)
    }

    /// Replaces the reminder policy. ISU_ADMIN.
    async fn set_reminder_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The policy.")] input: SetReminderPolicyInput,
    ) -> async_graphql::Result<ReminderPolicyPayload> {
        let input = PolicyInput {
            lead_days: input.lead_days,
            overdue_every_days: input.overdue_every_days,
            kinds: input.kinds.into_iter().map(Into::into).collect(),
            escalate_to_isu: input.escalate_to_isu,
        };
        respond(policy::set(&app(ctx)?.db, viewer(ctx), input).await)
    }

    /// Marks your own in-app notifications read. One ID that is not one of yours refuses
    /// the whole input: nothing is marked.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The notifications.")] input: MarkNotificationsReadInput,
    ) -> async_graphql::Result<MarkNotificationsReadPayload> {
        let keys: Vec<Option<uuid::Uuid>> = input
            .ids
            .iter()
            .map(|id| ids::key::<Notification>(id))
            .collect();
        respond(outbox::mark_read(&app(ctx)?.db, viewer(ctx), &keys).await)
    }

    /// Puts a FAILED email back in the outbox. ISU staff.
    async fn retry_notification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The notification.")] input: RetryNotificationInput,
    ) -> async_graphql::Result<NotificationPayload> {
        let Some(id) = ids::key::<Notification>(&input.id) else {
            return respond(Err(not_found("id", "notification")));
        };
        respond(outbox::retry(&app(ctx)?.db, viewer(ctx), id).await)
    }
}
