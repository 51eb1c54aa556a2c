//! Meetings and sponsorship applications over the database. No GraphQL types here.
//!
//! The budget invariant (committed ≤ budget) is kept by the database: an approval adds its
//! amount to `meetings.committed_cents` with an update conditional on the result staying
//! within the budget, in the same transaction as the application's own conditional status
//! change. Two concurrent approvals cannot both pass: the second sees the first's total.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, Gender, MeetingKind, RegionalGroup, UserRole};
use entity::{meeting, sponsorship_application as application, state};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::SponsorshipConfig;
use crate::auth::Viewer;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::{self, Money, from_cents, to_cents};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Change, bounded_add, record};
use crate::rules::eligibility::{self, Eligibility, Pending};
use crate::rules::obligations::{ObligationKind, ObligationStatus};
use crate::rules::suggestion::{self, Approved, Candidate};

/// ISU staff: they run meetings and decide applications.
const ISU: [UserRole; 2] = [UserRole::IsuAdmin, UserRole::IsuStaff];
/// Longest title, venue, name or position.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest justification or decision note.
pub const MAX_NOTE: usize = 10_000;
/// Days of travel a delegate may claim beyond the meeting's own days.
pub const TRAVEL_DAYS: i64 = 2;

/// Applications not yet decided for good: the suggestion chooses among them.
pub const PENDING: [ApplicationStatus; 3] = [
    ApplicationStatus::Submitted,
    ApplicationStatus::UnderReview,
    ApplicationStatus::Waitlisted,
];

/// The decisions the ISU may record from each status (docs/domain.md §6). Withdrawal is the
/// applicant's, through `withdrawSponsorshipApplication`.
pub fn can_decide(from: ApplicationStatus, to: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    matches!(
        (from, to),
        (Submitted, UnderReview | Approved | Waitlisted | Rejected)
            | (UnderReview, Approved | Waitlisted | Rejected)
            | (Waitlisted, UnderReview | Approved | Rejected)
    )
}

/// Statuses from which an application may be withdrawn.
pub fn can_withdraw(from: ApplicationStatus) -> bool {
    PENDING.contains(&from) || from == ApplicationStatus::Approved
}

fn refused(code: Code, field: &[&str], message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, field, message)
}

fn too_long(text: Option<&str>, max: usize) -> bool {
    text.is_some_and(|t| t.chars().count() > max)
}

/// A plausible email address: one `@`, something before it, a dotted domain after it, no
/// spaces. Delivery is the travel agent's test; this catches typing slips.
pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

// ------------------------------------------------------------------------------ meetings

/// `createMeeting`'s input, in service terms.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub venue: Option<String>,
    pub application_deadline: Option<NaiveDate>,
    pub budget: Option<Money>,
    pub dsa: Option<Money>,
}

pub fn meeting_json(m: &meeting::Model) -> serde_json::Value {
    json!({
        "id": m.id, "kind": m.kind, "title": m.title, "startsOn": m.starts_on,
        "endsOn": m.ends_on, "venue": m.venue, "applicationDeadline": m.application_deadline,
        "sponsorshipBudgetCents": m.sponsorship_budget_cents, "dsaCents": m.dsa_cents,
        "currency": m.currency, "committedCents": m.committed_cents,
    })
}

/// Checks a budget or allowance: ≥ 0, at most 2 decimals, ISO 4217. Returns cents.
fn checked_cents(m: &Money, field: &[&str], r: &mut Refusals) -> Option<i64> {
    if let Err(msg) = money::check(m, true) {
        r.push(Code::InvalidInput, field, msg);
        return None;
    }
    let cents = to_cents(m.amount);
    if cents.is_none() {
        r.push(Code::InvalidInput, field, "The amount is too large.");
    }
    cents
}

