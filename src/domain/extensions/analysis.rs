//! The analysis and the decision: `askAnalysisQuestion` (ISU staff, on the analysis group's
//! behalf), `answerAnalysisQuestion` (the State's delegation or ISU staff) and
//! `decideExtensionRequest` (ISU staff), whose grant records the deadline extension in the
//! same unit of work.
//!
//! Each write checks its input first and writes nothing on a refusal; in its unit of work it
//! moves the request's `version` with a conditional UPDATE (a concurrent change answers
//! CONFLICT) and records one audit entry for the request (with the question or the answer
//! it carries), plus the extension a grant creates.

use chrono::NaiveDate;
use entity::enums::{ExtensionOutcome, ExtensionRequestStatus as Status, UserRole};
use entity::{extension_request, extension_request_question, meeting};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::service::{self, stale};
use crate::auth::Viewer;
use crate::domain::states::service as states;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, BRIEF_TEXT, Lines, TEXT};

/// The most questions one request may receive.
pub const MAX_QUESTIONS: i32 = 100;

/// `decideExtensionRequest`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct Decision {
    pub id: Uuid,
    pub expected_version: i32,
    pub outcome: ExtensionOutcome,
    pub granted_deadline: Option<NaiveDate>,
    pub decided_on: NaiveDate,
    pub decision_id: Option<Uuid>,
}

/// The statuses in which the analysis group asks and the meeting decides.
const BEFORE_THE_MEETING: [Status; 2] = [Status::Submitted, Status::UnderAnalysis];

/// CONFLICT on `input.<field>`: another write changed the request between our read and our
/// write (asks and answers name no version).
fn changed_meanwhile(field: &str) -> ServiceError {
    ServiceError::refused(
        Code::Conflict,
        &["input", field],
        "The extension request changed meanwhile: reload it and try again.",
    )
}

/// Moves `r` to `next` in `uow` when `r` is still at its version: false when another write
/// came first. Writes the fields an analysis step or a decision changes.
async fn move_request(
    uow: &Uow,
    r: &extension_request::Model,
    next: &extension_request::Model,
) -> Result<bool, ServiceError> {
    use extension_request::Column as C;
    let moved = extension_request::Entity::update_many()
        .col_expr(C::Status, Expr::value(next.status))
        .col_expr(C::Outcome, Expr::value(next.outcome))
        .col_expr(C::GrantedDeadline, Expr::value(next.granted_deadline))
        .col_expr(C::DecidedOn, Expr::value(next.decided_on))
        .col_expr(C::DecisionId, Expr::value(next.decision_id))
        .col_expr(C::ExtensionId, Expr::value(next.extension_id))
        .col_expr(C::Version, Expr::value(next.version))
        .col_expr(C::UpdatedAt, Expr::value(next.updated_at))
        .filter(C::Id.eq(r.id))
        .filter(C::Version.eq(r.version))
        .exec(uow.txn())
        .await?;
    Ok(moved.rows_affected == 1)
}

/// The request's audit JSON with one question's, as an entry shows a question asked or
/// answered.
fn with_question(r: &extension_request::Model, question: Value) -> Value {
    let mut v = r.audit_json();
    if let Value::Object(map) = &mut v {
        map.insert("question".into(), question);
    }
    v
}

