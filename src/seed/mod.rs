//! Data loading from the command line: the States registry and a demo data set.
//!
//! The demo data is for training and demonstrations: every account it creates has an email
//! under `demo.invalid` (a domain that cannot exist), so it is never mistaken for real
//! data. Each domain adds its part to [`demo`].
//!
//! The parts, one file each:
//! - `registry`: loading the States registry (the `seed states` command).
//! - `demo_states`: illustrative extensions and State updates, so every obligation kind shows.
//! - `demo_reports`: several years of annual reports, on time, late and missing.
//! - `demo_cooperation`: needs, offers and exchange rates.
//! - `demo_sponsorship`: two meetings and their applications, one decided, one partly.
//! - `demo_budget`: an adopted workplan with spending, invoices and payments.

mod demo_budget;
mod demo_cooperation;
mod demo_reports;
mod demo_sponsorship;
mod demo_states;
mod registry;

pub use demo_budget::DEMO_WORKPLAN_YEAR;
pub use registry::states;

use demo_budget::demo_budget;
use demo_cooperation::demo_cooperation;
use demo_reports::demo_reports;
use demo_sponsorship::demo_sponsorship;
use demo_states::demo_states;

use entity::enums::{ThematicArea, UserRole};
use sea_orm::DatabaseConnection;

use crate::domain::users::service::{NewUser, create_user};
use crate::kernel::error::ServiceError;

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
        user("isu.staff@demo.invalid", UserRole::IsuStaff, None, vec![]),
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
}

/// Loads the demo data set; accounts already there are left as they are.
pub async fn demo(db: &DatabaseConnection, password: &str) -> Result<DemoReport, ServiceError> {
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
    demo_states(db, &mut report).await?;
    demo_reports(db, &mut report).await?;
    demo_cooperation(db, &mut report).await?;
    demo_sponsorship(db, &mut report).await?;
    demo_budget(db, &mut report).await?;
    Ok(report)
}
