//! The facts the computed indicators read ([`crate::rules::indicators::Facts`]), from the
//! system's own history, in a constant number of statements whatever the registry's size:
//! the bound States, their submitted reports, their extensions (with the day each was
//! granted) and where their records begin; the needs and their matches; the sponsorship
//! applications and their meetings; and, for the days on which a need closed, a match was
//! agreed or declined and an application was withdrawn, the audit log.
//!
//! Status changes are dated by the audit log: the entry of the change whose `after` sets
//! the status. A row whose change has no entry (seeded or imported before the log kept it)
//! is dated by its `updatedAt`, the day of its last change.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, Gender, MatchStatus, NeedStatus, StateStatus};
use entity::{
    assistance_need, audit_entry, match_proposal, meeting, sponsorship_application, state,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::domain::states::{obligations, records};
use crate::rules::indicators::{AgreedMatch, Delegate, Facts, GrantedExtension, Need, StateRecord};

/// The entity types whose status changes the indicators date.
const DATED: [&str; 3] = ["AssistanceNeed", "MatchProposal", "SponsorshipApplication"];

/// For each row of the dated types, the days its status was set to each value, oldest
/// first: `(entity id, status) → days`.
type StatusDays = HashMap<(Uuid, String), Vec<NaiveDate>>;

async fn status_days(db: &DatabaseConnection) -> Result<StatusDays, DbErr> {
    let mut out: StatusDays = HashMap::new();
    /// Only the status of an entry's `after`.
    #[derive(serde::Deserialize)]
    struct After {
        status: Option<String>,
    }
    let entries: Vec<(String, chrono::DateTime<chrono::Utc>, Option<String>)> =
        audit_entry::Entity::find()
            .select_only()
            .columns([
                audit_entry::Column::EntityId,
                audit_entry::Column::At,
                audit_entry::Column::After,
            ])
            .filter(audit_entry::Column::EntityType.is_in(DATED))
            .filter(audit_entry::Column::After.like("%\"status\"%"))
            .order_by_asc(audit_entry::Column::At)
            .into_tuple()
            .all(db)
            .await?;
    for (entity_id, at, after) in entries {
        let Ok(id) = Uuid::parse_str(&entity_id) else {
            continue;
        };
        let status = after
            .as_deref()
            .and_then(|a| serde_json::from_str::<After>(a).ok())
            .and_then(|a| a.status);
        if let Some(status) = status {
            out.entry((id, status)).or_default().push(at.date_naive());
        }
    }
    Ok(out)
}

/// The days `id` was set to `status`, oldest first (none when the log does not say).
fn set_days<T: sea_orm::ActiveEnum<Value = String>>(
    days: &StatusDays,
    id: Uuid,
    status: T,
) -> &[NaiveDate] {
    days.get(&(id, status.to_value()))
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Every fact the computed indicators read.
pub async fn load(db: &DatabaseConnection) -> Result<Facts, DbErr> {
    let days = status_days(db).await?;
    // Independent reads, on the pool's connections at once.
    let (states, needs, delegates) =
        tokio::try_join!(states(db), needs(db, &days), delegates(db, &days))?;
    Ok(Facts {
        states,
        needs,
        delegates,
    })
}

/// The States bound at some time (parties and withdrawn States), with their reports,
/// extensions and the start of their records.
async fn states(db: &DatabaseConnection) -> Result<Vec<StateRecord>, DbErr> {
    let bound = state::Entity::find()
        .filter(state::Column::Status.is_in([StateStatus::StateParty, StateStatus::Withdrawn]))
        .order_by_asc(state::Column::Code)
        .all(db)
        .await?;
    let codes: Vec<&str> = bound.iter().map(|s| s.code.as_str()).collect();
    let mut reports = obligations::report_facts(db, None).await?;
    let mut extensions = obligations::extensions(db, None).await?;
    let begins = records::of_states(db, &codes).await?;
    Ok(bound
        .iter()
        .map(|s| StateRecord {
            code: s.code.clone(),
            facts: obligations::facts(
                s,
                begins.get(&s.code).map(|r| r.begin()).unwrap_or_default(),
            ),
            reports: reports.remove(&s.code).unwrap_or_default(),
            extensions: extensions
                .remove(&s.code)
                .unwrap_or_default()
                .iter()
                .map(|e| GrantedExtension {
                    kind: e.kind.into(),
                    new_deadline: e.new_deadline,
                    granted_on: e.granted_on,
                })
                .collect(),
        })
        .collect())
}

/// Every need, with the matches that reached AGREED.
async fn needs(db: &DatabaseConnection, days: &StatusDays) -> Result<Vec<Need>, DbErr> {
    let mut matches: HashMap<Uuid, Vec<AgreedMatch>> = HashMap::new();
    for m in match_proposal::Entity::find()
        .filter(match_proposal::Column::Status.is_in([
            MatchStatus::Agreed,
            MatchStatus::Delivered,
            MatchStatus::Declined,
        ]))
        .all(db)
        .await?
    {
        let updated = m.updated_at.date_naive();
        let agreed = set_days(days, m.id, MatchStatus::Agreed).first().copied();
        let agreed_on = match (m.status, agreed) {
            (_, Some(d)) => d,
            // Declined without ever being agreed: nothing to count.
            (MatchStatus::Declined, None) => continue,
            (_, None) => updated,
        };
        let declined_on = (m.status == MatchStatus::Declined).then(|| {
            set_days(days, m.id, MatchStatus::Declined)
                .last()
                .copied()
                .unwrap_or(updated)
        });
        matches.entry(m.need_id).or_default().push(AgreedMatch {
            agreed_on,
            declined_on,
        });
    }
    Ok(assistance_need::Entity::find()
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|n| {
            let updated = n.updated_at.date_naive();
            let closed_on = match n.status {
                NeedStatus::Met | NeedStatus::Withdrawn => Some(
                    set_days(days, n.id, n.status)
                        .last()
                        .copied()
                        .unwrap_or(updated),
                ),
                NeedStatus::Open | NeedStatus::PartiallyMet => None,
            };
            Need {
                id: n.id,
                state_code: n.state_code,
                declared_on: n.created_at.date_naive(),
                closed_on,
                matches: matches.remove(&n.id).unwrap_or_default(),
            }
        })
        .collect())
}

/// Every application that was approved, with its meeting's first day.
async fn delegates(db: &DatabaseConnection, days: &StatusDays) -> Result<Vec<Delegate>, DbErr> {
    let starts: HashMap<Uuid, NaiveDate> = meeting::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.starts_on))
        .collect();
    let apps = sponsorship_application::Entity::find()
        .filter(
            sponsorship_application::Column::Status
                .is_in([ApplicationStatus::Approved, ApplicationStatus::Withdrawn]),
        )
        .order_by_asc(sponsorship_application::Column::Id)
        .all(db)
        .await?;
    Ok(apps
        .into_iter()
        .filter_map(|a| {
            let meeting_starts_on = *starts.get(&a.meeting_id)?;
            let updated = a.updated_at.date_naive();
            let decided = a.decided_at.map(|t| t.date_naive());
            let approved = set_days(days, a.id, ApplicationStatus::Approved)
                .first()
                .copied();
            let approved_on = match a.status {
                ApplicationStatus::Approved => Some(approved.unwrap_or(decided.unwrap_or(updated))),
                // Withdrawn: approved before only when the log says so.
                _ => approved,
            };
            let withdrawn_on = (a.status == ApplicationStatus::Withdrawn).then(|| {
                set_days(days, a.id, ApplicationStatus::Withdrawn)
                    .last()
                    .copied()
                    .unwrap_or(updated)
            });
            Some(Delegate {
                id: a.id,
                state_code: a.state_code,
                meeting_starts_on,
                woman: a.delegate_gender == Gender::Female,
                approved_on,
                withdrawn_on,
            })
        })
        .collect())
}