/// `askAnalysisQuestion`: ISU staff record a question of the analysis group, numbered after
/// the last; the first moves a SUBMITTED request to UNDER_ANALYSIS.
pub async fn ask(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    request_id: Uuid,
    question: String,
    asked_on: NaiveDate,
) -> Result<extension_request::Model, ServiceError> {
    viewer.require()?;
    let r = service::for_write(db, viewer, request_id, "requestId").await?;
    let staff = viewer.require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?;
    let actor = staff.user_id;
    if !BEFORE_THE_MEETING.contains(&r.status) {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "requestId"],
            "Questions are asked of a submitted request, before the meeting decides it.",
        ));
    }
    let mut refusals = Refusals::default();
    validate::required(
        &mut refusals,
        &["input", "question"],
        &question,
        TEXT,
        Lines::Many,
    );
    if asked_on > today {
        refusals.push(
            Code::InvalidInput,
            &["input", "askedOn"],
            "A question cannot be asked in the future.",
        );
    } else if let Some(submitted) = r.submitted_on.filter(|s| asked_on < *s) {
        refusals.push(
            Code::InvalidInput,
            &["input", "askedOn"],
            format!("The request was submitted on {submitted}: a question cannot precede it."),
        );
    }
    let last = last_number(db, r.id).await?;
    if last >= MAX_QUESTIONS {
        refusals.push(
            Code::InvalidInput,
            &["input", "question"],
            format!("A request receives at most {MAX_QUESTIONS} questions."),
        );
    }
    refusals.finish()?;

    let question = question.trim().to_owned();
    let next = extension_request::Model {
        status: Status::UnderAnalysis,
        version: r.version + 1,
        updated_at: now(),
        ..r.clone()
    };
    let uow = Uow::begin(db, Some(actor), "askAnalysisQuestion").await?;
    if !move_request(&uow, &r, &next).await? {
        uow.rollback().await?;
        return Err(changed_meanwhile("requestId"));
    }
    // The request is ours until commit: the number read now stays the last.
    let number = last_number(uow.txn(), r.id).await? + 1;
    if number > MAX_QUESTIONS {
        uow.rollback().await?;
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "question"],
            format!("A request receives at most {MAX_QUESTIONS} questions."),
        ));
    }
    let inserted = extension_request_question::ActiveModel {
        request_id: Set(r.id),
        number: Set(number),
        asked_on: Set(asked_on),
        question: Set(question.clone()),
        answer: Set(None),
        answered_on: Set(None),
    }
    .insert(uow.txn())
    .await
    .map_err(ServiceError::from);
    match inserted {
        Ok(_) => {}
        Err(e) if e.is_unique_violation() => {
            uow.rollback().await?;
            return Err(changed_meanwhile("requestId"));
        }
        Err(e) => return Err(e),
    }
    uow.record(
        extension_request::Model::ENTITY_TYPE,
        r.id,
        Some(r.audit_json()),
        Some(with_question(
            &next,
            json!({"number": number, "askedOn": asked_on, "question": question}),
        )),
    )
    .await?;
    uow.commit().await?;
    Ok(next)
}

/// The number of the request's last question; 0 when it has none.
async fn last_number(
    conn: &impl sea_orm::ConnectionTrait,
    request_id: Uuid,
) -> Result<i32, ServiceError> {
    Ok(extension_request_question::Entity::find()
        .filter(extension_request_question::Column::RequestId.eq(request_id))
        .order_by_desc(extension_request_question::Column::Number)
        .one(conn)
        .await?
        .map_or(0, |q| q.number))
}

