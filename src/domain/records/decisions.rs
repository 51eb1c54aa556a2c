//! Decisions, recommendations and conclusions of meetings, and their follow-up: each change
//! appends an update (who, when, the status, a comment, evidence). Only the ISU writes; each
//! write is audited.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{Access, DecisionKind, ImplementationStatus as Status, UserRole};
use entity::{decision, decision_update, meeting, meeting_document};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};
use crate::rules::follow_up::{self, Refusal};

/// Action plan actions are numbered from 1; the Lausanne Action Plan has 50.
pub const MAX_ACTION: i32 = 100;
/// Most actions one decision serves.
pub const MAX_ACTIONS: usize = 50;

impl Audited for decision::Model {
    const ENTITY_TYPE: &'static str = "Decision";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({
            "meetingId": self.meeting_id,
            "kind": self.kind,
            "reference": self.reference,
            "text": self.text,
            "access": self.access,
            "responsible": self.responsible,
            "responsibleState": self.responsible_state,
            "dueOn": self.due_on,
            "status": self.status,
            "managementResponse": self.management_response,
            "actionPlanActions": actions(self),
            "supersededBy": self.superseded_by,
            "version": self.version,
        })
    }
}

/// The action plan actions a decision serves.
pub fn actions(d: &decision::Model) -> Vec<i32> {
    d.action_plan_actions
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect()
}

fn stored_actions(list: &[i32]) -> String {
    if list.is_empty() {
        String::new()
    } else {
        let joined: Vec<String> = list.iter().map(i32::to_string).collect();
        format!(",{},", joined.join(","))
    }
}

/// `recordDecision`'s input, in service terms.
#[derive(Debug)]
pub struct NewDecision {
    pub meeting_id: Uuid,
    pub kind: DecisionKind,
    pub reference: String,
    pub text: String,
    pub access: Access,
    pub responsible: String,
    pub responsible_state: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub management_response: Option<String>,
    pub action_plan_actions: Vec<i32>,
    pub supersedes: Option<Uuid>,
}

fn check_actions(r: &mut Refusals, list: &[i32]) -> Vec<i32> {
    let field = ["input", "actionPlanActions"];
    if list.len() > MAX_ACTIONS {
        r.push(
            Code::InvalidInput,
            &field,
            format!("At most {MAX_ACTIONS} actions."),
        );
    }
    if list.iter().any(|n| !(1..=MAX_ACTION).contains(n)) {
        r.push(
            Code::InvalidInput,
            &field,
            format!("Actions are numbered 1 to {MAX_ACTION}."),
        );
    }
    let mut out = list.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

async fn meeting_of(
    db: &DatabaseConnection,
    r: &mut Refusals,
    id: Uuid,
) -> Result<Option<meeting::Model>, DbErr> {
    let m = meeting::Entity::find_by_id(id).one(db).await?;
    if m.is_none() {
        r.push(Code::NotFound, &["input", "meetingId"], "No such meeting.");
    }
    Ok(m)
}

fn due_after_meeting(r: &mut Refusals, m: Option<&meeting::Model>, due: Option<NaiveDate>) {
    if let (Some(m), Some(due)) = (m, due)
        && due < m.starts_on
    {
        r.push(
            Code::InvalidInput,
            &["input", "dueOn"],
            format!("The due date lies before the meeting ({}).", m.starts_on),
        );
    }
}

fn update_row(
    decision_id: Uuid,
    actor: Option<Uuid>,
    status: Status,
    comment: Option<String>,
    evidence: Option<Uuid>,
) -> decision_update::ActiveModel {
    decision_update::ActiveModel {
        id: Set(Uuid::now_v7()),
        decision_id: Set(decision_id),
        at: Set(now()),
        by_user: Set(actor),
        status: Set(status),
        comment: Set(comment),
        evidence_document_id: Set(evidence),
    }
}

/// `recordDecision`: ISU staff.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewDecision,
) -> Result<decision::Model, ServiceError> {
    let staff = viewer.require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?;
    record_as(db, Some(staff.user_id), "recordDecision", new).await
}