/// `createMeeting`: ISU staff.
pub async fn create_meeting(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewMeeting,
) -> Result<meeting::Model, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let mut r = Refusals::default();
    let title = new.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > MAX_SHORT_TEXT {
        r.push(
            Code::InvalidInput,
            &["input", "title"],
            format!("Give a title of 1 to {MAX_SHORT_TEXT} characters."),
        );
    }
    let venue = new
        .venue
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if too_long(venue.as_deref(), MAX_SHORT_TEXT) {
        r.push(
            Code::InvalidInput,
            &["input", "venue"],
            format!("At most {MAX_SHORT_TEXT} characters."),
        );
    }
    if new.ends_on < new.starts_on {
        r.push(
            Code::InvalidInput,
            &["input", "endsOn"],
            "The meeting ends before it starts.",
        );
    }
    if new.application_deadline.is_some_and(|d| d > new.starts_on) {
        r.push(
            Code::InvalidInput,
            &["input", "applicationDeadline"],
            "The application deadline must fall on or before the first day of the meeting.",
        );
    }
    let budget = new.budget.as_ref().and_then(|m| {
        checked_cents(m, &["input", "sponsorshipBudget"], &mut r).map(|c| (c, &m.currency))
    });
    let dsa = new.dsa.as_ref().and_then(|m| {
        checked_cents(m, &["input", "dailySubsistenceAllowance"], &mut r).map(|c| (c, &m.currency))
    });
    match (&budget, &dsa) {
        (Some((_, b)), Some((_, d))) if b != d => r.push(
            Code::InvalidInput,
            &["input", "dailySubsistenceAllowance", "currency"],
            format!("The daily allowance must be in the budget's currency, {b}."),
        ),
        (None, Some(_)) if new.budget.is_none() => r.push(
            Code::InvalidInput,
            &["input", "dailySubsistenceAllowance"],
            "A daily allowance needs a sponsorship budget.",
        ),
        _ => {}
    }
    r.finish()?;
    let t = now();
    let txn = db.begin().await?;
    let created = meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(new.kind),
        title: Set(title),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        venue: Set(venue),
        application_deadline: Set(new.application_deadline),
        sponsorship_budget_cents: Set(budget.as_ref().map(|b| b.0)),
        dsa_cents: Set(budget.as_ref().map(|_| dsa.as_ref().map_or(0, |d| d.0))),
        currency: Set(budget.map(|b| b.1.clone())),
        committed_cents: Set(0),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "createMeeting",
            entity_type: "Meeting",
            entity_id: created.id.to_string(),
            before: None,
            after: Some(meeting_json(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Meetings are public.
pub async fn get_meeting(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<meeting::Model>, DbErr> {
    meeting::Entity::find_by_id(id).one(db).await
}

/// The meetings of `ids`, in one statement. Meetings are public.
pub async fn get_meetings(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct MeetingFilter {
    pub kind: Option<MeetingKind>,
    /// Meetings that start in this calendar year.
    pub year: Option<i32>,
}

/// Meetings in the order they were created.
pub async fn list_meetings(
    db: &DatabaseConnection,
    filter: MeetingFilter,
    page: PageRequest,
) -> Result<Page<meeting::Model>, ServiceError> {
    let mut q = meeting::Entity::find();
    if let Some(kind) = filter.kind {
        q = q.filter(meeting::Column::Kind.eq(kind));
    }
    if let Some(year) = filter.year {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(refused(
                Code::InvalidInput,
                &["filter", "year"],
                "Not a calendar year.",
            ));
        };
        q = q.filter(meeting::Column::StartsOn.between(first, last));
    }
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        q,
        meeting::Column::Id,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?)
}

/// The sponsorship figures of a meeting, in cents of its currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    pub budget: i64,
    pub committed: i64,
    pub remaining: i64,
    pub currency: String,
}

/// Budget, committed and remaining: for any logged-in user (no personal data). A meeting
/// without a sponsorship programme has zero of everything, in the base currency.
pub fn figures(
    viewer: &Viewer,
    m: &meeting::Model,
    base_currency: &str,
) -> Result<Figures, ServiceError> {
    viewer.require()?;
    let budget = m.sponsorship_budget_cents.unwrap_or(0);
    Ok(Figures {
        budget,
        committed: m.committed_cents,
        remaining: budget - m.committed_cents,
        currency: m
            .currency
            .clone()
            .unwrap_or_else(|| base_currency.to_owned()),
    })
}

// -------------------------------------------------------------------------- applications

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

/// A delegation sees its own State's applications, the ISU all; nobody else any (a
/// coordinator sees statistics only).
pub fn application_visible(viewer: &Viewer, row: &application::Model) -> bool {
    viewer.acts_for(&row.state_code)
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
                .filter(|o| o.status != ObligationStatus::Met)
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
async fn wrap_all(
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
    match application::Entity::find_by_id(id).one(db).await? {
        Some(row) if application_visible(viewer, &row) => {
            Ok(Some(wrap_one(db, cfg, row, today).await?))
        }
        _ => Ok(None),
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
        .all(db)
        .await?
        .into_iter()
        .filter(|row| application_visible(viewer, row))
        .collect();
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
    if !viewer.is_isu() {
        match viewer.principal() {
            Some(p) if p.role == UserRole::Delegation && p.state_code.is_some() => {
                q = q.filter(application::Column::StateCode.eq(p.state_code.clone()));
            }
            // Nobody else sees applications: an empty page, whatever the filter.
            _ => q = q.filter(application::Column::Id.is_null()),
        }
    }
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
async fn all_applications(
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
    if name.is_empty() || name.chars().count() > MAX_SHORT_TEXT {
        r.push(
            Code::InvalidInput,
            &["input", "delegate", "fullName"],
            format!("Give the delegate's full name, 1 to {MAX_SHORT_TEXT} characters."),
        );
    }
    let position = d
        .position
        .as_ref()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if too_long(position.as_deref(), MAX_SHORT_TEXT) {
        r.push(
            Code::InvalidInput,
            &["input", "delegate", "position"],
            format!("At most {MAX_SHORT_TEXT} characters."),
        );
    }
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
    if too_long(new.justification.as_deref(), MAX_NOTE) {
        r.push(
            Code::InvalidInput,
            &["input", "justification"],
            format!("At most {MAX_NOTE} characters."),
        );
    }
    r.finish()?;
    let travel = travel.unwrap_or(0);
    let t = now();
    let txn = db.begin().await?;
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
    .insert(&txn)
    .await?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "applyForSponsorship",
            entity_type: "SponsorshipApplication",
            entity_id: created.id.to_string(),
            before: None,
            after: Some(application_json(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    wrap_all(db, cfg, &Arc::new(meeting), vec![created], today)
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal("application lost".into()))
}

/// `decideSponsorshipApplication`'s input; `application_id` is None when it was not an
/// application's ID.
#[derive(Debug, Clone)]
pub struct Decision {
    pub application_id: Option<Uuid>,
    pub decision: ApplicationStatus,
    /// APPROVED only; defaults to the requested total.
    pub approved: Option<Money>,
    pub note: Option<String>,
}

/// Adds `delta` cents to a meeting's committed amount unless that would pass its budget
/// or go below zero. False when refused.
async fn commit_funds(
    conn: &impl ConnectionTrait,
    meeting: Uuid,
    delta: i64,
) -> Result<bool, DbErr> {
    use meeting::Column as C;
    let (value, cap) = (C::CommittedCents, C::SponsorshipBudgetCents);
    bounded_add(conn, C::Id, meeting, value, cap, Some(C::UpdatedAt), delta).await
}

fn money_text(cents: i64, currency: &str) -> String {
    format!("{} {currency}", from_cents(cents))
}

/// `decideSponsorshipApplication`: ISU staff. An approval stays within the remaining
/// budget (`OVER_BUDGET` otherwise) and, for an ineligible application, needs a note.
pub async fn decide(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    d: Decision,
    today: NaiveDate,
) -> Result<Application, ServiceError> {
    let actor = viewer.require_role(&ISU)?.user_id;
    let app = match d.application_id {
        Some(id) => get_application(db, cfg, viewer, id, today).await?,
        None => None,
    }
    .ok_or_else(|| {
        refused(
            Code::NotFound,
            &["input", "applicationId"],
            "No such application.",
        )
    })?;
    let from = app.row.status;
    if d.decision == ApplicationStatus::Withdrawn {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "decision"],
            "Withdrawal is the applicant's: use withdrawSponsorshipApplication.",
        ));
    }
    if !can_decide(from, d.decision) {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "decision"],
            format!("A {from:?} application cannot become {:?}.", d.decision),
        ));
    }
    let note = d
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut r = Refusals::default();
    if too_long(note.as_deref(), MAX_NOTE) {
        r.push(
            Code::InvalidInput,
            &["input", "note"],
            format!("At most {MAX_NOTE} characters."),
        );
    }
    let currency = app.currency().to_owned();
    let requested = app.requested_total_cents();
    let approved = if d.decision == ApplicationStatus::Approved {
        let cents = match &d.approved {
            None => Some(requested),
            Some(m) => {
                let field = &["input", "approvedAmount"];
                let positive = if m.amount.is_zero() {
                    r.push(
                        Code::InvalidInput,
                        field,
                        "An approval is of a positive amount: reject the application instead.",
                    );
                    None
                } else {
                    checked_cents(m, field, &mut r)
                };
                match positive {
                    Some(_) if m.currency != currency => {
                        r.push(
                            Code::InvalidInput,
                            &["input", "approvedAmount", "currency"],
                            format!("Amounts for this meeting are in {currency}."),
                        );
                        None
                    }
                    Some(c) if c > requested => {
                        r.push(
                            Code::InvalidInput,
                            field,
                            format!(
                                "The approved amount may not exceed the requested total, {}.",
                                money_text(requested, &currency)
                            ),
                        );
                        None
                    }
                    other => other,
                }
            }
        };
        if !app.eligibility.eligible && note.is_none() {
            r.push(
                Code::InvalidInput,
                &["input", "note"],
                "This application is not eligible under the sponsorship policy: approving it needs a note saying why.",
            );
        }
        cents
    } else {
        if d.approved.is_some() {
            r.push(
                Code::InvalidInput,
                &["input", "approvedAmount"],
                "Only an approval takes an amount.",
            );
        }
        None
    };
    r.finish()?;

    let t = now();
    let txn = db.begin().await?;
    // Only the status it was read in may change: a concurrent decision wins, this one
    // conflicts.
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(d.decision))
        .col_expr(application::Column::ApprovedCents, Expr::value(approved))
        .col_expr(application::Column::DecidedAt, Expr::value(t))
        .col_expr(application::Column::DecidedBy, Expr::value(actor))
        .col_expr(application::Column::UpdatedAt, Expr::value(t));
    if let Some(n) = &note {
        update = update.col_expr(application::Column::DecisionNote, Expr::value(n.clone()));
    }
    let moved = update
        .filter(application::Column::Id.eq(app.row.id))
        .filter(application::Column::Status.eq(from))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Err(refused(
            Code::Conflict,
            &["input", "applicationId"],
            "The application changed meanwhile: reload it.",
        ));
    }
    if let Some(cents) = approved
        && !commit_funds(&txn, app.meeting.id, cents).await?
    {
        txn.rollback().await?;
        let remaining = get_meeting(db, app.meeting.id)
            .await?
            .map(|m| m.sponsorship_budget_cents.unwrap_or(0) - m.committed_cents)
            .unwrap_or(0);
        return Err(refused(
            Code::OverBudget,
            &["input", "approvedAmount"],
            format!(
                "Approving {} would overspend the sponsorship budget: {} remains.",
                money_text(cents, &currency),
                money_text(remaining, &currency)
            ),
        ));
    }
    let updated = application::Entity::find_by_id(app.row.id)
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("application vanished".into()))?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "decideSponsorshipApplication",
            entity_type: "SponsorshipApplication",
            entity_id: app.row.id.to_string(),
            before: Some(application_json(&app.row)),
            after: Some(application_json(&updated)),
        },
    )
    .await?;
    txn.commit().await?;
    let meeting = get_meeting(db, app.meeting.id)
        .await?
        .ok_or_else(|| ServiceError::Internal("meeting vanished".into()))?;
    Ok(Application {
        row: updated,
        meeting: Arc::new(meeting),
        ..app
    })
}

