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
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow, unchanged};
use crate::kernel::validate::{self, Lines, SHORT_TEXT};

/// Longest address, in characters (RFC 5321's path limit).
pub const EMAIL_TEXT: usize = 254;
/// Longest local part (before the `@`).
const LOCAL_PART: usize = 64;
/// Longest domain.
const DOMAIN: usize = 253;
/// Longest label of a domain.
const LABEL: usize = 63;
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

/// Characters an address's local part may hold besides letters and digits (RFC 5322's
/// `atext`): no space, comma, angle bracket, double quote, parenthesis, colon, semicolon,
/// backslash or square bracket.
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";

/// Why `address` (trimmed, non-empty) is not an address we send to; the address as it is
/// stored (its domain in lower case) otherwise.
fn parse_email(address: &str) -> Result<String, &'static str> {
    if !address.is_ascii() {
        return Err("use ASCII characters only (an international domain in its xn-- form)");
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err("it has no @");
    };
    if domain.contains('@') {
        return Err("it has more than one @");
    }
    if local.is_empty() || local.len() > LOCAL_PART {
        return Err("the part before the @ must be 1 to 64 characters");
    }
    if !local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || LOCAL_SPECIALS.contains(c))
    {
        return Err(
            "the part before the @ holds a character an address may not (a space, a comma, \
             an angle bracket or a quote, say)",
        );
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("the part before the @ may not begin or end with a dot, or hold two in a row");
    }
    if domain.is_empty() || domain.len() > DOMAIN {
        return Err("the domain must be 1 to 253 characters");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("the domain must have a dot, e.g. example.org");
    }
    for label in &labels {
        if label.is_empty()
            || label.len() > LABEL
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(
                "each part of the domain is 1 to 63 letters, digits or hyphens, without a \
                 hyphen at either end",
            );
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("the domain must end in a name, not a number");
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// The checks of an address, refusing on `field`: no control character anywhere (line
/// breaks included, before trimming), 1 to [`EMAIL_TEXT`] characters once trimmed, one `@`
/// between a valid local part and a domain with a dot. The address as stored when it passes.
pub fn check_email(r: &mut Refusals, field: &[&str], raw: &str) -> Option<String> {
    let name = field.last().copied().unwrap_or("email");
    if validate::has_control(raw, Lines::One) {
        r.push(
            Code::InvalidInput,
            field,
            format!("`{name}` must not contain control characters or line breaks."),
        );
        return None;
    }
    let address = raw.trim();
    if address.is_empty() || address.chars().count() > EMAIL_TEXT {
        r.push(
            Code::InvalidInput,
            field,
            format!("`{name}` must be 1 to {EMAIL_TEXT} characters."),
        );
        return None;
    }
    match parse_email(address) {
        Ok(stored) => Some(stored),
        Err(why) => {
            r.push(
                Code::InvalidInput,
                field,
                format!("`{name}` is not a valid email address: {why}."),
            );
            None
        }
    }
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

    fn check(raw: &str) -> Option<String> {
        let mut r = Refusals::default();
        let out = check_email(&mut r, &["input", "email"], raw);
        assert_eq!(out.is_some(), r.is_empty(), "{raw:?}");
        out
    }

    #[test]
    fn addresses_are_checked_for_their_form_and_stored_with_a_lower_case_domain() {
        for (raw, stored) in [
            ("focal.point@Mofa.GOV.la", "focal.point@mofa.gov.la"),
            ("  a@b.co  ", "a@b.co"),
            ("First.Last+ccm@example.org", "First.Last+ccm@example.org"),
            ("o'brien@example.ie", "o'brien@example.ie"),
            ("x@xn--80ak6aa92e.com", "x@xn--80ak6aa92e.com"),
            ("a_b-c@sub.domain-x.example", "a_b-c@sub.domain-x.example"),
        ] {
            assert_eq!(check(raw).as_deref(), Some(stored), "{raw}");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        let long_label = format!("a@{}.org", "b".repeat(64));
        let too_long = format!("{}@{}.org", "a".repeat(60), "b.".repeat(100));
        for raw in [
            "",
            "   ",
            "no-at.example.org",
            "two@@example.org",
            "a@b@example.org",
            "@example.org",
            "a@",
            "a@localhost",
            "a@example.",
            "a@.example.org",
            "a@exa..mple.org",
            "a@-example.org",
            "a@example-.org",
            "a@1.2.3.4",
            "a@exam_ple.org",
            ".a@example.org",
            "a.@example.org",
            "a..b@example.org",
            "a b@example.org",
            "a,b@example.org",
            "<a@example.org>",
            "\"a\"@example.org",
            "a;b@example.org",
            "a(b)@example.org",
            "a\\b@example.org",
            "josé@example.org",
            "a@exämple.org",
            "a@example.org\r\nBcc: victim@example.org",
            "a@example.org\n",
            "\ta@example.org",
            "a@example.org\u{0}",
            &long_local,
            &long_label,
            &too_long,
        ] {
            assert_eq!(check(raw), None, "{raw:?} is refused");
        }
    }

    #[test]
    fn a_header_injection_is_refused_with_its_own_message() {
        let mut r = Refusals::default();
        check_email(&mut r, &["input", "email"], "a@example.org\r\nBcc: x@y.org");
        match r.finish() {
            Err(ServiceError::Refused(v)) => {
                assert_eq!(v.len(), 1);
                assert_eq!(v[0].code, Code::InvalidInput);
                assert!(v[0].message.contains("line breaks"), "{}", v[0].message);
            }
            other => panic!("{other:?}"),
        }
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
