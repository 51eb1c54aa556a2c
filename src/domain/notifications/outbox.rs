//! The outbox: every notification is a row, written once under its dedupe key; and the
//! reads and writes of its rows on a viewer's behalf, each through the rule of
//! [`super::visibility`]: lists and their counts, a State's notifications, a user's in-app
//! notices and how many are unread, marking them read, putting a FAILED email back.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    Language, NotificationChannel, NotificationReason, NotificationStatus, ObligationKind, UserRole,
};
use entity::notification;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};

/// Most IDs one `markNotificationsRead` takes.
pub const MAX_IDS: usize = 100;
/// Most values of one filter list (statuses, reasons).
pub const MAX_FILTER_VALUES: usize = 20;

/// A notification to write: [`enqueue`] gives it its ID, PENDING status and times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNotification {
    /// Unique: the same key is written once, however often or by however many planners.
    pub dedupe_key: String,
    pub reason: NotificationReason,
    pub channel: NotificationChannel,
    pub state_code: Option<String>,
    pub contact_point_id: Option<Uuid>,
    pub recipient_user_id: Option<Uuid>,
    /// The email address (EMAIL) or the user's email (IN_APP).
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub body_html: Option<String>,
    pub language: Language,
    pub obligation_kind: Option<ObligationKind>,
    pub reporting_year: Option<i32>,
    pub due_date: Option<NaiveDate>,
    pub round: Option<String>,
    pub subject_id: Option<Uuid>,
}

/// Writes the notifications whose key is not written yet, in `conn` (a mutation's
/// transaction, or the planner's); answers how many were new. In-app notices are SENT as
/// soon as they are written (there is nothing to deliver); emails are PENDING.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<NewNotification>,
) -> Result<u64, DbErr> {
    use notification::Column as C;
    if rows.is_empty() {
        return Ok(0);
    }
    let at = now();
    let mut written = 0;
    // Within SQLite's and PostgreSQL's limits on bound parameters (25 per row).
    for chunk in rows.chunks(500) {
        let models = chunk.iter().cloned().map(|n| {
            let in_app = n.channel == NotificationChannel::InApp;
            notification::ActiveModel {
                id: Set(Uuid::now_v7()),
                dedupe_key: Set(n.dedupe_key),
                reason: Set(n.reason),
                channel: Set(n.channel),
                state_code: Set(n.state_code),
                contact_point_id: Set(n.contact_point_id),
                recipient_user_id: Set(n.recipient_user_id),
                recipient: Set(n.recipient),
                subject: Set(n.subject),
                body: Set(n.body),
                body_html: Set(n.body_html),
                language: Set(n.language),
                status: Set(if in_app {
                    NotificationStatus::Sent
                } else {
                    NotificationStatus::Pending
                }),
                attempts: Set(0),
                last_error: Set(None),
                obligation_kind: Set(n.obligation_kind),
                reporting_year: Set(n.reporting_year),
                due_date: Set(n.due_date),
                round: Set(n.round),
                subject_id: Set(n.subject_id),
                next_attempt_at: Set(at),
                created_at: Set(at),
                updated_at: Set(at),
                sent_at: Set(in_app.then_some(at)),
                read_at: Set(None),
            }
        });
        written += notification::Entity::insert_many(models)
            .on_conflict(OnConflict::column(C::DedupeKey).do_nothing().to_owned())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(written)
}

/// A notification in the audit log: what it is and where it stands (its text is the
/// message's, not a change).
impl Audited for notification::Model {
    const ENTITY_TYPE: &'static str = "Notification";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"reason": self.reason, "channel": self.channel, "stateCode": self.state_code,
               "status": self.status, "attempts": self.attempts, "lastError": self.last_error,
               "nextAttemptAt": self.next_attempt_at, "sentAt": self.sent_at,
               "readAt": self.read_at})
    }
}

