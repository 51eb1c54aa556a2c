//! The roster of experts: add, update, erase, read, export. Only ISU staff write; every
//! write is audited without the contact details; who reads what is [`super::visibility`]'s.
//!
//! - An expert is listed with their consent: `consent_given_on` is required and never after
//!   today. Every text is trimmed and bounded, without control characters; lists hold each
//!   value once; an email is checked by [`check_email`], a phone number holds digits, spaces
//!   and `+-().` only, six digits at least.
//! - The audit JSON of an expert never holds the email or the phone: it says whether there
//!   are contact details (`"contactDetails": "set"` or `"none"`), and an update that changes
//!   them says `"changed"`. Because [`crate::kernel::uow::unchanged`] compares audit JSON,
//!   [`update`] decides "nothing changed" on the rows themselves, contact details included.
//! - Erasure ([`erase`]) deletes the expert's row and their good practices' links, empties
//!   the `before` and `after` of every audit entry of the expert (each keeps its ID, action,
//!   actor and time), deletes the stored idempotent responses that name the expert, and
//!   records the erasure itself, without data: all in one unit of work.
//! - South-South ([`south_south`]) is [`crate::rules::experts::south_south`] of the expert's
//!   State; the list's filter on it ([`ExpertFilter::south_south`]) is the same rule in SQL.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{
    AssistanceType, Gender, Language, RegionalGroup, ThematicArea, UserRole, join_values,
    split_values,
};
use entity::{audit_entry, expert, good_practice_expert, idempotency_key, state};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::email::check_email;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};

/// The roles that write the roster and read it whole.
const ISU: &[UserRole] = &[UserRole::IsuAdmin, UserRole::IsuStaff];
/// Most years of experience an expert may state.
pub const MAX_YEARS_OF_EXPERIENCE: i32 = 70;
/// Longest phone number, in characters.
pub const PHONE_TEXT: usize = 40;
/// Fewest digits a phone number holds.
const PHONE_DIGITS: usize = 6;

/// Whether an expert has contact details, as the audit log says it: never the details.
fn contact_marker(m: &expert::Model) -> &'static str {
    if m.email.is_some() || m.phone.is_some() {
        "set"
    } else {
        "none"
    }
}

impl Audited for expert::Model {
    const ENTITY_TYPE: &'static str = "Expert";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    /// Every field but the email and the phone, which it replaces by a marker.
    fn audit_json(&self) -> serde_json::Value {
        json!({"fullName": self.full_name, "gender": self.gender,
               "nationalityCode": self.nationality_code, "organization": self.organization,
               "areas": self.areas, "assistanceTypes": self.assistance_types,
               "languages": self.languages, "regions": self.regions,
               "yearsOfExperience": self.years_of_experience, "biography": self.biography,
               "availableFrom": self.available_from, "availableUntil": self.available_until,
               "contactDetails": contact_marker(self),
               "consentGivenOn": self.consent_given_on, "active": self.active})
    }
}

/// `ExpertInput`, as the API hands it over (strings untrimmed, as received).
#[derive(Clone, Debug)]
pub struct ExpertInput {
    pub full_name: String,
    pub gender: Gender,
    pub nationality_code: Option<String>,
    pub organization: Option<String>,
    pub areas: Vec<ThematicArea>,
    pub assistance_types: Vec<AssistanceType>,
    pub languages: Vec<Language>,
    pub regions: Vec<RegionalGroup>,
    pub years_of_experience: Option<i32>,
    pub biography: Option<String>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Required by the contract; an absent one is refused all the same (defence in depth).
    pub consent_given_on: Option<NaiveDate>,
}

/// `ExpertFilter`.
#[derive(Clone, Debug, Default)]
pub struct ExpertFilter {
    pub area: Option<ThematicArea>,
    pub assistance_type: Option<AssistanceType>,
    pub language: Option<Language>,
    pub regional_group: Option<RegionalGroup>,
    pub available_on: Option<NaiveDate>,
    pub south_south: Option<bool>,
    pub search: Option<String>,
}

/// An input's fields as they are stored, once checked.
struct Checked {
    full_name: String,
    nationality_code: Option<String>,
    organization: Option<String>,
    areas: String,
    assistance_types: String,
    languages: String,
    regions: String,
    biography: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    consent_given_on: NaiveDate,
}

