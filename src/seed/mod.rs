//! Data loading from the command line: the States registry and a demo data set.
//!
//! The demo data is for training and demonstrations: every account it creates has an email
//! under `demo.invalid` (a domain that cannot exist), so it is never mistaken for real
//! data. Each domain adds its part to [`demo`].
//!
//! Every part writes through the domain services, with the configuration the server uses,
//! so the demo can never hold what the API would refuse, and its audit log reads like the
//! API's: ISU staff's entries under the demo staff account and the mutations' names, an
//! administrator's under the system (`seedDemo`), as command-line changes are. Dates in the
//! demo's past (a report submitted in 2022, an expenditure in March) go to the services as
//! the day of the act; record timestamps are the wall clock's, as for any entry. What is
//! already there (a report, a need, an offer, a meeting with its applications, the workplan
//! with its spending and invoices) is skipped whole, so a second run changes nothing, and
//! a refused run, once its cause is fixed, loads what it had not reached; an item it
//! stopped inside stays as the services left it.
//!
//! The parts, one file each:
//! - `registry`: loading the States registry (the `seed states` command).
//! - `demo_states`: illustrative extensions and State updates, so every obligation kind shows.
//! - `demo_reports`: several years of annual reports, on time, late and missing.
//! - `demo_cooperation`: needs, offers and exchange rates.
//! - `demo_sponsorship`: two meetings and their applications, one decided, one partly.
//! - `demo_budget`: an adopted workplan with spending, invoices and payments.
//! - `demo_records`: the last three Meetings of States Parties' documents and a dozen
//!   decisions in varied states of follow-up.
//! - `demo_extensions`: extension requests at every stage (withdrawn, granted, granted for a
//!   shorter period and submitted late, under analysis, a draft) and the next three Meetings
//!   of States Parties that would decide the deadlines ahead.
//! - `demo_action_plan`: an action plan shaped like the Lausanne Action Plan (sample texts),
//!   loaded through the CSV import, with some recorded values.
//! - `demo_experts`: a roster of invented experts (labelled as such) and good practices.

mod demo_action_plan;
mod demo_budget;
mod demo_cooperation;
mod demo_experts;
mod demo_extensions;
mod demo_records;
mod demo_reports;
mod demo_sponsorship;
mod demo_states;
mod registry;

pub use demo_budget::DEMO_WORKPLAN_YEAR;
pub use registry::states;

use demo_action_plan::demo_action_plan;
use demo_budget::demo_budget;
use demo_cooperation::demo_cooperation;
use demo_experts::demo_experts;
use demo_extensions::demo_extensions;
use demo_records::demo_records;
use demo_reports::demo_reports;
use demo_sponsorship::demo_sponsorship;
use demo_states::demo_states;

use std::sync::Arc;

use chrono::NaiveDate;
use entity::enums::{ThematicArea, UserRole};
use entity::user;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::{Principal, Viewer};
use crate::domain::budget::BudgetConfig;
use crate::domain::cooperation::CooperationConfig;
use crate::domain::notifications::NotificationsConfig;
use crate::domain::sponsorship::SponsorshipConfig;
use crate::domain::users::service::{NewUser, create_user};
use crate::kernel::clock::Clock;
use crate::kernel::config::Settings;
use crate::kernel::error::ServiceError;

/// The account the demo's day-to-day entries are made as: ISU staff, like the people who
/// enter such data through the API.
const DEMO_ACTOR: &str = "isu.staff@demo.invalid";

/// The demo accounts: one per role that is not the administrator.
pub fn demo_users(password: &str) -> Vec<NewUser> {
    let user = |email: &str, role, state: Option<&str>, areas: Vec<ThematicArea>| NewUser {
        email: email.to_owned(),
        password: password.to_owned(),
        role,
        state_code: state.map(str::to_owned),
        thematic_areas: areas,
    };
    vec![
        user(DEMO_ACTOR, UserRole::IsuStaff, None, vec![]),
        user(
            "delegation.lao@demo.invalid",
            UserRole::Delegation,
            Some("LAO"),
            vec![],
        ),
        user(
            "delegation.irq@demo.invalid",
            UserRole::Delegation,
            Some("IRQ"),
            vec![],
        ),
        user(
            "coordinator.clearance@demo.invalid",
            UserRole::Coordinator,
            None,
            vec![
                ThematicArea::Clearance,
                ThematicArea::RiskReductionEducation,
            ],
        ),
    ]
}

