//! Applications with their meeting, State and eligibility verdict: the reads, and applying.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, Gender, UserRole};
use entity::{meeting, sponsorship_application as application, state};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::{TRAVEL_DAYS, checked_cents, get_meeting, get_meetings, looks_like_email, refused};
use crate::auth::Viewer;
use crate::domain::sponsorship::SponsorshipConfig;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};
use crate::rules::eligibility::{self, Eligibility, Pending};
use crate::rules::obligations::ObligationKind;

/// An application with what its fields are computed from: its meeting (allowance,
/// currency), its State and the eligibility verdict, assessed once per request.
#[derive(Clone, Debug)]
pub struct Application {
    pub row: application::Model,
    pub meeting: Arc<meeting::Model>,
    pub state: Arc<state::Model>,
    pub eligibility: Arc<Eligibility>,
}

impl Application {
    /// The meeting's currency (every application is in it).
    pub fn currency(&self) -> &str {
        self.meeting.currency.as_deref().unwrap_or_default()
    }

    /// Travel plus days × the meeting's daily allowance.
    pub fn requested_total_cents(&self) -> i64 {
        requested_total(
            self.row.travel_cents,
            self.row.requested_days,
            self.meeting.dsa_cents.unwrap_or(0),
        )
    }
}

/// travel + days × allowance, saturating (inputs are checked far below the limit).
pub fn requested_total(travel_cents: i64, days: i32, dsa_cents: i64) -> i64 {
    travel_cents.saturating_add(i64::from(days).saturating_mul(dsa_cents))
}

/// The applications the viewer may read, as a condition: a delegation its own State's, the
/// ISU all, nobody else any (a coordinator sees statistics only). Every read of
/// applications applies it.
pub fn applications_readable(viewer: &Viewer) -> Condition {
    if viewer.is_isu() {
        return Condition::all();
    }
    match viewer.principal() {
        Some(p) if p.role == UserRole::Delegation && p.state_code.is_some() => {
            Condition::all().add(application::Column::StateCode.eq(p.state_code.clone()))
        }
        _ => Condition::all().add(application::Column::Id.is_null()),
    }
}

/// Assesses eligibility for the States of a set of applications: the registry rows and
/// their obligations in three queries, whatever their number.
struct Assessor {
    states: HashMap<String, Arc<state::Model>>,
    verdicts: HashMap<String, Arc<Eligibility>>,
}

impl Assessor {
    async fn load(
        db: &DatabaseConnection,
        policy: &eligibility::Policy,
        codes: impl IntoIterator<Item = String>,
        today: NaiveDate,
    ) -> Result<Self, DbErr> {
        let mut codes: Vec<String> = codes.into_iter().collect();
        codes.sort();
        codes.dedup();
        let rows = state::Entity::find()
            .filter(state::Column::Code.is_in(codes))
            .all(db)
            .await?;
        let refs: Vec<&state::Model> = rows.iter().collect();
        let obligations = crate::domain::states::obligations::of_states(db, &refs, today).await?;
        let mut verdicts = HashMap::new();
        for s in &rows {
            let pending = obligations
                .get(&s.code)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter(|o| o.status.is_open())
                .filter_map(|o| match o.kind {
                    ObligationKind::StockpileDestruction => {
                        Some(Pending::StockpileDestruction(o.due_date))
                    }
                    ObligationKind::Clearance => Some(Pending::Clearance(o.due_date)),
                    _ => None,
                })
                .collect();
            let facts = eligibility::StateFacts {
                code: s.code.clone(),
                name: s.name.clone(),
                status: s.status,
                income: s.income_group,
                pending,
                has_victims: s.has_victims,
            };
            verdicts.insert(
                s.code.clone(),
                Arc::new(eligibility::assess(&facts, policy)),
            );
        }
        Ok(Self {
            states: rows
                .into_iter()
                .map(|s| (s.code.clone(), Arc::new(s)))
                .collect(),
            verdicts,
        })
    }

    fn wrap(
        &self,
        row: application::Model,
        meeting: &Arc<meeting::Model>,
    ) -> Result<Application, ServiceError> {
        let state = self
            .states
            .get(&row.state_code)
            .cloned()
            .ok_or_else(|| ServiceError::Internal("application without State".into()))?;
        let eligibility = self
            .verdicts
            .get(&row.state_code)
            .cloned()
            .ok_or_else(|| ServiceError::Internal("State without verdict".into()))?;
        Ok(Application {
            row,
            meeting: Arc::clone(meeting),
            state,
            eligibility,
        })
    }
}