/// `withdrawSponsorshipApplication`: the applicant's delegation or ISU staff. An approved
/// amount returns to the budget.
pub async fn withdraw(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    id: Option<Uuid>,
    today: NaiveDate,
) -> Result<Application, ServiceError> {
    viewer.require()?;
    if viewer
        .principal()
        .is_some_and(|p| p.role == UserRole::Coordinator)
    {
        return Err(refused(
            Code::Forbidden,
            &[],
            "Coordinators see sponsorship statistics only.",
        ));
    }
    let app = match id {
        Some(id) => get_application(db, cfg, viewer, id, today).await?,
        None => None,
    }
    .ok_or_else(|| refused(Code::NotFound, &["input", "id"], "No such application."))?;
    let actor = viewer.require_acting_for(&app.row.state_code)?.user_id;
    let from = app.row.status;
    if !can_withdraw(from) {
        return Err(refused(
            Code::InvalidStateTransition,
            &["input", "id"],
            format!("A {from:?} application cannot be withdrawn."),
        ));
    }
    let t = now();
    let txn = db.begin().await?;
    let moved = application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::value(ApplicationStatus::Withdrawn),
        )
        .col_expr(application::Column::ApprovedCents, Expr::value(None::<i64>))
        .col_expr(application::Column::UpdatedAt, Expr::value(t))
        .filter(application::Column::Id.eq(app.row.id))
        .filter(application::Column::Status.eq(from))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Err(refused(
            Code::Conflict,
            &["input", "id"],
            "The application changed meanwhile: reload it.",
        ));
    }
    if from == ApplicationStatus::Approved
        && let Some(cents) = app.row.approved_cents
        && !commit_funds(&txn, app.meeting.id, -cents).await?
    {
        txn.rollback().await?;
        return Err(ServiceError::Internal(
            "committed sponsorship funds below zero".into(),
        ));
    }
    let updated = application::Entity::find_by_id(app.row.id)
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("application vanished".into()))?;
    record(
        &txn,
        Change {
            actor: Some(actor),
            action: "withdrawSponsorshipApplication",
            entity_type: "SponsorshipApplication",
            entity_id: app.row.id.to_string(),
            before: Some(application_json(&app.row)),
            after: Some(application_json(&updated)),
        },
    )
    .await?;
    txn.commit().await?;
    let meeting = get_meeting(db, app.meeting.id)
        .await?
        .ok_or_else(|| ServiceError::Internal("meeting vanished".into()))?;
    Ok(Application {
        row: updated,
        meeting: Arc::new(meeting),
        ..app
    })
}

