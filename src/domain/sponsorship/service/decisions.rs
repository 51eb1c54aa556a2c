//! The ISU's decisions on an application, within the meeting's budget, and withdrawal.

use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, UserRole};
use entity::{meeting, sponsorship_application as application};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use uuid::Uuid;

use super::{
    Application, ISU, can_decide, can_withdraw, checked_cents, get_application, get_meeting,
    refused,
};
use crate::auth::Viewer;
use crate::domain::notifications::{NotificationsConfig, events};
use crate::domain::sponsorship::SponsorshipConfig;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::{Money, from_cents};
use crate::kernel::uow::{Uow, bounded_add};
use crate::kernel::validate::{self, Lines, TEXT};

/// `decideSponsorshipApplication`'s input; `application_id` is None when it was not an
/// application's ID.
#[derive(Debug, Clone)]
pub struct Decision {
    pub application_id: Option<Uuid>,
    pub decision: ApplicationStatus,
    /// APPROVED only; defaults to the requested total.
    pub approved: Option<Money>,
    pub note: Option<String>,
}

/// Adds `delta` cents to a meeting's committed amount unless that would pass its budget
/// or go below zero. False when refused.
async fn commit_funds(
    conn: &impl ConnectionTrait,
    meeting: Uuid,
    delta: i64,
) -> Result<bool, DbErr> {
    use meeting::Column as C;
    let (value, cap) = (C::CommittedCents, C::SponsorshipBudgetCents);
    bounded_add(conn, C::Id, meeting, value, cap, Some(C::UpdatedAt), delta).await
}

fn money_text(cents: i64, currency: &str) -> String {
    format!("{} {currency}", from_cents(cents))
}

/// `decideSponsorshipApplication`: ISU staff. An approval stays within the remaining
/// budget (`OVER_BUDGET` otherwise) and, for an ineligible application, needs a note. An
/// outcome (APPROVED, WAITLISTED, REJECTED) is announced to the applicant State in the same
/// transaction ([`events::sponsorship_decided`]).
pub async fn decide(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    notices: &NotificationsConfig,
    viewer: &Viewer,
    d: Decision,
    today: NaiveDate,
) -> Result<Application, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let app = match d.application_id {
        Some(id) => get_application(db, cfg, viewer, id, today).await?,
        None => None,
    }
    .ok_or_else(|| {
        refused(
            Code::NotFound,
            &["input", "applicationId"],
            "No such application.",
        )
    })?;
    let from = app.row.status;
    if d.decision == ApplicationStatus::Withdrawn {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "decision"],
            "Withdrawal is the applicant's: use withdrawSponsorshipApplication.",
        ));
    }
    if !can_decide(from, d.decision) {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "decision"],
            format!("A {from:?} application cannot become {:?}.", d.decision),
        ));
    }
    let note = d
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut r = Refusals::default();
    validate::optional(
        &mut r,
        &["input", "note"],
        note.as_deref(),
        TEXT,
        Lines::Many,
    );
    let currency = app.currency().to_owned();
    let requested = app.requested_total_cents();
    let approved = if d.decision == ApplicationStatus::Approved {
        let cents = match &d.approved {
            None => Some(requested),
            Some(m) => {
                let field = &["input", "approvedAmount"];
                let positive = if m.amount.is_zero() {
                    r.push(
                        Code::InvalidInput,
                        field,
                        "An approval is of a positive amount: reject the application instead.",
                    );
                    None
                } else {
                    checked_cents(m, field, &mut r)
                };
                match positive {
                    Some(_) if m.currency != currency => {
                        r.push(
                            Code::InvalidInput,
                            &["input", "approvedAmount", "currency"],
                            format!("Amounts for this meeting are in {currency}."),
                        );
                        None
                    }
                    Some(c) if c > requested => {
                        r.push(
                            Code::InvalidInput,
                            field,
                            format!(
                                "The approved amount may not exceed the requested total, {}.",
                                money_text(requested, &currency)
                            ),
                        );
                        None
                    }
                    other => other,
                }
            }
        };
        if !app.eligibility.eligible && note.is_none() {
            r.push(
                Code::InvalidInput,
                &["input", "note"],
                "This application is not eligible under the sponsorship policy: approving it needs a note saying why.",
            );
        }
        cents
    } else {
        if d.approved.is_some() {
            r.push(
                Code::InvalidInput,
                &["input", "approvedAmount"],
                "Only an approval takes an amount.",
            );
        }
        None
    };
    r.finish()?;

    let t = now();
    let uow = Uow::begin(db, Some(actor), "decideSponsorshipApplication").await?;
    // Only the status it was read in may change: a concurrent decision wins, this one
    // conflicts.
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(d.decision))
        .col_expr(application::Column::ApprovedCents, Expr::value(approved))
        .col_expr(application::Column::DecidedAt, Expr::value(t))
        .col_expr(application::Column::DecidedBy, Expr::value(actor))
        .col_expr(application::Column::UpdatedAt, Expr::value(t));
    if let Some(n) = &note {
        update = update.col_expr(application::Column::DecisionNote, Expr::value(n.clone()));
    }
    let moved = update
        .filter(application::Column::Id.eq(app.row.id))
        .filter(application::Column::Status.eq(from))
        .exec(uow.txn())
        .await?;
    if moved.rows_affected != 1 {
        uow.rollback().await?;
        return Err(refused(
            Code::Conflict,
            &["input", "applicationId"],
            "The application changed meanwhile: reload it.",
        ));
    }
    if let Some(cents) = approved
        && !commit_funds(uow.txn(), app.meeting.id, cents).await?
    {
        uow.rollback().await?;
        let remaining = get_meeting(db, app.meeting.id)
            .await?
            .map(|m| m.sponsorship_budget_cents.unwrap_or(0) - m.committed_cents)
            .unwrap_or(0);
        return Err(refused(
            Code::OverBudget,
            &["input", "approvedAmount"],
            format!(
                "Approving {} would overspend the sponsorship budget: {} remains.",
                money_text(cents, &currency),
                money_text(remaining, &currency)
            ),
        ));
    }
    let updated = application::Entity::find_by_id(app.row.id)
        .one(uow.txn())
        .await?
        .ok_or_else(|| ServiceError::Internal("application vanished".into()))?;
    uow.changed(&app.row, &updated).await?;
    events::sponsorship_decided(uow.txn(), notices, &updated, &app.meeting).await?;
    uow.commit().await?;
    let meeting = get_meeting(db, app.meeting.id)
        .await?
        .ok_or_else(|| ServiceError::Internal("meeting vanished".into()))?;
    Ok(Application {
        row: updated,
        meeting: Arc::new(meeting),
        ..app
    })
}

