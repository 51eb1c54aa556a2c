//! A request's life before the meeting: `openExtensionRequest`, `updateExtensionRequest`,
//! `submitExtensionRequest`, `withdrawExtensionRequest`. The State's delegation and ISU staff
//! write; every write is one unit of work with its audit entry.
//!
//! - Each write checks everything first and writes nothing on a refusal; independent input
//!   refusals come back together. The version a client read is checked before, and again by
//!   the conditional `UPDATE … WHERE version = expected` inside the unit of work, so that of
//!   two concurrent writes the second is refused with CONFLICT.
//! - [`open`] takes the deadline in force from the obligations engine as of today; the
//!   request keeps it as `current_deadline`, and [`update`] checks the requested deadline and
//!   the meeting against it. One request under way per State and kind: a pre-check says so
//!   clearly, and the partial unique index of the table settles two concurrent opens, the
//!   loser's insert failing into the same ALREADY_EXISTS.
//! - [`update`] changes the requested deadline, the meeting, element texts (an empty text
//!   clears it) and the attached documents (the list is replaced; documents the writer
//!   cannot read stay attached, since they could not name them). Once submitted, the request
//!   must stay complete. An update that changes nothing writes nothing. Its audit entry
//!   shows the request's fields with `elements` (provision → text) and `documentIds`.
//! - [`submit`]: a complete DRAFT, not after the deadline in force; `submitted_on` is today,
//!   and from then on every signed-in user reads it ([`super::visibility`]).
//! - [`withdraw`]: any request under way, with a reason.

use std::collections::{BTreeMap, HashSet};

use chrono::{Months, NaiveDate};
use entity::enums::{
    ExtensionOutcome, ExtensionRequestStatus as Status, ObligationKind as StoredKind,
};
use entity::{
    deadline_extension, extension_request, extension_request_document, extension_request_element,
    meeting,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::service;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, ENTRY_TEXT, Lines, TEXT};
use crate::rules::obligations::{ObligationKind, ObligationStatus, milestones};

/// `openExtensionRequest`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub state_code: String,
    pub kind: StoredKind,
    pub requested_deadline: NaiveDate,
    pub meeting_id: Uuid,
}

/// One element's text: None or empty clears it.
#[derive(Debug, Clone)]
pub struct ElementText {
    pub provision: String,
    pub text: Option<String>,
}

/// `updateExtensionRequest`'s input, in service terms: None keeps a field.
#[derive(Debug, Clone)]
pub struct RequestUpdate {
    pub id: Uuid,
    pub expected_version: i32,
    pub requested_deadline: Option<NaiveDate>,
    pub meeting_id: Option<Uuid>,
    pub elements: Option<Vec<ElementText>>,
    /// Replaces the attached documents.
    pub document_ids: Option<Vec<Uuid>>,
}

/// The stored name of `kind`, as messages write it (`CLEARANCE`).
fn kind_name(kind: StoredKind) -> String {
    sea_orm::ActiveEnum::to_value(&kind)
}

/// The requested deadline's rule: after `current`, at most the article's longest step later.
fn check_requested(r: &mut Refusals, kind: StoredKind, current: NaiveDate, requested: NaiveDate) {
    let field = ["input", "requestedDeadline"];
    if requested <= current {
        r.push(
            Code::InvalidInput,
            &field,
            format!("The requested deadline must lie after the deadline in force, {current}."),
        );
        return;
    }
    let months = milestones::maximum_months(kind.into()).unwrap_or(0);
    let latest = current
        .checked_add_months(Months::new(months))
        .unwrap_or(current);
    if requested > latest {
        r.push(
            Code::InvalidInput,
            &field,
            format!(
                "One extension may ask for at most {months} months: from the deadline in force \
                 ({current}) to {latest} at the latest."
            ),
        );
    }
}