/// `answerAnalysisQuestion`: the State's delegation or ISU staff answer question `number`
/// of a request under analysis, today; a new answer replaces the old.
pub async fn answer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    request_id: Uuid,
    number: i32,
    answer: String,
) -> Result<extension_request::Model, ServiceError> {
    viewer.require()?;
    let r = service::for_write(db, viewer, request_id, "requestId").await?;
    let actor = viewer.require_acting_for(&r.state_code)?.user_id;
    if r.status != Status::UnderAnalysis {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "requestId"],
            "Questions are answered while the request is under analysis.",
        ));
    }
    let mut refusals = Refusals::default();
    let question = extension_request_question::Entity::find_by_id((r.id, number))
        .one(db)
        .await?;
    if question.is_none() {
        refusals.push(
            Code::NotFound,
            &["input", "number"],
            format!("The request has no question {number}."),
        );
    }
    validate::required(
        &mut refusals,
        &["input", "answer"],
        &answer,
        TEXT,
        Lines::Many,
    );
    refusals.finish()?;
    let Some(question) = question else {
        return Err(ServiceError::Internal(
            "a question checked, then gone".into(),
        ));
    };
    let answer = answer.trim().to_owned();
    if question.answer.as_deref() == Some(answer.as_str()) {
        // The same answer again changes nothing.
        return Ok(r);
    }

    let next = extension_request::Model {
        version: r.version + 1,
        updated_at: now(),
        ..r.clone()
    };
    let uow = Uow::begin(db, Some(actor), "answerAnalysisQuestion").await?;
    if !move_request(&uow, &r, &next).await? {
        uow.rollback().await?;
        return Err(changed_meanwhile("requestId"));
    }
    extension_request_question::Entity::update_many()
        .col_expr(
            extension_request_question::Column::Answer,
            Expr::value(Some(answer.clone())),
        )
        .col_expr(
            extension_request_question::Column::AnsweredOn,
            Expr::value(Some(today)),
        )
        .filter(extension_request_question::Column::RequestId.eq(r.id))
        .filter(extension_request_question::Column::Number.eq(number))
        .exec(uow.txn())
        .await?;
    uow.record(
        extension_request::Model::ENTITY_TYPE,
        r.id,
        Some(with_question(
            &r,
            json!({"number": number, "answer": question.answer, "answeredOn": question.answered_on}),
        )),
        Some(with_question(
            &next,
            json!({"number": number, "answer": answer, "answeredOn": today}),
        )),
    )
    .await?;
    uow.commit().await?;
    Ok(next)
}

/// The refusals of [`states::check_extension`], on `decideExtensionRequest`'s fields: the new
/// deadline is the granted one, the grant's day the decision's, and the State and kind are
/// the request's.
fn on_decision_fields(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Refused(list) => ServiceError::Refused(
            list.into_iter()
                .map(|mut refusal| {
                    let field = match refusal.field.as_deref().and_then(<[String]>::last) {
                        Some(f) if f == "newDeadline" => "grantedDeadline",
                        Some(f) if f == "grantedOn" => "decidedOn",
                        Some(f) if f == "decisionId" => "decisionId",
                        _ => "id",
                    };
                    refusal.field = Some(vec!["input".into(), field.into()]);
                    refusal
                })
                .collect(),
        ),
        other => other,
    }
}

/// CONFLICT on `input.id`: the deadline the request would extend is no longer in force.
fn deadline_moved(r: &extension_request::Model, in_force: Option<NaiveDate>) -> ServiceError {
    let now_in_force = in_force.map_or_else(|| "none".to_owned(), |d| d.to_string());
    ServiceError::refused(
        Code::Conflict,
        &["input", "id"],
        format!(
            "The request extends the deadline of {}, but another extension was recorded since it was opened (the deadline in force is now {now_in_force}): the request must be revised or withdrawn.",
            r.current_deadline
        ),
    )
}

/// The granted deadline of `d` for `r`, or the refusal of `d`'s outcome and deadline.
fn granted_deadline(
    refusals: &mut Refusals,
    r: &extension_request::Model,
    d: &Decision,
) -> Option<NaiveDate> {
    let field = ["input", "grantedDeadline"];
    match d.outcome {
        ExtensionOutcome::Granted => match d.granted_deadline {
            Some(g) if g != r.requested_deadline => {
                refusals.push(
                    Code::InvalidInput,
                    &field,
                    format!(
                        "GRANTED grants the requested deadline, {}: omit grantedDeadline or use GRANTED_SHORTER.",
                        r.requested_deadline
                    ),
                );
                None
            }
            _ => Some(r.requested_deadline),
        },
        ExtensionOutcome::GrantedShorter => match d.granted_deadline {
            Some(g) if g > r.current_deadline && g < r.requested_deadline => Some(g),
            _ => {
                refusals.push(
                    Code::InvalidInput,
                    &field,
                    format!(
                        "GRANTED_SHORTER needs a deadline strictly between the current one ({}) and the requested one ({}).",
                        r.current_deadline, r.requested_deadline
                    ),
                );
                None
            }
        },
        ExtensionOutcome::Refused => {
            if d.granted_deadline.is_some() {
                refusals.push(
                    Code::InvalidInput,
                    &field,
                    "A refusal grants no deadline: omit grantedDeadline.",
                );
            }
            None
        }
    }
}

