//! The reminder policy: on which days before a due date reminders go out, how often after
//! it was missed, for which kinds of obligation, and whether overdue reminders are copied to
//! the ISU. Kept as JSON in `app_settings` under [`KEY`], so that every server and the
//! command line read the same; the default ([`Policy::default`]) until an administrator
//! sets one. Everyone signed in reads it; ISU_ADMIN writes it (`setReminderPolicy`),
//! audited with the policy before and after.

use entity::app_setting;
use entity::enums::{ObligationKind as StoredKind, UserRole};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::Viewer;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::uow::{Audited, Uow, unchanged};
use crate::rules::obligations::ObligationKind;
use crate::rules::reminders::Policy;

/// The `app_settings` key of the stored policy.
pub const KEY: &str = "reminder_policy";
/// Most lead days a policy may name.
pub const MAX_LEAD_DAYS: usize = 10;
/// The largest lead, and the longest interval between overdue reminders, in days.
pub const MAX_DAYS: i32 = 365;

/// The policy as stored: the kinds by their stored names.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    lead_days: Vec<u16>,
    overdue_every_days: u16,
    kinds: Vec<StoredKind>,
    escalate_to_isu: bool,
}

impl From<&Policy> for Stored {
    fn from(p: &Policy) -> Self {
        Self {
            lead_days: p.lead_days.clone(),
            overdue_every_days: p.overdue_every_days,
            kinds: p.kinds.iter().map(|k| StoredKind::from(*k)).collect(),
            escalate_to_isu: p.escalate_to_isu,
        }
    }
}

impl From<Stored> for Policy {
    fn from(s: Stored) -> Self {
        Self {
            lead_days: s.lead_days,
            overdue_every_days: s.overdue_every_days,
            kinds: s.kinds.into_iter().map(ObligationKind::from).collect(),
            escalate_to_isu: s.escalate_to_isu,
        }
    }
}

/// The policy in the audit log: one entry per change, before and after.
impl Audited for Policy {
    const ENTITY_TYPE: &'static str = "ReminderPolicy";
    fn audit_id(&self) -> String {
        KEY.to_owned()
    }
    fn audit_json(&self) -> serde_json::Value {
        let s = Stored::from(self);
        json!({"leadDays": s.lead_days, "overdueEveryDays": s.overdue_every_days,
               "kinds": s.kinds, "escalateToIsu": s.escalate_to_isu})
    }
}

/// The policy in force: the stored one, or the default when none is. A stored value that
/// does not read back as a policy (only [`set`] writes it) is a fault, not the default.
pub async fn current<C: ConnectionTrait>(conn: &C) -> Result<Policy, DbErr> {
    let Some(row) = app_setting::Entity::find_by_id(KEY).one(conn).await? else {
        return Ok(Policy::default());
    };
    serde_json::from_str::<Stored>(&row.value)
        .map(Policy::from)
        .map_err(|e| DbErr::Custom(format!("the stored reminder policy does not read: {e}")))
}

/// `setReminderPolicy`'s input, as the API gives it.
#[derive(Clone, Debug)]
pub struct PolicyInput {
    pub lead_days: Vec<i32>,
    pub overdue_every_days: i32,
    pub kinds: Vec<ObligationKind>,
    pub escalate_to_isu: bool,
}

/// The checks of a policy: at most [`MAX_LEAD_DAYS`] lead days, each from 0 to
/// [`MAX_DAYS`], none twice; an overdue interval from 0 to [`MAX_DAYS`]; at least one kind,
/// none twice. The policy when it passes, its lead days largest first and its kinds in the
/// contract's order.
pub fn check(input: &PolicyInput) -> Result<Policy, ServiceError> {
    let mut r = Refusals::default();
    let lead = &["input", "leadDays"][..];
    let mut lead_days: Vec<u16> = Vec::new();
    if input.lead_days.len() > MAX_LEAD_DAYS {
        r.push(
            Code::InvalidInput,
            lead,
            format!("`leadDays` names at most {MAX_LEAD_DAYS} days."),
        );
    } else if input.lead_days.iter().any(|d| *d < 0) {
        r.push(
            Code::InvalidInput,
            lead,
            "`leadDays` must not be negative: each is a number of days before the due date.",
        );
    } else if input.lead_days.iter().any(|d| *d > MAX_DAYS) {
        r.push(
            Code::InvalidInput,
            lead,
            format!("Each of `leadDays` must be from 0 to {MAX_DAYS}."),
        );
    } else {
        lead_days = input
            .lead_days
            .iter()
            .filter_map(|d| u16::try_from(*d).ok())
            .collect();
        lead_days.sort_unstable_by(|a, b| b.cmp(a));
        if lead_days.windows(2).any(|w| w[0] == w[1]) {
            r.push(Code::InvalidInput, lead, "`leadDays` names a day twice.");
        }
    }
    let overdue = u16::try_from(input.overdue_every_days)
        .ok()
        .filter(|d| i32::from(*d) <= MAX_DAYS);
    if overdue.is_none() {
        r.push(
            Code::InvalidInput,
            &["input", "overdueEveryDays"],
            format!("`overdueEveryDays` must be from 0 (one overdue reminder) to {MAX_DAYS}."),
        );
    }
    let kinds_field = &["input", "kinds"][..];
    if input.kinds.is_empty() {
        r.push(
            Code::InvalidInput,
            kinds_field,
            "Name at least one kind of obligation.",
        );
    } else {
        let mut sorted = input.kinds.clone();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            r.push(
                Code::InvalidInput,
                kinds_field,
                "`kinds` names a kind twice.",
            );
        }
    }
    r.finish()?;
    let mut kinds = input.kinds.clone();
    kinds.sort_unstable();
    Ok(Policy {
        lead_days,
        overdue_every_days: overdue.unwrap_or_default(),
        kinds,
        escalate_to_isu: input.escalate_to_isu,
    })
}

