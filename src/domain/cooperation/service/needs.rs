//! Declaring a need of assistance, and withdrawing it.

use chrono::NaiveDate;
use entity::enums::{AssistanceType, NeedStatus, ThematicArea, join_values};
use entity::{assistance_need, transparency_report};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::cooperation::CooperationConfig;
use crate::domain::cooperation::rates;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::uow::{Audited, Uow};

use super::{check_period, check_text, checked_amount, get_need, not_found};

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

impl Audited for assistance_need::Model {
    const ENTITY_TYPE: &'static str = "AssistanceNeed";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        need_json(self)
    }
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
    let uow = Uow::begin(db, Some(actor), "createAssistanceNeed").await?;
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
    .insert(uow.txn())
    .await?;
    uow.created(&need).await?;
    uow.commit().await?;
    Ok(need)
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
    let uow = Uow::begin(db, Some(actor), "withdrawAssistanceNeed").await?;
    let mut am: assistance_need::ActiveModel = need.clone().into();
    am.status = Set(NeedStatus::Withdrawn);
    am.updated_at = Set(now());
    let updated = am.update(uow.txn()).await?;
    uow.changed(&need, &updated).await?;
    uow.commit().await?;
    Ok(updated)
}
