//! Needs, offers, matching and allocation over the database. No GraphQL types here.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{
    AssistanceType, NeedStatus, OfferStatus, RegionalGroup, ThematicArea, UserRole, join_values,
    split_values,
};
use entity::{assistance_need, assistance_offer, state, transparency_report};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::CooperationConfig;
use super::rates::{self, Rates};
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::{self, Money};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Change, record};
use crate::rules::allocation::{self, Pair};
use crate::rules::matching::{self, NeedFacts, OfferFacts, Scored, Weights};
use crate::rules::obligations::{ObligationKind, ObligationStatus};

/// Longest title; longest description.
pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 100_000;

/// ISU staff and coordinators see every need; a delegation its own State's.
pub fn need_visible(viewer: &Viewer, need: &assistance_need::Model) -> bool {
    sees_state(viewer, Some(&need.state_code))
}

/// ISU staff and coordinators see every offer; a delegation its own State's.
pub fn offer_visible(viewer: &Viewer, offer: &assistance_offer::Model) -> bool {
    sees_state(viewer, offer.provider_state_code.as_deref())
}

fn sees_state(viewer: &Viewer, code: Option<&str>) -> bool {
    match viewer.principal() {
        None => false,
        Some(p) => match p.role {
            UserRole::IsuAdmin | UserRole::IsuStaff | UserRole::Coordinator => true,
            UserRole::Delegation => p.state_code.is_some() && p.state_code.as_deref() == code,
        },
    }
}

/// The needs declared in each of several reports that the viewer may see, oldest first,
/// in one query.
pub async fn needs_of_reports(
    db: &DatabaseConnection,
    viewer: &Viewer,
    report_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<assistance_need::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<assistance_need::Model>> =
        report_ids.iter().map(|id| (*id, vec![])).collect();
    if viewer.principal().is_none() {
        return Ok(out);
    }
    for n in assistance_need::Entity::find()
        .filter(assistance_need::Column::SourceReportId.is_in(report_ids.iter().copied()))
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await?
    {
        if let Some(id) = n.source_report_id
            && need_visible(viewer, &n)
        {
            out.entry(id).or_default().push(n);
        }
    }
    Ok(out)
}

/// The needs and offers of proposals, in two queries. Unfiltered: whoever may see a
/// proposal sees both its sides (see `proposals::visible`).
pub async fn sides_of_proposals(
    db: &DatabaseConnection,
    needs: &[Uuid],
    offers: &[Uuid],
) -> Result<(Vec<assistance_need::Model>, Vec<assistance_offer::Model>), DbErr> {
    let n = if needs.is_empty() {
        vec![]
    } else {
        assistance_need::Entity::find()
            .filter(assistance_need::Column::Id.is_in(needs.iter().copied()))
            .all(db)
            .await?
    };
    let o = if offers.is_empty() {
        vec![]
    } else {
        assistance_offer::Entity::find()
            .filter(assistance_offer::Column::Id.is_in(offers.iter().copied()))
            .all(db)
            .await?
    };
    Ok((n, o))
}

pub async fn get_need(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<assistance_need::Model>, DbErr> {
    Ok(assistance_need::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|n| need_visible(viewer, n)))
}

pub async fn get_offer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<assistance_offer::Model>, DbErr> {
    Ok(assistance_offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|o| offer_visible(viewer, o)))
}