/// `decideExtensionRequest`: ISU staff record the meeting's decision on a submitted request.
/// A grant is a deadline extension, checked as `recordDeadlineExtension` checks one and
/// written in the same unit of work, so the obligation's due date moves with the decision.
/// When another extension was recorded since the request was opened, CONFLICT.
pub async fn decide(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    decision: Decision,
) -> Result<extension_request::Model, ServiceError> {
    viewer.require()?;
    let r = service::for_write(db, viewer, decision.id, "id").await?;
    let staff = viewer.require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?;
    let actor = staff.user_id;
    if !BEFORE_THE_MEETING.contains(&r.status) {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "Only a submitted request, before its decision, can be decided.",
        ));
    }
    let m = meeting::Entity::find_by_id(r.meeting_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal("an extension request without its meeting".into()))?;

    let mut refusals = Refusals::default();
    let granted = granted_deadline(&mut refusals, &r, &decision);
    if decision.decided_on > today {
        refusals.push(
            Code::InvalidInput,
            &["input", "decidedOn"],
            "A decision cannot be taken in the future.",
        );
    } else if decision.decided_on < m.starts_on {
        refusals.push(
            Code::InvalidInput,
            &["input", "decidedOn"],
            format!(
                "{} opens on {}: its decision cannot precede it.",
                m.title, m.starts_on
            ),
        );
    }
    if let Some(id) = decision.decision_id {
        let found = crate::domain::records::decisions::get_many(db, viewer, &[id]).await?;
        match found.first() {
            None => refusals.push(
                Code::NotFound,
                &["input", "decisionId"],
                "No such decision.",
            ),
            Some(d) if d.meeting_id != r.meeting_id => refusals.push(
                Code::InvalidInput,
                &["input", "decisionId"],
                format!("The decision is not one of {}.", m.title),
            ),
            Some(_) => {}
        }
    }
    refusals.finish()?;
    if r.version != decision.expected_version {
        return Err(stale());
    }
    // Early, to refuse before beginning the unit of work, which reads it again.
    let in_force = states::deadline_in_force(db, &r.state_code, r.kind, today).await?;
    if in_force != Some(r.current_deadline) {
        return Err(deadline_moved(&r, in_force));
    }
    let checked = match granted {
        Some(deadline) => {
            let title = m.title.trim();
            let new = states::NewExtension {
                state_code: r.state_code.clone(),
                kind: r.kind.into(),
                new_deadline: deadline,
                granted_on: decision.decided_on,
                granted_at: (title.chars().count() <= BRIEF_TEXT
                    && !validate::has_control(title, Lines::One))
                .then(|| title.to_owned()),
                decision_id: decision.decision_id,
            };
            Some(
                states::check_extension(db, new, today)
                    .await
                    .map_err(on_decision_fields)?,
            )
        }
        None => None,
    };

    let uow = Uow::begin(db, Some(actor), "decideExtensionRequest").await?;
    let in_force = states::deadline_in_force(uow.txn(), &r.state_code, r.kind, today).await?;
    if in_force != Some(r.current_deadline) {
        uow.rollback().await?;
        return Err(deadline_moved(&r, in_force));
    }
    let extension = match checked {
        Some(c) => Some(states::insert_extension(&uow, c).await?),
        None => None,
    };
    let next = extension_request::Model {
        status: Status::Decided,
        outcome: Some(decision.outcome),
        granted_deadline: granted,
        decided_on: Some(decision.decided_on),
        decision_id: decision.decision_id,
        extension_id: extension.as_ref().map(|e| e.id),
        version: r.version + 1,
        updated_at: now(),
        ..r.clone()
    };
    if !move_request(&uow, &r, &next).await? {
        uow.rollback().await?;
        return Err(stale());
    }
    uow.changed(&r, &next).await?;
    uow.commit().await?;
    Ok(next)
}
