//! GraphQL types of reminders and notifications: contact points, the reminder policy,
//! notifications and the inputs and payloads of their mutations. Who reads a contact point
//! (its email) and a notification is `domain::notifications::visibility`'s rule; the
//! services and loaders apply it before a row reaches these types, and `ContactPoint.email`
//! asks it again.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{contact_point, notification};

use crate::api::auth::types::User;
use crate::api::enums::{
    ContactFunction, NotificationChannel, NotificationReason, NotificationStatus,
};
use crate::api::error::ApiError;
use crate::api::errors::{Payload, UserError};
use crate::api::ids;
use crate::api::loaders::{ById, Users, loaders};
use crate::api::records::types::Language;
use crate::api::scalars::{Date, DateTime};
use crate::api::states::types::{ObligationKind, StateParty};
use crate::domain::notifications::visibility;
use crate::rules::obligations;
use crate::rules::reminders::Policy;

/// A person or office a State names to receive reminders and notices.
pub struct ContactPoint(pub contact_point::Model);

impl ids::Kind for ContactPoint {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl ContactPoint {
    pub const KIND: &'static str = "ContactPoint";
}

/// A person or office a State names to receive the ISU's reminders and notices: its Article
/// 7 focal point, its mission in Geneva. Readable by ISU staff and the State's own
/// delegation only.
#[Object]
impl ContactPoint {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The State it speaks for.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        loaders(ctx)?
            .state(&self.0.state_code)
            .await?
            .map(StateParty)
            .ok_or_else(|| ApiError::Internal("a contact point without its State".into()).into())
    }
    /// A person's or an office's name, 1 to 200 characters.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What it is for its State.
    async fn function(&self) -> ContactFunction {
        self.0.function.into()
    }
    /// Readable by ISU staff and the State's own delegation only.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        visibility::may_read_email(crate::api::viewer(ctx), &self.0).then_some(&self.0.email)
    }
    /// The language reminders are written in (EN, FR and ES at least).
    async fn language(&self) -> Language {
        self.0.language.into()
    }
    /// Reminders go to active contact points only.
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// The reminder policy in force.
pub struct ReminderPolicy(pub Policy);

/// When reminders go out, and for which obligations.
#[Object]
impl ReminderPolicy {
    /// Days before a due date on which a reminder is sent, e.g. [90, 30, 7]; largest first.
    async fn lead_days(&self) -> Vec<i32> {
        self.0.lead_days.iter().map(|d| i32::from(*d)).collect()
    }
    /// After a due date is missed: the first reminder the next day, then every this many
    /// days (0: once).
    async fn overdue_every_days(&self) -> i32 {
        i32::from(self.0.overdue_every_days)
    }
    /// The kinds of obligation reminded of, in the contract's order.
    async fn kinds(&self) -> Vec<ObligationKind> {
        self.0.kinds.iter().map(|k| (*k).into()).collect()
    }
    /// Also copy overdue reminders to the ISU's own address.
    async fn escalate_to_isu(&self) -> bool {
        self.0.escalate_to_isu
    }
}

/// An email or an in-app notice, as the outbox keeps it.
pub struct Notification(pub notification::Model);

impl ids::Kind for Notification {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl Notification {
    pub const KIND: &'static str = "Notification";
}

/// An email to a contact point (or the ISU's address), or a notice in the app for one user.
/// ISU staff read every one; a user the in-app notices addressed to them; a delegation
/// also the emails to its State's contact points.
#[Object]
impl Notification {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// Why it was written.
    async fn reason(&self) -> NotificationReason {
        self.0.reason.into()
    }
    /// EMAIL or IN_APP.
    async fn channel(&self) -> NotificationChannel {
        self.0.channel.into()
    }
    /// The State it is about, if any.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StateParty>> {
        let Some(code) = &self.0.state_code else {
            return Ok(None);
        };
        Ok(loaders(ctx)?.state(code).await?.map(StateParty))
    }
    /// The email address (EMAIL) or the user (IN_APP) it is for.
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    /// IN_APP: the user it is for, when you may see that account.
    async fn recipient_user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.recipient_user_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(ById::<Users>::new(id))
            .await?
            .map(User))
    }
    /// The subject line.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// The message, as plain text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// The language it is written in.
    async fn language(&self) -> Language {
        self.0.language.into()
    }
    /// Where it stands in the outbox.
    async fn status(&self) -> NotificationStatus {
        self.0.status.into()
    }
    /// How many times sending was tried.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// Why the last attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// For deadline reminders: the obligation's kind.
    async fn obligation_kind(&self) -> Option<ObligationKind> {
        self.0
            .obligation_kind
            .map(|k| obligations::ObligationKind::from(k).into())
    }
    /// For deadline reminders: the due date it reminds of.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it was handed to the mail server (EMAIL), or written (IN_APP).
    async fn sent_at(&self) -> Option<DateTime> {
        self.0.sent_at.map(DateTime)
    }
    /// IN_APP only: when the recipient marked it read.
    async fn read_at(&self) -> Option<DateTime> {
        self.0.read_at.map(DateTime)
    }
}

