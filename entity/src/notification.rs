//! The outbox: one row per notification, an email to a contact point (or the ISU's own
//! address) or an in-app notice to a user. Written once under `dedupe_key`; delivered (EMAIL)
//! by the sender, which claims a row by moving `next_attempt_at` past now (its lease) and
//! counts the attempt, then marks it SENT, retries it later or, attempts exhausted, FAILED.

use sea_orm::entity::prelude::*;

use crate::enums::{
    Language, NotificationChannel, NotificationReason, NotificationStatus, ObligationKind,
};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What makes it one notification, e.g. a reminder's State, obligation, due date, round
    /// and contact point: unique, so that it is written once however often it is planned.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub reason: NotificationReason,
    pub channel: NotificationChannel,
    pub state_code: Option<String>,
    /// EMAIL to a contact point: which one.
    pub contact_point_id: Option<Uuid>,
    /// IN_APP: the user it is for.
    pub recipient_user_id: Option<Uuid>,
    /// The email address (EMAIL) or the user's email (IN_APP).
    pub recipient: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// Plain text.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// The HTML alternative of an email.
    #[sea_orm(column_type = "Text", nullable)]
    pub body_html: Option<String>,
    pub language: Language,
    pub status: NotificationStatus,
    pub attempts: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// Deadline reminders: the obligation, its reporting year (annual reports), the due date
    /// the reminder is for and its round ("L90": 90 days before; "O2": the second overdue).
    pub obligation_kind: Option<ObligationKind>,
    pub reporting_year: Option<i32>,
    pub due_date: Option<Date>,
    pub round: Option<String>,
    /// What an event is about (the report, application, proposal or decision).
    pub subject_id: Option<Uuid>,
    /// PENDING email: not sent before this instant (backoff, or a sender's lease).
    pub next_attempt_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// IN_APP: when the recipient marked it read.
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