/// The needs of `ids` the viewer may see, in one statement.
pub async fn get_needs(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<assistance_need::Model>, DbErr> {
    Ok(assistance_need::Entity::find()
        .filter(assistance_need::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter(|n| need_visible(viewer, n))
        .collect())
}

/// The offers of `ids` the viewer may see, in one statement.
pub async fn get_offers(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<assistance_offer::Model>, DbErr> {
    Ok(assistance_offer::Entity::find()
        .filter(assistance_offer::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| offer_visible(viewer, o))
        .collect())
}

/// A money input checked for cooperation: > 0, at most 2 decimals, ISO 4217, and a rate on
/// `today`. Returns cents and the currency.
fn checked_amount(
    m: &Money,
    rates: &Rates,
    today: NaiveDate,
    field: &[&str],
    r: &mut Refusals,
) -> Option<(i64, String)> {
    if let Err(msg) = money::check(m, false) {
        r.push(Code::InvalidInput, field, msg);
        return None;
    }
    if rates.rate_on(&m.currency, today).is_none() {
        r.push(
            Code::InvalidInput,
            field,
            format!(
                "No exchange rate for {} is valid on {today}: ask an ISU administrator to set one.",
                m.currency
            ),
        );
        return None;
    }
    let cents = (m.amount * rust_decimal::Decimal::from(100)).trunc();
    match i64::try_from(cents.mantissa()) {
        Ok(c) if cents.scale() == 0 => Some((c, m.currency.clone())),
        _ => {
            r.push(Code::InvalidInput, field, "The amount is too large.");
            None
        }
    }
}

fn check_text(r: &mut Refusals, title: &str, description: Option<&str>) {
    if title.trim().is_empty() || title.chars().count() > MAX_TITLE {
        r.push(
            Code::InvalidInput,
            &["input", "title"],
            format!("Give a title of 1 to {MAX_TITLE} characters."),
        );
    }
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
        r.push(
            Code::InvalidInput,
            &["input", "description"],
            format!("At most {MAX_DESCRIPTION} characters."),
        );
    }
}

fn check_period(r: &mut Refusals, start: Option<NaiveDate>, end: Option<NaiveDate>) {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        r.push(
            Code::InvalidInput,
            &["input", "periodEnd"],
            "The period ends before it starts.",
        );
    }
}

/// `createAssistanceNeed`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct NewNeed {
    pub state_code: String,
    pub area: ThematicArea,
    pub types: Vec<AssistanceType>,
    pub title: String,
    pub description: Option<String>,
    pub amount: Option<Money>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// Already decoded; `Err` holds an ID that is not a report's.
    pub source_report: Option<Result<Uuid, String>>,
}

pub fn need_json(n: &assistance_need::Model) -> serde_json::Value {
    json!({
        "id": n.id, "stateCode": n.state_code, "thematicArea": n.thematic_area,
        "assistanceTypes": n.assistance_types, "title": n.title, "amountCents": n.amount_cents,
        "currency": n.currency, "coveredCents": n.covered_cents, "periodStart": n.period_start,
        "periodEnd": n.period_end, "status": n.status, "sourceReportId": n.source_report_id,
    })
}

pub fn offer_json(o: &assistance_offer::Model) -> serde_json::Value {
    json!({
        "id": o.id, "providerStateCode": o.provider_state_code,
        "providerOrganization": o.provider_organization, "thematicAreas": o.thematic_areas,
        "assistanceTypes": o.assistance_types, "title": o.title, "amountCents": o.amount_cents,
        "currency": o.currency, "committedCents": o.committed_cents,
        "targetRegions": o.target_regions, "targetStateCodes": o.target_state_codes,
        "periodStart": o.period_start, "periodEnd": o.period_end, "status": o.status,
    })
}