/// `notifications`' filter; filters combine, an empty list filters nothing.
#[derive(Clone, Debug, Default)]
pub struct NotificationFilter {
    /// Any of these statuses.
    pub status: Vec<NotificationStatus>,
    /// Any of these reasons.
    pub reason: Vec<NotificationReason>,
    pub channel: Option<NotificationChannel>,
    /// About this State (its code, in any case).
    pub state_code: Option<String>,
    /// Written at or after this instant.
    pub since: Option<DateTime<Utc>>,
}

impl NotificationFilter {
    fn condition(&self) -> Result<Condition, ServiceError> {
        use notification::Column as C;
        let mut r = Refusals::default();
        for (name, n) in [("status", self.status.len()), ("reason", self.reason.len())] {
            if n > MAX_FILTER_VALUES {
                r.push(
                    Code::InvalidInput,
                    &["filter", name],
                    format!("`{name}` takes at most {MAX_FILTER_VALUES} values."),
                );
            }
        }
        r.finish()?;
        let mut cond = Condition::all();
        if !self.status.is_empty() {
            cond = cond.add(C::Status.is_in(self.status.iter().copied()));
        }
        if !self.reason.is_empty() {
            cond = cond.add(C::Reason.is_in(self.reason.iter().copied()));
        }
        if let Some(ch) = self.channel {
            cond = cond.add(C::Channel.eq(ch));
        }
        if let Some(code) = &self.state_code {
            cond = cond.add(C::StateCode.eq(code.trim().to_uppercase()));
        }
        if let Some(since) = self.since {
            cond = cond.add(C::CreatedAt.gte(since));
        }
        Ok(cond)
    }
}