/// The meeting `id`, if it may decide a request whose deadline in force is `current` (None
/// when not known, for an input refused otherwise): a Meeting of States Parties or Review
/// Conference that opens on or before that deadline and has not ended before `today`.
async fn check_meeting(
    db: &DatabaseConnection,
    r: &mut Refusals,
    id: Uuid,
    current: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<meeting::Model>, DbErr> {
    let field = ["input", "meetingId"];
    let Some(m) = meeting::Entity::find_by_id(id).one(db).await? else {
        r.push(Code::NotFound, &field, "No such meeting.");
        return Ok(None);
    };
    if !m.kind.decides_extensions() {
        r.push(
            Code::InvalidInput,
            &field,
            format!(
                "{} is not a Meeting of States Parties or Review Conference: only those decide \
                 extension requests.",
                m.title
            ),
        );
    } else if let Some(deadline) = current
        && m.starts_on > deadline
    {
        r.push(
            Code::InvalidInput,
            &field,
            format!(
                "{} opens on {}, after the deadline in force ({deadline}): choose a meeting \
                 that opens on or before it.",
                m.title, m.starts_on
            ),
        );
    } else if m.ends_on < today {
        r.push(
            Code::InvalidInput,
            &field,
            format!("{} ended on {}.", m.title, m.ends_on),
        );
    }
    Ok(Some(m))
}

/// The request of `state_code` and `kind` under way, if any.
async fn under_way_for(
    db: &DatabaseConnection,
    state_code: &str,
    kind: StoredKind,
) -> Result<Option<extension_request::Model>, DbErr> {
    extension_request::Entity::find()
        .filter(extension_request::Column::StateCode.eq(state_code))
        .filter(extension_request::Column::Kind.eq(kind))
        .filter(extension_request::Column::Status.is_in(Status::UNDER_WAY))
        .one(db)
        .await
}

fn already_exists(state_name: &str, kind: StoredKind) -> ServiceError {
    ServiceError::refused(
        Code::AlreadyExists,
        &["input", "kind"],
        format!(
            "{state_name} already has a {} extension request under way: update it, or \
             withdraw it first.",
            kind_name(kind)
        ),
    )
}

/// `openExtensionRequest`: a DRAFT, by the State's delegation or ISU staff.
pub async fn open(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    input: OpenRequest,
) -> Result<extension_request::Model, ServiceError> {
    viewer.require()?;
    let code = input.state_code.trim().to_uppercase();
    let Some(state) = crate::domain::states::service::by_code(db, &code).await? else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "stateCode"],
            format!("No State has the code {code}."),
        ));
    };
    let actor = viewer.require_acting_for(&state.code)?.user_id;
    let kind = input.kind;
    let mut r = Refusals::default();
    let kind_field = ["input", "kind"];
    let mut current = None;
    if matches!(
        kind,
        StoredKind::StockpileDestruction | StoredKind::Clearance
    ) {
        let rule_kind = ObligationKind::from(kind);
        let obligation = crate::domain::states::obligations::for_state(db, &state, today)
            .await?
            .into_iter()
            .find(|o| o.kind == rule_kind);
        match obligation {
            None => r.push(
                Code::InvalidInput,
                &kind_field,
                format!(
                    "{} has no {} obligation to extend.",
                    state.name,
                    kind_name(kind)
                ),
            ),
            Some(o) if o.status == ObligationStatus::Met => r.push(
                Code::InvalidInput,
                &kind_field,
                format!(
                    "{}'s {} obligation is already met.",
                    state.name,
                    kind_name(kind)
                ),
            ),
            Some(o) if o.due_date < today => r.push(
                Code::InvalidInput,
                &kind_field,
                format!(
                    "{}'s {} deadline ({}) has passed: a request must be made before it.",
                    state.name,
                    kind_name(kind),
                    o.due_date
                ),
            ),
            Some(o) => current = Some(o.due_date),
        }
    } else {
        r.push(
            Code::InvalidInput,
            &kind_field,
            "Only the STOCKPILE_DESTRUCTION (Article 3) and CLEARANCE (Article 4) deadlines \
             can be extended.",
        );
    }
    if let Some(current) = current {
        check_requested(&mut r, kind, current, input.requested_deadline);
    }
    check_meeting(db, &mut r, input.meeting_id, current, today).await?;
    r.finish()?;
    let Some(current) = current else {
        return Err(ServiceError::Internal("checked above".into()));
    };
    if under_way_for(db, &state.code, kind).await?.is_some() {
        return Err(already_exists(&state.name, kind));
    }
    let extended_before = deadline_extension::Entity::find()
        .filter(deadline_extension::Column::StateCode.eq(&state.code))
        .filter(deadline_extension::Column::Kind.eq(kind))
        .count(db)
        .await?
        > 0;
    let previous = extension_request::Entity::find()
        .filter(extension_request::Column::StateCode.eq(&state.code))
        .filter(extension_request::Column::Kind.eq(kind))
        .filter(extension_request::Column::Status.eq(Status::Decided))
        .filter(
            extension_request::Column::Outcome
                .is_in([ExtensionOutcome::Granted, ExtensionOutcome::GrantedShorter]),
        )
        .order_by_desc(extension_request::Column::DecidedOn)
        .order_by_desc(extension_request::Column::Id)
        .one(db)
        .await?;

    let t = now();
    let uow = Uow::begin(db, Some(actor), "openExtensionRequest").await?;
    let inserted = extension_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(state.code.clone()),
        kind: Set(kind),
        current_deadline: Set(current),
        requested_deadline: Set(input.requested_deadline),
        meeting_id: Set(input.meeting_id),
        extended_before: Set(extended_before),
        status: Set(Status::Draft),
        submitted_on: Set(None),
        outcome: Set(None),
        granted_deadline: Set(None),
        decided_on: Set(None),
        decision_id: Set(None),
        extension_id: Set(None),
        previous_id: Set(previous.map(|p| p.id)),
        withdrawn_on: Set(None),
        withdrawal_reason: Set(None),
        version: Set(1),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    // Another open for the same State and kind committed since the pre-check: the partial
    // unique index refused this one.
    let created = match inserted {
        Ok(c) => c,
        Err(e) if e.is_unique_violation() => {
            uow.rollback().await?;
            return Err(already_exists(&state.name, kind));
        }
        Err(e) => return Err(e),
    };
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// The request `id` for a write by `viewer`, who must act for its State, while it is under
/// way and at `expected` version: NOT_FOUND, FORBIDDEN, INVALID_STATE_TRANSITION or
/// CONFLICT otherwise. `allowed` says which statuses the step starts from.
async fn writable(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    expected: i32,
    allowed: &[Status],
    step: &str,
) -> Result<(extension_request::Model, Uuid), ServiceError> {
    viewer.require()?;
    let row = service::for_write(db, viewer, id, "id").await?;
    let actor = viewer.require_acting_for(&row.state_code)?.user_id;
    if !allowed.contains(&row.status) {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            format!(
                "A {} request cannot be {step}.",
                sea_orm::ActiveEnum::to_value(&row.status)
            ),
        ));
    }
    if row.version != expected {
        return Err(service::stale());
    }
    Ok((row, actor))
}

