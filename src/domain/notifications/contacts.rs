//! Each State's contact points: the people and offices reminders and notices are emailed
//! to. ISU staff write every State's; a delegation its own State's; every write is audited.
//! Who reads them is [`super::visibility`]'s rule, applied by every read here.
//!
//! Every field that goes into a message header (the name and the address) is refused when
//! it holds a control character anywhere, line breaks included, before any trimming: a
//! header cannot be injected through a contact point. An address is checked for its form
//! ([`check_email`]) and stored with its domain in lower case; a State names an address
//! once.

use std::collections::HashMap;

use entity::contact_point;
use entity::enums::{ContactFunction, Language};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::email::check_email;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow, unchanged};
use crate::kernel::validate::{self, Lines, SHORT_TEXT};

/// Most contact points one State may name.
pub const MAX_PER_STATE: usize = 50;

impl Audited for contact_point::Model {
    const ENTITY_TYPE: &'static str = "ContactPoint";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"stateCode": self.state_code, "name": self.name, "function": self.function,
               "email": self.email, "language": self.language, "active": self.active})
    }
}

/// `addContactPoint`'s input.
#[derive(Clone, Debug)]
pub struct NewContact {
    pub state_code: String,
    pub name: String,
    pub function: ContactFunction,
    pub email: String,
    pub language: Language,
}

/// `updateContactPoint`'s input: only the fields given change.
#[derive(Clone, Debug, Default)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub function: Option<ContactFunction>,
    pub email: Option<String>,
    pub language: Option<Language>,
    pub active: Option<bool>,
}

/// The checks of a name: no control character anywhere (line breaks included, before
/// trimming: it may go into a header), 1 to 200 characters once trimmed. The name as
/// stored when it passes.
fn check_name(r: &mut Refusals, field: &[&str], raw: &str) -> Option<String> {
    if validate::has_control(raw, Lines::One) {
        r.push(
            Code::InvalidInput,
            field,
            "`name` must not contain control characters or line breaks.",
        );
        return None;
    }
    validate::required(r, field, raw, SHORT_TEXT, Lines::One).then(|| raw.trim().to_owned())
}

fn duplicate(code: &str) -> ServiceError {
    ServiceError::refused(
        Code::AlreadyExists,
        &["input", "email"],
        format!("{code} already has a contact point with this address."),
    )
}

/// A write that met the unique index of a State's addresses (another request wrote the
/// same address first): the refusal of a duplicate; any other error as it is.
fn unique_address(e: DbErr, code: &str) -> ServiceError {
    let e = ServiceError::Db(e);
    if e.is_unique_violation() {
        duplicate(code)
    } else {
        e
    }
}

/// `addContactPoint`: ISU staff for any State, a delegation for its own. The State must
/// exist; the name and the address pass their checks; the State has no contact point with
/// the same address and fewer than [`MAX_PER_STATE`]. Written active.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewContact,
) -> Result<contact_point::Model, ServiceError> {
    let code = new.state_code.trim().to_uppercase();
    let actor = viewer.require_acting_for(&code)?.user_id;
    let mut r = Refusals::default();
    if crate::domain::states::service::by_code(db, &code)
        .await?
        .is_none()
    {
        r.push(
            Code::NotFound,
            &["input", "stateCode"],
            format!("No State has the code {code}."),
        );
    }
    let name = check_name(&mut r, &["input", "name"], &new.name);
    let email = check_email(&mut r, &["input", "email"], &new.email);
    r.finish()?;
    let (Some(name), Some(email)) = (name, email) else {
        return Err(ServiceError::Internal("checked above".into()));
    };
    // The row first, then the checks that read: the first statement takes the write lock
    // (on SQLite a transaction that read first could not take it once another writer
    // committed), and the unique index of a State's addresses refuses a duplicate however
    // many adds run at once.
    let uow = Uow::begin(db, Some(actor), "addContactPoint").await?;
    let t = now();
    let created = contact_point::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(code.clone()),
        name: Set(name),
        function: Set(new.function),
        email: Set(email),
        language: Set(new.language),
        active: Set(true),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await
    .map_err(|e| unique_address(e, &code))?;
    let named = contact_point::Entity::find()
        .filter(contact_point::Column::StateCode.eq(code.as_str()))
        .count(uow.txn())
        .await?;
    if named > MAX_PER_STATE as u64 {
        // Dropped without commit: the row is not written.
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "stateCode"],
            format!("{code} has {MAX_PER_STATE} contact points, the most a State may name."),
        ));
    }
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// `updateContactPoint`: who may add the State's contact points. Only the fields given
/// change, with the checks of [`add`]; an edit that changes nothing writes nothing. A
/// contact point the viewer may not read is NOT_FOUND, as if it did not exist.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    patch: ContactPatch,
) -> Result<contact_point::Model, ServiceError> {
    viewer.require()?;
    let Some(before) = get_many(db, viewer, &[id]).await?.pop() else {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "id"],
            "No such contact point.",
        ));
    };
    let actor = viewer.require_acting_for(&before.state_code)?.user_id;
    let mut r = Refusals::default();
    let name = match &patch.name {
        Some(raw) => check_name(&mut r, &["input", "name"], raw),
        None => Some(before.name.clone()),
    };
    let email = match &patch.email {
        Some(raw) => check_email(&mut r, &["input", "email"], raw),
        None => Some(before.email.clone()),
    };
    r.finish()?;
    let (Some(name), Some(email)) = (name, email) else {
        return Err(ServiceError::Internal("checked above".into()));
    };
    let after = contact_point::Model {
        name,
        function: patch.function.unwrap_or(before.function),
        email,
        language: patch.language.unwrap_or(before.language),
        active: patch.active.unwrap_or(before.active),
        updated_at: now(),
        ..before.clone()
    };
    if unchanged(&before, &after) {
        return Ok(before);
    }
    // The unique index of a State's addresses refuses an address another contact point has.
    let uow = Uow::begin(db, Some(actor), "updateContactPoint").await?;
    let saved = contact_point::ActiveModel::from(after)
        .reset_all()
        .update(uow.txn())
        .await
        .map_err(|e| unique_address(e, &before.state_code))?;
    uow.changed(&before, &saved).await?;
    uow.commit().await?;
    Ok(saved)
}

