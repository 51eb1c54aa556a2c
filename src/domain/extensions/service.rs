//! Reads of extension requests, each through [`super::visibility`], and what the writes of
//! [`super::lifecycle`] and [`super::analysis`] share: the row for a write, its elements as
//! the article lists them, its `submitBy`, and how a request shows in the audit log.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{ExtensionRequestStatus as Status, ObligationKind as StoredKind};
use entity::{
    extension_request, extension_request_document, extension_request_element,
    extension_request_question, meeting, meeting_document,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::error::{Code, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::Audited;
use crate::rules::obligations::milestones;

/// A request in the audit log: every field an update may change, under its ID. Elements,
/// questions and documents are recorded by the writes that change them, as their own
/// entries' JSON says.
impl Audited for extension_request::Model {
    const ENTITY_TYPE: &'static str = "ExtensionRequest";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({
            "stateCode": self.state_code,
            "kind": self.kind,
            "currentDeadline": self.current_deadline,
            "requestedDeadline": self.requested_deadline,
            "meetingId": self.meeting_id,
            "extendedBefore": self.extended_before,
            "status": self.status,
            "submittedOn": self.submitted_on,
            "outcome": self.outcome,
            "grantedDeadline": self.granted_deadline,
            "decidedOn": self.decided_on,
            "decisionId": self.decision_id,
            "extensionId": self.extension_id,
            "previousId": self.previous_id,
            "withdrawnOn": self.withdrawn_on,
            "withdrawalReason": self.withdrawal_reason,
            "version": self.version,
        })
    }
}

/// `ExtensionRequestFilter`, in service terms; filters combine.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub state_code: Option<String>,
    pub kind: Option<StoredKind>,
    /// Any of these; all when None or empty.
    pub status: Option<Vec<Status>>,
    pub meeting_id: Option<Uuid>,
}

/// The requests of `ids` that `viewer` may read.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<extension_request::Model>, DbErr> {
    extension_request::Entity::find()
        .filter(extension_request::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::readable(viewer))
        .all(db)
        .await
}

/// The requests `viewer` may read, oldest first (IDs are time-ordered), narrowed by `filter`.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<extension_request::Model>, ServiceError> {
    use extension_request::Column as C;
    viewer.require()?;
    let after = page.after_id()?;
    let mut select = extension_request::Entity::find().filter(visibility::readable(viewer));
    if let Some(code) = filter.state_code {
        select = select.filter(C::StateCode.eq(code.trim().to_uppercase()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(C::Kind.eq(kind));
    }
    if let Some(statuses) = filter.status.filter(|s| !s.is_empty()) {
        select = select.filter(C::Status.is_in(statuses));
    }
    if let Some(m) = filter.meeting_id {
        select = select.filter(C::MeetingId.eq(m));
    }
    Ok(pagination::fetch(db, select, C::Id, Direction::Ascending, after, page.limit).await?)
}

/// The requests of each State in `codes` that `viewer` may read, oldest first.
pub async fn of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
) -> Result<HashMap<String, Vec<extension_request::Model>>, DbErr> {
    let rows = extension_request::Entity::find()
        .filter(extension_request::Column::StateCode.is_in(codes.iter().cloned()))
        .filter(visibility::readable(viewer))
        .order_by_asc(extension_request::Column::Id)
        .all(db)
        .await?;
    Ok(grouped(rows, |r| r.state_code.clone()))
}

