//! Meetings: creating and listing them, and a meeting's budget figures.

use chrono::NaiveDate;
use entity::enums::MeetingKind;
use entity::meeting;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::{ISU, checked_cents, refused};
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT};

/// `createMeeting`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub venue: Option<String>,
    pub application_deadline: Option<NaiveDate>,
    pub budget: Option<Money>,
    pub dsa: Option<Money>,
}

pub fn meeting_json(m: &meeting::Model) -> serde_json::Value {
    json!({
        "id": m.id, "kind": m.kind, "title": m.title, "startsOn": m.starts_on,
        "endsOn": m.ends_on, "venue": m.venue, "applicationDeadline": m.application_deadline,
        "sponsorshipBudgetCents": m.sponsorship_budget_cents, "dsaCents": m.dsa_cents,
        "currency": m.currency, "committedCents": m.committed_cents,
    })
}

impl Audited for meeting::Model {
    const ENTITY_TYPE: &'static str = "Meeting";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        meeting_json(self)
    }
}

/// `createMeeting`: ISU staff.
pub async fn create_meeting(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewMeeting,
) -> Result<meeting::Model, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let mut r = Refusals::default();
    let title = new.title.trim().to_owned();
    validate::required(&mut r, &["input", "title"], &title, SHORT_TEXT, Lines::One);
    let venue = new
        .venue
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    validate::optional(
        &mut r,
        &["input", "venue"],
        venue.as_deref(),
        SHORT_TEXT,
        Lines::One,
    );
    validate::period(
        &mut r,
        &["input", "startsOn"],
        &["input", "endsOn"],
        Some(new.starts_on),
        Some(new.ends_on),
    );
    if new.application_deadline.is_some_and(|d| d > new.starts_on) {
        r.push(
            Code::InvalidInput,
            &["input", "applicationDeadline"],
            "The application deadline must fall on or before the first day of the meeting.",
        );
    }
    let budget = new.budget.as_ref().and_then(|m| {
        checked_cents(m, &["input", "sponsorshipBudget"], &mut r).map(|c| (c, &m.currency))
    });
    let dsa = new.dsa.as_ref().and_then(|m| {
        checked_cents(m, &["input", "dailySubsistenceAllowance"], &mut r).map(|c| (c, &m.currency))
    });
    match (&budget, &dsa) {
        (Some((_, b)), Some((_, d))) if b != d => r.push(
            Code::InvalidInput,
            &["input", "dailySubsistenceAllowance", "currency"],
            format!("The daily allowance must be in the budget's currency, {b}."),
        ),
        (None, Some(_)) if new.budget.is_none() => r.push(
            Code::InvalidInput,
            &["input", "dailySubsistenceAllowance"],
            "A daily allowance needs a sponsorship budget.",
        ),
        _ => {}
    }
    r.finish()?;
    let t = now();
    let uow = Uow::begin(db, Some(actor), "createMeeting").await?;
    let created = meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(new.kind),
        title: Set(title),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        venue: Set(venue),
        application_deadline: Set(new.application_deadline),
        sponsorship_budget_cents: Set(budget.as_ref().map(|b| b.0)),
        dsa_cents: Set(budget.as_ref().map(|_| dsa.as_ref().map_or(0, |d| d.0))),
        currency: Set(budget.map(|b| b.1.clone())),
        committed_cents: Set(0),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// Meetings are public.
pub async fn get_meeting(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<meeting::Model>, DbErr> {
    meeting::Entity::find_by_id(id).one(db).await
}

/// The meetings of `ids`, in one statement. Meetings are public.
pub async fn get_meetings(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct MeetingFilter {
    pub kind: Option<MeetingKind>,
    /// Meetings that start in this calendar year.
    pub year: Option<i32>,
}

/// Meetings in the order they were created.
pub async fn list_meetings(
    db: &DatabaseConnection,
    filter: MeetingFilter,
    page: PageRequest,
) -> Result<Page<meeting::Model>, ServiceError> {
    let mut q = meeting::Entity::find();
    if let Some(kind) = filter.kind {
        q = q.filter(meeting::Column::Kind.eq(kind));
    }
    if let Some(year) = filter.year {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(refused(
                Code::InvalidInput,
                &["filter", "year"],
                "Not a calendar year.",
            ));
        };
        q = q.filter(meeting::Column::StartsOn.between(first, last));
    }
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        q,
        meeting::Column::Id,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?)
}

/// The sponsorship figures of a meeting, in cents of its currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    pub budget: i64,
    pub committed: i64,
    pub remaining: i64,
    pub currency: String,
}

/// Budget, committed and remaining: for any logged-in user (no personal data). A meeting
/// without a sponsorship programme has zero of everything, in the base currency.
pub fn figures(
    viewer: &Viewer,
    m: &meeting::Model,
    base_currency: &str,
) -> Result<Figures, ServiceError> {
    viewer.require()?;
    let budget = m.sponsorship_budget_cents.unwrap_or(0);
    Ok(Figures {
        budget,
        committed: m.committed_cents,
        remaining: budget - m.committed_cents,
        currency: m
            .currency
            .clone()
            .unwrap_or_else(|| base_currency.to_owned()),
    })
}