/// The path of the field `name` under `prefix`.
fn at<'a>(prefix: &[&'a str], name: &'a str) -> Vec<&'a str> {
    let mut path = prefix.to_vec();
    path.push(name);
    path
}

/// `values` without repeats, in their first order.
fn dedup<T: PartialEq + Copy>(values: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(values.len());
    for v in values {
        if !out.contains(v) {
            out.push(*v);
        }
    }
    out
}

/// The checks of a phone number: at most [`PHONE_TEXT`] characters once trimmed, digits,
/// spaces and `+-().` only, [`PHONE_DIGITS`] digits at least. None when blank.
fn check_phone(r: &mut Refusals, field: &[&str], raw: Option<&str>) -> Option<String> {
    let phone = raw.map(str::trim).filter(|p| !p.is_empty())?;
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if phone.chars().count() > PHONE_TEXT
        || digits < PHONE_DIGITS
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        r.push(
            Code::InvalidInput,
            field,
            format!(
                "`phone` must be at most {PHONE_TEXT} characters of digits, spaces and +-(). \
                 with {PHONE_DIGITS} digits at least."
            ),
        );
        return None;
    }
    Some(phone.to_owned())
}

/// Checks `input` (its fields under `prefix`), reading the nationality's State: every
/// refusal at once, the fields as stored otherwise.
async fn check(
    db: &DatabaseConnection,
    prefix: &[&str],
    today: NaiveDate,
    input: &ExpertInput,
) -> Result<Checked, ServiceError> {
    let mut r = Refusals::default();
    let name_ok = validate::required(
        &mut r,
        &at(prefix, "fullName"),
        &input.full_name,
        SHORT_TEXT,
        Lines::One,
    );
    validate::optional(
        &mut r,
        &at(prefix, "organization"),
        input.organization.as_deref(),
        SHORT_TEXT,
        Lines::One,
    );
    validate::optional(
        &mut r,
        &at(prefix, "biography"),
        input.biography.as_deref(),
        TEXT,
        Lines::Many,
    );
    if input.areas.is_empty() {
        r.push(
            Code::InvalidInput,
            &at(prefix, "areas"),
            "Name at least one thematic area the expert works in.",
        );
    }
    if let Some(y) = input.years_of_experience
        && !(0..=MAX_YEARS_OF_EXPERIENCE).contains(&y)
    {
        r.push(
            Code::InvalidInput,
            &at(prefix, "yearsOfExperience"),
            format!("`yearsOfExperience` must be from 0 to {MAX_YEARS_OF_EXPERIENCE}."),
        );
    }
    validate::period(
        &mut r,
        &at(prefix, "availableFrom"),
        &at(prefix, "availableUntil"),
        input.available_from,
        input.available_until,
    );
    let email = match input.email.as_deref() {
        Some(raw) if !raw.trim().is_empty() || validate::has_control(raw, Lines::One) => {
            check_email(&mut r, &at(prefix, "email"), raw).map(Some)
        }
        _ => Some(None),
    };
    let phone_field = at(prefix, "phone");
    let phone = check_phone(&mut r, &phone_field, input.phone.as_deref());
    let consent = match input.consent_given_on {
        None => {
            r.push(
                Code::InvalidInput,
                &at(prefix, "consentGivenOn"),
                "An expert is listed with their consent: give the day it was given.",
            );
            None
        }
        Some(day) if day > today => {
            r.push(
                Code::InvalidInput,
                &at(prefix, "consentGivenOn"),
                "`consentGivenOn` must not be after today.",
            );
            None
        }
        Some(day) => Some(day),
    };
    let code = input
        .nationality_code
        .as_deref()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    if let Some(code) = &code
        && crate::domain::states::service::by_code(db, code)
            .await?
            .is_none()
    {
        r.push(
            Code::NotFound,
            &at(prefix, "nationalityCode"),
            format!("No State has the code {code}."),
        );
    }
    r.finish()?;
    let (true, Some(email), Some(consent_given_on)) = (name_ok, email, consent) else {
        return Err(ServiceError::Internal("checked above".into()));
    };
    Ok(Checked {
        full_name: input.full_name.trim().to_owned(),
        nationality_code: code,
        organization: validate::trimmed(input.organization.clone()),
        areas: join_values(&dedup(&input.areas)),
        assistance_types: join_values(&dedup(&input.assistance_types)),
        languages: join_values(&dedup(&input.languages)),
        regions: join_values(&dedup(&input.regions)),
        biography: validate::trimmed(input.biography.clone()),
        email,
        phone,
        consent_given_on,
    })
}