/// The requests each meeting of `ids` is asked to decide that `viewer` may read, oldest
/// first.
pub async fn of_meetings(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<extension_request::Model>>, DbErr> {
    let rows = extension_request::Entity::find()
        .filter(extension_request::Column::MeetingId.is_in(ids.iter().copied()))
        .filter(visibility::readable(viewer))
        .order_by_asc(extension_request::Column::Id)
        .all(db)
        .await?;
    Ok(grouped(rows, |r| r.meeting_id))
}

/// The element texts of each request of `ids`. The caller holds requests its viewer reads.
pub async fn elements_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<extension_request_element::Model>>, DbErr> {
    let rows = extension_request_element::Entity::find()
        .filter(extension_request_element::Column::RequestId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(grouped(rows, |r| r.request_id))
}

/// The questions of each request of `ids`, in the order asked. The caller holds requests
/// its viewer reads.
pub async fn questions_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<extension_request_question::Model>>, DbErr> {
    let rows = extension_request_question::Entity::find()
        .filter(extension_request_question::Column::RequestId.is_in(ids.iter().copied()))
        .order_by_asc(extension_request_question::Column::Number)
        .all(db)
        .await?;
    Ok(grouped(rows, |r| r.request_id))
}

/// The documents attached to each request of `ids` that `viewer` may read (the records'
/// rule), oldest first. The caller holds requests its viewer reads.
pub async fn documents_of(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<meeting_document::Model>>, DbErr> {
    let links = extension_request_document::Entity::find()
        .filter(extension_request_document::Column::RequestId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let doc_ids: Vec<Uuid> = links.iter().map(|l| l.document_id).collect();
    let docs: HashMap<Uuid, meeting_document::Model> =
        crate::domain::records::documents::get_many(db, viewer, &doc_ids)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
    let mut out: HashMap<Uuid, Vec<meeting_document::Model>> = HashMap::new();
    for l in links {
        if let Some(d) = docs.get(&l.document_id) {
            out.entry(l.request_id).or_default().push(d.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|d| d.id);
    }
    Ok(out)
}

/// `rows` by `key`, each group in the rows' order.
fn grouped<K: std::hash::Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for r in rows {
        out.entry(key(&r)).or_default().push(r);
    }
    out
}

/// The request `id` for a write by `viewer`: NOT_FOUND on `input.<field>` when there is none
/// the viewer reads, so a write never tells more than a read.
pub async fn for_write(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    field: &str,
) -> Result<extension_request::Model, ServiceError> {
    match extension_request::Entity::find_by_id(id).one(db).await? {
        Some(r) if visibility::may_read(viewer, &r) => Ok(r),
        _ => Err(ServiceError::refused(
            Code::NotFound,
            &["input", field],
            "No such extension request.",
        )),
    }
}

/// CONFLICT on `input.expectedVersion`: the request changed since the caller read it.
pub fn stale() -> ServiceError {
    ServiceError::refused(
        Code::Conflict,
        &["input", "expectedVersion"],
        "The extension request changed since you read it: reload it.",
    )
}

/// Neither decided nor withdrawn.
pub fn under_way(r: &extension_request::Model) -> bool {
    Status::UNDER_WAY.contains(&r.status)
}

/// One element of a request: the provision, what it asks for, and the request's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub provision: &'static str,
    pub requirement: &'static str,
    pub text: Option<String>,
}

/// The elements `r` must set out, in the article's order, with the texts of `rows` (the
/// request's element rows; others are ignored).
pub fn elements(
    r: &extension_request::Model,
    rows: &[extension_request_element::Model],
) -> Vec<Element> {
    milestones::elements(r.kind.into(), r.extended_before)
        .into_iter()
        .map(|provision| Element {
            provision,
            requirement: milestones::requirement(provision).unwrap_or_default(),
            text: rows
                .iter()
                .find(|row| row.provision == provision)
                .map(|row| row.text.clone()),
        })
        .collect()
}

/// The provisions of `elements` without text, in order.
pub fn missing(elements: &[Element]) -> Vec<&'static str> {
    elements
        .iter()
        .filter(|e| e.text.is_none())
        .map(|e| e.provision)
        .collect()
}

/// The last day to submit `r` to `meeting` (which must be `r`'s meeting): nine calendar
/// months before it opens, never after the deadline in force.
pub fn submit_by(r: &extension_request::Model, meeting: &meeting::Model) -> NaiveDate {
    milestones::submit_by(meeting.starts_on, r.current_deadline).unwrap_or(r.current_deadline)
}

/// Submitted after its `submitBy`.
pub fn late(r: &extension_request::Model, meeting: &meeting::Model) -> bool {
    r.submitted_on.is_some_and(|d| d > submit_by(r, meeting))
}