/// `createAssistanceNeed`: the State's delegation or ISU staff.
pub async fn create_need(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    viewer: &Viewer,
    new: NewNeed,
    today: NaiveDate,
) -> Result<assistance_need::Model, ServiceError> {
    let code = new.state_code.trim().to_uppercase();
    let actor = viewer.require_acting_for(&code)?.user_id;
    if crate::domain::states::service::by_code(db, &code)
        .await?
        .is_none()
    {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "stateCode"],
            format!("No State has the code {code}."),
        ));
    }
    let rates = rates::load(db, &cfg.base_currency).await?;
    let mut r = Refusals::default();
    check_text(&mut r, &new.title, new.description.as_deref());
    if new.types.is_empty() {
        r.push(
            Code::InvalidInput,
            &["input", "assistanceTypes"],
            "Name at least one kind of assistance.",
        );
    }
    let amount = new
        .amount
        .as_ref()
        .and_then(|m| checked_amount(m, &rates, today, &["input", "amount"], &mut r));
    check_period(&mut r, new.period_start, new.period_end);
    let source_report = match new.source_report {
        None => None,
        Some(Err(_)) => {
            r.push(
                Code::InvalidInput,
                &["input", "sourceReportId"],
                "Not the ID of a transparency report.",
            );
            None
        }
        Some(Ok(id)) => {
            let report = transparency_report::Entity::find_by_id(id).one(db).await?;
            match report {
                Some(rep) if rep.state_code == code => Some(id),
                _ => {
                    r.push(
                        Code::InvalidInput,
                        &["input", "sourceReportId"],
                        format!("The source report must be one of {code}'s reports."),
                    );
                    None
                }
            }
        }
    };
    r.finish()?;
    let mut types = new.types;
    types.dedup();
    let t = now();
    let txn = db.begin().await?;
    let need = assistance_need::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(code),
        thematic_area: Set(new.area),
        assistance_types: Set(join_values(&types)),
        title: Set(new.title.trim().to_owned()),
        description: Set(new.description),
        amount_cents: Set(amount.as_ref().map(|a| a.0)),
        currency: Set(amount.map(|a| a.1)),
        covered_cents: Set(0),
        period_start: Set(new.period_start),
        period_end: Set(new.period_end),
        status: Set(NeedStatus::Open),
        source_report_id: Set(source_report),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "createAssistanceNeed",
            entity_type: "AssistanceNeed",
            entity_id: need.id.to_string(),
            before: None,
            after: Some(need_json(&need)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(need)
}

/// `createAssistanceOffer`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub provider_state_code: Option<String>,
    pub provider_organization: Option<String>,
    pub areas: Vec<ThematicArea>,
    pub types: Vec<AssistanceType>,
    pub title: String,
    pub description: Option<String>,
    pub amount: Option<Money>,
    pub target_regions: Vec<RegionalGroup>,
    pub target_state_codes: Vec<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