/// Records a decision; `actor` is None for the system (seeding). The decision it supersedes
/// becomes SUPERSEDED in the same transaction, unless it already is.
pub async fn record_as(
    db: &DatabaseConnection,
    actor: Option<Uuid>,
    action: &'static str,
    new: NewDecision,
) -> Result<decision::Model, ServiceError> {
    let mut r = Refusals::default();
    let field = |f: &'static str| ["input", f];
    validate::required(
        &mut r,
        &field("reference"),
        &new.reference,
        SHORT_TEXT,
        Lines::One,
    );
    validate::required(&mut r, &field("text"), &new.text, TEXT, Lines::Many);
    validate::required(
        &mut r,
        &field("responsible"),
        &new.responsible,
        SHORT_TEXT,
        Lines::One,
    );
    let response = validate::trimmed(new.management_response);
    validate::optional(
        &mut r,
        &field("managementResponse"),
        response.as_deref(),
        TEXT,
        Lines::Many,
    );
    let actions = check_actions(&mut r, &new.action_plan_actions);
    let m = meeting_of(db, &mut r, new.meeting_id).await?;
    due_after_meeting(&mut r, m.as_ref(), new.due_on);
    let state = validate::trimmed(new.responsible_state).map(|c| c.to_uppercase());
    if let Some(code) = &state
        && crate::domain::states::service::by_code(db, code)
            .await?
            .is_none()
    {
        r.push(
            Code::NotFound,
            &field("responsibleStateCode"),
            format!("No State has the code {code}."),
        );
    }
    let superseded = match new.supersedes {
        Some(id) => {
            let old = decision::Entity::find_by_id(id).one(db).await?;
            match &old {
                None => r.push(Code::NotFound, &field("supersedesId"), "No such decision."),
                Some(o) if o.status == Status::Superseded => r.push(
                    Code::InvalidStateTransition,
                    &field("supersedesId"),
                    format!("{} is already superseded.", o.reference),
                ),
                Some(_) => {}
            }
            old
        }
        None => None,
    };
    r.finish()?;

    let t = now();
    let uow = Uow::begin(db, actor, action).await?;
    let created = decision::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(new.meeting_id),
        kind: Set(new.kind),
        reference: Set(new.reference.trim().to_owned()),
        text: Set(new.text.trim().to_owned()),
        access: Set(new.access),
        responsible: Set(new.responsible.trim().to_owned()),
        responsible_state: Set(state),
        due_on: Set(new.due_on),
        status: Set(Status::NotStarted),
        management_response: Set(response),
        action_plan_actions: Set(stored_actions(&actions)),
        superseded_by: Set(None),
        version: Set(1),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await?;
    update_row(
        created.id,
        actor,
        Status::NotStarted,
        Some("Recorded.".into()),
        None,
    )
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    if let Some(old) = superseded {
        // Only from the status it was read in: a concurrent change conflicts.
        let moved = decision::Entity::update_many()
            .col_expr(decision::Column::Status, Expr::value(Status::Superseded))
            .col_expr(decision::Column::SupersededBy, Expr::value(created.id))
            .col_expr(decision::Column::Version, Expr::value(old.version + 1))
            .col_expr(decision::Column::UpdatedAt, Expr::value(t))
            .filter(decision::Column::Id.eq(old.id))
            .filter(decision::Column::Version.eq(old.version))
            .exec(uow.txn())
            .await?;
        if moved.rows_affected != 1 {
            uow.rollback().await?;
            return Err(ServiceError::refused(
                Code::Conflict,
                &["input", "supersedesId"],
                "The superseded decision changed meanwhile: reload it.",
            ));
        }
        update_row(
            old.id,
            actor,
            Status::Superseded,
            Some(format!("Superseded by {}.", created.reference)),
            None,
        )
        .insert(uow.txn())
        .await?;
        let after = decision::Model {
            status: Status::Superseded,
            superseded_by: Some(created.id),
            version: old.version + 1,
            updated_at: t,
            ..old.clone()
        };
        uow.changed(&old, &after).await?;
    }
    uow.commit().await?;
    Ok(created)
}

