//! A meeting's statistics, the suggestion of whom to fund, and the export.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, Gender, RegionalGroup, UserRole};
use entity::{meeting, sponsorship_application as application, state};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::applications::{all_applications, wrap_all};
use super::{Application, ISU, PENDING, figures, get_meeting};
use crate::auth::Viewer;
use crate::domain::sponsorship::SponsorshipConfig;
use crate::kernel::error::ServiceError;
use crate::rules::suggestion::{self, Approved, Candidate};

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