/// `withdrawSponsorshipApplication`: the applicant's delegation or ISU staff. An approved
/// amount returns to the budget.
pub async fn withdraw(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    id: Option<Uuid>,
    today: NaiveDate,
) -> Result<Application, ServiceError> {
    viewer.require()?;
    if viewer
        .principal()
        .is_some_and(|p| p.role == UserRole::Coordinator)
    {
        return Err(refused(
            Code::Forbidden,
            &[],
            "Coordinators see sponsorship statistics only.",
        ));
    }
    let app = match id {
        Some(id) => get_application(db, cfg, viewer, id, today).await?,
        None => None,
    }
    .ok_or_else(|| refused(Code::NotFound, &["input", "id"], "No such application."))?;
    let actor = viewer.require_acting_for(&app.row.state_code)?.user_id;
    let from = app.row.status;
    if !can_withdraw(from) {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            format!("A {from:?} application cannot be withdrawn."),
        ));
    }
    let t = now();
    let uow = Uow::begin(db, Some(actor), "withdrawSponsorshipApplication").await?;
    let moved = application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::value(ApplicationStatus::Withdrawn),
        )
        .col_expr(application::Column::ApprovedCents, Expr::value(None::<i64>))
        .col_expr(application::Column::UpdatedAt, Expr::value(t))
        .filter(application::Column::Id.eq(app.row.id))
        .filter(application::Column::Status.eq(from))
        .exec(uow.txn())
        .await?;
    if moved.rows_affected != 1 {
        uow.rollback().await?;
        return Err(refused(
            Code::Conflict,
            &["input", "id"],
            "The application changed meanwhile: reload it.",
        ));
    }
    if from == ApplicationStatus::Approved
        && let Some(cents) = app.row.approved_cents
        && !commit_funds(uow.txn(), app.meeting.id, -cents).await?
    {
        uow.rollback().await?;
        return Err(ServiceError::Internal(
            "committed sponsorship funds below zero".into(),
        ));
    }
    let updated = application::Entity::find_by_id(app.row.id)
        .one(uow.txn())
        .await?
        .ok_or_else(|| ServiceError::Internal("application vanished".into()))?;
    uow.changed(&app.row, &updated).await?;
    uow.commit().await?;
    let meeting = get_meeting(db, app.meeting.id)
        .await?
        .ok_or_else(|| ServiceError::Internal("meeting vanished".into()))?;
    Ok(Application {
        row: updated,
        meeting: Arc::new(meeting),
        ..app
    })
}