/// Writes the fields of `after` that the lifecycle changes, only if the row is still at
/// `before`'s version. False when it is not (a concurrent write won).
async fn save(
    uow: &Uow,
    before: &extension_request::Model,
    after: &extension_request::Model,
) -> Result<bool, DbErr> {
    use extension_request::Column as C;
    let res = extension_request::Entity::update_many()
        .col_expr(C::RequestedDeadline, Expr::value(after.requested_deadline))
        .col_expr(C::MeetingId, Expr::value(after.meeting_id))
        .col_expr(C::Status, Expr::value(after.status))
        .col_expr(C::SubmittedOn, Expr::value(after.submitted_on))
        .col_expr(C::WithdrawnOn, Expr::value(after.withdrawn_on))
        .col_expr(
            C::WithdrawalReason,
            Expr::value(after.withdrawal_reason.clone()),
        )
        .col_expr(C::Version, Expr::value(after.version))
        .col_expr(C::UpdatedAt, Expr::value(after.updated_at))
        .filter(C::Id.eq(before.id))
        .filter(C::Version.eq(before.version))
        .exec(uow.txn())
        .await?;
    Ok(res.rows_affected == 1)
}

/// Writes `after` in a unit of work of `action` by `actor`, audited as a change of `before`.
async fn transition(
    db: &DatabaseConnection,
    actor: Uuid,
    action: &'static str,
    before: &extension_request::Model,
    after: extension_request::Model,
) -> Result<extension_request::Model, ServiceError> {
    let uow = Uow::begin(db, Some(actor), action).await?;
    if !save(&uow, before, &after).await? {
        uow.rollback().await?;
        return Err(service::stale());
    }
    uow.changed(before, &after).await?;
    uow.commit().await?;
    Ok(after)
}

/// A request in the audit log of an update: its fields, its element texts (provision →
/// text) and its attached documents.
fn update_json(
    row: &extension_request::Model,
    elements: &BTreeMap<String, String>,
    documents: &[Uuid],
) -> serde_json::Value {
    let mut v = row.audit_json();
    v["elements"] = json!(elements);
    v["documentIds"] = json!(documents);
    v
}

/// The request's element texts, by provision.
async fn element_texts(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<BTreeMap<String, String>, DbErr> {
    Ok(service::elements_of(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.provision, e.text))
        .collect())
}