/// The contact points of `ids` the viewer may read, in one statement.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<contact_point::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    contact_point::Entity::find()
        .filter(contact_point::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::contacts(viewer))
        .all(db)
        .await
}

/// The contact points of each of `codes` the viewer may read (none of a State it may not),
/// in the order they were added, in one statement. Every State asked for is in the answer.
pub async fn of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
) -> Result<HashMap<String, Vec<contact_point::Model>>, DbErr> {
    let mut out: HashMap<String, Vec<contact_point::Model>> =
        codes.iter().map(|c| (c.clone(), Vec::new())).collect();
    let readable: Vec<&String> = codes
        .iter()
        .filter(|c| visibility::may_read_contacts(viewer, c))
        .collect();
    if readable.is_empty() {
        return Ok(out);
    }
    for c in contact_point::Entity::find()
        .filter(contact_point::Column::StateCode.is_in(readable.into_iter().cloned()))
        .filter(visibility::contacts(viewer))
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?
    {
        out.entry(c.state_code.clone()).or_default().push(c);
    }
    Ok(out)
}

/// An active contact point as the system's own work needs it (the planner, event notices):
/// where and in which language to write.
#[derive(Debug, FromQueryResult)]
pub struct Recipient {
    pub id: Uuid,
    pub state_code: String,
    pub email: String,
    pub language: Language,
}

/// The active contact points of the States of `codes` (of every State when None), oldest
/// first, by State code: one statement, for the system's own work, not a viewer's read.
pub async fn active<C: ConnectionTrait>(
    conn: &C,
    codes: Option<&[&str]>,
) -> Result<HashMap<String, Vec<Recipient>>, DbErr> {
    use contact_point::Column as C;
    let mut select = contact_point::Entity::find()
        .select_only()
        .columns([C::Id, C::StateCode, C::Email, C::Language])
        .filter(C::Active.eq(true))
        .order_by_asc(C::CreatedAt)
        .order_by_asc(C::Id);
    if let Some(codes) = codes {
        select = select.filter(C::StateCode.is_in(codes.iter().copied()));
    }
    let mut out: HashMap<String, Vec<Recipient>> = HashMap::new();
    for c in select.into_model::<Recipient>().all(conn).await? {
        out.entry(c.state_code.clone()).or_default().push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_a_line_break_is_refused() {
        let mut r = Refusals::default();
        assert_eq!(
            check_name(&mut r, &["input", "name"], "Focal point\r\nBcc: x@y.org"),
            None
        );
        assert_eq!(
            check_name(&mut r, &["input", "name"], "Focal point\n"),
            None,
            "even where trimming would take it away"
        );
        let mut r = Refusals::default();
        assert_eq!(
            check_name(&mut r, &["input", "name"], "  Ms Phonesavanh  ").as_deref(),
            Some("Ms Phonesavanh")
        );
        assert!(r.is_empty());
    }
}