/// Wraps rows of one meeting, assessing each State once.
pub(super) async fn wrap_all(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    meeting: &Arc<meeting::Model>,
    rows: Vec<application::Model>,
    today: NaiveDate,
) -> Result<Vec<Application>, ServiceError> {
    let assessor = Assessor::load(
        db,
        &cfg.eligibility,
        rows.iter().map(|r| r.state_code.clone()),
        today,
    )
    .await?;
    rows.into_iter()
        .map(|r| assessor.wrap(r, meeting))
        .collect()
}

async fn wrap_one(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    row: application::Model,
    today: NaiveDate,
) -> Result<Application, ServiceError> {
    let meeting = get_meeting(db, row.meeting_id)
        .await?
        .ok_or_else(|| ServiceError::Internal("application without meeting".into()))?;
    let mut all = wrap_all(db, cfg, &Arc::new(meeting), vec![row], today).await?;
    all.pop()
        .ok_or_else(|| ServiceError::Internal("application lost".into()))
}

/// An application by ID, when the viewer may see it.
pub async fn get_application(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    id: Uuid,
    today: NaiveDate,
) -> Result<Option<Application>, ServiceError> {
    match application::Entity::find_by_id(id)
        .filter(applications_readable(viewer))
        .one(db)
        .await?
    {
        Some(row) => Ok(Some(wrap_one(db, cfg, row, today).await?)),
        None => Ok(None),
    }
}

/// The applications of `ids` the viewer may see (the rule of [`get_application`]), with
/// their meetings and one eligibility assessment for all of them: a constant number of
/// statements whatever their number.
pub async fn get_applications(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<Vec<Application>, ServiceError> {
    let rows: Vec<application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(ids.iter().copied()))
        .filter(applications_readable(viewer))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let meeting_ids: Vec<Uuid> = rows.iter().map(|r| r.meeting_id).collect();
    let meetings: HashMap<Uuid, Arc<meeting::Model>> = get_meetings(db, &meeting_ids)
        .await?
        .into_iter()
        .map(|m| (m.id, Arc::new(m)))
        .collect();
    let assessor = Assessor::load(
        db,
        &cfg.eligibility,
        rows.iter().map(|r| r.state_code.clone()),
        today,
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            let meeting = meetings
                .get(&r.meeting_id)
                .ok_or_else(|| ServiceError::Internal("application without meeting".into()))?;
            assessor.wrap(r, meeting)
        })
        .collect()
}

/// The applications to each of `meetings` that the viewer may see, oldest first, a page
/// per meeting: two queries for the pages and one eligibility assessment for all of them.
pub async fn list_applications(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    meetings: &[Arc<meeting::Model>],
    statuses: Option<Vec<ApplicationStatus>>,
    page: &PageRequest,
    today: NaiveDate,
) -> Result<HashMap<Uuid, Page<Application>>, ServiceError> {
    let mut q = application::Entity::find();
    if let Some(s) = statuses {
        q = q.filter(application::Column::Status.is_in(s));
    }
    q = q.filter(applications_readable(viewer));
    let after = page.after_id()?;
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let pages = pagination::fetch_grouped(
        db,
        q,
        application::Column::MeetingId,
        &ids,
        |a| a.meeting_id,
        application::Column::Id,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?;
    let codes: Vec<String> = pages
        .values()
        .flat_map(|p| p.items.iter().map(|r| r.state_code.clone()))
        .collect();
    let assessor = Assessor::load(db, &cfg.eligibility, codes, today).await?;
    let mut out = HashMap::new();
    for (id, page) in pages {
        let Some(meeting) = meetings.iter().find(|m| m.id == id) else {
            continue;
        };
        let Page {
            items,
            has_next,
            total,
            has_previous,
        } = page;
        let items = items
            .into_iter()
            .map(|r| assessor.wrap(r, meeting))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(
            id,
            Page {
                items,
                has_next,
                total,
                has_previous,
            },
        );
    }
    Ok(out)
}

/// Every application to a meeting, oldest first, for statistics, the suggestion and the
/// export (callers check the role).
pub(super) async fn all_applications(
    db: &DatabaseConnection,
    meeting_id: Uuid,
) -> Result<Vec<application::Model>, DbErr> {
    application::Entity::find()
        .filter(application::Column::MeetingId.eq(meeting_id))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await
}

/// The delegate of a new application.
#[derive(Debug, Clone)]
pub struct NewDelegate {
    pub full_name: String,
    pub gender: Gender,
    pub position: Option<String>,
    pub email: Option<String>,
}

/// `applyForSponsorship`'s input; `meeting_id` is None when it was not a meeting's ID.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub meeting_id: Option<Uuid>,
    pub state_code: String,
    pub delegate: NewDelegate,
    pub travel: Money,
    pub days: i32,
    pub justification: Option<String>,
}