/// The expert `c` describes, keeping `id`, `active` and `created_at` of `base`.
fn model(base: expert::Model, input: &ExpertInput, c: Checked) -> expert::Model {
    expert::Model {
        full_name: c.full_name,
        gender: input.gender,
        nationality_code: c.nationality_code,
        organization: c.organization,
        areas: c.areas,
        assistance_types: c.assistance_types,
        languages: c.languages,
        regions: c.regions,
        years_of_experience: input.years_of_experience,
        biography: c.biography,
        available_from: input.available_from,
        available_until: input.available_until,
        email: c.email,
        phone: c.phone,
        consent_given_on: c.consent_given_on,
        ..base
    }
}

/// `addExpert` (ISU staff): the expert, active, once every check passes.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    input: ExpertInput,
) -> Result<expert::Model, ServiceError> {
    let actor = viewer.require_role(ISU)?.user_id;
    let checked = check(db, &["input"], today, &input).await?;
    let t = now();
    let base = expert::Model {
        id: Uuid::now_v7(),
        full_name: String::new(),
        gender: input.gender,
        nationality_code: None,
        organization: None,
        areas: String::new(),
        assistance_types: String::new(),
        languages: String::new(),
        regions: String::new(),
        years_of_experience: None,
        biography: None,
        available_from: None,
        available_until: None,
        email: None,
        phone: None,
        consent_given_on: today,
        active: true,
        created_at: t,
        updated_at: t,
    };
    let row = model(base, &input, checked);
    let uow = Uow::begin(db, Some(actor), "addExpert").await?;
    let created = expert::ActiveModel::from(row).insert(uow.txn()).await?;
    uow.created(&created).await?;
    uow.commit().await?;
    Ok(created)
}

/// `updateExpert` (ISU staff): the whole input replaces the expert's fields; `active` when
/// given.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    id: Uuid,
    input: ExpertInput,
    active: Option<bool>,
) -> Result<expert::Model, ServiceError> {
    let actor = viewer.require_role(ISU)?.user_id;
    let Some(before) = get_many(db, viewer, &[id]).await?.pop() else {
        return Err(not_found());
    };
    let checked = check(db, &["input", "expert"], today, &input).await?;
    let mut after = model(before.clone(), &input, checked);
    after.active = active.unwrap_or(before.active);
    // Compared on the rows, contact details included: the audit JSON does not show them.
    if after == before {
        return Ok(before);
    }
    after.updated_at = now();
    let before_json = before.audit_json();
    let mut after_json = after.audit_json();
    // New contact details show as "changed" (removed ones as "none"): never the details.
    if (&before.email, &before.phone) != (&after.email, &after.phone)
        && contact_marker(&after) == "set"
    {
        after_json["contactDetails"] = json!("changed");
    }
    let uow = Uow::begin(db, Some(actor), "updateExpert").await?;
    let mut am = expert::ActiveModel::from(after).reset_all();
    am.created_at = NotSet;
    // Erased meanwhile: NOT_FOUND, as if it had been gone already.
    let saved = am.update(uow.txn()).await.map_err(|e| match e {
        sea_orm::DbErr::RecordNotUpdated => not_found(),
        e => ServiceError::Db(e),
    })?;
    uow.record(
        expert::Model::ENTITY_TYPE,
        saved.id,
        Some(before_json),
        Some(after_json),
    )
    .await?;
    uow.commit().await?;
    Ok(saved)
}

fn not_found() -> ServiceError {
    ServiceError::refused(Code::NotFound, &["input", "id"], "No such expert.")
}