// ------------------------------------------------------------------- statistics and export

/// Statistics over a meeting's applications, without personal data.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub applications: usize,
    pub approved: usize,
    /// Women among approved delegates; 0 when none is approved.
    pub female_share_approved: f64,
    /// Approved delegates by gender, every gender listed.
    pub by_gender: Vec<(Gender, usize)>,
    /// Approved delegates by regional group, every group listed.
    pub by_region: Vec<(RegionalGroup, usize)>,
}

/// Who may see statistics: the ISU and coordinators.
fn require_stats_reader(viewer: &Viewer) -> Result<(), ServiceError> {
    viewer
        .require_role(&[
            UserRole::IsuAdmin,
            UserRole::IsuStaff,
            UserRole::Coordinator,
        ])
        .map(|_| ())
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The balance of approved delegates at each of `meetings`, in two queries.
pub async fn stats(
    db: &DatabaseConnection,
    viewer: &Viewer,
    meetings: &[Uuid],
) -> Result<HashMap<Uuid, Stats>, ServiceError> {
    use sea_orm::Iterable;
    require_stats_reader(viewer)?;
    let rows = application::Entity::find()
        .filter(application::Column::MeetingId.is_in(meetings.iter().copied()))
        .all(db)
        .await?;
    let codes: Vec<&str> = rows
        .iter()
        .filter(|a| a.status == ApplicationStatus::Approved)
        .map(|a| a.state_code.as_str())
        .collect();
    let regions: HashMap<String, Option<RegionalGroup>> = state::Entity::find()
        .filter(state::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.regional_group))
        .collect();
    Ok(meetings
        .iter()
        .map(|id| {
            let of: Vec<&application::Model> =
                rows.iter().filter(|a| a.meeting_id == *id).collect();
            let approved: Vec<&application::Model> = of
                .iter()
                .copied()
                .filter(|a| a.status == ApplicationStatus::Approved)
                .collect();
            let female = approved
                .iter()
                .filter(|a| a.delegate_gender == Gender::Female)
                .count();
            let stats = Stats {
                applications: of.len(),
                approved: approved.len(),
                female_share_approved: share(female, approved.len()),
                by_gender: Gender::iter()
                    .map(|g| {
                        (
                            g,
                            approved.iter().filter(|a| a.delegate_gender == g).count(),
                        )
                    })
                    .collect(),
                by_region: RegionalGroup::iter()
                    .map(|g| {
                        let n = approved
                            .iter()
                            .filter(|a| regions.get(&a.state_code).copied().flatten() == Some(g))
                            .count();
                        (g, n)
                    })
                    .collect(),
            };
            (*id, stats)
        })
        .collect())
}