/// The audit trail of an application. The email stays out: the log outlives the
/// programme, and the name identifies the delegate well enough.
pub fn application_json(a: &application::Model) -> serde_json::Value {
    json!({
        "id": a.id, "meetingId": a.meeting_id, "stateCode": a.state_code,
        "delegateName": a.delegate_name, "delegateGender": a.delegate_gender,
        "travelCents": a.travel_cents, "requestedDays": a.requested_days, "status": a.status,
        "approvedCents": a.approved_cents, "decisionNote": a.decision_note,
    })
}

impl Audited for application::Model {
    const ENTITY_TYPE: &'static str = "SponsorshipApplication";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        application_json(self)
    }
}

/// `applyForSponsorship`: a delegation for its own State, ISU staff for any State, up to
/// the application deadline (or the day before the meeting when it sets none).
pub async fn apply(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    new: NewApplication,
    today: NaiveDate,
) -> Result<Application, ServiceError> {
    let code = new.state_code.trim().to_uppercase();
    let actor = viewer.require_acting_for(&code)?.user_id;
    let meeting = match new.meeting_id {
        Some(id) => get_meeting(db, id).await?,
        None => None,
    }
    .ok_or_else(|| refused(Code::NotFound, &["input", "meetingId"], "No such meeting."))?;
    if crate::domain::states::service::by_code(db, &code)
        .await?
        .is_none()
    {
        return Err(refused(
            Code::NotFound,
            &["input", "stateCode"],
            format!("No State has the code {code}."),
        ));
    }
    let Some(currency) = meeting.currency.clone() else {
        return Err(refused(
            Code::InvalidInput,
            &["input", "meetingId"],
            "This meeting has no sponsorship programme.",
        ));
    };
    let mut r = Refusals::default();
    match meeting.application_deadline {
        Some(deadline) if today > deadline => r.push(
            Code::InvalidInput,
            &["input", "meetingId"],
            format!("Applications for this meeting closed on {deadline}."),
        ),
        None if today >= meeting.starts_on => r.push(
            Code::InvalidInput,
            &["input", "meetingId"],
            format!(
                "Applications for this meeting closed when it began on {}.",
                meeting.starts_on
            ),
        ),
        _ => {}
    }
    let d = &new.delegate;
    let name = d.full_name.trim().to_owned();
    validate::required(
        &mut r,
        &["input", "delegate", "fullName"],
        &name,
        SHORT_TEXT,
        Lines::One,
    );
    let position = d
        .position
        .as_ref()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    validate::optional(
        &mut r,
        &["input", "delegate", "position"],
        position.as_deref(),
        SHORT_TEXT,
        Lines::One,
    );
    let email = d
        .email
        .as_ref()
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if email.as_deref().is_some_and(|e| !looks_like_email(e)) {
        r.push(
            Code::InvalidInput,
            &["input", "delegate", "email"],
            "Not an email address.",
        );
    }
    let mut travel = checked_cents(&new.travel, &["input", "requestedTravel"], &mut r);
    if travel.is_some() && new.travel.currency != currency {
        r.push(
            Code::InvalidInput,
            &["input", "requestedTravel", "currency"],
            format!("Amounts for this meeting are in {currency}."),
        );
        travel = None;
    }
    let max_days = (meeting.ends_on - meeting.starts_on).num_days() + 1 + TRAVEL_DAYS;
    if new.days < 0 || i64::from(new.days) > max_days {
        r.push(
            Code::InvalidInput,
            &["input", "requestedDays"],
            format!(
                "Between 0 and {max_days} days: the meeting's days and {TRAVEL_DAYS} days of travel."
            ),
        );
    }
    validate::optional(
        &mut r,
        &["input", "justification"],
        new.justification.as_deref(),
        TEXT,
        Lines::Many,
    );
    r.finish()?;
    let travel = travel.unwrap_or(0);
    let t = now();
    let uow = Uow::begin(db, Some(actor), "applyForSponsorship").await?;
    let created = application::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting.id),
        state_code: Set(code),
        delegate_name: Set(name),
        delegate_gender: Set(d.gender),
        delegate_position: Set(position),
        delegate_email: Set(email),
        travel_cents: Set(travel),
        requested_days: Set(new.days),
        status: Set(ApplicationStatus::Submitted),
        approved_cents: Set(None),
        justification: Set(new.justification.filter(|j| !j.trim().is_empty())),
        submitted_at: Set(t),
        decided_at: Set(None),
        decision_note: Set(None),
        applied_by: Set(Some(actor)),
        decided_by: Set(None),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    uow.commit().await?;
    wrap_all(db, cfg, &Arc::new(meeting), vec![created], today)
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal("application lost".into()))
}