/// `eraseExpert` (ISU staff): the erased ID. In one unit of work: the expert's links to
/// good practices and their row go, their audit entries lose their `before` and `after`
/// (keeping ID, action, actor and time), the stored idempotent responses that name their
/// global ID go, and the erasure is recorded without data. An expert that does not exist
/// (or was erased already) is NOT_FOUND.
pub async fn erase(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Uuid, ServiceError> {
    let actor = viewer.require_role(ISU)?.user_id;
    let uow = Uow::begin(db, Some(actor), "eraseExpert").await?;
    // The deletes first: the first statement takes the write lock on SQLite.
    good_practice_expert::Entity::delete_many()
        .filter(good_practice_expert::Column::ExpertId.eq(id))
        .exec(uow.txn())
        .await?;
    let deleted = expert::Entity::delete_by_id(id).exec(uow.txn()).await?;
    if deleted.rows_affected == 0 {
        uow.rollback().await?;
        return Err(not_found());
    }
    audit_entry::Entity::update_many()
        .col_expr(
            audit_entry::Column::Before,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            audit_entry::Column::After,
            Expr::value(Option::<String>::None),
        )
        .filter(audit_entry::Column::EntityType.eq(expert::Model::ENTITY_TYPE))
        .filter(audit_entry::Column::EntityId.eq(id.to_string()))
        .exec(uow.txn())
        .await?;
    let global = crate::kernel::ids::encode(expert::Model::ENTITY_TYPE, &id.to_string());
    idempotency_key::Entity::delete_many()
        .filter(
            Expr::col(idempotency_key::Column::Response).like(validate::contains_literal(&global)),
        )
        .exec(uow.txn())
        .await?;
    uow.record(expert::Model::ENTITY_TYPE, id, None, None)
        .await?;
    uow.commit().await?;
    Ok(id)
}

/// The experts of `ids` that `viewer` may read (any order).
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<expert::Model>, ServiceError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(expert::Entity::find()
        .filter(expert::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::readable(viewer))
        .all(db)
        .await?)
}

/// True when the comma-separated `column` of the experts table holds `value` (an enum's
/// stored value), exactly.
fn holds(column: &str, value: &str) -> Expr {
    Expr::cust(format!("(',' || experts.{column} || ',')"))
        .like(validate::contains_literal(&format!(",{value},")))
}

/// The SQL of [`south_south`]: the expert has a nationality whose State is affected (mined
/// areas, stockpiles held or destroyed, victims), or has completed clearance while the
/// expert works in clearance. Never null, so that its negation holds the other experts.
fn south_south_sql() -> Condition {
    Condition::all()
        .add(expert::Column::NationalityCode.is_not_null())
        .add(
            Condition::any()
                .add(Expr::cust(
                    "experts.nationality_code IN (SELECT s.code FROM states s \
                     WHERE s.contaminated OR s.holds_stockpiles OR s.has_victims \
                     OR s.stockpile_destruction_completed_on IS NOT NULL)",
                ))
                .add(
                    Condition::all()
                        .add(Expr::cust(
                            "experts.nationality_code IN (SELECT s.code FROM states s \
                             WHERE s.clearance_completed_on IS NOT NULL)",
                        ))
                        .add(holds(
                            "areas",
                            &sea_orm::ActiveEnum::to_value(&ThematicArea::Clearance),
                        )),
                ),
        )
}

/// The condition of `filter` on the experts table.
fn matching(filter: ExpertFilter) -> Condition {
    use sea_orm::ActiveEnum;
    let mut c = Condition::all();
    if let Some(a) = filter.area {
        c = c.add(holds("areas", &a.to_value()));
    }
    if let Some(t) = filter.assistance_type {
        c = c.add(holds("assistance_types", &t.to_value()));
    }
    if let Some(l) = filter.language {
        c = c.add(holds("languages", &l.to_value()));
    }
    if let Some(g) = filter.regional_group {
        c = c.add(holds("regions", &g.to_value()));
    }
    if let Some(day) = filter.available_on {
        c = c
            .add(
                Condition::any()
                    .add(expert::Column::AvailableFrom.is_null())
                    .add(expert::Column::AvailableFrom.lte(day)),
            )
            .add(
                Condition::any()
                    .add(expert::Column::AvailableUntil.is_null())
                    .add(expert::Column::AvailableUntil.gte(day)),
            );
    }
    match filter.south_south {
        Some(true) => c = c.add(south_south_sql()),
        Some(false) => c = c.add(south_south_sql().not()),
        None => {}
    }
    if let Some(s) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let like = |col: expert::Column| {
            Expr::expr(Func::lower(Expr::col(col))).like(validate::contains_pattern(s))
        };
        c = c.add(
            Condition::any()
                .add(like(expert::Column::FullName))
                .add(like(expert::Column::Organization))
                .add(like(expert::Column::Biography)),
        );
    }
    c
}