/// `updateDecisionStatus`'s input, in service terms.
#[derive(Debug)]
pub struct StatusChange {
    pub id: Uuid,
    pub status: Status,
    pub expected_version: i32,
    pub comment: Option<String>,
    pub evidence: Option<Uuid>,
    pub management_response: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// `updateDecisionStatus`: ISU staff; out of a final status, administrators only.
pub async fn update_status(
    db: &DatabaseConnection,
    viewer: &Viewer,
    change: StatusChange,
) -> Result<decision::Model, ServiceError> {
    let staff = viewer.require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?;
    let actor = staff.user_id;
    let Some(current) = decision::Entity::find_by_id(change.id).one(db).await? else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "id"],
            "No such decision.",
        ));
    };
    let mut r = Refusals::default();
    let comment = validate::trimmed(change.comment);
    validate::optional(
        &mut r,
        &["input", "comment"],
        comment.as_deref(),
        TEXT,
        Lines::Many,
    );
    let response = validate::trimmed(change.management_response);
    validate::optional(
        &mut r,
        &["input", "managementResponse"],
        response.as_deref(),
        TEXT,
        Lines::Many,
    );
    match follow_up::change_allowed(
        current.status,
        change.status,
        viewer.is_admin(),
        comment.is_some(),
    ) {
        Ok(()) => {}
        Err(Refusal::FinalStatus) => r.push(
            Code::InvalidStateTransition,
            &["input", "status"],
            "The decision's status is final: only an administrator may change it.",
        ),
        Err(Refusal::SupersededByRecording) => r.push(
            Code::InvalidInput,
            &["input", "status"],
            "A decision becomes SUPERSEDED when the decision replacing it is recorded.",
        ),
        Err(Refusal::CommentRequired) => r.push(
            Code::InvalidInput,
            &["input", "comment"],
            "NOT_ACCEPTED needs a comment saying why.",
        ),
    }
    if let Some(doc) = change.evidence
        && meeting_document::Entity::find_by_id(doc)
            .one(db)
            .await?
            .is_none()
    {
        r.push(
            Code::NotFound,
            &["input", "evidenceDocumentId"],
            "No such document.",
        );
    }
    if change.due_on.is_some() {
        let m = meeting::Entity::find_by_id(current.meeting_id)
            .one(db)
            .await?;
        due_after_meeting(&mut r, m.as_ref(), change.due_on);
    }
    r.finish()?;
    if current.version != change.expected_version {
        return Err(stale());
    }
    let t = now();
    let next = decision::Model {
        status: change.status,
        management_response: response.or_else(|| current.management_response.clone()),
        due_on: change.due_on.or(current.due_on),
        version: current.version + 1,
        updated_at: t,
        ..current.clone()
    };
    let uow = Uow::begin(db, Some(actor), "updateDecisionStatus").await?;
    let moved = decision::Entity::update_many()
        .col_expr(decision::Column::Status, Expr::value(next.status))
        .col_expr(
            decision::Column::ManagementResponse,
            Expr::value(next.management_response.clone()),
        )
        .col_expr(decision::Column::DueOn, Expr::value(next.due_on))
        .col_expr(decision::Column::Version, Expr::value(next.version))
        .col_expr(decision::Column::UpdatedAt, Expr::value(t))
        .filter(decision::Column::Id.eq(current.id))
        .filter(decision::Column::Version.eq(change.expected_version))
        .exec(uow.txn())
        .await?;
    if moved.rows_affected != 1 {
        uow.rollback().await?;
        return Err(stale());
    }
    update_row(
        current.id,
        Some(actor),
        change.status,
        comment,
        change.evidence,
    )
    .insert(uow.txn())
    .await?;
    uow.changed(&current, &next).await?;
    uow.commit().await?;
    Ok(next)
}

fn stale() -> ServiceError {
    ServiceError::refused(
        Code::Conflict,
        &["input", "expectedVersion"],
        "The decision changed since you read it: reload it.",
    )
}

/// `DecisionFilter`, in service terms.
#[derive(Debug, Default, Clone)]
pub struct DecisionFilter {
    pub meeting_id: Option<Uuid>,
    pub kind: Option<DecisionKind>,
    pub status: Option<Vec<Status>>,
    /// Case-insensitive substring of `responsible`.
    pub responsible: Option<String>,
    pub responsible_state: Option<String>,
    pub overdue: Option<bool>,
    pub action_plan_action: Option<i32>,
    pub due_before: Option<NaiveDate>,
    /// Taken at meetings that start in these years (an action plan's).
    pub meeting_years: Option<(i32, i32)>,
}

