//! Data loading from the command line: the States registry and a demo data set.
//!
//! The demo data is for training and demonstrations: every account it creates has an email
//! under `demo.invalid` (a domain that cannot exist), so it is never mistaken for real
//! data. Each domain adds its part to [`demo`].

use entity::enums::{ThematicArea, UserRole};
use sea_orm::DatabaseConnection;

use crate::auth::service::{NewUser, create_user};
use crate::error::ServiceError;
use crate::states::registry::{self, LoadReport};

/// Loads (or reloads and updates) the registry from the embedded `data/states.csv`, or from
/// another file in the same format.
pub async fn states(
    db: &DatabaseConnection,
    csv_text: Option<&str>,
) -> Result<LoadReport, ServiceError> {
    let rows = registry::parse(csv_text.unwrap_or(registry::EMBEDDED_CSV))
        .map_err(ServiceError::Internal)?;
    registry::load(db, &rows).await
}

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
                    .all(|r| r.code == crate::error::Code::AlreadyExists) =>
            {
                report.users_present.push(email);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}