/// Narrows `notifications`; filters combine.
#[derive(InputObject, Default)]
pub struct NotificationFilter {
    /// Any of these statuses.
    #[graphql(validator(max_items = 20))]
    pub status: Option<Vec<NotificationStatus>>,
    /// Any of these reasons.
    #[graphql(validator(max_items = 20))]
    pub reason: Option<Vec<NotificationReason>>,
    /// Only this channel.
    pub channel: Option<NotificationChannel>,
    /// Only those about this State (ISO alpha-3).
    pub state_code: Option<String>,
    /// Only those written at or after this instant.
    pub since: Option<DateTime>,
}

impl NotificationFilter {
    pub fn to_service(self) -> crate::domain::notifications::outbox::NotificationFilter {
        crate::domain::notifications::outbox::NotificationFilter {
            status: self
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            reason: self
                .reason
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            channel: self.channel.map(Into::into),
            state_code: self.state_code,
            since: self.since.map(|d| d.0),
        }
    }
}

/// A contact point, for `addContactPoint`.
#[derive(InputObject)]
pub struct AddContactPointInput {
    /// The State it speaks for (ISO alpha-3); a delegation adds its own State's only.
    pub state_code: String,
    /// 1 to 200 characters, without line breaks.
    pub name: String,
    /// What it is for its State.
    pub function: ContactFunction,
    /// An email address, at most 254 characters, without line breaks; its domain is stored
    /// in lower case. A State names an address once.
    pub email: String,
    /// The language its reminders are written in.
    pub language: Language,
}

crate::api::errors::payload!(
    ContactPointPayload,
    contact_point,
    ContactPoint,
    contact_point::Model
);

/// A correction of a contact point: only the fields given change.
#[derive(InputObject)]
pub struct UpdateContactPointInput {
    /// Global ID of the contact point.
    pub id: ID,
    /// 1 to 200 characters, without line breaks; omit to keep.
    pub name: Option<String>,
    /// Omit to keep.
    pub function: Option<ContactFunction>,
    /// As in `addContactPoint`; omit to keep.
    pub email: Option<String>,
    /// Omit to keep.
    pub language: Option<Language>,
    /// False: no more reminders go to it. Omit to keep.
    pub active: Option<bool>,
}

/// The reminder policy, for `setReminderPolicy`.
#[derive(InputObject)]
pub struct SetReminderPolicyInput {
    /// Days before a due date, each from 0 to 365, none twice, at most 10.
    #[graphql(validator(max_items = 100))]
    pub lead_days: Vec<i32>,
    /// From 0 (one overdue reminder, the day after the due date) to 365.
    pub overdue_every_days: i32,
    /// At least one kind, none twice.
    #[graphql(validator(max_items = 100))]
    pub kinds: Vec<ObligationKind>,
    /// Also copy overdue reminders to the ISU's own address (`ISU_MAIL_ISU_ADDRESS`).
    pub escalate_to_isu: bool,
}

crate::api::errors::payload!(ReminderPolicyPayload, policy, ReminderPolicy, Policy);

/// The in-app notifications to mark read, for `markNotificationsRead`.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// Global IDs of your own in-app notifications, at most 100. One that is not yours
    /// refuses the whole input.
    #[graphql(validator(max_items = 100))]
    pub ids: Vec<ID>,
}

/// What `markNotificationsRead` did.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// How many were unread and are now read.
    pub marked: i32,
    /// Why the input was refused; empty on success. When not empty, nothing was marked.
    pub user_errors: Vec<UserError>,
}

impl Payload for MarkNotificationsReadPayload {
    type Value = u64;
    fn ok(marked: u64) -> Self {
        Self {
            marked: i32::try_from(marked).unwrap_or(i32::MAX),
            user_errors: vec![],
        }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self {
            marked: 0,
            user_errors,
        }
    }
}

/// The FAILED email to put back in the outbox, for `retryNotification`.
#[derive(InputObject)]
pub struct RetryNotificationInput {
    /// Global ID of the notification.
    pub id: ID,
}

crate::api::errors::payload!(
    NotificationPayload,
    notification,
    Notification,
    notification::Model
);