/// The condition of `filter` for `viewer` as of `today`.
fn condition(viewer: &Viewer, filter: &DecisionFilter, today: NaiveDate) -> Condition {
    use decision::Column as C;
    let mut c = Condition::all().add(visibility::readable(viewer, C::Access));
    if let Some(m) = filter.meeting_id {
        c = c.add(C::MeetingId.eq(m));
    }
    if let Some(k) = filter.kind {
        c = c.add(C::Kind.eq(k));
    }
    if let Some(s) = filter.status.as_ref().filter(|s| !s.is_empty()) {
        c = c.add(C::Status.is_in(s.iter().copied()));
    }
    if let Some(text) = filter
        .responsible
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        c = c.add(
            Expr::expr(Func::lower(Expr::col(C::Responsible)))
                .like(validate::contains_pattern(text)),
        );
    }
    if let Some(code) = &filter.responsible_state {
        c = c.add(C::ResponsibleState.eq(code.trim().to_uppercase()));
    }
    if let Some(n) = filter.action_plan_action {
        c = c.add(C::ActionPlanActions.like(format!("%,{n},%")));
    }
    if let Some(d) = filter.due_before {
        c = c.add(C::DueOn.lt(d));
    }
    if let Some((first, last)) = filter.meeting_years {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(first, 1, 1),
            NaiveDate::from_ymd_opt(last, 12, 31),
        ) else {
            return Condition::all().add(Expr::val(false));
        };
        c = c.add(
            C::MeetingId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(meeting::Column::Id)
                    .from(meeting::Entity)
                    .and_where(meeting::Column::StartsOn.between(from, to))
                    .to_owned(),
            ),
        );
    }
    if let Some(overdue) = filter.overdue {
        let finals = [Status::Implemented, Status::NotAccepted, Status::Superseded];
        // Written out both ways: NOT over a NULL due date would keep nothing.
        c = c.add(if overdue {
            Condition::all()
                .add(C::DueOn.lt(today))
                .add(C::Status.is_not_in(finals))
        } else {
            Condition::any()
                .add(C::DueOn.is_null())
                .add(C::DueOn.gte(today))
                .add(C::Status.is_in(finals))
        });
    }
    c
}

/// The decisions matching `filter` that `viewer` may read, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &DecisionFilter,
    today: NaiveDate,
    page: PageRequest,
) -> Result<Page<decision::Model>, ServiceError> {
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        decision::Entity::find().filter(condition(viewer, filter, today)),
        decision::Column::Id,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?)
}

/// The follow-up table of the decisions matching `filter` that `viewer` may read, counted
/// by status, in the enum's order; statuses nothing has are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: u64,
    pub overdue: u64,
    pub by_status: Vec<(Status, u64)>,
}

pub async fn summary(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &DecisionFilter,
    today: NaiveDate,
) -> Result<Summary, DbErr> {
    let rows: Vec<(Status, Option<NaiveDate>)> = decision::Entity::find()
        .select_only()
        .column(decision::Column::Status)
        .column(decision::Column::DueOn)
        .filter(condition(viewer, filter, today))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<Status, u64> = HashMap::new();
    let mut overdue = 0;
    for (status, due) in &rows {
        *counts.entry(*status).or_default() += 1;
        if follow_up::overdue(*due, *status, today) {
            overdue += 1;
        }
    }
    use sea_orm::Iterable;
    Ok(Summary {
        total: rows.len() as u64,
        overdue,
        by_status: Status::iter()
            .filter_map(|s| counts.get(&s).map(|n| (s, *n)))
            .collect(),
    })
}

/// The decisions of `ids` that `viewer` may read.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<decision::Model>, DbErr> {
    decision::Entity::find()
        .filter(decision::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::readable(viewer, decision::Column::Access))
        .all(db)
        .await
}

/// The updates of each of `ids`, oldest first.
pub async fn updates_of(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<decision_update::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<decision_update::Model>> = HashMap::new();
    for u in decision_update::Entity::find()
        .filter(decision_update::Column::DecisionId.is_in(ids.iter().copied()))
        .order_by_asc(decision_update::Column::Id)
        .all(db)
        .await?
    {
        out.entry(u.decision_id).or_default().push(u);
    }
    Ok(out)
}

/// Every decision matching `filter` that `viewer` may read, oldest first: for exports.
pub async fn all_matching(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &DecisionFilter,
    today: NaiveDate,
) -> Result<Vec<decision::Model>, DbErr> {
    decision::Entity::find()
        .filter(condition(viewer, filter, today))
        .order_by_asc(decision::Column::Id)
        .all(db)
        .await
}