/// The suggestion with what its fields are computed from.
#[derive(Clone, Debug)]
pub struct SuggestionResult {
    pub applications: Vec<Application>,
    pub total_cents: i64,
    pub currency: String,
    /// Over approved and suggested delegates together.
    pub female_share: f64,
    /// Over approved and suggested delegates together.
    pub regional_groups_covered: usize,
    pub proven_optimal: bool,
}

/// `sponsorshipSuggestion`: ISU staff. Pending eligible applications, at their requested
/// totals, chosen by [`suggestion::suggest`] within the remaining budget.
pub async fn suggestion(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    meeting: &Arc<meeting::Model>,
    base_currency: &str,
    today: NaiveDate,
) -> Result<SuggestionResult, ServiceError> {
    viewer.require_role(&ISU)?;
    let figures = figures(viewer, meeting, base_currency)?;
    let all = wrap_all(
        db,
        cfg,
        meeting,
        all_applications(db, meeting.id).await?,
        today,
    )
    .await?;
    let mut approved = Approved::default();
    let mut pending = Vec::new();
    for a in all {
        if a.row.status == ApplicationStatus::Approved {
            approved.state_codes.push(a.row.state_code.clone());
            approved.regions.extend(a.state.regional_group);
            approved.total += 1;
            approved.female += u32::from(a.row.delegate_gender == Gender::Female);
        } else if PENDING.contains(&a.row.status) && a.eligibility.eligible {
            pending.push(a);
        }
    }
    approved.state_codes.sort();
    approved.state_codes.dedup();
    approved.regions.sort_by_key(|r| *r as u8);
    approved.regions.dedup();
    let candidates: Vec<Candidate> = pending
        .iter()
        .map(|a| Candidate {
            state_code: a.row.state_code.clone(),
            region: a.state.regional_group,
            income: a.state.income_group,
            affected: a.eligibility.affected,
            female: a.row.delegate_gender == Gender::Female,
            cost_cents: a.requested_total_cents(),
        })
        .collect();
    let chosen = suggestion::suggest(&candidates, &approved, figures.remaining, &cfg.suggestion);
    let applications: Vec<Application> = chosen
        .chosen
        .iter()
        .filter_map(|&i| pending.get(i).cloned())
        .collect();
    let women = approved.female as usize
        + applications
            .iter()
            .filter(|a| a.row.delegate_gender == Gender::Female)
            .count();
    let people = approved.total as usize + applications.len();
    let mut regions = approved.regions.clone();
    regions.extend(applications.iter().filter_map(|a| a.state.regional_group));
    regions.sort_by_key(|r| *r as u8);
    regions.dedup();
    Ok(SuggestionResult {
        total_cents: chosen.total_cents,
        currency: figures.currency,
        female_share: share(women, people),
        regional_groups_covered: regions.len(),
        proven_optimal: chosen.proven_optimal,
        applications,
    })
}