/// `createAssistanceOffer`: a State's delegation for its State; ISU staff for any State or
/// organisation.
pub async fn create_offer(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    viewer: &Viewer,
    new: NewOffer,
    today: NaiveDate,
) -> Result<assistance_offer::Model, ServiceError> {
    let provider_state = new
        .provider_state_code
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    let organization = new
        .provider_organization
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty());
    let actor = match (&provider_state, &organization) {
        (Some(code), None) => viewer.require_acting_for(code)?.user_id,
        (None, Some(_)) => {
            viewer
                .require_role(&[UserRole::IsuAdmin, UserRole::IsuStaff])?
                .user_id
        }
        _ => {
            viewer.require()?;
            return Err(ServiceError::refused(
                Code::InvalidInput,
                &["input", "providerStateCode"],
                "Give exactly one of providerStateCode and providerOrganization.",
            ));
        }
    };
    let mut r = Refusals::default();
    if let Some(code) = &provider_state
        && crate::domain::states::service::by_code(db, code)
            .await?
            .is_none()
    {
        return Err(ServiceError::refused(
            Code::NotFound,
            &["input", "providerStateCode"],
            format!("No State has the code {code}."),
        ));
    }
    if organization
        .as_ref()
        .is_some_and(|o| o.chars().count() > MAX_TITLE)
    {
        r.push(
            Code::InvalidInput,
            &["input", "providerOrganization"],
            format!("At most {MAX_TITLE} characters."),
        );
    }
    let rates = rates::load(db, &cfg.base_currency).await?;
    check_text(&mut r, &new.title, new.description.as_deref());
    if new.areas.is_empty() {
        r.push(
            Code::InvalidInput,
            &["input", "thematicAreas"],
            "Name at least one thematic area.",
        );
    }
    if new.types.is_empty() {
        r.push(
            Code::InvalidInput,
            &["input", "assistanceTypes"],
            "Name at least one kind of assistance.",
        );
    }
    let amount = new
        .amount
        .as_ref()
        .and_then(|m| checked_amount(m, &rates, today, &["input", "amount"], &mut r));
    check_period(&mut r, new.period_start, new.period_end);
    let mut targets: Vec<String> = new
        .target_state_codes
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    targets.sort();
    targets.dedup();
    if !targets.is_empty() {
        let known: Vec<String> = state::Entity::find()
            .filter(state::Column::Code.is_in(targets.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        let unknown: Vec<&String> = targets.iter().filter(|c| !known.contains(c)).collect();
        if !unknown.is_empty() {
            r.push(
                Code::InvalidInput,
                &["input", "targetStateCodes"],
                format!(
                    "Unknown State codes: {}.",
                    unknown
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    r.finish()?;
    let (mut areas, mut types, mut regions) = (new.areas, new.types, new.target_regions);
    areas.dedup();
    types.dedup();
    regions.dedup();
    let t = now();
    let txn = db.begin().await?;
    let offer = assistance_offer::ActiveModel {
        id: Set(Uuid::now_v7()),
        provider_state_code: Set(provider_state),
        provider_organization: Set(organization),
        thematic_areas: Set(join_values(&areas)),
        assistance_types: Set(join_values(&types)),
        title: Set(new.title.trim().to_owned()),
        description: Set(new.description),
        amount_cents: Set(amount.as_ref().map(|a| a.0)),
        currency: Set(amount.map(|a| a.1)),
        committed_cents: Set(0),
        target_regions: Set(join_values(&regions)),
        target_state_codes: Set(targets.join(",")),
        period_start: Set(new.period_start),
        period_end: Set(new.period_end),
        status: Set(OfferStatus::Open),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "createAssistanceOffer",
            entity_type: "AssistanceOffer",
            entity_id: offer.id.to_string(),
            before: None,
            after: Some(offer_json(&offer)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(offer)
}

fn not_found(what: &str) -> ServiceError {
    ServiceError::refused(Code::NotFound, &["input", "id"], format!("No such {what}."))
}

/// `withdrawAssistanceNeed`: the State's delegation or ISU staff; open needs only.
pub async fn withdraw_need(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<assistance_need::Model, ServiceError> {
    viewer.require()?;
    let need = get_need(db, viewer, id)
        .await?
        .ok_or_else(|| not_found("need"))?;
    let actor = viewer.require_acting_for(&need.state_code)?.user_id;
    if !matches!(need.status, NeedStatus::Open | NeedStatus::PartiallyMet) {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "Only an open need can be withdrawn.",
        ));
    }
    let txn = db.begin().await?;
    let mut am: assistance_need::ActiveModel = need.clone().into();
    am.status = Set(NeedStatus::Withdrawn);
    am.updated_at = Set(now());
    let updated = am.update(&txn).await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "withdrawAssistanceNeed",
            entity_type: "AssistanceNeed",
            entity_id: id.to_string(),
            before: Some(need_json(&need)),
            after: Some(need_json(&updated)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// `withdrawAssistanceOffer`: the provider State's delegation or ISU staff.
pub async fn withdraw_offer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<assistance_offer::Model, ServiceError> {
    viewer.require()?;
    let offer = get_offer(db, viewer, id)
        .await?
        .ok_or_else(|| not_found("offer"))?;
    let actor = match &offer.provider_state_code {
        Some(code) => viewer.require_acting_for(code)?.user_id,
        None => {
            viewer
                .require_role(&[UserRole::IsuAdmin, UserRole::IsuStaff])?
                .user_id
        }
    };
    if !matches!(
        offer.status,
        OfferStatus::Open | OfferStatus::PartiallyCommitted
    ) {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            "Only an open offer can be withdrawn.",
        ));
    }
    let txn = db.begin().await?;
    let mut am: assistance_offer::ActiveModel = offer.clone().into();
    am.status = Set(OfferStatus::Withdrawn);
    am.updated_at = Set(now());
    let updated = am.update(&txn).await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "withdrawAssistanceOffer",
            entity_type: "AssistanceOffer",
            entity_id: id.to_string(),
            before: Some(offer_json(&offer)),
            after: Some(offer_json(&updated)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

#[derive(Debug, Default)]
pub struct NeedFilter {
    pub status: Option<Vec<NeedStatus>>,
    pub area: Option<ThematicArea>,
    pub state_code: Option<String>,
    pub region: Option<RegionalGroup>,
}

/// Needs the viewer may see, oldest first. Logged-in users only.
pub async fn list_needs(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: NeedFilter,
    page: PageRequest,
) -> Result<Page<assistance_need::Model>, ServiceError> {
    let p = viewer.require()?;
    let mut cond = Condition::all();
    if p.role == UserRole::Delegation {
        cond = cond
            .add(assistance_need::Column::StateCode.eq(p.state_code.clone().unwrap_or_default()));
    }
    if let Some(s) = f.status.filter(|s| !s.is_empty()) {
        cond = cond.add(assistance_need::Column::Status.is_in(s));
    }
    if let Some(a) = f.area {
        cond = cond.add(assistance_need::Column::ThematicArea.eq(a));
    }
    if let Some(c) = f.state_code {
        cond = cond.add(assistance_need::Column::StateCode.eq(c.trim().to_uppercase()));
    }
    if let Some(g) = f.region {
        let codes: Vec<String> = state::Entity::find()
            .filter(state::Column::RegionalGroup.eq(g))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        cond = cond.add(assistance_need::Column::StateCode.is_in(codes));
    }
    list_page(
        db,
        assistance_need::Entity::find().filter(cond),
        assistance_need::Column::Id,
        page,
    )
    .await
}

#[derive(Debug, Default)]
pub struct OfferFilter {
    pub status: Option<Vec<OfferStatus>>,
    pub area: Option<ThematicArea>,
    pub provider_state_code: Option<String>,
}

/// Offers the viewer may see, oldest first. Logged-in users only.
pub async fn list_offers(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: OfferFilter,
    page: PageRequest,
) -> Result<Page<assistance_offer::Model>, ServiceError> {
    let p = viewer.require()?;
    let mut cond = Condition::all();
    if p.role == UserRole::Delegation {
        cond = cond.add(
            assistance_offer::Column::ProviderStateCode
                .eq(p.state_code.clone().unwrap_or_default()),
        );
    }
    if let Some(s) = f.status.filter(|s| !s.is_empty()) {
        cond = cond.add(assistance_offer::Column::Status.is_in(s));
    }
    if let Some(a) = f.area {
        // No area's name is part of another's, so a substring test is exact.
        cond = cond.add(
            assistance_offer::Column::ThematicAreas.contains(sea_orm::ActiveEnum::to_value(&a)),
        );
    }
    if let Some(c) = f.provider_state_code {
        cond = cond.add(assistance_offer::Column::ProviderStateCode.eq(c.trim().to_uppercase()));
    }
    list_page(
        db,
        assistance_offer::Entity::find().filter(cond),
        assistance_offer::Column::Id,
        page,
    )
    .await
}

async fn list_page<E, C>(
    db: &DatabaseConnection,
    select: sea_orm::Select<E>,
    key: C,
    page: PageRequest,
) -> Result<Page<E::Model>, ServiceError>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ColumnTrait,
{
    let after = page.after_id()?;
    Ok(pagination::fetch(db, select, key, Direction::Ascending, after, page.limit).await?)
}

/// Pages of several States' rows in two queries; a State the viewer may not see gets an
/// empty page.
#[allow(clippy::too_many_arguments)]
async fn grouped_by_state<E, C>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    select: sea_orm::Select<E>,
    column: C,
    group_of: impl Fn(&E::Model) -> String,
    key: E::Column,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<E::Model>>, ServiceError>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ColumnTrait,
{
    let after = page.after_id()?;
    let (seen, unseen): (Vec<String>, Vec<String>) = codes
        .iter()
        .cloned()
        .partition(|c| sees_state(viewer, Some(c)));
    let mut pages = pagination::fetch_grouped(
        db,
        select,
        column,
        &seen,
        group_of,
        key,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?;
    pages.extend(unseen.into_iter().map(|c| (c, Page::empty())));
    Ok(pages)
}

/// The needs of several States, a page each, through `StateParty`: a State's needs are
/// seen by its delegation and the ISU.
pub async fn needs_of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<assistance_need::Model>>, ServiceError> {
    grouped_by_state(
        db,
        viewer,
        assistance_need::Entity::find(),
        assistance_need::Column::StateCode,
        |n| n.state_code.clone(),
        assistance_need::Column::Id,
        codes,
        page,
    )
    .await
}

/// The offers of several States as providers, a page each, with the same visibility.
pub async fn offers_of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<assistance_offer::Model>>, ServiceError> {
    grouped_by_state(
        db,
        viewer,
        assistance_offer::Entity::find(),
        assistance_offer::Column::ProviderStateCode,
        |o| o.provider_state_code.clone().unwrap_or_default(),
        assistance_offer::Column::Id,
        codes,
        page,
    )
    .await
}

/// Everything matching needs in memory: States, rates, the day.
pub struct MatchContext {
    pub states: HashMap<String, state::Model>,
    pub rates: Rates,
    pub today: NaiveDate,
    /// Days to each State's open treaty deadline by area (Articles 3, 4 and 7).
    pub deadlines: HashMap<(String, ThematicArea), i64>,
    pub weights: Weights,
}

impl MatchContext {
    /// Loads the context for matching needs of the States in `needs_of` (every State when
    /// None): the urgency of a need comes from its own State's deadlines, so those are the
    /// only ones computed.
    pub async fn load(
        db: &DatabaseConnection,
        today: NaiveDate,
        cfg: &CooperationConfig,
        needs_of: Option<&[&str]>,
    ) -> Result<Self, ServiceError> {
        let states: HashMap<String, state::Model> = state::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.code.clone(), s))
            .collect();
        let bound: Vec<&state::Model> = match needs_of {
            Some(codes) => codes.iter().filter_map(|c| states.get(*c)).collect(),
            None => states.values().collect(),
        };
        let mut deadlines: HashMap<(String, ThematicArea), i64> = HashMap::new();
        for (code, list) in crate::domain::states::obligations::of_states(db, &bound, today).await?
        {
            for o in list.iter().filter(|o| o.status != ObligationStatus::Met) {
                let area = match o.kind {
                    ObligationKind::Clearance => ThematicArea::Clearance,
                    ObligationKind::StockpileDestruction => ThematicArea::StockpileDestruction,
                    ObligationKind::InitialTransparencyReport
                    | ObligationKind::AnnualTransparencyReport => {
                        ThematicArea::TransparencyReporting
                    }
                };
                let e = deadlines
                    .entry((code.clone(), area))
                    .or_insert(o.days_remaining);
                *e = (*e).min(o.days_remaining);
            }
        }
        Ok(Self {
            states,
            rates: rates::load(db, &cfg.base_currency).await?,
            today,
            deadlines,
            weights: cfg.weights,
        })
    }

    fn base(&self, cents: Option<i64>, spent: i64, currency: Option<&str>) -> Option<i64> {
        let (c, cur) = (cents?, currency?);
        self.rates.to_base((c - spent).max(0), cur, self.today)
    }

    pub fn need(&self, n: &assistance_need::Model) -> NeedFacts {
        let s = self.states.get(&n.state_code);
        NeedFacts {
            id: n.id,
            state_code: n.state_code.clone(),
            state_name: s
                .map(|s| s.name.clone())
                .unwrap_or_else(|| n.state_code.clone()),
            region: s.and_then(|s| s.regional_group),
            area: n.thematic_area,
            types: split_values(&n.assistance_types),
            remaining: self.base(n.amount_cents, n.covered_cents, n.currency.as_deref()),
            period_start: n.period_start,
            period_end: n.period_end,
            open: matches!(n.status, NeedStatus::Open | NeedStatus::PartiallyMet),
            deadline_days: self
                .deadlines
                .get(&(n.state_code.clone(), n.thematic_area))
                .copied(),
        }
    }

    pub fn offer(&self, o: &assistance_offer::Model) -> OfferFacts {
        OfferFacts {
            id: o.id,
            provider_state: o.provider_state_code.clone(),
            provider_name: provider_name(o, &self.states),
            areas: split_values(&o.thematic_areas),
            types: split_values(&o.assistance_types),
            remaining: self.base(o.amount_cents, o.committed_cents, o.currency.as_deref()),
            target_regions: split_values(&o.target_regions),
            target_states: o
                .target_state_codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            period_start: o.period_start,
            period_end: o.period_end,
            open: matches!(
                o.status,
                OfferStatus::Open | OfferStatus::PartiallyCommitted
            ),
        }
    }
}

pub fn provider_name(
    o: &assistance_offer::Model,
    states: &HashMap<String, state::Model>,
) -> String {
    match (&o.provider_state_code, &o.provider_organization) {
        (Some(code), _) => states
            .get(code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| code.clone()),
        (None, Some(org)) => org.clone(),
        (None, None) => String::new(),
    }
}

async fn open_offers(db: &DatabaseConnection) -> Result<Vec<assistance_offer::Model>, DbErr> {
    assistance_offer::Entity::find()
        .filter(
            assistance_offer::Column::Status
                .is_in([OfferStatus::Open, OfferStatus::PartiallyCommitted]),
        )
        .order_by_asc(assistance_offer::Column::Id)
        .all(db)
        .await
}

async fn open_needs(db: &DatabaseConnection) -> Result<Vec<assistance_need::Model>, DbErr> {
    assistance_need::Entity::find()
        .filter(assistance_need::Column::Status.is_in([NeedStatus::Open, NeedStatus::PartiallyMet]))
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await
}

/// The States of `needs`, once each.
fn states_of(needs: &[assistance_need::Model]) -> Vec<&str> {
    let mut codes: Vec<&str> = needs.iter().map(|n| n.state_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The best offers for each of `needs`, best first, at most `first` each. The context and
/// the open offers are loaded once for all of them.
pub async fn matches_for_needs(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    needs: &[assistance_need::Model],
    today: NaiveDate,
    first: usize,
) -> Result<HashMap<Uuid, Vec<(assistance_offer::Model, Scored)>>, ServiceError> {
    let ctx = MatchContext::load(db, today, cfg, Some(&states_of(needs))).await?;
    let offers = open_offers(db).await?;
    let facts: Vec<OfferFacts> = offers.iter().map(|o| ctx.offer(o)).collect();
    let by_id: HashMap<Uuid, &assistance_offer::Model> = offers.iter().map(|o| (o.id, o)).collect();
    Ok(needs
        .iter()
        .map(|need| {
            let ranked = matching::rank_offers(&ctx.need(need), &facts, &ctx.weights)
                .into_iter()
                .take(first)
                .filter_map(|(o, s)| by_id.get(&o.id).map(|m| ((*m).clone(), s)))
                .collect();
            (need.id, ranked)
        })
        .collect())
}

/// Why no offer fits each of `needs`; empty for a need that some offer fits.
pub async fn why_unmatched(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    needs: &[assistance_need::Model],
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<String>>, ServiceError> {
    let ctx = MatchContext::load(db, today, cfg, Some(&states_of(needs))).await?;
    let facts: Vec<OfferFacts> = open_offers(db)
        .await?
        .iter()
        .map(|o| ctx.offer(o))
        .collect();
    Ok(needs
        .iter()
        .map(|n| (n.id, matching::why_unmatched(&ctx.need(n), &facts)))
        .collect())
}

/// The needs each of `offers` can serve, best first, among those the viewer may see, at
/// most `first` each.
pub async fn matches_for_offers(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    viewer: &Viewer,
    offers: &[assistance_offer::Model],
    today: NaiveDate,
    first: usize,
) -> Result<HashMap<Uuid, Vec<(assistance_need::Model, Scored)>>, ServiceError> {
    let ctx = MatchContext::load(db, today, cfg, None).await?;
    let needs: Vec<assistance_need::Model> = open_needs(db)
        .await?
        .into_iter()
        .filter(|n| need_visible(viewer, n))
        .collect();
    let facts: Vec<NeedFacts> = needs.iter().map(|n| ctx.need(n)).collect();
    let by_id: HashMap<Uuid, &assistance_need::Model> = needs.iter().map(|n| (n.id, n)).collect();
    Ok(offers
        .iter()
        .map(|offer| {
            let ranked = matching::rank_needs(&ctx.offer(offer), &facts, &ctx.weights)
                .into_iter()
                .take(first)
                .filter_map(|(n, s)| by_id.get(&n.id).map(|m| ((*m).clone(), s)))
                .collect();
            (offer.id, ranked)
        })
        .collect())
}

#[derive(Debug, Default)]
pub struct AllocationFilter {
    pub area: Option<ThematicArea>,
    pub region: Option<RegionalGroup>,
}

/// One recommended assignment, in base-currency cents.
#[derive(Debug)]
pub struct Assigned {
    pub need: assistance_need::Model,
    pub offer: assistance_offer::Model,
    pub cents: i64,
    pub score: f64,
}

#[derive(Debug)]
pub struct AllocationResult {
    /// The base currency every amount here is in.
    pub currency: String,
    pub assignments: Vec<Assigned>,
    pub requested_cents: i64,
    pub allocated_cents: i64,
    pub fully: usize,
    pub partially: usize,
    pub uncovered: usize,
}

/// `cooperationAllocation`: the optimal recommendation over needs and offers with amounts.
/// ISU staff and coordinators.
pub async fn allocation(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    viewer: &Viewer,
    f: AllocationFilter,
    today: NaiveDate,
) -> Result<AllocationResult, ServiceError> {
    viewer.require_role(&[
        UserRole::IsuAdmin,
        UserRole::IsuStaff,
        UserRole::Coordinator,
    ])?;
    let ctx = MatchContext::load(db, today, cfg, None).await?;
    let needs: Vec<(assistance_need::Model, NeedFacts)> = open_needs(db)
        .await?
        .into_iter()
        .filter(|n| f.area.is_none_or(|a| n.thematic_area == a))
        .map(|n| {
            let facts = ctx.need(&n);
            (n, facts)
        })
        .filter(|(_, facts)| f.region.is_none_or(|r| facts.region == Some(r)))
        .filter(|(_, facts)| facts.remaining.is_some_and(|c| c > 0))
        .collect();
    let offers: Vec<(assistance_offer::Model, OfferFacts)> = open_offers(db)
        .await?
        .into_iter()
        .map(|o| {
            let facts = ctx.offer(&o);
            (o, facts)
        })
        .filter(|(_, facts)| facts.remaining.is_some_and(|c| c > 0))
        .collect();
    let mut pairs = Vec::new();
    for (i, (_, nf)) in needs.iter().enumerate() {
        for (j, (_, of)) in offers.iter().enumerate() {
            if matching::ineligibility(nf, of).is_empty() {
                pairs.push(Pair {
                    need: i,
                    offer: j,
                    score: matching::score(nf, of, &ctx.weights).score,
                });
            }
        }
    }
    let need_caps: Vec<i64> = needs
        .iter()
        .map(|(_, f)| f.remaining.unwrap_or(0))
        .collect();
    let offer_caps: Vec<i64> = offers
        .iter()
        .map(|(_, f)| f.remaining.unwrap_or(0))
        .collect();
    let result = allocation::allocate(&need_caps, &offer_caps, &pairs);
    let mut got = vec![0i64; needs.len()];
    let assignments: Vec<Assigned> = result
        .iter()
        .map(|a| {
            let p = pairs[a.pair];
            got[p.need] += a.amount;
            Assigned {
                need: needs[p.need].0.clone(),
                offer: offers[p.offer].0.clone(),
                cents: a.amount,
                score: p.score,
            }
        })
        .collect();
    let fully = got.iter().zip(&need_caps).filter(|(g, c)| *g == *c).count();
    let uncovered = got.iter().filter(|g| **g == 0).count();
    Ok(AllocationResult {
        currency: cfg.base_currency.clone(),
        requested_cents: need_caps.iter().sum(),
        allocated_cents: got.iter().sum(),
        fully,
        partially: needs.len() - fully - uncovered,
        uncovered,
        assignments,
    })
}