/// The IDs of the documents attached to the request, sorted.
async fn attached(db: &DatabaseConnection, id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = extension_request_document::Entity::find()
        .filter(extension_request_document::Column::RequestId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.document_id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// The element texts once `changes` apply to `current`, refusing provisions the request
/// does not have, provisions named twice and texts out of bounds.
fn apply_elements(
    r: &mut Refusals,
    row: &extension_request::Model,
    current: &BTreeMap<String, String>,
    changes: &[ElementText],
) -> BTreeMap<String, String> {
    let allowed: Vec<&str> = service::elements(row, &[])
        .into_iter()
        .map(|e| e.provision)
        .collect();
    let mut next = current.clone();
    let mut seen = HashSet::new();
    for (i, change) in changes.iter().enumerate() {
        let index = i.to_string();
        let provision = change.provision.trim();
        let provision_field = ["input", "elements", index.as_str(), "provision"];
        if !allowed.contains(&provision) {
            r.push(
                Code::InvalidInput,
                &provision_field,
                format!(
                    "This request's elements are {}; \"{provision}\" is none of them.",
                    allowed.join(", ")
                ),
            );
            continue;
        }
        if !seen.insert(provision.to_owned()) {
            r.push(
                Code::InvalidInput,
                &provision_field,
                format!("{provision} is named twice."),
            );
            continue;
        }
        let text = validate::trimmed(change.text.clone());
        if !validate::optional(
            r,
            &["input", "elements", index.as_str(), "text"],
            text.as_deref(),
            TEXT,
            Lines::Many,
        ) {
            continue;
        }
        match text {
            Some(t) => next.insert(provision.to_owned(), t),
            None => next.remove(provision),
        };
    }
    next
}

/// The attached documents once `given` replaces the list, sorted, refusing IDs named twice
/// and documents `viewer` cannot read. Attached documents the viewer cannot read stay.
async fn apply_documents(
    db: &DatabaseConnection,
    viewer: &Viewer,
    r: &mut Refusals,
    current: &[Uuid],
    given: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    let mut wanted = given.to_vec();
    wanted.extend_from_slice(current);
    let readable: HashSet<Uuid> = crate::domain::records::documents::get_many(db, viewer, &wanted)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    let mut seen = HashSet::new();
    for (i, id) in given.iter().enumerate() {
        let index = i.to_string();
        let field = ["input", "documentIds", index.as_str()];
        if !readable.contains(id) {
            r.push(Code::NotFound, &field, "No such meeting document.");
        } else if !seen.insert(*id) {
            r.push(Code::InvalidInput, &field, "This document is named twice.");
        }
    }
    let mut next: Vec<Uuid> = seen.into_iter().collect();
    next.extend(current.iter().filter(|id| !readable.contains(id)));
    next.sort_unstable();
    Ok(next)
}

/// `updateExtensionRequest`: the State's delegation or ISU staff, while the request is under
/// way.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    change: RequestUpdate,
) -> Result<extension_request::Model, ServiceError> {
    let (before, actor) = writable(
        db,
        viewer,
        change.id,
        change.expected_version,
        &Status::UNDER_WAY,
        "changed",
    )
    .await?;
    let mut r = Refusals::default();
    let mut after = before.clone();
    if let Some(requested) = change.requested_deadline {
        check_requested(&mut r, before.kind, before.current_deadline, requested);
        after.requested_deadline = requested;
    }
    // The meeting is checked when it changes: keeping the one chosen refuses nothing.
    if let Some(m) = change.meeting_id.filter(|m| *m != before.meeting_id) {
        check_meeting(db, &mut r, m, Some(before.current_deadline), today).await?;
        after.meeting_id = m;
    }
    let texts_before = element_texts(db, before.id).await?;
    let texts_after = match &change.elements {
        Some(changes) => apply_elements(&mut r, &before, &texts_before, changes),
        None => texts_before.clone(),
    };
    let docs_before = attached(db, before.id).await?;
    let docs_after = match &change.document_ids {
        Some(given) => apply_documents(db, viewer, &mut r, &docs_before, given).await?,
        None => docs_before.clone(),
    };
    if r.is_empty() && before.status != Status::Draft {
        let rows: Vec<extension_request_element::Model> = texts_after
            .iter()
            .map(|(provision, text)| extension_request_element::Model {
                request_id: before.id,
                provision: provision.clone(),
                text: text.clone(),
            })
            .collect();
        let missing = service::missing(&service::elements(&after, &rows));
        if !missing.is_empty() {
            r.push(
                Code::InvalidInput,
                &["input", "elements"],
                format!(
                    "A submitted request must stay complete: {} would have no text.",
                    missing.join(", ")
                ),
            );
        }
    }
    r.finish()?;
    let row_changed = after.requested_deadline != before.requested_deadline
        || after.meeting_id != before.meeting_id;
    if !row_changed && texts_after == texts_before && docs_after == docs_before {
        return Ok(before);
    }
    after.version = before.version + 1;
    after.updated_at = now();

    let uow = Uow::begin(db, Some(actor), "updateExtensionRequest").await?;
    if !save(&uow, &before, &after).await? {
        uow.rollback().await?;
        return Err(service::stale());
    }
    write_elements(&uow, before.id, &texts_before, &texts_after).await?;
    if docs_after != docs_before {
        write_documents(&uow, before.id, &docs_after).await?;
    }
    uow.record(
        extension_request::Model::ENTITY_TYPE,
        before.audit_id(),
        Some(update_json(&before, &texts_before, &docs_before)),
        Some(update_json(&after, &texts_after, &docs_after)),
    )
    .await?;
    uow.commit().await?;
    Ok(after)
}

/// Replaces the element rows of `id` whose text differs between `before` and `after`.
async fn write_elements(
    uow: &Uow,
    id: Uuid,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Result<(), DbErr> {
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    extension_request_element::Entity::delete_many()
        .filter(extension_request_element::Column::RequestId.eq(id))
        .filter(
            extension_request_element::Column::Provision.is_in(changed.iter().copied().cloned()),
        )
        .exec(uow.txn())
        .await?;
    let rows: Vec<extension_request_element::ActiveModel> = changed
        .iter()
        .filter_map(|p| after.get(*p).map(|t| (p, t)))
        .map(|(p, t)| extension_request_element::ActiveModel {
            request_id: Set(id),
            provision: Set((*p).clone()),
            text: Set(t.clone()),
        })
        .collect();
    if !rows.is_empty() {
        extension_request_element::Entity::insert_many(rows)
            .exec_without_returning(uow.txn())
            .await?;
    }
    Ok(())
}

/// Replaces the documents attached to `id` by `documents`.
async fn write_documents(uow: &Uow, id: Uuid, documents: &[Uuid]) -> Result<(), DbErr> {
    extension_request_document::Entity::delete_many()
        .filter(extension_request_document::Column::RequestId.eq(id))
        .exec(uow.txn())
        .await?;
    if !documents.is_empty() {
        extension_request_document::Entity::insert_many(documents.iter().map(|d| {
            extension_request_document::ActiveModel {
                request_id: Set(id),
                document_id: Set(*d),
            }
        }))
        .exec_without_returning(uow.txn())
        .await?;
    }
    Ok(())
}

/// `submitExtensionRequest`: a complete DRAFT, not after the deadline in force, by the
/// State's delegation or ISU staff. From then on every signed-in user reads it.
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    id: Uuid,
    expected_version: i32,
) -> Result<extension_request::Model, ServiceError> {
    let (before, actor) = writable(
        db,
        viewer,
        id,
        expected_version,
        &[Status::Draft],
        "submitted",
    )
    .await?;
    let mut r = Refusals::default();
    let rows = service::elements_of(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let missing = service::missing(&service::elements(&before, &rows));
    if !missing.is_empty() {
        r.push(
            Code::InvalidInput,
            &["input", "id"],
            format!(
                "The request is incomplete: {} {} no text.",
                missing.join(", "),
                if missing.len() == 1 { "has" } else { "have" }
            ),
        );
    }
    if today > before.current_deadline {
        r.push(
            Code::InvalidInput,
            &["input", "id"],
            format!(
                "The deadline in force ({}) has passed: a request must be submitted before it \
                 expires.",
                before.current_deadline
            ),
        );
    }
    r.finish()?;
    let after = extension_request::Model {
        status: Status::Submitted,
        submitted_on: Some(today),
        version: before.version + 1,
        updated_at: now(),
        ..before.clone()
    };
    transition(db, actor, "submitExtensionRequest", &before, after).await
}

/// `withdrawExtensionRequest`: any request under way, with a reason, by the State's
/// delegation or ISU staff.
pub async fn withdraw(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    id: Uuid,
    expected_version: i32,
    reason: String,
) -> Result<extension_request::Model, ServiceError> {
    let (before, actor) = writable(
        db,
        viewer,
        id,
        expected_version,
        &Status::UNDER_WAY,
        "withdrawn",
    )
    .await?;
    let mut r = Refusals::default();
    validate::required(
        &mut r,
        &["input", "reason"],
        &reason,
        ENTRY_TEXT,
        Lines::Many,
    );
    r.finish()?;
    let after = extension_request::Model {
        status: Status::Withdrawn,
        withdrawn_on: Some(today),
        withdrawal_reason: Some(reason.trim().to_owned()),
        version: before.version + 1,
        updated_at: now(),
        ..before.clone()
    };
    transition(db, actor, "withdrawExtensionRequest", &before, after).await
}