/// `notifications`: those the viewer reads ([`visibility::notifications`]) that `filter`
/// keeps, newest first; the count under the same rule. Signed-in viewers only.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &NotificationFilter,
    page: &PageRequest,
) -> Result<Page<notification::Model>, ServiceError> {
    viewer.require()?;
    let cond = filter.condition()?;
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        notification::Entity::find()
            .filter(visibility::notifications(viewer))
            .filter(cond),
        notification::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

/// The notifications about each of `codes` the viewer reads, a page each, newest first,
/// in one statement (two after a cursor). Every State asked for is in the answer.
pub async fn for_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<notification::Model>>, ServiceError> {
    let after = page.after_id()?;
    Ok(pagination::fetch_grouped(
        db,
        notification::Entity::find().filter(visibility::notifications(viewer)),
        notification::Column::StateCode,
        codes,
        |n| n.state_code.clone().unwrap_or_default(),
        notification::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

/// The notifications of `ids` the viewer reads, in one statement.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<notification::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    notification::Entity::find()
        .filter(notification::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::notifications(viewer))
        .all(db)
        .await
}

/// The viewer's in-app notices (`unread_only`: those not marked read).
fn of_viewer(me: Uuid, unread_only: bool) -> Condition {
    let mut cond = Condition::all()
        .add(notification::Column::Channel.eq(NotificationChannel::InApp))
        .add(notification::Column::RecipientUserId.eq(me));
    if unread_only {
        cond = cond.add(notification::Column::ReadAt.is_null());
    }
    cond
}

/// `myNotifications`: the viewer's in-app notices, newest first. Signed-in viewers only.
pub async fn mine(
    db: &DatabaseConnection,
    viewer: &Viewer,
    unread_only: bool,
    page: &PageRequest,
) -> Result<Page<notification::Model>, ServiceError> {
    let me = viewer.require()?.user_id;
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        notification::Entity::find().filter(of_viewer(me, unread_only)),
        notification::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

/// `unreadNotificationCount`: how many of the viewer's in-app notices are not marked read.
pub async fn unread_count(db: &DatabaseConnection, viewer: &Viewer) -> Result<u64, ServiceError> {
    let me = viewer.require()?.user_id;
    Ok(notification::Entity::find()
        .filter(of_viewer(me, true))
        .count(db)
        .await?)
}

/// `markNotificationsRead`: marks the viewer's unread in-app notices among `ids` read and
/// answers how many were unread. `ids` holds at most [`MAX_IDS`]; None stands for an ID
/// that names no notification. Every ID must name one of the viewer's own in-app notices:
/// when one does not, the whole input is refused (NOT_FOUND on that ID, the same whether it
/// names nothing or someone else's notification) and nothing is marked. Each notice marked
/// is audited.
pub async fn mark_read(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Option<Uuid>],
) -> Result<u64, ServiceError> {
    use notification::Column as C;
    let me = viewer.require()?.user_id;
    if ids.len() > MAX_IDS {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "ids"],
            format!(
                "`ids` takes at most {MAX_IDS} IDs; {} were given.",
                ids.len()
            ),
        ));
    }
    let mut wanted: Vec<Uuid> = ids.iter().flatten().copied().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let own: HashSet<Uuid> = if wanted.is_empty() {
        HashSet::new()
    } else {
        notification::Entity::find()
            .select_only()
            .column(C::Id)
            .filter(C::Id.is_in(wanted.iter().copied()))
            .filter(of_viewer(me, false))
            .into_tuple::<Uuid>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let mut r = Refusals::default();
    for (i, id) in ids.iter().enumerate() {
        if !id.is_some_and(|id| own.contains(&id)) {
            let index = i.to_string();
            r.push(
                Code::NotFound,
                &["input", "ids", &index],
                "No notification of yours has this ID: nothing was marked.",
            );
        }
    }
    r.finish()?;
    if own.is_empty() {
        return Ok(0);
    }
    let uow = Uow::begin(db, Some(me), "markNotificationsRead").await?;
    let unread = notification::Entity::find()
        .filter(C::Id.is_in(own.iter().copied()))
        .filter(of_viewer(me, true))
        .all(uow.txn())
        .await?;
    if unread.is_empty() {
        return Ok(0);
    }
    let t = now();
    let marked = notification::Entity::update_many()
        .col_expr(C::ReadAt, Expr::value(t))
        .col_expr(C::UpdatedAt, Expr::value(t))
        .filter(C::Id.is_in(unread.iter().map(|n| n.id)))
        .filter(C::ReadAt.is_null())
        .exec(uow.txn())
        .await?
        .rows_affected;
    for before in &unread {
        let after = notification::Model {
            read_at: Some(t),
            updated_at: t,
            ..before.clone()
        };
        uow.changed(before, &after).await?;
    }
    uow.commit().await?;
    Ok(marked)
}

/// `retryNotification`: ISU staff put a FAILED email back in the outbox: PENDING, its
/// attempts back to 0, due now; its last error is kept until the next attempt. Any other
/// row (an in-app notice, a PENDING, SENT or CANCELLED email) is INVALID_STATE_TRANSITION
/// and nothing is written. Audited.
pub async fn retry(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<notification::Model, ServiceError> {
    use notification::Column as C;
    let actor = viewer
        .require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?
        .user_id;
    let Some(before) = get_many(db, viewer, &[id]).await?.pop() else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "id"],
            "No such notification.",
        ));
    };
    if before.channel != NotificationChannel::Email {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "An in-app notification is not sent: there is nothing to retry.",
        ));
    }
    if before.status != NotificationStatus::Failed {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            format!(
                "Only a FAILED email can be put back in the outbox; this one is {}.",
                before.status.to_value()
            ),
        ));
    }
    let uow = Uow::begin(db, Some(actor), "retryNotification").await?;
    let t = now();
    let moved = notification::Entity::update_many()
        .col_expr(C::Status, Expr::value(NotificationStatus::Pending))
        .col_expr(C::Attempts, Expr::value(0))
        .col_expr(C::NextAttemptAt, Expr::value(t))
        .col_expr(C::UpdatedAt, Expr::value(t))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq(NotificationStatus::Failed))
        .exec(uow.txn())
        .await?
        .rows_affected;
    if moved != 1 {
        return Err(ServiceError::refused(
            Code::Conflict,
            &["input", "id"],
            "The notification changed meanwhile: reload it and try again.",
        ));
    }
    let after = notification::Entity::find_by_id(id)
        .one(uow.txn())
        .await?
        .ok_or_else(|| ServiceError::Internal("a notification vanished while retried".into()))?;
    uow.changed(&before, &after).await?;
    uow.commit().await?;
    Ok(after)
}
