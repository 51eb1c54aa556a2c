//! Making an offer of assistance, and withdrawing it.

use chrono::NaiveDate;
use entity::enums::{
    AssistanceType, OfferStatus, RegionalGroup, ThematicArea, UserRole, join_values,
};
use entity::{assistance_offer, state};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::cooperation::CooperationConfig;
use crate::domain::cooperation::rates;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT};

use super::{check_period, check_text, checked_amount, get_offer, not_found};
use crate::domain::cooperation::visibility::OfferScope;

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

impl Audited for assistance_offer::Model {
    const ENTITY_TYPE: &'static str = "AssistanceOffer";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        offer_json(self)
    }
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
    validate::optional(
        &mut r,
        &["input", "providerOrganization"],
        organization.as_deref(),
        SHORT_TEXT,
        Lines::One,
    );
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
    let uow = Uow::begin(db, Some(actor), "createAssistanceOffer").await?;
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
    .insert(uow.txn())
    .await?;
    uow.created(&offer).await?;
    uow.commit().await?;
    Ok(offer)
}

/// `withdrawAssistanceOffer`: the provider State's delegation or ISU staff.
pub async fn withdraw_offer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<assistance_offer::Model, ServiceError> {
    viewer.require()?;
    let offer = get_offer(db, &OfferScope::load(db, viewer).await?, id)
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
    let uow = Uow::begin(db, Some(actor), "withdrawAssistanceOffer").await?;
    let mut am: assistance_offer::ActiveModel = offer.clone().into();
    am.status = Set(OfferStatus::Withdrawn);
    am.updated_at = Set(now());
    let updated = am.update(uow.txn()).await?;
    uow.changed(&offer, &updated).await?;
    uow.commit().await?;
    Ok(updated)
}