/// A page of the experts `viewer` may read, matching `filter`: signed-in users only, by
/// ID (the order they were added).
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: ExpertFilter,
    page: PageRequest,
) -> Result<Page<expert::Model>, ServiceError> {
    viewer.require()?;
    let after = page.after_id()?;
    let select = expert::Entity::find()
        .filter(visibility::readable(viewer))
        .filter(matching(filter));
    Ok(pagination::fetch(
        db,
        select,
        expert::Column::Id,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?)
}

/// Whether `e`, whose State (nationality) is `state`, brings South-South experience:
/// [`crate::rules::experts::south_south`]; never without a nationality.
pub fn south_south(e: &expert::Model, state: Option<&state::Model>) -> bool {
    match state {
        Some(s) if e.nationality_code.as_deref() == Some(s.code.as_str()) => {
            crate::rules::experts::south_south(&super::state_facts(s), &split_values(&e.areas))
        }
        _ => false,
    }
}

/// One line of the roster's export: the expert, their State, and South-South.
#[derive(Clone, Debug)]
pub struct RosterLine {
    pub expert: expert::Model,
    pub state: Option<state::Model>,
    pub south_south: bool,
}

/// The whole roster, for its export (ISU staff): every expert, active or not, by ID, with
/// their State; two statements.
pub async fn roster(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> Result<Vec<RosterLine>, ServiceError> {
    viewer.require_role(ISU)?;
    let experts = expert::Entity::find()
        .filter(visibility::readable(viewer))
        .order_by_asc(expert::Column::Id)
        .all(db)
        .await?;
    let mut codes: Vec<String> = experts
        .iter()
        .filter_map(|e| e.nationality_code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    let states: HashMap<String, state::Model> = if codes.is_empty() {
        HashMap::new()
    } else {
        state::Entity::find()
            .filter(state::Column::Code.is_in(codes))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.code.clone(), s))
            .collect()
    };
    Ok(experts
        .into_iter()
        .map(|e| {
            let state = e
                .nationality_code
                .as_ref()
                .and_then(|c| states.get(c))
                .cloned();
            RosterLine {
                south_south: south_south(&e, state.as_ref()),
                expert: e,
                state,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_digits_and_a_few_signs() {
        let f = &["input", "phone"][..];
        for (raw, ok) in [
            ("+41 22 730 93 11", Some("+41 22 730 93 11")),
            ("  (021) 555-0199 ", Some("(021) 555-0199")),
            ("12345", None),
            ("+41 22 730 93 11 ext", None),
            ("+41\n22 730 93 11", None),
            (&"1".repeat(41), None),
        ] {
            let mut r = Refusals::default();
            assert_eq!(check_phone(&mut r, f, Some(raw)).as_deref(), ok, "{raw:?}");
            assert_eq!(r.is_empty(), ok.is_some(), "{raw:?}");
        }
        let mut r = Refusals::default();
        assert_eq!(check_phone(&mut r, f, Some("   ")), None);
        assert!(r.is_empty(), "blank is no phone");
    }

    #[test]
    fn the_audit_json_holds_no_contact_details() {
        let t = now();
        let e = expert::Model {
            id: Uuid::now_v7(),
            full_name: "Ana".into(),
            gender: Gender::Female,
            nationality_code: None,
            organization: None,
            areas: "CLEARANCE".into(),
            assistance_types: String::new(),
            languages: String::new(),
            regions: String::new(),
            years_of_experience: None,
            biography: None,
            available_from: None,
            available_until: None,
            email: Some("ana@example.org".into()),
            phone: Some("+41 22 730 93 11".into()),
            consent_given_on: t.date_naive(),
            active: true,
            created_at: t,
            updated_at: t,
        };
        let text = e.audit_json().to_string();
        assert!(!text.contains("ana@example.org"), "{text}");
        assert!(!text.contains("730"), "{text}");
        assert_eq!(e.audit_json()["contactDetails"], "set");
        assert_eq!(dedup(&[1, 2, 1, 3, 2]), [1, 2, 3]);
    }
}