/// `setReminderPolicy`: ISU_ADMIN. Replaces the policy in force ([`check`]'s rules).
/// Setting the policy in force again writes nothing.
pub async fn set(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: PolicyInput,
) -> Result<Policy, ServiceError> {
    let actor = viewer.require_role(&[UserRole::IsuAdmin])?.user_id;
    let after = check(&input)?;
    let uow = Uow::begin(db, Some(actor), "setReminderPolicy").await?;
    let before = current(uow.txn()).await?;
    if unchanged(&before, &after) {
        return Ok(before);
    }
    let value = serde_json::to_string(&Stored::from(&after))
        .map_err(|e| ServiceError::Internal(format!("reminder policy to JSON: {e}")))?;
    app_setting::Entity::insert(app_setting::ActiveModel {
        key: Set(KEY.to_owned()),
        value: Set(value),
    })
    .on_conflict(
        OnConflict::column(app_setting::Column::Key)
            .update_column(app_setting::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(uow.txn())
    .await?;
    uow.changed(&before, &after).await?;
    uow.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(lead: &[i32], overdue: i32, kinds: &[ObligationKind]) -> PolicyInput {
        PolicyInput {
            lead_days: lead.to_vec(),
            overdue_every_days: overdue,
            kinds: kinds.to_vec(),
            escalate_to_isu: true,
        }
    }

    fn refused_fields(i: &PolicyInput) -> Vec<String> {
        match check(i) {
            Ok(p) => panic!("accepted: {p:?}"),
            Err(ServiceError::Refused(v)) => v
                .into_iter()
                .map(|r| r.field.unwrap_or_default().join("."))
                .collect(),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn lead_days_are_kept_largest_first() {
        let all = ObligationKind::ALL;
        let p = check(&input(&[7, 90, 0, 30, 365], 0, &all)).expect("valid");
        assert_eq!(p.lead_days, [365, 90, 30, 7, 0]);
        assert_eq!(p.overdue_every_days, 0);
        assert!(p.escalate_to_isu);
        let p = check(&input(&[], 365, &all[..1])).expect("no lead reminder at all");
        assert!(p.lead_days.is_empty());
    }

    #[test]
    fn bad_policies_are_refused_on_their_fields() {
        let all = ObligationKind::ALL;
        let eleven: Vec<i32> = (1..=11).collect();
        let k = ObligationKind::Clearance;
        for (i, want) in [
            (input(&[-1], 30, &all), vec!["input.leadDays"]),
            (input(&[30, 30], 30, &all), vec!["input.leadDays"]),
            (input(&[366], 30, &all), vec!["input.leadDays"]),
            (input(&eleven, 30, &all), vec!["input.leadDays"]),
            (input(&[30], -1, &all), vec!["input.overdueEveryDays"]),
            (input(&[30], 366, &all), vec!["input.overdueEveryDays"]),
            (input(&[30], 30, &[]), vec!["input.kinds"]),
            (input(&[30], 30, &[k, k]), vec!["input.kinds"]),
            (
                input(&[-5, 400], i32::MIN, &[]),
                vec!["input.leadDays", "input.overdueEveryDays", "input.kinds"],
            ),
        ] {
            assert_eq!(refused_fields(&i), want, "{i:?}");
        }
    }

    #[test]
    fn the_stored_form_reads_back_as_the_same_policy() {
        let p = Policy {
            lead_days: vec![60, 14],
            overdue_every_days: 7,
            kinds: vec![ObligationKind::AnnualTransparencyReport],
            escalate_to_isu: true,
        };
        let text = serde_json::to_string(&Stored::from(&p)).expect("json");
        assert!(text.contains("ANNUAL_TRANSPARENCY_REPORT"), "{text}");
        let back: Stored = serde_json::from_str(&text).expect("reads");
        assert_eq!(Policy::from(back), p);
    }
}