/// Every application to a meeting with personal data, for `GET /exports/sponsorship/…`:
/// ISU staff only (the travel agent's and donors' list).
pub async fn export(
    db: &DatabaseConnection,
    cfg: &SponsorshipConfig,
    viewer: &Viewer,
    meeting_id: Uuid,
    today: NaiveDate,
) -> Result<Option<(Arc<meeting::Model>, Vec<Application>)>, ServiceError> {
    viewer.require_role(&ISU)?;
    let Some(meeting) = get_meeting(db, meeting_id).await? else {
        return Ok(None);
    };
    let meeting = Arc::new(meeting);
    let mut all = wrap_all(
        db,
        cfg,
        &meeting,
        all_applications(db, meeting_id).await?,
        today,
    )
    .await?;
    all.sort_by(|a, b| (&a.row.state_code, a.row.id).cmp(&(&b.row.state_code, b.row.id)));
    Ok(Some((meeting, all)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_follow_the_documented_transitions() {
        use ApplicationStatus::*;
        let all = [
            Submitted,
            UnderReview,
            Approved,
            Waitlisted,
            Rejected,
            Withdrawn,
        ];
        let allowed: Vec<_> = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| can_decide(*a, *b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Submitted, UnderReview),
                (Submitted, Approved),
                (Submitted, Waitlisted),
                (Submitted, Rejected),
                (UnderReview, Approved),
                (UnderReview, Waitlisted),
                (UnderReview, Rejected),
                (Waitlisted, UnderReview),
                (Waitlisted, Approved),
                (Waitlisted, Rejected),
            ]
        );
        let withdrawable: Vec<_> = all.iter().copied().filter(|s| can_withdraw(*s)).collect();
        assert_eq!(
            withdrawable,
            vec![Submitted, UnderReview, Approved, Waitlisted]
        );
    }

    #[test]
    fn the_requested_total_is_travel_plus_days_of_allowance() {
        assert_eq!(requested_total(120_000, 4, 35_000), 260_000);
        assert_eq!(requested_total(0, 0, 35_000), 0);
        assert_eq!(requested_total(i64::MAX, 2, 1), i64::MAX);
    }

    #[test]
    fn emails_are_checked_for_typing_slips() {
        for ok in ["a.b@mofa.gov.la", "x@y.org"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ab",
            "@x.org",
            "a@b",
            "a@.org",
            "a@org.",
            "a b@x.org",
            "a@b@c.org",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