#[derive(Debug, Default)]
pub struct DemoReport {
    pub users_created: Vec<String>,
    pub users_present: Vec<String>,
    pub extensions_recorded: usize,
    pub states_updated: usize,
    pub reports_created: usize,
    pub needs_created: usize,
    pub offers_created: usize,
    pub meetings_created: usize,
    pub applications_created: usize,
    pub workplans_created: usize,
    pub invoices_issued: usize,
    pub documents_created: usize,
    pub decisions_created: usize,
    pub extension_requests_created: usize,
}

/// What every part of the demo writes with: the same services, configuration and actor as
/// the API's mutations, so the demo holds nothing the API would refuse.
pub(super) struct Demo<'a> {
    pub db: &'a DatabaseConnection,
    /// The demo ISU staff account, for what ISU staff do through the API.
    pub staff: Viewer,
    /// Acts reserved to an ISU administrator (exchange rates, States' records, invoices,
    /// endorsing and approving the workplan) are the system's: the services' `actor: None`
    /// entry points, as for every command-line change.
    pub system: Option<Uuid>,
    pub today: NaiveDate,
    pub cooperation: CooperationConfig,
    pub sponsorship: SponsorshipConfig,
    pub budget: BudgetConfig,
    /// The demo's acts notify as the API's do (in the app of the users concerned, by email
    /// to contact points).
    pub notifications: NotificationsConfig,
}

impl Demo<'_> {
    /// A clock pinned to `day`: for the acts the demo dates in the past (a report submitted,
    /// published).
    pub fn on(day: NaiveDate) -> Clock {
        Clock::new(Some(day))
    }
}

/// The demo staff account as a viewer, as a request authenticated as it would be.
async fn staff_viewer(db: &DatabaseConnection) -> Result<Viewer, ServiceError> {
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(DEMO_ACTOR))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("the demo account {DEMO_ACTOR} is gone")))?;
    Ok(Viewer::authenticated(Principal {
        user_id: account.id,
        role: account.role,
        state_code: account.state_code.clone(),
        thematic_areas: vec![],
        // No login session: the command line acts without a token.
        session_id: Uuid::nil(),
        account: Arc::new(account),
    }))
}

/// Loads the demo data set; accounts already there are left as they are, and so is every
/// part already loaded, so a second run changes nothing.
pub async fn demo(
    db: &DatabaseConnection,
    settings: &Settings,
    password: &str,
) -> Result<DemoReport, ServiceError> {
    let config = |e: crate::kernel::config::ConfigError| ServiceError::Internal(e.to_string());
    let mut report = DemoReport::default();
    for u in demo_users(password) {
        let email = u.email.clone();
        match create_user(db, None, "seedDemo", u).await {
            Ok(_) => report.users_created.push(email),
            Err(ServiceError::Refused(r))
                if r.iter()
                    .all(|r| r.code == crate::kernel::error::Code::AlreadyExists) =>
            {
                report.users_present.push(email);
            }
            Err(e) => return Err(e),
        }
    }
    let demo = Demo {
        db,
        staff: staff_viewer(db).await?,
        system: None,
        today: Clock::new(settings.today).today(),
        cooperation: CooperationConfig::from_settings(settings).map_err(config)?,
        sponsorship: SponsorshipConfig::from_settings(settings).map_err(config)?,
        budget: BudgetConfig::from_settings(settings).map_err(config)?,
        notifications: NotificationsConfig::from_settings(settings).map_err(config)?,
    };
    demo_states(&demo, &mut report).await?;
    demo_reports(&demo, &mut report).await?;
    demo_cooperation(&demo, &mut report).await?;
    demo_sponsorship(&demo, &mut report).await?;
    demo_budget(&demo, &mut report).await?;
    demo_records(&demo, &mut report).await?;
    demo_extensions(&demo, &mut report).await?;
    demo_action_plan(&demo).await?;
    demo_experts(&demo).await?;
    Ok(report)
}
